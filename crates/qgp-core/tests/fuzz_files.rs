//! Damaged files from outside never crash the app or write anything: CSV and XLSX imports, evidence packs and
//! backups, each mutated at random (bytes flipped, runs overwritten, the file cut short or grown), are refused or
//! reported with an ordinary error — never an internal one — and a preview writes nothing.
//!
//! The mutations are the same every run unless `QGP_FUZZ_EXPLORE=1` is set. `QGP_FUZZ_FILE_CASES` sets the number of mutations per kind of file (150 by default, as CI runs it).

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use qgp_core::error::ErrorKind;
use serde_json::json;

/// One change to a file: flip bytes, overwrite a run, cut it short, or append noise.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(Vec<(usize, u8)>),
    Overwrite(usize, Vec<u8>),
    Truncate(usize),
    Append(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        proptest::collection::vec((any::<usize>(), 1u8..=255), 1..8).prop_map(Mutation::Flip),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..64)).prop_map(|(at, b)| Mutation::Overwrite(at, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        proptest::collection::vec(any::<u8>(), 1..256).prop_map(Mutation::Append),
    ]
}

fn apply(original: &[u8], m: &Mutation) -> Vec<u8> {
    let mut bytes = original.to_vec();
    let n = bytes.len().max(1);
    match m {
        Mutation::Flip(flips) => flips.iter().for_each(|(at, x)| bytes[at % n] ^= x),
        Mutation::Overwrite(at, run) => {
            for (i, b) in run.iter().enumerate() {
                let p = (at + i) % n;
                bytes[p] = *b;
            }
        }
        Mutation::Truncate(at) => bytes.truncate(at % n),
        Mutation::Append(more) => bytes.extend_from_slice(more),
    }
    bytes
}

/// Runs `check` on `cases` mutations of `original`, written to `path` each time.
fn mutate(cases: u32, original: &[u8], path: &std::path::Path, mut check: impl FnMut() -> Result<(), String>) {
    let mut runner = common::fuzz_runner(Config { cases, failure_persistence: None, ..Config::default() });
    let check = std::cell::RefCell::new(&mut check);
    runner
        .run(&mutation(), |m| {
            std::fs::write(path, apply(original, &m)).unwrap();
            (check.borrow_mut())().map_err(|e| TestCaseError::fail(format!("{e} after {m:?}")))
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_workbook_with_an_overflowing_cell_reference_is_a_damaged_file() {
    // Found by the mutation run below in CI: a flipped byte made a cell reference overflow inside the XLSX parser.
    let mut h = common::h();
    let dir = h.core.paths.data_dir.join("fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.xlsx");
    h.incident();
    h.admin_ok("exports.register", json!({"register": "incidents", "format": "xlsx", "path": good}));
    // Rewrite the sheet with a cell reference far past what fits in 32 bits.
    let mut zin = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
    let bad = dir.join("bad.xlsx");
    let mut zout = zip::ZipWriter::new(std::fs::File::create(&bad).unwrap());
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            text = String::from_utf8(text).unwrap().replacen("r=\"A2\"", "r=\"A99999999999999\"", 1).into_bytes();
        }
        zout.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zout, &text).unwrap();
    }
    zout.finish().unwrap();
    let e = h.call(&h.admin.clone(), "imports.preview", json!({"register": "incidents", "path": bad, "fileName": bad})).unwrap_err();
    assert_ne!(e.kind, ErrorKind::Internal, "{e:?}");
    assert_eq!(common::bad_fields(&e), ["fileName"], "{e:?}");
}

#[test]
fn damaged_imports_packs_and_backups_are_refused_or_reported_never_crash() {
    let cases: u32 = std::env::var("QGP_FUZZ_FILE_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(150);
    let mut h = common::h();
    let incident = h.incident();
    let iid = incident["record"]["id"].as_str().unwrap().to_owned();
    let dir = h.core.paths.data_dir.join("fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    let admin = h.admin.clone();

    for (format, name) in [("csv", "incidents.csv"), ("xlsx", "incidents.xlsx")] {
        let good = dir.join(format!("good.{format}"));
        h.admin_ok("exports.register", json!({"register": "incidents", "format": format, "path": good, "includePersonalData": true}));
        let original = std::fs::read(&good).unwrap();
        let target = dir.join(name);
        let incidents = h.count("SELECT COUNT(*) FROM incidents");
        mutate(cases, &original, &target, || {
            match h.core.invoke(Some(admin.clone()), "imports.preview", json!({"register": "incidents", "path": target, "fileName": name}))
            {
                Err(e) if e.kind == ErrorKind::Internal => return Err(format!("{format} import failed internally: {}", e.message)),
                _ => {}
            }
            (h.count("SELECT COUNT(*) FROM incidents") == incidents).then_some(()).ok_or_else(|| "a preview wrote".to_owned())
        });
    }

    let pack = dir.join("good.zip");
    h.admin_ok("packs.create", json!({"subject": {"kind": "incidents", "incidentIds": [iid]}, "path": pack}));
    let original = std::fs::read(&pack).unwrap();
    let target = dir.join("pack.zip");
    let mut intact = 0;
    mutate(cases, &original, &target, || match h.core.invoke(None, "packs.verify", json!({"path": target})) {
        Err(e) if e.kind == ErrorKind::Internal => Err(format!("pack verification failed internally: {}", e.message)),
        Ok(v) if v["ok"] == true => {
            // Possible only where a change touched nothing the pack vouches for (a ZIP timestamp, say).
            let files = v["files"].as_array().unwrap();
            intact += 1;
            files.iter().all(|f| f["status"] == "ok").then_some(()).ok_or_else(|| format!("ok with a bad file: {v}"))
        }
        _ => Ok(()),
    });

    let backup = h.admin_ok("backup.create", json!({}));
    let original = std::fs::read(backup["path"].as_str().unwrap()).unwrap();
    let target = dir.join("backup.sqlite3");
    mutate(cases, &original, &target, || match qgp_core::backup::verify(&target) {
        Err(e) if e.kind() == ErrorKind::Internal => Err(format!("backup verification failed internally: {e}")),
        _ => Ok(()),
    });
    eprintln!("{cases} mutations each of a CSV, an XLSX, a pack ({intact} still intact) and a backup: none crashed, none wrote");
}
