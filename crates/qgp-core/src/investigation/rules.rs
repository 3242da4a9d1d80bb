//! Investigation validation (team, timeline, 5 whys, fishbone) and the transition table (domain.md §12).

use super::model::*;
use crate::error::{FieldCode, Result};
use crate::incident::rules::check_user_ref;
use crate::validate::Input;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Checks that a user may lead or review investigations (admin, manager or auditor).
fn check_investigator(conn: &Connection, v: &mut Input, key: &str, label: &str, id: Option<&str>) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    check_user_ref(conn, v, key, label, Some(id))?;
    let role: Option<String> = conn.query_row("SELECT role FROM users WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    if role.as_deref().is_some_and(|r| !matches!(r, "admin" | "manager" | "auditor")) && !v.has_error(key) {
        v.error(key, FieldCode::Inconsistent, format!("{label} must be an administrator, manager or auditor"));
    }
    Ok(())
}

fn read_timeline(v: &mut Input) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    for (i, item) in v.objects("timeline", "Timeline", 500) {
        let mut n = Input::nested(item, &["date", "time", "description"], format!("timeline[{i}]"));
        let date = n.date("date", "Date", false);
        let time = n.time_hm("time", "Time");
        let description = n.text("description", "Description", 1, 500, true);
        if let Some(description) = description {
            out.push(TimelineEntry { date: date.map(|d| d.to_string()), time, description });
        }
        v.absorb(n);
    }
    // A timeline reads in time order; entries without a date keep their place after dated ones.
    out.sort_by(|a, b| (a.date.is_none(), &a.date, &a.time).cmp(&(b.date.is_none(), &b.date, &b.time)));
    out
}

fn read_whys(v: &mut Input) -> Vec<WhyStep> {
    let items = v.objects("fiveWhys", "5 whys", 10);
    let count = items.len();
    let mut out = Vec::new();
    for (i, item) in items {
        let prefix = format!("fiveWhys[{i}]");
        let mut n = Input::nested(item, &["step", "why", "because", "evidenceNote", "isRootCause"], prefix);
        let step = n.integer("step", "Step", 1, 10, false).unwrap_or(i as i64 + 1);
        if step != i as i64 + 1 && !n.has_error("step") {
            n.error("step", FieldCode::Inconsistent, format!("Steps must run 1, 2, 3… without gaps (expected {})", i + 1));
        }
        let why = n.text("why", "Why", 1, 500, true);
        let because = n.text("because", "Because", 1, 1000, true);
        let evidence_note = n.text("evidenceNote", "Evidence note", 0, 500, false);
        let is_root_cause = n.boolean("isRootCause", "Root cause", false);
        if is_root_cause && i + 1 != count {
            n.error("isRootCause", FieldCode::Inconsistent, "Only the last why can be marked as the root cause");
        }
        if let (Some(why), Some(because)) = (why, because) {
            out.push(WhyStep { step, why, because, evidence_note, is_root_cause });
        }
        v.absorb(n);
    }
    out
}

fn read_fishbone(v: &mut Input, existing: &[FishboneCause]) -> Vec<FishboneCause> {
    let keys = ["id", "category", "description", "parentCauseId", "isContributing", "isRootCause"];
    let mut out: Vec<(usize, FishboneCause)> = Vec::new();
    for (i, item) in v.objects("fishbone", "Fishbone", 300) {
        let mut n = Input::nested(item, &keys, format!("fishbone[{i}]"));
        let id = n.id("id", "Cause id", false);
        if let Some(id) = &id {
            if !existing.iter().any(|c| &c.id == id) {
                n.error("id", FieldCode::NotFound, "No such cause on this investigation (send new causes without an id)");
            }
        }
        let category = n.required_choice::<FishboneCategory>("category", "Category");
        let description = n.text("description", "Description", 1, 500, true);
        let parent_cause_id = n.id("parentCauseId", "Parent cause", false);
        let is_contributing = n.boolean("isContributing", "Contributing", false);
        let is_root_cause = n.boolean("isRootCause", "Root cause", false);
        let ok = n.errors().is_empty();
        v.absorb(n);
        if let (true, Some(category), Some(description)) = (ok, category, description) {
            let id = id.unwrap_or_else(crate::ids::new_id);
            out.push((i, FishboneCause { id, category, description, parent_cause_id, is_contributing, is_root_cause }));
        }
    }
    let by_id: HashMap<&str, &FishboneCause> = out.iter().map(|(_, c)| (c.id.as_str(), c)).collect();
    for (i, cause) in &out {
        let key = format!("fishbone[{i}].parentCauseId");
        let Some(parent_id) = cause.parent_cause_id.as_deref() else { continue };
        let Some(parent) = by_id.get(parent_id) else {
            v.error(&key, FieldCode::NotFound, "The parent cause is not on this fishbone");
            continue;
        };
        if parent.category != cause.category {
            v.error(&key, FieldCode::Inconsistent, "A sub-cause must be in the same category as its parent");
            continue;
        }
        // Depth: a top-level cause is 1; sub-causes may go two levels deeper (≤ 3), and cycles are refused.
        let mut depth = 1;
        let mut cycle = false;
        let mut at = Some(parent_id);
        while let Some(pid) = at {
            depth += 1;
            cycle = pid == cause.id;
            if depth > 3 || cycle {
                break;
            }
            at = by_id.get(pid).and_then(|p| p.parent_cause_id.as_deref());
        }
        if cycle {
            v.error(&key, FieldCode::Inconsistent, "A cause cannot be its own parent, directly or through other causes");
        } else if depth > 3 {
            v.error(&key, FieldCode::OutOfRange, "Causes can be nested at most three levels deep");
        }
    }
    out.into_iter().map(|(_, c)| c).collect()
}

/// Validates a complete investigation (create input, or the stored record with changes applied). `created_on` is
/// the creation date (the earliest target completion date); `existing` are the stored fishbone causes.
pub fn read_fields(
    conn: &Connection,
    map: &Map<String, Value>,
    created_on: Date,
    existing: &[FishboneCause],
    extra_keys: &[&str],
) -> Result<InvestigationFields> {
    let known: Vec<&str> = FIELD_KEYS.iter().chain(extra_keys).copied().collect();
    let mut v = Input::new(map, &known);
    let title = v.text("title", "Title", 1, 300, true);
    let lead = v.id("leadInvestigatorId", "Lead investigator", true);
    check_investigator(conn, &mut v, "leadInvestigatorId", "Lead investigator", lead.as_deref())?;
    let reviewer = v.id("reviewerId", "Reviewer", false);
    check_investigator(conn, &mut v, "reviewerId", "Reviewer", reviewer.as_deref())?;
    let mut team: Vec<String> = Vec::new();
    match v.raw("team") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let key = format!("team[{i}]");
                match item.as_str() {
                    Some(id) if team.iter().any(|t| t == id) => v.error(&key, FieldCode::Duplicate, "This person is already on the team"),
                    Some(id) => {
                        check_user_ref(conn, &mut v, &key, "Team member", Some(id))?;
                        team.push(id.to_owned());
                    }
                    None => v.error(&key, FieldCode::InvalidFormat, "Team members are user ids"),
                }
            }
        }
        Some(_) => v.error("team", FieldCode::InvalidFormat, "Team must be a list of user ids"),
    }
    let external_team = v.text("externalTeam", "External team", 0, 500, false);
    let scope = v.long_text("scope", "Scope", 0, 2000, false);
    let problem_statement = v.long_text("problemStatement", "Problem statement", 1, 5000, true);
    let timeline = read_timeline(&mut v);
    let five_whys = read_whys(&mut v);
    let fishbone = read_fishbone(&mut v, existing);
    let root_cause_summary = v.long_text("rootCauseSummary", "Root cause summary", 0, 5000, false);
    let contributing_factors = v.long_text("contributingFactors", "Contributing factors", 0, 10_000, false);
    let conclusions = v.long_text("conclusions", "Conclusions", 0, 10_000, false);
    let recommendations = v.long_text("recommendations", "Recommendations", 0, 10_000, false);
    let lessons_learned = v.long_text("lessonsLearned", "Lessons learned", 0, 10_000, false);
    let target = v.date("targetCompletionDate", "Target completion date", false);
    if target.is_some_and(|d| d < created_on) {
        v.error(
            "targetCompletionDate",
            FieldCode::BeforeMinimum,
            format!("Target completion date cannot be before the investigation was opened ({created_on})"),
        );
    }
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);
    v.finish()?;
    Ok(InvestigationFields {
        title: title.unwrap_or_default(),
        lead_investigator_id: lead.unwrap_or_default(),
        reviewer_id: reviewer,
        team,
        external_team,
        scope,
        problem_statement: problem_statement.unwrap_or_default(),
        timeline,
        five_whys,
        fishbone,
        root_cause_summary,
        contributing_factors,
        conclusions,
        recommendations,
        lessons_learned,
        target_completion_date: target.map(|d| d.to_string()),
        legacy_reference,
    })
}

/// Targets allowed from each status before guards (§12).
pub fn allowed_targets(from: InvestigationStatus) -> &'static [InvestigationStatus] {
    use InvestigationStatus::*;
    match from {
        Open => &[InProgress],
        InProgress => &[Completed],
        Completed => &[Closed, InProgress],
        Closed => &[InProgress],
    }
}

/// Input a transition needs.
pub fn needs(from: InvestigationStatus, to: InvestigationStatus) -> &'static [&'static str] {
    use InvestigationStatus::*;
    match (from, to) {
        (InProgress, Completed) | (Completed, Closed) => &["passphrase"],
        (Completed | Closed, InProgress) => &["reason"],
        _ => &[],
    }
}

/// True for the signed steps: completion by the lead (`completed`) and approval by the reviewer (`approved`).
pub fn is_signature(from: InvestigationStatus, to: InvestigationStatus) -> bool {
    use InvestigationStatus::*;
    matches!((from, to), (InProgress, Completed) | (Completed, Closed))
}

/// True when at least one root cause is flagged on the 5 whys or the fishbone.
pub fn has_root_cause(fields: &InvestigationFields) -> bool {
    fields.five_whys.iter().any(|w| w.is_root_cause) || fields.fishbone.iter().any(|c| c.is_root_cause)
}

/// Unmet guards of the record itself (who may sign is checked by the caller).
pub fn unmet_guards(from: InvestigationStatus, to: InvestigationStatus, fields: &InvestigationFields) -> Vec<String> {
    use InvestigationStatus::*;
    let mut unmet = Vec::new();
    match (from, to) {
        (InProgress, Completed) => {
            if fields.root_cause_summary.is_none() {
                unmet.push("Write the root cause summary first.".into());
            }
            if !has_root_cause(fields) {
                unmet.push("Flag at least one root cause on the 5 whys or the fishbone.".into());
            }
        }
        (Completed, Closed) if fields.reviewer_id.is_none() => unmet.push("Name a reviewer to approve the investigation.".into()),
        _ => {}
    }
    unmet
}

/// Overdue: a target date before today while not completed or closed.
pub fn overdue(status: InvestigationStatus, target: Option<&str>, today: Date) -> bool {
    matches!(status, InvestigationStatus::Open | InvestigationStatus::InProgress)
        && target.and_then(|d| d.parse::<Date>().ok()).is_some_and(|d| d < today)
}
