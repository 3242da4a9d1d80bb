//! Complaint validation, late flags and the transition table (domain.md §11).

use super::model::*;
use crate::error::{FieldCode, Result};
use crate::validate::Input;
use jiff::civil::Date;
use rusqlite::Connection;
use serde_json::{Map, Value};

fn days(d: Date, n: u32) -> Date {
    d.checked_add(jiff::Span::new().days(i64::from(n))).unwrap_or(d)
}

/// Validates a complete complaint (create input, or the stored one with changes applied). `target_days` gives the
/// default target resolution date (received + the setting) when none is set.
pub fn read_fields(conn: &Connection, map: &Map<String, Value>, today: Date, target_days: u32) -> Result<ComplaintFields> {
    let mut v = Input::new(map, FIELD_KEYS);
    let title = v.text("title", "Title", 1, 300, true);
    let description = v.long_text("description", "Description", 1, 10_000, true);
    let complainant_name = v.text("complainantName", "Complainant name", 1, 200, true);
    let complainant_email = crate::users::email(&mut v, "complainantEmail", "Complainant email", false);
    let complainant_phone = v.text("complainantPhone", "Complainant phone", 0, 30, false);
    let complainant_company = v.text("complainantCompany", "Complainant company", 0, 200, false);
    let complainant_address = v.long_text("complainantAddress", "Complainant address", 0, 1000, false);
    let complaint_type = v.choice("complaintType", "Complaint type", Some(ComplaintType::Other)).unwrap_or(ComplaintType::Other);
    let priority = v.choice("priority", "Priority", Some(ComplaintPriority::Medium)).unwrap_or(ComplaintPriority::Medium);
    let received = v.date("receivedDate", "Received date", true);
    if received.is_some_and(|d| d > today) {
        v.error("receivedDate", FieldCode::InFuture, format!("Received date cannot be in the future (today is {today})"));
    }
    let target = match v.date("targetResolutionDate", "Target resolution date", false) {
        Some(t) if received.is_some_and(|r| t < r) => {
            v.error("targetResolutionDate", FieldCode::BeforeMinimum, "Target resolution date cannot be before the received date");
            None
        }
        Some(t) => Some(t),
        None => received.map(|r| days(r, target_days)),
    };
    let related_reference = v.text("relatedReference", "Related reference", 0, 100, false);
    let related_product_service = v.text("relatedProductService", "Product or service", 0, 200, false);
    let owner_id = v.id("ownerId", "Owner", false);
    crate::incident::rules::check_user_ref(conn, &mut v, "ownerId", "Owner", owner_id.as_deref())?;
    let department = v.text("department", "Department", 0, 100, false);
    let investigation_notes = v.long_text("investigationNotes", "Investigation notes", 0, 5000, false);
    let root_cause = v.long_text("rootCause", "Root cause", 0, 5000, false);
    let resolution_summary = v.long_text("resolutionSummary", "Resolution summary", 0, 5000, false);
    let customer_satisfied = v.tri_state("customerSatisfied", "Customer satisfied");
    let compensation_offered = v.text("compensationOffered", "Compensation offered", 0, 1000, false);
    let source = v.choice("source", "Source", Some(ComplaintSource::Manual)).unwrap_or(ComplaintSource::Manual);
    let original_email_subject = v.text("originalEmailSubject", "Original email subject", 0, 500, false);
    let original_email_body = v.long_text("originalEmailBody", "Original email", 0, 50_000, false);
    if source != ComplaintSource::Email {
        for (key, value) in [("originalEmailSubject", &original_email_subject), ("originalEmailBody", &original_email_body)] {
            if value.is_some() {
                v.error(key, FieldCode::Inconsistent, "The original email is kept only for complaints received by email");
            }
        }
    }
    let closure_notes = v.long_text("closureNotes", "Closure notes", 0, 10_000, false);
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);
    v.finish()?;
    Ok(ComplaintFields {
        title: title.unwrap_or_default(),
        description: description.unwrap_or_default(),
        complainant_name: complainant_name.unwrap_or_default(),
        complainant_email,
        complainant_phone,
        complainant_company,
        complainant_address,
        complaint_type,
        priority,
        received_date: received.map(|d| d.to_string()).unwrap_or_default(),
        target_resolution_date: target.map(|d| d.to_string()).unwrap_or_default(),
        related_reference,
        related_product_service,
        owner_id,
        department,
        investigation_notes,
        root_cause,
        resolution_summary,
        customer_satisfied,
        compensation_offered,
        source,
        original_email_subject,
        original_email_body,
        closure_notes,
        legacy_reference,
    })
}

/// Acknowledgement and resolution lateness at `today`.
pub fn flags(record: &ComplaintRecord, today: Date, ack_days: u32) -> ComplaintFlags {
    use ComplaintStatus::*;
    let received: Option<Date> = record.fields.received_date.parse().ok();
    let acknowledge_by = received.map(|r| days(r, ack_days));
    let target: Option<Date> = record.fields.target_resolution_date.parse().ok();
    ComplaintFlags {
        acknowledgement_overdue: record.status == Received && acknowledge_by.is_some_and(|d| d < today),
        resolution_overdue: !matches!(record.status, Resolved | Closed) && target.is_some_and(|d| d < today),
        acknowledge_by: acknowledge_by.map(|d| d.to_string()).unwrap_or_default(),
    }
}

/// Targets allowed from each status before guards (§11).
pub fn allowed_targets(from: ComplaintStatus) -> &'static [ComplaintStatus] {
    use ComplaintStatus::*;
    match from {
        Received => &[Acknowledged, Escalated],
        Acknowledged => &[UnderInvestigation, Escalated],
        UnderInvestigation => &[Resolved, Escalated],
        Resolved => &[Closed, UnderInvestigation, Escalated],
        Escalated => &[UnderInvestigation, Resolved],
        Closed => &[UnderInvestigation],
    }
}

/// Input a transition needs.
pub fn needs(from: ComplaintStatus, to: ComplaintStatus) -> &'static [&'static str] {
    use ComplaintStatus::*;
    match (from, to) {
        (_, Resolved) => &["resolutionSummary"],
        (Resolved, Closed) => &["closureNotes"],
        (_, Escalated) => &["escalatedTo", "escalationReason"],
        (Resolved | Escalated | Closed, UnderInvestigation) => &["reason"],
        _ => &[],
    }
}

/// Unmet guards for `from → to`; `open` are the non-terminal actions and unclosed investigations (C-1).
pub fn unmet_guards(from: ComplaintStatus, to: ComplaintStatus, fields: &ComplaintFields, open: &[String]) -> Vec<String> {
    use ComplaintStatus::*;
    let mut unmet = Vec::new();
    match (from, to) {
        (Received, Acknowledged) if fields.owner_id.is_none() => {
            unmet.push("An owner must be set before the complaint is acknowledged.".into())
        }
        (Resolved, Closed) if !open.is_empty() => unmet.push(format!("Still open: {}.", open.join(", "))),
        (Resolved, UnderInvestigation) if fields.customer_satisfied != Some(false) => {
            unmet.push("A resolved complaint goes back to investigation only when the customer is recorded as not satisfied.".into())
        }
        _ => {}
    }
    unmet
}
