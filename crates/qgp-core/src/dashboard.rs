//! The governance widgets of the home dashboard (domain.md §15) beyond incidents: the risk heat map and levels,
//! risks due for review, actions open / overdue / due soon, and investigations in progress. Computed on display.

use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::Result;
use crate::incident::model::ValueCount;
use crate::risk::model::{HeatMap, HeatMapBasis, RiskSummary};
use crate::validate::Choice;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Open actions of one owner, with how many are overdue.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OwnerActions {
    pub owner_id: String,
    pub owner_name: String,
    pub overdue: i64,
}

/// `dashboard.governance`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GovernanceDashboard {
    pub heat_map: HeatMap,
    pub risks_by_status: Vec<ValueCount>,
    pub risks_review_overdue: i64,
    pub risks_review_due_soon: i64,
    /// The most urgent risks due for review (overdue or within the due-soon window).
    pub risks_due_for_review: Vec<RiskSummary>,
    /// Non-terminal actions (§7).
    pub actions_open: i64,
    pub actions_overdue: i64,
    pub actions_due_soon: i64,
    pub actions_verification_overdue: i64,
    pub overdue_by_priority: Vec<ValueCount>,
    pub overdue_by_owner: Vec<OwnerActions>,
    pub my_open_actions: i64,
    pub investigations_open: i64,
    pub investigations_overdue: i64,
    pub due_soon_days: u32,
}

/// `dashboard.governance`: the non-incident widgets, leaving out archived records.
pub fn governance(ctx: &mut Ctx, _input: Value) -> Result<GovernanceDashboard> {
    let me = ctx.call.require(Capability::ViewRecords)?.id.clone();
    let conn = ctx.conn();
    let today = ctx.call.today();
    let days = ctx.call.settings.due_soon_days;
    let soon = today.checked_add(jiff::Span::new().days(i64::from(days))).unwrap_or(today).to_string();
    let today_s = today.to_string();
    let heat_map = crate::risk::heat_map_of(HeatMapBasis::Residual, &crate::risk::store::cell_counts(conn, HeatMapBasis::Residual)?);
    let mut stmt = conn.prepare_cached("SELECT status, COUNT(*) FROM risks WHERE archived_at IS NULL GROUP BY status")?;
    let status_counts = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let risks_by_status = crate::risk::model::RiskStatus::VALUES
        .iter()
        .map(|v| ValueCount { value: (*v).into(), count: status_counts.iter().find(|c| c.0 == *v).map_or(0, |c| c.1) })
        .collect();
    let (due, due_total) = crate::risk::store::due_for_review(conn, &soon, 8)?;
    let risks_review_overdue: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM risks WHERE archived_at IS NULL AND status <> 'closed' AND next_review_date < ?1")?
        .query_row([&today_s], |r| r.get(0))?;
    let mut risks_due_for_review = Vec::new();
    for r in due {
        let owner = match r.fields.owner_id.as_deref() {
            Some(id) => crate::users::find(conn, id)?.map(|u| u.display_name),
            None => None,
        };
        risks_due_for_review.push(crate::risk::summary(r, owner, today, days));
    }
    // Every action count reads the covering partial index of live actions, never the rows.
    let live = "archived_at IS NULL AND status IN ('open', 'in_progress')";
    let actions = "actions INDEXED BY actions_live_due";
    let count = |sql: &str, params: &[&str]| -> Result<i64> {
        Ok(conn.prepare_cached(sql)?.query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?)
    };
    // Non-terminal = open or in progress, plus completed awaiting verification; two index-only counts.
    let verification_pending = "archived_at IS NULL AND status = 'completed' AND requires_verification = 1";
    let actions_open = count(&format!("SELECT COUNT(*) FROM {actions} WHERE {live}"), &[])?
        + count(&format!("SELECT COUNT(*) FROM actions WHERE {verification_pending}"), &[])?;
    let actions_overdue = count(&format!("SELECT COUNT(*) FROM {actions} WHERE {live} AND due_date < ?1"), &[&today_s])?;
    let actions_due_soon =
        count(&format!("SELECT COUNT(*) FROM {actions} WHERE {live} AND due_date >= ?1 AND due_date <= ?2"), &[&today_s, &soon])?;
    let actions_verification_overdue =
        count(&format!("SELECT COUNT(*) FROM actions WHERE {verification_pending} AND verification_due_date < ?1"), &[&today_s])?;
    let my_open_actions = count(&format!("SELECT COUNT(*) FROM actions INDEXED BY actions_live_owner_status WHERE {live} AND owner_id = ?1"), &[&me])?;
    let mut stmt =
        conn.prepare_cached(&format!("SELECT priority, COUNT(*) FROM {actions} WHERE {live} AND due_date < ?1 GROUP BY priority"))?;
    let by_priority =
        stmt.query_map([&today_s], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let overdue_by_priority = crate::action::model::ActionPriority::VALUES
        .iter()
        .map(|v| ValueCount { value: (*v).into(), count: by_priority.iter().find(|c| c.0 == *v).map_or(0, |c| c.1) })
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT a.owner_id, u.display_name, COUNT(*) AS n FROM actions a INDEXED BY actions_live_due JOIN users u ON u.id = a.owner_id
         WHERE a.archived_at IS NULL AND a.status IN ('open', 'in_progress') AND a.due_date < ?1
         GROUP BY a.owner_id ORDER BY n DESC, u.display_name LIMIT 8",
    )?;
    let overdue_by_owner = stmt
        .query_map([&today_s], |r| Ok(OwnerActions { owner_id: r.get(0)?, owner_name: r.get(1)?, overdue: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let investigations_open = count("SELECT COUNT(*) FROM investigations WHERE archived_at IS NULL AND status <> 'closed'", &[])?;
    let investigations_overdue = count(
        "SELECT COUNT(*) FROM investigations WHERE archived_at IS NULL AND status IN ('open', 'in_progress') AND target_completion_date < ?1",
        &[&today_s],
    )?;
    Ok(GovernanceDashboard {
        heat_map,
        risks_by_status,
        risks_review_overdue,
        risks_review_due_soon: due_total - risks_review_overdue,
        risks_due_for_review,
        actions_open,
        actions_overdue,
        actions_due_soon,
        actions_verification_overdue,
        overdue_by_priority,
        overdue_by_owner,
        my_open_actions,
        investigations_open,
        investigations_overdue,
        due_soon_days: days,
    })
}
