//! Road traffic collision rows, third parties, enumerations and the shapes sent to the UI (domain.md §10).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choice_enum! {
    /// Severity of a collision.
    pub enum CollisionSeverity {
        Fatal => "fatal", SeriousInjury => "serious_injury", MinorInjury => "minor_injury", DamageOnly => "damage_only", NearMiss => "near_miss",
    }
}

crate::choice_enum! {
    /// Weather at the time.
    pub enum Weather { Clear => "clear", Rain => "rain", Snow => "snow", Fog => "fog", HighWind => "high_wind", Ice => "ice", Other => "other" }
}

crate::choice_enum! {
    /// Road surface at the time.
    pub enum RoadSurface { Dry => "dry", Wet => "wet", Ice => "ice", Snow => "snow", Flood => "flood", OilOrMud => "oil_or_mud", Other => "other" }
}

crate::choice_enum! {
    /// Lighting at the time.
    pub enum Lighting { Daylight => "daylight", DuskOrDawn => "dusk_or_dawn", DarkLit => "dark_lit", DarkUnlit => "dark_unlit" }
}

crate::choice_enum! {
    /// Who was at fault.
    pub enum FaultDetermination { CompanyFault => "company_fault", ThirdPartyFault => "third_party_fault", Shared => "shared", Undetermined => "undetermined" }
}

crate::choice_enum! {
    /// Workflow status.
    pub enum CollisionStatus {
        Reported => "reported", UnderInvestigation => "under_investigation", PendingInsurance => "pending_insurance",
        ActionsPending => "actions_pending", Closed => "closed",
    }
}

/// Another party involved in the collision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub struct ThirdParty {
    pub name: String,
    pub contact: Option<String>,
    pub vehicle_registration: Option<String>,
    pub vehicle_make_model: Option<String>,
    pub damage: Option<String>,
    pub injured: bool,
    pub injury_details: Option<String>,
    pub insurer: Option<String>,
}

/// Every field of a collision a user may set (third parties travel beside them). Money is integer pence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollisionFields {
    pub title: String,
    pub description: String,
    pub location: String,
    pub severity: CollisionSeverity,
    pub collision_date: String,
    pub collision_time: Option<String>,
    pub reported_date: String,
    pub road_name: Option<String>,
    pub postcode: Option<String>,
    pub weather: Option<Weather>,
    pub road_surface: Option<RoadSurface>,
    pub lighting: Option<Lighting>,
    pub vehicle_registration: Option<String>,
    pub vehicle_make_model: Option<String>,
    pub vehicle_damage: Option<String>,
    pub driver_user_id: Option<String>,
    pub driver_name: Option<String>,
    pub driver_statement: Option<String>,
    pub driver_injured: bool,
    pub driver_injury_details: Option<String>,
    pub witnesses: Option<String>,
    pub police_attended: bool,
    pub police_reference: Option<String>,
    pub police_station: Option<String>,
    pub insurance_notified: bool,
    pub insurance_reference: Option<String>,
    pub insurance_notes: Option<String>,
    pub estimated_cost: Option<i64>,
    pub investigator_id: Option<String>,
    pub investigation_notes: Option<String>,
    pub root_cause: Option<String>,
    pub fault_determination: FaultDetermination,
    pub closure_notes: Option<String>,
    pub legacy_reference: Option<String>,
}

/// Editable input keys (with `thirdParties`).
pub const FIELD_KEYS: &[&str] = &[
    "title",
    "description",
    "location",
    "severity",
    "collisionDate",
    "collisionTime",
    "reportedDate",
    "roadName",
    "postcode",
    "weather",
    "roadSurface",
    "lighting",
    "vehicleRegistration",
    "vehicleMakeModel",
    "vehicleDamage",
    "driverUserId",
    "driverName",
    "driverStatement",
    "driverInjured",
    "driverInjuryDetails",
    "witnesses",
    "policeAttended",
    "policeReference",
    "policeStation",
    "insuranceNotified",
    "insuranceReference",
    "insuranceNotes",
    "estimatedCost",
    "investigatorId",
    "investigationNotes",
    "rootCause",
    "faultDetermination",
    "closureNotes",
    "legacyReference",
    "thirdParties",
];

/// A stored collision.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollisionRecord {
    pub id: String,
    pub reference: String,
    #[serde(flatten)]
    pub fields: CollisionFields,
    pub third_party_registrations: Option<String>,
    pub status: CollisionStatus,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub reopen_count: i64,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
    pub row_version: i64,
    pub archived_at: Option<String>,
    pub archived_by: Option<String>,
    pub archive_reason: Option<String>,
}

/// A transition the collision could take now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollisionTransitionOption {
    pub to: CollisionStatus,
    pub needs: Vec<String>,
    pub unmet_guards: Vec<String>,
}

/// A collision as the UI shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollisionView {
    pub record: CollisionRecord,
    pub third_parties: Vec<ThirdParty>,
    pub driver_display: Option<String>,
    pub investigator_name: Option<String>,
    pub transitions: Vec<CollisionTransitionOption>,
    /// Risks linked to this collision (§1.7).
    pub linked_risks: Vec<crate::risk::model::LinkedRecord>,
}

/// One row of the collision register.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollisionSummary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub location: String,
    pub severity: CollisionSeverity,
    pub status: CollisionStatus,
    pub collision_date: String,
    pub vehicle_registration: Option<String>,
    pub driver_display: Option<String>,
    pub fault_determination: FaultDetermination,
    pub estimated_cost: Option<i64>,
    pub row_version: i64,
    pub archived_at: Option<String>,
}

/// A third party as input.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ThirdPartyInput {
    pub name: Option<String>,
    pub contact: Option<String>,
    pub vehicle_registration: Option<String>,
    pub vehicle_make_model: Option<String>,
    pub damage: Option<String>,
    pub injured: Option<bool>,
    pub injury_details: Option<String>,
    pub insurer: Option<String>,
}

/// Input of `collisions.create` and the `changes` of `collisions.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct CollisionInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub severity: Option<CollisionSeverity>,
    pub collision_date: Option<String>,
    pub collision_time: Option<String>,
    pub reported_date: Option<String>,
    pub road_name: Option<String>,
    pub postcode: Option<String>,
    pub weather: Option<Weather>,
    pub road_surface: Option<RoadSurface>,
    pub lighting: Option<Lighting>,
    pub vehicle_registration: Option<String>,
    pub vehicle_make_model: Option<String>,
    pub vehicle_damage: Option<String>,
    pub driver_user_id: Option<String>,
    pub driver_name: Option<String>,
    pub driver_statement: Option<String>,
    pub driver_injured: Option<bool>,
    pub driver_injury_details: Option<String>,
    pub third_parties: Option<Vec<ThirdPartyInput>>,
    pub witnesses: Option<String>,
    pub police_attended: Option<bool>,
    pub police_reference: Option<String>,
    pub police_station: Option<String>,
    pub insurance_notified: Option<bool>,
    pub insurance_reference: Option<String>,
    pub insurance_notes: Option<String>,
    /// Integer pence.
    pub estimated_cost: Option<i64>,
    pub investigator_id: Option<String>,
    pub investigation_notes: Option<String>,
    pub root_cause: Option<String>,
    pub fault_determination: Option<FaultDetermination>,
    pub closure_notes: Option<String>,
    pub legacy_reference: Option<String>,
}

/// Input of `collisions.update`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCollisionInput {
    pub id: String,
    pub row_version: i64,
    pub changes: CollisionInput,
}

/// Input of `collisions.transition`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollisionTransitionInput {
    pub id: String,
    pub row_version: i64,
    pub to: CollisionStatus,
    #[ts(optional)]
    pub reason: Option<String>,
    #[ts(optional)]
    pub closure_notes: Option<String>,
}

/// Input of `collisions.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct CollisionListInput {
    #[serde(flatten)]
    pub paging: crate::paging::ListPaging,
    pub status: Option<Vec<CollisionStatus>>,
    pub severity: Option<Vec<CollisionSeverity>>,
    pub fault_determination: Option<Vec<FaultDetermination>>,
    pub driver_user_id: Option<Vec<String>>,
    pub vehicle_registration: Option<String>,
    pub collision_date_from: Option<String>,
    pub collision_date_to: Option<String>,
}
