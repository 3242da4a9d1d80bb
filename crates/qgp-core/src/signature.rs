//! E-signatures (domain.md §2): a re-authenticated approval with a meaning and a SHA-256 of what was signed.
//! Each signature is also an audit event; neither can be changed afterwards.

use crate::audit_trail::{self, canonical_json, AuditAction, Change, NewEvent};
use crate::context::{Call, Ctx};
use crate::error::{CoreError, Result};
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use ts_rs::TS;

crate::choice_enum! {
    /// What a signature means, fixed by the transition that asks for it.
    pub enum SignatureMeaning {
        Reviewed => "reviewed", Approved => "approved", Completed => "completed",
        Verified => "verified", Accepted => "accepted", Acknowledged => "acknowledged",
    }
}

/// A stored signature.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignatureView {
    pub id: String,
    pub signer_id: String,
    pub signer_name: String,
    pub signed_at: String,
    pub meaning: SignatureMeaning,
    pub entity_type: String,
    pub entity_id: String,
    pub entity_reference: Option<String>,
    pub content_hash: String,
    pub comment: Option<String>,
}

/// SHA-256 of canonical JSON `{record, files:[sha256…sorted]}`.
pub fn content_hash(record: &Value, files: &[String]) -> String {
    let mut files = files.to_vec();
    files.sort();
    hex::encode(Sha256::digest(canonical_json(&json!({ "record": record, "files": files })).as_bytes()))
}

/// Re-checks the actor's passphrase before anything is written (see [`crate::users::reauthenticate`]).
pub fn reauthenticate(ctx: &mut Ctx, passphrase: &str) -> Result<()> {
    let actor = ctx.call.actor()?.clone();
    let request_id = ctx.call.request_id.clone();
    let clock = ctx.call.clock;
    crate::users::reauthenticate(ctx.conn_mut(), clock, &request_id, &actor, passphrase)?;
    // After an administrator's reset the administrator knows the passphrase: a signature would not be the signer's.
    let reset: bool = ctx.conn().query_row("SELECT passphrase_reset_by_admin FROM users WHERE id = ?1", [&actor.id], |r| r.get(0))?;
    if reset {
        return Err(CoreError::Forbidden(
            "An administrator reset your passphrase, so you cannot sign until you choose a new one: open My profile › Change passphrase."
                .into(),
        ));
    }
    Ok(())
}

/// What is being signed.
pub struct Signing<'a> {
    pub meaning: SignatureMeaning,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub entity_reference: Option<&'a str>,
    pub record: &'a Value,
    pub files: &'a [String],
    pub comment: Option<&'a str>,
}

/// Stores a signature by the actor and its `sign` audit event, inside the caller's transaction.
pub fn sign(tx: &Transaction, call: &Call, signing: Signing) -> Result<SignatureView> {
    let actor = call.actor()?;
    let view = SignatureView {
        id: crate::ids::new_id(),
        signer_id: actor.id.clone(),
        signer_name: actor.display_name.clone(),
        signed_at: call.now_text(),
        meaning: signing.meaning,
        entity_type: signing.entity_type.to_owned(),
        entity_id: signing.entity_id.to_owned(),
        entity_reference: signing.entity_reference.map(str::to_owned),
        content_hash: content_hash(signing.record, signing.files),
        comment: signing.comment.map(str::to_owned),
    };
    crate::rowmap::insert(tx, "signatures", &crate::rowmap::to_columns(&view)?)?;
    audit_trail::append(
        tx,
        call,
        NewEvent {
            entity_type: signing.entity_type,
            entity_id: signing.entity_id,
            entity_reference: signing.entity_reference,
            action: AuditAction::Sign,
            changes: vec![
                Change::new("meaning", Value::Null, json!(view.meaning)),
                Change::new("content_hash", Value::Null, json!(view.content_hash)),
                Change::new("signature_id", Value::Null, json!(view.id)),
            ],
            reason: signing.comment,
        },
    )?;
    Ok(view)
}

/// A record's signatures, oldest first.
pub fn list_for(conn: &Connection, entity_type: &str, entity_id: &str) -> Result<Vec<SignatureView>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM signatures WHERE entity_type = ?1 AND entity_id = ?2 ORDER BY signed_at, id")?;
    crate::rowmap::query_as(&mut stmt, [entity_type, entity_id])
}
