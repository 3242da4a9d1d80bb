//! Road traffic collisions through the command path: field rules (driver, injuries, police, money, third parties),
//! the §10 workflow with the insurance step and C-1, and the register's filters.

mod common;

use common::{bad_fields, h, H};
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};

fn collision(h: &mut H, extra: Value) -> Value {
    let mut input = json!({"title": "Van reversed into bollard", "description": "Depot yard", "location": "Depot, Leeds",
                           "collisionDate": "2026-11-24", "driverName": "Sam Driver", "vehicleRegistration": "ab12 cde"});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    h.admin_ok("collisions.create", input)
}

fn id(v: &Value) -> String {
    v["record"]["id"].as_str().unwrap().to_owned()
}

fn rv(v: &Value) -> i64 {
    v["record"]["rowVersion"].as_i64().unwrap()
}

#[test]
fn create_applies_defaults_and_the_field_rules() {
    let mut h = h();
    let c = collision(
        &mut h,
        json!({"estimatedCost": 125050, "thirdParties": [{"name": "Pat Other", "vehicleRegistration": "xy99 zzz", "injured": false}]}),
    );
    let r = &c["record"];
    assert_eq!(r["reference"], "RTA-2026-0001");
    assert_eq!((r["severity"].as_str(), r["faultDetermination"].as_str()), (Some("damage_only"), Some("undetermined")));
    assert_eq!(r["reportedDate"], "2026-11-26", "reported today by default");
    assert_eq!(r["vehicleRegistration"], "AB12 CDE", "registrations are upper-cased");
    assert_eq!(r["estimatedCost"], 125050, "money is integer pence");
    assert_eq!(c["thirdParties"][0]["vehicleRegistration"], "XY99 ZZZ");
    assert_eq!(c["driverDisplay"], "Sam Driver");
    let admin = h.admin.clone();
    let e = h
        .call(
            &admin,
            "collisions.create",
            json!({"title": "t", "description": "d", "location": "l", "collisionDate": "2026-11-25", "reportedDate": "2026-11-24",
                   "driverInjured": true, "policeReference": "P1", "estimatedCost": -5, "thirdParties": [{"contact": "x"}]}),
        )
        .unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["driverInjuryDetails", "driverName", "estimatedCost", "policeReference", "reportedDate", "thirdParties[0].name"]);
    assert_eq!(h.count("SELECT COUNT(*) FROM collisions"), 1);
    assert_eq!(h.count("SELECT COUNT(*) FROM collision_third_parties"), 1);
}

#[test]
fn workflow_through_insurance_and_actions_to_closing_under_c1() {
    let mut h = h();
    let c = collision(&mut h, json!({"severity": "minor_injury"}));
    let cid = id(&c);
    let (admin, auditor) = (h.admin.clone(), h.auditor.clone());
    let e = h
        .call(&admin, "collisions.transition", json!({"id": cid, "rowVersion": 1, "to": "closed", "reason": "r", "closureNotes": "n"}))
        .unwrap_err();
    assert!(e.message.contains("near misses and damage-only"), "{}", e.message);
    let e = h.call(&admin, "collisions.transition", json!({"id": cid, "rowVersion": 1, "to": "under_investigation"})).unwrap_err();
    assert!(e.message.contains("investigator"), "{}", e.message);
    let v = h.admin_ok("collisions.update", json!({"id": cid, "rowVersion": 1, "changes": {"investigatorId": auditor.id}}));
    let v = h.ok(&auditor, "collisions.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "under_investigation"}));
    let e = h.call(&auditor, "collisions.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "pending_insurance"})).unwrap_err();
    assert!(e.message.contains("insurer"), "{}", e.message);
    let v = h.ok(&auditor, "collisions.update", json!({"id": cid, "rowVersion": rv(&v), "changes": {"insuranceNotified": true}}));
    let v = h.ok(&auditor, "collisions.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "pending_insurance"}));
    let e = h.call(&auditor, "collisions.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "actions_pending"})).unwrap_err();
    assert!(e.message.contains("action"), "{}", e.message);
    let action = h.action("collision", &cid, &admin.id);
    let v = h.ok(&auditor, "collisions.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "actions_pending"}));
    let e = h
        .call(&auditor, "collisions.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "closed", "closureNotes": "Repaired"}))
        .unwrap_err();
    let refusal = e.transition.unwrap();
    assert!(refusal.unmet_guards.iter().any(|g| g.contains("insurance reference")), "{refusal:?}");
    assert_eq!(refusal.blocking_references, [action["record"]["reference"].as_str().unwrap().to_owned()]);
    h.finish_action(&action);
    let v = h.ok(&auditor, "collisions.update", json!({"id": cid, "rowVersion": rv(&v), "changes": {"insuranceReference": "CLM-77"}}));
    let contributor = h.contributor.clone();
    let e = h
        .call(&contributor, "collisions.transition", json!({"id": cid, "rowVersion": rv(&v), "to": "closed", "closureNotes": "x"}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let v = h.ok(
        &auditor,
        "collisions.transition",
        json!({"id": cid, "rowVersion": rv(&v), "to": "closed", "closureNotes": "Repaired, claim settled"}),
    );
    assert_eq!(v["record"]["status"], "closed");
    let v = h.ok(
        &auditor,
        "collisions.transition",
        json!({"id": cid, "rowVersion": rv(&v), "to": "under_investigation", "reason": "Claim reopened"}),
    );
    assert_eq!(v["record"]["reopenCount"], 1);
}

#[test]
fn register_filters_by_severity_date_and_vehicle_and_search_finds_third_parties() {
    let mut h = h();
    collision(&mut h, json!({"severity": "near_miss", "collisionDate": "2026-10-01", "reportedDate": "2026-10-02"}));
    collision(&mut h, json!({"vehicleRegistration": "ZZ11 AAA", "thirdParties": [{"name": "Lee", "vehicleRegistration": "QQ55 RRR"}]}));
    assert_eq!(h.admin_ok("collisions.list", json!({}))["items"][0]["vehicleRegistration"], "ZZ11 AAA", "newest collision first");
    assert_eq!(h.admin_ok("collisions.list", json!({"severity": ["near_miss"]}))["total"], 1);
    assert_eq!(h.admin_ok("collisions.list", json!({"collisionDateFrom": "2026-11-01"}))["total"], 1);
    assert_eq!(h.admin_ok("collisions.list", json!({"vehicleRegistration": "ab12cde"}))["total"], 1);
    assert_eq!(h.admin_ok("collisions.list", json!({"search": "QQ55"}))["total"], 1);
    let d = h.admin_ok("dashboard.governance", json!({}));
    assert_eq!(d["collisionsOpen"], 2);
    assert_eq!(
        d["collisionsBySeverity"],
        json!([{"value": "fatal", "count": 0}, {"value": "serious_injury", "count": 0}, {"value": "minor_injury", "count": 0}, {"value": "damage_only", "count": 1}, {"value": "near_miss", "count": 1}])
    );
    let hits = h.admin_ok("search.global", json!({"query": "QQ55 RRR"}));
    assert_eq!(hits[0]["entityType"], "collision");
    let admin = h.admin.clone();
    let e = h.call(&admin, "collisions.list", json!({"severity": ["bad"]})).unwrap_err();
    assert_eq!(bad_fields(&e), ["severity"]);
}
