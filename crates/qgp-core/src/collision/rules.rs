//! Collision validation and the transition table (domain.md §10).

use super::model::*;
use crate::error::{FieldCode, Result};
use crate::validate::Input;
use jiff::civil::Date;
use rusqlite::Connection;
use serde_json::{Map, Value};

const THIRD_PARTY_KEYS: &[&str] =
    &["name", "contact", "vehicleRegistration", "vehicleMakeModel", "damage", "injured", "injuryDetails", "insurer"];

fn read_third_parties(v: &mut Input) -> Vec<ThirdParty> {
    let mut out = Vec::new();
    for (i, item) in v.objects("thirdParties", "Third parties", 50) {
        let mut n = Input::nested(item, THIRD_PARTY_KEYS, format!("thirdParties[{i}]"));
        let name = n.text("name", "Name", 1, 200, true);
        let party = ThirdParty {
            name: name.clone().unwrap_or_default(),
            contact: n.text("contact", "Contact", 0, 200, false),
            vehicle_registration: n.upper_text("vehicleRegistration", "Vehicle registration", 20),
            vehicle_make_model: n.text("vehicleMakeModel", "Vehicle make and model", 0, 100, false),
            damage: n.long_text("damage", "Damage", 0, 2000, false),
            injured: n.boolean("injured", "Injured", false),
            injury_details: n.long_text("injuryDetails", "Injury details", 0, 2000, false),
            insurer: n.text("insurer", "Insurer", 0, 200, false),
        };
        if name.is_some() {
            out.push(party);
        }
        v.absorb(n);
    }
    out
}

/// Validates a complete collision (create input, or the stored one with changes applied).
pub fn read_fields(conn: &Connection, map: &Map<String, Value>, today: Date) -> Result<(CollisionFields, Vec<ThirdParty>)> {
    let mut v = Input::new(map, FIELD_KEYS);
    let title = v.text("title", "Title", 1, 300, true);
    let description = v.long_text("description", "Description", 1, 10_000, true);
    let location = v.text("location", "Location", 1, 500, true);
    let severity = v.choice("severity", "Severity", Some(CollisionSeverity::DamageOnly)).unwrap_or(CollisionSeverity::DamageOnly);
    let collision_date = v.date("collisionDate", "Collision date", true);
    if collision_date.is_some_and(|d| d > today) {
        v.error("collisionDate", FieldCode::InFuture, format!("Collision date cannot be in the future (today is {today})"));
    }
    let collision_time = v.time_hm("collisionTime", "Collision time");
    let reported_date = if v.raw("reportedDate").is_some() { v.date("reportedDate", "Reported date", true) } else { Some(today) };
    if let Some(r) = reported_date {
        if r > today {
            v.error("reportedDate", FieldCode::InFuture, format!("Reported date cannot be in the future (today is {today})"));
        } else if collision_date.is_some_and(|c| r < c) {
            v.error("reportedDate", FieldCode::BeforeMinimum, "Reported date cannot be before the collision date");
        }
    }
    let road_name = v.text("roadName", "Road", 0, 200, false);
    let postcode = v.upper_text("postcode", "Postcode", 20);
    let weather = v.choice::<Weather>("weather", "Weather", None);
    let road_surface = v.choice::<RoadSurface>("roadSurface", "Road surface", None);
    let lighting = v.choice::<Lighting>("lighting", "Lighting", None);
    let vehicle_registration = v.upper_text("vehicleRegistration", "Vehicle registration", 20);
    let vehicle_make_model = v.text("vehicleMakeModel", "Vehicle make and model", 0, 100, false);
    let vehicle_damage = v.long_text("vehicleDamage", "Vehicle damage", 0, 2000, false);
    let driver_user_id = v.id("driverUserId", "Driver (profile)", false);
    crate::incident::rules::check_user_ref(conn, &mut v, "driverUserId", "Driver", driver_user_id.as_deref())?;
    let driver_name = v.text("driverName", "Driver name", 0, 200, false);
    if driver_user_id.is_none() && driver_name.is_none() && !v.has_error("driverUserId") && !v.has_error("driverName") {
        v.error("driverName", FieldCode::Required, "Name the driver: pick a profile or type a name");
    }
    let driver_statement = v.long_text("driverStatement", "Driver statement", 0, 10_000, false);
    let driver_injured = v.boolean("driverInjured", "Driver injured", false);
    let driver_injury_details = v.long_text("driverInjuryDetails", "Driver injury details", 0, 2000, false);
    if driver_injured && driver_injury_details.is_none() && !v.has_error("driverInjuryDetails") {
        v.error("driverInjuryDetails", FieldCode::Required, "Describe the driver's injuries");
    }
    let third_parties = read_third_parties(&mut v);
    let witnesses = v.long_text("witnesses", "Witnesses", 0, 5000, false);
    let police_attended = v.boolean("policeAttended", "Police attended", false);
    let police_reference = v.text("policeReference", "Police reference", 0, 100, false);
    let police_station = v.text("policeStation", "Police station", 0, 200, false);
    if !police_attended {
        for (key, value) in [("policeReference", &police_reference), ("policeStation", &police_station)] {
            if value.is_some() {
                v.error(key, FieldCode::Inconsistent, "Police details are recorded only when the police attended");
            }
        }
    }
    let insurance_notified = v.boolean("insuranceNotified", "Insurance notified", false);
    let insurance_reference = v.text("insuranceReference", "Insurance reference", 0, 100, false);
    let insurance_notes = v.long_text("insuranceNotes", "Insurance notes", 0, 5000, false);
    let estimated_cost = v.integer("estimatedCost", "Estimated cost (pence)", 0, 100_000_000_000, false);
    let investigator_id = v.id("investigatorId", "Investigator", false);
    crate::incident::rules::check_user_ref(conn, &mut v, "investigatorId", "Investigator", investigator_id.as_deref())?;
    let investigation_notes = v.long_text("investigationNotes", "Investigation notes", 0, 10_000, false);
    let root_cause = v.long_text("rootCause", "Root cause", 0, 10_000, false);
    let fault_determination =
        v.choice("faultDetermination", "Fault", Some(FaultDetermination::Undetermined)).unwrap_or(FaultDetermination::Undetermined);
    let closure_notes = v.long_text("closureNotes", "Closure notes", 0, 10_000, false);
    let legacy_reference = v.text("legacyReference", "Legacy reference", 0, 50, false);
    v.finish()?;
    let fields = CollisionFields {
        title: title.unwrap_or_default(),
        description: description.unwrap_or_default(),
        location: location.unwrap_or_default(),
        severity,
        collision_date: collision_date.map(|d| d.to_string()).unwrap_or_default(),
        collision_time,
        reported_date: reported_date.map(|d| d.to_string()).unwrap_or_default(),
        road_name,
        postcode,
        weather,
        road_surface,
        lighting,
        vehicle_registration,
        vehicle_make_model,
        vehicle_damage,
        driver_user_id,
        driver_name,
        driver_statement,
        driver_injured,
        driver_injury_details,
        witnesses,
        police_attended,
        police_reference,
        police_station,
        insurance_notified,
        insurance_reference,
        insurance_notes,
        estimated_cost,
        investigator_id,
        investigation_notes,
        root_cause,
        fault_determination,
        closure_notes,
        legacy_reference,
    };
    Ok((fields, third_parties))
}

/// Targets allowed from each status before guards (§10).
pub fn allowed_targets(from: CollisionStatus) -> &'static [CollisionStatus] {
    use CollisionStatus::*;
    match from {
        Reported => &[UnderInvestigation, Closed],
        UnderInvestigation => &[PendingInsurance, ActionsPending, Closed],
        PendingInsurance => &[ActionsPending, Closed],
        ActionsPending => &[Closed],
        Closed => &[UnderInvestigation],
    }
}

/// Input a transition needs.
pub fn needs(from: CollisionStatus, to: CollisionStatus) -> &'static [&'static str] {
    use CollisionStatus::*;
    match (from, to) {
        (Reported, Closed) => &["reason", "closureNotes"],
        (_, Closed) => &["closureNotes"],
        (Closed, UnderInvestigation) => &["reason"],
        _ => &[],
    }
}

/// What the guards look at beyond the record: open actions and investigations (C-1) and the action count.
pub struct GuardFacts {
    pub open: Vec<String>,
    pub action_count: i64,
}

/// Unmet guards for `from → to`.
pub fn unmet_guards(from: CollisionStatus, to: CollisionStatus, f: &CollisionFields, facts: &GuardFacts) -> Vec<String> {
    use CollisionStatus::*;
    let mut unmet = Vec::new();
    match (from, to) {
        (Reported, UnderInvestigation) if f.investigator_id.is_none() => unmet.push("An investigator must be set first.".into()),
        (UnderInvestigation, PendingInsurance) if !f.insurance_notified => {
            unmet.push("Record that the insurer has been notified first.".into())
        }
        (UnderInvestigation | PendingInsurance, ActionsPending) if facts.action_count == 0 => {
            unmet.push("Raise at least one action from this collision first.".into())
        }
        (_, Closed) => {
            if from == Reported && !matches!(f.severity, CollisionSeverity::NearMiss | CollisionSeverity::DamageOnly) {
                unmet.push("Only near misses and damage-only collisions can close without an investigation.".into());
            }
            if from != Reported && f.insurance_notified && f.insurance_reference.is_none() {
                unmet.push("The insurance reference must be recorded before a notified claim can close.".into());
            }
            if !facts.open.is_empty() {
                unmet.push(format!("Still open: {}.", facts.open.join(", ")));
            }
        }
        _ => {}
    }
    unmet
}
