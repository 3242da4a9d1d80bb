//! A run's workflow (§5): schedule, start, submit or complete under the completion check with the lead auditor's
//! signature `completed`, review by the named reviewer (signature `reviewed`, segregation of duties), return for
//! rework, cancel. Scores are stored on leaving in_progress and again on completion; automatic findings are raised
//! in the transaction that completes the run.

use super::model::*;
use super::{answers_of, get_view, load, responses, version_content};
use crate::audit_trail::{AuditAction, Change};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, Result};
use crate::lifecycle;
use crate::signature::{self, SignatureMeaning, Signing};
use crate::template::logic;
use crate::template::model::VersionContent;
use crate::validate::{as_object, Choice, Input};
use crate::workflow::{self, stamp};
use rusqlite::Transaction;
use serde_json::{json, Value};

pub(crate) fn allowed(from: RunStatus, require_review: bool) -> Vec<RunStatus> {
    use RunStatus::*;
    match from {
        Draft => vec![Scheduled, InProgress, Cancelled],
        Scheduled => vec![InProgress, Cancelled],
        InProgress => vec![if require_review { PendingReview } else { Completed }, Cancelled],
        PendingReview => vec![Completed, InProgress, Cancelled],
        Completed | Cancelled => Vec::new(),
    }
}

fn needs(from: RunStatus, to: RunStatus) -> &'static [&'static str] {
    use RunStatus::*;
    match (from, to) {
        (InProgress, PendingReview | Completed) | (PendingReview, Completed) => &["passphrase"],
        (PendingReview, InProgress) | (_, Cancelled) => &["reason"],
        _ => &[],
    }
}

fn unmet(call: &Call, r: &RunRecord, to: RunStatus, problems: &[String]) -> Vec<String> {
    use RunStatus::*;
    let mut out = Vec::new();
    let actor = call.actor().map(|a| a.id.clone()).unwrap_or_default();
    match (r.status, to) {
        (Draft, Scheduled) if r.fields.scheduled_date.is_none() => out.push("Set the scheduled date first.".into()),
        (InProgress, PendingReview | Completed) => {
            out.extend(problems.iter().cloned());
            if actor != r.fields.lead_auditor_id {
                out.push("Only the lead auditor signs the run off.".into());
            }
            if to == PendingReview && r.fields.reviewer_id.is_none() {
                out.push("Name the reviewer first.".into());
            }
        }
        (PendingReview, Completed) | (PendingReview, InProgress) => {
            if r.fields.reviewer_id.as_deref() != Some(actor.as_str()) {
                out.push("Only the run's reviewer reviews it.".into());
            } else if to == Completed && call.settings.segregation_of_duties && actor == r.fields.lead_auditor_id {
                out.push(crate::settings::segregation_refusal("the lead auditor cannot review their own run."));
            }
        }
        _ => {}
    }
    out
}

pub(super) fn options(call: &Call, r: &RunRecord, content: &VersionContent, problems: &[String]) -> Vec<RunTransitionOption> {
    allowed(r.status, content.settings.require_review)
        .into_iter()
        .map(|to| RunTransitionOption {
            to,
            needs: needs(r.status, to).iter().map(|s| (*s).to_owned()).collect(),
            unmet_guards: unmet(call, r, to, problems),
            signature: matches!(to, RunStatus::PendingReview | RunStatus::Completed),
        })
        .collect()
}

/// Stores each response's score and the run's score, percentage and result.
fn store_scores(tx: &Transaction, r: &mut RunRecord, content: &VersionContent, changes: &mut Vec<Change>) -> Result<()> {
    let all = responses(tx, &r.id)?;
    let answers = answers_of(&all);
    let visible = logic::visible(content, &answers);
    for resp in &all {
        let scored = content
            .question(&resp.question_id)
            .filter(|q| visible.contains(&q.id))
            .and_then(|q| answers.get(&q.id).and_then(|a| logic::response_score(q, a)));
        tx.execute(
            "UPDATE audit_responses SET score = ?2, max_score = ?3 WHERE id = ?1",
            rusqlite::params![resp.id, scored.map(|s| s.0.normalize().to_string()), scored.map(|s| s.1.normalize().to_string())],
        )?;
    }
    let s = logic::score(content, &answers);
    stamp(changes, "score", &mut r.score, Some(s.score.to_string()));
    stamp(changes, "max_score", &mut r.max_score, Some(s.max_score.to_string()));
    stamp(changes, "percentage", &mut r.percentage, s.percentage.map(|p| p.to_string()));
    if r.passed != s.passed {
        changes.push(Change::new("passed", json!(r.passed), json!(s.passed)));
        r.passed = s.passed;
    }
    Ok(())
}

/// `runs.transition` along the run table.
pub fn transition(ctx: &mut Ctx, input: Value) -> Result<RunView> {
    use RunStatus::*;
    ctx.call.require(Capability::ConductAudits)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["id", "rowVersion", "to", "reason", "passphrase", "comment"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let to = v.required_choice::<RunStatus>("to", "Target status");
    let reason = v.text("reason", "Reason", 1, 1000, false);
    let comment = v.text("comment", "Comment", 0, 1000, false);
    // The passphrase is never trimmed, normalised here, logged or stored.
    let passphrase = map.get("passphrase").and_then(Value::as_str).unwrap_or("").to_owned();
    v.finish()?;
    let (Some(id), Some(row_version), Some(to)) = (id, row_version, to) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load(ctx.conn(), &id)?;
    lifecycle::check_writable(&current, row_version)?;
    let (content, _) = version_content(ctx.conn(), &current.template_version_id)?;
    let name = format!("Audit run {}", current.reference);
    let targets = allowed(current.status, content.settings.require_review);
    let target_names: Vec<&str> = targets.iter().map(|t| t.as_str()).collect();
    if !targets.contains(&to) {
        return Err(workflow::refuse(&name, current.status.as_str(), to.as_str(), &target_names, Vec::new(), Vec::new()));
    }
    let answers = answers_of(&responses(ctx.conn(), &id)?);
    let has_location = current.fields.latitude.is_some() && current.fields.longitude.is_some();
    let problems = logic::completion_problems(&content, &answers, has_location);
    let unmet = unmet(&ctx.call, &current, to, &problems);
    if !unmet.is_empty() {
        return Err(workflow::refuse(&name, current.status.as_str(), to.as_str(), &target_names, unmet, Vec::new()));
    }
    workflow::missing_needs(needs(current.status, to), &[("reason", reason.is_some()), ("passphrase", !passphrase.is_empty())])?;
    let signing = matches!(to, PendingReview | Completed);
    if signing {
        signature::reauthenticate(ctx, &passphrase)?;
    }
    ctx.write(|tx, call| {
        let now = call.now_text();
        let mut r = current.clone();
        let mut changes = vec![Change::new("status", json!(r.status), json!(to))];
        match (r.status, to) {
            (Draft, InProgress) => {
                if r.fields.scheduled_date.is_none() {
                    let today = call.today().to_string();
                    changes.push(Change::new("scheduled_date", Value::Null, json!(today)));
                    r.fields.scheduled_date = Some(today);
                }
                stamp(&mut changes, "started_at", &mut r.started_at, Some(now.clone()));
            }
            (Scheduled, InProgress) => stamp(&mut changes, "started_at", &mut r.started_at, Some(now.clone())),
            (InProgress, PendingReview) => {
                stamp(&mut changes, "submitted_at", &mut r.submitted_at, Some(now.clone()));
                store_scores(tx, &mut r, &content, &mut changes)?;
            }
            (InProgress, Completed) | (PendingReview, Completed) => {
                if r.status == InProgress {
                    stamp(&mut changes, "submitted_at", &mut r.submitted_at, Some(now.clone()));
                }
                stamp(&mut changes, "completed_at", &mut r.completed_at, Some(now.clone()));
                store_scores(tx, &mut r, &content, &mut changes)?;
            }
            (PendingReview, InProgress) => stamp(&mut changes, "submitted_at", &mut r.submitted_at, None),
            (_, Cancelled) => stamp(&mut changes, "cancelled_at", &mut r.cancelled_at, Some(now.clone())),
            _ => {}
        }
        r.status = to;
        if signing {
            let meaning = if current.status == PendingReview { SignatureMeaning::Reviewed } else { SignatureMeaning::Completed };
            let answers = responses(tx, &r.id)?;
            let files: Vec<String> = answers.iter().flat_map(|x| x.files.iter().map(|f| f.sha256.clone())).collect();
            let record = json!({"run": r, "answers": answers});
            signature::sign(
                tx,
                call,
                Signing {
                    meaning,
                    entity_type: "audit_run",
                    entity_id: &r.id,
                    entity_reference: Some(&r.reference),
                    record: &record,
                    files: &files,
                    comment: comment.as_deref(),
                },
            )?;
        }
        if to == Completed && content.settings.auto_create_findings {
            let raised = crate::finding::raise_automatic(tx, call, &r, &content)?;
            if raised > 0 {
                changes.push(Change::new("findings raised", Value::Null, json!(raised)));
            }
        }
        lifecycle::save(tx, call, &mut r, AuditAction::StatusChange, changes, reason.as_deref())
    })?;
    get_view(ctx.conn(), &ctx.call, &id)
}
