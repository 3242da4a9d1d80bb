//! Investigation queries. Reads take `&Connection`, writes take `&Transaction`; nothing here begins or commits.

use super::model::*;
use crate::error::Result;
use crate::paging::{sql_direction, PageRequest, SortDirection};
use crate::rowmap;
use crate::sqlfilter::Filters;
use rusqlite::{Connection, OptionalExtension, Transaction};

/// Inserts a new investigation row.
pub fn insert(tx: &Transaction, record: &InvestigationRecord) -> Result<()> {
    rowmap::insert(tx, "investigations", &rowmap::to_columns(record)?)
}

/// One investigation by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<InvestigationRecord>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM investigations WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    Ok(stmt.query_row([id], |r| rowmap::from_row(r, &kinds)).optional()?)
}

/// The id of the investigation with a reference.
pub fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT id FROM investigations WHERE reference = ?1")?.query_row([reference], |r| r.get(0)).optional()?)
}

/// References of a subject's investigations that are not closed (C-1), archived ones included so that archiving
/// cannot be used to close the subject.
pub fn open_references(conn: &Connection, subject: SubjectType, subject_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT reference FROM investigations WHERE subject_type = ?1 AND subject_id = ?2 AND status <> 'closed' ORDER BY reference",
    )?;
    let rows = stmt.query_map([subject.to_string(), subject_id.to_owned()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// True when an investigation of the subject is completed or closed.
pub fn any_completed(conn: &Connection, subject: SubjectType, subject_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM investigations WHERE subject_type = ?1 AND subject_id = ?2 AND status IN ('completed', 'closed')
             AND archived_at IS NULL LIMIT 1",
        )?
        .query_row([subject.to_string(), subject_id.to_owned()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// References of non-terminal actions raised from any investigation of the subject (C-1).
pub fn open_action_references(conn: &Connection, subject: SubjectType, subject_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.reference FROM actions a JOIN investigations v ON a.source_type = 'investigation' AND a.source_id = v.id
         WHERE v.subject_type = ?1 AND v.subject_id = ?2 AND {} ORDER BY a.reference",
        crate::action::rules::NON_TERMINAL_SQL
    ))?;
    let rows = stmt.query_map([subject.to_string(), subject_id.to_owned()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// A record with the display name of its owner or lead.
pub type Named<T> = (T, Option<String>);

/// Filters of the investigation register, validated.
#[derive(Debug, Default, Clone)]
pub struct InvestigationFilter {
    pub statuses: Vec<InvestigationStatus>,
    pub subject_types: Vec<SubjectType>,
    pub subject_id: Option<String>,
    pub lead_ids: Vec<String>,
    pub overdue: Option<bool>,
}

/// Sort fields the register accepts.
pub const SORTS: &[&str] = &["createdAt", "reference", "targetCompletionDate", "status", "title"];

/// One page of investigations with their leads' names, and the total.
pub fn list(conn: &Connection, f: &InvestigationFilter, page: &PageRequest, today: &str) -> Result<(Vec<Named<InvestigationRecord>>, i64)> {
    let mut q = Filters::new(page.archived_sql("v"));
    q.any_of("v.status", "st", &f.statuses.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("v.subject_type", "sub", &f.subject_types.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("v.lead_investigator_id", "lead", &f.lead_ids);
    if let Some(id) = &f.subject_id {
        let key = q.bind("subject_id", id.clone());
        q.push(format!("v.subject_id = {key}"));
    }
    if f.overdue.is_some() {
        q.bind("today", today.to_owned());
    }
    q.tri_state(f.overdue, "v.status IN ('open', 'in_progress') AND v.target_completion_date < :today");
    if let Some(text) = page.search.as_deref().and_then(crate::paging::fts_query) {
        let key = q.bind("search", text);
        q.push(format!("v.rowid IN (SELECT rowid FROM investigations_fts WHERE investigations_fts MATCH {key})"));
    }
    let where_sql = q.sql();
    let params = q.params();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM investigations v WHERE {where_sql}"))?
        .query_row(params.as_slice(), |r| r.get(0))?;
    let dir = |d: SortDirection| sql_direction(page.direction.unwrap_or(d));
    let order = match page.sort.as_deref() {
        Some("reference") => format!("v.reference {}", dir(SortDirection::Desc)),
        Some("targetCompletionDate") => format!("v.target_completion_date IS NULL, v.target_completion_date {}", dir(SortDirection::Asc)),
        Some("status") => format!("v.status {}", dir(SortDirection::Asc)),
        Some("title") => format!("v.title COLLATE NOCASE {}", dir(SortDirection::Asc)),
        _ => format!("v.created_at {}", dir(SortDirection::Desc)),
    };
    let (limit, offset) = page.limit_offset();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT v.*, u.display_name AS lead_name FROM investigations v LEFT JOIN users u ON u.id = v.lead_investigator_id
         WHERE {where_sql} ORDER BY {order}, v.id ASC LIMIT {limit} OFFSET {offset}"
    ))?;
    let kinds = rowmap::column_kinds(&stmt);
    let rows = stmt.query_map(params.as_slice(), |r| {
        Ok((rowmap::from_row::<InvestigationRecord>(r, &kinds)?, r.get::<_, Option<String>>("lead_name")?))
    })?;
    Ok((rows.collect::<rusqlite::Result<Vec<_>>>()?, total))
}
