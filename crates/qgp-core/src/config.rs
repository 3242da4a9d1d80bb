//! Machine settings from `config.toml` in the data directory (domain.md §1.12): logging and backups only.
//!
//! Governance settings (time zone, due-soon window, …) live in the audited `settings` table, not here.
//! The file is validated at start; a bad value stops the app with a message naming the key, and nothing is written.

use crate::error::{CoreError, Result};
use crate::paths::AppPaths;
use serde::Deserialize;
use std::path::PathBuf;

/// The file written when none exists, so an administrator sees every key with its default.
pub const DEFAULT_CONFIG: &str = r#"# QGP Desktop machine settings. Governance settings are changed in the app (Settings), not here.

[logging]
# One of: error, warn, info, debug, trace
level = "info"
# Daily log files older than this many days are deleted at start (1..365)
retention_days = 14

[backup]
# Folder for backups; empty means <data directory>/backups
directory = ""
# How many backups to keep; older ones are removed after each new backup (1..1000)
retention = 10
# While the app is open it takes a backup when the newest is older than this many hours (1..720; 0 = never)
every_hours = 24
# A second folder every backup is also copied to (a USB stick, a network drive), so a lost or broken laptop does not
# take the backups with it; the folder must exist (empty = no second copy). Health says when copies stop arriving.
copy_to = ""
"#;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    logging: RawLogging,
    #[serde(default)]
    backup: RawBackup,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLogging {
    level: Option<String>,
    retention_days: Option<i64>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBackup {
    directory: Option<String>,
    retention: Option<i64>,
    every_hours: Option<i64>,
    copy_to: Option<String>,
}

/// Validated machine settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub log_level: String,
    pub log_retention_days: u32,
    pub backup_dir: Option<PathBuf>,
    pub backup_retention: u32,
    /// Automatic backups: the desktop app takes one when the newest is this many hours old; 0 turns them off.
    pub backup_every_hours: u32,
    /// A second folder every backup is copied to, when set.
    pub backup_copy_to: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            log_level: "info".into(),
            log_retention_days: 14,
            backup_dir: None,
            backup_retention: 10,
            backup_every_hours: 24,
            backup_copy_to: None,
        }
    }
}

/// A folder key: an absolute path, or none when missing or blank.
fn absolute_or_empty(key: &str, value: Option<String>) -> Result<Option<PathBuf>> {
    let Some(dir) = value.filter(|d| !d.trim().is_empty()) else { return Ok(None) };
    let path = PathBuf::from(dir.trim());
    if !path.is_absolute() {
        return Err(CoreError::Config(format!("config.toml: {key} must be an absolute path or empty (found '{}')", path.display())));
    }
    Ok(Some(path))
}

const LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];

impl Config {
    /// Parses and validates config text. Errors name the key and the expected form.
    pub fn parse(text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| CoreError::Config(format!("config.toml: {}", e.message())))?;
        let mut config = Config::default();
        if let Some(level) = raw.logging.level {
            if !LEVELS.contains(&level.as_str()) {
                return Err(CoreError::Config(format!(
                    "config.toml: logging.level must be one of {} (found '{level}')",
                    LEVELS.join(", ")
                )));
            }
            config.log_level = level;
        }
        if let Some(days) = raw.logging.retention_days {
            config.log_retention_days = in_range("logging.retention_days", days, 1, 365)?;
        }
        config.backup_dir = absolute_or_empty("backup.directory", raw.backup.directory)?;
        if let Some(n) = raw.backup.retention {
            config.backup_retention = in_range("backup.retention", n, 1, 1000)?;
        }
        if let Some(n) = raw.backup.every_hours {
            config.backup_every_hours = in_range("backup.every_hours", n, 0, 720)?;
        }
        config.backup_copy_to = absolute_or_empty("backup.copy_to", raw.backup.copy_to)?;
        Ok(config)
    }

    /// Reads `config.toml` from the data directory, writing the commented default when there is none.
    pub fn load_or_create(paths: &AppPaths) -> Result<Config> {
        match std::fs::read_to_string(&paths.config_path) {
            Ok(text) => Config::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&paths.data_dir)?;
                std::fs::write(&paths.config_path, DEFAULT_CONFIG)?;
                Ok(Config::default())
            }
            Err(e) => Err(CoreError::Config(format!("config.toml could not be read: {e}"))),
        }
    }

    /// Moves the backup directory of `paths` to the configured one, if any.
    pub fn apply_to(&self, paths: &mut AppPaths) {
        if let Some(dir) = &self.backup_dir {
            paths.backup_dir = dir.clone();
        }
    }
}

fn in_range(key: &str, value: i64, min: i64, max: i64) -> Result<u32> {
    if (min..=max).contains(&value) {
        Ok(value as u32)
    } else {
        Err(CoreError::Config(format!("config.toml: {key} must be a whole number from {min} to {max} (found {value})")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_parses_to_defaults() {
        assert_eq!(Config::parse(DEFAULT_CONFIG).unwrap(), Config::default());
    }

    #[test]
    fn bad_level_names_the_key_and_the_choices() {
        let err = Config::parse("[logging]\nlevel = \"loud\"\n").unwrap_err().to_string();
        assert!(err.contains("logging.level") && err.contains("error, warn, info"), "{err}");
    }

    #[test]
    fn out_of_range_retention_is_refused() {
        let err = Config::parse("[backup]\nretention = 0\n").unwrap_err().to_string();
        assert!(err.contains("backup.retention") && err.contains("1 to 1000"), "{err}");
    }

    #[test]
    fn automatic_backups_can_be_spaced_or_turned_off_within_a_month() {
        assert_eq!(Config::parse("[backup]\nevery_hours = 0\n").unwrap().backup_every_hours, 0);
        assert_eq!(Config::parse("[backup]\nevery_hours = 168\n").unwrap().backup_every_hours, 168);
        assert_eq!(Config::parse("").unwrap().backup_every_hours, 24);
        for bad in ["-1", "721"] {
            let err = Config::parse(&format!("[backup]\nevery_hours = {bad}\n")).unwrap_err().to_string();
            assert!(err.contains("backup.every_hours") && err.contains("0 to 720"), "{err}");
        }
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = Config::parse("[logging]\nlevle = \"info\"\n").unwrap_err().to_string();
        assert!(err.contains("levle"), "{err}");
    }

    #[test]
    fn relative_backup_dir_is_refused() {
        let err = Config::parse("[backup]\ndirectory = \"backups\"\n").unwrap_err().to_string();
        assert!(err.contains("backup.directory"), "{err}");
        let err = Config::parse("[backup]\ncopy_to = \"usb/qgp\"\n").unwrap_err().to_string();
        assert!(err.contains("backup.copy_to"), "{err}");
        let ok = Config::parse("[backup]\ncopy_to = \"/media/usb/qgp\"\n").unwrap();
        assert_eq!(ok.backup_copy_to, Some(PathBuf::from("/media/usb/qgp")));
        assert_eq!(Config::parse(DEFAULT_CONFIG).unwrap(), Config::default(), "the written default parses to the defaults");
    }

    #[test]
    fn missing_file_is_created_with_defaults_and_invalid_file_is_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        assert_eq!(Config::load_or_create(&paths).unwrap(), Config::default());
        assert!(paths.config_path.exists());
        std::fs::write(&paths.config_path, "[logging]\nretention_days = 9999\n").unwrap();
        assert!(Config::load_or_create(&paths).is_err());
        assert_eq!(std::fs::read_to_string(&paths.config_path).unwrap(), "[logging]\nretention_days = 9999\n");
    }
}
