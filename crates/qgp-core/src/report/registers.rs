//! Register reports: one incident, a set of incidents, the period incident summary, the risk register, actions and
//! CAPA status, complaints and collisions for a period.

use super::{all_rows, by_month, count_by, evidence_rows, label, local_time, text, Prepared};
use crate::context::Ctx;
use crate::error::Result;
use jiff::civil::Date;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn in_period(row: &Value, key: &str, from: Date, to: Date) -> bool {
    row[key].as_str().and_then(|d| d.get(..10)).and_then(|d| d.parse::<Date>().ok()).is_some_and(|d| d >= from && d <= to)
}

fn yes_no(v: &Value) -> String {
    match v.as_bool() {
        Some(true) => "Yes".into(),
        Some(false) => "No".into(),
        None => "Not decided".into(),
    }
}

fn action_rows(ctx: &mut Ctx, source_type: &str, id: &str) -> Result<Vec<Value>> {
    Ok(all_rows(ctx, "actions.list", json!({"sourceType": [source_type], "sourceId": id}))?
        .into_iter()
        .map(|a| json!({"reference": a["reference"], "title": a["title"], "owner": text(&a["ownerName"]), "due": a["dueDate"], "statusLabel": label(&a["status"])}))
        .collect())
}

/// One incident in full (fields, people, actions) plus its evidence rows.
fn incident_detail(ctx: &mut Ctx, id: &str, evidence: &mut Vec<Value>) -> Result<Value> {
    let view = crate::commands::dispatch(ctx, "incidents.get", json!({"id": id}))?;
    let r = &view["record"];
    // Fields are flattened into the record.
    let f = r;
    let reference = text(&r["reference"]);
    let pairs = [
        ("Status", label(&r["status"])),
        ("Type", label(&f["incidentType"])),
        ("Severity", label(&f["severity"])),
        ("Date", format!("{} {}", text(&f["incidentDate"]), text(&f["incidentTime"])).trim().to_owned()),
        ("Location", text(&f["location"])),
        ("Department", text(&f["department"])),
        ("Reported", local_time(ctx, &r["reportedAt"])),
        ("Description", text(&f["description"])),
        ("Immediate actions", text(&f["immediateActions"])),
        ("Witnesses", text(&f["witnesses"])),
        ("First aid given", yes_no(&f["firstAidGiven"])),
        ("Emergency services", yes_no(&f["emergencyServicesCalled"])),
        ("Investigator", text(&view["investigatorName"])),
        ("Root cause", text(&f["rootCause"])),
        ("Contributing factors", text(&f["contributingFactors"])),
        ("RIDDOR reportable", yes_no(&f["riddorReportable"])),
        ("RIDDOR category", label(&f["riddorCategory"])),
        ("RIDDOR reported on", text(&f["riddorReportedOn"])),
        ("RIDDOR reference", text(&f["riddorReference"])),
        ("Closure notes", text(&f["closureNotes"])),
        ("Lessons learned", text(&f["lessonsLearned"])),
        ("Legacy reference", text(&f["legacyReference"])),
    ];
    let people: Vec<Value> = view["people"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let injury: Vec<String> = [text(&p["injuryNature"]), text(&p["bodyPart"])].into_iter().filter(|s| !s.is_empty()).collect();
            json!({"name": p["name"], "role": label(&p["personType"]), "injured": yes_no(&p["injured"]), "injury": injury.join(", ")})
        })
        .collect();
    let actions = action_rows(ctx, "incident", id)?;
    evidence_rows(ctx, "incident", id, &reference, evidence)?;
    let detail = json!({
        "reference": reference, "title": f["title"],
        "fields": pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(l, v)| json!({"label": l, "value": v})).collect::<Vec<_>>(),
        "people": people, "actions": actions,
    });
    Ok(detail)
}

fn incidents_data(ctx: &mut Ctx, rows: &[Value], details: Vec<Value>, from: Date, to: Date, evidence: Vec<Value>) -> Value {
    let riddor: Vec<Value> = rows.iter().filter(|r| r["riddorReportable"].as_bool() == Some(true)).cloned().collect();
    let riddor_rows: Vec<Value> = riddor
        .iter()
        .map(|i| {
            let (cat, on): (Option<String>, Option<String>) = ctx
                .conn()
                .query_row("SELECT riddor_category, riddor_reported_on FROM incidents WHERE id = ?1", [text(&i["id"])], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap_or((None, None));
            json!({"reference": i["reference"], "title": i["title"], "date": i["incidentDate"],
                   "category": cat.map(|c| crate::export::table::humanise(&c)).unwrap_or_default(), "reportedOn": on.unwrap_or_else(|| "Not yet".into())})
        })
        .collect();
    json!({
        "recordCount": format!("{} incidents", rows.len()),
        "total": rows.len(),
        "riddorCount": riddor.len(),
        "openCount": rows.iter().filter(|r| r["status"] != "closed").count(),
        "byType": count_by(rows, |r| label(&r["incidentType"])),
        "bySeverity": count_by(rows, |r| label(&r["severity"])),
        "byMonth": by_month(rows, "incidentDate", from, to),
        "riddor": riddor_rows,
        "incidents": rows.iter().map(|i| json!({"reference": i["reference"], "title": i["title"], "date": i["incidentDate"],
            "type": label(&i["incidentType"]), "severity": i["severity"], "severityLabel": label(&i["severity"]), "status": label(&i["status"])})).collect::<Vec<_>>(),
        "details": details,
        "evidence": evidence,
    })
}

/// The incident report for one incident.
pub fn incident(ctx: &mut Ctx, id: &str) -> Result<Prepared> {
    let p = incident_set(ctx, &[id.to_owned()])?;
    let reference = p.data["details"][0]["reference"].as_str().unwrap_or("incident").to_owned();
    Ok(Prepared { file_stem: format!("incident-{reference}"), ..p })
}

/// The incident report for chosen incidents, each in full.
pub fn incident_set(ctx: &mut Ctx, ids: &[String]) -> Result<Prepared> {
    let mut evidence = Vec::new();
    let mut details = Vec::new();
    let mut rows: Vec<Value> = Vec::new();
    for id in ids {
        details.push(incident_detail(ctx, id, &mut evidence)?);
    }
    for summary in crate::incident::summaries_of(ctx, ids)? {
        rows.push(serde_json::to_value(summary)?);
    }
    let dates: Vec<Date> = rows.iter().filter_map(|r| r["incidentDate"].as_str()?.parse().ok()).collect();
    let today = ctx.call.today();
    let from = dates.iter().min().copied().unwrap_or(today);
    let to = dates.iter().max().copied().unwrap_or(today);
    let data = incidents_data(ctx, &rows, details, from, to, evidence);
    Ok(Prepared { template: "incidents", data, images: BTreeMap::new(), file_stem: "incidents".into() })
}

/// Counts by type, severity and month, the RIDDOR list and every incident in the period.
pub fn incident_summary(ctx: &mut Ctx, from: Date, to: Date) -> Result<Prepared> {
    let rows: Vec<Value> = all_rows(
        ctx,
        "incidents.list",
        json!({"incidentDateFrom": from.to_string(), "incidentDateTo": to.to_string(), "sort": "incidentDate", "direction": "asc"}),
    )
    .or_else(|_| all_rows(ctx, "incidents.list", json!({"incidentDateFrom": from.to_string(), "incidentDateTo": to.to_string()})))?;
    let data = incidents_data(ctx, &rows, Vec::new(), from, to, Vec::new());
    Ok(Prepared { template: "incidents", data, images: BTreeMap::new(), file_stem: format!("incident-summary-{from}-{to}") })
}

/// Heat map, levels, the register, controls and risks due for review.
pub fn risks(ctx: &mut Ctx) -> Result<Prepared> {
    let rows = all_rows(ctx, "risks.list", json!({}))?;
    let heat = crate::commands::dispatch(ctx, "risks.heat_map", json!({}))?;
    let mut controls = Vec::new();
    for r in &rows {
        let view = crate::commands::dispatch(ctx, "risks.get", json!({"id": r["id"]}))?;
        for c in view["controls"].as_array().into_iter().flatten() {
            controls.push(json!({"risk": r["reference"], "title": c["title"], "type": label(&c["controlType"]),
                                 "status": label(&c["implementationStatus"]), "effectiveness": label(&c["effectiveness"])}));
        }
        ctx.call.progress.check()?;
    }
    let due: Vec<Value> = rows
        .iter()
        .filter(|r| r["flags"]["reviewOverdue"].as_bool() == Some(true) || r["flags"]["reviewDueSoon"].as_bool() == Some(true))
        .map(|r| json!({"reference": r["reference"], "title": r["title"], "owner": text(&r["ownerName"]), "reviewDate": r["nextReviewDate"]}))
        .collect();
    let data = json!({
        "recordCount": format!("{} risks", rows.len()),
        "heatMap": heat["rows"],
        "byLevel": heat["levels"].as_array().into_iter().flatten().map(|l| json!({"label": label(&l["level"]), "count": l["count"]})).collect::<Vec<_>>(),
        "risks": rows.iter().map(|r| json!({"reference": r["reference"], "title": r["title"], "owner": text(&r["ownerName"]), "score": text(&r["score"]),
            "level": r["level"], "levelLabel": label(&r["level"]), "treatment": label(&r["treatmentStrategy"]), "reviewDate": r["nextReviewDate"]})).collect::<Vec<_>>(),
        "controls": controls,
        "dueForReview": due,
    });
    Ok(Prepared { template: "risks", data, images: BTreeMap::new(), file_stem: "risk-register".into() })
}

/// Open, overdue and verified actions, by status and by owner.
pub fn actions(ctx: &mut Ctx) -> Result<Prepared> {
    let rows = all_rows(ctx, "actions.list", json!({}))?;
    let open: Vec<&Value> = rows.iter().filter(|a| matches!(a["status"].as_str(), Some("open" | "in_progress" | "completed"))).collect();
    let overdue: Vec<&Value> = rows.iter().filter(|a| a["flags"]["overdue"].as_bool() == Some(true)).collect();
    let mut verified = Vec::new();
    for a in rows.iter().filter(|a| a["status"] == "verified") {
        let (at, effective): (Option<String>, Option<bool>) =
            ctx.conn().query_row("SELECT verified_at, is_effective FROM actions WHERE id = ?1", [text(&a["id"])], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if effective == Some(true) {
            verified.push(json!({"reference": a["reference"], "title": a["title"], "owner": text(&a["ownerName"]),
                                 "verifiedAt": local_time(ctx, &at.map(Value::String).unwrap_or(Value::Null))}));
        }
    }
    let owned: Vec<Value> = open.iter().map(|a| (*a).clone()).collect();
    let data = json!({
        "recordCount": format!("{} actions", rows.len()),
        "total": rows.len(),
        "openCount": open.len(),
        "overdueCount": overdue.len(),
        "verifiedCount": verified.len(),
        "byStatus": count_by(&rows, |a| label(&a["status"])),
        "byOwner": count_by(&owned, |a| text(&a["ownerName"])),
        "overdue": overdue.iter().map(|a| json!({"reference": a["reference"], "title": a["title"], "owner": text(&a["ownerName"]), "due": a["dueDate"], "source": text(&a["sourceReference"])})).collect::<Vec<_>>(),
        "open": open.iter().map(|a| json!({"reference": a["reference"], "title": a["title"], "owner": text(&a["ownerName"]), "priority": label(&a["priority"]), "due": a["dueDate"], "status": label(&a["status"])})).collect::<Vec<_>>(),
        "verified": verified,
    });
    Ok(Prepared { template: "actions", data, images: BTreeMap::new(), file_stem: "actions-status".into() })
}

/// Complaints received in the period.
pub fn complaints(ctx: &mut Ctx, from: Date, to: Date) -> Result<Prepared> {
    let rows: Vec<Value> =
        all_rows(ctx, "complaints.list", json!({}))?.into_iter().filter(|r| in_period(r, "receivedDate", from, to)).collect();
    let data = json!({
        "recordCount": format!("{} complaints", rows.len()),
        "total": rows.len(),
        "openCount": rows.iter().filter(|r| !matches!(r["status"].as_str(), Some("closed" | "resolved"))).count(),
        "lateCount": rows.iter().filter(|r| r["flags"]["resolutionOverdue"].as_bool() == Some(true)).count(),
        "byCategory": count_by(&rows, |r| label(&r["complaintType"])),
        "byStatus": count_by(&rows, |r| label(&r["status"])),
        "byMonth": by_month(&rows, "receivedDate", from, to),
        "rows": rows.iter().map(|r| json!({"reference": r["reference"], "title": r["title"], "date": r["receivedDate"],
            "category": label(&r["complaintType"]), "priority": label(&r["priority"]), "status": label(&r["status"])})).collect::<Vec<_>>(),
    });
    Ok(Prepared { template: "complaints", data, images: BTreeMap::new(), file_stem: format!("complaints-{from}-{to}") })
}

/// Collisions in the period.
pub fn collisions(ctx: &mut Ctx, from: Date, to: Date) -> Result<Prepared> {
    let rows: Vec<Value> =
        all_rows(ctx, "collisions.list", json!({}))?.into_iter().filter(|r| in_period(r, "collisionDate", from, to)).collect();
    let injured = rows.iter().filter(|r| matches!(r["severity"].as_str(), Some("fatal" | "serious_injury" | "minor_injury"))).count();
    let data = json!({
        "recordCount": format!("{} collisions", rows.len()),
        "total": rows.len(),
        "injuryCount": injured,
        "openCount": rows.iter().filter(|r| r["status"] != "closed").count(),
        "bySeverity": count_by(&rows, |r| label(&r["severity"])),
        "byStatus": count_by(&rows, |r| label(&r["status"])),
        "byMonth": by_month(&rows, "collisionDate", from, to),
        "rows": rows.iter().map(|r| json!({"reference": r["reference"], "title": r["title"], "date": r["collisionDate"],
            "vehicle": text(&r["vehicleRegistration"]), "severity": label(&r["severity"]), "status": label(&r["status"])})).collect::<Vec<_>>(),
    });
    Ok(Prepared { template: "collisions", data, images: BTreeMap::new(), file_stem: format!("collisions-{from}-{to}") })
}
