//! Evidence files through the command path: content-addressed storage, media checks, attach/detach audited on the
//! record, and the integrity check seen by the health report.

mod common;

use base64::Engine;
use common::{bad_fields, h};
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn stored_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.flatten().map(|p| std::fs::read_dir(p.path()).map(|f| f.count()).unwrap_or(0)).sum()).unwrap_or(0)
}

fn evidence_check(report: &Value) -> Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "evidence.files").unwrap().clone()
}

#[test]
fn files_are_stored_once_by_hash_and_attachments_are_audited() {
    let mut h = h();
    let inc = h.incident();
    let iid = inc["record"]["id"].as_str().unwrap().to_owned();
    let risk = h.admin_ok("risks.create", json!({"title": "t", "description": "d"}));
    let rid = risk["record"]["id"].as_str().unwrap().to_owned();
    let bytes = b"Site photo notes: racking upright bent at 1.2 m";
    let a = h.admin_ok(
        "evidence.attach",
        json!({"entityType": "incident", "entityId": iid, "contentBase64": b64(bytes), "originalName": "C:\\photos\\notes.txt", "caption": "Notes"}),
    );
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes));
    assert_eq!(a["file"]["sha256"], sha.as_str());
    assert_eq!(a["file"]["originalName"], "notes.txt", "path parts are removed");
    assert_eq!(a["file"]["mediaType"], "text/plain");
    assert_eq!(a["file"]["sizeBytes"], bytes.len());
    let dir = h.core.paths.evidence_dir.clone();
    assert_eq!(std::fs::read(dir.join(&sha[..2]).join(&sha)).unwrap(), bytes);
    h.admin_ok("evidence.attach", json!({"entityType": "risk", "entityId": rid, "contentBase64": b64(bytes), "originalName": "copy.txt"}));
    assert_eq!(stored_files(&dir), 1, "identical bytes are stored once");
    assert_eq!(h.count("SELECT COUNT(*) FROM evidence_files"), 2);
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE action = 'attach' AND entity_type = 'incident'"), 1);
    let copy = h.admin_ok("evidence.open_copy", json!({"evidenceId": a["file"]["id"]}));
    let copy = std::path::PathBuf::from(copy["path"].as_str().unwrap());
    assert_eq!(copy.file_name().unwrap(), "notes.txt", "opened under its own name");
    assert_eq!(std::fs::read(&copy).unwrap(), bytes);
    assert!(std::fs::metadata(&copy).unwrap().permissions().readonly());
    h.admin_ok("evidence.open_copy", json!({"evidenceId": a["file"]["id"]}));
    let listed = h.admin_ok("evidence.list", json!({"entityType": "incident", "entityId": iid}));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let eid = listed[0]["file"]["id"].as_str().unwrap().to_owned();
    let left = h.admin_ok("evidence.detach", json!({"evidenceId": eid, "entityType": "incident", "entityId": iid}));
    assert_eq!(left.as_array().unwrap().len(), 0);
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE action = 'detach'"), 1);
    assert_eq!(stored_files(&dir), 1, "detaching never removes the file");
    assert!(h.core.conn.execute("DELETE FROM evidence_files", []).is_err());
}

#[test]
fn executables_scripts_empty_and_bad_targets_are_refused() {
    let mut h = h();
    let inc = h.incident();
    let iid = inc["record"]["id"].as_str().unwrap().to_owned();
    let admin = h.admin.clone();
    let attach = |content: &[u8], extra: Value| {
        let mut input = json!({"entityType": "incident", "entityId": iid, "contentBase64": b64(content), "originalName": "f.txt"});
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        input
    };
    let elf = [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0];
    for (bytes, field) in [(&elf[..], "contentBase64"), (&b"#!/bin/sh\nrm -rf /"[..], "contentBase64"), (&b""[..], "contentBase64")] {
        let e = h.call(&admin, "evidence.attach", attach(bytes, json!({}))).unwrap_err();
        assert_eq!(bad_fields(&e), [field], "{e:?}");
    }
    // Names the system would run when the file is opened are refused, whatever the content.
    for name in ["run.bat", "x.hta", "app.desktop", "tool.js", "page.html", "pic.svg", "photo.jpg.exe", "bundle.zip", "README"] {
        let e = h.call(&admin, "evidence.attach", attach(b"harmless text", json!({"originalName": name}))).unwrap_err();
        assert_eq!(bad_fields(&e), ["originalName"], "{name}: {e:?}");
    }
    let e = h.call(&admin, "evidence.attach", attach(b"x", json!({"latitude": 51.5}))).unwrap_err();
    assert_eq!(bad_fields(&e), ["longitude"]);
    let e = h.call(&admin, "evidence.attach", attach(b"x", json!({"entityType": "document"}))).unwrap_err();
    assert_eq!(bad_fields(&e), ["entityType"]);
    h.admin_ok("incidents.archive", json!({"id": iid, "rowVersion": 1, "reason": "Duplicate"}));
    let e = h.call(&admin, "evidence.attach", attach(b"x", json!({}))).unwrap_err();
    assert_eq!(bad_fields(&e), ["entityId"]);
    let viewer = h.viewer.clone();
    assert_eq!(h.call(&viewer, "evidence.attach", attach(b"x", json!({}))).unwrap_err().kind, ErrorKind::Forbidden);
    assert_eq!(h.count("SELECT COUNT(*) FROM evidence_files"), 0);
}

#[test]
fn a_file_changed_or_removed_on_disk_is_reported_by_health_and_the_integrity_check() {
    let mut h = h();
    let inc = h.incident();
    let iid = inc["record"]["id"].as_str().unwrap().to_owned();
    let a = h.admin_ok(
        "evidence.attach",
        json!({"entityType": "incident", "entityId": iid, "contentBase64": b64(b"original"), "originalName": "a.txt"}),
    );
    let sha = a["file"]["sha256"].as_str().unwrap().to_owned();
    let path = h.core.paths.evidence_dir.join(&sha[..2]).join(&sha);
    assert_eq!(evidence_check(&h.admin_ok("health.report", json!({})))["status"], "ok");
    std::fs::write(&path, b"tampered").unwrap();
    let check = evidence_check(&h.admin_ok("health.report", json!({})));
    assert_eq!(check["status"], "fail");
    assert!(check["detail"].as_str().unwrap().contains("1 altered"), "{check}");
    let report = h.admin_ok("evidence.integrity_check", json!({}));
    assert_eq!(report["mismatch"], json!([sha]));
    let admin = h.admin.clone();
    let e = h.call(&admin, "evidence.open_copy", json!({"evidenceId": a["file"]["id"]})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "an altered file is not opened");
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir_all(h.core.paths.evidence_dir.join("ff")).unwrap();
    std::fs::write(h.core.paths.evidence_dir.join("ff").join("f".repeat(64)), b"stray").unwrap();
    let report = h.admin_ok("evidence.integrity_check", json!({}));
    assert_eq!((report["missing"].as_array().unwrap().len(), report["orphan"].as_array().unwrap().len()), (1, 1));
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE action = 'integrity_check'"), 2);
}

#[test]
fn a_photo_keeps_when_and_where_it_was_taken() {
    use exif::{Field, In, Rational, Tag, Value as X};
    let mut h = h();
    let inc = h.incident();
    let dms = |d: u32, m: u32, s: u32| {
        X::Rational(vec![Rational { num: d, denom: 1 }, Rational { num: m, denom: 1 }, Rational { num: s, denom: 100 }])
    };
    let f = |tag: Tag, value: X| Field { tag, ifd_num: In::PRIMARY, value };
    let jpeg = qgp_core::photo_meta::jpeg_with_exif(&[
        f(Tag::DateTimeOriginal, X::Ascii(vec![b"2026:11:20 09:30:00".to_vec()])),
        f(Tag::GPSLatitudeRef, X::Ascii(vec![b"N".to_vec()])),
        f(Tag::GPSLatitude, dms(53, 28, 3600)),
        f(Tag::GPSLongitudeRef, X::Ascii(vec![b"W".to_vec()])),
        f(Tag::GPSLongitude, dms(2, 14, 2400)),
    ]);
    let attached = h.admin_ok(
        "evidence.attach",
        json!({"entityType": "incident", "entityId": inc["record"]["id"], "originalName": "spill.jpg", "contentBase64": b64(&jpeg)}),
    );
    let file = &attached["file"];
    assert_eq!(file["mediaType"], "image/jpeg");
    assert_eq!(file["capturedAt"], "2026-11-20T09:30:00.000Z", "the camera's time, not the upload's (zone UTC)");
    assert_eq!((file["latitude"].as_f64(), file["longitude"].as_f64()), (Some(53.4766667), Some(-2.24)), "53° 28′ 36″ N, 2° 14′ 24″ W");
    // A position given with the upload wins; a file without EXIF is captured when it is taken in.
    let given = h.admin_ok(
        "evidence.attach",
        json!({"entityType": "incident", "entityId": inc["record"]["id"], "originalName": "spill2.jpg", "contentBase64": b64(&jpeg), "latitude": 1.5, "longitude": 2.5}),
    );
    assert_eq!(given["file"]["latitude"], 1.5);
    let plain = h.admin_ok(
        "evidence.attach",
        json!({"entityType": "incident", "entityId": inc["record"]["id"], "originalName": "n.txt", "contentBase64": b64(b"note")}),
    );
    assert_eq!(plain["file"]["capturedAt"], "2026-11-26T12:00:00.000Z");
}
