//! Action (CAPA) rows, enumerations and the shapes sent to the UI (domain.md §7).

use crate::signature::SignatureView;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// The kind of record an action is raised from.
    pub enum ActionSourceType {
        Finding => "finding", Incident => "incident", Collision => "collision", Complaint => "complaint",
        Risk => "risk", Investigation => "investigation", DocumentReview => "document_review",
    }
}

crate::choice_enum! {
    /// Containment, corrective, preventive or improvement.
    pub enum ActionType { Containment => "containment", Corrective => "corrective", Preventive => "preventive", Improvement => "improvement" }
}

crate::choice_enum! {
    /// Priority, critical first.
    pub enum ActionPriority { Critical => "critical", High => "high", Medium => "medium", Low => "low" }
}

crate::choice_enum! {
    /// Workflow status.
    pub enum ActionStatus { Open => "open", InProgress => "in_progress", Completed => "completed", Verified => "verified", Cancelled => "cancelled" }
}

/// One extension of a due date, kept for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DueDateChange {
    pub old: String,
    pub new: String,
    pub reason: String,
    pub changed_by: String,
    pub changed_at: String,
}

/// Every field of an action a user may set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionFields {
    pub title: String,
    pub description: String,
    pub action_type: ActionType,
    pub priority: ActionPriority,
    pub owner_id: String,
    pub due_date: String,
    pub requires_verification: bool,
    pub verification_due_date: Option<String>,
    pub completion_notes: Option<String>,
    pub verification_notes: Option<String>,
    pub legacy_reference: Option<String>,
}

/// Editable input keys.
pub const FIELD_KEYS: &[&str] = &[
    "title",
    "description",
    "actionType",
    "priority",
    "ownerId",
    "dueDate",
    "requiresVerification",
    "verificationDueDate",
    "completionNotes",
    "verificationNotes",
    "legacyReference",
];

/// A stored action.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionRecord {
    pub id: String,
    pub reference: String,
    pub source_type: ActionSourceType,
    pub source_id: String,
    pub source_reference: Option<String>,
    #[serde(flatten)]
    pub fields: ActionFields,
    pub original_due_date: String,
    pub due_date_changes: Vec<DueDateChange>,
    pub status: ActionStatus,
    pub is_effective: Option<bool>,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
    pub completed_by: Option<String>,
    pub verified_at: Option<String>,
    pub verified_by: Option<String>,
    pub cancelled_at: Option<String>,
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

/// A transition the action could take now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionTransitionOption {
    pub to: ActionStatus,
    pub needs: Vec<String>,
    pub unmet_guards: Vec<String>,
    /// True when the step is a signature (passphrase re-entry).
    pub signature: bool,
}

/// Due-date flags computed at read time (§7), never stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionFlags {
    pub terminal: bool,
    pub overdue: bool,
    pub days_overdue: i64,
    pub due_soon: bool,
    pub verification_overdue: bool,
}

/// An action as the UI shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionView {
    pub record: ActionRecord,
    pub owner_name: Option<String>,
    pub flags: ActionFlags,
    pub transitions: Vec<ActionTransitionOption>,
    pub signatures: Vec<SignatureView>,
}

/// One row of an action list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub source_type: ActionSourceType,
    pub source_id: String,
    pub source_reference: Option<String>,
    pub action_type: ActionType,
    pub priority: ActionPriority,
    pub status: ActionStatus,
    pub owner_id: String,
    pub owner_name: Option<String>,
    pub due_date: String,
    pub row_version: i64,
    pub requires_verification: bool,
    pub flags: ActionFlags,
    pub archived_at: Option<String>,
}

/// Input of `actions.create`: the source plus any fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ActionInput {
    pub source_type: Option<ActionSourceType>,
    pub source_id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub action_type: Option<ActionType>,
    pub priority: Option<ActionPriority>,
    pub owner_id: Option<String>,
    pub due_date: Option<String>,
    pub requires_verification: Option<bool>,
    pub verification_due_date: Option<String>,
    pub completion_notes: Option<String>,
    pub verification_notes: Option<String>,
    pub legacy_reference: Option<String>,
}

/// Input of `actions.update`; moving the due date later needs `dueDateChangeReason`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateActionInput {
    pub id: String,
    pub row_version: i64,
    pub changes: ActionInput,
    #[ts(optional)]
    pub due_date_change_reason: Option<String>,
}

/// Input of `actions.transition`. Verification is a signature: `passphrase` is required for `verified`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionTransitionInput {
    pub id: String,
    pub row_version: i64,
    pub to: ActionStatus,
    #[ts(optional)]
    pub reason: Option<String>,
    #[ts(optional)]
    pub completion_notes: Option<String>,
    #[ts(optional)]
    pub verification_notes: Option<String>,
    #[ts(optional)]
    pub passphrase: Option<String>,
    #[ts(optional)]
    pub comment: Option<String>,
}

/// Input of `actions.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ActionListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub status: Option<Vec<ActionStatus>>,
    pub priority: Option<Vec<ActionPriority>>,
    pub action_type: Option<Vec<ActionType>>,
    pub owner_id: Option<Vec<String>>,
    pub source_type: Option<Vec<ActionSourceType>>,
    pub source_id: Option<String>,
    pub due_from: Option<String>,
    pub due_to: Option<String>,
    pub due_soon: Option<bool>,
    pub overdue: Option<bool>,
    pub verification_overdue: Option<bool>,
    pub mine: Option<bool>,
}
