//! Standards library (domain.md §3): browse the shipped standards as clause trees with Annex A controls, mark
//! clauses excluded (with a justification) or paste licensed text, switch standards on or off, see mappings across
//! standards, and keep the ISO/IEC 27001 Statement of Applicability.

pub mod catalogue;
pub mod compliance;
pub mod model;
mod soa;

pub use soa::{approve_soa, get_soa, update_soa};

use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{as_object, Choice, Input};
use crate::workflow;
use model::*;
use rusqlite::{Connection, OptionalExtension, Row, Transaction};
use serde_json::{json, Map, Value};

fn event(tx: &Transaction, call: &Call, entity_type: &str, id: &str, reference: &str, changes: Vec<Change>) -> Result<()> {
    audit_trail::append(
        tx,
        call,
        NewEvent { entity_type, entity_id: id, entity_reference: Some(reference), action: AuditAction::Update, changes, reason: None },
    )?;
    Ok(())
}

const STANDARD_SQL: &str = "SELECT s.id, s.code, s.title, s.edition, s.is_builtin, s.is_active, s.row_version,
        (SELECT COUNT(*) FROM clauses c WHERE c.standard_id = s.id), (SELECT COUNT(*) FROM controls k WHERE k.standard_id = s.id)
     FROM standards s";

fn standard_row(r: &Row) -> rusqlite::Result<StandardSummary> {
    Ok(StandardSummary {
        id: r.get(0)?,
        code: r.get(1)?,
        title: r.get(2)?,
        edition: r.get(3)?,
        is_builtin: r.get(4)?,
        is_active: r.get(5)?,
        row_version: r.get(6)?,
        clause_count: r.get(7)?,
        control_count: r.get(8)?,
    })
}

fn bad_enum(i: usize) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(i, "enum".into(), rusqlite::types::Type::Text)
}

/// `standards.list`: every standard, shipped ones first by code.
pub fn list(ctx: &mut Ctx, _input: Value) -> Result<Vec<StandardSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut stmt = ctx.conn().prepare_cached(&format!("{STANDARD_SQL} ORDER BY s.is_builtin DESC, s.code, s.id"))?;
    let rows = stmt.query_map([], standard_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn load_standard(conn: &Connection, id: &str) -> Result<StandardSummary> {
    conn.prepare_cached(&format!("{STANDARD_SQL} WHERE s.id = ?1 OR s.code = ?1 COLLATE NOCASE"))?
        .query_row([id], standard_row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("No standard has the id or code {id}.")))
}

const CLAUSE_SQL: &str = "SELECT id, standard_id, number, title, paraphrase, licensed_text, parent_id, level, is_builtin, excluded,
        exclusion_justification, row_version FROM clauses";

fn clause_row(r: &Row) -> rusqlite::Result<ClauseView> {
    Ok(ClauseView {
        id: r.get(0)?,
        standard_id: r.get(1)?,
        number: r.get(2)?,
        title: r.get(3)?,
        paraphrase: r.get(4)?,
        licensed_text: r.get(5)?,
        parent_id: r.get(6)?,
        level: r.get(7)?,
        is_builtin: r.get(8)?,
        excluded: r.get(9)?,
        exclusion_justification: r.get(10)?,
        row_version: r.get(11)?,
    })
}

pub(crate) fn clauses_of(conn: &Connection, standard_id: &str) -> Result<Vec<ClauseView>> {
    let mut stmt = conn.prepare_cached(&format!("{CLAUSE_SQL} WHERE standard_id = ?1 ORDER BY sort_key, id"))?;
    let rows = stmt.query_map([standard_id], clause_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn controls_of(conn: &Connection, standard_id: &str) -> Result<Vec<ControlView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, clause_id, number, title, paraphrase, theme FROM controls WHERE standard_id = ?1 ORDER BY sort_key, id",
    )?;
    let rows = stmt.query_map([standard_id], |r| {
        Ok(ControlView {
            id: r.get(0)?,
            clause_id: r.get(1)?,
            number: r.get(2)?,
            title: r.get(3)?,
            paraphrase: r.get(4)?,
            theme: ControlTheme::parse(&r.get::<_, String>(5)?).ok_or_else(|| bad_enum(5))?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// `standards.get`: a standard by id or code, with its clauses in natural order and its controls.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<StandardView> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(&input)?, &["id"]);
    let id = v.text("id", "Standard", 1, 60, true);
    v.finish()?;
    let standard = load_standard(ctx.conn(), &id.unwrap_or_default())?;
    Ok(StandardView { clauses: clauses_of(ctx.conn(), &standard.id)?, controls: controls_of(ctx.conn(), &standard.id)?, standard })
}

fn load_clause(conn: &Connection, id: &str) -> Result<ClauseView> {
    conn.prepare_cached(&format!("{CLAUSE_SQL} WHERE id = ?1"))?
        .query_row([id], clause_row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("No clause has the id {id}.")))
}

/// `standards.update_clause`: exclude a clause (justification required) or include it again, and keep licensed
/// text pasted from the organisation's own copy. Titles and paraphrases of shipped clauses never change.
pub fn update_clause(ctx: &mut Ctx, input: Value) -> Result<ClauseView> {
    ctx.call.require(Capability::StandardsLibrary)?;
    let (id, row_version, changes) = crate::lifecycle::read_update(as_object(&input)?, &[])?;
    let current = load_clause(ctx.conn(), &id)?;
    let standard = load_standard(ctx.conn(), &current.standard_id)?;
    let name = format!("Clause {} of {}", current.number, standard.code);
    workflow::check_row_version(&name, current.row_version, row_version)?;
    let mut v = Input::new(&changes, &["excluded", "exclusionJustification", "licensedText"]);
    let excluded = if changes.contains_key("excluded") { v.boolean("excluded", "Excluded", false) } else { current.excluded };
    let justification = if changes.contains_key("exclusionJustification") {
        v.long_text("exclusionJustification", "Exclusion justification", 1, 2000, false)
    } else {
        current.exclusion_justification.clone()
    };
    let licensed = if changes.contains_key("licensedText") {
        v.long_text("licensedText", "Licensed text", 1, 100_000, false)
    } else {
        current.licensed_text.clone()
    };
    if excluded && justification.is_none() {
        v.error("exclusionJustification", FieldCode::Required, "Say why this clause does not apply");
    }
    v.finish()?;
    // An included clause keeps no stale justification.
    let justification = if excluded { justification } else { None };
    let before = json!({"excluded": current.excluded, "exclusion_justification": current.exclusion_justification, "licensed_text": current.licensed_text.is_some()});
    let after = json!({"excluded": excluded, "exclusion_justification": justification, "licensed_text": licensed.is_some()});
    let empty = Map::new();
    let mut diff = audit_trail::diff_changes(before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    if licensed != current.licensed_text && licensed.is_some() && current.licensed_text.is_some() {
        // The licensed text itself stays out of the trail (it is the standard's copyrighted wording).
        diff.push(Change::new("licensed_text", json!("[replaced]"), json!("[replaced]")));
    }
    if diff.is_empty() {
        return Ok(current);
    }
    let reference = format!("{} {}", standard.code, current.number);
    ctx.write(|tx, call| {
        let actor = call.actor()?.id.clone();
        tx.execute(
            "UPDATE clauses SET excluded = ?2, exclusion_justification = ?3, licensed_text = ?4, updated_at = ?5, updated_by = ?6,
             row_version = row_version + 1 WHERE id = ?1",
            rusqlite::params![id, excluded, justification, licensed, call.now_text(), actor],
        )?;
        event(tx, call, "clause", &id, &reference, diff)
    })?;
    load_clause(ctx.conn(), &id)
}

/// `standards.set_active`: switch a standard on or off (an inactive standard leaves pickers and dashboards).
pub fn set_active(ctx: &mut Ctx, input: Value) -> Result<StandardSummary> {
    ctx.call.require(Capability::StandardsLibrary)?;
    let mut v = Input::new(as_object(&input)?, &["id", "rowVersion", "isActive"]);
    let (id, row_version) = workflow::read_target(&mut v);
    let active = v.tri_state("isActive", "Active");
    if active.is_none() && !v.has_error("isActive") {
        v.error("isActive", FieldCode::Required, "Say whether the standard is active");
    }
    v.finish()?;
    let (Some(id), Some(row_version), Some(active)) = (id, row_version, active) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load_standard(ctx.conn(), &id)?;
    workflow::check_row_version(&format!("Standard {}", current.code), current.row_version, row_version)?;
    if current.is_active != active {
        ctx.write(|tx, call| {
            tx.execute(
                "UPDATE standards SET is_active = ?2, updated_at = ?3, updated_by = ?4, row_version = row_version + 1 WHERE id = ?1",
                rusqlite::params![current.id, active, call.now_text(), call.actor()?.id],
            )?;
            event(tx, call, "standard", &current.id, &current.code, vec![Change::new("is_active", json!(current.is_active), json!(active))])
        })?;
    }
    load_standard(ctx.conn(), &current.id)
}

/// `standards.mappings`: the clauses of other standards mapped to a clause.
pub fn mappings(ctx: &mut Ctx, input: Value) -> Result<Vec<MappedClause>> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(&input)?, &["id"]);
    let id = v.id("id", "Clause", true).unwrap_or_default();
    v.finish()?;
    load_clause(ctx.conn(), &id)?;
    let mut stmt = ctx.conn().prepare_cached(
        "SELECT c.id, s.code, c.number, c.title, m.relation, m.is_builtin
         FROM clause_mappings m
         JOIN clauses c ON c.id = CASE WHEN m.clause_a_id = ?1 THEN m.clause_b_id ELSE m.clause_a_id END
         JOIN standards s ON s.id = c.standard_id
         WHERE m.clause_a_id = ?1 OR m.clause_b_id = ?1
         ORDER BY s.code, c.sort_key",
    )?;
    let rows = stmt.query_map([&id], |r| {
        Ok(MappedClause {
            clause_id: r.get(0)?,
            standard_code: r.get(1)?,
            number: r.get(2)?,
            title: r.get(3)?,
            relation: MappingRelation::parse(&r.get::<_, String>(4)?).ok_or_else(|| bad_enum(4))?,
            is_builtin: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
