//! Backups: create (atomic, with retention), list, verify, restore.
//!
//! A backup is a backup set (`.qgpbackup`, [`crate::backup_set`]): the database copied with SQLite's online backup
//! API while the app may be running, every evidence file and the signing key, with a manifest of hashes. It is
//! written under a temporary name and renamed, so a crash never leaves a half-written backup. Bare database backups
//! (`.sqlite3`, written by versions before 0.7) are still listed, verified and restored.

use crate::audit_trail::{verify_chain, ChainReport};
use crate::backup_set::{Scratch, SET_SUFFIX};
use crate::error::{CoreError, Result};
use crate::jobs::Progress;
use crate::paths::AppPaths;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

const PREFIX: &str = "qgp-backup-";
/// Bare database backups, as written before backup sets.
const DATABASE_SUFFIX: &str = ".sqlite3";

/// What a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Database, evidence files and keys in one file.
    Set,
    /// The database alone (older versions).
    Database,
}

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
    pub kind: BackupKind,
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
    pub trail_head_hash: String,
    pub kind: BackupKind,
    /// Evidence files in a set (0 for a bare database backup), checked against their hashes.
    #[ts(type = "number")]
    pub evidence_files: u64,
    #[ts(type = "number")]
    pub evidence_bytes: u64,
    #[ts(type = "number")]
    pub key_files: u64,
    /// What a restore would still lack but that does not stop it (evidence already missing when it was taken, a
    /// bare database backup's evidence and key left on the laptop).
    pub warnings: Vec<String>,
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
    format!("{PREFIX}{digits}{SET_SUFFIX}")
}

fn kind_of_name(name: &str) -> Option<BackupKind> {
    if name.ends_with(SET_SUFFIX) {
        Some(BackupKind::Set)
    } else if name.ends_with(DATABASE_SUFFIX) {
        Some(BackupKind::Database)
    } else {
        None
    }
}

fn name_to_stamp(name: &str) -> Option<String> {
    let core = name.strip_prefix(PREFIX)?;
    let core = core.strip_suffix(SET_SUFFIX).or_else(|| core.strip_suffix(DATABASE_SUFFIX))?;
    // Backups taken within the same millisecond get a `-N` suffix; the stamp is the part before it.
    let core = core.split_once('-').map_or(core, |(stamp, n)| if n.chars().all(|c| c.is_ascii_digit()) { stamp } else { "" });
    if core.len() != 19 {
        return None;
    }
    Some(format!("{}-{}-{}T{}:{}:{}.{}Z", &core[0..4], &core[4..6], &core[6..8], &core[9..11], &core[11..13], &core[13..15], &core[15..18]))
}

/// Writes a new backup set of `conn` and the files under `paths` into the backup folder, then keeps only the newest
/// `retention` backups there. Cancelling (through `progress`) leaves no file behind.
pub fn create(conn: &Connection, paths: &AppPaths, retention: u32, created_at: &str, progress: &Progress) -> Result<BackupInfo> {
    let dir = &paths.backup_dir;
    std::fs::create_dir_all(dir)?;
    // Never overwrite an existing backup (two backups in one millisecond, or a restore's safety copy).
    let mut name = stamp_to_name(created_at);
    let mut n = 1;
    while dir.join(&name).exists() {
        name = stamp_to_name(created_at).replace(SET_SUFFIX, &format!("-{n}{SET_SUFFIX}"));
        n += 1;
    }
    let final_path = dir.join(&name);
    let temp_path = dir.join(format!(".{name}.partial"));
    let _ = std::fs::remove_file(&temp_path);
    // The set is complete and durable (fsync) before it gets its final name.
    if let Err(e) = crate::backup_set::write(conn, paths, &temp_path, created_at, progress) {
        let _ = std::fs::remove_file(&temp_path);
        return Err(e);
    }
    std::fs::rename(&temp_path, &final_path)?;
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    prune(dir, retention)?;
    let size_bytes = std::fs::metadata(&final_path)?.len();
    Ok(BackupInfo {
        path: final_path.display().to_string(),
        file_name: name,
        size_bytes,
        created_at: created_at.to_owned(),
        kind: BackupKind::Set,
    })
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
    for entry in crate::paths::entries(dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let (Some(created_at), Some(kind)) = (name_to_stamp(&name), kind_of_name(&name)) {
            out.push(BackupInfo {
                path: entry.path().display().to_string(),
                file_name: name,
                size_bytes: entry.metadata()?.len(),
                created_at,
                kind,
            });
        }
    }
    // Newest first by the time in the name (a set and a bare backup of one moment sort by suffix number).
    out.sort_by(|a, b| (&b.created_at, &b.file_name).cmp(&(&a.created_at, &a.file_name)));
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

/// Checks a backup: for a set, every entry against its manifest and every evidence file against its hash; then the
/// database's SQLite integrity, schema version and audit-trail chain. A set's database is unpacked for the check
/// into the system's temporary folder; [`verify_in`] names another.
pub fn verify(path: &Path) -> Result<BackupVerification> {
    verify_in(path, &std::env::temp_dir())
}

/// [`verify`], unpacking a set's database into `scratch_dir`.
pub fn verify_in(path: &Path, scratch_dir: &Path) -> Result<BackupVerification> {
    Ok(check(path, scratch_dir)?.0)
}

/// The verification, and for a set the unpacked database a restore reads from.
fn check(path: &Path, scratch_dir: &Path) -> Result<(BackupVerification, Option<Scratch>)> {
    if !path.is_file() {
        return Err(CoreError::NotFound(format!("No backup file at {}.", path.display())));
    }
    let (_, sha256) = crate::outfile::fingerprint(path)?;
    let created_at = path.file_name().and_then(|n| name_to_stamp(&n.to_string_lossy()));
    if !crate::backup_set::is_set(path) {
        let mut v = verify_database(path)?;
        v.warnings.push(
            "This is a backup of the database alone (from an older version): evidence files and the signing key stay as they are on this laptop."
                .into(),
        );
        return Ok((BackupVerification { path: path.display().to_string(), sha256, created_at, ..v }, None));
    }
    let set = crate::backup_set::check(path, scratch_dir)?;
    let mut v = match &set.database {
        Some(db) => verify_database(db.path())?,
        None => unreadable_database(),
    };
    v.problems.extend(set.problems.iter().cloned());
    if let Some(manifest) = &set.manifest {
        if set.database.is_some() && (v.trail_head != manifest.trail_head.seq || v.trail_head_hash != manifest.trail_head.hash) {
            v.problems.push(format!(
                "The manifest records the audit trail up to event {}, but the set's database ends at event {}.",
                manifest.trail_head.seq, v.trail_head
            ));
        }
        if let Some(db) = &set.database {
            let held: std::collections::HashSet<&str> = manifest.entries.iter().filter_map(|e| e.path.strip_prefix("evidence/")).collect();
            let conn = crate::db::open_read_only(db.path())?;
            let named: Vec<String> = conn
                .prepare("SELECT DISTINCT sha256 FROM evidence_files")
                .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                .unwrap_or_default();
            let absent = named.iter().filter(|h| !held.contains(h.as_str()) && !manifest.evidence_missing.contains(h)).count();
            if absent > 0 {
                v.problems.push(format!("{absent} evidence files the records name are not in the set."));
            }
        }
        if !manifest.evidence_missing.is_empty() {
            v.warnings.push(format!(
                "{} evidence files were already missing from the laptop when this set was taken; restoring it does not bring them back.",
                manifest.evidence_missing.len()
            ));
        }
    }
    let v = BackupVerification {
        path: path.display().to_string(),
        ok: v.problems.is_empty(),
        sha256,
        created_at: set.manifest.as_ref().map(|m| m.created_at.clone()).or(created_at),
        kind: BackupKind::Set,
        evidence_files: set.evidence_files,
        evidence_bytes: set.evidence_bytes,
        key_files: set.key_files,
        ..v
    };
    Ok((v, set.database))
}

fn unreadable_database() -> BackupVerification {
    BackupVerification {
        path: String::new(),
        ok: false,
        integrity_check: "not checked".into(),
        schema_version: 0,
        audit_trail: ChainReport::unreadable(),
        sha256: String::new(),
        problems: Vec::new(),
        created_at: None,
        records: Vec::new(),
        trail_head: 0,
        trail_head_hash: String::new(),
        kind: BackupKind::Set,
        evidence_files: 0,
        evidence_bytes: 0,
        key_files: 0,
        warnings: Vec::new(),
    }
}

/// Opens a database file read-only and checks it: SQLite integrity, schema version, audit-trail chain.
fn verify_database(db: &Path) -> Result<BackupVerification> {
    let conn = crate::db::open_read_only(db)?;
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
    let (trail_head, trail_head_hash) = crate::trail_anchor::head(&conn).unwrap_or((0, String::new()));
    Ok(BackupVerification {
        ok: problems.is_empty(),
        integrity_check,
        schema_version,
        audit_trail,
        problems,
        records: record_counts(&conn),
        trail_head,
        trail_head_hash,
        kind: BackupKind::Database,
        ..unreadable_database()
    })
}

/// What a restore put back besides the database.
pub use crate::backup_set::UnpackedFiles;

/// Replaces the live database with a verified backup and, from a set, puts its evidence files and key in place. A
/// safety backup of the current state is taken first, so a restore can itself be undone.
/// `authorise` sees the verified database that is about to become the live one, before anything changes (a restore
/// onto a new installation checks the restorer's passphrase against it).
pub fn restore(
    conn: &mut Connection,
    path: &Path,
    paths: &AppPaths,
    retention: u32,
    now: &str,
    progress: &Progress,
    authorise: impl FnOnce(&Path) -> Result<()>,
) -> Result<(BackupVerification, BackupInfo, UnpackedFiles)> {
    progress.phase("Checking the backup", 1)?;
    // Unpacked beside the backups, not in /tmp: a database may be larger than a memory-backed temporary folder.
    let (check, unpacked) = check(path, &paths.backup_dir)?;
    let newest_known = crate::db::embedded_migrations().iter().map(|m| i64::from(m.version())).max().unwrap_or(0);
    if check.schema_version > newest_known {
        return Err(CoreError::IncompatibleDatabase(format!(
            "The backup was written by a newer version of QGP Desktop (schema {}); nothing was restored.",
            check.schema_version
        )));
    }
    if !check.ok {
        return Err(CoreError::Conflict(format!("The backup did not verify, so nothing was restored: {}", check.problems.join("; "))));
    }
    let source = unpacked.as_ref().map_or(path, |s| s.path());
    authorise(source)?;
    let safety = create(conn, paths, retention.max(1) + 1, now, progress)?;
    let mut files = UnpackedFiles::default();
    // Evidence first: it only adds content-addressed files, so an interruption here leaves the live data as it was.
    if check.kind == BackupKind::Set {
        files.evidence_written = crate::backup_set::unpack_evidence(path, paths, progress)?;
    }
    progress.phase("Restoring the database", 1)?;
    conn.restore(rusqlite::MAIN_DB, source, None::<fn(rusqlite::backup::Progress)>)?;
    if check.kind == BackupKind::Set {
        let stamp: String = now.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        files.keys_written = crate::backup_set::unpack_keys(path, paths, &stamp)?;
    }
    Ok((check, safety, files))
}

pub use crate::backup_restore::{last_restored_at, restore_use_case, RestoreOutcome};

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
        assert_eq!(name, "qgp-backup-20260304T050607123Z.qgpbackup");
        assert_eq!(name_to_stamp(&name).as_deref(), Some("2026-03-04T05:06:07.123Z"));
        assert_eq!(kind_of_name(&name), Some(BackupKind::Set));
        let older = "qgp-backup-20260304T050607123Z.sqlite3";
        assert_eq!(name_to_stamp(older).as_deref(), Some("2026-03-04T05:06:07.123Z"), "bare database backups are still ours");
        assert_eq!(kind_of_name(older), Some(BackupKind::Database));
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
