//! Incidents (domain.md §9): record, edit, list, move through the workflow, archive, restore, history.
//!
//! Use cases own their transaction; validation runs first and nothing is written when any field is bad.

pub mod model;
pub mod rules;
pub mod store;

use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::validate::{as_object, Choice, Input};
use crate::workflow;
use model::*;
use rusqlite::{Connection, Transaction};
use serde_json::{json, Map, Value};

const ENTITY: &str = "incident";
const PREFIX: &str = "INC";

fn label(reference: &str) -> String {
    format!("Incident {reference}")
}

fn to_map(v: &impl serde::Serialize) -> Result<Map<String, Value>> {
    match serde_json::to_value(v)? {
        Value::Object(m) => Ok(m),
        _ => Err(CoreError::Internal("expected an object".into())),
    }
}

/// The audited form of the editable state: every field plus the people list.
fn audited(fields: &IncidentFields, people: &[Person]) -> Result<Map<String, Value>> {
    let mut map = to_map(fields)?;
    map.insert("people".into(), serde_json::to_value(people)?);
    Ok(map)
}

/// Creates an incident inside an open transaction; the building block of `incidents.create` and of imports.
pub fn create_in(tx: &Transaction, call: &Call, map: &Map<String, Value>) -> Result<IncidentRecord> {
    let actor = call.actor()?;
    let (fields, people) = rules::read_fields(tx, map, call.today())?;
    let now = call.now_text();
    let record = IncidentRecord {
        id: crate::ids::new_id(),
        reference: crate::reference::allocate(tx, PREFIX, &now)?,
        fields,
        status: IncidentStatus::Reported,
        reported_at: now.clone(),
        investigation_started_at: None,
        investigation_completed_at: None,
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
    store::insert_people(tx, &record.id, &people)?;
    let mut created = audited(&record.fields, &people)?;
    created.insert("status".into(), json!(record.status));
    if people.is_empty() {
        created.remove("people");
    }
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
    Ok(record)
}

/// `incidents.create`: records a new incident in status `reported` with the next INC reference.
pub fn create(ctx: &mut Ctx, input: Value) -> Result<IncidentView> {
    ctx.call.require(Capability::CreateIncidents)?;
    let map = as_object(&input)?.clone();
    let record = ctx.write(|tx, call| create_in(tx, call, &map))?;
    view(ctx.conn(), &ctx.call, record)
}

fn load(conn: &Connection, id: &str) -> Result<IncidentRecord> {
    store::find(conn, id)?.ok_or_else(|| CoreError::NotFound(format!("No incident has the id {id}.")))
}

fn guard_facts(conn: &Connection, record: &IncidentRecord) -> Result<GuardFacts> {
    use crate::action::{model::ActionSourceType, store as actions};
    use crate::investigation::{model::SubjectType, store as investigations};
    let mut open_actions = actions::open_references(conn, ActionSourceType::Incident, &record.id)?;
    open_actions.extend(investigations::open_action_references(conn, SubjectType::Incident, &record.id)?);
    Ok(GuardFacts {
        open_actions,
        open_investigations: investigations::open_references(conn, SubjectType::Incident, &record.id)?,
        action_count: actions::count_not_cancelled(conn, ActionSourceType::Incident, &record.id)?,
        investigation_completed: investigations::any_completed(conn, SubjectType::Incident, &record.id)?,
    })
}

use rules::GuardFacts;

fn view(conn: &Connection, call: &Call, record: IncidentRecord) -> Result<IncidentView> {
    let people = store::people(conn, &record.id)?;
    let riddor = rules::riddor_status(&record.fields, &people, call.today());
    let name_of = |id: Option<&str>| -> Result<Option<String>> {
        Ok(match id {
            Some(id) => crate::users::find(conn, id)?.map(|u| u.display_name),
            None => None,
        })
    };
    let investigator_name = name_of(record.fields.investigator_id.as_deref())?;
    let created_by_name = name_of(Some(&record.created_by))?;
    let transitions = if record.archived_at.is_some() {
        Vec::new()
    } else {
        let facts = guard_facts(conn, &record)?;
        rules::allowed_targets(record.status)
            .iter()
            .map(|to| TransitionOption {
                to: *to,
                needs: rules::needs(record.status, *to).iter().map(|s| (*s).to_owned()).collect(),
                unmet_guards: rules::unmet_guards(record.status, *to, &record.fields, &facts),
            })
            .collect()
    };
    let linked_risks = crate::risk::links::risks_of(conn, crate::risk::links::LinkedType::Incident, &record.id)?;
    Ok(IncidentView { record, people, riddor, investigator_name, created_by_name, transitions, linked_risks })
}

/// `incidents.get`: one incident by `id` or `reference`, readable even when archived.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<IncidentView> {
    let id = lifecycle::read_get::<IncidentRecord>(ctx, &input, store::id_by_reference)?;
    let record = load(ctx.conn(), &id)?;
    view(ctx.conn(), &ctx.call, record)
}

fn check_writable(record: &IncidentRecord, quoted_version: i64) -> Result<()> {
    let name = label(&record.reference);
    workflow::check_not_archived(&name, record.archived_at.as_deref())?;
    workflow::check_row_version(&name, record.row_version, quoted_version)
}

fn involved(record: &IncidentRecord) -> [Option<&str>; 2] {
    [Some(record.created_by.as_str()), record.fields.investigator_id.as_deref()]
}

/// `incidents.update`: `{id, rowVersion, changes}`; fields in `changes` replace the stored ones (null clears).
/// The whole merged record is validated again; a write with no actual change is a no-op.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<IncidentView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    let (id, row_version, changes) = crate::lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::EditRecords, &involved(&current))?;
    check_writable(&current, row_version)?;
    if current.status == IncidentStatus::Closed {
        return Err(CoreError::Conflict(format!("{} is closed and read-only. Reopen it to change it.", label(&current.reference))));
    }
    let old_people = store::people(ctx.conn(), &id)?;
    let mut merged = audited(&current.fields, &old_people)?;
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let (fields, people) = crate::validate::keeping(&current.fields, || rules::read_fields(ctx.conn(), &merged, ctx.call.today()))?;
    let diff = audit_trail::diff_changes(&audited(&current.fields, &old_people)?, &audited(&fields, &people)?);
    if diff.is_empty() {
        return view(ctx.conn(), &ctx.call, current);
    }
    let record = ctx.write(|tx, call| {
        let actor = call.actor()?;
        let mut record = current.clone();
        record.fields = fields;
        record.updated_at = call.now_text();
        record.updated_by = actor.id.clone();
        record.row_version += 1;
        store::update(tx, &record)?;
        if old_people != people {
            store::replace_people(tx, &record.id, &people)?;
        }
        audit_trail::append(
            tx,
            call,
            NewEvent {
                entity_type: ENTITY,
                entity_id: &record.id,
                entity_reference: Some(&record.reference),
                action: AuditAction::Update,
                changes: diff,
                reason: None,
            },
        )?;
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `incidents.transition`: `{id, rowVersion, to, reason?, closureNotes?}` along the §9 table.
pub fn transition(ctx: &mut Ctx, input: Value) -> Result<IncidentView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["id", "rowVersion", "to", "reason", "closureNotes"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let to = v.required_choice::<IncidentStatus>("to", "Target status");
    let reason = v.text("reason", "Reason", 1, 1000, false);
    let closure_notes_input = v.long_text("closureNotes", "Closure notes", 0, 10_000, false);
    v.finish()?;
    let (Some(id), Some(row_version), Some(to)) = (id, row_version, to) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load(ctx.conn(), &id)?;
    let from = current.status;
    let closing_or_reopening = to == IncidentStatus::Closed || from == IncidentStatus::Closed;
    let capability = if closing_or_reopening { Capability::CloseReopen } else { Capability::EditRecords };
    ctx.call.require_on(capability, &involved(&current))?;
    check_writable(&current, row_version)?;
    let name = label(&current.reference);
    let allowed: Vec<&str> = rules::allowed_targets(from).iter().map(|s| s.as_str()).collect();
    if !rules::allowed_targets(from).contains(&to) {
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &allowed, Vec::new(), Vec::new()));
    }
    // "Needs" fields: missing ones are validation errors, naming the field.
    let closure_notes = closure_notes_input.clone().or_else(|| current.fields.closure_notes.clone());
    let mut needs = Input::new(map, &["id", "rowVersion", "to", "reason", "closureNotes"]);
    for need in rules::needs(from, to) {
        match *need {
            "reason" if reason.is_none() => needs.error("reason", FieldCode::Required, "Reason is required for this step"),
            "closureNotes" if closure_notes.is_none() => {
                needs.error("closureNotes", FieldCode::Required, "Closure notes are required to close")
            }
            _ => {}
        }
    }
    needs.finish()?;
    let facts = guard_facts(ctx.conn(), &current)?;
    let mut after = current.fields.clone();
    after.closure_notes = closure_notes;
    let unmet = rules::unmet_guards(from, to, &after, &facts);
    if !unmet.is_empty() {
        let mut blocking = facts.open_actions.clone();
        blocking.extend(facts.open_investigations.clone());
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &allowed, unmet, blocking));
    }
    let record = ctx.write(|tx, call| {
        let actor = call.actor()?;
        let now = call.now_text();
        let mut record = current.clone();
        let mut changes = vec![Change::new("status", json!(from), json!(to))];
        let mut stamp = |field: &str, slot: &mut Option<String>, value: Option<String>| {
            if *slot != value {
                changes.push(Change::new(field, json!(slot), json!(value)));
                *slot = value;
            }
        };
        use IncidentStatus::*;
        if to == UnderInvestigation && record.investigation_started_at.is_none() {
            stamp("investigation_started_at", &mut record.investigation_started_at, Some(now.clone()));
        }
        if from == UnderInvestigation && matches!(to, ActionsPending | Closed) {
            stamp("investigation_completed_at", &mut record.investigation_completed_at, Some(now.clone()));
        }
        if to == Closed {
            stamp("closed_at", &mut record.closed_at, Some(now.clone()));
            stamp("closed_by", &mut record.closed_by, Some(actor.id.clone()));
            stamp("closure_notes", &mut record.fields.closure_notes, after.closure_notes.clone());
        }
        if from == Closed {
            stamp("closed_at", &mut record.closed_at, None);
            stamp("closed_by", &mut record.closed_by, None);
            changes.push(Change::new("reopen_count", json!(record.reopen_count), json!(record.reopen_count + 1)));
            record.reopen_count += 1;
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
                reason: reason.as_deref(),
            },
        )?;
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `incidents.archive`: `{id, rowVersion, reason}`; hides the incident from lists; status is unchanged.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<IncidentView> {
    let record = lifecycle::archive(ctx, &input, load, |conn, r| Ok(guard_facts(conn, r)?.open_actions))?;
    view(ctx.conn(), &ctx.call, record)
}

/// `incidents.restore`: `{id, rowVersion, reason?}`; brings an archived incident back.
pub fn restore(ctx: &mut Ctx, input: Value) -> Result<IncidentView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `incidents.history`: the incident's audit-trail events, newest first.
pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<IncidentRecord>(ctx, &input, load)
}

const FILTER_KEYS: &[&str] =
    &["status", "incidentType", "severity", "department", "investigatorId", "riddor", "recordOnly", "incidentDateFrom", "incidentDateTo"];

/// `incidents.list`: the register with paging, filters, sort and free-text search.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<IncidentSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let known: Vec<&str> = LIST_KEYS.iter().chain(FILTER_KEYS).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, store::SORTS);
    let text_list = |v: &mut Input, key: &str, label: &str| -> Vec<String> {
        match v.raw(key) {
            None => Vec::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                items.iter().filter_map(|i| i.as_str().map(|s| s.trim().to_owned())).collect()
            }
            Some(_) => {
                v.error(key, FieldCode::InvalidFormat, format!("{label} must be a list of text values"));
                Vec::new()
            }
        }
    };
    let filter = store::IncidentFilter {
        statuses: choice_list(&mut v, "status", "Status"),
        types: choice_list(&mut v, "incidentType", "Incident type"),
        severities: choice_list(&mut v, "severity", "Severity"),
        departments: text_list(&mut v, "department", "Department"),
        investigator_ids: text_list(&mut v, "investigatorId", "Investigator"),
        riddor: choice_list(&mut v, "riddor", "RIDDOR"),
        record_only: v.tri_state("recordOnly", "Record only"),
        date_from: v.date("incidentDateFrom", "Incident date from", false).map(|d| d.to_string()),
        date_to: v.date("incidentDateTo", "Incident date to", false).map(|d| d.to_string()),
        ids: Vec::new(),
    };
    if let (Some(from), Some(to)) = (&filter.date_from, &filter.date_to) {
        if from > to {
            v.error("incidentDateTo", FieldCode::Inconsistent, "Incident date to cannot be before incident date from");
        }
    }
    v.finish()?;
    let today = ctx.call.today().to_string();
    let (items, total) = store::list(ctx.conn(), &filter, &page, &today)?;
    Ok(Page::new(items, total, &page))
}

/// The register rows of the chosen incidents, archived ones included, in the order of `ids` (reports and packs
/// on a set: reading the whole register to pick a few rows out of it took seconds on a large one).
pub fn summaries_of(ctx: &mut Ctx, ids: &[String]) -> Result<Vec<IncidentSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let today = ctx.call.today().to_string();
    let mut found = std::collections::HashMap::new();
    // A few hundred at a time keeps each statement well inside SQLite's limit on parameters.
    for chunk in ids.chunks(500) {
        let filter = store::IncidentFilter { ids: chunk.to_vec(), ..Default::default() };
        let page = crate::paging::PageRequest {
            page: 1,
            page_size: chunk.len() as i64,
            archived: crate::paging::ArchivedFilter::Include,
            search: None,
            sort: None,
            direction: None,
        };
        found.extend(store::list(ctx.conn(), &filter, &page, &today)?.0.into_iter().map(|s| (s.id.clone(), s)));
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

fn zero_filled<E: Choice>(counts: &[(String, i64)]) -> Vec<ValueCount> {
    E::VALUES
        .iter()
        .map(|value| ValueCount { value: (*value).to_owned(), count: counts.iter().find(|(k, _)| k == value).map_or(0, |(_, n)| *n) })
        .collect()
}

/// `incidents.dashboard`: counts by status and severity, open vs RIDDOR-overdue, and the monthly trend over the
/// last 12 full months plus the current month (zero-filled). Archived incidents are left out.
pub fn dashboard(ctx: &mut Ctx, _input: Value) -> Result<IncidentDashboard> {
    ctx.call.require(Capability::ViewRecords)?;
    let conn = ctx.conn();
    let today = ctx.call.today();
    let cells = store::status_severity_counts(conn)?;
    let sum_by = |pick: fn(&(String, String, i64)) -> &String| -> Vec<(String, i64)> {
        let mut out: Vec<(String, i64)> = Vec::new();
        for cell in &cells {
            match out.iter_mut().find(|(k, _)| k == pick(cell)) {
                Some((_, n)) => *n += cell.2,
                None => out.push((pick(cell).clone(), cell.2)),
            }
        }
        out
    };
    let by_status = zero_filled::<IncidentStatus>(&sum_by(|c| &c.0));
    let by_severity = zero_filled::<IncidentSeverity>(&sum_by(|c| &c.1));
    let open = cells.iter().filter(|c| c.0 != IncidentStatus::Closed.as_str()).map(|c| c.2).sum();
    let riddor_overdue = store::riddor_overdue_count(conn, &today.to_string())?;
    let this_month = today.first_of_month();
    let first = crate::clock::add_months(this_month, -12);
    let rows = store::monthly(conn, &first.to_string())?;
    let trend = (0..13)
        .map(|i| {
            let month = crate::clock::add_months(first, i).strftime("%Y-%m").to_string();
            let in_month: Vec<&(String, String, i64, i64)> = rows.iter().filter(|r| r.0 == month).collect();
            let sev: Vec<(String, i64)> = in_month.iter().map(|r| (r.1.clone(), r.2)).collect();
            MonthCount {
                total: in_month.iter().map(|r| r.2).sum(),
                riddor_reportable: in_month.iter().map(|r| r.3).sum(),
                by_severity: zero_filled::<IncidentSeverity>(&sev),
                month,
            }
        })
        .collect();
    Ok(IncidentDashboard { by_status, by_severity, open, riddor_overdue, trend, today: today.to_string() })
}

crate::governed!(IncidentRecord, "incidents", "incident", "Incident");
