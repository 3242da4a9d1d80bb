//! `qgp bench`: measures the core against the targets on a throw-away database of N incidents.
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

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx]
}

fn time_ms(mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

/// Seeds `n` incidents and prints the measurements as JSON.
pub fn run(n: usize, iterations: usize, keep: Option<&std::path::Path>) -> Result<Value, String> {
    let dir = match keep {
        Some(d) => d.to_path_buf(),
        None => tempfile_dir()?,
    };
    let paths = AppPaths::under(&dir);
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
    core.conn.execute_batch("PRAGMA optimize; ANALYZE;").map_err(|e| e.to_string())?;

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
    let mut search: Vec<f64> = (0..iterations)
        .map(|_| {
            let q = format!("{} {}", rng.pick(WORDS), &rng.pick(WORDS)[..3]);
            time_ms(|| invoke("incidents.list", json!({"search": q})))
        })
        .collect();
    let mut dashboard: Vec<f64> = (0..iterations.min(50)).map(|_| time_ms(|| invoke("incidents.dashboard", json!({})))).collect();
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(json!({
        "incidents": n,
        "import": { "ms": import_ms.round(), "perSecond": (n as f64 / (import_ms / 1000.0)).round() },
        "singleCreateMs": { "p50": percentile(&mut single_create, 0.5), "p95": percentile(&mut single_create, 0.95) },
        "filteredSortedListMs": { "p50": percentile(&mut list, 0.5), "p95": percentile(&mut list, 0.95) },
        "defaultListMs": { "p50": percentile(&mut default_list, 0.5), "p95": percentile(&mut default_list, 0.95) },
        "searchMs": { "p50": percentile(&mut search, 0.5), "p95": percentile(&mut search, 0.95) },
        "dashboardMs": { "p50": percentile(&mut dashboard, 0.5), "p95": percentile(&mut dashboard, 0.95) },
    }))
}

fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("qgp-bench-{}", qgp_core::ids::new_id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}
