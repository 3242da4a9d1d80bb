//! Findings (domain.md §6): raised automatically when a run completes or by hand during and after it, graded
//! (major/minor nonconformity, observation, opportunity, positive), linked to clauses and controls, followed up by
//! actions, and closed under rule C-1 with a verifier's signature.

pub mod model;

use crate::audit::model::{RunRecord, RunStatus};
use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::rowmap::{self, to_object};
use crate::signature::{self, SignatureMeaning, Signing};
use crate::template::logic;
use crate::template::model::{FindingSeverity, FindingType, VersionContent};
use crate::validate::{as_object, Choice, Input};
use crate::workflow::{self, stamp};
use jiff::civil::Date;
use model::*;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{json, Map, Value};

const PREFIX: &str = "FND";

/// The action due date a finding gets: raised date + the days its severity allows (none for observations).
fn due_for(call: &Call, severity: FindingSeverity) -> Option<String> {
    let d = &call.settings.finding_due_days;
    let days = match severity {
        FindingSeverity::Critical => d.critical,
        FindingSeverity::High => d.high,
        FindingSeverity::Medium => d.medium,
        FindingSeverity::Low => d.low,
        FindingSeverity::Observation => return None,
    };
    call.today().checked_add(jiff::Span::new().days(i64::from(days))).ok().map(|d| d.to_string())
}

fn link_catalogue(tx: &Transaction, call: &Call, finding_id: &str, clauses: &[String], controls: &[String]) -> Result<()> {
    let (now, actor) = (call.now_text(), call.actor()?.id.clone());
    for c in clauses {
        tx.execute(
            "INSERT OR IGNORE INTO clause_links (clause_id, entity_type, entity_id, created_at, created_by) VALUES (?1, 'finding', ?2, ?3, ?4)",
            rusqlite::params![c, finding_id, now, actor],
        )?;
    }
    for c in controls {
        tx.execute(
            "INSERT OR IGNORE INTO control_links (control_id, entity_type, entity_id, created_at, created_by) VALUES (?1, 'finding', ?2, ?3, ?4)",
            rusqlite::params![c, finding_id, now, actor],
        )?;
    }
    Ok(())
}

fn insert(tx: &Transaction, call: &Call, f: &FindingRecord, clauses: &[String], controls: &[String]) -> Result<()> {
    rowmap::insert(tx, "findings", &rowmap::to_columns(f)?)?;
    link_catalogue(tx, call, &f.id, clauses, controls)?;
    let mut created = to_object(&f.fields)?;
    created.insert("origin".into(), json!(f.origin));
    created.insert("runId".into(), json!(f.run_id));
    created.insert("status".into(), json!(f.status));
    created.retain(|_, v| !v.is_null());
    audit_trail::append(
        tx,
        call,
        NewEvent {
            entity_type: "finding",
            entity_id: &f.id,
            entity_reference: Some(&f.reference),
            action: AuditAction::Create,
            changes: audit_trail::created_changes(&created),
            reason: None,
        },
    )?;
    Ok(())
}

fn new_record(tx: &Transaction, call: &Call, run_id: &str, origin: FindingOrigin, fields: FindingFields) -> Result<FindingRecord> {
    let actor = call.actor()?.id.clone();
    let now = call.now_text();
    Ok(FindingRecord {
        id: crate::ids::new_id(),
        reference: crate::reference::allocate(tx, PREFIX, &now)?,
        run_id: run_id.to_owned(),
        question_id: None,
        response_id: None,
        origin,
        fields,
        status: FindingStatus::Open,
        deferred_until: None,
        verification_notes: None,
        closure_notes: None,
        closed_at: None,
        closed_by: None,
        reopen_count: 0,
        created_at: now.clone(),
        updated_at: now,
        created_by: actor.clone(),
        updated_by: actor,
        row_version: 1,
        archived_at: None,
        archived_by: None,
        archive_reason: None,
    })
}

/// Raises one finding per cause in every visible, non-N/A response (§5 automatic findings), inside the transaction
/// that completes the run: title from the question, description from the answer, note and location, severity and
/// type from the option or question, clause and control links copied, the response's files linked as evidence.
pub fn raise_automatic(tx: &Transaction, call: &Call, run: &RunRecord, content: &VersionContent) -> Result<usize> {
    let all = crate::audit::responses(tx, &run.id)?;
    let answers = crate::audit::answers_of(&all);
    let visible = logic::visible(content, &answers);
    let mut raised = 0;
    for (section, q) in content.questions() {
        let (Some(a), Some(resp)) = (answers.get(&q.id), all.iter().find(|r| r.question_id == q.id)) else { continue };
        if !visible.contains(&q.id) || a.is_na {
            continue;
        }
        for cause in logic::finding_causes(q, a) {
            let mut description = format!("{} › {}\nAnswer: {}", section.title, q.text, cause.answer_text);
            if let Some(n) = a.note.as_deref().filter(|n| !n.is_empty()) {
                description.push_str(&format!("\nNote: {n}"));
            }
            if let Some(l) = run.fields.location.as_deref() {
                description.push_str(&format!("\nLocation: {l}"));
            }
            let fields = FindingFields {
                title: q.text.chars().take(300).collect(),
                description: description.chars().take(5000).collect(),
                finding_type: cause.finding_type,
                severity: cause.severity,
                corrective_action_required: cause.finding_type == FindingType::Nonconformity,
                action_due_date: due_for(call, cause.severity),
                legacy_reference: None,
            };
            let mut f = new_record(tx, call, &run.id, FindingOrigin::Auto, fields)?;
            f.question_id = Some(q.id.clone());
            f.response_id = Some(resp.id.clone());
            insert(tx, call, &f, &q.clause_ids, &q.control_ids)?;
            for file in &resp.files {
                tx.execute(
                    "INSERT OR IGNORE INTO evidence_links (evidence_id, entity_type, entity_id, created_at, created_by) VALUES (?1, 'finding', ?2, ?3, ?4)",
                    rusqlite::params![file.evidence_id, f.id, call.now_text(), call.actor()?.id],
                )?;
            }
            raised += 1;
        }
    }
    Ok(raised)
}

fn read_fields(map: &Map<String, Value>, extra: &[&str], call: &Call, existing_due: Option<Option<String>>) -> Result<FindingFields> {
    let known: Vec<&str> = FIELD_KEYS.iter().chain(extra).copied().collect();
    let mut v = Input::new(map, &known);
    let title = v.text("title", "Title", 1, 300, true);
    let description = v.long_text("description", "Description", 1, 5000, true);
    let finding_type = v.choice("findingType", "Type", Some(FindingType::Nonconformity)).unwrap_or(FindingType::Nonconformity);
    let default_severity = if finding_type == FindingType::Nonconformity { FindingSeverity::Medium } else { FindingSeverity::Observation };
    let severity = v.choice("severity", "Severity", Some(default_severity)).unwrap_or(default_severity);
    if severity == FindingSeverity::Observation && finding_type == FindingType::Nonconformity {
        v.error("severity", FieldCode::Inconsistent, "A nonconformity is graded critical, high, medium or low");
    }
    let car = match v.tri_state("correctiveActionRequired", "Corrective action required") {
        Some(b) => b,
        None => finding_type == FindingType::Nonconformity,
    };
    let due = if map.contains_key("actionDueDate") {
        v.date("actionDueDate", "Action due date", false).map(|d| d.to_string())
    } else {
        existing_due.unwrap_or_else(|| due_for(call, severity))
    };
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);
    v.finish()?;
    Ok(FindingFields {
        title: title.unwrap_or_default(),
        description: description.unwrap_or_default(),
        finding_type,
        severity,
        corrective_action_required: car,
        action_due_date: due,
        legacy_reference,
    })
}

fn id_list(conn: &Connection, v: &mut Input, key: &str, table: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    if let Some(items) = v.raw(key).and_then(Value::as_array) {
        for (i, item) in items.iter().enumerate() {
            let id = item.as_str().unwrap_or_default();
            let ok: bool = conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"), [id], |r| r.get(0))?;
            if ok {
                out.push(id.to_owned());
            } else {
                v.error(&format!("{key}[{i}]"), FieldCode::NotFound, "No such clause or control");
            }
        }
    }
    Ok(out)
}

/// `findings.create`: a finding added by hand to a run in progress, in review or completed.
pub fn create(ctx: &mut Ctx, input: Value) -> Result<FindingView> {
    ctx.call.require(Capability::ConductAudits)?;
    let map = as_object(&input)?.clone();
    let mut v = Input::new(&map, &[FIELD_KEYS, &["runId", "clauseIds", "controlIds"]].concat());
    let run_id = v.id("runId", "Run", true);
    let run = match &run_id {
        Some(id) => match crate::audit::load(ctx.conn(), id) {
            Ok(r) if r.archived_at.is_some() => {
                v.error("runId", FieldCode::ArchivedTarget, format!("{} is archived", r.reference));
                None
            }
            Ok(r) if !matches!(r.status, RunStatus::InProgress | RunStatus::PendingReview | RunStatus::Completed) => {
                v.error(
                    "runId",
                    FieldCode::Inconsistent,
                    format!("{} is {}; findings are added once it is in progress", r.reference, r.status),
                );
                None
            }
            Ok(r) => Some(r),
            Err(CoreError::NotFound(_)) => {
                v.error("runId", FieldCode::NotFound, "No such run");
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    let clauses = id_list(ctx.conn(), &mut v, "clauseIds", "clauses")?;
    let controls = id_list(ctx.conn(), &mut v, "controlIds", "controls")?;
    let errors = v.errors().to_vec();
    let mut fields_map = map.clone();
    for k in ["runId", "clauseIds", "controlIds"] {
        fields_map.remove(k);
    }
    let fields = match (read_fields(&fields_map, &[], &ctx.call, None), errors.is_empty()) {
        (Ok(f), true) => f,
        (Ok(_), false) => return Err(CoreError::validation(errors)),
        (Err(CoreError::Validation { fields, .. }), _) => {
            let mut all = errors;
            all.extend(fields);
            return Err(CoreError::validation(all));
        }
        (Err(e), _) => return Err(e),
    };
    let Some(run) = run else { return Err(CoreError::Internal("validated fields missing".into())) };
    let id = ctx.write(|tx, call| {
        let f = new_record(tx, call, &run.id, FindingOrigin::Manual, fields)?;
        insert(tx, call, &f, &clauses, &controls)?;
        Ok(f.id)
    })?;
    get_view(ctx.conn(), &ctx.call, &id)
}

pub(crate) fn load(conn: &Connection, id: &str) -> Result<FindingRecord> {
    lifecycle::load_row(conn, id)
}

fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT id FROM findings WHERE reference = ?1")?.query_row([reference], |r| r.get(0)).optional()?)
}

/// Actions on the finding: (references not terminal, count not cancelled).
fn action_state(conn: &Connection, id: &str) -> Result<(Vec<String>, i64)> {
    let open = crate::action::store::open_references(conn, crate::action::model::ActionSourceType::Finding, id)?;
    let count = crate::action::store::count_not_cancelled(conn, crate::action::model::ActionSourceType::Finding, id)?;
    Ok((open, count))
}

pub(crate) fn allowed(from: FindingStatus) -> &'static [FindingStatus] {
    use FindingStatus::*;
    match from {
        Open => &[ActionPlanned, Closed, Deferred],
        ActionPlanned => &[PendingVerification, Deferred],
        PendingVerification => &[Closed, ActionPlanned],
        Deferred => &[Open, ActionPlanned],
        Closed => &[Open],
    }
}

fn needs(from: FindingStatus, to: FindingStatus) -> &'static [&'static str] {
    use FindingStatus::*;
    match (from, to) {
        (PendingVerification, Closed) => &["verificationNotes", "passphrase"],
        (Open, Closed) => &["closureNotes"],
        (_, Deferred) => &["deferredUntil", "reason"],
        (PendingVerification, ActionPlanned) | (Deferred, _) | (Closed, Open) => &["reason"],
        _ => &[],
    }
}

fn unmet(conn: &Connection, call: &Call, f: &FindingRecord, to: FindingStatus) -> Result<Vec<String>> {
    use FindingStatus::*;
    let (open, count) = action_state(conn, &f.id)?;
    let mut out = Vec::new();
    match (f.status, to) {
        (Open | Deferred, ActionPlanned) if count == 0 => out.push("Raise an action first.".into()),
        (ActionPlanned, PendingVerification) if !open.is_empty() => out.push(format!("Still open: {}.", open.join(", "))),
        (PendingVerification, Closed) => {
            if !open.is_empty() {
                out.push(format!("Still open: {}.", open.join(", ")));
            }
            let lead: Option<String> =
                conn.query_row("SELECT lead_auditor_id FROM audit_runs WHERE id = ?1", [&f.run_id], |r| r.get(0)).optional()?;
            let actor = call.actor().map(|a| a.id.clone()).unwrap_or_default();
            if call.settings.segregation_of_duties && lead.as_deref() == Some(actor.as_str()) {
                out.push(crate::settings::segregation_refusal("the run's lead auditor cannot verify its findings."));
            }
            if call.actor().is_ok_and(|a| !a.role.grants(Capability::ReviewAndVerify)) {
                out.push("Your role cannot verify findings.".into());
            }
        }
        (Open, Closed) if f.fields.corrective_action_required => {
            out.push("This finding needs corrective action; raise and verify an action instead.".into())
        }
        _ => {}
    }
    Ok(out)
}

pub(crate) fn get_view(conn: &Connection, call: &Call, id: &str) -> Result<FindingView> {
    let record = load(conn, id)?;
    let run: (String, String, Option<String>) =
        conn.query_row("SELECT reference, title, location FROM audit_runs WHERE id = ?1", [&record.run_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let transitions = if record.archived_at.is_some() {
        Vec::new()
    } else {
        allowed(record.status)
            .iter()
            .map(|to| {
                Ok(FindingTransitionOption {
                    to: *to,
                    needs: needs(record.status, *to).iter().map(|s| (*s).to_owned()).collect(),
                    unmet_guards: unmet(conn, call, &record, *to)?,
                    signature: record.status == FindingStatus::PendingVerification && *to == FindingStatus::Closed,
                })
            })
            .collect::<Result<Vec<_>>>()?
    };
    let clause_ids = {
        let mut stmt = conn.prepare_cached("SELECT clause_id FROM clause_links WHERE entity_type = 'finding' AND entity_id = ?1")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()?
    };
    let overdue = matches!(record.status, FindingStatus::Open | FindingStatus::ActionPlanned)
        && record.fields.action_due_date.as_deref().and_then(|d| d.parse::<Date>().ok()).is_some_and(|d| d < call.today());
    let deferral_expired = deferral_expired(record.status, record.deferred_until.as_deref(), call.today());
    let closed_by_name: Option<String> = match &record.closed_by {
        Some(user) => conn.query_row("SELECT display_name FROM users WHERE id = ?1", [user], |r| r.get(0)).optional()?,
        None => None,
    };
    Ok(FindingView {
        deferral_expired,
        closed_by_name,
        linked_risks: crate::risk::links::risks_of(conn, crate::risk::links::LinkedType::Finding, id)?,
        run_reference: run.0,
        run_title: run.1,
        run_location: run.2,
        grade: grade(record.fields.finding_type, record.fields.severity).to_owned(),
        transitions,
        clause_ids,
        overdue,
        signatures: signature::list_for(conn, "finding", id)?,
        record,
    })
}

/// §6: a deferred finding stays deferred past its date and shows as *deferral expired*.
fn deferral_expired(status: FindingStatus, deferred_until: Option<&str>, today: Date) -> bool {
    status == FindingStatus::Deferred && deferred_until.and_then(|d| d.parse::<Date>().ok()).is_some_and(|d| d < today)
}

/// §6: major nonconformity = critical/high, minor = medium/low.
pub fn grade(t: FindingType, s: FindingSeverity) -> &'static str {
    match (t, s) {
        (FindingType::Nonconformity, FindingSeverity::Critical | FindingSeverity::High) => "major nonconformity",
        (FindingType::Nonconformity, _) => "minor nonconformity",
        (FindingType::Observation, _) => "observation",
        (FindingType::Opportunity, _) => "opportunity for improvement",
        (FindingType::Positive, _) => "positive",
    }
}

/// `findings.get`: by `id` or `reference`.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<FindingView> {
    let id = lifecycle::read_get::<FindingRecord>(ctx, &input, id_by_reference)?;
    get_view(ctx.conn(), &ctx.call, &id)
}

/// `findings.update`: title, description, grading and due date while the finding is not closed.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<FindingView> {
    ctx.call.require(Capability::ConductAudits)?;
    let (id, row_version, changes) = lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    lifecycle::check_writable(&current, row_version)?;
    if current.status == FindingStatus::Closed {
        return Err(CoreError::Conflict(format!("{} is closed and read-only. Reopen it to change it.", current.reference)));
    }
    let mut merged = to_object(&current.fields)?;
    merged.remove("actionDueDate");
    let due_given = changes.contains_key("actionDueDate");
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let fields = read_fields(&merged, &[], &ctx.call, if due_given { None } else { Some(current.fields.action_due_date.clone()) })?;
    let diff = audit_trail::diff_changes(&to_object(&current.fields)?, &to_object(&fields)?);
    if !diff.is_empty() {
        ctx.write(|tx, call| {
            let mut f = current.clone();
            f.fields = fields;
            lifecycle::save(tx, call, &mut f, AuditAction::Update, diff, None)
        })?;
    }
    get_view(ctx.conn(), &ctx.call, &id)
}

/// `findings.transition` along the §6 table.
pub fn transition(ctx: &mut Ctx, input: Value) -> Result<FindingView> {
    use FindingStatus::*;
    let map = as_object(&input)?;
    let mut v = Input::new(
        map,
        &["id", "rowVersion", "to", "reason", "verificationNotes", "closureNotes", "deferredUntil", "passphrase", "comment"],
    );
    let (id, row_version) = workflow::read_target(&mut v);
    let to = v.required_choice::<FindingStatus>("to", "Target status");
    let reason = v.text("reason", "Reason", 1, 1000, false);
    let verification_notes = v.long_text("verificationNotes", "Verification notes", 1, 5000, false);
    let closure_notes = v.long_text("closureNotes", "Closure notes", 1, 5000, false);
    let deferred_until = v.date("deferredUntil", "Deferred until", false);
    let comment = v.text("comment", "Comment", 0, 1000, false);
    let passphrase = map.get("passphrase").and_then(Value::as_str).unwrap_or("").to_owned();
    v.finish()?;
    let (Some(id), Some(row_version), Some(to)) = (id, row_version, to) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load(ctx.conn(), &id)?;
    let capability = match (current.status, to) {
        (PendingVerification, Closed) => Capability::ReviewAndVerify,
        (_, Closed) | (Closed, _) => Capability::CloseReopen,
        _ => Capability::ConductAudits,
    };
    ctx.call.require(capability)?;
    lifecycle::check_writable(&current, row_version)?;
    let name = format!("Finding {}", current.reference);
    let targets: Vec<&str> = allowed(current.status).iter().map(|s| s.as_str()).collect();
    if !allowed(current.status).contains(&to) {
        return Err(workflow::refuse(&name, current.status.as_str(), to.as_str(), &targets, Vec::new(), Vec::new()));
    }
    let unmet = unmet(ctx.conn(), &ctx.call, &current, to)?;
    if !unmet.is_empty() {
        return Err(workflow::refuse(&name, current.status.as_str(), to.as_str(), &targets, unmet, Vec::new()));
    }
    workflow::missing_needs(
        needs(current.status, to),
        &[
            ("reason", reason.is_some()),
            ("verificationNotes", verification_notes.is_some()),
            ("closureNotes", closure_notes.is_some()),
            ("deferredUntil", deferred_until.is_some()),
            ("passphrase", !passphrase.is_empty()),
        ],
    )?;
    if to == Deferred && deferred_until.is_some_and(|d| d <= ctx.call.today()) {
        return Err(CoreError::field("deferredUntil", FieldCode::BeforeMinimum, "Defer to a date after today"));
    }
    let signing = current.status == PendingVerification && to == Closed;
    if signing {
        signature::reauthenticate(ctx, &passphrase)?;
    }
    ctx.write(|tx, call| {
        let mut f = current.clone();
        let mut changes = vec![Change::new("status", json!(f.status), json!(to))];
        match to {
            Closed if signing => stamp(&mut changes, "verification_notes", &mut f.verification_notes, verification_notes.clone()),
            Closed => stamp(&mut changes, "closure_notes", &mut f.closure_notes, closure_notes.clone()),
            Deferred => stamp(&mut changes, "deferred_until", &mut f.deferred_until, deferred_until.map(|d| d.to_string())),
            _ => {}
        }
        if current.status == Deferred {
            stamp(&mut changes, "deferred_until", &mut f.deferred_until, None);
        }
        // Entering closed stamps who and when; a reopen clears them (the old values stay in the trail) and counts.
        if to == Closed {
            stamp(&mut changes, "closed_at", &mut f.closed_at, Some(call.now_text()));
            stamp(&mut changes, "closed_by", &mut f.closed_by, Some(call.actor()?.id.clone()));
        } else if current.status == Closed {
            stamp(&mut changes, "closed_at", &mut f.closed_at, None);
            stamp(&mut changes, "closed_by", &mut f.closed_by, None);
            changes.push(Change::new("reopen_count", json!(f.reopen_count), json!(f.reopen_count + 1)));
            f.reopen_count += 1;
        }
        f.status = to;
        if signing {
            signature::sign(
                tx,
                call,
                Signing {
                    meaning: SignatureMeaning::Verified,
                    entity_type: "finding",
                    entity_id: &f.id,
                    entity_reference: Some(&f.reference),
                    record: &serde_json::to_value(&f)?,
                    files: &[],
                    comment: comment.as_deref(),
                },
            )?;
        }
        lifecycle::save(tx, call, &mut f, AuditAction::StatusChange, changes, reason.as_deref())
    })?;
    get_view(ctx.conn(), &ctx.call, &id)
}

/// Raising the first action moves an open finding to action_planned (§1.6), inside the action's transaction.
pub(crate) fn on_action_raised(tx: &Transaction, call: &Call, finding_id: &str) -> Result<()> {
    let f = load(tx, finding_id)?;
    if f.status != FindingStatus::Open {
        return Ok(());
    }
    let mut f2 = f.clone();
    f2.status = FindingStatus::ActionPlanned;
    let changes = vec![Change::new("status", json!(f.status), json!(FindingStatus::ActionPlanned))];
    lifecycle::save(tx, call, &mut f2, AuditAction::StatusChange, changes, Some("First action raised"))
}

/// `findings.archive` / `findings.restore` / `findings.history`.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<FindingView> {
    let record = lifecycle::archive(ctx, &input, load, |conn, r| {
        crate::action::store::open_references(conn, crate::action::model::ActionSourceType::Finding, &r.id)
    })?;
    get_view(ctx.conn(), &ctx.call, &record.id)
}

pub fn restore(ctx: &mut Ctx, input: Value) -> Result<FindingView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    get_view(ctx.conn(), &ctx.call, &record.id)
}

pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<FindingRecord>(ctx, &input, load)
}

/// `findings.list`: search title/description; filters status, severity, type, run, clause, overdue; severity
/// (critical first), newest, id.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<FindingSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let filters = ["status", "severity", "findingType", "runId", "clauseId", "overdue"];
    let known: Vec<&str> = LIST_KEYS.iter().chain(&filters).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, &["severity", "reference"]);
    let statuses: Vec<FindingStatus> = choice_list(&mut v, "status", "Status");
    let severities: Vec<FindingSeverity> = choice_list(&mut v, "severity", "Severity");
    let types: Vec<FindingType> = choice_list(&mut v, "findingType", "Type");
    let run = v.id("runId", "Run", false);
    let clause = v.id("clauseId", "Clause", false);
    let overdue = v.tri_state("overdue", "Overdue");
    v.finish()?;
    let call_today = ctx.call.today();
    let today = call_today.to_string();
    let mut q = crate::sqlfilter::Filters::new(page.archived_sql("f"));
    q.any_of("f.status", "st", &statuses.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("f.severity", "sev", &severities.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("f.finding_type", "ty", &types.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    if let Some(r) = run {
        let k = q.bind("run", r);
        q.push(format!("f.run_id = {k}"));
    }
    if let Some(c) = clause {
        let k = q.bind("clause", c);
        q.push(format!("f.id IN (SELECT entity_id FROM clause_links WHERE entity_type = 'finding' AND clause_id = {k})"));
    }
    if overdue.is_some() {
        q.bind("today", today.clone());
    }
    q.tri_state(overdue, "f.status IN ('open', 'action_planned') AND f.action_due_date < :today");
    if let Some(text) = page.search.as_deref().and_then(crate::paging::fts_query) {
        let key = q.bind("search", text);
        q.push(format!("f.rowid IN (SELECT rowid FROM findings_fts WHERE findings_fts MATCH {key})"));
    }
    let where_sql = q.sql();
    let params = q.params();
    let conn = ctx.conn();
    let total: i64 =
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM findings f WHERE {where_sql}"))?.query_row(params.as_slice(), |r| r.get(0))?;
    let order = if page.sort.as_deref() == Some("reference") {
        "f.reference DESC".to_owned()
    } else {
        "CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, f.created_at DESC"
            .to_owned()
    };
    let (limit, offset) = page.limit_offset();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT f.id, f.reference, f.title, f.finding_type, f.severity, f.status, f.action_due_date, r.reference, f.row_version, f.archived_at,
                f.deferred_until
         FROM findings f JOIN audit_runs r ON r.id = f.run_id WHERE {where_sql} ORDER BY {order}, f.id LIMIT {limit} OFFSET {offset}"
    ))?;
    let rows = stmt.query_map(params.as_slice(), |r| {
        let bad = |i: usize| rusqlite::Error::InvalidColumnType(i, "enum".into(), rusqlite::types::Type::Text);
        let status = FindingStatus::parse(&r.get::<_, String>(5)?).ok_or_else(|| bad(5))?;
        let due: Option<String> = r.get(6)?;
        let finding_type = FindingType::parse(&r.get::<_, String>(3)?).ok_or_else(|| bad(3))?;
        let severity = FindingSeverity::parse(&r.get::<_, String>(4)?).ok_or_else(|| bad(4))?;
        Ok(FindingSummary {
            id: r.get(0)?,
            reference: r.get(1)?,
            title: r.get(2)?,
            grade: grade(finding_type, severity).to_owned(),
            finding_type,
            severity,
            overdue: matches!(status, FindingStatus::Open | FindingStatus::ActionPlanned)
                && due.as_deref().is_some_and(|d| d < today.as_str()),
            deferral_expired: deferral_expired(status, r.get::<_, Option<String>>(10)?.as_deref(), call_today),
            status,
            action_due_date: due,
            run_reference: r.get(7)?,
            row_version: r.get(8)?,
            archived_at: r.get(9)?,
        })
    })?;
    let items = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page::new(items, total, &page))
}

crate::governed!(FindingRecord, "findings", "finding", "Finding");
