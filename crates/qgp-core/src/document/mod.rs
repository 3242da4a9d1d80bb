//! Policies and controlled documents (domain.md §13): a controlled identity whose content lives in versions. A
//! version is drafted, sent for review, approved by a signature (segregation of duties), and published on its
//! effective date; a revision runs the same steps while the published version stays in force, and publishing it
//! supersedes the old one in the same transaction. Published content is immutable.

mod acks;
pub mod model;
mod reviews;
pub(crate) mod versions;

pub use acks::{acknowledge, my_acknowledgements, request_for_user};
pub use reviews::{record_review, retire, start_review, supersede};
use versions::{allowed, needs, unmet};
pub use versions::{discard_draft, edit_version, new_revision, version_transition};

use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::{Capability, Role};
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::rowmap::{self, to_object};
use crate::signature;
use crate::validate::{as_object, Choice, Input};
use jiff::civil::Date;
use model::*;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{json, Map, Value};

pub(super) const ENTITY: &str = "document";
const PREFIX: &str = "POL";

pub(super) fn append(
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

/// A document's sets kept one row each: tags and who must acknowledge.
#[derive(Debug, Clone, Default, PartialEq)]
struct DocumentSets {
    tags: Vec<String>,
    ack_roles: Vec<Role>,
    ack_user_ids: Vec<String>,
}

impl DocumentSets {
    fn load(conn: &Connection, id: &str) -> Result<Self> {
        Ok(DocumentSets { tags: tags(conn, id)?, ack_roles: acks::roles(conn, id)?, ack_user_ids: acks::named_users(conn, id)? })
    }

    fn insert_into(&self, map: &mut Map<String, Value>) {
        map.insert("tags".into(), json!(self.tags));
        map.insert("ackRoles".into(), json!(self.ack_roles));
        map.insert("ackUserIds".into(), json!(self.ack_user_ids));
    }

    fn replace(&self, tx: &Transaction, id: &str) -> Result<()> {
        tx.execute("DELETE FROM document_tags WHERE document_id = ?1", [id])?;
        for t in &self.tags {
            tx.execute("INSERT INTO document_tags (document_id, tag) VALUES (?1, ?2)", [id, t.as_str()])?;
        }
        tx.execute("DELETE FROM document_ack_roles WHERE document_id = ?1", [id])?;
        for r in &self.ack_roles {
            tx.execute("INSERT INTO document_ack_roles (document_id, role) VALUES (?1, ?2)", [id, r.as_str()])?;
        }
        tx.execute("DELETE FROM document_ack_users WHERE document_id = ?1", [id])?;
        for u in &self.ack_user_ids {
            tx.execute("INSERT INTO document_ack_users (document_id, user_id) VALUES (?1, ?2)", [id, u.as_str()])?;
        }
        Ok(())
    }
}

/// Validates the document fields, tags and acknowledgement audience.
fn read_fields(conn: &Connection, map: &Map<String, Value>, extra: &[&str]) -> Result<(DocumentFields, DocumentSets)> {
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
    let mut ack_roles: Vec<Role> = Vec::new();
    match v.raw("ackRoles") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str().and_then(Role::parse) {
                    Some(r) if !ack_roles.contains(&r) => ack_roles.push(r),
                    Some(_) => {}
                    None => v.error(&format!("ackRoles[{i}]"), FieldCode::InvalidChoice, "Not a role"),
                }
            }
        }
        Some(_) => v.error("ackRoles", FieldCode::InvalidFormat, "Roles to acknowledge are a list of roles"),
    }
    let mut ack_user_ids: Vec<String> = Vec::new();
    match v.raw("ackUserIds") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) if items.len() <= 500 => {
            for (i, item) in items.iter().enumerate() {
                let key = format!("ackUserIds[{i}]");
                match item.as_str() {
                    Some(id) if ack_user_ids.iter().any(|x| x == id) => {}
                    Some(id) => match crate::users::find(conn, id)? {
                        Some(u) if u.is_active => ack_user_ids.push(id.to_owned()),
                        // Someone named before and deactivated since stays on the list until removed.
                        Some(_) if crate::validate::is_kept_in("ackUserIds", id) => ack_user_ids.push(id.to_owned()),
                        Some(u) => v.error(&key, FieldCode::ArchivedTarget, format!("{} is deactivated", u.display_name)),
                        None => v.error(&key, FieldCode::NotFound, format!("No user has the id {id}")),
                    },
                    None => v.error(&key, FieldCode::InvalidFormat, "A user id is text"),
                }
            }
        }
        Some(_) => v.error("ackUserIds", FieldCode::InvalidFormat, "People to acknowledge are a list of at most 500 user ids"),
    }
    if acknowledgement_required && ack_roles.is_empty() && ack_user_ids.is_empty() {
        v.error("ackRoles", FieldCode::Required, "Name the roles or the people who must acknowledge this document");
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
    Ok((fields, DocumentSets { tags, ack_roles, ack_user_ids }))
}

pub(super) fn body_of(v: &mut Input) -> Option<String> {
    v.long_text("body", "Content", 0, 200_000, false)
}

fn version_label(major: i64, minor: i64) -> String {
    format!("{major}.{minor}")
}

fn tags(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT tag FROM document_tags WHERE document_id = ?1 ORDER BY tag COLLATE NOCASE")?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

pub(super) fn new_version(
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
    let (fields, sets) = read_fields(ctx.conn(), &map, &["body"])?;
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
        sets.replace(tx, &record.id)?;
        let version = new_version(call, &record.id, 1, 0, None, body.clone())?;
        rowmap::insert(tx, "document_versions", &rowmap::to_columns(&version)?)?;
        let mut created = to_object(&record.fields)?;
        created.insert("status".into(), json!(record.status));
        created.insert("version".into(), json!(version.version_label));
        for (key, set) in [("tags", json!(sets.tags)), ("ackRoles", json!(sets.ack_roles)), ("ackUserIds", json!(sets.ack_user_ids))] {
            if set.as_array().is_some_and(|a| !a.is_empty()) {
                created.insert(key.into(), set);
            }
        }
        append(tx, call, &record, AuditAction::Create, audit_trail::created_changes(&created), None)?;
        Ok(record.id)
    })?;
    get_view(ctx, &id)
}

fn document_link(r: &rusqlite::Row) -> rusqlite::Result<DocumentLink> {
    let status: String = r.get(3)?;
    Ok(DocumentLink {
        id: r.get(0)?,
        reference: r.get(1)?,
        title: r.get(2)?,
        status: DocumentStatus::parse(&status)
            .ok_or_else(|| rusqlite::Error::InvalidColumnType(3, "status".into(), rusqlite::types::Type::Text))?,
    })
}

pub(super) fn load(conn: &Connection, id: &str) -> Result<DocumentRecord> {
    lifecycle::load_row(conn, id)
}

fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT id FROM documents WHERE reference = ?1")?.query_row([reference], |r| r.get(0)).optional()?)
}

pub(super) fn versions(conn: &Connection, document_id: &str) -> Result<Vec<DocumentVersion>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM document_versions WHERE document_id = ?1 ORDER BY major DESC, minor DESC")?;
    rowmap::query_as(&mut stmt, [document_id])
}

pub(super) fn load_version(conn: &Connection, id: &str) -> Result<DocumentVersion> {
    let mut stmt = conn.prepare_cached("SELECT * FROM document_versions WHERE id = ?1")?;
    let kinds = rowmap::column_kinds(&stmt);
    stmt.query_row([id], |r| rowmap::from_row(r, &kinds))
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("No document version has the id {id}.")))
}

pub(super) fn working(versions: &[DocumentVersion]) -> Option<&DocumentVersion> {
    versions.iter().find(|v| matches!(v.status, VersionStatus::Draft | VersionStatus::InReview | VersionStatus::Approved))
}

pub(super) fn involved(d: &DocumentRecord) -> [Option<&str>; 2] {
    [Some(d.created_by.as_str()), Some(d.fields.owner_id.as_str())]
}

pub(super) fn file_count(conn: &Connection, version_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM evidence_links WHERE entity_type = 'document_version' AND entity_id = ?1",
        [version_id],
        |r| r.get(0),
    )?)
}

/// SHA-256 of each file attached to a version (what a signature over the version covers).
pub(super) fn version_file_hashes(conn: &Connection, version_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.sha256 FROM evidence_links l JOIN evidence_files f ON f.id = l.evidence_id
         WHERE l.entity_type = 'document_version' AND l.entity_id = ?1",
    )?;
    let rows = stmt.query_map([version_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn get_view(ctx: &Ctx, id: &str) -> Result<DocumentView> {
    let conn = ctx.conn();
    let record = load(conn, id)?;
    let all = versions(conn, id)?;
    let in_force = all.iter().find(|v| v.status == VersionStatus::Published).cloned();
    let published = in_force.as_ref().map(|v| v.id.clone());
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
    let sets = DocumentSets::load(conn, id)?;
    let mut ack_users = Vec::new();
    for uid in &sets.ack_user_ids {
        if let Some(u) = crate::users::find(conn, uid)? {
            ack_users.push(crate::investigation::model::NamedUser { id: u.id, name: u.display_name });
        }
    }
    let link = |id: &str| -> Result<Option<DocumentLink>> {
        Ok(conn
            .prepare_cached("SELECT id, reference, title, status FROM documents WHERE id = ?1")?
            .query_row([id], document_link)
            .optional()?)
    };
    let superseded_by = match record.superseded_by_id.as_deref() {
        Some(r) => link(r)?,
        None => None,
    };
    let supersedes = {
        let mut stmt =
            conn.prepare_cached("SELECT id, reference, title, status FROM documents WHERE superseded_by_id = ?1 ORDER BY reference")?;
        let rows = stmt.query_map([id], document_link)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    Ok(DocumentView {
        acknowledgements: match &in_force {
            Some(v) => acks::for_version(conn, &record, v, ctx.call.today(), &ctx.call.settings.zone())?,
            None => Vec::new(),
        },
        reviews: reviews::list(conn, id)?,
        linked_risks: crate::risk::links::risks_of(conn, crate::risk::links::LinkedType::Document, id)?,
        ack_roles: sets.ack_roles,
        ack_users,
        superseded_by,
        supersedes,
        tags: sets.tags,
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

/// A retired or superseded document is read-only.
pub(super) fn check_not_ended(d: &DocumentRecord) -> Result<()> {
    if let Some(how) = match d.status {
        DocumentStatus::Retired => Some("retired"),
        DocumentStatus::Superseded => Some("superseded"),
        _ => None,
    } {
        return Err(CoreError::Conflict(format!("{} is {how} and read-only.", d.reference)));
    }
    Ok(())
}

/// `documents.update`: the document's own fields and tags (content changes go through versions).
pub fn update(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    ctx.call.require(Capability::AuthorDocuments)?;
    let (id, row_version, changes) = lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::AuthorDocuments, &involved(&current))?;
    lifecycle::check_writable(&current, row_version)?;
    check_not_ended(&current)?;
    let old_sets = DocumentSets::load(ctx.conn(), &id)?;
    let mut merged = to_object(&current.fields)?;
    old_sets.insert_into(&mut merged);
    let kept = merged.clone();
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let (fields, sets) = crate::validate::keeping(&kept, || read_fields(ctx.conn(), &merged, &[]))?;
    let mut before = to_object(&current.fields)?;
    old_sets.insert_into(&mut before);
    let mut after = to_object(&fields)?;
    sets.insert_into(&mut after);
    let diff = audit_trail::diff_changes(&before, &after);
    if !diff.is_empty() {
        ctx.write(|tx, call| {
            let mut d = current.clone();
            d.fields = fields;
            sets.replace(tx, &d.id)?;
            // Widening who must acknowledge asks the newcomers for the version in force.
            let requested = acks::request_missing(tx, call, &d)?;
            let mut diff = diff;
            if requested > 0 {
                diff.push(Change::new("acknowledgements requested", Value::Null, json!(requested)));
            }
            lifecycle::save(tx, call, &mut d, AuditAction::Update, diff, None)
        })?;
    }
    get_view(ctx, &id)
}

/// `documents.archive`: `{id, rowVersion, reason}`.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<DocumentView> {
    let record = lifecycle::archive(ctx, &input, load, |conn, r| reviews::open_action_references(conn, &r.id))?;
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
