//! The standards library (§3): catalogue integrity (numbers unique, parents exist, mappings across standards,
//! Annex A complete), exclusions with justification, and the Statement of Applicability approved by a signature.

mod common;

use common::{bad_fields, h, PASS};
use qgp_core::error::ErrorKind;
use qgp_core::standards::catalogue;
use serde_json::{json, Value};

#[test]
fn the_shipped_catalogue_is_complete_and_consistent() {
    let mut h = h();
    let list = h.admin_ok("standards.list", json!({}));
    let codes: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["ISO14001", "ISO27001", "ISO45001", "ISO9001"]);
    assert_eq!(list[1]["controlCount"], 93);
    // Annex A themes hold 37, 8, 14 and 34 controls.
    let themes: Vec<(String, i64)> = {
        let mut stmt = h.core.conn.prepare("SELECT theme, COUNT(*) FROM controls GROUP BY theme ORDER BY theme").unwrap();
        stmt.query_map([], |r| Ok((r.get(0).unwrap(), r.get(1).unwrap()))).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(themes, [("organizational".into(), 37), ("people".into(), 8), ("physical".into(), 14), ("technological".into(), 34)]);
    // Every control sits under its theme clause; every parent exists in the same standard; numbers are unique.
    assert_eq!(h.count("SELECT COUNT(*) FROM controls k JOIN clauses c ON c.id = k.clause_id WHERE k.number NOT LIKE c.number || '.%'"), 0);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM clauses c LEFT JOIN clauses p ON p.id = c.parent_id WHERE c.parent_id IS NOT NULL AND (p.id IS NULL OR p.standard_id <> c.standard_id)"),
        0
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM clauses WHERE parent_id IS NULL AND number LIKE '%.%' AND number NOT GLOB 'A.[5-8]'"),
        0,
        "only top-level clauses and the Annex A themes lack a parent"
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM (SELECT standard_id, number FROM clauses GROUP BY 1, 2 HAVING COUNT(*) > 1)"), 0);
    assert_eq!(h.count("SELECT COUNT(*) FROM clauses WHERE paraphrase IS NULL OR paraphrase = ''"), 0, "every clause has a paraphrase");
    // The harmonised structure: 4–10 at the top of every standard.
    for code in ["ISO9001", "ISO14001", "ISO45001", "ISO27001"] {
        let top = h.count(&format!(
            "SELECT COUNT(*) FROM clauses c JOIN standards s ON s.id = c.standard_id WHERE s.code = '{code}' AND c.level = 1 AND c.number NOT LIKE 'A.%'"
        ));
        assert_eq!(top, 7, "{code}");
    }
    // Mappings join existing clauses of different standards, each pair once.
    assert_eq!(
        h.count("SELECT COUNT(*) FROM clause_mappings m JOIN clauses a ON a.id = m.clause_a_id JOIN clauses b ON b.id = m.clause_b_id WHERE a.standard_id = b.standard_id"),
        0
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM clause_mappings"), catalogue::harmonised_pairs().len() as i64);
    let mapped = h.admin_ok("standards.mappings", json!({"id": catalogue::clause_id("ISO27001", "10.1")}));
    let m: Vec<(&str, &str)> =
        mapped.as_array().unwrap().iter().map(|x| (x["standardCode"].as_str().unwrap(), x["number"].as_str().unwrap())).collect();
    assert_eq!(m, [("ISO14001", "10.3"), ("ISO45001", "10.3"), ("ISO9001", "10.3")], "continual improvement is numbered differently");
    // Natural order, by id or by code.
    let std = h.admin_ok("standards.get", json!({"id": "iso27001"}));
    let controls: Vec<&str> = std["controls"].as_array().unwrap().iter().map(|c| c["number"].as_str().unwrap()).collect();
    assert_eq!(&controls[8..11], ["A.5.9", "A.5.10", "A.5.11"]);
    let clauses: Vec<&str> = std["clauses"].as_array().unwrap().iter().map(|c| c["number"].as_str().unwrap()).collect();
    assert_eq!(clauses.last(), Some(&"A.8"));
    // Every control starts with an SoA entry; re-opening does not install twice.
    assert_eq!(h.count("SELECT COUNT(*) FROM soa_entries"), 93);
    let tx = h.core.conn.transaction().unwrap();
    assert!(!catalogue::install(&tx, "2026-11-27T00:00:00Z").unwrap(), "already current");
    tx.rollback().unwrap();
}

#[test]
fn a_clause_is_excluded_only_with_a_justification() {
    let mut h = h();
    let contributor = h.contributor.clone();
    let id = catalogue::clause_id("ISO9001", "8.3");
    let c = h.admin_ok("standards.get", json!({"id": "ISO9001"}))["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap()
        .clone();
    let e = h
        .call(&contributor, "standards.update_clause", json!({"id": id, "rowVersion": c["rowVersion"], "changes": {"excluded": true}}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let e = h
        .call(&h.admin.clone(), "standards.update_clause", json!({"id": id, "rowVersion": c["rowVersion"], "changes": {"excluded": true}}))
        .unwrap_err();
    assert_eq!(bad_fields(&e), ["exclusionJustification"]);
    let c = h.admin_ok(
        "standards.update_clause",
        json!({"id": id, "rowVersion": c["rowVersion"], "changes": {"excluded": true, "exclusionJustification": "We build to customer drawings; no design"}}),
    );
    assert_eq!((c["excluded"].as_bool(), c["rowVersion"].as_i64()), (Some(true), Some(2)));
    let c = h.admin_ok(
        "standards.update_clause",
        json!({"id": id, "rowVersion": 2, "changes": {"licensedText": "text from our licensed copy"}}),
    );
    assert_eq!(c["licensedText"], "text from our licensed copy");
    let trail: String =
        h.core.conn.query_row("SELECT group_concat(changes) FROM audit_events WHERE entity_type = 'clause'", [], |r| r.get(0)).unwrap();
    assert!(
        trail.contains("customer drawings") && !trail.contains("licensed copy"),
        "the licensed wording stays out of the trail: {trail}"
    );
    let c = h.admin_ok("standards.update_clause", json!({"id": id, "rowVersion": 3, "changes": {"excluded": false}}));
    assert!(c["exclusionJustification"].is_null());
}

#[test]
fn the_statement_of_applicability_is_approved_by_a_signature_over_every_entry() {
    let mut h = h();
    let manager = h.manager.clone();
    let e = h.call(&manager, "soa.get", json!({"standardId": "ISO9001"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "ISO 9001 has no controls");
    let soa = h.admin_ok("soa.get", json!({"standardId": "ISO27001"}));
    assert_eq!(soa["entries"].as_array().unwrap().len(), 93);
    assert_eq!(soa["missingJustifications"].as_array().unwrap().len(), 93);
    let e = h.call(&manager, "soa.approve", json!({"standardId": "ISO27001", "passphrase": PASS})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert!(e.message.contains("93 SoA entries") && e.message.contains("A.5.1"), "{}", e.message);
    let entries: Vec<Value> = soa["entries"].as_array().unwrap().clone();
    let e = h
        .call(
            &manager,
            "soa.update",
            json!({"id": entries[0]["id"], "rowVersion": 1, "changes": {"implementationStatus": "done", "lastReviewedOn": "2030-01-01"}}),
        )
        .unwrap_err();
    let mut bad = bad_fields(&e);
    bad.sort();
    assert_eq!(bad, ["implementationStatus", "lastReviewedOn"]);
    for (i, entry) in entries.iter().enumerate() {
        let changes = if i == 92 {
            json!({"applicable": false, "justification": "No information systems are audited by third parties"})
        } else {
            json!({"justification": "Needed to treat risks in the register", "implementationStatus": "implemented", "lastReviewedOn": "2026-11-01"})
        };
        h.ok(&manager, "soa.update", json!({"id": entry["id"], "rowVersion": 1, "changes": changes}));
    }
    let e = h.call(&manager, "soa.approve", json!({"standardId": "ISO27001", "passphrase": "wrong passphrase"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ReauthFailed);
    let soa = h.ok(&manager, "soa.approve", json!({"standardId": "ISO27001", "passphrase": PASS, "comment": "Issue 1"}));
    assert_eq!(soa["approval"]["meaning"], "approved");
    assert_eq!(soa["approval"]["signerName"], "Max Manager");
    assert_eq!(soa["changedSinceApproval"], false);
    assert_eq!(soa["entries"][0]["reviewDue"], false);
    let first = &soa["entries"][0];
    let soa = h.ok(
        &manager,
        "soa.update",
        json!({"id": first["id"], "rowVersion": first["rowVersion"], "changes": {"implementationStatus": "partial"}}),
    );
    assert_eq!(soa["changedSinceApproval"], true, "a later change shows");
    h.clock.set("2027-11-02T09:00:00Z");
    assert_eq!(
        h.admin_ok("soa.get", json!({"standardId": "ISO27001"}))["entries"][0]["reviewDue"],
        true,
        "12 months after the last review"
    );
}

#[test]
fn the_compliance_view_rolls_coverage_up_the_clause_tree() {
    let mut h = h();
    let (admin, viewer, manager) = (h.admin.clone(), h.viewer.clone(), h.manager.clone());
    let clause = |n: &str| catalogue::clause_id("ISO9001", n);
    let link = |h: &mut common::H, c: &str, t: &str, id: &str| {
        h.admin_ok("compliance.link", json!({"clauseId": c, "entityType": t, "entityId": id}))
    };
    let risk = h.admin_ok("risks.create", json!({"title": "Supplier failure", "description": "Single source"}));
    let risk_id = risk["record"]["id"].as_str().unwrap().to_owned();
    let e =
        h.call(&viewer, "compliance.link", json!({"clauseId": clause("6.1.1"), "entityType": "risk", "entityId": risk_id})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    link(&mut h, &clause("6.1.1"), "risk", &risk_id);
    let inc = h.incident();
    link(&mut h, &clause("10.2.1"), "incident", inc["record"]["id"].as_str().unwrap());
    // An open nonconformity on 8.7.1, from a run of the shipped ISO 9001 template.
    let tpl = h.admin_ok("templates.list", json!({"search": "9001"}))["items"][0]["id"].as_str().unwrap().to_owned();
    let run = h.admin_ok("runs.create", json!({"templateId": tpl, "leadAuditorId": admin.id, "reviewerId": manager.id}));
    let run_id = run["record"]["id"].as_str().unwrap().to_owned();
    h.admin_ok("runs.transition", json!({"id": run_id, "rowVersion": 1, "to": "in_progress"}));
    h.admin_ok(
        "findings.create",
        json!({"runId": run_id, "title": "No NC log", "description": "Not kept", "clauseIds": [clause("8.7.1")]}),
    );
    let c83 = h.admin_ok("standards.get", json!({"id": "ISO9001"}))["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == "8.3")
        .unwrap()
        .clone();
    h.admin_ok(
        "standards.update_clause",
        json!({"id": c83["id"], "rowVersion": c83["rowVersion"], "changes": {"excluded": true, "exclusionJustification": "No design"}}),
    );
    let view = h.admin_ok("compliance.view", json!({"standardId": "ISO9001"}));
    let item = |n: &str| view["items"].as_array().unwrap().iter().find(|i| i["number"] == n).unwrap().clone();
    let cov = |n: &str| item(n)["coverage"].as_str().unwrap().to_owned();
    assert_eq!(cov("6.1.1"), "covered", "an active risk assessed in the window");
    assert_eq!(cov("6.1.2"), "not_covered");
    assert_eq!(cov("6.1"), "not_covered", "a parent shows the worst of its children");
    assert_eq!(cov("8.7.1"), "nonconforming");
    assert_eq!((cov("8.7"), cov("8")), ("nonconforming".into(), "nonconforming".into()));
    assert_eq!(cov("8.3"), "not_applicable");
    assert_eq!(cov("8.3.4"), "not_applicable", "excluding a clause takes its sub-clauses out of scope");
    assert_eq!(item("10.2.1")["evidence"][0]["contextOnly"], true);
    assert_eq!(cov("10.2.1"), "not_covered", "an incident never makes an item current");
    let leaves: Vec<&Value> = view["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !view["items"].as_array().unwrap().iter().any(|c| c["parentId"] == i["id"]) && i["own"] != "not_applicable")
        .collect();
    let expected = (1000.0 / leaves.len() as f64).round() / 10.0;
    assert_eq!(view["coveragePercent"].as_f64(), Some(expected), "1 covered of {} applicable leaves", leaves.len());
    // ISO/IEC 27001: controls count as leaves; a control marked not applicable in the SoA is not applicable.
    h.admin_ok(
        "compliance.link",
        json!({"controlId": catalogue::control_id("ISO27001", "A.5.1"), "entityType": "risk", "entityId": risk_id}),
    );
    let soa = h.admin_ok("soa.get", json!({"standardId": "ISO27001"}));
    let a52 = soa["entries"].as_array().unwrap().iter().find(|e| e["controlNumber"] == "A.5.2").unwrap().clone();
    h.admin_ok("soa.update", json!({"id": a52["id"], "rowVersion": 1, "changes": {"applicable": false, "justification": "Sole trader"}}));
    let v27 = h.admin_ok("compliance.view", json!({"standardId": "ISO27001"}));
    let item27 =
        |n: &str| v27["items"].as_array().unwrap().iter().find(|i| i["number"] == n).unwrap()["coverage"].as_str().unwrap().to_owned();
    assert_eq!((item27("A.5.1"), item27("A.5.2"), item27("A.5")), ("covered".into(), "not_applicable".into(), "not_covered".into()));
    let applicable = 93 - 1
        + v27["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                i["isControl"] == false
                    && !i["number"].as_str().unwrap().starts_with("A.")
                    && !v27["items"].as_array().unwrap().iter().any(|c| c["parentId"] == i["id"])
            })
            .count();
    assert_eq!(v27["coveragePercent"].as_f64(), Some((1000.0 / applicable as f64).round() / 10.0));
    // Unlinking is audited too and removes the coverage.
    h.admin_ok("compliance.unlink", json!({"clauseId": clause("6.1.1"), "entityType": "risk", "entityId": risk_id}));
    let view = h.admin_ok("compliance.view", json!({"standardId": "ISO9001"}));
    assert_eq!(view["items"].as_array().unwrap().iter().find(|i| i["number"] == "6.1.1").unwrap()["coverage"], "not_covered");
    // Events on both ends: 2 + 1 (the incident's own end is not counted here) + 1 + 2.
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('link', 'unlink') AND entity_type IN ('clause', 'risk')"), 6);
}
