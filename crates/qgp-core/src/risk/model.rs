//! Risk rows, assessments, controls, enumerations and the shapes sent to the UI (domain.md §8).

use crate::signature::SignatureView;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// Risk category.
    pub enum RiskCategory {
        Strategic => "strategic", Operational => "operational", Financial => "financial", Compliance => "compliance",
        Reputational => "reputational", Safety => "safety", Environmental => "environmental",
        InformationSecurity => "information_security",
    }
}

crate::choice_enum! {
    /// How the risk is treated (exploit = an opportunity).
    pub enum TreatmentStrategy { Mitigate => "mitigate", Accept => "accept", Transfer => "transfer", Avoid => "avoid", Exploit => "exploit" }
}

crate::choice_enum! {
    /// Level from the fixed 5×5 matrix.
    pub enum RiskLevel { VeryLow => "very_low", Low => "low", Medium => "medium", High => "high", Critical => "critical" }
}

crate::choice_enum! {
    /// Workflow status.
    pub enum RiskStatus { Identified => "identified", Assessed => "assessed", Treating => "treating", Monitoring => "monitoring", Closed => "closed" }
}

crate::choice_enum! {
    /// Why an assessment was made.
    pub enum AssessmentType { Initial => "initial", Periodic => "periodic", Triggered => "triggered", PostIncident => "post_incident" }
}

crate::choice_enum! {
    /// Kind of control.
    pub enum ControlType { Preventive => "preventive", Detective => "detective", Corrective => "corrective", Directive => "directive" }
}

crate::choice_enum! {
    /// How far a control is in place.
    pub enum ImplementationStatus {
        Planned => "planned", InProgress => "in_progress", Implemented => "implemented",
        NotImplemented => "not_implemented", NotApplicable => "not_applicable",
    }
}

crate::choice_enum! {
    /// How well a control works.
    pub enum ControlEffectiveness { Effective => "effective", PartiallyEffective => "partially_effective", Ineffective => "ineffective", NotTested => "not_tested" }
}

crate::choice_enum! {
    /// Which rating the heat map counts.
    pub enum HeatMapBasis { Residual => "residual", Inherent => "inherent", Target => "target" }
}

/// Every field of a risk a user may set after creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskFields {
    pub title: String,
    pub description: String,
    pub category: RiskCategory,
    pub subcategory: Option<String>,
    pub department: Option<String>,
    pub cause: Option<String>,
    pub event: Option<String>,
    pub consequence: Option<String>,
    pub owner_id: Option<String>,
    pub treatment_strategy: TreatmentStrategy,
    pub treatment_plan: Option<String>,
    pub treatment_due_date: Option<String>,
    pub review_frequency_months: i64,
    pub next_review_date: String,
    pub legacy_reference: Option<String>,
}

/// Editable input keys.
pub const FIELD_KEYS: &[&str] = &[
    "title",
    "description",
    "category",
    "subcategory",
    "department",
    "cause",
    "event",
    "consequence",
    "ownerId",
    "treatmentStrategy",
    "treatmentPlan",
    "treatmentDueDate",
    "reviewFrequencyMonths",
    "nextReviewDate",
    "legacyReference",
];

/// A stored risk.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskRecord {
    pub id: String,
    pub reference: String,
    #[serde(flatten)]
    pub fields: RiskFields,
    pub likelihood: i64,
    pub impact: i64,
    pub score: i64,
    pub level: RiskLevel,
    pub status: RiskStatus,
    pub accepted_at: Option<String>,
    pub accepted_by: Option<String>,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub closure_reason: Option<String>,
    pub reopen_count: i64,
    /// Inherent and target ratings of the latest assessment (sys), for the heat map's other bases.
    pub inherent_likelihood: i64,
    pub inherent_impact: i64,
    pub target_likelihood: Option<i64>,
    pub target_impact: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    pub row_version: i64,
    pub archived_at: Option<String>,
    pub archived_by: Option<String>,
    pub archive_reason: Option<String>,
}

/// One cell rating: likelihood × impact with its matrix level and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Rating {
    pub likelihood: i64,
    pub impact: i64,
    pub score: i64,
    pub level: RiskLevel,
}

/// A stored assessment (append-only).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskAssessment {
    pub id: String,
    pub risk_id: String,
    pub assessment_date: String,
    pub assessment_type: AssessmentType,
    pub inherent_likelihood: i64,
    pub inherent_impact: i64,
    pub inherent_score: i64,
    pub inherent_level: RiskLevel,
    pub residual_likelihood: i64,
    pub residual_impact: i64,
    pub residual_score: i64,
    pub residual_level: RiskLevel,
    pub target_likelihood: Option<i64>,
    pub target_impact: Option<i64>,
    pub target_score: Option<i64>,
    pub target_level: Option<RiskLevel>,
    pub notes: Option<String>,
    pub control_effectiveness_notes: Option<String>,
    pub assessed_by: String,
    pub created_at: String,
}

/// A risk control as stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskControl {
    pub id: String,
    pub risk_id: String,
    #[serde(flatten)]
    pub fields: RiskControlFields,
    pub next_test_date: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    pub row_version: i64,
}

/// The fields of a control a user sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskControlFields {
    pub title: String,
    pub description: Option<String>,
    pub control_type: ControlType,
    pub implementation_status: ImplementationStatus,
    pub effectiveness: ControlEffectiveness,
    pub owner_id: Option<String>,
    pub test_frequency_months: Option<i64>,
    pub last_tested_on: Option<String>,
}

/// Control input keys.
pub const CONTROL_KEYS: &[&str] =
    &["title", "description", "controlType", "implementationStatus", "effectiveness", "ownerId", "testFrequencyMonths", "lastTestedOn"];

/// Review and treatment flags computed at read time (§8), never stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskFlags {
    pub review_overdue: bool,
    pub review_due_soon: bool,
    pub treatment_overdue: bool,
}

/// A transition the risk could take now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskTransitionOption {
    pub to: RiskStatus,
    pub needs: Vec<String>,
    pub unmet_guards: Vec<String>,
    /// True when the step is a signature (passphrase re-entry).
    pub signature: bool,
}

/// A record linked to a risk, or a risk linked to a record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkedRecord {
    pub entity_type: String,
    pub id: String,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub archived: bool,
    pub linked_at: String,
}

/// A risk as the UI shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskView {
    pub record: RiskRecord,
    pub owner_name: Option<String>,
    pub colour: String,
    pub flags: RiskFlags,
    /// Newest first (assessment date, then recording time).
    pub assessments: Vec<RiskAssessment>,
    pub controls: Vec<RiskControl>,
    /// Incidents, collisions and complaints linked to the risk, newest link first.
    pub linked_records: Vec<LinkedRecord>,
    pub transitions: Vec<RiskTransitionOption>,
    pub signatures: Vec<SignatureView>,
}

/// One row of the risk register.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub category: RiskCategory,
    pub status: RiskStatus,
    pub likelihood: i64,
    pub impact: i64,
    pub score: i64,
    pub level: RiskLevel,
    pub colour: String,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub treatment_strategy: TreatmentStrategy,
    pub next_review_date: String,
    pub flags: RiskFlags,
    pub row_version: i64,
    pub archived_at: Option<String>,
}

/// Input of `risks.create`: the fields plus the initial likelihood and impact.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct RiskInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<RiskCategory>,
    pub subcategory: Option<String>,
    pub department: Option<String>,
    pub cause: Option<String>,
    pub event: Option<String>,
    pub consequence: Option<String>,
    pub owner_id: Option<String>,
    pub treatment_strategy: Option<TreatmentStrategy>,
    pub treatment_plan: Option<String>,
    pub treatment_due_date: Option<String>,
    pub review_frequency_months: Option<i64>,
    pub next_review_date: Option<String>,
    pub legacy_reference: Option<String>,
    pub likelihood: Option<i64>,
    pub impact: Option<i64>,
}

/// Input of `risks.update` (likelihood and impact change only through assessments).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRiskInput {
    pub id: String,
    pub row_version: i64,
    pub changes: RiskInput,
}

/// Input of `risks.transition`. Acceptance is a signature: `passphrase` is required for accepted → monitoring.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskTransitionInput {
    pub id: String,
    pub row_version: i64,
    pub to: RiskStatus,
    #[ts(optional)]
    pub reason: Option<String>,
    #[ts(optional)]
    pub passphrase: Option<String>,
    #[ts(optional)]
    pub comment: Option<String>,
}

/// Input of `risks.assess`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AssessRiskInput {
    pub id: String,
    pub row_version: i64,
    pub assessment_date: String,
    #[ts(optional)]
    pub assessment_type: Option<AssessmentType>,
    pub inherent_likelihood: i64,
    pub inherent_impact: i64,
    pub residual_likelihood: i64,
    pub residual_impact: i64,
    #[ts(optional)]
    pub target_likelihood: Option<i64>,
    #[ts(optional)]
    pub target_impact: Option<i64>,
    #[ts(optional)]
    pub notes: Option<String>,
    #[ts(optional)]
    pub control_effectiveness_notes: Option<String>,
}

/// Control fields as input (all optional; title required at creation).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct RiskControlInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub control_type: Option<ControlType>,
    pub implementation_status: Option<ImplementationStatus>,
    pub effectiveness: Option<ControlEffectiveness>,
    pub owner_id: Option<String>,
    pub test_frequency_months: Option<i64>,
    pub last_tested_on: Option<String>,
}

/// Input of `risks.add_control`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddControlInput {
    pub risk_id: String,
    pub control: RiskControlInput,
}

/// Input of `risks.update_control`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateControlInput {
    pub id: String,
    pub row_version: i64,
    pub changes: RiskControlInput,
}

/// Input of `risks.link` and `risks.unlink`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskLinkInput {
    pub risk_id: String,
    pub record_type: super::links::LinkedType,
    pub record_id: String,
}

/// Input of `risks.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct RiskListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub status: Option<Vec<RiskStatus>>,
    pub category: Option<Vec<RiskCategory>>,
    pub level: Option<Vec<RiskLevel>>,
    pub owner_id: Option<Vec<String>>,
    pub review_overdue: Option<bool>,
    pub review_due_soon: Option<bool>,
    pub treatment_overdue: Option<bool>,
    /// Only risks currently rated in this cell (by the heat map's basis).
    pub likelihood: Option<i64>,
    pub impact: Option<i64>,
    pub basis: Option<HeatMapBasis>,
}

/// Input of `risks.heat_map`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct HeatMapInput {
    pub basis: Option<HeatMapBasis>,
}

/// One heat-map cell.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeatMapCell {
    pub likelihood: i64,
    pub impact: i64,
    pub score: i64,
    pub level: RiskLevel,
    pub colour: String,
    pub count: i64,
}

/// Count of risks at one level.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LevelCount {
    pub level: RiskLevel,
    pub colour: String,
    pub count: i64,
}

/// The heat map: rows from likelihood 5 down to 1, each with impact 1..5; plus counts per level (all five keys).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeatMap {
    pub basis: HeatMapBasis,
    pub rows: Vec<Vec<HeatMapCell>>,
    pub levels: Vec<LevelCount>,
    pub total: i64,
}
