//! Governance settings (domain.md §1.12): stored in the `settings` table, changed only by `settings.update`
//! (administrators), every change an audited `update` event on entity_type `settings`.

use crate::audit_trail::{self, AuditAction, NewEvent};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::Result;
use crate::validate::{as_object, Input};
use jiff::tz::TimeZone;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// Days allowed to act on a finding, by severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingDueDays {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

/// Every governance setting with its value in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub due_soon_days: u32,
    pub coverage_window_months: u32,
    pub session_idle_minutes: u32,
    pub segregation_of_duties: bool,
    pub finding_due_days: FindingDueDays,
    pub complaint_target_days: u32,
    pub complaint_ack_days: u32,
    #[ts(type = "number")]
    pub max_file_bytes: u64,
    pub org_name: Option<String>,
    /// IANA zone name; null means the operating system's zone.
    pub time_zone: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            due_soon_days: 30,
            coverage_window_months: 12,
            session_idle_minutes: 15,
            segregation_of_duties: true,
            finding_due_days: FindingDueDays { critical: 7, high: 30, medium: 60, low: 90 },
            complaint_target_days: 28,
            complaint_ack_days: 3,
            max_file_bytes: 104_857_600,
            org_name: None,
            time_zone: None,
        }
    }
}

impl Settings {
    /// Defaults overlaid with the stored rows.
    pub fn load(conn: &Connection) -> Result<Settings> {
        let mut map = match serde_json::to_value(Settings::default())? {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let mut stmt = conn.prepare_cached("SELECT key, value FROM settings")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (key, value) = row?;
            if let Ok(v) = serde_json::from_str(&value) {
                map.insert(key, v);
            }
        }
        Ok(serde_json::from_value(Value::Object(map)).unwrap_or_default())
    }

    /// The configured zone, falling back to the OS zone, then UTC.
    pub fn zone(&self) -> TimeZone {
        crate::clock::resolve_zone(self.time_zone.as_deref().unwrap_or("")).unwrap_or(TimeZone::UTC)
    }
}

const KNOWN: &[&str] = &[
    "dueSoonDays",
    "coverageWindowMonths",
    "sessionIdleMinutes",
    "segregationOfDuties",
    "findingDueDays",
    "complaintTargetDays",
    "complaintAckDays",
    "maxFileBytes",
    "orgName",
    "timeZone",
];

/// `settings.get`: the settings in force.
pub fn get(ctx: &mut Ctx, _input: Value) -> Result<Settings> {
    ctx.call.require(Capability::ViewRecords)?;
    Ok(ctx.call.settings.clone())
}

/// A segregation-of-duties refusal, the same everywhere: what is refused, and the two ways out — another person, or
/// (for someone who works alone) the setting.
pub fn segregation_refusal(what: &str) -> String {
    format!(
        "Segregation of duties: {what} Ask another person to do it; if you work alone, an administrator can turn off \
         Settings › Segregation of duties."
    )
}

/// `settings.update` (admin): changes the given settings; every change is one audited `update` event.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<Settings> {
    ctx.call.require(Capability::AdministerSystem)?;
    let map = as_object(&input)?;
    let mut new = ctx.call.settings.clone();
    let mut v = Input::new(map, KNOWN);
    let num = |v: &mut Input, key: &str, label: &str, min: i64, max: i64| v.integer(key, label, min, max, false).map(|n| n as u32);
    if map.contains_key("dueSoonDays") {
        new.due_soon_days = num(&mut v, "dueSoonDays", "Due-soon window", 1, 365).unwrap_or(new.due_soon_days);
    }
    if map.contains_key("coverageWindowMonths") {
        new.coverage_window_months = num(&mut v, "coverageWindowMonths", "Coverage window", 1, 60).unwrap_or(new.coverage_window_months);
    }
    if map.contains_key("sessionIdleMinutes") {
        new.session_idle_minutes = num(&mut v, "sessionIdleMinutes", "Idle lock", 1, 480).unwrap_or(new.session_idle_minutes);
    }
    if map.contains_key("segregationOfDuties") {
        new.segregation_of_duties = v.boolean("segregationOfDuties", "Segregation of duties", new.segregation_of_duties);
    }
    if map.contains_key("complaintTargetDays") {
        new.complaint_target_days = num(&mut v, "complaintTargetDays", "Complaint target", 1, 365).unwrap_or(new.complaint_target_days);
    }
    if map.contains_key("complaintAckDays") {
        new.complaint_ack_days = num(&mut v, "complaintAckDays", "Complaint acknowledgement", 1, 60).unwrap_or(new.complaint_ack_days);
    }
    if map.contains_key("maxFileBytes") {
        new.max_file_bytes =
            v.integer("maxFileBytes", "Largest evidence file", 1, 1_073_741_824, false).map_or(new.max_file_bytes, |n| n as u64);
    }
    if map.contains_key("orgName") {
        new.org_name = v.text("orgName", "Organisation name", 0, 200, false);
    }
    if map.contains_key("timeZone") {
        new.time_zone = v.text("timeZone", "Time zone", 0, 64, false);
        if let Some(zone) = &new.time_zone {
            if let Err(message) = crate::clock::resolve_zone(zone) {
                v.error("timeZone", crate::error::FieldCode::InvalidChoice, format!("Time zone: {message}"));
            }
        }
    }
    if let Some(raw) = v.raw("findingDueDays") {
        match raw.as_object() {
            Some(days) => {
                let mut nested = Input::nested(days, &["critical", "high", "medium", "low"], "findingDueDays".into());
                let d = &mut new.finding_due_days;
                for (key, slot) in [("critical", &mut d.critical), ("high", &mut d.high), ("medium", &mut d.medium), ("low", &mut d.low)] {
                    if let Some(n) = nested.integer(key, &format!("Finding due days ({key})"), 1, 365, false) {
                        *slot = n as u32;
                    }
                }
                v.absorb(nested);
            }
            None => v.error("findingDueDays", crate::error::FieldCode::InvalidFormat, "Finding due days must be an object"),
        }
    }
    v.finish()?;
    let old_map = to_map(&ctx.call.settings)?;
    let new_map = to_map(&new)?;
    let changes = audit_trail::diff_changes(&old_map, &new_map);
    if changes.is_empty() {
        return Ok(new);
    }
    let installation = audit_trail::installation_id(ctx.conn())?;
    ctx.write(|tx, call| {
        for change in &changes {
            let key = crate::rowmap::snake_to_camel(&change.field);
            tx.execute(
                "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                rusqlite::params![key, new_map[&key].to_string(), call.now_text(), call.actor()?.id],
            )?;
        }
        audit_trail::append(
            tx,
            call,
            NewEvent {
                entity_type: "settings",
                entity_id: &installation,
                entity_reference: None,
                action: AuditAction::Update,
                changes: changes.clone(),
                reason: None,
            },
        )
    })?;
    ctx.call.settings = new.clone();
    Ok(new)
}

fn to_map(s: &Settings) -> Result<Map<String, Value>> {
    Ok(match serde_json::to_value(s)? {
        Value::Object(m) => m,
        _ => Map::new(),
    })
}
