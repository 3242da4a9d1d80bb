//! Risks through the command path: scoring, assessments, controls, the workflow with a signed acceptance,
//! rule C-1, links to incidents, the heat map and the register's filters.

mod common;

use common::{bad_fields, h, H, PASS};
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};

fn risk(h: &mut H, extra: Value) -> Value {
    let mut input = json!({"title": "Racking collapse", "description": "Overloaded pallet racking in aisle 4"});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    h.admin_ok("risks.create", input)
}

fn id(v: &Value) -> String {
    v["record"]["id"].as_str().unwrap().to_owned()
}

fn rv(v: &Value) -> i64 {
    v["record"]["rowVersion"].as_i64().unwrap()
}

#[test]
fn create_scores_from_the_matrix_and_writes_an_initial_assessment() {
    let mut h = h();
    let r = risk(&mut h, json!({}));
    let rec = &r["record"];
    assert_eq!(rec["reference"], "RSK-2026-0001");
    assert_eq!(rec["category"], "operational");
    assert_eq!(rec["treatmentStrategy"], "mitigate");
    assert_eq!((rec["likelihood"].as_i64(), rec["impact"].as_i64(), rec["score"].as_i64()), (Some(3), Some(3), Some(9)));
    assert_eq!(rec["level"], "medium");
    assert_eq!(r["colour"], "#eab308");
    assert_eq!(rec["reviewFrequencyMonths"], 12, "medium → 12 months");
    assert_eq!(rec["nextReviewDate"], "2027-11-26");
    assert_eq!(rec["status"], "identified");
    let a = &r["assessments"][0];
    assert_eq!(r["assessments"].as_array().unwrap().len(), 1);
    assert_eq!((a["assessmentType"].as_str(), a["assessmentDate"].as_str()), (Some("initial"), Some("2026-11-26")));
    assert_eq!((a["inherentScore"].as_i64(), a["residualScore"].as_i64()), (Some(9), Some(9)));
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'risk'"), 1);

    let critical = risk(&mut h, json!({"likelihood": 5, "impact": 4}));
    assert_eq!(critical["record"]["level"], "critical");
    assert_eq!(critical["record"]["reviewFrequencyMonths"], 3);
    assert_eq!(critical["record"]["nextReviewDate"], "2027-02-26");
}

#[test]
fn bad_input_names_every_field_and_writes_nothing() {
    let mut h = h();
    let admin = h.admin.clone();
    let e = h
        .call(
            &admin,
            "risks.create",
            json!({"title": " ", "description": "x", "category": "Operational", "likelihood": 6, "ownerId": "nobody"}),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ValidationFailed);
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["category", "likelihood", "ownerId", "title"]);
    assert_eq!(h.count("SELECT COUNT(*) FROM risks"), 0);
    assert_eq!(h.count("SELECT COUNT(*) FROM risk_assessments"), 0);
    // Rating changes only through assessments.
    let r = risk(&mut h, json!({}));
    let e = h.call(&admin, "risks.update", json!({"id": id(&r), "rowVersion": 1, "changes": {"likelihood": 1}})).unwrap_err();
    assert_eq!(bad_fields(&e), ["likelihood"]);
    // Viewers and contributors cannot create risks.
    let contributor = h.contributor.clone();
    let e = h.call(&contributor, "risks.create", json!({"title": "t", "description": "d"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
}

#[test]
fn the_latest_assessment_sets_the_rating_and_the_next_review() {
    let mut h = h();
    let r = risk(&mut h, json!({"likelihood": 4, "impact": 4}));
    let rid = id(&r);
    let admin = h.admin.clone();
    // Residual above inherent, a half target and a future date are refused; nothing is written.
    let e = h
        .call(
            &admin,
            "risks.assess",
            json!({"id": rid, "rowVersion": 1, "assessmentDate": "2026-11-27", "inherentLikelihood": 2, "inherentImpact": 2,
                   "residualLikelihood": 3, "residualImpact": 3, "targetImpact": 1}),
        )
        .unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["assessmentDate", "residualImpact", "targetLikelihood"]);
    assert_eq!(h.count("SELECT COUNT(*) FROM risk_assessments"), 1);
    // A back-dated assessment is history but not the latest: the rating stays.
    let v = h.admin_ok(
        "risks.assess",
        json!({"id": rid, "rowVersion": 1, "assessmentDate": "2026-10-01", "assessmentType": "periodic", "inherentLikelihood": 5,
               "inherentImpact": 5, "residualLikelihood": 1, "residualImpact": 1}),
    );
    assert_eq!(v["record"]["score"], 16);
    assert_eq!(v["assessments"].as_array().unwrap().len(), 2);
    assert_eq!(v["assessments"][1]["assessmentDate"], "2026-10-01", "newest first");
    // Today's assessment with a target becomes the current rating; the review date restarts from it.
    let v = h.admin_ok(
        "risks.assess",
        json!({"id": rid, "rowVersion": rv(&v), "assessmentDate": "2026-11-26", "inherentLikelihood": 4, "inherentImpact": 4,
               "residualLikelihood": 2, "residualImpact": 3, "targetLikelihood": 1, "targetImpact": 2, "notes": "Guards fitted"}),
    );
    let rec = &v["record"];
    assert_eq!((rec["likelihood"].as_i64(), rec["impact"].as_i64(), rec["score"].as_i64()), (Some(2), Some(3), Some(6)));
    assert_eq!(rec["level"], "medium");
    assert_eq!(rec["nextReviewDate"], "2027-05-26", "frequency stays 6 months (set from the initial high level)");
    assert_eq!(v["assessments"][0]["targetLevel"], "low");
    // Assessments cannot be edited or deleted, even in SQL.
    assert!(h.core.conn.execute("UPDATE risk_assessments SET notes = 'x'", []).is_err());
    assert!(h.core.conn.execute("DELETE FROM risk_assessments", []).is_err());
    // A stale row version is a conflict.
    let e = h
        .call(
            &admin,
            "risks.assess",
            json!({"id": rid, "rowVersion": 1, "assessmentDate": "2026-11-26", "inherentLikelihood": 1, "inherentImpact": 1,
                   "residualLikelihood": 1, "residualImpact": 1}),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
}

#[test]
fn the_next_review_can_be_brought_forward_but_not_pushed_later() {
    let mut h = h();
    let r = risk(&mut h, json!({}));
    let admin = h.admin.clone();
    let e =
        h.call(&admin, "risks.update", json!({"id": id(&r), "rowVersion": 1, "changes": {"nextReviewDate": "2027-12-01"}})).unwrap_err();
    assert_eq!(bad_fields(&e), ["nextReviewDate"]);
    let v = h.admin_ok("risks.update", json!({"id": id(&r), "rowVersion": 1, "changes": {"nextReviewDate": "2027-01-15"}}));
    assert_eq!(v["record"]["nextReviewDate"], "2027-01-15");
    // Changing the frequency recomputes from the latest assessment.
    let v = h.admin_ok("risks.update", json!({"id": id(&r), "rowVersion": 2, "changes": {"reviewFrequencyMonths": 1}}));
    assert_eq!(v["record"]["nextReviewDate"], "2026-12-26");
}

#[test]
fn workflow_guards_c1_and_reopen() {
    let mut h = h();
    let r = risk(&mut h, json!({}));
    let rid = id(&r);
    let admin = h.admin.clone();
    let e = h.call(&admin, "risks.transition", json!({"id": rid, "rowVersion": 1, "to": "assessed"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition);
    assert!(e.message.contains("owner"), "{}", e.message);
    let e = h.call(&admin, "risks.transition", json!({"id": rid, "rowVersion": 1, "to": "monitoring"})).unwrap_err();
    assert!(e.message.contains("Allowed: assessed, closed"), "{}", e.message);
    let v = h.admin_ok("risks.update", json!({"id": rid, "rowVersion": 1, "changes": {"ownerId": admin.id}}));
    let v = h.admin_ok("risks.transition", json!({"id": rid, "rowVersion": rv(&v), "to": "assessed"}));
    let e = h.call(&admin, "risks.transition", json!({"id": rid, "rowVersion": rv(&v), "to": "treating"})).unwrap_err();
    assert!(e.message.contains("treatment plan"), "{}", e.message);
    let v = h.admin_ok(
        "risks.update",
        json!({"id": rid, "rowVersion": rv(&v), "changes": {"treatmentPlan": "Fit guards", "treatmentDueDate": "2026-12-01"}}),
    );
    let v = h.admin_ok("risks.transition", json!({"id": rid, "rowVersion": rv(&v), "to": "treating"}));
    let e = h.call(&admin, "risks.transition", json!({"id": rid, "rowVersion": rv(&v), "to": "monitoring"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["reason"]);
    // C-1: an open action blocks closing and archiving, and is named.
    let action = h.action("risk", &rid, &admin.id);
    let act_ref = action["record"]["reference"].as_str().unwrap().to_owned();
    let e = h.call(&admin, "risks.transition", json!({"id": rid, "rowVersion": rv(&v), "to": "closed", "reason": "Done"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition);
    assert_eq!(e.transition.as_ref().unwrap().blocking_references, std::slice::from_ref(&act_ref));
    let e = h.call(&admin, "risks.archive", json!({"id": rid, "rowVersion": rv(&v), "reason": "Duplicate"})).unwrap_err();
    assert!(e.message.contains(&act_ref), "{}", e.message);
    h.finish_action(&action);
    let v = h.admin_ok("risks.transition", json!({"id": rid, "rowVersion": rv(&v), "to": "closed", "reason": "Racking replaced"}));
    assert_eq!(v["record"]["closedBy"], admin.id.as_str());
    assert_eq!(v["record"]["closureReason"], "Racking replaced");
    let e = h.call(&admin, "risks.update", json!({"id": rid, "rowVersion": rv(&v), "changes": {"title": "x"}})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "a closed risk is read-only");
    let v = h.admin_ok("risks.transition", json!({"id": rid, "rowVersion": rv(&v), "to": "assessed", "reason": "Recurred"}));
    assert_eq!(v["record"]["reopenCount"], 1);
    assert!(v["record"]["closedAt"].is_null());
}

#[test]
fn acceptance_is_signed_by_a_manager_who_is_not_the_owner() {
    let mut h = h();
    let (admin, manager, auditor) = (h.admin.clone(), h.manager.clone(), h.auditor.clone());
    let r = risk(&mut h, json!({"treatmentStrategy": "accept", "ownerId": manager.id}));
    let rid = id(&r);
    let v = h.admin_ok("risks.transition", json!({"id": rid, "rowVersion": 1, "to": "assessed"}));
    let step = |to: &str, pass: &str| json!({"id": rid, "rowVersion": rv(&v), "to": to, "passphrase": pass, "comment": "Tolerable"});
    let e = h.call(&auditor, "risks.transition", step("monitoring", PASS)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "auditors cannot accept risks");
    let e = h.call(&manager, "risks.transition", step("monitoring", PASS)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert!(e.message.contains("Segregation"), "{}", e.message);
    let e = h.call(&admin, "risks.transition", json!({"id": rid, "rowVersion": rv(&v), "to": "monitoring"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["passphrase"]);
    let e = h.call(&admin, "risks.transition", step("monitoring", "wrong passphrase!")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ReauthFailed);
    assert_eq!(h.count("SELECT COUNT(*) FROM signatures"), 0);
    let v = h.ok(&admin, "risks.transition", step("monitoring", PASS));
    assert_eq!(v["record"]["status"], "monitoring");
    assert_eq!(v["record"]["acceptedBy"], admin.id.as_str());
    assert_eq!(v["signatures"][0]["meaning"], "accepted");
    assert_eq!(v["signatures"][0]["comment"], "Tolerable");
    assert_eq!(v["signatures"][0]["contentHash"].as_str().unwrap().len(), 64);
    // A mitigated risk cannot be "accepted" into monitoring.
    let other = risk(&mut h, json!({"ownerId": manager.id}));
    let o = h.admin_ok("risks.transition", json!({"id": id(&other), "rowVersion": 1, "to": "assessed"}));
    let e = h
        .call(&admin, "risks.transition", json!({"id": id(&o), "rowVersion": rv(&o), "to": "monitoring", "passphrase": PASS}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition);
}

#[test]
fn heat_map_counts_live_risks_per_cell_on_each_basis() {
    let mut h = h();
    let a = risk(&mut h, json!({"likelihood": 5, "impact": 5}));
    risk(&mut h, json!({"likelihood": 5, "impact": 5}));
    risk(&mut h, json!({"likelihood": 1, "impact": 2}));
    let archived = risk(&mut h, json!({"likelihood": 3, "impact": 3}));
    h.admin_ok("risks.archive", json!({"id": id(&archived), "rowVersion": 1, "reason": "Duplicate"}));
    // Reassess one: residual 2×2 now, inherent stays 5×5, target 1×1.
    h.admin_ok(
        "risks.assess",
        json!({"id": id(&a), "rowVersion": 1, "assessmentDate": "2026-11-26", "inherentLikelihood": 5, "inherentImpact": 5,
               "residualLikelihood": 2, "residualImpact": 2, "targetLikelihood": 1, "targetImpact": 1}),
    );
    let m = h.admin_ok("risks.heat_map", json!({}));
    assert_eq!(m["basis"], "residual");
    let rows = m["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0][0]["likelihood"], 5, "likelihood 5 on top");
    assert_eq!(rows[0][0]["impact"], 1, "impact 1 on the left");
    let cell = |m: &Value, l: usize, i: usize| m["rows"][5 - l][i - 1]["count"].as_i64().unwrap();
    assert_eq!(cell(&m, 5, 5), 1);
    assert_eq!(cell(&m, 2, 2), 1);
    assert_eq!(cell(&m, 1, 2), 1);
    assert_eq!(cell(&m, 3, 3), 0, "archived risks are left out");
    assert_eq!(m["rows"][0][4]["colour"], "#ef4444");
    let levels: Vec<(String, i64)> =
        m["levels"].as_array().unwrap().iter().map(|l| (l["level"].as_str().unwrap().to_owned(), l["count"].as_i64().unwrap())).collect();
    assert_eq!(levels, [("very_low".into(), 0), ("low".into(), 2), ("medium".into(), 0), ("high".into(), 0), ("critical".into(), 1)]);
    let inherent = h.admin_ok("risks.heat_map", json!({"basis": "inherent"}));
    assert_eq!(cell(&inherent, 5, 5), 2);
    let target = h.admin_ok("risks.heat_map", json!({"basis": "target"}));
    assert_eq!(cell(&target, 1, 1), 1);
    assert_eq!(target["total"], 1, "only assessments with a target count");
    // Clicking a cell lists its risks.
    let listed = h.admin_ok("risks.list", json!({"likelihood": 5, "impact": 5, "basis": "inherent"}));
    assert_eq!(listed["total"], 2);
    let listed = h.admin_ok("risks.list", json!({"likelihood": 5, "impact": 5}));
    assert_eq!(listed["total"], 1);
}

#[test]
fn controls_are_added_updated_and_audited() {
    let mut h = h();
    let r = risk(&mut h, json!({}));
    let admin = h.admin.clone();
    let e = h
        .call(&admin, "risks.add_control", json!({"riskId": id(&r), "control": {"controlType": "magic", "lastTestedOn": "2027-01-01"}}))
        .unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["controlType", "lastTestedOn", "title"]);
    let v = h.admin_ok(
        "risks.add_control",
        json!({"riskId": id(&r), "control": {"title": "Load signs", "testFrequencyMonths": 6, "lastTestedOn": "2026-08-31"}}),
    );
    let c = &v["controls"][0];
    assert_eq!(
        (c["controlType"].as_str(), c["implementationStatus"].as_str(), c["effectiveness"].as_str()),
        (Some("preventive"), Some("planned"), Some("not_tested"))
    );
    assert_eq!(c["nextTestDate"], "2027-02-28", "month end clamps");
    let cid = c["id"].as_str().unwrap().to_owned();
    let v = h.admin_ok(
        "risks.update_control",
        json!({"id": cid, "rowVersion": 1, "changes": {"effectiveness": "effective", "implementationStatus": "implemented"}}),
    );
    assert_eq!(v["controls"][0]["effectiveness"], "effective");
    let e = h.call(&admin, "risks.update_control", json!({"id": cid, "rowVersion": 1, "changes": {"title": "x"}})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    let history = h.admin_ok("risks.history", json!({"id": id(&r)}));
    let fields: Vec<&str> =
        history.as_array().unwrap()[0]["changes"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert!(fields.iter().all(|f| f.starts_with(&format!("controls.{cid}."))), "{fields:?}");
    assert!(h.core.conn.execute("DELETE FROM risk_controls", []).is_err(), "controls are never deleted");
}

#[test]
fn links_to_incidents_collisions_and_complaints_are_seen_from_both_ends_and_audited_on_both() {
    let mut h = h();
    let r = risk(&mut h, json!({}));
    let inc = h.incident();
    let (rid, iid) = (id(&r), id(&inc));
    let admin = h.admin.clone();
    let link = |kind: &str, record: &str| json!({"riskId": rid, "recordType": kind, "recordId": record});
    let v = h.admin_ok("risks.link", link("incident", &iid));
    assert_eq!(v["linkedRecords"][0]["reference"], inc["record"]["reference"]);
    assert_eq!(v["linkedRecords"][0]["entityType"], "incident");
    assert_eq!(v["record"]["rowVersion"], 1, "linking does not change row_version");
    let i = h.admin_ok("incidents.get", json!({"id": iid}));
    assert_eq!(i["linkedRisks"][0]["reference"], "RSK-2026-0001");
    assert_eq!(i["record"]["rowVersion"], 1);
    let e = h.call(&admin, "risks.link", link("incident", &iid)).unwrap_err();
    assert_eq!(bad_fields(&e), ["recordId"]);
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE action = 'link'"), 2);
    // Collisions and complaints link the same way.
    let col = h.admin_ok(
        "collisions.create",
        json!({"title": "t", "description": "d", "location": "l", "collisionDate": "2026-11-20", "driverName": "Sam"}),
    );
    let cmp =
        h.admin_ok("complaints.create", json!({"title": "t", "description": "d", "complainantName": "Jo", "receivedDate": "2026-11-20"}));
    h.admin_ok("risks.link", link("collision", &id(&col)));
    let v = h.admin_ok("risks.link", link("complaint", &id(&cmp)));
    let kinds: Vec<&str> = v["linkedRecords"].as_array().unwrap().iter().map(|l| l["entityType"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 3);
    for kind in ["incident", "collision", "complaint"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
    assert_eq!(h.admin_ok("collisions.get", json!({"id": id(&col)}))["linkedRisks"][0]["reference"], "RSK-2026-0001");
    assert_eq!(h.admin_ok("complaints.get", json!({"id": id(&cmp)}))["linkedRisks"][0]["reference"], "RSK-2026-0001");
    h.admin_ok("risks.unlink", link("incident", &iid));
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE action = 'unlink'"), 2);
    assert_eq!(h.admin_ok("incidents.get", json!({"id": iid}))["linkedRisks"].as_array().unwrap().len(), 0);
    let e = h.call(&admin, "risks.link", link("incident", "0190a0b0-0000-7000-8000-000000000000")).unwrap_err();
    assert_eq!(bad_fields(&e), ["recordId"]);
    let e = h.call(&admin, "risks.link", link("action", &iid)).unwrap_err();
    assert_eq!(bad_fields(&e), ["recordType"], "actions are not linked to risks (their source is)");
    let e = h.call(&admin, "risks.link", link("finding", &iid)).unwrap_err();
    assert_eq!(bad_fields(&e), ["recordId"], "an incident's id is no finding");
    h.admin_ok("incidents.archive", json!({"id": iid, "rowVersion": 1, "reason": "Test data"}));
    let e = h.call(&admin, "risks.link", link("incident", &iid)).unwrap_err();
    assert_eq!(e.fields.unwrap()[0].code, qgp_core::error::FieldCode::ArchivedTarget);
}

#[test]
fn register_filters_flags_and_order_use_the_injected_clock() {
    let mut h = h();
    let admin = h.admin.clone();
    let low = risk(&mut h, json!({"likelihood": 1, "impact": 1, "title": "Paper cuts"}));
    let high = risk(&mut h, json!({"likelihood": 4, "impact": 4, "title": "Racking collapse", "ownerId": admin.id}));
    let page = h.admin_ok("risks.list", json!({}));
    assert_eq!(page["items"][0]["id"], high["record"]["id"], "score desc");
    assert_eq!(h.admin_ok("risks.list", json!({"level": ["high"]}))["total"], 1);
    assert_eq!(h.admin_ok("risks.list", json!({"search": "collapse"}))["total"], 1);
    assert_eq!(h.admin_ok("risks.list", json!({"ownerId": [admin.id]}))["total"], 1);
    // Seven months on, the high risk's 6-month review is overdue; the very low one (24 months) is not.
    h.clock.set("2027-06-01T09:00:00Z");
    let overdue = h.admin_ok("risks.list", json!({"reviewOverdue": true}));
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["flags"]["reviewOverdue"], true);
    let v = h.admin_ok("risks.get", json!({"id": id(&low)}));
    assert_eq!(v["flags"]["reviewOverdue"], false);
    let d = h.admin_ok("dashboard.governance", json!({}));
    assert_eq!(d["risksReviewOverdue"], 1);
    assert_eq!(d["heatMap"]["total"], 2);
    let e = h.call(&admin, "risks.list", json!({"level": ["severe"]})).unwrap_err();
    assert_eq!(bad_fields(&e), ["level"]);
}
