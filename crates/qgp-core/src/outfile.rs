//! Files the app writes for people to keep (exports, reports, packs): written under a temporary name in the
//! target folder, flushed to disk, then renamed. A cancel, crash or full disk never leaves a half-written file
//! under the final name, and an existing file is replaced only by a complete one.

use crate::error::{CoreError, FieldCode, Result};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// A file under its final name: where, how large, and its SHA-256 (what the user is told and the trail records).
#[derive(Debug, Clone)]
pub struct Committed {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
}

/// Dirty data is handed to the disk every this many bytes, so the final sync waits for the tail, not the whole file.
const WRITE_BEHIND_BYTES: u64 = 32 << 20;

/// A file being written; becomes visible under its final name only at [`OutFile::commit`].
pub struct OutFile {
    final_path: PathBuf,
    temp_path: PathBuf,
    writer: Option<BufWriter<File>>,
    /// SHA-256 of the bytes written, while they are written in order; `None` once something seeks back.
    hasher: Option<Sha256>,
    written: u64,
    handed_to_disk: u64,
    /// A sync of what was written so far, running on its own thread while writing goes on.
    syncing: Option<std::thread::JoinHandle<std::io::Result<()>>>,
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
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
            hasher: Some(Sha256::new()),
            written: 0,
            handed_to_disk: 0,
            syncing: None,
        })
    }

    /// The temporary file's path (for libraries that write a path themselves).
    pub fn temp_path(&self) -> &Path {
        &self.temp_path
    }

    /// Syncs the data, renames it into place and syncs the folder.
    pub fn commit(mut self) -> Result<Committed> {
        if let Some(sync) = self.syncing.take() {
            sync.join().map_err(|_| CoreError::Internal("the disk sync stopped unexpectedly".into()))??;
        }
        if let Some(w) = self.writer.take() {
            let file = w.into_inner().map_err(|e| CoreError::Io(e.into_error()))?;
            file.sync_all()?;
        } else {
            File::open(&self.temp_path)?.sync_all()?;
        }
        // Written in one pass: the fingerprint is already known. Otherwise (a writer that seeks back, a library
        // that wrote the path itself) the file is read once more.
        let (bytes, sha256) = match self.hasher.take() {
            Some(h) => (self.written, hex::encode(h.finalize())),
            None => fingerprint(&self.temp_path)?,
        };
        std::fs::rename(&self.temp_path, &self.final_path)?;
        if let Some(dir) = self.final_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Directory fsync makes the rename durable; not every platform allows opening a directory.
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(Committed { path: self.final_path.clone(), bytes, sha256 })
    }

    /// Closes the writer so a library can write the temporary path itself.
    pub fn release_writer(&mut self) -> Result<()> {
        self.hasher = None;
        if let Some(w) = self.writer.take() {
            w.into_inner().map_err(|e| CoreError::Io(e.into_error()))?;
        }
        Ok(())
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
        let Some(w) = self.writer.as_mut() else { return Ok(()) };
        w.flush()?;
        let file = w.get_ref().try_clone()?;
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
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = match self.writer.as_mut() {
            Some(w) => w.write(buf)?,
            None => return Err(std::io::Error::other("the output file is closed")),
        };
        if let Some(h) = self.hasher.as_mut() {
            h.update(&buf[..n]);
        }
        self.written += n as u64;
        self.write_behind()?;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl std::io::Seek for OutFile {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        let Some(w) = self.writer.as_mut() else { return Err(std::io::Error::other("the output file is closed")) };
        let at = w.seek(pos)?;
        // Asking where we are is harmless; moving anywhere but the end means later bytes overwrite earlier ones,
        // and `written` tracks the end only while writes stay in order.
        if at != self.written {
            self.hasher = None;
        }
        Ok(at)
    }
}

impl Drop for OutFile {
    /// Not committed (error, cancel, panic): the temporary file goes.
    fn drop(&mut self) {
        if let Some(sync) = self.syncing.take() {
            let _ = sync.join();
        }
        self.writer.take();
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
