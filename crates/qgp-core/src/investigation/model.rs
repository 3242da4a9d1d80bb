//! Investigation rows, root-cause analysis (5 whys, fishbone), enumerations and UI shapes (domain.md §12).

use crate::signature::SignatureView;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// The kind of record investigated.
    pub enum SubjectType { Incident => "incident", Collision => "collision", Complaint => "complaint", Finding => "finding" }
}

crate::choice_enum! {
    /// Workflow status.
    pub enum InvestigationStatus { Open => "open", InProgress => "in_progress", Completed => "completed", Closed => "closed" }
}

crate::choice_enum! {
    /// The seven fishbone (Ishikawa) categories.
    pub enum FishboneCategory {
        People => "people", Methods => "methods", Equipment => "equipment", Materials => "materials",
        Measurement => "measurement", Environment => "environment", Management => "management",
    }
}

/// One entry of the investigation timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub date: Option<String>,
    pub time: Option<String>,
    pub description: String,
}

/// One step of the 5-whys chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhyStep {
    pub step: i64,
    pub why: String,
    pub because: String,
    pub evidence_note: Option<String>,
    pub is_root_cause: bool,
}

/// One cause on the fishbone diagram. `id` is assigned by the backend; new causes are sent without one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FishboneCause {
    pub id: String,
    pub category: FishboneCategory,
    pub description: String,
    pub parent_cause_id: Option<String>,
    pub is_contributing: bool,
    pub is_root_cause: bool,
}

/// Every field of an investigation a user may set after creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvestigationFields {
    pub title: String,
    pub lead_investigator_id: String,
    pub reviewer_id: Option<String>,
    pub team: Vec<String>,
    pub external_team: Option<String>,
    pub scope: Option<String>,
    pub problem_statement: String,
    pub timeline: Vec<TimelineEntry>,
    pub five_whys: Vec<WhyStep>,
    pub fishbone: Vec<FishboneCause>,
    pub root_cause_summary: Option<String>,
    pub contributing_factors: Option<String>,
    pub conclusions: Option<String>,
    pub recommendations: Option<String>,
    pub lessons_learned: Option<String>,
    pub target_completion_date: Option<String>,
    pub legacy_reference: Option<String>,
}

/// Editable input keys.
pub const FIELD_KEYS: &[&str] = &[
    "title",
    "leadInvestigatorId",
    "reviewerId",
    "team",
    "externalTeam",
    "scope",
    "problemStatement",
    "timeline",
    "fiveWhys",
    "fishbone",
    "rootCauseSummary",
    "contributingFactors",
    "conclusions",
    "recommendations",
    "lessonsLearned",
    "targetCompletionDate",
    "legacyReference",
];

/// A stored investigation.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvestigationRecord {
    pub id: String,
    pub reference: String,
    pub subject_type: SubjectType,
    pub subject_id: String,
    pub subject_reference: Option<String>,
    #[serde(flatten)]
    pub fields: InvestigationFields,
    pub status: InvestigationStatus,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
    pub reviewed_at: Option<String>,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub reopen_count: i64,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    pub row_version: i64,
    pub archived_at: Option<String>,
    pub archived_by: Option<String>,
    pub archive_reason: Option<String>,
}

/// A transition the investigation could take now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvestigationTransitionOption {
    pub to: InvestigationStatus,
    pub needs: Vec<String>,
    pub unmet_guards: Vec<String>,
    /// True when the step is a signature (passphrase re-entry).
    pub signature: bool,
}

/// A user named on the investigation, with their name for display.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NamedUser {
    pub id: String,
    pub name: String,
}

/// An investigation as the UI shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvestigationView {
    pub record: InvestigationRecord,
    pub lead_name: Option<String>,
    pub reviewer_name: Option<String>,
    pub team_members: Vec<NamedUser>,
    pub overdue: bool,
    pub transitions: Vec<InvestigationTransitionOption>,
    pub signatures: Vec<SignatureView>,
}

/// One row of the investigation register (and of a subject's investigations).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvestigationSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub subject_type: SubjectType,
    pub subject_id: String,
    pub subject_reference: Option<String>,
    pub status: InvestigationStatus,
    pub lead_investigator_id: String,
    pub lead_name: Option<String>,
    pub root_cause_summary: Option<String>,
    pub target_completion_date: Option<String>,
    pub overdue: bool,
    pub created_at: String,
    pub row_version: i64,
    pub archived_at: Option<String>,
}

/// A timeline entry as input.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct TimelineEntryInput {
    pub date: Option<String>,
    pub time: Option<String>,
    pub description: Option<String>,
}

/// A 5-whys step as input.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct WhyStepInput {
    pub step: Option<i64>,
    pub why: Option<String>,
    pub because: Option<String>,
    pub evidence_note: Option<String>,
    pub is_root_cause: Option<bool>,
}

/// A fishbone cause as input: `id` only for a cause that already exists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct FishboneCauseInput {
    pub id: Option<String>,
    pub category: Option<FishboneCategory>,
    pub description: Option<String>,
    pub parent_cause_id: Option<String>,
    pub is_contributing: Option<bool>,
    pub is_root_cause: Option<bool>,
}

/// Input of `investigations.create` (subject fixed here) and the `changes` of `investigations.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct InvestigationInput {
    pub subject_type: Option<SubjectType>,
    pub subject_id: Option<String>,
    pub title: Option<String>,
    pub lead_investigator_id: Option<String>,
    pub reviewer_id: Option<String>,
    pub team: Option<Vec<String>>,
    pub external_team: Option<String>,
    pub scope: Option<String>,
    pub problem_statement: Option<String>,
    pub timeline: Option<Vec<TimelineEntryInput>>,
    pub five_whys: Option<Vec<WhyStepInput>>,
    pub fishbone: Option<Vec<FishboneCauseInput>>,
    pub root_cause_summary: Option<String>,
    pub contributing_factors: Option<String>,
    pub conclusions: Option<String>,
    pub recommendations: Option<String>,
    pub lessons_learned: Option<String>,
    pub target_completion_date: Option<String>,
    pub legacy_reference: Option<String>,
}

/// Input of `investigations.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInvestigationInput {
    pub id: String,
    pub row_version: i64,
    pub changes: InvestigationInput,
}

/// Input of `investigations.transition`. Completion (lead) and approval (reviewer) are signatures.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvestigationTransitionInput {
    pub id: String,
    pub row_version: i64,
    pub to: InvestigationStatus,
    #[ts(optional)]
    pub reason: Option<String>,
    #[ts(optional)]
    pub passphrase: Option<String>,
    #[ts(optional)]
    pub comment: Option<String>,
}

/// Input of `investigations.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct InvestigationListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub status: Option<Vec<InvestigationStatus>>,
    pub subject_type: Option<Vec<SubjectType>>,
    pub subject_id: Option<String>,
    pub lead_investigator_id: Option<Vec<String>>,
    pub overdue: Option<bool>,
}
