//! Restore from a full JSON export (domain.md §1.11): a faithful copy — every table, every sys field, references,
//! the audit trail that still verifies — checked before it is put in place; an altered or foreign file, a data
//! directory already in use, or an unknown administrator leaves nothing behind.

mod common;

use base64::Engine;
use common::{h, H, PASS};
use qgp_core::app::AppCore;
use qgp_core::clock::FixedClock;
use qgp_core::config::Config;
use qgp_core::error::ErrorKind;
use qgp_core::paths::AppPaths;
use qgp_core::restore_json::{restore, Restorer};
use rusqlite::Connection;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const NEW_PASS: &str = "a new passphrase after the move";

fn populated() -> H {
    let mut h = h();
    let inc = h.incident();
    let iid = inc["record"]["id"].as_str().unwrap().to_owned();
    let owner = h.manager.id.clone();
    h.action("incident", &iid, &owner);
    h.admin_ok("risks.create", json!({"title": "Racking collapse", "description": "Overloaded racking", "likelihood": 4, "impact": 3}));
    h.admin_ok(
        "evidence.attach",
        json!({"entityType": "incident", "entityId": iid, "originalName": "notes.txt",
               "contentBase64": base64::engine::general_purpose::STANDARD.encode(b"witness notes")}),
    );
    let second = h.admin_ok(
        "incidents.create",
        json!({"title": "Zażółć gęślą jaźń", "description": "Pallet fell", "incidentDate": "2026-11-21", "severity": "low"}),
    );
    h.admin_ok("incidents.archive", json!({"id": second["record"]["id"], "rowVersion": 1, "reason": "Duplicate of INC-2026-0001"}));
    h
}

fn export(h: &mut H) -> PathBuf {
    let path = h.core.paths.data_dir.join("exports").join("db.json");
    h.admin_ok("exports.database", json!({"path": path}));
    path
}

fn restore_into(
    dir: &Path,
    file: &Path,
    email: &str,
) -> Result<qgp_core::restore_json::RestoreFromExportReport, qgp_core::error::CoreError> {
    let clock = FixedClock::at("2026-11-27T09:00:00Z");
    restore(&AppPaths::under(dir), file, &Restorer { email, passphrase: NEW_PASS }, &clock)
}

/// Every row of every exported table, in key order, as JSON (passphrase hashes left out).
fn dump(conn: &Connection) -> Vec<(String, Vec<Value>)> {
    let tables = qgp_core::export::database::exported_tables(conn).unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {t} ORDER BY 1")).unwrap();
            let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
            let rows = stmt
                .query_map([], |r| {
                    let mut obj = serde_json::Map::new();
                    for (i, n) in names.iter().enumerate() {
                        if n != "passphrase_hash" {
                            let v: rusqlite::types::Value = r.get(i)?;
                            obj.insert(n.clone(), json!(format!("{v:?}")));
                        }
                    }
                    Ok(Value::Object(obj))
                })
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            (t, rows)
        })
        .collect()
}

#[test]
fn a_restored_database_is_a_faithful_copy_whose_trail_still_verifies() {
    let mut h = populated();
    // The file holds the database as it was before its own export event.
    let before = dump(&h.core.conn);
    let file = export(&mut h);
    let target = tempfile::tempdir().unwrap();
    let report = restore_into(target.path(), &file, "ADA@example.com").unwrap();
    assert_eq!(report.evidence_files_missing, 1, "the evidence file travels separately and is named as missing");
    assert_eq!(
        report.profiles_without_passphrase,
        ["aud@example.com", "cora@example.com", "max@example.com", "vic@example.com"],
        "everyone but the restoring administrator needs a passphrase set"
    );
    assert!(report.audit_events_verified > 10);

    let clock = std::sync::Arc::new(FixedClock::at("2026-11-27T09:05:00Z"));
    let mut core = AppCore::open_with(AppPaths::under(target.path()), Config::default(), Box::new(clock)).unwrap();
    let after = dump(&core.conn);
    assert_eq!(before.len(), after.len());
    for ((table, old), (_, new)) in before.iter().zip(&after) {
        if table == "audit_events" {
            assert_eq!(new.len(), old.len() + 1, "one event more: the restore itself");
            assert_eq!(&new[..old.len()], &old[..], "every event as it was");
            assert!(new[old.len()]["action"].as_str().unwrap().contains("restore"));
        } else {
            assert_eq!(new, old, "table {table} restored row for row, sys fields included");
        }
    }
    // The administrator signs in with the new passphrase; the trail verifies; search works on the rebuilt index.
    let admin =
        qgp_core::users::sign_in(&mut core.conn, &FixedClock::at("2026-11-27T09:06:00Z"), "r1", "ada@example.com", NEW_PASS).unwrap();
    let verify = core.invoke(Some(admin.clone()), "audit_trail.verify", json!(null)).unwrap();
    assert_eq!(verify["ok"], true, "{verify:#}");
    let found = core.invoke(Some(admin.clone()), "incidents.list", json!({"search": "forklift"})).unwrap();
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["reference"], "INC-2026-0001");
    // References continue from the high-water mark, never reused.
    let next = core
        .invoke(
            Some(admin.clone()),
            "incidents.create",
            json!({"title": "After the move", "description": "d", "incidentDate": "2026-11-27", "severity": "low"}),
        )
        .unwrap();
    assert_eq!(next["record"]["reference"], "INC-2026-0003");
    // Another profile cannot sign in until an administrator sets its passphrase.
    let clock = FixedClock::at("2026-11-27T09:07:00Z");
    let e = qgp_core::users::sign_in(&mut core.conn, &clock, "r2", "max@example.com", PASS).unwrap_err();
    assert!(e.to_string().contains("restored"), "{e}");
    let max = h.manager.id.clone();
    let err = core.invoke(Some(admin.clone()), "users.reset_passphrase", json!({"id": max, "new": "short", "reason": "x"})).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ValidationFailed);
    core.invoke(
        Some(admin.clone()),
        "users.reset_passphrase",
        json!({"id": max, "new": "manager passphrase two", "reason": "After restore"}),
    )
    .unwrap();
    qgp_core::users::sign_in(&mut core.conn, &clock, "r3", "max@example.com", "manager passphrase two").unwrap();
    // Only an administrator resets, and not their own.
    let manager = qgp_core::users::actor(&core.conn, &max).unwrap().unwrap();
    let e = core.invoke(Some(manager), "users.reset_passphrase", json!({"id": admin.id, "new": "something long enough", "reason": "x"}));
    assert_eq!(e.unwrap_err().kind, ErrorKind::Forbidden);
    let e =
        core.invoke(Some(admin.clone()), "users.reset_passphrase", json!({"id": admin.id, "new": "something long enough", "reason": "x"}));
    assert_eq!(e.unwrap_err().kind, ErrorKind::ValidationFailed);
}

#[test]
fn an_altered_or_foreign_file_or_a_used_directory_is_refused_and_leaves_nothing() {
    let mut h = populated();
    let file = export(&mut h);
    let text = std::fs::read_to_string(&file).unwrap();
    let refused = |name: &str, content: &str, email: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let target = dir.path().join("data");
        let e = restore_into(&target, &path, email).unwrap_err();
        assert!(!target.join("qgp.sqlite3").exists() && !target.join("qgp.restoring").exists(), "{name}: nothing left behind");
        let leftovers: Vec<_> =
            std::fs::read_dir(&target).map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect()).unwrap_or_default();
        assert!(
            leftovers.iter().all(|n| !n.to_string_lossy().contains("sqlite") && !n.to_string_lossy().contains("restoring")),
            "{leftovers:?}"
        );
        e.to_string()
    };
    // An audit event edited after the export: the chain no longer verifies.
    let doc: Value = serde_json::from_str(&text).unwrap();
    let mut altered = doc.clone();
    let events = altered["tables"]["audit_events"].as_array_mut().unwrap();
    let created = events.iter_mut().find(|e| e["entity_type"] == "incident").unwrap();
    created["actor_name"] = json!("Somebody Else");
    let msg = refused("altered.json", &serde_json::to_string(&altered).unwrap(), "ada@example.com");
    assert!(msg.contains("audit trail does not verify"), "{msg}");
    // A row pointing at a record the file does not hold.
    let mut orphan = doc.clone();
    orphan["tables"]["risks"].as_array_mut().unwrap().clear();
    let msg = refused("orphan.json", &serde_json::to_string(&orphan).unwrap(), "ada@example.com");
    assert!(msg.contains("refer to records"), "{msg}");
    // Not an export; cut short; a newer schema; a table this schema lacks; nobody to restore as.
    assert!(refused("other.json", r#"{"hello": 1}"#, "ada@example.com").contains("not a QGP database export"));
    assert!(refused("cut.json", &text[..text.len() / 2], "ada@example.com").contains("not a complete"));
    let mut newer = doc.clone();
    newer["schemaVersion"] = json!(999);
    assert!(refused("newer.json", &serde_json::to_string(&newer).unwrap(), "ada@example.com").contains("schema version 999"));
    let mut extra = doc.clone();
    extra["tables"]["secret_stuff"] = json!([]);
    assert!(refused("extra.json", &serde_json::to_string(&extra).unwrap(), "ada@example.com").contains("secret_stuff"));
    assert!(refused("who.json", &text, "max@example.com").contains("no active administrator"), "a manager cannot restore");
    // A data directory that already has a database is never overwritten.
    let e = restore_into(&h.core.paths.data_dir, &file, "ada@example.com").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(h.count("SELECT COUNT(*) FROM incidents"), 2, "the existing database is untouched");
}

#[test]
fn an_export_from_an_older_schema_is_restored_at_its_version_then_migrated_by_the_app() {
    let mut h = populated();
    let file = export(&mut h);
    // What the previous release (schema 12, before import mappings) wrote.
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    doc["schemaVersion"] = json!(12);
    // Tables added since schema 12 were not in that release's files.
    for table in ["import_mappings", "trusted_signing_keys", "risk_finding_links", "risk_run_links", "risk_document_links"] {
        doc["tables"].as_object_mut().unwrap().remove(table);
    }
    // Columns added since schema 12 were not in that release's files either.
    for user in doc["tables"]["users"].as_array_mut().unwrap() {
        user.as_object_mut().unwrap().remove("passphrase_reset_by_admin");
    }
    for finding in doc["tables"]["findings"].as_array_mut().into_iter().flatten() {
        for column in ["closed_at", "closed_by", "reopen_count"] {
            finding.as_object_mut().unwrap().remove(column);
        }
    }
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let target = tempfile::tempdir().unwrap();
    let report = restore_into(target.path(), &file, "ada@example.com").unwrap();
    assert_eq!(report.schema_version, 12);
    let clock = std::sync::Arc::new(FixedClock::at("2026-11-27T09:05:00Z"));
    let core = AppCore::open_with(AppPaths::under(target.path()), Config::default(), Box::new(clock)).unwrap();
    let newest = qgp_core::db::embedded_migrations().iter().map(|m| m.version()).max().unwrap();
    assert_eq!(core.migration.applied.len() as i32, newest - 12, "the app brings it up to date: {:?}", core.migration.applied);
    assert!(core.migration.pre_migration_backup.is_some(), "with a backup first, as for any upgrade");
    let incidents: i64 = core.conn.query_row("SELECT COUNT(*) FROM incidents", [], |r| r.get(0)).unwrap();
    assert_eq!(incidents, 2);
}
