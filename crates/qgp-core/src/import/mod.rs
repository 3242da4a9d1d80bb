//! Imports (issue 6): incidents, risks, actions, complaints and collisions from CSV or XLSX. Columns are mapped to
//! fields (suggested from the headers, remembered per register), every row goes through the register's own create
//! rules inside one transaction, and the dry run is that very transaction rolled back: what the preview lists is
//! exactly what the import would refuse. All or nothing: one bad row and nothing is written.

mod deferred_index;
mod read;

use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::export::table::{self, CellKind};
use crate::validate::{as_object, Input};
use rusqlite::{OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use ts_rs::TS;

/// Input of `imports.preview` and `imports.run`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ImportInput {
    pub register: Option<String>,
    /// The file's name (its extension says CSV or XLSX).
    pub file_name: Option<String>,
    /// The file's bytes, base64 (from the app).
    pub content_base64: Option<String>,
    /// Or a path to read (from the CLI).
    pub path: Option<String>,
    /// File column header → field key ("" leaves a column out). Default: the remembered or suggested mapping.
    pub mapping: Option<BTreeMap<String, String>>,
}

/// A field a column can fill.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportField {
    pub key: String,
    pub label: String,
    pub required: bool,
}

/// One refused row.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: u32,
    /// The file column at fault (empty when the problem is the row as a whole).
    pub column: String,
    pub message: String,
}

/// What a preview or an import found and did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcome {
    pub register: String,
    pub columns: Vec<String>,
    pub fields: Vec<ImportField>,
    pub mapping: BTreeMap<String, String>,
    pub rows: u32,
    pub errors: Vec<RowError>,
    /// Worth a look but not refused: a legacy reference repeated within the file (domain.md §1.11).
    pub warnings: Vec<RowError>,
    /// True once the records are written (never for a preview, never with errors).
    pub committed: bool,
    /// References given to the imported records.
    pub references: Vec<String>,
}

struct Target {
    key: &'static str,
    /// What creating one record of this register needs.
    capability: Capability,
    create: fn(&Transaction, &Call, &Map<String, Value>) -> Result<String>,
    /// Field keys the import offers, beyond the register's FIELD_KEYS.
    extra: &'static [&'static str],
    fields: &'static [&'static str],
    required: &'static [&'static str],
}

fn targets() -> [Target; 5] {
    [
        Target {
            key: "incidents",
            capability: Capability::CreateIncidents,
            create: |tx, call, m| crate::incident::create_in(tx, call, m).map(|r| r.reference),
            extra: &["people"],
            fields: crate::incident::model::FIELD_KEYS,
            required: &["title", "description", "incidentDate", "severity"],
        },
        Target {
            key: "risks",
            capability: Capability::CreateRisks,
            create: |tx, call, m| crate::risk::create_in(tx, call, m).map(|r| r.reference),
            extra: &["likelihood", "impact"],
            fields: crate::risk::model::FIELD_KEYS,
            required: &["title", "category", "likelihood", "impact"],
        },
        Target {
            key: "actions",
            capability: Capability::CreateActions,
            create: |tx, call, m| crate::action::create_in(tx, call, m).map(|r| r.reference),
            extra: &["sourceType", "sourceReference"],
            fields: crate::action::model::FIELD_KEYS,
            required: &["title", "ownerId", "dueDate", "sourceType", "sourceReference"],
        },
        Target {
            key: "complaints",
            capability: Capability::CreateIncidents,
            create: |tx, call, m| crate::complaint::create_in(tx, call, m).map(|r| r.reference),
            extra: &[],
            fields: crate::complaint::model::FIELD_KEYS,
            required: &["title", "complainantName", "receivedDate"],
        },
        Target {
            key: "collisions",
            capability: Capability::CreateIncidents,
            create: |tx, call, m| crate::collision::create_in(tx, call, m).map(|r| r.reference),
            extra: &["thirdParties"],
            fields: crate::collision::model::FIELD_KEYS,
            required: &["title", "collisionDate", "location"],
        },
    ]
}

fn snake(key: &str) -> String {
    crate::rowmap::camel_to_snake(key)
}

/// The label a field shows (and the header its export uses).
fn field_label(register: &table::Register, key: &str) -> String {
    match key {
        "people" | "controls" | "thirdParties" => {
            register.children.iter().find(|c| c.name == key).map(|c| c.header.to_owned()).unwrap_or_else(|| table::humanise(&snake(key)))
        }
        "sourceReference" => "Source reference".into(),
        k => table::humanise(&snake(k)),
    }
}

fn normalise(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Suggested mapping: a header matches a field by label, key or column name, ignoring case, spaces and punctuation.
/// "Reference" (the other system's, or ours in an export) fills the legacy reference when the file has no
/// legacy-reference column with values.
fn suggest(fields: &[ImportField], columns: &[String], rows: &[Vec<String>]) -> BTreeMap<String, String> {
    let mut mapping = BTreeMap::new();
    for (i, col) in columns.iter().enumerate() {
        let n = normalise(col);
        // "Investigator" (an export's header for a person) also finds `investigatorId`.
        let with_id = format!("{n}id");
        let hit = fields.iter().find(|f| {
            let key = normalise(&f.key);
            normalise(&f.label) == n || key == n || normalise(&snake(&f.key)) == n || key == with_id
        });
        let key = match hit {
            Some(f) if f.key == "legacyReference" && rows.iter().all(|r| r.get(i).is_none_or(|v| v.trim().is_empty())) => String::new(),
            Some(f) => f.key.clone(),
            None if n == "reference" => "legacyReference".into(),
            None => String::new(),
        };
        mapping.insert(col.clone(), key);
    }
    // Only one column per field: the first wins, except that a filled "Legacy reference" beats "Reference".
    let mut seen = HashSet::new();
    let order: Vec<String> = {
        let mut cols: Vec<String> = columns.to_vec();
        cols.sort_by_key(|c| if normalise(c) == "reference" { 1 } else { 0 });
        cols
    };
    for col in order {
        if let Some(key) = mapping.get_mut(&col) {
            if !key.is_empty() && !seen.insert(key.clone()) {
                key.clear();
            }
        }
    }
    mapping
}

fn remembered(conn: &rusqlite::Connection, register: &str) -> Result<Option<BTreeMap<String, String>>> {
    let text: Option<String> =
        conn.query_row("SELECT mapping FROM import_mappings WHERE register = ?1", [register], |r| r.get(0)).optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// A cell's text as the field expects it: booleans, numbers, people and choices in the forms the create rules take.
fn convert(tx: &Transaction, kind: CellKind, key: &str, raw: &str) -> std::result::Result<Option<Value>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    Ok(Some(match kind {
        CellKind::Boolean => match raw.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Value::Bool(true),
            "false" | "no" | "n" | "0" => Value::Bool(false),
            _ => return Err(format!("'{raw}' is not yes or no")),
        },
        CellKind::Integer => match raw.parse::<f64>() {
            Ok(n) if n.fract() == 0.0 => Value::from(n as i64),
            _ => return Err(format!("'{raw}' is not a whole number")),
        },
        CellKind::Number => match raw.parse::<f64>() {
            Ok(n) => Value::from(n),
            Err(_) => return Err(format!("'{raw}' is not a number")),
        },
        CellKind::Date => Value::String(read::date(raw).ok_or_else(|| format!("'{raw}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"))?),
        CellKind::Person => {
            let email = match (raw.rfind('<'), raw.rfind('>')) {
                (Some(a), Some(b)) if b > a => raw[a + 1..b].trim().to_owned(),
                _ => raw.to_owned(),
            };
            let id: Option<String> = tx
                .query_row(
                    "SELECT id FROM users WHERE lower(email) = lower(?1) OR (display_name = ?1 AND (SELECT COUNT(*) FROM users WHERE display_name = ?1) = 1)",
                    [&email],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| e.to_string())?;
            Value::String(id.ok_or_else(|| format!("no profile has the email or name '{email}'"))?)
        }
        CellKind::Json => serde_json::from_str(raw).map_err(|_| format!("'{key}' must be a JSON list as the export writes it"))?,
        _ => Value::String(raw.to_owned()),
    }))
}

/// Stored choice values are snake_case; a file may say "Near miss".
fn as_choice(raw: &str) -> String {
    raw.trim().to_lowercase().replace([' ', '-'], "_")
}

struct Prepared {
    register: &'static table::Register,
    target: Target,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    fields: Vec<ImportField>,
    mapping: BTreeMap<String, String>,
    kinds: BTreeMap<String, CellKind>,
}

fn prepare(ctx: &mut Ctx, input: Value) -> Result<Prepared> {
    ctx.call.require(Capability::ViewRecords)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["register", "fileName", "contentBase64", "path", "mapping"]);
    let key = v.text("register", "Register", 1, 40, true).unwrap_or_default();
    let file_name = v.text("fileName", "File", 1, 255, false);
    let content = v.text("contentBase64", "File", 1, usize::MAX, false);
    let path = v.text("path", "File", 1, 4096, false);
    let target = targets().into_iter().find(|t| t.key == key);
    if target.is_none() && !key.is_empty() {
        v.error(
            "register",
            FieldCode::InvalidChoice,
            format!("Register must be one of: incidents, risks, actions, complaints, collisions (got '{key}')"),
        );
    }
    if content.is_none() && path.is_none() {
        v.error("fileName", FieldCode::Required, "Choose a CSV or XLSX file");
    }
    let mapping: Option<BTreeMap<String, String>> = match map.get("mapping") {
        None | Some(Value::Null) => None,
        Some(m) => match serde_json::from_value(m.clone()) {
            Ok(m) => Some(m),
            Err(_) => {
                v.error("mapping", FieldCode::InvalidFormat, "Mapping must pair each column with a field");
                None
            }
        },
    };
    v.finish()?;
    let target = target.ok_or_else(|| CoreError::field("register", FieldCode::Required, "Register is required"))?;
    ctx.call.require(target.capability)?;
    let register = table::register(target.key).ok_or_else(|| CoreError::Internal("register without a table".into()))?;
    // The same limit as an attached file (setting max_file_bytes): a file is checked before it is read whole.
    let max = ctx.call.settings.max_file_bytes;
    let too_large = |field: &str| {
        CoreError::field(field, FieldCode::TooLong, format!("The file is larger than the import limit ({} MB)", max / 1_048_576))
    };
    let (name, bytes) = match (content, path) {
        (Some(c), _) => {
            if (c.len() as u64 / 4) * 3 > max {
                return Err(too_large("contentBase64"));
            }
            let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, c.as_bytes())
                .map_err(|_| CoreError::field("contentBase64", FieldCode::InvalidFormat, "The file could not be read"))?;
            (file_name.unwrap_or_default(), bytes)
        }
        (None, Some(p)) => {
            let unreadable = |e: std::io::Error| CoreError::field("path", FieldCode::NotFound, format!("{p} could not be read: {e}"));
            if std::fs::metadata(&p).map_err(unreadable)?.len() > max {
                return Err(too_large("path"));
            }
            (p.clone(), std::fs::read(&p).map_err(unreadable)?)
        }
        _ => unreachable!("checked above"),
    };
    ctx.call.progress.phase("Reading the file", 0)?;
    let (columns, rows) = read::table(&name, &bytes)?;
    let export_columns = table::columns(ctx.conn(), register, true)?;
    let mut kinds = BTreeMap::new();
    let mut fields = Vec::new();
    for k in target.fields.iter().chain(target.extra) {
        if kinds.contains_key(*k) {
            continue; // a register's own field keys may already include the extra one
        }
        let col = snake(k);
        let kind = export_columns.iter().find(|c| c.name == col || c.name == *k).map(|c| c.kind).unwrap_or(match *k {
            "likelihood" | "impact" => CellKind::Integer,
            _ => CellKind::Text,
        });
        kinds.insert((*k).to_owned(), kind);
        fields.push(ImportField { key: (*k).to_owned(), label: field_label(register, k), required: target.required.contains(k) });
    }
    let mapping = match mapping {
        Some(m) => m,
        None => {
            let suggested = suggest(&fields, &columns, &rows);
            match remembered(ctx.conn(), target.key)? {
                // A remembered mapping applies to the columns this file has; new columns get suggestions.
                Some(old) => columns.iter().map(|c| (c.clone(), old.get(c).cloned().unwrap_or_else(|| suggested[c].clone()))).collect(),
                None => suggested,
            }
        }
    };
    let mut problems = Vec::new();
    for (col, key) in &mapping {
        if !key.is_empty() && !fields.iter().any(|f| &f.key == key) {
            problems.push(crate::error::FieldError {
                field: format!("mapping.{col}"),
                code: FieldCode::InvalidChoice,
                message: format!("{col}: there is no field '{key}'"),
            });
        }
    }
    for f in fields.iter().filter(|f| f.required) {
        if !mapping.values().any(|k| k == &f.key) {
            problems.push(crate::error::FieldError {
                field: format!("mapping.{}", f.key),
                code: FieldCode::Required,
                message: format!("No column is mapped to {}, which is required", f.label),
            });
        }
    }
    if !problems.is_empty() {
        return Err(CoreError::validation(problems));
    }
    Ok(Prepared { register, target, columns, rows, fields, mapping, kinds })
}

/// Runs every row through the register's create rules inside `tx`; returns references and row errors.
fn apply(tx: &Transaction, call: &Call, p: &Prepared) -> Result<(Vec<String>, Vec<RowError>, Vec<RowError>)> {
    let by_field: BTreeMap<&str, &str> = p.mapping.iter().filter(|(_, k)| !k.is_empty()).map(|(c, k)| (k.as_str(), c.as_str())).collect();
    let index: BTreeMap<&str, usize> = p.columns.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut references = Vec::new();
    let mut legacy_seen: HashSet<String> = HashSet::new();
    let legacy_sql = format!("SELECT 1 FROM {} WHERE legacy_reference = ?1", p.register.table);
    call.progress.phase("Checking rows", p.rows.len() as u64)?;
    for (n, row) in p.rows.iter().enumerate() {
        let row_no = n as u32 + 2;
        let mut map = Map::new();
        let mut row_errors = Vec::new();
        for (key, col) in &by_field {
            let raw = index.get(col).and_then(|i| row.get(*i)).map(String::as_str).unwrap_or("");
            match convert(tx, p.kinds[*key], key, raw) {
                Ok(Some(v)) => {
                    map.insert((*key).to_owned(), v);
                }
                Ok(None) => {}
                Err(message) => row_errors.push(RowError { row: row_no, column: (*col).to_owned(), message }),
            }
        }
        if let Some(legacy) = map.get("legacyReference").and_then(Value::as_str) {
            let col = by_field.get("legacyReference").copied().unwrap_or_default().to_owned();
            if !legacy_seen.insert(legacy.to_owned()) {
                warnings.push(RowError {
                    row: row_no,
                    column: col,
                    message: format!("legacy reference {legacy} appears more than once in the file"),
                });
            } else if tx.prepare_cached(&legacy_sql)?.query_row([legacy], |_| Ok(())).optional()?.is_some() {
                row_errors.push(RowError {
                    row: row_no,
                    column: col,
                    message: format!("legacy reference {legacy} is already in the register"),
                });
            }
        }
        if p.target.key == "actions" {
            resolve_source(tx, &mut map, by_field.get("sourceReference").copied().unwrap_or_default(), row_no, &mut row_errors)?;
        }
        if row_errors.is_empty() {
            match create_row(tx, call, p, &mut map) {
                Ok(reference) => references.push(reference),
                Err(CoreError::Validation { fields, .. }) => {
                    for f in fields {
                        let top = f.field.split(['.', '[']).next().unwrap_or_default().to_owned();
                        let column = by_field.get(top.as_str()).map(|c| (*c).to_owned()).unwrap_or_default();
                        row_errors.push(RowError { row: row_no, column, message: f.message });
                    }
                }
                Err(e) => return Err(e),
            }
        }
        errors.extend(row_errors);
        if (n + 1) % 200 == 0 {
            call.progress.advance(200)?;
        }
    }
    Ok((references, errors, warnings))
}

/// Creates one row; a choice given in words ("Near miss") is retried as its stored value (`near_miss`).
fn create_row(tx: &Transaction, call: &Call, p: &Prepared, map: &mut Map<String, Value>) -> Result<String> {
    match (p.target.create)(tx, call, map) {
        Err(CoreError::Validation { fields, message }) => {
            let mut changed = false;
            for f in fields.iter().filter(|f| f.code == FieldCode::InvalidChoice) {
                if let Some(Value::String(s)) = map.get_mut(&f.field) {
                    let c = as_choice(s);
                    if c != *s {
                        *s = c;
                        changed = true;
                    }
                }
            }
            if changed {
                (p.target.create)(tx, call, map)
            } else {
                Err(CoreError::Validation { fields, message })
            }
        }
        other => other,
    }
}

/// An action's source is named by its reference (ours or the legacy one) in the file.
fn resolve_source(tx: &Transaction, map: &mut Map<String, Value>, column: &str, row: u32, errors: &mut Vec<RowError>) -> Result<()> {
    let Some(reference) = map.remove("sourceReference").and_then(|v| v.as_str().map(str::to_owned)) else { return Ok(()) };
    let kind = map.get("sourceType").and_then(Value::as_str).map(as_choice).unwrap_or_default();
    let table = match kind.as_str() {
        "incident" => "incidents",
        "risk" => "risks",
        "complaint" => "complaints",
        "collision" => "collisions",
        "finding" => "findings",
        "investigation" => "investigations",
        _ => return Ok(()),
    };
    map.insert("sourceType".into(), Value::String(kind.clone()));
    let id: Option<String> = tx
        .query_row(&format!("SELECT id FROM {table} WHERE reference = ?1 OR legacy_reference = ?1"), [&reference], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => {
            map.insert("sourceId".into(), Value::String(id));
        }
        None => errors.push(RowError { row, column: column.to_owned(), message: format!("no {kind} has the reference {reference}") }),
    }
    Ok(())
}

fn outcome(p: &Prepared, references: Vec<String>, (errors, warnings): (Vec<RowError>, Vec<RowError>), committed: bool) -> ImportOutcome {
    ImportOutcome {
        register: p.target.key.to_owned(),
        columns: p.columns.clone(),
        fields: p.fields.clone(),
        mapping: p.mapping.clone(),
        rows: p.rows.len() as u32,
        errors,
        warnings,
        committed,
        references,
    }
}

/// Applies the file in one transaction, committing only when `commit` and no row failed.
type Attempt = (Vec<String>, (Vec<RowError>, Vec<RowError>), bool);

fn attempt(ctx: &mut Ctx, p: &Prepared, commit: bool) -> Result<Attempt> {
    let mut result = None;
    let outcome = ctx.write(|tx, call| {
        let index = deferred_index::DeferredIndex::begin(tx, p.register.table)?;
        let (references, errors, warnings) = apply(tx, call, p)?;
        let keep = commit && errors.is_empty();
        if keep {
            index.finish(tx)?;
            tx.execute(
                "INSERT INTO import_mappings (register, mapping, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (register) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                rusqlite::params![p.target.key, serde_json::to_string(&p.mapping)?, call.now_text(), call.actor()?.id],
            )?;
        }
        result = Some((references, (errors, warnings)));
        if keep {
            Ok(())
        } else {
            // Rolling back is the point: a preview, or a file with bad rows, writes nothing.
            Err(CoreError::Cancelled("rolled back".into()))
        }
    });
    match (outcome, result) {
        (Ok(()), Some((r, e))) => Ok((r, e, true)),
        (Err(CoreError::Cancelled(_)), Some((r, e))) => Ok((r, e, false)),
        (Err(e), _) => Err(e),
        (Ok(()), None) => Err(CoreError::Internal("import finished without a result".into())),
    }
}

/// `imports.preview`: the dry run. Every row is checked by the create rules in a transaction that is rolled back;
/// `references` are those the records would get if imported now.
pub fn preview(ctx: &mut Ctx, input: Value) -> Result<ImportOutcome> {
    let p = prepare(ctx, input)?;
    let (references, problems, _) = attempt(ctx, &p, false)?;
    Ok(outcome(&p, if problems.0.is_empty() { references } else { Vec::new() }, problems, false))
}

/// `imports.run`: all or nothing. With any row error nothing is written and the errors come back.
pub fn run(ctx: &mut Ctx, input: Value) -> Result<ImportOutcome> {
    let p = prepare(ctx, input)?;
    let (references, problems, committed) = attempt(ctx, &p, true)?;
    tracing::info!(register = p.target.key, rows = p.rows.len(), committed, errors = problems.0.len(), "import finished");
    Ok(outcome(&p, if committed { references } else { Vec::new() }, problems, committed))
}
