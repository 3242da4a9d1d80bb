//! Self-diagnostics: the facts a support engineer asks for, and checks that turn them into ok / warn / fail
//! with an action the user can take. Read-only: producing the report writes nothing, not even an event.

use crate::audit_trail::{verify_chain, ChainReport};
use crate::context::Ctx;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;
use ts_rs::TS;

/// Free disk space under which the panel warns.
pub const DISK_WARN_BYTES: u64 = 1024 * 1024 * 1024;
/// Free disk space under which the panel fails.
pub const DISK_FAIL_BYTES: u64 = 200 * 1024 * 1024;
/// Backup age (hours) after which the panel warns.
pub const BACKUP_WARN_HOURS: i64 = 7 * 24;

crate::choice_enum! {
    /// Outcome of one check.
    pub enum CheckStatus { Ok => "ok", Warn => "warn", Fail => "fail" }
}

/// One diagnosis with what to do about it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    pub id: String,
    pub title: String,
    pub status: CheckStatus,
    pub detail: String,
    /// What the user can do; empty when all is well.
    pub action: String,
}

/// Application facts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppFacts {
    pub version: String,
    pub build: String,
    pub os: String,
    pub arch: String,
}

/// Where the files are.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PathFacts {
    pub data_dir: String,
    pub database: String,
    pub config: String,
    pub logs: String,
    pub backups: String,
}

/// Database facts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseFacts {
    #[ts(type = "number")]
    pub file_size_bytes: u64,
    #[ts(type = "number")]
    pub wal_size_bytes: u64,
    #[ts(type = "number")]
    pub schema_version: i64,
    pub applied_migrations: Vec<String>,
    pub pending_migrations: Vec<String>,
    pub integrity_check: String,
    #[ts(type = "number")]
    pub foreign_key_violations: i64,
    pub journal_mode: String,
    pub sqlite_version: String,
}

/// Disk, log and backup facts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StorageFacts {
    #[ts(type = "number | null")]
    pub free_disk_bytes: Option<u64>,
    pub log_dir_writable: bool,
    pub newest_log_file: Option<String>,
    #[ts(type = "number")]
    pub backup_count: i64,
    pub newest_backup: Option<String>,
    #[ts(type = "number | null")]
    pub newest_backup_age_hours: Option<i64>,
}

pub use crate::backup::RecordCount;

/// The whole report, serialisable for "copy report".
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    pub generated_at: String,
    pub overall: CheckStatus,
    pub checks: Vec<HealthCheck>,
    pub app: AppFacts,
    pub paths: PathFacts,
    pub database: DatabaseFacts,
    pub storage: StorageFacts,
    pub audit_trail: ChainReport,
    pub records: Vec<RecordCount>,
}

fn check(id: &str, title: &str, status: CheckStatus, detail: impl Into<String>, action: impl Into<String>) -> HealthCheck {
    HealthCheck { id: id.into(), title: title.into(), status, detail: detail.into(), action: action.into() }
}

fn file_size(p: &std::path::Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

fn log_dir_writable(dir: &std::path::Path) -> bool {
    let probe = dir.join(".write-probe");
    let ok = std::fs::File::create(&probe).and_then(|mut f| f.write_all(b"ok")).is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// Builds the report. Read-only with respect to records: no event is written.
pub fn report(ctx: &mut Ctx, _input: serde_json::Value) -> Result<HealthReport> {
    Ok(build(ctx.conn(), ctx.call.paths, ctx.call.config, ctx.call.now(), None))
}

/// The report for a database the app could not open (damaged, or from a newer version): `qgp doctor` still
/// diagnoses it. The file is opened read-only and nothing is migrated or written.
pub fn report_unopened(paths: &crate::paths::AppPaths, config: &crate::config::Config, now: jiff::Timestamp, why: &str) -> HealthReport {
    match crate::db::open_read_only(&paths.db_path) {
        Ok(conn) => build(&conn, paths, config, now, Some(why)),
        Err(e) => {
            let memory = rusqlite::Connection::open_in_memory().expect("an in-memory database always opens");
            build(&memory, paths, config, now, Some(&format!("{why}; opening it read-only failed too: {e}")))
        }
    }
}

/// What the start-up screen adds when the database cannot be opened: for a damaged database, which backup to
/// restore and how; nothing for other failures (a bad config.toml says what to fix on its own).
pub fn start_up_advice(paths: &crate::paths::AppPaths, error: &crate::error::CoreError) -> Option<String> {
    (error.kind() == crate::error::ErrorKind::Database).then(|| damage_action(paths))
}

/// What to do about a damaged database: restore the newest backup that verifies (named, when there is one).
/// Verifying a backup set reads all of it, and several checks of one report ask, so the answer is kept for as long
/// as the backup folder holds the same files.
fn damage_action(paths: &crate::paths::AppPaths) -> String {
    type Key = Vec<(String, u64, Option<std::time::SystemTime>)>;
    static KEPT: std::sync::Mutex<Option<(Key, String)>> = std::sync::Mutex::new(None);
    let backups = crate::backup::list(&paths.backup_dir).unwrap_or_default();
    let modified = |p: &str| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let key: Key = backups.iter().map(|b| (b.path.clone(), b.size_bytes, modified(&b.path))).collect();
    if let Ok(kept) = KEPT.lock() {
        if let Some((_, advice)) = kept.as_ref().filter(|(k, _)| *k == key) {
            return advice.clone();
        }
    }
    let newest_good =
        backups.into_iter().find(|b| crate::backup::verify_in(std::path::Path::new(&b.path), &paths.backup_dir).is_ok_and(|v| v.ok));
    let advice = match newest_good {
        Some(b) => format!(
            "Stop using this database. Restore the newest backup that verifies, {} (Health › Backups, or `qgp backup restore {}`), then save a support bundle for support.",
            b.file_name, b.path
        ),
        None => "Stop using this database and copy the data folder somewhere safe. No backup here verifies: restore one from another disk (`qgp backup restore FILE`) and contact support with a support bundle.".into(),
    };
    if let Ok(mut kept) = KEPT.lock() {
        *kept = Some((key, advice.clone()));
    }
    advice
}

/// The tables and indexes `PRAGMA integrity_check` names, by the root pages of the trees it reports ("Tree 14 …").
fn damaged_objects(conn: &rusqlite::Connection, integrity: &str) -> Vec<String> {
    let roots: std::collections::HashMap<i64, String> = conn
        .prepare("SELECT rootpage, name FROM sqlite_schema WHERE rootpage > 0")
        .and_then(|mut stmt| stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .unwrap_or_default();
    let mut out: Vec<String> = integrity
        .split(['\n', ' '])
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0] == "Tree")
        .filter_map(|w| w[1].parse::<i64>().ok())
        .map(|root| roots.get(&root).cloned().unwrap_or_else(|| format!("tree at page {root}")))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Builds the report from whatever can be read: every part that fails becomes a failed check saying what could
/// not be read, instead of the whole report failing (a damaged database must still be diagnosed).
fn build(
    conn: &rusqlite::Connection,
    paths: &crate::paths::AppPaths,
    config: &crate::config::Config,
    now: jiff::Timestamp,
    unopened: Option<&str>,
) -> HealthReport {
    let mut checks = Vec::new();
    if let Some(why) = unopened {
        checks.push(check(
            "db.open",
            "Database opens",
            CheckStatus::Fail,
            format!("The app cannot open the database: {why}"),
            damage_action(paths),
        ));
    }
    let state = crate::db::schema_state(conn, &crate::db::embedded_migrations());
    let integrity_check: String =
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap_or_else(|e| format!("the check could not run: {e}"));
    let fk_violations: i64 =
        conn.prepare("PRAGMA foreign_key_check").and_then(|mut stmt| Ok(stmt.query_map([], |_| Ok(()))?.count() as i64)).unwrap_or(-1);
    let journal_mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap_or_else(|e| format!("unknown ({e})"));
    let sqlite_version: String = conn.query_row("SELECT sqlite_version()", [], |r| r.get(0)).unwrap_or_default();
    let wal_path = PathBuf::from(format!("{}-wal", paths.db_path.display()));
    let names = |ms: &[crate::db::KnownMigration]| ms.iter().map(|m| format!("V{}__{}", m.version, m.name)).collect::<Vec<_>>();
    let database = DatabaseFacts {
        file_size_bytes: file_size(&paths.db_path),
        wal_size_bytes: file_size(&wal_path),
        schema_version: state.as_ref().map_or(-1, |s| s.current_version()),
        applied_migrations: state.as_ref().map(|s| names(&s.applied)).unwrap_or_default(),
        pending_migrations: state.as_ref().map(|s| names(&s.pending)).unwrap_or_default(),
        integrity_check: integrity_check.clone(),
        foreign_key_violations: fk_violations,
        journal_mode: journal_mode.clone(),
        sqlite_version,
    };
    checks.push(if integrity_check == "ok" {
        check("db.integrity", "Database integrity", CheckStatus::Ok, "PRAGMA integrity_check: ok", "")
    } else {
        let damaged = damaged_objects(conn, &integrity_check);
        let affected = if damaged.is_empty() { String::new() } else { format!("Damaged: {}. ", damaged.join(", ")) };
        let first_lines: Vec<&str> = integrity_check.lines().take(5).collect();
        check(
            "db.integrity",
            "Database integrity",
            CheckStatus::Fail,
            format!("{affected}PRAGMA integrity_check: {}", first_lines.join(" · ")),
            damage_action(paths),
        )
    });
    checks.push(if fk_violations == 0 {
        check("db.foreign_keys", "Record links", CheckStatus::Ok, "No broken links between records", "")
    } else if fk_violations < 0 {
        check(
            "db.foreign_keys",
            "Record links",
            CheckStatus::Fail,
            "The links between records could not be checked",
            "See Database integrity.",
        )
    } else {
        check(
            "db.foreign_keys",
            "Record links",
            CheckStatus::Fail,
            format!("{fk_violations} broken links"),
            "Save a support bundle and contact support.",
        )
    });
    checks.push(match &state {
        Ok(state) if state.pending.is_empty() => {
            check("db.schema", "Database schema", CheckStatus::Ok, format!("Schema version {} (up to date)", state.current_version()), "")
        }
        Ok(state) => check(
            "db.schema",
            "Database schema",
            CheckStatus::Warn,
            format!("{} migrations pending", state.pending.len()),
            "Restart the app, or run `qgp migrate apply`, to bring the database up to date.",
        ),
        Err(e) => check(
            "db.schema",
            "Database schema",
            CheckStatus::Fail,
            format!("The schema history cannot be read: {e}"),
            damage_action(paths),
        ),
    });
    checks.push(if journal_mode.eq_ignore_ascii_case("wal") {
        check("db.journal", "Crash safety", CheckStatus::Ok, "Write-ahead log with full sync", "")
    } else {
        check(
            "db.journal",
            "Crash safety",
            CheckStatus::Warn,
            format!("journal_mode = {journal_mode}"),
            "Restart the app to restore write-ahead logging.",
        )
    });

    let free_disk_bytes = fs4::available_space(&paths.data_dir).ok();
    checks.push(match free_disk_bytes {
        Some(b) if b < DISK_FAIL_BYTES => check(
            "disk.free",
            "Free disk space",
            CheckStatus::Fail,
            format!("{} MB free", b / 1_048_576),
            "Free disk space now: saving may fail. Delete large files or move backups elsewhere.",
        ),
        Some(b) if b < DISK_WARN_BYTES => check(
            "disk.free",
            "Free disk space",
            CheckStatus::Warn,
            format!("{} MB free", b / 1_048_576),
            "Free some disk space soon (under 1 GB left).",
        ),
        Some(b) => check("disk.free", "Free disk space", CheckStatus::Ok, format!("{:.1} GB free", b as f64 / 1_073_741_824.0), ""),
        None => {
            check("disk.free", "Free disk space", CheckStatus::Warn, "Could not be measured", "Check the disk holding the data directory.")
        }
    });

    let writable = log_dir_writable(&paths.log_dir);
    let newest_log = crate::logging::newest_log_file(&paths.log_dir);
    checks.push(if writable {
        check(
            "logs.writable",
            "Log files",
            CheckStatus::Ok,
            newest_log.as_ref().map_or("Log directory writable".to_owned(), |(p, _)| format!("Writing to {}", p.display())),
            "",
        )
    } else {
        check(
            "logs.writable",
            "Log files",
            CheckStatus::Fail,
            "The log directory cannot be written",
            "Check the permissions of the data directory's logs folder.",
        )
    });

    let backups = crate::backup::list(&paths.backup_dir).unwrap_or_default();
    let newest = crate::backup::newest_age_hours(&paths.backup_dir, now).ok().flatten();
    let schedule = match config.backup_every_hours {
        0 => "automatic backups are off (backup.every_hours = 0 in config.toml)".to_owned(),
        h => format!("automatic backup every {h} h while the app is open"),
    };
    checks.push(match &newest {
        None => check(
            "backup.age",
            "Backups",
            CheckStatus::Warn,
            format!("No backup has been taken yet; {schedule}"),
            "Take a backup now (Health › Back up now, or `qgp backup create`).",
        ),
        Some((_, hours)) if *hours > BACKUP_WARN_HOURS => check(
            "backup.age",
            "Backups",
            CheckStatus::Warn,
            format!("Newest backup is {} days old; {schedule}", hours / 24),
            "Take a backup now and copy it off this laptop. If automatic backups are on, the log says why they fail.",
        ),
        Some((b, hours)) => {
            let age = match hours {
                ..=0 => "less than an hour ago".to_owned(),
                1..=47 => format!("{hours} h ago"),
                _ => format!("{} days ago", hours / 24),
            };
            check("backup.age", "Backups", CheckStatus::Ok, format!("Newest backup {} ({age}); {schedule}", b.file_name), "")
        }
    });

    if let Some(to) = &config.backup_copy_to {
        let copied = newest.as_ref().map(|(b, _)| to.join(&b.file_name).is_file());
        checks.push(match copied {
            _ if !to.is_dir() => check(
                "backup.copy",
                "Second copy of backups",
                CheckStatus::Warn,
                format!("{} is not reachable", to.display()),
                "Connect the USB stick or network drive named in config.toml (backup.copy_to); the next backup is copied there.",
            ),
            Some(false) => check(
                "backup.copy",
                "Second copy of backups",
                CheckStatus::Warn,
                format!("The newest backup is not in {}", to.display()),
                "Take a backup now with the second location connected (Back up now); the log says why the last copy failed.",
            ),
            _ => check(
                "backup.copy",
                "Second copy of backups",
                CheckStatus::Ok,
                format!("The newest backup is also in {}", to.display()),
                "",
            ),
        });
    }

    let chain = verify_chain(conn).and_then(|mut c| crate::trail_anchor::compare(conn, paths, &mut c).map(|_| c));
    let chain_unreadable = chain.as_ref().err().map(|e| e.to_string());
    let chain = chain.unwrap_or(ChainReport::unreadable());
    checks.push(if let Some(e) = chain_unreadable {
        check("audit.chain", "Audit trail", CheckStatus::Fail, format!("The audit trail cannot be read: {e}"), damage_action(paths))
    } else if chain.ok {
        let anchored = chain.anchor_seq.map_or(String::new(), |a| format!(", up to the head recorded beside the backups (event {a})"));
        check("audit.chain", "Audit trail", CheckStatus::Ok, format!("{} events verified{anchored}", chain.events_checked), "")
    } else if let Some(missing) = &chain.missing {
        check(
            "audit.chain",
            "Audit trail",
            CheckStatus::Fail,
            format!("The newest events ({missing}) are missing: the trail ends before the head recorded beside the backups"),
            "Events were cut off the end of the audit trail outside the app. Keep this laptop as it is, save a support bundle and tell your administrator; the backups hold the missing events.",
        )
    } else {
        check(
            "audit.chain",
            "Audit trail",
            CheckStatus::Fail,
            format!("Chain broken at event {} ({:?})", chain.first_bad_seq.unwrap_or(0), chain.problem),
            "The audit trail has been altered outside the app. Keep this laptop as it is, save a support bundle and tell your administrator.",
        )
    });

    checks.push(match crate::evidence::check_store(conn, &paths.evidence_dir) {
        Err(e) => check("evidence.files", "Evidence files", CheckStatus::Fail, format!("The evidence register cannot be read: {e}"), damage_action(paths)),
        Ok(store) if store.missing.is_empty() && store.mismatch.is_empty() => {
        let orphans = if store.orphan.is_empty() { String::new() } else { format!("; {} stored files no record refers to", store.orphan.len()) };
        let detail = if store.files_checked == 0 {
            format!("No evidence files yet{orphans}")
        } else {
            format!("{} files re-hashed, all intact{orphans}", store.files_checked)
        };
        check("evidence.files", "Evidence files", CheckStatus::Ok, detail, "")
        }
        Ok(store) => check(
            "evidence.files",
            "Evidence files",
            CheckStatus::Fail,
            format!("{} missing, {} altered on disk (of {})", store.missing.len(), store.mismatch.len(), store.files_checked),
            "Evidence files were removed or changed outside the app. Restore the evidence folder from a backup copy and run the check again.",
        ),
    });

    let records = crate::backup::record_counts(conn);

    let overall = if checks.iter().any(|c| c.status == CheckStatus::Fail) {
        CheckStatus::Fail
    } else if checks.iter().any(|c| c.status == CheckStatus::Warn) {
        CheckStatus::Warn
    } else {
        CheckStatus::Ok
    };
    HealthReport {
        generated_at: crate::clock::format_instant(now),
        overall,
        checks,
        app: AppFacts {
            version: env!("CARGO_PKG_VERSION").into(),
            build: format!(
                "{} ({})",
                option_env!("QGP_BUILD_ID").unwrap_or("local"),
                if cfg!(debug_assertions) { "debug" } else { "release" }
            ),
            os: std::env::consts::OS.into(),
            arch: std::env::consts::ARCH.into(),
        },
        paths: PathFacts {
            data_dir: paths.data_dir.display().to_string(),
            database: paths.db_path.display().to_string(),
            config: paths.config_path.display().to_string(),
            logs: paths.log_dir.display().to_string(),
            backups: paths.backup_dir.display().to_string(),
        },
        database,
        storage: StorageFacts {
            free_disk_bytes,
            log_dir_writable: writable,
            newest_log_file: newest_log.map(|(p, _)| p.display().to_string()),
            backup_count: backups.len() as i64,
            newest_backup: newest.map(|(b, _)| b.path),
            newest_backup_age_hours: crate::backup::newest_age_hours(&paths.backup_dir, now).ok().flatten().map(|(_, h)| h),
        },
        audit_trail: chain,
        records,
    }
}

/// Where a support bundle was written.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SupportBundle {
    pub path: String,
    pub files: Vec<String>,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

/// Writes a zip with the health report and the log files of the last 7 days (logs hold ids, never record
/// contents). Written under a temporary name and renamed.
pub fn support_bundle(ctx: &mut Ctx, input: serde_json::Value) -> Result<SupportBundle> {
    ctx.call.actor()?;
    let report = report(ctx, input)?;
    let paths = ctx.call.paths;
    let dir = &paths.support_dir;
    std::fs::create_dir_all(dir)?;
    let stamp: String = report.generated_at.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let final_path = dir.join(format!("qgp-support-{stamp}.zip"));
    let temp_path = dir.join(format!(".qgp-support-{stamp}.zip.partial"));
    let mut files = vec!["health-report.json".to_owned()];
    {
        let file = std::fs::File::create(&temp_path)?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let zerr = |e: zip::result::ZipError| crate::error::CoreError::Internal(format!("support bundle: {e}"));
        zip.start_file("health-report.json", options).map_err(zerr)?;
        zip.write_all(serde_json::to_string_pretty(&report)?.as_bytes())?;
        let week_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7 * 24 * 3600);
        let mut logs: Vec<_> = std::fs::read_dir(&paths.log_dir)?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(crate::logging::LOG_SUFFIX))
            .filter(|e| e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t >= week_ago))
            .collect();
        logs.sort_by_key(|e| e.file_name());
        for entry in logs {
            let name = format!("logs/{}", entry.file_name().to_string_lossy());
            zip.start_file(name.as_str(), options).map_err(zerr)?;
            zip.write_all(&std::fs::read(entry.path())?)?;
            files.push(name);
        }
        zip.finish().map_err(zerr)?.sync_all()?;
    }
    std::fs::rename(&temp_path, &final_path)?;
    crate::outfile::remember_written(&final_path);
    // Logs leave the computer with the bundle, so handing it on is recorded like any other export.
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(std::fs::read(&final_path)?));
    let details = vec![crate::audit_trail::Change::new("files", serde_json::Value::Null, serde_json::Value::from(files.len()))];
    crate::export::record_export(ctx, "support_bundle", &final_path, &sha256, None, details)?;
    Ok(SupportBundle { size_bytes: file_size(&final_path), path: final_path.display().to_string(), files })
}
