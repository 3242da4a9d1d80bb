//! Action queries. Reads take `&Connection`, writes take `&Transaction`; nothing here begins or commits.

use super::model::*;
use super::rules::NON_TERMINAL_SQL;
use crate::error::Result;
use crate::paging::{sql_direction, PageRequest, SortDirection};
use crate::rowmap;
use crate::validate::Choice;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Transaction};

/// Inserts a new action row.
pub fn insert(tx: &Transaction, record: &ActionRecord) -> Result<()> {
    rowmap::insert(tx, "actions", &rowmap::to_columns(record)?)
}

/// Writes every column of `record` over the stored row.
pub fn update(tx: &Transaction, record: &ActionRecord) -> Result<()> {
    let columns: Vec<_> = rowmap::to_columns(record)?.into_iter().filter(|(k, _)| k != "id").collect();
    rowmap::update_by_id(tx, "actions", &record.id, &columns)?;
    Ok(())
}

/// One action by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<ActionRecord>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM actions WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    Ok(stmt.query_row([id], |r| rowmap::from_row(r, &kinds)).optional()?)
}

/// References of non-terminal actions raised from a record (C-1), archived ones included so that archiving an
/// action cannot be used to close its source.
pub fn open_references(conn: &Connection, source_type: ActionSourceType, source_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.reference FROM actions a WHERE a.source_type = ?1 AND a.source_id = ?2 AND {NON_TERMINAL_SQL} ORDER BY a.reference"
    ))?;
    let rows = stmt.query_map([source_type.as_str(), source_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// Actions raised from a record that are not cancelled.
pub fn count_not_cancelled(conn: &Connection, source_type: ActionSourceType, source_id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM actions WHERE source_type = ?1 AND source_id = ?2 AND status <> 'cancelled'")?
        .query_row([source_type.as_str(), source_id], |r| r.get(0))?)
}

/// Filters of the action list, validated.
#[derive(Debug, Default, Clone)]
pub struct ActionFilter {
    pub statuses: Vec<ActionStatus>,
    pub priorities: Vec<ActionPriority>,
    pub types: Vec<ActionType>,
    pub owner_ids: Vec<String>,
    pub source_types: Vec<ActionSourceType>,
    pub source_id: Option<String>,
    pub due_from: Option<String>,
    pub due_to: Option<String>,
    pub due_soon: Option<bool>,
    pub overdue: Option<bool>,
    pub verification_overdue: Option<bool>,
}

/// Sort fields the list accepts.
pub const SORTS: &[&str] = &["dueDate", "priority", "reference", "status", "title"];

const PRIORITY_ORDER: &str = "CASE a.priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END";

fn push_in(column: &str, values: &[&str], params: &mut Vec<(String, SqlValue)>, name: &str) -> String {
    let marks: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let key = format!(":{name}{i}");
            params.push((key.clone(), SqlValue::Text((*v).to_owned())));
            key
        })
        .collect();
    format!("{column} IN ({})", marks.join(", "))
}

/// One page of actions (the raw rows; flags are computed by the caller) and the total.
pub fn list(
    conn: &Connection,
    f: &ActionFilter,
    page: &PageRequest,
    today: &str,
    soon: &str,
) -> Result<(Vec<ActionRecord>, Vec<Option<String>>, i64)> {
    let mut params: Vec<(String, SqlValue)> = Vec::new();
    let mut wheres = vec![page.archived_sql("a")];
    let strs = |v: &[&'static str]| v.to_vec();
    if !f.statuses.is_empty() {
        wheres.push(push_in("a.status", &strs(&f.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()), &mut params, "st"));
    }
    if !f.priorities.is_empty() {
        wheres.push(push_in("a.priority", &f.priorities.iter().map(|s| s.as_str()).collect::<Vec<_>>(), &mut params, "pr"));
    }
    if !f.types.is_empty() {
        wheres.push(push_in("a.action_type", &f.types.iter().map(|s| s.as_str()).collect::<Vec<_>>(), &mut params, "ty"));
    }
    if !f.source_types.is_empty() {
        wheres.push(push_in("a.source_type", &f.source_types.iter().map(|s| s.as_str()).collect::<Vec<_>>(), &mut params, "sty"));
    }
    if !f.owner_ids.is_empty() {
        let owners: Vec<&str> = f.owner_ids.iter().map(String::as_str).collect();
        wheres.push(push_in("a.owner_id", &owners, &mut params, "ow"));
    }
    if let Some(id) = &f.source_id {
        params.push((":source_id".into(), SqlValue::Text(id.clone())));
        wheres.push("a.source_id = :source_id".into());
    }
    if let Some(d) = &f.due_from {
        params.push((":due_from".into(), SqlValue::Text(d.clone())));
        wheres.push("a.due_date >= :due_from".into());
    }
    if let Some(d) = &f.due_to {
        params.push((":due_to".into(), SqlValue::Text(d.clone())));
        wheres.push("a.due_date <= :due_to".into());
    }
    let active = "a.status IN ('open', 'in_progress')";
    let needs_today = f.overdue.is_some() || f.due_soon.is_some() || f.verification_overdue.is_some();
    if needs_today {
        params.push((":today".into(), SqlValue::Text(today.to_owned())));
    }
    match f.overdue {
        Some(true) => wheres.push(format!("({active} AND a.due_date < :today)")),
        Some(false) => wheres.push(format!("NOT ({active} AND a.due_date < :today)")),
        None => {}
    }
    if let Some(due_soon) = f.due_soon {
        params.push((":soon".into(), SqlValue::Text(soon.to_owned())));
        let cond = format!("({active} AND a.due_date >= :today AND a.due_date <= :soon)");
        wheres.push(if due_soon { cond } else { format!("NOT {cond}") });
    }
    if let Some(vo) = f.verification_overdue {
        let cond = "(a.status = 'completed' AND a.requires_verification = 1 AND a.verification_due_date < :today)".to_owned();
        wheres.push(if vo { cond } else { format!("NOT {cond}") });
    }
    if let Some(search) = &page.search {
        params.push((":search".into(), SqlValue::Text(format!("%{}%", search.replace(['%', '_'], "")))));
        wheres.push(
            "(a.title LIKE :search OR a.description LIKE :search OR a.reference LIKE :search OR a.source_reference LIKE :search \
             OR a.legacy_reference LIKE :search)"
                .into(),
        );
    }
    let where_sql = wheres.join(" AND ");
    let bound: Vec<(&str, &dyn rusqlite::ToSql)> = params.iter().map(|(k, v)| (k.as_str(), v as &dyn rusqlite::ToSql)).collect();
    let total: i64 =
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM actions a WHERE {where_sql}"))?.query_row(bound.as_slice(), |r| r.get(0))?;
    let dir = |d: SortDirection| sql_direction(page.direction.unwrap_or(d));
    let order = match page.sort.as_deref() {
        Some("priority") => format!("{PRIORITY_ORDER} {}, a.due_date ASC", dir(SortDirection::Asc)),
        Some("reference") => format!("a.reference {}", dir(SortDirection::Desc)),
        Some("status") => format!("a.status {}", dir(SortDirection::Asc)),
        Some("title") => format!("a.title COLLATE NOCASE {}", dir(SortDirection::Asc)),
        _ => format!("a.due_date {}, {PRIORITY_ORDER} ASC", dir(SortDirection::Asc)),
    };
    let (limit, offset) = page.limit_offset();
    // In the list order (due date, priority, id) the live-order indexes give rows already sorted, so the page is read
    // and the walk stops; `+` keeps the status filter from pulling the planner onto a status index and a full sort.
    let list_order = page.sort.is_none() && page.direction.is_none_or(|d| d == SortDirection::Asc);
    let where_sql = if list_order { where_sql.replace("a.status IN", "+a.status IN") } else { where_sql };
    // A deep page of live actions in the list order skips entries of the live order index only (see page_clause).
    let walk_index =
        (list_order && page.archived == crate::paging::ArchivedFilter::Exclude && f.owner_ids.is_empty()).then_some("actions_live_order");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.*, u.display_name AS owner_name FROM actions a LEFT JOIN users u ON u.id = a.owner_id {}",
        crate::paging::page_clause("actions a", walk_index, &where_sql, &format!("{order}, a.id ASC"), limit, offset)
    ))?;
    let kinds = rowmap::column_kinds(&stmt);
    let rows = stmt.query_map(bound.as_slice(), |r| {
        let record: ActionRecord = rowmap::from_row(r, &kinds)?;
        let owner: Option<String> = r.get("owner_name")?;
        Ok((record, owner))
    })?;
    let mut records = Vec::new();
    let mut owners = Vec::new();
    for row in rows {
        let (record, owner) = row?;
        records.push(record);
        owners.push(owner);
    }
    Ok((records, owners, total))
}
