//! What leaves the app as evidence (issue 6): PDF reports (text extractable, references present, non-Latin names,
//! byte-identical for the same data and time), signed evidence packs (verification catches a changed byte, a
//! removed file, an added file and a wrong signature), register exports (every field, typed cells, deterministic),
//! the full JSON export, and jobs with progress and cancellation.

mod common;

use base64::Engine;
use common::{h, H, PASS};
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const Q1: &str = "0190a0b0-0000-7000-8000-0000000000a1";
const Q2: &str = "0190a0b0-0000-7000-8000-0000000000a2";

fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils) is installed");
    String::from_utf8(out.stdout).unwrap()
}

fn photo() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]))
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    bytes
}

/// A completed audit led by a Cyrillic-named auditor: a failed exit (finding + photo + note), its action.
/// Returns (run id, run reference, finding reference, action reference, photo sha256).
fn completed_run(h: &mut H) -> (String, String, String, String, String) {
    let admin = h.admin.clone();
    let lead = h.ok(
        &admin,
        "users.create",
        json!({"displayName": "Дмитрий Иванов", "email": "dmitri@example.com", "role": "auditor", "passphrase": PASS}),
    );
    let lead = qgp_core::context::Actor {
        id: lead["id"].as_str().unwrap().into(),
        display_name: "Дмитрий Иванов".into(),
        role: qgp_core::authz::Role::Auditor,
    };
    let t = h.admin_ok("templates.create", json!({"name": "Fire walk", "auditType": "inspection"}));
    let vid = t["draftVersionId"].as_str().unwrap().to_owned();
    let content = json!({
        "settings": {"scoringMethod": "percentage", "passingScore": 80},
        "sections": [{"title": "Fire safety", "questions": [
            {"id": Q1, "text": "Fire exit clear", "questionType": "pass_fail",
             "options": [{"value": "pass", "label": "Pass", "score": 1}, {"value": "fail", "label": "Fail", "score": 0, "raisesFinding": true, "findingSeverity": "critical"}]},
            {"id": Q2, "text": "Extinguisher pressure", "questionType": "number", "number": {"min": 0, "max": 30, "unit": "bar"}}
        ]}]
    });
    h.admin_ok("templates.save_draft", json!({"versionId": vid, "rowVersion": 1, "content": content}));
    let t = h.admin_ok("templates.publish", json!({"versionId": vid, "rowVersion": 2}));
    let run = h.admin_ok(
        "runs.create",
        json!({"templateId": t["record"]["id"], "leadAuditorId": lead.id, "location": "Łódź depot · 東京第二倉庫 · 김민준 · さくら", "auditee": "Ζωή Παπαδοπούλου", "scheduledDate": "2026-11-26"}),
    );
    let id = run["record"]["id"].as_str().unwrap().to_owned();
    h.admin_ok("runs.transition", json!({"id": id, "rowVersion": run["record"]["rowVersion"], "to": "scheduled"}));
    let run_ref = run["record"]["reference"].as_str().unwrap().to_owned();
    h.ok(&lead, "runs.answer", json!({"runId": id, "questionId": Q1, "answer": "fail", "note": "Pallets in the exit"}));
    h.ok(&lead, "runs.answer", json!({"runId": id, "questionId": Q2, "answer": 14}));
    let bytes = photo();
    let out = h.ok(
        &lead,
        "runs.attach",
        json!({"runId": id, "questionId": Q1, "originalName": "exit.jpg", "contentBase64": base64::engine::general_purpose::STANDARD.encode(&bytes)}),
    );
    let sha = out["response"]["files"][0]["sha256"].as_str().unwrap().to_owned();
    let run = h.admin_ok("runs.get", json!({"id": id}));
    let run =
        h.ok(&lead, "runs.transition", json!({"id": id, "rowVersion": run["record"]["rowVersion"], "to": "completed", "passphrase": PASS}));
    let finding = &run["findings"][0];
    let finding_ref = finding["reference"].as_str().unwrap().to_owned();
    let manager = h.manager.id.clone();
    let action = h.action("finding", finding["id"].as_str().unwrap(), &manager);
    let action_ref = action["record"]["reference"].as_str().unwrap().to_owned();
    (id, run_ref, finding_ref, action_ref, sha)
}

fn out_dir(h: &H) -> PathBuf {
    h.core.paths.data_dir.join("out")
}

#[test]
fn the_audit_report_is_a_pdf_with_the_references_names_and_photo_fingerprints() {
    let mut h = h();
    h.admin_ok("settings.update", json!({"orgName": "Acme Ångström Łódź Ltd"}));
    let (id, run_ref, finding_ref, action_ref, sha) = completed_run(&mut h);
    let mut logo = Vec::new();
    image::RgbImage::from_pixel(300, 100, image::Rgb([20, 60, 140]))
        .write_to(&mut std::io::Cursor::new(&mut logo), image::ImageFormat::Png)
        .unwrap();
    h.admin_ok(
        "branding.set_logo",
        json!({"fileName": "logo.png", "contentBase64": base64::engine::general_purpose::STANDARD.encode(&logo)}),
    );
    let e = h.call(&h.admin.clone(), "branding.set_logo", json!({"fileName": "logo.gif", "contentBase64": "R0lGODlh"})).unwrap_err();
    assert_eq!(common::bad_fields(&e), ["fileName"]);
    let path = out_dir(&h).join("audit.pdf");
    let out = h.admin_ok("reports.generate", json!({"kind": "audit_run", "id": id, "path": path}));
    assert_eq!(out["path"], path.display().to_string());
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(out["sha256"], hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)));
    let text = pdf_text(&path);
    let finding_title = h.admin_ok("findings.list", json!({}))["items"][0]["title"].as_str().unwrap().to_owned();
    for expected in [
        &run_ref,
        &finding_ref,
        &action_ref,
        &finding_title,
        "Critical",
        "Дмитрий Иванов",
        "Ζωή Παπαδοπούλου",
        "東京第二倉庫",
        "김민준",
        "さくら",
        "Acme Ångström Łódź Ltd",
        "Fire exit clear",
        "14 bar",
        "Pallets in the exit",
        "exit.jpg",
    ] {
        assert!(text.contains(expected), "{expected} missing from the report:\n{text}");
    }
    assert!(text.replace(char::is_whitespace, "").contains(&sha), "the appendix lists the photo's SHA-256");
    let key = h.admin_ok("keys.installation", json!({}));
    let squeezed = text.replace(char::is_whitespace, "");
    assert!(
        squeezed.contains(&key["fingerprint"].as_str().unwrap().replace(' ', "")),
        "the cover prints the installation key's fingerprint"
    );
    // Text can be extracted from a glyph the font lacks; the embedded fonts show the CJK face was used.
    let fonts = std::process::Command::new("pdffonts").arg(&path).output().expect("pdffonts (poppler-utils)");
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    assert!(fonts.contains("DroidSansFallback"), "CJK names print from the shipped CJK font:\n{fonts}");
    let images = std::process::Command::new("pdfimages").arg("-list").arg(&path).output().expect("pdfimages (poppler-utils)");
    let images = String::from_utf8(images.stdout).unwrap();
    assert!(images.lines().count() >= 4, "the logo and the photo are embedded:\n{images}");

    let head = h.count("SELECT MAX(seq) FROM audit_events") - 1; // the report's own export event came after it
    let hash: String = h.core.conn.query_row("SELECT hash FROM audit_events WHERE seq = ?1", [head], |r| r.get(0)).unwrap();
    let anchor = format!("audit trail to event {} · {}", group(head), &hash[..16]);
    assert!(text.contains(&anchor), "every page's footer names the trail head ({anchor}):\n{text}");

    // Same data, same trail, same clock: the same bytes (an identical copy of the installation makes the second).
    let (_copy, mut twin) = twin(&h);
    let again = out_dir(&h).join("again.pdf");
    let admin = Some(h.admin.clone());
    let before = out_dir(&h).join("before.pdf");
    twin.invoke(admin.clone(), "reports.generate", json!({"kind": "audit_run", "id": id, "path": again})).unwrap();
    h.admin_ok("reports.generate", json!({"kind": "audit_run", "id": id, "path": before}));
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&before).unwrap());
    assert_ne!(std::fs::read(&before).unwrap(), bytes, "a later report anchors a longer trail");
}

/// 1234567 → "1,234,567", as the report prints event numbers.
fn group(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An identical copy of the installation (database, key, evidence) on the same clock.
fn twin(h: &H) -> (tempfile::TempDir, qgp_core::app::AppCore) {
    h.core.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let dir = tempfile::tempdir().unwrap();
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    copy(&h.core.paths.data_dir, dir.path());
    let paths = qgp_core::paths::AppPaths::under(dir.path());
    let core = qgp_core::app::AppCore::open_with(paths, qgp_core::config::Config::default(), Box::new(h.clock.clone())).unwrap();
    (dir, core)
}

#[test]
fn every_report_kind_renders_and_bad_input_names_the_field() {
    let mut h = h();
    let (_, _, _, _, _) = completed_run(&mut h);
    let incident = h.incident();
    let iid = incident["record"]["id"].as_str().unwrap().to_owned();
    h.admin_ok(
        "risks.create",
        json!({"title": "Racking collapse", "description": "Overloaded bays", "category": "safety", "likelihood": 4, "impact": 5}),
    );
    let standards = h.admin_ok("standards.list", json!({}));
    let iso27001 = standards.as_array().unwrap().iter().find(|s| s["code"].as_str().unwrap().contains("27001")).unwrap()["id"].clone();
    for (kind, id, expected) in [
        ("incident", Some(Value::String(iid)), "Aisle 4"),
        ("incident_summary", None, "INC-2026-0001"),
        ("risk_register", None, "RSK-2026-0001"),
        ("actions", None, "ACT-2026-0001"),
        ("compliance", Some(iso27001.clone()), "A.5.1"),
        ("soa", Some(iso27001.clone()), "A.5.1"),
        ("complaints", None, "Complaints summary"),
        ("collisions", None, "collision summary"),
    ] {
        let path = out_dir(&h).join(format!("{kind}.pdf"));
        let mut input = json!({"kind": kind, "path": path});
        if let Some(id) = id {
            input["id"] = id;
        }
        h.admin_ok("reports.generate", input);
        let text = pdf_text(&path);
        assert!(text.contains(expected), "{kind}: {expected} missing:\n{text}");
    }
    let e = h.call(&h.admin.clone(), "reports.generate", json!({"kind": "audit_run"})).unwrap_err();
    assert_eq!(common::bad_fields(&e), ["id"]);
    let e =
        h.call(&h.admin.clone(), "reports.generate", json!({"kind": "complaints", "from": "2026-12-01", "to": "2026-01-01"})).unwrap_err();
    assert_eq!(common::bad_fields(&e), ["to"]);
    let e = h.call(&h.admin.clone(), "reports.generate", json!({"kind": "actions", "path": "/tmp/x.txt"})).unwrap_err();
    assert_eq!(common::bad_fields(&e), ["path"]);
}

/// Rewrites a ZIP entry by entry: `edit` may change or drop an entry; `extra` is appended.
fn rewrite(src: &Path, dst: &Path, edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>, extra: Option<(&str, &[u8])>) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = edit(&name, bytes) {
            zout.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            zout.write_all(&bytes).unwrap();
        }
    }
    if let Some((name, bytes)) = extra {
        zout.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zout.write_all(bytes).unwrap();
    }
    zout.finish().unwrap();
}

/// Changes an entry's bytes, or drops it (None).
type Edit<'a> = &'a dyn Fn(&str, Vec<u8>) -> Option<Vec<u8>>;

fn verify(h: &mut H, path: &Path) -> Value {
    // Anyone with the app verifies: no sign-in needed.
    h.core.invoke(None, "packs.verify", json!({"path": path})).unwrap()
}

#[test]
fn a_signed_pack_verifies_and_every_kind_of_tampering_is_named() {
    let mut h = h();
    let (id, run_ref, finding_ref, action_ref, sha) = completed_run(&mut h);
    let pack = out_dir(&h).join("pack.zip");
    h.admin_ok("packs.create", json!({"subject": {"kind": "audit_run", "runId": id}, "path": pack}));
    let v = verify(&mut h, &pack);
    assert_eq!(v["ok"], true, "{v:#}");
    assert_eq!(v["signature"], "valid");
    assert_eq!(v["signedByThisInstallation"], true);
    assert_eq!((v["intact"].as_bool(), v["signer"].as_str()), (Some(true), Some("this_installation")));
    let key = h.admin_ok("keys.installation", json!({}));
    assert_eq!(v["fingerprint"], key["fingerprint"]);
    let names: Vec<String> = v["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_owned()).collect();
    let photo = format!("evidence/{}-exit.jpg", &sha[..12]);
    for expected in [
        "report.pdf",
        "README.txt",
        "SHA256SUMS",
        "public-key.pem",
        &photo,
        &format!("records/audit-runs/{run_ref}.json"),
        &format!("records/findings/{finding_ref}.json"),
        &format!("records/actions/{action_ref}.json"),
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} not in {names:?}");
    }
    // The photo in the pack is the original, byte for byte.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&pack).unwrap()).unwrap();
    let mut original = Vec::new();
    zip.by_name(&photo).unwrap().read_to_end(&mut original).unwrap();
    assert_eq!(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&original)), sha);
    // Handing out a pack is in the audit trail.
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'evidence_pack' AND action = 'export'"), 1);

    let check = |h: &mut H, name: &str, edit: Edit, extra: Option<(&str, &[u8])>| {
        let tampered = out_dir(h).join(name);
        rewrite(&pack, &tampered, edit, extra);
        verify(h, &tampered)
    };
    let photo_name = photo.clone();
    let v = check(
        &mut h,
        "changed.zip",
        &|n, mut b| {
            if n == photo_name {
                b[1000] ^= 1;
            }
            Some(b)
        },
        None,
    );
    assert_eq!(v["ok"], false);
    let altered: Vec<&Value> = v["files"].as_array().unwrap().iter().filter(|f| f["status"] != "ok").collect();
    assert_eq!(altered.len(), 1);
    assert_eq!((altered[0]["path"].as_str().unwrap(), altered[0]["status"].as_str().unwrap()), (photo.as_str(), "altered"));
    assert_eq!(v["signature"], "valid", "the manifest itself is intact");

    let v = check(&mut h, "removed.zip", &|n, b| (n != "report.pdf").then_some(b), None);
    assert_eq!(v["ok"], false);
    assert!(v["files"].as_array().unwrap().iter().any(|f| f["path"] == "report.pdf" && f["status"] == "missing"));

    let v = check(&mut h, "added.zip", &|_, b| Some(b), Some(("evidence/extra.jpg", b"smuggled")));
    assert_eq!(v["ok"], false);
    assert_eq!(v["unexpected"], json!(["evidence/extra.jpg"]));

    // Editing the manifest (say, to hide the change above) breaks the signature.
    let v = check(
        &mut h,
        "manifest.zip",
        &|n, b| {
            if n == "manifest.json" {
                Some(String::from_utf8(b).unwrap().replace("Ada Admin", "Ada Admix").into_bytes())
            } else {
                Some(b)
            }
        },
        None,
    );
    assert_eq!(v["signature"], "invalid");
    assert_eq!(v["ok"], false);

    // A manifest re-signed with another key verifies as signed, but not by this installation's key.
    let other = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let other_pem = qgp_core::pack::key::public_key_pem(&other.verifying_key());
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&pack).unwrap()).unwrap();
    let mut manifest = Vec::new();
    zip.by_name("manifest.json").unwrap().read_to_end(&mut manifest).unwrap();
    let sig = ed25519_dalek::Signer::sign(&other, &manifest).to_bytes().to_vec();
    let v = check(
        &mut h,
        "resigned.zip",
        &|n, b| match n {
            "manifest.sig" => Some(sig.clone()),
            "public-key.pem" => Some(other_pem.clone().into_bytes()),
            _ => Some(b),
        },
        None,
    );
    assert_eq!(v["signedByThisInstallation"], false);
    assert_eq!(v["ok"], false, "the public key no longer matches the one the manifest names");
    assert_eq!(v["intact"], false);

    // A pack made whole again under another key (manifest names the new key and is signed by it) is intact, but
    // its signer is unknown: not "verified" until an administrator trusts that key, and no longer once withdrawn.
    let mut named: Value = serde_json::from_slice(&manifest).unwrap();
    named["signing"]["fingerprint"] = json!(qgp_core::pack::key::fingerprint(&other.verifying_key()));
    for f in named["files"].as_array_mut().unwrap().iter_mut().filter(|f| f["path"] == "public-key.pem") {
        use sha2::Digest;
        f["sha256"] = json!(hex::encode(sha2::Sha256::digest(other_pem.as_bytes())));
        f["bytes"] = json!(other_pem.len());
    }
    let mut renamed = serde_json::to_vec_pretty(&named).unwrap();
    renamed.push(b'\n');
    let resig = ed25519_dalek::Signer::sign(&other, &renamed).to_bytes().to_vec();
    let edit = |n: &str, b: Vec<u8>| match n {
        "manifest.json" => Some(renamed.clone()),
        "manifest.sig" => Some(resig.clone()),
        "public-key.pem" => Some(other_pem.clone().into_bytes()),
        _ => Some(b),
    };
    let v = check(&mut h, "whole-again.zip", &edit, None);
    assert_eq!(
        (v["intact"].as_bool(), v["signer"].as_str(), v["ok"].as_bool()),
        (Some(true), Some("unknown_signer"), Some(false)),
        "{v:#}"
    );
    let whole_again = out_dir(&h).join("whole-again.zip");
    let e = h.call(&h.manager.clone(), "keys.trust", json!({"publicKeyPem": other_pem, "label": "Field laptop 7"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "trusting a key is for administrators");
    let e = h.call(&h.admin.clone(), "keys.trust", json!({"publicKeyPem": "not a key", "label": ""})).unwrap_err();
    let mut fields = common::bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["label", "publicKeyPem"]);
    let trusted = h.admin_ok("keys.trust", json!({"publicKeyPem": other_pem, "label": "Field laptop 7"}));
    let v = verify(&mut h, &whole_again);
    assert_eq!(
        (v["signer"].as_str(), v["signerLabel"].as_str(), v["ok"].as_bool()),
        (Some("known_key"), Some("Field laptop 7"), Some(true))
    );
    h.admin_ok("keys.distrust", json!({"fingerprint": trusted["fingerprint"], "reason": "Laptop lost"}));
    assert_eq!(verify(&mut h, &whole_again)["signer"], "unknown_signer");
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'trusted_key'"), 2, "trust and its withdrawal are audited");

    let not_a_pack = out_dir(&h).join("plain.txt");
    std::fs::write(&not_a_pack, "hello").unwrap();
    let e = h.core.invoke(None, "packs.verify", json!({"path": not_a_pack})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ValidationFailed);
}

#[test]
fn packs_are_deterministic_and_cover_incidents_and_standards() {
    let mut h = h();
    let (id, ..) = completed_run(&mut h);
    let a = out_dir(&h).join("a.zip");
    let b = out_dir(&h).join("b.zip");
    h.admin_ok("keys.installation", json!({}));
    let (_copy, mut twin) = twin(&h);
    h.admin_ok("packs.create", json!({"subject": {"kind": "audit_run", "runId": id}, "path": a}));
    twin.invoke(Some(h.admin.clone()), "packs.create", json!({"subject": {"kind": "audit_run", "runId": id}, "path": b})).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "same records, same trail, same clock: same bytes");
    // The signed manifest names the trail's head when the pack was made.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&a).unwrap()).unwrap();
    let mut manifest = String::new();
    zip.by_name("manifest.json").unwrap().read_to_string(&mut manifest).unwrap();
    let manifest: Value = serde_json::from_str(&manifest).unwrap();
    let (seq, hash): (i64, String) = h
        .core
        .conn
        .query_row("SELECT seq, hash FROM audit_events WHERE seq = ?1", [manifest["trailHead"]["seq"].as_i64().unwrap()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(manifest["trailHead"]["hash"], hash.as_str(), "event {seq}");
    assert_eq!(seq, h.count("SELECT MAX(seq) FROM audit_events") - 1, "the newest event before the pack's own export event");

    let i1 = h.incident();
    let i2 = h.incident();
    let p = out_dir(&h).join("incidents.zip");
    h.admin_ok(
        "packs.create",
        json!({"subject": {"kind": "incidents", "incidentIds": [i1["record"]["id"], i2["record"]["id"]]}, "path": p}),
    );
    let v = verify(&mut h, &p);
    assert_eq!(v["ok"], true);
    assert!(v["subjectTitle"].as_str().unwrap().contains("INC-2026-0002"));
    let standards = h.admin_ok("standards.list", json!({}));
    let sid = standards[0]["id"].clone();
    let p = out_dir(&h).join("standard.zip");
    h.admin_ok("packs.create", json!({"subject": {"kind": "standard", "standardId": sid}, "path": p}));
    assert_eq!(verify(&mut h, &p)["ok"], true);
    let e = h.call(&h.admin.clone(), "packs.create", json!({"subject": {"kind": "incidents", "incidentIds": []}})).unwrap_err();
    assert_eq!(common::bad_fields(&e), ["subject.incidentIds"]);
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a UTF-8 byte-order mark for Excel");
    csv::Reader::from_reader(text.as_bytes()).records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

#[test]
fn register_exports_hold_every_field_typed_and_are_byte_identical() {
    let mut h = h();
    for (title, sev) in [("Forklift hit racking", "high"), ("Slip in canteen", "low"), ("Ladder fall — Łukasz", "medium")] {
        h.admin_ok(
            "incidents.create",
            json!({"title": title, "description": "d", "incidentDate": "2026-11-20", "severity": sev,
            "people": [{"name": "Łukasz Nowak", "injured": true, "injuryNature": "Bruise"}]}),
        );
    }
    let csv_path = out_dir(&h).join("inc.csv");
    let out = h.admin_ok("exports.register", json!({"register": "incidents", "format": "csv", "filter": {"severity": ["high", "medium"], "sort": "reference", "direction": "asc"}, "path": csv_path, "includePersonalData": true}));
    assert_eq!(out["rows"], 2, "the filtered view, not the whole register");
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let header: Vec<String> = text.trim_start_matches('\u{feff}').lines().next().unwrap().split(',').map(str::to_owned).collect();
    let columns: Vec<String> = {
        let mut stmt = h.core.conn.prepare("SELECT name FROM pragma_table_info('incidents')").unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(header.len(), columns.len() + 1, "every column of the register, plus the people involved");
    assert!(header.contains(&"RIDDOR reportable".to_owned()) && header.contains(&"People involved".to_owned()));
    let rows = read_csv(&csv_path);
    assert_eq!(rows[0][1], "INC-2026-0001");
    assert!(rows[1].iter().any(|c| c.contains("Łukasz Nowak")), "child records as JSON, accents intact");
    assert!(rows[0].iter().any(|c| c == "Ada Admin <ada@example.com>"), "people as name and email");

    let again = out_dir(&h).join("inc2.csv");
    h.admin_ok("exports.register", json!({"register": "incidents", "format": "csv", "filter": {"severity": ["high", "medium"], "sort": "reference", "direction": "asc"}, "path": again, "includePersonalData": true}));
    // Without asking, personal data stays out: no people, no witnesses.
    let plain = out_dir(&h).join("plain.csv");
    h.admin_ok("exports.register", json!({"register": "incidents", "format": "csv", "path": plain}));
    let plain_text = std::fs::read_to_string(&plain).unwrap();
    assert!(!plain_text.contains("Łukasz Nowak") && !plain_text.contains("People involved") && !plain_text.contains("Witnesses"));
    // …and no member of staff either: no name, no e-mail, no column that would hold one.
    assert!(!plain_text.contains("Ada Admin") && !plain_text.contains("@example.com"), "{plain_text}");
    assert!(!plain_text.lines().next().unwrap().contains("Created by"));
    // Enumerations read as labels; free text stays exactly as typed; `codes` gives the stored codes for systems.
    let status_at = header.iter().position(|h| h == "Status").unwrap();
    let title_at = header.iter().position(|h| h == "Title").unwrap();
    assert_eq!((rows[0][status_at].as_str(), rows[1][status_at].as_str()), ("Reported", "Reported"));
    assert_eq!(rows[0][title_at], "Forklift hit racking");
    let coded = out_dir(&h).join("codes.csv");
    h.admin_ok("exports.register", json!({"register": "incidents", "format": "csv", "path": coded, "codes": true, "filter": {"sort": "reference", "direction": "asc"}}));
    let coded_rows = read_csv(&coded);
    let coded_header: Vec<String> = std::fs::read_to_string(&coded)
        .unwrap()
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    let sev_at = coded_header.iter().position(|h| h == "Severity").unwrap();
    assert!(coded_rows.iter().all(|r| ["high", "medium", "low", "critical", "negligible"].contains(&r[sev_at].as_str())), "{coded_rows:?}");
    // With personal data, a person's column is named for what it holds: a name and e-mail, not an id.
    assert!(header.contains(&"Created by".to_owned()));
    assert!(header.contains(&"Investigator".to_owned()) && !header.iter().any(|h| h == "Investigator ID"), "{header:?}");
    assert_eq!(
        h.call(&h.contributor.clone(), "exports.register", json!({"register": "incidents", "format": "csv"})).unwrap_err().kind,
        ErrorKind::Forbidden
    );
    assert_eq!(std::fs::read(&csv_path).unwrap(), std::fs::read(&again).unwrap());

    let x1 = out_dir(&h).join("inc.xlsx");
    let x2 = out_dir(&h).join("inc2.xlsx");
    h.admin_ok("exports.register", json!({"register": "incidents", "format": "xlsx", "path": x1, "includePersonalData": true}));
    h.admin_ok("exports.register", json!({"register": "incidents", "format": "xlsx", "path": x2, "includePersonalData": true}));
    assert_eq!(std::fs::read(&x1).unwrap(), std::fs::read(&x2).unwrap(), "XLSX byte-identical too");
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(&x1).unwrap();
    let sheet = wb.worksheet_range("Incidents").unwrap();
    let head: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} not in {head:?}"));
    let row = sheet.rows().nth(1).unwrap();
    assert!(matches!(row[col("Incident date")], Data::DateTime(_)), "dates are dates: {:?}", row[col("Incident date")]);
    assert!(matches!(row[col("First aid given")], Data::Bool(false)));
    assert!(matches!(row[col("Reopen count")], Data::Float(_) | Data::Int(_)));
    assert_eq!(sheet.height(), 4);

    for register in ["risks", "actions", "complaints", "collisions"] {
        let p = out_dir(&h).join(format!("{register}.xlsx"));
        h.admin_ok("exports.register", json!({"register": register, "format": "xlsx", "path": p}));
        assert!(p.exists());
    }
    let e = h.call(&h.admin.clone(), "exports.register", json!({"register": "biscuits", "format": "pdf"})).unwrap_err();
    let mut fields = common::bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["format", "register"]);
}

#[test]
fn the_database_exports_as_deterministic_json_without_secrets() {
    let mut h = h();
    h.incident();
    let a = out_dir(&h).join("db.json");
    let b = out_dir(&h).join("db2.json");
    h.admin_ok("exports.database", json!({"path": a}));
    h.admin_ok("exports.database", json!({"path": b}));
    // The first export is itself on the record (domain.md §1.8), so the second holds exactly one more event, and
    // is otherwise the same document.
    let doc: Value = serde_json::from_slice(&std::fs::read(&a).unwrap()).unwrap();
    let mut second: Value = serde_json::from_slice(&std::fs::read(&b).unwrap()).unwrap();
    let newest = second["tables"]["audit_events"].as_array_mut().unwrap().pop().unwrap();
    assert_eq!((newest["action"].as_str(), newest["entity_type"].as_str()), (Some("export"), Some("database_export")));
    assert_eq!(doc, second);
    assert_eq!(doc["format"], "qgp-database-export");
    assert_eq!(doc["tables"]["incidents"][0]["reference"], "INC-2026-0001");
    assert!(doc["tables"]["users"][0].get("passphrase_hash").is_none(), "passphrase hashes never leave");
    assert!(doc["tables"]["audit_events"].as_array().unwrap().len() > 3);
    assert!(doc["tables"].get("incidents_fts").is_none());
    let e = h.call(&h.manager.clone(), "exports.database", json!({})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
}

#[test]
fn a_job_reports_its_result_and_a_cancelled_export_leaves_no_file() {
    let mut h = h();
    h.incident();
    let target = out_dir(&h).join("job.csv");
    let job = h.admin_ok(
        "jobs.start",
        json!({"command": "exports.register", "input": {"register": "incidents", "format": "csv", "path": target}}),
    );
    let job_id = job["jobId"].clone();
    let mut status = job;
    for _ in 0..500 {
        if status["state"] != "running" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        status = h.admin_ok("jobs.status", json!({"jobId": job_id}));
    }
    assert_eq!(status["state"], "succeeded", "{status:#}");
    assert_eq!(status["result"]["rows"], 1);
    assert!(target.exists());
    // Someone else's job is not theirs to see.
    assert_eq!(h.call(&h.manager.clone(), "jobs.status", json!({"jobId": job_id})).unwrap_err().kind, ErrorKind::NotFound);
    let e = h.call(&h.admin.clone(), "jobs.start", json!({"command": "users.create", "input": {}})).unwrap_err();
    assert_eq!(common::bad_fields(&e), ["command"]);

    // Cancelled mid-way: the error says so and nothing appears under the final name (nor a temp file).
    let cancelled = out_dir(&h).join("cancelled.xlsx");
    let core = &mut h.core;
    let mut ctx =
        qgp_core::context::Ctx::new(&mut core.conn, core.clock.as_ref(), &core.paths, &core.config, Some(h.admin.clone()), "r".into())
            .unwrap();
    ctx.call.progress.cancel();
    let e = qgp_core::export::register(&mut ctx, json!({"register": "incidents", "format": "xlsx", "path": cancelled})).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(!cancelled.exists());
    let leftovers: Vec<_> = std::fs::read_dir(out_dir(&h))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_report_with_characters_no_font_has_says_so_with_the_saved_file() {
    let mut h = h();
    let plain = h.admin_ok("reports.generate", json!({"kind": "actions", "path": out_dir(&h).join("plain.pdf")}));
    assert_eq!(plain["warnings"], json!([]));
    h.admin_ok("settings.update", json!({"orgName": "Acme 𓀀 Ltd"}));
    let out = h.admin_ok("reports.generate", json!({"kind": "actions", "path": out_dir(&h).join("boxes.pdf")}));
    let warnings = out["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{out}");
    assert!(warnings[0].as_str().unwrap().contains("𓀀 (U+13000)"), "{out}");
    assert!(std::fs::read(out_dir(&h).join("boxes.pdf")).unwrap().starts_with(b"%PDF-"), "the report is still written");
}

#[test]
fn a_pack_is_refused_when_a_stored_evidence_file_no_longer_matches_its_fingerprint() {
    let mut h = h();
    let (id, .., sha) = completed_run(&mut h);
    let stored = qgp_core::evidence::stored_path(&h.core.paths.evidence_dir, &sha);
    let mut perms = std::fs::metadata(&stored).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&stored, perms).unwrap();
    let mut bytes = std::fs::read(&stored).unwrap();
    bytes[100] ^= 0xff;
    std::fs::write(&stored, &bytes).unwrap();
    let path = out_dir(&h).join("from-a-damaged-store.zip");
    let e = h.call(&h.admin.clone(), "packs.create", json!({"subject": {"kind": "audit_run", "runId": id}, "path": path})).unwrap_err();
    assert!(e.message.contains("no longer matches its recorded SHA-256"), "{}", e.message);
    assert!(!path.exists(), "no pack is written");
}
