//! The tamper-evident audit trail (domain.md §1.8): append-only events, hash-chained with SHA-256 over the
//! previous hash and the RFC 8785 canonical JSON of each event.
//!
//! Events are written in the same transaction as the change they record. Nothing here updates or deletes
//! events; the schema's triggers refuse it too.

use crate::context::{Call, Ctx};
use crate::error::{CoreError, Result};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// The hash before the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Values longer than this (as JSON) are recorded as `{sha256, length}` instead of in full.
pub const MAX_INLINE_VALUE_BYTES: usize = 4096;

/// What an event records (domain.md §1.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Update,
    StatusChange,
    Archive,
    Restore,
    Discard,
    Link,
    Unlink,
    Attach,
    Detach,
    Sign,
    SignIn,
    SignInFailed,
    Lock,
    Export,
    VerifyChain,
    IntegrityCheck,
}

impl AuditAction {
    /// The snake_case name stored in the event.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::StatusChange => "status_change",
            AuditAction::Archive => "archive",
            AuditAction::Restore => "restore",
            AuditAction::Discard => "discard",
            AuditAction::Link => "link",
            AuditAction::Unlink => "unlink",
            AuditAction::Attach => "attach",
            AuditAction::Detach => "detach",
            AuditAction::Sign => "sign",
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::Lock => "lock",
            AuditAction::Export => "export",
            AuditAction::VerifyChain => "verify_chain",
            AuditAction::IntegrityCheck => "integrity_check",
        }
    }
}

/// One changed field: snake_case name, old and new values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Change {
    pub field: String,
    #[ts(type = "unknown")]
    pub old: Value,
    #[ts(type = "unknown")]
    pub new: Value,
}

impl Change {
    /// A change with its values capped at [`MAX_INLINE_VALUE_BYTES`].
    pub fn new(field: impl Into<String>, old: Value, new: Value) -> Self {
        Change { field: field.into(), old: cap_value(old), new: cap_value(new) }
    }
}

/// A value too large to inline becomes `{sha256, length}`.
pub fn cap_value(v: Value) -> Value {
    // A scalar, or a string too short to pass the cap whatever its escaping, needs no serialising to know.
    let small = match &v {
        Value::Null | Value::Bool(_) | Value::Number(_) => true,
        Value::String(s) => s.len() * 6 + 2 <= MAX_INLINE_VALUE_BYTES,
        _ => false,
    };
    if small {
        return v;
    }
    let text = canonical_json(&v);
    if text.len() > MAX_INLINE_VALUE_BYTES {
        json!({ "sha256": hex::encode(Sha256::digest(text.as_bytes())), "length": text.len() })
    } else {
        v
    }
}

/// Changes of a create: every non-null field, old = null. Keys are converted to snake_case.
pub fn created_changes(new: &Map<String, Value>) -> Vec<Change> {
    let mut out: Vec<Change> = new
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| Change::new(crate::rowmap::camel_to_snake(k), Value::Null, v.clone()))
        .collect();
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

/// Changes of an update: changed fields only, snake_case names, sorted by name.
pub fn diff_changes(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<Change> {
    let mut out = Vec::new();
    for (k, new_v) in new {
        let old_v = old.get(k).cloned().unwrap_or(Value::Null);
        if &old_v != new_v {
            out.push(Change::new(crate::rowmap::camel_to_snake(k), old_v, new_v.clone()));
        }
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

/// An event about to be appended; the stamp (actor, time, request) comes from the context.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub entity_reference: Option<&'a str>,
    pub action: AuditAction,
    pub changes: Vec<Change>,
    pub reason: Option<&'a str>,
}

/// Who and when, for events written outside a signed-in command (sign-in failures, first setup).
#[derive(Debug, Clone)]
pub struct Stamp {
    pub actor_id: String,
    pub actor_name: String,
    pub request_id: String,
    pub occurred_at: String,
}

/// RFC 8785 canonical JSON: object keys sorted, no white space, UTF-8. Our payloads hold no floats.
pub fn canonical_json(v: &Value) -> String {
    let mut out = Vec::with_capacity(256);
    write_canonical(v, &mut out);
    // serde_json writes only UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Keys in UTF-16 code-unit order (RFC 8785); for ASCII keys that is plain byte order.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

fn write_canonical(v: &Value, out: &mut Vec<u8>) {
    // Writing into a Vec cannot fail; serde_json's own escaping is the one `Value`'s Display uses.
    fn scalar(out: &mut Vec<u8>, v: &impl Serialize) {
        let _ = serde_json::to_writer(out, v);
    }
    match v {
        Value::Object(map) => {
            // Sort explicitly: another crate in the build may turn on serde_json's preserve_order.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| utf16_order(a.0, b.0));
            out.push(b'{');
            for (i, (k, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                scalar(out, k);
                out.push(b':');
                write_canonical(item, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        other => scalar(out, other),
    }
}

/// The canonical JSON of a list of changes, written straight from them (no intermediate JSON tree): keys in
/// canonical order `field`, `new`, `old`.
pub fn canonical_changes(changes: &[Change]) -> String {
    let mut out = Vec::with_capacity(64 * changes.len() + 2);
    out.push(b'[');
    for (i, c) in changes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"field\":");
        let _ = serde_json::to_writer(&mut out, &c.field);
        out.extend_from_slice(b",\"new\":");
        write_canonical(&c.new, &mut out);
        out.extend_from_slice(b",\"old\":");
        write_canonical(&c.old, &mut out);
        out.push(b'}');
    }
    out.push(b']');
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `hex(SHA-256(prev_hash ‖ canonical JSON of the event without prev_hash and hash))`.
pub fn event_hash(prev_hash: &str, event_without_hashes: &Value) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical_json(event_without_hashes).as_bytes());
    hex::encode(h.finalize())
}

/// [`event_hash`] of a body whose `changes` are already canonical text (stored as such too), so they are
/// serialised once, not twice. The body's other values are scalars, so `"changes":null` occurs in its canonical
/// text exactly once, as the key (inside a string its quotes would be escaped).
fn event_hash_with_changes(prev_hash: &str, body_with_null_changes: &Value, changes_text: &str) -> String {
    const PLACEHOLDER: &str = "\"changes\":null";
    let text = canonical_json(body_with_null_changes);
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    match text.split_once(PLACEHOLDER) {
        Some((head, tail)) => {
            h.update(head.as_bytes());
            h.update(b"\"changes\":");
            h.update(changes_text.as_bytes());
            h.update(tail.as_bytes());
        }
        None => h.update(text.as_bytes()),
    }
    hex::encode(h.finalize())
}

/// The id of this database installation, created by the first migration's caller.
pub fn installation_id(conn: &Connection) -> Result<String> {
    conn.prepare_cached("SELECT id FROM installation WHERE singleton = 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::Internal("installation identity missing".into()))
}

/// Appends one event with the context's actor, request id and clock. Returns its sequence number.
pub fn append(tx: &Transaction, call: &Call, event: NewEvent) -> Result<i64> {
    let actor = call.actor()?;
    let stamp = Stamp {
        actor_id: actor.id.clone(),
        actor_name: actor.display_name.clone(),
        request_id: call.request_id.clone(),
        occurred_at: call.now_text(),
    };
    append_stamped(tx, &stamp, event)
}

/// Appends one event with an explicit stamp.
pub fn append_stamped(tx: &Transaction, stamp: &Stamp, event: NewEvent) -> Result<i64> {
    let (last_seq, prev_hash): (i64, String) = tx
        .prepare_cached("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS_HASH.to_owned()));
    let seq = last_seq + 1;
    let id = crate::ids::new_id();
    let installation_id = installation_id(tx)?;
    let changes_text = canonical_changes(&event.changes);
    debug_assert_eq!(changes_text, canonical_json(&serde_json::to_value(&event.changes)?));
    let body = json!({
        "seq": seq,
        "id": id,
        "installation_id": installation_id,
        "occurred_at": stamp.occurred_at,
        "actor_id": stamp.actor_id,
        "actor_name": stamp.actor_name,
        "request_id": stamp.request_id,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "entity_reference": event.entity_reference,
        "action": event.action.as_str(),
        "changes": Value::Null,
        "reason": event.reason,
    });
    let hash = event_hash_with_changes(&prev_hash, &body, &changes_text);
    debug_assert_eq!(hash, {
        let mut full = body.clone();
        full["changes"] = serde_json::from_str(&changes_text).unwrap_or_default();
        event_hash(&prev_hash, &full)
    });
    tx.prepare_cached(
        "INSERT INTO audit_events (seq, id, installation_id, occurred_at, actor_id, actor_name, request_id, entity_type,
            entity_id, entity_reference, action, changes, reason, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(rusqlite::params![
        seq,
        id,
        installation_id,
        stamp.occurred_at,
        stamp.actor_id,
        stamp.actor_name,
        stamp.request_id,
        event.entity_type,
        event.entity_id,
        event.entity_reference,
        event.action.as_str(),
        changes_text,
        event.reason,
        prev_hash,
        hash
    ])?;
    Ok(seq)
}

/// One event as shown in a record's history.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEventView {
    #[ts(type = "number")]
    pub seq: i64,
    pub id: String,
    pub occurred_at: String,
    pub actor_id: String,
    pub actor_name: String,
    pub request_id: String,
    pub entity_type: String,
    pub entity_id: String,
    pub entity_reference: Option<String>,
    pub action: String,
    pub changes: Vec<Change>,
    pub reason: Option<String>,
    /// The changes in words (labels, names, references, local times), one per change; empty where the caller did
    /// not ask for words. See [`crate::history_words`].
    pub shown: Vec<crate::history_words::ShownChange>,
}

/// A record's events, newest first, as recorded.
pub fn history(conn: &Connection, entity_type: &str, entity_id: &str) -> Result<Vec<AuditEventView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, id, occurred_at, actor_id, actor_name, request_id, entity_type, entity_id, entity_reference,
                action, changes, reason
         FROM audit_events WHERE entity_type = ?1 AND entity_id = ?2 ORDER BY seq DESC",
    )?;
    let rows = stmt.query_map([entity_type, entity_id], |r| {
        let changes_text: String = r.get(10)?;
        Ok(AuditEventView {
            seq: r.get(0)?,
            id: r.get(1)?,
            occurred_at: r.get(2)?,
            actor_id: r.get(3)?,
            actor_name: r.get(4)?,
            request_id: r.get(5)?,
            entity_type: r.get(6)?,
            entity_id: r.get(7)?,
            entity_reference: r.get(8)?,
            action: r.get(9)?,
            changes: serde_json::from_str(&changes_text).unwrap_or_default(),
            reason: r.get(11)?,
            shown: Vec::new(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Why verification stopped at an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChainProblem {
    HashMismatch,
    BrokenLink,
    SequenceGap,
    /// The newest events are gone: the trail ends before the head recorded beside the backups.
    Truncated,
    /// The event at the recorded head is not the one recorded, or the head file itself was altered.
    AnchorMismatch,
}

/// Result of recomputing the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    pub ok: bool,
    #[ts(type = "number")]
    pub events_checked: i64,
    #[ts(type = "number | null")]
    pub first_bad_seq: Option<i64>,
    pub problem: Option<ChainProblem>,
    /// The newest head recorded beside the backups that this check compared against (seq), if any.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub anchor_seq: Option<i64>,
    /// The events missing from the end of the trail, as "41–57", when it was cut off.
    #[serde(default)]
    pub missing: Option<String>,
}

impl ChainReport {
    /// A chain that could not be read at all.
    pub fn unreadable() -> ChainReport {
        ChainReport { ok: false, events_checked: 0, first_bad_seq: None, problem: None, anchor_seq: None, missing: None }
    }
}

/// Recomputes every hash in sequence order, read-only. Stops at the first bad event.
pub fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, id, installation_id, occurred_at, actor_id, actor_name, request_id, entity_type, entity_id,
                entity_reference, action, changes, reason, prev_hash, hash
         FROM audit_events ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut expected_seq = 1_i64;
    let mut checked = 0_i64;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let bad = |problem| ChainReport {
            ok: false,
            events_checked: checked,
            first_bad_seq: Some(seq),
            problem: Some(problem),
            anchor_seq: None,
            missing: None,
        };
        if seq != expected_seq {
            return Ok(bad(ChainProblem::SequenceGap));
        }
        let prev_hash: String = r.get(13)?;
        let hash: String = r.get(14)?;
        if prev_hash != expected_prev {
            return Ok(bad(ChainProblem::BrokenLink));
        }
        let changes_text: String = r.get(11)?;
        let Ok(changes) = serde_json::from_str::<Value>(&changes_text) else {
            return Ok(bad(ChainProblem::HashMismatch));
        };
        let body = json!({
            "seq": seq,
            "id": r.get::<_, String>(1)?,
            "installation_id": r.get::<_, String>(2)?,
            "occurred_at": r.get::<_, String>(3)?,
            "actor_id": r.get::<_, String>(4)?,
            "actor_name": r.get::<_, String>(5)?,
            "request_id": r.get::<_, String>(6)?,
            "entity_type": r.get::<_, String>(7)?,
            "entity_id": r.get::<_, String>(8)?,
            "entity_reference": r.get::<_, Option<String>>(9)?,
            "action": r.get::<_, String>(10)?,
            "changes": changes,
            "reason": r.get::<_, Option<String>>(12)?,
        });
        if event_hash(&prev_hash, &body) != hash {
            return Ok(bad(ChainProblem::HashMismatch));
        }
        checked += 1;
        expected_seq += 1;
        expected_prev = hash;
    }
    Ok(ChainReport { ok: true, events_checked: checked, first_bad_seq: None, problem: None, anchor_seq: None, missing: None })
}

/// `audit_trail.verify`: verifies the chain and records a verify_chain event with the result (admin only).
pub fn verify_and_record(ctx: &mut Ctx, _input: Value) -> Result<ChainReport> {
    ctx.call.require(crate::authz::Capability::AdministerSystem)?;
    let mut report = verify_chain(ctx.conn())?;
    crate::trail_anchor::compare(ctx.conn(), ctx.call.paths, &mut report)?;
    let installation = installation_id(ctx.conn())?;
    ctx.write(|tx, call| {
        append(
            tx,
            call,
            NewEvent {
                entity_type: "audit_trail",
                entity_id: &installation,
                entity_reference: None,
                action: AuditAction::VerifyChain,
                changes: vec![
                    Change::new("ok", Value::Null, json!(report.ok)),
                    Change::new("events_checked", Value::Null, json!(report.events_checked)),
                    Change::new("first_bad_seq", Value::Null, json!(report.first_bad_seq)),
                    Change::new("problem", Value::Null, serde_json::to_value(report.problem)?),
                    Change::new("missing", Value::Null, json!(report.missing)),
                ],
                reason: None,
            },
        )?;
        Ok(())
    })?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_has_no_spaces() {
        let v = json!({"b": 1, "a": {"d": [1, "x"], "c": null}, "é": "ü"});
        assert_eq!(canonical_json(&v), r#"{"a":{"c":null,"d":[1,"x"]},"b":1,"é":"ü"}"#);
    }

    #[test]
    fn canonical_keys_follow_utf16_order() {
        // U+1F600 is a surrogate pair (0xD83D…) in UTF-16, so it sorts before U+E000 although its code point is higher.
        let v = json!({"\u{E000}": 1, "\u{1F600}": 2, "b": 3});
        assert_eq!(canonical_json(&v), "{\"b\":3,\"\u{1F600}\":2,\"\u{E000}\":1}");
    }

    #[test]
    fn changes_written_directly_are_their_canonical_json() {
        let changes = vec![
            Change::new("title", Value::Null, json!("Ünïcode \"quoted\" \u{1F600}")),
            Change::new("people", json!([{"name": "A", "injured": true}]), json!({"z": 1, "a": [null, 2.5]})),
        ];
        assert_eq!(canonical_changes(&changes), canonical_json(&serde_json::to_value(&changes).unwrap()));
        assert_eq!(canonical_changes(&[]), "[]");
    }

    #[test]
    fn the_hash_of_spliced_changes_is_the_hash_of_the_whole_event() {
        let changes = json!([{"field": "title", "old": null, "new": "a \"changes\":null b"}]);
        let mut body = json!({"seq": 7, "actor_name": "O'Brien \"changes\":null", "changes": null, "reason": "ü", "zeta": "x"});
        let spliced = event_hash_with_changes("prev", &body, &canonical_json(&changes));
        body["changes"] = changes;
        assert_eq!(spliced, event_hash("prev", &body));
    }

    #[test]
    fn large_values_are_replaced_by_their_digest() {
        let big = Value::String("x".repeat(5000));
        let capped = cap_value(big);
        assert_eq!(capped["length"], json!(5002));
        assert_eq!(capped["sha256"].as_str().unwrap().len(), 64);
    }

    #[test]
    fn diff_lists_only_changed_fields_in_snake_case() {
        let old = json!({"title": "A", "incidentDate": "2026-01-01"}).as_object().unwrap().clone();
        let new = json!({"title": "B", "incidentDate": "2026-01-01"}).as_object().unwrap().clone();
        let changes = diff_changes(&old, &new);
        assert_eq!(changes, vec![Change::new("title", json!("A"), json!("B"))]);
    }
}
