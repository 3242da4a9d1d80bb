//! Audit and inspection templates (domain.md §4): a template is a stable identity (TPL reference); its content
//! lives in numbered versions. A draft is edited as a whole document; publishing freezes it (the previous published
//! version is superseded in the same step); editing a published template starts a new draft as a full copy; a clone
//! copies the current version into a new template. Runs keep the version they started with.

pub mod content;
pub mod logic;
pub mod model;
pub mod starters;

use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::rowmap;
use crate::validate::{as_object, Choice, Input};
use crate::workflow;
use model::*;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

const PREFIX: &str = "TPL";
const FIELD_KEYS: &[&str] = &["name", "description", "category", "auditType", "frequency", "legacyReference", "standardIds"];

/// Input of `templates.create` and the `changes` of `templates.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct TemplateInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub audit_type: Option<AuditType>,
    pub frequency: Option<Frequency>,
    pub legacy_reference: Option<String>,
    pub standard_ids: Option<Vec<String>>,
}

/// Input of `templates.update`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTemplateInput {
    pub id: String,
    pub row_version: i64,
    pub changes: TemplateInput,
}

/// Input of `templates.save_draft`: the whole content of the draft.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveDraftInput {
    pub version_id: String,
    pub row_version: i64,
    #[ts(type = "unknown")]
    pub content: Value,
}

/// Input of `templates.publish` and `templates.discard_draft`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateVersionInput {
    pub version_id: String,
    pub row_version: i64,
}

/// Input of `templates.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct TemplateListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub audit_type: Option<Vec<AuditType>>,
    pub category: Option<String>,
    pub published: Option<bool>,
}

/// What `templates.discard_draft` did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiscardOutcome {
    pub template_id: String,
    /// The draft was the template's only version, so the template went too (its reference stays used).
    pub template_discarded: bool,
}

fn append(tx: &Transaction, call: &Call, t: &TemplateRecord, action: AuditAction, changes: Vec<Change>) -> Result<()> {
    audit_trail::append(
        tx,
        call,
        NewEvent { entity_type: "template", entity_id: &t.id, entity_reference: Some(&t.reference), action, changes, reason: None },
    )?;
    Ok(())
}

struct Fields {
    name: String,
    description: Option<String>,
    category: Option<String>,
    audit_type: AuditType,
    frequency: Frequency,
    legacy_reference: Option<String>,
    standard_ids: Vec<String>,
}

fn read_fields(conn: &Connection, map: &Map<String, Value>) -> Result<Fields> {
    let mut v = Input::new(map, FIELD_KEYS);
    let name = v.text("name", "Name", 1, 200, true);
    let description = v.long_text("description", "Description", 0, 2000, false);
    let category = v.text("category", "Category", 0, 100, false);
    let audit_type = v.choice("auditType", "Audit type", Some(AuditType::Inspection)).unwrap_or(AuditType::Inspection);
    let frequency = v.choice("frequency", "Frequency", Some(Frequency::AdHoc)).unwrap_or(Frequency::AdHoc);
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);
    let mut standard_ids: Vec<String> = Vec::new();
    match v.raw("standardIds") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let id = item.as_str().unwrap_or_default();
                let exists: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM standards WHERE id = ?1)", [id], |r| r.get(0))?;
                if !exists {
                    v.error(&format!("standardIds[{i}]"), FieldCode::NotFound, "No such standard");
                } else if !standard_ids.iter().any(|s| s == id) {
                    standard_ids.push(id.to_owned());
                }
            }
        }
        Some(_) => v.error("standardIds", FieldCode::InvalidFormat, "Standards are a list of ids"),
    }
    v.finish()?;
    Ok(Fields { name: name.unwrap_or_default(), description, category, audit_type, frequency, legacy_reference, standard_ids })
}

fn set_standards(tx: &Transaction, id: &str, standards: &[String]) -> Result<()> {
    tx.execute("DELETE FROM template_standards WHERE template_id = ?1", [id])?;
    for s in standards {
        tx.execute("INSERT INTO template_standards (template_id, standard_id) VALUES (?1, ?2)", [id, s.as_str()])?;
    }
    Ok(())
}

fn standard_ids(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT standard_id FROM template_standards WHERE template_id = ?1 ORDER BY standard_id")?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn insert_version(tx: &Transaction, call: &Call, template_id: &str, number: i64, content: &VersionContent) -> Result<String> {
    let id = crate::ids::new_id();
    let actor = call.actor()?.id.clone();
    tx.execute(
        "INSERT INTO template_versions (id, template_id, version_number, status, content, question_count, created_at, updated_at, created_by, updated_by)
         VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6, ?6, ?7, ?7)",
        rusqlite::params![id, template_id, number, serde_json::to_string(content)?, content.questions().count() as i64, call.now_text(), actor],
    )?;
    Ok(id)
}

/// Creates a template with draft version 1 holding `content`, inside the caller's transaction.
fn create_in(tx: &Transaction, call: &Call, fields: Fields, content: &VersionContent) -> Result<TemplateRecord> {
    let actor = call.actor()?.id.clone();
    let now = call.now_text();
    let record = TemplateRecord {
        id: crate::ids::new_id(),
        reference: crate::reference::allocate(tx, PREFIX, &now)?,
        name: fields.name,
        description: fields.description,
        category: fields.category,
        audit_type: fields.audit_type,
        frequency: fields.frequency,
        legacy_reference: fields.legacy_reference,
        created_at: now.clone(),
        updated_at: now,
        created_by: actor.clone(),
        updated_by: actor,
        row_version: 1,
        archived_at: None,
        archived_by: None,
        archive_reason: None,
    };
    rowmap::insert(tx, "templates", &rowmap::to_columns(&record)?)?;
    set_standards(tx, &record.id, &fields.standard_ids)?;
    insert_version(tx, call, &record.id, 1, content)?;
    let mut created = Map::new();
    created.insert("name".into(), json!(record.name));
    created.insert("auditType".into(), json!(record.audit_type));
    created.insert("frequency".into(), json!(record.frequency));
    for (k, val) in [("description", &record.description), ("category", &record.category)] {
        if let Some(val) = val {
            created.insert(k.into(), json!(val));
        }
    }
    created.insert("version 1".into(), content::summary(content));
    append(tx, call, &record, AuditAction::Create, audit_trail::created_changes(&created))?;
    Ok(record)
}

/// `templates.create`: a template with an empty draft version 1.
pub fn create(ctx: &mut Ctx, input: Value) -> Result<TemplateView> {
    ctx.call.require(Capability::ConductAudits)?;
    let fields = read_fields(ctx.conn(), as_object(&input)?)?;
    let id = ctx.write(|tx, call| Ok(create_in(tx, call, fields, &content::empty())?.id))?;
    get_view(ctx.conn(), &id)
}

pub(crate) fn load(conn: &Connection, id: &str) -> Result<TemplateRecord> {
    lifecycle::load_row(conn, id)
}

fn id_by_reference(conn: &Connection, reference: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT id FROM templates WHERE reference = ?1")?.query_row([reference], |r| r.get(0)).optional()?)
}

fn version_row(r: &rusqlite::Row) -> rusqlite::Result<(TemplateVersionView, String)> {
    let status: String = r.get(3)?;
    let text: String = r.get(4)?;
    Ok((
        TemplateVersionView {
            id: r.get(0)?,
            template_id: r.get(1)?,
            version_number: r.get(2)?,
            status: TemplateVersionStatus::parse(&status)
                .ok_or_else(|| rusqlite::Error::InvalidColumnType(3, "status".into(), rusqlite::types::Type::Text))?,
            content: content::empty(),
            question_count: r.get(5)?,
            published_at: r.get(6)?,
            published_by: r.get(7)?,
            row_version: r.get(8)?,
        },
        text,
    ))
}

const VERSION_SQL: &str =
    "SELECT id, template_id, version_number, status, content, question_count, published_at, published_by, row_version FROM template_versions";

/// A version with its content.
pub fn load_version(conn: &Connection, id: &str) -> Result<TemplateVersionView> {
    let (mut v, text) = conn
        .prepare_cached(&format!("{VERSION_SQL} WHERE id = ?1"))?
        .query_row([id], version_row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("No template version has the id {id}.")))?;
    v.content = content::from_stored(&text)?;
    Ok(v)
}

fn versions(conn: &Connection, template_id: &str) -> Result<Vec<TemplateVersionView>> {
    let mut stmt = conn.prepare_cached(&format!("{VERSION_SQL} WHERE template_id = ?1 ORDER BY version_number DESC"))?;
    let rows = stmt.query_map([template_id], version_row)?;
    let mut out = Vec::new();
    for row in rows {
        let (mut v, text) = row?;
        v.content = content::from_stored(&text)?;
        out.push(v);
    }
    Ok(out)
}

pub(crate) fn get_view(conn: &Connection, id: &str) -> Result<TemplateView> {
    let record = load(conn, id)?;
    let versions = versions(conn, id)?;
    let draft = versions.iter().find(|v| v.status == TemplateVersionStatus::Draft);
    let published = versions.iter().find(|v| v.status == TemplateVersionStatus::Published);
    Ok(TemplateView {
        publish_problems: draft.map(|d| content::publish_problems(&d.content)).unwrap_or_default(),
        draft_version_id: draft.map(|d| d.id.clone()),
        published_version_id: published.map(|p| p.id.clone()),
        standard_ids: standard_ids(conn, id)?,
        versions,
        record,
    })
}

/// `templates.get`: by `id` or `reference`, with every version's content.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<TemplateView> {
    let id = lifecycle::read_get::<TemplateRecord>(ctx, &input, id_by_reference)?;
    get_view(ctx.conn(), &id)
}

/// `templates.update`: name, description, category, type, frequency, standards.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<TemplateView> {
    ctx.call.require(Capability::ConductAudits)?;
    let (id, row_version, changes) = lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load(ctx.conn(), &id)?;
    lifecycle::check_writable(&current, row_version)?;
    let old_standards = standard_ids(ctx.conn(), &id)?;
    let before = json!({"name": current.name, "description": current.description, "category": current.category,
        "auditType": current.audit_type, "frequency": current.frequency, "legacyReference": current.legacy_reference, "standardIds": old_standards});
    let mut merged = before.as_object().cloned().unwrap_or_default();
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let f = read_fields(ctx.conn(), &merged)?;
    let after = json!({"name": f.name, "description": f.description, "category": f.category, "auditType": f.audit_type,
        "frequency": f.frequency, "legacyReference": f.legacy_reference, "standardIds": f.standard_ids});
    let empty = Map::new();
    let diff = audit_trail::diff_changes(before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    if !diff.is_empty() {
        ctx.write(|tx, call| {
            let mut t = current.clone();
            t.name = f.name;
            t.description = f.description;
            t.category = f.category;
            t.audit_type = f.audit_type;
            t.frequency = f.frequency;
            t.legacy_reference = f.legacy_reference;
            set_standards(tx, &t.id, &f.standard_ids)?;
            lifecycle::save(tx, call, &mut t, AuditAction::Update, diff, None)
        })?;
    }
    get_view(ctx.conn(), &id)
}

/// Loads a version and its template for a write, refusing stale, archived or non-draft versions.
fn writable_draft(ctx: &Ctx, version_id: &str, row_version: i64) -> Result<(TemplateVersionView, TemplateRecord)> {
    let ver = load_version(ctx.conn(), version_id)?;
    let t = load(ctx.conn(), &ver.template_id)?;
    let name = format!("Version {} of {}", ver.version_number, t.reference);
    workflow::check_not_archived(&t.reference, t.archived_at.as_deref())?;
    workflow::check_row_version(&name, ver.row_version, row_version)?;
    if ver.status != TemplateVersionStatus::Draft {
        return Err(CoreError::Conflict(format!("{name} is {} and cannot change; start a new version to edit it.", ver.status)));
    }
    Ok((ver, t))
}

fn read_version_target(input: &Value, extra: &[&str]) -> Result<(String, i64, Map<String, Value>)> {
    let map = as_object(input)?;
    let keys: Vec<&str> = ["versionId", "rowVersion"].iter().chain(extra).copied().collect();
    let mut v = Input::new(map, &keys);
    let id = v.id("versionId", "Version", true);
    let row_version = v.integer("rowVersion", "Row version", 1, i64::MAX, true);
    v.finish()?;
    match (id, row_version) {
        (Some(id), Some(rv)) => Ok((id, rv, map.clone())),
        _ => Err(CoreError::Internal("validated fields missing".into())),
    }
}

/// `templates.save_draft`: replaces the draft's whole content (every problem named by its path; nothing saved
/// unless all is valid).
pub fn save_draft(ctx: &mut Ctx, input: Value) -> Result<TemplateView> {
    ctx.call.require(Capability::ConductAudits)?;
    let (version_id, row_version, map) = read_version_target(&input, &["content"])?;
    let (ver, t) = writable_draft(ctx, &version_id, row_version)?;
    let Some(Value::Object(raw)) = map.get("content") else {
        return Err(CoreError::field("content", FieldCode::Required, "The content must be an object with settings and sections"));
    };
    let new = content::read(ctx.conn(), raw)?;
    if new != ver.content {
        ctx.write(|tx, call| {
            tx.execute(
                "UPDATE template_versions SET content = ?2, question_count = ?3, updated_at = ?4, updated_by = ?5, row_version = row_version + 1 WHERE id = ?1",
                rusqlite::params![ver.id, serde_json::to_string(&new)?, new.questions().count() as i64, call.now_text(), call.actor()?.id],
            )?;
            let change = Change::new(format!("version {}", ver.version_number), content::summary(&ver.content), content::summary(&new));
            append(tx, call, &t, AuditAction::Update, vec![change])
        })?;
    }
    get_view(ctx.conn(), &t.id)
}

/// `templates.publish`: freezes the draft; the previous published version is superseded in the same step, and the
/// questions' clause and control links join the compliance view.
pub fn publish(ctx: &mut Ctx, input: Value) -> Result<TemplateView> {
    ctx.call.require(Capability::ConductAudits)?;
    let (version_id, row_version, _) = read_version_target(&input, &[])?;
    let (ver, t) = writable_draft(ctx, &version_id, row_version)?;
    let problems = content::publish_problems(&ver.content);
    if !problems.is_empty() {
        let name = format!("Version {} of {}", ver.version_number, t.reference);
        return Err(workflow::refuse(&name, "draft", "published", &["published"], problems, Vec::new()));
    }
    ctx.write(|tx, call| publish_in(tx, call, &t))?;
    get_view(ctx.conn(), &t.id)
}

/// Publishes the template's draft inside the caller's transaction.
pub(crate) fn publish_in(tx: &Transaction, call: &Call, t: &TemplateRecord) -> Result<()> {
    let ver = versions(tx, &t.id)?
        .into_iter()
        .find(|v| v.status == TemplateVersionStatus::Draft)
        .ok_or_else(|| CoreError::Conflict(format!("{} has no draft to publish.", t.reference)))?;
    let now = call.now_text();
    let actor = call.actor()?.id.clone();
    let superseded = tx.execute(
        "UPDATE template_versions SET status = 'superseded', updated_at = ?2, updated_by = ?3, row_version = row_version + 1
         WHERE template_id = ?1 AND status = 'published'",
        rusqlite::params![t.id, now, actor],
    )?;
    tx.execute(
        "UPDATE template_versions SET status = 'published', published_at = ?2, published_by = ?3, updated_at = ?2, updated_by = ?3,
         row_version = row_version + 1 WHERE id = ?1",
        rusqlite::params![ver.id, now, actor],
    )?;
    for (_, q) in ver.content.questions() {
        for c in &q.clause_ids {
            tx.execute(
                "INSERT OR IGNORE INTO clause_links (clause_id, entity_type, entity_id, created_at, created_by) VALUES (?1, 'audit_question', ?2, ?3, ?4)",
                rusqlite::params![c, q.id, now, actor],
            )?;
        }
        for c in &q.control_ids {
            tx.execute(
                "INSERT OR IGNORE INTO control_links (control_id, entity_type, entity_id, created_at, created_by) VALUES (?1, 'audit_question', ?2, ?3, ?4)",
                rusqlite::params![c, q.id, now, actor],
            )?;
        }
    }
    let mut changes = vec![Change::new(format!("version {}", ver.version_number), json!("draft"), json!("published"))];
    if superseded > 0 {
        changes.push(Change::new("superseded versions", Value::Null, json!(superseded)));
    }
    let mut t2 = t.clone();
    lifecycle::save(tx, call, &mut t2, AuditAction::StatusChange, changes, None)
}

/// `templates.new_version`: a draft copy (number + 1) of the published version, to edit.
pub fn new_version(ctx: &mut Ctx, input: Value) -> Result<TemplateView> {
    ctx.call.require(Capability::ConductAudits)?;
    let mut v = Input::new(as_object(&input)?, &["id", "rowVersion"]);
    let (id, row_version) = workflow::read_target(&mut v);
    v.finish()?;
    let (Some(id), Some(row_version)) = (id, row_version) else { return Err(CoreError::Internal("validated fields missing".into())) };
    let t = load(ctx.conn(), &id)?;
    lifecycle::check_writable(&t, row_version)?;
    let all = versions(ctx.conn(), &id)?;
    if let Some(d) = all.iter().find(|v| v.status == TemplateVersionStatus::Draft) {
        return Err(CoreError::Conflict(format!("{} already has a draft (version {}); edit that one.", t.reference, d.version_number)));
    }
    let Some(published) = all.iter().find(|v| v.status == TemplateVersionStatus::Published) else {
        return Err(CoreError::Conflict(format!("{} has no published version to copy.", t.reference)));
    };
    let number = all.iter().map(|v| v.version_number).max().unwrap_or(0) + 1;
    ctx.write(|tx, call| {
        insert_version(tx, call, &t.id, number, &published.content)?;
        let mut t2 = t.clone();
        let change = Change::new(format!("version {number}"), Value::Null, json!({"copiedFrom": published.version_number}));
        lifecycle::save(tx, call, &mut t2, AuditAction::Update, vec![change], None)
    })?;
    get_view(ctx.conn(), &id)
}

/// `templates.clone`: a new template "Copy of …" whose draft version 1 copies the current version (new ids).
pub fn clone(ctx: &mut Ctx, input: Value) -> Result<TemplateView> {
    ctx.call.require(Capability::ConductAudits)?;
    let mut v = Input::new(as_object(&input)?, &["id"]);
    let id = v.id("id", "Template", true).unwrap_or_default();
    v.finish()?;
    let source = get_view(ctx.conn(), &id)?;
    let current = source
        .versions
        .iter()
        .find(|v| v.status == TemplateVersionStatus::Published)
        .or_else(|| source.versions.first())
        .ok_or_else(|| CoreError::Internal("a template without versions".into()))?;
    let copy = content::with_new_ids(&current.content);
    let name: String = format!("Copy of {}", source.record.name).chars().take(200).collect();
    let fields = Fields {
        name,
        description: source.record.description.clone(),
        category: source.record.category.clone(),
        audit_type: source.record.audit_type,
        frequency: source.record.frequency,
        legacy_reference: None,
        standard_ids: source.standard_ids.clone(),
    };
    let new_id = ctx.write(|tx, call| Ok(create_in(tx, call, fields, &copy)?.id))?;
    get_view(ctx.conn(), &new_id)
}

/// `templates.discard_draft`: removes a never-published draft (§1.5); when it is the template's only version the
/// template goes too. The event keeps the last values.
pub fn discard_draft(ctx: &mut Ctx, input: Value) -> Result<DiscardOutcome> {
    ctx.call.require(Capability::ConductAudits)?;
    let (version_id, row_version, _) = read_version_target(&input, &[])?;
    let (ver, t) = writable_draft(ctx, &version_id, row_version)?;
    let only = versions(ctx.conn(), &t.id)?.len() == 1;
    ctx.write(|tx, call| {
        tx.execute("DELETE FROM template_versions WHERE id = ?1", [&ver.id])?;
        let last = json!({"version": ver.version_number, "content": ver.content});
        if only {
            tx.execute("DELETE FROM template_standards WHERE template_id = ?1", [&t.id])?;
            tx.execute("DELETE FROM templates WHERE id = ?1", [&t.id])?;
            append(tx, call, &t, AuditAction::Discard, vec![Change::new("template", json!({"name": t.name, "draft": last}), Value::Null)])
        } else {
            let mut t2 = t.clone();
            lifecycle::save(
                tx,
                call,
                &mut t2,
                AuditAction::Discard,
                vec![Change::new(format!("version {}", ver.version_number), last, Value::Null)],
                None,
            )
        }
    })?;
    Ok(DiscardOutcome { template_id: t.id, template_discarded: only })
}

/// `templates.archive`: `{id, rowVersion, reason}` — an archived template starts no new runs.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<TemplateView> {
    let record = lifecycle::archive(ctx, &input, load, |_, _| Ok(Vec::new()))?;
    get_view(ctx.conn(), &record.id)
}

/// `templates.restore`: `{id, rowVersion, reason?}`.
pub fn restore(ctx: &mut Ctx, input: Value) -> Result<TemplateView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    get_view(ctx.conn(), &record.id)
}

/// `templates.history`: the template's events, newest first.
pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<TemplateRecord>(ctx, &input, load)
}

/// `templates.list`: search name/description/category; filters type, category, has a published version; by name.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<TemplateSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let known: Vec<&str> = LIST_KEYS.iter().chain(&["auditType", "category", "published"]).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, &["name", "reference"]);
    let types: Vec<AuditType> = choice_list(&mut v, "auditType", "Audit type");
    let category = v.text("category", "Category", 1, 100, false);
    let published = v.tri_state("published", "Has a published version");
    v.finish()?;
    let mut q = crate::sqlfilter::Filters::new(page.archived_sql("t"));
    q.any_of("t.audit_type", "ty", &types.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    if let Some(c) = category {
        let key = q.bind("category", c);
        q.push(format!("t.category = {key} COLLATE NOCASE"));
    }
    q.tri_state(published, "EXISTS (SELECT 1 FROM template_versions x WHERE x.template_id = t.id AND x.status = 'published')");
    if let Some(text) = page.search.as_deref().and_then(crate::paging::fts_query) {
        let key = q.bind("search", text);
        q.push(format!("t.rowid IN (SELECT rowid FROM templates_fts WHERE templates_fts MATCH {key})"));
    }
    let where_sql = q.sql();
    let params = q.params();
    let conn = ctx.conn();
    let total: i64 =
        conn.prepare_cached(&format!("SELECT COUNT(*) FROM templates t WHERE {where_sql}"))?.query_row(params.as_slice(), |r| r.get(0))?;
    let order = if page.sort.as_deref() == Some("reference") { "t.reference DESC" } else { "t.name COLLATE NOCASE ASC" };
    let (limit, offset) = page.limit_offset();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.id, t.reference, t.name, t.category, t.audit_type, t.row_version, t.archived_at,
                (SELECT version_number FROM template_versions x WHERE x.template_id = t.id AND x.status = 'published'),
                EXISTS (SELECT 1 FROM template_versions x WHERE x.template_id = t.id AND x.status = 'draft'),
                COALESCE((SELECT question_count FROM template_versions x WHERE x.template_id = t.id AND x.status = 'published'),
                         (SELECT question_count FROM template_versions x WHERE x.template_id = t.id AND x.status = 'draft'), 0)
         FROM templates t WHERE {where_sql} ORDER BY {order}, t.id LIMIT {limit} OFFSET {offset}"
    ))?;
    let rows = stmt.query_map(params.as_slice(), |r| {
        Ok(TemplateSummary {
            id: r.get(0)?,
            reference: r.get(1)?,
            name: r.get(2)?,
            category: r.get(3)?,
            audit_type: AuditType::parse(&r.get::<_, String>(4)?)
                .ok_or_else(|| rusqlite::Error::InvalidColumnType(4, "audit_type".into(), rusqlite::types::Type::Text))?,
            row_version: r.get(5)?,
            archived_at: r.get(6)?,
            published_version: r.get(7)?,
            has_draft: r.get(8)?,
            question_count: r.get(9)?,
        })
    })?;
    let items = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page::new(items, total, &page))
}

crate::governed!(TemplateRecord, "templates", "template", "Template");
