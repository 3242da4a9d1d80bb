//! The compliance view (§3): for every clause or control of a standard, the evidence linked to it and its coverage
//! status, rolled up the clause tree, with the standard's coverage percentage. Linking a record to a clause or
//! control is audited on both ends.

use super::model::ClauseView;
use super::{clauses_of, controls_of, load_standard};
use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{as_object, Choice, Input};
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use ts_rs::TS;

/// Items count as current for this long (§3 coverage window, 12 months).
const WINDOW_MONTHS: i32 = 12;

crate::choice_enum! {
    /// How well a clause or control is evidenced.
    pub enum Coverage { NotApplicable => "not_applicable", Nonconforming => "nonconforming", Covered => "covered", Partial => "partial", NotCovered => "not_covered" }
}

crate::choice_enum! {
    /// The kinds of record a clause or control can be linked to by hand.
    pub enum LinkTarget {
        Incident => "incident", Collision => "collision", Complaint => "complaint", Risk => "risk", Finding => "finding",
        AuditRun => "audit_run", Document => "document", Evidence => "evidence",
    }
}

/// One piece of evidence on a clause or control.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceItem {
    pub entity_type: String,
    pub id: String,
    pub reference: String,
    pub title: String,
    pub date: Option<String>,
    pub current: bool,
    /// Listed for context only (incidents, collisions, complaints, runs never make an item current).
    pub context_only: bool,
}

/// A clause or control with its coverage.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceItem {
    pub id: String,
    pub number: String,
    pub title: String,
    pub is_control: bool,
    pub parent_id: Option<String>,
    pub level: i64,
    /// Its own status from its own evidence.
    pub own: Coverage,
    /// The worst of itself and its children.
    pub coverage: Coverage,
    /// The most telling evidence (current first, then newest), at most 10.
    pub evidence: Vec<EvidenceItem>,
    pub evidence_total: i64,
    pub current_total: i64,
}

/// Evidence shown per item; the totals say how much there is.
const SHOWN: usize = 10;

/// An item from its clause or control (`place`: id, number, title, is a control, parent, level) and evidence.
fn item(place: (&str, &str, &str, bool, Option<String>, i64), own: Coverage, mut evidence: Vec<EvidenceItem>) -> ComplianceItem {
    let evidence_total = evidence.len() as i64;
    let current_total = evidence.iter().filter(|e| e.current).count() as i64;
    evidence.sort_by(|a, b| b.current.cmp(&a.current).then_with(|| b.date.cmp(&a.date)));
    evidence.truncate(SHOWN);
    let (id, number, title, is_control, parent_id, level) = place;
    ComplianceItem {
        id: id.to_owned(),
        number: number.to_owned(),
        title: title.to_owned(),
        is_control,
        parent_id,
        level,
        own,
        coverage: own,
        evidence,
        evidence_total,
        current_total,
    }
}

/// The compliance view of a standard.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceView {
    pub standard_id: String,
    pub items: Vec<ComplianceItem>,
    /// Covered ÷ applicable leaves × 100 (one place); null when nothing is applicable.
    pub coverage_percent: Option<f64>,
    pub counts: Vec<crate::incident::model::ValueCount>,
}

/// Input of `compliance.link` and `compliance.unlink`: a clause or a control, and a record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ComplianceLinkInput {
    pub clause_id: Option<String>,
    pub control_id: Option<String>,
    #[ts(optional = false)]
    pub entity_type: LinkTarget,
    #[ts(optional = false)]
    pub entity_id: String,
}

/// What `compliance.link` / `compliance.unlink` did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkOutcome {
    pub linked: bool,
}

/// Worse first, for the roll-up.
fn severity(c: Coverage) -> i32 {
    match c {
        Coverage::Nonconforming => 4,
        Coverage::NotCovered => 3,
        Coverage::Partial => 2,
        Coverage::Covered => 1,
        Coverage::NotApplicable => 0,
    }
}

/// Linked items by clause or control id, and the ids with an open nonconformity.
type Linked = (HashMap<String, Vec<EvidenceItem>>, HashMap<String, bool>);

/// Every linked item for the standard's clauses and controls, keyed by clause or control id.
fn evidence(conn: &Connection, standard_id: &str, today: Date) -> Result<Linked> {
    let since = crate::clock::add_months(today, -WINDOW_MONTHS).to_string();
    let today_s = today.to_string();
    let mut out: HashMap<String, Vec<EvidenceItem>> = HashMap::new();
    let mut nonconforming: HashMap<String, bool> = HashMap::new();
    // (link table, key column, owner table of the key) for clauses and controls alike.
    for (links, key, owner) in [("clause_links", "clause_id", "clauses"), ("control_links", "control_id", "controls")] {
        let scope = format!("l.{key} IN (SELECT id FROM {owner} WHERE standard_id = ?1)");
        let queries: Vec<(&str, String, bool)> = vec![
            // Responses to linked questions in completed runs: dated by the answer.
            ("audit_response", format!(
                "SELECT l.{key}, r.id, r.reference, r.title, substr(x.answered_at, 1, 10), substr(x.answered_at, 1, 10) >= ?2, 0
                 FROM {links} l JOIN audit_responses x ON x.question_id = l.entity_id JOIN audit_runs r ON r.id = x.run_id
                 WHERE l.entity_type = 'audit_question' AND {scope} AND r.status = 'completed' AND r.archived_at IS NULL
                   AND (x.answer IS NOT NULL OR x.is_na)"), false),
            ("finding", format!(
                "SELECT l.{key}, f.id, f.reference, f.title, substr(f.created_at, 1, 10), 0,
                        f.finding_type = 'nonconformity' AND f.status <> 'closed'
                 FROM {links} l JOIN findings f ON f.id = l.entity_id WHERE l.entity_type = 'finding' AND {scope} AND f.archived_at IS NULL"), false),
            ("document", format!(
                "SELECT l.{key}, d.id, d.reference, d.title, d.next_review_date,
                        d.status IN ('published', 'under_review') AND (d.next_review_date IS NULL OR d.next_review_date >= ?3), 0
                 FROM {links} l JOIN documents d ON d.id = l.entity_id WHERE l.entity_type = 'document' AND {scope} AND d.archived_at IS NULL"), false),
            ("risk", format!(
                "SELECT l.{key}, k.id, k.reference, k.title, (SELECT MAX(assessment_date) FROM risk_assessments a WHERE a.risk_id = k.id),
                        k.status <> 'closed' AND (SELECT MAX(assessment_date) FROM risk_assessments a WHERE a.risk_id = k.id) >= ?2, 0
                 FROM {links} l JOIN risks k ON k.id = l.entity_id WHERE l.entity_type = 'risk' AND {scope} AND k.archived_at IS NULL"), false),
            ("evidence", format!(
                "SELECT l.{key}, e.id, e.sha256, e.original_name, substr(e.captured_at, 1, 10), substr(e.captured_at, 1, 10) >= ?2, 0
                 FROM {links} l JOIN evidence_files e ON e.id = l.entity_id WHERE l.entity_type = 'evidence' AND {scope}"), false),
        ];
        let mut context: Vec<(&str, String, bool)> = Vec::new();
        if links == "clause_links" {
            for (kind, table, date) in [
                ("incident", "incidents", "incident_date"),
                ("collision", "collisions", "collision_date"),
                ("complaint", "complaints", "received_date"),
                ("audit_run", "audit_runs", "scheduled_date"),
            ] {
                context.push((
                    kind,
                    format!(
                        "SELECT l.{key}, t.id, t.reference, t.title, t.{date}, 0, 0 FROM {links} l JOIN {table} t ON t.id = l.entity_id
                     WHERE l.entity_type = '{kind}' AND {scope} AND t.archived_at IS NULL"
                    ),
                    true,
                ));
            }
        }
        for (kind, sql, context_only) in queries.into_iter().chain(context) {
            let mut stmt = conn.prepare_cached(&sql)?;
            // SQLite wants exactly as many values as the highest parameter number used.
            let all: [&dyn rusqlite::ToSql; 3] = [&standard_id, &since, &today_s];
            let used = if sql.contains("?3") {
                3
            } else if sql.contains("?2") {
                2
            } else {
                1
            };
            let rows = stmt.query_map(&all[..used], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    EvidenceItem {
                        entity_type: kind.to_owned(),
                        id: r.get(1)?,
                        reference: r.get(2)?,
                        title: r.get(3)?,
                        date: r.get(4)?,
                        current: r.get::<_, Option<bool>>(5)?.unwrap_or(false) && !context_only,
                        context_only,
                    },
                    r.get::<_, Option<bool>>(6)?.unwrap_or(false),
                ))
            })?;
            for row in rows {
                let (owner_id, item, nc) = row?;
                if nc {
                    nonconforming.insert(owner_id.clone(), true);
                }
                let list = out.entry(owner_id).or_default();
                // One line per run for responses: several answers in one run are one piece of evidence.
                if !list.iter().any(|x| x.entity_type == item.entity_type && x.id == item.id) {
                    list.push(item);
                }
            }
        }
    }
    Ok((out, nonconforming))
}

/// `compliance.view`: the coverage of every clause and control of a standard.
pub fn view(ctx: &mut Ctx, input: Value) -> Result<ComplianceView> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(&input)?, &["standardId"]);
    let id = v.text("standardId", "Standard", 1, 60, true);
    v.finish()?;
    let standard = load_standard(ctx.conn(), &id.unwrap_or_default())?;
    let conn = ctx.conn();
    let (mut evidence, nonconforming) = evidence(conn, &standard.id, ctx.call.today())?;
    let applicable: HashMap<String, bool> = {
        let mut stmt = conn.prepare_cached(
            "SELECT k.id, COALESCE(e.applicable, 1) FROM controls k LEFT JOIN soa_entries e ON e.control_id = k.id WHERE k.standard_id = ?1",
        )?;
        let rows = stmt.query_map([&standard.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let own = |id: &str, excluded: bool, items: &[EvidenceItem]| -> Coverage {
        if excluded {
            Coverage::NotApplicable
        } else if nonconforming.contains_key(id) {
            Coverage::Nonconforming
        } else if items.iter().any(|i| i.current) {
            Coverage::Covered
        } else if items.iter().any(|i| !i.context_only) {
            Coverage::Partial
        } else {
            Coverage::NotCovered
        }
    };
    let mut items: Vec<ComplianceItem> = Vec::new();
    let clauses = clauses_of(conn, &standard.id)?;
    let controls = controls_of(conn, &standard.id)?;
    // Excluding a clause takes its sub-clauses out of scope too.
    let by_id: HashMap<&str, &ClauseView> = clauses.iter().map(|c| (c.id.as_str(), c)).collect();
    let out_of_scope = |c: &ClauseView| {
        let mut cur = Some(c);
        while let Some(x) = cur {
            if x.excluded {
                return true;
            }
            cur = x.parent_id.as_deref().and_then(|p| by_id.get(p).copied());
        }
        false
    };
    for c in &clauses {
        let ev = evidence.remove(&c.id).unwrap_or_default();
        let o = own(&c.id, out_of_scope(c), &ev);
        items.push(item((&c.id, &c.number, &c.title, false, c.parent_id.clone(), c.level), o, ev));
        for k in controls.iter().filter(|k| k.clause_id == c.id) {
            let ev = evidence.remove(&k.id).unwrap_or_default();
            let o = own(&k.id, !applicable.get(&k.id).copied().unwrap_or(true), &ev);
            items.push(item((&k.id, &k.number, &k.title, true, Some(c.id.clone()), c.level + 1), o, ev));
        }
    }
    // Roll up: deepest first, each parent takes the worst of itself and its children (not applicable ignored).
    let index: HashMap<String, usize> = items.iter().enumerate().map(|(i, x)| (x.id.clone(), i)).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(items[*i].level));
    for i in order {
        let (child, parent) = (items[i].coverage, items[i].parent_id.clone());
        if let Some(p) = parent.and_then(|p| index.get(&p).copied()) {
            if items[p].coverage != Coverage::NotApplicable
                && child != Coverage::NotApplicable
                && severity(child) > severity(items[p].coverage)
            {
                items[p].coverage = child;
            }
        }
    }
    // Leaves: items without children; Annex A themes are never leaves, and for 27001 the clauses 4–10 count.
    let has_children: std::collections::HashSet<&str> = items.iter().filter_map(|x| x.parent_id.as_deref()).collect();
    let leaves: Vec<&ComplianceItem> = items
        .iter()
        .filter(|x| !has_children.contains(x.id.as_str()) && (x.is_control || !x.number.starts_with("A.")))
        .filter(|x| x.own != Coverage::NotApplicable)
        .collect();
    let covered = leaves.iter().filter(|x| x.own == Coverage::Covered).count();
    let coverage_percent = (!leaves.is_empty()).then(|| (covered as f64 * 1000.0 / leaves.len() as f64).round() / 10.0);
    let counts = Coverage::VALUES
        .iter()
        .map(|v| crate::incident::model::ValueCount {
            value: (*v).to_owned(),
            count: items.iter().filter(|x| x.own.as_str() == *v).count() as i64,
        })
        .collect();
    Ok(ComplianceView { standard_id: standard.id, items, coverage_percent, counts })
}

fn target_table(t: LinkTarget) -> &'static str {
    match t {
        LinkTarget::Incident => "incidents",
        LinkTarget::Collision => "collisions",
        LinkTarget::Complaint => "complaints",
        LinkTarget::Risk => "risks",
        LinkTarget::Finding => "findings",
        LinkTarget::AuditRun => "audit_runs",
        LinkTarget::Document => "documents",
        LinkTarget::Evidence => "evidence_files",
    }
}

fn target_reference(conn: &Connection, t: LinkTarget, id: &str) -> Result<Option<String>> {
    let name = if t == LinkTarget::Evidence { "original_name" } else { "reference" };
    Ok(conn.query_row(&format!("SELECT {name} FROM {} WHERE id = ?1", target_table(t)), [id], |r| r.get(0)).optional()?)
}

/// `compliance.link` / `compliance.unlink`: joins a record to a clause or an Annex A control (events on both ends).
pub fn link(ctx: &mut Ctx, input: Value) -> Result<LinkOutcome> {
    change_link(ctx, input, true)
}

pub fn unlink(ctx: &mut Ctx, input: Value) -> Result<LinkOutcome> {
    change_link(ctx, input, false)
}

fn change_link(ctx: &mut Ctx, input: Value, adding: bool) -> Result<LinkOutcome> {
    ctx.call.require(Capability::EditRecords)?;
    let mut v = Input::new(as_object(&input)?, &["clauseId", "controlId", "entityType", "entityId"]);
    let clause = v.id("clauseId", "Clause", false);
    let control = v.id("controlId", "Control", false);
    let target = v.required_choice::<LinkTarget>("entityType", "Record type");
    let entity_id = v.id("entityId", "Record", true);
    if clause.is_some() == control.is_some() {
        v.error("clauseId", FieldCode::Required, "Give either a clause or a control");
    }
    if control.is_some()
        && matches!(target, Some(LinkTarget::Incident | LinkTarget::Collision | LinkTarget::Complaint | LinkTarget::AuditRun))
    {
        v.error("entityType", FieldCode::Inconsistent, "Annex A controls link to risks, findings, documents and evidence files");
    }
    v.finish()?;
    let (Some(target), Some(entity_id)) = (target, entity_id) else { return Err(CoreError::Internal("validated fields missing".into())) };
    let (table, key, owner_id) = match (&clause, &control) {
        (Some(c), _) => ("clause_links", "clause_id", c.clone()),
        (_, Some(c)) => ("control_links", "control_id", c.clone()),
        _ => return Err(CoreError::Internal("validated fields missing".into())),
    };
    let owner: Option<String> = ctx
        .conn()
        .query_row(
            &format!(
                "SELECT s.code || ' ' || x.number FROM {} x JOIN standards s ON s.id = x.standard_id WHERE x.id = ?1",
                if clause.is_some() { "clauses" } else { "controls" }
            ),
            [&owner_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(owner) = owner else {
        return Err(CoreError::field(key.replace("_id", "Id").as_str(), FieldCode::NotFound, "No such clause or control"));
    };
    let Some(reference) = target_reference(ctx.conn(), target, &entity_id)? else {
        return Err(CoreError::field(
            "entityId",
            FieldCode::NotFound,
            format!("No {} has the id {entity_id}", target.as_str().replace('_', " ")),
        ));
    };
    // A contributor edits only records they are involved in; linking one to a clause is an edit of it.
    let involved = crate::involvement::ids(ctx.conn(), target_table(target), &entity_id)?;
    ctx.call.require_on(Capability::EditRecords, &crate::involvement::as_refs(&involved))?;
    let entity = target.as_str();
    ctx.write(|tx, call| {
        let changed = if adding {
            tx.execute(
                &format!(
                    "INSERT OR IGNORE INTO {table} ({key}, entity_type, entity_id, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)"
                ),
                rusqlite::params![owner_id, entity, entity_id, call.now_text(), call.actor()?.id],
            )?
        } else {
            tx.execute(
                &format!("DELETE FROM {table} WHERE {key} = ?1 AND entity_type = ?2 AND entity_id = ?3"),
                rusqlite::params![owner_id, entity, entity_id],
            )?
        };
        if changed > 0 {
            let action = if adding { AuditAction::Link } else { AuditAction::Unlink };
            let (old, new) = if adding { (Value::Null, json!(reference)) } else { (json!(reference), Value::Null) };
            let (o2, n2) = if adding { (Value::Null, json!(owner)) } else { (json!(owner), Value::Null) };
            let owner_type = if clause.is_some() { "clause" } else { "control" };
            audit_trail::append(
                tx,
                call,
                NewEvent {
                    entity_type: owner_type,
                    entity_id: &owner_id,
                    entity_reference: Some(&owner),
                    action,
                    changes: vec![Change::new("linked record", old, new)],
                    reason: None,
                },
            )?;
            audit_trail::append(
                tx,
                call,
                NewEvent {
                    entity_type: entity,
                    entity_id: &entity_id,
                    entity_reference: Some(&reference),
                    action,
                    changes: vec![Change::new(owner_type, o2, n2)],
                    reason: None,
                },
            )?;
        }
        Ok(())
    })?;
    Ok(LinkOutcome { linked: adding })
}
