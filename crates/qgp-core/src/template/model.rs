//! Audit and inspection templates (domain.md §4): the template identity, its numbered versions, and a version's
//! content — sections, questions, options, show/hide logic and evidence rules — kept as one validated document.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// What kind of audit a template is for.
    pub enum AuditType { Inspection => "inspection", Audit => "audit", Assessment => "assessment", Checklist => "checklist", Survey => "survey" }
}

crate::choice_enum! {
    /// How often the template is meant to be used.
    pub enum Frequency {
        Daily => "daily", Weekly => "weekly", Monthly => "monthly", Quarterly => "quarterly", Biannually => "biannually",
        Annually => "annually", AdHoc => "ad_hoc",
    }
}

crate::choice_enum! {
    /// A template version's status.
    pub enum TemplateVersionStatus { Draft => "draft", Published => "published", Superseded => "superseded" }
}

crate::choice_enum! {
    /// How a run is scored.
    pub enum ScoringMethod { Percentage => "percentage", Points => "points", None => "none" }
}

crate::choice_enum! {
    /// The kind of answer a question takes.
    pub enum QuestionType {
        YesNo => "yes_no", PassFail => "pass_fail", Rating => "rating", Number => "number", Text => "text",
        ChoiceSingle => "choice_single", ChoiceMulti => "choice_multi", Date => "date", Photo => "photo", Signature => "signature",
    }
}

crate::choice_enum! {
    /// Severity of a finding (§6).
    pub enum FindingSeverity { Critical => "critical", High => "high", Medium => "medium", Low => "low", Observation => "observation" }
}

crate::choice_enum! {
    /// Kind of finding (§6).
    pub enum FindingType { Nonconformity => "nonconformity", Observation => "observation", Opportunity => "opportunity", Positive => "positive" }
}

crate::choice_enum! {
    /// Whether a question is always shown or depends on earlier answers.
    pub enum Visibility { Always => "always", ShowIf => "show_if", HideIf => "hide_if" }
}

crate::choice_enum! {
    /// How a question's rules combine.
    pub enum RuleMatch { All => "all", Any => "any" }
}

crate::choice_enum! {
    /// A logic rule's test of an earlier answer.
    pub enum LogicOperator {
        Equals => "equals", NotEquals => "not_equals", AnyOf => "any_of", GreaterThan => "greater_than", LessThan => "less_than",
        IsAnswered => "is_answered", IsNotAnswered => "is_not_answered",
    }
}

crate::choice_enum! {
    /// When evidence is required for an answer.
    pub enum EvidenceOn { Never => "never", Always => "always", OnFinding => "on_finding" }
}

/// An option of a yes/no, pass/fail or choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuestionOption {
    pub value: String,
    pub label: String,
    #[ts(type = "number")]
    #[serde(with = "rust_decimal::serde::float")]
    pub score: Decimal,
    pub raises_finding: bool,
    pub finding_severity: FindingSeverity,
    pub finding_type: FindingType,
    pub fails_run: bool,
}

/// Limits of a number question; an answer outside the acceptable range raises a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NumberSpec {
    #[ts(type = "number | null")]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub min: Option<Decimal>,
    #[ts(type = "number | null")]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub max: Option<Decimal>,
    pub decimals: i64,
    pub unit: Option<String>,
    #[ts(type = "number | null")]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub acceptable_min: Option<Decimal>,
    #[ts(type = "number | null")]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub acceptable_max: Option<Decimal>,
    pub out_of_range_severity: FindingSeverity,
}

/// A rating question's scale (1..scale_max) and the rating at or below which a finding is raised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RatingSpec {
    pub scale_max: i64,
    pub finding_at_or_below: Option<i64>,
    pub finding_severity: FindingSeverity,
}

/// One rule of a question's visibility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogicRule {
    pub source_question_id: String,
    pub operator: LogicOperator,
    /// An option value or a number; a list for `any_of`; absent for the answered tests.
    #[ts(type = "string | number | string[] | null")]
    pub value: Option<serde_json::Value>,
}

/// What evidence an answer needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceRule {
    pub on: EvidenceOn,
    pub min_photos: i64,
    pub max_attachments: i64,
    pub note_on_finding: bool,
}

/// A question with its type-specific settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    pub id: String,
    pub text: String,
    pub help_text: Option<String>,
    pub question_type: QuestionType,
    pub required: bool,
    pub allow_na: bool,
    #[ts(type = "number")]
    #[serde(with = "rust_decimal::serde::float")]
    pub weight: Decimal,
    /// Computed (§5): highest option score, sum for multiple choice, the scale for a rating; 0 when unscored.
    #[ts(type = "number")]
    #[serde(with = "rust_decimal::serde::float")]
    pub max_score: Decimal,
    pub options: Vec<QuestionOption>,
    pub number: Option<NumberSpec>,
    pub rating: Option<RatingSpec>,
    pub text_max_length: i64,
    pub multiline: bool,
    pub allow_future: bool,
    pub visibility: Visibility,
    pub rule_match: RuleMatch,
    pub rules: Vec<LogicRule>,
    pub evidence: EvidenceRule,
    pub clause_ids: Vec<String>,
    pub control_ids: Vec<String>,
}

/// A section groups questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub questions: Vec<Question>,
}

/// A version's scoring and behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VersionSettings {
    pub scoring_method: ScoringMethod,
    #[ts(type = "number | null")]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub passing_score: Option<Decimal>,
    pub require_review: bool,
    pub require_gps: bool,
    pub auto_create_findings: bool,
}

/// The whole content of a version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VersionContent {
    pub settings: VersionSettings,
    pub sections: Vec<Section>,
}

impl VersionContent {
    /// Every question in order (section order, then question order).
    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections.iter().flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }
}

/// A stored template.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateRecord {
    pub id: String,
    pub reference: String,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub audit_type: AuditType,
    pub frequency: Frequency,
    pub legacy_reference: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    pub row_version: i64,
    pub archived_at: Option<String>,
    pub archived_by: Option<String>,
    pub archive_reason: Option<String>,
}

/// A version as listed and as shown.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateVersionView {
    pub id: String,
    pub template_id: String,
    pub version_number: i64,
    pub status: TemplateVersionStatus,
    pub content: VersionContent,
    pub published_at: Option<String>,
    pub published_by: Option<String>,
    pub question_count: i64,
    pub row_version: i64,
}

/// A template with its versions (newest first) and what stops its draft from being published.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    pub record: TemplateRecord,
    pub versions: Vec<TemplateVersionView>,
    pub draft_version_id: Option<String>,
    pub published_version_id: Option<String>,
    /// Why the draft cannot be published yet (empty when it can).
    pub publish_problems: Vec<String>,
    pub standard_ids: Vec<String>,
}

/// One row of the template list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateSummary {
    pub id: String,
    pub reference: String,
    pub name: String,
    pub category: Option<String>,
    pub audit_type: AuditType,
    pub published_version: Option<i64>,
    pub has_draft: bool,
    pub question_count: i64,
    pub row_version: i64,
    pub archived_at: Option<String>,
}
