//! Local user profiles (domain.md §2): first-run setup, sign-in with lock-out, and the user list for pickers.
//!
//! Passphrases are NFC-normalised, never trimmed, and kept only as Argon2id hashes; they are never logged,
//! never returned and appear in the audit trail only as "[redacted]".

use crate::audit_trail::{self, AuditAction, Change, NewEvent, Stamp};
use crate::authz::{Capability, Role};
use crate::clock::{format_instant, Clock};
use crate::context::{Actor, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{as_object, Input};
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

/// Wrong passphrases in a row before a profile locks.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// How long a locked profile stays locked.
pub const LOCK_MINUTES: i64 = 5;

/// A profile as shown in the app (never the passphrase hash).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub is_active: bool,
    pub last_sign_in_at: Option<String>,
    pub created_at: String,
    pub row_version: i64,
}

pub(crate) const USER_COLUMNS: &str =
    "id, display_name, email, role, job_title, department, phone, archived_at IS NULL, last_sign_in_at, created_at, row_version";

pub(crate) fn user_from_row(r: &rusqlite::Row) -> rusqlite::Result<UserView> {
    let role: String = r.get(3)?;
    Ok(UserView {
        id: r.get(0)?,
        display_name: r.get(1)?,
        email: r.get(2)?,
        role: Role::parse(&role).unwrap_or(Role::Viewer),
        job_title: r.get(4)?,
        department: r.get(5)?,
        phone: r.get(6)?,
        is_active: r.get(7)?,
        last_sign_in_at: r.get(8)?,
        created_at: r.get(9)?,
        row_version: r.get(10)?,
    })
}

/// Looks a profile up by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<UserView>> {
    Ok(conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?.query_row([id], user_from_row).optional()?)
}

/// True while no profile exists (the app shows first-run setup).
pub fn needs_setup(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?;
    Ok(n == 0)
}

/// Validates a passphrase (§2): 12..128 characters after NFC normalisation, no control characters, not trimmed.
pub(crate) fn normalised_passphrase(v: &mut Input, key: &str, label: &str) -> Option<String> {
    let Some(raw) = v.raw(key) else {
        v.error(key, FieldCode::Required, format!("{label} is required"));
        return None;
    };
    let Some(s) = raw.as_str() else {
        v.error(key, FieldCode::InvalidFormat, format!("{label} must be text"));
        return None;
    };
    let nfc: String = s.nfc().collect();
    let len = nfc.chars().count();
    if nfc.chars().any(char::is_control) {
        v.error(key, FieldCode::InvalidFormat, format!("{label} cannot contain control characters"));
        None
    } else if len < 12 {
        v.error(key, FieldCode::TooShort, format!("{label} must be at least 12 characters"));
        None
    } else if len > 128 {
        v.error(key, FieldCode::TooLong, format!("{label} must be at most 128 characters"));
        None
    } else {
        Some(nfc)
    }
}

/// Validates an e-mail address (§1.9): `local@domain.tld`, at most 254 characters, stored lower-case.
pub fn email(v: &mut Input, key: &str, label: &str, required: bool) -> Option<String> {
    let s = v.text(key, label, 0, 254, required)?.to_lowercase();
    let valid = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && domain.contains('.')
                && !domain.contains('@')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Some(s)
    } else {
        v.error(key, FieldCode::InvalidFormat, format!("{label} must look like name@example.com"));
        None
    }
}

pub(crate) fn hash_passphrase(passphrase: &str) -> Result<String> {
    Argon2::default()
        .hash_password(passphrase.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Internal(format!("passphrase hashing failed: {e}")))
}

pub(crate) fn passphrase_matches(passphrase: &str, stored: &str) -> bool {
    let nfc: String = passphrase.nfc().collect();
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(nfc.as_bytes(), &h).is_ok())
}

/// Input of `users.setup`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupInput {
    pub display_name: String,
    pub email: String,
    pub passphrase: String,
    /// The organisation, for reports and the sign-in screen (Settings later).
    #[ts(optional)]
    pub org_name: Option<String>,
    /// Whether a second person verifies and approves (segregation of duties); `false` for someone who works alone,
    /// who could otherwise never close what they record. On when not given.
    #[ts(optional)]
    pub second_person_verifies: Option<bool>,
}

/// `users.setup`: creates the first administrator; refused once any profile exists. The event's actor is the
/// new profile itself.
pub fn setup(ctx: &mut Ctx, input: Value) -> Result<UserView> {
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["displayName", "email", "passphrase", "orgName", "secondPersonVerifies"]);
    let display_name = v.text("displayName", "Name", 1, 100, true);
    let email = email(&mut v, "email", "Email", true);
    let passphrase = normalised_passphrase(&mut v, "passphrase", "Passphrase");
    let org_name = v.text("orgName", "Organisation name", 0, 200, false);
    let second_person = v.boolean("secondPersonVerifies", "A second person verifies", true);
    v.finish()?;
    let (Some(display_name), Some(email), Some(passphrase)) = (display_name, email, passphrase) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    if !needs_setup(ctx.conn())? {
        return Err(CoreError::Conflict("The first administrator already exists; sign in instead.".into()));
    }
    let hash = hash_passphrase(&passphrase)?;
    let id = crate::ids::new_id();
    ctx.write(|tx, call| {
        let now = call.now_text();
        tx.execute(
            "INSERT INTO users (id, display_name, email, role, passphrase_hash, created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, 'admin', ?4, ?5, ?5, ?1, ?1)",
            rusqlite::params![id, display_name, email, hash, now],
        )?;
        let stamp = Stamp { actor_id: id.clone(), actor_name: display_name.clone(), request_id: call.request_id.clone(), occurred_at: now };
        let changes = vec![
            Change::new("display_name", Value::Null, json!(display_name)),
            Change::new("email", Value::Null, json!(email)),
            Change::new("passphrase", Value::Null, json!("[redacted]")),
            Change::new("role", Value::Null, json!("admin")),
        ];
        audit_trail::append_stamped(
            tx,
            &stamp,
            NewEvent { entity_type: "user", entity_id: &id, entity_reference: None, action: AuditAction::Create, changes, reason: None },
        )?;
        // A new installation can audit at once: the ready templates, attributed to the first administrator.
        let admin = call.acting_as(crate::context::Actor { id: id.clone(), display_name: display_name.clone(), role: Role::Admin });
        crate::template::starters::install(tx, &admin)?;
        Ok(())
    })?;
    // The two set-up answers are settings like any other (checked above, so this cannot be refused), changed and
    // audited as the new administrator.
    let mut settings = serde_json::Map::new();
    if let Some(name) = org_name {
        settings.insert("orgName".into(), json!(name));
    }
    settings.insert("segregationOfDuties".into(), json!(second_person));
    ctx.call.actor = Some(crate::context::Actor { id: id.clone(), display_name, role: Role::Admin });
    crate::settings::update(ctx, Value::Object(settings))?;
    ctx.call.actor = None;
    find(ctx.conn(), &id)?.ok_or_else(|| CoreError::Internal("created user not found".into()))
}

/// Input of a sign-in.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInInput {
    pub email: String,
    pub passphrase: String,
}

struct Credentials {
    id: String,
    display_name: String,
    role: String,
    hash: String,
    failed: i64,
    locked_until: Option<String>,
    active: bool,
}

fn event_stamp(user_id: &str, name: &str, request_id: &str, now: &str) -> Stamp {
    Stamp { actor_id: user_id.to_owned(), actor_name: name.to_owned(), request_id: request_id.to_owned(), occurred_at: now.to_owned() }
}

fn record(tx: &Transaction, stamp: &Stamp, user_id: &str, action: AuditAction, changes: Vec<Change>) -> Result<()> {
    audit_trail::append_stamped(
        tx,
        stamp,
        NewEvent { entity_type: "user", entity_id: user_id, entity_reference: None, action, changes, reason: None },
    )?;
    Ok(())
}

/// Checks a passphrase and returns the actor. Five wrong passphrases in a row lock the profile for five
/// minutes. Every outcome on a known profile is an audit event (`sign_in`, `sign_in_failed`, `lock`).
pub fn sign_in(conn: &mut Connection, clock: &dyn Clock, request_id: &str, email: &str, passphrase: &str) -> Result<Actor> {
    let refused = || CoreError::AuthFailed("That email and passphrase do not match a profile on this computer.".into());
    let email = email.trim().to_lowercase();
    let creds = credentials(conn, "email", &email)?;
    let Some(creds) = creds else {
        tracing::warn!("sign-in refused: unknown profile");
        return Err(refused());
    };
    let now = clock.now();
    let now_text = format_instant(now);
    if let Some(until) = &creds.locked_until {
        if until.as_str() > now_text.as_str() {
            return Err(CoreError::Locked {
                message: format!(
                    "This profile is locked after {MAX_FAILED_SIGN_INS} wrong passphrases. Try again after {}.",
                    local_time(conn, until)
                ),
                until: until.clone(),
            });
        }
    }
    if !creds.active {
        return Err(CoreError::AuthFailed("This profile has been deactivated. Ask an administrator.".into()));
    }
    if creds.hash.is_empty() {
        return Err(CoreError::AuthFailed(
            "This profile has no passphrase since the database was restored from an export. Ask an administrator to set one.".into(),
        ));
    }
    let stamp = event_stamp(&creds.id, &creds.display_name, request_id, &now_text);
    if passphrase_matches(passphrase, &creds.hash) {
        let recorded = crate::db::with_tx(conn, |tx| {
            tx.execute(
                "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = ?2 WHERE id = ?1",
                rusqlite::params![creds.id, now_text],
            )?;
            record(tx, &stamp, &creds.id, AuditAction::SignIn, Vec::new())
        });
        match recorded {
            // A database open read-only (full disk) still lets its people read it; nothing can change meanwhile.
            Err(e) if crate::db::is_read_only_refusal(&e) => tracing::warn!("sign-in not recorded: the database is open read-only"),
            other => other?,
        }
        return Ok(Actor { id: creds.id, display_name: creds.display_name, role: Role::parse(&creds.role).unwrap_or(Role::Viewer) });
    }
    record_failure(conn, &creds, now, &stamp)
}

/// Counts a wrong passphrase: a `sign_in_failed` event, and after five in a row a `lock` event and the lock.
fn record_failure(conn: &mut Connection, creds: &Credentials, now: jiff::Timestamp, stamp: &Stamp) -> Result<Actor> {
    let failed = creds.failed + 1;
    let lock_until = (failed >= MAX_FAILED_SIGN_INS).then(|| format_instant(now + jiff::SignedDuration::from_mins(LOCK_MINUTES)));
    crate::db::with_tx(conn, |tx| {
        tx.execute(
            "UPDATE users SET failed_sign_ins = ?2, locked_until = ?3 WHERE id = ?1",
            rusqlite::params![creds.id, if lock_until.is_some() { 0 } else { failed }, lock_until],
        )?;
        record(tx, stamp, &creds.id, AuditAction::SignInFailed, vec![Change::new("failed_sign_ins", json!(creds.failed), json!(failed))])?;
        if let Some(until) = &lock_until {
            record(tx, stamp, &creds.id, AuditAction::Lock, vec![Change::new("locked_until", Value::Null, json!(until))])?;
        }
        Ok(())
    })?;
    match lock_until {
        Some(until) => Err(CoreError::Locked {
            message: format!("Too many wrong passphrases: this profile is locked until {}.", local_time(conn, &until)),
            until,
        }),
        None => Err(CoreError::AuthFailed("That email and passphrase do not match a profile on this computer.".into())),
    }
}

fn credentials(conn: &Connection, column: &str, value: &str) -> Result<Option<Credentials>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT id, display_name, role, passphrase_hash, failed_sign_ins, locked_until, archived_at IS NULL
                 FROM users WHERE {column} = ?1 COLLATE NOCASE"
            ),
            [value],
            |r| {
                Ok(Credentials {
                    id: r.get(0)?,
                    display_name: r.get(1)?,
                    role: r.get(2)?,
                    hash: r.get(3)?,
                    failed: r.get(4)?,
                    locked_until: r.get(5)?,
                    active: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// An instant as the person at the keyboard reads it: the organisation's zone, to the minute, with the zone named
/// ("2026-11-26 12:05 Europe/London"). The envelope's `until` keeps the UTC instant for scripts.
fn local_time(conn: &Connection, instant: &str) -> String {
    let zone = crate::settings::Settings::load(conn).map(|s| s.zone()).unwrap_or(jiff::tz::TimeZone::UTC);
    match instant.parse::<jiff::Timestamp>() {
        Ok(at) => {
            let name = zone.iana_name().unwrap_or("UTC").to_owned();
            format!("{} {name}", at.to_zoned_datetime(zone).strftime("%Y-%m-%d %H:%M"))
        }
        Err(_) => instant.to_owned(),
    }
}

/// Re-authentication for a signature: the signed-in actor re-enters their passphrase. A wrong one writes only a
/// `sign_in_failed` event (and counts towards the lock) and returns `reauth_failed`; a right one writes nothing.
pub fn reauthenticate(conn: &mut Connection, clock: &dyn Clock, request_id: &str, actor: &Actor, passphrase: &str) -> Result<()> {
    let creds = credentials(conn, "id", &actor.id)?.ok_or_else(|| CoreError::AuthRequired("Your profile no longer exists.".into()))?;
    let now = clock.now();
    let now_text = format_instant(now);
    if let Some(until) = creds.locked_until.as_ref().filter(|u| u.as_str() > now_text.as_str()) {
        return Err(CoreError::Locked {
            message: format!("Your profile is locked until {}.", local_time(conn, until)),
            until: until.clone(),
        });
    }
    if passphrase_matches(passphrase, &creds.hash) {
        if creds.failed > 0 {
            conn.execute("UPDATE users SET failed_sign_ins = 0 WHERE id = ?1", [&creds.id])?;
        }
        return Ok(());
    }
    let stamp = event_stamp(&creds.id, &creds.display_name, request_id, &now_text);
    match record_failure(conn, &creds, now, &stamp) {
        Err(CoreError::AuthFailed(_)) => Err(CoreError::ReauthFailed("The passphrase is not right, so nothing was signed.".into())),
        Err(e) => Err(e),
        Ok(_) => Err(CoreError::ReauthFailed("The passphrase is not right, so nothing was signed.".into())),
    }
}

/// Looks up the actor for a profile id (the app keeps only the id of the signed-in profile).
pub fn actor(conn: &Connection, id: &str) -> Result<Option<Actor>> {
    Ok(find(conn, id)?.filter(|u| u.is_active).map(|u| Actor { id: u.id, display_name: u.display_name, role: u.role }))
}

/// Input of `users.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct UserListInput {
    /// Also list deactivated profiles (the administration page); pickers leave them out.
    pub include_inactive: Option<bool>,
}

/// `users.list`: profiles ordered by name; active ones only unless `includeInactive`.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Vec<UserView>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = serde_json::Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let mut v = Input::new(map, &["includeInactive"]);
    let all = v.boolean("includeInactive", "Include deactivated", false);
    v.finish()?;
    let filter = if all { "" } else { "WHERE archived_at IS NULL" };
    let mut stmt =
        ctx.conn().prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users {filter} ORDER BY display_name COLLATE NOCASE, id"))?;
    let rows = stmt.query_map([], user_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// `users.me`: the signed-in profile.
pub fn me(ctx: &mut Ctx, _input: Value) -> Result<UserView> {
    let actor = ctx.call.actor()?;
    find(ctx.conn(), &actor.id)?.ok_or_else(|| CoreError::NotFound("Your profile no longer exists.".into()))
}

/// Input of `users.create`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserInput {
    pub display_name: String,
    pub email: String,
    #[ts(optional)]
    pub role: Option<Role>,
    #[ts(optional)]
    pub job_title: Option<String>,
    #[ts(optional)]
    pub department: Option<String>,
    #[ts(optional)]
    pub phone: Option<String>,
    /// The initial passphrase, given to the person to sign in with.
    pub passphrase: String,
}

/// `users.create` (admin): adds a local profile with a role. The passphrase is stored only as a hash and
/// recorded in the audit trail as "[redacted]".
pub fn create(ctx: &mut Ctx, input: Value) -> Result<UserView> {
    ctx.call.require(Capability::AdministerSystem)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["displayName", "email", "role", "jobTitle", "department", "phone", "passphrase"]);
    let display_name = v.text("displayName", "Name", 1, 100, true);
    let email = email(&mut v, "email", "Email", true);
    let role = match v.raw("role").and_then(Value::as_str) {
        None if v.raw("role").is_none() => Some(Role::Contributor),
        Some(s) => Role::parse(s).or_else(|| {
            v.error(
                "role",
                FieldCode::InvalidChoice,
                format!("Role must be one of: admin, manager, auditor, contributor, viewer (got '{s}')"),
            );
            None
        }),
        None => {
            v.error("role", FieldCode::InvalidFormat, "Role must be text");
            None
        }
    };
    let job_title = v.text("jobTitle", "Job title", 0, 100, false);
    let department = v.text("department", "Department", 0, 100, false);
    let phone = v.text("phone", "Phone", 0, 30, false);
    let passphrase = normalised_passphrase(&mut v, "passphrase", "Passphrase");
    if let Some(e) = &email {
        let taken: bool = ctx.conn().query_row("SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1 COLLATE NOCASE)", [e], |r| r.get(0))?;
        if taken {
            v.error("email", FieldCode::Duplicate, "Another profile already uses this email");
        }
    }
    v.finish()?;
    let (Some(display_name), Some(email), Some(role), Some(passphrase)) = (display_name, email, role, passphrase) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let hash = hash_passphrase(&passphrase)?;
    let id = crate::ids::new_id();
    ctx.write(|tx, call| {
        let actor = call.actor()?;
        let now = call.now_text();
        tx.execute(
            "INSERT INTO users (id, display_name, email, role, job_title, department, phone, passphrase_hash, created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?10)",
            rusqlite::params![id, display_name, email, role.as_str(), job_title, department, phone, hash, now, actor.id],
        )?;
        let mut changes = vec![
            Change::new("display_name", Value::Null, json!(display_name)),
            Change::new("email", Value::Null, json!(email)),
            Change::new("passphrase", Value::Null, json!("[redacted]")),
            Change::new("role", Value::Null, json!(role.as_str())),
        ];
        for (field, value) in [("department", &department), ("job_title", &job_title), ("phone", &phone)] {
            if let Some(value) = value {
                changes.push(Change::new(field, Value::Null, json!(value)));
            }
        }
        changes.sort_by(|a, b| a.field.cmp(&b.field));
        audit_trail::append(
            tx,
            call,
            NewEvent { entity_type: "user", entity_id: &id, entity_reference: None, action: AuditAction::Create, changes, reason: None },
        )?;
        // A newcomer in a role that must acknowledge documents in force is asked at once.
        crate::document::request_for_user(tx, call, &id)?;
        Ok(())
    })?;
    find(ctx.conn(), &id)?.ok_or_else(|| CoreError::Internal("created user not found".into()))
}
