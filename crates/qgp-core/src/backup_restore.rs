//! Restoring a backup as a use case: from the app or `qgp backup restore` by an administrator, and onto a new
//! installation (a replacement laptop) before anyone has a profile on it.

use crate::backup::{BackupInfo, BackupVerification, UnpackedFiles};
use crate::context::{Actor, Ctx};
use crate::error::{CoreError, Result};
use crate::validate::Input;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;
use ts_rs::TS;

/// What a restore did: the backup it came from, the safety backup of what was replaced, and the events the restore
/// rolled back (still in the safety backup).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOutcome {
    pub restored_from: BackupVerification,
    pub safety_backup: BackupInfo,
    /// Evidence files and keys a set put back.
    pub files: UnpackedFiles,
    /// Migrations applied because the backup came from an older version.
    pub migrated: Vec<String>,
    /// Newest event before the restore and in the restored database.
    #[ts(type = "number")]
    pub head_before: i64,
    #[ts(type = "number")]
    pub head_after: i64,
}

/// `backup.restore` (admin): replaces the database with a verified backup. The current state is backed up first;
/// a backup from an older version is migrated; the restore itself is appended to the restored trail, naming the
/// events it rolled back and the safety backup that still holds them; and every session ends (each profile signs
/// in again against the restored profiles and roles).
pub fn restore_use_case(ctx: &mut Ctx, path: &Path) -> Result<RestoreOutcome> {
    restore_with(ctx, path, |_| Ok(None))
}

/// Input of `setup.restore_backup`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOntoNewInstallationInput {
    pub path: String,
    /// An active administrator in the backup, who restores it.
    pub email: String,
    pub passphrase: String,
}

/// `setup.restore_backup` (before anyone has a profile here): a new laptop takes over from a lost one. The backup
/// names its restorer: an active administrator in it, whose passphrase is checked against the backup before
/// anything changes. Refused once this installation has a profile (an administrator restores from Health then).
pub fn restore_onto_new_installation(ctx: &mut Ctx, input: Value) -> Result<RestoreOutcome> {
    let map = crate::validate::as_object(&input)?;
    let mut v = Input::new(map, &["path", "email", "passphrase"]);
    let path = v.text("path", "Backup file", 1, 4096, true).unwrap_or_default();
    let email = v.text("email", "Email", 1, 320, true).unwrap_or_default();
    let passphrase = v.text("passphrase", "Passphrase", 1, 1024, true).unwrap_or_default();
    v.finish()?;
    if !crate::users::needs_setup(ctx.conn())? {
        return Err(CoreError::Conflict(
            "This installation already has profiles. An administrator restores a backup from Health › Backups.".into(),
        ));
    }
    restore_with(ctx, Path::new(&path), |db| {
        let conn = crate::db::open_read_only(db)?;
        Ok(Some(administrator_in(&conn, &email, &passphrase)?))
    })
}

/// The active administrator `email` in a backup's database, if `passphrase` is theirs. Reads only.
fn administrator_in(conn: &Connection, email: &str, passphrase: &str) -> Result<Actor> {
    let refused = || {
        CoreError::AuthFailed("That email and passphrase do not match an active administrator in the backup; nothing was restored.".into())
    };
    let found: Option<(String, String, String, String)> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT id, display_name, role, passphrase_hash FROM users WHERE email = ?1 COLLATE NOCASE AND archived_at IS NULL",
        [email.trim()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    ))?;
    let Some((id, display_name, role, hash)) = found else { return Err(refused()) };
    if role != "admin" || !crate::users::passphrase_matches(passphrase, &hash) {
        return Err(refused());
    }
    Ok(Actor { id, display_name, role: crate::authz::Role::Admin })
}

/// The restore both entry points share. `authorise` sees the verified database before anything changes and may name
/// who restores (on a new installation nobody is signed in; the restore event is theirs).
fn restore_with(ctx: &mut Ctx, path: &Path, authorise: impl FnOnce(&Path) -> Result<Option<Actor>>) -> Result<RestoreOutcome> {
    use crate::audit_trail::{AuditAction, Change, NewEvent};
    use serde_json::json;
    let paths = ctx.call.paths;
    let retention = ctx.call.config.backup_retention;
    let now = ctx.call.now_text();
    let progress = ctx.call.progress.clone();
    let (head_before, hash_before) = crate::trail_anchor::head(ctx.conn())?;
    let mut restorer = None;
    let (restored_from, safety_backup, files) = crate::backup::restore(ctx.conn_mut(), path, paths, retention, &now, &progress, |db| {
        restorer = authorise(db)?;
        Ok(())
    })?;
    if restorer.is_some() {
        ctx.call.actor = restorer;
    }
    let stamp: String = now.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let migrated = crate::db::migrate_embedded(ctx.conn_mut(), &paths.backup_dir, &stamp)?.applied;
    let (restored_head, _) = crate::trail_anchor::head(ctx.conn())?;
    let installation = crate::audit_trail::installation_id(ctx.conn())?;
    let file_name = |p: &str| Path::new(p).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut changes = vec![
        Change::new("backup", Value::Null, json!(file_name(&restored_from.path))),
        Change::new("backup_sha256", Value::Null, json!(restored_from.sha256)),
        Change::new("trail_head", json!({"seq": head_before, "hash": hash_before}), json!({"seq": restored_head})),
        Change::new("safety_backup", Value::Null, json!(file_name(&safety_backup.path))),
    ];
    if files.evidence_written > 0 || files.keys_written > 0 {
        changes.push(Change::new("files_restored", Value::Null, json!({"evidence": files.evidence_written, "keys": files.keys_written})));
    }
    if head_before > restored_head {
        let dropped = format!("{}–{}", restored_head + 1, head_before);
        changes.push(Change::new("events_rolled_back", Value::Null, json!(dropped)));
    }
    if !migrated.is_empty() {
        changes.push(Change::new("migrated", Value::Null, json!(migrated)));
    }
    let head_after = ctx.write(|tx, call| {
        crate::audit_trail::append(
            tx,
            call,
            NewEvent {
                entity_type: "database",
                entity_id: &installation,
                entity_reference: None,
                action: AuditAction::Restore,
                changes,
                reason: None,
            },
        )
    })?;
    // The head moves back with the restore; the restore event itself names what was rolled back.
    crate::trail_anchor::record(ctx.conn(), paths, &now, true);
    tracing::warn!(backup = %restored_from.path, head_before, restored_head, "database restored from a backup");
    Ok(RestoreOutcome { restored_from, safety_backup, files, migrated, head_before, head_after })
}

/// When the database was last restored from a backup, if ever: sessions begun before then have ended.
pub fn last_restored_at(conn: &Connection) -> Result<Option<jiff::Timestamp>> {
    use rusqlite::OptionalExtension;
    let at: Option<String> = conn
        .query_row(
            "SELECT occurred_at FROM audit_events WHERE entity_type = 'database' AND action = 'restore' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(at.and_then(|t| t.parse().ok()))
}
