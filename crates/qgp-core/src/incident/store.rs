//! Incident queries. Reads take `&Connection`, writes take `&Transaction`; nothing here begins or commits.

use super::model::*;
use super::rules::{RECORD_ONLY_SQL, RIDDOR_OVERDUE_SQL};
use crate::error::Result;
use crate::paging::{sql_direction, PageRequest, SortDirection};
use crate::rowmap;
use crate::validate::Choice;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Transaction};

/// Inserts a new incident row (people are written by [`replace_people`]).
pub fn insert(tx: &Transaction, record: &IncidentRecord) -> Result<()> {
    rowmap::insert(tx, "incidents", &rowmap::to_columns(record)?)
}

/// Writes every column of `record` over the stored row.
pub fn update(tx: &Transaction, record: &IncidentRecord) -> Result<()> {
    let columns: Vec<_> = rowmap::to_columns(record)?.into_iter().filter(|(k, _)| k != "id").collect();
    rowmap::update_by_id(tx, "incidents", &record.id, &columns)?;
    Ok(())
}

/// Replaces the people involved, keeping their order.
pub fn replace_people(tx: &Transaction, incident_id: &str, people: &[Person]) -> Result<()> {
    tx.prepare_cached("DELETE FROM incident_people WHERE incident_id = ?1")?.execute([incident_id])?;
    insert_people(tx, incident_id, people)
}

/// Adds the people involved of a new incident, in order.
pub fn insert_people(tx: &Transaction, incident_id: &str, people: &[Person]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO incident_people (id, incident_id, position, name, person_type, injured, injury_nature, body_part, hospitalised, days_lost)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (i, p) in people.iter().enumerate() {
        stmt.execute(rusqlite::params![
            crate::ids::new_id(),
            incident_id,
            i as i64,
            p.name,
            p.person_type.map(Choice::as_str),
            p.injured,
            p.injury_nature,
            p.body_part,
            p.hospitalised,
            p.days_lost
        ])?;
    }
    Ok(())
}

/// One incident by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<IncidentRecord>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM incidents WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    Ok(stmt.query_row([id], |r| rowmap::from_row(r, &kinds)).optional()?)
}

/// The id of the incident with a reference (or legacy reference).
pub fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT id FROM incidents WHERE reference = ?1 COLLATE NOCASE")?
        .query_row([reference], |r| r.get(0))
        .optional()?)
}

/// The people involved, in entry order.
pub fn people(conn: &Connection, incident_id: &str) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, person_type, injured, injury_nature, body_part, hospitalised, days_lost
         FROM incident_people WHERE incident_id = ?1 ORDER BY position",
    )?;
    rowmap::query_as(&mut stmt, [incident_id])
}

/// Filters of the incident register (§9), already validated.
#[derive(Debug, Default, Clone)]
pub struct IncidentFilter {
    pub statuses: Vec<IncidentStatus>,
    pub types: Vec<IncidentType>,
    pub severities: Vec<IncidentSeverity>,
    pub departments: Vec<String>,
    pub investigator_ids: Vec<String>,
    pub riddor: Vec<RiddorFilter>,
    pub record_only: Option<bool>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// Only these incidents (a report on a chosen set); empty: no restriction.
    pub ids: Vec<String>,
}

/// Above this many matches the default-ordered page is read by walking the order index.
const ORDERED_WALK_THRESHOLD: i64 = 2_000;

/// Sort fields the register accepts (camelCase).
pub const SORTS: &[&str] = &["incidentDate", "reportedAt", "reference", "title", "severity", "status", "location"];

fn in_list<T: AsRef<str>>(column: &str, values: &[T], params: &mut Vec<(String, SqlValue)>, name: &str) -> String {
    let marks: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let key = format!(":{name}{i}");
            params.push((key.clone(), SqlValue::Text(v.as_ref().to_owned())));
            key
        })
        .collect();
    format!("{column} IN ({})", marks.join(", "))
}

fn order_by(page: &PageRequest) -> String {
    let dir = |default: SortDirection| sql_direction(page.direction.unwrap_or(default));
    let primary = match page.sort.as_deref() {
        Some("reportedAt") => format!("i.reported_at {}", dir(SortDirection::Desc)),
        Some("reference") => format!("i.reference {}", dir(SortDirection::Desc)),
        Some("title") => format!("i.title COLLATE NOCASE {}", dir(SortDirection::Asc)),
        Some("location") => format!("i.location COLLATE NOCASE {}", dir(SortDirection::Asc)),
        Some("severity") => format!(
            "CASE i.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END {}",
            dir(SortDirection::Asc)
        ),
        Some("status") => format!(
            "CASE i.status WHEN 'reported' THEN 0 WHEN 'under_investigation' THEN 1 WHEN 'actions_pending' THEN 2 ELSE 3 END {}",
            dir(SortDirection::Asc)
        ),
        _ => format!("i.incident_date {}, i.reported_at {}", dir(SortDirection::Desc), dir(SortDirection::Desc)),
    };
    format!("{primary}, i.id ASC")
}

/// The register's default order (incident date, newest first), the one its live order index is built for.
fn default_order_of(page: &PageRequest) -> bool {
    matches!(page.sort.as_deref(), None | Some("incidentDate")) && page.direction.is_none_or(|d| d == SortDirection::Desc)
}

/// One page of the register and the total count.
pub fn list(conn: &Connection, filter: &IncidentFilter, page: &PageRequest, today: &str) -> Result<(Vec<IncidentSummary>, i64)> {
    let mut params: Vec<(String, SqlValue)> = vec![(":today".into(), SqlValue::Text(today.to_owned()))];
    let mut wheres = vec![page.archived_sql("i")];
    if !filter.statuses.is_empty() {
        let v: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
        wheres.push(in_list("i.status", &v, &mut params, "status"));
    }
    if !filter.types.is_empty() {
        let v: Vec<&str> = filter.types.iter().map(|s| s.as_str()).collect();
        wheres.push(in_list("i.incident_type", &v, &mut params, "type"));
    }
    if !filter.severities.is_empty() {
        let v: Vec<&str> = filter.severities.iter().map(|s| s.as_str()).collect();
        wheres.push(in_list("i.severity", &v, &mut params, "severity"));
    }
    if !filter.departments.is_empty() {
        wheres.push(in_list("i.department", &filter.departments, &mut params, "dept"));
    }
    if !filter.investigator_ids.is_empty() {
        wheres.push(in_list("i.investigator_id", &filter.investigator_ids, &mut params, "inv"));
    }
    if !filter.riddor.is_empty() {
        let parts: Vec<&str> = filter
            .riddor
            .iter()
            .map(|r| match r {
                RiddorFilter::Reportable => "i.riddor_reportable = 1",
                RiddorFilter::NotReportable => "i.riddor_reportable = 0",
                RiddorFilter::NotAssessed => "i.riddor_reportable IS NULL",
            })
            .collect();
        wheres.push(format!("({})", parts.join(" OR ")));
    }
    match filter.record_only {
        Some(true) => wheres.push(RECORD_ONLY_SQL.to_owned()),
        Some(false) => wheres.push(format!("NOT {RECORD_ONLY_SQL}")),
        None => {}
    }
    if let Some(from) = &filter.date_from {
        params.push((":date_from".into(), SqlValue::Text(from.clone())));
        wheres.push("i.incident_date >= :date_from".into());
    }
    if let Some(to) = &filter.date_to {
        params.push((":date_to".into(), SqlValue::Text(to.clone())));
        wheres.push("i.incident_date <= :date_to".into());
    }
    if !filter.ids.is_empty() {
        wheres.push(in_list("i.id", &filter.ids, &mut params, "id"));
    }
    if let Some(q) = page.search.as_deref().and_then(crate::paging::fts_query) {
        params.push((":search".into(), SqlValue::Text(q)));
        wheres.push("i.rowid IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH :search)".into());
    }
    let only_search = wheres.len() == 2 && page.archived == crate::paging::ArchivedFilter::Exclude && page.search.is_some();
    let where_sql = wheres.join(" AND ");
    let count_params: Vec<(&str, &dyn rusqlite::ToSql)> =
        params.iter().filter(|(k, _)| k != ":today").map(|(k, v)| (k.as_str(), v as &dyn rusqlite::ToSql)).collect();
    let total: i64 = if only_search {
        // Text search alone: count the index's matches and subtract the few archived ones, instead of reading
        // every matching row to check that it is live.
        conn.prepare_cached(
            "SELECT (SELECT COUNT(*) FROM incidents_fts WHERE incidents_fts MATCH :search)
                  - (SELECT COUNT(*) FROM incidents a WHERE a.archived_at IS NOT NULL
                     AND a.rowid IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH :search))",
        )?
        .query_row(count_params.as_slice(), |r| r.get(0))?
    } else {
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM incidents i WHERE {where_sql}"))?
            .query_row(count_params.as_slice(), |r| r.get(0))?
    };
    let (limit, offset) = page.limit_offset();
    let order = order_by(page);
    // Live rows in the default order: the live order index holds every filter column, so a deep page skips index
    // entries only. Other orders and archived rows let the planner choose.
    let walk_index = (default_order_of(page) && page.archived == crate::paging::ArchivedFilter::Exclude).then_some("incidents_live_order");
    // Many matches: walk the live order index (it carries status, severity and type) and stop after one page;
    // few matches: let the planner use the facet index and sort them. `+` keeps a term off an index.
    let default_order = matches!(page.sort.as_deref(), None | Some("incidentDate"));
    let where_sql = if total > ORDERED_WALK_THRESHOLD && default_order {
        where_sql
            .replace("i.status IN", "+i.status IN")
            .replace("i.severity IN", "+i.severity IN")
            .replace("i.incident_type IN", "+i.incident_type IN")
            .replace("i.rowid IN", "+i.rowid IN")
    } else {
        where_sql
    };
    let sql = format!(
        "SELECT i.id, i.reference, i.legacy_reference, i.title, i.incident_type, i.severity, i.status, i.incident_date,
                i.location, i.department, i.investigator_id, u.display_name AS investigator_name, i.reported_at,
                i.riddor_reportable, {RIDDOR_OVERDUE_SQL} AS riddor_overdue, {RECORD_ONLY_SQL} AS record_only, i.archived_at
         FROM incidents i LEFT JOIN users u ON u.id = i.investigator_id
         {}",
        crate::paging::page_clause("incidents i", walk_index, &where_sql, &order, limit, offset)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let all_params: Vec<(&str, &dyn rusqlite::ToSql)> = params.iter().map(|(k, v)| (k.as_str(), v as &dyn rusqlite::ToSql)).collect();
    let rows = stmt.query_map(all_params.as_slice(), |r| {
        let parse_err = |i: usize| rusqlite::Error::InvalidColumnType(i, "enum".into(), rusqlite::types::Type::Text);
        Ok(IncidentSummary {
            id: r.get(0)?,
            reference: r.get(1)?,
            legacy_reference: r.get(2)?,
            title: r.get(3)?,
            incident_type: IncidentType::parse(&r.get::<_, String>(4)?).ok_or_else(|| parse_err(4))?,
            severity: IncidentSeverity::parse(&r.get::<_, String>(5)?).ok_or_else(|| parse_err(5))?,
            status: IncidentStatus::parse(&r.get::<_, String>(6)?).ok_or_else(|| parse_err(6))?,
            incident_date: r.get(7)?,
            location: r.get(8)?,
            department: r.get(9)?,
            investigator_id: r.get(10)?,
            investigator_name: r.get(11)?,
            reported_at: r.get(12)?,
            riddor_reportable: r.get(13)?,
            riddor_overdue: r.get(14)?,
            record_only: r.get(15)?,
            archived_at: r.get(16)?,
        })
    })?;
    Ok((rows.collect::<rusqlite::Result<Vec<_>>>()?, total))
}

/// Counts of non-archived incidents per (status, severity), from one scan of the facet index.
pub fn status_severity_counts(conn: &Connection) -> Result<Vec<(String, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, severity, COUNT(*) FROM incidents INDEXED BY incidents_live_facets
         WHERE archived_at IS NULL GROUP BY status, severity",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// RIDDOR-overdue count of non-archived incidents (a small partial index holds the candidates).
pub fn riddor_overdue_count(conn: &Connection, today: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM incidents i INDEXED BY incidents_riddor_open
             WHERE i.archived_at IS NULL AND i.riddor_reportable = 1 AND i.riddor_reported_on IS NULL AND {RIDDOR_OVERDUE_SQL}"
        ))?
        .query_row(rusqlite::named_params! {":today": today}, |r| r.get(0))?)
}

/// Per (month, severity) counts and RIDDOR-reportable counts from `first_day` on.
pub fn monthly(conn: &Connection, first_day: &str) -> Result<Vec<(String, String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT incident_date, severity, COUNT(*), COALESCE(SUM(riddor_reportable = 1), 0)
         FROM incidents INDEXED BY incidents_live_days WHERE archived_at IS NULL AND incident_date >= ?1 GROUP BY incident_date, severity",
    )?;
    let rows =
        stmt.query_map([first_day], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)))?;
    // Bucket days into months here: grouping by substr() in SQL would need a sort of every row.
    let mut months: Vec<(String, String, i64, i64)> = Vec::new();
    for row in rows {
        let (day, severity, count, riddor) = row?;
        let month = day.get(..7).unwrap_or(&day).to_owned();
        match months.iter_mut().find(|m| m.0 == month && m.1 == severity) {
            Some(m) => {
                m.2 += count;
                m.3 += riddor;
            }
            None => months.push((month, severity, count, riddor)),
        }
    }
    Ok(months)
}
