//! Incident rows, enumerations and the shapes sent to the UI (domain.md §9).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// Kind of incident.
    pub enum IncidentType {
        Injury => "injury", IllHealth => "ill_health", NearMiss => "near_miss",
        DangerousOccurrence => "dangerous_occurrence", Hazard => "hazard", PropertyDamage => "property_damage",
        Environmental => "environmental", Security => "security", Quality => "quality", Other => "other",
    }
}

crate::choice_enum! {
    /// Incident severity.
    pub enum IncidentSeverity { Critical => "critical", High => "high", Medium => "medium", Low => "low", Negligible => "negligible" }
}

crate::choice_enum! {
    /// How the incident was reported.
    pub enum IncidentSource { Manual => "manual", Phone => "phone", Email => "email", Paper => "paper" }
}

crate::choice_enum! {
    /// Workflow status.
    pub enum IncidentStatus {
        Reported => "reported", UnderInvestigation => "under_investigation",
        ActionsPending => "actions_pending", Closed => "closed",
    }
}

crate::choice_enum! {
    /// Role of a person involved.
    pub enum PersonType {
        Employee => "employee", Contractor => "contractor", AgencyWorker => "agency_worker",
        Visitor => "visitor", MemberOfPublic => "member_of_public", Other => "other",
    }
}

crate::choice_enum! {
    /// RIDDOR reporting category.
    pub enum RiddorCategory {
        Death => "death", SpecifiedInjury => "specified_injury",
        Over7DayIncapacitation => "over_7_day_incapacitation", NonWorkerToHospital => "non_worker_to_hospital",
        OccupationalDisease => "occupational_disease", DangerousOccurrence => "dangerous_occurrence",
        GasIncident => "gas_incident",
    }
}

crate::choice_enum! {
    /// List filter on the RIDDOR assessment.
    pub enum RiddorFilter { Reportable => "reportable", NotReportable => "not_reportable", NotAssessed => "not_assessed" }
}

/// A person involved in an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub name: String,
    pub person_type: Option<PersonType>,
    pub injured: bool,
    pub injury_nature: Option<String>,
    pub body_part: Option<String>,
    pub hospitalised: bool,
    #[ts(type = "number | null")]
    pub days_lost: Option<i64>,
}

/// Every field of an incident a user may set. Dates travel as `YYYY-MM-DD`, times as `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentFields {
    pub title: String,
    pub description: String,
    pub incident_type: IncidentType,
    pub severity: IncidentSeverity,
    pub incident_date: String,
    pub incident_time: Option<String>,
    pub reported_on_behalf_of: Option<String>,
    pub location: Option<String>,
    pub department: Option<String>,
    pub witnesses: Option<String>,
    pub immediate_actions: Option<String>,
    pub first_aid_given: bool,
    pub emergency_services_called: bool,
    pub investigator_id: Option<String>,
    pub root_cause: Option<String>,
    pub contributing_factors: Option<String>,
    pub source: IncidentSource,
    pub closure_notes: Option<String>,
    pub lessons_learned: Option<String>,
    pub riddor_reportable: Option<bool>,
    pub riddor_category: Option<RiddorCategory>,
    pub riddor_rationale: Option<String>,
    pub riddor_reported_on: Option<String>,
    pub riddor_reference: Option<String>,
    pub riddor_diagnosis_date: Option<String>,
    pub legacy_reference: Option<String>,
}

/// The input keys of create and update: every field plus `people`.
pub const FIELD_KEYS: &[&str] = &[
    "title",
    "description",
    "incidentType",
    "severity",
    "incidentDate",
    "incidentTime",
    "reportedOnBehalfOf",
    "location",
    "department",
    "witnesses",
    "immediateActions",
    "firstAidGiven",
    "emergencyServicesCalled",
    "investigatorId",
    "rootCause",
    "contributingFactors",
    "source",
    "closureNotes",
    "lessonsLearned",
    "riddorReportable",
    "riddorCategory",
    "riddorRationale",
    "riddorReportedOn",
    "riddorReference",
    "riddorDiagnosisDate",
    "legacyReference",
    "people",
];

/// A stored incident: fields plus the system-owned columns.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentRecord {
    pub id: String,
    pub reference: String,
    #[serde(flatten)]
    pub fields: IncidentFields,
    pub status: IncidentStatus,
    pub reported_at: String,
    pub investigation_started_at: Option<String>,
    pub investigation_completed_at: Option<String>,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    #[ts(type = "number")]
    pub reopen_count: i64,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    #[ts(type = "number")]
    pub row_version: i64,
    pub archived_at: Option<String>,
    pub archived_by: Option<String>,
    pub archive_reason: Option<String>,
}

/// A transition the record could take from its current status, with what it needs now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransitionOption {
    pub to: IncidentStatus,
    /// Input fields the transition requires (`reason`, `closureNotes`).
    pub needs: Vec<String>,
    /// Guards not met now; empty when the transition can run.
    pub unmet_guards: Vec<String>,
}

/// RIDDOR guidance computed at read time (domain.md §9).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiddorStatus {
    pub deadline: Option<String>,
    pub overdue: bool,
    pub record_only: bool,
}

/// An incident as the detail screen shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentView {
    pub record: IncidentRecord,
    pub people: Vec<Person>,
    pub riddor: RiddorStatus,
    pub investigator_name: Option<String>,
    pub created_by_name: Option<String>,
    pub transitions: Vec<TransitionOption>,
    /// Risks linked to this incident (§1.7), newest link first.
    pub linked_risks: Vec<crate::risk::model::LinkedRecord>,
}

/// One row of the incident register.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentSummary {
    pub id: String,
    pub reference: String,
    pub legacy_reference: Option<String>,
    pub title: String,
    pub incident_type: IncidentType,
    pub severity: IncidentSeverity,
    pub status: IncidentStatus,
    pub incident_date: String,
    pub location: Option<String>,
    pub department: Option<String>,
    pub investigator_id: Option<String>,
    pub investigator_name: Option<String>,
    pub reported_at: String,
    pub riddor_reportable: Option<bool>,
    pub riddor_overdue: bool,
    pub record_only: bool,
    pub archived_at: Option<String>,
}

/// Count of records per enumeration value (every value present, zeros included).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ValueCount {
    pub value: String,
    #[ts(type = "number")]
    pub count: i64,
}

/// Incidents in one calendar month of incident_date.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    #[ts(type = "number")]
    pub total: i64,
    pub by_severity: Vec<ValueCount>,
    #[ts(type = "number")]
    pub riddor_reportable: i64,
}

/// The incident widgets of the home dashboard (domain.md §15).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentDashboard {
    pub by_status: Vec<ValueCount>,
    pub by_severity: Vec<ValueCount>,
    #[ts(type = "number")]
    pub open: i64,
    #[ts(type = "number")]
    pub riddor_overdue: i64,
    pub trend: Vec<MonthCount>,
    pub today: String,
}

/// A person as sent by the UI (every field optional; `name` is required by validation).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct PersonInput {
    pub name: Option<String>,
    pub person_type: Option<PersonType>,
    pub injured: Option<bool>,
    pub injury_nature: Option<String>,
    pub body_part: Option<String>,
    pub hospitalised: Option<bool>,
    pub days_lost: Option<i64>,
}

/// The input of `incidents.create` and the `changes` of `incidents.update`: any subset of the fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct IncidentInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub incident_type: Option<IncidentType>,
    pub severity: Option<IncidentSeverity>,
    pub incident_date: Option<String>,
    pub incident_time: Option<String>,
    pub reported_on_behalf_of: Option<String>,
    pub location: Option<String>,
    pub department: Option<String>,
    pub witnesses: Option<String>,
    pub immediate_actions: Option<String>,
    pub first_aid_given: Option<bool>,
    pub emergency_services_called: Option<bool>,
    pub investigator_id: Option<String>,
    pub root_cause: Option<String>,
    pub contributing_factors: Option<String>,
    pub source: Option<IncidentSource>,
    pub closure_notes: Option<String>,
    pub lessons_learned: Option<String>,
    pub riddor_reportable: Option<bool>,
    pub riddor_category: Option<RiddorCategory>,
    pub riddor_rationale: Option<String>,
    pub riddor_reported_on: Option<String>,
    pub riddor_reference: Option<String>,
    pub riddor_diagnosis_date: Option<String>,
    pub legacy_reference: Option<String>,
    pub people: Option<Vec<PersonInput>>,
}

/// Input of `incidents.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateIncidentInput {
    pub id: String,
    #[ts(type = "number")]
    pub row_version: i64,
    pub changes: IncidentInput,
}

/// Input of `incidents.transition`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentTransitionInput {
    pub id: String,
    #[ts(type = "number")]
    pub row_version: i64,
    pub to: IncidentStatus,
    #[ts(optional)]
    pub reason: Option<String>,
    #[ts(optional)]
    pub closure_notes: Option<String>,
}

/// Input of `incidents.list`: paging, search, sort and the register's filters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct IncidentListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub status: Option<Vec<IncidentStatus>>,
    pub incident_type: Option<Vec<IncidentType>>,
    pub severity: Option<Vec<IncidentSeverity>>,
    pub department: Option<Vec<String>>,
    pub investigator_id: Option<Vec<String>>,
    pub riddor: Option<Vec<RiddorFilter>>,
    pub record_only: Option<bool>,
    pub incident_date_from: Option<String>,
    pub incident_date_to: Option<String>,
}
