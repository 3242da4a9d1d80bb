//! Risk scoring (the fixed 5×5 matrix), validation, computed flags and the transition table (domain.md §8).

use super::model::*;
use crate::error::{FieldCode, Result};
use crate::validate::Input;
use jiff::civil::Date;
use rusqlite::Connection;
use serde_json::{Map, Value};

/// The §8 matrix, indexed `[likelihood - 1][impact - 1]`. Levels come from this table, not from score bands.
const MATRIX: [[RiskLevel; 5]; 5] = {
    use RiskLevel::*;
    [
        [VeryLow, Low, Low, Medium, Medium],
        [Low, Low, Medium, Medium, High],
        [Low, Medium, Medium, High, High],
        [Medium, Medium, High, High, Critical],
        [Medium, High, High, Critical, Critical],
    ]
};

/// The matrix level of a likelihood × impact pair (both 1..5; validated before this is called).
pub fn level(likelihood: i64, impact: i64) -> RiskLevel {
    MATRIX[(likelihood.clamp(1, 5) - 1) as usize][(impact.clamp(1, 5) - 1) as usize]
}

/// Score and level of a pair.
pub fn rating(likelihood: i64, impact: i64) -> Rating {
    Rating { likelihood, impact, score: likelihood * impact, level: level(likelihood, impact) }
}

/// The colour of a level, as §8 fixes it.
pub fn colour(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::VeryLow => "#22c55e",
        RiskLevel::Low => "#84cc16",
        RiskLevel::Medium => "#eab308",
        RiskLevel::High => "#f97316",
        RiskLevel::Critical => "#ef4444",
    }
}

/// Default review frequency by initial level (§8).
pub fn default_review_months(level: RiskLevel) -> i64 {
    match level {
        RiskLevel::Critical => 3,
        RiskLevel::High => 6,
        RiskLevel::Medium | RiskLevel::Low => 12,
        RiskLevel::VeryLow => 24,
    }
}

/// `date` plus whole months, clamped to the month's end (31 Jan + 1 month = end of Feb, §1.4).
pub fn add_months(date: Date, months: i64) -> Date {
    crate::clock::add_months(date, months.clamp(0, 1200) as i32)
}

/// Validates the editable fields. `latest_assessment` is the date of the latest assessment (today at creation);
/// `default_frequency` applies when the frequency is absent. A next review date may be brought forward from the
/// computed one, never pushed later.
pub fn read_fields(
    conn: &Connection,
    map: &Map<String, Value>,
    latest_assessment: Date,
    default_frequency: i64,
    extra_keys: &[&str],
) -> Result<RiskFields> {
    let known: Vec<&str> = FIELD_KEYS.iter().chain(extra_keys).copied().collect();
    let mut v = Input::new(map, &known);
    let title = v.text("title", "Title", 1, 300, true);
    let description = v.long_text("description", "Description", 1, 5000, true);
    let category = v.choice("category", "Category", Some(RiskCategory::Operational)).unwrap_or(RiskCategory::Operational);
    let subcategory = v.text("subcategory", "Subcategory", 0, 100, false);
    let department = v.text("department", "Department", 0, 100, false);
    let cause = v.text("cause", "Cause", 0, 500, false);
    let event = v.text("event", "Event", 0, 500, false);
    let consequence = v.text("consequence", "Consequence", 0, 500, false);
    let owner_id = v.id("ownerId", "Owner", false);
    crate::incident::rules::check_user_ref(conn, &mut v, "ownerId", "Owner", owner_id.as_deref())?;
    let treatment_strategy =
        v.choice("treatmentStrategy", "Treatment strategy", Some(TreatmentStrategy::Mitigate)).unwrap_or(TreatmentStrategy::Mitigate);
    let treatment_plan = v.long_text("treatmentPlan", "Treatment plan", 0, 5000, false);
    let treatment_due_date = v.date("treatmentDueDate", "Treatment due date", false);
    let review_frequency_months =
        v.integer("reviewFrequencyMonths", "Review frequency (months)", 1, 60, false).unwrap_or(default_frequency);
    let computed = add_months(latest_assessment, review_frequency_months);
    let next_review_date = match v.date("nextReviewDate", "Next review date", false) {
        Some(d) if d > computed => {
            v.error(
                "nextReviewDate",
                FieldCode::AfterMaximum,
                format!("Next review date can be brought forward but not pushed later than {computed} (latest assessment + frequency)"),
            );
            computed
        }
        Some(d) if d < latest_assessment => {
            v.error(
                "nextReviewDate",
                FieldCode::BeforeMinimum,
                format!("Next review date cannot be before the latest assessment ({latest_assessment})"),
            );
            computed
        }
        Some(d) => d,
        None => computed,
    };
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);
    v.finish()?;
    Ok(RiskFields {
        title: title.unwrap_or_default(),
        description: description.unwrap_or_default(),
        category,
        subcategory,
        department,
        cause,
        event,
        consequence,
        owner_id,
        treatment_strategy,
        treatment_plan,
        treatment_due_date: treatment_due_date.map(|d| d.to_string()),
        review_frequency_months,
        next_review_date: next_review_date.to_string(),
        legacy_reference,
    })
}

/// A validated assessment before it is stored.
#[derive(Debug, Clone)]
pub struct AssessmentFields {
    pub assessment_date: Date,
    pub assessment_type: AssessmentType,
    pub inherent: Rating,
    pub residual: Rating,
    pub target: Option<Rating>,
    pub notes: Option<String>,
    pub control_effectiveness_notes: Option<String>,
}

/// Assessment input keys.
pub const ASSESSMENT_KEYS: &[&str] = &[
    "assessmentDate",
    "assessmentType",
    "inherentLikelihood",
    "inherentImpact",
    "residualLikelihood",
    "residualImpact",
    "targetLikelihood",
    "targetImpact",
    "notes",
    "controlEffectivenessNotes",
];

/// Validates an assessment: date not in the future, residual ≤ inherent, target both-or-neither and ≤ residual.
pub fn read_assessment(map: &Map<String, Value>, today: Date, extra_keys: &[&str]) -> Result<AssessmentFields> {
    let known: Vec<&str> = ASSESSMENT_KEYS.iter().chain(extra_keys).copied().collect();
    let mut v = Input::new(map, &known);
    let date = v.date("assessmentDate", "Assessment date", true);
    if date.is_some_and(|d| d > today) {
        v.error("assessmentDate", FieldCode::InFuture, format!("Assessment date cannot be in the future (today is {today})"));
    }
    let assessment_type = v.choice("assessmentType", "Assessment type", Some(AssessmentType::Periodic)).unwrap_or(AssessmentType::Periodic);
    let il = v.integer("inherentLikelihood", "Inherent likelihood", 1, 5, true);
    let ii = v.integer("inherentImpact", "Inherent impact", 1, 5, true);
    let rl = v.integer("residualLikelihood", "Residual likelihood", 1, 5, true);
    let ri = v.integer("residualImpact", "Residual impact", 1, 5, true);
    let tl = v.integer("targetLikelihood", "Target likelihood", 1, 5, false);
    let ti = v.integer("targetImpact", "Target impact", 1, 5, false);
    let notes = v.long_text("notes", "Notes", 0, 5000, false);
    let control_effectiveness_notes = v.long_text("controlEffectivenessNotes", "Control effectiveness notes", 0, 5000, false);
    let inherent = il.zip(ii).map(|(l, i)| rating(l, i));
    let residual = rl.zip(ri).map(|(l, i)| rating(l, i));
    if let (Some(inh), Some(res)) = (inherent, residual) {
        if res.score > inh.score {
            v.error(
                "residualImpact",
                FieldCode::Inconsistent,
                format!("Residual score ({}) cannot be higher than the inherent score ({})", res.score, inh.score),
            );
        }
    }
    let target_given = [("targetLikelihood", tl), ("targetImpact", ti)];
    let target = match (tl, ti) {
        (Some(l), Some(i)) => Some(rating(l, i)),
        (None, None) => None,
        _ => {
            for (key, value) in target_given {
                if value.is_none() && !v.has_error(key) {
                    v.error(key, FieldCode::Required, "Give both target likelihood and target impact, or neither");
                }
            }
            None
        }
    };
    if let (Some(t), Some(res)) = (target, residual) {
        if t.score > res.score {
            v.error(
                "targetImpact",
                FieldCode::Inconsistent,
                format!("Target score ({}) cannot be higher than the residual score ({})", t.score, res.score),
            );
        }
    }
    v.finish()?;
    let (Some(assessment_date), Some(inherent), Some(residual)) = (date, inherent, residual) else {
        return Err(crate::error::CoreError::Internal("validated fields missing".into()));
    };
    Ok(AssessmentFields { assessment_date, assessment_type, inherent, residual, target, notes, control_effectiveness_notes })
}

/// Validates a control and computes its next test date (last tested + frequency, when both are known).
pub fn read_control(conn: &Connection, map: &Map<String, Value>, today: Date) -> Result<(RiskControlFields, Option<String>)> {
    let mut v = Input::new(map, CONTROL_KEYS);
    let title = v.text("title", "Title", 1, 300, true);
    let description = v.long_text("description", "Description", 0, 10_000, false);
    let control_type = v.choice("controlType", "Control type", Some(ControlType::Preventive)).unwrap_or(ControlType::Preventive);
    let implementation_status = v
        .choice("implementationStatus", "Implementation status", Some(ImplementationStatus::Planned))
        .unwrap_or(ImplementationStatus::Planned);
    let effectiveness =
        v.choice("effectiveness", "Effectiveness", Some(ControlEffectiveness::NotTested)).unwrap_or(ControlEffectiveness::NotTested);
    let owner_id = v.id("ownerId", "Owner", false);
    crate::incident::rules::check_user_ref(conn, &mut v, "ownerId", "Owner", owner_id.as_deref())?;
    let test_frequency_months = v.integer("testFrequencyMonths", "Test frequency (months)", 1, 60, false);
    let last_tested_on = v.date("lastTestedOn", "Last tested on", false);
    if last_tested_on.is_some_and(|d| d > today) {
        v.error("lastTestedOn", FieldCode::InFuture, format!("Last tested on cannot be in the future (today is {today})"));
    }
    v.finish()?;
    let next_test_date = last_tested_on.zip(test_frequency_months).map(|(d, m)| add_months(d, m).to_string());
    let fields = RiskControlFields {
        title: title.unwrap_or_default(),
        description,
        control_type,
        implementation_status,
        effectiveness,
        owner_id,
        test_frequency_months,
        last_tested_on: last_tested_on.map(|d| d.to_string()),
    };
    Ok((fields, next_test_date))
}

/// Review and treatment flags at `today`.
pub fn flags(record: &RiskRecord, today: Date, due_soon_days: u32) -> RiskFlags {
    let live = record.status != RiskStatus::Closed;
    let next: Option<Date> = record.fields.next_review_date.parse().ok();
    let soon = today.checked_add(jiff::Span::new().days(i64::from(due_soon_days))).unwrap_or(today);
    let treatment_due: Option<Date> = record.fields.treatment_due_date.as_deref().and_then(|d| d.parse().ok());
    RiskFlags {
        review_overdue: live && next.is_some_and(|d| d < today),
        review_due_soon: live && next.is_some_and(|d| d >= today && d <= soon),
        treatment_overdue: record.status == RiskStatus::Treating && treatment_due.is_some_and(|d| d < today),
    }
}

/// Targets allowed from each status before guards (§8).
pub fn allowed_targets(from: RiskStatus) -> &'static [RiskStatus] {
    use RiskStatus::*;
    match from {
        Identified => &[Assessed, Closed],
        Assessed => &[Treating, Monitoring, Closed],
        Treating => &[Monitoring, Closed],
        Monitoring => &[Treating, Closed],
        Closed => &[Assessed],
    }
}

/// Input a transition needs.
pub fn needs(from: RiskStatus, to: RiskStatus) -> &'static [&'static str] {
    use RiskStatus::*;
    match (from, to) {
        (Assessed, Monitoring) => &["passphrase"],
        (Treating, Monitoring) | (Monitoring, Treating) | (_, Closed) | (Closed, _) => &["reason"],
        _ => &[],
    }
}

/// True for the acceptance step, which is a signature.
pub fn is_acceptance(from: RiskStatus, to: RiskStatus) -> bool {
    from == RiskStatus::Assessed && to == RiskStatus::Monitoring
}

/// Unmet guards of the record itself for `from → to` (who may sign is checked by the caller).
pub fn unmet_guards(from: RiskStatus, to: RiskStatus, fields: &RiskFields, open_actions: &[String]) -> Vec<String> {
    use RiskStatus::*;
    let mut unmet = Vec::new();
    match (from, to) {
        (Identified, Assessed) if fields.owner_id.is_none() => unmet.push("An owner must be set before the risk is assessed.".into()),
        (Assessed, Treating) => {
            if fields.treatment_strategy == TreatmentStrategy::Accept {
                unmet.push("The treatment strategy is 'accept': record a risk acceptance (monitoring) instead of treating.".into());
            }
            if fields.treatment_plan.is_none() {
                unmet.push("A treatment plan is required before treatment starts.".into());
            }
        }
        (Assessed, Monitoring) if fields.treatment_strategy != TreatmentStrategy::Accept => {
            unmet.push("Only a risk whose treatment strategy is 'accept' can be accepted into monitoring.".into())
        }
        (_, Closed) if !open_actions.is_empty() => unmet.push(format!("Actions still open: {}.", open_actions.join(", "))),
        _ => {}
    }
    unmet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_gives_every_cell_its_specified_level() {
        use RiskLevel::*;
        // Rows from likelihood 5 down to 1, impact 1..5, exactly as domain.md §8 prints them.
        let printed = [
            (5, [Medium, High, High, Critical, Critical]),
            (4, [Medium, Medium, High, High, Critical]),
            (3, [Low, Medium, Medium, High, High]),
            (2, [Low, Low, Medium, Medium, High]),
            (1, [VeryLow, Low, Low, Medium, Medium]),
        ];
        for (likelihood, row) in printed {
            for (i, expected) in row.into_iter().enumerate() {
                let impact = i as i64 + 1;
                let r = rating(likelihood, impact);
                assert_eq!(r.level, expected, "L{likelihood} × I{impact}");
                assert_eq!(r.score, likelihood * impact);
            }
        }
    }

    #[test]
    fn colours_and_review_defaults_follow_the_level() {
        assert_eq!(colour(RiskLevel::Critical), "#ef4444");
        assert_eq!(colour(RiskLevel::VeryLow), "#22c55e");
        assert_eq!(default_review_months(RiskLevel::Critical), 3);
        assert_eq!(default_review_months(RiskLevel::High), 6);
        assert_eq!(default_review_months(RiskLevel::VeryLow), 24);
    }

    #[test]
    fn adding_months_clamps_to_the_end_of_the_month() {
        assert_eq!(add_months(jiff::civil::date(2027, 1, 31), 1), jiff::civil::date(2027, 2, 28));
        assert_eq!(add_months(jiff::civil::date(2028, 1, 31), 1), jiff::civil::date(2028, 2, 29));
    }

    #[test]
    fn assessments_refuse_residual_above_inherent_and_half_a_target() {
        let today = jiff::civil::date(2026, 11, 27);
        let map = serde_json::json!({
            "assessmentDate": "2026-11-28", "inherentLikelihood": 2, "inherentImpact": 2,
            "residualLikelihood": 3, "residualImpact": 3, "targetLikelihood": 1
        });
        let err = read_assessment(map.as_object().unwrap(), today, &[]).unwrap_err();
        let fields: Vec<String> = match err {
            crate::error::CoreError::Validation { fields, .. } => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields, ["assessmentDate", "residualImpact", "targetImpact"]);
    }
}
