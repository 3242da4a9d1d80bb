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

/// The newest log file in `log_dir`, with its modification time.
pub fn newest_log_file(log_dir: &Path) -> Option<(std::path::PathBuf, std::time::SystemTime)> {
    std::fs::read_dir(log_dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(LOG_SUFFIX))
        .filter_map(|e| Some((e.path(), e.metadata().ok()?.modified().ok()?)))
        .max_by_key(|(_, t)| *t)
}
