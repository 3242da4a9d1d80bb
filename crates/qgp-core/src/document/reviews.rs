//! A document in force (§13): its periodic review (started by a user, recorded with an outcome — no change is signed
//! `reviewed`, a revision opens a draft, retire ends it) and leaving force by retirement or by being superseded by
//! another document. Reviews are append-only and may be the source of actions.

use super::model::*;
use super::{append, check_not_ended, get_view, involved, load, new_version, version_file_hashes, versions, working, ENTITY};
use crate::audit_trail::{AuditAction, Change};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::rowmap;
use crate::signature::{self, SignatureMeaning, Signing};
use crate::validate::{as_object, Choice, Input};
use crate::workflow::{self, stamp};
use rusqlite::Connection;
use serde_json::{json, Value};

/// Recorded reviews of a document, newest first.
pub(super) fn list(conn: &Connection, document_id: &str) -> Result<Vec<ReviewView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.reviewed_on, r.reviewer_id, u.display_name, r.outcome, r.notes, v.version_label, r.signature_id, r.created_at
         FROM document_reviews r JOIN users u ON u.id = r.reviewer_id LEFT JOIN document_versions v ON v.id = r.version_id
         WHERE r.document_id = ?1 ORDER BY r.reviewed_on DESC, r.created_at DESC",
    )?;
    let rows = stmt.query_map([document_id], |r| {
        let outcome: String = r.get(4)?;
        Ok(ReviewView {
            id: r.get(0)?,
            reviewed_on: r.get(1)?,
            reviewer_id: r.get(2)?,
            reviewer_name: r.get(3)?,
            outcome: ReviewOutcome::parse(&outcome)
                .ok_or_else(|| rusqlite::Error::InvalidColumnType(4, "outcome".into(), rusqlite::types::Type::Text))?,
            notes: r.get(5)?,
            version_label: r.get(6)?,
            signature_id: r.get(7)?,
            created_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// References of open actions raised from any review of the document (they block archiving, §1.5).
pub(super) fn open_action_references(conn: &Connection, document_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.reference FROM actions a
         WHERE a.source_type = 'document_review' AND a.source_id IN (SELECT id FROM document_reviews WHERE document_id = ?1)
           AND {} ORDER BY a.reference",
        crate::action::rules::NON_TERMINAL_SQL
    ))?;
    let rows = stmt.query_map([document_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn refuse_from(d: &DocumentRecord, to: &str, allowed: &[&str]) -> CoreError {
    workflow::refuse(&format!("Document {}", d.reference), d.status.as_str(), to, allowed, Vec::new(), Vec::new())
}

/// `documents.start_review`: a published document goes under periodic review; it stays in force meanwhile.
pub fn start_review(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let mut v = Input::new(as_object(&input)?, &["id", "rowVersion"]);
    let (id, row_version) = workflow::read_target(&mut v);
    v.finish()?;
    let (Some(id), Some(row_version)) = (id, row_version) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let doc = load(ctx.conn(), &id)?;
    lifecycle::check_writable(&doc, row_version)?;
    if doc.status != DocumentStatus::Published {
        return Err(refuse_from(&doc, "under_review", &[]));
    }
    ctx.write(|tx, call| {
        let mut d = doc.clone();
        let mut changes = vec![Change::new("status", json!(d.status), json!(DocumentStatus::UnderReview))];
        stamp(&mut changes, "review_started_at", &mut d.review_started_at, Some(call.now_text()));
        d.status = DocumentStatus::UnderReview;
        lifecycle::save(tx, call, &mut d, AuditAction::StatusChange, changes, None)
    })?;
    get_view(ctx, &id)
}

/// `documents.record_review`: records the outcome of the review in progress. `no_change` is signed `reviewed` by the
/// reviewer (segregation of duties: not the owner, not the author of the version in force) and returns the document
/// to published with its next review date; a revision outcome opens a draft revision (the document returns to
/// published when that revision is); `retire` retires it with the notes as the reason.
pub fn record_review(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["id", "rowVersion", "outcome", "notes", "passphrase", "comment", "nextReviewDate"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let outcome = v.required_choice::<ReviewOutcome>("outcome", "Outcome");
    let notes = v.long_text("notes", "Review notes", 1, 2000, true);
    let comment = v.text("comment", "Comment", 0, 1000, false);
    let next_review = v.date("nextReviewDate", "Next review date", false);
    // The passphrase is never trimmed, normalised here, logged or stored.
    let passphrase = map.get("passphrase").and_then(Value::as_str).unwrap_or("").to_owned();
    if outcome == Some(ReviewOutcome::NoChange) && passphrase.is_empty() {
        v.error("passphrase", FieldCode::Required, "Enter your passphrase to sign the review");
    }
    if next_review.is_some() && outcome.is_some_and(|o| o != ReviewOutcome::NoChange) {
        v.error("nextReviewDate", FieldCode::Inconsistent, "The next review date is set by a review with no change");
    }
    let (Some(id), Some(row_version), Some(outcome), Some(notes)) = (id, row_version, outcome, notes) else {
        v.finish()?;
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let doc = load(ctx.conn(), &id)?;
    let computed_next = crate::clock::add_months(ctx.call.today(), doc.fields.review_frequency_months as i32);
    if let Some(n) = next_review {
        if n <= ctx.call.today() {
            v.error("nextReviewDate", FieldCode::BeforeMinimum, "The next review date must be after today");
        } else if n > computed_next {
            v.error(
                "nextReviewDate",
                FieldCode::AfterMaximum,
                format!("The next review can be brought forward, not pushed past {computed_next}"),
            );
        }
    }
    v.finish()?;
    lifecycle::check_writable(&doc, row_version)?;
    if doc.status != DocumentStatus::UnderReview {
        return Err(CoreError::Conflict(format!(
            "{} is {}; start its periodic review before recording the outcome.",
            doc.reference, doc.status
        )));
    }
    let all = versions(ctx.conn(), &id)?;
    let in_force = all.iter().find(|x| x.status == VersionStatus::Published).cloned();
    if outcome == ReviewOutcome::NoChange {
        let actor = ctx.call.actor()?;
        if ctx.call.settings.segregation_of_duties {
            // The same kind as every other segregation-of-duties refusal: an unmet guard of the transition.
            let unmet = if doc.fields.owner_id == actor.id {
                Some("the document's owner cannot sign its review.")
            } else if in_force.as_ref().and_then(|x| x.submitted_by.as_deref()) == Some(actor.id.as_str()) {
                Some("the author of the version in force cannot sign its review.")
            } else {
                None
            };
            if let Some(what) = unmet {
                let guard = crate::settings::segregation_refusal(what);
                return Err(workflow::refuse(
                    &format!("Document {}", doc.reference),
                    "under_review",
                    "published",
                    &["published"],
                    vec![guard],
                    Vec::new(),
                ));
            }
        }
        signature::reauthenticate(ctx, &passphrase)?;
    }
    let files = match &in_force {
        Some(x) => version_file_hashes(ctx.conn(), &x.id)?,
        None => Vec::new(),
    };
    let open_revision = working(&all).cloned();
    ctx.write(|tx, call| {
        let actor_id = call.actor()?.id.clone();
        let now = call.now_text();
        let today = call.today().to_string();
        let review_id = crate::ids::new_id();
        let mut d = doc.clone();
        let mut changes = vec![Change::new("review", Value::Null, json!({"outcome": outcome, "reviewedOn": today, "notes": notes}))];
        let mut signature_id = None;
        let mut reason = None;
        match outcome {
            ReviewOutcome::NoChange => {
                let record = json!({"version": in_force, "review": {"outcome": outcome, "notes": notes, "reviewedOn": today}});
                let sig = signature::sign(
                    tx,
                    call,
                    Signing {
                        meaning: SignatureMeaning::Reviewed,
                        entity_type: ENTITY,
                        entity_id: &d.id,
                        entity_reference: Some(&d.reference),
                        record: &record,
                        files: &files,
                        comment: comment.as_deref(),
                    },
                )?;
                signature_id = Some(sig.id);
                changes.push(Change::new("status", json!(d.status), json!(DocumentStatus::Published)));
                d.status = DocumentStatus::Published;
                let next = next_review.unwrap_or(computed_next).to_string();
                stamp(&mut changes, "next_review_date", &mut d.next_review_date, Some(next));
            }
            ReviewOutcome::MinorRevision | ReviewOutcome::MajorRevision if open_revision.is_none() => {
                // The review opens the revision it calls for; the document stays under review until it is published.
                let Some(base) = &in_force else {
                    return Err(CoreError::Conflict(format!("{} has no published version to revise.", d.reference)));
                };
                let (major, minor) =
                    if outcome == ReviewOutcome::MajorRevision { (base.major + 1, 0) } else { (base.major, base.minor + 1) };
                let summary: String = format!("Periodic review: {notes}").chars().take(2000).collect();
                let ver = new_version(call, &d.id, major, minor, Some(summary), base.body.clone())?;
                rowmap::insert(tx, "document_versions", &rowmap::to_columns(&ver)?)?;
                changes.push(Change::new("revision", Value::Null, json!({"version": ver.version_label, "kind": outcome})));
            }
            ReviewOutcome::MinorRevision | ReviewOutcome::MajorRevision => {}
            ReviewOutcome::Retire => {
                changes.push(Change::new("status", json!(d.status), json!(DocumentStatus::Retired)));
                d.status = DocumentStatus::Retired;
                stamp(&mut changes, "retired_at", &mut d.retired_at, Some(now.clone()));
                reason = Some(notes.clone());
            }
        }
        tx.execute(
            "INSERT INTO document_reviews (id, document_id, reviewed_on, reviewer_id, outcome, notes, version_id, signature_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                review_id,
                d.id,
                today,
                actor_id,
                outcome.as_str(),
                notes,
                in_force.as_ref().map(|x| x.id.clone()),
                signature_id,
                now
            ],
        )?;
        lifecycle::save(tx, call, &mut d, AuditAction::StatusChange, changes, reason.as_deref())
    })?;
    get_view(ctx, &id)
}

/// Reads `{id, rowVersion, reason}` plus `extra` keys for the steps that take a document out of force.
fn read_leaving(ctx: &mut Ctx, input: &Value, extra: &[&str]) -> Result<(DocumentRecord, String, serde_json::Map<String, Value>)> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let map = as_object(input)?;
    let keys: Vec<&str> = ["id", "rowVersion", "reason"].iter().chain(extra).copied().collect();
    let mut v = Input::new(map, &keys);
    let (id, row_version) = workflow::read_target(&mut v);
    let reason = v.text("reason", "Reason", 1, 1000, true);
    for key in extra {
        v.id(key, "Replacement document", true);
    }
    v.finish()?;
    let (Some(id), Some(row_version), Some(reason)) = (id, row_version, reason) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let doc = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::AuthorDocuments, &involved(&doc))?;
    lifecycle::check_writable(&doc, row_version)?;
    Ok((doc, reason, map.clone()))
}

/// `documents.retire`: a document in force leaves force (reason required).
pub fn retire(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    let (doc, reason, _) = read_leaving(ctx, &input, &[])?;
    if !matches!(doc.status, DocumentStatus::Published | DocumentStatus::UnderReview) {
        return Err(refuse_from(&doc, "retired", &[]));
    }
    ctx.write(|tx, call| {
        let mut d = doc.clone();
        let mut changes = vec![Change::new("status", json!(d.status), json!(DocumentStatus::Retired))];
        stamp(&mut changes, "retired_at", &mut d.retired_at, Some(call.now_text()));
        d.status = DocumentStatus::Retired;
        lifecycle::save(tx, call, &mut d, AuditAction::StatusChange, changes, Some(&reason))
    })?;
    get_view(ctx, &doc.id)
}

/// `documents.supersede`: a document in force is replaced by another document (named, neither archived nor out of
/// force, not itself); both histories say so.
pub fn supersede(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    let (doc, reason, map) = read_leaving(ctx, &input, &["replacementId"])?;
    if !matches!(doc.status, DocumentStatus::Published | DocumentStatus::UnderReview) {
        return Err(refuse_from(&doc, "superseded", &[]));
    }
    let replacement_id = map.get("replacementId").and_then(Value::as_str).unwrap_or_default().to_owned();
    let mut v = Input::new(&map, &["id", "rowVersion", "reason", "replacementId"]);
    let replacement = if replacement_id == doc.id {
        v.error("replacementId", FieldCode::Inconsistent, "A document cannot supersede itself");
        None
    } else {
        match load(ctx.conn(), &replacement_id) {
            Err(CoreError::NotFound(_)) => {
                v.error("replacementId", FieldCode::NotFound, format!("No document has the id {replacement_id}"));
                None
            }
            Err(e) => return Err(e),
            Ok(r) if r.archived_at.is_some() => {
                v.error("replacementId", FieldCode::ArchivedTarget, format!("{} is archived", r.reference));
                None
            }
            Ok(r) if check_not_ended(&r).is_err() => {
                v.error("replacementId", FieldCode::Inconsistent, format!("{} is {} and cannot replace another", r.reference, r.status));
                None
            }
            Ok(r) => Some(r),
        }
    };
    v.finish()?;
    let Some(replacement) = replacement else { return Err(CoreError::Internal("validated fields missing".into())) };
    ctx.write(|tx, call| {
        let mut d = doc.clone();
        let mut changes = vec![Change::new("status", json!(d.status), json!(DocumentStatus::Superseded))];
        stamp(&mut changes, "superseded_by_id", &mut d.superseded_by_id, Some(replacement.id.clone()));
        stamp(&mut changes, "superseded_at", &mut d.superseded_at, Some(call.now_text()));
        changes.push(Change::new("superseded by", Value::Null, json!(replacement.reference)));
        d.status = DocumentStatus::Superseded;
        lifecycle::save(tx, call, &mut d, AuditAction::StatusChange, changes, Some(&reason))?;
        // The replacement's history names what it replaced; its row_version is untouched (nothing of it changed).
        append(tx, call, &replacement, AuditAction::Link, vec![Change::new("supersedes", Value::Null, json!(d.reference))], Some(&reason))
    })?;
    get_view(ctx, &doc.id)
}
