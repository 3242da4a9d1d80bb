//! Audit runs and their responses (§5) as stored and as the fieldwork screen sees them.

use crate::signature::SignatureView;
use crate::template::logic::Score;
use crate::template::model::{Section, VersionSettings};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// A run's status.
    pub enum RunStatus {
        Draft => "draft", Scheduled => "scheduled", InProgress => "in_progress", PendingReview => "pending_review",
        Completed => "completed", Cancelled => "cancelled",
    }
}

/// The run fields a user sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunFields {
    pub title: String,
    pub location: Option<String>,
    pub location_detail: Option<String>,
    pub auditee: Option<String>,
    pub lead_auditor_id: String,
    pub reviewer_id: Option<String>,
    pub scheduled_date: Option<String>,
    pub due_date: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub gps_accuracy_m: Option<f64>,
    pub notes: Option<String>,
    pub legacy_reference: Option<String>,
}

/// A stored run.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunRecord {
    pub id: String,
    pub reference: String,
    pub template_id: String,
    pub template_version_id: String,
    #[serde(flatten)]
    pub fields: RunFields,
    pub status: RunStatus,
    pub started_at: Option<String>,
    pub submitted_at: Option<String>,
    pub completed_at: Option<String>,
    pub cancelled_at: Option<String>,
    pub score: Option<String>,
    pub max_score: Option<String>,
    pub percentage: Option<String>,
    pub passed: Option<bool>,
    pub follow_up_of_run_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    pub row_version: i64,
    pub archived_at: Option<String>,
    pub archived_by: Option<String>,
    pub archive_reason: Option<String>,
}

/// A file attached to a response.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResponseFile {
    pub evidence_id: String,
    pub original_name: String,
    pub media_type: String,
    pub sha256: String,
}

/// A stored answer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResponseView {
    pub id: String,
    pub question_id: String,
    #[ts(type = "unknown")]
    pub answer: Option<serde_json::Value>,
    pub is_na: bool,
    pub note: Option<String>,
    pub answered_at: Option<String>,
    pub answered_by: Option<String>,
    pub score: Option<String>,
    pub max_score: Option<String>,
    pub files: Vec<ResponseFile>,
    pub row_version: i64,
}

/// A step the run could take now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunTransitionOption {
    pub to: RunStatus,
    pub needs: Vec<String>,
    pub unmet_guards: Vec<String>,
    pub signature: bool,
}

/// A finding as listed on its run.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunFinding {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub severity: crate::template::model::FindingSeverity,
    pub finding_type: crate::template::model::FindingType,
    pub status: String,
    pub question_id: Option<String>,
}

/// A run with its version's questions, the answers, the live score and what stops completion.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunView {
    pub record: RunRecord,
    pub template_reference: String,
    pub template_name: String,
    pub version_number: i64,
    pub settings: VersionSettings,
    pub sections: Vec<Section>,
    pub responses: Vec<ResponseView>,
    /// Questions shown under the current answers.
    pub visible_question_ids: Vec<String>,
    pub live_score: Score,
    pub completion_problems: Vec<String>,
    pub transitions: Vec<RunTransitionOption>,
    pub findings: Vec<RunFinding>,
    pub signatures: Vec<SignatureView>,
    pub lead_auditor_name: Option<String>,
    pub reviewer_name: Option<String>,
    pub overdue: bool,
    /// Findings this run re-checks (a follow-up run).
    pub follow_up_findings: Vec<RunFinding>,
    pub linked_risks: Vec<crate::risk::model::LinkedRecord>,
}

/// One row of the run list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub template_name: String,
    pub status: RunStatus,
    pub location: Option<String>,
    pub lead_auditor_name: Option<String>,
    pub scheduled_date: Option<String>,
    pub due_date: Option<String>,
    pub percentage: Option<String>,
    pub passed: Option<bool>,
    pub overdue: bool,
    pub row_version: i64,
    pub archived_at: Option<String>,
}

/// Input of `runs.create`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct RunInput {
    pub template_id: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub location_detail: Option<String>,
    pub auditee: Option<String>,
    pub lead_auditor_id: Option<String>,
    pub reviewer_id: Option<String>,
    pub scheduled_date: Option<String>,
    pub due_date: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub gps_accuracy_m: Option<f64>,
    pub notes: Option<String>,
    pub legacy_reference: Option<String>,
    /// A re-audit: the run whose open findings this one re-checks.
    pub follow_up_of_run_id: Option<String>,
}

/// Input of `runs.update`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRunInput {
    pub id: String,
    pub row_version: i64,
    pub changes: RunInput,
}

/// Input of `runs.answer`: saved the moment it is given.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnswerInput {
    pub run_id: String,
    pub question_id: String,
    /// The answer (option value, list of values, number, text, date, or `{signerName}`); null clears it.
    #[ts(type = "unknown", optional)]
    pub answer: Option<serde_json::Value>,
    #[ts(optional)]
    pub is_na: Option<bool>,
    #[ts(optional)]
    pub note: Option<String>,
    #[ts(optional)]
    pub latitude: Option<f64>,
    #[ts(optional)]
    pub longitude: Option<f64>,
    #[ts(optional)]
    pub gps_accuracy_m: Option<f64>,
}

/// Input of `runs.transition`; completing is signed by the lead auditor, reviewing by the reviewer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunTransitionInput {
    pub id: String,
    pub row_version: i64,
    pub to: RunStatus,
    #[ts(optional)]
    pub reason: Option<String>,
    #[ts(optional)]
    pub passphrase: Option<String>,
    #[ts(optional)]
    pub comment: Option<String>,
}

/// Input of `runs.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct RunListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub status: Option<Vec<RunStatus>>,
    pub template_id: Option<String>,
    pub lead_auditor_id: Option<String>,
    pub scheduled_from: Option<String>,
    pub scheduled_to: Option<String>,
    pub passed: Option<bool>,
    pub overdue: Option<bool>,
}
