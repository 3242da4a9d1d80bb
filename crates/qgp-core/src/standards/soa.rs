//! The Statement of Applicability (§3): one entry per Annex A control — applicable or not with a justification, the
//! implementation status, an owner — issued by an `approved` signature whose content hash covers every entry. A
//! later change to any entry shows "changed since approval".

use super::model::*;
use super::{bad_enum, event, load_standard};
use crate::audit_trail;
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::signature::{self, SignatureMeaning, Signing};
use crate::validate::{as_object, Choice, Input};
use crate::workflow;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Map, Value};

/// An entry is due for review this long after it was last reviewed.
const REVIEW_MONTHS: i32 = 12;

fn entries(conn: &Connection, standard_id: &str, today: Date) -> Result<Vec<SoaEntryView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, k.id, k.number, k.title, k.theme, e.applicable, e.justification, e.implementation_status, e.owner_id,
                u.display_name, e.notes, e.last_reviewed_on, e.row_version
         FROM soa_entries e JOIN controls k ON k.id = e.control_id LEFT JOIN users u ON u.id = e.owner_id
         WHERE k.standard_id = ?1 ORDER BY k.sort_key, k.id",
    )?;
    let rows = stmt.query_map([standard_id], |r| {
        let last: Option<String> = r.get(11)?;
        let due = match last.as_deref().and_then(|d| d.parse::<Date>().ok()) {
            Some(d) => crate::clock::add_months(d, REVIEW_MONTHS) < today,
            None => true,
        };
        Ok(SoaEntryView {
            id: r.get(0)?,
            control_id: r.get(1)?,
            control_number: r.get(2)?,
            control_title: r.get(3)?,
            theme: ControlTheme::parse(&r.get::<_, String>(4)?).ok_or_else(|| bad_enum(4))?,
            applicable: r.get(5)?,
            justification: r.get(6)?,
            implementation_status: SoaImplementationStatus::parse(&r.get::<_, String>(7)?).ok_or_else(|| bad_enum(7))?,
            owner_id: r.get(8)?,
            owner_name: r.get(9)?,
            notes: r.get(10)?,
            last_reviewed_on: last,
            review_due: due,
            row_version: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// What an approval signs: every entry's decision, in control order (names and row versions left out).
fn signed_record(entries: &[SoaEntryView]) -> Value {
    json!(entries
        .iter()
        .map(|e| json!({
            "control": e.control_number, "applicable": e.applicable, "justification": e.justification,
            "implementationStatus": e.implementation_status, "ownerId": e.owner_id, "notes": e.notes,
            "lastReviewedOn": e.last_reviewed_on,
        }))
        .collect::<Vec<_>>())
}

fn view(conn: &Connection, standard_id: &str, today: Date) -> Result<SoaView> {
    let entries = entries(conn, standard_id, today)?;
    let approval = signature::list_for(conn, "soa", standard_id)?.into_iter().rev().find(|s| s.meaning == SignatureMeaning::Approved);
    let changed = approval.as_ref().is_some_and(|a| a.content_hash != signature::content_hash(&signed_record(&entries), &[]));
    let missing = entries.iter().filter(|e| e.justification.is_none()).map(|e| e.control_number.clone()).collect();
    Ok(SoaView { standard_id: standard_id.to_owned(), entries, approval, changed_since_approval: changed, missing_justifications: missing })
}

fn standard_with_controls(ctx: &Ctx, input: &Value) -> Result<String> {
    let mut v = Input::new(as_object(input)?, &["standardId"]);
    let id = v.text("standardId", "Standard", 1, 60, true);
    v.finish()?;
    let s = load_standard(ctx.conn(), &id.unwrap_or_default())?;
    if s.control_count == 0 {
        return Err(CoreError::Conflict(format!("{} has no Annex A controls, so no Statement of Applicability.", s.code)));
    }
    Ok(s.id)
}

/// `soa.get`: the Statement of Applicability of a standard with controls (ISO/IEC 27001).
pub fn get_soa(ctx: &mut Ctx, input: Value) -> Result<SoaView> {
    ctx.call.require(Capability::ViewRecords)?;
    let id = standard_with_controls(ctx, &input)?;
    view(ctx.conn(), &id, ctx.call.today())
}

/// `soa.update`: one entry's applicability, justification, status, owner, notes and review date.
pub fn update_soa(ctx: &mut Ctx, input: Value) -> Result<SoaView> {
    ctx.call.require(Capability::StandardsLibrary)?;
    let (id, row_version, changes) = crate::lifecycle::read_update(as_object(&input)?, &[])?;
    let (standard_id, number): (String, String) = ctx
        .conn()
        .query_row("SELECT k.standard_id, k.number FROM soa_entries e JOIN controls k ON k.id = e.control_id WHERE e.id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("No SoA entry has the id {id}.")))?;
    let today = ctx.call.today();
    let current = entries(ctx.conn(), &standard_id, today)?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| CoreError::Internal("SoA entry vanished".into()))?;
    workflow::check_row_version(&format!("SoA entry {number}"), current.row_version, row_version)?;
    let mut v = Input::new(&changes, &["applicable", "justification", "implementationStatus", "ownerId", "notes", "lastReviewedOn"]);
    let has = |k: &str| changes.contains_key(k);
    let applicable = if has("applicable") { v.boolean("applicable", "Applicable", true) } else { current.applicable };
    let justification =
        if has("justification") { v.long_text("justification", "Justification", 1, 2000, false) } else { current.justification.clone() };
    let status = if has("implementationStatus") {
        v.choice("implementationStatus", "Implementation status", Some(SoaImplementationStatus::NotStarted))
            .unwrap_or(current.implementation_status)
    } else {
        current.implementation_status
    };
    let owner_id = if has("ownerId") { v.id("ownerId", "Owner", false) } else { current.owner_id.clone() };
    crate::incident::rules::check_user_ref(ctx.conn(), &mut v, "ownerId", "Owner", owner_id.as_deref())?;
    let notes = if has("notes") { v.long_text("notes", "Notes", 1, 2000, false) } else { current.notes.clone() };
    let reviewed = if has("lastReviewedOn") {
        let d = v.date("lastReviewedOn", "Last reviewed on", false);
        if d.is_some_and(|d| d > today) {
            v.error("lastReviewedOn", FieldCode::AfterMaximum, "A review date cannot be in the future");
        }
        d.map(|d| d.to_string())
    } else {
        current.last_reviewed_on.clone()
    };
    v.finish()?;
    let before = json!({"applicable": current.applicable, "justification": current.justification, "implementation_status": current.implementation_status,
        "owner_id": current.owner_id, "notes": current.notes, "last_reviewed_on": current.last_reviewed_on});
    let after = json!({"applicable": applicable, "justification": justification, "implementation_status": status,
        "owner_id": owner_id, "notes": notes, "last_reviewed_on": reviewed});
    let empty = Map::new();
    let diff = audit_trail::diff_changes(before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    if !diff.is_empty() {
        ctx.write(|tx, call| {
            tx.execute(
                "UPDATE soa_entries SET applicable = ?2, justification = ?3, implementation_status = ?4, owner_id = ?5, notes = ?6,
                 last_reviewed_on = ?7, updated_at = ?8, updated_by = ?9, row_version = row_version + 1 WHERE id = ?1",
                rusqlite::params![
                    id,
                    applicable,
                    justification,
                    status.as_str(),
                    owner_id,
                    notes,
                    reviewed,
                    call.now_text(),
                    call.actor()?.id
                ],
            )?;
            event(tx, call, "soa_entry", &id, &format!("SoA {number}"), diff)
        })?;
    }
    view(ctx.conn(), &standard_id, today)
}

/// `soa.approve`: issues the SoA with a signature `approved` whose hash covers every entry; every entry needs a
/// justification first.
pub fn approve_soa(ctx: &mut Ctx, input: Value) -> Result<SoaView> {
    ctx.call.require(Capability::StandardsLibrary)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["standardId", "passphrase", "comment"]);
    let comment = v.text("comment", "Comment", 0, 1000, false);
    let passphrase = map.get("passphrase").and_then(Value::as_str).unwrap_or("").to_owned();
    if passphrase.is_empty() {
        v.error("passphrase", FieldCode::Required, "Enter your passphrase to sign the approval");
    }
    v.finish()?;
    let id = standard_with_controls(ctx, &json!({"standardId": map.get("standardId")}))?;
    let standard = load_standard(ctx.conn(), &id)?;
    let current = view(ctx.conn(), &id, ctx.call.today())?;
    if !current.missing_justifications.is_empty() {
        let n = current.missing_justifications.len();
        let shown: Vec<&str> = current.missing_justifications.iter().take(10).map(String::as_str).collect();
        return Err(CoreError::Conflict(format!(
            "{n} SoA entr{} still need{} a justification: {}{}.",
            if n == 1 { "y" } else { "ies" },
            if n == 1 { "s" } else { "" },
            shown.join(", "),
            if n > 10 { ", …" } else { "" }
        )));
    }
    signature::reauthenticate(ctx, &passphrase)?;
    let record = signed_record(&current.entries);
    ctx.write(|tx, call| {
        signature::sign(
            tx,
            call,
            Signing {
                meaning: SignatureMeaning::Approved,
                entity_type: "soa",
                entity_id: &id,
                entity_reference: Some(&format!("SoA {} {}", standard.code, standard.edition)),
                record: &record,
                files: &[],
                comment: comment.as_deref(),
            },
        )?;
        Ok(())
    })?;
    view(ctx.conn(), &id, ctx.call.today())
}
