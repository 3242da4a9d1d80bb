//! On a full disk the records can still be read (issue 16): reads and `qgp doctor` work, every family of write
//! (create, backup, export, pack, import, attach) is refused as "the disk is full", changes nothing and leaves no
//! half-written file, and once space is freed writing works again and everything verifies. Run on a real full filesystem —
//! a 24 MB tmpfs — so it needs the right to mount one (root, as on CI); elsewhere it says it did not run.

mod common;
use common::{json, qgp};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small tmpfs mounted for the test and unmounted however the test ends.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path) -> Option<SmallDisk> {
        let ok = Command::new("mount").args(["-t", "tmpfs", "-o", "size=24m", "tmpfs"]).arg(at).status().is_ok_and(|s| s.success());
        ok.then(|| SmallDisk(at.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_still_reads_refuses_writes_clearly_and_recovers() {
    let outer = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(outer.path()) else {
        let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        assert!(!root, "running as root, a tmpfs must mount");
        eprintln!("not run: mounting a small filesystem needs root");
        return;
    };
    let d = disk.0.join("data");
    let setup =
        qgp(&d, &["call", "users.setup", r#"{"displayName":"Ada","email":"ada@example.com","passphrase":"correct horse battery"}"#]);
    assert!(setup.status.success(), "{}", String::from_utf8_lossy(&setup.stderr));
    for i in 0..3 {
        let input = format!(r#"{{"title":"Slip {i}","description":"Wet floor","incidentDate":"2026-01-05"}}"#);
        assert!(qgp(&d, &["call", "incidents.create", &input]).status.success());
    }
    // A spreadsheet to import, kept off the small disk.
    let elsewhere = tempfile::tempdir().unwrap();
    let import = elsewhere.path().join("incidents.csv");
    std::fs::write(&import, "Title,Description,Incident date,Severity\nFall,Ladder,2026-01-07,low\n").unwrap();
    // Fill the disk to the last byte.
    let filler = disk.0.join("filler");
    let _ = Command::new("dd").args(["if=/dev/zero", "bs=1M"]).arg(format!("of={}", filler.display())).output();
    assert_eq!(fs_free(&disk.0), 0, "the disk is full");

    let list = qgp(&d, &["call", "incidents.list", "{}"]);
    assert!(list.status.success(), "reading works on a full disk: {}", String::from_utf8_lossy(&list.stderr));
    assert_eq!(json(&list)["total"], 3);
    let refused = qgp(&d, &["call", "incidents.create", r#"{"title":"Trip","description":"Cable","incidentDate":"2026-01-06"}"#]);
    assert_eq!(refused.status.code(), Some(1));
    let envelope: serde_json::Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(envelope["kind"], "disk_full", "{envelope}");
    let doctor = qgp(&d, &["doctor"]);
    assert_eq!(doctor.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&doctor.stdout).contains("[FAIL] Free disk space"));

    // Every other family of write: refused as a full disk, and nothing half-written left behind.
    let out = d.join("out");
    let incident = json(&qgp(&d, &["call", "incidents.list", "{}"]))["items"][0]["id"].as_str().unwrap().to_owned();
    let attach = format!(
        r#"{{"entityType":"incident","entityId":"{incident}","originalName":"photo.txt","contentBase64":"{}"}}"#,
        "QUJD".repeat(2048)
    );
    let families: [(&str, Vec<String>); 5] = [
        ("backup", vec!["backup".into(), "create".into()]),
        (
            "export",
            vec![
                "export".into(),
                "incidents".into(),
                "--format".into(),
                "xlsx".into(),
                "--out".into(),
                out.join("i.xlsx").display().to_string(),
            ],
        ),
        (
            "pack",
            vec![
                "pack".into(),
                "create".into(),
                "--incidents".into(),
                incident.clone(),
                "--out".into(),
                out.join("p.zip").display().to_string(),
            ],
        ),
        ("import", vec!["import".into(), "incidents".into(), import.display().to_string()]),
        ("attach", vec!["call".into(), "evidence.attach".into(), attach]),
    ];
    for (family, args) in &families {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let refused = qgp(&d, &args);
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{family} on a full disk: {stderr}");
        assert!(stderr.contains(r#""kind": "disk_full""#), "{family} says the disk is full: {stderr}");
    }
    let half_written = |p: &String| {
        let name = Path::new(p).file_name().unwrap().to_string_lossy().into_owned();
        name.ends_with(".partial")
            || name.ends_with(".tmp")
            || name.ends_with(".xlsx")
            || name.ends_with(".zip")
            || name.starts_with(".qgp-")
    };
    let leftovers: Vec<String> = walk(&d).into_iter().filter(half_written).collect();
    assert!(leftovers.is_empty(), "nothing half-written is left: {leftovers:?}");

    std::fs::remove_file(&filler).unwrap();
    let after = qgp(&d, &["call", "incidents.create", r#"{"title":"Trip","description":"Cable","incidentDate":"2026-01-06"}"#]);
    assert!(after.status.success(), "{}", String::from_utf8_lossy(&after.stderr));
    assert_eq!(json(&qgp(&d, &["call", "incidents.list", "{}"]))["total"], 4, "nothing was lost or half-written");
    assert_eq!(json(&qgp(&d, &["call", "evidence.integrity_check", "{}"]))["missing"], serde_json::json!([]));
    assert!(qgp(&d, &["audit-trail", "verify"]).status.success(), "the chain verifies");
    let backup = qgp(&d, &["backup", "create"]);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    assert!(qgp(&d, &["backup", "verify", json(&backup)["path"].as_str().unwrap()]).status.success(), "a backup taken afterwards verifies");
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path().display().to_string());
        }
    }
    out
}

fn fs_free(at: &Path) -> u64 {
    let out = Command::new("df").args(["--output=avail", "-B1"]).arg(at).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().nth(1).and_then(|l| l.trim().parse().ok()).unwrap()
}
