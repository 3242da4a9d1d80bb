//! One desktop app per data directory. The app holds an exclusive lock on a file in the data directory for as long
//! as it runs; a second app on the same directory is refused at start, and `qgp` commands that replace the database
//! underneath a running app (restoring a backup) refuse while the lock is held. Everyday `qgp` reads and writes
//! beside the running app still work: SQLite's own locking (WAL, busy timeout) keeps them safe.
//!
//! The lock is the operating system's advisory file lock: it is released when the process ends in any way, so a
//! crash or a kill never leaves a stale lock behind.

use crate::error::{CoreError, Result};
use crate::paths::AppPaths;
use std::fs::{File, OpenOptions};
use std::path::PathBuf;

/// The lock file of a data directory.
pub fn lock_path(paths: &AppPaths) -> PathBuf {
    paths.data_dir.join(".qgp-app.lock")
}

/// Held by the running desktop app; dropping it (or the process ending) releases the directory.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

fn open_lock_file(paths: &AppPaths) -> Result<File> {
    std::fs::create_dir_all(&paths.data_dir)?;
    Ok(OpenOptions::new().create(true).truncate(false).write(true).open(lock_path(paths))?)
}

impl DataDirLock {
    /// Takes the directory for this app; `conflict` when another app already has it open.
    pub fn acquire(paths: &AppPaths) -> Result<DataDirLock> {
        let file = open_lock_file(paths)?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => Ok(DataDirLock { _file: file }),
            Err(fs4::TryLockError::WouldBlock) => Err(CoreError::Conflict(format!(
                "QGP Desktop is already open on {}. Switch to that window, or close it before opening the data here again.",
                paths.data_dir.display()
            ))),
            Err(fs4::TryLockError::Error(e)) => Err(e.into()),
        }
    }
}

/// True while a desktop app has the directory open.
pub fn app_has_open(paths: &AppPaths) -> Result<bool> {
    if !lock_path(paths).exists() {
        return Ok(false);
    }
    let file = open_lock_file(paths)?;
    match fs4::FileExt::try_lock_shared(&file) {
        Ok(()) => {
            fs4::FileExt::unlock(&file)?;
            Ok(false)
        }
        Err(fs4::TryLockError::WouldBlock) => Ok(true),
        Err(fs4::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// `conflict` naming `what` while the desktop app has the directory open.
pub fn refuse_while_app_open(paths: &AppPaths, what: &str) -> Result<()> {
    if app_has_open(paths)? {
        return Err(CoreError::Conflict(format!(
            "QGP Desktop has {} open, so {what} is refused: close the app first (or do it from the app's Health page).",
            paths.data_dir.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_app_holds_the_directory_until_it_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        assert!(!app_has_open(&paths).unwrap(), "nothing holds a new directory");
        assert!(refuse_while_app_open(&paths, "restoring a backup").is_ok());
        let held = DataDirLock::acquire(&paths).unwrap();
        assert!(app_has_open(&paths).unwrap());
        let second = DataDirLock::acquire(&paths).unwrap_err();
        assert!(matches!(second, CoreError::Conflict(ref m) if m.contains("already open")), "{second:?}");
        let refused = refuse_while_app_open(&paths, "restoring a backup").unwrap_err();
        assert!(matches!(refused, CoreError::Conflict(ref m) if m.contains("restoring a backup is refused")), "{refused:?}");
        drop(held);
        assert!(!app_has_open(&paths).unwrap(), "released when the app ends");
        DataDirLock::acquire(&paths).expect("and can be taken again");
    }
}
