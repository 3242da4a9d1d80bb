//! A damaged database is diagnosed, not a dead end: `qgp doctor` reports the damage as a failed check naming the
//! table it hit and the backup to restore, whether or not the app could still open the file.

mod common;
use common::qgp;
use std::path::Path;

/// A data directory with records, a verified backup, and the database checkpointed into its main file.
fn installation() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let setup = qgp(d, &["call", "users.setup", r#"{"displayName":"Ada","email":"ada@example.com","passphrase":"correct horse battery"}"#]);
    assert!(setup.status.success(), "{}", String::from_utf8_lossy(&setup.stderr));
    for i in 0..40 {
        let input = format!(r#"{{"title":"Slip {i}","description":"Wet floor by the loading bay door","incidentDate":"2026-01-05"}}"#);
        assert!(qgp(d, &["call", "incidents.create", &input]).status.success());
    }
    let backup = qgp(d, &["backup", "create"]);
    let path = serde_json::from_slice::<serde_json::Value>(&backup.stdout).unwrap()["path"].as_str().unwrap().to_owned();
    let conn = rusqlite::Connection::open(d.join("qgp.sqlite3")).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    (dir, path)
}

/// Overwrites the first page of `table`'s tree with garbage, as a failing disk sector would.
fn damage(dir: &Path, table: &str) {
    let db = dir.join("qgp.sqlite3");
    let (root, page_size): (i64, i64) = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let root = conn.query_row("SELECT rootpage FROM sqlite_schema WHERE name = ?1", [table], |r| r.get(0)).unwrap();
        (root, conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap())
    };
    let mut bytes = std::fs::read(&db).unwrap();
    let start = ((root - 1) * page_size) as usize;
    for (i, b) in bytes[start..start + page_size as usize].iter_mut().enumerate() {
        *b = (i * 7 + 13) as u8;
    }
    std::fs::write(&db, bytes).unwrap();
}

#[test]
fn damage_to_a_register_is_a_failed_check_naming_it_and_the_backup_to_restore() {
    let (dir, backup) = installation();
    damage(dir.path(), "audit_events");
    let out = qgp(dir.path(), &["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("[FAIL] Database integrity: Damaged: audit_events"), "{text}");
    let backup_name = Path::new(&backup).file_name().unwrap().to_string_lossy().into_owned();
    assert!(text.contains(&format!("qgp backup restore {backup}")) && text.contains(&backup_name), "the way out is named: {text}");
    assert!(text.contains("Evidence files"), "the other checks still ran: {text}");
}

#[test]
fn a_database_the_app_cannot_open_is_still_diagnosed() {
    let (dir, _) = installation();
    damage(dir.path(), "refinery_schema_history");
    let out = qgp(dir.path(), &["doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let check = |id: &str| report["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).cloned().unwrap_or_default();
    assert_eq!(check("db.open")["status"], "fail", "{report:#}");
    assert!(check("db.integrity")["detail"].as_str().unwrap().contains("refinery_schema_history"), "{report:#}");
    assert_eq!(report["overall"], "fail");
}
