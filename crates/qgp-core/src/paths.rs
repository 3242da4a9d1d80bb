//! Where the app keeps its files: the data directory and everything inside it.
//!
//! The data directory is chosen once at start (`--data-dir`, then `QGP_DATA_DIR`, then the platform's data
//! directory); every other path derives from it, except the backup directory, which config.toml may move.

use std::path::{Path, PathBuf};

/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "QGP_DATA_DIR";

/// The entries of `dir`; none when it does not exist (yet).
pub fn entries(dir: &Path) -> std::io::Result<Vec<std::fs::DirEntry>> {
    match std::fs::read_dir(dir) {
        Ok(found) => found.collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// The resolved locations of the app's files.
#[derive(Debug, Clone)]
pub struct AppPaths {
    pub data_dir: PathBuf,
    pub db_path: PathBuf,
    pub config_path: PathBuf,
    pub log_dir: PathBuf,
    pub backup_dir: PathBuf,
    pub support_dir: PathBuf,
    /// Evidence files, stored once each under their SHA-256 (§14).
    pub evidence_dir: PathBuf,
    /// The data key of an encrypted installation once unlocked (keyring.rs); `None` for a plain one.
    pub data_key: Option<std::sync::Arc<crate::keyring::DataKey>>,
}

impl AppPaths {
    /// Paths under `data_dir`, with backups in `<data>/backups` until config.toml says otherwise.
    pub fn under(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        AppPaths {
            db_path: data_dir.join("qgp.sqlite3"),
            config_path: data_dir.join("config.toml"),
            log_dir: data_dir.join("logs"),
            backup_dir: data_dir.join("backups"),
            support_dir: data_dir.join("support"),
            evidence_dir: data_dir.join("evidence"),
            data_key: None,
            data_dir,
        }
    }

    /// Resolves the data directory from an explicit choice, the environment, or the platform default.
    pub fn resolve(explicit: Option<&Path>) -> Self {
        if let Some(dir) = explicit {
            return Self::under(dir);
        }
        if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
            return Self::under(PathBuf::from(dir));
        }
        let base = dirs::data_dir().unwrap_or_else(|| PathBuf::from("."));
        Self::under(base.join("qgp-desktop"))
    }

    /// Creates the data, log, backup, support, evidence and exports directories if missing (a save dialog opens in
    /// the exports folder, so it must exist before the first export).
    pub fn ensure_dirs(&self) -> std::io::Result<()> {
        for dir in [&self.data_dir, &self.log_dir, &self.backup_dir, &self.support_dir, &self.evidence_dir] {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::create_dir_all(crate::outfile::default_dir(self))
    }
}
