//! The audit trail's newest event, recorded outside the database so that cutting events off the end of the trail
//! is noticed: a hash chain proves every event up to the last one, but not that nothing came after it.
//!
//! The head (seq and hash) is written to `trail-head.json` beside the backups — another folder, often another disk
//! — whenever a backup is taken or a file leaves the app, signed with the installation's Ed25519 key when it has
//! one. It only ever moves forward, except after a restore, which records the range it rolled back in the trail
//! itself. Verification (`audit_trail.verify`, Health, `qgp doctor`) compares the trail with it and names the
//! missing range.

use crate::audit_trail::{canonical_json, ChainProblem, ChainReport, GENESIS_HASH};
use crate::error::Result;
use crate::paths::AppPaths;
use ed25519_dalek::{Signature, Signer};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;

const FORMAT: &str = "qgp-trail-head";
const FILE: &str = "trail-head.json";

/// The newest event: (seq, hash); (0, genesis) for an empty trail.
pub fn head(conn: &Connection) -> Result<(i64, String)> {
    Ok(conn
        .query_row("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS_HASH.to_owned())))
}

/// `trail-head.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HeadFile {
    format: String,
    installation_id: String,
    seq: i64,
    hash: String,
    written_at: String,
    /// Ed25519 signature (hex) of the canonical JSON of the fields above, by the installation key.
    signature: Option<String>,
}

impl HeadFile {
    fn signed_bytes(&self) -> Vec<u8> {
        canonical_json(&json!({
            "format": self.format, "installationId": self.installation_id, "seq": self.seq, "hash": self.hash, "writtenAt": self.written_at,
        }))
        .into_bytes()
    }
}

fn path(paths: &AppPaths) -> std::path::PathBuf {
    paths.backup_dir.join(FILE)
}

fn read(paths: &AppPaths) -> Option<HeadFile> {
    let text = std::fs::read_to_string(path(paths)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Records the trail's current head beside the backups. It never moves back unless `after_restore` (a restore
/// records what it rolled back in the trail itself). Written atomically; a failure is logged, not fatal: the
/// anchor is a second line of evidence, and the write that triggered it has already succeeded.
pub fn record(conn: &Connection, paths: &AppPaths, now: &str, after_restore: bool) {
    if let Err(e) = try_record(conn, paths, now, after_restore) {
        tracing::warn!(error = %e, "the audit-trail head could not be recorded beside the backups");
    }
}

fn try_record(conn: &Connection, paths: &AppPaths, now: &str, after_restore: bool) -> Result<()> {
    let (seq, hash) = head(conn)?;
    let installation_id = crate::audit_trail::installation_id(conn)?;
    if let Some(old) = read(paths).filter(|o| o.installation_id == installation_id) {
        if old.seq >= seq && !after_restore {
            return Ok(());
        }
    }
    let mut file = HeadFile { format: FORMAT.into(), installation_id, seq, hash, written_at: now.into(), signature: None };
    if let Some(key) = crate::pack::key::load(&paths.data_dir)? {
        file.signature = Some(hex::encode(key.sign(&file.signed_bytes()).to_bytes()));
    }
    std::fs::create_dir_all(&paths.backup_dir)?;
    let mut text = serde_json::to_string_pretty(&file)?;
    text.push('\n');
    let tmp = paths.backup_dir.join(format!(".{FILE}.partial"));
    std::fs::write(&tmp, text)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, path(paths))?;
    Ok(())
}

/// The head the newest backup set in the backup folder recorded in its manifest, if it belongs to this installation
/// and was taken after the last restore (sets from before a restore hold the timeline the restore rolled back; the
/// restore's safety set is taken at the restore's own instant, so it is not after it).
fn newest_set_head(conn: &Connection, paths: &AppPaths, installation_id: &str) -> Result<Option<(i64, String)>> {
    let restored_at = crate::backup::last_restored_at(conn)?;
    for backup in crate::backup::list(&paths.backup_dir)? {
        if backup.kind != crate::backup::BackupKind::Set {
            continue;
        }
        let taken: Option<jiff::Timestamp> = backup.created_at.parse().ok();
        if restored_at.is_some_and(|r| taken.is_none_or(|t| t <= r)) {
            return Ok(None);
        }
        if let Some(m) = crate::backup_set::manifest_of(std::path::Path::new(&backup.path)) {
            if m.installation_id == installation_id {
                return Ok(Some((m.trail_head.seq, m.trail_head.hash)));
            }
        }
    }
    Ok(None)
}

/// Compares a verified chain with the newest recorded head it can find — the signed head file beside the backups,
/// or the newest backup set's manifest if that is further on (the head file deleted along with the events): events
/// missing from the end, a different event at the head, or an altered head file make the report fail and say so.
/// A chain already failing keeps its own problem.
pub fn compare(conn: &Connection, paths: &AppPaths, report: &mut ChainReport) -> Result<()> {
    let installation_id = crate::audit_trail::installation_id(conn)?;
    let file = read(paths).filter(|a| a.format == FORMAT && a.installation_id == installation_id);
    let from_set = newest_set_head(conn, paths, &installation_id)?;
    let (seq, hash) = match (&file, from_set) {
        (None, None) => return Ok(()),
        (Some(f), Some((s, h))) if s > f.seq => (s, h),
        (Some(f), _) => (f.seq, f.hash.clone()),
        (None, Some(set)) => set,
    };
    report.anchor_seq = Some(seq);
    if !report.ok {
        return Ok(());
    }
    let fail = |report: &mut ChainReport, problem, seq| {
        report.ok = false;
        report.problem = Some(problem);
        report.first_bad_seq = Some(seq);
    };
    if let Some(anchor) = &file {
        let key = crate::pack::key::load(&paths.data_dir)?;
        let signature_ok = match (&anchor.signature, &key) {
            (Some(sig), Some(key)) => hex::decode(sig)
                .ok()
                .and_then(|b| Signature::from_slice(&b).ok())
                .is_some_and(|s| key.verifying_key().verify_strict(&anchor.signed_bytes(), &s).is_ok()),
            // Written before this installation had a key: nothing to check it against.
            (None, None) => true,
            _ => false,
        };
        if !signature_ok {
            fail(report, ChainProblem::AnchorMismatch, anchor.seq);
            return Ok(());
        }
    }
    let (newest, _) = head(conn)?;
    if seq > newest {
        fail(report, ChainProblem::Truncated, newest + 1);
        report.missing = Some(format!("{}–{}", newest + 1, seq));
    } else if seq > 0 {
        let stored: Option<String> = conn.query_row("SELECT hash FROM audit_events WHERE seq = ?1", [seq], |r| r.get(0)).optional()?;
        if stored.as_deref() != Some(hash.as_str()) {
            fail(report, ChainProblem::AnchorMismatch, seq);
        }
    }
    Ok(())
}
