//! Findings (§6) as stored and shown.

use crate::signature::SignatureView;
use crate::template::model::{FindingSeverity, FindingType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// A finding's status.
    pub enum FindingStatus {
        Open => "open", ActionPlanned => "action_planned", PendingVerification => "pending_verification",
        Closed => "closed", Deferred => "deferred",
    }
}

crate::choice_enum! {
    /// How a finding came to be.
    pub enum FindingOrigin { Auto => "auto", Manual => "manual" }
}

/// Editable finding keys.
pub const FIELD_KEYS: &[&str] =
    &["title", "description", "findingType", "severity", "correctiveActionRequired", "actionDueDate", "legacyReference"];

/// The finding fields a user sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingFields {
    pub title: String,
    pub description: String,
    pub finding_type: FindingType,
    pub severity: FindingSeverity,
    pub corrective_action_required: bool,
    pub action_due_date: Option<String>,
    pub legacy_reference: Option<String>,
}

/// A stored finding.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingRecord {
    pub id: String,
    pub reference: String,
    pub run_id: String,
    pub question_id: Option<String>,
    pub response_id: Option<String>,
    pub origin: FindingOrigin,
    #[serde(flatten)]
    pub fields: FindingFields,
    pub status: FindingStatus,
    pub deferred_until: Option<String>,
    pub verification_notes: Option<String>,
    pub closure_notes: Option<String>,
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

/// A step the finding could take now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingTransitionOption {
    pub to: FindingStatus,
    pub needs: Vec<String>,
    pub unmet_guards: Vec<String>,
    pub signature: bool,
}

/// A finding as the UI shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingView {
    pub record: FindingRecord,
    pub run_reference: String,
    pub run_title: String,
    pub run_location: Option<String>,
    /// major nonconformity, minor nonconformity, observation, opportunity for improvement, positive.
    pub grade: String,
    pub transitions: Vec<FindingTransitionOption>,
    pub clause_ids: Vec<String>,
    pub overdue: bool,
    /// Deferred, and the date it was deferred to has passed (§6: it stays deferred and says so).
    pub deferral_expired: bool,
    /// Who closed it (the profile's name), while it is closed.
    pub closed_by_name: Option<String>,
    pub linked_risks: Vec<crate::risk::model::LinkedRecord>,
    pub signatures: Vec<SignatureView>,
}

/// One row of the findings register.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub finding_type: FindingType,
    pub severity: FindingSeverity,
    pub grade: String,
    pub status: FindingStatus,
    pub action_due_date: Option<String>,
    pub overdue: bool,
    pub deferral_expired: bool,
    pub run_reference: String,
    pub row_version: i64,
    pub archived_at: Option<String>,
}

/// Input of `findings.create`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct FindingInput {
    pub run_id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub finding_type: Option<FindingType>,
    pub severity: Option<FindingSeverity>,
    pub corrective_action_required: Option<bool>,
    pub action_due_date: Option<String>,
    pub legacy_reference: Option<String>,
    pub clause_ids: Option<Vec<String>>,
    pub control_ids: Option<Vec<String>>,
}

/// Input of `findings.update`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateFindingInput {
    pub id: String,
    pub row_version: i64,
    pub changes: FindingInput,
}

/// Input of `findings.transition`; closing after verification is a signature `verified`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct FindingTransitionInput {
    #[ts(optional = false)]
    pub id: String,
    #[ts(optional = false)]
    pub row_version: i64,
    #[ts(optional = false)]
    pub to: FindingStatus,
    pub reason: Option<String>,
    pub verification_notes: Option<String>,
    pub closure_notes: Option<String>,
    pub deferred_until: Option<String>,
    pub passphrase: Option<String>,
    pub comment: Option<String>,
}

/// Input of `findings.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct FindingListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub status: Option<Vec<FindingStatus>>,
    pub severity: Option<Vec<FindingSeverity>>,
    pub finding_type: Option<Vec<FindingType>>,
    pub run_id: Option<String>,
    pub clause_id: Option<String>,
    pub overdue: Option<bool>,
}
