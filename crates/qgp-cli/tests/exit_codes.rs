//! What a script sees: every `qgp` subcommand's exit code on success and on failure (0 success, 1 the command or a
//! check failed, 2 bad usage or configuration), run against the real binary on a fresh data directory.

mod common;
use common::{json, qgp, qgp_env, EMAIL, PASS};
use std::path::Path;
use std::process::{Command, Output};

/// Runs `args` and asserts the exit code, showing what the command said when it differs.
fn expect(dir: &Path, args: &[&str], code: i32) -> Output {
    let out = qgp(dir, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "qgp {}\nstdout: {}\nstderr: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A data directory with the first profile set up (with QGP_USER already set, as a script would have it) and one
/// incident.
fn installation() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let setup = format!(r#"{{"displayName":"Ada","email":"{EMAIL}","passphrase":"{PASS}"}}"#);
    // Public commands need no profile: set-up works on a fresh install even though QGP_USER names one.
    expect(d, &["call", "users.setup", &setup], 0);
    let created = expect(d, &["call", "incidents.create", r#"{"title":"Slip","description":"Wet floor","incidentDate":"2026-01-05"}"#], 0);
    let id = json(&created)["record"]["id"].as_str().unwrap().to_owned();
    (dir, id)
}

#[test]
fn usage_version_and_call() {
    let (dir, _) = installation();
    let d = dir.path();
    expect(d, &["--version"], 0);
    expect(d, &["--help"], 0);
    expect(d, &["no-such-subcommand"], 2);
    expect(d, &["call", "--list"], 0);
    expect(d, &["call", "app.status"], 0);
    expect(d, &["call", "incidents.list", r#"{"search":"slip"}"#], 0);
    expect(d, &["call", "incidents.list", "{not json"], 1);
    expect(d, &["call", "no.such_command"], 1);
    expect(d, &["call", "incidents.create", r#"{"title":""}"#], 1);
    let wrong = qgp_env(d, &["call", "incidents.list"], &[("QGP_PASSPHRASE", "not the passphrase")]);
    assert_eq!(wrong.status.code(), Some(1), "a wrong passphrase fails");
}

#[test]
fn doctor_migrate_and_audit_trail() {
    let (dir, _) = installation();
    let d = dir.path();
    expect(d, &["doctor"], 0);
    expect(d, &["doctor", "--json"], 0);
    expect(d, &["migrate", "status"], 0);
    expect(d, &["migrate", "apply"], 0);
    expect(d, &["audit-trail", "verify"], 0);
    let viewer = r#"{"displayName":"Vic","email":"vic@example.com","role":"viewer","passphrase":"correct horse battery"}"#;
    expect(d, &["call", "users.create", viewer], 0);
    let as_viewer = qgp_env(d, &["audit-trail", "verify"], &[("QGP_USER", "vic@example.com")]);
    assert_eq!(as_viewer.status.code(), Some(1), "verifying the chain is for administrators");

    let fresh = tempfile::tempdir().unwrap();
    expect(fresh.path(), &["migrate", "status"], 1);
    std::fs::write(fresh.path().join("config.toml"), "[log]\nlevel = \"shouting\"\n").unwrap();
    expect(fresh.path(), &["doctor"], 2);
}

#[test]
fn backups() {
    let (dir, _) = installation();
    let d = dir.path();
    let taken = expect(d, &["backup", "create"], 0);
    let path = json(&taken)["path"].as_str().unwrap().to_owned();
    expect(d, &["backup", "list"], 0);
    expect(d, &["backup", "verify", &path], 0);
    expect(d, &["backup", "verify", "/nonexistent/backup.sqlite3"], 1);
    let garbage = d.join("garbage.sqlite3");
    std::fs::write(&garbage, b"not a database at all").unwrap();
    expect(d, &["backup", "verify", garbage.to_str().unwrap()], 1);
    expect(d, &["backup", "restore", garbage.to_str().unwrap()], 1);
    expect(d, &["backup", "restore", &path], 0);

    // While the desktop app has the directory open, a restore is refused; reads and writes beside it still work.
    let app = qgp_core::instance::DataDirLock::acquire(&qgp_core::paths::AppPaths::under(d)).unwrap();
    let refused = expect(d, &["backup", "restore", &path], 1);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("close the app first"), "{}", String::from_utf8_lossy(&refused.stderr));
    expect(d, &["call", "incidents.list"], 0);
    expect(d, &["call", "incidents.create", r#"{"title":"Trip","description":"Cable","incidentDate":"2026-01-06"}"#], 0);
    drop(app);
    expect(d, &["backup", "restore", &path], 0);

    // A new laptop (no profile yet): the backup's own administrator restores it with their passphrase from it.
    let new_laptop = tempfile::tempdir().unwrap();
    let n = new_laptop.path();
    let wrong = qgp_env(n, &["backup", "restore", &path], &[("QGP_PASSPHRASE", "not the passphrase")]);
    assert_eq!(wrong.status.code(), Some(1), "{}", String::from_utf8_lossy(&wrong.stderr));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("nothing was restored"), "{}", String::from_utf8_lossy(&wrong.stderr));
    let nobody = qgp_env(n, &["backup", "restore", &path], &[("QGP_USER", "")]);
    assert_eq!(nobody.status.code(), Some(2), "no --user: bad usage, {}", String::from_utf8_lossy(&nobody.stderr));
    let restored = expect(n, &["backup", "restore", &path], 0);
    assert_eq!(json(&restored)["restoredFrom"]["kind"], "set");
    let listed = json(&expect(n, &["call", "incidents.list", r#"{"search":"slip"}"#], 0));
    assert_eq!(listed["total"], 1, "the record is on the new laptop");
    expect(n, &["audit-trail", "verify"], 0);
}

#[test]
fn reports_exports_imports_and_packs() {
    let (dir, incident) = installation();
    let d = dir.path();
    let out = d.join("out");
    let pdf = out.join("summary.pdf");
    expect(d, &["report", "incident_summary", "--from", "2026-01-01", "--to", "2026-12-31", "--out", pdf.to_str().unwrap()], 0);
    assert!(pdf.exists());
    expect(d, &["report", "biscuits"], 1);

    let csv = out.join("incidents.csv");
    expect(d, &["export", "incidents", "--format", "csv", "--out", csv.to_str().unwrap()], 0);
    // Labels and no staff by default; --codes and --personal-data as asked.
    let plain = std::fs::read_to_string(&csv).unwrap();
    assert!(plain.contains(",Reported,") && !plain.contains("@example.com"), "{plain}");
    let full = out.join("full.csv");
    expect(d, &["export", "incidents", "--format", "csv", "--codes", "--personal-data", "--out", full.to_str().unwrap()], 0);
    let full = std::fs::read_to_string(&full).unwrap();
    assert!(full.contains(",reported,") && full.contains("@example.com"), "{full}");
    expect(d, &["export", "incidents", "--filter", "{nope"], 2);
    expect(d, &["export", "incidents", "--format", "pdf"], 1);
    expect(d, &["export", "database", "--out", out.join("db.json").to_str().unwrap()], 0);

    expect(d, &["import", "incidents", csv.to_str().unwrap(), "--dry-run"], 0);
    expect(d, &["import", "incidents", csv.to_str().unwrap()], 0);
    let bad = out.join("bad.csv");
    std::fs::write(&bad, "Title,Description,Incident date,Severity\nSlip,Wet,31/02/2026,low\n").unwrap();
    let dry = expect(d, &["import", "incidents", bad.to_str().unwrap(), "--dry-run"], 1);
    assert_eq!(json(&dry)["errors"][0]["column"], "Incident date", "the dry run lists the row error and exits 1");
    expect(d, &["import", "incidents", bad.to_str().unwrap()], 1);
    expect(d, &["import", "incidents", "/nonexistent.csv"], 1);
    expect(d, &["import", "incidents", csv.to_str().unwrap(), "--mapping", "{nope"], 2);

    let pack = out.join("pack.zip");
    // A pack that was written is a success (it exited 1 before).
    let made = expect(d, &["pack", "create", "--incidents", &incident, "--out", pack.to_str().unwrap()], 0);
    assert!(pack.exists() && json(&made)["sha256"].as_str().is_some());
    expect(d, &["pack", "create"], 2);
    expect(d, &["pack", "create", "--incidents", "01900000-0000-7000-8000-000000000000"], 1);
    expect(d, &["pack", "verify", pack.to_str().unwrap()], 0);
    let mut bytes = std::fs::read(&pack).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    let tampered = out.join("tampered.zip");
    std::fs::write(&tampered, bytes).unwrap();
    expect(d, &["pack", "verify", tampered.to_str().unwrap()], 1);
}

#[test]
fn restore_export() {
    let (dir, _) = installation();
    let d = dir.path();
    let export = d.join("db.json");
    expect(d, &["export", "database", "--out", export.to_str().unwrap()], 0);
    let target = tempfile::tempdir().unwrap();
    let t = target.path();
    let no_user = Command::new(env!("CARGO_BIN_EXE_qgp"))
        .args(["restore-export", export.to_str().unwrap()])
        .env("QGP_DATA_DIR", t)
        .env_remove("QGP_USER")
        .env("QGP_PASSPHRASE", PASS)
        .output()
        .unwrap();
    assert_eq!(no_user.status.code(), Some(2), "naming the administrator is part of the usage");
    expect(t, &["restore-export", "/nonexistent.json"], 1);
    expect(t, &["restore-export", export.to_str().unwrap()], 0);
    expect(t, &["call", "incidents.list"], 0);
}

#[test]
fn benchmarks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let kept = d.join("kept");
    expect(d, &["bench", "--incidents", "20", "--risks", "5", "--actions", "5", "--iterations", "1", "--keep", kept.to_str().unwrap()], 0);
    // The kept database already has its profile: seeding it again fails.
    expect(d, &["bench", "--incidents", "20", "--risks", "5", "--actions", "5", "--iterations", "1", "--keep", kept.to_str().unwrap()], 1);
    // Plain and encrypted side by side: both figures and how much slower each is encrypted.
    let both = expect(d, &["bench", "--incidents", "20", "--risks", "5", "--actions", "5", "--iterations", "1", "--store", "both"], 0);
    let report: serde_json::Value = serde_json::from_slice(&both.stdout).unwrap();
    assert!(report["encryptedSlowerPercent"]["singleCreateMs.p50"].is_number(), "{report}");
    assert_eq!(report["plain"]["incidents"], report["encrypted"]["incidents"]);
    // An encrypted database cannot be kept (its key lives only in the bench process).
    let refused = expect(d, &["bench", "--incidents", "20", "--store", "encrypted", "--keep", d.join("k2").to_str().unwrap()], 1);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--keep works only with --store plain"));
    expect(d, &["bench-evidence", "--incidents", "5", "--risks", "5", "--findings", "1", "--photos", "1", "--pack-mb", "1"], 0);
    let no_tmp = qgp_env(
        d,
        &["bench-evidence", "--incidents", "5", "--risks", "5", "--findings", "1", "--photos", "1", "--pack-mb", "1"],
        &[("TMPDIR", "/dev/null/none")],
    );
    assert_eq!(no_tmp.status.code(), Some(1), "no place to measure in: {}", String::from_utf8_lossy(&no_tmp.stderr));
}
