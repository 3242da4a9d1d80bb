//! Cutting events off the end of the audit trail is noticed: the head recorded beside the backups at every backup
//! and export names the missing range; an altered head file fails the check; a restore moves the head back openly.

mod common;
use common::h;
use serde_json::{json, Value};

fn head_file(h: &common::H) -> Value {
    serde_json::from_str(&std::fs::read_to_string(h.core.paths.backup_dir.join("trail-head.json")).unwrap()).unwrap()
}

#[test]
fn events_cut_off_the_end_are_named_against_the_recorded_head() {
    let mut h = h();
    h.admin_ok("keys.installation", json!({}));
    h.incident();
    let first_backup = h.admin_ok("backup.create", json!({}));
    let at_backup = head_file(&h);
    assert_eq!(at_backup["seq"], h.count("SELECT MAX(seq) FROM audit_events"));
    assert!(at_backup["signature"].as_str().is_some_and(|s| s.len() == 128), "signed by the installation key: {at_backup}");
    h.incident();
    h.admin_ok("exports.register", json!({"register": "incidents", "format": "csv"}));
    let newest: i64 = h.count("SELECT MAX(seq) FROM audit_events");
    assert_eq!(head_file(&h)["seq"], newest, "an export moves the head forward");
    assert_eq!(h.admin_ok("audit_trail.verify", json!({}))["anchorSeq"], newest);

    // Someone with the database file removes the newest events (the append-only triggers dropped first).
    let keep = newest - 3;
    h.core.conn.execute_batch(&format!("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq > {keep};")).unwrap();
    // Health reads only (no event), so it sees exactly the cut.
    let health = h.core.invoke(None, "health.report", json!({})).unwrap();
    let chain = health["checks"].as_array().unwrap().iter().find(|c| c["id"] == "audit.chain").unwrap().clone();
    assert_eq!(chain["status"], "fail");
    assert!(chain["detail"].as_str().unwrap().contains(&format!("{}–{newest}", keep + 1)), "{chain}");
    let report = h.admin_ok("audit_trail.verify", json!({}));
    assert_eq!((report["ok"].as_bool(), report["problem"].as_str()), (Some(false), Some("truncated")), "{report:#}");
    assert_eq!(report["missing"], format!("{}–{newest}", keep + 1));
    assert_eq!(report["firstBadSeq"], keep + 1);

    // The verify event just written does not move the head back, nor does a later backup hide the cut.
    h.admin_ok("backup.create", json!({}));
    assert_eq!(head_file(&h)["seq"], newest, "the head never moves back on its own");

    // A restore moves it back openly, and the trail verifies again.
    h.admin_ok("backup.restore", json!({"path": first_backup["path"]}));
    let after = h.admin_ok("audit_trail.verify", json!({}));
    assert_eq!(after["ok"], true, "{after:#}");
}

#[test]
fn with_the_head_file_deleted_too_the_newest_backup_set_still_names_the_cut() {
    let mut h = h();
    h.admin_ok("keys.installation", json!({}));
    h.incident();
    h.incident();
    h.admin_ok("backup.create", json!({}));
    let newest: i64 = h.count("SELECT MAX(seq) FROM audit_events");
    let keep = newest - 2;
    h.core.conn.execute_batch(&format!("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq > {keep};")).unwrap();
    std::fs::remove_file(h.core.paths.backup_dir.join("trail-head.json")).unwrap();
    let health = h.core.invoke(None, "health.report", json!({})).unwrap();
    let chain = health["checks"].as_array().unwrap().iter().find(|c| c["id"] == "audit.chain").unwrap().clone();
    assert_eq!(chain["status"], "fail", "{chain}");
    assert!(chain["detail"].as_str().unwrap().contains(&format!("{}–{newest}", keep + 1)), "{chain}");
}

#[test]
fn an_altered_head_file_fails_the_check() {
    let mut h = h();
    h.admin_ok("keys.installation", json!({}));
    h.incident();
    h.admin_ok("backup.create", json!({}));
    let path = h.core.paths.backup_dir.join("trail-head.json");
    let mut file = head_file(&h);
    file["seq"] = json!(file["seq"].as_i64().unwrap() - 1);
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap()).unwrap();
    let report = h.admin_ok("audit_trail.verify", json!({}));
    assert_eq!((report["ok"].as_bool(), report["problem"].as_str()), (Some(false), Some("anchor_mismatch")), "{report:#}");
}
