//! What a version's rules make of a run's answers (§5): which questions are visible, the score, whether the run
//! passed, the progress, what still stops completion, and which answers raise findings. Pure functions, so every
//! rule is tested on hand-computed examples.

use super::content::decimal_of;
use super::model::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

/// One answer as the rules see it.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub value: Option<Value>,
    pub is_na: bool,
    pub note: Option<String>,
    /// Image files attached to the response.
    pub photos: i64,
    /// All files attached to the response.
    pub attachments: i64,
}

impl Answer {
    /// Answered with something (not N/A). Photo questions are answered by their images, signatures by a name and
    /// the signature image.
    pub fn is_answered(&self, q: &Question) -> bool {
        if self.is_na {
            return false;
        }
        match q.question_type {
            QuestionType::Photo => self.photos > 0,
            QuestionType::Signature => {
                self.photos > 0 && self.value.as_ref().is_some_and(|v| v.get("signerName").and_then(Value::as_str).is_some())
            }
            _ => self.value.as_ref().is_some_and(|v| !v.is_null()),
        }
    }
}

pub type Answers = HashMap<String, Answer>;

fn equals(q: &Question, answer: &Value, expected: &Value) -> bool {
    match (answer, q.question_type) {
        (Value::Array(items), _) => items.iter().any(|i| i == expected),
        (_, QuestionType::Number | QuestionType::Rating) => decimal_of(answer).is_some() && decimal_of(answer) == decimal_of(expected),
        _ => answer == expected,
    }
}

/// A rule holds only on an answer: every test but `is_not_answered` is false while the source question is
/// unanswered, N/A or hidden.
fn rule_holds(rule: &LogicRule, source: &Question, answer: Option<&Value>) -> bool {
    use LogicOperator::*;
    let Some(a) = answer else { return rule.operator == IsNotAnswered };
    let expected = rule.value.as_ref();
    let compare = |f: fn(Decimal, Decimal) -> bool| match (decimal_of(a), expected.and_then(decimal_of)) {
        (Some(x), Some(y)) => f(x, y),
        _ => false,
    };
    match rule.operator {
        IsAnswered => true,
        IsNotAnswered => false,
        Equals => expected.is_some_and(|e| equals(source, a, e)),
        NotEquals => expected.is_some_and(|e| !equals(source, a, e)),
        AnyOf => expected.and_then(Value::as_array).is_some_and(|list| list.iter().any(|e| equals(source, a, e))),
        GreaterThan => compare(|x, y| x > y),
        LessThan => compare(|x, y| x < y),
    }
}

/// Ids of the questions visible under the current answers. Rules only look back, so one pass in order suffices.
pub fn visible(content: &VersionContent, answers: &Answers) -> HashSet<String> {
    let mut shown: HashSet<String> = HashSet::new();
    let mut by_id: HashMap<&str, &Question> = HashMap::new();
    for (_, q) in content.questions() {
        let holds = |r: &LogicRule| match by_id.get(r.source_question_id.as_str()) {
            None => false,
            Some(source) => {
                // A hidden source counts as unanswered; a photo or signature answer has no value to compare.
                let answer = shown
                    .contains(&source.id)
                    .then(|| answers.get(&source.id))
                    .flatten()
                    .filter(|a| a.is_answered(source))
                    .map(|a| a.value.clone().unwrap_or(Value::Bool(true)));
                rule_holds(r, source, answer.as_ref())
            }
        };
        let combined = match q.rule_match {
            RuleMatch::All => q.rules.iter().all(holds),
            RuleMatch::Any => q.rules.iter().any(holds),
        };
        let is_visible = match q.visibility {
            Visibility::Always => true,
            Visibility::ShowIf => combined,
            Visibility::HideIf => !combined,
        };
        if is_visible {
            shown.insert(q.id.clone());
        }
        by_id.insert(q.id.as_str(), q);
    }
    shown
}

/// Points an answer earns before its weight, for a scored question.
fn points(q: &Question, value: &Value) -> Decimal {
    match q.question_type {
        QuestionType::ChoiceMulti => {
            let chosen: Decimal = value
                .as_array()
                .map(|items| q.options.iter().filter(|o| items.iter().any(|i| i.as_str() == Some(&o.value))).map(|o| o.score).sum())
                .unwrap_or_default();
            chosen.min(q.max_score)
        }
        QuestionType::Rating => decimal_of(value).unwrap_or_default(),
        _ => q.options.iter().find(|o| value.as_str() == Some(&o.value)).map(|o| o.score).unwrap_or_default(),
    }
}

/// The options an answer chose.
pub fn chosen<'q>(q: &'q Question, value: &Value) -> Vec<&'q QuestionOption> {
    q.options
        .iter()
        .filter(|o| match value {
            Value::Array(items) => items.iter().any(|i| i.as_str() == Some(&o.value)),
            v => v.as_str() == Some(&o.value),
        })
        .collect()
}

/// A response's score and max score (both × weight), for visible scored answered questions.
pub fn response_score(q: &Question, answer: &Answer) -> Option<(Decimal, Decimal)> {
    if !super::content::is_scored(q) || !answer.is_answered(q) {
        return None;
    }
    let value = answer.value.as_ref()?;
    Some((points(q, value) * q.weight, q.max_score * q.weight))
}

/// A run's score (§5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    #[ts(type = "number")]
    #[serde(with = "rust_decimal::serde::float")]
    pub score: Decimal,
    #[ts(type = "number")]
    #[serde(with = "rust_decimal::serde::float")]
    pub max_score: Decimal,
    #[ts(type = "number | null")]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub percentage: Option<Decimal>,
    pub passed: Option<bool>,
    /// Visible questions answered or N/A ÷ visible questions × 100 (two places).
    #[ts(type = "number")]
    #[serde(with = "rust_decimal::serde::float")]
    pub progress: Decimal,
    pub visible: i64,
    pub answered: i64,
}

/// Scores a run exactly; only the percentage is rounded (half-up, two places).
pub fn score(content: &VersionContent, answers: &Answers) -> Score {
    let shown = visible(content, answers);
    let (mut total, mut max) = (Decimal::ZERO, Decimal::ZERO);
    let mut failed = false;
    let (mut visible_count, mut done) = (0i64, 0i64);
    for (_, q) in content.questions() {
        if !shown.contains(&q.id) {
            continue;
        }
        visible_count += 1;
        let Some(a) = answers.get(&q.id) else { continue };
        if a.is_na || a.is_answered(q) {
            done += 1;
        }
        if a.is_answered(q) {
            if let Some(v) = &a.value {
                failed |= chosen(q, v).iter().any(|o| o.fails_run);
            }
        }
        if let Some((s, m)) = response_score(q, a) {
            total += s;
            max += m;
        }
    }
    let percentage = (max > Decimal::ZERO)
        .then(|| (total / max * Decimal::ONE_HUNDRED).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero));
    let settings = &content.settings;
    let passed = if failed {
        Some(false)
    } else {
        match (settings.scoring_method, settings.passing_score) {
            (ScoringMethod::Percentage, Some(mark)) => percentage.map(|p| p >= mark),
            (ScoringMethod::Points, Some(mark)) => Some(total >= mark),
            _ => None,
        }
    };
    let progress = if visible_count == 0 {
        Decimal::ONE_HUNDRED
    } else {
        (Decimal::from(done) * Decimal::ONE_HUNDRED / Decimal::from(visible_count))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    };
    Score {
        score: total.normalize(),
        max_score: max.normalize(),
        percentage: percentage.map(|p| p.normalize()),
        passed,
        progress,
        visible: visible_count,
        answered: done,
    }
}

/// Why an answer raises a finding (§5 automatic findings).
#[derive(Debug, Clone, PartialEq)]
pub struct FindingCause {
    pub severity: FindingSeverity,
    pub finding_type: FindingType,
    /// What was answered, for the finding's description.
    pub answer_text: String,
}

/// Every cause of a finding in one visible, non-N/A answer.
pub fn finding_causes(q: &Question, answer: &Answer) -> Vec<FindingCause> {
    let Some(value) = answer.value.as_ref().filter(|_| answer.is_answered(q)) else { return Vec::new() };
    let mut out: Vec<FindingCause> = chosen(q, value)
        .into_iter()
        .filter(|o| o.raises_finding)
        .map(|o| FindingCause { severity: o.finding_severity, finding_type: o.finding_type, answer_text: o.label.clone() })
        .collect();
    if let (Some(r), Some(n)) = (&q.rating, decimal_of(value)) {
        if r.finding_at_or_below.is_some_and(|limit| n <= Decimal::from(limit)) {
            out.push(FindingCause {
                severity: r.finding_severity,
                finding_type: FindingType::Nonconformity,
                answer_text: format!("Rated {n} of {}", r.scale_max),
            });
        }
    }
    if let (Some(spec), Some(n)) = (&q.number, decimal_of(value)) {
        let low = spec.acceptable_min.is_some_and(|m| n < m);
        let high = spec.acceptable_max.is_some_and(|m| n > m);
        if low || high {
            let unit = spec.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            let range = match (spec.acceptable_min, spec.acceptable_max) {
                (Some(a), Some(b)) => format!("{a} to {b}"),
                (Some(a), None) => format!("at least {a}"),
                (None, Some(b)) => format!("at most {b}"),
                _ => String::new(),
            };
            out.push(FindingCause {
                severity: spec.out_of_range_severity,
                finding_type: FindingType::Nonconformity,
                answer_text: format!("{n}{unit}, outside the acceptable range ({range}{unit})"),
            });
        }
    }
    out
}

/// Everything that stops completion, each naming its section and question (§5 completion check).
pub fn completion_problems(content: &VersionContent, answers: &Answers, has_location: bool) -> Vec<String> {
    let shown = visible(content, answers);
    let mut out = Vec::new();
    let none = Answer::default();
    for (s, q) in content.questions() {
        if !shown.contains(&q.id) {
            continue;
        }
        let a = answers.get(&q.id).unwrap_or(&none);
        let place = format!("{} › {}", s.title, q.text);
        if q.required && !a.is_na && !a.is_answered(q) {
            out.push(format!("{place}: answer it or mark it N/A."));
            continue;
        }
        if a.is_na {
            continue;
        }
        let raises = !finding_causes(q, a).is_empty();
        let needs_evidence = match q.evidence.on {
            EvidenceOn::Always => a.is_answered(q),
            EvidenceOn::OnFinding => raises,
            EvidenceOn::Never => false,
        };
        if needs_evidence && a.photos < q.evidence.min_photos {
            out.push(format!(
                "{place}: attach at least {} photo{}.",
                q.evidence.min_photos,
                if q.evidence.min_photos == 1 { "" } else { "s" }
            ));
        }
        if a.attachments > q.evidence.max_attachments {
            out.push(format!("{place}: at most {} attachments are allowed.", q.evidence.max_attachments));
        }
        if raises && q.evidence.note_on_finding && a.note.as_deref().is_none_or(str::is_empty) {
            out.push(format!("{place}: add a note explaining the finding."));
        }
    }
    if content.settings.require_gps && !has_location {
        out.push("The run's location (latitude and longitude) is required.".into());
    }
    out
}
