//! Profile administration and the §2 permission table through every command: what each role may do is decided
//! by the backend, whatever the UI shows.

mod common;

use common::{bad_fields, h, PASS};
use qgp_core::authz::Role;
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};

#[test]
fn administrators_edit_deactivate_and_reactivate_profiles_with_the_safeguards() {
    let mut h = h();
    let (admin, manager, viewer) = (h.admin.clone(), h.manager.clone(), h.viewer.clone());
    let v = h.admin_ok("users.update", json!({"id": viewer.id, "rowVersion": 1, "changes": {"role": "auditor", "jobTitle": "QA lead"}}));
    assert_eq!((v["role"].as_str(), v["jobTitle"].as_str(), v["rowVersion"].as_i64()), (Some("auditor"), Some("QA lead"), Some(2)));
    let e = h.call(&admin, "users.update", json!({"id": viewer.id, "rowVersion": 1, "changes": {"phone": "1"}})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "stale version");
    let e = h.call(&admin, "users.update", json!({"id": admin.id, "rowVersion": 1, "changes": {"role": "viewer"}})).unwrap_err();
    assert_eq!(bad_fields(&e), ["role"], "nobody changes their own role");
    let e = h.call(&admin, "users.deactivate", json!({"id": admin.id, "reason": "Leaving"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["id"], "nobody deactivates themselves");
    let e = h.call(&admin, "users.deactivate", json!({"id": manager.id})).unwrap_err();
    assert_eq!(bad_fields(&e), ["reason"]);
    let e = h.call(&manager, "users.deactivate", json!({"id": viewer.id, "reason": "x"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "only administrators manage profiles");
    let v = h.admin_ok("users.deactivate", json!({"id": manager.id, "reason": "Left the company"}));
    assert_eq!(v["isActive"], false);
    let active: Vec<Value> = h.admin_ok("users.list", json!({})).as_array().unwrap().clone();
    assert!(active.iter().all(|u| u["id"] != manager.id.as_str()), "deactivated profiles leave the pickers");
    let all = h.admin_ok("users.list", json!({"includeInactive": true}));
    assert!(all.as_array().unwrap().iter().any(|u| u["id"] == manager.id.as_str()));
    let e = qgp_core::users::sign_in(&mut h.core.conn, &*h.clock, "r", "max@example.com", PASS).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AuthFailed, "a deactivated profile cannot sign in");
    h.admin_ok("users.reactivate", json!({"id": manager.id}));
    assert!(qgp_core::users::sign_in(&mut h.core.conn, &*h.clock, "r", "max@example.com", PASS).is_ok());
    // The last active administrator cannot be demoted or deactivated by another administrator either.
    let second = h.admin_ok("users.update", json!({"id": manager.id, "rowVersion": 3, "changes": {"role": "admin"}}));
    let second_admin = qgp_core::context::Actor { id: manager.id.clone(), display_name: "Max Manager".into(), role: Role::Admin };
    h.ok(&second_admin, "users.deactivate", json!({"id": admin.id, "reason": "Handover"}));
    let e = h.call(&second_admin, "users.update", json!({"id": admin.id, "rowVersion": 2, "changes": {"role": "admin"}}));
    assert!(e.is_ok(), "a no-op on a deactivated admin is fine");
    assert_eq!(second["role"], "admin");
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'user' AND action IN ('archive', 'restore')"), 3);
}

#[test]
fn changing_ones_passphrase_needs_the_current_one() {
    let mut h = h();
    let auditor = h.auditor.clone();
    let e =
        h.call(&auditor, "users.change_passphrase", json!({"current": "wrong passphrase", "new": "a new long passphrase"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["current"]);
    let e = h.call(&auditor, "users.change_passphrase", json!({"current": PASS, "new": "short"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["new"]);
    let e = h.call(&auditor, "users.change_passphrase", json!({"current": PASS, "new": PASS})).unwrap_err();
    assert_eq!(bad_fields(&e), ["new"]);
    h.ok(&auditor, "users.change_passphrase", json!({"current": PASS, "new": "a new long passphrase"}));
    assert!(qgp_core::users::sign_in(&mut h.core.conn, &*h.clock, "r", "aud@example.com", PASS).is_err());
    assert!(qgp_core::users::sign_in(&mut h.core.conn, &*h.clock, "r", "aud@example.com", "a new long passphrase").is_ok());
    let changes: String = h
        .core
        .conn
        .query_row("SELECT changes FROM audit_events WHERE entity_type = 'user' AND action = 'update' ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!changes.contains("a new long passphrase") && changes.contains("[redacted]"), "{changes}");
}

/// The §2 table, command by command: for each role, whether the backend lets the command through (`true`) or
/// refuses it as `forbidden` (`false`). A command that gets past the permission check may still fail on its input;
/// only `forbidden` counts as refused.
#[test]
fn every_role_and_command_pair_follows_the_permission_table() {
    let mut h = h();
    let inc = h.incident();
    let inc_id = inc["record"]["id"].as_str().unwrap().to_owned();
    let risk = h.admin_ok("risks.create", json!({"title": "t", "description": "d"}));
    let risk_id = risk["record"]["id"].as_str().unwrap().to_owned();
    let admin_id = h.admin.id.clone();
    let action = h.action("incident", &inc_id, &admin_id);
    let act_id = action["record"]["id"].as_str().unwrap().to_owned();
    let nobody = "0190a0b0-0000-7000-8000-000000000000";
    // (command, input, [admin, manager, auditor, contributor, viewer]); contributors act on records they are not
    // involved in here, so their "own records only" rights are refused.
    let table: Vec<(&str, Value, [bool; 5])> = vec![
        ("incidents.list", json!({}), [true, true, true, true, true]),
        ("incidents.get", json!({"id": inc_id}), [true, true, true, true, true]),
        ("incidents.create", json!({}), [true, true, true, true, false]),
        ("incidents.update", json!({"id": inc_id, "rowVersion": 99, "changes": {}}), [true, true, true, false, false]),
        ("incidents.archive", json!({"id": inc_id, "rowVersion": 99, "reason": "x"}), [true, true, false, false, false]),
        ("incidents.dashboard", json!({}), [true, true, true, true, true]),
        ("risks.create", json!({}), [true, true, true, false, false]),
        ("risks.update", json!({"id": risk_id, "rowVersion": 99, "changes": {}}), [true, true, true, false, false]),
        ("risks.assess", json!({"id": risk_id, "rowVersion": 99}), [true, true, true, false, false]),
        ("risks.transition", json!({"id": risk_id, "rowVersion": 99, "to": "closed"}), [true, true, true, false, false]),
        ("risks.archive", json!({"id": risk_id, "rowVersion": 99, "reason": "x"}), [true, true, false, false, false]),
        ("risks.heat_map", json!({}), [true, true, true, true, true]),
        ("risks.link", json!({"riskId": risk_id, "recordType": "incident", "recordId": inc_id}), [true, true, true, false, false]),
        ("investigations.create", json!({}), [true, true, true, false, false]),
        ("investigations.list", json!({}), [true, true, true, true, true]),
        ("actions.create", json!({"sourceType": "incident", "sourceId": inc_id}), [true, true, true, false, false]),
        ("actions.update", json!({"id": act_id, "rowVersion": 99, "changes": {}}), [true, true, true, false, false]),
        ("actions.archive", json!({"id": act_id, "rowVersion": 99, "reason": "x"}), [true, true, false, false, false]),
        ("actions.list", json!({"mine": true}), [true, true, true, true, true]),
        ("search.global", json!({"query": "x"}), [true, true, true, true, true]),
        ("dashboard.governance", json!({}), [true, true, true, true, true]),
        ("documents.create", json!({}), [true, true, false, false, false]),
        ("documents.list", json!({}), [true, true, true, true, true]),
        ("documents.update", json!({"id": nobody, "rowVersion": 1, "changes": {}}), [true, true, false, false, false]),
        ("documents.edit_version", json!({"versionId": nobody, "rowVersion": 1, "changes": {}}), [true, true, false, false, false]),
        (
            "documents.version_transition",
            json!({"versionId": nobody, "rowVersion": 1, "to": "in_review"}),
            [true, true, false, false, false],
        ),
        (
            "documents.new_revision",
            json!({"id": nobody, "rowVersion": 1, "kind": "minor", "changeSummary": "x"}),
            [true, true, false, false, false],
        ),
        ("documents.discard_draft", json!({"versionId": nobody, "rowVersion": 1}), [true, true, false, false, false]),
        ("documents.retire", json!({"id": nobody, "rowVersion": 1, "reason": "x"}), [true, true, false, false, false]),
        ("documents.archive", json!({"id": nobody, "rowVersion": 1, "reason": "x"}), [true, true, false, false, false]),
        ("documents.start_review", json!({"id": nobody, "rowVersion": 1}), [true, true, false, false, false]),
        ("documents.record_review", json!({"id": nobody, "rowVersion": 1}), [true, true, false, false, false]),
        ("documents.supersede", json!({"id": nobody, "rowVersion": 1}), [true, true, false, false, false]),
        ("documents.acknowledge", json!({"versionId": nobody, "passphrase": "x"}), [true, true, true, true, true]),
        ("documents.my_acknowledgements", json!({}), [true, true, true, true, true]),
        ("templates.create", json!({}), [true, true, true, false, false]),
        ("templates.list", json!({}), [true, true, true, true, true]),
        ("templates.save_draft", json!({"versionId": nobody, "rowVersion": 1, "content": {}}), [true, true, true, false, false]),
        ("runs.create", json!({}), [true, true, true, false, false]),
        ("runs.answer", json!({"runId": nobody, "questionId": nobody}), [true, true, true, false, false]),
        ("runs.list", json!({}), [true, true, true, true, true]),
        ("runs.archive", json!({"id": nobody, "rowVersion": 1, "reason": "x"}), [true, true, false, false, false]),
        ("findings.create", json!({}), [true, true, true, false, false]),
        ("findings.list", json!({}), [true, true, true, true, true]),
        ("standards.list", json!({}), [true, true, true, true, true]),
        ("standards.update_clause", json!({"id": nobody, "rowVersion": 1, "changes": {}}), [true, true, false, false, false]),
        ("soa.update", json!({"id": nobody, "rowVersion": 1, "changes": {}}), [true, true, false, false, false]),
        ("soa.approve", json!({"standardId": "ISO27001", "passphrase": "x"}), [true, true, false, false, false]),
        ("evidence.attach", json!({}), [true, true, true, true, false]),
        ("evidence.list", json!({"entityType": "incident", "entityId": inc_id}), [true, true, true, true, true]),
        ("complaints.create", json!({}), [true, true, true, true, false]),
        ("collisions.create", json!({}), [true, true, true, true, false]),
        ("complaints.archive", json!({"id": nobody, "rowVersion": 1, "reason": "x"}), [true, true, false, false, false]),
        ("evidence.integrity_check", json!({}), [true, false, false, false, false]),
        ("users.create", json!({}), [true, false, false, false, false]),
        ("users.update", json!({"id": nobody, "rowVersion": 1, "changes": {}}), [true, false, false, false, false]),
        ("users.deactivate", json!({"id": nobody, "reason": "x"}), [true, false, false, false, false]),
        ("settings.update", json!({}), [true, false, false, false, false]),
        ("backup.list", json!({}), [true, false, false, false, false]),
        ("audit_trail.verify", json!({}), [true, false, false, false, false]),
        ("health.support_bundle", json!({}), [true, true, true, true, true]),
    ];
    let actors = [h.admin.clone(), h.manager.clone(), h.auditor.clone(), h.contributor.clone(), h.viewer.clone()];
    let mut wrong = Vec::new();
    for (command, input, allowed) in &table {
        for (actor, allowed) in actors.iter().zip(allowed) {
            let refused = matches!(h.call(actor, command, input.clone()), Err(e) if e.kind == ErrorKind::Forbidden);
            if refused == *allowed {
                wrong.push(format!("{command} as {}: expected {}", actor.role.as_str(), if *allowed { "allowed" } else { "forbidden" }));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A one-person installation (issue 18): set-up asks whether a second person verifies; someone who works alone says
/// no and can close their own records, and where the rule applies its refusal names the setting and the way out.
#[test]
fn first_set_up_records_the_organisation_and_whether_a_second_person_verifies() {
    use qgp_core::app::AppCore;
    let start = |second: Option<bool>| {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(qgp_core::clock::FixedClock::at("2026-11-26T12:00:00Z"));
        let mut core =
            AppCore::open_with(qgp_core::paths::AppPaths::under(dir.path()), qgp_core::config::Config::default(), Box::new(clock)).unwrap();
        let mut input = json!({"displayName": "Sam Sole", "email": "sam@example.com", "passphrase": PASS, "orgName": "Sole Trader Ltd"});
        if let Some(s) = second {
            input["secondPersonVerifies"] = json!(s);
        }
        let sam = core.invoke(None, "users.setup", input).unwrap();
        let actor = qgp_core::context::Actor { id: sam["id"].as_str().unwrap().into(), display_name: "Sam Sole".into(), role: Role::Admin };
        (dir, core, actor)
    };
    // Sam records an incident, owns its action, completes it, and tries to verify it.
    let verify_own_action = |core: &mut AppCore, sam: &qgp_core::context::Actor| {
        let call = |core: &mut AppCore, name: &str, input: Value| core.invoke(Some(sam.clone()), name, input);
        let inc =
            call(core, "incidents.create", json!({"title": "Slip", "description": "Wet floor", "incidentDate": "2026-11-20"})).unwrap();
        let action = call(
            core,
            "actions.create",
            json!({"sourceType": "incident", "sourceId": inc["record"]["id"], "title": "Mop", "description": "Now", "ownerId": sam.id, "dueDate": "2026-12-10"}),
        )
        .unwrap();
        let id = action["record"]["id"].clone();
        let done =
            call(core, "actions.transition", json!({"id": id, "rowVersion": 1, "to": "completed", "completionNotes": "Mopped"})).unwrap();
        let verify =
            json!({"id": id, "rowVersion": done["record"]["rowVersion"], "to": "verified", "verificationNotes": "Dry", "passphrase": PASS});
        call(core, "actions.transition", verify)
    };
    // Someone who works alone closes the loop on their own action.
    let (_dir, mut core, sam) = start(Some(false));
    let settings = core.invoke(Some(sam.clone()), "settings.get", json!({})).unwrap();
    assert_eq!((settings["orgName"].as_str(), settings["segregationOfDuties"].as_bool()), (Some("Sole Trader Ltd"), Some(false)));
    let verified = verify_own_action(&mut core, &sam);
    assert!(verified.is_ok(), "{verified:?}");

    // By default a second person verifies, and the refusal says how to get past it.
    let (_dir, mut core, sam) = start(None);
    assert_eq!(core.invoke(Some(sam.clone()), "settings.get", json!({})).unwrap()["segregationOfDuties"], true);
    let refused = verify_own_action(&mut core, &sam).unwrap_err();
    let why = refused.transition.map(|t| t.unmet_guards.join(" ")).unwrap_or(refused.message);
    assert!(why.contains("Settings › Segregation of duties"), "{why}");

    // A bad answer at set-up is named and nothing is created.
    let dir = tempfile::tempdir().unwrap();
    let clock = std::sync::Arc::new(qgp_core::clock::FixedClock::at("2026-11-26T12:00:00Z"));
    let mut core =
        AppCore::open_with(qgp_core::paths::AppPaths::under(dir.path()), qgp_core::config::Config::default(), Box::new(clock)).unwrap();
    let bad = core
        .invoke(
            None,
            "users.setup",
            json!({"displayName": "Sam", "email": "sam@example.com", "passphrase": PASS, "secondPersonVerifies": "maybe"}),
        )
        .unwrap_err();
    assert_eq!(bad_fields(&bad), ["secondPersonVerifies"]);
    assert!(qgp_core::users::needs_setup(&core.conn).unwrap());
}

#[test]
fn five_wrong_passphrases_in_a_row_lock_the_profile_for_five_minutes() {
    let mut h = h();
    let sign_in = |h: &mut common::H, pass: &str| qgp_core::users::sign_in(&mut h.core.conn, &*h.clock, "r", "max@example.com", pass);
    // Four wrong, one right: the count starts again, so four more wrong do not lock.
    for _ in 0..4 {
        assert_eq!(sign_in(&mut h, "a wrong passphrase").unwrap_err().kind(), ErrorKind::AuthFailed);
    }
    assert!(sign_in(&mut h, PASS).is_ok(), "a right passphrase resets the count");
    for _ in 0..4 {
        assert_eq!(sign_in(&mut h, "a wrong passphrase").unwrap_err().kind(), ErrorKind::AuthFailed);
    }
    // The fifth in a row locks until 12:05, and the lock holds against the right passphrase too.
    let e = sign_in(&mut h, "a wrong passphrase").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Locked);
    let envelope = e.into_envelope("r");
    assert_eq!(envelope.until.as_deref(), Some("2026-11-26T12:05:00.000Z"), "locked with `until`");
    h.clock.set("2026-11-26T12:04:59Z");
    // The person reads the organisation's local time (Asia/Tokyo here: UTC+9), the envelope keeps UTC for scripts.
    h.core.conn.execute("INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('timeZone', '\"Asia/Tokyo\"', 'x')", []).unwrap();
    let still = sign_in(&mut h, PASS).unwrap_err();
    assert_eq!(still.kind(), ErrorKind::Locked, "still locked a second before");
    assert!(still.to_string().contains("Try again after 2026-11-26 21:05 Asia/Tokyo."), "{still}");
    let events = h.count("SELECT COUNT(*) FROM audit_events WHERE action = 'lock'");
    assert_eq!(events, 1, "one lock event");
    let failed = h.count("SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in_failed'");
    assert_eq!(failed, 9, "every wrong passphrase is an event");
    h.clock.set("2026-11-26T12:05:00Z");
    assert!(sign_in(&mut h, PASS).is_ok(), "five minutes later the right passphrase signs in");
    // The lock cleared the count: one wrong passphrase after it does not lock again.
    assert_eq!(sign_in(&mut h, "a wrong passphrase").unwrap_err().kind(), ErrorKind::AuthFailed);
}
