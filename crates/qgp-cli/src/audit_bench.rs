//! The audit part of `qgp bench` (issue 5 targets): saving one answer on a 300-question run, opening that run, the
//! ISO/IEC 27001 compliance view with 10,000 linked records, and attaching a 10 MB photo. Every measurement goes
//! through the command path, as in the app.

use base64::Engine;
use qgp_core::app::AppCore;
use qgp_core::context::Actor;
use serde_json::{json, Value};
use sha2::Digest;
use std::time::Instant;

/// p50 and p95 (the shared percentile), to two places.
fn summary(samples: &mut [f64]) -> Value {
    let two = |x: f64| (x * 100.0).round() / 100.0;
    json!({ "p50": two(crate::bench::percentile(samples, 0.5)), "p95": two(crate::bench::percentile(samples, 0.95)) })
}

/// 300 questions: yes/no raising findings, numbers with limits, ratings and text, in 10 sections.
fn content() -> Value {
    let sections: Vec<Value> = (0..10)
        .map(|s| {
            let questions: Vec<Value> = (0..30)
                .map(|q| match q % 4 {
                    0 => json!({"text": format!("Check {s}.{q} in order"), "questionType": "yes_no",
                                "options": [{"value": "yes", "label": "Yes", "score": 1}, {"value": "no", "label": "No", "score": 0, "raisesFinding": true}]}),
                    1 => json!({"text": format!("Reading {s}.{q}"), "questionType": "number", "number": {"min": 0, "max": 1000, "decimals": 1, "acceptableMax": 500}}),
                    2 => json!({"text": format!("Rate {s}.{q}"), "questionType": "rating", "rating": {"scaleMax": 5, "findingAtOrBelow": 1}}),
                    _ => json!({"text": format!("Notes {s}.{q}"), "questionType": "text", "required": false}),
                })
                .collect();
            json!({"title": format!("Area {s}"), "questions": questions})
        })
        .collect();
    json!({"settings": {"scoringMethod": "percentage", "passingScore": 80}, "sections": sections})
}

fn answer_for(q: &Value, i: usize) -> Value {
    match q["questionType"].as_str() {
        Some("yes_no") => json!(if i % 7 == 0 { "no" } else { "yes" }),
        Some("number") => json!((i % 900) as f64 / 2.0),
        Some("rating") => json!(1 + (i % 5)),
        _ => json!(format!("Observed item {i}")),
    }
}

pub fn run(core: &mut AppCore, actor: &Actor, iterations: usize) -> Result<Value, String> {
    let data_dir = core.paths.data_dir.clone();
    let mut call = |name: &str, input: Value| core.invoke(Some(actor.clone()), name, input).map_err(|e| format!("{name}: {}", e.message));
    let t = call("templates.create", json!({"name": "Bench 300"}))?;
    let vid = t["draftVersionId"].as_str().unwrap_or_default().to_owned();
    call("templates.save_draft", json!({"versionId": vid, "rowVersion": 1, "content": content()}))?;
    let t = call("templates.publish", json!({"versionId": vid, "rowVersion": 2}))?;
    let questions: Vec<Value> = t["versions"][0]["content"]["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["questions"].as_array().cloned().unwrap_or_default())
        .collect();
    let run = call("runs.create", json!({"templateId": t["record"]["id"], "leadAuditorId": actor.id}))?;
    let run_id = run["record"]["id"].as_str().unwrap_or_default().to_owned();
    call("runs.transition", json!({"id": run_id, "rowVersion": 1, "to": "in_progress"}))?;
    let mut answer = Vec::new();
    for i in 0..iterations.max(questions.len()) {
        let q = &questions[i % questions.len()];
        let input = json!({"runId": run_id, "questionId": q["id"], "answer": answer_for(q, i)});
        let t0 = Instant::now();
        call("runs.answer", input)?;
        answer.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    let mut open = Vec::new();
    for _ in 0..iterations.min(100) {
        let t0 = Instant::now();
        call("runs.get", json!({"id": run_id}))?;
        open.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    // ~10 MB camera-sized JPEGs (4000 × 3000, fine noise so they compress like photos), distinct each time, so each
    // is hashed, stored and given a thumbnail.
    let mut photo = Vec::new();
    let mut photo_bytes = 0;
    let mut thumb = Vec::new();
    for k in 0..5u32 {
        let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
            let v = (x.wrapping_mul(2654435761) ^ y.wrapping_mul(40503) ^ k.wrapping_mul(97)).wrapping_mul(2246822519) >> 24;
            image::Rgb([v as u8, (v >> 1) as u8, (x / 16 + y / 16) as u8])
        });
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 75).encode_image(&img).map_err(|e| e.to_string())?;
        photo_bytes = bytes.len();
        let input = json!({"runId": run_id, "questionId": questions[0]["id"], "originalName": format!("photo{k}.jpg"),
                           "contentBase64": base64::engine::general_purpose::STANDARD.encode(&bytes)});
        let sha: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        let t0 = Instant::now();
        call("runs.attach", input)?;
        photo.push(t0.elapsed().as_secs_f64() * 1000.0);
        // The preview is made on another thread while the photo is hashed and stored; the user has the whole
        // thing when it exists, so that is when the clock stops.
        let preview = qgp_core::thumbnail::path_of(&data_dir, &sha);
        while !preview.exists() {
            if t0.elapsed().as_secs() > 10 {
                return Err("no preview after 10 s".into());
            }
            std::thread::sleep(std::time::Duration::from_micros(500));
        }
        thumb.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    // 10,000 links on ISO/IEC 27001: incidents on clauses, risks on controls (set up directly; the view is measured).
    let standard: String =
        core.conn.query_row("SELECT id FROM standards WHERE code = 'ISO27001'", [], |r| r.get(0)).map_err(|e| e.to_string())?;
    core.conn
        .execute_batch(&format!(
            "BEGIN;
             WITH c AS (SELECT id, ROW_NUMBER() OVER (ORDER BY sort_key) - 1 AS k FROM clauses WHERE standard_id = '{standard}'),
                  i AS (SELECT id, (ROW_NUMBER() OVER (ORDER BY rowid)) % (SELECT COUNT(*) FROM c) AS k FROM incidents LIMIT 5000)
             INSERT OR IGNORE INTO clause_links (clause_id, entity_type, entity_id, created_at, created_by)
               SELECT c.id, 'incident', i.id, '2026-01-01T00:00:00Z', '{actor}' FROM i JOIN c ON c.k = i.k;
             WITH c AS (SELECT id, ROW_NUMBER() OVER (ORDER BY sort_key) - 1 AS k FROM controls WHERE standard_id = '{standard}'),
                  r AS (SELECT id, (ROW_NUMBER() OVER (ORDER BY rowid)) % 93 AS k FROM risks LIMIT 5000)
             INSERT OR IGNORE INTO control_links (control_id, entity_type, entity_id, created_at, created_by)
               SELECT c.id, 'risk', r.id, '2026-01-01T00:00:00Z', '{actor}' FROM r JOIN c ON c.k = r.k;
             COMMIT; ANALYZE;",
            actor = actor.id
        ))
        .map_err(|e| e.to_string())?;
    let links: i64 = core
        .conn
        .query_row("SELECT (SELECT COUNT(*) FROM clause_links) + (SELECT COUNT(*) FROM control_links)", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    let mut compliance = Vec::new();
    for _ in 0..iterations.min(50) {
        let t0 = Instant::now();
        core.invoke(Some(actor.clone()), "compliance.view", json!({"standardId": "ISO27001"})).map_err(|e| e.message)?;
        compliance.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(json!({
        "questions": questions.len(),
        "saveAnswerMs": summary(&mut answer),
        "openRunMs": summary(&mut open),
        "photoBytes": photo_bytes,
        "attachPhotoMs": summary(&mut photo),
        "attachWithPreviewMs": summary(&mut thumb),
        "complianceLinks": links,
        "compliance27001Ms": summary(&mut compliance),
    }))
}
