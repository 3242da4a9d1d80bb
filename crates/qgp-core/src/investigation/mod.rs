//! Investigations and root-cause analysis (domain.md §12): one subject per investigation, a timeline, 5 whys, a
//! fishbone, actions raised from it, completion signed by the lead and approval signed by the reviewer.

pub mod model;
pub mod rules;
pub mod store;

use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::rowmap::to_object;
use crate::signature::{self, SignatureMeaning, Signing};
use crate::validate::{as_object, Choice, Input};
use crate::workflow::{self, stamp};
use model::*;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{json, Map, Value};

const ENTITY: &str = "investigation";
const PREFIX: &str = "INV";

fn label(reference: &str) -> String {
    format!("Investigation {reference}")
}

/// The investigated record, as far as investigations need to know it.
struct Subject {
    reference: String,
    closed: bool,
    archived: bool,
    involved: Vec<String>,
}

fn subject(conn: &Connection, subject_type: SubjectType, id: &str) -> Result<Option<Subject>> {
    match subject_type {
        SubjectType::Incident => Ok(conn
            .query_row(
                "SELECT reference, status = 'closed', archived_at IS NOT NULL, created_by, investigator_id FROM incidents WHERE id = ?1",
                [id],
                |r| {
                    let mut involved = vec![r.get::<_, String>(3)?];
                    involved.extend(r.get::<_, Option<String>>(4)?);
                    Ok(Subject { reference: r.get(0)?, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
        SubjectType::Complaint => Ok(conn
            .query_row(
                "SELECT reference, status = 'closed', archived_at IS NOT NULL, created_by, owner_id FROM complaints WHERE id = ?1",
                [id],
                |r| {
                    let mut involved = vec![r.get::<_, String>(3)?];
                    involved.extend(r.get::<_, Option<String>>(4)?);
                    Ok(Subject { reference: r.get(0)?, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
        SubjectType::Collision => Ok(conn
            .query_row(
                "SELECT reference, status = 'closed', archived_at IS NOT NULL, created_by, investigator_id FROM collisions WHERE id = ?1",
                [id],
                |r| {
                    let mut involved = vec![r.get::<_, String>(3)?];
                    involved.extend(r.get::<_, Option<String>>(4)?);
                    Ok(Subject { reference: r.get(0)?, closed: r.get(1)?, archived: r.get(2)?, involved })
                },
            )
            .optional()?),
        // Findings arrive with the audits module; until then no such record can exist.
        _ => Ok(None),
    }
}

/// `investigations.create`: opens an investigation on a subject that exists and is neither archived nor closed.
pub fn create(ctx: &mut Ctx, input: Value) -> Result<InvestigationView> {
    ctx.call.require(Capability::CreateRisks)?;
    let map = as_object(&input)?.clone();
    let mut v = Input::new(&map, &[FIELD_KEYS, &["subjectType", "subjectId"]].concat());
    let subject_type = v.required_choice::<SubjectType>("subjectType", "Subject type");
    let subject_id = v.id("subjectId", "Subject", true);
    let found = match (subject_type, &subject_id) {
        (Some(t), Some(id)) => {
            let found = subject(ctx.conn(), t, id)?;
            match &found {
                None => v.error("subjectId", FieldCode::NotFound, format!("No {t} has the id {id}")),
                Some(s) if s.archived => v.error("subjectId", FieldCode::ArchivedTarget, format!("{} is archived", s.reference)),
                Some(s) if s.closed => {
                    v.error("subjectId", FieldCode::Inconsistent, format!("{} is closed; reopen it to investigate", s.reference))
                }
                Some(_) => {}
            }
            found
        }
        _ => None,
    };
    let subject_errors: Vec<_> = v.errors().iter().filter(|e| e.field.starts_with("subject")).cloned().collect();
    let fields = match rules::read_fields(ctx.conn(), &map, ctx.call.today(), &[], &["subjectType", "subjectId"]) {
        Ok(f) if subject_errors.is_empty() => f,
        Ok(_) => return Err(CoreError::validation(subject_errors)),
        Err(CoreError::Validation { mut fields, .. }) => {
            fields.extend(subject_errors);
            return Err(CoreError::validation(fields));
        }
        Err(e) => return Err(e),
    };
    let (Some(subject_type), Some(subject_id), Some(found)) = (subject_type, subject_id, found) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let involved: Vec<Option<&str>> = found.involved.iter().map(|s| Some(s.as_str())).collect();
    ctx.call.require_on(Capability::CreateRisks, &involved)?;
    let record = ctx.write(|tx, call| {
        let actor = call.actor()?;
        let now = call.now_text();
        let record = InvestigationRecord {
            id: crate::ids::new_id(),
            reference: crate::reference::allocate(tx, PREFIX, &now)?,
            subject_type,
            subject_id: subject_id.clone(),
            subject_reference: Some(found.reference.clone()),
            fields,
            status: InvestigationStatus::Open,
            started_at: None,
            completed_at: None,
            reviewed_at: None,
            closed_at: None,
            closed_by: None,
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
        let mut created = to_object(&record.fields)?;
        created.insert("subjectType".into(), json!(subject_type));
        created.insert("subjectId".into(), json!(subject_id));
        created.insert("status".into(), json!(record.status));
        append(tx, call, &record, AuditAction::Create, audit_trail::created_changes(&created), None)?;
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

fn append(
    tx: &Transaction,
    call: &Call,
    r: &InvestigationRecord,
    action: AuditAction,
    changes: Vec<Change>,
    reason: Option<&str>,
) -> Result<()> {
    audit_trail::append(
        tx,
        call,
        NewEvent { entity_type: ENTITY, entity_id: &r.id, entity_reference: Some(&r.reference), action, changes, reason },
    )?;
    Ok(())
}

fn load(conn: &Connection, id: &str) -> Result<InvestigationRecord> {
    store::find(conn, id)?.ok_or_else(|| CoreError::NotFound(format!("No investigation has the id {id}.")))
}

/// Everyone "assigned" (§2): creator, lead, reviewer and team.
fn involved(record: &InvestigationRecord) -> Vec<Option<&str>> {
    let mut out =
        vec![Some(record.created_by.as_str()), Some(record.fields.lead_investigator_id.as_str()), record.fields.reviewer_id.as_deref()];
    out.extend(record.fields.team.iter().map(|t| Some(t.as_str())));
    out
}

/// Guards about who may take a step (shown on hover; enforced as `forbidden`).
fn actor_guards(record: &InvestigationRecord, from: InvestigationStatus, to: InvestigationStatus, call: &Call) -> Vec<String> {
    use InvestigationStatus::*;
    let Ok(actor) = call.actor() else { return vec!["Sign in first.".into()] };
    let reviewer = record.fields.reviewer_id.as_deref();
    let mut out = Vec::new();
    match (from, to) {
        (InProgress, Completed) if actor.id != record.fields.lead_investigator_id => {
            out.push("Only the lead investigator can sign the investigation off as completed.".into())
        }
        (Completed, Closed) | (Completed, InProgress) => {
            if reviewer.is_some() && reviewer != Some(actor.id.as_str()) {
                out.push("Only the named reviewer can approve or return the investigation.".into());
            } else if reviewer.is_some() && call.settings.segregation_of_duties && actor.id == record.fields.lead_investigator_id {
                out.push(crate::settings::segregation_refusal("the lead investigator cannot review their own investigation."));
            }
        }
        _ => {}
    }
    out
}

fn view(conn: &Connection, call: &Call, record: InvestigationRecord) -> Result<InvestigationView> {
    let name = |id: &str| -> Result<Option<String>> { Ok(crate::users::find(conn, id)?.map(|u| u.display_name)) };
    let lead_name = name(&record.fields.lead_investigator_id)?;
    let reviewer_name = match record.fields.reviewer_id.as_deref() {
        Some(id) => name(id)?,
        None => None,
    };
    let mut team_members = Vec::new();
    for id in &record.fields.team {
        team_members.push(NamedUser { id: id.clone(), name: name(id)?.unwrap_or_else(|| id.clone()) });
    }
    let transitions = if record.archived_at.is_some() {
        Vec::new()
    } else {
        rules::allowed_targets(record.status)
            .iter()
            .map(|to| {
                let mut unmet = rules::unmet_guards(record.status, *to, &record.fields);
                unmet.extend(actor_guards(&record, record.status, *to, call));
                InvestigationTransitionOption {
                    to: *to,
                    needs: rules::needs(record.status, *to).iter().map(|s| (*s).to_owned()).collect(),
                    unmet_guards: unmet,
                    signature: rules::is_signature(record.status, *to),
                }
            })
            .collect()
    };
    Ok(InvestigationView {
        overdue: rules::overdue(record.status, record.fields.target_completion_date.as_deref(), call.today()),
        lead_name,
        reviewer_name,
        team_members,
        transitions,
        signatures: signature::list_for(conn, ENTITY, &record.id)?,
        record,
    })
}

/// `investigations.get`: one investigation by `id` or `reference`.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<InvestigationView> {
    let id = lifecycle::read_get::<InvestigationRecord>(ctx, &input, store::id_by_reference)?;
    let record = load(ctx.conn(), &id)?;
    view(ctx.conn(), &ctx.call, record)
}

fn created_on(record: &InvestigationRecord, call: &Call) -> jiff::civil::Date {
    record
        .created_at
        .parse::<jiff::Timestamp>()
        .map(|ts| crate::clock::today_in(ts, &call.settings.zone()))
        .unwrap_or_else(|_| call.today())
}

/// `investigations.update`: `{id, rowVersion, changes}`. Completed and closed investigations are read-only: the
/// lead's signature covers what was completed; the reviewer returns it to change it.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<InvestigationView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    let (id, row_version, changes) = crate::lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::EditRecords, &involved(&current))?;
    let name = label(&current.reference);
    workflow::check_not_archived(&name, current.archived_at.as_deref())?;
    workflow::check_row_version(&name, current.row_version, row_version)?;
    if matches!(current.status, InvestigationStatus::Completed | InvestigationStatus::Closed) {
        return Err(CoreError::Conflict(format!(
            "{name} is {} and read-only. The reviewer returns it (or it is reopened) to change it.",
            current.status
        )));
    }
    let mut merged = to_object(&current.fields)?;
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let fields = crate::validate::keeping(&current.fields, || {
        rules::read_fields(ctx.conn(), &merged, created_on(&current, &ctx.call), &current.fields.fishbone, &[])
    })?;
    let diff = audit_trail::diff_changes(&to_object(&current.fields)?, &to_object(&fields)?);
    if diff.is_empty() {
        return view(ctx.conn(), &ctx.call, current);
    }
    let record = ctx.write(|tx, call| {
        let mut record = current.clone();
        record.fields = fields;
        lifecycle::save(tx, call, &mut record, AuditAction::Update, diff, None)?;
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `investigations.transition`: `{id, rowVersion, to, reason?, passphrase?, comment?}` along the §12 table.
pub fn transition(ctx: &mut Ctx, input: Value) -> Result<InvestigationView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    use InvestigationStatus::*;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["id", "rowVersion", "to", "reason", "passphrase", "comment"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let to = v.required_choice::<InvestigationStatus>("to", "Target status");
    let reason = v.text("reason", "Reason", 1, 1000, false);
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
    let signing = rules::is_signature(from, to);
    let capability = if signing || from == Completed { Capability::ReviewAndVerify } else { Capability::EditRecords };
    ctx.call.require_on(capability, &involved(&current))?;
    workflow::check_not_archived(&name, current.archived_at.as_deref())?;
    workflow::check_row_version(&name, current.row_version, row_version)?;
    let allowed: Vec<&str> = rules::allowed_targets(from).iter().map(|s| s.as_str()).collect();
    if !rules::allowed_targets(from).contains(&to) {
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &allowed, Vec::new(), Vec::new()));
    }
    let unmet = rules::unmet_guards(from, to, &current.fields);
    if !unmet.is_empty() {
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &allowed, unmet, Vec::new()));
    }
    if let Some(why) = actor_guards(&current, from, to, &ctx.call).into_iter().next() {
        return Err(CoreError::Forbidden(why));
    }
    let has_passphrase = passphrase.as_deref().is_some_and(|p| !p.is_empty());
    workflow::missing_needs(rules::needs(from, to), &[("reason", reason.is_some()), ("passphrase", has_passphrase)])?;
    if signing {
        signature::reauthenticate(ctx, passphrase.as_deref().unwrap_or(""))?;
    }
    let record = ctx.write(|tx, call| {
        let actor_id = call.actor()?.id.clone();
        let now = call.now_text();
        let mut record = current.clone();
        let mut changes = vec![Change::new("status", json!(from), json!(to))];
        match (from, to) {
            (Open, InProgress) => stamp(&mut changes, "started_at", &mut record.started_at, Some(now.clone())),
            (InProgress, Completed) => stamp(&mut changes, "completed_at", &mut record.completed_at, Some(now.clone())),
            (Completed, Closed) => {
                stamp(&mut changes, "reviewed_at", &mut record.reviewed_at, Some(now.clone()));
                stamp(&mut changes, "closed_at", &mut record.closed_at, Some(now.clone()));
                stamp(&mut changes, "closed_by", &mut record.closed_by, Some(actor_id.clone()));
            }
            (Completed, InProgress) => stamp(&mut changes, "completed_at", &mut record.completed_at, None),
            (Closed, InProgress) => {
                stamp(&mut changes, "completed_at", &mut record.completed_at, None);
                stamp(&mut changes, "reviewed_at", &mut record.reviewed_at, None);
                stamp(&mut changes, "closed_at", &mut record.closed_at, None);
                stamp(&mut changes, "closed_by", &mut record.closed_by, None);
                let reopened = record.reopen_count + 1;
                stamp(&mut changes, "reopen_count", &mut record.reopen_count, reopened);
            }
            _ => {}
        }
        record.status = to;
        lifecycle::save(tx, call, &mut record, AuditAction::StatusChange, changes, reason.as_deref())?;
        if signing {
            let meaning = if to == Completed { SignatureMeaning::Completed } else { SignatureMeaning::Approved };
            let signed = serde_json::to_value(&record)?;
            signature::sign(
                tx,
                call,
                Signing {
                    meaning,
                    entity_type: ENTITY,
                    entity_id: &record.id,
                    entity_reference: Some(&record.reference),
                    record: &signed,
                    files: &[],
                    comment: comment.as_deref(),
                },
            )?;
        }
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `investigations.archive`: `{id, rowVersion, reason}`; refused while actions raised from it are open.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<InvestigationView> {
    let record = lifecycle::archive(ctx, &input, load, |conn, r| {
        crate::action::store::open_references(conn, crate::action::model::ActionSourceType::Investigation, &r.id)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `investigations.restore`: `{id, rowVersion, reason?}`.
pub fn restore(ctx: &mut Ctx, input: Value) -> Result<InvestigationView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `investigations.history`: the investigation's events, newest first.
pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<InvestigationRecord>(ctx, &input, load)
}

const FILTER_KEYS: &[&str] = &["status", "subjectType", "subjectId", "leadInvestigatorId", "overdue"];

/// `investigations.list`: the register, newest first; a subject's page passes `subjectId`.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<InvestigationSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let known: Vec<&str> = LIST_KEYS.iter().chain(FILTER_KEYS).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, store::SORTS);
    let lead_ids = crate::paging::id_list(&mut v, "leadInvestigatorId", "Lead investigator");
    let filter = store::InvestigationFilter {
        statuses: choice_list(&mut v, "status", "Status"),
        subject_types: choice_list(&mut v, "subjectType", "Subject type"),
        subject_id: v.id("subjectId", "Subject", false),
        lead_ids,
        overdue: v.tri_state("overdue", "Overdue"),
    };
    v.finish()?;
    let today = ctx.call.today();
    let (rows, total) = store::list(ctx.conn(), &filter, &page, &today.to_string())?;
    let items = rows
        .into_iter()
        .map(|(r, lead_name)| InvestigationSummary {
            overdue: rules::overdue(r.status, r.fields.target_completion_date.as_deref(), today),
            id: r.id,
            reference: r.reference,
            title: r.fields.title,
            subject_type: r.subject_type,
            subject_id: r.subject_id,
            subject_reference: r.subject_reference,
            status: r.status,
            lead_investigator_id: r.fields.lead_investigator_id,
            lead_name,
            root_cause_summary: r.fields.root_cause_summary,
            target_completion_date: r.fields.target_completion_date,
            created_at: r.created_at,
            row_version: r.row_version,
            archived_at: r.archived_at,
        })
        .collect();
    Ok(Page::new(items, total, &page))
}

crate::governed!(InvestigationRecord, "investigations", "investigation", "Investigation");
