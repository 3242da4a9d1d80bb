//! The action register (§7): every action, or "My actions", with overdue, due-soon and verification-overdue flags
//! computed at query time.

use super::model::*;
use super::{rules, store};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::Result;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::validate::{as_object, Input};
use serde_json::{Map, Value};

const FILTER_KEYS: &[&str] = &[
    "status",
    "priority",
    "actionType",
    "ownerId",
    "sourceType",
    "sourceId",
    "dueFrom",
    "dueTo",
    "dueSoon",
    "overdue",
    "verificationOverdue",
    "mine",
];

/// `actions.list`: every action (or "mine") with overdue, due-soon and verification-overdue flags computed now.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<ActionSummary>> {
    let actor_id = ctx.call.require(Capability::ViewRecords)?.id.clone();
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let known: Vec<&str> = LIST_KEYS.iter().chain(FILTER_KEYS).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, store::SORTS);
    let mut owner_ids = crate::paging::id_list(&mut v, "ownerId", "Owner");
    if v.tri_state("mine", "Mine") == Some(true) {
        owner_ids = vec![actor_id];
    }
    let filter = store::ActionFilter {
        statuses: choice_list(&mut v, "status", "Status"),
        priorities: choice_list(&mut v, "priority", "Priority"),
        types: choice_list(&mut v, "actionType", "Action type"),
        owner_ids,
        source_types: choice_list(&mut v, "sourceType", "Source type"),
        source_id: v.id("sourceId", "Source record", false),
        due_from: v.date("dueFrom", "Due from", false).map(|d| d.to_string()),
        due_to: v.date("dueTo", "Due to", false).map(|d| d.to_string()),
        due_soon: v.tri_state("dueSoon", "Due soon"),
        overdue: v.tri_state("overdue", "Overdue"),
        verification_overdue: v.tri_state("verificationOverdue", "Verification overdue"),
    };
    v.finish()?;
    let today = ctx.call.today();
    let soon = today.checked_add(jiff::Span::new().days(i64::from(ctx.call.settings.due_soon_days))).unwrap_or(today);
    let (records, owners, total) = store::list(ctx.conn(), &filter, &page, &today.to_string(), &soon.to_string())?;
    let items = records
        .into_iter()
        .zip(owners)
        .map(|(r, owner_name)| ActionSummary {
            flags: rules::flags(&r, today, ctx.call.settings.due_soon_days),
            id: r.id,
            reference: r.reference,
            title: r.fields.title,
            source_type: r.source_type,
            source_id: r.source_id,
            source_reference: r.source_reference,
            action_type: r.fields.action_type,
            priority: r.fields.priority,
            status: r.status,
            owner_id: r.fields.owner_id,
            owner_name,
            due_date: r.fields.due_date,
            row_version: r.row_version,
            requires_verification: r.fields.requires_verification,
            archived_at: r.archived_at,
        })
        .collect();
    Ok(Page::new(items, total, &page))
}
