//! Standards, clauses, Annex A controls and Statement of Applicability entries as the UI sees them (§3).

use crate::signature::SignatureView;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// An Annex A theme.
    pub enum ControlTheme { Organizational => "organizational", People => "people", Physical => "physical", Technological => "technological" }
}

crate::choice_enum! {
    /// How far an Annex A control is implemented.
    pub enum SoaImplementationStatus { NotStarted => "not_started", Planned => "planned", Partial => "partial", Implemented => "implemented" }
}

crate::choice_enum! {
    /// How two clauses of different standards relate.
    pub enum MappingRelation { Equivalent => "equivalent", Related => "related", Partial => "partial" }
}

/// One row of the standards list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StandardSummary {
    pub id: String,
    pub code: String,
    pub title: String,
    pub edition: String,
    pub is_builtin: bool,
    pub is_active: bool,
    pub clause_count: i64,
    pub control_count: i64,
    pub row_version: i64,
}

/// A clause of a standard.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClauseView {
    pub id: String,
    pub standard_id: String,
    pub number: String,
    pub title: String,
    pub paraphrase: Option<String>,
    pub licensed_text: Option<String>,
    pub parent_id: Option<String>,
    pub level: i64,
    pub is_builtin: bool,
    pub excluded: bool,
    pub exclusion_justification: Option<String>,
    pub row_version: i64,
}

/// An Annex A control with its Statement of Applicability entry.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ControlView {
    pub id: String,
    pub clause_id: String,
    pub number: String,
    pub title: String,
    pub paraphrase: Option<String>,
    pub theme: ControlTheme,
}

/// A standard with its clause tree (natural order) and controls.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StandardView {
    pub standard: StandardSummary,
    pub clauses: Vec<ClauseView>,
    pub controls: Vec<ControlView>,
}

/// A clause of another standard mapped to the one asked about.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MappedClause {
    pub clause_id: String,
    pub standard_code: String,
    pub number: String,
    pub title: String,
    pub relation: MappingRelation,
    pub is_builtin: bool,
}

/// A Statement of Applicability entry.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SoaEntryView {
    pub id: String,
    pub control_id: String,
    pub control_number: String,
    pub control_title: String,
    pub theme: ControlTheme,
    pub applicable: bool,
    pub justification: Option<String>,
    pub implementation_status: SoaImplementationStatus,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub notes: Option<String>,
    pub last_reviewed_on: Option<String>,
    /// last_reviewed_on + 12 months has passed (or it was never reviewed).
    pub review_due: bool,
    pub row_version: i64,
}

/// The Statement of Applicability of a standard, with its latest approval.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SoaView {
    pub standard_id: String,
    pub entries: Vec<SoaEntryView>,
    pub approval: Option<SignatureView>,
    /// Some entry changed after the latest approval was signed.
    pub changed_since_approval: bool,
    /// Entries that still need a justification before the SoA can be approved.
    pub missing_justifications: Vec<String>,
}

/// Input of `standards.update_clause`: exclusion (with its justification) and licensed text.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ClauseChanges {
    pub excluded: Option<bool>,
    pub exclusion_justification: Option<String>,
    pub licensed_text: Option<String>,
}

/// Input of `standards.update_clause`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateClauseInput {
    pub id: String,
    pub row_version: i64,
    pub changes: ClauseChanges,
}

/// Input of `standards.set_active`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetStandardActiveInput {
    pub id: String,
    pub row_version: i64,
    pub is_active: bool,
}

/// The editable fields of an SoA entry.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct SoaChanges {
    pub applicable: Option<bool>,
    pub justification: Option<String>,
    pub implementation_status: Option<SoaImplementationStatus>,
    pub owner_id: Option<String>,
    pub notes: Option<String>,
    pub last_reviewed_on: Option<String>,
}

/// Input of `soa.update`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSoaInput {
    pub id: String,
    pub row_version: i64,
    pub changes: SoaChanges,
}

/// Input of `soa.get`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StandardIdInput {
    pub standard_id: String,
}

/// Input of `soa.approve`: a signature `approved` over every entry.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApproveSoaInput {
    pub standard_id: String,
    pub passphrase: String,
    #[ts(optional)]
    pub comment: Option<String>,
}
