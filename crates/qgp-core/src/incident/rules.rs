//! Incident validation, RIDDOR guidance and the transition table (domain.md §9).

use super::model::*;
use crate::error::{FieldCode, Result};
use crate::validate::{Choice, Input};
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

const PERSON_KEYS: &[&str] = &["name", "personType", "injured", "injuryNature", "bodyPart", "hospitalised", "daysLost"];

/// Checks that a referenced user exists and is active, recording a field error otherwise.
pub fn check_user_ref(conn: &Connection, v: &mut Input, key: &str, label: &str, id: Option<&str>) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    let active: Option<bool> = conn.query_row("SELECT archived_at IS NULL FROM users WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    match active {
        None => v.error(key, FieldCode::NotFound, format!("{label}: no such user")),
        Some(false) if crate::validate::is_kept(key, id) => {}
        Some(false) => v.error(key, FieldCode::ArchivedTarget, format!("{label}: that user has been deactivated")),
        Some(true) => {}
    }
    Ok(())
}

/// Validates a complete incident (create input, or the current record with an update applied).
pub fn read_fields(conn: &Connection, map: &Map<String, Value>, today: Date) -> Result<(IncidentFields, Vec<Person>)> {
    let mut v = Input::new(map, FIELD_KEYS);
    let title = v.text("title", "Title", 1, 300, true);
    let description = v.long_text("description", "Description", 1, 10_000, true);
    let incident_type = v.choice("incidentType", "Incident type", Some(IncidentType::Other));
    let severity = v.choice("severity", "Severity", Some(IncidentSeverity::Medium));
    let incident_date = v.date("incidentDate", "Incident date", true);
    if let Some(d) = incident_date {
        if d > today {
            v.error("incidentDate", FieldCode::InFuture, format!("Incident date cannot be in the future (today is {today})"));
        }
    }
    let incident_time = v.time_hm("incidentTime", "Incident time");
    let reported_on_behalf_of = v.text("reportedOnBehalfOf", "Reported on behalf of", 0, 200, false);
    let location = v.text("location", "Location", 0, 300, false);
    let department = v.text("department", "Department", 0, 100, false);
    let witnesses = v.long_text("witnesses", "Witnesses", 0, 5000, false);
    let immediate_actions = v.long_text("immediateActions", "Immediate actions", 0, 5000, false);
    let first_aid_given = v.boolean("firstAidGiven", "First aid given", false);
    let emergency_services_called = v.boolean("emergencyServicesCalled", "Emergency services called", false);
    let investigator_id = v.id("investigatorId", "Investigator", false);
    check_user_ref(conn, &mut v, "investigatorId", "Investigator", investigator_id.as_deref())?;
    let root_cause = v.long_text("rootCause", "Root cause", 0, 5000, false);
    let contributing_factors = v.long_text("contributingFactors", "Contributing factors", 0, 5000, false);
    let source = v.choice("source", "Source", Some(IncidentSource::Manual));
    let closure_notes = v.long_text("closureNotes", "Closure notes", 0, 10_000, false);
    let lessons_learned = v.long_text("lessonsLearned", "Lessons learned", 0, 10_000, false);
    let riddor_reportable = v.tri_state("riddorReportable", "RIDDOR reportable");
    let riddor_category = v.choice::<RiddorCategory>("riddorCategory", "RIDDOR category", None);
    let riddor_rationale = v.long_text("riddorRationale", "RIDDOR rationale", 0, 2000, false);
    let riddor_reported_on = v.date("riddorReportedOn", "RIDDOR reported on", false);
    let riddor_reference = v.text("riddorReference", "RIDDOR reference", 0, 50, false);
    let riddor_diagnosis_date = v.date("riddorDiagnosisDate", "Diagnosis date", false);
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);

    match riddor_reportable {
        Some(true) if riddor_category.is_none() && !v.has_error("riddorCategory") => {
            v.error("riddorCategory", FieldCode::Required, "RIDDOR category is required when the incident is reportable")
        }
        Some(false) | None if riddor_category.is_some() => {
            v.error("riddorCategory", FieldCode::Inconsistent, "RIDDOR category applies only when the incident is marked reportable")
        }
        _ => {}
    }
    if riddor_reportable.is_some() && riddor_rationale.is_none() && !v.has_error("riddorRationale") {
        v.error("riddorRationale", FieldCode::Required, "RIDDOR rationale is required once reportability is decided");
    }
    if riddor_category == Some(RiddorCategory::OccupationalDisease)
        && riddor_diagnosis_date.is_none()
        && !v.has_error("riddorDiagnosisDate")
    {
        v.error("riddorDiagnosisDate", FieldCode::Required, "Diagnosis date is required for an occupational disease");
    }
    if let Some(on) = riddor_reported_on {
        if on > today {
            v.error("riddorReportedOn", FieldCode::InFuture, format!("RIDDOR reported on cannot be in the future (today is {today})"));
        } else if incident_date.is_some_and(|d| on < d) {
            v.error(
                "riddorReportedOn",
                FieldCode::BeforeMinimum,
                format!(
                    "RIDDOR reported on cannot be before the incident date ({})",
                    incident_date.map(|d| d.to_string()).unwrap_or_default()
                ),
            );
        }
    }

    let mut people = Vec::new();
    for (i, item) in v.objects("people", "People involved", 100) {
        let mut p = Input::nested(item, PERSON_KEYS, format!("people[{i}]"));
        let n = i + 1;
        let name = p.text("name", &format!("Person {n}: name"), 1, 200, true);
        let person_type = p.choice::<PersonType>("personType", &format!("Person {n}: type"), None);
        let injured = p.boolean("injured", &format!("Person {n}: injured"), false);
        let injury_nature = p.text("injuryNature", &format!("Person {n}: nature of injury"), 0, 200, false);
        let body_part = p.text("bodyPart", &format!("Person {n}: body part"), 0, 100, false);
        let hospitalised = p.boolean("hospitalised", &format!("Person {n}: hospitalised"), false);
        let days_lost = p.integer("daysLost", &format!("Person {n}: days lost"), 0, 100_000, false);
        people.push(Person { name: name.unwrap_or_default(), person_type, injured, injury_nature, body_part, hospitalised, days_lost });
        v.absorb(p);
    }
    v.finish()?;

    let fields = IncidentFields {
        title: title.unwrap_or_default(),
        description: description.unwrap_or_default(),
        incident_type: incident_type.unwrap_or(IncidentType::Other),
        severity: severity.unwrap_or(IncidentSeverity::Medium),
        incident_date: incident_date.map(|d| d.to_string()).unwrap_or_default(),
        incident_time,
        reported_on_behalf_of,
        location,
        department,
        witnesses,
        immediate_actions,
        first_aid_given,
        emergency_services_called,
        investigator_id,
        root_cause,
        contributing_factors,
        source: source.unwrap_or(IncidentSource::Manual),
        closure_notes,
        lessons_learned,
        riddor_reportable,
        riddor_category,
        riddor_rationale,
        riddor_reported_on: riddor_reported_on.map(|d| d.to_string()),
        riddor_reference,
        riddor_diagnosis_date: riddor_diagnosis_date.map(|d| d.to_string()),
        legacy_reference,
    };
    Ok((fields, people))
}

/// The advisory RIDDOR deadline for a category (domain.md §9).
pub fn riddor_deadline(fields: &IncidentFields) -> Option<Date> {
    let incident: Date = fields.incident_date.parse().ok()?;
    let days = match fields.riddor_category? {
        RiddorCategory::Death
        | RiddorCategory::SpecifiedInjury
        | RiddorCategory::NonWorkerToHospital
        | RiddorCategory::DangerousOccurrence => 10,
        RiddorCategory::Over7DayIncapacitation => 15,
        RiddorCategory::GasIncident => 14,
        RiddorCategory::OccupationalDisease => return fields.riddor_diagnosis_date.as_deref()?.parse().ok(),
    };
    incident.checked_add(jiff::Span::new().days(days)).ok()
}

/// RIDDOR deadline, overdue and record-only flags, evaluated against `today`.
pub fn riddor_status(fields: &IncidentFields, people: &[Person], today: Date) -> RiddorStatus {
    let deadline = if fields.riddor_reportable == Some(true) { riddor_deadline(fields) } else { None };
    let overdue = fields.riddor_reportable == Some(true) && fields.riddor_reported_on.is_none() && deadline.is_some_and(|d| d < today);
    let record_only = fields.riddor_reportable != Some(true) && people.iter().any(|p| p.days_lost.unwrap_or(0) > 3);
    RiddorStatus { deadline: deadline.map(|d| d.to_string()), overdue, record_only }
}

/// SQL expression (over alias `i`) that is true when an incident's RIDDOR report is overdue on `?today`.
pub const RIDDOR_OVERDUE_SQL: &str = "COALESCE(i.riddor_reportable = 1 AND i.riddor_reported_on IS NULL AND
    (CASE i.riddor_category
        WHEN 'over_7_day_incapacitation' THEN date(i.incident_date, '+15 days')
        WHEN 'gas_incident' THEN date(i.incident_date, '+14 days')
        WHEN 'occupational_disease' THEN i.riddor_diagnosis_date
        ELSE date(i.incident_date, '+10 days') END) < :today, 0)";

/// SQL expression (over alias `i`) for "record only" (someone lost more than 3 days; not reportable).
pub const RECORD_ONLY_SQL: &str = "(COALESCE(i.riddor_reportable, 0) = 0 AND EXISTS
    (SELECT 1 FROM incident_people p WHERE p.incident_id = i.id AND p.days_lost > 3))";

/// Targets allowed from each status (the §9 table, before guards).
pub fn allowed_targets(from: IncidentStatus) -> &'static [IncidentStatus] {
    use IncidentStatus::*;
    match from {
        Reported => &[UnderInvestigation, Closed],
        UnderInvestigation => &[ActionsPending, Closed],
        ActionsPending => &[Closed],
        Closed => &[UnderInvestigation],
    }
}

/// Input fields a transition needs.
pub fn needs(from: IncidentStatus, to: IncidentStatus) -> &'static [&'static str] {
    use IncidentStatus::*;
    match (from, to) {
        (Reported | UnderInvestigation, Closed) => &["reason", "closureNotes"],
        (ActionsPending, Closed) => &["closureNotes"],
        (Closed, UnderInvestigation) => &["reason"],
        _ => &[],
    }
}

/// What the guards look at beyond the record's own fields.
#[derive(Debug, Clone, Default)]
pub struct GuardFacts {
    /// References of non-terminal actions sourced from the incident or its investigations (C-1).
    pub open_actions: Vec<String>,
    /// References of investigations of the incident that are not closed (C-1).
    pub open_investigations: Vec<String>,
    /// Actions raised from the incident, any status except cancelled.
    pub action_count: i64,
    /// True when an investigation of the incident is completed or closed.
    pub investigation_completed: bool,
}

fn close_checks(fields: &IncidentFields, facts: &GuardFacts, unmet: &mut Vec<String>) {
    if !facts.open_actions.is_empty() {
        unmet.push(format!("Actions still open: {}.", facts.open_actions.join(", ")));
    }
    if !facts.open_investigations.is_empty() {
        unmet.push(format!("Investigations not closed: {}.", facts.open_investigations.join(", ")));
    }
    let riddor_relevant =
        matches!(fields.incident_type, IncidentType::Injury | IncidentType::IllHealth | IncidentType::DangerousOccurrence);
    if riddor_relevant {
        match fields.riddor_reportable {
            None => {
                unmet.push("RIDDOR reportability must be assessed before an injury, ill-health or dangerous occurrence can close.".into())
            }
            Some(true) if fields.riddor_reported_on.is_none() => {
                unmet.push("The RIDDOR report date must be recorded before a reportable incident can close.".into())
            }
            _ => {}
        }
    }
}

/// Unmet guards for `from → to`; empty when the transition may run.
pub fn unmet_guards(from: IncidentStatus, to: IncidentStatus, fields: &IncidentFields, facts: &GuardFacts) -> Vec<String> {
    use IncidentStatus::*;
    let mut unmet = Vec::new();
    match (from, to) {
        (Reported, UnderInvestigation) if fields.investigator_id.is_none() => {
            unmet.push("An investigator must be set before the investigation starts.".into())
        }
        (Reported, Closed) => {
            let minor = matches!(fields.severity, IncidentSeverity::Low | IncidentSeverity::Negligible)
                || matches!(fields.incident_type, IncidentType::NearMiss | IncidentType::Hazard);
            if !minor {
                unmet.push("Only low or negligible incidents, near misses and hazards can close without an investigation.".into());
            }
            close_checks(fields, facts, &mut unmet);
        }
        (UnderInvestigation, ActionsPending) => {
            if fields.root_cause.is_none() && !facts.investigation_completed {
                unmet.push("Record the root cause (or complete an investigation) first.".into());
            }
            if facts.action_count == 0 {
                unmet.push("Raise at least one action from this incident first.".into());
            }
        }
        (UnderInvestigation | ActionsPending, Closed) => close_checks(fields, facts, &mut unmet),
        _ => {}
    }
    unmet
}

/// Human name of a status for messages.
pub fn status_label(s: IncidentStatus) -> &'static str {
    s.as_str()
}
