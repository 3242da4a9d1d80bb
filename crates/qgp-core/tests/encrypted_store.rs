//! The database of an encrypted installation (issue 16): SQLCipher with the installation's data key. What is
//! recorded cannot be found in the database file or its write-ahead log in any encoding the test can think of, and
//! the file opens only with its key. Evidence files, backups and the unlock at sign-in are separate steps (0004).

use base64::Engine;
use qgp_core::app::AppCore;
use qgp_core::clock::FixedClock;
use qgp_core::config::Config;
use qgp_core::context::Actor;
use qgp_core::keyring::DataKey;
use qgp_core::paths::AppPaths;
use serde_json::json;
use std::sync::Arc;

const MARKER: &str = "Quokka-Marker-7731 injured at Wharf Lane";

fn encodings() -> Vec<(&'static str, Vec<u8>)> {
    let utf16: Vec<u8> = MARKER.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let mut found = vec![("plain", MARKER.as_bytes().to_vec()), ("UTF-16", utf16), ("lower case", MARKER.to_lowercase().into_bytes())];
    // Base64 at each of the three alignments: the middle of an encoding does not depend on what came before.
    for skip in 0..3 {
        let text = base64::engine::general_purpose::STANDARD.encode(&MARKER.as_bytes()[skip..]);
        found.push(("base64", text.as_bytes()[4..text.len() - 4].to_vec()));
    }
    found
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn open(dir: &std::path::Path, key: Option<Arc<DataKey>>) -> qgp_core::error::Result<AppCore> {
    let mut paths = AppPaths::under(dir);
    paths.data_key = key;
    AppCore::open_with(paths, Config::default(), Box::new(FixedClock::at("2026-11-26T12:00:00Z")))
}

#[test]
fn records_are_unreadable_without_the_key_and_intact_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = Arc::new(DataKey::generate().unwrap());
    let mut core = open(dir.path(), Some(key.clone())).unwrap();
    let admin = core
        .invoke(None, "users.setup", json!({"displayName": "Ada Admin", "email": "ada@example.com", "passphrase": "correct horse battery"}))
        .unwrap();
    let actor = Actor { id: admin["id"].as_str().unwrap().into(), display_name: "Ada Admin".into(), role: qgp_core::authz::Role::Admin };
    for i in 0..20 {
        core.invoke(
            Some(actor.clone()),
            "incidents.create",
            json!({"title": format!("{MARKER} {i}"), "description": MARKER, "location": MARKER, "incidentDate": "2026-11-20"}),
        )
        .unwrap();
    }
    let db = dir.path().join("qgp.sqlite3");
    let wal = dir.path().join("qgp.sqlite3-wal");
    // Before the checkpoint the records are in the write-ahead log; after it, in the main file. Both are looked at.
    for moment in ["in the write-ahead log", "after a checkpoint"] {
        if moment == "after a checkpoint" {
            core.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        }
        for file in [&db, &wal] {
            let bytes = std::fs::read(file).unwrap_or_default();
            assert!(!bytes.starts_with(b"SQLite format 3"), "{} has a plain SQLite header", file.display());
            for (encoding, needle) in encodings() {
                assert!(!contains(&bytes, &needle), "the marker ({encoding}) is readable in {} {moment}", file.display());
            }
        }
    }
    drop(core);

    // Without the key, or with another installation's, nothing opens; with it, every record is there.
    assert!(open(dir.path(), None).is_err(), "opened without its key");
    let Err(other) = open(dir.path(), Some(Arc::new(DataKey::generate().unwrap()))) else { panic!("opened with another key") };
    assert!(other.to_string().contains("cannot be opened with this installation's key"), "{other}");
    let mut core = open(dir.path(), Some(key)).unwrap();
    let list = core.invoke(Some(actor), "incidents.list", json!({"search": "Quokka"})).unwrap();
    assert_eq!(list["total"], 20);
    let chain = core.conn.query_row("SELECT COUNT(*) FROM audit_events", [], |r| r.get::<_, i64>(0)).unwrap();
    assert!(chain >= 21, "the audit trail is in the encrypted file too");
}

#[test]
fn a_plain_installation_still_opens_as_before_and_there_the_search_finds_the_marker() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = open(dir.path(), None).unwrap();
    let admin = core
        .invoke(None, "users.setup", json!({"displayName": "Ada Admin", "email": "ada@example.com", "passphrase": "correct horse battery"}))
        .unwrap();
    let actor = Actor { id: admin["id"].as_str().unwrap().into(), display_name: "Ada Admin".into(), role: qgp_core::authz::Role::Admin };
    core.invoke(Some(actor), "incidents.create", json!({"title": MARKER, "description": MARKER, "incidentDate": "2026-11-20"})).unwrap();
    core.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    drop(core);
    let bytes = std::fs::read(dir.path().join("qgp.sqlite3")).unwrap();
    assert!(bytes.starts_with(b"SQLite format 3"), "plain until encryption is switched on");
    // The same search the encrypted test relies on does find the marker where it is readable.
    assert!(contains(&bytes, encodings()[0].1.as_slice()), "the search cannot see a plain marker");
    assert!(open(dir.path(), None).is_ok());
}
