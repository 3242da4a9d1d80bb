//! Every command fed random JSON (issue 16): no input makes a command fail with an internal error (a panic is one:
//! the core turns it into `internal`), and a refused command writes nothing. Keys and values are drawn from the
//! commands' own vocabulary (every field name and enumeration value in the generated bindings, ids of real records,
//! dates, extreme numbers) mixed with random text, so inputs reach deep into validation and past it.
//!
//! The cases are the same every run unless `QGP_FUZZ_EXPLORE=1` is set. `QGP_FUZZ_CASES` sets the number of cases (2,000 by default, as CI runs it); the long run in
//! docs/reliability.md is `QGP_FUZZ_CASES=200000 cargo test -p qgp-core --test fuzz_commands -- --nocapture`.
//! Keys naming files (`path`) are left out: they would read or write anywhere on this computer.

mod common;

use common::{h, H};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use qgp_core::error::ErrorKind;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::BTreeSet;

/// Commands left out: they replace the database, start background work, or write files at a path given to them.
const SKIPPED: &[&str] =
    &["backup.restore", "jobs.start", "exports.register", "exports.database", "reports.generate", "packs.create", "health.support_bundle"];

/// Field names and enumeration values from the generated TypeScript bindings.
fn vocabulary() -> (Vec<String>, Vec<String>) {
    let ts = qgp_core::bindings::typescript();
    let mut keys = BTreeSet::new();
    let mut values = BTreeSet::new();
    for token in ts.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '"' || c == '?' || c == ':')) {
        if let Some(k) = token.strip_suffix(':').map(|k| k.trim_end_matches('?')) {
            if !k.is_empty() && !k.contains('"') && k != "path" {
                keys.insert(k.to_owned());
            }
        }
        if let Some(v) = token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            if !v.contains('.') && !v.is_empty() {
                values.insert(v.to_owned());
            }
        }
    }
    (keys.into_iter().collect(), values.into_iter().collect())
}

/// Row counts of every table (sign-in failures and lock events aside, which a refused signature legitimately writes).
fn fingerprint(h: &H) -> Vec<(String, i64)> {
    let tables: Vec<String> = {
        let mut stmt =
            h.core.conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    tables
        .into_iter()
        .map(|t| {
            let sql = if t == "audit_events" {
                "SELECT COUNT(*) FROM audit_events WHERE action NOT IN ('sign_in_failed', 'lock')".to_owned()
            } else {
                format!("SELECT COUNT(*) FROM \"{t}\"")
            };
            let n = h.core.conn.query_row(&sql, [], |r| r.get(0)).unwrap();
            (t, n)
        })
        .collect()
}

fn json_value(keys: Vec<String>, words: Vec<String>) -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        proptest::collection::vec(any::<char>(), 0..24).prop_map(|c| c.into_iter().collect::<String>()),
        proptest::sample::select(words),
        Just(String::new()),
        Just("2026-11-20".to_owned()),
        Just("31/02/2026".to_owned()),
        Just("9999-12-31T23:59:59Z".to_owned()),
        Just("x".repeat(5000)),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-10i64..10).prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text.prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 5, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((proptest::sample::select(keys.clone()), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

#[test]
fn no_command_input_panics_or_writes_when_refused() {
    let cases: u32 = std::env::var("QGP_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000);
    let mut h = h();
    // Real records, so ids in the input can hit them.
    let incident = h.incident();
    let iid = incident["record"]["id"].as_str().unwrap().to_owned();
    let manager = h.manager.id.clone();
    let action = h.action("incident", &iid, &manager);
    let risk = h.admin_ok("risks.create", json_risk());
    let (keys, mut words) = vocabulary();
    for id in [iid.clone(), action["record"]["id"].as_str().unwrap().to_owned(), risk["record"]["id"].as_str().unwrap().to_owned(), manager]
    {
        words.push(id);
    }
    let commands: Vec<&str> = qgp_core::commands::COMMAND_NAMES.iter().copied().filter(|c| !SKIPPED.contains(c)).collect();
    let actors = [h.admin.clone(), h.manager.clone(), h.contributor.clone(), h.viewer.clone()];
    let strategy = (
        proptest::sample::select(commands.clone()),
        0..actors.len(),
        json_value(keys.clone(), words.clone()),
        proptest::collection::vec((proptest::sample::select(keys), json_value(vec!["id".into()], words)), 0..8),
    );
    let h = RefCell::new(h);
    let mut runner = common::fuzz_runner(Config { cases, failure_persistence: None, ..Config::default() });
    let refused = std::cell::Cell::new(0u64);
    let done = std::cell::Cell::new(0u64);
    let per_command = RefCell::new(std::collections::BTreeMap::<&str, u64>::new());
    let result = runner.run(&strategy, |(command, who, raw, fields)| {
        // Half the inputs are objects built from field names (what a command expects), half any JSON at all.
        let input = if done.get() % 2 == 0 { Value::Object(fields.into_iter().collect()) } else { raw };
        done.set(done.get() + 1);
        *per_command.borrow_mut().entry(command).or_default() += 1;
        let mut h = h.borrow_mut();
        let before = fingerprint(&h);
        let outcome = h.core.invoke(Some(actors[who].clone()), command, input.clone());
        if let Err(e) = outcome {
            refused.set(refused.get() + 1);
            if e.kind == ErrorKind::Internal {
                return Err(TestCaseError::fail(format!("{command} failed internally: {} with {input}", e.message)));
            }
            let after = fingerprint(&h);
            if before != after {
                let changed: Vec<_> = before.iter().zip(&after).filter(|(a, b)| a != b).collect();
                return Err(TestCaseError::fail(format!(
                    "{command} was refused ({:?}: {}) but wrote {changed:?} with {input}",
                    e.kind, e.message
                )));
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let refused = refused.get();
    let per_command = per_command.into_inner();
    let fewest = commands.iter().map(|c| (per_command.get(c).copied().unwrap_or(0), *c)).min().unwrap_or_default();
    eprintln!(
        "{cases} random inputs over {} commands: {refused} refused cleanly, {} accepted, 0 internal errors, 0 partial writes; \
         fewest for one command: {} ({})",
        commands.len(),
        u64::from(cases) - refused,
        fewest.0,
        fewest.1
    );
}

fn json_risk() -> Value {
    serde_json::json!({"title": "Racking collapse", "description": "Overloaded", "likelihood": 4, "impact": 3})
}
