//! The commands every governed register has in common — get by id or reference, read an update, archive (refused
//! while actions raised from the record are open), restore, history — written once over the [`Governed`] trait.
//! Each register supplies its table, labels, loader and what blocks archiving; the rules live here.

use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{as_object, Input};
use crate::workflow::{self, GovernedRow};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{Map, Value};

/// A governed record: identity, archive stamp and version, plus where it lives and how it is named.
pub trait Governed {
    /// The table that holds it.
    const TABLE: &'static str;
    /// Its entity type in the audit trail.
    const ENTITY: &'static str;
    /// How messages name one ("Incident", "Risk", …).
    const LABEL: &'static str;
    fn id(&self) -> &str;
    fn reference(&self) -> &str;
    fn archived_at(&self) -> Option<&str>;
    fn row_version(&self) -> i64;
    /// Marks a write: updated_at/by and row_version + 1 (§1.2).
    fn touch(&mut self, now: &str, actor_id: &str);

    /// "Incident INC-2026-0001".
    fn name(&self) -> String {
        format!("{} {}", Self::LABEL, self.reference())
    }

    /// The identity the archive and restore mechanics need.
    fn row(&self) -> GovernedRow<'_> {
        GovernedRow { table: Self::TABLE, entity_type: Self::ENTITY, id: self.id(), reference: Some(self.reference()) }
    }
}

/// Implements [`Governed`] for a record struct with `id`, `reference`, `archived_at` and `row_version` fields.
#[macro_export]
macro_rules! governed {
    ($ty:ty, $table:literal, $entity:literal, $label:literal) => {
        impl $crate::lifecycle::Governed for $ty {
            const TABLE: &'static str = $table;
            const ENTITY: &'static str = $entity;
            const LABEL: &'static str = $label;
            fn id(&self) -> &str {
                &self.id
            }
            fn reference(&self) -> &str {
                &self.reference
            }
            fn archived_at(&self) -> Option<&str> {
                self.archived_at.as_deref()
            }
            fn row_version(&self) -> i64 {
                self.row_version
            }
            fn touch(&mut self, now: &str, actor_id: &str) {
                self.updated_at = now.to_owned();
                self.updated_by = actor_id.to_owned();
                self.row_version += 1;
            }
        }
    };
}

/// Loads a record by id (`not_found` naming the kind when there is none).
pub type Loader<R> = fn(&Connection, &str) -> Result<R>;

/// Reads a governed record's whole row by id (`not_found` naming the kind when there is none).
pub fn load_row<R: Governed + serde::de::DeserializeOwned>(conn: &Connection, id: &str) -> Result<R> {
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {} WHERE id = ?1", R::TABLE))?;
    let kinds = crate::rowmap::column_kinds(&stmt);
    stmt.query_row([id], |r| crate::rowmap::from_row(r, &kinds))
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("No {} has the id {id}.", R::LABEL.to_lowercase())))
}

/// Reads `{id}` or `{reference}` and returns the record's id; `by_reference` looks a reference up.
pub fn read_get<R: Governed>(ctx: &Ctx, input: &Value, by_reference: fn(&Connection, &str) -> Result<Option<String>>) -> Result<String> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(input)?, &["id", "reference"]);
    let id = v.id("id", "Record id", false);
    let reference = v.text("reference", "Reference", 1, 60, false);
    if id.is_none() && reference.is_none() && v.errors().is_empty() {
        v.error("id", FieldCode::Required, format!("Give the {}'s id or reference", R::LABEL.to_lowercase()));
    }
    v.finish()?;
    match (id, reference) {
        (Some(id), _) => Ok(id),
        (None, Some(r)) => by_reference(ctx.conn(), &r)?
            .ok_or_else(|| CoreError::NotFound(format!("No {} has the reference {r}.", R::LABEL.to_lowercase()))),
        (None, None) => Err(CoreError::Internal("validated fields missing".into())),
    }
}

/// Reads `{id, rowVersion, changes, …extra}` of an update; `changes` must be an object.
pub fn read_update(map: &Map<String, Value>, extra: &[&str]) -> Result<(String, i64, Map<String, Value>)> {
    let keys: Vec<&str> = ["id", "rowVersion", "changes"].iter().chain(extra).copied().collect();
    let mut v = Input::new(map, &keys);
    let (id, row_version) = workflow::read_target(&mut v);
    let changes = match v.raw("changes") {
        Some(Value::Object(c)) => Some(c.clone()),
        Some(_) => {
            v.error("changes", FieldCode::InvalidFormat, "Changes must be an object of field values");
            None
        }
        None => {
            v.error("changes", FieldCode::Required, "Changes are required");
            None
        }
    };
    v.finish()?;
    match (id, row_version, changes) {
        (Some(id), Some(rv), Some(changes)) => Ok((id, rv, changes)),
        _ => Err(CoreError::Internal("validated fields missing".into())),
    }
}

/// `conflict`/`archived` unless the record may be written at the quoted version.
pub fn check_writable<R: Governed>(record: &R, quoted_version: i64) -> Result<()> {
    let name = record.name();
    workflow::check_not_archived(&name, record.archived_at())?;
    workflow::check_row_version(&name, record.row_version(), quoted_version)
}

/// `{id, rowVersion, reason}`: archives the record unless `blocking` names open actions (§1.5).
pub fn archive<R: Governed>(
    ctx: &mut Ctx,
    input: &Value,
    load: Loader<R>,
    blocking: impl Fn(&Connection, &R) -> Result<Vec<String>>,
) -> Result<R> {
    ctx.call.require(Capability::ArchiveRestore)?;
    let (id, row_version, reason) = workflow::read_archive_input(as_object(input)?, true)?;
    let current = load(ctx.conn(), &id)?;
    check_writable(&current, row_version)?;
    let open = blocking(ctx.conn(), &current)?;
    if !open.is_empty() {
        return Err(CoreError::Conflict(format!(
            "{} cannot be archived while these actions are open: {}.",
            current.name(),
            open.join(", ")
        )));
    }
    let reason = reason.unwrap_or_default();
    ctx.write(|tx, call| workflow::archive(tx, call, &current.row(), &reason))?;
    load(ctx.conn(), &id)
}

/// `{id, rowVersion, reason?}`: restores an archived record.
pub fn restore<R: Governed>(ctx: &mut Ctx, input: &Value, load: Loader<R>) -> Result<R> {
    ctx.call.require(Capability::ArchiveRestore)?;
    let (id, row_version, reason) = workflow::read_archive_input(as_object(input)?, false)?;
    let current = load(ctx.conn(), &id)?;
    let name = current.name();
    ctx.write(|tx, call| workflow::restore(tx, call, &current.row(), &name, row_version, reason.as_deref()))?;
    load(ctx.conn(), &id)
}

/// `{id}`: the record's events, newest first.
pub fn history<R: Governed>(ctx: &mut Ctx, input: &Value, load: Loader<R>) -> Result<Vec<AuditEventView>> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(input)?, &["id"]);
    let id = v.id("id", "Record id", true);
    v.finish()?;
    let id = id.unwrap_or_default();
    load(ctx.conn(), &id)?;
    crate::history_words::history(ctx.conn(), ctx.call.settings.zone(), R::ENTITY, &id)
}

/// The tail of every write to a governed record: stamps it ([`Governed::touch`]), writes every column over the
/// stored row and appends the event, inside the caller's transaction.
pub fn save<R: Governed + serde::Serialize>(
    tx: &Transaction,
    call: &Call,
    record: &mut R,
    action: AuditAction,
    changes: Vec<Change>,
    reason: Option<&str>,
) -> Result<()> {
    record.touch(&call.now_text(), &call.actor()?.id);
    let columns: Vec<_> = crate::rowmap::to_columns(&*record)?.into_iter().filter(|(k, _)| k != "id").collect();
    crate::rowmap::update_by_id(tx, R::TABLE, record.id(), &columns)?;
    audit_trail::append(
        tx,
        call,
        NewEvent { entity_type: R::ENTITY, entity_id: record.id(), entity_reference: Some(record.reference()), action, changes, reason },
    )?;
    Ok(())
}
