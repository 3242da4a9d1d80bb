//! Backup sets: one file with the database, every evidence file and the signing key, each checked against the
//! manifest; and the lost-laptop case — the data directory gone, the set restored onto a new installation, with
//! records, files, signatures and the audit-trail chain identical.

mod common;
use base64::Engine;
use common::{h, PASS};
use qgp_core::app::AppCore;
use qgp_core::config::Config;
use qgp_core::error::ErrorKind;
use qgp_core::paths::AppPaths;
use rusqlite::types::Value as Cell;
use serde_json::{json, Value};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MARKER: &[u8] = b"Witness statement QGP-MARKER-7f3a: driver's name and injuries";

/// Every row of every table, sorted, by table name.
fn dump(conn: &rusqlite::Connection) -> BTreeMap<String, Vec<Vec<Cell>>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let n = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap().column_count();
            // Ordered by every column: some tables (full-text index internals) have no rowid.
            let order: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY {}", order.join(", "))).unwrap();
            let rows = stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Cell>(i)).collect()).unwrap().collect::<Result<_, _>>().unwrap();
            (t, rows)
        })
        .collect()
}

fn stored_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for sub in std::fs::read_dir(dir).unwrap().flatten() {
        for f in std::fs::read_dir(sub.path()).unwrap().flatten() {
            out.insert(f.file_name().to_string_lossy().into_owned(), std::fs::read(f.path()).unwrap());
        }
    }
    out
}

/// An installation with records, an attached file carrying the marker, a verified (signed) action and its key.
fn recorded() -> common::H {
    let mut h = h();
    let inc = h.incident();
    let iid = inc["record"]["id"].as_str().unwrap().to_owned();
    h.admin_ok(
        "evidence.attach",
        json!({"entityType": "incident", "entityId": iid, "originalName": "statement.txt",
               "contentBase64": base64::engine::general_purpose::STANDARD.encode(MARKER)}),
    );
    let action = h.action("incident", &iid, &h.admin.id.clone());
    h.finish_action(&action);
    h.admin_ok("keys.installation", json!({}));
    h
}

#[test]
fn a_set_holds_the_database_every_evidence_file_and_the_key_and_a_changed_byte_is_found() {
    let mut h = recorded();
    let taken = h.admin_ok("backup.create", json!({}));
    assert_eq!(taken["kind"], "set");
    assert!(taken["fileName"].as_str().unwrap().ends_with(".qgpbackup"), "{taken}");
    let path = PathBuf::from(taken["path"].as_str().unwrap());
    let check = h.admin_ok("backup.verify", json!({"path": path}));
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["kind"], "set");
    assert_eq!(check["evidenceFiles"], 1);
    assert_eq!(check["evidenceBytes"], MARKER.len());
    assert_eq!(check["keyFiles"], 1);
    assert_eq!(check["trailHead"], h.count("SELECT MAX(seq) FROM audit_events"));
    assert_eq!(h.admin_ok("backup.list", json!({}))[0]["kind"], "set");

    // Evidence is stored as it is in the set, so the marker's bytes can be found and one of them changed.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(MARKER.len()).position(|w| w == MARKER).expect("the file is in the set");
    bytes[at] ^= 0x20;
    let damaged = h.core.paths.data_dir.join("damaged.qgpbackup");
    std::fs::write(&damaged, &bytes).unwrap();
    let check = h.admin_ok("backup.verify", json!({"path": damaged}));
    assert_eq!(check["ok"], false);
    assert!(check["problems"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().contains("evidence/")), "{check}");
    let incidents = h.count("SELECT COUNT(*) FROM incidents");
    h.incident();
    assert!(h.call(&h.admin.clone(), "backup.restore", json!({"path": damaged})).is_err(), "a damaged set is not restored");
    assert_eq!(h.count("SELECT COUNT(*) FROM incidents"), incidents + 1, "nothing changed");

    // Something that is not a set at all is a problem named, not a crash.
    let foreign = h.core.paths.data_dir.join("holiday.qgpbackup");
    std::fs::write(&foreign, b"PK\x03\x04 not really an archive").unwrap();
    let check = h.admin_ok("backup.verify", json!({"path": foreign}));
    assert_eq!(check["ok"], false);
    assert!(check["problems"][0].as_str().unwrap().contains("not a readable backup set"), "{check}");
}

#[test]
fn restoring_a_set_over_a_laptop_puts_back_deleted_evidence_and_keeps_a_replaced_key() {
    let mut h = recorded();
    let taken = h.admin_ok("backup.create", json!({}));
    let evidence = h.core.paths.evidence_dir.clone();
    let files = stored_files(&evidence);
    std::fs::remove_dir_all(&evidence).unwrap();
    let key = qgp_core::pack::key::key_path(&h.core.paths.data_dir);
    let original_key = std::fs::read(&key).unwrap();
    std::fs::write(&key, b"someone else's key").unwrap();

    let outcome = h.admin_ok("backup.restore", json!({"path": taken["path"]}));
    assert_eq!(outcome["files"]["evidenceWritten"], 1);
    assert_eq!(outcome["files"]["keysWritten"], 1);
    assert_eq!(stored_files(&evidence), files, "the evidence is back, byte for byte");
    assert_eq!(std::fs::read(&key).unwrap(), original_key);
    let kept: Vec<String> = std::fs::read_dir(key.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("replaced-"))
        .collect();
    assert_eq!(kept.len(), 1, "the key it replaced is kept beside it");
    assert_eq!(std::fs::read(key.parent().unwrap().join(&kept[0])).unwrap(), b"someone else's key");
    assert_eq!(h.admin_ok("evidence.integrity_check", json!({}))["missing"], json!([]));
}

#[test]
fn a_lost_laptop_is_a_new_installation_restoring_its_set_with_everything_identical() {
    let mut h = recorded();
    let taken = h.admin_ok("backup.create", json!({}));
    let before = dump(&h.core.conn);
    assert!(!before["signatures"].is_empty() && !before["evidence_files"].is_empty(), "the comparison covers signatures and files");
    let head: i64 = h.count("SELECT MAX(seq) FROM audit_events");
    let files = stored_files(&h.core.paths.evidence_dir);
    let key = std::fs::read(qgp_core::pack::key::key_path(&h.core.paths.data_dir)).unwrap();
    // The set leaves on a USB stick; the laptop and its data directory are gone.
    let stick = tempfile::tempdir().unwrap();
    let set = stick.path().join(taken["fileName"].as_str().unwrap());
    std::fs::copy(taken["path"].as_str().unwrap(), &set).unwrap();
    let old_dir = h.core.paths.data_dir.clone();
    drop(h);
    assert!(!old_dir.exists());

    let new_dir = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(new_dir.path());
    let clock = std::sync::Arc::new(qgp_core::clock::FixedClock::at("2026-12-01T09:00:00Z"));
    let mut core = AppCore::open_with(paths.clone(), Config::default(), Box::new(clock)).unwrap();
    let restore = |core: &mut AppCore, email: &str, passphrase: &str| {
        core.invoke(None, "setup.restore_backup", json!({"path": set, "email": email, "passphrase": passphrase}))
    };

    // Only an administrator in the backup, with their passphrase, restores it; a refusal changes nothing.
    for (email, passphrase) in [("ada@example.com", "not the passphrase"), ("max@example.com", PASS), ("nobody@example.com", PASS)] {
        let refused = restore(&mut core, email, passphrase).unwrap_err();
        assert_eq!(refused.kind, ErrorKind::AuthFailed, "{email}: {refused:?}");
        assert!(qgp_core::users::needs_setup(&core.conn).unwrap(), "nothing was restored for {email}");
    }
    let missing = restore(&mut core, "ada@example.com", "").unwrap_err();
    assert_eq!(common::bad_fields(&missing), ["passphrase"]);

    let outcome = restore(&mut core, "ada@example.com", PASS).unwrap();
    assert_eq!(outcome["restoredFrom"]["kind"], "set");
    let after = dump(&core.conn);
    for (table, rows) in &before {
        if table == "audit_events" {
            continue;
        }
        assert_eq!(after.get(table), Some(rows), "table {table} is identical");
    }
    let events = &after["audit_events"];
    assert_eq!(&events[..before["audit_events"].len()], &before["audit_events"][..], "every event up to the head is identical");
    assert_eq!(events.len(), before["audit_events"].len() + 1, "and the restore is recorded");
    let (action, actor): (String, String) = core
        .conn
        .query_row("SELECT action, actor_name FROM audit_events ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((action.as_str(), actor.as_str()), ("restore", "Ada Admin"), "by the administrator who restored it");
    assert_eq!(outcome["headAfter"], head + 1);
    assert_eq!(stored_files(&paths.evidence_dir), files, "every evidence file, byte for byte");
    assert_eq!(std::fs::read(qgp_core::pack::key::key_path(&paths.data_dir)).unwrap(), key, "the same signing key");

    // The chain verifies and people sign in as before.
    let admin = qgp_core::users::sign_in(&mut core.conn, core.clock.as_ref(), "t", "ada@example.com", PASS).unwrap();
    let verified: Value = core.invoke(Some(admin.clone()), "audit_trail.verify", json!({})).unwrap();
    assert_eq!(verified["ok"], true, "{verified}");
    // A second restore needs an administrator who signs in: the installation is no longer new.
    let again = restore(&mut core, "ada@example.com", PASS).unwrap_err();
    assert_eq!(again.kind, ErrorKind::Conflict);
}
