//! `exports.database`: every table of the database as one JSON document, for migration and for reading the
//! records without the app. Tables in name order, rows in primary-key order, columns in schema order: the same
//! data and clock give the same bytes. Passphrase hashes stay out; search indexes (derived) stay out.

use super::ExportOutcome;
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::Result;
use crate::outfile::OutFile;
use crate::validate::{as_object, Input};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde_json::{Map, Value};
use std::io::Write;

/// Identifies the file format; bump `FORMAT_VERSION` when its shape changes.
pub const FORMAT: &str = "qgp-database-export";
pub const FORMAT_VERSION: u32 = 1;

/// Input of `exports.database`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseExportInput {
    /// Where to write (absolute, or relative to the exports folder); default `qgp-database-<date>.json`.
    pub path: Option<String>,
}

/// Columns never exported.
const SECRET_COLUMNS: &[(&str, &str)] = &[("users", "passphrase_hash")];

/// The tables exported: ordinary tables, not SQLite's own, not refinery's, not full-text indexes.
pub fn exported_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' \
         AND name <> 'refinery_schema_history' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
    )?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names)
}

fn order_by(conn: &Connection, table: &str) -> Result<String> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let mut pk: Vec<(i64, String)> =
        stmt.query_map([], |r| Ok((r.get::<_, i64>(5)?, r.get::<_, String>(1)?)))?.filter_map(|r| r.ok()).filter(|(k, _)| *k > 0).collect();
    pk.sort();
    Ok(if pk.is_empty() { "rowid".to_owned() } else { pk.into_iter().map(|(_, n)| n).collect::<Vec<_>>().join(", ") })
}

fn json_value(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(hex::encode(b)),
    }
}

/// `exports.database` (admin): the whole database as JSON.
pub fn export(ctx: &mut Ctx, input: Value) -> Result<ExportOutcome> {
    ctx.call.require(Capability::AdministerSystem)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let mut v = Input::new(map, &["path"]);
    let path = v.text("path", "File", 1, 4096, false);
    v.finish()?;
    let default_name = format!("qgp-database-{}.json", ctx.call.today());
    let path = crate::outfile::resolve(ctx.call.paths, path.as_deref(), &default_name, "json")?;
    let conn = ctx.conn();
    let tables = exported_tables(conn)?;
    let progress = ctx.call.progress.clone();
    progress.phase("Exporting tables", tables.len() as u64)?;
    let schema = crate::db::schema_state(conn, &crate::db::embedded_migrations())?.current_version();
    let installation: String = conn.query_row("SELECT id FROM installation", [], |r| r.get(0))?;
    let actor = ctx.call.actor()?;
    let header = serde_json::json!({
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "schemaVersion": schema,
        "installationId": installation,
        "exportedAt": ctx.call.now_text(),
        "exportedBy": actor.display_name,
        "appVersion": env!("CARGO_PKG_VERSION"),
    });
    let mut out = OutFile::create(&path)?;
    // Streamed table by table: a large database never sits in memory as one JSON value.
    let head = serde_json::to_string_pretty(&header)?;
    out.write_all(head.trim_end_matches('}').trim_end().as_bytes())?;
    out.write_all(b",\n  \"tables\": {")?;
    let mut rows_total = 0u64;
    // One read transaction: every table from the same moment.
    conn.execute_batch("BEGIN DEFERRED")?;
    let result = (|| -> Result<()> {
        for (t, table) in tables.iter().enumerate() {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY {}", order_by(conn, table)?))?;
            let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
            let keep: Vec<bool> = names.iter().map(|n| !SECRET_COLUMNS.contains(&(table.as_str(), n.as_str()))).collect();
            out.write_all(format!("{}\n    {}: [", if t == 0 { "" } else { "," }, serde_json::to_string(table)?).as_bytes())?;
            let mut rows = stmt.query([])?;
            let mut first = true;
            while let Some(row) = rows.next()? {
                let mut obj = Map::new();
                for (i, name) in names.iter().enumerate() {
                    if keep[i] {
                        obj.insert(name.clone(), json_value(row.get_ref(i)?));
                    }
                }
                out.write_all(if first { b"\n      " } else { b",\n      " })?;
                serde_json::to_writer(&mut out, &Value::Object(obj))?;
                first = false;
                rows_total += 1;
            }
            out.write_all(if first { b"]" } else { b"\n    ]" })?;
            progress.advance(1)?;
        }
        Ok(())
    })();
    conn.execute_batch("COMMIT")?;
    result?;
    out.write_all(b"\n  }\n}\n")?;
    let written = out.commit()?;
    tracing::info!(tables = tables.len(), rows = rows_total, "database exported");
    let details = vec![
        crate::audit_trail::Change::new("tables", Value::Null, Value::from(tables.len())),
        crate::audit_trail::Change::new("rows", Value::Null, Value::from(rows_total)),
    ];
    super::record_export(ctx, "database_export", &written.path, &written.sha256, None, details)?;
    Ok(super::outcome(&written, rows_total))
}
