//! The audit trail in words, for the history a regulator reads: labels instead of field codes, people's names and
//! records' references instead of ids, enumeration labels instead of codes, times in the organisation's zone. Only
//! how an event is shown; the stored event (and its hash) is exactly what was recorded, and the screen can show that too.

use crate::audit_trail::{AuditEventView, Change};
use crate::error::Result;
use jiff::tz::TimeZone;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use ts_rs::TS;

/// One change as a reader sees it; `None` is "nothing" (shown as a dash).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShownChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// What an id names, in the order tried: a person first, then a record's reference, then a part of a record.
const NAMES_BY_ID: &str = "
    SELECT display_name FROM users WHERE id = ?1
    UNION ALL SELECT reference FROM incidents WHERE id = ?1
    UNION ALL SELECT reference FROM actions WHERE id = ?1
    UNION ALL SELECT reference FROM risks WHERE id = ?1
    UNION ALL SELECT reference FROM investigations WHERE id = ?1
    UNION ALL SELECT reference FROM complaints WHERE id = ?1
    UNION ALL SELECT reference FROM collisions WHERE id = ?1
    UNION ALL SELECT reference FROM documents WHERE id = ?1
    UNION ALL SELECT reference FROM audit_runs WHERE id = ?1
    UNION ALL SELECT reference FROM findings WHERE id = ?1
    UNION ALL SELECT name FROM templates WHERE id = ?1
    UNION ALL SELECT 'version ' || version_number FROM template_versions WHERE id = ?1
    UNION ALL SELECT 'version ' || version_label FROM document_versions WHERE id = ?1
    UNION ALL SELECT title FROM risk_controls WHERE id = ?1
    UNION ALL SELECT original_name FROM evidence_files WHERE id = ?1
    UNION ALL SELECT signer_name || '''s signature' FROM signatures WHERE id = ?1
    UNION ALL SELECT code FROM standards WHERE id = ?1
    UNION ALL SELECT number || ' ' || title FROM clauses WHERE id = ?1
    LIMIT 1";

/// Turns recorded values into words, remembering each id it has looked up.
pub struct Describer<'a> {
    conn: &'a Connection,
    zone: TimeZone,
    names: HashMap<String, Option<String>>,
}

impl<'a> Describer<'a> {
    pub fn new(conn: &'a Connection, zone: TimeZone) -> Self {
        Describer { conn, zone, names: HashMap::new() }
    }

    /// Fills `shown` of every event.
    pub fn describe_all(&mut self, events: &mut [AuditEventView]) -> Result<()> {
        for event in events {
            let create = event.action == "create";
            event.shown = event.changes.iter().map(|c| self.change(c, create)).collect::<Result<_>>()?;
        }
        Ok(())
    }

    /// One change: its field as a label, its values as text. On a create the old value is nothing, not "was empty".
    pub fn change(&mut self, change: &Change, create: bool) -> Result<ShownChange> {
        let old = if create && change.old.is_null() { None } else { self.value(&change.old)? };
        Ok(ShownChange { field: self.field(&change.field)?, old, new: self.value(&change.new)? })
    }

    /// `lead_auditor_id` → "Lead auditor"; `version 1.0.approved_by` → "Version 1.0 › Approved by";
    /// `controls.<id>.owner_id` → "Controls › Guard rail › Owner".
    pub fn field(&mut self, field: &str) -> Result<String> {
        if let Some(question) = field.strip_prefix("answer: ") {
            return Ok(format!("Answer: {question}"));
        }
        let mut parts = Vec::new();
        // A version label carries its own dot ("version 1.0.status"): keep it whole.
        let mut rest = field;
        if let Some(after) = field.strip_prefix("version ") {
            let end = after.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(after.len());
            let label = after[..end].trim_end_matches('.');
            parts.push(format!("Version {label}"));
            rest = after[label.len()..].trim_start_matches('.');
        }
        for segment in rest.split('.').filter(|s| !s.is_empty()) {
            if looks_like_id(segment) {
                parts.push(self.name_of(segment)?.unwrap_or_else(|| segment.to_owned()));
            } else {
                parts.push(label_of_field(segment));
            }
        }
        Ok(parts.join(" › "))
    }

    /// A value in words; `None` for nothing.
    pub fn value(&mut self, value: &Value) -> Result<Option<String>> {
        Ok(match value {
            Value::Null => None,
            Value::Bool(b) => Some(if *b { "Yes" } else { "No" }.to_owned()),
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(self.text(s)?),
            Value::Array(items) if items.is_empty() => Some("none".to_owned()),
            Value::Array(items) => {
                let mut shown = Vec::new();
                for item in items {
                    shown.push(self.value(item)?.unwrap_or_else(|| "—".to_owned()));
                }
                let separator = if items.iter().any(Value::is_object) { "; " } else { ", " };
                Some(shown.join(separator))
            }
            Value::Object(map) => {
                // A value too long for the trail is kept as its hash (domain.md §1.8).
                if let (Some(Value::String(sha)), Some(Value::Number(len)), 2) = (map.get("sha256"), map.get("length"), map.len()) {
                    return Ok(Some(format!("(a long text of {len} bytes, SHA-256 {})", &sha[..sha.len().min(12)])));
                }
                let mut shown = Vec::new();
                for (key, item) in map {
                    if key == "id" || item.is_null() {
                        continue;
                    }
                    let text = self.value(item)?.unwrap_or_default();
                    shown.push(format!("{}: {text}", label_of_field(&crate::rowmap::camel_to_snake(key))));
                }
                Some(shown.join(", "))
            }
        })
    }

    fn text(&mut self, s: &str) -> Result<String> {
        if looks_like_id(s) {
            return Ok(self.name_of(s)?.unwrap_or_else(|| s.to_owned()));
        }
        if let Ok(at) = s.parse::<jiff::Timestamp>() {
            if s.contains('T') {
                return Ok(at.to_zoned_datetime(self.zone.clone()).strftime("%Y-%m-%d %H:%M").to_string());
            }
        }
        if is_code(s) {
            return Ok(label_of_code(s));
        }
        Ok(s.to_owned())
    }

    fn name_of(&mut self, id: &str) -> Result<Option<String>> {
        if let Some(known) = self.names.get(id) {
            return Ok(known.clone());
        }
        let name: Option<String> = self.conn.prepare_cached(NAMES_BY_ID)?.query_row([id], |r| r.get(0)).optional()?;
        self.names.insert(id.to_owned(), name.clone());
        Ok(name)
    }
}

/// An id as the app makes them (UUID text).
fn looks_like_id(s: &str) -> bool {
    uuid::Uuid::try_parse(s).is_ok() && s.len() == 36
}

/// A code of an enumeration or a role, not free text that happens to be one word.
fn is_code(s: &str) -> bool {
    crate::validate::is_choice_code(s) || crate::authz::Role::parse(s).is_some()
}

/// Words that read wrongly when only capitalised.
fn word(w: &str) -> String {
    match w {
        "riddor" => "RIDDOR".to_owned(),
        "gps" => "GPS".to_owned(),
        "na" => "N/A".to_owned(),
        "ack" => "acknowledgement".to_owned(),
        "sha256" => "SHA-256".to_owned(),
        "url" => "URL".to_owned(),
        "id" => "ID".to_owned(),
        other => other.to_owned(),
    }
}

fn sentence(words: Vec<String>) -> String {
    let text = words.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// `lead_auditor_id` → "Lead auditor"; `riddor_category` → "RIDDOR category".
pub fn label_of_field(field: &str) -> String {
    let trimmed = field.strip_suffix("_id").filter(|s| !s.is_empty()).unwrap_or(field);
    sentence(trimmed.split([' ', '_']).filter(|w| !w.is_empty()).map(word).collect())
}

/// `under_investigation` → "Under investigation".
pub fn label_of_code(code: &str) -> String {
    sentence(code.split('_').map(word).collect())
}

/// The events of one record in words (the history commands).
pub fn history(conn: &Connection, zone: TimeZone, entity_type: &str, entity_id: &str) -> Result<Vec<AuditEventView>> {
    let mut events = crate::audit_trail::history(conn, entity_type, entity_id)?;
    Describer::new(conn, zone).describe_all(&mut events)?;
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_as_labels() {
        assert_eq!(label_of_field("lead_auditor_id"), "Lead auditor");
        assert_eq!(label_of_field("riddor_category"), "RIDDOR category");
        assert_eq!(label_of_field("findings raised"), "Findings raised");
        assert_eq!(label_of_field("ack_roles"), "Acknowledgement roles");
        assert_eq!(label_of_code("under_investigation"), "Under investigation");
        assert_eq!(label_of_code("specified_injury"), "Specified injury");
    }

    #[test]
    fn codes_are_told_from_free_text() {
        assert!(is_code("under_investigation") && is_code("specified_injury") && is_code("viewer"));
        assert!(!is_code("warehouse") && !is_code("bay_4"), "free text is shown as typed");
    }
}
