//! On a full disk the records can still be read (issue 16): reads and `qgp doctor` work, a write is refused as "the
//! disk is full" and changes nothing, and once space is freed writing works again. Run on a real full filesystem —
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

    std::fs::remove_file(&filler).unwrap();
    let after = qgp(&d, &["call", "incidents.create", r#"{"title":"Trip","description":"Cable","incidentDate":"2026-01-06"}"#]);
    assert!(after.status.success(), "{}", String::from_utf8_lossy(&after.stderr));
    assert_eq!(json(&qgp(&d, &["call", "incidents.list", "{}"]))["total"], 4, "nothing was lost or half-written");
}

fn fs_free(at: &Path) -> u64 {
    let out = Command::new("df").args(["--output=avail", "-B1"]).arg(at).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().nth(1).and_then(|l| l.trim().parse().ok()).unwrap()
}
