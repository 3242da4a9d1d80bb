//! Complaints (domain.md §11): record, acknowledge, investigate, resolve, escalate, close under rule C-1, archive,
//! restore, history and the register with acknowledgement and resolution lateness.

pub mod model;
pub mod rules;
pub mod store;

use crate::action::{model::ActionSourceType, store as actions};
use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, Result};
use crate::investigation::{model::SubjectType, store as investigations};
use crate::lifecycle;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::rowmap::to_object;
use crate::validate::{as_object, Choice, Input};
use crate::workflow::{self, stamp};
use model::*;
use rusqlite::{Connection, Transaction};
use serde_json::{json, Map, Value};

const ENTITY: &str = "complaint";
const PREFIX: &str = "CMP";

fn label(reference: &str) -> String {
    format!("Complaint {reference}")
}

fn append(
    tx: &Transaction,
    call: &Call,
    r: &ComplaintRecord,
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

/// Creates a complaint inside an open transaction; the building block of `complaints.create` and of imports.
pub fn create_in(tx: &Transaction, call: &Call, map: &Map<String, Value>) -> Result<ComplaintRecord> {
    let actor = call.actor()?;
    let fields = rules::read_fields(tx, map, call.today(), call.settings.complaint_target_days)?;
    let now = call.now_text();
    let record = ComplaintRecord {
        id: crate::ids::new_id(),
        reference: crate::reference::allocate(tx, PREFIX, &now)?,
        fields,
        acknowledged_date: None,
        resolved_date: None,
        escalated_to: None,
        escalation_reason: None,
        escalated_at: None,
        status: ComplaintStatus::Received,
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
    created.insert("status".into(), json!(record.status));
    append(tx, call, &record, AuditAction::Create, audit_trail::created_changes(&created), None)?;
    Ok(record)
}

/// `complaints.create`: records a complaint in status `received` with the next CMP reference.
pub fn create(ctx: &mut Ctx, input: Value) -> Result<ComplaintView> {
    ctx.call.require(Capability::CreateIncidents)?;
    let map = as_object(&input)?.clone();
    let record = ctx.write(|tx, call| create_in(tx, call, &map))?;
    view(ctx.conn(), &ctx.call, record)
}

fn load(conn: &Connection, id: &str) -> Result<ComplaintRecord> {
    store::find(conn, id)?.ok_or_else(|| CoreError::NotFound(format!("No complaint has the id {id}.")))
}

fn involved(record: &ComplaintRecord) -> [Option<&str>; 2] {
    [Some(record.created_by.as_str()), record.fields.owner_id.as_deref()]
}

/// C-1: non-terminal actions of the complaint and of its investigations, and its investigations not closed.
fn blocking(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut open = actions::open_references(conn, ActionSourceType::Complaint, id)?;
    open.extend(investigations::open_action_references(conn, SubjectType::Complaint, id)?);
    open.extend(investigations::open_references(conn, SubjectType::Complaint, id)?);
    Ok(open)
}

fn view(conn: &Connection, call: &Call, record: ComplaintRecord) -> Result<ComplaintView> {
    let owner_name = match record.fields.owner_id.as_deref() {
        Some(id) => crate::users::find(conn, id)?.map(|u| u.display_name),
        None => None,
    };
    let transitions = if record.archived_at.is_some() {
        Vec::new()
    } else {
        let open = blocking(conn, &record.id)?;
        rules::allowed_targets(record.status)
            .iter()
            .map(|to| ComplaintTransitionOption {
                to: *to,
                needs: rules::needs(record.status, *to).iter().map(|s| (*s).to_owned()).collect(),
                unmet_guards: rules::unmet_guards(record.status, *to, &record.fields, &open),
            })
            .collect()
    };
    Ok(ComplaintView {
        owner_name,
        flags: rules::flags(&record, call.today(), call.settings.complaint_ack_days),
        transitions,
        linked_risks: crate::risk::links::risks_of(conn, crate::risk::links::LinkedType::Complaint, &record.id)?,
        record,
    })
}

/// `complaints.get`: one complaint by `id` or `reference`.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<ComplaintView> {
    let id = lifecycle::read_get::<ComplaintRecord>(ctx, &input, store::id_by_reference)?;
    let record = load(ctx.conn(), &id)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `complaints.update`: `{id, rowVersion, changes}`; a closed complaint is read-only until reopened.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<ComplaintView> {
    ctx.call.require(Capability::EditRecords)?;
    let (id, row_version, changes) = crate::lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::EditRecords, &involved(&current))?;
    let name = label(&current.reference);
    workflow::check_not_archived(&name, current.archived_at.as_deref())?;
    workflow::check_row_version(&name, current.row_version, row_version)?;
    if current.status == ComplaintStatus::Closed {
        return Err(CoreError::Conflict(format!("{name} is closed and read-only. Reopen it to change it.")));
    }
    let mut merged = to_object(&current.fields)?;
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let fields = crate::validate::keeping(&current.fields, || {
        rules::read_fields(ctx.conn(), &merged, ctx.call.today(), ctx.call.settings.complaint_target_days)
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

const TRANSITION_KEYS: &[&str] =
    &["id", "rowVersion", "to", "reason", "resolutionSummary", "closureNotes", "escalatedTo", "escalationReason"];

/// `complaints.transition` along the §11 table. Notes a step needs may already be on the record.
pub fn transition(ctx: &mut Ctx, input: Value) -> Result<ComplaintView> {
    use ComplaintStatus::*;
    ctx.call.require(Capability::EditRecords)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, TRANSITION_KEYS);
    let (id, row_version) = workflow::read_target(&mut v);
    let to = v.required_choice::<ComplaintStatus>("to", "Target status");
    let reason = v.text("reason", "Reason", 1, 1000, false);
    let resolution_summary = v.long_text("resolutionSummary", "Resolution summary", 0, 5000, false);
    let closure_notes = v.long_text("closureNotes", "Closure notes", 0, 10_000, false);
    let escalated_to = v.text("escalatedTo", "Escalated to", 0, 200, false);
    let escalation_reason = v.long_text("escalationReason", "Escalation reason", 0, 2000, false);
    v.finish()?;
    let (Some(id), Some(row_version), Some(to)) = (id, row_version, to) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load(ctx.conn(), &id)?;
    let from = current.status;
    let capability = if to == Closed || from == Closed { Capability::CloseReopen } else { Capability::EditRecords };
    ctx.call.require_on(capability, &involved(&current))?;
    let name = label(&current.reference);
    workflow::check_not_archived(&name, current.archived_at.as_deref())?;
    workflow::check_row_version(&name, current.row_version, row_version)?;
    let allowed: Vec<&str> = rules::allowed_targets(from).iter().map(|s| s.as_str()).collect();
    if !rules::allowed_targets(from).contains(&to) {
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &allowed, Vec::new(), Vec::new()));
    }
    let resolution_summary = resolution_summary.or_else(|| current.fields.resolution_summary.clone());
    let closure_notes = closure_notes.or_else(|| current.fields.closure_notes.clone());
    workflow::missing_needs(
        rules::needs(from, to),
        &[
            ("reason", reason.is_some()),
            ("resolutionSummary", resolution_summary.is_some()),
            ("closureNotes", closure_notes.is_some()),
            ("escalatedTo", escalated_to.is_some()),
            ("escalationReason", escalation_reason.is_some()),
        ],
    )?;
    let open = blocking(ctx.conn(), &current.id)?;
    let unmet = rules::unmet_guards(from, to, &current.fields, &open);
    if !unmet.is_empty() {
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &allowed, unmet, open));
    }
    let record = ctx.write(|tx, call| {
        let actor_id = call.actor()?.id.clone();
        let today = call.today().to_string();
        let mut r = current.clone();
        let mut changes = vec![Change::new("status", json!(from), json!(to))];
        match to {
            Acknowledged => stamp(&mut changes, "acknowledged_date", &mut r.acknowledged_date, Some(today.clone())),
            Resolved => {
                stamp(&mut changes, "resolution_summary", &mut r.fields.resolution_summary, resolution_summary.clone());
                stamp(&mut changes, "resolved_date", &mut r.resolved_date, Some(today.clone()));
            }
            Closed => {
                stamp(&mut changes, "closure_notes", &mut r.fields.closure_notes, closure_notes.clone());
                stamp(&mut changes, "closed_at", &mut r.closed_at, Some(call.now_text()));
                stamp(&mut changes, "closed_by", &mut r.closed_by, Some(actor_id.clone()));
            }
            Escalated => {
                stamp(&mut changes, "escalated_to", &mut r.escalated_to, escalated_to.clone());
                stamp(&mut changes, "escalation_reason", &mut r.escalation_reason, escalation_reason.clone());
                stamp(&mut changes, "escalated_at", &mut r.escalated_at, Some(call.now_text()));
                if r.acknowledged_date.is_none() {
                    stamp(&mut changes, "acknowledged_date", &mut r.acknowledged_date, Some(today.clone()));
                }
            }
            UnderInvestigation if matches!(from, Resolved | Closed) => {
                stamp(&mut changes, "resolved_date", &mut r.resolved_date, None);
                if from == Closed {
                    stamp(&mut changes, "closed_at", &mut r.closed_at, None);
                    stamp(&mut changes, "closed_by", &mut r.closed_by, None);
                    let reopened = r.reopen_count + 1;
                    stamp(&mut changes, "reopen_count", &mut r.reopen_count, reopened);
                }
            }
            _ => {}
        }
        r.status = to;
        lifecycle::save(tx, call, &mut r, AuditAction::StatusChange, changes, reason.as_deref())?;
        Ok(r)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `complaints.archive`: `{id, rowVersion, reason}`; refused while actions raised from it are open.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<ComplaintView> {
    let record = lifecycle::archive(ctx, &input, load, |conn, r| actions::open_references(conn, ActionSourceType::Complaint, &r.id))?;
    view(ctx.conn(), &ctx.call, record)
}

/// `complaints.restore`: `{id, rowVersion, reason?}`.
pub fn restore(ctx: &mut Ctx, input: Value) -> Result<ComplaintView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `complaints.history`: the complaint's events, newest first.
pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<ComplaintRecord>(ctx, &input, load)
}

const FILTER_KEYS: &[&str] =
    &["status", "complaintType", "priority", "ownerId", "receivedFrom", "receivedTo", "acknowledgementOverdue", "resolutionOverdue"];

/// `complaints.list`: the register, newest received first, with lateness computed now.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<ComplaintSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let known: Vec<&str> = LIST_KEYS.iter().chain(FILTER_KEYS).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, store::SORTS);
    let owner_ids = crate::paging::id_list(&mut v, "ownerId", "Owner");
    let filter = store::ComplaintFilter {
        statuses: choice_list(&mut v, "status", "Status"),
        types: choice_list(&mut v, "complaintType", "Complaint type"),
        priorities: choice_list(&mut v, "priority", "Priority"),
        owner_ids,
        received_from: v.date("receivedFrom", "Received from", false).map(|d| d.to_string()),
        received_to: v.date("receivedTo", "Received to", false).map(|d| d.to_string()),
        acknowledgement_overdue: v.tri_state("acknowledgementOverdue", "Acknowledgement overdue"),
        resolution_overdue: v.tri_state("resolutionOverdue", "Resolution overdue"),
    };
    v.finish()?;
    let today = ctx.call.today();
    let ack_days = ctx.call.settings.complaint_ack_days;
    let ack_limit = today.checked_sub(jiff::Span::new().days(i64::from(ack_days))).unwrap_or(today);
    let (rows, total) = store::list(ctx.conn(), &filter, &page, &today.to_string(), &ack_limit.to_string())?;
    let items = rows
        .into_iter()
        .map(|(r, owner_name)| ComplaintSummary {
            flags: rules::flags(&r, today, ack_days),
            id: r.id,
            reference: r.reference,
            title: r.fields.title,
            complainant_name: r.fields.complainant_name,
            complainant_company: r.fields.complainant_company,
            complaint_type: r.fields.complaint_type,
            priority: r.fields.priority,
            status: r.status,
            received_date: r.fields.received_date,
            target_resolution_date: r.fields.target_resolution_date,
            owner_id: r.fields.owner_id,
            owner_name,
            row_version: r.row_version,
            archived_at: r.archived_at,
        })
        .collect();
    Ok(Page::new(items, total, &page))
}

crate::governed!(ComplaintRecord, "complaints", "complaint", "Complaint");
