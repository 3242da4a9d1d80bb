//! Shared rules of governed records: status-transition refusals (§1.6), optimistic concurrency (row_version),
//! and archive/restore (§1.5). Each aggregate supplies its table and labels; the mechanics live here once.

use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::context::Call;
use crate::error::{CoreError, Result, TransitionRefusal};
use crate::validate::Input;
use rusqlite::Transaction;
use serde_json::Map;
use serde_json::{json, Value};

/// A refusal for a pair that is not in the transition table, or whose guards are unmet.
pub fn refuse(record: &str, from: &str, to: &str, allowed: &[&str], unmet_guards: Vec<String>, blocking: Vec<String>) -> CoreError {
    let allowed_text = if allowed.is_empty() { "none".to_owned() } else { allowed.join(", ") };
    let mut message = format!("{record} cannot move from '{from}' to '{to}'.");
    if unmet_guards.is_empty() {
        message.push_str(&format!(" Allowed: {allowed_text}."));
    } else {
        message.push_str(&format!(" {}", unmet_guards.join(" ")));
    }
    CoreError::InvalidTransition {
        message,
        refusal: Box::new(TransitionRefusal {
            record: record.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            allowed: allowed.iter().map(|s| (*s).to_owned()).collect(),
            unmet_guards,
            blocking_references: blocking,
        }),
    }
}

/// `conflict` when the caller edited an older version of the record.
pub fn check_row_version(record: &str, current: i64, quoted: i64) -> Result<()> {
    if current == quoted {
        Ok(())
    } else {
        Err(CoreError::Conflict(format!(
            "{record} was changed elsewhere since you opened it (it is at version {current}, you had version {quoted}). \
             Reload it and apply your change again."
        )))
    }
}

/// `archived` when writing to an archived record.
pub fn check_not_archived(record: &str, archived_at: Option<&str>) -> Result<()> {
    match archived_at {
        Some(_) => Err(CoreError::Archived(format!("{record} is archived and read-only. Restore it to change it."))),
        None => Ok(()),
    }
}

/// The fields every write-by-id command quotes: id and rowVersion.
pub fn read_target(v: &mut Input) -> (Option<String>, Option<i64>) {
    let id = v.id("id", "Record id", true);
    let row_version = v.integer("rowVersion", "Row version", 1, i64::MAX, true);
    (id, row_version)
}

/// Reads `{id, rowVersion, reason}` of archive (reason required) and restore (reason optional).
pub fn read_archive_input(map: &Map<String, Value>, reason_required: bool) -> Result<(String, i64, Option<String>)> {
    let mut v = Input::new(map, &["id", "rowVersion", "reason"]);
    let (id, row_version) = read_target(&mut v);
    let reason = v.text("reason", "Reason", 1, 1000, reason_required);
    v.finish()?;
    match (id, row_version) {
        (Some(id), Some(rv)) => Ok((id, rv, reason)),
        _ => Err(CoreError::Internal("validated fields missing".into())),
    }
}

/// Identity of a governed row for archive and restore.
pub struct GovernedRow<'a> {
    pub table: &'a str,
    pub entity_type: &'a str,
    pub id: &'a str,
    pub reference: Option<&'a str>,
}

/// Archives a row (reason required) and records the event. The caller has checked permissions, row
/// version and any blocking actions.
pub fn archive(tx: &Transaction, call: &Call, row: &GovernedRow, reason: &str) -> Result<()> {
    let actor = call.actor()?;
    let now = call.now_text();
    tx.execute(
        &format!(
            "UPDATE {} SET archived_at = ?2, archived_by = ?3, archive_reason = ?4, updated_at = ?2, updated_by = ?3,
             row_version = row_version + 1 WHERE id = ?1",
            row.table
        ),
        rusqlite::params![row.id, now, actor.id, reason],
    )?;
    audit_trail::append(
        tx,
        call,
        NewEvent {
            entity_type: row.entity_type,
            entity_id: row.id,
            entity_reference: row.reference,
            action: AuditAction::Archive,
            changes: vec![
                Change::new("archived_at", Value::Null, json!(now)),
                Change::new("archived_by", Value::Null, json!(actor.id)),
                Change::new("archive_reason", Value::Null, json!(reason)),
            ],
            reason: Some(reason),
        },
    )?;
    Ok(())
}

/// Restores an archived row and records the event with the cleared values. Reads the archive stamps and the
/// row version itself, so every aggregate refuses "not archived" and stale versions the same way.
pub fn restore(
    tx: &Transaction,
    call: &Call,
    row: &GovernedRow,
    record: &str,
    quoted_row_version: i64,
    reason: Option<&str>,
) -> Result<()> {
    let actor = call.actor()?;
    let (archived_at, archived_by, archive_reason, current_version): (Option<String>, Option<String>, Option<String>, i64) = tx.query_row(
        &format!("SELECT archived_at, archived_by, archive_reason, row_version FROM {} WHERE id = ?1", row.table),
        [row.id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let (Some(at), Some(by), Some(why)) = (archived_at, archived_by, archive_reason) else {
        return Err(CoreError::Conflict(format!("{record} is not archived.")));
    };
    check_row_version(record, current_version, quoted_row_version)?;
    tx.execute(
        &format!(
            "UPDATE {} SET archived_at = NULL, archived_by = NULL, archive_reason = NULL, updated_at = ?2, updated_by = ?3,
             row_version = row_version + 1 WHERE id = ?1",
            row.table
        ),
        rusqlite::params![row.id, call.now_text(), actor.id],
    )?;
    audit_trail::append(
        tx,
        call,
        NewEvent {
            entity_type: row.entity_type,
            entity_id: row.id,
            entity_reference: row.reference,
            action: AuditAction::Restore,
            changes: vec![
                Change::new("archived_at", json!(at), Value::Null),
                Change::new("archived_by", json!(by), Value::Null),
                Change::new("archive_reason", json!(why), Value::Null),
            ],
            reason,
        },
    )?;
    Ok(())
}

/// Sets a stamp field in a transition and records the change when the value differs.
pub fn stamp<T: serde::Serialize + PartialEq>(changes: &mut Vec<Change>, field: &str, slot: &mut T, value: T) {
    if *slot != value {
        changes.push(Change::new(field, json!(slot), json!(value)));
        *slot = value;
    }
}

/// The "needs" of a transition that were not given, as field errors (§1.6: a named field is required).
pub fn missing_needs(needs: &[&str], given: &[(&str, bool)]) -> Result<()> {
    let mut errors = Vec::new();
    for need in needs {
        if given.iter().any(|(k, present)| k == need && !present) {
            let message = match *need {
                "reason" => "Reason is required for this step".to_owned(),
                "passphrase" => "Enter your passphrase to sign".to_owned(),
                other => format!("{} is required for this step", crate::rowmap::camel_to_snake(other).replace('_', " ")),
            };
            errors.push(crate::error::FieldError { field: (*need).to_owned(), code: crate::error::FieldCode::Required, message });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CoreError::validation(errors))
    }
}
