//! Actions through the command path: creation from an incident, due dates, the workflow with a signed
//! verification, segregation of duties, and rule C-1 on the incident.

use qgp_core::app::AppCore;
use qgp_core::authz::Role;
use qgp_core::clock::FixedClock;
use qgp_core::config::Config;
use qgp_core::context::Actor;
use qgp_core::error::{ErrorEnvelope, ErrorKind};
use qgp_core::paths::AppPaths;
use serde_json::{json, Value};

const PASS: &str = "correct horse battery";

struct H {
    core: AppCore,
    admin: Actor,
    manager: Actor,
    _dir: tempfile::TempDir,
}

fn actor_from(view: &Value, role: Role) -> Actor {
    Actor { id: view["id"].as_str().unwrap().into(), display_name: view["displayName"].as_str().unwrap().into(), role }
}

fn h() -> H {
    let dir = tempfile::tempdir().unwrap();
    let mut core =
        AppCore::open_with(AppPaths::under(dir.path()), Config::default(), Box::new(FixedClock::at("2026-11-26T12:00:00Z"))).unwrap();
    let admin =
        core.invoke(None, "users.setup", json!({"displayName": "Ada Admin", "email": "ada@example.com", "passphrase": PASS})).unwrap();
    let admin = actor_from(&admin, Role::Admin);
    let manager = core
        .invoke(
            Some(admin.clone()),
            "users.create",
            json!({"displayName": "Max Manager", "email": "max@example.com", "role": "manager", "passphrase": PASS}),
        )
        .unwrap();
    let manager = actor_from(&manager, Role::Manager);
    H { core, admin, manager, _dir: dir }
}

impl H {
    fn call(&mut self, who: &Actor, name: &str, input: Value) -> Result<Value, ErrorEnvelope> {
        self.core.invoke(Some(who.clone()), name, input)
    }
    fn ok(&mut self, who: &Actor, name: &str, input: Value) -> Value {
        self.call(who, name, input).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    }
    fn incident(&mut self) -> Value {
        let admin = self.admin.clone();
        self.ok(
            &admin,
            "incidents.create",
            json!({"title": "Forklift hit racking", "description": "Aisle 4", "incidentDate": "2026-11-20", "severity": "high"}),
        )
    }
    fn action(&mut self, incident_id: &str, owner: &str, extra: Value) -> Value {
        let mut input = json!({"sourceType": "incident", "sourceId": incident_id, "title": "Fit racking guards", "description": "Aisle 4 ends", "ownerId": owner, "dueDate": "2026-12-10"});
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        let admin = self.admin.clone();
        self.ok(&admin, "actions.create", input)
    }
}

#[test]
fn create_defaults_and_validation() {
    let mut h = h();
    let inc = h.incident();
    let inc_id = inc["record"]["id"].as_str().unwrap().to_owned();
    let admin = h.admin.clone();
    let a = h.action(&inc_id, &admin.id, json!({}));
    let r = &a["record"];
    assert_eq!(r["reference"], "ACT-2026-0001");
    assert_eq!(r["sourceReference"], inc["record"]["reference"]);
    assert_eq!(r["actionType"], "corrective");
    assert_eq!(r["requiresVerification"], true, "corrective actions need verification by default");
    assert_eq!(r["verificationDueDate"], "2027-01-09", "due date + 30 days");
    assert_eq!(r["status"], "open");
    let err = h
        .call(&admin, "actions.create", json!({"sourceType": "incident", "sourceId": inc_id, "title": "", "description": "d", "ownerId": admin.id, "dueDate": "2026-11-25"}))
        .unwrap_err();
    let fields: Vec<String> = err.fields.unwrap().into_iter().map(|f| f.field).collect();
    assert_eq!(fields, vec!["title", "dueDate"], "due date before the action was raised is refused");
    let err = h
        .call(&admin, "actions.create", json!({"sourceType": "risk", "sourceId": "01a21a2c-75b8-710d-846f-5c17ae0395cb", "title": "t", "description": "d", "ownerId": admin.id, "dueDate": "2026-12-01"}))
        .unwrap_err();
    assert_eq!(err.fields.unwrap()[0].code, qgp_core::error::FieldCode::NotFound);
}

#[test]
fn moving_the_due_date_later_needs_a_reason_that_is_kept() {
    let mut h = h();
    let inc = h.incident();
    let admin = h.admin.clone();
    let a = h.action(inc["record"]["id"].as_str().unwrap(), &admin.id, json!({}));
    let id = a["record"]["id"].as_str().unwrap().to_owned();
    let err = h.call(&admin, "actions.update", json!({"id": id, "rowVersion": 1, "changes": {"dueDate": "2026-12-20"}})).unwrap_err();
    assert_eq!(err.fields.unwrap()[0].field, "dueDateChangeReason");
    let moved = h.ok(
        &admin,
        "actions.update",
        json!({"id": id, "rowVersion": 1, "changes": {"dueDate": "2026-12-20"}, "dueDateChangeReason": "Parts on order"}),
    );
    assert_eq!(moved["record"]["originalDueDate"], "2026-12-10");
    assert_eq!(moved["record"]["dueDateChanges"][0]["reason"], "Parts on order");
    let history = h.ok(&admin, "actions.history", json!({"id": id}));
    assert_eq!(history[0]["reason"], "Parts on order");
}

#[test]
fn workflow_with_signed_verification_and_segregation_of_duties() {
    let mut h = h();
    let inc = h.incident();
    let inc_id = inc["record"]["id"].as_str().unwrap().to_owned();
    let (admin, manager) = (h.admin.clone(), h.manager.clone());
    let a = h.action(&inc_id, &admin.id, json!({}));
    let id = a["record"]["id"].as_str().unwrap().to_owned();
    h.ok(&admin, "actions.transition", json!({"id": id, "rowVersion": 1, "to": "in_progress"}));
    let err = h.call(&admin, "actions.transition", json!({"id": id, "rowVersion": 2, "to": "completed"})).unwrap_err();
    assert_eq!(err.fields.unwrap()[0].field, "completionNotes");
    h.ok(&admin, "actions.transition", json!({"id": id, "rowVersion": 2, "to": "completed", "completionNotes": "Guards fitted"}));
    // The owner cannot verify their own action.
    let err = h
        .call(
            &admin,
            "actions.transition",
            json!({"id": id, "rowVersion": 3, "to": "verified", "verificationNotes": "ok", "passphrase": PASS}),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    // A wrong passphrase signs nothing and writes only a sign_in_failed event.
    let events = |h: &H| -> i64 { h.core.conn.query_row("SELECT COUNT(*) FROM audit_events", [], |r| r.get(0)).unwrap() };
    let before = events(&h);
    let err = h
        .call(
            &manager,
            "actions.transition",
            json!({"id": id, "rowVersion": 3, "to": "verified", "verificationNotes": "ok", "passphrase": "not my passphrase"}),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ReauthFailed);
    assert_eq!(events(&h), before + 1);
    let last: String = h.core.conn.query_row("SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(last, "sign_in_failed");
    let verified = h.ok(
        &manager,
        "actions.transition",
        json!({"id": id, "rowVersion": 3, "to": "verified", "verificationNotes": "Checked on site", "passphrase": PASS}),
    );
    assert_eq!(verified["record"]["isEffective"], true);
    assert_eq!(verified["record"]["verifiedBy"], manager.id.as_str());
    let sig = &verified["signatures"][0];
    assert_eq!(sig["meaning"], "verified");
    assert_eq!(sig["signerName"], "Max Manager");
    assert_eq!(sig["contentHash"].as_str().unwrap().len(), 64);
    assert_eq!(verified["flags"]["terminal"], true);
}

#[test]
fn not_effective_reopens_and_cancel_needs_a_reason() {
    let mut h = h();
    let inc = h.incident();
    let (admin, manager) = (h.admin.clone(), h.manager.clone());
    let a = h.action(inc["record"]["id"].as_str().unwrap(), &admin.id, json!({}));
    let id = a["record"]["id"].as_str().unwrap().to_owned();
    h.ok(&admin, "actions.transition", json!({"id": id, "rowVersion": 1, "to": "completed", "completionNotes": "done"}));
    let reopened = h.ok(
        &manager,
        "actions.transition",
        json!({"id": id, "rowVersion": 2, "to": "in_progress", "verificationNotes": "Guards loose", "reason": "Not effective"}),
    );
    assert_eq!(reopened["record"]["isEffective"], false);
    assert_eq!(reopened["record"]["reopenCount"], 1);
    assert_eq!(reopened["record"]["completedAt"], Value::Null);
    let err = h.call(&admin, "actions.transition", json!({"id": id, "rowVersion": 3, "to": "cancelled"})).unwrap_err();
    assert_eq!(err.fields.unwrap()[0].field, "reason");
    let err = h.call(&admin, "actions.transition", json!({"id": id, "rowVersion": 3, "to": "verified"})).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidTransition);
}

#[test]
fn an_incident_cannot_close_while_its_actions_are_open_c1() {
    let mut h = h();
    let inc = h.incident();
    let inc_id = inc["record"]["id"].as_str().unwrap().to_owned();
    let (admin, manager) = (h.admin.clone(), h.manager.clone());
    h.ok(
        &admin,
        "incidents.update",
        json!({"id": inc_id, "rowVersion": 1, "changes": {"investigatorId": admin.id, "rootCause": "No end-of-aisle guards"}}),
    );
    h.ok(&admin, "incidents.transition", json!({"id": inc_id, "rowVersion": 2, "to": "under_investigation"}));
    let err = h.call(&admin, "incidents.transition", json!({"id": inc_id, "rowVersion": 3, "to": "actions_pending"})).unwrap_err();
    assert!(err.message.contains("at least one action"), "{}", err.message);
    let a = h.action(&inc_id, &admin.id, json!({}));
    let act_id = a["record"]["id"].as_str().unwrap().to_owned();
    let act_ref = a["record"]["reference"].as_str().unwrap().to_owned();
    h.ok(&admin, "incidents.transition", json!({"id": inc_id, "rowVersion": 3, "to": "actions_pending"}));
    let err =
        h.call(&admin, "incidents.transition", json!({"id": inc_id, "rowVersion": 4, "to": "closed", "closureNotes": "done"})).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidTransition);
    let refusal = err.transition.unwrap();
    assert_eq!(refusal.blocking_references, vec![act_ref.clone()], "the error names the open actions");
    let err = h.call(&admin, "incidents.archive", json!({"id": inc_id, "rowVersion": 4, "reason": "dup"})).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(err.message.contains(&act_ref));
    h.ok(&admin, "actions.transition", json!({"id": act_id, "rowVersion": 1, "to": "completed", "completionNotes": "Guards fitted"}));
    let err =
        h.call(&admin, "incidents.transition", json!({"id": inc_id, "rowVersion": 4, "to": "closed", "closureNotes": "done"})).unwrap_err();
    assert!(err.message.contains(&act_ref), "completed but awaiting verification is still open");
    h.ok(
        &manager,
        "actions.transition",
        json!({"id": act_id, "rowVersion": 2, "to": "verified", "verificationNotes": "ok", "passphrase": PASS}),
    );
    let closed = h.ok(
        &admin,
        "incidents.transition",
        json!({"id": inc_id, "rowVersion": 4, "to": "closed", "closureNotes": "Guards fitted and verified"}),
    );
    assert_eq!(closed["record"]["status"], "closed");
    let err = h.call(&admin, "actions.create", json!({"sourceType": "incident", "sourceId": inc_id, "title": "t", "description": "d", "ownerId": admin.id, "dueDate": "2026-12-01"})).unwrap_err();
    assert_eq!(err.fields.unwrap()[0].field, "sourceId", "no actions on a closed record");
}

#[test]
fn lists_compute_overdue_and_due_soon_at_query_time() {
    let mut h = h();
    let inc = h.incident();
    let inc_id = inc["record"]["id"].as_str().unwrap().to_owned();
    let (admin, manager) = (h.admin.clone(), h.manager.clone());
    h.action(&inc_id, &admin.id, json!({"dueDate": "2026-11-26", "priority": "low"}));
    h.action(&inc_id, &manager.id, json!({"dueDate": "2027-06-01", "priority": "critical"}));
    let all = h.ok(&admin, "actions.list", json!({"sourceId": inc_id}));
    assert_eq!(all["total"], 2);
    assert_eq!(all["items"][0]["dueDate"], "2026-11-26", "default order: due date");
    assert_eq!(all["items"][0]["flags"]["dueSoon"], true);
    assert_eq!(h.ok(&admin, "actions.list", json!({"dueSoon": true}))["total"], 1);
    assert_eq!(h.ok(&manager, "actions.list", json!({"mine": true}))["items"][0]["priority"], "critical");
    assert_eq!(h.ok(&admin, "actions.list", json!({"overdue": true}))["total"], 0);
}

#[test]
fn deep_pages_of_the_action_list_are_the_whole_list_in_order() {
    let mut h = h();
    let incident = h.incident();
    let inc = incident["record"]["id"].as_str().unwrap().to_owned();
    let owner = h.admin.id.clone();
    for i in 0..13 {
        let priority = ["low", "critical", "medium", "high"][i % 4];
        h.action(&inc, &owner, json!({"title": format!("Action {i}"), "priority": priority, "dueDate": format!("2026-12-1{}", i % 3)}));
    }
    let admin = h.admin.clone();
    for query in [json!({}), json!({"status": ["open"]}), json!({"archived": "include"}), json!({"sort": "title"})] {
        let mut whole = query.clone();
        whole["pageSize"] = json!(200);
        let all: Vec<Value> =
            h.ok(&admin, "actions.list", whole)["items"].as_array().unwrap().iter().map(|a| a["reference"].clone()).collect();
        assert_eq!(all.len(), 13);
        let mut paged = Vec::new();
        for page in 1..=4 {
            let mut q = query.clone();
            q["page"] = json!(page);
            q["pageSize"] = json!(4);
            paged.extend(h.ok(&admin, "actions.list", q)["items"].as_array().unwrap().iter().map(|a| a["reference"].clone()));
        }
        assert_eq!(paged, all, "{query}");
    }
}
