//! Complaint queries. Reads take `&Connection`, writes take `&Transaction`; nothing here begins or commits.

use super::model::*;
use crate::error::Result;
use crate::paging::{sql_direction, PageRequest, SortDirection};
use crate::rowmap;
use crate::sqlfilter::Filters;
use rusqlite::{Connection, OptionalExtension, Transaction};

/// Inserts a new complaint row.
pub fn insert(tx: &Transaction, record: &ComplaintRecord) -> Result<()> {
    rowmap::insert(tx, "complaints", &rowmap::to_columns(record)?)
}

/// One complaint by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<ComplaintRecord>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM complaints WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    Ok(stmt.query_row([id], |r| rowmap::from_row(r, &kinds)).optional()?)
}

/// The id of the complaint with a reference.
pub fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT id FROM complaints WHERE reference = ?1")?.query_row([reference], |r| r.get(0)).optional()?)
}

/// Filters of the complaint register, validated.
#[derive(Debug, Default, Clone)]
pub struct ComplaintFilter {
    pub statuses: Vec<ComplaintStatus>,
    pub types: Vec<ComplaintType>,
    pub priorities: Vec<ComplaintPriority>,
    pub owner_ids: Vec<String>,
    pub received_from: Option<String>,
    pub received_to: Option<String>,
    pub acknowledgement_overdue: Option<bool>,
    pub resolution_overdue: Option<bool>,
}

/// Sort fields the register accepts.
pub const SORTS: &[&str] = &["receivedDate", "reference", "priority", "status", "title", "targetResolutionDate"];

/// A record with the display name of its owner.
pub type Named<T> = (T, Option<String>);

/// One page of complaints and the total. `ack_limit` = today − acknowledgement window (received before it and
/// still only received = acknowledgement overdue).
pub fn list(
    conn: &Connection,
    f: &ComplaintFilter,
    page: &PageRequest,
    today: &str,
    ack_limit: &str,
) -> Result<(Vec<Named<ComplaintRecord>>, i64)> {
    let mut q = Filters::new(page.archived_sql("c"));
    q.any_of("c.status", "st", &f.statuses.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("c.complaint_type", "ty", &f.types.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("c.priority", "pr", &f.priorities.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("c.owner_id", "own", &f.owner_ids);
    if let Some(d) = &f.received_from {
        let key = q.bind("received_from", d.clone());
        q.push(format!("c.received_date >= {key}"));
    }
    if let Some(d) = &f.received_to {
        let key = q.bind("received_to", d.clone());
        q.push(format!("c.received_date <= {key}"));
    }
    if f.acknowledgement_overdue.is_some() {
        q.bind("ack_limit", ack_limit.to_owned());
    }
    q.tri_state(f.acknowledgement_overdue, "c.status = 'received' AND c.received_date < :ack_limit");
    if f.resolution_overdue.is_some() {
        q.bind("today", today.to_owned());
    }
    q.tri_state(f.resolution_overdue, "c.status NOT IN ('resolved', 'closed') AND c.target_resolution_date < :today");
    if let Some(text) = page.search.as_deref().and_then(crate::paging::fts_query) {
        let key = q.bind("search", text);
        q.push(format!("c.rowid IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH {key})"));
    }
    let where_sql = q.sql();
    let params = q.params();
    let total: i64 =
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM complaints c WHERE {where_sql}"))?.query_row(params.as_slice(), |r| r.get(0))?;
    let dir = |d: SortDirection| sql_direction(page.direction.unwrap_or(d));
    let order = match page.sort.as_deref() {
        Some("reference") => format!("c.reference {}", dir(SortDirection::Desc)),
        Some("priority") => format!(
            "CASE c.priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END {}, c.received_date DESC",
            dir(SortDirection::Asc)
        ),
        Some("status") => format!("c.status {}", dir(SortDirection::Asc)),
        Some("title") => format!("c.title COLLATE NOCASE {}", dir(SortDirection::Asc)),
        Some("targetResolutionDate") => format!("c.target_resolution_date {}", dir(SortDirection::Asc)),
        _ => format!("c.received_date {d}, c.created_at {d}", d = dir(SortDirection::Desc)),
    };
    let (limit, offset) = page.limit_offset();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.*, u.display_name AS owner_name FROM complaints c LEFT JOIN users u ON u.id = c.owner_id
         WHERE {where_sql} ORDER BY {order}, c.id ASC LIMIT {limit} OFFSET {offset}"
    ))?;
    let kinds = rowmap::column_kinds(&stmt);
    let rows = stmt.query_map(params.as_slice(), |r| {
        Ok((rowmap::from_row::<ComplaintRecord>(r, &kinds)?, r.get::<_, Option<String>>("owner_name")?))
    })?;
    Ok((rows.collect::<rusqlite::Result<Vec<_>>>()?, total))
}
