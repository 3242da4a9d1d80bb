//! Audit runs and findings through the command path (§5, §6): create from a published version, schedule, answer
//! (every answer checked and saved), completion refused with every problem listed, the lead auditor's signature,
//! stored scores, automatic findings with their links and evidence, manual findings, actions moving a finding on,
//! verification under segregation of duties, review by the named reviewer, cancel, discard and re-audit.

mod common;

use base64::Engine;
use common::{bad_fields, h, H, PASS};
use qgp_core::error::ErrorKind;
use qgp_core::standards::catalogue;
use serde_json::{json, Value};

const Q1: &str = "0190a0b0-0000-7000-8000-000000000001";
const Q2: &str = "0190a0b0-0000-7000-8000-000000000002";
const Q3: &str = "0190a0b0-0000-7000-8000-000000000003";
const Q4: &str = "0190a0b0-0000-7000-8000-000000000004";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// A published template: exit clear (fail raises a critical finding, photo + note on finding, linked to 45001
/// 8.2), pressure 12–16 bar, a reason shown only when the exit fails, and an optional rating.
fn template(h: &mut H, review: bool) -> String {
    let t = h.admin_ok("templates.create", json!({"name": "Fire walk", "auditType": "inspection"}));
    let vid = t["draftVersionId"].as_str().unwrap().to_owned();
    let content = json!({
        "settings": {"scoringMethod": "percentage", "passingScore": 80, "requireReview": review},
        "sections": [{"title": "Fire", "questions": [
            {"id": Q1, "text": "Exit clear", "questionType": "pass_fail", "clauseIds": [catalogue::clause_id("ISO45001", "8.2")],
             "options": [{"value": "pass", "label": "Pass", "score": 1}, {"value": "fail", "label": "Fail", "score": 0, "raisesFinding": true, "findingSeverity": "critical"}],
             "evidence": {"on": "on_finding", "minPhotos": 1, "noteOnFinding": true}},
            {"id": Q2, "text": "Pressure", "questionType": "number", "allowNa": true,
             "number": {"min": 0, "max": 30, "decimals": 1, "unit": "bar", "acceptableMin": 12, "acceptableMax": 16, "outOfRangeSeverity": "high"}},
            {"id": Q3, "text": "Why blocked?", "questionType": "text", "visibility": "show_if",
             "rules": [{"sourceQuestionId": Q1, "operator": "equals", "value": "fail"}]},
            {"id": Q4, "text": "Tidiness", "questionType": "rating", "required": false, "rating": {"scaleMax": 5}}
        ]}]
    });
    h.admin_ok("templates.save_draft", json!({"versionId": vid, "rowVersion": 1, "content": content}));
    let t = h.admin_ok("templates.publish", json!({"versionId": vid, "rowVersion": 2}));
    t["record"]["id"].as_str().unwrap().to_owned()
}

fn rid(v: &Value) -> String {
    v["record"]["id"].as_str().unwrap().to_owned()
}

fn rv(v: &Value) -> i64 {
    v["record"]["rowVersion"].as_i64().unwrap()
}

#[test]
fn a_run_is_answered_completed_with_a_signature_and_raises_its_findings() {
    let mut h = h();
    let (admin, manager, auditor, contributor) = (h.admin.clone(), h.manager.clone(), h.auditor.clone(), h.contributor.clone());
    let tid = template(&mut h, false);
    let e = h.call(&contributor, "runs.create", json!({"templateId": tid, "leadAuditorId": auditor.id})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let e = h
        .call(
            &admin,
            "runs.create",
            json!({"templateId": tid, "leadAuditorId": contributor.id, "dueDate": "2026-11-01", "scheduledDate": "2026-11-30"}),
        )
        .unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["dueDate", "leadAuditorId"], "a contributor cannot lead; due before scheduled");
    let draft_tpl = h.admin_ok("templates.create", json!({"name": "Unpublished"}));
    let e = h.call(&admin, "runs.create", json!({"templateId": rid(&draft_tpl), "leadAuditorId": auditor.id})).unwrap_err();
    assert_eq!(bad_fields(&e), ["templateId"]);
    let run = h.admin_ok(
        "runs.create",
        json!({"templateId": tid, "leadAuditorId": auditor.id, "location": "Warehouse B", "dueDate": "2026-12-10"}),
    );
    assert_eq!(run["record"]["reference"], "AUD-2026-0001");
    assert_eq!(run["record"]["title"], "Fire walk 2026-11-26");
    assert_eq!(run["record"]["status"], "draft");
    let id = rid(&run);
    let e = h.call(&auditor, "runs.answer", json!({"runId": id, "questionId": Q1, "answer": "pass"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "a draft takes no answers");
    let e = h.call(&admin, "runs.transition", json!({"id": id, "rowVersion": 1, "to": "scheduled"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition, "needs a scheduled date");
    let run = h.admin_ok("runs.update", json!({"id": id, "rowVersion": 1, "changes": {"scheduledDate": "2026-11-27"}}));
    let run = h.admin_ok("runs.transition", json!({"id": id, "rowVersion": rv(&run), "to": "scheduled"}));
    assert_eq!(run["record"]["status"], "scheduled");

    // Every answer is checked against its question.
    let answer = |h: &mut H, q: &str, extra: Value| {
        let mut input = json!({"runId": id, "questionId": q});
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        h.call(&auditor, "runs.answer", input)
    };
    for (q, bad) in [
        (Q1, json!({"answer": "maybe"})),
        (Q2, json!({"answer": 12.34})),
        (Q2, json!({"answer": 31})),
        (Q4, json!({"answer": 6})),
        (Q1, json!({"isNa": true})),
    ] {
        let e = answer(&mut h, q, bad.clone()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::ValidationFailed, "{bad}");
    }
    let e = answer(&mut h, "0190a0b0-0000-7000-8000-0000000000ff", json!({"answer": "x"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["questionId"]);
    // The first answer starts the scheduled run; a failed exit shows the follow-up question.
    let out = answer(&mut h, Q1, json!({"answer": "fail"})).unwrap();
    assert_eq!(out["status"], "in_progress");
    assert!(out["visibleQuestionIds"].as_array().unwrap().contains(&json!(Q3)));
    assert_eq!(out["liveScore"]["percentage"], 0.0);
    let out = answer(&mut h, Q2, json!({"answer": 11.5})).unwrap();
    assert_eq!(
        out["completionProblems"],
        json!([
            "Fire › Exit clear: attach at least 1 photo.",
            "Fire › Exit clear: add a note explaining the finding.",
            "Fire › Why blocked?: answer it or mark it N/A."
        ])
    );
    let run = h.admin_ok("runs.get", json!({"id": id}));
    let complete = run["transitions"].as_array().unwrap().iter().find(|t| t["to"] == "completed").unwrap();
    assert_eq!(complete["unmetGuards"].as_array().unwrap().len(), 4, "3 problems + only the lead signs (admin is not the lead)");
    let e =
        h.call(&auditor, "runs.transition", json!({"id": id, "rowVersion": rv(&run), "to": "completed", "passphrase": PASS})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition);
    assert_eq!(e.transition.as_ref().unwrap().unmet_guards.len(), 3, "every missing answer and evidence listed");
    answer(&mut h, Q1, json!({"answer": "fail", "note": "Pallets"})).unwrap();
    let out = answer(&mut h, Q1, json!({"note": "Pallets stacked in the fire exit"})).unwrap();
    assert_eq!(out["response"]["answer"], "fail", "a note alone keeps the answer");
    answer(&mut h, Q3, json!({"answer": "Delivery overflow"})).unwrap();
    let out = h.ok(
        &auditor,
        "runs.attach",
        json!({"runId": id, "questionId": Q1, "originalName": "exit.png", "contentBase64": base64::engine::general_purpose::STANDARD.encode(PNG)}),
    );
    assert_eq!(out["response"]["files"][0]["mediaType"], "image/png");
    assert_eq!(out["completionProblems"], json!([]));
    let run = h.admin_ok("runs.get", json!({"id": id}));
    let e = h
        .call(&auditor, "runs.transition", json!({"id": id, "rowVersion": rv(&run), "to": "completed", "passphrase": "wrong passphrase"}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ReauthFailed);
    let run = h.ok(&auditor, "runs.transition", json!({"id": id, "rowVersion": rv(&run), "to": "completed", "passphrase": PASS}));
    assert_eq!(run["record"]["status"], "completed");
    assert_eq!(
        (run["record"]["score"].as_str(), run["record"]["maxScore"].as_str(), run["record"]["percentage"].as_str()),
        (Some("0"), Some("1"), Some("0"))
    );
    assert_eq!(run["record"]["passed"], false);
    assert_eq!(run["signatures"][0]["meaning"], "completed");
    // Two automatic findings: the blocked exit (critical) and the low pressure (high), with links and evidence.
    let f: Vec<(&str, &str)> =
        run["findings"].as_array().unwrap().iter().map(|f| (f["title"].as_str().unwrap(), f["severity"].as_str().unwrap())).collect();
    assert_eq!(f, [("Exit clear", "critical"), ("Pressure", "high")]);
    let exit = h.admin_ok("findings.get", json!({"id": run["findings"][0]["id"]}));
    assert_eq!(exit["grade"], "major nonconformity");
    assert_eq!(exit["record"]["actionDueDate"], "2026-12-03", "critical: 7 days");
    assert!(exit["record"]["description"].as_str().unwrap().contains("Pallets stacked"));
    assert_eq!(exit["clauseIds"], json!([catalogue::clause_id("ISO45001", "8.2")]));
    assert_eq!(h.count(&format!("SELECT COUNT(*) FROM evidence_links WHERE entity_type = 'finding' AND entity_id = '{}'", rid(&exit))), 1);
    let e = h.call(&auditor, "runs.answer", json!({"runId": id, "questionId": Q4, "answer": 3})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "a completed run takes no answers");

    // A manual finding, then actions: the first action plans the finding; closing needs verification by
    // someone other than the lead auditor, with a signature.
    let manual = h.ok(
        &auditor,
        "findings.create",
        json!({"runId": id, "title": "Good signage", "description": "New signs", "findingType": "positive"}),
    );
    assert_eq!((manual["record"]["fields"].is_null(), manual["record"]["severity"].as_str()), (true, Some("observation")));
    let e =
        h.call(&auditor, "findings.create", json!({"runId": id, "title": "x", "description": "y", "severity": "observation"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["severity"], "a nonconformity is not graded observation");
    let action = h.admin_ok(
        "actions.create",
        json!({"sourceType": "finding", "sourceId": rid(&exit), "title": "Clear the exit", "description": "Move the pallets", "ownerId": admin.id, "dueDate": "2026-12-01"}),
    );
    let exit = h.admin_ok("findings.get", json!({"id": rid(&exit)}));
    assert_eq!(exit["record"]["status"], "action_planned");
    let e = h
        .call(&admin, "findings.transition", json!({"id": rid(&exit), "rowVersion": rv(&exit), "to": "pending_verification"}))
        .unwrap_err();
    assert!(e.message.contains(action["record"]["reference"].as_str().unwrap()) || e.transition.is_some(), "{}", e.message);
    h.finish_action(&action);
    let exit = h.admin_ok("findings.get", json!({"id": rid(&exit)}));
    let exit = h.admin_ok("findings.transition", json!({"id": rid(&exit), "rowVersion": rv(&exit), "to": "pending_verification"}));
    let e = h
        .call(
            &auditor,
            "findings.transition",
            json!({"id": rid(&exit), "rowVersion": rv(&exit), "to": "closed", "verificationNotes": "Seen clear", "passphrase": PASS}),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition, "the lead auditor cannot verify their own run's findings");
    let exit = h.ok(
        &manager,
        "findings.transition",
        json!({"id": rid(&exit), "rowVersion": rv(&exit), "to": "closed", "verificationNotes": "Seen clear", "passphrase": PASS}),
    );
    assert_eq!(exit["record"]["status"], "closed");
    assert_eq!(exit["signatures"][0]["meaning"], "verified");
    let list = h.admin_ok("findings.list", json!({"runId": id}));
    assert_eq!(list["total"], 3);
    assert_eq!(list["items"][0]["severity"], "critical", "critical first");
    assert_eq!(h.admin_ok("findings.list", json!({"clauseId": catalogue::clause_id("ISO45001", "8.2")}))["total"], 1);

    // A re-audit starts from the same template pre-linked to the findings still open.
    let again = h.admin_ok("runs.create", json!({"templateId": tid, "leadAuditorId": auditor.id, "followUpOfRunId": id}));
    let refs: Vec<&str> = again["followUpFindings"].as_array().unwrap().iter().map(|f| f["title"].as_str().unwrap()).collect();
    assert_eq!(refs, ["Pressure", "Good signage"], "the closed one is not re-checked");
    let history = h.admin_ok("runs.history", json!({"id": id}));
    assert!(history.to_string().contains("answer: Exit clear"), "answers are in the audit trail");
    let dash = h.admin_ok("dashboard.audits", json!({}));
    assert_eq!(
        (dash["runsCompletedInPeriod"].as_i64(), dash["passRate"].as_f64(), dash["runsInProgress"].as_i64()),
        (Some(1), Some(0.0), Some(0))
    );
    assert_eq!(dash["byTemplate"][0]["templateName"], "Fire walk");
    let open: Vec<i64> = dash["findingsOpenBySeverity"].as_array().unwrap().iter().map(|v| v["count"].as_i64().unwrap()).collect();
    assert_eq!(open, [0, 1, 0, 0, 1], "critical closed; high (pressure) and the positive observation open");
    let hits = h.admin_ok("search.global", json!({"query": "Warehouse"}));
    assert_eq!(hits[0]["entityType"], "audit_run", "runs are found by location");
    let hits = h.admin_ok("search.global", json!({"query": "signage"}));
    assert_eq!(hits[0]["entityType"], "finding");

    // Closing stamped who and when; a reopen clears the stamps (the trail keeps them) and counts (§1.4).
    assert_eq!(
        (exit["record"]["closedAt"].as_str(), exit["record"]["closedBy"].as_str()),
        (Some("2026-11-26T12:00:00.000Z"), Some(manager.id.as_str()))
    );
    assert_eq!((exit["record"]["reopenCount"].as_i64(), exit["closedByName"].as_str()), (Some(0), Some("Max Manager")));
    let reopened =
        h.admin_ok("findings.transition", json!({"id": rid(&exit), "rowVersion": rv(&exit), "to": "open", "reason": "Pallets back"}));
    assert_eq!((reopened["record"]["closedAt"].clone(), reopened["record"]["closedBy"].clone()), (Value::Null, Value::Null));
    assert_eq!(reopened["record"]["reopenCount"], 1);
    let last = &h.admin_ok("findings.history", json!({"id": rid(&exit)}))[0];
    assert!(last["changes"].to_string().contains("\"closed_by\""), "the cleared stamp is in the trail: {last}");

    // A deferred finding stays deferred past its date and says so.
    let signage = h.admin_ok("findings.get", json!({"id": rid(&manual)}));
    let deferred = h.admin_ok(
        "findings.transition",
        json!({"id": rid(&signage), "rowVersion": rv(&signage), "to": "deferred", "deferredUntil": "2026-11-30", "reason": "Next shutdown"}),
    );
    assert_eq!(deferred["deferralExpired"], false);
    h.clock.set("2026-12-01T09:00:00Z");
    let later = h.admin_ok("findings.get", json!({"id": rid(&manual)}));
    assert_eq!((later["record"]["status"].as_str(), later["deferralExpired"].as_bool()), (Some("deferred"), Some(true)));
    let listed = h.admin_ok("findings.list", json!({"status": ["deferred"]}));
    assert_eq!(listed["items"][0]["deferralExpired"], true);
}

#[test]
fn a_review_is_signed_by_the_reviewer_and_runs_can_be_returned_cancelled_or_discarded() {
    let mut h = h();
    let (admin, manager, auditor) = (h.admin.clone(), h.manager.clone(), h.auditor.clone());
    let tid = template(&mut h, true);
    let e = h.call(&admin, "runs.create", json!({"templateId": tid, "leadAuditorId": auditor.id})).unwrap_err();
    assert_eq!(bad_fields(&e), ["reviewerId"], "this template requires a review");
    let run = h.admin_ok("runs.create", json!({"templateId": tid, "leadAuditorId": auditor.id, "reviewerId": manager.id}));
    let id = rid(&run);
    let run = h.admin_ok("runs.transition", json!({"id": id, "rowVersion": 1, "to": "in_progress"}));
    assert_eq!(run["record"]["scheduledDate"], "2026-11-26", "start now schedules today");
    for (q, a) in [(Q1, json!("pass")), (Q2, json!(14))] {
        h.ok(&auditor, "runs.answer", json!({"runId": id, "questionId": q, "answer": a}));
    }
    let run = h.admin_ok("runs.get", json!({"id": id}));
    let targets: Vec<&str> = run["transitions"].as_array().unwrap().iter().map(|t| t["to"].as_str().unwrap()).collect();
    assert_eq!(targets, ["pending_review", "cancelled"]);
    let run = h.ok(&auditor, "runs.transition", json!({"id": id, "rowVersion": rv(&run), "to": "pending_review", "passphrase": PASS}));
    assert_eq!((run["record"]["status"].as_str(), run["record"]["percentage"].as_str()), (Some("pending_review"), Some("100")));
    let e =
        h.call(&admin, "runs.transition", json!({"id": id, "rowVersion": rv(&run), "to": "completed", "passphrase": PASS})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition, "only the named reviewer reviews");
    let run = h.ok(
        &manager,
        "runs.transition",
        json!({"id": id, "rowVersion": rv(&run), "to": "in_progress", "reason": "Photo of the extinguisher missing"}),
    );
    assert!(run["record"]["submittedAt"].is_null());
    let run = h.ok(&auditor, "runs.transition", json!({"id": id, "rowVersion": rv(&run), "to": "pending_review", "passphrase": PASS}));
    let run = h.ok(&manager, "runs.transition", json!({"id": id, "rowVersion": rv(&run), "to": "completed", "passphrase": PASS}));
    let meanings: Vec<&str> = run["signatures"].as_array().unwrap().iter().map(|s| s["meaning"].as_str().unwrap()).collect();
    assert_eq!(meanings, ["completed", "completed", "reviewed"]);
    assert_eq!(run["record"]["passed"], true);
    assert!(run["findings"].as_array().unwrap().is_empty(), "nothing raised a finding");
    // The lead auditor named as reviewer cannot review their own run.
    let self_review = h.admin_ok("runs.create", json!({"templateId": tid, "leadAuditorId": auditor.id, "reviewerId": auditor.id}));
    let sid = rid(&self_review);
    h.admin_ok("runs.transition", json!({"id": sid, "rowVersion": 1, "to": "in_progress"}));
    for (q, a) in [(Q1, json!("pass")), (Q2, json!(14))] {
        h.ok(&auditor, "runs.answer", json!({"runId": sid, "questionId": q, "answer": a}));
    }
    let r = h.admin_ok("runs.get", json!({"id": sid}));
    let r = h.ok(&auditor, "runs.transition", json!({"id": sid, "rowVersion": rv(&r), "to": "pending_review", "passphrase": PASS}));
    let e =
        h.call(&auditor, "runs.transition", json!({"id": sid, "rowVersion": rv(&r), "to": "completed", "passphrase": PASS})).unwrap_err();
    assert!(e.transition.unwrap().unmet_guards[0].contains("Segregation of duties"));
    // Cancel needs a reason; only a draft is discarded.
    let e = h.call(&admin, "runs.transition", json!({"id": sid, "rowVersion": rv(&r), "to": "cancelled"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["reason"]);
    let r = h.admin_ok("runs.transition", json!({"id": sid, "rowVersion": rv(&r), "to": "cancelled", "reason": "Site closed"}));
    assert!(r["record"]["cancelledAt"].is_string());
    let e = h.call(&admin, "runs.discard", json!({"id": sid, "rowVersion": rv(&r)})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    let d = h.admin_ok("runs.create", json!({"templateId": tid, "leadAuditorId": auditor.id, "reviewerId": manager.id}));
    h.admin_ok("runs.discard", json!({"id": rid(&d), "rowVersion": 1}));
    assert_eq!(h.count(&format!("SELECT COUNT(*) FROM audit_runs WHERE id = '{}'", rid(&d))), 0);
    let list = h.admin_ok("runs.list", json!({}));
    assert_eq!(list["total"], 2);
    assert_eq!(h.admin_ok("runs.list", json!({"status": ["cancelled"]}))["total"], 1);
    assert_eq!(h.admin_ok("runs.list", json!({"passed": true, "status": ["completed"]}))["total"], 1);
}

#[test]
fn findings_closed_before_the_stamps_existed_get_them_from_the_audit_trail() {
    let mut h = h();
    let auditor = h.auditor.clone();
    let tid = template(&mut h, false);
    let run = h.admin_ok("runs.create", json!({"templateId": tid, "leadAuditorId": auditor.id, "location": "Yard"}));
    h.ok(&auditor, "runs.transition", json!({"id": rid(&run), "rowVersion": 1, "to": "in_progress"}));
    let f = h.admin_ok(
        "findings.create",
        json!({"runId": rid(&run), "title": "Tidy yard", "description": "Well kept", "findingType": "observation"}),
    );
    let closed = h.admin_ok("findings.transition", json!({"id": rid(&f), "rowVersion": rv(&f), "to": "closed", "closureNotes": "Noted"}));
    h.clock.set("2026-11-27T08:00:00Z");
    let reopened =
        h.admin_ok("findings.transition", json!({"id": rid(&f), "rowVersion": rv(&closed), "to": "open", "reason": "Look again"}));
    h.clock.set("2026-11-28T15:30:00Z");
    let manager = h.manager.clone();
    let again = h.ok(
        &manager,
        "findings.transition",
        json!({"id": rid(&f), "rowVersion": rv(&reopened), "to": "closed", "closureNotes": "Still tidy"}),
    );
    let expected = (again["record"]["closedAt"].clone(), again["record"]["closedBy"].clone(), again["record"]["reopenCount"].clone());
    assert_eq!(expected, (json!("2026-11-28T15:30:00.000Z"), json!(manager.id), json!(1)));
    // As a database from before V18 would hold it: no stamps, no count. The migration's backfill puts them back.
    h.core.conn.execute("UPDATE findings SET closed_at = NULL, closed_by = NULL, reopen_count = 0", []).unwrap();
    let migration = include_str!("../../../migrations/V18__finding_closing_stamps.sql");
    let backfill: String = migration.split(';').filter(|s| s.contains("UPDATE findings")).collect::<Vec<_>>().join(";");
    h.core.conn.execute_batch(&backfill).unwrap();
    let got = h.admin_ok("findings.get", json!({"id": rid(&f)}));
    assert_eq!((got["record"]["closedAt"].clone(), got["record"]["closedBy"].clone(), got["record"]["reopenCount"].clone()), expected);
}

#[test]
fn a_risk_links_to_findings_audit_runs_and_documents_and_both_ends_show_it() {
    let mut h = h();
    let (auditor, admin) = (h.auditor.clone(), h.admin.clone());
    let tid = template(&mut h, false);
    let run = h.admin_ok("runs.create", json!({"templateId": tid, "leadAuditorId": auditor.id, "location": "Yard"}));
    h.ok(&auditor, "runs.transition", json!({"id": rid(&run), "rowVersion": 1, "to": "in_progress"}));
    let finding = h.admin_ok("findings.create", json!({"runId": rid(&run), "title": "Racking overloaded", "description": "Bay 7"}));
    let document = h.admin_ok("documents.create", json!({"title": "Racking inspection procedure", "ownerId": admin.id}));
    let risk = h.admin_ok("risks.create", json!({"title": "Racking collapse", "description": "Overloaded bays"}));
    for (kind, other) in [("finding", &finding), ("audit_run", &run), ("document", &document)] {
        h.admin_ok("risks.link", json!({"riskId": rid(&risk), "recordType": kind, "recordId": rid(other)}));
        let again = h.call(&admin, "risks.link", json!({"riskId": rid(&risk), "recordType": kind, "recordId": rid(other)})).unwrap_err();
        assert_eq!(bad_fields(&again), ["recordId"], "a pair is linked once");
    }
    let linked = h.admin_ok("risks.get", json!({"id": rid(&risk)}));
    let mut kinds: Vec<&str> = linked["linkedRecords"].as_array().unwrap().iter().map(|l| l["entityType"].as_str().unwrap()).collect();
    kinds.sort();
    assert_eq!(kinds, ["audit_run", "document", "finding"]);
    for (command, other) in [("findings.get", &finding), ("runs.get", &run), ("documents.get", &document)] {
        let view = h.admin_ok(command, json!({"id": rid(other)}));
        assert_eq!(view["linkedRisks"][0]["reference"], linked["record"]["reference"], "{command} shows the risk");
    }
    // Linking writes an event on both ends and changes neither version.
    let doc_history = h.admin_ok("documents.history", json!({"id": rid(&document)}));
    assert_eq!((doc_history[0]["action"].as_str(), doc_history[0]["changes"][0]["field"].as_str()), (Some("link"), Some("linked_risk")));
    assert_eq!(h.admin_ok("findings.get", json!({"id": rid(&finding)}))["record"]["rowVersion"], rv(&finding));
    h.admin_ok("risks.unlink", json!({"riskId": rid(&risk), "recordType": "audit_run", "recordId": rid(&run)}));
    assert_eq!(h.admin_ok("runs.get", json!({"id": rid(&run)}))["linkedRisks"], json!([]));
}
