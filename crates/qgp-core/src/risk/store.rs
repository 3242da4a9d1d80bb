//! Risk queries. Reads take `&Connection`, writes take `&Transaction`; nothing here begins or commits.

use super::model::*;
use crate::error::Result;
use crate::paging::{sql_direction, PageRequest, SortDirection};
use crate::rowmap;
use crate::sqlfilter::Filters;
use rusqlite::{Connection, OptionalExtension, Transaction};

/// Inserts a new risk row.
pub fn insert(tx: &Transaction, record: &RiskRecord) -> Result<()> {
    rowmap::insert(tx, "risks", &rowmap::to_columns(record)?)
}

/// One risk by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<RiskRecord>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM risks WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    Ok(stmt.query_row([id], |r| rowmap::from_row(r, &kinds)).optional()?)
}

/// The id of the risk with a reference.
pub fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT id FROM risks WHERE reference = ?1")?.query_row([reference], |r| r.get(0)).optional()?)
}

/// Appends an assessment.
pub fn insert_assessment(tx: &Transaction, a: &RiskAssessment) -> Result<()> {
    rowmap::insert(tx, "risk_assessments", &rowmap::to_columns(a)?)
}

/// A risk's assessments, latest first (assessment date, then recording time).
pub fn assessments(conn: &Connection, risk_id: &str) -> Result<Vec<RiskAssessment>> {
    let mut stmt =
        conn.prepare_cached("SELECT * FROM risk_assessments WHERE risk_id = ?1 ORDER BY assessment_date DESC, created_at DESC, id DESC")?;
    rowmap::query_as(&mut stmt, [risk_id])
}

/// Inserts a control.
pub fn insert_control(tx: &Transaction, c: &RiskControl) -> Result<()> {
    rowmap::insert(tx, "risk_controls", &rowmap::to_columns(c)?)
}

/// Writes a control over its stored row.
pub fn update_control(tx: &Transaction, c: &RiskControl) -> Result<()> {
    let columns: Vec<_> = rowmap::to_columns(c)?.into_iter().filter(|(k, _)| k != "id").collect();
    rowmap::update_by_id(tx, "risk_controls", &c.id, &columns)?;
    Ok(())
}

/// One control by id.
pub fn find_control(conn: &Connection, id: &str) -> Result<Option<RiskControl>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM risk_controls WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    Ok(stmt.query_row([id], |r| rowmap::from_row(r, &kinds)).optional()?)
}

/// A risk's controls in the order they were added.
pub fn controls(conn: &Connection, risk_id: &str) -> Result<Vec<RiskControl>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM risk_controls WHERE risk_id = ?1 ORDER BY created_at, id")?;
    rowmap::query_as(&mut stmt, [risk_id])
}

/// A record with the display name of its owner.
pub type Named<T> = (T, Option<String>);

/// Filters of the risk register, validated.
#[derive(Debug, Default, Clone)]
pub struct RiskFilter {
    pub statuses: Vec<RiskStatus>,
    pub categories: Vec<RiskCategory>,
    pub levels: Vec<RiskLevel>,
    pub owner_ids: Vec<String>,
    pub review_overdue: Option<bool>,
    pub review_due_soon: Option<bool>,
    pub treatment_overdue: Option<bool>,
    pub cell: Option<(i64, i64, HeatMapBasis)>,
}

/// Sort fields the register accepts.
pub const SORTS: &[&str] = &["score", "nextReviewDate", "reference", "title", "status"];

/// The (likelihood, impact) columns of a basis over `r`.
fn basis_columns(basis: HeatMapBasis) -> (&'static str, &'static str) {
    match basis {
        HeatMapBasis::Residual => ("r.likelihood", "r.impact"),
        HeatMapBasis::Inherent => ("r.inherent_likelihood", "r.inherent_impact"),
        HeatMapBasis::Target => ("r.target_likelihood", "r.target_impact"),
    }
}

/// One page of risks with their owners' names, and the total.
pub fn list(conn: &Connection, f: &RiskFilter, page: &PageRequest, today: &str, soon: &str) -> Result<(Vec<Named<RiskRecord>>, i64)> {
    let mut q = Filters::new(page.archived_sql("r"));
    q.any_of("r.status", "st", &f.statuses.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("r.category", "cat", &f.categories.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("r.level", "lvl", &f.levels.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("r.owner_id", "own", &f.owner_ids);
    if f.review_overdue.is_some() || f.review_due_soon.is_some() || f.treatment_overdue.is_some() {
        q.bind("today", today.to_owned());
    }
    if f.review_due_soon.is_some() {
        q.bind("soon", soon.to_owned());
    }
    q.tri_state(f.review_overdue, "r.status <> 'closed' AND r.next_review_date < :today");
    q.tri_state(f.review_due_soon, "r.status <> 'closed' AND r.next_review_date >= :today AND r.next_review_date <= :soon");
    q.tri_state(f.treatment_overdue, "r.status = 'treating' AND r.treatment_due_date < :today");
    if let Some((likelihood, impact, basis)) = f.cell {
        let (l, i) = basis_columns(basis);
        let lk = q.bind("cell_l", likelihood);
        let ik = q.bind("cell_i", impact);
        q.push(format!("{l} = {lk} AND {i} = {ik} AND r.status <> 'closed'"));
    }
    if let Some(text) = page.search.as_deref().and_then(crate::paging::fts_query) {
        let key = q.bind("search", text);
        q.push(format!("r.rowid IN (SELECT rowid FROM risks_fts WHERE risks_fts MATCH {key})"));
    }
    let where_sql = q.sql();
    let params = q.params();
    let total: i64 =
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM risks r WHERE {where_sql}"))?.query_row(params.as_slice(), |r| r.get(0))?;
    let dir = |d: SortDirection| sql_direction(page.direction.unwrap_or(d));
    let order = match page.sort.as_deref() {
        Some("nextReviewDate") => format!("r.next_review_date {}, r.score DESC", dir(SortDirection::Asc)),
        Some("reference") => format!("r.reference {}", dir(SortDirection::Desc)),
        Some("title") => format!("r.title COLLATE NOCASE {}", dir(SortDirection::Asc)),
        Some("status") => format!("r.status {}", dir(SortDirection::Asc)),
        _ => format!("r.score {}, r.next_review_date ASC", dir(SortDirection::Desc)),
    };
    let (limit, offset) = page.limit_offset();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.*, u.display_name AS owner_name FROM risks r LEFT JOIN users u ON u.id = r.owner_id
         WHERE {where_sql} ORDER BY {order}, r.id ASC LIMIT {limit} OFFSET {offset}"
    ))?;
    let kinds = rowmap::column_kinds(&stmt);
    let rows =
        stmt.query_map(params.as_slice(), |r| Ok((rowmap::from_row::<RiskRecord>(r, &kinds)?, r.get::<_, Option<String>>("owner_name")?)))?;
    Ok((rows.collect::<rusqlite::Result<Vec<_>>>()?, total))
}

/// Counts of live (not archived, not closed) risks per (likelihood, impact) on a basis; one partial index each.
pub fn cell_counts(conn: &Connection, basis: HeatMapBasis) -> Result<Vec<(i64, i64, i64)>> {
    let (l, i) = basis_columns(basis);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {l}, {i}, COUNT(*) FROM risks r WHERE r.archived_at IS NULL AND r.status <> 'closed' AND {l} IS NOT NULL GROUP BY {l}, {i}"
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Live risks due for review (overdue or within the due-soon window), most overdue first.
pub fn due_for_review(conn: &Connection, soon: &str, limit: i64) -> Result<(Vec<RiskRecord>, i64)> {
    let where_sql = "r.archived_at IS NULL AND r.status <> 'closed' AND r.next_review_date <= ?1";
    let total = conn.prepare_cached(&format!("SELECT COUNT(*) FROM risks r WHERE {where_sql}"))?.query_row([soon], |r| r.get(0))?;
    let mut stmt =
        conn.prepare_cached(&format!("SELECT r.* FROM risks r WHERE {where_sql} ORDER BY r.next_review_date, r.score DESC LIMIT {limit}"))?;
    Ok((rowmap::query_as(&mut stmt, [soon])?, total))
}
