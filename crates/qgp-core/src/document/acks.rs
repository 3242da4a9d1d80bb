//! Read-and-acknowledge (§13): publishing a version that needs acknowledgement asks every active person in the
//! document's ack roles or named in it; acknowledging is a signature `acknowledged`. A minor version that does not
//! need re-acknowledgement carries earlier acknowledgements over; people who join an ack role later are asked then.

use super::model::*;
use super::{append, get_view, load, load_version, version_file_hashes, ENTITY};
use crate::audit_trail::{AuditAction, Change};
use crate::authz::{Capability, Role};
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::signature::{self, SignatureMeaning, Signing};
use crate::validate::{as_object, Choice, Input};
use crate::workflow;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{json, Value};

pub(super) fn roles(conn: &Connection, id: &str) -> Result<Vec<Role>> {
    let mut stmt = conn.prepare_cached("SELECT role FROM document_ack_roles WHERE document_id = ?1")?;
    let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
    let mut out: Vec<Role> = rows.collect::<rusqlite::Result<Vec<_>>>()?.iter().filter_map(|r| Role::parse(r)).collect();
    // Most powerful first, as the role pickers list them.
    out.sort_by_key(|r| Role::ALL.iter().position(|x| x == r));
    Ok(out)
}

pub(super) fn named_users(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.user_id FROM document_ack_users a JOIN users u ON u.id = a.user_id WHERE a.document_id = ?1
         ORDER BY u.display_name COLLATE NOCASE, u.id",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// The date an instant fell on, in the configured zone.
fn date_of(instant: &str, call_zone: &jiff::tz::TimeZone) -> Option<Date> {
    instant.parse::<jiff::Timestamp>().ok().map(|ts| crate::clock::today_in(ts, call_zone))
}

/// Acknowledge by: `ack_within_days` after the later of publication and the request (someone asked later gets the
/// full period too).
fn due_date(published_at: Option<&str>, requested_at: &str, days: i64, zone: &jiff::tz::TimeZone) -> Option<Date> {
    let start = [published_at.and_then(|p| date_of(p, zone)), date_of(requested_at, zone)].into_iter().flatten().max()?;
    start.checked_add(jiff::Span::new().days(days)).ok()
}

/// Asks every person who must acknowledge the version in force and has not been asked yet; returns how many rows
/// were added. Nothing happens unless the document is in force and requires acknowledgement.
pub(crate) fn request_missing(tx: &Transaction, call: &Call, d: &DocumentRecord) -> Result<usize> {
    if !d.fields.acknowledgement_required
        || d.archived_at.is_some()
        || !matches!(d.status, DocumentStatus::Published | DocumentStatus::UnderReview)
    {
        return Ok(0);
    }
    let in_force: Option<(String, bool)> = tx
        .prepare_cached("SELECT id, requires_reacknowledgement FROM document_versions WHERE document_id = ?1 AND status = 'published'")?
        .query_row([&d.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((version_id, reack)) = in_force else { return Ok(0) };
    // The version this one replaced, whose acknowledgements a minor version carries over.
    let previous: Option<String> = if reack {
        None
    } else {
        tx.prepare_cached(
            "SELECT id FROM document_versions WHERE document_id = ?1 AND status = 'superseded' ORDER BY major DESC, minor DESC LIMIT 1",
        )?
        .query_row([&d.id], |r| r.get(0))
        .optional()?
    };
    let audience: Vec<String> = {
        let mut stmt = tx.prepare_cached(
            "SELECT u.id FROM users u
             WHERE u.archived_at IS NULL
               AND (u.role IN (SELECT role FROM document_ack_roles WHERE document_id = ?1)
                    OR u.id IN (SELECT user_id FROM document_ack_users WHERE document_id = ?1))
               AND NOT EXISTS (SELECT 1 FROM document_acknowledgements a WHERE a.version_id = ?2 AND a.user_id = u.id)
             ORDER BY u.id",
        )?;
        let rows = stmt.query_map([&d.id, &version_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let now = call.now_text();
    for user_id in &audience {
        let carried: Option<(String, Option<String>, String)> = match &previous {
            Some(prev) => tx
                .prepare_cached(
                    "SELECT acknowledged_at, signature_id, COALESCE(carried_from_version_id, version_id)
                     FROM document_acknowledgements WHERE version_id = ?1 AND user_id = ?2 AND status = 'acknowledged'",
                )?
                .query_row([prev, user_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?,
            None => None,
        };
        let (status, at, sig, from) = match carried {
            Some((at, sig, from)) => ("acknowledged", Some(at), sig, Some(from)),
            None => ("pending", None, None, None),
        };
        tx.execute(
            "INSERT INTO document_acknowledgements
               (id, document_id, version_id, user_id, requested_at, status, acknowledged_at, signature_id, carried_from_version_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![crate::ids::new_id(), d.id, version_id, user_id, now, status, at, sig, from],
        )?;
    }
    Ok(audience.len())
}

/// Asks a person who has just joined an ack role (new profile, role change, reactivation) to acknowledge every
/// document in force that now names them; each such document's history says so.
pub fn request_for_user(tx: &Transaction, call: &Call, user_id: &str) -> Result<usize> {
    let ids: Vec<String> = {
        let mut stmt = tx.prepare_cached(
            "SELECT d.id FROM documents d, users u
             WHERE u.id = ?1 AND d.acknowledgement_required AND d.archived_at IS NULL AND d.status IN ('published', 'under_review')
               AND (EXISTS (SELECT 1 FROM document_ack_roles r WHERE r.document_id = d.id AND r.role = u.role)
                    OR EXISTS (SELECT 1 FROM document_ack_users n WHERE n.document_id = d.id AND n.user_id = u.id))
             ORDER BY d.reference",
        )?;
        let rows = stmt.query_map([user_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut total = 0;
    for id in ids {
        let d = load(tx, &id)?;
        let added = request_missing(tx, call, &d)?;
        if added > 0 {
            append(tx, call, &d, AuditAction::Update, vec![Change::new("acknowledgements requested", Value::Null, json!(added))], None)?;
        }
        total += added;
    }
    Ok(total)
}

/// Who has and has not acknowledged a version, pending first.
pub(super) fn for_version(
    conn: &Connection,
    d: &DocumentRecord,
    v: &DocumentVersion,
    today: Date,
    zone: &jiff::tz::TimeZone,
) -> Result<Vec<AcknowledgementView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.user_id, u.display_name, u.archived_at IS NULL, a.requested_at, a.status, a.acknowledged_at,
                a.signature_id, f.version_label
         FROM document_acknowledgements a JOIN users u ON u.id = a.user_id
         LEFT JOIN document_versions f ON f.id = a.carried_from_version_id
         WHERE a.version_id = ?1
         ORDER BY a.status = 'acknowledged', u.display_name COLLATE NOCASE, a.id",
    )?;
    let rows = stmt.query_map([&v.id], |r| {
        let status: String = r.get(5)?;
        let status =
            AckStatus::parse(&status).ok_or_else(|| rusqlite::Error::InvalidColumnType(5, "status".into(), rusqlite::types::Type::Text))?;
        let requested_at: String = r.get(4)?;
        let due = due_date(v.published_at.as_deref(), &requested_at, d.fields.ack_within_days, zone);
        Ok(AcknowledgementView {
            id: r.get(0)?,
            version_id: v.id.clone(),
            version_label: v.version_label.clone(),
            user_id: r.get(1)?,
            user_name: r.get(2)?,
            user_active: r.get(3)?,
            requested_at,
            overdue: status == AckStatus::Pending && due.is_some_and(|d| d < today),
            status,
            acknowledged_at: r.get(6)?,
            signature_id: r.get(7)?,
            carried_from_label: r.get(8)?,
            due_date: due.map(|d| d.to_string()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// `documents.acknowledge`: the signed-in person acknowledges the version in force they were asked to read; a
/// signature `acknowledged` over the version's content and files.
pub fn acknowledge(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AcknowledgeDocuments)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["versionId", "passphrase", "comment"]);
    let version_id = v.id("versionId", "Version", true);
    let comment = v.text("comment", "Comment", 0, 1000, false);
    // The passphrase is never trimmed, normalised here, logged or stored.
    let passphrase = map.get("passphrase").and_then(Value::as_str).unwrap_or("").to_owned();
    if passphrase.is_empty() {
        v.error("passphrase", FieldCode::Required, "Enter your passphrase to sign the acknowledgement");
    }
    v.finish()?;
    let Some(version_id) = version_id else { return Err(CoreError::Internal("validated fields missing".into())) };
    let ver = load_version(ctx.conn(), &version_id)?;
    let doc = load(ctx.conn(), &ver.document_id)?;
    workflow::check_not_archived(&doc.reference, doc.archived_at.as_deref())?;
    let name = format!("version {} of {}", ver.version_label, doc.reference);
    if ver.status != VersionStatus::Published || !matches!(doc.status, DocumentStatus::Published | DocumentStatus::UnderReview) {
        return Err(CoreError::Conflict(format!("The {name} is not in force; only the version in force is acknowledged.")));
    }
    let actor_id = ctx.call.actor()?.id.clone();
    let row: Option<(String, String, Option<String>)> = ctx
        .conn()
        .prepare_cached("SELECT id, status, acknowledged_at FROM document_acknowledgements WHERE version_id = ?1 AND user_id = ?2")?
        .query_row([&version_id, &actor_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let row_id = match row {
        None => return Err(CoreError::Conflict(format!("You have not been asked to acknowledge the {name}."))),
        Some((_, status, at)) if status == "acknowledged" => {
            return Err(CoreError::Conflict(format!("You acknowledged the {name} on {}.", at.unwrap_or_default())))
        }
        Some((id, _, _)) => id,
    };
    signature::reauthenticate(ctx, &passphrase)?;
    let files = version_file_hashes(ctx.conn(), &ver.id)?;
    ctx.write(|tx, call| {
        let signed = serde_json::to_value(&ver)?;
        let sig = signature::sign(
            tx,
            call,
            Signing {
                meaning: SignatureMeaning::Acknowledged,
                entity_type: ENTITY,
                entity_id: &doc.id,
                entity_reference: Some(&doc.reference),
                record: &signed,
                files: &files,
                comment: comment.as_deref(),
            },
        )?;
        tx.execute(
            "UPDATE document_acknowledgements SET status = 'acknowledged', acknowledged_at = ?2, signature_id = ?3 WHERE id = ?1",
            [&row_id, &call.now_text(), &sig.id],
        )?;
        Ok(())
    })?;
    get_view(ctx, &doc.id)
}

/// `documents.my_acknowledgements`: what the signed-in person still has to read and acknowledge, oldest first.
pub fn my_acknowledgements(ctx: &mut Ctx, _input: Value) -> Result<Vec<MyAcknowledgement>> {
    ctx.call.require(Capability::ViewRecords)?;
    let actor_id = ctx.call.actor()?.id.clone();
    let today = ctx.call.today();
    let zone = ctx.call.settings.zone();
    let mut stmt = ctx.conn().prepare_cached(
        "SELECT a.document_id, d.reference, d.title, a.version_id, v.version_label, a.requested_at, v.published_at, d.ack_within_days
         FROM document_acknowledgements a
         JOIN document_versions v ON v.id = a.version_id
         JOIN documents d ON d.id = a.document_id
         WHERE a.user_id = ?1 AND a.status = 'pending' AND v.status = 'published'
           AND d.archived_at IS NULL AND d.status IN ('published', 'under_review')
         ORDER BY a.requested_at, d.reference",
    )?;
    let rows = stmt.query_map([&actor_id], |r| {
        let requested_at: String = r.get(5)?;
        let published_at: Option<String> = r.get(6)?;
        let due = due_date(published_at.as_deref(), &requested_at, r.get(7)?, &zone);
        Ok(MyAcknowledgement {
            document_id: r.get(0)?,
            reference: r.get(1)?,
            title: r.get(2)?,
            version_id: r.get(3)?,
            version_label: r.get(4)?,
            requested_at,
            overdue: due.is_some_and(|d| d < today),
            due_date: due.map(|d| d.to_string()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
