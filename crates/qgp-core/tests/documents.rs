//! Controlled documents through the command path: the version workflow with a signed approval and segregation of
//! duties, publishing on an effective date, a revision while the published version stays in force, immutable
//! published content, retirement and the register.

mod common;

use base64::Engine;
use common::{bad_fields, h, H, PASS};
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};

fn id(v: &Value) -> String {
    v["record"]["id"].as_str().unwrap().to_owned()
}

fn rv(v: &Value) -> i64 {
    v["record"]["rowVersion"].as_i64().unwrap()
}

fn working(v: &Value) -> (String, i64) {
    let wid = v["workingVersionId"].as_str().unwrap().to_owned();
    let ver = v["versions"].as_array().unwrap().iter().find(|x| x["id"] == wid.as_str()).unwrap();
    (wid, ver["rowVersion"].as_i64().unwrap())
}

fn step(h: &mut H, who: &qgp_core::context::Actor, v: &Value, to: &str, extra: Value) -> Result<Value, qgp_core::error::ErrorEnvelope> {
    let (vid, vrv) = working(v);
    let mut input = json!({"versionId": vid, "rowVersion": vrv, "to": to});
    for (k, val) in extra.as_object().unwrap() {
        input[k] = val.clone();
    }
    h.call(who, "documents.version_transition", input)
}

#[test]
fn a_document_is_drafted_approved_with_a_signature_and_published() {
    let mut h = h();
    let (admin, manager, auditor) = (h.admin.clone(), h.manager.clone(), h.auditor.clone());
    let e = h.call(&auditor, "documents.create", json!({"title": "t", "ownerId": admin.id})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "auditors do not author documents");
    let e = h
        .call(&admin, "documents.create", json!({"title": "", "ownerId": "nobody", "tags": ["a", "A"], "documentType": "memo"}))
        .unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["documentType", "ownerId", "tags[1]", "title"]);
    let d = h.admin_ok(
        "documents.create",
        json!({"title": "Lifting operations procedure", "documentType": "procedure", "ownerId": admin.id, "tags": ["lifting", "LOLER"]}),
    );
    assert_eq!(d["record"]["reference"], "POL-2026-0001");
    assert_eq!(d["record"]["status"], "draft");
    assert_eq!(d["versions"][0]["versionLabel"], "1.0");
    assert_eq!(d["tags"], json!(["lifting", "LOLER"]));
    // Nothing to review yet.
    let e = step(&mut h, &admin, &d, "in_review", json!({})).unwrap_err();
    assert!(e.message.contains("content"), "{}", e.message);
    let (vid, vrv) = working(&d);
    let d =
        h.admin_ok("documents.edit_version", json!({"versionId": vid, "rowVersion": vrv, "changes": {"body": "# Lifting\n\nUse a plan."}}));
    let d = step(&mut h, &admin, &d, "in_review", json!({})).unwrap();
    assert_eq!(d["record"]["status"], "in_review");
    // The author (who is also the owner) cannot approve; an auditor may not approve documents at all.
    let e = step(&mut h, &admin, &d, "approved", json!({"passphrase": PASS})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let e = step(&mut h, &auditor, &d, "approved", json!({"passphrase": PASS})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let e = step(&mut h, &manager, &d, "approved", json!({"passphrase": "wrong passphrase"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ReauthFailed);
    let d = step(&mut h, &manager, &d, "approved", json!({"passphrase": PASS, "comment": "Fit for use"})).unwrap();
    assert_eq!(d["signatures"][0]["meaning"], "approved");
    assert_eq!(d["signatures"][0]["signerId"], manager.id.as_str());
    // Approved content is frozen, even in SQL.
    let (vid, vrv) = working(&d);
    let e =
        h.call(&admin, "documents.edit_version", json!({"versionId": vid, "rowVersion": vrv, "changes": {"body": "changed"}})).unwrap_err();
    assert_eq!(bad_fields(&e), ["body"]);
    assert!(h.core.conn.execute("UPDATE document_versions SET body = 'x' WHERE id = ?1", [&vid]).is_err());
    let e = step(&mut h, &admin, &d, "published", json!({})).unwrap_err();
    assert!(e.message.contains("effective date"), "{}", e.message);
    let e = h
        .call(&admin, "documents.edit_version", json!({"versionId": vid, "rowVersion": vrv, "changes": {"effectiveDate": "2026-11-01"}}))
        .unwrap_err();
    assert_eq!(bad_fields(&e), ["effectiveDate"], "not before the approval date");
    let d = h.admin_ok("documents.edit_version", json!({"versionId": vid, "rowVersion": vrv, "changes": {"effectiveDate": "2026-12-01"}}));
    let d = step(&mut h, &admin, &d, "published", json!({})).unwrap();
    assert_eq!(d["record"]["status"], "published");
    assert_eq!(d["record"]["nextReviewDate"], "2027-12-01", "effective date + 12 months");
    assert_eq!(d["publishedVersionId"], vid.as_str());
    assert!(d["workingVersionId"].is_null());
}

#[test]
fn a_revision_runs_its_own_steps_while_the_published_version_stays_in_force() {
    let mut h = h();
    let (admin, manager) = (h.admin.clone(), h.manager.clone());
    let d = h.admin_ok("documents.create", json!({"title": "Fire policy", "ownerId": admin.id, "body": "v1"}));
    let d = step(&mut h, &admin, &d, "in_review", json!({})).unwrap();
    let d = step(&mut h, &manager, &d, "approved", json!({"passphrase": PASS})).unwrap();
    let (vid, vrv) = working(&d);
    let d = h.admin_ok("documents.edit_version", json!({"versionId": vid, "rowVersion": vrv, "changes": {"effectiveDate": "2026-11-26"}}));
    let d = step(&mut h, &admin, &d, "published", json!({})).unwrap();
    let first = d["publishedVersionId"].as_str().unwrap().to_owned();
    let e = h
        .call(&admin, "documents.new_revision", json!({"id": id(&d), "rowVersion": rv(&d), "kind": "minor", "changeSummary": ""}))
        .unwrap_err();
    assert_eq!(bad_fields(&e), ["changeSummary"]);
    let d = h.admin_ok(
        "documents.new_revision",
        json!({"id": id(&d), "rowVersion": rv(&d), "kind": "major", "changeSummary": "New assembly points"}),
    );
    assert_eq!(d["versions"][0]["versionLabel"], "2.0");
    assert_eq!(d["versions"][0]["body"], "v1", "a revision starts from the published content");
    assert_eq!(d["record"]["status"], "published", "the document stays in force");
    assert_eq!(d["publishedVersionId"], first.as_str());
    let e = h
        .call(&admin, "documents.new_revision", json!({"id": id(&d), "rowVersion": rv(&d), "kind": "minor", "changeSummary": "x"}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "one revision at a time");
    // Files of a draft revision; the approval signs their hashes.
    let (vid, _) = working(&d);
    h.admin_ok(
        "evidence.attach",
        json!({"entityType": "document_version", "entityId": vid, "originalName": "plan.txt",
               "contentBase64": base64::engine::general_purpose::STANDARD.encode(b"assembly plan")}),
    );
    let d = h.admin_ok("documents.get", json!({"id": id(&d)}));
    let d = step(&mut h, &admin, &d, "in_review", json!({})).unwrap();
    let e = step(&mut h, &manager, &d, "draft", json!({})).unwrap_err();
    assert_eq!(bad_fields(&e), ["reason"]);
    let d = step(&mut h, &manager, &d, "draft", json!({"reason": "Add the map"})).unwrap();
    assert_eq!(d["record"]["status"], "published", "returning a revision does not touch the document in force");
    let d = step(&mut h, &admin, &d, "in_review", json!({})).unwrap();
    let d = step(&mut h, &manager, &d, "approved", json!({"passphrase": PASS})).unwrap();
    let (vid2, vrv2) = working(&d);
    let e = h
        .call(
            &admin,
            "evidence.attach",
            json!({"entityType": "document_version", "entityId": vid2, "originalName": "late.txt", "contentBase64": "eA=="}),
        )
        .unwrap_err();
    assert_eq!(bad_fields(&e), ["entityId"], "approved content is locked");
    let d =
        h.admin_ok("documents.edit_version", json!({"versionId": vid2, "rowVersion": vrv2, "changes": {"effectiveDate": "2026-12-01"}}));
    let d = step(&mut h, &admin, &d, "published", json!({})).unwrap();
    let statuses: Vec<(&str, &str)> =
        d["versions"].as_array().unwrap().iter().map(|v| (v["versionLabel"].as_str().unwrap(), v["status"].as_str().unwrap())).collect();
    assert_eq!(statuses, [("2.0", "published"), ("1.0", "superseded")]);
    let d = h.admin_ok("documents.retire", json!({"id": id(&d), "rowVersion": rv(&d), "reason": "Replaced by the site fire plan"}));
    assert_eq!(d["record"]["status"], "retired");
    assert!(d["record"]["retiredAt"].is_string());
}

#[test]
fn the_register_searches_filters_and_flags_overdue_reviews() {
    let mut h = h();
    let (admin, manager) = (h.admin.clone(), h.manager.clone());
    let d = h.admin_ok(
        "documents.create",
        json!({"title": "Manual handling", "ownerId": admin.id, "body": "b", "reviewFrequencyMonths": 1, "tags": ["ergonomics"]}),
    );
    h.admin_ok("documents.create", json!({"title": "Visitor sign-in form", "documentType": "form", "ownerId": admin.id}));
    let d = step(&mut h, &admin, &d, "in_review", json!({})).unwrap();
    let d = step(&mut h, &manager, &d, "approved", json!({"passphrase": PASS})).unwrap();
    let (vid, vrv) = working(&d);
    let d = h.admin_ok("documents.edit_version", json!({"versionId": vid, "rowVersion": vrv, "changes": {"effectiveDate": "2026-11-26"}}));
    step(&mut h, &admin, &d, "published", json!({})).unwrap();
    assert_eq!(h.admin_ok("documents.list", json!({}))["total"], 2);
    assert_eq!(h.admin_ok("documents.list", json!({"documentType": ["form"]}))["total"], 1);
    assert_eq!(h.admin_ok("documents.list", json!({"search": "handling"}))["items"][0]["currentVersion"], "1.0");
    assert_eq!(h.admin_ok("documents.list", json!({"search": "ergonomics"}))["total"], 1, "tags are searched");
    assert_eq!(h.admin_ok("documents.list", json!({"reviewOverdue": true}))["total"], 0);
    let dash = h.admin_ok("dashboard.governance", json!({}));
    assert_eq!(
        (dash["documentsReviewOverdue"].as_i64(), dash["documentsReviewDueSoon"].as_i64()),
        (Some(0), Some(1)),
        "due 26 December, within 30 days"
    );
    h.clock.set("2027-01-05T09:00:00Z");
    assert_eq!(h.admin_ok("dashboard.governance", json!({}))["documentsReviewOverdue"], 1);
    let overdue = h.admin_ok("documents.list", json!({"reviewOverdue": true}));
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["reviewOverdue"], true);
    let history = h.admin_ok("documents.history", json!({"id": id(&d)}));
    assert!(history.as_array().unwrap().iter().any(|e| e["action"] == "sign"), "the approval is in the trail");
}

#[test]
fn a_revision_never_sent_for_review_can_be_discarded_and_the_history_keeps_it() {
    let mut h = h();
    let (admin, manager, contributor) = (h.admin.clone(), h.manager.clone(), h.contributor.clone());
    let d = h.admin_ok("documents.create", json!({"title": "Fire policy", "ownerId": admin.id, "body": "v1"}));
    let (only, only_rv) = working(&d);
    let e = h.call(&admin, "documents.discard_draft", json!({"versionId": only, "rowVersion": only_rv})).unwrap_err();
    assert!(e.message.contains("only version") && e.message.contains("archive the document"), "{}", e.message);
    let d = step(&mut h, &admin, &d, "in_review", json!({})).unwrap();
    let d = step(&mut h, &manager, &d, "approved", json!({"passphrase": PASS})).unwrap();
    let (vid, vrv) = working(&d);
    let d = h.admin_ok("documents.edit_version", json!({"versionId": vid, "rowVersion": vrv, "changes": {"effectiveDate": "2026-11-26"}}));
    let d = step(&mut h, &admin, &d, "published", json!({})).unwrap();
    let d = h.admin_ok(
        "documents.new_revision",
        json!({"id": id(&d), "rowVersion": rv(&d), "kind": "major", "changeSummary": "Started by mistake"}),
    );
    let (draft, draft_rv) = working(&d);
    h.admin_ok(
        "evidence.attach",
        json!({"entityType": "document_version", "entityId": draft, "originalName": "plan.txt",
               "contentBase64": base64::engine::general_purpose::STANDARD.encode(b"assembly plan")}),
    );
    let e = h.call(&contributor, "documents.discard_draft", json!({"versionId": draft, "rowVersion": draft_rv})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let after = h.admin_ok("documents.discard_draft", json!({"versionId": draft, "rowVersion": draft_rv}));
    assert_eq!(after["versions"].as_array().unwrap().len(), 1, "only the published version is left");
    assert_eq!(after["workingVersionId"], Value::Null);
    assert_eq!(after["record"]["status"], "published", "the document stays in force");
    assert_eq!(h.count(&format!("SELECT COUNT(*) FROM evidence_links WHERE entity_id = '{draft}'")), 0);
    assert_eq!(h.count("SELECT COUNT(*) FROM evidence_files WHERE original_name = 'plan.txt'"), 1, "the file stays in the store");
    let last = &h.admin_ok("documents.history", json!({"id": id(&d)}))[0];
    assert_eq!((last["action"].as_str(), last["changes"][0]["field"].as_str()), (Some("discard"), Some("version 2.0")));
    assert_eq!(last["changes"][0]["old"]["files"], json!(["plan.txt"]));
    // A revision once sent for review stays in the record.
    let d = h
        .admin_ok("documents.new_revision", json!({"id": id(&after), "rowVersion": rv(&after), "kind": "minor", "changeSummary": "Exits"}));
    let d = step(&mut h, &admin, &d, "in_review", json!({})).unwrap();
    let d = step(&mut h, &manager, &d, "draft", json!({"reason": "Wrong exit"})).unwrap();
    let (returned, returned_rv) = working(&d);
    let e = h.call(&admin, "documents.discard_draft", json!({"versionId": returned, "rowVersion": returned_rv})).unwrap_err();
    assert!(e.message.contains("has been sent for review"), "{}", e.message);
}
