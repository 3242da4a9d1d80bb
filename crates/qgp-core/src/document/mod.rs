//! Policies and controlled documents (domain.md §13): a controlled identity whose content lives in versions. A
//! version is drafted, sent for review, approved by a signature (segregation of duties), and published on its
//! effective date; a revision runs the same steps while the published version stays in force, and publishing it
//! supersedes the old one in the same transaction. Published content is immutable.

pub mod model;

use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::{Capability, Role};
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::rowmap::{self, to_object};
use crate::signature::{self, SignatureMeaning, Signing};
use crate::validate::{as_object, Choice, Input};
use crate::workflow::{self, stamp};
use jiff::civil::Date;
use model::*;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{json, Map, Value};

const ENTITY: &str = "document";
const PREFIX: &str = "POL";

fn append(
    tx: &Transaction,
    call: &Call,
    d: &DocumentRecord,
    action: AuditAction,
    changes: Vec<Change>,
    reason: Option<&str>,
) -> Result<()> {
    audit_trail::append(
        tx,
        call,
        NewEvent { entity_type: ENTITY, entity_id: &d.id, entity_reference: Some(&d.reference), action, changes, reason },
    )?;
    Ok(())
}

/// Validates the document fields and tags.
fn read_fields(conn: &Connection, map: &Map<String, Value>, extra: &[&str]) -> Result<(DocumentFields, Vec<String>)> {
    let known: Vec<&str> = FIELD_KEYS.iter().chain(extra).copied().collect();
    let mut v = Input::new(map, &known);
    let title = v.text("title", "Title", 1, 300, true);
    let description = v.long_text("description", "Description", 0, 2000, false);
    let document_type = v.choice("documentType", "Document type", Some(DocumentType::Policy)).unwrap_or(DocumentType::Policy);
    let category = v.text("category", "Category", 0, 100, false);
    let department = v.text("department", "Department", 0, 100, false);
    let owner_id = v.id("ownerId", "Owner", true);
    crate::incident::rules::check_user_ref(conn, &mut v, "ownerId", "Owner", owner_id.as_deref())?;
    let default_approver_id = v.id("defaultApproverId", "Default approver", false);
    crate::incident::rules::check_user_ref(conn, &mut v, "defaultApproverId", "Default approver", default_approver_id.as_deref())?;
    let confidentiality =
        v.choice("confidentiality", "Confidentiality", Some(Confidentiality::Internal)).unwrap_or(Confidentiality::Internal);
    let review_frequency_months = v.integer("reviewFrequencyMonths", "Review frequency (months)", 1, 60, false).unwrap_or(12);
    let acknowledgement_required = v.boolean("acknowledgementRequired", "Acknowledgement required", false);
    let ack_within_days = v.integer("ackWithinDays", "Acknowledge within (days)", 1, 365, false).unwrap_or(14);
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);
    let mut tags: Vec<String> = Vec::new();
    match v.raw("tags") {
        None => {}
        Some(Value::Array(items)) if items.len() <= 20 => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str().map(str::trim).filter(|t| !t.is_empty() && t.chars().count() <= 50) {
                    Some(t) if !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) => tags.push(t.to_owned()),
                    Some(_) => v.error(&format!("tags[{i}]"), FieldCode::Duplicate, "This tag is already given"),
                    None => v.error(&format!("tags[{i}]"), FieldCode::InvalidFormat, "A tag is 1 to 50 characters"),
                }
            }
        }
        Some(_) => v.error("tags", FieldCode::InvalidFormat, "Tags are a list of at most 20 words or phrases"),
    }
    v.finish()?;
    let fields = DocumentFields {
        title: title.unwrap_or_default(),
        description,
        document_type,
        category,
        department,
        owner_id: owner_id.unwrap_or_default(),
        default_approver_id,
        confidentiality,
        review_frequency_months,
        acknowledgement_required,
        ack_within_days,
        legacy_reference,
    };
    Ok((fields, tags))
}

fn body_of(v: &mut Input) -> Option<String> {
    v.long_text("body", "Content", 0, 200_000, false)
}

fn version_label(major: i64, minor: i64) -> String {
    format!("{major}.{minor}")
}

fn replace_tags(tx: &Transaction, id: &str, tags: &[String]) -> Result<()> {
    tx.execute("DELETE FROM document_tags WHERE document_id = ?1", [id])?;
    for t in tags {
        tx.execute("INSERT INTO document_tags (document_id, tag) VALUES (?1, ?2)", [id, t.as_str()])?;
    }
    Ok(())
}

fn tags(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT tag FROM document_tags WHERE document_id = ?1 ORDER BY tag COLLATE NOCASE")?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

fn new_version(
    call: &Call,
    document_id: &str,
    major: i64,
    minor: i64,
    change_summary: Option<String>,
    body: Option<String>,
) -> Result<DocumentVersion> {
    let actor = call.actor()?;
    let now = call.now_text();
    Ok(DocumentVersion {
        id: crate::ids::new_id(),
        document_id: document_id.to_owned(),
        major,
        minor,
        version_label: version_label(major, minor),
        change_summary,
        body,
        status: VersionStatus::Draft,
        submitted_at: None,
        submitted_by: None,
        approved_at: None,
        approved_by: None,
        published_at: None,
        effective_date: None,
        requires_reacknowledgement: minor == 0,
        created_at: now.clone(),
        updated_at: now,
        created_by: actor.id.clone(),
        updated_by: actor.id.clone(),
        row_version: 1,
    })
}

/// `documents.create`: a draft document with version 1.0 in draft (body optional until it is sent for review).
pub fn create(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let map = as_object(&input)?.clone();
    let (fields, tag_list) = read_fields(ctx.conn(), &map, &["body"])?;
    let mut v = Input::new(&map, &[FIELD_KEYS, &["body"]].concat());
    let body = body_of(&mut v);
    let id = ctx.write(|tx, call| {
        let actor = call.actor()?;
        let now = call.now_text();
        let record = DocumentRecord {
            id: crate::ids::new_id(),
            reference: crate::reference::allocate(tx, PREFIX, &now)?,
            fields,
            next_review_date: None,
            status: DocumentStatus::Draft,
            superseded_by_id: None,
            review_started_at: None,
            superseded_at: None,
            retired_at: None,
            created_at: now.clone(),
            updated_at: now,
            created_by: actor.id.clone(),
            updated_by: actor.id.clone(),
            row_version: 1,
            archived_at: None,
            archived_by: None,
            archive_reason: None,
        };
        rowmap::insert(tx, "documents", &rowmap::to_columns(&record)?)?;
        replace_tags(tx, &record.id, &tag_list)?;
        let version = new_version(call, &record.id, 1, 0, None, body.clone())?;
        rowmap::insert(tx, "document_versions", &rowmap::to_columns(&version)?)?;
        let mut created = to_object(&record.fields)?;
        created.insert("status".into(), json!(record.status));
        created.insert("version".into(), json!(version.version_label));
        if !tag_list.is_empty() {
            created.insert("tags".into(), json!(tag_list));
        }
        append(tx, call, &record, AuditAction::Create, audit_trail::created_changes(&created), None)?;
        Ok(record.id)
    })?;
    get_view(ctx, &id)
}

fn load(conn: &Connection, id: &str) -> Result<DocumentRecord> {
    let mut stmt = conn.prepare_cached("SELECT * FROM documents WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    stmt.query_row([id], |r| rowmap::from_row(r, &kinds))
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("No document has the id {id}.")))
}

fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT id FROM documents WHERE reference = ?1")?.query_row([reference], |r| r.get(0)).optional()?)
}

fn versions(conn: &Connection, document_id: &str) -> Result<Vec<DocumentVersion>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM document_versions WHERE document_id = ?1 ORDER BY major DESC, minor DESC")?;
    rowmap::query_as(&mut stmt, [document_id])
}

fn load_version(conn: &Connection, id: &str) -> Result<DocumentVersion> {
    let mut stmt = conn.prepare_cached("SELECT * FROM document_versions WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    stmt.query_row([id], |r| rowmap::from_row(r, &kinds))
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("No document version has the id {id}.")))
}

fn working(versions: &[DocumentVersion]) -> Option<&DocumentVersion> {
    versions.iter().find(|v| matches!(v.status, VersionStatus::Draft | VersionStatus::InReview | VersionStatus::Approved))
}

fn involved(d: &DocumentRecord) -> [Option<&str>; 2] {
    [Some(d.created_by.as_str()), Some(d.fields.owner_id.as_str())]
}

/// Targets a version may move to, before guards.
fn allowed(from: VersionStatus) -> &'static [VersionStatus] {
    use VersionStatus::*;
    match from {
        Draft => &[InReview],
        InReview => &[Draft, Approved],
        Approved => &[Published],
        Published | Superseded => &[],
    }
}

fn needs(from: VersionStatus, to: VersionStatus) -> &'static [&'static str] {
    use VersionStatus::*;
    match (from, to) {
        (InReview, Draft) => &["reason"],
        (InReview, Approved) => &["passphrase"],
        _ => &[],
    }
}

/// Guards of a version step; `actor` decides the approver rules (role, segregation of duties).
fn unmet(d: &DocumentRecord, ver: &DocumentVersion, to: VersionStatus, call: &Call, files: i64) -> Vec<String> {
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
                        out.push("Segregation of duties: the author of this version cannot approve it.".into());
                    } else if d.fields.owner_id == actor.id {
                        out.push("Segregation of duties: the document's owner cannot approve it.".into());
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

fn file_count(conn: &Connection, version_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM evidence_links WHERE entity_type = 'document_version' AND entity_id = ?1",
        [version_id],
        |r| r.get(0),
    )?)
}

fn get_view(ctx: &Ctx, id: &str) -> Result<DocumentView> {
    let conn = ctx.conn();
    let record = load(conn, id)?;
    let all = versions(conn, id)?;
    let published = all.iter().find(|v| v.status == VersionStatus::Published).map(|v| v.id.clone());
    let work = working(&all).cloned();
    let transitions = match (&work, record.archived_at.is_some()) {
        (Some(w), false) => {
            let files = file_count(conn, &w.id)?;
            allowed(w.status)
                .iter()
                .map(|to| VersionTransitionOption {
                    to: *to,
                    needs: needs(w.status, *to).iter().map(|s| (*s).to_owned()).collect(),
                    unmet_guards: unmet(&record, w, *to, &ctx.call, files),
                    signature: *to == VersionStatus::Approved,
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let review_overdue = matches!(record.status, DocumentStatus::Published | DocumentStatus::UnderReview)
        && record.next_review_date.as_deref().and_then(|d| d.parse::<Date>().ok()).is_some_and(|d| d < ctx.call.today());
    Ok(DocumentView {
        tags: tags(conn, id)?,
        owner_name: crate::users::find(conn, &record.fields.owner_id)?.map(|u| u.display_name),
        versions: all,
        published_version_id: published,
        working_version_id: work.map(|w| w.id),
        transitions,
        review_overdue,
        signatures: signature::list_for(conn, ENTITY, id)?,
        record,
    })
}

/// `documents.get`: one document by `id` or `reference`, with its versions.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    let id = lifecycle::read_get::<DocumentRecord>(ctx, &input, id_by_reference)?;
    get_view(ctx, &id)
}

/// `documents.update`: the document's own fields and tags (content changes go through versions).
pub fn update(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let (id, row_version, changes) = lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::AuthorDocuments, &involved(&current))?;
    lifecycle::check_writable(&current, row_version)?;
    if matches!(current.status, DocumentStatus::Retired | DocumentStatus::Superseded) {
        return Err(CoreError::Conflict(format!("{} is {} and read-only.", current.reference, current.status)));
    }
    let old_tags = tags(ctx.conn(), &id)?;
    let mut merged = to_object(&current.fields)?;
    merged.insert("tags".into(), json!(old_tags));
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let (fields, tag_list) = read_fields(ctx.conn(), &merged, &[])?;
    let mut before = to_object(&current.fields)?;
    before.insert("tags".into(), json!(old_tags));
    let mut after = to_object(&fields)?;
    after.insert("tags".into(), json!(tag_list));
    let diff = audit_trail::diff_changes(&before, &after);
    if !diff.is_empty() {
        ctx.write(|tx, call| {
            let mut d = current.clone();
            d.fields = fields;
            d.updated_at = call.now_text();
            d.updated_by = call.actor()?.id.clone();
            d.row_version += 1;
            let columns: Vec<_> = rowmap::to_columns(&d)?.into_iter().filter(|(k, _)| k != "id").collect();
            rowmap::update_by_id(tx, "documents", &d.id, &columns)?;
            replace_tags(tx, &d.id, &tag_list)?;
            append(tx, call, &d, AuditAction::Update, diff, None)
        })?;
    }
    get_view(ctx, &id)
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
    let files: Vec<String> = {
        let mut stmt = ctx.conn().prepare(
            "SELECT f.sha256 FROM evidence_links l JOIN evidence_files f ON f.id = l.evidence_id
             WHERE l.entity_type = 'document_version' AND l.entity_id = ?1",
        )?;
        let rows = stmt.query_map([&current.id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
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
        d.updated_at = now.clone();
        d.updated_by = actor_id;
        d.row_version += 1;
        let columns: Vec<_> = rowmap::to_columns(&d)?.into_iter().filter(|(k, _)| k != "id").collect();
        rowmap::update_by_id(tx, "documents", &d.id, &columns)?;
        append(tx, call, &d, AuditAction::StatusChange, doc_changes, reason.as_deref())?;
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
        d.updated_at = call.now_text();
        d.updated_by = call.actor()?.id.clone();
        d.row_version += 1;
        let columns: Vec<_> = rowmap::to_columns(&d)?.into_iter().filter(|(k, _)| k != "id").collect();
        rowmap::update_by_id(tx, "documents", &d.id, &columns)?;
        append(
            tx,
            call,
            &d,
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

/// `documents.retire`: a published document leaves force (reason required).
pub fn retire(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let mut v = Input::new(as_object(&input)?, &["id", "rowVersion", "reason"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let reason = v.text("reason", "Reason", 1, 1000, true);
    v.finish()?;
    let (Some(id), Some(row_version), Some(reason)) = (id, row_version, reason) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let doc = load(ctx.conn(), &id)?;
    lifecycle::check_writable(&doc, row_version)?;
    if !matches!(doc.status, DocumentStatus::Published | DocumentStatus::UnderReview) {
        let name = format!("Document {}", doc.reference);
        return Err(workflow::refuse(&name, doc.status.as_str(), "retired", &[], Vec::new(), Vec::new()));
    }
    ctx.write(|tx, call| {
        let mut d = doc.clone();
        let mut changes = vec![Change::new("status", json!(d.status), json!(DocumentStatus::Retired))];
        stamp(&mut changes, "retired_at", &mut d.retired_at, Some(call.now_text()));
        d.status = DocumentStatus::Retired;
        d.updated_at = call.now_text();
        d.updated_by = call.actor()?.id.clone();
        d.row_version += 1;
        let columns: Vec<_> = rowmap::to_columns(&d)?.into_iter().filter(|(k, _)| k != "id").collect();
        rowmap::update_by_id(tx, "documents", &d.id, &columns)?;
        append(tx, call, &d, AuditAction::StatusChange, changes, Some(&reason))
    })?;
    get_view(ctx, &id)
}

/// `documents.archive`: `{id, rowVersion, reason}`.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    let record = lifecycle::archive(ctx, &input, load, |conn, r| {
        crate::action::store::open_references(conn, crate::action::model::ActionSourceType::DocumentReview, &r.id)
    })?;
    get_view(ctx, &record.id)
}

/// `documents.restore`: `{id, rowVersion, reason?}`.
pub fn restore(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    get_view(ctx, &record.id)
}

/// `documents.history`: the document's events (its versions' included), newest first.
pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<DocumentRecord>(ctx, &input, load)
}

const FILTER_KEYS: &[&str] = &["status", "documentType", "ownerId", "reviewOverdue"];

/// `documents.list`: the register, newest reference first.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<DocumentSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let known: Vec<&str> = LIST_KEYS.iter().chain(FILTER_KEYS).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, &["reference", "title", "nextReviewDate"]);
    let statuses: Vec<DocumentStatus> = choice_list(&mut v, "status", "Status");
    let types: Vec<DocumentType> = choice_list(&mut v, "documentType", "Document type");
    let owners = crate::paging::id_list(&mut v, "ownerId", "Owner");
    let review_overdue = v.tri_state("reviewOverdue", "Review overdue");
    v.finish()?;
    let today = ctx.call.today().to_string();
    let mut q = crate::sqlfilter::Filters::new(page.archived_sql("d"));
    q.any_of("d.status", "st", &statuses.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("d.document_type", "ty", &types.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    q.any_of("d.owner_id", "own", &owners);
    if review_overdue.is_some() {
        q.bind("today", today.clone());
    }
    q.tri_state(review_overdue, "d.status IN ('published', 'under_review') AND d.next_review_date < :today");
    if let Some(text) = page.search.as_deref().and_then(crate::paging::fts_query) {
        let key = q.bind("search", text);
        q.push(format!(
            "(d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH {key}) OR d.id IN (SELECT document_id FROM document_tags WHERE tag = :tag))"
        ));
        q.bind("tag", page.search.clone().unwrap_or_default());
    }
    let where_sql = q.sql();
    let params = q.params();
    let conn = ctx.conn();
    let total: i64 =
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM documents d WHERE {where_sql}"))?.query_row(params.as_slice(), |r| r.get(0))?;
    let order = match page.sort.as_deref() {
        Some("title") => "d.title COLLATE NOCASE ASC",
        Some("nextReviewDate") => "d.next_review_date IS NULL, d.next_review_date ASC",
        _ => "d.reference DESC",
    };
    let (limit, offset) = page.limit_offset();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.id, d.reference, d.title, d.document_type, d.status, u.display_name, d.next_review_date, d.row_version, d.archived_at,
                (SELECT version_label FROM document_versions x WHERE x.document_id = d.id AND x.status = 'published') AS current_version
         FROM documents d LEFT JOIN users u ON u.id = d.owner_id WHERE {where_sql} ORDER BY {order}, d.id LIMIT {limit} OFFSET {offset}"
    ))?;
    let rows = stmt.query_map(params.as_slice(), |r| {
        let bad = |i: usize| rusqlite::Error::InvalidColumnType(i, "enum".into(), rusqlite::types::Type::Text);
        let status = DocumentStatus::parse(&r.get::<_, String>(4)?).ok_or_else(|| bad(4))?;
        let next: Option<String> = r.get(6)?;
        Ok(DocumentSummary {
            id: r.get(0)?,
            reference: r.get(1)?,
            title: r.get(2)?,
            document_type: DocumentType::parse(&r.get::<_, String>(3)?).ok_or_else(|| bad(3))?,
            review_overdue: matches!(status, DocumentStatus::Published | DocumentStatus::UnderReview)
                && next.as_deref().is_some_and(|d| d < today.as_str()),
            status,
            owner_name: r.get(5)?,
            next_review_date: next,
            row_version: r.get(7)?,
            archived_at: r.get(8)?,
            current_version: r.get(9)?,
        })
    })?;
    let items = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page::new(items, total, &page))
}

crate::governed!(DocumentRecord, "documents", "document", "Document");
