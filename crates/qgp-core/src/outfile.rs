//! Files the app writes for people to keep (exports, reports, packs): written under a temporary name in the
//! target folder, flushed to disk, then renamed. A cancel, crash or full disk never leaves a half-written file
//! under the final name, and an existing file is replaced only by a complete one.

use crate::error::{CoreError, FieldCode, Result};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

/// A file under its final name: where, how large, and its SHA-256 (what the user is told and the trail records).
#[derive(Debug, Clone)]
pub struct Committed {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
}

/// Bytes gathered before a write to the file.
const BUFFER: usize = 1 << 20;
/// Dirty data is handed to the disk every this many bytes, so the final sync waits for the tail, not the whole file.
const WRITE_BEHIND_BYTES: u64 = 32 << 20;

/// The SHA-256 of a stream of pieces, computed on its own thread: on two cores, hashing a large file overlaps with
/// copying it instead of adding to it. Output files use it for their fingerprint, packs to check evidence files.
pub(crate) struct StreamHasher {
    pieces: Option<SyncSender<Arc<Vec<u8>>>>,
    worker: Option<JoinHandle<Sha256>>,
}

impl StreamHasher {
    pub(crate) fn start() -> Self {
        let (pieces, incoming) = sync_channel::<Arc<Vec<u8>>>(4);
        let worker = std::thread::spawn(move || {
            let mut hasher = Sha256::new();
            for piece in incoming {
                hasher.update(&piece[..]);
            }
            hasher
        });
        StreamHasher { pieces: Some(pieces), worker: Some(worker) }
    }

    pub(crate) fn feed(&mut self, piece: Arc<Vec<u8>>) {
        if let Some(tx) = &self.pieces {
            if tx.send(piece).is_err() {
                // The worker is gone (it panicked): `finish` says so with `None`.
                self.pieces = None;
            }
        }
    }

    /// The hex digest of every piece fed, or `None` if the hashing thread failed.
    pub(crate) fn finish(mut self) -> Option<String> {
        self.pieces.take()?;
        self.worker.take()?.join().ok().map(|h| hex::encode(h.finalize()))
    }
}

impl Drop for StreamHasher {
    fn drop(&mut self) {
        self.pieces.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// A file being written; becomes visible under its final name only at [`OutFile::commit`].
pub struct OutFile {
    final_path: PathBuf,
    temp_path: PathBuf,
    file: Option<File>,
    buffer: Vec<u8>,
    /// Hashes the bytes as they are written (taken at commit).
    hasher: Option<StreamHasher>,
    written: u64,
    handed_to_disk: u64,
    /// A sync of what was written so far, running on its own thread while writing goes on.
    syncing: Option<JoinHandle<std::io::Result<()>>>,
}

impl OutFile {
    /// Starts writing `final_path` (its folder is created if missing).
    pub fn create(final_path: &Path) -> Result<OutFile> {
        let dir = final_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = final_path
            .file_name()
            .ok_or_else(|| CoreError::field("path", FieldCode::InvalidFormat, "The output path must name a file"))?
            .to_string_lossy();
        let temp_path = dir.join(format!(".{name}.{}.partial", crate::ids::new_id()));
        let file = File::create(&temp_path)?;
        Ok(OutFile {
            final_path: final_path.to_owned(),
            temp_path,
            file: Some(file),
            buffer: Vec::with_capacity(BUFFER),
            hasher: Some(StreamHasher::start()),
            written: 0,
            handed_to_disk: 0,
            syncing: None,
        })
    }

    /// Syncs the data, renames it into place and syncs the folder.
    pub fn commit(mut self) -> Result<Committed> {
        self.write_buffer()?;
        if let Some(sync) = self.syncing.take() {
            sync.join().map_err(|_| CoreError::Internal("the disk sync stopped unexpectedly".into()))??;
        }
        let file = self.file.take().ok_or_else(|| CoreError::Internal("the output file is closed".into()))?;
        file.sync_all()?;
        drop(file);
        // Hashed while written: the fingerprint is already known. Only if the hashing thread failed is the file
        // read once more.
        let (bytes, sha256) = match self.hasher.take().and_then(StreamHasher::finish) {
            Some(sha) => (self.written, sha),
            None => fingerprint(&self.temp_path)?,
        };
        std::fs::rename(&self.temp_path, &self.final_path)?;
        if let Some(dir) = self.final_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Directory fsync makes the rename durable; not every platform allows opening a directory.
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        remember_written(&self.final_path);
        Ok(Committed { path: self.final_path.clone(), bytes, sha256 })
    }

    /// Hands the gathered bytes to the hasher, then to the file (the hash of this piece runs during the write).
    fn write_buffer(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let Some(file) = self.file.as_mut() else { return Err(std::io::Error::other("the output file is closed")) };
        let piece = Arc::new(std::mem::replace(&mut self.buffer, Vec::with_capacity(BUFFER)));
        if let Some(h) = self.hasher.as_mut() {
            h.feed(piece.clone());
        }
        file.write_all(&piece)?;
        self.write_behind()
    }

    /// Has the disk take what is already written while the rest is produced (a sync on another thread), so the
    /// final sync waits for the tail of a large file, not for all of it.
    fn write_behind(&mut self) -> std::io::Result<()> {
        if self.written - self.handed_to_disk < WRITE_BEHIND_BYTES {
            return Ok(());
        }
        if let Some(sync) = self.syncing.take_if(|s| s.is_finished()) {
            sync.join().map_err(|_| std::io::Error::other("the disk sync stopped unexpectedly"))??;
        }
        if self.syncing.is_some() {
            return Ok(());
        }
        let Some(file) = self.file.as_ref() else { return Ok(()) };
        let file = file.try_clone()?;
        self.syncing = Some(std::thread::spawn(move || file.sync_data()));
        self.handed_to_disk = self.written;
        Ok(())
    }
}

/// Size and SHA-256 of a file, read in 1 MB pieces.
pub fn fingerprint(path: &Path) -> Result<(u64, String)> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((bytes, hex::encode(hasher.finalize())))
}

impl Write for OutFile {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.file.is_none() {
            return Err(std::io::Error::other("the output file is closed"));
        }
        let mut rest = data;
        while !rest.is_empty() {
            let n = (BUFFER - self.buffer.len()).min(rest.len());
            self.buffer.extend_from_slice(&rest[..n]);
            self.written += n as u64;
            rest = &rest[n..];
            if self.buffer.len() == BUFFER {
                self.write_buffer()?;
            }
        }
        Ok(data.len())
    }
    /// Buffered bytes stay until the buffer fills or the file is committed; only the commit makes them durable.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for OutFile {
    /// Not committed (error, cancel, panic): the temporary file goes.
    fn drop(&mut self) {
        if let Some(sync) = self.syncing.take() {
            let _ = sync.join();
        }
        self.file.take();
        if self.temp_path.exists() {
            let _ = std::fs::remove_file(&self.temp_path);
        }
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_all(path: &Path, bytes: &[u8]) -> Result<Committed> {
    let mut out = OutFile::create(path)?;
    out.write_all(bytes)?;
    out.commit()
}

/// Files this process wrote (reports, exports, packs, support bundles): the only ones the window may ask the
/// operating system to open. The webview could otherwise hand any path or URL to the system's default handler.
static WRITTEN: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Notes that the app wrote the file at `path`.
pub fn remember_written(path: &Path) {
    if let Ok(real) = path.canonicalize() {
        let mut written = WRITTEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !written.contains(&real) {
            written.push(real);
        }
    }
}

/// What "Open" or "Show in folder" may hand to the operating system for `path`: the file itself (or its folder)
/// when this app wrote it since it started; `forbidden` for any other path, a URL, or a file changed into a link.
pub fn openable(path: &str, folder: bool) -> Result<PathBuf> {
    let refuse = || CoreError::Forbidden("QGP Desktop opens only the reports, exports and packs it has written itself.".into());
    let real = Path::new(path).canonicalize().map_err(|_| refuse())?;
    let written = WRITTEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !written.contains(&real) || !real.is_file() {
        return Err(refuse());
    }
    Ok(if folder { real.parent().map(Path::to_path_buf).unwrap_or(real) } else { real })
}

/// The folder exports and reports go to unless the user names a path: `<data>/exports`.
pub fn default_dir(paths: &crate::paths::AppPaths) -> PathBuf {
    paths.data_dir.join("exports")
}

/// The output path for `requested` (absolute or relative to the exports folder), or `default_name` in the exports
/// folder; the extension must be `ext`.
pub fn resolve(paths: &crate::paths::AppPaths, requested: Option<&str>, default_name: &str, ext: &str) -> Result<PathBuf> {
    let path = match requested.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => {
            let p = PathBuf::from(p);
            if p.is_absolute() {
                p
            } else {
                default_dir(paths).join(p)
            }
        }
        None => default_dir(paths).join(default_name),
    };
    if path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() != Some(ext) {
        return Err(CoreError::field("path", FieldCode::InvalidFormat, format!("The file name must end in .{ext}")));
    }
    if path.is_dir() {
        return Err(CoreError::field("path", FieldCode::InvalidFormat, "The output path is a folder; name a file"));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_the_app_wrote_can_be_opened() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.pdf");
        write_all(&report, b"%PDF-1.7").unwrap();
        let real = report.canonicalize().unwrap();
        assert_eq!(openable(report.to_str().unwrap(), false).unwrap(), real);
        assert_eq!(openable(report.to_str().unwrap(), true).unwrap(), real.parent().unwrap());
        let other = dir.path().join("run-me.desktop");
        std::fs::write(&other, b"[Desktop Entry]").unwrap();
        for refused in [other.to_str().unwrap(), "/etc/passwd", "https://example.com/", "file:///etc/passwd", ""] {
            let e = openable(refused, false).unwrap_err();
            assert!(matches!(e, CoreError::Forbidden(_)), "{refused}: {e:?}");
            assert!(openable(refused, true).is_err(), "nor its folder: {refused}");
        }
        // A written file later swapped for a folder is not opened either.
        std::fs::remove_file(&report).unwrap();
        std::fs::create_dir(&report).unwrap();
        assert!(openable(report.to_str().unwrap(), false).is_err());
    }

    fn content(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn the_fingerprint_is_that_of_the_bytes_written_whatever_the_piece_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let data = content(3 * BUFFER + 12_345);
        for piece in [1, 7, 4096, BUFFER - 1, BUFFER, BUFFER + 3, data.len()] {
            let path = dir.path().join(format!("out-{piece}.bin"));
            let mut out = OutFile::create(&path).unwrap();
            for chunk in data.chunks(piece) {
                out.write_all(chunk).unwrap();
            }
            let done = out.commit().unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), data, "piece size {piece}");
            assert_eq!(done.bytes, data.len() as u64);
            assert_eq!(done.sha256, hex::encode(Sha256::digest(&data)), "piece size {piece}");
        }
        let empty = OutFile::create(&dir.path().join("empty.bin")).unwrap().commit().unwrap();
        assert_eq!((empty.bytes, empty.sha256), (0, hex::encode(Sha256::digest(b""))));
    }

    #[test]
    fn an_uncommitted_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("never.bin");
        let mut out = OutFile::create(&path).unwrap();
        out.write_all(&content(WRITE_BEHIND_BYTES as usize + BUFFER)).unwrap();
        drop(out);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no final file and no temporary file");
    }
}
