//! Roles that may edit only records they are involved in (domain.md §2, "O") meet the same rule when they detach
//! a file from a record or link a record to a clause as when they edit it.

mod common;
use base64::Engine;
use common::h;
use qgp_core::error::ErrorKind;
use qgp_core::standards::catalogue;
use serde_json::json;

#[test]
fn a_contributor_detaches_files_and_links_clauses_only_on_records_they_are_involved_in() {
    let mut h = h();
    let cora = h.contributor.clone();
    let theirs = h.incident();
    let theirs = theirs["record"]["id"].as_str().unwrap().to_owned();
    let own = h.ok(&cora, "incidents.create", json!({"title": "Trip on cable", "description": "Office", "incidentDate": "2026-11-20"}));
    let own = own["record"]["id"].as_str().unwrap().to_owned();
    let content = base64::engine::general_purpose::STANDARD.encode(b"witness statement");
    let attach = |h: &mut common::H, id: &str| {
        let admin = h.admin.clone();
        let file = h.ok(
            &admin,
            "evidence.attach",
            json!({"entityType": "incident", "entityId": id, "contentBase64": content, "originalName": "statement.txt"}),
        );
        file["file"]["id"].as_str().unwrap().to_owned()
    };
    let on_theirs = attach(&mut h, &theirs);
    let on_own = attach(&mut h, &own);

    let refused =
        h.call(&cora, "evidence.detach", json!({"evidenceId": on_theirs, "entityType": "incident", "entityId": theirs})).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden, "{refused:?}");
    assert_eq!(h.count(&format!("SELECT COUNT(*) FROM evidence_links WHERE entity_id = '{theirs}'")), 1, "nothing was detached");
    let left = h.ok(&cora, "evidence.detach", json!({"evidenceId": on_own, "entityType": "incident", "entityId": own}));
    assert_eq!(left.as_array().unwrap().len(), 0, "their own record's file is detached");

    let clause = catalogue::clause_id("ISO45001", "6.1.2");
    let refused = h.call(&cora, "compliance.link", json!({"clauseId": clause, "entityType": "incident", "entityId": theirs})).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden, "{refused:?}");
    h.ok(&cora, "compliance.link", json!({"clauseId": clause, "entityType": "incident", "entityId": own}));
    assert_eq!(h.count("SELECT COUNT(*) FROM clause_links WHERE entity_type = 'incident'"), 1, "only the link on their own record exists");
    // An investigator named on someone else's record is involved in it too.
    let view = h.admin_ok("incidents.get", json!({"id": theirs}));
    h.admin_ok(
        "incidents.update",
        json!({"id": theirs, "rowVersion": view["record"]["rowVersion"], "changes": {"investigatorId": cora.id}}),
    );
    h.ok(&cora, "compliance.link", json!({"clauseId": clause, "entityType": "incident", "entityId": theirs}));
}
