//! Files the app writes for people to keep (exports, reports, packs): written under a temporary name in the
//! target folder, flushed to disk, then renamed. A cancel, crash or full disk never leaves a half-written file
//! under the final name, and an existing file is replaced only by a complete one.

use crate::error::{CoreError, FieldCode, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; becomes visible under its final name only at [`OutFile::commit`].
pub struct OutFile {
    final_path: PathBuf,
    temp_path: PathBuf,
    writer: Option<BufWriter<File>>,
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
        Ok(OutFile { final_path: final_path.to_owned(), temp_path, writer: Some(BufWriter::with_capacity(1 << 20, file)) })
    }

    /// The temporary file's path (for libraries that write a path themselves).
    pub fn temp_path(&self) -> &Path {
        &self.temp_path
    }

    /// Syncs the data, renames it into place and syncs the folder. Returns the final path.
    pub fn commit(mut self) -> Result<PathBuf> {
        if let Some(w) = self.writer.take() {
            let file = w.into_inner().map_err(|e| CoreError::Io(e.into_error()))?;
            file.sync_all()?;
        } else {
            File::open(&self.temp_path)?.sync_all()?;
        }
        std::fs::rename(&self.temp_path, &self.final_path)?;
        if let Some(dir) = self.final_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Directory fsync makes the rename durable; not every platform allows opening a directory.
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(self.final_path.clone())
    }

    /// Closes the writer so a library can write the temporary path itself.
    pub fn release_writer(&mut self) -> Result<()> {
        if let Some(w) = self.writer.take() {
            w.into_inner().map_err(|e| CoreError::Io(e.into_error()))?;
        }
        Ok(())
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.writer.as_mut() {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("the output file is closed")),
        }
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
        match self.writer.as_mut() {
            Some(w) => w.seek(pos),
            None => Err(std::io::Error::other("the output file is closed")),
        }
    }
}

impl Drop for OutFile {
    /// Not committed (error, cancel, panic): the temporary file goes.
    fn drop(&mut self) {
        self.writer.take();
        if self.temp_path.exists() {
            let _ = std::fs::remove_file(&self.temp_path);
        }
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_all(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
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
