//! Actions / CAPA (domain.md §7): one module for every containment, corrective, preventive and improvement
//! action, whatever raised it. Verification is an e-signature with segregation of duties.

mod list;
pub mod model;
pub mod rules;
pub mod store;

pub use list::list;

use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::{Capability, Role};
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::signature::{self, SignatureMeaning, Signing};
use crate::validate::{as_object, Choice, Input};
use crate::workflow;
use jiff::civil::Date;
use model::*;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{json, Map, Value};

const ENTITY: &str = "action";
const PREFIX: &str = "ACT";

fn label(reference: &str) -> String {
    format!("Action {reference}")
}

fn to_map(v: &impl serde::Serialize) -> Result<Map<String, Value>> {
    match serde_json::to_value(v)? {
        Value::Object(m) => Ok(m),
        _ => Err(CoreError::Internal("expected an object".into())),
    }
}

/// The record an action is raised from, as far as actions need to know it.
struct Source {
    reference: String,
    /// How messages name it (an investigation names its subject too).
    label: String,
    closed: bool,
    archived: bool,
    involved: Vec<String>,
}

fn source(conn: &Connection, source_type: ActionSourceType, id: &str) -> Result<Option<Source>> {
    match source_type {
        ActionSourceType::Incident => Ok(conn
            .query_row(
                "SELECT reference, status = 'closed', archived_at IS NOT NULL, created_by, investigator_id FROM incidents WHERE id = ?1",
                [id],
                |r| {
                    let mut involved = vec![r.get::<_, String>(3)?];
                    involved.extend(r.get::<_, Option<String>>(4)?);
                    Ok(Source { label: r.get(0)?, reference: r.get(0)?, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
        ActionSourceType::Risk => Ok(conn
            .query_row(
                "SELECT reference, status = 'closed', archived_at IS NOT NULL, created_by, owner_id FROM risks WHERE id = ?1",
                [id],
                |r| {
                    let mut involved = vec![r.get::<_, String>(3)?];
                    involved.extend(r.get::<_, Option<String>>(4)?);
                    Ok(Source { label: r.get(0)?, reference: r.get(0)?, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
        ActionSourceType::Collision => Ok(conn
            .query_row(
                "SELECT reference, status = 'closed', archived_at IS NOT NULL, created_by, investigator_id, driver_user_id FROM collisions WHERE id = ?1",
                [id],
                |r| {
                    let mut involved = vec![r.get::<_, String>(3)?];
                    involved.extend(r.get::<_, Option<String>>(4)?);
                    involved.extend(r.get::<_, Option<String>>(5)?);
                    Ok(Source { label: r.get(0)?, reference: r.get(0)?, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
        ActionSourceType::Complaint => Ok(conn
            .query_row(
                "SELECT reference, status = 'closed', archived_at IS NOT NULL, created_by, owner_id FROM complaints WHERE id = ?1",
                [id],
                |r| {
                    let mut involved = vec![r.get::<_, String>(3)?];
                    involved.extend(r.get::<_, Option<String>>(4)?);
                    Ok(Source { label: r.get(0)?, reference: r.get(0)?, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
        // §7: for an investigation, its subject must also be neither archived nor closed.
        ActionSourceType::Investigation => Ok(conn
            .query_row(
                "SELECT v.reference, v.status = 'closed' OR s.status = 'closed', v.archived_at IS NOT NULL OR s.archived_at IS NOT NULL,
                        v.created_by, v.lead_investigator_id, v.reviewer_id, v.subject_reference
                 FROM investigations v
                 LEFT JOIN (SELECT 'incident' AS kind, id, status, archived_at FROM incidents
                            UNION ALL SELECT 'complaint', id, status, archived_at FROM complaints
                            UNION ALL SELECT 'collision', id, status, archived_at FROM collisions) s
                   ON s.kind = v.subject_type AND s.id = v.subject_id
                 WHERE v.id = ?1",
                [id],
                |r| {
                    let mut involved = vec![r.get::<_, String>(3)?, r.get::<_, String>(4)?];
                    involved.extend(r.get::<_, Option<String>>(5)?);
                    let subject: Option<String> = r.get(6)?;
                    let reference: String = r.get(0)?;
                    let label = format!("{reference} or its subject {}", subject.unwrap_or_default());
                    Ok(Source { reference, label, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
        // A finding's actions: its run's lead auditor is involved too.
        ActionSourceType::Finding => Ok(conn
            .query_row(
                "SELECT f.reference, f.status = 'closed', f.archived_at IS NOT NULL OR r.archived_at IS NOT NULL, f.created_by, r.lead_auditor_id
                 FROM findings f JOIN audit_runs r ON r.id = f.run_id WHERE f.id = ?1",
                [id],
                |r| {
                    let involved = vec![r.get::<_, String>(3)?, r.get::<_, String>(4)?];
                    Ok(Source { label: r.get(0)?, reference: r.get(0)?, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
        // An action from a periodic review lives as long as its document is in force.
        ActionSourceType::DocumentReview => Ok(conn
            .query_row(
                "SELECT d.reference, d.status IN ('retired', 'superseded'), d.archived_at IS NOT NULL, d.created_by, d.owner_id,
                        r.reviewer_id, r.reviewed_on
                 FROM document_reviews r JOIN documents d ON d.id = r.document_id WHERE r.id = ?1",
                [id],
                |r| {
                    let reference: String = r.get(0)?;
                    let on: String = r.get(6)?;
                    let label = format!("The review of {reference} on {on}");
                    let involved = vec![r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?];
                    Ok(Source { reference, label, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
    }
}

/// The date (in the configured zone) on which an instant fell.
fn date_of(instant: &str, call: &Call) -> Date {
    instant.parse::<jiff::Timestamp>().map(|ts| crate::clock::today_in(ts, &call.settings.zone())).unwrap_or_else(|_| call.today())
}

/// `actions.create`: raises an action from exactly one source record, which must exist and be neither archived
/// nor closed.
pub fn create(ctx: &mut Ctx, input: Value) -> Result<ActionView> {
    ctx.call.require(Capability::CreateActions)?;
    let map = as_object(&input)?.clone();
    let record = ctx.write(|tx, call| create_in(tx, call, &map))?;
    view(ctx.conn(), &ctx.call, record)
}

/// Raises an action inside an open transaction (validation, the source check, own-record rights, the event);
/// the building block of `actions.create` and of imports.
pub fn create_in(tx: &Transaction, call: &Call, map: &Map<String, Value>) -> Result<ActionRecord> {
    let mut v = Input::new(map, &[FIELD_KEYS, &["sourceType", "sourceId"]].concat());
    let source_type = v.required_choice::<ActionSourceType>("sourceType", "Source type");
    let source_id = v.id("sourceId", "Source record", true);
    let src = match (source_type, &source_id) {
        (Some(t), Some(id)) => {
            let found = source(tx, t, id)?;
            match &found {
                None => v.error("sourceId", FieldCode::NotFound, format!("No {} has the id {id}", t.as_str().replace('_', " "))),
                Some(s) if s.archived => v.error("sourceId", FieldCode::ArchivedTarget, format!("{} is archived", s.label)),
                Some(s) if s.closed => {
                    v.error("sourceId", FieldCode::Inconsistent, format!("{} is closed; reopen it to raise actions", s.label))
                }
                Some(_) => {}
            }
            found
        }
        _ => None,
    };
    // Who may raise actions on this source is decided before the rest of the input is judged.
    if let Some(s) = &src {
        let involved: Vec<Option<&str>> = s.involved.iter().map(|id| Some(id.as_str())).collect();
        call.require_on(Capability::CreateActions, &involved)?;
    }
    let field_errors = v.errors().to_vec();
    let fields = rules::read_fields(tx, map, call.today(), &["sourceType", "sourceId"]);
    let fields = match (fields, field_errors.is_empty()) {
        (Ok(f), true) => f,
        (Ok(_), false) => return Err(CoreError::validation(field_errors)),
        (Err(CoreError::Validation { fields, .. }), _) => {
            let mut all: Vec<_> = field_errors.into_iter().filter(|e| !e.message.contains("is not a field")).collect();
            all.extend(fields);
            return Err(CoreError::validation(all));
        }
        (Err(e), _) => return Err(e),
    };
    let (Some(source_type), Some(source_id), Some(src)) = (source_type, source_id, src) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let actor = call.actor()?;
    let now = call.now_text();
    let record = ActionRecord {
        id: crate::ids::new_id(),
        reference: crate::reference::allocate(tx, PREFIX, &now)?,
        source_type,
        source_id: source_id.clone(),
        source_reference: Some(src.reference.clone()),
        original_due_date: fields.due_date.clone(),
        fields,
        due_date_changes: Vec::new(),
        status: ActionStatus::Open,
        is_effective: None,
        started_at: None,
        completed_at: None,
        completed_by: None,
        verified_at: None,
        verified_by: None,
        cancelled_at: None,
        reopen_count: 0,
        created_at: now.clone(),
        updated_at: now,
        created_by: actor.id.clone(),
        updated_by: actor.id.clone(),
        row_version: 1,
        archived_at: None,
        archived_by: None,
        archive_reason: None,
    };
    store::insert(tx, &record)?;
    let mut created = to_map(&record.fields)?;
    created.insert("sourceType".into(), json!(source_type));
    created.insert("sourceId".into(), json!(source_id));
    created.insert("status".into(), json!(record.status));
    audit_trail::append(
        tx,
        call,
        NewEvent {
            entity_type: ENTITY,
            entity_id: &record.id,
            entity_reference: Some(&record.reference),
            action: AuditAction::Create,
            changes: audit_trail::created_changes(&created),
            reason: None,
        },
    )?;
    if source_type == ActionSourceType::Finding {
        crate::finding::on_action_raised(tx, call, &source_id)?;
    }
    Ok(record)
}

fn load(conn: &Connection, id: &str) -> Result<ActionRecord> {
    store::find(conn, id)?.ok_or_else(|| CoreError::NotFound(format!("No action has the id {id}.")))
}

fn transition_options(record: &ActionRecord, call: &Call) -> Vec<ActionTransitionOption> {
    if record.archived_at.is_some() {
        return Vec::new();
    }
    rules::allowed_targets(record.status, record.fields.requires_verification)
        .into_iter()
        .map(|to| ActionTransitionOption {
            to,
            needs: rules::needs(record.status, to).iter().map(|s| (*s).to_owned()).collect(),
            unmet_guards: unmet(record, to, call),
            signature: to == ActionStatus::Verified,
        })
        .collect()
}

/// Guards about who may take a step (shown on hover; enforced as `forbidden`).
fn unmet(record: &ActionRecord, to: ActionStatus, call: &Call) -> Vec<String> {
    let Ok(actor) = call.actor() else { return vec!["Sign in first.".into()] };
    let mut out = Vec::new();
    match to {
        ActionStatus::Completed if actor.id != record.fields.owner_id && !matches!(actor.role, Role::Admin | Role::Manager) => {
            out.push("Only the owner, a manager or an administrator can complete an action.".into())
        }
        ActionStatus::Verified | ActionStatus::InProgress if record.status == ActionStatus::Completed => {
            if !actor.role.grants(Capability::ReviewAndVerify) {
                out.push("Your role cannot verify actions.".into());
            } else if call.settings.segregation_of_duties && actor.id == record.fields.owner_id {
                out.push(crate::settings::segregation_refusal("the action's owner cannot verify it."));
            }
        }
        _ => {}
    }
    out
}

fn view(conn: &Connection, call: &Call, record: ActionRecord) -> Result<ActionView> {
    let owner_name = crate::users::find(conn, &record.fields.owner_id)?.map(|u| u.display_name);
    let flags = rules::flags(&record, call.today(), call.settings.due_soon_days);
    let transitions = transition_options(&record, call);
    let signatures = signature::list_for(conn, ENTITY, &record.id)?;
    Ok(ActionView { record, owner_name, flags, transitions, signatures })
}

/// `actions.get`: one action by id.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<ActionView> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(&input)?, &["id"]);
    let id = v.id("id", "Record id", true);
    v.finish()?;
    let record = load(ctx.conn(), &id.unwrap_or_default())?;
    view(ctx.conn(), &ctx.call, record)
}

fn involved(record: &ActionRecord) -> [Option<&str>; 2] {
    [Some(record.created_by.as_str()), Some(record.fields.owner_id.as_str())]
}

fn check_writable(record: &ActionRecord, quoted: i64) -> Result<()> {
    let name = label(&record.reference);
    workflow::check_not_archived(&name, record.archived_at.as_deref())?;
    workflow::check_row_version(&name, record.row_version, quoted)?;
    if rules::is_terminal(record.status, record.fields.requires_verification) {
        return Err(CoreError::Conflict(format!("{name} is {} and read-only.", record.status.as_str().replace('_', " "))));
    }
    Ok(())
}

/// `actions.update`: `{id, rowVersion, changes, dueDateChangeReason?}`. Moving the due date later needs a reason,
/// recorded in `due_date_changes` and as the event's reason.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<ActionView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["id", "rowVersion", "changes", "dueDateChangeReason"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let reason = v.text("dueDateChangeReason", "Reason for the new due date", 1, 1000, false);
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
    let current = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::EditRecords, &involved(&current))?;
    check_writable(&current, row_version)?;
    let mut merged = to_map(&current.fields)?;
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let raised_on = date_of(&current.created_at, &ctx.call);
    let fields = crate::validate::keeping(&current.fields, || rules::read_fields(ctx.conn(), &merged, raised_on, &[]))?;
    let later = fields.due_date > current.fields.due_date;
    if later && reason.is_none() {
        return Err(CoreError::field(
            "dueDateChangeReason",
            FieldCode::Required,
            format!("A reason is required to move the due date later (from {} to {})", current.fields.due_date, fields.due_date),
        ));
    }
    let diff = audit_trail::diff_changes(&to_map(&current.fields)?, &to_map(&fields)?);
    if diff.is_empty() {
        return view(ctx.conn(), &ctx.call, current);
    }
    let record = ctx.write(|tx, call| {
        let actor = call.actor()?;
        let mut record = current.clone();
        let mut diff = diff;
        if later {
            let change = DueDateChange {
                old: current.fields.due_date.clone(),
                new: fields.due_date.clone(),
                reason: reason.clone().unwrap_or_default(),
                changed_by: actor.id.clone(),
                changed_at: call.now_text(),
            };
            record.due_date_changes.push(change);
            diff.push(Change::new("due_date_changes", json!(current.due_date_changes), json!(record.due_date_changes)));
        }
        record.fields = fields;
        record.updated_at = call.now_text();
        record.updated_by = actor.id.clone();
        record.row_version += 1;
        store::update(tx, &record)?;
        audit_trail::append(
            tx,
            call,
            NewEvent {
                entity_type: ENTITY,
                entity_id: &record.id,
                entity_reference: Some(&record.reference),
                action: AuditAction::Update,
                changes: diff,
                reason: if later { reason.as_deref() } else { None },
            },
        )?;
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `actions.transition`: `{id, rowVersion, to, reason?, completionNotes?, verificationNotes?, passphrase?, comment?}`.
pub fn transition(ctx: &mut Ctx, input: Value) -> Result<ActionView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    let map = as_object(&input)?;
    let keys = ["id", "rowVersion", "to", "reason", "completionNotes", "verificationNotes", "passphrase", "comment"];
    let mut v = Input::new(map, &keys);
    let (id, row_version) = workflow::read_target(&mut v);
    let to = v.required_choice::<ActionStatus>("to", "Target status");
    let reason = v.text("reason", "Reason", 1, 1000, false);
    let completion_notes = v.long_text("completionNotes", "Completion notes", 0, 5000, false);
    let verification_notes = v.long_text("verificationNotes", "Verification notes", 0, 5000, false);
    let comment = v.text("comment", "Comment", 0, 1000, false);
    // The passphrase is never trimmed, normalised here, logged or stored.
    let passphrase = map.get("passphrase").and_then(Value::as_str).map(str::to_owned);
    v.finish()?;
    let (Some(id), Some(row_version), Some(to)) = (id, row_version, to) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load(ctx.conn(), &id)?;
    let from = current.status;
    let name = label(&current.reference);
    workflow::check_not_archived(&name, current.archived_at.as_deref())?;
    workflow::check_row_version(&name, current.row_version, row_version)?;
    let allowed = rules::allowed_targets(from, current.fields.requires_verification);
    if !allowed.contains(&to) {
        let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &names, Vec::new(), Vec::new()));
    }
    let verifying = from == ActionStatus::Completed;
    if verifying {
        ctx.call.require(Capability::ReviewAndVerify)?;
    } else {
        ctx.call.require_on(Capability::EditRecords, &involved(&current))?;
    }
    if let Some(why) = unmet(&current, to, &ctx.call).into_iter().next() {
        return Err(CoreError::Forbidden(why));
    }
    let completion_notes = completion_notes.or_else(|| current.fields.completion_notes.clone());
    let mut needs = Input::new(map, &keys);
    for need in rules::needs(from, to) {
        match *need {
            "reason" if reason.is_none() => needs.error("reason", FieldCode::Required, "Reason is required for this step"),
            "completionNotes" if completion_notes.is_none() => {
                needs.error("completionNotes", FieldCode::Required, "Completion notes are required to complete")
            }
            "verificationNotes" if verification_notes.is_none() => {
                needs.error("verificationNotes", FieldCode::Required, "Verification notes are required")
            }
            "passphrase" if passphrase.as_deref().unwrap_or("").is_empty() => {
                needs.error("passphrase", FieldCode::Required, "Enter your passphrase to sign")
            }
            _ => {}
        }
    }
    needs.finish()?;
    if to == ActionStatus::Verified {
        signature::reauthenticate(ctx, passphrase.as_deref().unwrap_or(""))?;
    }
    let record = ctx.write(|tx, call| {
        apply_transition(tx, call, &current, to, reason.as_deref(), completion_notes, verification_notes, comment.as_deref())
    })?;
    view(ctx.conn(), &ctx.call, record)
}

#[allow(clippy::too_many_arguments)]
fn apply_transition(
    tx: &Transaction,
    call: &Call,
    current: &ActionRecord,
    to: ActionStatus,
    reason: Option<&str>,
    completion_notes: Option<String>,
    verification_notes: Option<String>,
    comment: Option<&str>,
) -> Result<ActionRecord> {
    use ActionStatus::*;
    let actor = call.actor()?;
    let now = call.now_text();
    let from = current.status;
    let mut record = current.clone();
    let mut changes = vec![Change::new("status", json!(from), json!(to))];
    fn stamp(changes: &mut Vec<Change>, field: &str, slot: &mut Option<String>, value: Option<String>) {
        if *slot != value {
            changes.push(Change::new(field, json!(slot), json!(value)));
            *slot = value;
        }
    }
    match (from, to) {
        (Open, InProgress) => stamp(&mut changes, "started_at", &mut record.started_at, Some(now.clone())),
        (_, Completed) => {
            stamp(&mut changes, "completion_notes", &mut record.fields.completion_notes, completion_notes);
            stamp(&mut changes, "completed_at", &mut record.completed_at, Some(now.clone()));
            stamp(&mut changes, "completed_by", &mut record.completed_by, Some(actor.id.clone()));
        }
        (Completed, Verified) => {
            stamp(&mut changes, "verification_notes", &mut record.fields.verification_notes, verification_notes);
            changes.push(Change::new("is_effective", json!(record.is_effective), json!(true)));
            record.is_effective = Some(true);
            stamp(&mut changes, "verified_at", &mut record.verified_at, Some(now.clone()));
            stamp(&mut changes, "verified_by", &mut record.verified_by, Some(actor.id.clone()));
        }
        (Completed, InProgress) => {
            stamp(&mut changes, "verification_notes", &mut record.fields.verification_notes, verification_notes);
            changes.push(Change::new("is_effective", json!(record.is_effective), json!(false)));
            record.is_effective = Some(false);
            stamp(&mut changes, "completed_at", &mut record.completed_at, None);
            stamp(&mut changes, "completed_by", &mut record.completed_by, None);
            changes.push(Change::new("reopen_count", json!(record.reopen_count), json!(record.reopen_count + 1)));
            record.reopen_count += 1;
        }
        (_, Cancelled) => stamp(&mut changes, "cancelled_at", &mut record.cancelled_at, Some(now.clone())),
        _ => {}
    }
    record.status = to;
    record.updated_at = now;
    record.updated_by = actor.id.clone();
    record.row_version += 1;
    store::update(tx, &record)?;
    audit_trail::append(
        tx,
        call,
        NewEvent {
            entity_type: ENTITY,
            entity_id: &record.id,
            entity_reference: Some(&record.reference),
            action: AuditAction::StatusChange,
            changes,
            reason,
        },
    )?;
    if to == Verified {
        // The signature covers the record as verified (notes and effectiveness included).
        let signed = serde_json::to_value(&record)?;
        signature::sign(
            tx,
            call,
            Signing {
                meaning: SignatureMeaning::Verified,
                entity_type: ENTITY,
                entity_id: &record.id,
                entity_reference: Some(&record.reference),
                record: &signed,
                files: &[],
                comment,
            },
        )?;
    }
    Ok(record)
}

/// `actions.archive`: `{id, rowVersion, reason}`.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<ActionView> {
    let record = lifecycle::archive(ctx, &input, load, |_, _| Ok(Vec::new()))?;
    view(ctx.conn(), &ctx.call, record)
}

/// `actions.restore`: `{id, rowVersion, reason?}`.
pub fn restore(ctx: &mut Ctx, input: Value) -> Result<ActionView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `actions.history`: the action's events, newest first.
pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<ActionRecord>(ctx, &input, load)
}

crate::governed!(ActionRecord, "actions", "action", "Action");
