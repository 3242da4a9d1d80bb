//! Online backups of the database: create (atomic, with retention), list, verify, restore.
//!
//! A backup is a complete SQLite file written with SQLite's online backup API while the app may be running.
//! It is written under a temporary name and renamed, so a crash never leaves a half-written backup.

use crate::audit_trail::{verify_chain, ChainReport};
use crate::error::{CoreError, Result};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

const PREFIX: &str = "qgp-backup-";
const SUFFIX: &str = ".sqlite3";

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// When the backup was taken (from its name), RFC 3339 UTC.
    pub created_at: String,
}

/// Result of checking a backup file.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupVerification {
    pub path: String,
    pub ok: bool,
    pub integrity_check: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    pub audit_trail: ChainReport,
    pub sha256: String,
    pub problems: Vec<String>,
    /// When the backup was taken (from its name), if it is one of ours.
    pub created_at: Option<String>,
    /// What it holds, so a restore can be judged before anything changes.
    pub records: Vec<RecordCount>,
    /// Its audit trail's newest event.
    #[ts(type = "number")]
    pub trail_head: i64,
}

/// Records per kind (archived included).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordCount {
    pub kind: String,
    #[ts(type = "number")]
    pub count: i64,
}

/// What a database holds, register by register (a table that cannot be read is left out; the integrity check
/// names it).
pub fn record_counts(conn: &Connection) -> Vec<RecordCount> {
    let mut records = Vec::new();
    for (kind, table) in [
        ("users", "users"),
        ("incidents", "incidents"),
        ("actions", "actions"),
        ("risks", "risks"),
        ("risk assessments", "risk_assessments"),
        ("investigations", "investigations"),
        ("complaints", "complaints"),
        ("collisions", "collisions"),
        ("documents", "documents"),
        ("audit runs", "audit_runs"),
        ("findings", "findings"),
        ("evidence files", "evidence_files"),
        ("signatures", "signatures"),
        ("audit events", "audit_events"),
    ] {
        if let Ok(count) = conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get::<_, i64>(0)) {
            records.push(RecordCount { kind: kind.into(), count });
        }
    }
    records
}

fn stamp_to_name(created_at: &str) -> String {
    // 2026-03-04T05:06:07.123Z → 20260304T050607123Z (file-name safe, sorts by time)
    let digits: String = created_at.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("{PREFIX}{digits}{SUFFIX}")
}

fn name_to_stamp(name: &str) -> Option<String> {
    let core = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    // Backups taken within the same millisecond get a `-N` suffix; the stamp is the part before it.
    let core = core.split_once('-').map_or(core, |(stamp, n)| if n.chars().all(|c| c.is_ascii_digit()) { stamp } else { "" });
    if core.len() != 19 {
        return None;
    }
    Some(format!("{}-{}-{}T{}:{}:{}.{}Z", &core[0..4], &core[4..6], &core[6..8], &core[9..11], &core[11..13], &core[13..15], &core[15..18]))
}

/// Writes a new backup of `conn` into `dir`, then keeps only the newest `retention` backups.
pub fn create(conn: &Connection, dir: &Path, retention: u32, created_at: &str) -> Result<BackupInfo> {
    std::fs::create_dir_all(dir)?;
    // Never overwrite an existing backup (two backups in one millisecond, or a restore's safety copy).
    let mut name = stamp_to_name(created_at);
    let mut n = 1;
    while dir.join(&name).exists() {
        name = stamp_to_name(created_at).replace(SUFFIX, &format!("-{n}{SUFFIX}"));
        n += 1;
    }
    let final_path = dir.join(&name);
    let temp_path = dir.join(format!(".{name}.partial"));
    let _ = std::fs::remove_file(&temp_path);
    conn.backup(rusqlite::MAIN_DB, &temp_path, None::<fn(rusqlite::backup::Progress)>)?;
    // Make the copy self-contained (no WAL beside it) and durable before it gets its final name.
    {
        let copy = Connection::open(&temp_path)?;
        copy.pragma_update(None, "journal_mode", "DELETE")?;
    }
    std::fs::File::open(&temp_path)?.sync_all()?;
    std::fs::rename(&temp_path, &final_path)?;
    prune(dir, retention)?;
    let size_bytes = std::fs::metadata(&final_path)?.len();
    Ok(BackupInfo { path: final_path.display().to_string(), file_name: name, size_bytes, created_at: created_at.to_owned() })
}

/// Copies a finished backup, and the trail head beside it, to the second location, keeping the same retention
/// there. The folder must already exist: a USB stick that is not plugged in must not turn into a folder on the
/// laptop's own disk. The copy is checked against the original's fingerprint before it takes its name.
pub fn copy_off(taken: &BackupInfo, backup_dir: &Path, to: &Path, retention: u32) -> Result<PathBuf> {
    if !to.is_dir() {
        return Err(CoreError::NotFound(format!(
            "The second backup location {} is not reachable (is the USB stick or network drive connected?).",
            to.display()
        )));
    }
    let target = to.join(&taken.file_name);
    let temp = to.join(format!(".{}.partial", taken.file_name));
    std::fs::copy(&taken.path, &temp)?;
    std::fs::File::open(&temp)?.sync_all()?;
    if crate::outfile::fingerprint(&temp)? != crate::outfile::fingerprint(Path::new(&taken.path))? {
        let _ = std::fs::remove_file(&temp);
        return Err(CoreError::Conflict(format!("The copy in {} did not match the backup; it was not kept.", to.display())));
    }
    std::fs::rename(&temp, &target)?;
    let head = backup_dir.join("trail-head.json");
    if head.exists() {
        let head_temp = to.join(".trail-head.json.partial");
        std::fs::copy(&head, &head_temp)?;
        std::fs::rename(&head_temp, to.join("trail-head.json"))?;
    }
    prune(to, retention)?;
    Ok(target)
}

/// Takes the second copy of a backup when one is configured; a failure is logged and shown by Health, and does not
/// undo the backup itself.
pub fn copy_off_if_configured(taken: &BackupInfo, config: &crate::config::Config, backup_dir: &Path) {
    if let Some(to) = &config.backup_copy_to {
        match copy_off(taken, backup_dir, to, config.backup_retention) {
            Ok(path) => tracing::info!(file = %path.display(), "backup copied to the second location"),
            Err(e) => tracing::warn!(error = %e, "backup not copied to the second location"),
        }
    }
}

/// Backups in `dir`, newest first.
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(created_at) = name_to_stamp(&name) {
            out.push(BackupInfo {
                path: entry.path().display().to_string(),
                file_name: name,
                size_bytes: entry.metadata()?.len(),
                created_at,
            });
        }
    }
    out.sort_by(|a, b| b.file_name.cmp(&a.file_name));
    Ok(out)
}

fn prune(dir: &Path, retention: u32) -> Result<()> {
    for old in list(dir)?.into_iter().skip(retention as usize) {
        std::fs::remove_file(&old.path)?;
    }
    remove_abandoned_partials(dir, std::time::Duration::from_secs(60 * 60));
    Ok(())
}

/// A backup cut short by a kill or power cut leaves its `.partial` file behind; each is as large as the database,
/// so they are removed once older than `age` (a younger one may belong to a backup still being written, say by
/// `qgp backup create` while the app runs).
fn remove_abandoned_partials(dir: &Path, age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(&format!(".{PREFIX}")) && name.ends_with(".partial")) {
            continue;
        }
        let old_enough = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).is_some_and(|e| e >= age);
        if old_enough && std::fs::remove_file(entry.path()).is_ok() {
            tracing::info!(file = %name, "removed the remains of an interrupted backup");
        }
    }
}

/// Opens a backup read-only and checks it: SQLite integrity, schema version, audit-trail chain.
pub fn verify(path: &Path) -> Result<BackupVerification> {
    if !path.is_file() {
        return Err(CoreError::NotFound(format!("No backup file at {}.", path.display())));
    }
    let (_, sha256) = crate::outfile::fingerprint(path)?;
    let conn = crate::db::open_read_only(path)?;
    let mut problems = Vec::new();
    let integrity_check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap_or_else(|e| format!("unreadable: {e}"));
    if integrity_check != "ok" {
        problems.push(format!("SQLite integrity check: {integrity_check}"));
    }
    let schema_version: i64 =
        conn.query_row("SELECT COALESCE(MAX(version), 0) FROM refinery_schema_history", [], |r| r.get(0)).unwrap_or(0);
    if schema_version == 0 {
        problems.push("The file is not a QGP Desktop database (no schema history).".into());
    }
    let audit_trail = verify_chain(&conn).unwrap_or(ChainReport::unreadable());
    if !audit_trail.ok {
        problems.push(format!("Audit trail does not verify (first bad event: {:?}).", audit_trail.first_bad_seq));
    }
    let newest_known = crate::db::embedded_migrations().iter().map(|m| i64::from(m.version())).max().unwrap_or(0);
    if schema_version > newest_known {
        problems
            .push(format!("It was written by a newer version of QGP Desktop (schema {schema_version}); this version cannot restore it."));
    }
    let created_at = path.file_name().and_then(|n| name_to_stamp(&n.to_string_lossy()));
    let trail_head = crate::trail_anchor::head(&conn).map(|(seq, _)| seq).unwrap_or(0);
    Ok(BackupVerification {
        path: path.display().to_string(),
        ok: problems.is_empty(),
        integrity_check,
        schema_version,
        audit_trail,
        sha256,
        problems,
        created_at,
        records: record_counts(&conn),
        trail_head,
    })
}

/// Replaces the live database with a verified backup. A safety backup of the current state is taken first,
/// so a restore can itself be undone.
pub fn restore(
    conn: &mut Connection,
    path: &Path,
    safety_dir: &Path,
    retention: u32,
    now: &str,
) -> Result<(BackupVerification, BackupInfo)> {
    let check = verify(path)?;
    if !check.ok {
        return Err(CoreError::Conflict(format!("The backup did not verify, so nothing was restored: {}", check.problems.join("; "))));
    }
    let newest_known = crate::db::embedded_migrations().iter().map(|m| i64::from(m.version())).max().unwrap_or(0);
    if check.schema_version > newest_known {
        return Err(CoreError::IncompatibleDatabase(format!(
            "The backup was written by a newer version of QGP Desktop (schema {}); nothing was restored.",
            check.schema_version
        )));
    }
    let safety = create(conn, safety_dir, retention.max(1) + 1, now)?;
    conn.restore(rusqlite::MAIN_DB, path, None::<fn(rusqlite::backup::Progress)>)?;
    Ok((check, safety))
}

/// What a restore did: the backup it came from, the safety backup of what was replaced, and the events the restore
/// rolled back (still in the safety backup).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOutcome {
    pub restored_from: BackupVerification,
    pub safety_backup: BackupInfo,
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
pub fn restore_use_case(ctx: &mut crate::context::Ctx, path: &Path) -> Result<RestoreOutcome> {
    use crate::audit_trail::{AuditAction, Change, NewEvent};
    use serde_json::{json, Value};
    let dir = ctx.call.paths.backup_dir.clone();
    let retention = ctx.call.config.backup_retention;
    let now = ctx.call.now_text();
    let (head_before, hash_before) = crate::trail_anchor::head(ctx.conn())?;
    let (restored_from, safety_backup) = restore(ctx.conn_mut(), path, &dir, retention, &now)?;
    let stamp: String = now.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let migrated = crate::db::migrate_embedded(ctx.conn_mut(), &dir, &stamp)?.applied;
    let (restored_head, _) = crate::trail_anchor::head(ctx.conn())?;
    let installation = crate::audit_trail::installation_id(ctx.conn())?;
    let file_name = |p: &str| Path::new(p).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut changes = vec![
        Change::new("backup", Value::Null, json!(file_name(&restored_from.path))),
        Change::new("backup_sha256", Value::Null, json!(restored_from.sha256)),
        Change::new("trail_head", json!({"seq": head_before, "hash": hash_before}), json!({"seq": restored_head})),
        Change::new("safety_backup", Value::Null, json!(file_name(&safety_backup.path))),
    ];
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
    crate::trail_anchor::record(ctx.conn(), ctx.call.paths, &now, true);
    tracing::warn!(backup = %restored_from.path, head_before, restored_head, "database restored from a backup");
    Ok(RestoreOutcome { restored_from, safety_backup, migrated, head_before, head_after })
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

/// Age of the newest backup in whole hours at `now`, if any.
pub fn newest_age_hours(dir: &Path, now: jiff::Timestamp) -> Result<Option<(BackupInfo, i64)>> {
    Ok(list(dir)?.into_iter().next().and_then(|b| {
        let at: jiff::Timestamp = b.created_at.parse().ok()?;
        let hours = (now.as_second() - at.as_second()) / 3600;
        Some((b, hours))
    }))
}

/// Where a file would go, for callers that print it.
pub fn path_for(dir: &Path, created_at: &str) -> PathBuf {
    dir.join(stamp_to_name(created_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_to_timestamps() {
        let name = stamp_to_name("2026-03-04T05:06:07.123Z");
        assert_eq!(name, "qgp-backup-20260304T050607123Z.sqlite3");
        assert_eq!(name_to_stamp(&name).as_deref(), Some("2026-03-04T05:06:07.123Z"));
        assert_eq!(name_to_stamp("pre-migration-v1.sqlite3"), None);
        assert_eq!(name_to_stamp("qgp-backup-20260304T050607123Z-2.sqlite3").as_deref(), Some("2026-03-04T05:06:07.123Z"));
    }

    #[test]
    fn the_remains_of_an_interrupted_backup_are_removed_once_old_and_nothing_else_is() {
        let dir = tempfile::tempdir().unwrap();
        let abandoned = dir.path().join(".qgp-backup-20260304T050607123Z.sqlite3.partial");
        let in_progress = dir.path().join(".qgp-backup-20260305T050607123Z.sqlite3.partial");
        let other = dir.path().join("notes.partial");
        for f in [&abandoned, &in_progress, &other] {
            std::fs::write(f, b"x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 60 * 60);
        for f in [&abandoned, &other] {
            std::fs::File::options().write(true).open(f).unwrap().set_modified(two_hours_ago).unwrap();
        }
        remove_abandoned_partials(dir.path(), std::time::Duration::from_secs(60 * 60));
        assert!(!abandoned.exists(), "an hour-old partial backup is removed");
        assert!(in_progress.exists(), "a fresh one may still be being written");
        assert!(other.exists(), "files that are not backups are left alone");
    }
}
