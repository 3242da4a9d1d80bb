//! The one place that opens database connections, runs migrations and owns transactions.
//!
//! Every connection gets the same pragmas (WAL, synchronous=FULL, foreign keys, busy timeout). Use cases wrap
//! their writes in [`with_tx`]; repository functions take a `&Transaction` and never BEGIN or COMMIT.

use crate::error::{CoreError, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// How long a writer waits for another connection's lock before giving up.
pub const BUSY_TIMEOUT_MS: u32 = 5000;

/// Opens (creating if needed) the database file with every pragma set.
pub fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    init_connection(&conn)?;
    Ok(conn)
}

/// Opens the installation's own database: encrypted with its data key when it has one (SQLCipher), plain otherwise.
pub fn open_store(paths: &crate::paths::AppPaths) -> Result<Connection> {
    open_keyed(&paths.db_path, paths.data_key.as_deref())
}

/// Opens (creating if needed) a database file, encrypted with `key` when given, with every pragma set.
pub fn open_keyed(path: &Path, key: Option<&crate::keyring::DataKey>) -> Result<Connection> {
    let conn = Connection::open(path)?;
    if let Some(key) = key {
        apply_key(&conn, key)?;
    }
    init_connection(&conn)?;
    Ok(conn)
}

/// Gives SQLCipher the raw data key. It must come before anything reads the file; SQLCipher checks it only at the
/// first read, so one is made here and a wrong key is an error now, not on some later query.
fn apply_key(conn: &Connection, key: &crate::keyring::DataKey) -> Result<()> {
    // SQLCipher reports a failed page check on stderr by itself; the error below says it in words.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    conn.pragma_update(None, "key", &*key.sqlcipher_key())?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => Err(CoreError::Conflict(format!(
            "{} cannot be opened with this installation's key: it is damaged, or it belongs to another installation.",
            path_name(conn)
        ))),
        Err(e) => Err(e.into()),
    }
}

fn path_name(conn: &Connection) -> String {
    conn.path().unwrap_or("The database").to_owned()
}

/// Opens an existing database read-only (backups being verified, diagnostics of a foreign file).
pub fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into()))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Opens the database read-only without its WAL index, for when it cannot be opened normally: SQLite recreates the
/// index (`-shm`) at every first open, and a full disk cannot hold it. Refused while the write-ahead log holds
/// anything, since those committed transactions are not in the main file yet and this view would not show them.
pub fn open_snapshot(path: &Path) -> Result<Connection> {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(CoreError::Conflict(
            "The database has changes in its write-ahead log that need disk space to be read; free some space and try again.".into(),
        ));
    }
    // A URI, so that `immutable=1` can tell SQLite not to look for the WAL index at all.
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    let conn =
        Connection::open_with_flags(uri, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// True when `e` is what a full disk (or a disk that refuses writes) does to opening the database.
pub fn is_space_or_io_failure(e: &CoreError) -> bool {
    use rusqlite::ErrorCode::{CannotOpen, DiskFull, SystemIoFailure};
    match e {
        CoreError::Database(rusqlite::Error::SqliteFailure(f, _)) => matches!(f.code, DiskFull | SystemIoFailure | CannotOpen),
        CoreError::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    }
}

/// True when `e` is a write refused because the connection is read-only.
pub fn is_read_only_refusal(e: &CoreError) -> bool {
    matches!(e, CoreError::Database(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::ReadOnly)
}

/// An in-memory database with the same pragmas; for tests and benchmarks.
pub fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    init_connection(&conn)?;
    Ok(conn)
}

fn init_connection(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into()))?;
    // WAL + FULL: a committed transaction survives a crash or power cut at the cost of one fsync per commit.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // 32 MB of page cache (allocated as used) keeps register pages and indexes in memory across commands.
    conn.pragma_update(None, "cache_size", -32_000)?;
    // A create touches more than rusqlite's default 16 cached statements (row, children, reference, audit trail,
    // search triggers): with 16 they evicted each other and every row parsed its SQL again.
    conn.set_prepared_statement_cache_capacity(256);
    Ok(())
}

/// Runs `f` in an IMMEDIATE transaction: commits on `Ok`, rolls back on `Err`.
pub fn with_tx<T>(conn: &mut Connection, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
}

/// One migration known to this build of the app.
#[derive(Debug, Clone)]
pub struct KnownMigration {
    pub version: i64,
    pub name: String,
}

/// The migrations embedded in this build, oldest first.
pub fn embedded_migrations() -> Vec<refinery::Migration> {
    embedded::migrations::runner().get_migrations().clone()
}

/// Applied and pending migrations of a database, compared with what this build knows.
#[derive(Debug, Clone)]
pub struct SchemaState {
    pub applied: Vec<KnownMigration>,
    pub pending: Vec<KnownMigration>,
    pub newest_known: i64,
}

impl SchemaState {
    /// The highest applied version, 0 for a new database.
    pub fn current_version(&self) -> i64 {
        self.applied.iter().map(|m| m.version).max().unwrap_or(0)
    }
}

/// Reads which migrations are applied, without changing anything.
pub fn schema_state(conn: &Connection, known: &[refinery::Migration]) -> Result<SchemaState> {
    let has_history: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history')", [], |r| {
            r.get(0)
        })?;
    let applied = if has_history {
        let mut stmt = conn.prepare("SELECT version, name FROM refinery_schema_history ORDER BY version")?;
        let rows = stmt.query_map([], |r| Ok(KnownMigration { version: r.get(0)?, name: r.get(1)? }))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    } else {
        Vec::new()
    };
    let applied_versions: Vec<i64> = applied.iter().map(|m| m.version).collect();
    let pending = known
        .iter()
        .filter(|m| !applied_versions.contains(&i64::from(m.version())))
        .map(|m| KnownMigration { version: m.version().into(), name: m.name().to_owned() })
        .collect();
    let newest_known = known.iter().map(|m| i64::from(m.version())).max().unwrap_or(0);
    Ok(SchemaState { applied, pending, newest_known })
}

/// What [`migrate`] did.
#[derive(Debug, Clone, Default)]
pub struct MigrationOutcome {
    pub applied: Vec<String>,
    pub pre_migration_backup: Option<PathBuf>,
}

fn is_empty_database(conn: &Connection) -> Result<bool> {
    let tables: i64 =
        conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name <> 'refinery_schema_history'", [], |r| r.get(0))?;
    Ok(tables == 0)
}

/// Brings the schema up to date with `known`.
///
/// A database written by a newer app is refused untouched. Before migrating a non-empty database an online
/// backup is written to `backup_dir`; if a migration fails, that backup is restored and the error says so.
pub fn migrate(conn: &mut Connection, known: &[refinery::Migration], backup_dir: &Path, stamp: &str) -> Result<MigrationOutcome> {
    let state = schema_state(conn, known)?;
    if state.current_version() > state.newest_known {
        return Err(CoreError::IncompatibleDatabase(format!(
            "This database was written by a newer version of QGP Desktop (schema version {}; this version knows up to {}). \
             Install the newer version to open it. The database has not been changed.",
            state.current_version(),
            state.newest_known
        )));
    }
    if state.pending.is_empty() {
        return Ok(MigrationOutcome::default());
    }
    let mut outcome = MigrationOutcome::default();
    if !is_empty_database(conn)? {
        std::fs::create_dir_all(backup_dir)?;
        let path = backup_dir.join(format!("pre-migration-v{}-{stamp}.sqlite3", state.current_version()));
        conn.backup(rusqlite::MAIN_DB, &path, None::<fn(rusqlite::backup::Progress)>)?;
        outcome.pre_migration_backup = Some(path);
    }
    let runner = refinery::Runner::new(known).set_grouped(true).set_abort_divergent(true).set_abort_missing(true);
    match runner.run(conn) {
        Ok(report) => {
            outcome.applied = report.applied_migrations().iter().map(|m| m.to_string()).collect();
            Ok(outcome)
        }
        Err(e) => {
            let Some(backup) = &outcome.pre_migration_backup else {
                return Err(CoreError::Internal(format!("Setting up the new database failed: {e}")));
            };
            conn.restore(rusqlite::MAIN_DB, backup, None::<fn(rusqlite::backup::Progress)>)?;
            Err(CoreError::Internal(format!(
                "Upgrading the database failed ({e}). The copy taken before the upgrade ({}) was restored; your records are as they were.",
                backup.display()
            )))
        }
    }
}

/// Applies the embedded migrations; the normal start-up path.
pub fn migrate_embedded(conn: &mut Connection, backup_dir: &Path, stamp: &str) -> Result<MigrationOutcome> {
    migrate(conn, &embedded_migrations(), backup_dir, stamp)
}

/// Builds the schema of a new database up to `version` and no further: a restore recreates the schema its export
/// was written with, and the app's normal start-up migrates the rest.
pub fn migrate_new_to(conn: &mut Connection, known: &[refinery::Migration], version: i64) -> Result<()> {
    let target = i32::try_from(version).map_err(|_| CoreError::Internal(format!("schema version {version} out of range")))?;
    refinery::Runner::new(known).set_grouped(true).set_target(refinery::Target::Version(target)).run(conn)?;
    Ok(())
}

/// An in-memory database with every embedded migration applied; for tests.
pub fn migrated_in_memory() -> Result<Connection> {
    let mut conn = open_in_memory()?;
    embedded::migrations::runner().set_grouped(true).run(&mut conn)?;
    Ok(conn)
}
