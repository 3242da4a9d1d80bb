//! Standards reports: the compliance report for one standard and the ISO 27001 Statement of Applicability.

use super::{label, local_time, text, Prepared};
use crate::context::Ctx;
use crate::error::Result;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn standard_name(ctx: &mut Ctx, standard_id: &str) -> Result<String> {
    let s = crate::commands::dispatch(ctx, "standards.get", json!({"id": standard_id}))?;
    Ok(format!("{} {}", text(&s["standard"]["code"]), text(&s["standard"]["edition"])).trim().to_owned())
}

/// Every clause and control with its coverage and the records that evidence it.
pub fn compliance(ctx: &mut Ctx, standard_id: &str) -> Result<Prepared> {
    let name = standard_name(ctx, standard_id)?;
    let view = crate::commands::dispatch(ctx, "compliance.view", json!({"standardId": standard_id}))?;
    let items: Vec<Value> = view["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            let evidence: Vec<String> =
                i["evidence"].as_array().into_iter().flatten().filter_map(|e| e["reference"].as_str().map(str::to_owned)).collect();
            json!({"number": i["number"], "title": i["title"], "level": i["level"].as_i64().unwrap_or(1),
                   "coverage": i["coverage"], "coverageLabel": label(&i["coverage"]), "evidence": evidence.join(", ")})
        })
        .collect();
    let data = json!({
        "recordCount": format!("{} clauses and controls", items.len()),
        "standard": name,
        "coveragePercent": view["coveragePercent"].as_f64().map(|p| format!("{p:.1}")),
        "counts": view["counts"].as_array().into_iter().flatten().map(|c| json!({"label": label(&c["value"]), "count": c["count"]})).collect::<Vec<_>>(),
        "items": items,
        "evidence": [],
    });
    Ok(Prepared {
        template: "compliance",
        data,
        images: BTreeMap::new(),
        file_stem: format!("compliance-{}", name.replace([' ', '/', ':'], "-")),
    })
}

/// The Statement of Applicability with its approval.
pub fn soa(ctx: &mut Ctx, standard_id: &str) -> Result<Prepared> {
    let name = standard_name(ctx, standard_id)?;
    let view = crate::commands::dispatch(ctx, "soa.get", json!({"standardId": standard_id}))?;
    let approval = match &view["approval"] {
        Value::Null => "Not approved".to_owned(),
        a => {
            let changed = if view["changedSinceApproval"].as_bool() == Some(true) { " — changed since approval" } else { "" };
            format!("Approved by {} on {}{changed}", text(&a["signerName"]), local_time(ctx, &a["signedAt"]))
        }
    };
    let entries: Vec<Value> = view["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            json!({"number": e["controlNumber"], "title": e["controlTitle"], "applicable": if e["applicable"].as_bool() == Some(true) { "Yes" } else { "No" },
                   "justification": text(&e["justification"]), "status": label(&e["implementationStatus"])})
        })
        .collect();
    let data = json!({"recordCount": format!("{} controls", entries.len()), "standard": name, "approval": approval, "entries": entries, "evidence": []});
    Ok(Prepared { template: "soa", data, images: BTreeMap::new(), file_stem: format!("soa-{}", name.replace([' ', '/', ':'], "-")) })
}
