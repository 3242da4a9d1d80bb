//! `qgp report`, `qgp export`, `qgp import` and `qgp pack`: the evidence commands, for administrators to script.
//! Each builds the input of the matching app command and runs it through the same core, printing progress on
//! stderr and the result as JSON on stdout.

use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Args)]
pub struct ReportArgs {
    /// audit_run, incident, incident_summary, risk_register, actions, compliance, soa, complaints, collisions
    pub kind: String,
    /// The audit run, incident or standard (id) the report is about.
    #[arg(long)]
    pub id: Option<String>,
    /// Period start, YYYY-MM-DD (summaries).
    #[arg(long)]
    pub from: Option<String>,
    /// Period end, YYYY-MM-DD (summaries).
    #[arg(long)]
    pub to: Option<String>,
    /// Output file (.pdf); default: the exports folder.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// incidents, risks, actions, complaints, collisions — or `database` for the whole database as JSON.
    pub register: String,
    /// csv or xlsx (registers).
    #[arg(long, default_value = "xlsx")]
    pub format: String,
    /// The register's list filter as JSON, e.g. '{"severity":["high"]}'.
    #[arg(long)]
    pub filter: Option<String>,
    /// Output file; default: the exports folder.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Include personal data: people involved, staff names and e-mails, contact details, statements, injuries.
    #[arg(long)]
    pub personal_data: bool,
    /// Enumerations as stored codes (`under_investigation`) instead of labels, for systems that read the file.
    #[arg(long)]
    pub codes: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    /// incidents, risks, actions, complaints or collisions
    pub register: String,
    /// A .csv or .xlsx file.
    pub file: PathBuf,
    /// Check every row and list the errors; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Column → field mapping as JSON, e.g. '{"Event":"title"}'; default: remembered or suggested.
    #[arg(long)]
    pub mapping: Option<String>,
}

#[derive(Subcommand)]
pub enum PackAction {
    /// Build and sign an evidence pack.
    Create {
        /// An audit run (id): the run, its findings, their actions and every photo and file.
        #[arg(long, conflicts_with_all = ["incidents", "standard"])]
        run: Option<String>,
        /// Incidents (ids, comma-separated) with their actions and evidence.
        #[arg(long, value_delimiter = ',')]
        incidents: Vec<String>,
        /// A standard (id): compliance view, SoA and linked records.
        #[arg(long)]
        standard: Option<String>,
        /// Output file (.zip); default: the exports folder.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Check a pack's signature and every file. Exits 1 unless the pack is intact. Needs no profile.
    Verify { file: PathBuf },
}

fn path(p: &Option<PathBuf>) -> Value {
    p.as_ref().map(|p| Value::String(p.display().to_string())).unwrap_or(Value::Null)
}

fn parse_json(text: &Option<String>, what: &str) -> Result<Value, String> {
    match text {
        None => Ok(Value::Null),
        Some(t) => serde_json::from_str(t).map_err(|e| format!("--{what} is not valid JSON: {e}")),
    }
}

/// The command name and input for `qgp report`.
pub fn report(a: &ReportArgs) -> (&'static str, Value) {
    ("reports.generate", json!({"kind": a.kind, "id": a.id, "from": a.from, "to": a.to, "path": path(&a.out)}))
}

/// The command name and input for `qgp export`.
pub fn export(a: &ExportArgs) -> Result<(&'static str, Value), String> {
    if a.register == "database" {
        return Ok(("exports.database", json!({"path": path(&a.out)})));
    }
    Ok((
        "exports.register",
        json!({"register": a.register, "format": a.format, "filter": parse_json(&a.filter, "filter")?, "path": path(&a.out),
               "includePersonalData": a.personal_data, "codes": a.codes}),
    ))
}

/// The command name and input for `qgp import`.
pub fn import(a: &ImportArgs) -> Result<(&'static str, Value), String> {
    let name = if a.dry_run { "imports.preview" } else { "imports.run" };
    let file = a.file.display().to_string();
    Ok((name, json!({"register": a.register, "path": file, "fileName": file, "mapping": parse_json(&a.mapping, "mapping")?})))
}

/// The command name and input for `qgp pack`.
pub fn pack(a: &PackAction) -> Result<(&'static str, Value), String> {
    match a {
        PackAction::Create { run, incidents, standard, out } => {
            let subject = match (run, incidents.is_empty(), standard) {
                (Some(r), true, None) => json!({"kind": "audit_run", "runId": r}),
                (None, false, None) => json!({"kind": "incidents", "incidentIds": incidents}),
                (None, true, Some(s)) => json!({"kind": "standard", "standardId": s}),
                _ => return Err("choose one of --run, --incidents or --standard".into()),
            };
            Ok(("packs.create", json!({"subject": subject, "path": path(out)})))
        }
        PackAction::Verify { file } => Ok(("packs.verify", json!({"path": file.display().to_string()}))),
    }
}
