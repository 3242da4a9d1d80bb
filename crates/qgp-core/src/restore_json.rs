//! Restore from a full JSON export (domain.md §1.11): a faithful copy of every record, sys fields, references and
//! audit trail included, into a new data directory. It is the other half of `exports.database` — the way to move
//! the records to another machine or to an app build that reads only the export — and it is separate from imports,
//! which create new records with new references.
//!
//! The copy is built under a temporary name and renamed into place only once every check passed: the file's format
//! and schema version, every table and column known, foreign keys, `integrity_check`, and the audit-trail chain
//! (an export whose trail does not verify has been altered and is refused). The export carries no passphrase
//! hashes, so the restoring administrator sets a new passphrase and every other profile needs one set by an
//! administrator (`users.reset_passphrase`) before it can sign in.

use crate::audit_trail::{append_stamped, verify_chain, AuditAction, Change, NewEvent, Stamp};
use crate::clock::Clock;
use crate::error::{CoreError, FieldCode, Result};
use crate::export::database::{FORMAT, FORMAT_VERSION};
use crate::paths::AppPaths;
use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::fmt;
use std::path::Path;

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreFromExportReport {
    pub database: String,
    pub schema_version: i64,
    pub installation_id: String,
    pub exported_at: String,
    pub tables: usize,
    pub rows: u64,
    pub audit_events_verified: u64,
    /// Emails of the profiles that need an administrator to set a passphrase before they can sign in.
    pub profiles_without_passphrase: Vec<String>,
    /// Evidence files the records name but the new data directory does not hold yet (copy the old `evidence`
    /// folder across; `qgp doctor` checks them).
    pub evidence_files_missing: u64,
}

/// Who restores: an active administrator in the export, and the new passphrase for that profile.
pub struct Restorer<'a> {
    pub email: &'a str,
    pub passphrase: &'a str,
}

/// Restores `file` into the (new, empty) data directory of `paths`.
pub fn restore(paths: &AppPaths, file: &Path, who: &Restorer, clock: &dyn Clock) -> Result<RestoreFromExportReport> {
    let passphrase = new_passphrase(who.passphrase)?;
    if paths.db_path.exists() && !is_empty_database(&paths.db_path)? {
        return Err(CoreError::Conflict(format!(
            "{} already holds a database. Restore into a new, empty data directory (--data-dir).",
            paths.db_path.display()
        )));
    }
    paths.ensure_dirs()?;
    let reader = std::fs::File::open(file)
        .map_err(|e| CoreError::field("file", FieldCode::NotFound, format!("Cannot read {}: {e}", file.display())))?;
    let temp = paths.db_path.with_extension("restoring");
    remove_database_files(&temp);
    let result = (|| {
        let mut conn = crate::db::open(&temp)?;
        let loaded = load(&mut conn, std::io::BufReader::with_capacity(1 << 20, reader))?;
        let report = finish(&mut conn, loaded, who.email, &passphrase, clock, paths, file)?;
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        drop(conn);
        Ok(report)
    })();
    match result {
        Ok(report) => {
            remove_database_files(&paths.db_path);
            std::fs::rename(&temp, &paths.db_path)?;
            remove_database_files(&temp);
            if let Some(dir) = paths.db_path.parent() {
                std::fs::File::open(dir)?.sync_all()?;
            }
            tracing::info!(rows = report.rows, tables = report.tables, "database restored from a JSON export");
            Ok(report)
        }
        Err(e) => {
            remove_database_files(&temp);
            Err(e)
        }
    }
}

fn new_passphrase(given: &str) -> Result<String> {
    let map = Map::from_iter([("passphrase".to_owned(), json!(given))]);
    let mut v = crate::validate::Input::new(&map, &["passphrase"]);
    let p = crate::users::normalised_passphrase(&mut v, "passphrase", "New passphrase");
    v.finish()?;
    crate::users::hash_passphrase(&p.unwrap_or_default())
}

fn is_empty_database(path: &Path) -> Result<bool> {
    let conn = crate::db::open_read_only(path)?;
    let tables: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'", [], |r| r.get(0))?;
    Ok(tables == 0)
}

fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// The export's header, read before its tables.
#[derive(Default)]
struct Header {
    format: Option<String>,
    format_version: Option<u64>,
    schema_version: Option<i64>,
    installation_id: Option<String>,
    exported_at: Option<String>,
}

struct Loaded {
    header: Header,
    tables: usize,
    rows: u64,
}

/// Streams the file into the new database: the header decides the schema, then each row is inserted as it is read
/// (a large export never sits in memory whole). Triggers are dropped for the load — the rows are already what the
/// app wrote, stamps and all — and made again in [`finish`], in the same transaction.
fn load(conn: &mut Connection, reader: impl std::io::Read) -> Result<Loaded> {
    let failure = RefCell::new(None);
    let state = RefCell::new(LoadState { conn, header: Header::default(), tables: 0, rows: 0, triggers: Vec::new(), begun: false });
    let mut de = serde_json::Deserializer::from_reader(reader);
    let outcome = (&mut de).deserialize_map(TopVisitor { state: &state, failure: &failure });
    let outcome = outcome.and_then(|()| de.end());
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }
    outcome
        .map_err(|e| CoreError::field("file", FieldCode::InvalidFormat, format!("The file is not a complete QGP database export: {e}")))?;
    let s = state.into_inner();
    if !s.begun {
        return Err(CoreError::field("file", FieldCode::InvalidFormat, "The file has no tables: it is not a QGP database export"));
    }
    // Search indexes are derived: built again from the rows. Then the triggers go back.
    let fts = texts(s.conn, "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")?;
    for name in &fts {
        s.conn.execute(&format!("INSERT INTO \"{name}\" (\"{name}\") VALUES ('rebuild')"), [])?;
    }
    for sql in &s.triggers {
        s.conn.execute_batch(sql)?;
    }
    let fk_problems: i64 = s.conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
    if fk_problems > 0 {
        return Err(CoreError::field(
            "file",
            FieldCode::Inconsistent,
            format!("{fk_problems} rows refer to records the export does not hold"),
        ));
    }
    // Committed into the temporary file only: a later failure deletes it, so the restore stays all-or-nothing.
    s.conn.execute_batch("COMMIT")?;
    Ok(Loaded { header: s.header, tables: s.tables, rows: s.rows })
}

struct LoadState<'c> {
    conn: &'c mut Connection,
    header: Header,
    tables: usize,
    rows: u64,
    triggers: Vec<String>,
    begun: bool,
}

impl LoadState<'_> {
    /// Checks the header, builds the schema the export was written with, and opens the load transaction.
    fn begin(&mut self) -> Result<()> {
        let h = &self.header;
        if h.format.as_deref() != Some(FORMAT) {
            return Err(CoreError::field(
                "file",
                FieldCode::InvalidFormat,
                format!("The file is not a QGP database export (format \"{FORMAT}\")"),
            ));
        }
        if h.format_version != Some(u64::from(FORMAT_VERSION)) {
            return Err(CoreError::field(
                "file",
                FieldCode::InvalidFormat,
                format!("Export format version {:?} is not one this app reads ({FORMAT_VERSION})", h.format_version),
            ));
        }
        let known = crate::db::embedded_migrations();
        let newest = known.iter().map(|m| i64::from(m.version())).max().unwrap_or(0);
        let version = h.schema_version.unwrap_or(0);
        if version < 1 || version > newest {
            return Err(CoreError::IncompatibleDatabase(format!(
                "The export has schema version {version}; this app reads 1 to {newest}. Restore it with the app version that wrote it, or newer."
            )));
        }
        // The schema as it was when exported; the app's normal start-up migrates the rest (with a backup first).
        crate::db::migrate_new_to(self.conn, &known, version)?;
        self.conn.execute_batch("BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON")?;
        let mut stmt = self.conn.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")?;
        let triggers =
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        for (name, sql) in triggers {
            self.conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
            self.triggers.push(sql);
        }
        self.begun = true;
        Ok(())
    }

    fn insert(&mut self, table: &str, row: Map<String, Value>) -> Result<()> {
        let mut columns: Vec<&str> = row.keys().map(String::as_str).collect();
        let mut values: Vec<SqlValue> = Vec::with_capacity(columns.len() + 1);
        for (column, v) in &row {
            values.push(match v {
                Value::Null => SqlValue::Null,
                Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => SqlValue::Integer(i),
                    None => SqlValue::Real(n.as_f64().unwrap_or_default()),
                },
                Value::String(s) => SqlValue::Text(s.clone()),
                _ => return Err(bad_row(table, self.rows, format!("column {column} holds a list or object"))),
            });
        }
        // Passphrase hashes are never exported; a profile without one cannot sign in until one is set.
        if table == "users" && !row.contains_key("passphrase_hash") {
            columns.push("passphrase_hash");
            values.push(SqlValue::Text(String::new()));
        }
        let sql = format!(
            "INSERT INTO \"{table}\" ({}) VALUES ({})",
            columns.iter().map(|c| format!("\"{}\"", c.replace('"', ""))).collect::<Vec<_>>().join(", "),
            (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| bad_row(table, self.rows, e.to_string()))?;
        stmt.execute(rusqlite::params_from_iter(values)).map_err(|e| bad_row(table, self.rows, e.to_string()))?;
        self.rows += 1;
        Ok(())
    }

    fn check_table(&self, table: &str) -> Result<()> {
        let known: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1 AND sql NOT LIKE 'CREATE VIRTUAL%')",
            [table],
            |r| r.get(0),
        )?;
        if known && !table.contains('"') {
            Ok(())
        } else {
            Err(CoreError::field("file", FieldCode::InvalidFormat, format!("The export has a table \"{table}\" that this schema does not")))
        }
    }
}

fn bad_row(table: &str, rows_before: u64, why: String) -> CoreError {
    CoreError::field("file", FieldCode::InvalidFormat, format!("Table {table}, row {} of the file: {why}", rows_before + 1))
}

/// Keeps the first typed error; serde only carries a message.
fn keep<E: de::Error>(failure: &RefCell<Option<CoreError>>, e: CoreError) -> E {
    let message = e.to_string();
    failure.borrow_mut().get_or_insert(e);
    E::custom(message)
}

struct TopVisitor<'s, 'c> {
    state: &'s RefCell<LoadState<'c>>,
    failure: &'s RefCell<Option<CoreError>>,
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a QGP database export (a JSON object)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let mut s = self.state.borrow_mut();
            match key.as_str() {
                "format" => s.header.format = Some(map.next_value()?),
                "formatVersion" => s.header.format_version = Some(map.next_value()?),
                "schemaVersion" => s.header.schema_version = Some(map.next_value()?),
                "installationId" => s.header.installation_id = Some(map.next_value()?),
                "exportedAt" => s.header.exported_at = Some(map.next_value()?),
                "tables" => {
                    s.begin().map_err(|e| keep(self.failure, e))?;
                    drop(s);
                    map.next_value_seed(TablesSeed { state: self.state, failure: self.failure })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct TablesSeed<'s, 'c> {
    state: &'s RefCell<LoadState<'c>>,
    failure: &'s RefCell<Option<CoreError>>,
}

impl<'de> DeserializeSeed<'de> for TablesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TablesSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of tables")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(table) = map.next_key::<String>()? {
            self.state.borrow().check_table(&table).map_err(|e| keep(self.failure, e))?;
            self.state.borrow_mut().tables += 1;
            map.next_value_seed(RowsSeed { table: &table, state: self.state, failure: self.failure })?;
        }
        Ok(())
    }
}

struct RowsSeed<'s, 'c> {
    table: &'s str,
    state: &'s RefCell<LoadState<'c>>,
    failure: &'s RefCell<Option<CoreError>>,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(row) = seq.next_element::<Map<String, Value>>()? {
            self.state.borrow_mut().insert(self.table, row).map_err(|e| keep(self.failure, e))?;
        }
        Ok(())
    }
}

/// Checks the copy, sets the restoring administrator's passphrase and records the restore in the audit trail.
fn finish(
    conn: &mut Connection,
    loaded: Loaded,
    email: &str,
    passphrase_hash: &str,
    clock: &dyn Clock,
    paths: &AppPaths,
    file: &Path,
) -> Result<RestoreFromExportReport> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let integrity: String = tx.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        return Err(CoreError::Internal(format!("The restored database fails its integrity check: {integrity}")));
    }
    let chain = verify_chain(&tx)?;
    if !chain.ok {
        return Err(CoreError::field(
            "file",
            FieldCode::Inconsistent,
            format!(
                "The export's audit trail does not verify (event {}: {}): the file has been altered since it was exported",
                chain.first_bad_seq.unwrap_or_default(),
                chain.problem.map(|p| format!("{p:?}")).unwrap_or_default()
            ),
        ));
    }
    let admin: Option<(String, String)> = tx
        .query_row(
            "SELECT id, display_name FROM users WHERE email = ?1 COLLATE NOCASE AND role = 'admin' AND archived_at IS NULL",
            [email.trim()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    let Some((admin_id, admin_name)) = admin else {
        return Err(CoreError::field(
            "user",
            FieldCode::NotFound,
            format!("The export has no active administrator with the email {email}"),
        ));
    };
    let now = crate::clock::format_instant(clock.now());
    tx.execute(
        "UPDATE users SET passphrase_hash = ?2, failed_sign_ins = 0, locked_until = NULL WHERE id = ?1",
        rusqlite::params![admin_id, passphrase_hash],
    )?;
    let installation: String = tx.query_row("SELECT id FROM installation", [], |r| r.get(0)).map_err(|_| {
        CoreError::field("file", FieldCode::InvalidFormat, "The export has no installation row: it is not a complete database export")
    })?;
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stamp = Stamp { actor_id: admin_id.clone(), actor_name: admin_name, request_id: crate::ids::new_id(), occurred_at: now };
    append_stamped(
        &tx,
        &stamp,
        NewEvent {
            entity_type: "database",
            entity_id: &installation,
            entity_reference: None,
            action: AuditAction::Restore,
            changes: vec![
                Change::new("restored_from", Value::Null, json!(file_name)),
                Change::new("exported_at", Value::Null, json!(loaded.header.exported_at)),
                Change::new("rows", Value::Null, json!(loaded.rows)),
            ],
            reason: Some("Restored from a full JSON export"),
        },
    )?;
    let profiles_without_passphrase =
        texts(&tx, "SELECT email FROM users WHERE passphrase_hash = '' AND archived_at IS NULL ORDER BY email")?;
    let hashes = texts(&tx, "SELECT DISTINCT sha256 FROM evidence_files")?;
    let evidence_files_missing = hashes.iter().filter(|h| !crate::evidence::stored_path(&paths.evidence_dir, h).exists()).count() as u64;
    tx.commit()?;
    Ok(RestoreFromExportReport {
        database: paths.db_path.display().to_string(),
        schema_version: loaded.header.schema_version.unwrap_or_default(),
        installation_id: loaded.header.installation_id.unwrap_or(installation),
        exported_at: loaded.header.exported_at.unwrap_or_default(),
        tables: loaded.tables,
        rows: loaded.rows,
        audit_events_verified: chain.events_checked.max(0) as u64,
        profiles_without_passphrase,
        evidence_files_missing,
    })
}

/// The first column of every row of `sql`.
fn texts(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let values = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(values)
}
