//! What a photo says about itself (§14): when it was taken (EXIF DateTimeOriginal, read in the configured time zone
//! unless the photo gives its offset) and where (EXIF GPS), so evidence from the field keeps its capture time and
//! place even when it is attached later.

use exif::{In, Reader, Tag, Value};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Capture time (UTC instant text) and position read from a photo's EXIF, when it has them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoMeta {
    pub captured_at: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

fn ascii(exif: &exif::Exif, tag: Tag) -> Option<String> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(parts) => parts.first().map(|b| String::from_utf8_lossy(b).trim().to_owned()),
        _ => None,
    }
}

/// Degrees from the three rationals (degrees, minutes, seconds) and the hemisphere reference.
fn coordinate(exif: &exif::Exif, value: Tag, reference: Tag, negative: &str, limit: f64) -> Option<f64> {
    let Value::Rational(dms) = &exif.get_field(value, In::PRIMARY)?.value else { return None };
    if dms.len() < 3 || dms.iter().any(|r| r.denom == 0) {
        return None;
    }
    let degrees = dms[0].to_f64() + dms[1].to_f64() / 60.0 + dms[2].to_f64() / 3600.0;
    let signed = if ascii(exif, reference).as_deref() == Some(negative) { -degrees } else { degrees };
    // Seven decimal places (~1 cm) as §14 keeps them.
    (signed.abs() <= limit).then(|| (signed * 1e7).round() / 1e7)
}

/// Reads EXIF from a JPEG, TIFF, PNG, WebP or HEIF photo; anything unreadable yields nothing (never an error).
pub fn read(bytes: &[u8], zone: &TimeZone) -> PhotoMeta {
    let Ok(exif) = Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) else { return PhotoMeta::default() };
    let captured_at = ascii(&exif, Tag::DateTimeOriginal)
        .or_else(|| ascii(&exif, Tag::DateTime))
        .and_then(|t| DateTime::strptime("%Y:%m:%d %H:%M:%S", &t).ok())
        .and_then(|local| {
            match ascii(&exif, Tag::OffsetTimeOriginal).and_then(|o| jiff::tz::Offset::from_seconds(parse_offset(&o)?).ok()) {
                Some(offset) => offset.to_timestamp(local).ok(),
                None => zone.to_timestamp(local).ok(),
            }
        })
        .map(crate::clock::format_instant);
    let latitude = coordinate(&exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, "S", 90.0);
    let longitude = coordinate(&exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, "W", 180.0);
    let (latitude, longitude) = match (latitude, longitude) {
        (Some(a), Some(b)) => (Some(a), Some(b)),
        _ => (None, None),
    };
    PhotoMeta { captured_at, latitude, longitude }
}

/// How the camera was held (EXIF Orientation, 1–8), when the photo says; 1 is upright.
pub fn orientation(bytes: &[u8]) -> Option<u8> {
    let exif = Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)).ok()?;
    let value = exif.get_field(Tag::Orientation, In::PRIMARY)?.value.get_uint(0)?;
    u8::try_from(value).ok().filter(|v| (1..=8).contains(v))
}

/// "+01:00" → 3600.
fn parse_offset(text: &str) -> Option<i32> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = text[1..].split_once(':')?;
    Some(sign * (h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60))
}

/// A JPEG carrying the given EXIF fields (for tests: a real camera file in miniature).
pub fn jpeg_with_exif(fields: &[exif::Field]) -> Vec<u8> {
    let mut writer = exif::experimental::Writer::new();
    for f in fields {
        writer.push_field(f);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    if writer.write(&mut tiff, false).is_err() {
        return Vec::new();
    }
    let tiff = tiff.into_inner();
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    let len = (tiff.len() + 8) as u16;
    out.extend(len.to_be_bytes());
    out.extend(b"Exif\0\0");
    out.extend(tiff);
    out.extend([0xFF, 0xD9]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use exif::{Field, Rational};

    fn field(tag: Tag, value: Value) -> Field {
        Field { tag, ifd_num: In::PRIMARY, value }
    }

    fn dms(d: u32, m: u32, s_hundredths: u32) -> Value {
        Value::Rational(vec![Rational { num: d, denom: 1 }, Rational { num: m, denom: 1 }, Rational { num: s_hundredths, denom: 100 }])
    }

    #[test]
    fn a_camera_photo_gives_its_capture_time_and_position() {
        let jpeg = jpeg_with_exif(&[
            field(Tag::DateTimeOriginal, Value::Ascii(vec![b"2026:11:20 09:30:00".to_vec()])),
            field(Tag::GPSLatitudeRef, Value::Ascii(vec![b"N".to_vec()])),
            field(Tag::GPSLatitude, dms(51, 30, 2616)),
            field(Tag::GPSLongitudeRef, Value::Ascii(vec![b"W".to_vec()])),
            field(Tag::GPSLongitude, dms(0, 7, 3960)),
        ]);
        let meta = read(&jpeg, &TimeZone::get("Europe/London").unwrap());
        assert_eq!(meta.captured_at.as_deref(), Some("2026-11-20T09:30:00.000Z"), "London is on UTC in November");
        assert_eq!(meta.latitude, Some(51.5072667));
        assert_eq!(meta.longitude, Some(-0.1276667));
        let summer = jpeg_with_exif(&[field(Tag::DateTimeOriginal, Value::Ascii(vec![b"2026:07:01 12:00:00".to_vec()]))]);
        assert_eq!(read(&summer, &TimeZone::get("Europe/London").unwrap()).captured_at.as_deref(), Some("2026-07-01T11:00:00.000Z"));
        let offset = jpeg_with_exif(&[
            field(Tag::DateTimeOriginal, Value::Ascii(vec![b"2026:07:01 12:00:00".to_vec()])),
            field(Tag::OffsetTimeOriginal, Value::Ascii(vec![b"+02:00".to_vec()])),
        ]);
        assert_eq!(read(&offset, &TimeZone::UTC).captured_at.as_deref(), Some("2026-07-01T10:00:00.000Z"), "the photo's own offset wins");
        assert_eq!(read(b"not a photo", &TimeZone::UTC), PhotoMeta::default());
    }
}
