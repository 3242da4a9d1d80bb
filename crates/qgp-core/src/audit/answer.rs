//! Answering in the field (§5 responses): each answer is checked against its question and saved in its own small
//! transaction the moment it is given — a crash mid-audit loses nothing acknowledged. The first answer starts a
//! scheduled run. Files (photos, signature images) attach to the response.

use super::model::*;
use super::{answers_of, load, read_location, responses, version_content};
use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::template::content::decimal_of;
use crate::template::logic::{self, Answer, Score};
use crate::template::model::{Question, QuestionType};
use crate::validate::{as_object, Input};
use crate::workflow;
use jiff::civil::Date;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

/// What the fieldwork screen needs after each answer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnswerOutcome {
    pub response: ResponseView,
    pub visible_question_ids: Vec<String>,
    pub live_score: Score,
    pub completion_problems: Vec<String>,
    pub status: RunStatus,
    pub run_row_version: i64,
}

/// Input of `runs.attach`: a file for a question's response, as base64 content or a local path.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct AttachResponseInput {
    #[ts(optional = false)]
    pub run_id: String,
    #[ts(optional = false)]
    pub question_id: String,
    pub original_name: Option<String>,
    pub content_base64: Option<String>,
    pub path: Option<String>,
    pub caption: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub gps_accuracy_m: Option<f64>,
    pub source: Option<crate::evidence::EvidenceSource>,
}

/// Checks an answer against its question; `Ok(None)` clears it.
fn read_answer(q: &Question, raw: &Value, today: Date) -> std::result::Result<Option<Value>, String> {
    if raw.is_null() {
        return Ok(None);
    }
    let values: Vec<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
    match q.question_type {
        QuestionType::YesNo | QuestionType::PassFail | QuestionType::ChoiceSingle => match raw.as_str() {
            Some(s) if values.contains(&s) => Ok(Some(json!(s))),
            _ => Err(format!("Choose one of: {}", values.join(", "))),
        },
        QuestionType::ChoiceMulti => {
            let items = raw.as_array().ok_or("Choose one or more options")?;
            let mut out: Vec<&str> = Vec::new();
            for item in items {
                match item.as_str() {
                    Some(s) if values.contains(&s) && !out.contains(&s) => out.push(s),
                    Some(s) if out.contains(&s) => return Err(format!("'{s}' is chosen twice")),
                    _ => return Err(format!("Choose from: {}", values.join(", "))),
                }
            }
            if out.is_empty() {
                return Ok(None);
            }
            Ok(Some(json!(out)))
        }
        QuestionType::Rating => {
            let max = q.rating.as_ref().map_or(5, |r| r.scale_max);
            match raw.as_i64() {
                Some(n) if (1..=max).contains(&n) => Ok(Some(json!(n))),
                _ => Err(format!("Rate from 1 to {max}")),
            }
        }
        QuestionType::Number => {
            let n = decimal_of(raw).ok_or("Enter a number")?;
            let spec = q.number.as_ref();
            if let Some(min) = spec.and_then(|s| s.min).filter(|m| n < *m) {
                return Err(format!("The lowest allowed is {min}"));
            }
            if let Some(max) = spec.and_then(|s| s.max).filter(|m| n > *m) {
                return Err(format!("The highest allowed is {max}"));
            }
            let decimals = spec.map_or(0, |s| s.decimals);
            if i64::from(n.normalize().scale()) > decimals {
                return Err(format!("Use at most {decimals} decimal place{}", if decimals == 1 { "" } else { "s" }));
            }
            Ok(Some(raw.clone()))
        }
        QuestionType::Text => {
            let s = raw.as_str().ok_or("Enter text")?.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if s.chars().count() as i64 > q.text_max_length {
                return Err(format!("At most {} characters", q.text_max_length));
            }
            Ok(Some(json!(s)))
        }
        QuestionType::Date => {
            let d: Date = raw.as_str().and_then(|s| s.parse().ok()).ok_or("Enter a date as YYYY-MM-DD")?;
            if !q.allow_future && d > today {
                return Err(format!("The date cannot be in the future (today is {today})"));
            }
            Ok(Some(json!(d.to_string())))
        }
        QuestionType::Photo => Err("A photo question is answered by attaching images".into()),
        QuestionType::Signature => {
            let name = raw.get("signerName").and_then(Value::as_str).map(str::trim).unwrap_or_default();
            if name.is_empty() || name.chars().count() > 200 {
                return Err("Give the signer's name (1 to 200 characters) and attach the signature image".into());
            }
            Ok(Some(json!({"signerName": name})))
        }
    }
}

/// Loads a run that can take answers now.
fn answerable(ctx: &Ctx, run_id: &str) -> Result<RunRecord> {
    let run = load(ctx.conn(), run_id)?;
    workflow::check_not_archived(&run.reference, run.archived_at.as_deref())?;
    if !matches!(run.status, RunStatus::Scheduled | RunStatus::InProgress) {
        let hint = if run.status == RunStatus::Draft { "; schedule or start it first" } else { "" };
        return Err(CoreError::Conflict(format!(
            "{} is {}; answers are given while it is scheduled or in progress{hint}.",
            run.reference, run.status
        )));
    }
    Ok(run)
}

/// Creates the response row if there is none yet; returns its id.
fn ensure_response(tx: &rusqlite::Transaction, run_id: &str, question_id: &str) -> Result<String> {
    let existing: Option<String> = tx
        .query_row("SELECT id FROM audit_responses WHERE run_id = ?1 AND question_id = ?2", [run_id, question_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = crate::ids::new_id();
    tx.execute("INSERT INTO audit_responses (id, run_id, question_id) VALUES (?1, ?2, ?3)", [&id, run_id, question_id])?;
    Ok(id)
}

/// The first answer (or file) starts a scheduled run (§1.6).
fn start_if_scheduled(tx: &rusqlite::Transaction, call: &crate::context::Call, run: &RunRecord) -> Result<()> {
    if run.status != RunStatus::Scheduled {
        return Ok(());
    }
    let mut r = run.clone();
    let mut changes = vec![Change::new("status", json!(r.status), json!(RunStatus::InProgress))];
    workflow::stamp(&mut changes, "started_at", &mut r.started_at, Some(call.now_text()));
    r.status = RunStatus::InProgress;
    crate::lifecycle::save(tx, call, &mut r, AuditAction::StatusChange, changes, None)
}

/// What the screen needs after a change; `content` is the run's version, already read by the caller.
fn outcome(ctx: &Ctx, run_id: &str, question_id: &str, content: &crate::template::model::VersionContent) -> Result<AnswerOutcome> {
    let run = load(ctx.conn(), run_id)?;
    let all = responses(ctx.conn(), run_id)?;
    let answers = answers_of(&all);
    let visible = logic::visible(content, &answers);
    let has_location = run.fields.latitude.is_some() && run.fields.longitude.is_some();
    Ok(AnswerOutcome {
        response: all
            .iter()
            .find(|r| r.question_id == question_id)
            .cloned()
            .ok_or_else(|| CoreError::Internal("response vanished".into()))?,
        visible_question_ids: content.questions().filter(|(_, q)| visible.contains(&q.id)).map(|(_, q)| q.id.clone()).collect(),
        live_score: logic::score(content, &answers),
        completion_problems: logic::completion_problems(content, &answers, has_location),
        status: run.status,
        run_row_version: run.row_version,
    })
}

/// `runs.answer`: saves one answer (or N/A, or a note) at once. Answering again replaces it.
pub fn answer(ctx: &mut Ctx, input: Value) -> Result<AnswerOutcome> {
    ctx.call.require(Capability::ConductAudits)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["runId", "questionId", "answer", "isNa", "note", "latitude", "longitude", "gpsAccuracyM"]);
    let run_id = v.id("runId", "Run", true);
    let question_id = v.id("questionId", "Question", true);
    let is_na = v.boolean("isNa", "N/A", false);
    let note = if map.contains_key("note") { Some(v.long_text("note", "Note", 0, 2000, false)) } else { None };
    let (lat, lon, acc) = read_location(&mut v);
    let (Some(run_id), Some(question_id)) = (run_id, question_id) else {
        v.finish()?;
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let run = answerable(ctx, &run_id)?;
    let (content, _) = version_content(ctx.conn(), &run.template_version_id)?;
    let Some(q) = content.question(&question_id).cloned() else {
        v.error("questionId", FieldCode::NotFound, "This question is not part of the run's template version");
        v.finish()?;
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    // A note alone keeps the answer as it is.
    let keeps_answer = !map.contains_key("answer") && !map.contains_key("isNa");
    let existing: Option<(Option<String>, bool, Option<String>)> = ctx
        .conn()
        .query_row("SELECT answer, is_na, note FROM audit_responses WHERE run_id = ?1 AND question_id = ?2", [&run_id, &question_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (old_answer, old_na, old_note) = existing.unwrap_or((None, false, None));
    let old_value: Option<Value> = old_answer.as_deref().and_then(|a| serde_json::from_str(a).ok());
    let raw = map.get("answer").cloned().unwrap_or(Value::Null);
    let value = if keeps_answer {
        old_value.clone()
    } else {
        match read_answer(&q, &raw, ctx.call.today()) {
            Ok(val) => val,
            Err(msg) => {
                v.error("answer", FieldCode::InvalidFormat, msg);
                None
            }
        }
    };
    let is_na = if keeps_answer { old_na } else { is_na };
    if is_na && !q.allow_na {
        v.error("isNa", FieldCode::Inconsistent, "This question does not allow N/A");
    }
    if is_na && value.is_some() {
        v.error("answer", FieldCode::Inconsistent, "An N/A question has no answer");
    }
    v.finish()?;
    let note = note.unwrap_or(old_note.clone());
    let scored = logic::response_score(&q, &Answer { value: value.clone(), is_na, ..Answer::default() });
    ctx.write(|tx, call| {
        let response_id = ensure_response(tx, &run_id, &question_id)?;
        let actor = call.actor()?.id.clone();
        tx.execute(
            "UPDATE audit_responses SET answer = ?2, is_na = ?3, note = ?4, answered_at = ?5, answered_by = ?6,
             latitude = COALESCE(?7, latitude), longitude = COALESCE(?8, longitude), gps_accuracy_m = COALESCE(?9, gps_accuracy_m),
             score = ?10, max_score = ?11, row_version = row_version + 1 WHERE id = ?1",
            rusqlite::params![
                response_id,
                value.as_ref().map(Value::to_string),
                is_na,
                note,
                call.now_text(),
                actor,
                lat,
                lon,
                acc,
                scored.map(|s| s.0.normalize().to_string()),
                scored.map(|s| s.1.normalize().to_string())
            ],
        )?;
        let mut changes = Vec::new();
        let label = format!("answer: {}", q.text.chars().take(80).collect::<String>());
        if old_value != value || old_na != is_na {
            let show = |v: &Option<Value>, na: bool| if na { json!("N/A") } else { v.clone().unwrap_or(Value::Null) };
            changes.push(Change::new(label.clone(), show(&old_value, old_na), show(&value, is_na)));
        }
        if note != old_note {
            changes.push(Change::new(format!("note: {}", q.text.chars().take(80).collect::<String>()), json!(old_note), json!(note)));
        }
        if !changes.is_empty() {
            audit_trail::append(
                tx,
                call,
                NewEvent {
                    entity_type: "audit_run",
                    entity_id: &run.id,
                    entity_reference: Some(&run.reference),
                    action: AuditAction::Update,
                    changes,
                    reason: None,
                },
            )?;
        }
        start_if_scheduled(tx, call, &run)
    })?;
    outcome(ctx, &run_id, &question_id, &content)
}

/// `runs.attach`: attaches a photo or file to a question's response (creating the response if needed); the bytes
/// go to the evidence store like any evidence file.
pub fn attach(ctx: &mut Ctx, input: Value) -> Result<AnswerOutcome> {
    ctx.call.require(Capability::ConductAudits)?;
    let mut map = as_object(&input)?.clone();
    let mut v = Input::new(
        &map,
        &["runId", "questionId", "originalName", "contentBase64", "path", "caption", "latitude", "longitude", "gpsAccuracyM", "source"],
    );
    let run_id = v.id("runId", "Run", true);
    let question_id = v.id("questionId", "Question", true);
    v.finish()?;
    let (Some(run_id), Some(question_id)) = (run_id, question_id) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let run = answerable(ctx, &run_id)?;
    let (content, _) = version_content(ctx.conn(), &run.template_version_id)?;
    let Some(question) = content.question(&question_id) else {
        return Err(CoreError::field("questionId", FieldCode::NotFound, "This question is not part of the run's template version"));
    };
    let photo_question = question.question_type == QuestionType::Photo;
    map.remove("runId");
    map.remove("questionId");
    map.insert("entityType".into(), json!("audit_response"));
    // The response (and the start of a scheduled run) are written with the file, in one transaction: a refused
    // file leaves neither behind.
    let (rid, qid) = (run_id.clone(), question_id.clone());
    let new_target = crate::evidence::NewTarget {
        reference: run.reference.clone(),
        create: Box::new(move |tx, call, media_type| {
            let id = ensure_response(tx, &rid, &qid)?;
            // A photo question is answered by its first image (domain.md §5): the response says when and by whom,
            // like any other answer.
            if photo_question && media_type.starts_with("image/") {
                tx.execute(
                    "UPDATE audit_responses SET answered_at = ?2, answered_by = ?3, row_version = row_version + 1
                     WHERE id = ?1 AND answered_at IS NULL",
                    rusqlite::params![id, call.now_text(), call.actor()?.id],
                )?;
            }
            start_if_scheduled(tx, call, &run)?;
            Ok(id)
        }),
    };
    crate::evidence::attach_with(ctx, Value::Object(map), Some(new_target))?;
    outcome(ctx, &run_id, &question_id, &content)
}
