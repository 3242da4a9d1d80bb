//! Reading a version's content (§4) from the builder: every field checked, every problem named by its path
//! (`sections[0].questions[2].options[1].value`), defaults filled in, ids given to new sections and questions, and
//! each question's max score computed.

use super::model::*;
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{Choice, Input};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

const SETTINGS_KEYS: &[&str] = &["scoringMethod", "passingScore", "requireReview", "requireGps", "autoCreateFindings"];
const SECTION_KEYS: &[&str] = &["id", "title", "description", "questions"];
const QUESTION_KEYS: &[&str] = &[
    "id",
    "text",
    "helpText",
    "questionType",
    "required",
    "allowNa",
    "weight",
    "maxScore",
    "options",
    "number",
    "rating",
    "textMaxLength",
    "multiline",
    "allowFuture",
    "visibility",
    "ruleMatch",
    "rules",
    "evidence",
    "clauseIds",
    "controlIds",
];
const OPTION_KEYS: &[&str] = &["value", "label", "score", "raisesFinding", "findingSeverity", "findingType", "failsRun"];
const NUMBER_KEYS: &[&str] = &["min", "max", "decimals", "unit", "acceptableMin", "acceptableMax", "outOfRangeSeverity"];
const RATING_KEYS: &[&str] = &["scaleMax", "findingAtOrBelow", "findingSeverity"];
const RULE_KEYS: &[&str] = &["sourceQuestionId", "operator", "value"];
const EVIDENCE_KEYS: &[&str] = &["on", "minPhotos", "maxAttachments", "noteOnFinding"];

/// A decimal number from JSON, exactly as written (0.1 stays 0.1).
pub fn decimal_of(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok().or_else(|| Decimal::from_scientific(&n.to_string()).ok()),
        _ => None,
    }
}

fn decimal(v: &mut Input, key: &str, label: &str, min: Decimal, max: Option<Decimal>) -> Option<Decimal> {
    let raw = v.raw(key)?;
    if raw.is_null() {
        return None;
    }
    let Some(d) = decimal_of(raw) else {
        v.error(key, FieldCode::InvalidFormat, format!("{label} must be a number"));
        return None;
    };
    if d < min {
        v.error(key, FieldCode::BeforeMinimum, format!("{label} must be at least {min}"));
        return None;
    }
    if let Some(max) = max.filter(|m| d > *m) {
        v.error(key, FieldCode::AfterMaximum, format!("{label} must be at most {max}"));
        return None;
    }
    Some(d.normalize())
}

fn object<'a>(v: &mut Input<'a>, key: &str, label: &str) -> Option<&'a Map<String, Value>> {
    match v.raw(key) {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m),
        Some(_) => {
            v.error(key, FieldCode::InvalidFormat, format!("{label} must be an object"));
            None
        }
    }
}

fn id_or_new(v: &mut Input, key: &str, label: &str) -> String {
    v.id(key, label, false).unwrap_or_else(crate::ids::new_id)
}

fn is_slug(s: &str) -> bool {
    !s.is_empty() && s.len() <= 100 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The two fixed options of a yes/no or pass/fail question.
pub fn fixed_options(t: QuestionType) -> Option<[(&'static str, &'static str, i64); 2]> {
    match t {
        QuestionType::YesNo => Some([("yes", "Yes", 1), ("no", "No", 0)]),
        QuestionType::PassFail => Some([("pass", "Pass", 1), ("fail", "Fail", 0)]),
        _ => None,
    }
}

fn read_option(v: &mut Input, map: &Map<String, Value>, prefix: String) -> Option<QuestionOption> {
    let mut o = Input::nested(map, OPTION_KEYS, prefix);
    let value = o.text("value", "Value", 1, 100, true);
    if let Some(val) = value.as_deref().filter(|s| !is_slug(s)) {
        o.error("value", FieldCode::InvalidFormat, format!("'{val}' must be lower-case letters, digits, - or _"));
    }
    let label = o.text("label", "Label", 1, 200, true);
    let score = decimal(&mut o, "score", "Score", Decimal::ZERO, None).unwrap_or(Decimal::ZERO);
    let raises_finding = o.boolean("raisesFinding", "Raises a finding", false);
    let finding_type = o.choice("findingType", "Finding type", Some(FindingType::Nonconformity)).unwrap_or(FindingType::Nonconformity);
    let default_severity = if finding_type == FindingType::Nonconformity { FindingSeverity::Medium } else { FindingSeverity::Observation };
    let finding_severity = o.choice("findingSeverity", "Finding severity", Some(default_severity)).unwrap_or(default_severity);
    if finding_severity == FindingSeverity::Observation && finding_type == FindingType::Nonconformity {
        o.error("findingSeverity", FieldCode::Inconsistent, "A nonconformity cannot have the severity 'observation'");
    }
    let fails_run = o.boolean("failsRun", "Fails the run", false);
    let ok = o.errors().is_empty();
    v.absorb(o);
    ok.then(|| QuestionOption {
        value: value.unwrap_or_default(),
        label: label.unwrap_or_default(),
        score,
        raises_finding,
        finding_severity,
        finding_type,
        fails_run,
    })
}

/// The highest score a question can give (§5), before its weight.
pub fn max_score(q: &Question) -> Decimal {
    match q.question_type {
        QuestionType::YesNo | QuestionType::PassFail | QuestionType::ChoiceSingle => {
            q.options.iter().map(|o| o.score).max().unwrap_or(Decimal::ZERO)
        }
        QuestionType::ChoiceMulti => q.options.iter().map(|o| o.score).sum(),
        QuestionType::Rating => Decimal::from(q.rating.as_ref().map_or(0, |r| r.scale_max)),
        _ => Decimal::ZERO,
    }
}

/// Whether a question counts towards the score.
pub fn is_scored(q: &Question) -> bool {
    matches!(
        q.question_type,
        QuestionType::YesNo | QuestionType::PassFail | QuestionType::Rating | QuestionType::ChoiceSingle | QuestionType::ChoiceMulti
    ) && q.weight > Decimal::ZERO
        && q.max_score > Decimal::ZERO
}

/// Checks a rule's operator and value against its source question.
fn check_rule(r: &mut Input, source: &Question, operator: LogicOperator, value: Option<&Value>) {
    use LogicOperator::*;
    let option_values: Vec<&str> = source.options.iter().map(|o| o.value.as_str()).collect();
    let numeric = matches!(source.question_type, QuestionType::Number | QuestionType::Rating);
    let check_one = |r: &mut Input, key: &str, val: &Value| {
        if !option_values.is_empty() {
            match val.as_str() {
                Some(s) if option_values.contains(&s) => {}
                _ => r.error(
                    key,
                    FieldCode::InvalidChoice,
                    format!("Must be one of the source question's options: {}", option_values.join(", ")),
                ),
            }
        } else if numeric {
            if decimal_of(val).is_none() {
                r.error(key, FieldCode::InvalidFormat, "Must be a number");
            }
        } else if !val.is_string() {
            r.error(key, FieldCode::InvalidFormat, "Must be text");
        }
    };
    match operator {
        IsAnswered | IsNotAnswered => {
            if value.is_some_and(|v| !v.is_null()) {
                r.error("value", FieldCode::Inconsistent, "This test takes no value");
            }
        }
        GreaterThan | LessThan => {
            if !numeric {
                r.error("operator", FieldCode::Inconsistent, "Greater than and less than compare number or rating answers");
            } else if value.and_then(decimal_of).is_none() {
                r.error("value", FieldCode::Required, "Give the number to compare with");
            }
        }
        AnyOf => match value {
            Some(Value::Array(items)) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    check_one(r, &format!("value[{i}]"), item);
                }
            }
            _ => r.error("value", FieldCode::Required, "Give the list of values"),
        },
        Equals | NotEquals => match value {
            Some(val) if !val.is_null() => check_one(r, "value", val),
            _ => r.error("value", FieldCode::Required, "Give the value to compare with"),
        },
    }
}

struct Catalogue {
    clauses: HashSet<String>,
    controls: HashSet<String>,
}

fn catalogue(conn: &Connection) -> Result<Catalogue> {
    let ids = |sql: &str| -> Result<HashSet<String>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    Ok(Catalogue { clauses: ids("SELECT id FROM clauses")?, controls: ids("SELECT id FROM controls")? })
}

fn id_list(v: &mut Input, key: &str, label: &str, known: &HashSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    match v.raw(key) {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(id) if known.contains(id) => {
                        if !out.iter().any(|x| x == id) {
                            out.push(id.to_owned())
                        }
                    }
                    _ => v.error(&format!("{key}[{i}]"), FieldCode::NotFound, format!("No such {label}")),
                }
            }
        }
        Some(_) => v.error(key, FieldCode::InvalidFormat, format!("{label}s are a list of ids")),
    }
    out
}

#[allow(clippy::too_many_lines)]
fn read_question(
    v: &mut Input,
    map: &Map<String, Value>,
    prefix: String,
    earlier: &HashMap<String, Question>,
    cat: &Catalogue,
) -> Option<Question> {
    let mut q = Input::nested(map, QUESTION_KEYS, prefix.clone());
    let id = id_or_new(&mut q, "id", "Question id");
    let text = q.text("text", "Question", 1, 1000, true);
    let help_text = q.text("helpText", "Help text", 0, 500, false);
    let question_type = q.required_choice::<QuestionType>("questionType", "Question type");
    let required = q.boolean("required", "Required", true);
    let allow_na = q.boolean("allowNa", "N/A allowed", false);
    let weight = decimal(&mut q, "weight", "Weight", Decimal::ZERO, Some(Decimal::from(100))).unwrap_or(Decimal::ONE);
    let mut options = Vec::new();
    let items = q.objects("options", "Options", 50);
    for (i, m) in &items {
        if let Some(o) = read_option(&mut q, m, format!("{prefix}.options[{i}]")) {
            options.push(o);
        }
    }
    let mut seen = HashSet::new();
    for (i, o) in options.iter().enumerate() {
        if !seen.insert(o.value.clone()) {
            q.error(&format!("options[{i}].value"), FieldCode::Duplicate, format!("The value '{}' is used twice", o.value));
        }
    }
    let mut number = None;
    let mut rating = None;
    match question_type {
        Some(t @ (QuestionType::YesNo | QuestionType::PassFail)) => {
            let fixed = fixed_options(t).unwrap_or_default();
            if items.is_empty() {
                // The two fixed options with their default scores.
                options = fixed
                    .iter()
                    .map(|(value, label, score)| QuestionOption {
                        value: (*value).into(),
                        label: (*label).into(),
                        score: Decimal::from(*score),
                        raises_finding: false,
                        finding_severity: FindingSeverity::Medium,
                        finding_type: FindingType::Nonconformity,
                        fails_run: false,
                    })
                    .collect();
            } else {
                let mut values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
                values.sort_unstable();
                let mut want: Vec<&str> = fixed.iter().map(|f| f.0).collect();
                want.sort_unstable();
                if values != want && items.len() == options.len() {
                    q.error("options", FieldCode::Inconsistent, format!("This question's options are {} and {}", fixed[0].0, fixed[1].0));
                }
            }
        }
        Some(QuestionType::ChoiceSingle | QuestionType::ChoiceMulti) if items.len() < 2 => {
            q.error("options", FieldCode::Required, "A choice question needs 2 to 50 options");
        }
        Some(QuestionType::ChoiceSingle | QuestionType::ChoiceMulti) | None => {}
        Some(t) if !items.is_empty() => {
            q.error("options", FieldCode::Inconsistent, format!("A {} question has no options", t.as_str().replace('_', " ")));
        }
        Some(_) => {}
    }
    if question_type == Some(QuestionType::Number) {
        let spec = object(&mut q, "number", "Number settings");
        let empty = Map::new();
        let mut n = Input::nested(spec.unwrap_or(&empty), NUMBER_KEYS, format!("{prefix}.number"));
        let big = Decimal::from(1_000_000_000_000i64);
        let min = decimal(&mut n, "min", "Minimum", -big, Some(big));
        let max = decimal(&mut n, "max", "Maximum", -big, Some(big));
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                n.error("max", FieldCode::BeforeMinimum, "The maximum cannot be below the minimum");
            }
        }
        let decimals = n.integer("decimals", "Decimal places", 0, 6, false).unwrap_or(0);
        let unit = n.text("unit", "Unit", 0, 20, false);
        let acceptable_min = decimal(&mut n, "acceptableMin", "Acceptable minimum", -big, Some(big));
        let acceptable_max = decimal(&mut n, "acceptableMax", "Acceptable maximum", -big, Some(big));
        if let (Some(a), Some(b)) = (acceptable_min, acceptable_max) {
            if a > b {
                n.error("acceptableMax", FieldCode::BeforeMinimum, "The acceptable maximum cannot be below the acceptable minimum");
            }
        }
        let out_of_range_severity =
            n.choice("outOfRangeSeverity", "Severity when out of range", Some(FindingSeverity::Medium)).unwrap_or(FindingSeverity::Medium);
        q.absorb(n);
        number = Some(NumberSpec { min, max, decimals, unit, acceptable_min, acceptable_max, out_of_range_severity });
    } else if object(&mut q, "number", "Number settings").is_some() {
        q.error("number", FieldCode::Inconsistent, "Number settings belong to number questions");
    }
    if question_type == Some(QuestionType::Rating) {
        let spec = object(&mut q, "rating", "Rating settings");
        let empty = Map::new();
        let mut r = Input::nested(spec.unwrap_or(&empty), RATING_KEYS, format!("{prefix}.rating"));
        let scale_max = r.integer("scaleMax", "Highest rating", 2, 10, false).unwrap_or(5);
        let finding_at_or_below = r.integer("findingAtOrBelow", "Finding at or below", 1, scale_max, false);
        let finding_severity =
            r.choice("findingSeverity", "Finding severity", Some(FindingSeverity::Medium)).unwrap_or(FindingSeverity::Medium);
        q.absorb(r);
        rating = Some(RatingSpec { scale_max, finding_at_or_below, finding_severity });
    } else if object(&mut q, "rating", "Rating settings").is_some() {
        q.error("rating", FieldCode::Inconsistent, "Rating settings belong to rating questions");
    }
    let text_max_length = q.integer("textMaxLength", "Longest answer", 1, 5000, false).unwrap_or(2000);
    let multiline = q.boolean("multiline", "Several lines", false);
    let allow_future = q.boolean("allowFuture", "Future dates allowed", true);
    let visibility = q.choice("visibility", "Visibility", Some(Visibility::Always)).unwrap_or(Visibility::Always);
    let rule_match = q.choice("ruleMatch", "Match", Some(RuleMatch::All)).unwrap_or(RuleMatch::All);
    let mut rules = Vec::new();
    for (i, m) in q.objects("rules", "Rules", 20) {
        let mut r = Input::nested(m, RULE_KEYS, format!("{prefix}.rules[{i}]"));
        let source_id = r.id("sourceQuestionId", "Source question", true);
        let operator = r.required_choice::<LogicOperator>("operator", "Operator");
        let value = r.raw("value").cloned();
        match (source_id.as_deref().map(|s| earlier.get(s)), operator) {
            (Some(None), _) => {
                r.error("sourceQuestionId", FieldCode::Inconsistent, "A rule can only depend on a question that comes earlier (no loops)")
            }
            (Some(Some(source)), Some(op)) => check_rule(&mut r, source, op, value.as_ref()),
            _ => {}
        }
        let ok = r.errors().is_empty();
        q.absorb(r);
        if let (true, Some(source_question_id), Some(operator)) = (ok, source_id, operator) {
            rules.push(LogicRule { source_question_id, operator, value: value.filter(|v| !v.is_null()) });
        }
    }
    if visibility != Visibility::Always && rules.is_empty() && !q.errors().iter().any(|e| e.field.contains(".rules[")) {
        q.error("rules", FieldCode::Required, "Add the rule that shows or hides this question");
    }
    let spec = object(&mut q, "evidence", "Evidence rule");
    let empty = Map::new();
    let mut e = Input::nested(spec.unwrap_or(&empty), EVIDENCE_KEYS, format!("{prefix}.evidence"));
    let on = e.choice("on", "Evidence needed", Some(EvidenceOn::Never)).unwrap_or(EvidenceOn::Never);
    let min_photos = e.integer("minPhotos", "Photos needed", 0, 20, false).unwrap_or(0);
    let max_attachments = e.integer("maxAttachments", "Most attachments", 0, 20, false).unwrap_or(10);
    if max_attachments < min_photos {
        e.error("maxAttachments", FieldCode::BeforeMinimum, "Allow at least as many attachments as photos needed");
    }
    let note_on_finding = e.boolean("noteOnFinding", "Note on finding", false);
    q.absorb(e);
    let clause_ids = id_list(&mut q, "clauseIds", "clause", &cat.clauses);
    let control_ids = id_list(&mut q, "controlIds", "control", &cat.controls);
    let ok = q.errors().is_empty();
    v.absorb(q);
    let question_type = question_type?;
    if !ok {
        return None;
    }
    let mut question = Question {
        id,
        text: text.unwrap_or_default(),
        help_text,
        question_type,
        required,
        allow_na,
        weight,
        max_score: Decimal::ZERO,
        options,
        number,
        rating,
        text_max_length,
        multiline,
        allow_future,
        visibility,
        rule_match,
        rules,
        evidence: EvidenceRule { on, min_photos, max_attachments, note_on_finding },
        clause_ids,
        control_ids,
    };
    question.max_score = max_score(&question);
    Some(question)
}

/// Reads a whole version content; `validation_failed` names every bad field by its path.
pub fn read(conn: &Connection, input: &Map<String, Value>) -> Result<VersionContent> {
    let cat = catalogue(conn)?;
    let mut v = Input::new(input, &["settings", "sections"]);
    let empty = Map::new();
    let settings_map = object(&mut v, "settings", "Settings").unwrap_or(&empty);
    let mut s = Input::nested(settings_map, SETTINGS_KEYS, "settings".into());
    let scoring_method = s.choice("scoringMethod", "Scoring", Some(ScoringMethod::Percentage)).unwrap_or(ScoringMethod::Percentage);
    let passing_score = match scoring_method {
        ScoringMethod::Percentage => decimal(&mut s, "passingScore", "Pass mark (%)", Decimal::ZERO, Some(Decimal::from(100))),
        ScoringMethod::Points => decimal(&mut s, "passingScore", "Pass mark (points)", Decimal::ZERO, None),
        ScoringMethod::None => {
            if s.raw("passingScore").is_some_and(|x| !x.is_null()) {
                s.error("passingScore", FieldCode::Inconsistent, "A template that is not scored has no pass mark");
            }
            None
        }
    };
    let settings = VersionSettings {
        scoring_method,
        passing_score,
        require_review: s.boolean("requireReview", "Review required", false),
        require_gps: s.boolean("requireGps", "Location required", false),
        auto_create_findings: s.boolean("autoCreateFindings", "Raise findings automatically", true),
    };
    v.absorb(s);
    let mut sections = Vec::new();
    let mut earlier: HashMap<String, Question> = HashMap::new();
    let mut ids: HashSet<String> = HashSet::new();
    for (si, smap) in v.objects("sections", "Sections", 100) {
        let prefix = format!("sections[{si}]");
        let mut sv = Input::nested(smap, SECTION_KEYS, prefix.clone());
        let id = id_or_new(&mut sv, "id", "Section id");
        if !ids.insert(id.clone()) {
            sv.error("id", FieldCode::Duplicate, "This id is used twice");
        }
        let title = sv.text("title", "Section title", 1, 200, true);
        let description = sv.long_text("description", "Section description", 0, 1000, false);
        let mut questions = Vec::new();
        for (qi, qmap) in sv.objects("questions", "Questions", 500) {
            let qprefix = format!("{prefix}.questions[{qi}]");
            if let Some(q) = read_question(&mut sv, qmap, qprefix.clone(), &earlier, &cat) {
                if !ids.insert(q.id.clone()) {
                    sv.error(&format!("questions[{qi}].id"), FieldCode::Duplicate, "This id is used twice");
                }
                earlier.insert(q.id.clone(), q.clone());
                questions.push(q);
            }
        }
        v.absorb(sv);
        sections.push(Section { id, title: title.unwrap_or_default(), description, questions });
    }
    v.finish()?;
    Ok(VersionContent { settings, sections })
}

/// What stops a valid draft from being published (§4: at least one question).
pub fn publish_problems(content: &VersionContent) -> Vec<String> {
    let mut out = Vec::new();
    if content.questions().next().is_none() {
        out.push("Add at least one question.".into());
    }
    if let Some(s) = content.sections.iter().find(|s| s.questions.is_empty()) {
        out.push(format!("The section “{}” has no questions.", s.title));
    }
    out
}

/// An empty draft's content.
pub fn empty() -> VersionContent {
    VersionContent {
        settings: VersionSettings {
            scoring_method: ScoringMethod::Percentage,
            passing_score: None,
            require_review: false,
            require_gps: false,
            auto_create_findings: true,
        },
        sections: Vec::new(),
    }
}

/// The same content with fresh section and question ids (rules follow their sources), for a clone.
pub fn with_new_ids(content: &VersionContent) -> VersionContent {
    let mut map: HashMap<String, String> = HashMap::new();
    let mut out = content.clone();
    for s in &mut out.sections {
        s.id = crate::ids::new_id();
        for q in &mut s.questions {
            let new = crate::ids::new_id();
            map.insert(q.id.clone(), new.clone());
            q.id = new;
        }
    }
    for s in &mut out.sections {
        for q in &mut s.questions {
            for r in &mut q.rules {
                if let Some(n) = map.get(&r.source_question_id) {
                    r.source_question_id = n.clone();
                }
            }
        }
    }
    out
}

/// Reads stored content (written by this module, so trusted).
pub fn from_stored(text: &str) -> Result<VersionContent> {
    serde_json::from_str(text).map_err(|e| CoreError::Internal(format!("stored template content unreadable: {e}")))
}

/// Content as JSON for the audit trail summary.
pub fn summary(content: &VersionContent) -> Value {
    json!({"sections": content.sections.len(), "questions": content.questions().count(), "scoring": content.settings.scoring_method})
}
