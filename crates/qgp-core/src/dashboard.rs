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
    pub complaints_by_status: Vec<ValueCount>,
    pub complaints_acknowledgement_overdue: i64,
    pub complaints_resolution_overdue: i64,
    /// Mean days from received to acknowledged, and to resolved, over complaints that got there (§15).
    pub complaints_mean_days_to_acknowledge: Option<f64>,
    pub complaints_mean_days_to_resolve: Option<f64>,
    /// Collisions in the trend window (last 12 full months and this month) by severity, and their estimated cost.
    pub collisions_by_severity: Vec<ValueCount>,
    pub collisions_cost_pence: i64,
    pub collisions_open: i64,
    pub trend_from: String,
    /// Documents in force whose review is overdue, or due within the due-soon window (§15 "Reviews due").
    pub documents_review_overdue: i64,
    pub documents_review_due_soon: i64,
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
    let count = |sql: &str, params: &[&str]| -> Result<i64> {
        Ok(conn.prepare_cached(sql)?.query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?)
    };
    // Open and in-progress actions in one pass over the covering partial index of live actions (never the rows):
    // per priority and owner, how many, how many overdue, how many due soon. The rest is summed here.
    let mut stmt = conn.prepare_cached(
        "SELECT priority, owner_id, COUNT(*), SUM(due_date < ?1), SUM(due_date >= ?1 AND due_date <= ?2)
         FROM actions INDEXED BY actions_live_owner_summary
         WHERE archived_at IS NULL AND status IN ('open', 'in_progress') GROUP BY owner_id, priority",
    )?;
    let groups = stmt
        .query_map([&today_s, &soon], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Non-terminal also counts completed actions awaiting verification (their own small partial index).
    let verification_pending = "archived_at IS NULL AND status = 'completed' AND requires_verification = 1";
    let actions_open =
        groups.iter().map(|g| g.2).sum::<i64>() + count(&format!("SELECT COUNT(*) FROM actions WHERE {verification_pending}"), &[])?;
    let actions_overdue = groups.iter().map(|g| g.3).sum();
    let actions_due_soon = groups.iter().map(|g| g.4).sum();
    let actions_verification_overdue =
        count(&format!("SELECT COUNT(*) FROM actions WHERE {verification_pending} AND verification_due_date < ?1"), &[&today_s])?;
    let my_open_actions = groups.iter().filter(|g| g.1 == me).map(|g| g.2).sum();
    let overdue_by_priority = crate::action::model::ActionPriority::VALUES
        .iter()
        .map(|v| ValueCount { value: (*v).into(), count: groups.iter().filter(|g| g.0 == *v).map(|g| g.3).sum() })
        .collect();
    let mut by_owner: Vec<(String, i64)> = Vec::new();
    for g in groups.iter().filter(|g| g.3 > 0) {
        match by_owner.iter_mut().find(|o| o.0 == g.1) {
            Some(o) => o.1 += g.3,
            None => by_owner.push((g.1.clone(), g.3)),
        }
    }
    let mut overdue_by_owner = Vec::new();
    for (owner_id, overdue) in by_owner {
        let owner_name = crate::users::find(conn, &owner_id)?.map(|u| u.display_name).unwrap_or_else(|| owner_id.clone());
        overdue_by_owner.push(OwnerActions { owner_id, owner_name, overdue });
    }
    overdue_by_owner.sort_by(|a, b| b.overdue.cmp(&a.overdue).then_with(|| a.owner_name.cmp(&b.owner_name)));
    overdue_by_owner.truncate(8);
    let investigations_open = count("SELECT COUNT(*) FROM investigations WHERE archived_at IS NULL AND status <> 'closed'", &[])?;
    let investigations_overdue = count(
        "SELECT COUNT(*) FROM investigations WHERE archived_at IS NULL AND status IN ('open', 'in_progress') AND target_completion_date < ?1",
        &[&today_s],
    )?;
    let mut stmt = conn.prepare_cached("SELECT status, COUNT(*) FROM complaints WHERE archived_at IS NULL GROUP BY status")?;
    let complaint_counts =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let complaints_by_status = crate::complaint::model::ComplaintStatus::VALUES
        .iter()
        .map(|v| ValueCount { value: (*v).into(), count: complaint_counts.iter().find(|c| c.0 == *v).map_or(0, |c| c.1) })
        .collect();
    let ack_limit = today.checked_sub(jiff::Span::new().days(i64::from(ctx.call.settings.complaint_ack_days))).unwrap_or(today).to_string();
    let complaints_acknowledgement_overdue =
        count("SELECT COUNT(*) FROM complaints WHERE archived_at IS NULL AND status = 'received' AND received_date < ?1", &[&ack_limit])?;
    let complaints_resolution_overdue = count(
        "SELECT COUNT(*) FROM complaints WHERE archived_at IS NULL AND status NOT IN ('resolved', 'closed') AND target_resolution_date < ?1",
        &[&today_s],
    )?;
    let (complaints_mean_days_to_acknowledge, complaints_mean_days_to_resolve): (Option<f64>, Option<f64>) = conn.query_row(
        "SELECT AVG(julianday(acknowledged_date) - julianday(received_date)), AVG(julianday(resolved_date) - julianday(received_date))
         FROM complaints WHERE archived_at IS NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let trend_from = crate::clock::add_months(today.first_of_month(), -12).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT severity, COUNT(*), COALESCE(SUM(estimated_cost), 0) FROM collisions WHERE archived_at IS NULL AND collision_date >= ?1 GROUP BY severity",
    )?;
    let collision_rows = stmt
        .query_map([&trend_from], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let collisions_by_severity = crate::collision::model::CollisionSeverity::VALUES
        .iter()
        .map(|v| ValueCount { value: (*v).into(), count: collision_rows.iter().find(|c| c.0 == *v).map_or(0, |c| c.1) })
        .collect();
    let collisions_cost_pence = collision_rows.iter().map(|c| c.2).sum();
    let collisions_open = count("SELECT COUNT(*) FROM collisions WHERE archived_at IS NULL AND status <> 'closed'", &[])?;
    let in_force = "archived_at IS NULL AND status IN ('published', 'under_review')";
    let documents_review_overdue =
        count(&format!("SELECT COUNT(*) FROM documents WHERE {in_force} AND next_review_date < ?1"), &[&today_s])?;
    let documents_review_due_soon = count(
        &format!("SELECT COUNT(*) FROM documents WHERE {in_force} AND next_review_date >= ?1 AND next_review_date <= ?2"),
        &[&today_s, &soon],
    )?;
    Ok(GovernanceDashboard {
        documents_review_overdue,
        documents_review_due_soon,
        collisions_by_severity,
        collisions_cost_pence,
        collisions_open,
        trend_from,
        complaints_by_status,
        complaints_acknowledgement_overdue,
        complaints_resolution_overdue,
        complaints_mean_days_to_acknowledge,
        complaints_mean_days_to_resolve,
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
