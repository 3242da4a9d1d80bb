//! Risk links (§1.7): a risk ↔ an incident, collision, complaint, finding, audit run or document. One link table per pair, with foreign keys to
//! both ends; linking and unlinking write an event on both records and change neither record's version.

use super::model::*;
use super::{involved, load, view, ENTITY};
use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{as_object, Input};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{json, Value};

crate::choice_enum! {
    /// The kinds of record a risk links to.
    pub enum LinkedType {
        Incident => "incident", Collision => "collision", Complaint => "complaint",
        Finding => "finding", AuditRun => "audit_run", Document => "document",
    }
}

/// Every kind, in the order a risk lists its links.
const ALL: [LinkedType; 6] =
    [LinkedType::Incident, LinkedType::Collision, LinkedType::Complaint, LinkedType::Finding, LinkedType::AuditRun, LinkedType::Document];

struct Pair {
    link_table: &'static str,
    column: &'static str,
    table: &'static str,
}

fn pair(t: LinkedType) -> Pair {
    match t {
        LinkedType::Incident => Pair { link_table: "risk_incident_links", column: "incident_id", table: "incidents" },
        LinkedType::Collision => Pair { link_table: "risk_collision_links", column: "collision_id", table: "collisions" },
        LinkedType::Complaint => Pair { link_table: "risk_complaint_links", column: "complaint_id", table: "complaints" },
        LinkedType::Finding => Pair { link_table: "risk_finding_links", column: "finding_id", table: "findings" },
        LinkedType::AuditRun => Pair { link_table: "risk_run_links", column: "run_id", table: "audit_runs" },
        LinkedType::Document => Pair { link_table: "risk_document_links", column: "document_id", table: "documents" },
    }
}

/// The other end of a link.
struct End {
    kind: LinkedType,
    id: String,
    reference: String,
    archived: bool,
    created_by: String,
}

fn read(ctx: &Ctx, input: &Value) -> Result<(RiskRecord, End)> {
    ctx.call.require(Capability::EditRecords)?;
    let mut v = Input::new(as_object(input)?, &["riskId", "recordType", "recordId"]);
    let risk_id = v.id("riskId", "Risk", true);
    let kind = v.required_choice::<LinkedType>("recordType", "Record type");
    let record_id = v.id("recordId", "Record", true);
    v.finish()?;
    let (Some(risk_id), Some(kind), Some(record_id)) = (risk_id, kind, record_id) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let risk = super::store::find(ctx.conn(), &risk_id)?.ok_or_else(|| CoreError::field("riskId", FieldCode::NotFound, "No such risk"))?;
    let p = pair(kind);
    let end = ctx
        .conn()
        .query_row(
            &format!("SELECT id, reference, archived_at IS NOT NULL, created_by FROM {} WHERE id = ?1", p.table),
            [&record_id],
            |r| Ok(End { kind, id: r.get(0)?, reference: r.get(1)?, archived: r.get(2)?, created_by: r.get(3)? }),
        )
        .optional()?
        .ok_or_else(|| CoreError::field("recordId", FieldCode::NotFound, format!("No such {kind}")))?;
    let mut involved_ids: Vec<Option<&str>> = involved(&risk).to_vec();
    involved_ids.push(Some(end.created_by.as_str()));
    ctx.call.require_on(Capability::EditRecords, &involved_ids)?;
    Ok((risk, end))
}

fn is_linked(conn: &Connection, risk_id: &str, end: &End) -> Result<bool> {
    let p = pair(end.kind);
    Ok(conn
        .prepare_cached(&format!("SELECT 1 FROM {} WHERE risk_id = ?1 AND {} = ?2", p.link_table, p.column))?
        .query_row([risk_id, end.id.as_str()], |_| Ok(()))
        .optional()?
        .is_some())
}

fn events(tx: &Transaction, call: &Call, risk: &RiskRecord, end: &End, action: AuditAction) -> Result<()> {
    let old_new =
        |reference: &str| if action == AuditAction::Link { (Value::Null, json!(reference)) } else { (json!(reference), Value::Null) };
    let linked_field = format!("linked_{}", end.kind);
    for (entity_type, id, reference, field, other) in [
        (ENTITY, &risk.id, &risk.reference, linked_field.as_str(), &end.reference),
        (end.kind.as_str(), &end.id, &end.reference, "linked_risk", &risk.reference),
    ] {
        let (o, n) = old_new(other);
        audit_trail::append(
            tx,
            call,
            NewEvent {
                entity_type,
                entity_id: id,
                entity_reference: Some(reference),
                action,
                changes: vec![Change::new(field, o, n)],
                reason: None,
            },
        )?;
    }
    Ok(())
}

use crate::validate::Choice;

/// `risks.link`: `{riskId, recordType, recordId}`; both ends must exist and neither be archived.
pub fn link(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    let (risk, end) = read(ctx, &input)?;
    let mut v = Input::new(as_object(&input)?, &["riskId", "recordType", "recordId"]);
    if risk.archived_at.is_some() {
        v.error("riskId", FieldCode::ArchivedTarget, format!("{} is archived", risk.reference));
    }
    if end.archived {
        v.error("recordId", FieldCode::ArchivedTarget, format!("{} is archived", end.reference));
    }
    if is_linked(ctx.conn(), &risk.id, &end)? {
        v.error("recordId", FieldCode::Duplicate, format!("{} is already linked to {}", end.reference, risk.reference));
    }
    v.finish()?;
    ctx.write(|tx, call| {
        let p = pair(end.kind);
        tx.prepare_cached(&format!(
            "INSERT INTO {} (risk_id, {}, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
            p.link_table, p.column
        ))?
        .execute([risk.id.as_str(), end.id.as_str(), call.now_text().as_str(), call.actor()?.id.as_str()])?;
        events(tx, call, &risk, &end, AuditAction::Link)
    })?;
    let record = load(ctx.conn(), &risk.id)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `risks.unlink`: `{riskId, recordType, recordId}`; the link's history stays in both records' trails.
pub fn unlink(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    let (risk, end) = read(ctx, &input)?;
    crate::workflow::check_not_archived(&super::label(&risk.reference), risk.archived_at.as_deref())?;
    if !is_linked(ctx.conn(), &risk.id, &end)? {
        return Err(CoreError::field("recordId", FieldCode::NotFound, format!("{} is not linked to {}", end.reference, risk.reference)));
    }
    ctx.write(|tx, call| {
        let p = pair(end.kind);
        tx.prepare_cached(&format!("DELETE FROM {} WHERE risk_id = ?1 AND {} = ?2", p.link_table, p.column))?
            .execute([risk.id.as_str(), end.id.as_str()])?;
        events(tx, call, &risk, &end, AuditAction::Unlink)
    })?;
    let record = load(ctx.conn(), &risk.id)?;
    view(ctx.conn(), &ctx.call, record)
}

fn rows(conn: &Connection, sql: &str, id: &str, entity_type: &str) -> Result<Vec<LinkedRecord>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id], |r| {
        Ok(LinkedRecord {
            entity_type: entity_type.to_owned(),
            id: r.get(0)?,
            reference: r.get(1)?,
            title: r.get(2)?,
            status: r.get(3)?,
            archived: r.get(4)?,
            linked_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every record linked to a risk, newest link first.
pub fn linked_records(conn: &Connection, risk_id: &str) -> Result<Vec<LinkedRecord>> {
    let mut out = Vec::new();
    for kind in ALL {
        let p = pair(kind);
        out.extend(rows(
            conn,
            &format!(
                "SELECT t.id, t.reference, t.title, t.status, t.archived_at IS NOT NULL, l.created_at
                 FROM {} l JOIN {} t ON t.id = l.{} WHERE l.risk_id = ?1",
                p.link_table, p.table, p.column
            ),
            risk_id,
            kind.as_str(),
        )?);
    }
    out.sort_by(|a, b| b.linked_at.cmp(&a.linked_at).then_with(|| a.reference.cmp(&b.reference)));
    Ok(out)
}

/// Risks linked to a record, newest link first.
pub fn risks_of(conn: &Connection, kind: LinkedType, record_id: &str) -> Result<Vec<LinkedRecord>> {
    let p = pair(kind);
    rows(
        conn,
        &format!(
            "SELECT r.id, r.reference, r.title, r.status, r.archived_at IS NOT NULL, l.created_at
             FROM {} l JOIN risks r ON r.id = l.risk_id WHERE l.{} = ?1 ORDER BY l.created_at DESC, r.reference",
            p.link_table, p.column
        ),
        record_id,
        "risk",
    )
}
