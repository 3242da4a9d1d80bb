//! Restoring a backup is itself on the record: the restored trail gains a restore event naming the events it rolled
//! back and the safety backup that still holds them, an older backup is migrated, and everyone signs in again.

mod common;
use common::h;
use qgp_core::clock::Clock;
use qgp_core::error::CoreError;
use qgp_core::session::Session;
use serde_json::{json, Value};

fn events_after(conn: &rusqlite::Connection, seq: i64) -> i64 {
    conn.query_row("SELECT COUNT(*) FROM audit_events WHERE seq > ?1", [seq], |r| r.get(0)).unwrap()
}

#[test]
fn a_restore_records_what_it_rolled_back_and_signs_everyone_out() {
    let mut h = h();
    h.incident();
    let backup = h.admin_ok("backup.create", json!({}));
    let head_at_backup: i64 = h.count("SELECT MAX(seq) FROM audit_events");
    h.incident();
    h.incident();
    let head_before: i64 = h.count("SELECT MAX(seq) FROM audit_events");
    assert!(head_before > head_at_backup);
    let mut manager_session = Session::start(&h.manager, h.clock.now());

    // Before anything changes, the backup says what it holds.
    let check = h.admin_ok("backup.verify", json!({"path": backup["path"]}));
    assert_eq!(check["trailHead"], head_at_backup);
    assert_eq!(check["createdAt"], backup["createdAt"]);
    let incidents = check["records"].as_array().unwrap().iter().find(|r| r["kind"] == "incidents").unwrap()["count"].clone();
    assert_eq!(incidents, 1);

    h.clock.set("2026-11-26T12:05:00Z");
    let outcome = h.admin_ok("backup.restore", json!({"path": backup["path"]}));
    assert_eq!(outcome["headBefore"], head_before);
    assert_eq!(outcome["headAfter"], head_at_backup + 1, "the restored trail plus the restore event");
    assert_eq!(h.count("SELECT COUNT(*) FROM incidents"), 1);

    let (changes, action): (String, String) = h
        .core
        .conn
        .query_row("SELECT changes, action FROM audit_events ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(action, "restore");
    let changes: Value = serde_json::from_str(&changes).unwrap();
    let change =
        |f: &str| changes.as_array().unwrap().iter().find(|c| c["field"] == f).unwrap_or_else(|| panic!("{f}: {changes}"))["new"].clone();
    assert_eq!(change("events_rolled_back"), format!("{}–{head_before}", head_at_backup + 1));
    let safety = outcome["safetyBackup"]["path"].as_str().unwrap();
    assert!(safety.ends_with(change("safety_backup").as_str().unwrap()));
    let unpacked = qgp_core::backup_set::check(std::path::Path::new(safety), &h.core.paths.data_dir).unwrap();
    let kept = rusqlite::Connection::open(unpacked.database.as_ref().unwrap().path()).unwrap();
    assert_eq!(events_after(&kept, head_at_backup), head_before - head_at_backup, "the rolled-back events are in the safety backup");
    assert_eq!(h.admin_ok("audit_trail.verify", json!({}))["ok"], true, "the chain verifies across the restore");

    // A session begun before the restore has ended, whoever it belongs to; one begun after it works.
    h.clock.set("2026-11-26T12:06:00Z");
    let ended = manager_session.resume(&h.core.conn, h.clock.now()).unwrap_err();
    assert!(matches!(ended, CoreError::AuthRequired(ref m) if m.contains("restored")), "{ended:?}");
    let mut fresh = Session::start(&h.manager, h.clock.now());
    assert!(fresh.resume(&h.core.conn, h.clock.now()).is_ok());
}

#[test]
fn a_backup_from_an_older_version_is_migrated_when_restored() {
    let mut h = h();
    let old = h.core.paths.data_dir.join("old.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        qgp_core::db::migrate_new_to(&mut conn, &qgp_core::db::embedded_migrations(), 14).unwrap();
        qgp_core::app::ensure_installation(&conn, h.clock.as_ref()).unwrap();
    }
    let outcome = h.admin_ok("backup.restore", json!({"path": old}));
    assert_eq!(outcome["restoredFrom"]["schemaVersion"], 14);
    let migrated: Vec<String> = serde_json::from_value(outcome["migrated"].clone()).unwrap();
    assert!(migrated.iter().any(|m| m.contains("passphrase_reset_flag")), "{migrated:?}");
    let newest = qgp_core::db::embedded_migrations().iter().map(|m| m.version()).max().unwrap();
    let state = qgp_core::db::schema_state(&h.core.conn, &qgp_core::db::embedded_migrations()).unwrap();
    assert_eq!(state.current_version() as i32, newest);
}

#[test]
fn a_backup_from_a_newer_version_is_refused_before_anything_changes() {
    let mut h = h();
    h.incident();
    // A set written by a newer version: its database carries a migration this version does not know.
    let future = h.core.paths.data_dir.join("future.sqlite3");
    h.core.conn.backup(rusqlite::MAIN_DB, &future, None::<fn(rusqlite::backup::Progress)>).unwrap();
    let future = rusqlite::Connection::open(&future).unwrap();
    future
        .execute("INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (999, 'future', '2030-01-01', '0')", [])
        .unwrap();
    let set = h.core.paths.backup_dir.join("qgp-backup-20300101T000000000Z.qgpbackup");
    qgp_core::backup_set::write(&future, &h.core.paths, &set, "2030-01-01T00:00:00.000Z", &Default::default()).unwrap();
    // And a bare database backup from one (the format older versions wrote).
    let bare = h.core.paths.backup_dir.join("qgp-backup-20300101T000000000Z.sqlite3");
    future.backup(rusqlite::MAIN_DB, &bare, None::<fn(rusqlite::backup::Progress)>).unwrap();
    for path in [set, bare] {
        let check = h.admin_ok("backup.verify", json!({"path": path}));
        assert_eq!(check["ok"], false);
        assert!(check["problems"][0].as_str().unwrap().contains("newer version"), "{check}");
        let incidents = h.count("SELECT COUNT(*) FROM incidents");
        h.incident();
        let refused = h.call(&h.admin.clone(), "backup.restore", json!({"path": path})).unwrap_err();
        assert_eq!(refused.kind, qgp_core::error::ErrorKind::IncompatibleDatabase, "{refused:?}");
        assert_eq!(h.count("SELECT COUNT(*) FROM incidents"), incidents + 1, "nothing was restored");
    }
}

#[test]
fn every_backup_is_also_copied_to_the_second_location_and_health_says_when_it_is_not() {
    use qgp_core::app::AppCore;
    use qgp_core::config::Config;
    use qgp_core::paths::AppPaths;
    let dir = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let config = Config { backup_copy_to: Some(stick.path().to_path_buf()), ..Config::default() };
    let clock = std::sync::Arc::new(qgp_core::clock::FixedClock::at("2026-11-26T12:00:00Z"));
    let mut core = AppCore::open_with(AppPaths::under(dir.path()), config, Box::new(clock.clone())).unwrap();
    let admin = core
        .invoke(None, "users.setup", json!({"displayName": "Ada Admin", "email": "ada@example.com", "passphrase": common::PASS}))
        .unwrap();
    let actor = qgp_core::context::Actor {
        id: admin["id"].as_str().unwrap().into(),
        display_name: "Ada Admin".into(),
        role: qgp_core::authz::Role::Admin,
    };
    let taken = core.invoke(Some(actor.clone()), "backup.create", json!({})).unwrap();
    let copy = stick.path().join(taken["fileName"].as_str().unwrap());
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(taken["path"].as_str().unwrap()).unwrap(), "the same bytes on the stick");
    assert!(stick.path().join("trail-head.json").exists(), "with the trail head");
    assert!(qgp_core::backup::verify(&copy).unwrap().ok, "the copy verifies");
    let copy_check = |core: &mut AppCore| {
        let report = core.invoke(None, "health.report", json!({})).unwrap();
        report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "backup.copy").cloned().unwrap()
    };
    assert_eq!(copy_check(&mut core)["status"], "ok");

    // The stick is pulled out: the backup is still taken, and Health says the second copy is missing.
    let stick_path = stick.path().to_path_buf();
    drop(stick);
    clock.set("2026-11-26T13:00:00Z");
    let second = core.invoke(Some(actor), "backup.create", json!({}));
    assert!(second.is_ok(), "a missing second location does not stop the backup: {second:?}");
    assert!(!stick_path.exists(), "no folder was made on the laptop's own disk in its place");
    let check = copy_check(&mut core);
    assert_eq!(check["status"], "warn");
    assert!(check["detail"].as_str().unwrap().contains("not reachable"), "{check}");
}
