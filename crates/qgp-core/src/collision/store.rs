//! Collision queries. Reads take `&Connection`, writes take `&Transaction`; nothing here begins or commits.

use super::model::*;
use crate::error::Result;
use crate::paging::{sql_direction, PageRequest, SortDirection};
use crate::rowmap;
use crate::sqlfilter::Filters;
use rusqlite::{Connection, OptionalExtension, Transaction};

/// Inserts a new collision row.
pub fn insert(tx: &Transaction, record: &CollisionRecord) -> Result<()> {
    rowmap::insert(tx, "collisions", &rowmap::to_columns(record)?)
}

/// One collision by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<CollisionRecord>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM collisions WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    Ok(stmt.query_row([id], |r| rowmap::from_row(r, &kinds)).optional()?)
}

/// The id of the collision with a reference.
pub fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT id FROM collisions WHERE reference = ?1")?.query_row([reference], |r| r.get(0)).optional()?)
}

/// Replaces the third parties, keeping their order.
pub fn replace_third_parties(tx: &Transaction, collision_id: &str, parties: &[ThirdParty]) -> Result<()> {
    tx.prepare_cached("DELETE FROM collision_third_parties WHERE collision_id = ?1")?.execute([collision_id])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO collision_third_parties (id, collision_id, position, name, contact, vehicle_registration, vehicle_make_model, damage, injured,
         injury_details, insurer) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (i, p) in parties.iter().enumerate() {
        stmt.execute(rusqlite::params![
            crate::ids::new_id(),
            collision_id,
            i as i64,
            p.name,
            p.contact,
            p.vehicle_registration,
            p.vehicle_make_model,
            p.damage,
            p.injured,
            p.injury_details,
            p.insurer
        ])?;
    }
    Ok(())
}

/// A collision's third parties in order.
pub fn third_parties(conn: &Connection, collision_id: &str) -> Result<Vec<ThirdParty>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, contact, vehicle_registration, vehicle_make_model, damage, injured, injury_details, insurer
         FROM collision_third_parties WHERE collision_id = ?1 ORDER BY position",
    )?;
    let kinds = rowmap::column_kinds(&stmt);
    let rows = stmt.query_map([collision_id], |r| rowmap::from_row(r, &kinds))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Filters of the collision register, validated.
#[derive(Debug, Default, Clone)]
pub struct CollisionFilter {
    pub statuses: Vec<CollisionStatus>,
    pub severities: Vec<CollisionSeverity>,
    pub faults: Vec<FaultDetermination>,
    pub driver_ids: Vec<String>,
    pub vehicle_registration: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
}

/// Sort fields the register accepts.
pub const SORTS: &[&str] = &["collisionDate", "reference", "severity", "status", "estimatedCost"];

/// A record with the display name of its driver profile.
pub type Named<T> = (T, Option<String>);

/// One page of collisions and the total.
pub fn list(conn: &Connection, f: &CollisionFilter, page: &PageRequest) -> Result<(Vec<Named<CollisionRecord>>, i64)> {
    let mut q = Filters::new(page.archived_sql("c"));
    q.any_of("c.status", "st", &f.statuses.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("c.severity", "sev", &f.severities.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("c.fault_determination", "fault", &f.faults.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("c.driver_user_id", "drv", &f.driver_ids);
    if let Some(reg) = &f.vehicle_registration {
        // Registrations are stored upper-cased; spaces are ignored so "AB12 CDE" finds "AB12CDE".
        let key = q.bind("reg", reg.to_uppercase().replace(' ', ""));
        q.push(format!("REPLACE(c.vehicle_registration, ' ', '') = {key}"));
    }
    if let Some(d) = &f.date_from {
        let key = q.bind("date_from", d.clone());
        q.push(format!("c.collision_date >= {key}"));
    }
    if let Some(d) = &f.date_to {
        let key = q.bind("date_to", d.clone());
        q.push(format!("c.collision_date <= {key}"));
    }
    if let Some(text) = page.search.as_deref().and_then(crate::paging::fts_query) {
        let key = q.bind("search", text);
        q.push(format!("c.rowid IN (SELECT rowid FROM collisions_fts WHERE collisions_fts MATCH {key})"));
    }
    let where_sql = q.sql();
    let params = q.params();
    let total: i64 =
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM collisions c WHERE {where_sql}"))?.query_row(params.as_slice(), |r| r.get(0))?;
    let dir = |d: SortDirection| sql_direction(page.direction.unwrap_or(d));
    let order = match page.sort.as_deref() {
        Some("reference") => format!("c.reference {}", dir(SortDirection::Desc)),
        Some("severity") => format!(
            "CASE c.severity WHEN 'fatal' THEN 0 WHEN 'serious_injury' THEN 1 WHEN 'minor_injury' THEN 2 WHEN 'damage_only' THEN 3 ELSE 4 END {}",
            dir(SortDirection::Asc)
        ),
        Some("status") => format!("c.status {}", dir(SortDirection::Asc)),
        Some("estimatedCost") => format!("c.estimated_cost IS NULL, c.estimated_cost {}", dir(SortDirection::Desc)),
        _ => format!("c.collision_date {d}, c.created_at {d}", d = dir(SortDirection::Desc)),
    };
    let (limit, offset) = page.limit_offset();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.*, u.display_name AS driver_profile FROM collisions c LEFT JOIN users u ON u.id = c.driver_user_id
         WHERE {where_sql} ORDER BY {order}, c.id ASC LIMIT {limit} OFFSET {offset}"
    ))?;
    let kinds = rowmap::column_kinds(&stmt);
    let rows = stmt.query_map(params.as_slice(), |r| {
        Ok((rowmap::from_row::<CollisionRecord>(r, &kinds)?, r.get::<_, Option<String>>("driver_profile")?))
    })?;
    Ok((rows.collect::<rusqlite::Result<Vec<_>>>()?, total))
}
