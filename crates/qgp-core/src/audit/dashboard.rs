//! The audit widgets of the dashboard (§15): runs by state, the pass rate per template over the trend window, and
//! open findings by severity with the major nonconformities open longer than 30 days.

use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::Result;
use crate::incident::model::ValueCount;
use crate::template::model::FindingSeverity;
use crate::validate::Choice;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Completed runs of one template in the period.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplatePassRate {
    pub template_id: String,
    pub template_name: String,
    pub runs: i64,
    /// passed ÷ runs with a result × 100 (one place); null when no run has a result.
    pub pass_rate: Option<f64>,
    pub mean_percentage: Option<f64>,
}

/// The audit widgets.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditDashboard {
    pub runs_scheduled: i64,
    pub runs_in_progress: i64,
    pub runs_pending_review: i64,
    pub runs_overdue: i64,
    pub runs_completed_in_period: i64,
    pub pass_rate: Option<f64>,
    pub mean_percentage: Option<f64>,
    pub by_template: Vec<TemplatePassRate>,
    /// Findings not closed, by severity (every value, zeros included).
    pub findings_open_by_severity: Vec<ValueCount>,
    pub major_nonconformities_over_30_days: i64,
    pub findings_action_overdue: i64,
    pub period_from: String,
}

fn rate(passed: i64, with_result: i64) -> Option<f64> {
    (with_result > 0).then(|| (passed as f64 * 1000.0 / with_result as f64).round() / 10.0)
}

/// `dashboard.audits`.
pub fn audits(ctx: &mut Ctx, _input: Value) -> Result<AuditDashboard> {
    ctx.call.require(Capability::ViewRecords)?;
    let conn = ctx.conn();
    let today = ctx.call.today();
    // The trend window (§15): the last 12 full months plus the current month.
    let from = crate::clock::add_months(today.first_of_month(), -12).to_string();
    let today_s = today.to_string();
    let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<i64> { Ok(conn.prepare_cached(sql)?.query_row(p, |r| r.get(0))?) };
    let by_status = |s: &str| count("SELECT COUNT(*) FROM audit_runs WHERE archived_at IS NULL AND status = ?1", &[&s]);
    let mut stmt = conn.prepare_cached(
        "SELECT r.template_id, t.name, COUNT(*), SUM(r.passed = 1), SUM(r.passed IS NOT NULL), AVG(CAST(r.percentage AS REAL))
         FROM audit_runs r JOIN templates t ON t.id = r.template_id
         WHERE r.archived_at IS NULL AND r.status = 'completed' AND substr(r.completed_at, 1, 10) >= ?1
         GROUP BY r.template_id ORDER BY t.name COLLATE NOCASE",
    )?;
    let by_template: Vec<(TemplatePassRate, i64, i64, Option<f64>)> = stmt
        .query_map([&from], |r| {
            let (passed, with): (Option<i64>, Option<i64>) = (r.get(3)?, r.get(4)?);
            let mean: Option<f64> = r.get(5)?;
            let t = TemplatePassRate {
                template_id: r.get(0)?,
                template_name: r.get(1)?,
                runs: r.get(2)?,
                pass_rate: rate(passed.unwrap_or(0), with.unwrap_or(0)),
                mean_percentage: mean.map(|m| (m * 10.0).round() / 10.0),
            };
            Ok((t, passed.unwrap_or(0), with.unwrap_or(0), mean))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (passed, with): (i64, i64) = by_template.iter().fold((0, 0), |acc, x| (acc.0 + x.1, acc.1 + x.2));
    let mean: Option<f64> = conn.query_row(
        "SELECT AVG(CAST(percentage AS REAL)) FROM audit_runs WHERE archived_at IS NULL AND status = 'completed' AND substr(completed_at, 1, 10) >= ?1",
        [&from],
        |r| r.get(0),
    )?;
    let mut sev =
        conn.prepare_cached("SELECT severity, COUNT(*) FROM findings WHERE archived_at IS NULL AND status <> 'closed' GROUP BY severity")?;
    let counts: Vec<(String, i64)> = sev.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let findings_open_by_severity = FindingSeverity::VALUES
        .iter()
        .map(|v| ValueCount { value: (*v).to_owned(), count: counts.iter().find(|(s, _)| s == v).map_or(0, |x| x.1) })
        .collect();
    let month_ago = today.checked_sub(jiff::Span::new().days(30)).unwrap_or(today).to_string();
    Ok(AuditDashboard {
        runs_scheduled: by_status("scheduled")?,
        runs_in_progress: by_status("in_progress")?,
        runs_pending_review: by_status("pending_review")?,
        runs_overdue: count(
            "SELECT COUNT(*) FROM audit_runs WHERE archived_at IS NULL AND status NOT IN ('completed', 'cancelled') AND due_date < ?1",
            &[&today_s],
        )?,
        runs_completed_in_period: by_template.iter().map(|x| x.0.runs).sum(),
        pass_rate: rate(passed, with),
        mean_percentage: mean.map(|m| (m * 10.0).round() / 10.0),
        by_template: by_template.into_iter().map(|x| x.0).collect(),
        findings_open_by_severity,
        major_nonconformities_over_30_days: count(
            "SELECT COUNT(*) FROM findings WHERE archived_at IS NULL AND status <> 'closed' AND finding_type = 'nonconformity'
             AND severity IN ('critical', 'high') AND substr(created_at, 1, 10) < ?1",
            &[&month_ago],
        )?,
        findings_action_overdue: count(
            "SELECT COUNT(*) FROM findings WHERE archived_at IS NULL AND status IN ('open', 'action_planned') AND action_due_date < ?1",
            &[&today_s],
        )?,
        period_from: from,
    })
}
