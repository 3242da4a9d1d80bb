//! Signing keys this installation knows: other installations of the organisation (an office copy, a colleague's
//! laptop) whose evidence packs verify as "signed by a known key". An administrator adds a key by its public key
//! (PEM, as `keys.installation` shows it on the signing installation) with a label, and can withdraw it again;
//! both are audited and nothing is deleted.

use super::key;
use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{as_object, Input};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

/// A key this installation trusts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrustedKey {
    pub fingerprint: String,
    pub label: String,
    pub public_key_pem: String,
    pub created_at: String,
    pub active: bool,
}

/// Input of `keys.trust`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrustKeyInput {
    pub public_key_pem: String,
    pub label: String,
}

/// Input of `keys.distrust`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DistrustKeyInput {
    pub fingerprint: String,
    pub reason: String,
}

/// The label of an active trusted key with this fingerprint.
pub fn known_label(conn: &Connection, fingerprint: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT label FROM trusted_signing_keys WHERE fingerprint = ?1 AND archived_at IS NULL", [fingerprint], |r| r.get(0))
        .optional()?)
}

/// The key's event, written in the transaction that changes it.
fn append_event(
    tx: &rusqlite::Transaction,
    call: &crate::context::Call,
    fingerprint: &str,
    action: AuditAction,
    changes: Vec<Change>,
    reason: Option<&str>,
) -> Result<i64> {
    audit_trail::append(
        tx,
        call,
        NewEvent { entity_type: "trusted_key", entity_id: fingerprint, entity_reference: None, action, changes, reason },
    )
}

/// `keys.trusted`: every key added, withdrawn ones included.
pub fn list(ctx: &mut Ctx, _input: Value) -> Result<Vec<TrustedKey>> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut stmt = ctx.conn().prepare(
        "SELECT fingerprint, label, public_key_pem, created_at, archived_at IS NULL FROM trusted_signing_keys ORDER BY label, fingerprint",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TrustedKey { fingerprint: r.get(0)?, label: r.get(1)?, public_key_pem: r.get(2)?, created_at: r.get(3)?, active: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `keys.trust` (admin): packs signed with this public key verify as "signed by a known key".
pub fn trust(ctx: &mut Ctx, input: Value) -> Result<TrustedKey> {
    ctx.call.require(Capability::AdministerSystem)?;
    let mut v = Input::new(as_object(&input)?, &["publicKeyPem", "label"]);
    let pem = v.long_text("publicKeyPem", "Public key", 1, 4096, true);
    let label = v.text("label", "Label", 1, 200, true);
    let parsed = pem.as_deref().and_then(key::parse_public_key_pem);
    if pem.is_some() && parsed.is_none() {
        v.error(
            "publicKeyPem",
            FieldCode::InvalidFormat,
            "Public key must be an Ed25519 public key in PEM form (-----BEGIN PUBLIC KEY-----)",
        );
    }
    v.finish()?;
    let (Some(public), Some(label)) = (parsed, label) else { return Err(CoreError::Internal("validated fields missing".into())) };
    let fingerprint = key::fingerprint(&public);
    if key::load(&ctx.call.paths.data_dir)?.is_some_and(|own| key::fingerprint(&own.verifying_key()) == fingerprint) {
        return Err(CoreError::field("publicKeyPem", FieldCode::Inconsistent, "This is this installation's own key; it is always known"));
    }
    let pem = key::public_key_pem(&public);
    let existing: Option<bool> = ctx
        .conn()
        .query_row("SELECT archived_at IS NULL FROM trusted_signing_keys WHERE fingerprint = ?1", [&fingerprint], |r| r.get(0))
        .optional()?;
    let label_change = vec![Change::new("label", Value::Null, json!(label))];
    match existing {
        Some(true) => {
            return Err(CoreError::field("publicKeyPem", FieldCode::Duplicate, format!("The key {fingerprint} is already trusted")))
        }
        // Trusted before and withdrawn: trusted again, under the label given now.
        Some(false) => ctx.write(|tx, call| {
            tx.execute(
                "UPDATE trusted_signing_keys SET label = ?2, archived_at = NULL, archived_by = NULL WHERE fingerprint = ?1",
                rusqlite::params![fingerprint, label],
            )?;
            append_event(tx, call, &fingerprint, AuditAction::Restore, label_change, None)
        })?,
        None => ctx.write(|tx, call| {
            tx.execute(
                "INSERT INTO trusted_signing_keys (fingerprint, public_key_pem, label, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![fingerprint, pem, label, call.now_text(), call.actor()?.id],
            )?;
            append_event(tx, call, &fingerprint, AuditAction::Create, label_change, None)
        })?,
    };
    list(ctx, Value::Null)?
        .into_iter()
        .find(|k| k.fingerprint == fingerprint)
        .ok_or_else(|| CoreError::Internal("trusted key vanished".into()))
}

/// `keys.distrust` (admin): packs signed with this key no longer count as signed by a known key.
pub fn distrust(ctx: &mut Ctx, input: Value) -> Result<TrustedKey> {
    ctx.call.require(Capability::AdministerSystem)?;
    let mut v = Input::new(as_object(&input)?, &["fingerprint", "reason"]);
    let fingerprint = v.text("fingerprint", "Key", 1, 200, true).unwrap_or_default();
    let reason = v.text("reason", "Reason", 1, 1000, true).unwrap_or_default();
    v.finish()?;
    if known_label(ctx.conn(), &fingerprint)?.is_none() {
        return Err(CoreError::field("fingerprint", FieldCode::NotFound, format!("No trusted key has the fingerprint {fingerprint}")));
    }
    ctx.write(|tx, call| {
        tx.execute(
            "UPDATE trusted_signing_keys SET archived_at = ?2, archived_by = ?3 WHERE fingerprint = ?1",
            rusqlite::params![fingerprint, call.now_text(), call.actor()?.id],
        )?;
        append_event(tx, call, &fingerprint, AuditAction::Archive, vec![], Some(&reason))
    })?;
    list(ctx, Value::Null)?
        .into_iter()
        .find(|k| k.fingerprint == fingerprint)
        .ok_or_else(|| CoreError::Internal("trusted key vanished".into()))
}
