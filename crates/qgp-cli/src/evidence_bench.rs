//! `qgp bench-evidence`: issue 6's targets on a throw-away database — an audit report with 200 findings and 50
//! photos, an XLSX export of 100,000 incidents, an import of 50,000 risks, and an evidence pack of 1 GB of files
//! against the machine's own SHA-256 throughput, and a backup set of all of it. Everything runs through the command path, as in the app.

use base64::Engine;
use qgp_core::app::AppCore;
use qgp_core::config::Config;
use qgp_core::context::{Actor, Ctx};
use qgp_core::paths::AppPaths;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::time::Instant;

/// What to measure with.
pub struct Sizes {
    pub incidents: usize,
    pub risks: usize,
    pub findings: usize,
    pub photos: usize,
    pub pack_mb: usize,
}

fn secs(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}

/// Pseudo-random bytes that do not compress (like photos and PDFs), quickly.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

pub fn run(sizes: Sizes) -> Result<Value, String> {
    let dir = std::env::temp_dir().join(format!("qgp-bench-evidence-{}", qgp_core::ids::new_id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = measure(&dir, &sizes);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn measure(dir: &std::path::Path, sizes: &Sizes) -> Result<Value, String> {
    let mut core =
        AppCore::open_with(AppPaths::under(dir), Config::default(), Box::new(qgp_core::clock::SystemClock)).map_err(|e| e.to_string())?;
    let pass = "benchmark passphrase";
    let admin = core
        .invoke(None, "users.setup", json!({"displayName": "Bench Admin", "email": "bench@example.com", "passphrase": pass}))
        .map_err(|e| e.message)?;
    let actor = Actor {
        id: admin["id"].as_str().unwrap_or_default().to_owned(),
        display_name: "Bench Admin".into(),
        role: qgp_core::authz::Role::Admin,
    };
    let out = dir.join("out");
    let call = |core: &mut AppCore, name: &str, input: Value| {
        core.invoke(Some(actor.clone()), name, input).map_err(|e| format!("{name}: {}", e.message))
    };

    // The machine's SHA-256 throughput: 256 MB hashed in memory.
    let buf = noise(256 << 20, 1);
    let t = Instant::now();
    std::hint::black_box(Sha256::digest(&buf));
    let sha_mb_s = 256.0 / t.elapsed().as_secs_f64();
    drop(buf);

    // Audit report: a run with one finding-raising question per finding, every one answered "no", photos on the first.
    let questions: Vec<Value> = (0..sizes.findings)
        .map(|q| {
            let severity = ["critical", "high", "medium", "low"][q % 4];
            json!({"text": format!("Check point {q} is in order"), "questionType": "yes_no",
                "options": [{"value": "yes", "label": "Yes", "score": 1}, {"value": "no", "label": "No", "score": 0, "raisesFinding": true, "findingSeverity": severity}]})
        })
        .collect();
    let sections: Vec<Value> =
        questions.chunks(20).enumerate().map(|(i, q)| json!({"title": format!("Area {i}"), "questions": q})).collect();
    let t0 = call(&mut core, "templates.create", json!({"name": "Bench report"}))?;
    let vid = t0["draftVersionId"].as_str().unwrap_or_default().to_owned();
    call(
        &mut core,
        "templates.save_draft",
        json!({"versionId": vid, "rowVersion": 1, "content": {"settings": {"scoringMethod": "percentage", "passingScore": 80}, "sections": sections}}),
    )?;
    let tpl = call(&mut core, "templates.publish", json!({"versionId": vid, "rowVersion": 2}))?;
    let qids: Vec<Value> = tpl["versions"][0]["content"]["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["questions"].as_array().cloned().unwrap_or_default())
        .map(|q| q["id"].clone())
        .collect();
    let run =
        call(&mut core, "runs.create", json!({"templateId": tpl["record"]["id"], "leadAuditorId": actor.id, "location": "Bench site"}))?;
    let run_id = run["record"]["id"].as_str().unwrap_or_default().to_owned();
    call(&mut core, "runs.transition", json!({"id": run_id, "rowVersion": 1, "to": "in_progress"}))?;
    for q in &qids {
        call(&mut core, "runs.answer", json!({"runId": run_id, "questionId": q, "answer": "no", "note": "Not in order"}))?;
    }
    let thumbs = qgp_core::thumbnail::dir(&core.paths.data_dir);
    for k in 0..sizes.photos {
        let img = image::RgbImage::from_fn(2000, 1500, |x, y| {
            let v = (x.wrapping_mul(2654435761) ^ y.wrapping_mul(40503) ^ (k as u32).wrapping_mul(97)).wrapping_mul(2246822519) >> 24;
            image::Rgb([v as u8, (v >> 1) as u8, (x / 16 + y / 16) as u8])
        });
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 75).encode_image(&img).map_err(|e| e.to_string())?;
        let attached = call(
            &mut core,
            "runs.attach",
            json!({"runId": run_id, "questionId": qids[k % qids.len()], "originalName": format!("photo{k}.jpg"),
            "contentBase64": base64::engine::general_purpose::STANDARD.encode(&bytes)}),
        )?;
        // The app makes previews in the background at attach; make sure they exist before timing the report.
        let sha = attached["response"]["files"]
            .as_array()
            .and_then(|f| f.last())
            .and_then(|f| f["sha256"].as_str())
            .unwrap_or_default()
            .to_owned();
        qgp_core::thumbnail::make(&thumbs, &sha, &bytes);
    }
    let run = call(&mut core, "runs.get", json!({"id": run_id}))?;
    call(
        &mut core,
        "runs.transition",
        json!({"id": run_id, "rowVersion": run["record"]["rowVersion"], "to": "completed", "passphrase": pass}),
    )?;
    let mut report_s = Vec::new();
    let mut report_bytes = 0;
    for i in 0..3 {
        let t = Instant::now();
        let r = call(&mut core, "reports.generate", json!({"kind": "audit_run", "id": run_id, "path": out.join(format!("audit{i}.pdf"))}))?;
        report_s.push(secs(t));
        report_bytes = r["bytes"].as_u64().unwrap_or(0);
    }

    // 100,000 incidents, seeded in one transaction, exported as XLSX with every field.
    {
        let AppCore { conn, clock, paths, config, .. } = &mut core;
        let mut ctx =
            Ctx::new(conn, clock.as_ref(), paths, config, Some(actor.clone()), qgp_core::ids::new_id()).map_err(|e| e.to_string())?;
        ctx.write(|tx, c| {
            for i in 0..sizes.incidents {
                let severity = ["low", "medium", "high"][i % 3];
                let row = json!({"title": format!("Incident {i} forklift near racking"), "description": "Seeded for the export benchmark",
                    "incidentDate": format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28), "severity": severity,
                    "location": "Warehouse", "department": "Logistics", "firstAidGiven": i % 2 == 0,
                    "people": [{"name": format!("Person {i}"), "injured": i % 3 == 0}]});
                qgp_core::incident::create_in(tx, c, row.as_object().expect("object"))?;
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    }
    let mut xlsx_s = Vec::new();
    let mut xlsx_bytes = 0;
    for i in 0..2 {
        let t = Instant::now();
        let r = call(
            &mut core,
            "exports.register",
            json!({"register": "incidents", "format": "xlsx", "includePersonalData": true, "path": out.join(format!("inc{i}.xlsx"))}),
        )?;
        xlsx_s.push(secs(t));
        xlsx_bytes = r["bytes"].as_u64().unwrap_or(0);
    }

    // 50,000 risks imported from CSV in one transaction.
    let csv_path = out.join("risks.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&csv_path).map_err(|e| e.to_string())?);
        writeln!(f, "Reference,Title,Description,Category,Likelihood,Impact,Owner,Treatment strategy").map_err(|e| e.to_string())?;
        for i in 0..sizes.risks {
            writeln!(
                f,
                "OLD-R{i},Risk {i} of racking collapse,Overloaded bays in aisle {},{},{},{},bench@example.com,{}",
                i % 40,
                ["safety", "operational", "financial", "compliance"][i % 4],
                1 + i % 5,
                1 + (i / 5) % 5,
                ["mitigate", "accept", "transfer"][i % 3]
            )
            .map_err(|e| e.to_string())?;
        }
    }
    let t = Instant::now();
    let imported = call(&mut core, "imports.run", json!({"register": "risks", "path": csv_path, "fileName": csv_path}))?;
    let import_s = secs(t);
    if imported["committed"] != true {
        let errors = imported["errors"].as_array().cloned().unwrap_or_default();
        return Err(format!(
            "the risk import failed with {} row errors, first: {}",
            errors.len(),
            Value::Array(errors.into_iter().take(3).collect())
        ));
    }

    // An evidence pack of ~1 GB of files (incompressible, 10 MB each) on one incident.
    let incident = call(
        &mut core,
        "incidents.create",
        json!({"title": "Pack bench", "description": "x", "incidentDate": "2026-11-01", "severity": "low"}),
    )?;
    let incident_id = incident["record"]["id"].as_str().unwrap_or_default().to_owned();
    let files = sizes.pack_mb.div_ceil(10);
    let mut total = 0u64;
    for k in 0..files {
        let bytes = noise(10 << 20, 100 + k as u64);
        total += bytes.len() as u64;
        let p = out.join(format!("file{k}.bin"));
        std::fs::write(&p, &bytes).map_err(|e| e.to_string())?;
        call(
            &mut core,
            "evidence.attach",
            json!({"entityType": "incident", "entityId": incident_id, "path": p, "originalName": format!("scan{k}.pdf")}),
        )?;
        let _ = std::fs::remove_file(&p);
    }
    let t = Instant::now();
    call(&mut core, "packs.create", json!({"subject": {"kind": "incidents", "incidentIds": [incident_id]}, "path": out.join("pack.zip")}))?;
    let pack_s = secs(t);
    let pack_mb_s = total as f64 / 1_048_576.0 / pack_s;
    let t = Instant::now();
    let verified = call(&mut core, "packs.verify", json!({"path": out.join("pack.zip")}))?;
    let verify_s = secs(t);
    if verified["ok"] != true {
        return Err("the bench pack did not verify".into());
    }
    let _ = std::fs::remove_file(out.join("pack.zip"));

    // A backup set of everything above: the database (150,000+ records) and the ~1 GB of evidence, then its check.
    let t = Instant::now();
    let taken = call(&mut core, "backup.create", json!({}))?;
    let backup_s = secs(t);
    let t = Instant::now();
    let checked = call(&mut core, "backup.verify", json!({"path": taken["path"]}))?;
    let backup_verify_s = secs(t);
    if checked["ok"] != true {
        return Err(format!("the bench backup set did not verify: {}", checked["problems"]));
    }
    let database_bytes = std::fs::metadata(&core.paths.db_path).map(|m| m.len()).unwrap_or(0);

    Ok(json!({
        "sha256MBPerSecond": sha_mb_s.round(),
        "auditReport": {"findings": sizes.findings, "photos": sizes.photos, "seconds": report_s, "bytes": report_bytes},
        "xlsxExport": {"incidents": sizes.incidents, "seconds": xlsx_s, "bytes": xlsx_bytes},
        "riskImport": {"rows": sizes.risks, "seconds": import_s, "perSecond": (sizes.risks as f64 / import_s).round()},
        "evidencePack": {"megabytes": (total as f64 / 1_048_576.0).round(), "seconds": pack_s, "MBPerSecond": pack_mb_s.round(),
                         "shareOfSha256": ((pack_mb_s / sha_mb_s) * 100.0).round() / 100.0, "verifySeconds": verify_s},
        "backupSet": {"databaseMegabytes": (database_bytes as f64 / 1_048_576.0).round(), "evidenceMegabytes": (total as f64 / 1_048_576.0).round(),
                      "setMegabytes": (taken["sizeBytes"].as_f64().unwrap_or(0.0) / 1_048_576.0).round(),
                      "seconds": backup_s, "verifySeconds": backup_verify_s},
    }))
}
