//! §5 on hand-computed examples: visibility under every logic operator, exact scoring with weights, N/A and hidden
//! questions, fails-run options, pass marks, progress, the completion check and the causes of automatic findings.

mod common;

use qgp_core::template::content;
use qgp_core::template::logic::{self, Answer, Answers};
use qgp_core::template::model::{FindingSeverity, VersionContent};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn build(v: Value) -> VersionContent {
    let h = common::h();
    content::read(&h.core.conn, v.as_object().unwrap()).unwrap_or_else(|e| panic!("{e:?}"))
}

fn ans(pairs: &[(&str, Value)]) -> Answers {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), Answer { value: Some(v.clone()), ..Answer::default() })).collect()
}

const Q1: &str = "0190a0b0-0000-7000-8000-000000000001";
const Q2: &str = "0190a0b0-0000-7000-8000-000000000002";
const Q3: &str = "0190a0b0-0000-7000-8000-000000000003";
const Q4: &str = "0190a0b0-0000-7000-8000-000000000004";
const Q5: &str = "0190a0b0-0000-7000-8000-000000000005";
const Q6: &str = "0190a0b0-0000-7000-8000-000000000006";

/// yes/no weight 2 (yes 1, no 0) · single choice weight 1.5 (0, 1, 3) · multiple choice (1, 2, 2; max 5) ·
/// rating 1–5 · a number (unscored) · text shown only when Q1 is "no".
fn sample(passing: Option<f64>) -> VersionContent {
    build(json!({
        "settings": {"scoringMethod": "percentage", "passingScore": passing},
        "sections": [{"title": "S", "questions": [
            {"id": Q1, "text": "Guard fitted?", "questionType": "yes_no", "weight": 2},
            {"id": Q2, "text": "Condition", "questionType": "choice_single", "weight": 1.5, "allowNa": true, "options": [
                {"value": "poor", "label": "Poor", "score": 0, "raisesFinding": true, "findingSeverity": "high"},
                {"value": "fair", "label": "Fair", "score": 1},
                {"value": "good", "label": "Good", "score": 3}]},
            {"id": Q3, "text": "Controls seen", "questionType": "choice_multi", "options": [
                {"value": "a", "label": "A", "score": 1}, {"value": "b", "label": "B", "score": 2}, {"value": "c", "label": "C", "score": 2, "failsRun": true}]},
            {"id": Q4, "text": "Tidiness", "questionType": "rating", "rating": {"scaleMax": 5, "findingAtOrBelow": 2}},
            {"id": Q5, "text": "Pressure", "questionType": "number", "number": {"decimals": 1, "unit": "bar", "acceptableMin": 12, "acceptableMax": 16}},
            {"id": Q6, "text": "Why not?", "questionType": "text", "visibility": "show_if",
             "rules": [{"sourceQuestionId": Q1, "operator": "equals", "value": "no"}]}
        ]}]
    }))
}

#[test]
fn max_scores_are_computed_per_type() {
    let c = sample(None);
    let max: Vec<Decimal> = c.questions().map(|(_, q)| q.max_score).collect();
    assert_eq!(max, [d("1"), d("3"), d("5"), d("5"), d("0"), d("0")]);
}

#[test]
fn a_run_scores_exactly_with_weights_na_and_hidden_questions() {
    let c = sample(Some(80.0));
    // Q1 yes: 1×2 of 1×2 · Q2 fair: 1×1.5 of 3×1.5 · Q3 a+b: 3 of 5 · Q4 4 of 5 → 2+1.5+3+4 = 10.5 of 2+4.5+5+5 = 16.5
    let a = ans(&[(Q1, json!("yes")), (Q2, json!("fair")), (Q3, json!(["a", "b"])), (Q4, json!(4)), (Q5, json!(14))]);
    let s = logic::score(&c, &a);
    assert_eq!((s.score, s.max_score), (d("10.5"), d("16.5")));
    assert_eq!(s.percentage, Some(d("63.64")), "10.5 / 16.5 = 63.6363… → 63.64");
    assert_eq!(s.passed, Some(false));
    assert_eq!((s.visible, s.answered), (5, 5), "Q6 is hidden while Q1 is yes");
    assert_eq!(s.progress, d("100"));
    // N/A leaves a question out of both sums: 2 + 3 + 4 = 9 of 12 = 75 %.
    let mut a2 = a.clone();
    a2.insert(Q2.into(), Answer { is_na: true, ..Answer::default() });
    let s = logic::score(&c, &a2);
    assert_eq!((s.score, s.max_score, s.percentage), (d("9"), d("12"), Some(d("75"))));
    // A hidden question's answer is kept but ignored; here Q1 "no" shows Q6 (unanswered) and lowers progress.
    let mut a3 = a.clone();
    a3.insert(Q1.into(), Answer { value: Some(json!("no")), ..Answer::default() });
    let s = logic::score(&c, &a3);
    assert_eq!((s.score, s.max_score), (d("8.5"), d("16.5")));
    assert_eq!((s.visible, s.answered, s.progress), (6, 5, d("83.33")));
    // Multiple choice is capped at its max; choosing a fails-run option fails the run whatever the score.
    let a4 = ans(&[(Q1, json!("yes")), (Q2, json!("good")), (Q3, json!(["a", "b", "c"])), (Q4, json!(5))]);
    let s = logic::score(&c, &a4);
    assert_eq!((s.score, s.max_score, s.percentage), (d("16.5"), d("16.5"), Some(d("100"))));
    assert_eq!(s.passed, Some(false), "fails_run wins");
    let a5 = ans(&[(Q1, json!("yes")), (Q2, json!("good")), (Q3, json!(["a", "b"])), (Q4, json!(5))]);
    assert_eq!(logic::score(&c, &a5).passed, Some(true), "15.5 / 16.5 = 93.94 % ≥ 80");
    // No pass mark: passed is unknown; nothing scored: no percentage.
    assert_eq!(logic::score(&sample(None), &a5).passed, None);
    assert_eq!(logic::score(&c, &Answers::new()).percentage, None);
}

#[test]
fn the_percentage_rounds_half_up_at_an_exact_midpoint() {
    // 1 of 32 is exactly 3.125 %: half-up gives 3.13 where banker's rounding (half-even) would give 3.12; 5 of 32 is
    // 15.625 % → 15.63 (half-even 15.62). The score itself stays exact.
    let c = build(json!({"settings": {"scoringMethod": "percentage"},
        "sections": [{"title": "S", "questions": [{"id": Q1, "text": "Grade", "questionType": "choice_single", "options": [
            {"value": "one", "label": "One", "score": 1}, {"value": "five", "label": "Five", "score": 5},
            {"value": "all", "label": "All", "score": 32}]}]}]}));
    let s = logic::score(&c, &ans(&[(Q1, json!("one"))]));
    assert_eq!((s.score, s.max_score, s.percentage), (d("1"), d("32"), Some(d("3.13"))));
    assert_eq!(logic::score(&c, &ans(&[(Q1, json!("five"))])).percentage, Some(d("15.63")));
}

#[test]
fn points_and_unscored_methods() {
    let q = |method: &str, mark: Value| {
        build(json!({"settings": {"scoringMethod": method, "passingScore": mark},
            "sections": [{"title": "S", "questions": [{"id": Q1, "text": "Ok?", "questionType": "pass_fail", "weight": 3,
              "options": [{"value": "pass", "label": "Pass", "score": 1}, {"value": "fail", "label": "Fail", "score": 0, "failsRun": true}]}]}]}))
    };
    let pass = ans(&[(Q1, json!("pass"))]);
    assert_eq!(logic::score(&q("points", json!(3)), &pass).passed, Some(true), "3 points ≥ 3");
    assert_eq!(logic::score(&q("points", json!(4)), &pass).passed, Some(false));
    assert_eq!(logic::score(&q("none", Value::Null), &pass).passed, None);
    assert_eq!(logic::score(&q("none", Value::Null), &ans(&[(Q1, json!("fail"))])).passed, Some(false), "fails_run also under none");
}

#[test]
fn every_logic_operator_shows_or_hides_as_written() {
    let with_rule = |operator: &str, value: Value, visibility: &str| {
        build(json!({"sections": [{"title": "S", "questions": [
            {"id": Q1, "text": "Reading", "questionType": "number"},
            {"id": Q2, "text": "Kind", "questionType": "choice_multi", "required": false, "options": [
                {"value": "x", "label": "X"}, {"value": "y", "label": "Y"}, {"value": "z", "label": "Z"}]},
            {"id": Q3, "text": "Follow-up", "questionType": "text", "visibility": visibility,
             "rules": [{"sourceQuestionId": if operator.ends_with("than") { Q1 } else { Q2 }, "operator": operator, "value": value}]}
        ]}]}))
    };
    let shown = |c: &VersionContent, a: &Answers| logic::visible(c, a).contains(Q3);
    let multi = |v: Value| ans(&[(Q1, json!(10)), (Q2, v)]);
    let c = with_rule("equals", json!("y"), "show_if");
    assert!(shown(&c, &multi(json!(["x", "y"]))));
    assert!(!shown(&c, &multi(json!(["x"]))));
    assert!(!shown(&c, &Answers::new()), "no answer, no match");
    let c = with_rule("not_equals", json!("y"), "show_if");
    assert!(shown(&c, &multi(json!(["x"]))));
    assert!(!shown(&c, &multi(json!(["y"]))));
    assert!(!shown(&c, &Answers::new()), "a test of an answer is false without one");
    let c = with_rule("any_of", json!(["y", "z"]), "show_if");
    assert!(shown(&c, &multi(json!(["z"]))));
    assert!(!shown(&c, &multi(json!(["x"]))));
    let c = with_rule("greater_than", json!(9.5), "show_if");
    assert!(shown(&c, &multi(json!(["x"]))));
    assert!(!shown(&c, &ans(&[(Q1, json!(9.5))])), "not strictly greater");
    let c = with_rule("less_than", json!(9.5), "show_if");
    assert!(shown(&c, &ans(&[(Q1, json!(9.4))])));
    let c = with_rule("is_answered", Value::Null, "show_if");
    assert!(shown(&c, &multi(json!(["x"]))));
    assert!(!shown(&c, &Answers::new()));
    let c = with_rule("is_not_answered", Value::Null, "show_if");
    assert!(shown(&c, &Answers::new()));
    let mut na = Answers::new();
    na.insert(Q2.into(), Answer { is_na: true, ..Answer::default() });
    assert!(shown(&c, &na), "N/A is not an answer");
    let c = with_rule("equals", json!("y"), "hide_if");
    assert!(!shown(&c, &multi(json!(["y"]))));
    assert!(shown(&c, &Answers::new()));
}

#[test]
fn rules_combine_with_all_or_any_and_a_hidden_source_counts_as_unanswered() {
    let c = |m: &str| {
        build(json!({"sections": [{"title": "S", "questions": [
            {"id": Q1, "text": "A", "questionType": "yes_no"},
            {"id": Q2, "text": "B", "questionType": "yes_no", "visibility": "show_if", "rules": [{"sourceQuestionId": Q1, "operator": "equals", "value": "yes"}]},
            {"id": Q3, "text": "C", "questionType": "text", "visibility": "show_if", "ruleMatch": m, "rules": [
                {"sourceQuestionId": Q1, "operator": "equals", "value": "yes"},
                {"sourceQuestionId": Q2, "operator": "equals", "value": "yes"}]}
        ]}]}))
    };
    let all = c("all");
    let any = c("any");
    let a = ans(&[(Q1, json!("yes")), (Q2, json!("no"))]);
    assert!(!logic::visible(&all, &a).contains(Q3));
    assert!(logic::visible(&any, &a).contains(Q3));
    // Q1 "no" hides Q2; Q2's stale "yes" no longer counts.
    let a = ans(&[(Q1, json!("no")), (Q2, json!("yes"))]);
    assert!(!logic::visible(&any, &a).contains(Q3));
}

#[test]
fn completion_lists_every_missing_answer_and_evidence_and_findings_have_causes() {
    let c = build(json!({"settings": {"requireGps": true}, "sections": [{"title": "Fire", "questions": [
        {"id": Q1, "text": "Exit clear", "questionType": "pass_fail",
         "options": [{"value": "pass", "label": "Pass", "score": 1}, {"value": "fail", "label": "Fail", "score": 0, "raisesFinding": true, "findingSeverity": "critical"}],
         "evidence": {"on": "on_finding", "minPhotos": 1, "noteOnFinding": true}},
        {"id": Q2, "text": "Pressure", "questionType": "number", "number": {"unit": "bar", "acceptableMin": 12, "acceptableMax": 16, "outOfRangeSeverity": "high"}},
        {"id": Q3, "text": "Tidiness", "questionType": "rating", "rating": {"scaleMax": 5, "findingAtOrBelow": 2, "findingSeverity": "low"}},
        {"id": Q4, "text": "Photo", "questionType": "photo", "required": false}
    ]}]}));
    let a = ans(&[(Q1, json!("fail")), (Q3, json!(2))]);
    let problems = logic::completion_problems(&c, &a, false);
    assert_eq!(
        problems,
        [
            "Fire › Exit clear: attach at least 1 photo.",
            "Fire › Exit clear: add a note explaining the finding.",
            "Fire › Pressure: answer it or mark it N/A.",
            "The run's location (latitude and longitude) is required."
        ]
    );
    let mut a = a;
    a.insert(Q1.into(), Answer { value: Some(json!("fail")), note: Some("Pallet".into()), photos: 1, attachments: 1, ..Answer::default() });
    a.insert(Q2.into(), Answer { value: Some(json!(11.5)), ..Answer::default() });
    assert!(logic::completion_problems(&c, &a, true).is_empty());
    let q = |id: &str| c.question(id).unwrap();
    assert_eq!(logic::finding_causes(q(Q1), &a[Q1])[0].severity, FindingSeverity::Critical);
    let low = logic::finding_causes(q(Q2), &a[Q2]);
    assert_eq!(
        (low[0].severity, low[0].answer_text.as_str()),
        (FindingSeverity::High, "11.5 bar, outside the acceptable range (12 to 16 bar)")
    );
    assert_eq!(logic::finding_causes(q(Q3), &a[Q3])[0].severity, FindingSeverity::Low, "2 ≤ 2");
    assert!(logic::finding_causes(q(Q3), &ans(&[(Q3, json!(3))])[Q3]).is_empty());
}
