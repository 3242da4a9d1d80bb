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

/// The name a running app goes by for its data directory: the desktop shell's single-instance plugin registers it
/// (on Linux as a D-Bus name), so a second launch on the same directory hands over to the first window and brings it
/// forward, while an app on another directory (an office copy beside a field copy) runs on its own. The same
/// directory, however it is spelled, gives the same name.
pub fn instance_name(paths: &AppPaths) -> String {
    use sha2::{Digest, Sha256};
    let dir =
        std::fs::canonicalize(&paths.data_dir).or_else(|_| std::path::absolute(&paths.data_dir)).unwrap_or_else(|_| paths.data_dir.clone());
    let digest = hex::encode(Sha256::digest(dir.to_string_lossy().as_bytes()));
    format!("uk.co.qgp.desktop.d{}", &digest[..16])
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

    #[test]
    fn one_directory_has_one_instance_name_and_another_directory_another() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        let a = instance_name(&AppPaths::under(dir.path().join("a")));
        assert_eq!(a, instance_name(&AppPaths::under(dir.path().join("a/../a"))), "however it is spelled");
        assert_ne!(a, instance_name(&AppPaths::under(dir.path().join("b"))));
        // A valid D-Bus name: dot-separated elements of letters, digits and underscores, none starting with a digit.
        let valid = |e: &str| {
            !e.is_empty() && !e.starts_with(|c: char| c.is_ascii_digit()) && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        assert!(a.split('.').all(valid), "{a}");
    }
}
