//! `qgp bench`: measures the core against the issues' targets on a throw-away database of N incidents, risks and
//! actions.
//! Every measurement goes through the same command path as the app (validation, transaction, audit trail).

use qgp_core::app::AppCore;
use qgp_core::config::Config;
use qgp_core::context::{Actor, Ctx};
use qgp_core::paths::AppPaths;
use serde_json::{json, Value};
use std::time::Instant;

const WORDS: &[&str] = &[
    "forklift",
    "slip",
    "trip",
    "ladder",
    "racking",
    "spill",
    "chemical",
    "vehicle",
    "reversing",
    "guard",
    "machine",
    "cut",
    "burn",
    "lifting",
    "manual",
    "handling",
    "noise",
    "dust",
    "fire",
    "alarm",
    "electrical",
    "scaffold",
    "roof",
    "delivery",
    "pallet",
    "conveyor",
    "press",
    "blade",
    "glove",
    "helmet",
    "goggles",
    "harness",
    "hoist",
    "crane",
    "valve",
    "pump",
    "boiler",
    "compressor",
    "solvent",
    "acid",
    "battery",
    "charger",
    "cable",
    "socket",
    "lighting",
    "stairs",
    "handrail",
    "floor",
    "ice",
    "puddle",
    "oil",
    "leak",
    "drain",
    "waste",
    "skip",
    "bin",
    "container",
    "trailer",
    "loading",
    "dock",
    "ramp",
    "barrier",
    "bollard",
    "pedestrian",
    "walkway",
    "reversing-alarm",
    "mirror",
    "visitor",
    "contractor",
    "apprentice",
    "supervisor",
    "night",
    "shift",
    "weekend",
    "overtime",
    "fatigue",
    "training",
    "induction",
    "permit",
    "isolation",
    "lockout",
    "tagout",
    "inspection",
    "audit",
    "checklist",
    "signage",
    "exit",
    "extinguisher",
    "sprinkler",
    "smoke",
    "fume",
    "ventilation",
    "extractor",
    "welding",
    "grinder",
    "drill",
    "saw",
    "lathe",
    "mezzanine",
    "warehouse",
    "yard",
    "canteen",
    "office",
    "washroom",
];
const SEVERITIES: &[&str] = &["critical", "high", "medium", "low", "negligible"];
const TYPES: &[&str] = &["injury", "near_miss", "hazard", "property_damage", "environmental", "quality", "other"];

/// Deterministic pseudo-random numbers, so two runs measure the same data.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

fn incident(rng: &mut Lcg) -> serde_json::Map<String, Value> {
    let day = rng.next() % 600;
    let date = jiff::civil::date(2025, 1, 1).checked_add(jiff::Span::new().days(day as i64)).unwrap_or(jiff::civil::date(2025, 1, 1));
    let title = format!("{} {} near {}", rng.pick(WORDS), rng.pick(WORDS), rng.pick(WORDS));
    let description = (0..20).map(|_| rng.pick(WORDS)).collect::<Vec<_>>().join(" ");
    let v = json!({
        "title": title, "description": description, "incidentDate": date.to_string(),
        "severity": rng.pick(SEVERITIES), "incidentType": rng.pick(TYPES), "location": format!("Site {}", rng.next() % 40),
        "department": format!("Dept {}", rng.next() % 12),
    });
    v.as_object().cloned().unwrap_or_default()
}

pub(crate) fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx]
}

fn time_ms(mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

/// How much data to seed.
#[derive(Clone, Copy)]
pub struct Seed {
    pub incidents: usize,
    pub risks: usize,
    pub actions: usize,
}

fn risk(rng: &mut Lcg) -> serde_json::Map<String, Value> {
    let v = json!({
        "title": format!("{} {} failure", rng.pick(WORDS), rng.pick(WORDS)),
        "description": (0..15).map(|_| rng.pick(WORDS)).collect::<Vec<_>>().join(" "),
        "cause": format!("{} {}", rng.pick(WORDS), rng.pick(WORDS)),
        "likelihood": 1 + rng.next() % 5, "impact": 1 + rng.next() % 5,
    });
    v.as_object().cloned().unwrap_or_default()
}

fn action(rng: &mut Lcg, source_type: &str, source_id: &str, owner: &str) -> serde_json::Map<String, Value> {
    // Due from tomorrow (in any zone) up to a year out; some are moved into the past after seeding.
    let today = qgp_core::clock::today_in(jiff::Timestamp::now(), &jiff::tz::TimeZone::UTC);
    let due = today.checked_add(jiff::Span::new().days(2 + (rng.next() % 365) as i64)).unwrap_or(today);
    let priority = ["critical", "high", "medium", "low"][rng.next() % 4];
    let v = json!({
        "sourceType": source_type, "sourceId": source_id, "ownerId": owner, "dueDate": due.to_string(),
        "title": format!("Fix {} {}", rng.pick(WORDS), rng.pick(WORDS)),
        "description": (0..10).map(|_| rng.pick(WORDS)).collect::<Vec<_>>().join(" "),
        "priority": priority,
    });
    v.as_object().cloned().unwrap_or_default()
}

fn summary(samples: &mut [f64]) -> Value {
    json!({ "p50": percentile(samples, 0.5), "p95": percentile(samples, 0.95) })
}

/// Seeds the data and prints the measurements as JSON.
pub fn run(seed: Seed, iterations: usize, keep: Option<&std::path::Path>, encrypted: bool) -> Result<Value, String> {
    let n = seed.incidents;
    let dir = match keep {
        Some(d) => d.to_path_buf(),
        None => tempfile_dir()?,
    };
    let mut paths = AppPaths::under(&dir);
    if encrypted {
        paths.data_key = Some(std::sync::Arc::new(qgp_core::keyring::DataKey::generate().map_err(|e| e.to_string())?));
    }
    let mut core = AppCore::open_with(paths, Config::default(), Box::new(qgp_core::clock::SystemClock)).map_err(|e| e.to_string())?;
    let admin = core
        .invoke(
            None,
            "users.setup",
            json!({"displayName": "Bench Admin", "email": "bench@example.com", "passphrase": "benchmark passphrase"}),
        )
        .map_err(|e| e.message)?;
    let actor = Actor {
        id: admin["id"].as_str().unwrap_or_default().to_owned(),
        display_name: "Bench Admin".into(),
        role: qgp_core::authz::Role::Admin,
    };
    let mut rng = Lcg(42);

    // Import throughput: n creates through the full use case inside one transaction.
    let rows: Vec<_> = (0..n).map(|_| incident(&mut rng)).collect();
    let import_ms = {
        let AppCore { conn, clock, paths, config, .. } = &mut core;
        let mut ctx =
            Ctx::new(conn, clock.as_ref(), paths, config, Some(actor.clone()), qgp_core::ids::new_id()).map_err(|e| e.to_string())?;
        let t = Instant::now();
        ctx.write(|tx, call| {
            for row in &rows {
                qgp_core::incident::create_in(tx, call, row)?;
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        t.elapsed().as_secs_f64() * 1000.0
    };
    // Ten owners share the actions; the bench admin is one of them ("My actions" is a tenth of all actions).
    let mut owners = vec![actor.id.clone()];
    for i in 0..9 {
        let u = core
            .invoke(
                Some(actor.clone()),
                "users.create",
                json!({"displayName": format!("Owner {i}"), "email": format!("owner{i}@example.com"), "role": "manager", "passphrase": "benchmark passphrase"}),
            )
            .map_err(|e| e.message)?;
        owners.push(u["id"].as_str().unwrap_or_default().to_owned());
    }
    let seed_ms = {
        let AppCore { conn, clock, paths, config, .. } = &mut core;
        let mut ctx =
            Ctx::new(conn, clock.as_ref(), paths, config, Some(actor.clone()), qgp_core::ids::new_id()).map_err(|e| e.to_string())?;
        let t = Instant::now();
        ctx.write(|tx, call| {
            let mut risk_ids = Vec::new();
            for _ in 0..seed.risks {
                risk_ids.push(qgp_core::risk::create_in(tx, call, &risk(&mut rng))?.id);
            }
            let incident_ids: Vec<String> =
                tx.prepare("SELECT id FROM incidents")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            for i in 0..seed.actions {
                let owner = &owners[i % owners.len()];
                let pick = rng.next();
                let row = if i % 5 == 0 && !risk_ids.is_empty() {
                    action(&mut rng, "risk", &risk_ids[pick % risk_ids.len()], owner)
                } else if !incident_ids.is_empty() {
                    action(&mut rng, "incident", &incident_ids[pick % incident_ids.len()], owner)
                } else {
                    continue;
                };
                qgp_core::action::create_in(tx, call, &row)?;
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        t.elapsed().as_secs_f64() * 1000.0
    };
    // A third of the actions fall overdue: actions cannot be raised with a past due date, so the throw-away
    // database is aged directly (no audit event; this database is deleted after the run).
    core.conn
        .execute_batch("UPDATE actions SET due_date = date(due_date, '-400 days') WHERE rowid % 3 = 0; PRAGMA optimize; ANALYZE;")
        .map_err(|e| e.to_string())?;

    let mut invoke = |name: &str, input: Value| {
        let r = core.invoke(Some(actor.clone()), name, input);
        assert!(r.is_ok(), "{name} failed: {r:?}");
    };
    let mut single_create: Vec<f64> = (0..iterations.min(200))
        .map(|_| {
            let row = Value::Object(incident(&mut rng));
            time_ms(|| invoke("incidents.create", row.clone()))
        })
        .collect();
    let mut list: Vec<f64> = (0..iterations)
        .map(|i| {
            let input = json!({"status": ["reported"], "severity": [SEVERITIES[i % 5], SEVERITIES[(i + 1) % 5]], "sort": "incidentDate",
                               "direction": "desc", "page": 1 + (i % 5), "pageSize": 50});
            time_ms(|| invoke("incidents.list", input.clone()))
        })
        .collect();
    let mut default_list: Vec<f64> = (0..iterations).map(|_| time_ms(|| invoke("incidents.list", json!({})))).collect();
    // Deep pages: the middle and the last of the register at 50 a page (page 1,000 and page 2,000 of 100,000).
    let last_page = (n as i64 / 50).max(1);
    let mut middle_page: Vec<f64> =
        (0..iterations).map(|_| time_ms(|| invoke("incidents.list", json!({"page": (last_page / 2).max(1)})))).collect();
    let mut deepest_page: Vec<f64> = (0..iterations).map(|_| time_ms(|| invoke("incidents.list", json!({"page": last_page})))).collect();
    let action_pages = (seed.actions as i64 / 50).max(1);
    let mut actions_first_page: Vec<f64> = (0..iterations).map(|_| time_ms(|| invoke("actions.list", json!({})))).collect();
    let mut actions_last_page: Vec<f64> =
        (0..iterations).map(|_| time_ms(|| invoke("actions.list", json!({"page": action_pages})))).collect();
    // A filtered register paged deep: one status (about a quarter of the rows), its last page.
    let mut deep_filtered: Vec<f64> = (0..iterations)
        .map(|_| time_ms(|| invoke("incidents.list", json!({"status": ["reported"], "page": (last_page / 4).max(1)}))))
        .collect();
    let mut search: Vec<f64> = (0..iterations)
        .map(|_| {
            let q = format!("{} {}", rng.pick(WORDS), &rng.pick(WORDS)[..3]);
            time_ms(|| invoke("incidents.list", json!({"search": q})))
        })
        .collect();
    let mut dashboard: Vec<f64> = (0..iterations.min(50)).map(|_| time_ms(|| invoke("incidents.dashboard", json!({})))).collect();
    let mut heat_map: Vec<f64> = (0..iterations).map(|_| time_ms(|| invoke("risks.heat_map", json!({})))).collect();
    let mut heat_map_inherent: Vec<f64> =
        (0..iterations).map(|_| time_ms(|| invoke("risks.heat_map", json!({"basis": "inherent"})))).collect();
    let mut risk_list: Vec<f64> = (0..iterations).map(|_| time_ms(|| invoke("risks.list", json!({})))).collect();
    let mut my_actions: Vec<f64> = (0..iterations)
        .map(|_| time_ms(|| invoke("actions.list", json!({"mine": true, "status": ["open", "in_progress", "completed"]}))))
        .collect();
    let mut global_search: Vec<f64> = (0..iterations)
        .map(|_| {
            let q = format!("{} {}", rng.pick(WORDS), &rng.pick(WORDS)[..3]);
            time_ms(|| invoke("search.global", json!({"query": q})))
        })
        .collect();
    let mut governance: Vec<f64> = (0..iterations.min(50)).map(|_| time_ms(|| invoke("dashboard.governance", json!({})))).collect();
    let audits = crate::audit_bench::run(&mut core, &actor, iterations)?;
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(json!({
        "incidents": n,
        "risks": seed.risks,
        "actions": seed.actions,
        "seedRisksAndActionsMs": seed_ms.round(),
        "heatMapMs": summary(&mut heat_map),
        "heatMapInherentMs": summary(&mut heat_map_inherent),
        "riskRegisterMs": summary(&mut risk_list),
        "myActionsMs": summary(&mut my_actions),
        "globalSearchMs": summary(&mut global_search),
        "governanceDashboardMs": summary(&mut governance),
        "audits": audits,
        "import": { "ms": import_ms.round(), "perSecond": (n as f64 / (import_ms / 1000.0)).round() },
        "singleCreateMs": { "p50": percentile(&mut single_create, 0.5), "p95": percentile(&mut single_create, 0.95) },
        "filteredSortedListMs": { "p50": percentile(&mut list, 0.5), "p95": percentile(&mut list, 0.95) },
        "defaultListMs": { "p50": percentile(&mut default_list, 0.5), "p95": percentile(&mut default_list, 0.95) },
        "middlePageMs": summary(&mut middle_page),
        "lastPageMs": summary(&mut deepest_page),
        "deepFilteredPageMs": summary(&mut deep_filtered),
        "actionsFirstPageMs": summary(&mut actions_first_page),
        "actionsLastPageMs": summary(&mut actions_last_page),
        "searchMs": { "p50": percentile(&mut search, 0.5), "p95": percentile(&mut search, 0.95) },
        "dashboardMs": { "p50": percentile(&mut dashboard, 0.5), "p95": percentile(&mut dashboard, 0.95) },
    }))
}

/// The same seed and queries on a plain and on an encrypted (SQLCipher) database, one after the other, with how much
/// slower each figure is encrypted (issue 16's goal: at most 15 % on every read and write).
pub fn side_by_side(seed: Seed, iterations: usize) -> Result<Value, String> {
    let plain = run(seed, iterations, None, false)?;
    let encrypted = run(seed, iterations, None, true)?;
    let mut slower = serde_json::Map::new();
    compare("", &plain, &encrypted, &mut slower);
    Ok(json!({ "plain": plain, "encrypted": encrypted, "encryptedSlowerPercent": slower }))
}

/// Every timing leaf (`…Ms`, `p50`, `p95`, `ms`) as "percent slower encrypted"; throughput (`perSecond`) inverted.
fn compare(path: &str, plain: &Value, encrypted: &Value, out: &mut serde_json::Map<String, Value>) {
    match (plain, encrypted) {
        (Value::Object(p), Value::Object(e)) => {
            for (k, pv) in p {
                if let Some(ev) = e.get(k) {
                    let here = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    compare(&here, pv, ev, out);
                }
            }
        }
        (Value::Number(p), Value::Number(e)) => {
            let (Some(p), Some(e)) = (p.as_f64(), e.as_f64()) else { return };
            let leaf = path.rsplit('.').next().unwrap_or(path);
            let timing = leaf.ends_with("Ms") || matches!(leaf, "p50" | "p95" | "ms");
            let pct = if leaf == "perSecond" && e > 0.0 {
                (p / e - 1.0) * 100.0
            } else if timing && p > 0.0 {
                (e / p - 1.0) * 100.0
            } else {
                return;
            };
            out.insert(path.to_owned(), json!((pct * 10.0).round() / 10.0));
        }
        _ => {}
    }
}

fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("qgp-bench-{}", qgp_core::ids::new_id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}
