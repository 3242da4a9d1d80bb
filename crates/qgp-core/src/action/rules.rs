//! Action validation, computed flags and the transition table (domain.md §7).

use super::model::*;
use crate::error::{FieldCode, Result};
use crate::validate::Input;
use jiff::civil::Date;
use rusqlite::Connection;
use serde_json::{Map, Value};

/// Validates a complete action. `raised_on` is the date the action was (or is being) raised.
pub fn read_fields(conn: &Connection, map: &Map<String, Value>, raised_on: Date, extra_keys: &[&str]) -> Result<ActionFields> {
    let known: Vec<&str> = FIELD_KEYS.iter().chain(extra_keys).copied().collect();
    let mut v = Input::new(map, &known);
    let title = v.text("title", "Title", 1, 300, true);
    let description = v.long_text("description", "Description", 1, 5000, true);
    let action_type = v.choice("actionType", "Action type", Some(ActionType::Corrective)).unwrap_or(ActionType::Corrective);
    let priority = v.choice("priority", "Priority", Some(ActionPriority::Medium)).unwrap_or(ActionPriority::Medium);
    let owner_id = v.id("ownerId", "Owner", true);
    crate::incident::rules::check_user_ref(conn, &mut v, "ownerId", "Owner", owner_id.as_deref())?;
    let due_date = v.date("dueDate", "Due date", true);
    if let Some(d) = due_date {
        if d < raised_on {
            v.error("dueDate", FieldCode::BeforeMinimum, format!("Due date cannot be before the action was raised ({raised_on})"));
        }
    }
    let default_verification = matches!(action_type, ActionType::Corrective | ActionType::Preventive);
    let requires_verification = v.boolean("requiresVerification", "Requires verification", default_verification);
    let mut verification_due_date = v.date("verificationDueDate", "Verification due date", false);
    if requires_verification && verification_due_date.is_none() && !v.has_error("verificationDueDate") {
        verification_due_date = due_date.and_then(|d| d.checked_add(jiff::Span::new().days(30)).ok());
    }
    if let (Some(vd), Some(d)) = (verification_due_date, due_date) {
        if vd < d {
            v.error("verificationDueDate", FieldCode::BeforeMinimum, format!("Verification due date cannot be before the due date ({d})"));
        }
    }
    let completion_notes = v.long_text("completionNotes", "Completion notes", 0, 5000, false);
    let verification_notes = v.long_text("verificationNotes", "Verification notes", 0, 5000, false);
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);
    v.finish()?;
    Ok(ActionFields {
        title: title.unwrap_or_default(),
        description: description.unwrap_or_default(),
        action_type,
        priority,
        owner_id: owner_id.unwrap_or_default(),
        due_date: due_date.map(|d| d.to_string()).unwrap_or_default(),
        requires_verification,
        verification_due_date: verification_due_date.map(|d| d.to_string()),
        completion_notes,
        verification_notes,
        legacy_reference,
    })
}

/// Terminal = verified, cancelled, or completed when no verification is required (§7).
pub fn is_terminal(status: ActionStatus, requires_verification: bool) -> bool {
    matches!(status, ActionStatus::Verified | ActionStatus::Cancelled) || (status == ActionStatus::Completed && !requires_verification)
}

/// SQL (over alias `a`) that is true for a non-terminal action.
pub const NON_TERMINAL_SQL: &str = "(a.status IN ('open', 'in_progress') OR (a.status = 'completed' AND a.requires_verification = 1))";

/// Overdue, due-soon and verification-overdue flags at `today`.
pub fn flags(record: &ActionRecord, today: Date, due_soon_days: u32) -> ActionFlags {
    let active = matches!(record.status, ActionStatus::Open | ActionStatus::InProgress);
    let due: Option<Date> = record.fields.due_date.parse().ok();
    let overdue = active && due.is_some_and(|d| d < today);
    let days_overdue = if overdue { due.map_or(0, |d| (today - d).get_days() as i64) } else { 0 };
    let soon_limit = today.checked_add(jiff::Span::new().days(i64::from(due_soon_days))).unwrap_or(today);
    let due_soon = active && due.is_some_and(|d| d >= today && d <= soon_limit);
    let verification_overdue = record.status == ActionStatus::Completed
        && record.fields.requires_verification
        && record.fields.verification_due_date.as_deref().and_then(|d| d.parse::<Date>().ok()).is_some_and(|d| d < today);
    ActionFlags {
        terminal: is_terminal(record.status, record.fields.requires_verification),
        overdue,
        days_overdue,
        due_soon,
        verification_overdue,
    }
}

/// Targets allowed from each status before guards.
pub fn allowed_targets(from: ActionStatus, requires_verification: bool) -> Vec<ActionStatus> {
    use ActionStatus::*;
    match from {
        Open => vec![InProgress, Completed, Cancelled],
        InProgress => vec![Completed, Cancelled],
        Completed if requires_verification => vec![Verified, InProgress],
        Completed | Verified | Cancelled => vec![],
    }
}

/// Input fields a transition needs.
pub fn needs(from: ActionStatus, to: ActionStatus) -> &'static [&'static str] {
    use ActionStatus::*;
    match (from, to) {
        (_, Completed) => &["completionNotes"],
        (_, Verified) => &["verificationNotes", "passphrase"],
        (Completed, InProgress) => &["verificationNotes", "reason"],
        (_, Cancelled) => &["reason"],
        _ => &[],
    }
}
