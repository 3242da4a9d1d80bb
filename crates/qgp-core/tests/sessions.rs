//! The signed-in session is checked at every command: a role change or deactivation applies at once, an idle
//! session ends in the backend, and a passphrase an administrator reset cannot sign until its owner changes it.

mod common;
use common::{h, PASS};
use qgp_core::authz::Role;
use qgp_core::clock::Clock;
use qgp_core::error::{CoreError, ErrorKind};
use qgp_core::session::Session;
use serde_json::json;

#[test]
fn a_role_change_or_deactivation_applies_at_the_next_command() {
    let mut h = h();
    let manager = h.manager.clone();
    let mut session = Session::start(&manager, h.clock.now());
    assert_eq!(session.resume(&h.core.conn, h.clock.now()).unwrap().role, Role::Manager);

    let view = h.admin_ok("users.list", json!({}));
    let row_version = view.as_array().unwrap().iter().find(|u| u["id"] == manager.id.as_str()).unwrap()["rowVersion"].clone();
    h.admin_ok("users.update", json!({"id": manager.id, "rowVersion": row_version, "changes": {"role": "viewer"}}));
    let actor = session.resume(&h.core.conn, h.clock.now()).unwrap();
    assert_eq!(actor.role, Role::Viewer, "the role is read again, not kept from sign-in");
    let refused = h.core.invoke(Some(actor), "incidents.create", json!({"title": "t", "description": "d", "incidentDate": "2026-11-20"}));
    assert_eq!(refused.unwrap_err().kind, ErrorKind::Forbidden);

    h.admin_ok("users.deactivate", json!({"id": manager.id, "reason": "Left the organisation"}));
    let ended = session.resume(&h.core.conn, h.clock.now()).unwrap_err();
    assert!(matches!(ended, CoreError::AuthRequired(ref m) if m.contains("deactivated")), "{ended:?}");
}

#[test]
fn an_idle_session_ends_in_the_backend_after_the_setting_and_its_grace_minute() {
    let h = h();
    let mut session = Session::start(&h.auditor, h.clock.now());
    // 15 idle minutes is the default; the window's own lock fires then, and saves under way get one more minute.
    h.clock.set("2026-11-26T12:15:59Z");
    assert!(session.resume(&h.core.conn, h.clock.now()).is_ok(), "activity within the limit keeps the session");
    h.clock.set("2026-11-26T12:31:59Z");
    assert!(session.resume(&h.core.conn, h.clock.now()).is_ok(), "counted from the last activity, not from sign-in");
    h.clock.set("2026-11-26T12:48:00Z");
    let ended = session.resume(&h.core.conn, h.clock.now()).unwrap_err();
    assert!(matches!(ended, CoreError::AuthRequired(ref m) if m.contains("15 minutes")), "{ended:?}");
}

#[test]
fn after_an_administrators_reset_the_profile_cannot_sign_until_it_changes_its_passphrase() {
    let mut h = h();
    let manager = h.manager.clone();
    let incident = h.incident();
    let iid = incident["record"]["id"].as_str().unwrap().to_owned();
    let admin_id = h.admin.id.clone();
    let action = h.action("incident", &iid, &admin_id);
    let aid = action["record"]["id"].as_str().unwrap().to_owned();
    let done = h.admin_ok("actions.transition", json!({"id": aid, "rowVersion": 1, "to": "completed", "completionNotes": "Done"}));
    let known_to_admin = "admin knows this one";
    h.admin_ok("users.reset_passphrase", json!({"id": manager.id, "new": known_to_admin, "reason": "Forgotten"}));

    let verify = |pass: &str| json!({"id": aid, "rowVersion": done["record"]["rowVersion"], "to": "verified", "verificationNotes": "Checked", "passphrase": pass});
    let refused = h.call(&manager, "actions.transition", verify(known_to_admin)).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden, "{refused:?}");
    assert!(refused.message.contains("Change passphrase"), "the refusal says the way out: {}", refused.message);
    assert_eq!(h.count(&format!("SELECT COUNT(*) FROM signatures WHERE entity_id = '{aid}'")), 0, "nothing was signed");

    h.ok(&manager, "users.change_passphrase", json!({"current": known_to_admin, "new": PASS}));
    let signed = h.ok(&manager, "actions.transition", verify(PASS));
    assert_eq!(signed["record"]["status"], "verified");
}
