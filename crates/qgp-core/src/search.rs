//! Global search (one box, Ctrl+K): incidents, risks, actions and investigations by reference, title and text,
//! ranked by FTS5's bm25 with the reference and title weighted highest. Archived records are left out.

use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::Result;
use crate::validate::{as_object, Input};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Input of `search.global`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GlobalSearchInput {
    pub query: String,
    #[ts(optional)]
    pub limit: Option<i64>,
}

/// One hit.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub entity_type: String,
    pub id: String,
    pub reference: String,
    pub title: String,
    pub status: String,
    /// Lower is better (bm25); an exact reference match ranks first.
    pub rank: f64,
}

/// What global search searches: the register, its index, and bm25 column weights (reference first, title next).
struct Register {
    entity_type: &'static str,
    table: &'static str,
    fts: &'static str,
    weights: &'static str,
}

const REGISTERS: &[Register] = &[
    Register { entity_type: "incident", table: "incidents", fts: "incidents_fts", weights: "10.0, 5.0, 4.0, 1.0, 1.0" },
    Register { entity_type: "risk", table: "risks", fts: "risks_fts", weights: "10.0, 5.0, 4.0, 1.0, 1.0, 1.0, 1.0" },
    Register { entity_type: "action", table: "actions", fts: "actions_fts", weights: "10.0, 5.0, 2.0, 4.0, 1.0" },
    Register { entity_type: "investigation", table: "investigations", fts: "investigations_fts", weights: "10.0, 5.0, 2.0, 4.0, 1.0, 1.0" },
];

/// Hits of one register: the best `limit` live matches.
fn search_register(conn: &Connection, reg: &Register, query: &str, limit: i64) -> Result<Vec<SearchHit>> {
    // Rank inside the index first (cheap), then read the few winners' rows and drop archived ones.
    let sql = format!(
        "SELECT t.id, t.reference, t.title, t.status, m.score FROM
           (SELECT rowid, bm25({fts}, {weights}) AS score FROM {fts} WHERE {fts} MATCH ?1 ORDER BY score LIMIT ?2) m
         JOIN {table} t ON t.rowid = m.rowid WHERE t.archived_at IS NULL ORDER BY m.score",
        fts = reg.fts,
        weights = reg.weights,
        table = reg.table
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params![query, limit * 2], |r| {
        Ok(SearchHit {
            entity_type: reg.entity_type.to_owned(),
            id: r.get(0)?,
            reference: r.get(1)?,
            title: r.get(2)?,
            status: r.get(3)?,
            rank: r.get(4)?,
        })
    })?;
    let mut hits = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    hits.truncate(limit as usize);
    Ok(hits)
}

/// `search.global`: `{query, limit?}` → hits from every register, best first.
pub fn global(ctx: &mut Ctx, input: Value) -> Result<Vec<SearchHit>> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(&input)?, &["query", "limit"]);
    let query = v.text("query", "Search", 0, 200, false);
    let limit = v.integer("limit", "Limit", 1, 50, false).unwrap_or(20);
    v.finish()?;
    let Some(fts) = query.as_deref().and_then(crate::paging::fts_query) else { return Ok(Vec::new()) };
    let exact = query.as_deref().map(|q| q.trim().to_uppercase()).unwrap_or_default();
    let mut hits = Vec::new();
    for reg in REGISTERS {
        hits.extend(search_register(ctx.conn(), reg, &fts, limit)?);
    }
    for hit in &mut hits {
        if hit.reference == exact {
            hit.rank = f64::MIN;
        }
    }
    hits.sort_by(|a, b| a.rank.total_cmp(&b.rank).then_with(|| a.reference.cmp(&b.reference)));
    hits.truncate(limit as usize);
    Ok(hits)
}
