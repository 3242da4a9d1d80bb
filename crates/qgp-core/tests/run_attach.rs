//! A file for an audit question is attached in one transaction with the response it creates and the start of a
//! scheduled run: a refused file leaves neither a response nor a started run behind.

mod common;
use base64::Engine;
use common::{bad_fields, h};
use serde_json::json;

/// A published template with one optional photo question and a draft run of it, led by the admin: (run id, question id).
fn photo_run(h: &mut common::H) -> (String, String) {
    let t = h.admin_ok("templates.create", json!({"name": "Site photos"}));
    let qid = qgp_core::ids::new_id();
    let content = json!({"sections": [{"title": "Site", "questions": [{"id": qid, "text": "Photo of the exit", "questionType": "photo", "required": false}]}]});
    let vid = t["draftVersionId"].as_str().unwrap().to_owned();
    h.admin_ok("templates.save_draft", json!({"versionId": vid, "rowVersion": 1, "content": content}));
    h.admin_ok("templates.publish", json!({"versionId": vid, "rowVersion": 2}));
    let admin_id = h.admin.id.clone();
    let run = h.admin_ok("runs.create", json!({"templateId": t["record"]["id"], "leadAuditorId": admin_id, "scheduledDate": "2026-12-01"}));
    (run["record"]["id"].as_str().unwrap().to_owned(), qid)
}

#[test]
fn a_refused_file_leaves_no_response_and_does_not_start_the_run() {
    let mut h = h();
    let (run_id, qid) = photo_run(&mut h);
    h.admin_ok("runs.transition", json!({"id": run_id, "rowVersion": 1, "to": "scheduled"}));
    let events = h.count("SELECT COUNT(*) FROM audit_events");

    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let refused = h
        .call(
            &h.admin.clone(),
            "runs.attach",
            json!({"runId": run_id, "questionId": qid, "originalName": "exit.bat", "contentBase64": b64(b"@echo off")}),
        )
        .unwrap_err();
    assert_eq!(bad_fields(&refused), ["originalName"], "{refused:?}");
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_responses"), 0, "no response was left behind");
    assert_eq!(h.admin_ok("runs.get", json!({"id": run_id}))["record"]["status"], "scheduled", "the run did not start");
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_events"), events, "nothing was recorded");

    let png = {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(8, 8, image::Rgb([200, 30, 30])).write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let done =
        h.admin_ok("runs.attach", json!({"runId": run_id, "questionId": qid, "originalName": "exit.png", "contentBase64": b64(&png)}));
    assert_eq!(done["response"]["questionId"], qid.as_str());
    assert_eq!(h.count("SELECT COUNT(*) FROM audit_responses"), 1);
    assert_eq!(h.admin_ok("runs.get", json!({"id": run_id}))["record"]["status"], "in_progress", "the first file starts the run");

    // The photo answers the photo question (domain.md §5): in the record, and in the signed report's words.
    let response = &done["response"];
    assert_eq!(response["answeredAt"], "2026-11-26T12:00:00.000Z", "{response}");
    assert_eq!(response["answeredBy"], h.admin.id.as_str());
    let pdf = h.core.paths.data_dir.join("run.pdf");
    h.admin_ok("reports.generate", json!({"kind": "audit_run", "id": run_id, "path": pdf}));
    let out = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 photo attached"), "{text}");
    assert!(!text.contains("Not answered"), "{text}");
    // A later photo keeps the moment it was first answered.
    h.clock.set("2026-11-26T12:30:00Z");
    let again =
        h.admin_ok("runs.attach", json!({"runId": run_id, "questionId": qid, "originalName": "exit2.png", "contentBase64": b64(&png)}));
    assert_eq!(again["response"]["answeredAt"], "2026-11-26T12:00:00.000Z");
}

#[test]
fn a_file_that_is_not_an_image_does_not_answer_a_photo_question() {
    let mut h = h();
    let (run_id, qid) = photo_run(&mut h);
    h.admin_ok("runs.transition", json!({"id": run_id, "rowVersion": 1, "to": "in_progress"}));
    let text = base64::engine::general_purpose::STANDARD.encode(b"Exit checked, see the site plan");
    let done = h.admin_ok("runs.attach", json!({"runId": run_id, "questionId": qid, "originalName": "notes.txt", "contentBase64": text}));
    assert!(done["response"]["answeredAt"].is_null(), "{done}");
}
