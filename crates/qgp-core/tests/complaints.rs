//! Complaints through the command path: defaults and validation, the §11 workflow with escalation, C-1 with an
//! investigation and actions, lateness with an injected clock, and the register.

mod common;

use common::{bad_fields, h, H, PASS};
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};

fn complaint(h: &mut H, extra: Value) -> Value {
    let mut input = json!({"title": "Late delivery", "description": "Order arrived a week late", "complainantName": "Jo Bloggs",
                           "receivedDate": "2026-11-20"});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    h.admin_ok("complaints.create", input)
}

fn id(v: &Value) -> String {
    v["record"]["id"].as_str().unwrap().to_owned()
}

fn rv(v: &Value) -> i64 {
    v["record"]["rowVersion"].as_i64().unwrap()
}

#[test]
fn create_applies_defaults_and_refuses_bad_input_field_by_field() {
    let mut h = h();
    let c = complaint(&mut h, json!({}));
    let r = &c["record"];
    assert_eq!(r["reference"], "CMP-2026-0001");
    assert_eq!(
        (r["complaintType"].as_str(), r["priority"].as_str(), r["source"].as_str()),
        (Some("other"), Some("medium"), Some("manual"))
    );
    assert_eq!(r["targetResolutionDate"], "2026-12-18", "received + 28 days");
    assert_eq!(r["status"], "received");
    assert_eq!(c["flags"]["acknowledgeBy"], "2026-11-23");
    assert_eq!(c["flags"]["acknowledgementOverdue"], true, "received on the 20th, not acknowledged within 3 days");
    let admin = h.admin.clone();
    let e = h
        .call(
            &admin,
            "complaints.create",
            json!({"title": "t", "description": "d", "complainantName": "", "receivedDate": "2026-11-30", "complainantEmail": "not-an-email",
                   "originalEmailSubject": "Re: order", "priority": "urgent"}),
        )
        .unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["complainantEmail", "complainantName", "originalEmailSubject", "priority", "receivedDate"]);
    assert_eq!(h.count("SELECT COUNT(*) FROM complaints"), 1);
    let viewer = h.viewer.clone();
    assert_eq!(h.call(&viewer, "complaints.create", json!({})).unwrap_err().kind, ErrorKind::Forbidden);
    let contributor = h.contributor.clone();
    let mine = h.ok(
        &contributor,
        "complaints.create",
        json!({"title": "t", "description": "d", "complainantName": "A", "receivedDate": "2026-11-26"}),
    );
    assert_eq!(mine["record"]["createdBy"], contributor.id.as_str());
}

#[test]
fn workflow_with_escalation_resolution_and_closing_under_c1() {
    let mut h = h();
    let c = complaint(&mut h, json!({"source": "email", "originalEmailSubject": "Order 1234", "originalEmailBody": "Where is it?"}));
    let cid = id(&c);
    let (admin, auditor, manager) = (h.admin.clone(), h.auditor.clone(), h.manager.clone());
    let e = h.call(&admin, "complaints.transition", json!({"id": cid, "rowVersion": 1, "to": "acknowledged"})).unwrap_err();
    assert!(e.message.contains("owner"), "{}", e.message);
    let v = h.admin_ok("complaints.update", json!({"id": cid, "rowVersion": 1, "changes": {"ownerId": manager.id}}));
    let v = h.admin_ok("complaints.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "acknowledged"}));
    assert_eq!(v["record"]["acknowledgedDate"], "2026-11-26");
    assert_eq!(v["flags"]["acknowledgementOverdue"], false);
    let e = h
        .call(&admin, "complaints.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "escalated", "escalatedTo": "Director"}))
        .unwrap_err();
    assert_eq!(bad_fields(&e), ["escalationReason"]);
    let v = h.admin_ok(
        "complaints.transition",
        json!({"id": cid, "rowVersion": rv(&v), "to": "escalated", "escalatedTo": "Operations director", "escalationReason": "Third late order"}),
    );
    assert!(v["record"]["escalatedAt"].is_string());
    let v = h.admin_ok(
        "complaints.transition",
        json!({"id": cid, "rowVersion": rv(&v), "to": "under_investigation", "reason": "Director asked for a root cause"}),
    );
    // An investigation and an action from it keep the complaint open.
    let inv = h.admin_ok(
        "investigations.create",
        json!({"subjectType": "complaint", "subjectId": cid, "title": "Late orders", "leadInvestigatorId": auditor.id, "reviewerId": manager.id,
               "problemStatement": "Orders leave late"}),
    );
    let action = h.action("investigation", &id(&inv), &admin.id);
    let e = h.call(&admin, "complaints.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "resolved"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["resolutionSummary"]);
    let v = h.admin_ok(
        "complaints.transition",
        json!({"id": cid, "rowVersion": rv(&v), "to": "resolved", "resolutionSummary": "Courier changed"}),
    );
    assert_eq!(v["record"]["resolvedDate"], "2026-11-26");
    let e = h
        .call(&admin, "complaints.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "under_investigation", "reason": "r"}))
        .unwrap_err();
    assert!(e.message.contains("not satisfied"), "{}", e.message);
    let e = h
        .call(&admin, "complaints.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "closed", "closureNotes": "Done"}))
        .unwrap_err();
    let blocking = e.transition.unwrap().blocking_references;
    assert!(blocking.contains(&"INV-2026-0001".to_owned()) && blocking.contains(&"ACT-2026-0001".to_owned()), "{blocking:?}");
    h.finish_action(&action);
    let i = h.ok(&auditor, "investigations.transition", json!({"id": id(&inv), "rowVersion": 1, "to": "in_progress"}));
    let i = h.ok(
        &auditor,
        "investigations.update",
        json!({"id": id(&inv), "rowVersion": rv(&i), "changes": {"rootCauseSummary": "Courier", "fiveWhys": [{"why": "w", "because": "b", "isRootCause": true}]}}),
    );
    let i =
        h.ok(&auditor, "investigations.transition", json!({"id": id(&inv), "rowVersion": rv(&i), "to": "completed", "passphrase": PASS}));
    h.ok(&manager, "investigations.transition", json!({"id": id(&inv), "rowVersion": rv(&i), "to": "closed", "passphrase": PASS}));
    let contributor = h.contributor.clone();
    let e = h
        .call(&contributor, "complaints.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "closed", "closureNotes": "Done"}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let v =
        h.admin_ok("complaints.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "closed", "closureNotes": "Customer informed"}));
    assert_eq!(v["record"]["closedBy"], admin.id.as_str());
    let e = h.call(&admin, "complaints.update", json!({"id": cid, "rowVersion": rv(&v), "changes": {"title": "x"}})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    let v = h.admin_ok(
        "complaints.transition",
        json!({"id": cid, "rowVersion": rv(&v), "to": "under_investigation", "reason": "Customer came back"}),
    );
    assert_eq!(v["record"]["reopenCount"], 1);
    assert!(v["record"]["resolvedDate"].is_null() && v["record"]["closedAt"].is_null());
}

#[test]
fn register_filters_lateness_with_the_injected_clock_and_search() {
    let mut h = h();
    complaint(&mut h, json!({"title": "Rude driver", "complaintType": "staff", "priority": "high", "complainantCompany": "Acme Ltd"}));
    complaint(&mut h, json!({"receivedDate": "2026-11-26", "targetResolutionDate": "2026-12-01"}));
    assert_eq!(h.admin_ok("complaints.list", json!({}))["total"], 2);
    let late = h.admin_ok("complaints.list", json!({"acknowledgementOverdue": true}));
    assert_eq!(late["total"], 1, "received on the 20th and not acknowledged within 3 days; the 26th is still in time");
    assert_eq!(late["items"][0]["title"], "Rude driver");
    assert_eq!(h.admin_ok("complaints.list", json!({"resolutionOverdue": true}))["total"], 0);
    h.clock.set("2026-12-02T10:00:00Z");
    let late = h.admin_ok("complaints.list", json!({"resolutionOverdue": true}));
    assert_eq!(late["total"], 1);
    assert_eq!(late["items"][0]["flags"]["resolutionOverdue"], true);
    let d = h.admin_ok("dashboard.governance", json!({}));
    assert_eq!((d["complaintsAcknowledgementOverdue"].as_i64(), d["complaintsResolutionOverdue"].as_i64()), (Some(2), Some(1)));
    assert_eq!(d["complaintsByStatus"][0], json!({"value": "received", "count": 2}));
    assert!(d["complaintsMeanDaysToAcknowledge"].is_null(), "none acknowledged yet");
    assert_eq!(h.admin_ok("complaints.list", json!({"search": "acme"}))["total"], 1);
    assert_eq!(h.admin_ok("complaints.list", json!({"complaintType": ["staff"]}))["total"], 1);
    assert_eq!(h.admin_ok("complaints.list", json!({"sort": "priority"}))["items"][0]["priority"], "high");
    assert_eq!(h.admin_ok("search.global", json!({"query": "rude"}))[0]["entityType"], "complaint");
    let admin = h.admin.clone();
    let e = h.call(&admin, "complaints.list", json!({"receivedFrom": "yesterday"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["receivedFrom"]);
}
