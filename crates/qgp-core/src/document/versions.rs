//! A document's versions (§13): editing the working version, its steps (submit, return, signed approval, publish)
//! and starting a revision while the published version stays in force.

use super::model::*;
use super::{
    acks, append, body_of, check_not_ended, file_count, get_view, involved, load, load_version, new_version, version_file_hashes, versions,
    working, ENTITY,
};
use crate::audit_trail::{self, AuditAction, Change};
use crate::authz::{Capability, Role};
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::rowmap;
use crate::signature::{self, SignatureMeaning, Signing};
use crate::validate::{as_object, Choice, Input};
use crate::workflow::{self, stamp};
use jiff::civil::Date;
use rusqlite::Transaction;
use serde_json::{json, Map, Value};

/// Targets a version may move to, before guards.
pub(crate) fn allowed(from: VersionStatus) -> &'static [VersionStatus] {
    use VersionStatus::*;
    match from {
        Draft => &[InReview],
        InReview => &[Draft, Approved],
        Approved => &[Published],
        Published | Superseded => &[],
    }
}

pub(super) fn needs(from: VersionStatus, to: VersionStatus) -> &'static [&'static str] {
    use VersionStatus::*;
    match (from, to) {
        (InReview, Draft) => &["reason"],
        (InReview, Approved) => &["passphrase"],
        _ => &[],
    }
}

/// Guards of a version step; `actor` decides the approver rules (role, segregation of duties).
pub(super) fn unmet(d: &DocumentRecord, ver: &DocumentVersion, to: VersionStatus, call: &Call, files: i64) -> Vec<String> {
    use VersionStatus::*;
    let mut out = Vec::new();
    match (ver.status, to) {
        (Draft, InReview) => {
            if ver.body.is_none() && files == 0 {
                out.push("Write the content or attach a file first.".into());
            }
            if ver.major * 100 + ver.minor > 100 && ver.change_summary.is_none() {
                out.push("Summarise what changed in this version first.".into());
            }
        }
        (InReview, Approved) | (InReview, Draft) => {
            if let Ok(actor) = call.actor() {
                if !matches!(actor.role, Role::Admin | Role::Manager) {
                    out.push("Only a manager or an administrator can approve or return a document.".into());
                } else if to == Approved && call.settings.segregation_of_duties {
                    if ver.submitted_by.as_deref() == Some(actor.id.as_str()) {
                        out.push(crate::settings::segregation_refusal("the author of this version cannot approve it."));
                    } else if d.fields.owner_id == actor.id {
                        out.push(crate::settings::segregation_refusal("the document's owner cannot approve it."));
                    }
                }
            }
        }
        (Approved, Published) => match ver.effective_date.as_deref().and_then(|s| s.parse::<Date>().ok()) {
            None => out.push("Set the effective date first.".into()),
            Some(d) if d < call.today() => out.push("The effective date has passed; set today or a later date.".into()),
            Some(_) => {}
        },
        _ => {}
    }
    out
}

fn save_version(tx: &Transaction, call: &Call, ver: &mut DocumentVersion) -> Result<()> {
    ver.updated_at = call.now_text();
    ver.updated_by = call.actor()?.id.clone();
    ver.row_version += 1;
    let columns: Vec<_> = rowmap::to_columns(&*ver)?.into_iter().filter(|(k, _)| k != "id").collect();
    rowmap::update_by_id(tx, "document_versions", &ver.id, &columns)?;
    Ok(())
}

/// Prefixes a version's changes with its label for the document's history.
fn version_changes(ver: &DocumentVersion, changes: Vec<Change>) -> Vec<Change> {
    changes.into_iter().map(|c| Change::new(format!("version {}.{}", ver.version_label, c.field), c.old, c.new)).collect()
}

/// `documents.edit_version`: body and change summary of a draft version; the effective date of a draft or an
/// approved version (approved content itself no longer changes).
pub fn edit_version(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["versionId", "rowVersion", "changes"]);
    let version_id = v.id("versionId", "Version", true);
    let row_version = v.integer("rowVersion", "Row version", 1, i64::MAX, true);
    let changes = match v.raw("changes") {
        Some(Value::Object(c)) => Some(c.clone()),
        _ => {
            v.error("changes", FieldCode::Required, "Changes must be an object of field values");
            None
        }
    };
    v.finish()?;
    let (Some(version_id), Some(row_version), Some(changes)) = (version_id, row_version, changes) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load_version(ctx.conn(), &version_id)?;
    let doc = load(ctx.conn(), &current.document_id)?;
    ctx.call.require_on(Capability::AuthorDocuments, &involved(&doc))?;
    workflow::check_not_archived(&doc.reference, doc.archived_at.as_deref())?;
    check_not_ended(&doc)?;
    workflow::check_row_version(&format!("Version {} of {}", current.version_label, doc.reference), current.row_version, row_version)?;
    let mut c = Input::new(&changes, &["body", "changeSummary", "effectiveDate"]);
    let content_change = changes.contains_key("body") || changes.contains_key("changeSummary");
    let body = if changes.contains_key("body") { body_of(&mut c) } else { current.body.clone() };
    let change_summary = if changes.contains_key("changeSummary") {
        c.long_text("changeSummary", "Change summary", 1, 2000, false)
    } else {
        current.change_summary.clone()
    };
    let effective_date = if changes.contains_key("effectiveDate") {
        c.date("effectiveDate", "Effective date", false).map(|d| d.to_string())
    } else {
        current.effective_date.clone()
    };
    if content_change && current.status != VersionStatus::Draft {
        c.error("body", FieldCode::Inconsistent, "Only a draft version's content can change; start a revision instead");
    }
    if !matches!(current.status, VersionStatus::Draft | VersionStatus::Approved) && changes.contains_key("effectiveDate") {
        c.error("effectiveDate", FieldCode::Inconsistent, "The effective date is set on a draft or an approved version");
    }
    if let (Some(eff), Some(approved)) = (effective_date.as_deref().and_then(|d| d.parse::<Date>().ok()), current.approved_at.as_deref()) {
        let approved_on = approved.get(..10).and_then(|d| d.parse::<Date>().ok());
        if approved_on.is_some_and(|a| eff < a) {
            c.error("effectiveDate", FieldCode::BeforeMinimum, "The effective date cannot be before the approval date");
        }
    }
    c.finish()?;
    let before = json!({"body": current.body, "change_summary": current.change_summary, "effective_date": current.effective_date});
    let after = json!({"body": body, "change_summary": change_summary, "effective_date": effective_date});
    let empty = Map::new();
    let diff = audit_trail::diff_changes(before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    if !diff.is_empty() {
        ctx.write(|tx, call| {
            let mut ver = current.clone();
            ver.body = body;
            ver.change_summary = change_summary;
            ver.effective_date = effective_date;
            save_version(tx, call, &mut ver)?;
            append(tx, call, &doc, AuditAction::Update, version_changes(&ver, diff), None)
        })?;
    }
    get_view(ctx, &doc.id)
}

/// `documents.version_transition` along the version table: submit, return (reason), approve (signature), publish.
pub fn version_transition(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    use VersionStatus::*;
    ctx.call.require(Capability::AuthorDocuments)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["versionId", "rowVersion", "to", "reason", "passphrase", "comment"]);
    let version_id = v.id("versionId", "Version", true);
    let row_version = v.integer("rowVersion", "Row version", 1, i64::MAX, true);
    let to = v.required_choice::<VersionStatus>("to", "Target status");
    let reason = v.text("reason", "Reason", 1, 1000, false);
    let comment = v.text("comment", "Comment", 0, 1000, false);
    // The passphrase is never trimmed, normalised here, logged or stored.
    let passphrase = map.get("passphrase").and_then(Value::as_str).map(str::to_owned);
    v.finish()?;
    let (Some(version_id), Some(row_version), Some(to)) = (version_id, row_version, to) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load_version(ctx.conn(), &version_id)?;
    let doc = load(ctx.conn(), &current.document_id)?;
    let reviewing = current.status == InReview;
    if reviewing {
        ctx.call.require(Capability::ApproveDocuments)?;
    } else {
        ctx.call.require_on(Capability::AuthorDocuments, &involved(&doc))?;
    }
    let name = format!("Version {} of {}", current.version_label, doc.reference);
    workflow::check_not_archived(&doc.reference, doc.archived_at.as_deref())?;
    check_not_ended(&doc)?;
    workflow::check_row_version(&name, current.row_version, row_version)?;
    let targets: Vec<&str> = allowed(current.status).iter().map(|s| s.as_str()).collect();
    if !allowed(current.status).contains(&to) {
        return Err(workflow::refuse(&name, current.status.as_str(), to.as_str(), &targets, Vec::new(), Vec::new()));
    }
    let unmet = unmet(&doc, &current, to, &ctx.call, file_count(ctx.conn(), &current.id)?);
    if let Some(first) = unmet.first() {
        if reviewing {
            return Err(CoreError::Forbidden(first.clone()));
        }
        return Err(workflow::refuse(&name, current.status.as_str(), to.as_str(), &targets, unmet, Vec::new()));
    }
    let has_pass = passphrase.as_deref().is_some_and(|p| !p.is_empty());
    workflow::missing_needs(needs(current.status, to), &[("reason", reason.is_some()), ("passphrase", has_pass)])?;
    if to == Approved {
        signature::reauthenticate(ctx, passphrase.as_deref().unwrap_or(""))?;
    }
    let files = version_file_hashes(ctx.conn(), &current.id)?;
    let first_version = versions(ctx.conn(), &doc.id)?.iter().all(|x| x.id == current.id || x.status == Draft);
    ctx.write(|tx, call| {
        let actor_id = call.actor()?.id.clone();
        let now = call.now_text();
        let mut ver = current.clone();
        let mut changes = vec![Change::new("status", json!(ver.status), json!(to))];
        match to {
            InReview => {
                stamp(&mut changes, "submitted_at", &mut ver.submitted_at, Some(now.clone()));
                stamp(&mut changes, "submitted_by", &mut ver.submitted_by, Some(actor_id.clone()));
            }
            Approved => {
                stamp(&mut changes, "approved_at", &mut ver.approved_at, Some(now.clone()));
                stamp(&mut changes, "approved_by", &mut ver.approved_by, Some(actor_id.clone()));
            }
            Published => stamp(&mut changes, "published_at", &mut ver.published_at, Some(now.clone())),
            _ => {}
        }
        ver.status = to;
        save_version(tx, call, &mut ver)?;
        let mut d = doc.clone();
        let mut doc_changes = version_changes(&ver, changes);
        if to == Published {
            // The version in force before is superseded in the same transaction.
            let superseded =
                tx.execute("UPDATE document_versions SET status = 'superseded', updated_at = ?2, row_version = row_version + 1 WHERE document_id = ?1 AND status = 'published' AND id <> ?3", [&d.id, &now, &ver.id])?;
            if superseded > 0 {
                doc_changes.push(Change::new("superseded versions", Value::Null, json!(superseded)));
            }
            let effective: Date = ver.effective_date.as_deref().and_then(|s| s.parse().ok()).unwrap_or_else(|| call.today());
            let next = crate::clock::add_months(effective, d.fields.review_frequency_months as i32).to_string();
            stamp(&mut doc_changes, "next_review_date", &mut d.next_review_date, Some(next));
        }
        // The document follows its first version until that is published; afterwards it stays in force.
        let new_status = match (first_version, to) {
            (_, Published) => Some(DocumentStatus::Published),
            (true, InReview) => Some(DocumentStatus::InReview),
            (true, Draft) => Some(DocumentStatus::Draft),
            (true, Approved) => Some(DocumentStatus::Approved),
            _ => None,
        };
        if let Some(s) = new_status.filter(|s| *s != d.status) {
            doc_changes.push(Change::new("status", json!(d.status), json!(s)));
            d.status = s;
        }
        if to == Published {
            let requested = acks::request_missing(tx, call, &d)?;
            if requested > 0 {
                doc_changes.push(Change::new("acknowledgements requested", Value::Null, json!(requested)));
            }
        }
        lifecycle::save(tx, call, &mut d, AuditAction::StatusChange, doc_changes, reason.as_deref())?;
        if to == Approved {
            // The signature covers the approved content and the SHA-256 of each attached file.
            let signed = serde_json::to_value(&ver)?;
            signature::sign(
                tx,
                call,
                Signing {
                    meaning: SignatureMeaning::Approved,
                    entity_type: ENTITY,
                    entity_id: &d.id,
                    entity_reference: Some(&d.reference),
                    record: &signed,
                    files: &files,
                    comment: comment.as_deref(),
                },
            )?;
        }
        Ok(())
    })?;
    get_view(ctx, &doc.id)
}

/// `documents.new_revision`: a new draft version (major x+1.0 or minor x.y+1) starting from the published content,
/// while the published version stays in force.
pub fn new_revision(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let mut v = Input::new(as_object(&input)?, &["id", "rowVersion", "kind", "changeSummary"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let kind = v.required_choice::<RevisionKind>("kind", "Revision");
    let change_summary = v.long_text("changeSummary", "Change summary", 1, 2000, true);
    v.finish()?;
    let (Some(id), Some(row_version), Some(kind), Some(change_summary)) = (id, row_version, kind, change_summary) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let doc = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::AuthorDocuments, &involved(&doc))?;
    lifecycle::check_writable(&doc, row_version)?;
    check_not_ended(&doc)?;
    let all = versions(ctx.conn(), &id)?;
    if let Some(w) = working(&all) {
        return Err(CoreError::Conflict(format!(
            "Version {} of {} is already being prepared ({}).",
            w.version_label, doc.reference, w.status
        )));
    }
    let Some(published) = all.iter().find(|x| x.status == VersionStatus::Published).cloned() else {
        return Err(CoreError::Conflict(format!("{} has no published version to revise.", doc.reference)));
    };
    let (major, minor) = match kind {
        RevisionKind::Major => (published.major + 1, 0),
        RevisionKind::Minor => (published.major, published.minor + 1),
    };
    ctx.write(|tx, call| {
        let ver = new_version(call, &doc.id, major, minor, Some(change_summary.clone()), published.body.clone())?;
        rowmap::insert(tx, "document_versions", &rowmap::to_columns(&ver)?)?;
        let mut d = doc.clone();
        lifecycle::save(
            tx,
            call,
            &mut d,
            AuditAction::Update,
            vec![Change::new(
                "revision",
                Value::Null,
                json!({"version": ver.version_label, "kind": kind, "changeSummary": change_summary}),
            )],
            None,
        )
    })?;
    get_view(ctx, &id)
}

/// `documents.discard_draft`: `{versionId, rowVersion}` — a revision never sent for review is removed (§1.5): the
/// version row goes, its attached files stay in the evidence store (only their links go), and the document's history
/// gets a `discard` event holding the version's last content. A version once sent for review stays in the record
/// (return and revise it instead). A document's only version is not discarded: archive the document (decision 0002).
pub fn discard_draft(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let mut v = Input::new(as_object(&input)?, &["versionId", "rowVersion"]);
    let version_id = v.id("versionId", "Version", true);
    let row_version = v.integer("rowVersion", "Row version", 1, i64::MAX, true);
    v.finish()?;
    let (Some(version_id), Some(row_version)) = (version_id, row_version) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load_version(ctx.conn(), &version_id)?;
    let doc = load(ctx.conn(), &current.document_id)?;
    ctx.call.require_on(Capability::AuthorDocuments, &involved(&doc))?;
    workflow::check_not_archived(&doc.reference, doc.archived_at.as_deref())?;
    let label = format!("Version {} of {}", current.version_label, doc.reference);
    workflow::check_row_version(&label, current.row_version, row_version)?;
    if current.status != VersionStatus::Draft || current.submitted_at.is_some() {
        return Err(CoreError::Conflict(format!(
            "{label} has been sent for review, so it stays in the record; only a draft never sent for review can be discarded."
        )));
    }
    if versions(ctx.conn(), &doc.id)?.len() == 1 {
        return Err(CoreError::Conflict(format!(
            "{label} is its only version; archive the document instead (it stays readable and can be restored)."
        )));
    }
    let files: Vec<String> = {
        let mut stmt = ctx.conn().prepare(
            "SELECT f.original_name FROM evidence_links l JOIN evidence_files f ON f.id = l.evidence_id
             WHERE l.entity_type = 'document_version' AND l.entity_id = ?1 ORDER BY f.original_name",
        )?;
        let rows = stmt.query_map([&current.id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    ctx.write(|tx, call| {
        tx.execute("DELETE FROM evidence_links WHERE entity_type = 'document_version' AND entity_id = ?1", [&current.id])?;
        tx.execute("DELETE FROM document_versions WHERE id = ?1", [&current.id])?;
        let last = json!({"body": current.body, "change_summary": current.change_summary, "effective_date": current.effective_date, "files": files});
        let mut d = doc.clone();
        let changes = vec![Change::new(format!("version {}", current.version_label), last, Value::Null)];
        lifecycle::save(tx, call, &mut d, AuditAction::Discard, changes, None)
    })?;
    get_view(ctx, &doc.id)
}
