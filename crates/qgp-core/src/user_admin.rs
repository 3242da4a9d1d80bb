//! Administering profiles (domain.md §2): edit details and role, deactivate and reactivate (archive/restore of the
//! profile, reason required), and changing one's own passphrase. At least one active administrator always remains,
//! and nobody changes their own role or deactivates themselves.

use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::{Capability, Role};
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::users::{find, hash_passphrase, normalised_passphrase, passphrase_matches, UserView};
use crate::validate::{as_object, Input};
use crate::workflow;
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

/// Input of `users.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserInput {
    pub id: String,
    pub row_version: i64,
    pub changes: UserChanges,
}

/// Profile fields an administrator may change (the email is the sign-in name and stays).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
}

/// Input of `users.deactivate` (reason required) and `users.reactivate` (reason optional).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserStateInput {
    pub id: String,
    #[ts(optional)]
    pub reason: Option<String>,
}

/// Input of `users.change_passphrase`: the signed-in profile's current and new passphrase.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangePassphraseInput {
    pub current: String,
    pub new: String,
}

/// Input of `users.reset_passphrase`: an administrator sets a new passphrase for another profile.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResetPassphraseInput {
    pub id: String,
    pub new: String,
    pub reason: String,
}

fn load(conn: &Connection, id: &str) -> Result<UserView> {
    find(conn, id)?.ok_or_else(|| CoreError::NotFound(format!("No profile has the id {id}.")))
}

fn other_active_admins(conn: &Connection, id: &str) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM users WHERE role = 'admin' AND archived_at IS NULL AND id <> ?1", [id], |r| r.get(0))?)
}

fn event(
    tx: &Transaction,
    call: &crate::context::Call,
    id: &str,
    action: AuditAction,
    changes: Vec<Change>,
    reason: Option<&str>,
) -> Result<()> {
    audit_trail::append(tx, call, NewEvent { entity_type: "user", entity_id: id, entity_reference: None, action, changes, reason })?;
    Ok(())
}

/// `users.update` (admin): name, role, job title, department, phone.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<UserView> {
    let me = ctx.call.require(Capability::AdministerSystem)?.id.clone();
    let (id, row_version, changes) = crate::lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    let name = format!("The profile of {}", current.display_name);
    workflow::check_row_version(&name, current.row_version, row_version)?;
    let mut v = Input::new(&changes, &["displayName", "role", "jobTitle", "department", "phone"]);
    let pick = |v: &mut Input, key: &str, label: &str, max: usize, required: bool, old: Option<String>| {
        if changes.contains_key(key) {
            v.text(key, label, usize::from(required), max, required)
        } else {
            old
        }
    };
    let display_name = pick(&mut v, "displayName", "Name", 100, true, Some(current.display_name.clone()));
    let job_title = pick(&mut v, "jobTitle", "Job title", 100, false, current.job_title.clone());
    let department = pick(&mut v, "department", "Department", 100, false, current.department.clone());
    let phone = pick(&mut v, "phone", "Phone", 30, false, current.phone.clone());
    let role = match changes.get("role").and_then(Value::as_str) {
        None => current.role,
        Some(s) => Role::parse(s).unwrap_or_else(|| {
            v.error(
                "role",
                FieldCode::InvalidChoice,
                format!("Role must be one of: admin, manager, auditor, contributor, viewer (got '{s}')"),
            );
            current.role
        }),
    };
    if role != current.role {
        if id == me {
            v.error("role", FieldCode::Inconsistent, "You cannot change your own role; ask another administrator");
        } else if current.role == Role::Admin && current.is_active && other_active_admins(ctx.conn(), &id)? == 0 {
            v.error("role", FieldCode::Inconsistent, "At least one active administrator must remain");
        }
    }
    v.finish()?;
    let before = json!({"display_name": current.display_name, "role": current.role, "job_title": current.job_title, "department": current.department, "phone": current.phone});
    let after = json!({"display_name": display_name, "role": role, "job_title": job_title, "department": department, "phone": phone});
    let diff = audit_trail::diff_changes(
        before.as_object().unwrap_or(&serde_json::Map::new()),
        after.as_object().unwrap_or(&serde_json::Map::new()),
    );
    if diff.is_empty() {
        return Ok(current);
    }
    ctx.write(|tx, call| {
        let actor = call.actor()?;
        tx.execute(
            "UPDATE users SET display_name = ?2, role = ?3, job_title = ?4, department = ?5, phone = ?6, updated_at = ?7, updated_by = ?8,
             row_version = row_version + 1 WHERE id = ?1",
            rusqlite::params![id, display_name, role.as_str(), job_title, department, phone, call.now_text(), actor.id],
        )?;
        event(tx, call, &id, AuditAction::Update, diff, None)?;
        // A new role may put the person in a document's acknowledgement audience.
        crate::document::request_for_user(tx, call, &id)?;
        Ok(())
    })?;
    load(ctx.conn(), &id)
}

/// `users.deactivate` (admin): the profile can no longer sign in and leaves the pickers; its records keep its name.
pub fn deactivate(ctx: &mut Ctx, input: Value) -> Result<UserView> {
    let me = ctx.call.require(Capability::AdministerSystem)?.id.clone();
    let mut v = Input::new(as_object(&input)?, &["id", "reason"]);
    let id = v.id("id", "Profile", true).unwrap_or_default();
    let reason = v.text("reason", "Reason", 1, 1000, true);
    v.finish()?;
    let current = load(ctx.conn(), &id)?;
    if id == me {
        return Err(CoreError::field("id", FieldCode::Inconsistent, "You cannot deactivate your own profile"));
    }
    if !current.is_active {
        return Err(CoreError::Conflict(format!("{} is already deactivated.", current.display_name)));
    }
    if current.role == Role::Admin && other_active_admins(ctx.conn(), &id)? == 0 {
        return Err(CoreError::field("id", FieldCode::Inconsistent, "At least one active administrator must remain"));
    }
    let reason = reason.unwrap_or_default();
    ctx.write(|tx, call| {
        workflow::archive(tx, call, &workflow::GovernedRow { table: "users", entity_type: "user", id: &id, reference: None }, &reason)
    })?;
    load(ctx.conn(), &id)
}

/// `users.reactivate` (admin): the profile can sign in again.
pub fn reactivate(ctx: &mut Ctx, input: Value) -> Result<UserView> {
    ctx.call.require(Capability::AdministerSystem)?;
    let mut v = Input::new(as_object(&input)?, &["id", "reason"]);
    let id = v.id("id", "Profile", true).unwrap_or_default();
    let reason = v.text("reason", "Reason", 1, 1000, false);
    v.finish()?;
    let current = load(ctx.conn(), &id)?;
    let name = format!("The profile of {}", current.display_name);
    ctx.write(|tx, call| {
        workflow::restore(
            tx,
            call,
            &workflow::GovernedRow { table: "users", entity_type: "user", id: &id, reference: None },
            &name,
            current.row_version,
            reason.as_deref(),
        )?;
        crate::document::request_for_user(tx, call, &id)?;
        Ok(())
    })?;
    load(ctx.conn(), &id)
}

/// `users.change_passphrase`: the signed-in profile changes its own passphrase, giving the current one.
pub fn change_passphrase(ctx: &mut Ctx, input: Value) -> Result<UserView> {
    let actor = ctx.call.actor()?.clone();
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["current", "new"]);
    let new = normalised_passphrase(&mut v, "new", "New passphrase");
    let current = map.get("current").and_then(Value::as_str).unwrap_or("").to_owned();
    if current.is_empty() {
        v.error("current", FieldCode::Required, "Enter your current passphrase");
    }
    v.finish()?;
    let new = new.unwrap_or_default();
    // A wrong current passphrase counts towards the lock like any failed sign-in.
    let (clock, request_id) = (ctx.call.clock, ctx.call.request_id.clone());
    crate::users::reauthenticate(ctx.conn_mut(), clock, &request_id, &actor, &current).map_err(|e| match e {
        CoreError::ReauthFailed(_) => CoreError::field("current", FieldCode::Inconsistent, "The current passphrase is not right"),
        other => other,
    })?;
    let stored: String = ctx.conn().query_row("SELECT passphrase_hash FROM users WHERE id = ?1", [&actor.id], |r| r.get(0))?;
    if passphrase_matches(&new, &stored) {
        return Err(CoreError::field("new", FieldCode::Inconsistent, "The new passphrase must differ from the current one"));
    }
    let hash = hash_passphrase(&new)?;
    ctx.write(|tx, call| {
        tx.execute(
            "UPDATE users SET passphrase_hash = ?2, passphrase_reset_by_admin = 0, updated_at = ?3, updated_by = ?1,
             row_version = row_version + 1 WHERE id = ?1",
            rusqlite::params![actor.id, hash, call.now_text()],
        )?;
        event(tx, call, &actor.id, AuditAction::Update, vec![Change::new("passphrase", json!("[redacted]"), json!("[redacted]"))], None)
    })?;
    load(ctx.conn(), &actor.id)
}

/// `users.reset_passphrase` (admin): a new passphrase for another profile — one forgotten, or none since a restore
/// from a JSON export — and the sign-in lock lifted. Reason required; the event never holds the passphrase. Your own
/// passphrase is changed with `users.change_passphrase`, which asks for the current one.
pub fn reset_passphrase(ctx: &mut Ctx, input: Value) -> Result<UserView> {
    let me = ctx.call.require(Capability::AdministerSystem)?.id.clone();
    let mut v = Input::new(as_object(&input)?, &["id", "new", "reason"]);
    let id = v.id("id", "Profile", true).unwrap_or_default();
    let new = normalised_passphrase(&mut v, "new", "New passphrase");
    let reason = v.text("reason", "Reason", 1, 1000, true);
    if id == me {
        v.error("id", FieldCode::Inconsistent, "Change your own passphrase under My profile; it asks for the current one");
    }
    v.finish()?;
    let current = load(ctx.conn(), &id)?;
    if !current.is_active {
        return Err(CoreError::Conflict(format!("{} is deactivated; reactivate the profile first.", current.display_name)));
    }
    let hash = hash_passphrase(&new.unwrap_or_default())?;
    let reason = reason.unwrap_or_default();
    ctx.write(|tx, call| {
        tx.execute(
            "UPDATE users SET passphrase_hash = ?2, passphrase_reset_by_admin = 1, failed_sign_ins = 0, locked_until = NULL,
             updated_at = ?3, updated_by = ?4, row_version = row_version + 1 WHERE id = ?1",
            rusqlite::params![id, hash, call.now_text(), call.actor()?.id],
        )?;
        event(tx, call, &id, AuditAction::Update, vec![Change::new("passphrase", json!("[redacted]"), json!("[reset]"))], Some(&reason))
    })?;
    load(ctx.conn(), &id)
}
