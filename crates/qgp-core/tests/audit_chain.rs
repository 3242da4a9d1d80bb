//! The audit trail's rules that had no test of their own (issue 18): a fixed known-answer hash, so the chain's format
//! cannot drift unnoticed; each way a chain breaks named as such (a broken link, a gap in the sequence, an altered
//! event); and governed records that the database itself refuses to delete.

mod common;
use common::h;
use qgp_core::audit_trail::{event_hash, verify_chain, ChainProblem, GENESIS_HASH};
use serde_json::json;
use sha2::{Digest, Sha256};

#[test]
fn an_event_hash_is_sha256_of_the_previous_hash_and_the_canonical_event() {
    let body = json!({
        "seq": 1, "id": "01a2b3c4-0000-7000-8000-000000000001", "installation_id": "inst-1",
        "occurred_at": "2026-01-02T03:04:05.006Z", "actor_id": "u1", "actor_name": "Zoë Ångström",
        "request_id": "r1", "entity_type": "incident", "entity_id": "i1", "entity_reference": "INC-2026-0001",
        "action": "create", "changes": [{"field": "title", "old": null, "new": "Slip"}], "reason": null,
    });
    // Written out by hand: keys sorted, no white space, UTF-8 as it is.
    let canonical = concat!(
        r#"{"action":"create","actor_id":"u1","actor_name":"Zoë Ångström","changes":[{"field":"title","new":"Slip","old":null}],"#,
        r#""entity_id":"i1","entity_reference":"INC-2026-0001","entity_type":"incident","id":"01a2b3c4-0000-7000-8000-000000000001","#,
        r#""installation_id":"inst-1","occurred_at":"2026-01-02T03:04:05.006Z","reason":null,"request_id":"r1","seq":1}"#
    );
    assert_eq!(qgp_core::audit_trail::canonical_json(&body), canonical);
    let by_hand = hex::encode(Sha256::digest(format!("{GENESIS_HASH}{canonical}").as_bytes()));
    let hash = event_hash(GENESIS_HASH, &body);
    assert_eq!(hash, by_hand);
    // The known answer (also what `printf %s%s GENESIS CANONICAL | sha256sum` prints): a change to the hashing or the
    // canonical form changes it, and would break every stored chain.
    assert_eq!(hash, "aa10b5d9788658f4b446b99d89915fccbfc0ae50111fc73cac9e88f9cd75e70d");
}

/// An installation with a few events, and the append-only triggers set aside as someone editing the file would.
fn tampered() -> common::H {
    let mut h = h();
    h.incident();
    h.incident();
    h.core.conn.execute_batch("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;").unwrap();
    h
}

#[test]
fn a_changed_link_a_gap_and_an_altered_event_are_each_named() {
    let h = tampered();
    let newest = h.count("SELECT MAX(seq) FROM audit_events");
    assert!(newest >= 6);
    assert!(verify_chain(&h.core.conn).unwrap().ok);

    // A gap: an event taken out of the middle.
    h.core.conn.execute("DELETE FROM audit_events WHERE seq = 4", []).unwrap();
    let report = verify_chain(&h.core.conn).unwrap();
    assert_eq!((report.ok, report.problem, report.first_bad_seq), (false, Some(ChainProblem::SequenceGap), Some(5)));
    assert_eq!(report.events_checked, 3);

    // A broken link: an event that no longer names the one before it.
    let h = tampered();
    h.core.conn.execute("UPDATE audit_events SET prev_hash = ?1 WHERE seq = 3", [GENESIS_HASH]).unwrap();
    let report = verify_chain(&h.core.conn).unwrap();
    assert_eq!((report.ok, report.problem, report.first_bad_seq), (false, Some(ChainProblem::BrokenLink), Some(3)));

    // An altered event: its content no longer gives its hash.
    let h = tampered();
    h.core.conn.execute("UPDATE audit_events SET actor_name = 'Someone else' WHERE seq = 2", []).unwrap();
    let report = verify_chain(&h.core.conn).unwrap();
    assert_eq!((report.ok, report.problem, report.first_bad_seq), (false, Some(ChainProblem::HashMismatch), Some(2)));
}

#[test]
fn governed_records_cannot_be_deleted_even_from_the_database_file() {
    let mut h = h();
    let inc = h.incident();
    let iid = inc["record"]["id"].as_str().unwrap().to_owned();
    let action = h.action("incident", &iid, &h.admin.id.clone());
    h.finish_action(&action);
    let lead = h.admin.id.clone();
    let (run_id, questions) = h.text_run(1, &lead);
    h.admin_ok("runs.answer", json!({"runId": run_id, "questionId": questions[0], "answer": "Exit clear"}));
    h.admin_ok("risks.create", json!({"title": "Racking collapse", "description": "Overloaded bays"}));
    let manager = h.manager.id.clone();
    let governed = [
        "incidents",
        "actions",
        "signatures",
        "risks",
        "audit_runs",
        "audit_responses",
        "templates",
        "template_versions",
        "users",
        "audit_events",
    ];
    for table in governed {
        let id: String = h.core.conn.query_row(&format!("SELECT id FROM {table} LIMIT 1"), [], |r| r.get(0)).unwrap();
        let refused = h.core.conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [&id]);
        assert!(refused.is_err(), "{table}: a row was deleted");
    }
    assert!(h.core.conn.execute("DELETE FROM users WHERE id = ?1", [&manager]).is_err(), "a profile is deactivated, not deleted");
    // Every register has its trigger, including those this test made no row in.
    for table in [
        "investigations",
        "complaints",
        "collisions",
        "documents",
        "document_reviews",
        "document_acknowledgements",
        "findings",
        "evidence_files",
        "risk_assessments",
        "trusted_signing_keys",
    ] {
        let triggers: i64 = h
            .core
            .conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1 AND sql LIKE '%BEFORE DELETE%'",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert!(triggers >= 1, "{table} has no delete trigger");
    }
    // A draft run and a never-published template may still be discarded (§1.5).
    let t = h.admin_ok("templates.create", json!({"name": "Never used"}));
    h.admin_ok("templates.discard_draft", json!({"versionId": t["draftVersionId"], "rowVersion": 1}));
}
