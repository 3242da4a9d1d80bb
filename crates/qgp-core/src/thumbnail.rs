//! Small previews of photos (JPEG and PNG), made when a photo is attached so the fieldwork screen and reports can
//! show it at a readable size without loading megabytes. A thumbnail is derived data: kept apart from the evidence
//! store (so the integrity check never mistakes it for evidence) and made again from the original when missing.

use base64::Engine;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Longest side of a thumbnail, in pixels.
const SIZE: u32 = 320;

pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("thumbnails")
}

/// The preview's name. "-upright": previews made before EXIF orientation was applied (named `{sha256}.jpg`) are not
/// reused, so a portrait phone photo attached earlier gets an upright preview the next time it is shown.
fn path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(format!("{sha256}-upright.jpg"))
}

/// Makes the thumbnail of an image (written atomically); `None` for what is not a readable JPEG or PNG.
pub fn make(dir: &Path, sha256: &str, bytes: &[u8]) -> Option<PathBuf> {
    let target = path(dir, sha256);
    if target.exists() {
        return Some(target);
    }
    write(dir, sha256, &render(bytes)?)
}

/// Starts making the preview of a photo being attached, on its own thread, while the caller hashes and stores it:
/// decoding is the slow part and needs no hash. The preview is written once the caller sends the file's SHA-256
/// (after its record is committed); if the sender is dropped instead, nothing is written.
pub fn start(dir: PathBuf, bytes: Vec<u8>) -> std::sync::mpsc::Sender<String> {
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        let encoded = render(&bytes);
        drop(bytes);
        if let (Some(encoded), Ok(sha256)) = (encoded, rx.recv()) {
            if !path(&dir, &sha256).exists() {
                write(&dir, &sha256, &encoded);
            }
        }
    });
    tx
}

/// The preview as JPEG bytes: decoded (JPEGs at a reduced scale), turned upright as the camera recorded (a phone
/// held portrait stores the pixels sideways with EXIF Orientation 6), shrunk to fit `SIZE`, encoded.
fn render(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut image = scaled_jpeg(bytes).or_else(|| image::load_from_memory(bytes).ok())?;
    if let Some(turn) = crate::photo_meta::orientation(bytes).and_then(image::metadata::Orientation::from_exif) {
        image.apply_orientation(turn);
    }
    let small = image.thumbnail(SIZE, SIZE).to_rgb8();
    let mut encoded = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut encoded, 80).encode_image(&small).ok()?;
    Some(encoded)
}

fn write(dir: &Path, sha256: &str, encoded: &[u8]) -> Option<PathBuf> {
    let target = path(dir, sha256);
    std::fs::create_dir_all(dir).ok()?;
    let tmp = dir.join(format!(".{sha256}.{}.tmp", crate::ids::new_id()));
    let mut f = std::fs::File::create(&tmp).ok()?;
    f.write_all(encoded).ok()?;
    f.sync_all().ok()?;
    std::fs::rename(&tmp, &target).ok()?;
    Some(target)
}

/// A JPEG decoded at the smallest DCT scale (1/8 … 8/8) still at least the preview's size: a 12-megapixel photo is
/// decoded as ~0.2 megapixels. libjpeg-turbo's decoder (as mozjpeg) reads the entropy-coded data about 1.5× faster
/// than the pure-Rust decoders we measured, and that is what is left once the scaling has skipped most of the IDCT.
fn scaled_jpeg(bytes: &[u8]) -> Option<image::DynamicImage> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    // The C library reports a corrupt file by unwinding; a broken photo must only mean "no preview".
    std::panic::catch_unwind(|| {
        let mut decoder = mozjpeg::Decompress::new_mem(bytes).ok()?;
        let (w, h) = (decoder.width() as u32, decoder.height() as u32);
        let eighths = (1..=8u32).find(|n| w.max(h) * n / 8 >= SIZE.min(w.max(h))).unwrap_or(8);
        decoder.scale(eighths as u8);
        let mut started = decoder.rgb().ok()?;
        let (w, h) = (started.width() as u32, started.height() as u32);
        let pixels: Vec<u8> = started.read_scanlines::<u8>().ok()?;
        started.finish().ok()?;
        image::RgbImage::from_raw(w, h, pixels).map(image::DynamicImage::ImageRgb8)
    })
    .ok()
    .flatten()
}

/// Where the thumbnail of `sha256` is (whether or not it exists yet).
pub fn path_of(data_dir: &Path, sha256: &str) -> PathBuf {
    path(&dir(data_dir), sha256)
}

/// The thumbnail's path, made from the stored original when it is not there yet; `None` for non-images.
pub fn ensure(dir: &Path, sha256: &str, original: &Path) -> Option<PathBuf> {
    let p = path(dir, sha256);
    if p.exists() {
        Some(p)
    } else {
        make(dir, sha256, &std::fs::read(original).ok()?)
    }
}

/// The thumbnail as a `data:` URL, made from the stored original when it is not there yet.
pub fn data_url(dir: &Path, sha256: &str, original: &Path) -> Option<String> {
    let p = ensure(dir, sha256, original)?;
    let bytes = std::fs::read(p).ok()?;
    Some(format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_gets_a_small_jpeg_and_other_files_none() {
        let dir = tempfile::tempdir().unwrap();
        let mut png = Vec::new();
        image::RgbImage::from_pixel(1600, 800, image::Rgb([200, 30, 30]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let thumb = make(dir.path(), "abc", &png).unwrap();
        let small = image::open(&thumb).unwrap();
        assert_eq!((small.width(), small.height()), (320, 160), "longest side 320, aspect kept");
        assert!(make(dir.path(), "def", b"not an image").is_none());
        // A JPEG goes through the scaled decoder.
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
            .encode_image(&image::RgbImage::from_pixel(2400, 1200, image::Rgb([20, 200, 40])))
            .unwrap();
        assert_eq!(scaled_jpeg(&jpeg).map(|i| (i.width(), i.height())), Some((600, 300)), "decoded at 1/4 scale");
        let thumb = image::open(make(dir.path(), "jpg", &jpeg).unwrap()).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (320, 160));
        assert!(data_url(dir.path(), "abc", Path::new("/nonexistent")).unwrap().starts_with("data:image/jpeg;base64,"));
    }

    /// A landscape-stored JPEG with an EXIF APP1 segment carrying `orientation`, as a phone writes it.
    fn phone_photo(orientation: u16) -> Vec<u8> {
        let mut pixels = image::RgbImage::from_pixel(800, 400, image::Rgb([20, 200, 40]));
        // The stored top-left corner is red, so the test can tell a turn from a mirror.
        for x in 0..100 {
            for y in 0..100 {
                pixels.put_pixel(x, y, image::Rgb([250, 0, 0]));
            }
        }
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&pixels).unwrap();
        let field = exif::Field { tag: exif::Tag::Orientation, ifd_num: exif::In::PRIMARY, value: exif::Value::Short(vec![orientation]) };
        let exif_only = crate::photo_meta::jpeg_with_exif(&[field]);
        let app1 = &exif_only[2..exif_only.len() - 2];
        [&jpeg[..2], app1, &jpeg[2..]].concat()
    }

    #[test]
    fn a_phone_photo_held_portrait_gets_an_upright_preview() {
        let dir = tempfile::tempdir().unwrap();
        let red = |p: &image::Rgb<u8>| p.0[0] > 180 && p.0[1] < 80;
        // Orientation 6: the camera was turned a quarter clockwise; shown upright the stored top-left is top-right.
        let upright = image::open(make(dir.path(), "portrait", &phone_photo(6)).unwrap()).unwrap().to_rgb8();
        assert_eq!((upright.width(), upright.height()), (160, 320), "portrait, not sideways");
        assert!(red(upright.get_pixel(150, 5)) && !red(upright.get_pixel(5, 5)), "turned clockwise, not mirrored");
        // Orientation 1 (and none) leaves it as stored.
        let level = image::open(make(dir.path(), "level", &phone_photo(1)).unwrap()).unwrap().to_rgb8();
        assert_eq!((level.width(), level.height()), (320, 160));
        assert!(red(level.get_pixel(5, 5)));
        assert_eq!(crate::photo_meta::orientation(&phone_photo(3)), Some(3));
        assert_eq!(crate::photo_meta::orientation(b"not a photo"), None);
    }
}
