//! Audit runs (domain.md §5): created from a template's published version (fixed on the run), scheduled or started
//! at once, answered question by question in the field (every answer saved as it is given), completed under the
//! completion check with the lead auditor's signature, reviewed where the version requires it, scored exactly, and
//! raising findings automatically in the transaction that completes them.

mod answer;
pub mod dashboard;
pub mod model;
pub(crate) mod steps;

pub use answer::{answer, attach, AnswerOutcome, AttachResponseInput};
pub use steps::transition;

use crate::audit_trail::{self, AuditAction, AuditEventView};
use crate::authz::{Capability, Role};
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::rowmap::{self, to_object};
use crate::template::logic::{self, Answer, Answers};
use crate::template::model::{FindingSeverity, FindingType, TemplateVersionStatus, VersionContent};
use crate::validate::{as_object, Choice, Input};
use jiff::civil::Date;
use model::*;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Map, Value};

const PREFIX: &str = "AUD";
const FIELD_KEYS: &[&str] = &[
    "title",
    "location",
    "locationDetail",
    "auditee",
    "leadAuditorId",
    "reviewerId",
    "scheduledDate",
    "dueDate",
    "latitude",
    "longitude",
    "gpsAccuracyM",
    "notes",
    "legacyReference",
];

fn coordinate(v: &mut Input, key: &str, label: &str, limit: f64) -> Option<f64> {
    match v.raw(key) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_f64() {
            Some(x) if x.abs() <= limit => Some(x),
            _ => {
                v.error(key, FieldCode::AfterMaximum, format!("{label} must be between -{limit} and {limit}"));
                None
            }
        },
        Some(_) => {
            v.error(key, FieldCode::InvalidFormat, format!("{label} must be a number"));
            None
        }
    }
}

/// Reads latitude, longitude and accuracy: both coordinates or neither.
pub(crate) fn read_location(v: &mut Input) -> (Option<f64>, Option<f64>, Option<f64>) {
    let lat = coordinate(v, "latitude", "Latitude", 90.0);
    let lon = coordinate(v, "longitude", "Longitude", 180.0);
    let acc = match v.raw("gpsAccuracyM") {
        None | Some(Value::Null) => None,
        Some(x) => match x.as_f64().filter(|a| *a >= 0.0) {
            Some(a) => Some(a),
            None => {
                v.error("gpsAccuracyM", FieldCode::BeforeMinimum, "Accuracy is a distance in metres, 0 or more");
                None
            }
        },
    };
    if lat.is_some() != lon.is_some() && !v.has_error("latitude") && !v.has_error("longitude") {
        v.error(if lat.is_none() { "latitude" } else { "longitude" }, FieldCode::Required, "Give both latitude and longitude, or neither");
    }
    (lat, lon, acc)
}

fn check_auditor(conn: &Connection, v: &mut Input, key: &str, label: &str, id: Option<&str>) -> Result<()> {
    crate::incident::rules::check_user_ref(conn, v, key, label, id)?;
    if let Some(u) = id.map(|id| crate::users::find(conn, id)).transpose()?.flatten() {
        if !matches!(u.role, Role::Admin | Role::Manager | Role::Auditor) && !v.has_error(key) {
            v.error(key, FieldCode::Inconsistent, format!("{label} must be an administrator, manager or auditor"));
        }
    }
    Ok(())
}

fn read_fields(
    conn: &Connection,
    map: &Map<String, Value>,
    extra: &[&str],
    default_title: &str,
    needs_reviewer: bool,
) -> Result<RunFields> {
    let known: Vec<&str> = FIELD_KEYS.iter().chain(extra).copied().collect();
    let mut v = Input::new(map, &known);
    let title = v.text("title", "Title", 1, 300, false).unwrap_or_else(|| default_title.chars().take(300).collect());
    let location = v.text("location", "Location", 0, 200, false);
    let location_detail = v.long_text("locationDetail", "Location detail", 0, 500, false);
    let auditee = v.text("auditee", "Auditee", 0, 200, false);
    let lead = v.id("leadAuditorId", "Lead auditor", true);
    check_auditor(conn, &mut v, "leadAuditorId", "Lead auditor", lead.as_deref())?;
    let reviewer = v.id("reviewerId", "Reviewer", false);
    crate::incident::rules::check_user_ref(conn, &mut v, "reviewerId", "Reviewer", reviewer.as_deref())?;
    if needs_reviewer && reviewer.is_none() && !v.has_error("reviewerId") {
        v.error("reviewerId", FieldCode::Required, "This template requires a review: name the reviewer");
    }
    let scheduled = v.date("scheduledDate", "Scheduled date", false);
    let due = v.date("dueDate", "Due date", false);
    if let (Some(s), Some(d)) = (scheduled, due) {
        if d < s {
            v.error("dueDate", FieldCode::BeforeMinimum, "The due date cannot be before the scheduled date");
        }
    }
    let (latitude, longitude, gps_accuracy_m) = read_location(&mut v);
    let notes = v.long_text("notes", "Notes", 0, 5000, false);
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);
    v.finish()?;
    Ok(RunFields {
        title,
        location,
        location_detail,
        auditee,
        lead_auditor_id: lead.unwrap_or_default(),
        reviewer_id: reviewer,
        scheduled_date: scheduled.map(|d| d.to_string()),
        due_date: due.map(|d| d.to_string()),
        latitude,
        longitude,
        gps_accuracy_m,
        notes,
        legacy_reference,
    })
}

/// The published version of a template a new run would use.
fn current_version(conn: &Connection, template_id: &str) -> Result<Option<(String, VersionContent, String, bool)>> {
    let row: Option<(String, String, String, bool)> = conn
        .query_row(
            "SELECT v.id, v.content, t.name, t.archived_at IS NOT NULL FROM template_versions v JOIN templates t ON t.id = v.template_id
             WHERE v.template_id = ?1 AND v.status = ?2",
            rusqlite::params![template_id, TemplateVersionStatus::Published.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    row.map(|(id, text, name, archived)| Ok((id, crate::template::content::from_stored(&text)?, name, archived))).transpose()
}

/// `runs.create`: a draft run from a template's published version (fixed on the run for good).
pub fn create(ctx: &mut Ctx, input: Value) -> Result<RunView> {
    ctx.call.require(Capability::ConductAudits)?;
    let map = as_object(&input)?.clone();
    let mut v = Input::new(&map, &[FIELD_KEYS, &["templateId", "followUpOfRunId"]].concat());
    let template_id = v.id("templateId", "Template", true);
    let follow_up = v.id("followUpOfRunId", "Follow-up of", false);
    let version = match &template_id {
        Some(t) => match current_version(ctx.conn(), t)? {
            None => {
                let exists: bool = ctx.conn().query_row("SELECT EXISTS (SELECT 1 FROM templates WHERE id = ?1)", [t], |r| r.get(0))?;
                let msg = if exists { "This template has no published version yet" } else { "No such template" };
                v.error("templateId", if exists { FieldCode::Inconsistent } else { FieldCode::NotFound }, msg);
                None
            }
            Some((_, _, _, true)) => {
                v.error("templateId", FieldCode::ArchivedTarget, "This template is archived and starts no new runs");
                None
            }
            Some(found) => Some(found),
        },
        None => None,
    };
    let follow_findings: Vec<String> = match &follow_up {
        Some(run) => {
            let found: Option<String> =
                ctx.conn().query_row("SELECT template_id FROM audit_runs WHERE id = ?1", [run], |r| r.get(0)).optional()?;
            if found.is_none() {
                v.error("followUpOfRunId", FieldCode::NotFound, "No such run");
            }
            let mut stmt = ctx.conn().prepare(
                "SELECT id FROM findings WHERE run_id = ?1 AND status NOT IN ('closed') AND archived_at IS NULL ORDER BY created_at",
            )?;
            let rows = stmt.query_map([run], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        }
        None => Vec::new(),
    };
    let field_errors = v.errors().to_vec();
    let mut field_map = map.clone();
    field_map.remove("templateId");
    field_map.remove("followUpOfRunId");
    let (name, needs_review) = version.as_ref().map(|(_, c, n, _)| (n.clone(), c.settings.require_review)).unwrap_or_default();
    let default_title = format!("{name} {}", ctx.call.today());
    let fields = match (read_fields(ctx.conn(), &field_map, &[], &default_title, needs_review), field_errors.is_empty()) {
        (Ok(f), true) => f,
        (Ok(_), false) => return Err(CoreError::validation(field_errors)),
        (Err(CoreError::Validation { fields, .. }), _) => {
            let mut all = field_errors;
            all.extend(fields);
            return Err(CoreError::validation(all));
        }
        (Err(e), _) => return Err(e),
    };
    let (Some(template_id), Some((version_id, _, _, _))) = (template_id, version) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let id = ctx.write(|tx, call| {
        let actor = call.actor()?.id.clone();
        let now = call.now_text();
        let record = RunRecord {
            id: crate::ids::new_id(),
            reference: crate::reference::allocate(tx, PREFIX, &now)?,
            template_id: template_id.clone(),
            template_version_id: version_id.clone(),
            fields,
            status: RunStatus::Draft,
            started_at: None,
            submitted_at: None,
            completed_at: None,
            cancelled_at: None,
            score: None,
            max_score: None,
            percentage: None,
            passed: None,
            follow_up_of_run_id: follow_up.clone(),
            created_at: now.clone(),
            updated_at: now.clone(),
            created_by: actor.clone(),
            updated_by: actor.clone(),
            row_version: 1,
            archived_at: None,
            archived_by: None,
            archive_reason: None,
        };
        rowmap::insert(tx, "audit_runs", &rowmap::to_columns(&record)?)?;
        for f in &follow_findings {
            tx.execute(
                "INSERT INTO run_follow_ups (run_id, finding_id, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![record.id, f, now, actor],
            )?;
        }
        let mut created = to_object(&record.fields)?;
        created.insert("templateVersionId".into(), json!(version_id));
        created.insert("status".into(), json!(record.status));
        if !follow_findings.is_empty() {
            created.insert("followUpFindings".into(), json!(follow_findings.len()));
        }
        created.retain(|_, v| !v.is_null());
        audit_trail::append(
            tx,
            call,
            audit_trail::NewEvent {
                entity_type: "audit_run",
                entity_id: &record.id,
                entity_reference: Some(&record.reference),
                action: AuditAction::Create,
                changes: audit_trail::created_changes(&created),
                reason: None,
            },
        )?;
        Ok(record.id)
    })?;
    get_view(ctx.conn(), &ctx.call, &id)
}

pub(crate) fn load(conn: &Connection, id: &str) -> Result<RunRecord> {
    lifecycle::load_row(conn, id)
}

fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT id FROM audit_runs WHERE reference = ?1")?.query_row([reference], |r| r.get(0)).optional()?)
}

pub(crate) fn version_content(conn: &Connection, version_id: &str) -> Result<(VersionContent, i64)> {
    let (text, number): (String, i64) = conn
        .prepare_cached("SELECT content, version_number FROM template_versions WHERE id = ?1")?
        .query_row([version_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((crate::template::content::from_stored(&text)?, number))
}

/// Every response of a run with its files.
pub(crate) fn responses(conn: &Connection, run_id: &str) -> Result<Vec<ResponseView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, question_id, answer, is_na, note, answered_at, answered_by, score, max_score, row_version FROM audit_responses WHERE run_id = ?1",
    )?;
    let rows = stmt.query_map([run_id], |r| {
        let answer: Option<String> = r.get(2)?;
        Ok(ResponseView {
            id: r.get(0)?,
            question_id: r.get(1)?,
            answer: answer.and_then(|a| serde_json::from_str(&a).ok()),
            is_na: r.get(3)?,
            note: r.get(4)?,
            answered_at: r.get(5)?,
            answered_by: r.get(6)?,
            score: r.get(7)?,
            max_score: r.get(8)?,
            files: Vec::new(),
            row_version: r.get(9)?,
        })
    })?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut files = conn.prepare_cached(
        "SELECT l.entity_id, f.id, f.original_name, f.media_type, f.sha256 FROM evidence_links l JOIN evidence_files f ON f.id = l.evidence_id
         JOIN audit_responses r ON r.id = l.entity_id WHERE l.entity_type = 'audit_response' AND r.run_id = ?1 ORDER BY l.created_at",
    )?;
    let rows = files.query_map([run_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            ResponseFile { evidence_id: r.get(1)?, original_name: r.get(2)?, media_type: r.get(3)?, sha256: r.get(4)? },
        ))
    })?;
    for row in rows {
        let (response_id, file) = row?;
        if let Some(resp) = out.iter_mut().find(|x| x.id == response_id) {
            resp.files.push(file);
        }
    }
    Ok(out)
}

/// The answers as the rules see them.
pub(crate) fn answers_of(responses: &[ResponseView]) -> Answers {
    responses
        .iter()
        .map(|r| {
            let photos = r.files.iter().filter(|f| f.media_type.starts_with("image/")).count() as i64;
            (
                r.question_id.clone(),
                Answer { value: r.answer.clone(), is_na: r.is_na, note: r.note.clone(), photos, attachments: r.files.len() as i64 },
            )
        })
        .collect()
}

fn run_findings(conn: &Connection, sql: &str, run_id: &str) -> Result<Vec<RunFinding>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([run_id], |r| {
        let bad = |i: usize| rusqlite::Error::InvalidColumnType(i, "enum".into(), rusqlite::types::Type::Text);
        Ok(RunFinding {
            id: r.get(0)?,
            reference: r.get(1)?,
            title: r.get(2)?,
            severity: FindingSeverity::parse(&r.get::<_, String>(3)?).ok_or_else(|| bad(3))?,
            finding_type: FindingType::parse(&r.get::<_, String>(4)?).ok_or_else(|| bad(4))?,
            status: r.get(5)?,
            question_id: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn is_overdue(r: &RunRecord, today: Date) -> bool {
    !matches!(r.status, RunStatus::Completed | RunStatus::Cancelled)
        && r.fields.due_date.as_deref().and_then(|d| d.parse::<Date>().ok()).is_some_and(|d| d < today)
}

pub(crate) fn get_view(conn: &Connection, call: &Call, id: &str) -> Result<RunView> {
    let record = load(conn, id)?;
    let (content, version_number) = version_content(conn, &record.template_version_id)?;
    let (template_reference, template_name): (String, String) =
        conn.query_row("SELECT reference, name FROM templates WHERE id = ?1", [&record.template_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let responses = responses(conn, id)?;
    let answers = answers_of(&responses);
    let visible = logic::visible(&content, &answers);
    let mut visible_ids: Vec<String> = content.questions().filter(|(_, q)| visible.contains(&q.id)).map(|(_, q)| q.id.clone()).collect();
    visible_ids.dedup();
    let has_location = record.fields.latitude.is_some() && record.fields.longitude.is_some();
    let problems = logic::completion_problems(&content, &answers, has_location);
    let name = |uid: Option<&str>| -> Result<Option<String>> {
        Ok(match uid {
            Some(u) => crate::users::find(conn, u)?.map(|x| x.display_name),
            None => None,
        })
    };
    const FINDINGS: &str =
        "SELECT id, reference, title, severity, finding_type, status, question_id FROM findings WHERE run_id = ?1 ORDER BY created_at, id";
    const FOLLOW: &str = "SELECT f.id, f.reference, f.title, f.severity, f.finding_type, f.status, f.question_id
                          FROM run_follow_ups u JOIN findings f ON f.id = u.finding_id WHERE u.run_id = ?1 ORDER BY f.reference";
    Ok(RunView {
        template_reference,
        template_name,
        version_number,
        live_score: logic::score(&content, &answers),
        transitions: if record.archived_at.is_some() { Vec::new() } else { steps::options(call, &record, &content, &problems) },
        completion_problems: problems,
        visible_question_ids: visible_ids,
        findings: run_findings(conn, FINDINGS, id)?,
        follow_up_findings: run_findings(conn, FOLLOW, id)?,
        linked_risks: crate::risk::links::risks_of(conn, crate::risk::links::LinkedType::AuditRun, id)?,
        signatures: crate::signature::list_for(conn, "audit_run", id)?,
        lead_auditor_name: name(Some(&record.fields.lead_auditor_id))?,
        reviewer_name: name(record.fields.reviewer_id.as_deref())?,
        overdue: is_overdue(&record, call.today()),
        settings: content.settings.clone(),
        sections: content.sections,
        responses,
        record,
    })
}

/// `runs.get`: by `id` or `reference`, with the questions, answers, live score and completion problems.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<RunView> {
    let id = lifecycle::read_get::<RunRecord>(ctx, &input, id_by_reference)?;
    get_view(ctx.conn(), &ctx.call, &id)
}

/// `runs.update`: the run's details (not its template version) until it is completed or cancelled.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<RunView> {
    ctx.call.require(Capability::ConductAudits)?;
    let (id, row_version, changes) = lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    lifecycle::check_writable(&current, row_version)?;
    if matches!(current.status, RunStatus::Completed | RunStatus::Cancelled) {
        return Err(CoreError::Conflict(format!("{} is {} and read-only.", current.reference, current.status)));
    }
    let (content, _) = version_content(ctx.conn(), &current.template_version_id)?;
    let mut merged = to_object(&current.fields)?;
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let fields = crate::validate::keeping(&current.fields, || {
        read_fields(ctx.conn(), &merged, &[], &current.fields.title, content.settings.require_review)
    })?;
    let diff = audit_trail::diff_changes(&to_object(&current.fields)?, &to_object(&fields)?);
    if !diff.is_empty() {
        ctx.write(|tx, call| {
            let mut r = current.clone();
            r.fields = fields;
            lifecycle::save(tx, call, &mut r, AuditAction::Update, diff, None)
        })?;
    }
    get_view(ctx.conn(), &ctx.call, &id)
}

/// `runs.discard`: a draft run is removed (§1.5); the event keeps its last values and the reference stays used.
pub fn discard(ctx: &mut Ctx, input: Value) -> Result<crate::api::Discarded> {
    ctx.call.require(Capability::ConductAudits)?;
    let mut v = Input::new(as_object(&input)?, &["id", "rowVersion"]);
    let (id, row_version) = crate::workflow::read_target(&mut v);
    v.finish()?;
    let (Some(id), Some(row_version)) = (id, row_version) else { return Err(CoreError::Internal("validated fields missing".into())) };
    let current = load(ctx.conn(), &id)?;
    lifecycle::check_writable(&current, row_version)?;
    if current.status != RunStatus::Draft {
        return Err(CoreError::Conflict(format!(
            "{} is {}; only a draft run can be discarded (cancel it instead).",
            current.reference, current.status
        )));
    }
    ctx.write(|tx, call| {
        tx.execute("DELETE FROM run_follow_ups WHERE run_id = ?1", [&id])?;
        tx.execute("DELETE FROM audit_runs WHERE id = ?1", [&id])?;
        audit_trail::append(
            tx,
            call,
            audit_trail::NewEvent {
                entity_type: "audit_run",
                entity_id: &id,
                entity_reference: Some(&current.reference),
                action: AuditAction::Discard,
                changes: vec![audit_trail::Change::new("run", serde_json::to_value(&current)?, Value::Null)],
                reason: None,
            },
        )?;
        Ok(())
    })?;
    Ok(crate::api::Discarded { id, reference: current.reference })
}

/// `runs.archive`: `{id, rowVersion, reason}`; refused while actions on its findings are open.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<RunView> {
    let record = lifecycle::archive(ctx, &input, load, |conn, r| {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT a.reference FROM actions a WHERE a.source_type = 'finding' AND a.source_id IN (SELECT id FROM findings WHERE run_id = ?1)
             AND {} ORDER BY a.reference",
            crate::action::rules::NON_TERMINAL_SQL
        ))?;
        let rows = stmt.query_map([&r.id], |x| x.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
    })?;
    get_view(ctx.conn(), &ctx.call, &record.id)
}

/// `runs.restore`: `{id, rowVersion, reason?}`.
pub fn restore(ctx: &mut Ctx, input: Value) -> Result<RunView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    get_view(ctx.conn(), &ctx.call, &record.id)
}

/// `runs.history`: the run's events (answers included), newest first.
pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<RunRecord>(ctx, &input, load)
}

/// `runs.list`: the audit calendar — search title/location/auditee; filters status, template, lead auditor,
/// scheduled range, passed, overdue; scheduled date newest first (unscheduled last), then newest created.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<RunSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let filters = ["status", "templateId", "leadAuditorId", "scheduledFrom", "scheduledTo", "passed", "overdue"];
    let known: Vec<&str> = LIST_KEYS.iter().chain(&filters).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, &["scheduledDate", "reference", "title"]);
    let statuses: Vec<RunStatus> = choice_list(&mut v, "status", "Status");
    let template = v.id("templateId", "Template", false);
    let lead = v.id("leadAuditorId", "Lead auditor", false);
    let from = v.date("scheduledFrom", "Scheduled from", false);
    let to = v.date("scheduledTo", "Scheduled to", false);
    let passed = v.tri_state("passed", "Passed");
    let overdue = v.tri_state("overdue", "Overdue");
    v.finish()?;
    let today = ctx.call.today().to_string();
    let mut q = crate::sqlfilter::Filters::new(page.archived_sql("r"));
    q.any_of("r.status", "st", &statuses.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    if let Some(t) = template {
        let k = q.bind("template", t);
        q.push(format!("r.template_id = {k}"));
    }
    if let Some(l) = lead {
        let k = q.bind("lead", l);
        q.push(format!("r.lead_auditor_id = {k}"));
    }
    if let Some(f) = from {
        let k = q.bind("from", f.to_string());
        q.push(format!("r.scheduled_date >= {k}"));
    }
    if let Some(t) = to {
        let k = q.bind("to", t.to_string());
        q.push(format!("r.scheduled_date <= {k}"));
    }
    q.tri_state(passed, "r.passed = 1");
    if overdue.is_some() {
        q.bind("today", today.clone());
    }
    q.tri_state(overdue, "r.status NOT IN ('completed', 'cancelled') AND r.due_date < :today");
    if let Some(text) = page.search.as_deref().and_then(crate::paging::fts_query) {
        let key = q.bind("search", text);
        q.push(format!("r.rowid IN (SELECT rowid FROM audit_runs_fts WHERE audit_runs_fts MATCH {key})"));
    }
    let where_sql = q.sql();
    let params = q.params();
    let conn = ctx.conn();
    let total: i64 =
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM audit_runs r WHERE {where_sql}"))?.query_row(params.as_slice(), |r| r.get(0))?;
    let order = match page.sort.as_deref() {
        Some("reference") => "r.reference DESC",
        Some("title") => "r.title COLLATE NOCASE ASC",
        _ => "r.scheduled_date IS NULL, r.scheduled_date DESC, r.created_at DESC",
    };
    let (limit, offset) = page.limit_offset();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.id, r.reference, r.title, t.name, r.status, r.location, u.display_name, r.scheduled_date, r.due_date, r.percentage, r.passed,
                r.row_version, r.archived_at
         FROM audit_runs r JOIN templates t ON t.id = r.template_id LEFT JOIN users u ON u.id = r.lead_auditor_id
         WHERE {where_sql} ORDER BY {order}, r.id LIMIT {limit} OFFSET {offset}"
    ))?;
    let rows = stmt.query_map(params.as_slice(), |r| {
        let status = RunStatus::parse(&r.get::<_, String>(4)?)
            .ok_or_else(|| rusqlite::Error::InvalidColumnType(4, "status".into(), rusqlite::types::Type::Text))?;
        let due: Option<String> = r.get(8)?;
        Ok(RunSummary {
            id: r.get(0)?,
            reference: r.get(1)?,
            title: r.get(2)?,
            template_name: r.get(3)?,
            overdue: !matches!(status, RunStatus::Completed | RunStatus::Cancelled) && due.as_deref().is_some_and(|d| d < today.as_str()),
            status,
            location: r.get(5)?,
            lead_auditor_name: r.get(6)?,
            scheduled_date: r.get(7)?,
            due_date: due,
            percentage: r.get(9)?,
            passed: r.get(10)?,
            row_version: r.get(11)?,
            archived_at: r.get(12)?,
        })
    })?;
    let items = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page::new(items, total, &page))
}

crate::governed!(RunRecord, "audit_runs", "audit_run", "Audit run");
