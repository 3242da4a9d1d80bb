//! Investigations through the command path: subject rules, 5 whys and fishbone validation, the signed workflow,
//! rule C-1 on the subject, and global search across the registers.

mod common;

use common::{bad_fields, h, H, PASS};
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};

fn id(v: &Value) -> String {
    v["record"]["id"].as_str().unwrap().to_owned()
}

fn rv(v: &Value) -> i64 {
    v["record"]["rowVersion"].as_i64().unwrap()
}

/// An incident and an investigation of it led by the auditor, reviewed by the manager.
fn open_one(h: &mut H) -> (Value, Value) {
    let inc = h.incident();
    let (auditor, manager) = (h.auditor.clone(), h.manager.clone());
    let inv = h.admin_ok(
        "investigations.create",
        json!({"subjectType": "incident", "subjectId": id(&inc), "title": "Why the racking failed",
               "leadInvestigatorId": auditor.id, "reviewerId": manager.id, "problemStatement": "Racking upright bent",
               "targetCompletionDate": "2026-12-15"}),
    );
    (inc, inv)
}

#[test]
fn create_checks_the_subject_people_and_dates() {
    let mut h = h();
    let (inc, inv) = open_one(&mut h);
    let r = &inv["record"];
    assert_eq!(r["reference"], "INV-2026-0001");
    assert_eq!(r["subjectReference"], inc["record"]["reference"]);
    assert_eq!(r["status"], "open");
    assert_eq!(inv["leadName"], "Aud Auditor");
    let (admin, contributor) = (h.admin.clone(), h.contributor.clone());
    let e = h
        .call(
            &admin,
            "investigations.create",
            json!({"subjectType": "collision", "subjectId": id(&inc), "title": "t", "leadInvestigatorId": contributor.id,
                   "problemStatement": "p", "targetCompletionDate": "2026-11-01", "team": [contributor.id, contributor.id]}),
        )
        .unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["leadInvestigatorId", "subjectId", "targetCompletionDate", "team[1]"]);
    assert_eq!(h.count("SELECT COUNT(*) FROM investigations"), 1);
    let e = h.call(&contributor, "investigations.create", json!({})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
}

#[test]
fn five_whys_and_fishbone_are_validated_and_keep_their_ids() {
    let mut h = h();
    let (_, inv) = open_one(&mut h);
    let iid = id(&inv);
    let admin = h.admin.clone();
    let e = h
        .call(
            &admin,
            "investigations.update",
            json!({"id": iid, "rowVersion": 1, "changes": {
            "fiveWhys": [
                {"step": 1, "why": "Why did it bend?", "because": "A pallet hit it", "isRootCause": true},
                {"step": 3, "why": "Why was it hit?", "because": ""}
            ],
            "fishbone": [
                {"id": "0190a0b0-0000-7000-8000-000000000000", "category": "people", "description": "x"},
                {"category": "weather", "description": "Rain"}
            ]}}),
        )
        .unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["fishbone[0].id", "fishbone[1].category", "fiveWhys[0].isRootCause", "fiveWhys[1].because", "fiveWhys[1].step"]);
    let v = h.admin_ok(
        "investigations.update",
        json!({"id": iid, "rowVersion": 1, "changes": {
            "fiveWhys": [
                {"why": "Why did it bend?", "because": "A pallet hit it"},
                {"why": "Why was it hit?", "because": "The aisle is too narrow", "isRootCause": true}
            ],
            "fishbone": [{"category": "methods", "description": "No traffic plan"}],
            "timeline": [{"date": "2026-11-20", "time": "10:05", "description": "Impact"}, {"date": "2026-11-19", "description": "Last inspection"}]
        }}),
    );
    assert_eq!(v["record"]["fiveWhys"][1]["step"], 2, "steps are numbered from 1");
    assert_eq!(v["record"]["timeline"][0]["description"], "Last inspection", "timeline reads in date order");
    let root = v["record"]["fishbone"][0]["id"].as_str().unwrap().to_owned();
    // Sub-causes: same category, at most three levels.
    let nested = json!([
        {"id": root, "category": "methods", "description": "No traffic plan"},
        {"category": "people", "description": "Wrong category", "parentCauseId": root}
    ]);
    let e = h.call(&admin, "investigations.update", json!({"id": iid, "rowVersion": rv(&v), "changes": {"fishbone": nested}})).unwrap_err();
    assert_eq!(bad_fields(&e), ["fishbone[1].parentCauseId"]);
    let v = h.admin_ok(
        "investigations.update",
        json!({"id": iid, "rowVersion": rv(&v), "changes": {"fishbone": [
            {"id": root, "category": "methods", "description": "No traffic plan"},
            {"category": "methods", "description": "Plan never written", "parentCauseId": root}
        ]}}),
    );
    let fishbone = v["record"]["fishbone"].as_array().unwrap();
    assert_eq!(fishbone[0]["id"], root.as_str(), "existing causes keep their ids");
    let child = fishbone[1]["id"].as_str().unwrap().to_owned();
    let too_deep = json!([
        {"id": root, "category": "methods", "description": "No traffic plan"},
        {"id": child, "category": "methods", "description": "Plan never written", "parentCauseId": root},
        {"category": "methods", "description": "Level 3", "parentCauseId": child}
    ]);
    let v = h.admin_ok("investigations.update", json!({"id": iid, "rowVersion": rv(&v), "changes": {"fishbone": too_deep}}));
    let grandchild = v["record"]["fishbone"][2]["id"].as_str().unwrap().to_owned();
    let mut four = v["record"]["fishbone"].as_array().unwrap().clone();
    four.push(json!({"category": "methods", "description": "Level 4", "parentCauseId": grandchild}));
    let e = h.call(&admin, "investigations.update", json!({"id": iid, "rowVersion": rv(&v), "changes": {"fishbone": four}})).unwrap_err();
    assert_eq!(bad_fields(&e), ["fishbone[3].parentCauseId"]);
}

#[test]
fn signed_workflow_with_segregation_and_reopen() {
    let mut h = h();
    let (_, inv) = open_one(&mut h);
    let iid = id(&inv);
    let (admin, auditor, manager) = (h.admin.clone(), h.auditor.clone(), h.manager.clone());
    let v = h.ok(&auditor, "investigations.transition", json!({"id": iid, "rowVersion": 1, "to": "in_progress"}));
    assert!(v["record"]["startedAt"].is_string());
    let e = h
        .call(&auditor, "investigations.transition", json!({"id": iid, "rowVersion": rv(&v), "to": "completed", "passphrase": PASS}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition);
    assert_eq!(e.transition.as_ref().unwrap().unmet_guards.len(), 2, "summary and a flagged root cause");
    let v = h.ok(
        &auditor,
        "investigations.update",
        json!({"id": iid, "rowVersion": rv(&v), "changes": {"rootCauseSummary": "No traffic management plan",
               "fiveWhys": [{"why": "Why hit?", "because": "No plan", "isRootCause": true}]}}),
    );
    let e = h
        .call(&admin, "investigations.transition", json!({"id": iid, "rowVersion": rv(&v), "to": "completed", "passphrase": PASS}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "only the lead signs completion");
    let e = h
        .call(
            &auditor,
            "investigations.transition",
            json!({"id": iid, "rowVersion": rv(&v), "to": "completed", "passphrase": "not my passphrase"}),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ReauthFailed);
    let v = h.ok(&auditor, "investigations.transition", json!({"id": iid, "rowVersion": rv(&v), "to": "completed", "passphrase": PASS}));
    assert_eq!(v["signatures"][0]["meaning"], "completed");
    assert_eq!(v["signatures"][0]["signerId"], auditor.id.as_str());
    let e = h.call(&auditor, "investigations.update", json!({"id": iid, "rowVersion": rv(&v), "changes": {"scope": "x"}})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "completed is read-only");
    let e = h
        .call(&admin, "investigations.transition", json!({"id": iid, "rowVersion": rv(&v), "to": "closed", "passphrase": PASS}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "only the named reviewer approves");
    // Returned by the reviewer with a reason, then completed again and approved.
    let v = h.ok(
        &manager,
        "investigations.transition",
        json!({"id": iid, "rowVersion": rv(&v), "to": "in_progress", "reason": "Add the timeline"}),
    );
    assert!(v["record"]["completedAt"].is_null());
    let v = h.ok(&auditor, "investigations.transition", json!({"id": iid, "rowVersion": rv(&v), "to": "completed", "passphrase": PASS}));
    let v = h.ok(
        &manager,
        "investigations.transition",
        json!({"id": iid, "rowVersion": rv(&v), "to": "closed", "passphrase": PASS, "comment": "Agreed"}),
    );
    assert_eq!(v["record"]["status"], "closed");
    assert!(v["record"]["reviewedAt"].is_string());
    assert_eq!(v["signatures"].as_array().unwrap().iter().filter(|s| s["meaning"] == "approved").count(), 1);
    let v = h.ok(
        &manager,
        "investigations.transition",
        json!({"id": iid, "rowVersion": rv(&v), "to": "in_progress", "reason": "New evidence"}),
    );
    assert_eq!(v["record"]["reopenCount"], 1);
    assert!(v["record"]["reviewedAt"].is_null() && v["record"]["closedAt"].is_null());
    // With segregation on, a reviewer who is also the lead cannot approve.
    let v = h.ok(&manager, "investigations.update", json!({"id": iid, "rowVersion": rv(&v), "changes": {"reviewerId": auditor.id}}));
    let v = h.ok(&auditor, "investigations.transition", json!({"id": iid, "rowVersion": rv(&v), "to": "completed", "passphrase": PASS}));
    let e = h
        .call(&auditor, "investigations.transition", json!({"id": iid, "rowVersion": rv(&v), "to": "closed", "passphrase": PASS}))
        .unwrap_err();
    assert!(e.message.contains("Segregation"), "{}", e.message);
}

#[test]
fn the_subject_cannot_close_while_its_investigation_or_its_actions_are_open() {
    let mut h = h();
    let (inc, inv) = open_one(&mut h);
    let (admin, auditor, manager) = (h.admin.clone(), h.auditor.clone(), h.manager.clone());
    let subject = h.admin_ok("investigations.list", json!({"subjectId": id(&inc)}));
    assert_eq!(subject["total"], 1);
    let action = h.action("investigation", &id(&inv), &admin.id);
    assert_eq!(action["record"]["sourceReference"], "INV-2026-0001");
    // Move the incident on and try to close it.
    let i = h.admin_ok("incidents.update", json!({"id": id(&inc), "rowVersion": 1, "changes": {"investigatorId": auditor.id, "riddorReportable": false, "riddorRationale": "No injury"}}));
    let i = h.admin_ok("incidents.transition", json!({"id": id(&inc), "rowVersion": rv(&i), "to": "under_investigation"}));
    let e = h
        .call(
            &admin,
            "incidents.transition",
            json!({"id": id(&inc), "rowVersion": rv(&i), "to": "closed", "reason": "r", "closureNotes": "n"}),
        )
        .unwrap_err();
    let refusal = e.transition.clone().unwrap_or_else(|| panic!("{e:?}"));
    assert!(refusal.blocking_references.contains(&"INV-2026-0001".to_owned()), "{refusal:?}");
    assert!(refusal.blocking_references.contains(&action["record"]["reference"].as_str().unwrap().to_owned()), "{refusal:?}");
    // Archiving the investigation with an open action is refused, naming it.
    let e = h.call(&admin, "investigations.archive", json!({"id": id(&inv), "rowVersion": 1, "reason": "x"})).unwrap_err();
    assert!(e.message.contains("ACT-2026-0001"), "{}", e.message);
    h.finish_action(&action);
    let v = h.ok(&auditor, "investigations.transition", json!({"id": id(&inv), "rowVersion": 1, "to": "in_progress"}));
    let v = h.ok(
        &auditor,
        "investigations.update",
        json!({"id": id(&inv), "rowVersion": rv(&v), "changes": {"rootCauseSummary": "No plan", "fishbone": [{"category": "methods", "description": "No plan", "isRootCause": true}]}}),
    );
    let v =
        h.ok(&auditor, "investigations.transition", json!({"id": id(&inv), "rowVersion": rv(&v), "to": "completed", "passphrase": PASS}));
    h.ok(&manager, "investigations.transition", json!({"id": id(&inv), "rowVersion": rv(&v), "to": "closed", "passphrase": PASS}));
    let i = h.admin_ok(
        "incidents.transition",
        json!({"id": id(&inc), "rowVersion": rv(&i), "to": "closed", "reason": "Investigated", "closureNotes": "Plan in place"}),
    );
    assert_eq!(i["record"]["status"], "closed");
}

#[test]
fn global_search_ranks_across_registers_and_leaves_out_archived() {
    let mut h = h();
    let (inc, _inv) = open_one(&mut h);
    let admin = h.admin.clone();
    h.admin_ok("risks.create", json!({"title": "Racking collapse", "description": "Overloaded racking"}));
    h.action("incident", &id(&inc), &admin.id);
    let hits = h.admin_ok("search.global", json!({"query": "racking"}));
    let kinds: Vec<&str> = hits.as_array().unwrap().iter().map(|h| h["entityType"].as_str().unwrap()).collect();
    for kind in ["incident", "risk", "investigation"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let hits = h.admin_ok("search.global", json!({"query": "act-2026-0001"}));
    assert_eq!(hits[0]["reference"], "ACT-2026-0001", "an exact reference comes first");
    assert_eq!(h.admin_ok("search.global", json!({"query": "  "})).as_array().unwrap().len(), 0);
    let risk = h.admin_ok("risks.get", json!({"reference": "RSK-2026-0001"}));
    h.admin_ok("risks.archive", json!({"id": id(&risk), "rowVersion": 1, "reason": "dup"}));
    let hits = h.admin_ok("search.global", json!({"query": "collapse"}));
    assert_eq!(hits.as_array().unwrap().len(), 0);
}

#[test]
fn actions_cannot_be_raised_from_an_investigation_whose_subject_is_archived() {
    let mut h = h();
    let (inc, inv) = open_one(&mut h);
    let admin = h.admin.clone();
    h.admin_ok("incidents.archive", json!({"id": id(&inc), "rowVersion": 1, "reason": "Entered twice"}));
    let e = h
        .call(
            &admin,
            "actions.create",
            json!({"sourceType": "investigation", "sourceId": id(&inv), "title": "t", "description": "d", "ownerId": admin.id, "dueDate": "2026-12-10"}),
        )
        .unwrap_err();
    assert_eq!(bad_fields(&e), ["sourceId"]);
    assert!(e.message.contains("INC-2026-0001"), "{}", e.message);
}
