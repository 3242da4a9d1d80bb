//! The audit report: run details, score and outcome, signatures, every section and answer with notes and photos,
//! findings with their severity and actions, and the evidence appendix.

use super::{all_rows, evidence_rows, label, local_time, text, Prepared};
use crate::context::Ctx;
use crate::error::Result;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

/// An answer in words, from the question's type and options.
fn answer_text(question: &Value, response: &Value) -> String {
    if response["isNa"].as_bool() == Some(true) {
        return "N/A".into();
    }
    let answer = &response["answer"];
    // Photo and signature questions are answered by their images (domain.md §5), not by a value.
    let images = response["files"].as_array().into_iter().flatten().filter(|f| text(&f["mediaType"]).starts_with("image/")).count();
    match question["questionType"].as_str().unwrap_or_default() {
        "photo" if images > 0 => return format!("{images} photo{} attached", if images == 1 { "" } else { "s" }),
        "signature" => {
            let signer = text(&answer["signerName"]);
            return match (images > 0, signer.is_empty()) {
                (true, false) => format!("Signed by {signer}"),
                (true, true) => "Signature image without the signer's name".into(),
                (false, false) => format!("{signer} (no signature image)"),
                (false, true) => "Not answered".into(),
            };
        }
        _ => {}
    }
    if answer.is_null() {
        return "Not answered".into();
    }
    let options = question["options"].as_array().cloned().unwrap_or_default();
    let option_label = |v: &Value| options.iter().find(|o| o["value"] == *v).map(|o| text(&o["label"])).unwrap_or_else(|| text(v));
    match question["questionType"].as_str().unwrap_or_default() {
        "choice_multi" => answer.as_array().map(|a| a.iter().map(option_label).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
        "yes_no" | "pass_fail" | "choice_single" => option_label(answer),
        "rating" => format!("{} / {}", text(answer), text(&question["rating"]["max"])),
        "number" => {
            let unit = text(&question["number"]["unit"]);
            if unit.is_empty() {
                text(answer)
            } else {
                format!("{} {unit}", text(answer))
            }
        }
        _ => text(answer),
    }
}

fn flagged(question: &Value, response: &Value) -> bool {
    let chosen: Vec<&Value> = match &response["answer"] {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    question["options"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|o| chosen.contains(&&o["value"]) && (o["raisesFinding"].as_bool() == Some(true) || o["failsRun"].as_bool() == Some(true)))
}

/// Gathers the run.
pub fn prepare(ctx: &mut Ctx, run_id: &str) -> Result<Prepared> {
    let run = crate::commands::dispatch(ctx, "runs.get", json!({"id": run_id}))?;
    let record = &run["record"];
    let reference = text(&record["reference"]);
    // The run's fields are flattened into its record.
    let fields = record;
    let score = &run["liveScore"];
    // The signed-off score once completed; the live one before.
    let percent = record["percentage"].as_str().and_then(|p| p.parse::<f64>().ok()).or(score["percentage"].as_f64());
    let outcome = match record["passed"].as_bool().or(score["passed"].as_bool()) {
        Some(true) => ("pass", Some("Pass")),
        Some(false) => ("fail", Some("Fail")),
        None => ("", None),
    };
    let visible: HashSet<String> =
        run["visibleQuestionIds"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect();
    let responses: BTreeMap<String, Value> =
        run["responses"].as_array().into_iter().flatten().map(|r| (text(&r["questionId"]), r.clone())).collect();

    let thumbs = crate::thumbnail::dir(&ctx.call.paths.data_dir);
    let mut images = BTreeMap::new();
    let mut evidence = Vec::new();
    let mut sections = Vec::new();
    let mut number_section = 0;
    for section in run["sections"].as_array().into_iter().flatten() {
        let mut questions = Vec::new();
        number_section += 1;
        let mut n = 0;
        for q in section["questions"].as_array().into_iter().flatten() {
            let qid = text(&q["id"]);
            if !visible.contains(&qid) {
                continue;
            }
            n += 1;
            let number = format!("{number_section}.{n}");
            let empty = Value::Null;
            let response = responses.get(&qid).unwrap_or(&empty);
            let mut photos = Vec::new();
            let mut files = Vec::new();
            for f in response["files"].as_array().into_iter().flatten() {
                let sha = text(&f["sha256"]);
                let name = text(&f["originalName"]);
                let original = crate::evidence::stored_path(&ctx.call.paths.evidence_dir, &sha);
                let is_image = text(&f["mediaType"]).starts_with("image/");
                match is_image.then(|| crate::thumbnail::ensure(&thumbs, &sha, &original)).flatten() {
                    Some(path) => {
                        let key = format!("{sha}.jpg");
                        if !images.contains_key(&key) {
                            images.insert(key.clone(), std::fs::read(path)?);
                        }
                        photos.push(Value::String(key));
                    }
                    None => files.push(Value::String(name)),
                }
            }
            if !response.is_null() {
                evidence_rows(ctx, "audit_response", &text(&response["id"]), &format!("{reference} Q{number}"), &mut evidence)?;
            }
            let score = match (response["score"].as_str(), response["maxScore"].as_str()) {
                (Some(s), Some(m)) => format!("{s} / {m}"),
                _ => String::new(),
            };
            questions.push(json!({
                "number": number, "text": text(&q["text"]), "answer": answer_text(q, response), "note": response["note"],
                "score": score, "flagged": flagged(q, response), "photos": photos, "files": files,
            }));
        }
        sections.push(json!({"title": text(&section["title"]), "questions": questions}));
    }

    let mut findings = Vec::new();
    for f in all_rows(ctx, "findings.list", json!({"runId": run_id}))? {
        let id = text(&f["id"]);
        let view = crate::commands::dispatch(ctx, "findings.get", json!({"id": id}))?;
        let fr = &view["record"];
        let clauses = clause_numbers(ctx, &view["clauseIds"])?;
        let actions: Vec<Value> = all_rows(ctx, "actions.list", json!({"sourceType": ["finding"], "sourceId": id}))?
            .into_iter()
            .map(|a| json!({"reference": a["reference"], "title": a["title"], "owner": text(&a["ownerName"]), "due": a["dueDate"], "statusLabel": label(&a["status"])}))
            .collect();
        evidence_rows(ctx, "finding", &id, &text(&fr["reference"]), &mut evidence)?;
        findings.push(json!({
            "reference": fr["reference"], "title": fr["title"], "description": fr["description"],
            "severity": fr["severity"], "severityLabel": format!("{} · {}", label(&fr["severity"]), text(&view["grade"])), "statusLabel": label(&fr["status"]),
            "clauses": clauses, "actions": actions,
        }));
        ctx.call.progress.check()?;
    }
    let signatures: Vec<Value> = run["signatures"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| json!({"meaning": label(&s["meaning"]), "name": s["signerName"], "at": local_time(ctx, &s["signedAt"])}))
        .collect();
    let pass_mark = run["settings"]["passingScore"].as_f64().map(|p| format!("{p}"));
    let data = json!({
        "recordCount": format!("1 audit run, {} finding{}", findings.len(), if findings.len() == 1 { "" } else { "s" }),
        "run": {
            "reference": reference, "title": fields["title"], "template": format!("{} (version {})", text(&run["templateName"]), text(&run["versionNumber"])),
            "status": label(&record["status"]), "location": fields["location"], "auditee": fields["auditee"],
            "leadAuditor": run["leadAuditorName"], "reviewer": run["reviewerName"], "scheduledFor": fields["scheduledDate"],
            "startedAt": local_time(ctx, &record["startedAt"]), "completedAt": local_time(ctx, &record["completedAt"]),
            "scorePercent": percent.map(|p| format!("{p:.1}")), "passMark": pass_mark,
            "outcome": outcome.0, "outcomeLabel": outcome.1, "summary": fields["notes"],
        },
        "signatures": signatures,
        "sections": sections,
        "findings": findings,
        "evidence": evidence,
    });
    Ok(Prepared { template: "audit", data, images, file_stem: format!("audit-report-{reference}") })
}

/// "ISO 9001 8.5.1, …" for clause ids.
fn clause_numbers(ctx: &Ctx, ids: &Value) -> Result<String> {
    let mut out = Vec::new();
    let mut stmt = ctx
        .conn()
        .prepare_cached("SELECT s.code || ' ' || c.number FROM clauses c JOIN standards s ON s.id = c.standard_id WHERE c.id = ?1")?;
    for id in ids.as_array().into_iter().flatten().filter_map(Value::as_str) {
        if let Ok(n) = stmt.query_row([id], |r| r.get::<_, String>(0)) {
            out.push(n);
        }
    }
    Ok(out.join(", "))
}
