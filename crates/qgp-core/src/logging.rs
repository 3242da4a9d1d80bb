//! Structured JSON logs to a daily rolling file, set up once per process.
//!
//! Log lines carry ids, references, command names, durations and outcomes, never record contents or
//! personal data. Old files are pruned at start by the configured retention.

use crate::config::Config;
use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// File name prefix of the log files (`qgp.2026-11-26.jsonl`).
pub const LOG_PREFIX: &str = "qgp";
/// File name suffix of the log files.
pub const LOG_SUFFIX: &str = "jsonl";
/// Environment variable that overrides the configured level (`QGP_LOG=debug`).
pub const LEVEL_ENV: &str = "QGP_LOG";

/// Keeps the background log writer alive; dropping it flushes and stops logging to the file.
#[must_use = "logs stop being written when the guard is dropped"]
pub struct LogGuard {
    _guard: WorkerGuard,
}

/// Installs the global subscriber: JSON lines to `<log_dir>/qgp.YYYY-MM-DD.jsonl`, plus human-readable
/// stderr output when `to_stderr` is set (development). Returns `None` if a subscriber was already set.
pub fn init(log_dir: &Path, config: &Config, to_stderr: bool) -> std::io::Result<Option<LogGuard>> {
    std::fs::create_dir_all(log_dir)?;
    prune_old_logs(log_dir, config.log_retention_days, std::time::SystemTime::now());
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_PREFIX)
        .filename_suffix(LOG_SUFFIX)
        .max_log_files(config.log_retention_days as usize)
        .build(log_dir)
        .map_err(std::io::Error::other)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let level = std::env::var(LEVEL_ENV).unwrap_or_else(|_| config.log_level.clone());
    let filter = EnvFilter::try_new(format!("{level},refinery_core=warn")).unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = fmt::layer().json().with_ansi(false).with_current_span(true).with_span_list(false).with_writer(writer);
    let stderr_layer = to_stderr.then(|| fmt::layer().with_writer(std::io::stderr).with_target(false));
    let installed = tracing_subscriber::registry().with(filter).with(file_layer).with(stderr_layer).try_init().is_ok();
    if installed {
        install_panic_hook();
        Ok(Some(LogGuard { _guard: guard }))
    } else {
        Ok(None)
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(panic = %info, "panic");
        previous(info);
    }));
}

/// Deletes log files last written more than `retention_days` ago; returns how many were removed.
pub fn prune_old_logs(log_dir: &Path, retention_days: u32, now: std::time::SystemTime) -> usize {
    let Some(cutoff) = now.checked_sub(std::time::Duration::from_secs(u64::from(retention_days) * 86_400)) else { return 0 };
    let Ok(entries) = std::fs::read_dir(log_dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with(LOG_PREFIX) && name.ends_with(LOG_SUFFIX);
        let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < cutoff);
        if ours && old && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The newest log file in `log_dir`, with its modification time.
pub fn newest_log_file(log_dir: &Path) -> Option<(std::path::PathBuf, std::time::SystemTime)> {
    std::fs::read_dir(log_dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(LOG_SUFFIX))
        .filter_map(|e| Some((e.path(), e.metadata().ok()?.modified().ok()?)))
        .max_by_key(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_log_files_are_pruned_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["qgp.2026-01-01.jsonl", "qgp.2026-11-25.jsonl", "notes.txt"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let in_a_month = std::time::SystemTime::now() + std::time::Duration::from_secs(30 * 86_400);
        assert_eq!(prune_old_logs(dir.path(), 14, in_a_month), 2, "both log files are older than 14 days by then");
        assert!(dir.path().join("notes.txt").exists(), "files that are not our logs are left alone");
        assert_eq!(prune_old_logs(dir.path(), 14, std::time::SystemTime::now()), 0);
    }
}
