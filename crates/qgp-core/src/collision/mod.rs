//! Road traffic collisions (domain.md §10): record with vehicle, driver, conditions and third parties, investigate,
//! track the insurance claim, raise actions, close under rule C-1, archive, restore, history and the register.

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

const ENTITY: &str = "collision";
const PREFIX: &str = "RTA";

fn label(reference: &str) -> String {
    format!("Collision {reference}")
}

fn audited(fields: &CollisionFields, parties: &[ThirdParty]) -> Result<Map<String, Value>> {
    let mut map = to_object(fields)?;
    map.insert("thirdParties".into(), serde_json::to_value(parties)?);
    Ok(map)
}

fn registrations(parties: &[ThirdParty]) -> Option<String> {
    let regs: Vec<&str> = parties.iter().filter_map(|p| p.vehicle_registration.as_deref()).collect();
    (!regs.is_empty()).then(|| regs.join(" "))
}

fn append(
    tx: &Transaction,
    call: &Call,
    r: &CollisionRecord,
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

/// Creates a collision inside an open transaction; the building block of `collisions.create` and of imports.
pub fn create_in(tx: &Transaction, call: &Call, map: &Map<String, Value>) -> Result<CollisionRecord> {
    let actor = call.actor()?;
    let (fields, parties) = rules::read_fields(tx, map, call.today())?;
    let now = call.now_text();
    let record = CollisionRecord {
        id: crate::ids::new_id(),
        reference: crate::reference::allocate(tx, PREFIX, &now)?,
        third_party_registrations: registrations(&parties),
        fields,
        status: CollisionStatus::Reported,
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
    store::replace_third_parties(tx, &record.id, &parties)?;
    let mut created = audited(&record.fields, &parties)?;
    if parties.is_empty() {
        created.remove("thirdParties");
    }
    created.insert("status".into(), json!(record.status));
    append(tx, call, &record, AuditAction::Create, audit_trail::created_changes(&created), None)?;
    Ok(record)
}

/// `collisions.create`: records a collision in status `reported` with the next RTA reference.
pub fn create(ctx: &mut Ctx, input: Value) -> Result<CollisionView> {
    ctx.call.require(Capability::CreateIncidents)?;
    let map = as_object(&input)?.clone();
    let record = ctx.write(|tx, call| create_in(tx, call, &map))?;
    view(ctx.conn(), &ctx.call, record)
}

fn load(conn: &Connection, id: &str) -> Result<CollisionRecord> {
    store::find(conn, id)?.ok_or_else(|| CoreError::NotFound(format!("No collision has the id {id}.")))
}

fn involved(record: &CollisionRecord) -> [Option<&str>; 3] {
    [Some(record.created_by.as_str()), record.fields.investigator_id.as_deref(), record.fields.driver_user_id.as_deref()]
}

fn facts(conn: &Connection, id: &str) -> Result<rules::GuardFacts> {
    let mut open = actions::open_references(conn, ActionSourceType::Collision, id)?;
    open.extend(investigations::open_action_references(conn, SubjectType::Collision, id)?);
    open.extend(investigations::open_references(conn, SubjectType::Collision, id)?);
    Ok(rules::GuardFacts { open, action_count: actions::count_not_cancelled(conn, ActionSourceType::Collision, id)? })
}

fn name_of(conn: &Connection, id: Option<&str>) -> Result<Option<String>> {
    Ok(match id {
        Some(id) => crate::users::find(conn, id)?.map(|u| u.display_name),
        None => None,
    })
}

fn view(conn: &Connection, _call: &Call, record: CollisionRecord) -> Result<CollisionView> {
    let transitions = if record.archived_at.is_some() {
        Vec::new()
    } else {
        let facts = facts(conn, &record.id)?;
        rules::allowed_targets(record.status)
            .iter()
            .map(|to| CollisionTransitionOption {
                to: *to,
                needs: rules::needs(record.status, *to).iter().map(|s| (*s).to_owned()).collect(),
                unmet_guards: rules::unmet_guards(record.status, *to, &record.fields, &facts),
            })
            .collect()
    };
    Ok(CollisionView {
        third_parties: store::third_parties(conn, &record.id)?,
        driver_display: name_of(conn, record.fields.driver_user_id.as_deref())?.or_else(|| record.fields.driver_name.clone()),
        investigator_name: name_of(conn, record.fields.investigator_id.as_deref())?,
        transitions,
        linked_risks: crate::risk::links::risks_of(conn, crate::risk::links::LinkedType::Collision, &record.id)?,
        record,
    })
}

/// `collisions.get`: one collision by `id` or `reference`.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<CollisionView> {
    let id = lifecycle::read_get::<CollisionRecord>(ctx, &input, store::id_by_reference)?;
    let record = load(ctx.conn(), &id)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `collisions.update`: `{id, rowVersion, changes}`; third parties are replaced as a list when given.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<CollisionView> {
    ctx.call.require(Capability::EditRecords)?;
    let (id, row_version, changes) = crate::lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::EditRecords, &involved(&current))?;
    let name = label(&current.reference);
    workflow::check_not_archived(&name, current.archived_at.as_deref())?;
    workflow::check_row_version(&name, current.row_version, row_version)?;
    if current.status == CollisionStatus::Closed {
        return Err(CoreError::Conflict(format!("{name} is closed and read-only. Reopen it to change it.")));
    }
    let old_parties = store::third_parties(ctx.conn(), &id)?;
    let before = audited(&current.fields, &old_parties)?;
    let mut merged = before.clone();
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let (fields, parties) = crate::validate::keeping(&current.fields, || rules::read_fields(ctx.conn(), &merged, ctx.call.today()))?;
    let diff = audit_trail::diff_changes(&before, &audited(&fields, &parties)?);
    if diff.is_empty() {
        return view(ctx.conn(), &ctx.call, current);
    }
    let record = ctx.write(|tx, call| {
        let mut record = current.clone();
        record.fields = fields;
        record.third_party_registrations = registrations(&parties);
        if parties != old_parties {
            store::replace_third_parties(tx, &record.id, &parties)?;
        }
        lifecycle::save(tx, call, &mut record, AuditAction::Update, diff, None)?;
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `collisions.transition`: `{id, rowVersion, to, reason?, closureNotes?}` along the §10 table.
pub fn transition(ctx: &mut Ctx, input: Value) -> Result<CollisionView> {
    use CollisionStatus::*;
    ctx.call.require(Capability::EditRecords)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["id", "rowVersion", "to", "reason", "closureNotes"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let to = v.required_choice::<CollisionStatus>("to", "Target status");
    let reason = v.text("reason", "Reason", 1, 1000, false);
    let closure_notes = v.long_text("closureNotes", "Closure notes", 0, 10_000, false);
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
    let closure_notes = closure_notes.or_else(|| current.fields.closure_notes.clone());
    workflow::missing_needs(rules::needs(from, to), &[("reason", reason.is_some()), ("closureNotes", closure_notes.is_some())])?;
    let facts = facts(ctx.conn(), &current.id)?;
    let unmet = rules::unmet_guards(from, to, &current.fields, &facts);
    if !unmet.is_empty() {
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &allowed, unmet, facts.open));
    }
    let record = ctx.write(|tx, call| {
        let actor_id = call.actor()?.id.clone();
        let mut r = current.clone();
        let mut changes = vec![Change::new("status", json!(from), json!(to))];
        if to == Closed {
            stamp(&mut changes, "closure_notes", &mut r.fields.closure_notes, closure_notes.clone());
            stamp(&mut changes, "closed_at", &mut r.closed_at, Some(call.now_text()));
            stamp(&mut changes, "closed_by", &mut r.closed_by, Some(actor_id.clone()));
        }
        if from == Closed {
            stamp(&mut changes, "closed_at", &mut r.closed_at, None);
            stamp(&mut changes, "closed_by", &mut r.closed_by, None);
            let reopened = r.reopen_count + 1;
            stamp(&mut changes, "reopen_count", &mut r.reopen_count, reopened);
        }
        r.status = to;
        lifecycle::save(tx, call, &mut r, AuditAction::StatusChange, changes, reason.as_deref())?;
        Ok(r)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `collisions.archive`: `{id, rowVersion, reason}`; refused while actions raised from it are open.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<CollisionView> {
    let record = lifecycle::archive(ctx, &input, load, |conn, r| actions::open_references(conn, ActionSourceType::Collision, &r.id))?;
    view(ctx.conn(), &ctx.call, record)
}

/// `collisions.restore`: `{id, rowVersion, reason?}`.
pub fn restore(ctx: &mut Ctx, input: Value) -> Result<CollisionView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `collisions.history`: the collision's events, newest first.
pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<CollisionRecord>(ctx, &input, load)
}

const FILTER_KEYS: &[&str] =
    &["status", "severity", "faultDetermination", "driverUserId", "vehicleRegistration", "collisionDateFrom", "collisionDateTo"];

/// `collisions.list`: the register, newest collision first.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<CollisionSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let known: Vec<&str> = LIST_KEYS.iter().chain(FILTER_KEYS).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, store::SORTS);
    let driver_ids = crate::paging::id_list(&mut v, "driverUserId", "Driver");
    let filter = store::CollisionFilter {
        statuses: choice_list(&mut v, "status", "Status"),
        severities: choice_list(&mut v, "severity", "Severity"),
        faults: choice_list(&mut v, "faultDetermination", "Fault"),
        driver_ids,
        vehicle_registration: v.text("vehicleRegistration", "Vehicle registration", 1, 20, false),
        date_from: v.date("collisionDateFrom", "Collision date from", false).map(|d| d.to_string()),
        date_to: v.date("collisionDateTo", "Collision date to", false).map(|d| d.to_string()),
    };
    v.finish()?;
    let (rows, total) = store::list(ctx.conn(), &filter, &page)?;
    let items = rows
        .into_iter()
        .map(|(r, driver_profile)| CollisionSummary {
            driver_display: driver_profile.or(r.fields.driver_name),
            id: r.id,
            reference: r.reference,
            title: r.fields.title,
            location: r.fields.location,
            severity: r.fields.severity,
            status: r.status,
            collision_date: r.fields.collision_date,
            vehicle_registration: r.fields.vehicle_registration,
            fault_determination: r.fields.fault_determination,
            estimated_cost: r.fields.estimated_cost,
            row_version: r.row_version,
            archived_at: r.archived_at,
        })
        .collect();
    Ok(Page::new(items, total, &page))
}

crate::governed!(CollisionRecord, "collisions", "collision", "Collision");
