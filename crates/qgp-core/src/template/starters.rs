//! The three ready templates shipped as starting points (§4 issue): an ISO 9001 internal audit, a workplace safety
//! inspection and a vehicle pre-use check. They are written in a short form (`catalogue/starter_templates.json`),
//! expanded here into full content, validated like any user's template and published as version 1 when the first
//! profile is created, so a new installation can audit at once.

use super::model::VersionContent;
use super::{content, create_in, Fields};
use crate::context::Call;
use crate::error::{CoreError, Result};
use crate::standards::catalogue;
use crate::validate::Choice;
use rusqlite::Transaction;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const STARTERS: &str = include_str!("../../catalogue/starter_templates.json");

fn expand_question(q: &Map<String, Value>, standard: &str, keys: &mut HashMap<String, String>) -> Value {
    let id = crate::ids::new_id();
    let mut out = Map::new();
    out.insert("id".into(), json!(id));
    for (k, v) in q {
        match k.as_str() {
            "clauses" => {
                let ids: Vec<String> =
                    v.as_array().into_iter().flatten().filter_map(Value::as_str).map(|n| catalogue::clause_id(standard, n)).collect();
                out.insert("clauseIds".into(), json!(ids));
            }
            "key" => {
                keys.insert(v.as_str().unwrap_or_default().to_owned(), id.clone());
            }
            "showIfYes" => {
                let source = keys.get(v.as_str().unwrap_or_default()).cloned().unwrap_or_default();
                out.insert("visibility".into(), json!("show_if"));
                out.insert("rules".into(), json!([{"sourceQuestionId": source, "operator": "equals", "value": "yes"}]));
            }
            "finding" | "failsRun" | "photoOnFinding" => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(severity) = q.get("finding").and_then(Value::as_str) {
        let t = q.get("questionType").and_then(Value::as_str).and_then(super::model::QuestionType::parse);
        let fails = q.get("failsRun").and_then(Value::as_bool).unwrap_or(false);
        if let Some([(good, good_label, _), (bad, bad_label, _)]) = t.and_then(content::fixed_options) {
            out.insert(
                "options".into(),
                json!([
                    {"value": good, "label": good_label, "score": 1},
                    {"value": bad, "label": bad_label, "score": 0, "raisesFinding": true, "findingSeverity": severity, "failsRun": fails}
                ]),
            );
        }
        let photo = q.get("photoOnFinding").and_then(Value::as_bool).unwrap_or(false);
        out.insert("evidence".into(), json!({"on": "on_finding", "minPhotos": i64::from(photo), "noteOnFinding": true}));
    }
    Value::Object(out)
}

/// The starters, expanded and validated.
fn starters(tx: &Transaction) -> Result<Vec<(Fields, VersionContent)>> {
    let all: Vec<Map<String, Value>> =
        serde_json::from_str(STARTERS).map_err(|e| CoreError::Internal(format!("starter templates unreadable: {e}")))?;
    let mut out = Vec::new();
    for t in all {
        let codes: Vec<String> =
            t.get("standards").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect();
        let standard = codes.first().cloned().unwrap_or_default();
        let mut keys = HashMap::new();
        let raw = t.get("content").cloned().unwrap_or_default();
        let sections: Vec<Value> = raw["sections"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                let questions: Vec<Value> = s["questions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                    .map(|q| expand_question(q, &standard, &mut keys))
                    .collect();
                json!({"id": crate::ids::new_id(), "title": s["title"], "questions": questions})
            })
            .collect();
        let full = json!({"settings": raw["settings"], "sections": sections});
        let content = content::read(tx, full.as_object().unwrap_or(&Map::new()))?;
        let text = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_owned);
        let fields = Fields {
            name: text("name").unwrap_or_default(),
            description: text("description"),
            category: text("category"),
            audit_type: text("auditType")
                .as_deref()
                .and_then(super::model::AuditType::parse)
                .unwrap_or(super::model::AuditType::Inspection),
            frequency: text("frequency").as_deref().and_then(super::model::Frequency::parse).unwrap_or(super::model::Frequency::AdHoc),
            legacy_reference: None,
            standard_ids: codes.iter().map(|c| catalogue::standard_id(c)).collect(),
        };
        out.push((fields, content));
    }
    Ok(out)
}

/// Creates and publishes the starters inside the first profile's transaction.
pub fn install(tx: &Transaction, call: &Call) -> Result<()> {
    for (fields, content) in starters(tx)? {
        let record = create_in(tx, call, fields, &content)?;
        super::publish_in(tx, call, &record)?;
    }
    Ok(())
}
