//! Complaint rows, enumerations and the shapes sent to the UI (domain.md §11).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// What the complaint is about.
    pub enum ComplaintType {
        Product => "product", Service => "service", Delivery => "delivery", Communication => "communication", Billing => "billing",
        Staff => "staff", Environmental => "environmental", Safety => "safety", Other => "other",
    }
}

crate::choice_enum! {
    /// Priority, critical first.
    pub enum ComplaintPriority { Critical => "critical", High => "high", Medium => "medium", Low => "low" }
}

crate::choice_enum! {
    /// How the complaint arrived.
    pub enum ComplaintSource { Manual => "manual", Email => "email", Phone => "phone", Letter => "letter", InPerson => "in_person" }
}

crate::choice_enum! {
    /// Workflow status.
    pub enum ComplaintStatus {
        Received => "received", Acknowledged => "acknowledged", UnderInvestigation => "under_investigation",
        Resolved => "resolved", Closed => "closed", Escalated => "escalated",
    }
}

/// Every field of a complaint a user may set. Dates travel as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintFields {
    pub title: String,
    pub description: String,
    pub complainant_name: String,
    pub complainant_email: Option<String>,
    pub complainant_phone: Option<String>,
    pub complainant_company: Option<String>,
    pub complainant_address: Option<String>,
    pub complaint_type: ComplaintType,
    pub priority: ComplaintPriority,
    pub received_date: String,
    pub target_resolution_date: String,
    pub related_reference: Option<String>,
    pub related_product_service: Option<String>,
    pub owner_id: Option<String>,
    pub department: Option<String>,
    pub investigation_notes: Option<String>,
    pub root_cause: Option<String>,
    pub resolution_summary: Option<String>,
    pub customer_satisfied: Option<bool>,
    pub compensation_offered: Option<String>,
    pub source: ComplaintSource,
    pub original_email_subject: Option<String>,
    pub original_email_body: Option<String>,
    pub closure_notes: Option<String>,
    pub legacy_reference: Option<String>,
}

/// Editable input keys.
pub const FIELD_KEYS: &[&str] = &[
    "title",
    "description",
    "complainantName",
    "complainantEmail",
    "complainantPhone",
    "complainantCompany",
    "complainantAddress",
    "complaintType",
    "priority",
    "receivedDate",
    "targetResolutionDate",
    "relatedReference",
    "relatedProductService",
    "ownerId",
    "department",
    "investigationNotes",
    "rootCause",
    "resolutionSummary",
    "customerSatisfied",
    "compensationOffered",
    "source",
    "originalEmailSubject",
    "originalEmailBody",
    "closureNotes",
    "legacyReference",
];

/// A stored complaint.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintRecord {
    pub id: String,
    pub reference: String,
    #[serde(flatten)]
    pub fields: ComplaintFields,
    pub acknowledged_date: Option<String>,
    pub resolved_date: Option<String>,
    pub escalated_to: Option<String>,
    pub escalation_reason: Option<String>,
    pub escalated_at: Option<String>,
    pub status: ComplaintStatus,
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

/// Late flags computed at read time (§11), never stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintFlags {
    pub acknowledgement_overdue: bool,
    pub resolution_overdue: bool,
    /// The date by which it should be acknowledged (received + the acknowledgement window).
    pub acknowledge_by: String,
}

/// A transition the complaint could take now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintTransitionOption {
    pub to: ComplaintStatus,
    pub needs: Vec<String>,
    pub unmet_guards: Vec<String>,
}

/// A complaint as the UI shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintView {
    pub record: ComplaintRecord,
    pub owner_name: Option<String>,
    pub flags: ComplaintFlags,
    pub transitions: Vec<ComplaintTransitionOption>,
    /// Risks linked to this complaint (§1.7).
    pub linked_risks: Vec<crate::risk::model::LinkedRecord>,
}

/// One row of the complaint register.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub complainant_name: String,
    pub complainant_company: Option<String>,
    pub complaint_type: ComplaintType,
    pub priority: ComplaintPriority,
    pub status: ComplaintStatus,
    pub received_date: String,
    pub target_resolution_date: String,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub flags: ComplaintFlags,
    pub row_version: i64,
    pub archived_at: Option<String>,
}

/// Input of `complaints.create` and the `changes` of `complaints.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ComplaintInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub complainant_name: Option<String>,
    pub complainant_email: Option<String>,
    pub complainant_phone: Option<String>,
    pub complainant_company: Option<String>,
    pub complainant_address: Option<String>,
    pub complaint_type: Option<ComplaintType>,
    pub priority: Option<ComplaintPriority>,
    pub received_date: Option<String>,
    pub target_resolution_date: Option<String>,
    pub related_reference: Option<String>,
    pub related_product_service: Option<String>,
    pub owner_id: Option<String>,
    pub department: Option<String>,
    pub investigation_notes: Option<String>,
    pub root_cause: Option<String>,
    pub resolution_summary: Option<String>,
    pub customer_satisfied: Option<bool>,
    pub compensation_offered: Option<String>,
    pub source: Option<ComplaintSource>,
    pub original_email_subject: Option<String>,
    pub original_email_body: Option<String>,
    pub closure_notes: Option<String>,
    pub legacy_reference: Option<String>,
}

/// Input of `complaints.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateComplaintInput {
    pub id: String,
    pub row_version: i64,
    pub changes: ComplaintInput,
}

/// Input of `complaints.transition`: what the step needs (reason, resolution summary, closure notes, escalation).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintTransitionInput {
    pub id: String,
    pub row_version: i64,
    pub to: ComplaintStatus,
    #[ts(optional)]
    pub reason: Option<String>,
    #[ts(optional)]
    pub resolution_summary: Option<String>,
    #[ts(optional)]
    pub closure_notes: Option<String>,
    #[ts(optional)]
    pub escalated_to: Option<String>,
    #[ts(optional)]
    pub escalation_reason: Option<String>,
}

/// Input of `complaints.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ComplaintListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub status: Option<Vec<ComplaintStatus>>,
    pub complaint_type: Option<Vec<ComplaintType>>,
    pub priority: Option<Vec<ComplaintPriority>>,
    pub owner_id: Option<Vec<String>>,
    pub received_from: Option<String>,
    pub received_to: Option<String>,
    pub acknowledgement_overdue: Option<bool>,
    pub resolution_overdue: Option<bool>,
}
