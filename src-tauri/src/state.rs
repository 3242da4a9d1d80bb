//! What the shell holds between commands: the opened core (or why it could not open) and who is signed in.

use qgp_core::app::AppCore;
use qgp_core::error::ErrorEnvelope;
use qgp_core::logging::LogGuard;
use qgp_core::paths::AppPaths;
use qgp_core::session::Session;
use std::sync::{Mutex, MutexGuard};

/// Managed state of the app.
pub struct AppState {
    pub core: Option<Mutex<AppCore>>,
    /// Set when start-up failed (bad config.toml, database from a newer version); the UI shows it.
    pub startup_error: Option<ErrorEnvelope>,
    /// Who is signed in; the core re-reads the profile and checks idleness at every command.
    pub session: Mutex<Option<Session>>,
    _log: Option<LogGuard>,
    /// This app's hold on the data directory (one app per directory), released when the app ends.
    _instance: Option<qgp_core::instance::DataDirLock>,
}

impl AppState {
    /// Reads config, starts logging, opens and migrates the database. Failures are kept for the UI to show
    /// instead of a silent exit; nothing is written when config.toml is invalid.
    pub fn start(paths: AppPaths) -> AppState {
        let config = qgp_core::config::Config::load_or_create(&paths);
        let log = match &config {
            Ok(c) => qgp_core::logging::init(&paths.log_dir, c, cfg!(debug_assertions)).ok().flatten(),
            Err(_) => None,
        };
        let mut paths_for_advice = paths.clone();
        if let Ok(c) = &config {
            c.apply_to(&mut paths_for_advice);
        }
        // The lock comes first: a second app on the same directory must not migrate or write anything.
        let opened = config.and_then(|c| {
            let lock = qgp_core::instance::DataDirLock::acquire(&paths)?;
            Ok((lock, AppCore::open_with(paths, c, Box::new(qgp_core::clock::SystemClock))?))
        });
        match opened {
            Ok((lock, core)) => {
                tracing::info!(version = env!("CARGO_PKG_VERSION"), data_dir = %core.paths.data_dir.display(), "app started");
                qgp_core::auto_backup::start(core.paths.clone(), core.config.clone(), core.clock.clone());
                AppState { core: Some(Mutex::new(core)), startup_error: None, session: Mutex::new(None), _log: log, _instance: Some(lock) }
            }
            Err(e) => {
                // A damaged database: the screen names the backup to restore instead of a bare error.
                let advice = qgp_core::health::start_up_advice(&paths_for_advice, &e);
                let mut envelope = e.into_envelope(&qgp_core::ids::new_id());
                if let Some(advice) = advice {
                    envelope.message = format!("{} {advice}", envelope.message);
                }
                tracing::error!(kind = ?envelope.kind, error = %envelope.message, request_id = %envelope.request_id, "start-up failed");
                AppState { core: None, startup_error: Some(envelope), session: Mutex::new(None), _log: log, _instance: None }
            }
        }
    }
}

/// Locks a mutex even if a panic elsewhere poisoned it: commands run guarded in the core (a panic fails only its own
/// command and rolls back), so the data behind the lock is consistent and the app keeps working without a restart.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
