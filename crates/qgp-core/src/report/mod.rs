//! PDF reports (issue 6). Each report gathers its records through the ordinary commands (so permissions and
//! filters are the screens' own), shapes them as one JSON document, and hands it to `qgp-report`, which
//! typesets it with typst. Written atomically; the same data and clock give the same bytes.

mod audit;
mod registers;
mod standards;

use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::export::{outcome, ExportOutcome};
use crate::pack::PackSubject;
use crate::validate::Choice;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use ts_rs::TS;

crate::choice_enum! {
    /// The reports the app produces.
    pub enum ReportKind {
        AuditRun => "audit_run", Incident => "incident", IncidentSummary => "incident_summary", RiskRegister => "risk_register",
        Actions => "actions", Compliance => "compliance", Soa => "soa", Complaints => "complaints", Collisions => "collisions",
    }
}

/// Input of `reports.generate`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ReportInput {
    pub kind: Option<ReportKind>,
    /// The audit run, incident or standard the report is about.
    pub id: Option<String>,
    /// Period start (incident summary, complaints, collisions); default twelve months before `to`.
    pub from: Option<String>,
    /// Period end; default today.
    pub to: Option<String>,
    /// Where to write (absolute, or relative to the exports folder).
    pub path: Option<String>,
}

/// A report ready to typeset: template, data, images, and the name to save it under.
pub struct Prepared {
    pub template: &'static str,
    pub data: Value,
    pub images: BTreeMap<String, Vec<u8>>,
    pub file_stem: String,
}

/// Human words for a stored value: `near_miss` → "Near miss".
pub fn label(value: &Value) -> String {
    match value.as_str() {
        Some(s) => crate::export::table::humanise(s),
        None if value.is_null() => String::new(),
        None => value.to_string(),
    }
}

/// Text of a JSON value, empty for null.
pub fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An instant as local "YYYY-MM-DD HH:MM" in the organisation's zone.
pub fn local_time(ctx: &Ctx, value: &Value) -> String {
    let Some(ts) = value.as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok()) else { return text(value) };
    ts.to_zoned_datetime(ctx.call.settings.zone()).strftime("%Y-%m-%d %H:%M").to_string()
}

/// Runs a list command over every matching row.
pub fn all_rows(ctx: &mut Ctx, command: &str, filter: Value) -> Result<Vec<Value>> {
    let page = crate::paging::unpaged(|| crate::commands::dispatch(ctx, command, filter))?;
    Ok(page["items"].as_array().cloned().unwrap_or_default())
}

/// `[{label, count}]` from counting `key` over rows, largest first then by label.
pub fn count_by(rows: &[Value], f: impl Fn(&Value) -> String) -> Value {
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows {
        *counts.entry(f(r)).or_default() += 1;
    }
    let mut v: Vec<(String, i64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Value::Array(v.into_iter().map(|(label, count)| json!({"label": label, "count": count})).collect())
}

/// Counts per month (`YYYY-MM`) over the period, every month present.
pub fn by_month(rows: &[Value], date_key: &str, from: jiff::civil::Date, to: jiff::civil::Date) -> Value {
    let mut months: BTreeMap<String, i64> = BTreeMap::new();
    let mut m = from.first_of_month();
    while m <= to {
        months.insert(m.strftime("%Y-%m").to_string(), 0);
        m = crate::clock::add_months(m, 1);
    }
    for r in rows {
        if let Some(d) = r[date_key].as_str() {
            if let Some(c) = months.get_mut(&d[..7.min(d.len())]) {
                *c += 1;
            }
        }
    }
    Value::Array(months.into_iter().map(|(label, count)| json!({"label": label, "count": count})).collect())
}

/// A human file size.
pub fn size(bytes: i64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / 1_048_576.0),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// Evidence appendix rows for the files attached to one record.
pub fn evidence_rows(ctx: &mut Ctx, entity_type: &str, entity_id: &str, record: &str, out: &mut Vec<Value>) -> Result<()> {
    let list = crate::commands::dispatch(ctx, "evidence.list", json!({"entityType": entity_type, "entityId": entity_id}))?;
    for item in list.as_array().into_iter().flatten() {
        let f = &item["file"];
        out.push(json!({"record": record, "name": text(&f["originalName"]), "size": size(f["sizeBytes"].as_i64().unwrap_or(0)), "sha256": text(&f["sha256"])}));
    }
    Ok(())
}

/// The period of a report: `from`..`to` (default: the twelve months up to today).
pub fn period(ctx: &Ctx, input: &ReportInput) -> Result<(jiff::civil::Date, jiff::civil::Date)> {
    let parse = |v: &Option<String>, field: &str| -> Result<Option<jiff::civil::Date>> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => s
                .parse()
                .map(Some)
                .map_err(|_| CoreError::field(field, FieldCode::InvalidFormat, format!("{field} must be a date (YYYY-MM-DD)"))),
        }
    };
    let to = parse(&input.to, "to")?.unwrap_or_else(|| ctx.call.today());
    let from = parse(&input.from, "from")?.unwrap_or_else(|| crate::clock::add_months(to, -12).saturating_add(jiff::ToSpan::days(1)));
    if from > to {
        return Err(CoreError::field("to", FieldCode::Inconsistent, "The period cannot end before it starts"));
    }
    Ok((from, to))
}

fn organisation_logo(ctx: &Ctx) -> Option<(String, Vec<u8>)> {
    let dir = ctx.call.paths.data_dir.join("branding");
    for name in ["logo.png", "logo.jpg"] {
        if let Ok(bytes) = std::fs::read(dir.join(name)) {
            return Some((name.to_owned(), bytes));
        }
    }
    None
}

/// The cover and page furniture every report shares.
fn meta(ctx: &Ctx, kind: &str, title: &str, subtitle: Option<String>, period: Option<String>, fingerprint: &str) -> Result<Value> {
    Ok(json!({
        "kind": kind,
        "title": title,
        "subtitle": subtitle,
        "organisation": ctx.call.settings.org_name.clone().unwrap_or_else(|| "Organisation name not set".into()),
        "generatedAt": ctx.call.now().to_zoned_datetime(ctx.call.settings.zone()).strftime("%Y-%m-%d %H:%M %Z").to_string(),
        "generatedBy": ctx.call.actor()?.display_name,
        "appVersion": env!("CARGO_PKG_VERSION"),
        "fingerprint": fingerprint,
        "trailHead": trail_head_label(ctx.conn())?,
        "period": period,
    }))
}

/// The audit trail's newest event as a report prints it, so that a trail later cut short is caught against the
/// paper too: "event 1,234 · 3f9a1c2e5b7d9f10".
fn trail_head_label(conn: &rusqlite::Connection) -> Result<String> {
    let (seq, hash) = crate::trail_anchor::head(conn)?;
    let digits = seq.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    Ok(format!("event {grouped} · {}", &hash[..hash.len().min(16)]))
}

/// Gathers and typesets one report, returning it and its default file name.
pub fn render(ctx: &mut Ctx, input: &ReportInput, fingerprint: &str) -> Result<(qgp_report::Rendered, String)> {
    let kind = input.kind.ok_or_else(|| CoreError::field("kind", FieldCode::Required, "Report is required"))?;
    let need_id = || {
        input
            .id
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| CoreError::field("id", FieldCode::Required, "Choose the record to report on"))
    };
    ctx.call.progress.phase("Gathering records", 0)?;
    let (prepared, kind_label, title, subtitle, period_label) = match kind {
        ReportKind::AuditRun => {
            let p = audit::prepare(ctx, &need_id()?)?;
            let sub = p.data["run"]["reference"].as_str().map(str::to_owned);
            (p, "Audit report", "Audit report".to_owned(), sub, None)
        }
        ReportKind::Incident => {
            let p = registers::incident(ctx, &need_id()?)?;
            let sub = p.file_stem.strip_prefix("incident-").map(str::to_owned);
            (p, "Incident report", "Incident report".to_owned(), sub, None)
        }
        ReportKind::IncidentSummary | ReportKind::Complaints | ReportKind::Collisions => {
            let (from, to) = period(ctx, input)?;
            let label = format!("{from} to {to}");
            let (p, k, t) = match kind {
                ReportKind::IncidentSummary => (registers::incident_summary(ctx, from, to)?, "Incident summary", "Incident summary"),
                ReportKind::Complaints => (registers::complaints(ctx, from, to)?, "Complaints summary", "Complaints summary"),
                _ => (registers::collisions(ctx, from, to)?, "Collision summary", "Road traffic collision summary"),
            };
            (p, k, t.to_owned(), Some(label.clone()), Some(label))
        }
        ReportKind::RiskRegister => (registers::risks(ctx)?, "Risk register", "Risk register".to_owned(), None, None),
        ReportKind::Actions => (registers::actions(ctx)?, "Actions and CAPA", "Actions and CAPA status".to_owned(), None, None),
        ReportKind::Compliance => {
            let p = standards::compliance(ctx, &need_id()?)?;
            let sub = p.data["standard"].as_str().map(str::to_owned);
            (p, "Compliance report", "Compliance report".to_owned(), sub, None)
        }
        ReportKind::Soa => {
            let p = standards::soa(ctx, &need_id()?)?;
            let sub = p.data["standard"].as_str().map(str::to_owned);
            (p, "Statement of Applicability", "Statement of Applicability".to_owned(), sub, None)
        }
    };
    let stem = prepared.file_stem.clone();
    let m = meta(ctx, kind_label, &title, subtitle, period_label, fingerprint)?;
    let rendered = typeset(ctx, prepared, m, &format!("qgp:{}:{stem}", kind.as_str()))?;
    Ok((rendered, stem))
}

/// Adds the cover data and logo, and typesets.
fn typeset(ctx: &mut Ctx, prepared: Prepared, mut meta: Value, ident: &str) -> Result<qgp_report::Rendered> {
    let Prepared { template, mut data, mut images, .. } = prepared;
    meta["recordCount"] = data.get("recordCount").cloned().unwrap_or(Value::Null);
    data["meta"] = meta;
    data["logo"] = Value::Null;
    if let Some((name, bytes)) = organisation_logo(ctx) {
        data["logo"] = Value::String(name.clone());
        images.insert(name, bytes);
    }
    ctx.call.progress.phase("Typesetting", 0)?;
    let now = ctx.call.now().to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime();
    let rendered = qgp_report::render(qgp_report::ReportInput {
        template: template.into(),
        data: serde_json::to_vec(&data)?,
        images,
        created: (i32::from(now.year()), now.month() as u8, now.day() as u8, now.hour() as u8, now.minute() as u8, now.second() as u8),
        ident: ident.to_owned(),
    })
    .map_err(|e| CoreError::Internal(e.to_string()))?;
    if !rendered.missing_glyphs.is_empty() {
        // Code points only: the characters come from records, and logs hold no record contents.
        let code_points: Vec<String> = rendered.missing_glyphs.iter().map(|c| code_point(*c)).collect();
        tracing::warn!(template, missing = %code_points.join(" "), "report has characters no shipped font can print");
    }
    Ok(rendered)
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The warning shown with a report that has characters no shipped font can print (they show as empty boxes).
pub fn unprintable_warning(rendered: &qgp_report::Rendered) -> Option<String> {
    let missing = &rendered.missing_glyphs;
    if missing.is_empty() {
        return None;
    }
    let listed: Vec<String> = missing.iter().take(20).map(|c| format!("{c} ({})", code_point(*c))).collect();
    let more = if missing.len() > 20 { format!(" and {} more", missing.len() - 20) } else { String::new() };
    Some(format!(
        "{} character{} in the records could not be printed and show as empty boxes: {}{more}.",
        missing.len(),
        if missing.len() == 1 { "" } else { "s" },
        listed.join(", ")
    ))
}

/// `reports.generate`: typesets a report and writes it as PDF.
pub fn generate(ctx: &mut Ctx, input: Value) -> Result<ExportOutcome> {
    ctx.call.require(Capability::ExportData)?;
    let parsed: ReportInput =
        serde_json::from_value(input).map_err(|e| CoreError::field("kind", FieldCode::InvalidFormat, format!("Choose a report: {e}")))?;
    let fingerprint = crate::pack::key::load_or_create(ctx).map(|k| crate::pack::key::fingerprint(&k.verifying_key()))?;
    let (rendered, stem) = render(ctx, &parsed, &fingerprint)?;
    let bytes = &rendered.pdf;
    let path = crate::outfile::resolve(ctx.call.paths, parsed.path.as_deref(), &format!("{stem}-{}.pdf", ctx.call.today()), "pdf")?;
    ctx.call.progress.phase("Saving", 0)?;
    let written = crate::outfile::write_all(&path, bytes)?;
    tracing::info!(kind = ?parsed.kind, bytes = bytes.len(), "report generated");
    let kind = serde_json::to_value(parsed.kind)?;
    let details = vec![
        crate::audit_trail::Change::new("kind", Value::Null, kind),
        crate::audit_trail::Change::new("subject", Value::Null, parsed.id.clone().map(Value::String).unwrap_or(Value::Null)),
    ];
    crate::export::record_export(ctx, "report", &written.path, &written.sha256, None, details)?;
    let mut result = outcome(&written, 1);
    result.warnings.extend(unprintable_warning(&rendered));
    Ok(result)
}

/// The report an evidence pack carries.
pub fn for_pack(ctx: &mut Ctx, subject: &PackSubject, fingerprint: &str) -> Result<qgp_report::Rendered> {
    let input = match subject {
        PackSubject::AuditRun { run_id } => {
            ReportInput { kind: Some(ReportKind::AuditRun), id: Some(run_id.clone()), ..Default::default() }
        }
        PackSubject::Incidents { incident_ids } if incident_ids.len() == 1 => {
            ReportInput { kind: Some(ReportKind::Incident), id: Some(incident_ids[0].clone()), ..Default::default() }
        }
        PackSubject::Incidents { incident_ids } => {
            let p = registers::incident_set(ctx, incident_ids)?;
            let m = meta(ctx, "Incident report", "Incidents", None, None, fingerprint)?;
            let ident = format!("qgp:pack:{}", incident_ids.join(","));
            return typeset(ctx, p, m, &ident);
        }
        PackSubject::Standard { standard_id } => {
            ReportInput { kind: Some(ReportKind::Compliance), id: Some(standard_id.clone()), ..Default::default() }
        }
    };
    render(ctx, &input, fingerprint).map(|(rendered, _)| rendered)
}
