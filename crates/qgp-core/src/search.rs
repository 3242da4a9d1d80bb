//! Global search (one box, Ctrl+K): incidents, risks, actions, investigations, complaints, collisions, documents, audit runs
//! and findings by reference, title and text,
//! ranked: an exact reference first, then reference and title matches by FTS5's bm25, then matches in the other
//! text, newest first. Archived records are left out.

use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::Result;
use crate::validate::{as_object, Input};
use rusqlite::{Connection, OptionalExtension};
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
    /// Lower is better: an exact reference first, then bm25 over reference and title, then other text, newest first.
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
    Register {
        entity_type: "collision",
        table: "collisions",
        fts: "collisions_fts",
        weights: "10.0, 5.0, 4.0, 1.0, 2.0, 2.0, 6.0, 2.0, 6.0",
    },
    Register { entity_type: "document", table: "documents", fts: "documents_fts", weights: "10.0, 5.0, 4.0, 1.0, 1.0" },
    Register { entity_type: "complaint", table: "complaints", fts: "complaints_fts", weights: "10.0, 5.0, 4.0, 1.0, 2.0, 2.0, 2.0" },
    Register { entity_type: "audit_run", table: "audit_runs", fts: "audit_runs_fts", weights: "10.0, 5.0, 4.0, 2.0, 2.0" },
    Register { entity_type: "finding", table: "findings", fts: "findings_fts", weights: "10.0, 5.0, 4.0, 1.0" },
];

/// Hits of one register: reference and title matches ranked by bm25 first, then matches in the other text,
/// newest first. Ranking every text match would score thousands of rows on a common word; the title pass scores
/// few, and FTS5 walks the full-text pass in rowid order and stops after `limit`.
fn search_register(conn: &Connection, reg: &Register, query: &str, limit: i64) -> Result<Vec<SearchHit>> {
    let mut ranked: Vec<(i64, f64)> = Vec::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid, bm25({fts}, {weights}) AS score FROM {fts} WHERE {fts} MATCH ?1 ORDER BY score LIMIT ?2",
        fts = reg.fts,
        weights = reg.weights
    ))?;
    let titled = format!("{{reference legacy_reference title}} : ({query})");
    // A few spare rows cover archived matches, which are dropped below.
    let wanted = limit + 5;
    for row in stmt.query_map(rusqlite::params![titled, wanted], |r| Ok((r.get(0)?, r.get(1)?)))? {
        ranked.push(row?);
    }
    if (ranked.len() as i64) < wanted {
        let mut stmt =
            conn.prepare_cached(&format!("SELECT rowid FROM {fts} WHERE {fts} MATCH ?1 ORDER BY rowid DESC LIMIT ?2", fts = reg.fts))?;
        let rows = stmt.query_map(rusqlite::params![query, wanted * 2], |r| r.get::<_, i64>(0))?;
        for (position, rowid) in rows.enumerate() {
            let rowid = rowid?;
            if !ranked.iter().any(|(r, _)| *r == rowid) {
                // Text-only matches rank after every reference or title match.
                ranked.push((rowid, 1000.0 + position as f64));
            }
        }
    }
    let mut lookup =
        conn.prepare_cached(&format!("SELECT id, reference, title, status FROM {} WHERE rowid = ?1 AND archived_at IS NULL", reg.table))?;
    let mut hits = Vec::new();
    for (rowid, rank) in ranked {
        if hits.len() as i64 >= limit {
            break;
        }
        let hit = lookup
            .query_row([rowid], |r| {
                Ok(SearchHit {
                    entity_type: reg.entity_type.to_owned(),
                    id: r.get(0)?,
                    reference: r.get(1)?,
                    title: r.get(2)?,
                    status: r.get(3)?,
                    rank,
                })
            })
            .optional()?;
        hits.extend(hit);
    }
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
