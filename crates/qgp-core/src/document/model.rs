//! Controlled documents and their versions (domain.md §13): rows, enumerations and the shapes sent to the UI.

use crate::signature::SignatureView;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// Kind of controlled document.
    pub enum DocumentType {
        Policy => "policy", Procedure => "procedure", WorkInstruction => "work_instruction", Sop => "sop", Form => "form",
        Template => "template", Guideline => "guideline", Manual => "manual", Record => "record", Other => "other",
    }
}

crate::choice_enum! {
    /// Who may see it.
    pub enum Confidentiality { Public => "public", Internal => "internal", Confidential => "confidential", Restricted => "restricted" }
}

crate::choice_enum! {
    /// The document's status (it follows its first version until that is published).
    pub enum DocumentStatus {
        Draft => "draft", InReview => "in_review", Approved => "approved", Published => "published",
        UnderReview => "under_review", Superseded => "superseded", Retired => "retired",
    }
}

crate::choice_enum! {
    /// A version's status.
    pub enum VersionStatus { Draft => "draft", InReview => "in_review", Approved => "approved", Published => "published", Superseded => "superseded" }
}

crate::choice_enum! {
    /// What a periodic review concluded.
    pub enum ReviewOutcome {
        NoChange => "no_change", MinorRevision => "minor_revision", MajorRevision => "major_revision", Retire => "retire",
    }
}

crate::choice_enum! {
    /// Whether a person has acknowledged a version.
    pub enum AckStatus { Pending => "pending", Acknowledged => "acknowledged" }
}

crate::choice_enum! {
    /// How big a revision is: major (x+1.0, re-acknowledged) or minor (x.y+1).
    pub enum RevisionKind { Major => "major", Minor => "minor" }
}

/// The document fields a user sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentFields {
    pub title: String,
    pub description: Option<String>,
    pub document_type: DocumentType,
    pub category: Option<String>,
    pub department: Option<String>,
    pub owner_id: String,
    pub default_approver_id: Option<String>,
    pub confidentiality: Confidentiality,
    pub review_frequency_months: i64,
    pub acknowledgement_required: bool,
    pub ack_within_days: i64,
    pub legacy_reference: Option<String>,
}

/// Editable document keys (with `tags`).
pub const FIELD_KEYS: &[&str] = &[
    "title",
    "description",
    "documentType",
    "category",
    "department",
    "ownerId",
    "defaultApproverId",
    "confidentiality",
    "reviewFrequencyMonths",
    "acknowledgementRequired",
    "ackWithinDays",
    "legacyReference",
    "tags",
    "ackRoles",
    "ackUserIds",
];

/// A stored document.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRecord {
    pub id: String,
    pub reference: String,
    #[serde(flatten)]
    pub fields: DocumentFields,
    pub next_review_date: Option<String>,
    pub status: DocumentStatus,
    pub superseded_by_id: Option<String>,
    pub review_started_at: Option<String>,
    pub superseded_at: Option<String>,
    pub retired_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    pub row_version: i64,
    pub archived_at: Option<String>,
    pub archived_by: Option<String>,
    pub archive_reason: Option<String>,
}

/// A stored version.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentVersion {
    pub id: String,
    pub document_id: String,
    pub major: i64,
    pub minor: i64,
    pub version_label: String,
    pub change_summary: Option<String>,
    pub body: Option<String>,
    pub status: VersionStatus,
    pub submitted_at: Option<String>,
    pub submitted_by: Option<String>,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub published_at: Option<String>,
    pub effective_date: Option<String>,
    pub requires_reacknowledgement: bool,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    pub row_version: i64,
}

/// A step the working version could take now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VersionTransitionOption {
    pub to: VersionStatus,
    pub needs: Vec<String>,
    pub unmet_guards: Vec<String>,
    pub signature: bool,
}

/// A document as the UI shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    pub record: DocumentRecord,
    pub tags: Vec<String>,
    pub owner_name: Option<String>,
    /// Newest first.
    pub versions: Vec<DocumentVersion>,
    /// The version in force, if any.
    pub published_version_id: Option<String>,
    /// The version being prepared (draft, in review or approved), if any.
    pub working_version_id: Option<String>,
    pub transitions: Vec<VersionTransitionOption>,
    pub review_overdue: bool,
    pub signatures: Vec<SignatureView>,
    /// Roles whose active members must acknowledge.
    pub ack_roles: Vec<crate::authz::Role>,
    /// People named to acknowledge.
    pub ack_users: Vec<crate::investigation::model::NamedUser>,
    /// Acknowledgements of the version in force.
    pub acknowledgements: Vec<AcknowledgementView>,
    /// Periodic reviews, newest first.
    pub reviews: Vec<ReviewView>,
    pub linked_risks: Vec<crate::risk::model::LinkedRecord>,
    /// The replacement, when this document is superseded.
    pub superseded_by: Option<DocumentLink>,
    /// Documents this one replaced.
    pub supersedes: Vec<DocumentLink>,
}

/// Another document, as a link.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentLink {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub status: DocumentStatus,
}

/// One person's acknowledgement of a version.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcknowledgementView {
    pub id: String,
    pub version_id: String,
    pub version_label: String,
    pub user_id: String,
    pub user_name: String,
    pub user_active: bool,
    pub requested_at: String,
    pub status: AckStatus,
    pub acknowledged_at: Option<String>,
    pub signature_id: Option<String>,
    /// Set when the acknowledgement was carried over from an earlier minor version.
    pub carried_from_label: Option<String>,
    /// Acknowledge by this date (published + ack_within_days).
    pub due_date: Option<String>,
    pub overdue: bool,
}

/// A pending acknowledgement of the signed-in user.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MyAcknowledgement {
    pub document_id: String,
    pub reference: String,
    pub title: String,
    pub version_id: String,
    pub version_label: String,
    pub requested_at: String,
    pub due_date: Option<String>,
    pub overdue: bool,
}

/// A recorded periodic review.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewView {
    pub id: String,
    pub reviewed_on: String,
    pub reviewer_id: String,
    pub reviewer_name: String,
    pub outcome: ReviewOutcome,
    pub notes: String,
    pub version_label: Option<String>,
    pub signature_id: Option<String>,
    pub created_at: String,
}

/// Input of `documents.start_review`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartReviewInput {
    pub id: String,
    pub row_version: i64,
}

/// Input of `documents.record_review`: `no_change` is signed `reviewed` (passphrase); a revision outcome opens a
/// draft revision; `retire` retires the document.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordReviewInput {
    pub id: String,
    pub row_version: i64,
    pub outcome: ReviewOutcome,
    pub notes: String,
    #[ts(optional)]
    pub passphrase: Option<String>,
    #[ts(optional)]
    pub comment: Option<String>,
    /// Bring the next review forward (no_change only); never later than the computed date.
    #[ts(optional)]
    pub next_review_date: Option<String>,
}

/// Input of `documents.supersede`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SupersedeInput {
    pub id: String,
    pub row_version: i64,
    pub replacement_id: String,
    pub reason: String,
}

/// Input of `documents.acknowledge`: the signed-in user acknowledges a version (a signature).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcknowledgeInput {
    pub version_id: String,
    pub passphrase: String,
    #[ts(optional)]
    pub comment: Option<String>,
}

/// One row of the document register.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub document_type: DocumentType,
    pub status: DocumentStatus,
    pub owner_name: Option<String>,
    pub current_version: Option<String>,
    pub next_review_date: Option<String>,
    pub review_overdue: bool,
    pub row_version: i64,
    pub archived_at: Option<String>,
}

/// Input of `documents.create` (with the first version's body) and the `changes` of `documents.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct DocumentInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub document_type: Option<DocumentType>,
    pub category: Option<String>,
    pub department: Option<String>,
    pub tags: Option<Vec<String>>,
    pub owner_id: Option<String>,
    pub default_approver_id: Option<String>,
    pub confidentiality: Option<Confidentiality>,
    pub review_frequency_months: Option<i64>,
    pub acknowledgement_required: Option<bool>,
    pub ack_within_days: Option<i64>,
    pub legacy_reference: Option<String>,
    pub ack_roles: Option<Vec<crate::authz::Role>>,
    pub ack_user_ids: Option<Vec<String>>,
    /// Create only: the first version's Markdown.
    pub body: Option<String>,
}

/// Input of `documents.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDocumentInput {
    pub id: String,
    pub row_version: i64,
    pub changes: DocumentInput,
}

/// Input of `documents.edit_version`: the working version's body, change summary and effective date.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct VersionChanges {
    pub body: Option<String>,
    pub change_summary: Option<String>,
    pub effective_date: Option<String>,
}

/// Input of `documents.edit_version`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EditVersionInput {
    pub version_id: String,
    pub row_version: i64,
    pub changes: VersionChanges,
}

/// Input of `documents.discard_draft`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiscardVersionInput {
    pub version_id: String,
    pub row_version: i64,
}

/// Input of `documents.version_transition`; approval is a signature.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VersionTransitionInput {
    pub version_id: String,
    pub row_version: i64,
    pub to: VersionStatus,
    #[ts(optional)]
    pub reason: Option<String>,
    #[ts(optional)]
    pub passphrase: Option<String>,
    #[ts(optional)]
    pub comment: Option<String>,
}

/// Input of `documents.new_revision`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewRevisionInput {
    pub id: String,
    pub row_version: i64,
    pub kind: RevisionKind,
    pub change_summary: String,
}

/// Input of `documents.retire`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RetireDocumentInput {
    pub id: String,
    pub row_version: i64,
    pub reason: String,
}

/// Input of `documents.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct DocumentListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub status: Option<Vec<DocumentStatus>>,
    pub document_type: Option<Vec<DocumentType>>,
    pub owner_id: Option<Vec<String>>,
    pub review_overdue: Option<bool>,
}
