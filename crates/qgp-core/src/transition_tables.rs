//! Every transition table against domain.md, pair by pair: each register's table allows exactly the spec's
//! pairs, and refuses every other pair, same-state pairs included (§1.6). The spec's rows are copied here as text
//! ("from, from → to, to") so that a change to either side shows up as a named pair.

use crate::validate::Choice;
use std::collections::BTreeSet;

/// Expands the spec's rows ("a, b → c, d") into (from, to) pairs.
fn spec_pairs(rows: &[&str]) -> BTreeSet<(String, String)> {
    let mut pairs = BTreeSet::new();
    for row in rows {
        let (from, to) = row.split_once('→').expect("a row has an arrow");
        for f in from.split(',').map(str::trim) {
            for t in to.split(',').map(str::trim) {
                pairs.insert((f.to_owned(), t.to_owned()));
            }
        }
    }
    pairs
}

/// Compares a table with the spec over every (from, to) of the enumeration, naming each disagreeing pair.
fn check<S: Choice + Copy>(register: &str, rows: &[&str], allowed: impl Fn(S) -> Vec<S>) {
    let spec = spec_pairs(rows);
    for (f, t) in &spec {
        assert!(S::parse(f).is_some() && S::parse(t).is_some(), "{register}: the spec row {f} → {t} names no status");
    }
    let mut wrong = Vec::new();
    for from in S::VALUES {
        let targets: Vec<&str> = allowed(S::parse(from).unwrap()).into_iter().map(Choice::as_str).collect();
        for to in S::VALUES {
            let in_spec = spec.contains(&((*from).to_owned(), (*to).to_owned()));
            if targets.contains(to) != in_spec {
                wrong.push(format!("{from} → {to}: spec {}, code {}", allowed_word(in_spec), allowed_word(!in_spec)));
            }
        }
        assert!(!targets.contains(from), "{register}: {from} → {from} must be refused (§1.6)");
    }
    assert!(wrong.is_empty(), "{register} differs from domain.md:\n{}", wrong.join("\n"));
}

fn allowed_word(yes: bool) -> &'static str {
    if yes {
        "allows"
    } else {
        "refuses"
    }
}

#[test]
fn incident_table_is_the_spec() {
    check::<crate::incident::model::IncidentStatus>(
        "Incident (§9)",
        &[
            "reported → under_investigation",
            "reported → closed",
            "under_investigation → actions_pending",
            "under_investigation → closed",
            "actions_pending → closed",
            "closed → under_investigation",
        ],
        |s| crate::incident::rules::allowed_targets(s).to_vec(),
    );
}

#[test]
fn collision_table_is_the_spec() {
    check::<crate::collision::model::CollisionStatus>(
        "Collision (§10)",
        &[
            "reported → under_investigation",
            "reported → closed",
            "under_investigation → pending_insurance",
            "under_investigation, pending_insurance → actions_pending",
            "under_investigation, pending_insurance, actions_pending → closed",
            "closed → under_investigation",
        ],
        |s| crate::collision::rules::allowed_targets(s).to_vec(),
    );
}

#[test]
fn complaint_table_is_the_spec() {
    check::<crate::complaint::model::ComplaintStatus>(
        "Complaint (§11)",
        &[
            "received → acknowledged",
            "acknowledged → under_investigation",
            "under_investigation → resolved",
            "resolved → closed",
            "resolved → under_investigation",
            "received, acknowledged, under_investigation, resolved → escalated",
            "escalated → under_investigation",
            "escalated → resolved",
            "closed → under_investigation",
        ],
        |s| crate::complaint::rules::allowed_targets(s).to_vec(),
    );
}

#[test]
fn risk_table_is_the_spec() {
    check::<crate::risk::model::RiskStatus>(
        "Risk (§8)",
        &[
            "identified → assessed",
            "assessed → treating",
            "assessed → monitoring",
            "treating → monitoring",
            "monitoring → treating",
            "identified, assessed, treating, monitoring → closed",
            "closed → assessed",
        ],
        |s| crate::risk::rules::allowed_targets(s).to_vec(),
    );
}

#[test]
fn investigation_table_is_the_spec() {
    check::<crate::investigation::model::InvestigationStatus>(
        "Investigation (§12)",
        &["open → in_progress", "in_progress → completed", "completed → closed", "completed → in_progress", "closed → in_progress"],
        |s| crate::investigation::rules::allowed_targets(s).to_vec(),
    );
}

#[test]
fn finding_table_is_the_spec() {
    check::<crate::finding::model::FindingStatus>(
        "Finding (§6)",
        &[
            "open → action_planned",
            "action_planned → pending_verification",
            "pending_verification → closed",
            "pending_verification → action_planned",
            "open → closed",
            "open, action_planned → deferred",
            "deferred → open, action_planned",
            "closed → open",
        ],
        |s| crate::finding::allowed(s).to_vec(),
    );
}

#[test]
fn action_table_is_the_spec_with_and_without_verification() {
    let common = ["open → in_progress", "open, in_progress → completed", "open, in_progress → cancelled"];
    let with: Vec<&str> = common.iter().copied().chain(["completed → verified", "completed → in_progress"]).collect();
    check::<crate::action::model::ActionStatus>("Action requiring verification (§7)", &with, |s| {
        crate::action::rules::allowed_targets(s, true)
    });
    // Without verification, completed is terminal: nothing verifies it and "not effective" cannot reopen it.
    check::<crate::action::model::ActionStatus>("Action not requiring verification (§7)", &common, |s| {
        crate::action::rules::allowed_targets(s, false)
    });
}

#[test]
fn audit_run_table_is_the_spec_with_and_without_review() {
    let common = ["draft → scheduled", "draft → in_progress", "scheduled → in_progress"];
    let reviewed: Vec<&str> = common
        .iter()
        .copied()
        .chain([
            "in_progress → pending_review",
            "pending_review → completed",
            "pending_review → in_progress",
            "draft, scheduled, in_progress, pending_review → cancelled",
        ])
        .collect();
    check::<crate::audit::model::RunStatus>("Audit run with review (§5)", &reviewed, |s| crate::audit::steps::allowed(s, true));
    // Without review there is no pending_review to reach, so nothing leaves it either.
    let unreviewed: Vec<&str> =
        common.iter().copied().chain(["in_progress → completed", "draft, scheduled, in_progress → cancelled"]).collect();
    check::<crate::audit::model::RunStatus>("Audit run without review (§5)", &unreviewed, |s| {
        crate::audit::steps::allowed(s, false).into_iter().filter(|_| s != crate::audit::model::RunStatus::PendingReview).collect()
    });
}

#[test]
fn document_version_table_is_the_spec() {
    check::<crate::document::model::VersionStatus>(
        "Document version (§13)",
        &["draft → in_review", "in_review → draft", "in_review → approved", "approved → published"],
        |s| crate::document::versions::allowed(s).to_vec(),
    );
}

#[test]
fn a_disagreement_is_named_pair_by_pair() {
    // The checker itself must be able to fail: a table missing one spec pair is reported by name.
    let result = std::panic::catch_unwind(|| {
        check::<crate::incident::model::IncidentStatus>(
            "Incident with a missing pair",
            &["reported → under_investigation", "reported → closed", "closed → under_investigation"],
            |s| crate::incident::rules::allowed_targets(s).to_vec(),
        )
    });
    let message = *result.unwrap_err().downcast::<String>().unwrap();
    assert!(message.contains("actions_pending → closed: spec refuses, code allows"), "{message}");
}
