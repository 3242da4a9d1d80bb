//! Templates through the command path (§4): the shipped starters, building a draft with every problem named by its
//! path, publish guards, frozen published versions, new versions as full copies, clones with fresh ids, discarding a
//! never-published draft, and who may author templates.

mod common;

use common::{bad_fields, h};
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};

fn tid(v: &Value) -> String {
    v["record"]["id"].as_str().unwrap().to_owned()
}

fn draft(v: &Value) -> (String, i64) {
    let id = v["draftVersionId"].as_str().unwrap().to_owned();
    let rv = v["versions"].as_array().unwrap().iter().find(|x| x["id"] == id.as_str()).unwrap()["rowVersion"].as_i64().unwrap();
    (id, rv)
}

#[test]
fn a_new_installation_has_three_published_starter_templates() {
    let mut h = h();
    let list = h.admin_ok("templates.list", json!({}));
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["ISO 9001 internal audit", "Vehicle pre-use check", "Workplace safety inspection"]);
    assert!(list["items"].as_array().unwrap().iter().all(|t| t["publishedVersion"] == 1 && t["questionCount"].as_i64().unwrap() >= 8));
    // Their questions are linked to clauses (compliance evidence) and the conditional ones have rules.
    assert!(h.count("SELECT COUNT(*) FROM clause_links WHERE entity_type = 'audit_question'") >= 13);
    let t = h.admin_ok("templates.get", json!({"id": list["items"][2]["id"]}));
    let qs: Vec<Value> = t["versions"][0]["content"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap().clone())
        .collect();
    assert_eq!(qs.iter().filter(|q| q["visibility"] == "show_if").count(), 2);
    assert_eq!(t["standardIds"].as_array().unwrap().len(), 1);
}

#[test]
fn a_draft_is_built_checked_published_and_then_frozen() {
    let mut h = h();
    let (admin, contributor) = (h.admin.clone(), h.contributor.clone());
    let e = h.call(&contributor, "templates.create", json!({"name": "x"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "contributors do not author templates");
    let t = h.admin_ok("templates.create", json!({"name": "Forklift check", "auditType": "checklist", "frequency": "daily"}));
    assert_eq!(t["record"]["reference"], "TPL-2026-0004", "after the three starters");
    let (vid, vrv) = draft(&t);
    let q1 = "0190a0b0-0000-7000-8000-0000000000a1";
    let bad = json!({
        "settings": {"scoringMethod": "percentage", "passingScore": 120},
        "sections": [{"title": "Checks", "questions": [
            {"text": "Horn", "questionType": "choice_single", "options": [{"value": "ok", "label": "OK"}]},
            {"text": "Forks", "questionType": "pass_fail", "options": [
                {"value": "pass", "label": "Pass"}, {"value": "fail", "label": "Fail", "raisesFinding": true, "findingSeverity": "observation"}]},
            {"text": "Later", "questionType": "text", "visibility": "show_if", "rules": [{"sourceQuestionId": q1, "operator": "equals", "value": "yes"}]},
            {"id": q1, "text": "Seat belt", "questionType": "yes_no", "weight": 101},
            {"text": "Hours", "questionType": "number", "number": {"min": 10, "max": 5}},
            {"text": "Note", "questionType": "text", "options": [{"value": "a", "label": "A"}]}
        ]}]
    });
    let e = h.call(&admin, "templates.save_draft", json!({"versionId": vid, "rowVersion": vrv, "content": bad})).unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(
        fields,
        [
            "sections[0].questions[0].options",
            "sections[0].questions[1].options[1].findingSeverity",
            "sections[0].questions[2].rules[0].sourceQuestionId",
            "sections[0].questions[3].weight",
            "sections[0].questions[4].number.max",
            "sections[0].questions[5].options",
            "settings.passingScore",
        ],
        "every problem, by its path"
    );
    let t = h.admin_ok("templates.get", json!({"id": tid(&t)}));
    assert_eq!(t["versions"][0]["questionCount"], 0, "nothing saved");
    assert_eq!(t["publishProblems"], json!(["Add at least one question."]));
    let e = h.call(&admin, "templates.publish", json!({"versionId": vid, "rowVersion": vrv})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition);
    let good = json!({
        "settings": {"scoringMethod": "percentage", "passingScore": 80},
        "sections": [{"title": "Checks", "questions": [
            {"id": q1, "text": "Seat belt works", "questionType": "yes_no", "weight": 2},
            {"text": "Why not?", "questionType": "text", "visibility": "show_if", "rules": [{"sourceQuestionId": q1, "operator": "equals", "value": "no"}]},
            {"text": "Hours", "questionType": "number", "number": {"min": 0, "max": 99999, "unit": "h"}}
        ]}]
    });
    let t = h.admin_ok("templates.save_draft", json!({"versionId": vid, "rowVersion": vrv, "content": good}));
    let ver = &t["versions"][0];
    assert_eq!((ver["questionCount"].as_i64(), ver["rowVersion"].as_i64()), (Some(3), Some(2)));
    let first = &ver["content"]["sections"][0]["questions"][0];
    assert_eq!((first["maxScore"].as_f64(), first["options"].as_array().unwrap().len()), (Some(1.0), 2), "yes/no gets its two options");
    let t = h.admin_ok("templates.publish", json!({"versionId": vid, "rowVersion": 2}));
    assert_eq!(t["publishedVersionId"], vid.as_str());
    assert!(t["draftVersionId"].is_null());
    let e = h.call(&admin, "templates.save_draft", json!({"versionId": vid, "rowVersion": 3, "content": good})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "published content is frozen");
    assert!(h.core.conn.execute("UPDATE template_versions SET content = '{}' WHERE id = ?1", [&vid]).is_err(), "even in SQL");

    // Editing a published template starts a full copy as version 2; publishing it supersedes version 1.
    let t = h.admin_ok("templates.new_version", json!({"id": tid(&t), "rowVersion": t["record"]["rowVersion"]}));
    let (v2, v2rv) = draft(&t);
    assert_eq!(t["versions"][0]["versionNumber"], 2);
    assert_eq!(t["versions"][0]["content"], t["versions"][1]["content"], "a full copy, same question ids");
    let e = h.call(&admin, "templates.new_version", json!({"id": tid(&t), "rowVersion": t["record"]["rowVersion"]})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "one draft at a time");
    let t = h.admin_ok("templates.publish", json!({"versionId": v2, "rowVersion": v2rv}));
    let statuses: Vec<&str> = t["versions"].as_array().unwrap().iter().map(|v| v["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["published", "superseded"]);

    // A clone is a new template with fresh ids; its rules follow their (renamed) sources.
    let c = h.admin_ok("templates.clone", json!({"id": tid(&t)}));
    assert_eq!(c["record"]["name"], "Copy of Forklift check");
    let qs = &c["versions"][0]["content"]["sections"][0]["questions"];
    assert_ne!(qs[0]["id"], q1);
    assert_eq!(qs[1]["rules"][0]["sourceQuestionId"], qs[0]["id"]);
    // Discarding the clone's only, never-published draft removes the clone; its reference stays used.
    let (cv, cvrv) = draft(&c);
    let out = h.admin_ok("templates.discard_draft", json!({"versionId": cv, "rowVersion": cvrv}));
    assert_eq!(out["templateDiscarded"], true);
    let e = h.call(&admin, "templates.get", json!({"reference": c["record"]["reference"]})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'template' AND action = 'discard'"),
        1,
        "the event keeps the last values"
    );
    let next = h.admin_ok("templates.create", json!({"name": "Another"}));
    assert_eq!(next["record"]["reference"], "TPL-2026-0006");
    let e = h.call(&admin, "templates.discard_draft", json!({"versionId": vid, "rowVersion": 4})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "a published version is never discarded");
}
