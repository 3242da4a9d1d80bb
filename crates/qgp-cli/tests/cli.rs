//! Black-box tests of the `qgp` binary: scripted commands, errors on stderr with exit codes, doctor, backups.

mod common;
use common::{json, qgp};
use std::process::Command;

#[test]
fn scripted_session_from_setup_to_backup() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let setup = Command::new(env!("CARGO_BIN_EXE_qgp"))
        .args(["call", "users.setup", r#"{"displayName":"Ada","email":"ada@example.com","passphrase":"correct horse battery"}"#])
        .env("QGP_DATA_DIR", d)
        .env_remove("QGP_USER")
        .output()
        .unwrap();
    assert!(setup.status.success(), "{}", String::from_utf8_lossy(&setup.stderr));
    let created = qgp(d, &["call", "incidents.create", r#"{"title":"Slip","description":"Wet floor","incidentDate":"2026-01-05"}"#]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(json(&created)["record"]["reference"].as_str().unwrap().starts_with("INC-"));

    let bad = qgp(d, &["call", "incidents.create", r#"{"title":"","description":"x","incidentDate":"2026-01-05"}"#]);
    assert_eq!(bad.status.code(), Some(1));
    let envelope: serde_json::Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert_eq!(envelope["kind"], "validation_failed");
    assert_eq!(envelope["fields"][0]["field"], "title");
    let request_id = envelope["requestId"].as_str().unwrap().to_owned();
    assert_eq!(request_id.len(), 36, "the request id is on the envelope");

    let anonymous = Command::new(env!("CARGO_BIN_EXE_qgp"))
        .args(["call", "incidents.list"])
        .env("QGP_DATA_DIR", d)
        .env_remove("QGP_USER")
        .output()
        .unwrap();
    assert_eq!(anonymous.status.code(), Some(1), "commands need a profile");

    let wrong = Command::new(env!("CARGO_BIN_EXE_qgp"))
        .args(["call", "incidents.list"])
        .env("QGP_DATA_DIR", d)
        .env("QGP_USER", "ada@example.com")
        .env("QGP_PASSPHRASE", "wrong passphrase!!")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1), "a wrong passphrase is refused");

    let doctor = qgp(d, &["doctor", "--json"]);
    assert!(doctor.status.success(), "warnings (no backup yet) do not fail doctor");
    assert_eq!(json(&doctor)["auditTrail"]["ok"], true);

    let backup = qgp(d, &["backup", "create"]);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    let path = json(&backup)["path"].as_str().unwrap().to_owned();
    let verify = qgp(d, &["backup", "verify", &path]);
    assert!(verify.status.success());
    assert_eq!(json(&verify)["ok"], true);
    let chain = qgp(d, &["audit-trail", "verify"]);
    assert!(chain.status.success());
    let status = qgp(d, &["migrate", "status"]);
    assert!(String::from_utf8_lossy(&status.stdout).contains("applied  V1__foundation"));

    // The non-blocking log writer has flushed by now (each qgp process exits, dropping its guard).
    let logs: String =
        std::fs::read_dir(d.join("logs")).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default()).collect();
    assert!(logs.contains(&request_id), "the request id matches a log line");
    assert!(!logs.contains("Wet floor"), "logs never hold record contents");
}

#[test]
fn invalid_config_exits_2_naming_the_key_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "[logging]\nlevel = \"loud\"\n").unwrap();
    let out = qgp(dir.path(), &["doctor"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("logging.level"));
    assert!(!dir.path().join("qgp.sqlite3").exists(), "no database created");
}
