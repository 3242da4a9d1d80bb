//! Exports (issue 6): a register's current filtered view as CSV or XLSX, and the whole database as JSON.
//! The same data and clock give byte-identical files; every file is written atomically.

pub mod database;
pub mod formula;
pub mod table;

use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::outfile::OutFile;
use crate::validate::{as_object, Choice, Input};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use table::{Cell, CellKind, Column, RowReader};
use ts_rs::TS;

crate::choice_enum! {
    /// Spreadsheet formats.
    pub enum ExportFormat { Csv => "csv", Xlsx => "xlsx" }
}

/// Input of `exports.register`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisterExportInput {
    /// incidents, risks, actions, complaints or collisions
    pub register: String,
    pub format: ExportFormat,
    /// The list's filter, search, sort and archived choice, exactly as the register screen sends them.
    #[ts(type = "Record<string, unknown> | null")]
    pub filter: Option<Value>,
    /// Where to write (absolute, or relative to the exports folder); default `<register>-<date>.<format>`.
    pub path: Option<String>,
    /// Names, contact details, statements and injuries (domain.md §1.11); default false.
    pub include_personal_data: Option<bool>,
    /// Enumerations as their stored codes (`under_investigation`) for systems that read the file; default false:
    /// labels ("Under investigation") as people read them.
    pub codes: Option<bool>,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportOutcome {
    pub path: String,
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    pub sha256: String,
    /// What the reader should know about the file before handing it on (e.g. characters a report could not print).
    pub warnings: Vec<String>,
}

/// Outcome of a finished file: where it is, its size and fingerprint.
pub fn outcome(written: &crate::outfile::Committed, rows: u64) -> ExportOutcome {
    ExportOutcome {
        path: written.path.display().to_string(),
        rows,
        bytes: written.bytes,
        sha256: written.sha256.clone(),
        warnings: Vec::new(),
    }
}

/// Records that a file left the app (domain.md §1.8 `export`): who wrote it, when, which file by name and
/// SHA-256, and what it holds (`details`). One event per file, written after the file is complete, so the trail
/// names exactly the bytes that were handed on. `entity_type` says what kind of file it is (`register_export`,
/// `report`, `database_export`, `evidence_pack`, `support_bundle`); the entity id is the file's fingerprint.
pub fn record_export(
    ctx: &mut Ctx,
    entity_type: &str,
    path: &Path,
    sha256: &str,
    entity_reference: Option<&str>,
    details: Vec<crate::audit_trail::Change>,
) -> Result<()> {
    use crate::audit_trail::{Change, NewEvent};
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut changes = details;
    changes.push(Change::new("file", Value::Null, Value::String(file_name)));
    ctx.write(|tx, call| {
        crate::audit_trail::append(
            tx,
            call,
            NewEvent {
                entity_type,
                entity_id: sha256,
                entity_reference,
                action: crate::audit_trail::AuditAction::Export,
                changes,
                reason: None,
            },
        )
    })?;
    // What was handed on is anchored: the trail cannot later lose the events this file may be checked against.
    let now = ctx.call.now_text();
    crate::trail_anchor::record(ctx.conn(), ctx.call.paths, &now, false);
    Ok(())
}

/// The ids of a register's filtered, sorted view, through the register's own list use case (so the export holds
/// exactly what the screen shows). The typed page is read directly: turning 100,000 summaries into JSON only to
/// pick their ids out again cost a second and hundreds of megabytes.
pub fn view_ids(ctx: &mut Ctx, register: &str, filter: Value) -> Result<Vec<String>> {
    let filter = match filter {
        Value::Null => Value::Object(Default::default()),
        Value::Object(mut m) => {
            m.remove("page");
            m.remove("pageSize");
            Value::Object(m)
        }
        _ => return Err(CoreError::field("filter", FieldCode::InvalidFormat, "Filter must be an object")),
    };
    fn ids<T>(page: Result<crate::paging::Page<T>>, id: impl Fn(T) -> String) -> Result<Vec<String>> {
        Ok(page?.items.into_iter().map(id).collect())
    }
    crate::paging::unpaged(|| match register {
        "incidents" => ids(crate::incident::list(ctx, filter), |s| s.id),
        "risks" => ids(crate::risk::list(ctx, filter), |s| s.id),
        "actions" => ids(crate::action::list(ctx, filter), |s| s.id),
        "complaints" => ids(crate::complaint::list(ctx, filter), |s| s.id),
        "collisions" => ids(crate::collision::list(ctx, filter), |s| s.id),
        other => Err(CoreError::Internal(format!("'{other}' is not a register that exports"))),
    })
}

/// `exports.register`: the register's current view as CSV or XLSX.
pub fn register(ctx: &mut Ctx, input: Value) -> Result<ExportOutcome> {
    ctx.call.require(Capability::ExportData)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["register", "format", "filter", "path", "includePersonalData", "codes"]);
    let include_personal = v.boolean("includePersonalData", "Include personal data", false);
    let codes = v.boolean("codes", "Codes", false);
    let key = v.text("register", "Register", 1, 40, true).unwrap_or_default();
    let format = v.choice::<ExportFormat>("format", "Format", None);
    let path = v.text("path", "File", 1, 4096, false);
    let register = table::register(&key);
    if register.is_none() && !key.is_empty() {
        let keys: Vec<&str> = table::REGISTERS.iter().map(|r| r.key).collect();
        v.error("register", FieldCode::InvalidChoice, format!("Register must be one of: {} (got '{key}')", keys.join(", ")));
    }
    let filter = map.get("filter").cloned().unwrap_or(Value::Null);
    v.finish()?;
    let (Some(register), Some(format)) = (register, format) else {
        return Err(CoreError::field("format", FieldCode::Required, "Format is required"));
    };
    let default_name = format!("{}-{}.{}", register.key, ctx.call.today(), format.as_str());
    let path = crate::outfile::resolve(ctx.call.paths, path.as_deref(), &default_name, format.as_str())?;

    ctx.call.progress.phase("Reading the view", 0)?;
    let ids = view_ids(ctx, register.key, filter)?;
    let columns = table::columns_as(ctx.conn(), register, include_personal, codes)?;
    let mut reader = RowReader::new(ctx.conn(), register, &columns)?;
    let progress = ctx.call.progress.clone();
    progress.phase("Writing rows", ids.len() as u64)?;
    let sheet = Sheet { title: register.title, columns: &columns, zone: ctx.call.settings.zone(), created: ctx.call.now() };
    let author = ctx.call.actor()?.display_name.clone();
    // Rows are read here while another thread formats and writes them: on two cores the export takes about as long
    // as the slower half, not the sum. The bounded channel keeps memory flat; if the writer stops (an error, a
    // cancel) the reading stops with it.
    let written = std::thread::scope(|scope| {
        // Rows travel in batches: one hand-over per row cost more in thread wake-ups than the rows themselves.
        const BATCH: usize = 256;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Result<Vec<Cell>>>>(8);
        let (path, sheet, progress, author) = (&path, &sheet, &progress, &author);
        let writer = scope.spawn(move || {
            let rows = rx.into_iter().flatten();
            match format {
                ExportFormat::Csv => write_csv(path, sheet, rows, progress),
                ExportFormat::Xlsx => write_xlsx(path, sheet, rows, progress, author),
            }
        });
        for chunk in ids.chunks(BATCH) {
            let mut batch = Vec::with_capacity(chunk.len());
            let mut failed = false;
            for id in chunk {
                let row = reader.read(id, &columns);
                failed = row.is_err();
                batch.push(row);
                if failed {
                    break;
                }
            }
            if tx.send(batch).is_err() || failed {
                break;
            }
        }
        drop(tx);
        writer.join().unwrap_or_else(|_| Err(CoreError::Internal("the export writer stopped unexpectedly".into())))
    })?;
    tracing::info!(register = register.key, format = format.as_str(), rows = ids.len(), "register exported");
    drop(reader);
    use crate::audit_trail::Change;
    let details = vec![
        Change::new("register", Value::Null, Value::String(register.key.to_owned())),
        Change::new("format", Value::Null, Value::String(format.as_str().to_owned())),
        Change::new("rows", Value::Null, Value::from(ids.len())),
        Change::new("include_personal_data", Value::Null, Value::Bool(include_personal)),
        Change::new("codes", Value::Null, Value::Bool(codes)),
    ];
    record_export(ctx, "register_export", &written.path, &written.sha256, None, details)?;
    Ok(outcome(&written, ids.len() as u64))
}

/// What a sheet needs besides its rows.
pub struct Sheet<'a> {
    pub title: &'a str,
    pub columns: &'a [Column],
    pub zone: jiff::tz::TimeZone,
    pub created: jiff::Timestamp,
}

const PROGRESS_EVERY: u64 = 500;

/// CSV with a UTF-8 byte-order mark (so Excel reads accents), a header row, RFC 4180 quoting.
pub fn write_csv(
    path: &Path,
    sheet: &Sheet,
    rows: impl Iterator<Item = Result<Vec<Cell>>>,
    progress: &crate::jobs::Progress,
) -> Result<crate::outfile::Committed> {
    let mut out = OutFile::create(path)?;
    out.write_all(b"\xEF\xBB\xBF")?;
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(sheet.columns.iter().map(|c| c.header.as_str())).map_err(csv_error)?;
        for (i, row) in rows.enumerate() {
            let row = row?;
            w.write_record(row.iter().map(|cell| match cell {
                Cell::Text(t) => formula::escape(t).into_owned(),
                other => other.as_text(),
            }))
            .map_err(csv_error)?;
            if (i as u64 + 1) % PROGRESS_EVERY == 0 {
                progress.advance(PROGRESS_EVERY)?;
            }
        }
        w.flush()?;
    }
    out.commit()
}

fn csv_error(e: csv::Error) -> CoreError {
    CoreError::Io(std::io::Error::other(e.to_string()))
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> CoreError {
    CoreError::Io(std::io::Error::other(format!("The spreadsheet could not be written: {e}")))
}

/// An instant as the organisation's local date and time.
fn excel_datetime(text: &str, zone: &jiff::tz::TimeZone) -> Option<rust_xlsxwriter::ExcelDateTime> {
    let ts: jiff::Timestamp = text.parse().ok()?;
    let dt = ts.to_zoned_datetime(zone.clone()).datetime();
    rust_xlsxwriter::ExcelDateTime::from_ymd(dt.year() as u16, dt.month() as u8, dt.day() as u8)
        .ok()?
        .and_hms(dt.hour() as u16, dt.minute() as u8, dt.second() as f64)
        .ok()
}

fn excel_date(text: &str) -> Option<rust_xlsxwriter::ExcelDateTime> {
    let d: jiff::civil::Date = text.parse().ok()?;
    rust_xlsxwriter::ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
}

/// XLSX with typed cells (numbers, booleans, dates as dates), a bold frozen header row with filters, and column
/// widths fitted to the header and the first rows.
pub fn write_xlsx(
    path: &Path,
    sheet: &Sheet,
    rows: impl Iterator<Item = Result<Vec<Cell>>>,
    progress: &crate::jobs::Progress,
    author: &str,
) -> Result<crate::outfile::Committed> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    // Fast deflate: the sheet's XML is compressed after the last row, while the user waits. Level 2 (zlib-rs's
    // "fast" strategy) makes the file ~12 % larger than the default level; level 1 (static codes only) made it 50 %
    // larger.
    wb.set_zip_compression_level(2);
    let created = ExcelDateTime::from_timestamp(sheet.created.as_second()).map_err(xlsx_error)?;
    wb.set_properties(&DocProperties::new().set_title(sheet.title).set_author(author).set_creation_datetime(&created));
    let ws = wb.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
    ws.set_name(sheet.title.chars().take(31).collect::<String>()).map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    // The value stays exact; the quote prefix makes Excel and LibreOffice keep it as text even when edited.
    let literal = Format::new().set_quote_prefix();
    let mut widths: Vec<usize> = sheet.columns.iter().map(|c| c.header.chars().count() + 2).collect();
    for (c, column) in sheet.columns.iter().enumerate() {
        match column.kind {
            CellKind::Date => widths[c] = widths[c].max(12),
            CellKind::DateTime => widths[c] = widths[c].max(17),
            _ => {}
        }
    }
    // Widths must be set before rows stream out; they come from the header and the first rows, which are kept.
    const SAMPLE: usize = 200;
    let mut rows = rows.peekable();
    let mut head = Vec::new();
    while head.len() < SAMPLE {
        match rows.next() {
            Some(row) => head.push(row?),
            None => break,
        }
    }
    for row in &head {
        for (c, cell) in row.iter().enumerate() {
            if let (Cell::Text(t), Some(w)) = (cell, widths.get_mut(c)) {
                *w = (*w).max(t.chars().count().min(60) + 2);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w as f64).map_err(xlsx_error)?;
    }
    for (c, column) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, &column.header, &bold).map_err(xlsx_error)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let mut count: u32 = 0;
    for row in head.into_iter().map(Ok).chain(rows) {
        let row = row?;
        count += 1;
        for (c, (cell, column)) in row.iter().zip(sheet.columns).enumerate() {
            let c = c as u16;
            match (cell, column.kind) {
                (Cell::Empty, _) => continue,
                (Cell::Integer(i), _) => ws.write_number(count, c, *i as f64),
                (Cell::Number(n), _) => ws.write_number(count, c, *n),
                (Cell::Boolean(b), _) => ws.write_boolean(count, c, *b),
                (Cell::Text(t), CellKind::Date) => match excel_date(t) {
                    Some(d) => ws.write_datetime_with_format(count, c, &d, &date),
                    None => ws.write_string(count, c, t),
                },
                (Cell::Text(t), CellKind::DateTime) => match excel_datetime(t, &sheet.zone) {
                    Some(d) => ws.write_datetime_with_format(count, c, &d, &datetime),
                    None => ws.write_string(count, c, t),
                },
                (Cell::Text(t), _) if formula::needs_escape(t) => ws.write_string_with_format(count, c, t, &literal),
                (Cell::Text(t), _) => ws.write_string(count, c, t),
            }
            .map(|_| ())
            .map_err(xlsx_error)?;
        }
        if u64::from(count) % PROGRESS_EVERY == 0 {
            progress.advance(PROGRESS_EVERY)?;
        }
    }
    if !sheet.columns.is_empty() {
        ws.autofilter(0, 0, count, sheet.columns.len() as u16 - 1).map_err(xlsx_error)?;
    }
    progress.phase("Compressing the workbook", 0)?;
    let mut out = OutFile::create(path)?;
    wb.save_to_writer(&mut out).map_err(xlsx_error)?;
    out.commit()
}
