//! Opening the app's data: paths, config, database (migrated, with a pre-migration backup), installation
//! identity; and [`AppCore::invoke`], which runs one command inside a logged span with its request id.

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::context::{Actor, Ctx};
use crate::db::MigrationOutcome;
use crate::error::{CoreError, ErrorEnvelope, Result};
use crate::jobs::{JobEnv, JobRegistry};
use crate::paths::AppPaths;
use rusqlite::Connection;
use serde_json::Value;
use std::sync::Arc;
use std::time::Instant;

/// Everything a shell (the desktop app or the CLI) holds: one connection and the machine settings.
pub struct AppCore {
    pub conn: Connection,
    pub paths: AppPaths,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    pub migration: MigrationOutcome,
    /// Background jobs started from this core (`jobs.start`).
    pub jobs: Arc<JobRegistry>,
    /// Set when the database could be opened only read-only (a full disk): why. Reading works; every write is
    /// refused as "the disk is full".
    pub read_only: Option<String>,
}

/// Stamp for file names written at start (pre-migration backups).
fn file_stamp(clock: &dyn Clock) -> String {
    crate::clock::format_instant(clock.now()).chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// Creates the installation identity on first run.
pub fn ensure_installation(conn: &Connection, clock: &dyn Clock) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO installation (singleton, id, created_at) VALUES (1, ?1, ?2)",
        rusqlite::params![crate::ids::new_id(), crate::clock::format_instant(clock.now())],
    )?;
    Ok(())
}

impl AppCore {
    /// Reads config.toml (creating it on first run), opens and migrates the database.
    pub fn open(paths: AppPaths) -> Result<AppCore> {
        let config = Config::load_or_create(&paths)?;
        Self::open_with(paths, config, Box::new(SystemClock))
    }

    /// As [`Self::open`] with a given config and clock (tests).
    pub fn open_with(mut paths: AppPaths, config: Config, clock: Box<dyn Clock>) -> Result<AppCore> {
        config.apply_to(&mut paths);
        paths.ensure_dirs()?;
        let opened = (|| {
            let mut conn = crate::db::open_store(&paths)?;
            let migration = crate::db::migrate_embedded(&mut conn, &paths.backup_dir, &file_stamp(clock.as_ref()))?;
            ensure_installation(&conn, clock.as_ref())?;
            let now = crate::clock::format_instant(clock.now());
            if crate::db::with_tx(&mut conn, |tx| crate::standards::catalogue::install(tx, &now))? {
                tracing::info!(fingerprint = %crate::standards::catalogue::fingerprint(), "standards catalogue installed");
            }
            Ok((conn, migration))
        })();
        let (conn, migration, read_only) = match opened {
            Ok((conn, migration)) => (conn, migration, None),
            Err(e) if crate::db::is_space_or_io_failure(&e) && paths.db_path.exists() => {
                let conn = Self::read_only_fallback(&paths).map_err(|_| e)?;
                (conn, MigrationOutcome::default(), Some("the disk is full".to_owned()))
            }
            Err(e) => return Err(e),
        };
        if !migration.applied.is_empty() {
            tracing::info!(applied = ?migration.applied, backup = ?migration.pre_migration_backup, "database migrated");
        }
        Ok(AppCore { conn, paths, config, clock: Arc::from(clock), migration, jobs: Arc::default(), read_only })
    }

    /// On a full disk the database still opens for reading, when nothing committed waits in the write-ahead log
    /// and the schema is this version's (an upgrade needs space for its backup).
    fn read_only_fallback(paths: &AppPaths) -> Result<Connection> {
        let conn = crate::db::open_snapshot(&paths.db_path)?;
        if !crate::db::schema_state(&conn, &crate::db::embedded_migrations())?.pending.is_empty() {
            return Err(CoreError::IncompatibleDatabase("an upgrade is pending".into()));
        }
        tracing::warn!(database = %paths.db_path.display(), "the disk is full: the database is open read-only");
        Ok(conn)
    }

    /// Opens without migrating (`qgp migrate status`, diagnostics of an old database).
    pub fn open_unmigrated(paths: AppPaths) -> Result<(Connection, AppPaths, Config)> {
        let config = Config::load_or_create(&paths)?;
        let mut paths = paths;
        config.apply_to(&mut paths);
        if !paths.db_path.exists() {
            return Err(CoreError::NotFound(format!("There is no database at {} yet.", paths.db_path.display())));
        }
        Ok((crate::db::open_store(&paths)?, paths, config))
    }

    /// Runs one command as `actor` inside a span with a fresh request id, logging its name, duration and
    /// outcome (never its input or output). Errors come back as the envelope the UI shows.
    pub fn invoke(&mut self, actor: Option<Actor>, name: &str, input: Value) -> std::result::Result<Value, ErrorEnvelope> {
        self.invoke_with_progress(actor, name, input, crate::jobs::Progress::default())
    }

    /// As [`Self::invoke`], reporting progress to `progress` (the CLI prints phases of long commands).
    pub fn invoke_with_progress(
        &mut self,
        actor: Option<Actor>,
        name: &str,
        input: Value,
        progress: crate::jobs::Progress,
    ) -> std::result::Result<Value, ErrorEnvelope> {
        let request_id = crate::ids::new_id();
        let span = tracing::info_span!("command", command = name, request_id = %request_id);
        let _entered = span.enter();
        let started = Instant::now();
        let actor_id = actor.as_ref().map(|a| a.id.clone());
        let env = JobEnv { paths: self.paths.clone(), config: self.config.clone(), clock: self.clock.clone(), registry: self.jobs.clone() };
        let (clock, paths, config) = (self.clock.as_ref(), &self.paths, &self.config);
        let result = run_guarded(&mut self.conn, |conn| {
            Ctx::new(conn, clock, paths, config, actor, request_id.clone()).and_then(|mut ctx| {
                ctx.call.jobs = Some(env);
                ctx.call.progress = progress;
                crate::commands::dispatch(&mut ctx, name, input)
            })
        });
        let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        // Opened read-only because the disk is full: a write says so, not "attempt to write a readonly database".
        let result = match result {
            Err(e) if self.read_only.is_some() && crate::db::is_read_only_refusal(&e) => {
                Err(CoreError::Io(std::io::Error::new(std::io::ErrorKind::StorageFull, "the database is open read-only")))
            }
            other => other,
        };
        match result {
            Ok(value) => {
                tracing::info!(command = name, request_id = %request_id, actor_id = ?actor_id, duration_ms, outcome = "ok", "command finished");
                Ok(value)
            }
            Err(error) => {
                let envelope = error.into_envelope(&request_id);
                let fields: Vec<&str> = envelope.fields.iter().flatten().map(|f| f.field.as_str()).collect();
                match envelope.kind {
                    crate::error::ErrorKind::Database
                    | crate::error::ErrorKind::Io
                    | crate::error::ErrorKind::Internal
                    | crate::error::ErrorKind::DiskFull => {
                        tracing::error!(command = name, request_id = %request_id, duration_ms, outcome = "error", kind = ?envelope.kind, error = %envelope.message, "command failed")
                    }
                    _ => {
                        tracing::warn!(command = name, request_id = %request_id, duration_ms, outcome = "refused", kind = ?envelope.kind, fields = ?fields, "command refused")
                    }
                }
                Err(envelope)
            }
        }
    }
}

/// Runs one command so that a bug which panics fails that command only: whatever it had begun is rolled back and
/// the error reaches the user with its request id. Without this the panic unwound through the shell's lock on the
/// core, poisoning it, and every later command failed until the app was restarted.
pub fn run_guarded<T>(conn: &mut Connection, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut *conn))) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            // A transaction dropped during unwinding rolls back; one begun by hand (a read snapshot) may still be
            // open, and must not swallow the next command's writes.
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            tracing::error!(panic = %what, "a command stopped on an internal error; nothing it began was saved");
            Err(CoreError::Internal(
                "An internal error stopped this command; nothing it began was saved. Please send a support bundle (Health) with the request id.".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_command_fails_alone_and_leaves_nothing_behind() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (v TEXT)").unwrap();
        let result: Result<()> = run_guarded(&mut conn, |c| {
            c.execute_batch("BEGIN; INSERT INTO t VALUES ('half-done');")?;
            panic!("a bug");
        });
        assert!(matches!(result, Err(CoreError::Internal(_))), "{result:?}");
        assert!(conn.is_autocommit(), "the open transaction was rolled back");
        let rows: i64 = conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 0, "nothing the command began was kept");
        let next = run_guarded(&mut conn, |c| Ok(c.execute("INSERT INTO t VALUES ('next')", [])?));
        assert_eq!(next.unwrap(), 1, "the next command works");
    }
}
