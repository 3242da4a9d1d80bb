//! The governance dashboard's action, risk and investigation figures, computed at the injected "today".

mod common;

use common::h;
use serde_json::json;

#[test]
fn action_figures_are_counted_per_owner_and_priority_at_query_time() {
    let mut h = h();
    let inc = h.incident();
    let inc_id = inc["record"]["id"].as_str().unwrap().to_owned();
    let (admin, manager) = (h.admin.clone(), h.manager.clone());
    let mut raise = |owner: &str, due: &str, priority: &str| {
        h.admin_ok(
            "actions.create",
            json!({"sourceType": "incident", "sourceId": inc_id, "title": "t", "description": "d", "ownerId": owner, "dueDate": due, "priority": priority}),
        )
    };
    raise(&admin.id, "2026-12-01", "high");
    raise(&admin.id, "2026-12-20", "low");
    raise(&manager.id, "2027-03-01", "high");
    let done = raise(&manager.id, "2026-12-02", "critical");
    let cancelled = raise(&manager.id, "2026-12-03", "medium");
    h.admin_ok("actions.transition", json!({"id": cancelled["record"]["id"], "rowVersion": 1, "to": "cancelled", "reason": "Duplicate"}));
    // Completed, awaiting verification: still open (non-terminal), not overdue.
    h.admin_ok("actions.transition", json!({"id": done["record"]["id"], "rowVersion": 1, "to": "completed", "completionNotes": "Done"}));
    let d = h.admin_ok("dashboard.governance", json!({}));
    assert_eq!(d["actionsOpen"], 4);
    assert_eq!(d["actionsOverdue"], 0);
    assert_eq!(d["actionsDueSoon"], 2, "1 and 20 December are within 30 days of 26 November");
    assert_eq!(d["myOpenActions"], 2);
    // 15 December: the 1 December action is overdue; the verification (due 1 January) is not yet.
    h.clock.set("2026-12-15T09:00:00Z");
    let d = h.admin_ok("dashboard.governance", json!({}));
    assert_eq!(d["actionsOverdue"], 1);
    assert_eq!(
        d["overdueByPriority"],
        json!([{"value": "critical", "count": 0}, {"value": "high", "count": 1}, {"value": "medium", "count": 0}, {"value": "low", "count": 0}])
    );
    assert_eq!(d["overdueByOwner"], json!([{"ownerId": admin.id, "ownerName": "Ada Admin", "overdue": 1}]));
    assert_eq!(d["actionsVerificationOverdue"], 0);
    h.clock.set("2027-01-05T09:00:00Z");
    let d = h.admin_ok("dashboard.governance", json!({}));
    assert_eq!(d["actionsVerificationOverdue"], 1);
    assert_eq!(d["actionsOverdue"], 2);
    assert_eq!(d["risksByStatus"].as_array().unwrap().len(), 5, "every status shown, zeros included");
}
