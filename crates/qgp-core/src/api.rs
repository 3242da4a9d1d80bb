//! Inputs shared by every module's commands, declared as types so the UI's TypeScript is generated from them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `{id}`: commands that address one record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdInput {
    pub id: String,
}

/// `{id}` or `{reference}`: opening a record.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct GetInput {
    pub id: Option<String>,
    pub reference: Option<String>,
}

/// Archive (reason required) and restore (reason optional).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveInput {
    pub id: String,
    #[ts(type = "number")]
    pub row_version: i64,
    #[ts(optional)]
    pub reason: Option<String>,
}

/// `{id, rowVersion}`: a step on one record that needs nothing else.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetInput {
    pub id: String,
    #[ts(type = "number")]
    pub row_version: i64,
}

/// What a discard removed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Discarded {
    pub id: String,
    pub reference: String,
}

/// Commands without input.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct NoInput {}
