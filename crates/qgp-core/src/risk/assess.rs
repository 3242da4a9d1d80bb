//! Risk assessments (append-only history that sets the current rating) and risk controls.

use super::model::*;
use super::{check_writable, involved, label, load, rules, store, view, ENTITY};
use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::rowmap::to_object;
use crate::validate::{as_object, Input};
use crate::workflow;
use serde_json::{json, Map, Value};

/// `risks.assess`: `{id, rowVersion, assessmentDate, inherent…, residual…, target…?, notes?}`. Appends an
/// assessment; the latest one (assessment date, then recording time) sets the risk's likelihood, impact, score and
/// level from its residual values, and the next review date becomes its date + the review frequency.
pub fn assess(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    ctx.call.require(Capability::EditRecords)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &[rules::ASSESSMENT_KEYS, &["id", "rowVersion"]].concat());
    let (id, row_version) = workflow::read_target(&mut v);
    let target_errors = v.errors().iter().filter(|e| e.field == "id" || e.field == "rowVersion").cloned().collect::<Vec<_>>();
    if !target_errors.is_empty() {
        return Err(CoreError::validation(target_errors));
    }
    let (Some(id), Some(row_version)) = (id, row_version) else { return Err(CoreError::Internal("validated fields missing".into())) };
    let current = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::EditRecords, &involved(&current))?;
    let fields = rules::read_assessment(map, ctx.call.today(), &["id", "rowVersion"])?;
    check_writable(&current, row_version)?;
    let previous = store::assessments(ctx.conn(), &id)?;
    let record = ctx.write(|tx, call| {
        let actor = call.actor()?;
        let assessment = RiskAssessment {
            id: crate::ids::new_id(),
            risk_id: current.id.clone(),
            assessment_date: fields.assessment_date.to_string(),
            assessment_type: fields.assessment_type,
            inherent_likelihood: fields.inherent.likelihood,
            inherent_impact: fields.inherent.impact,
            inherent_score: fields.inherent.score,
            inherent_level: fields.inherent.level,
            residual_likelihood: fields.residual.likelihood,
            residual_impact: fields.residual.impact,
            residual_score: fields.residual.score,
            residual_level: fields.residual.level,
            target_likelihood: fields.target.map(|t| t.likelihood),
            target_impact: fields.target.map(|t| t.impact),
            target_score: fields.target.map(|t| t.score),
            target_level: fields.target.map(|t| t.level),
            notes: fields.notes.clone(),
            control_effectiveness_notes: fields.control_effectiveness_notes.clone(),
            assessed_by: actor.id.clone(),
            created_at: call.now_text(),
        };
        store::insert_assessment(tx, &assessment)?;
        // The new one is recorded last, so it is the latest unless an earlier-dated one already exists later.
        let latest = match previous.first() {
            Some(p) if p.assessment_date > assessment.assessment_date => p.clone(),
            _ => assessment.clone(),
        };
        let mut record = current.clone();
        let mut changes = vec![Change::new("assessment", Value::Null, serde_json::to_value(&assessment)?)];
        let r = rules::rating(latest.residual_likelihood, latest.residual_impact);
        workflow::stamp(&mut changes, "likelihood", &mut record.likelihood, r.likelihood);
        workflow::stamp(&mut changes, "impact", &mut record.impact, r.impact);
        workflow::stamp(&mut changes, "score", &mut record.score, r.score);
        workflow::stamp(&mut changes, "level", &mut record.level, r.level);
        workflow::stamp(&mut changes, "inherent_likelihood", &mut record.inherent_likelihood, latest.inherent_likelihood);
        workflow::stamp(&mut changes, "inherent_impact", &mut record.inherent_impact, latest.inherent_impact);
        workflow::stamp(&mut changes, "target_likelihood", &mut record.target_likelihood, latest.target_likelihood);
        workflow::stamp(&mut changes, "target_impact", &mut record.target_impact, latest.target_impact);
        let base: jiff::civil::Date = latest.assessment_date.parse().map_err(|e| CoreError::Internal(format!("stored date: {e}")))?;
        let next = rules::add_months(base, record.fields.review_frequency_months).to_string();
        workflow::stamp(&mut changes, "next_review_date", &mut record.fields.next_review_date, next);
        crate::lifecycle::save(tx, call, &mut record, AuditAction::Update, changes, None)?;
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

fn control_changes(id: &str, before: Option<&Map<String, Value>>, after: &Map<String, Value>) -> Vec<Change> {
    let empty = Map::new();
    audit_trail::diff_changes(before.unwrap_or(&empty), after)
        .into_iter()
        .map(|c| Change::new(format!("controls.{id}.{}", c.field), c.old, c.new))
        .collect()
}

fn append_risk_event(tx: &rusqlite::Transaction, call: &crate::context::Call, risk: &RiskRecord, changes: Vec<Change>) -> Result<()> {
    audit_trail::append(
        tx,
        call,
        NewEvent {
            entity_type: ENTITY,
            entity_id: &risk.id,
            entity_reference: Some(&risk.reference),
            action: AuditAction::Update,
            changes,
            reason: None,
        },
    )?;
    Ok(())
}

fn writable_parent(ctx: &Ctx, risk: &RiskRecord) -> Result<()> {
    ctx.call.require_on(Capability::EditRecords, &involved(risk))?;
    let name = label(&risk.reference);
    workflow::check_not_archived(&name, risk.archived_at.as_deref())?;
    if risk.status == RiskStatus::Closed {
        return Err(CoreError::Conflict(format!("{name} is closed and read-only. Reopen it to change its controls.")));
    }
    Ok(())
}

/// `risks.add_control`: `{riskId, control: {...}}`. Controls are never deleted; a retired one is marked
/// `not_applicable`.
pub fn add_control(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["riskId", "control"]);
    let risk_id = v.id("riskId", "Risk", true);
    let control = match v.raw("control") {
        Some(Value::Object(c)) => Some(c.clone()),
        _ => {
            v.error("control", FieldCode::Required, "Control must be an object of field values");
            None
        }
    };
    v.finish()?;
    let (Some(risk_id), Some(control)) = (risk_id, control) else { return Err(CoreError::Internal("validated fields missing".into())) };
    let risk = load(ctx.conn(), &risk_id)?;
    writable_parent(ctx, &risk)?;
    let (fields, next_test_date) = rules::read_control(ctx.conn(), &control, ctx.call.today())?;
    ctx.write(|tx, call| {
        let actor = call.actor()?;
        let now = call.now_text();
        let c = RiskControl {
            id: crate::ids::new_id(),
            risk_id: risk.id.clone(),
            fields,
            next_test_date,
            created_at: now.clone(),
            updated_at: now,
            created_by: actor.id.clone(),
            updated_by: actor.id.clone(),
            row_version: 1,
        };
        store::insert_control(tx, &c)?;
        let mut after = to_object(&c.fields)?;
        after.insert("nextTestDate".into(), json!(c.next_test_date));
        append_risk_event(tx, call, &risk, control_changes(&c.id, None, &after))
    })?;
    let record = load(ctx.conn(), &risk.id)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `risks.update_control`: `{id, rowVersion, changes}` on one control.
pub fn update_control(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["id", "rowVersion", "changes"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let changes = match v.raw("changes") {
        Some(Value::Object(c)) => Some(c.clone()),
        _ => {
            v.error("changes", FieldCode::Required, "Changes must be an object of field values");
            None
        }
    };
    v.finish()?;
    let (Some(id), Some(row_version), Some(changes)) = (id, row_version, changes) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = store::find_control(ctx.conn(), &id)?.ok_or_else(|| CoreError::NotFound(format!("No risk control has the id {id}.")))?;
    let risk = load(ctx.conn(), &current.risk_id)?;
    writable_parent(ctx, &risk)?;
    workflow::check_row_version(&format!("Control '{}'", current.fields.title), current.row_version, row_version)?;
    let mut merged = to_object(&current.fields)?;
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let (fields, next_test_date) = rules::read_control(ctx.conn(), &merged, ctx.call.today())?;
    let mut before = to_object(&current.fields)?;
    before.insert("nextTestDate".into(), json!(current.next_test_date));
    let mut after = to_object(&fields)?;
    after.insert("nextTestDate".into(), json!(next_test_date));
    let diff = control_changes(&current.id, Some(&before), &after);
    if !diff.is_empty() {
        ctx.write(|tx, call| {
            let actor = call.actor()?;
            let mut c = current.clone();
            c.fields = fields;
            c.next_test_date = next_test_date;
            c.updated_at = call.now_text();
            c.updated_by = actor.id.clone();
            c.row_version += 1;
            store::update_control(tx, &c)?;
            append_risk_event(tx, call, &risk, diff)
        })?;
    }
    view(ctx.conn(), &ctx.call, risk)
}
