//! `qgp`: what administrators script. Every subcommand uses the same core as the desktop app.
//!
//! Exit codes: 0 success · 1 the command failed or a check failed · 2 bad configuration or usage.

mod audit_bench;
mod bench;
mod evidence;
mod evidence_bench;

use clap::{Parser, Subcommand};
use qgp_core::app::AppCore;
use qgp_core::context::Actor;
use qgp_core::error::{CoreError, ErrorKind};
use qgp_core::paths::AppPaths;
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "qgp", version, about = "QGP Desktop administration: diagnostics, backups, migrations and scripted commands.")]
struct Cli {
    /// Data directory (default: $QGP_DATA_DIR, else the platform data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Act as the profile with this email (writes need one). Passphrase from $QGP_PASSPHRASE or a prompt.
    #[arg(long, global = true, env = "QGP_USER", value_name = "EMAIL")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one app command, e.g. `qgp call incidents.list '{"search":"forklift"}'`. Prints the JSON result;
    /// on failure prints the error envelope on stderr and exits 1.
    Call {
        /// Command name (`qgp call --list` shows them all).
        #[arg(required_unless_present = "list")]
        name: Option<String>,
        /// JSON input (default `{}`); `-` reads it from standard input.
        input: Option<String>,
        /// List the command names.
        #[arg(long)]
        list: bool,
    },
    /// Self-diagnostics, the same report as the app's Health panel. Exits 1 if any check fails.
    Doctor {
        /// Print the full report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Database schema migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Backups of the database.
    Backup {
        #[command(subcommand)]
        action: BackupAction,
    },
    /// The tamper-evident audit trail.
    AuditTrail {
        #[command(subcommand)]
        action: AuditTrailAction,
    },
    /// Restore a full JSON export (`qgp export database`) into a new, empty data directory: a faithful copy with
    /// references, sys fields and the audit trail, checked before it is put in place. `--user` names an
    /// administrator in the export, whose new passphrase comes from $QGP_PASSPHRASE or a prompt.
    RestoreExport {
        /// The JSON export file.
        file: PathBuf,
    },
    /// Generate a PDF report, e.g. `qgp report incident_summary --from 2026-01-01 --to 2026-06-30`.
    Report(evidence::ReportArgs),
    /// Export a register's view as CSV or XLSX, or `qgp export database` as JSON.
    Export(evidence::ExportArgs),
    /// Import records from CSV or XLSX; `--dry-run` lists every row error and writes nothing.
    Import(evidence::ImportArgs),
    /// Evidence packs: create a signed pack, or verify one.
    Pack {
        #[command(subcommand)]
        action: evidence::PackAction,
    },
    /// Measure issue 6's targets (report, XLSX export, import, evidence pack) on a throw-away database (prints JSON).
    BenchEvidence {
        #[arg(long, default_value_t = 100_000)]
        incidents: usize,
        #[arg(long, default_value_t = 50_000)]
        risks: usize,
        #[arg(long, default_value_t = 200)]
        findings: usize,
        #[arg(long, default_value_t = 50)]
        photos: usize,
        /// Megabytes of evidence files in the pack.
        #[arg(long, default_value_t = 1024)]
        pack_mb: usize,
    },
    /// Measure list, search, dashboard and create speed on a throw-away database (prints JSON).
    Bench {
        /// How many incidents to seed.
        #[arg(long, default_value_t = 100_000)]
        incidents: usize,
        /// How many risks to seed.
        #[arg(long, default_value_t = 20_000)]
        risks: usize,
        /// How many actions to seed (raised from the seeded incidents and risks).
        #[arg(long, default_value_t = 100_000)]
        actions: usize,
        /// How many timed repetitions of each query.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// Keep the seeded database in this (new) directory instead of deleting it; for memory and start-up
        /// measurements of the app. The profile is bench@example.com / "benchmark passphrase".
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
        /// Run on a plain database (the default), on an encrypted one (SQLCipher), or on both one after the
        /// other with how much slower each figure is encrypted.
        #[arg(long, value_enum, default_value_t = BenchStore::Plain)]
        store: BenchStore,
    },
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum BenchStore {
    Plain,
    Encrypted,
    Both,
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Show applied and pending migrations without changing anything.
    Status,
    /// Apply pending migrations (a backup is taken first).
    Apply,
}

#[derive(Subcommand)]
enum BackupAction {
    /// Take a backup now (admin).
    Create,
    /// List backups, newest first (admin).
    List,
    /// Check a backup file: every file against the manifest, integrity, schema, audit-trail chain (admin).
    Verify { file: PathBuf },
    /// Replace the data with a verified backup (set: database, evidence files, key); the current state is backed up
    /// first (admin). On a new installation with no profile yet, --user names an administrator in the backup.
    Restore { file: PathBuf },
}

#[derive(Subcommand)]
enum AuditTrailAction {
    /// Recompute the hash chain and record a verify_chain event (admin). Exits 1 if it is broken.
    Verify,
}

fn print_json(v: &Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

fn fail(e: CoreError) -> ExitCode {
    let code = if e.kind() == ErrorKind::Config { 2 } else { 1 };
    let envelope = e.into_envelope("");
    eprintln!("qgp: {}", envelope.message);
    ExitCode::from(code)
}

fn sign_in(core: &mut AppCore, email: &Option<String>) -> Result<Option<Actor>, CoreError> {
    let Some(email) = email else { return Ok(None) };
    let passphrase = match std::env::var("QGP_PASSPHRASE") {
        Ok(p) => p,
        Err(_) => rpassword::prompt_password(format!("Passphrase for {email}: "))?,
    };
    let request_id = qgp_core::ids::new_id();
    qgp_core::users::sign_in(&mut core.conn, core.clock.as_ref(), &request_id, email, &passphrase).map(Some)
}

/// `qgp backup restore FILE` before anyone has a profile here: the administrator named by --user, a profile in the
/// backup, restores it with their passphrase from that backup.
fn restore_onto_new_installation(core: &mut AppCore, file: &std::path::Path, email: Option<&str>) -> ExitCode {
    let Some(email) = email.filter(|e| !e.trim().is_empty()) else {
        eprintln!("qgp: this installation has no profile yet; name the administrator in the backup who restores it with --user EMAIL");
        return ExitCode::from(2);
    };
    let passphrase = match std::env::var("QGP_PASSPHRASE") {
        Ok(p) => p,
        Err(_) => match rpassword::prompt_password(format!("Passphrase of {email} in the backup: ")) {
            Ok(p) => p,
            Err(e) => return fail(e.into()),
        },
    };
    let input = serde_json::json!({"path": file.display().to_string(), "email": email, "passphrase": passphrase});
    run_command(core, None, "setup.restore_backup", input)
}

fn run_command(core: &mut AppCore, actor: Option<Actor>, name: &str, input: Value) -> ExitCode {
    match core.invoke(actor, name, input) {
        Ok(v) => {
            print_json(&v);
            ExitCode::SUCCESS
        }
        Err(envelope) => {
            eprintln!("{}", serde_json::to_string_pretty(&envelope).unwrap_or_default());
            ExitCode::from(1)
        }
    }
}

/// Runs a long command with its phases on stderr. With `must_be_true`, the result's field of that name must be
/// true (or the command is a preview, which never commits and succeeds when it found no errors).
fn long_command(
    core: &mut AppCore,
    user: &Option<String>,
    command: Result<(&'static str, Value), String>,
    must_be_true: Option<&str>,
) -> ExitCode {
    let (name, input) = match command {
        Ok(c) => c,
        Err(message) => {
            eprintln!("qgp: {message}");
            return ExitCode::from(2);
        }
    };
    let actor = match sign_in(core, user) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let progress = qgp_core::jobs::Progress::default();
    progress.on_phase(|phase, _, total| {
        if total > 0 {
            eprintln!("qgp: {phase} ({total})");
        } else {
            eprintln!("qgp: {phase}…");
        }
    });
    match core.invoke_with_progress(actor, name, input, progress) {
        Ok(v) => {
            print_json(&v);
            let ok = match must_be_true {
                None => true,
                Some(_) if name == "imports.preview" => v["errors"].as_array().is_some_and(|e| e.is_empty()),
                Some(field) => v[field] == Value::Bool(true),
            };
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(envelope) => {
            eprintln!("{}", serde_json::to_string_pretty(&envelope).unwrap_or_default());
            ExitCode::from(1)
        }
    }
}

fn restore_export(paths: &AppPaths, file: &std::path::Path, email: Option<&str>) -> ExitCode {
    let Some(email) = email else {
        eprintln!("qgp: name the administrator who restores with --user EMAIL (a profile in the export)");
        return ExitCode::from(2);
    };
    let passphrase = match std::env::var("QGP_PASSPHRASE") {
        Ok(p) => p,
        Err(_) => match (
            rpassword::prompt_password(format!("New passphrase for {email}: ")),
            rpassword::prompt_password("The same passphrase again: "),
        ) {
            (Ok(a), Ok(b)) if a == b => a,
            (Ok(_), Ok(_)) => {
                eprintln!("qgp: the two passphrases differ; nothing was restored");
                return ExitCode::from(1);
            }
            (Err(e), _) | (_, Err(e)) => return fail(e.into()),
        },
    };
    let who = qgp_core::restore_json::Restorer { email, passphrase: &passphrase };
    match qgp_core::restore_json::restore(paths, file, &who, &qgp_core::clock::SystemClock) {
        Ok(report) => {
            print_json(&serde_json::to_value(&report).unwrap_or_default());
            if !report.profiles_without_passphrase.is_empty() {
                eprintln!(
                    "{} other profile(s) need a passphrase set by an administrator (users.reset_passphrase) before they can sign in.",
                    report.profiles_without_passphrase.len()
                );
            }
            if report.evidence_files_missing > 0 {
                eprintln!(
                    "{} evidence file(s) are not in {} yet: copy the old data directory's evidence folder there.",
                    report.evidence_files_missing,
                    paths.evidence_dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// `qgp doctor`: the Health panel's report. A database the app cannot open (damaged, newer) is still diagnosed,
/// read-only, and the report says what is damaged and which backup to restore.
fn doctor(paths: AppPaths, config: &qgp_core::config::Config, json: bool) -> ExitCode {
    let mut resolved = paths.clone();
    config.apply_to(&mut resolved);
    let report = match AppCore::open(paths) {
        Ok(mut core) => match core.invoke(None, "health.report", Value::Null) {
            Ok(report) => report,
            Err(envelope) => {
                serde_json::to_value(qgp_core::health::report_unopened(&resolved, config, jiff::Timestamp::now(), &envelope.message))
                    .unwrap_or_default()
            }
        },
        Err(e) if e.kind() == ErrorKind::Config => return fail(e),
        Err(e) => {
            let why = e.into_envelope("").message;
            serde_json::to_value(qgp_core::health::report_unopened(&resolved, config, jiff::Timestamp::now(), &why)).unwrap_or_default()
        }
    };
    if json {
        print_json(&report);
    } else {
        for c in report["checks"].as_array().into_iter().flatten() {
            let status = c["status"].as_str().unwrap_or("?").to_uppercase();
            println!("[{status:>4}] {}: {}", c["title"].as_str().unwrap_or(""), c["detail"].as_str().unwrap_or(""));
            if let Some(action) = c["action"].as_str().filter(|a| !a.is_empty()) {
                println!("       → {action}");
            }
        }
        println!("overall: {}", report["overall"].as_str().unwrap_or("?"));
    }
    if report["overall"] == "fail" {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn read_input(raw: Option<String>) -> Result<Value, CoreError> {
    let text = match raw.as_deref() {
        None => return Ok(Value::Object(Default::default())),
        Some("-") => std::io::read_to_string(std::io::stdin())?,
        Some(s) => s.to_owned(),
    };
    serde_json::from_str(&text)
        .map_err(|e| CoreError::field("input", qgp_core::error::FieldCode::InvalidFormat, format!("The input is not valid JSON: {e}")))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Bench { incidents, risks, actions, iterations, keep, store } = &cli.command {
        let seed = bench::Seed { incidents: *incidents, risks: *risks, actions: *actions };
        let result = match (store, keep) {
            // A kept encrypted database would be useless: its key lives only in this process.
            (BenchStore::Encrypted | BenchStore::Both, Some(_)) => Err("--keep works only with --store plain".to_owned()),
            (BenchStore::Both, None) => bench::side_by_side(seed, *iterations),
            (store, keep) => bench::run(seed, *iterations, keep.as_deref(), *store == BenchStore::Encrypted),
        };
        return match result {
            Ok(report) => {
                print_json(&report);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("qgp: {e}");
                ExitCode::from(1)
            }
        };
    }
    if let Command::BenchEvidence { incidents, risks, findings, photos, pack_mb } = &cli.command {
        let sizes = evidence_bench::Sizes { incidents: *incidents, risks: *risks, findings: *findings, photos: *photos, pack_mb: *pack_mb };
        return match evidence_bench::run(sizes) {
            Ok(report) => {
                print_json(&report);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("qgp: {e}");
                ExitCode::from(1)
            }
        };
    }
    let mut paths = AppPaths::resolve(cli.data_dir.as_deref());
    let config = match qgp_core::config::Config::load_or_create(&paths) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let _log = qgp_core::logging::init(&paths.log_dir, &config, false).ok().flatten();
    if let Command::RestoreExport { file } = &cli.command {
        config.apply_to(&mut paths);
        return restore_export(&paths, file, cli.user.as_deref());
    }

    if let Command::Migrate { action: MigrateAction::Status } = &cli.command {
        return match AppCore::open_unmigrated(paths) {
            Ok((conn, _, _)) => match qgp_core::db::schema_state(&conn, &qgp_core::db::embedded_migrations()) {
                Ok(state) => {
                    println!("schema version: {}", state.current_version());
                    for m in &state.applied {
                        println!("applied  V{}__{}", m.version, m.name);
                    }
                    for m in &state.pending {
                        println!("pending  V{}__{}", m.version, m.name);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            },
            Err(e) => fail(e),
        };
    }

    if let Command::Doctor { json } = &cli.command {
        return doctor(paths, &config, *json);
    }

    let mut core = match AppCore::open(paths) {
        Ok(core) => core,
        Err(e) => return fail(e),
    };
    match cli.command {
        Command::Migrate { action: MigrateAction::Apply } => {
            if core.migration.applied.is_empty() {
                println!("The database is up to date.");
            } else {
                for m in &core.migration.applied {
                    println!("applied {m}");
                }
                if let Some(b) = &core.migration.pre_migration_backup {
                    println!("backup taken first: {}", b.display());
                }
            }
            ExitCode::SUCCESS
        }
        Command::Migrate { action: MigrateAction::Status }
        | Command::Bench { .. }
        | Command::BenchEvidence { .. }
        | Command::RestoreExport { .. } => ExitCode::SUCCESS,
        Command::Call { list: true, .. } => {
            for name in qgp_core::commands::COMMAND_NAMES {
                println!("{name}");
            }
            ExitCode::SUCCESS
        }
        Command::Call { name, input, .. } => {
            let input = match read_input(input) {
                Ok(v) => v,
                Err(e) => return fail(e),
            };
            let name = name.unwrap_or_default();
            // Public commands (first set-up, status, health, verifying a pack) need no profile: signing in first
            // would make `users.setup` fail on a fresh install whenever QGP_USER is set.
            let user = if qgp_core::commands::PUBLIC_COMMANDS.contains(&name.as_str()) { None } else { cli.user.clone() };
            let actor = match sign_in(&mut core, &user) {
                Ok(a) => a,
                Err(e) => return fail(e),
            };
            run_command(&mut core, actor, &name, input)
        }
        Command::Doctor { .. } => ExitCode::SUCCESS,
        Command::Backup { action } => {
            // Replacing the database under a running app would leave its window showing records that no longer exist.
            if matches!(action, BackupAction::Restore { .. }) {
                if let Err(e) = qgp_core::instance::refuse_while_app_open(&core.paths, "restoring a backup") {
                    return fail(e);
                }
            }
            // A new laptop has no profile yet: the backup's own administrator restores it onto the new installation.
            if let BackupAction::Restore { file } = &action {
                if qgp_core::users::needs_setup(&core.conn).unwrap_or(false) {
                    return restore_onto_new_installation(&mut core, file, cli.user.as_deref());
                }
            }
            let actor = match sign_in(&mut core, &cli.user) {
                Ok(a) => a,
                Err(e) => return fail(e),
            };
            let (name, input) = match action {
                BackupAction::Create => ("backup.create", Value::Null),
                BackupAction::List => ("backup.list", Value::Null),
                BackupAction::Verify { file } => ("backup.verify", serde_json::json!({"path": file.display().to_string()})),
                BackupAction::Restore { file } => ("backup.restore", serde_json::json!({"path": file.display().to_string()})),
            };
            let verify = name == "backup.verify";
            match core.invoke(actor, name, input) {
                Ok(v) => {
                    print_json(&v);
                    if verify && v["ok"] != Value::Bool(true) {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(envelope) => {
                    eprintln!("{}", serde_json::to_string_pretty(&envelope).unwrap_or_default());
                    ExitCode::from(1)
                }
            }
        }
        Command::Report(args) => long_command(&mut core, &cli.user, Ok(evidence::report(&args)), None),
        Command::Export(args) => long_command(&mut core, &cli.user, evidence::export(&args), None),
        Command::Import(args) => long_command(&mut core, &cli.user, evidence::import(&args), Some("committed")),
        Command::Pack { action } => {
            // Anyone with the app verifies a pack: no profile needed. Only a verification has a verdict to check;
            // a pack that was written is a success.
            let verify = matches!(action, evidence::PackAction::Verify { .. });
            let user = if verify { None } else { cli.user.clone() };
            long_command(&mut core, &user, evidence::pack(&action), verify.then_some("ok"))
        }
        Command::AuditTrail { action: AuditTrailAction::Verify } => {
            let actor = match sign_in(&mut core, &cli.user) {
                Ok(a) => a,
                Err(e) => return fail(e),
            };
            match core.invoke(actor, "audit_trail.verify", Value::Null) {
                Ok(v) => {
                    print_json(&v);
                    if v["ok"] == Value::Bool(true) {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(envelope) => {
                    eprintln!("{}", serde_json::to_string_pretty(&envelope).unwrap_or_default());
                    ExitCode::from(1)
                }
            }
        }
    }
}
