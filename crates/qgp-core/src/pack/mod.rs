//! Evidence packs (issue 6): one ZIP with the PDF report, the records as JSON (with their audit history), every
//! evidence file, a `SHA256SUMS` and a manifest listing each file's SHA-256, signed with the installation's
//! Ed25519 key. Deterministic: the same records and clock give the same manifest and the same bytes.

pub mod key;
pub mod trust;
pub mod verify;

use crate::audit_trail::{self, Change};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::export::{outcome, ExportOutcome};
use crate::outfile::OutFile;
use ed25519_dalek::Signer;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use ts_rs::TS;
use zip::write::SimpleFileOptions;

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";
pub const PUBLIC_KEY: &str = "public-key.pem";
pub const FORMAT: &str = "qgp-evidence-pack";

/// What a pack is about.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PackSubject {
    /// An audit run with its findings, their actions and every photo and file.
    AuditRun {
        #[serde(rename = "runId")]
        run_id: String,
    },
    /// A set of incidents with their actions and evidence.
    Incidents {
        #[serde(rename = "incidentIds")]
        incident_ids: Vec<String>,
    },
    /// A standard's compliance view, its Statement of Applicability (27001) and the linked records.
    Standard {
        #[serde(rename = "standardId")]
        standard_id: String,
    },
}

/// Input of `packs.create`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatePackInput {
    pub subject: PackSubject,
    /// Where to write (absolute, or relative to the exports folder); default `pack-<reference>-<date>.zip`.
    pub path: Option<String>,
}

/// One file the manifest lists.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// The manifest's subject.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestSubject {
    pub kind: String,
    pub title: String,
    pub references: Vec<String>,
}

/// Who signed, with which key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestSigning {
    pub algorithm: String,
    pub public_key_file: String,
    pub fingerprint: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub app_version: String,
    pub installation_id: String,
    pub organisation: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub subject: ManifestSubject,
    pub signing: ManifestSigning,
    /// The audit trail's newest event when the pack was made, so a trail later cut short is caught against the pack
    /// too (signed with the rest of the manifest). Packs from before session 10 have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail_head: Option<crate::backup_set::TrailHead>,
    pub files: Vec<ManifestFile>,
}

/// Where a pack file's bytes come from.
enum Source {
    Bytes(Vec<u8>),
    /// A stored evidence file and the SHA-256 it must have.
    Evidence(PathBuf, String),
}

/// The pack's contents before writing, by path (sorted).
#[derive(Default)]
struct Contents {
    files: BTreeMap<String, Source>,
    references: Vec<String>,
    evidence_seen: BTreeMap<String, String>,
}

impl Contents {
    fn json(&mut self, path: impl Into<String>, value: &Value) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(value)?;
        bytes.push(b'\n');
        self.files.insert(path.into(), Source::Bytes(bytes));
        Ok(())
    }

    /// The evidence files attached to one record.
    fn evidence_of(&mut self, ctx: &mut Ctx, entity_type: &str, entity_id: &str) -> Result<()> {
        let list = crate::commands::dispatch(ctx, "evidence.list", json!({"entityType": entity_type, "entityId": entity_id}))?;
        for item in list.as_array().into_iter().flatten() {
            let sha = item["file"]["sha256"].as_str().unwrap_or_default().to_owned();
            if sha.is_empty() || self.evidence_seen.contains_key(&sha) {
                continue;
            }
            let name = safe_name(item["file"]["originalName"].as_str().unwrap_or("file"));
            let path = format!("evidence/{}-{name}", &sha[..12]);
            let stored = crate::evidence::stored_path(&ctx.call.paths.evidence_dir, &sha);
            self.evidence_seen.insert(sha.clone(), path.clone());
            self.files.insert(path, Source::Evidence(stored, sha));
        }
        Ok(())
    }

    /// `<kind>.get` and `<kind>.history` of one record into `records/<folder>/<reference>.json`.
    fn record(&mut self, ctx: &mut Ctx, command: &str, folder: &str, id: &str) -> Result<Value> {
        let view = crate::commands::dispatch(ctx, &format!("{command}.get"), json!({"id": id}))?;
        let history = crate::commands::dispatch(ctx, &format!("{command}.history"), json!({"id": id}))?;
        let reference = reference_of(&view).unwrap_or_else(|| id.to_owned());
        self.json(format!("records/{folder}/{}.json", safe_name(&reference)), &json!({"record": view, "history": history}))?;
        Ok(view)
    }

    /// Actions raised from a record, each with its evidence.
    fn actions_of(&mut self, ctx: &mut Ctx, source_type: &str, source_id: &str) -> Result<()> {
        let page = crate::paging::unpaged(|| {
            crate::commands::dispatch(
                ctx,
                "actions.list",
                json!({"sourceType": [source_type], "sourceId": source_id, "archived": "include"}),
            )
        })?;
        for item in page["items"].as_array().into_iter().flatten() {
            let id = item["id"].as_str().unwrap_or_default().to_owned();
            self.record(ctx, "actions", "actions", &id)?;
            self.evidence_of(ctx, "action", &id)?;
        }
        Ok(())
    }
}

/// A record view's reference (top level or inside `record`).
fn reference_of(view: &Value) -> Option<String> {
    view["reference"].as_str().or(view["record"]["reference"].as_str()).map(str::to_owned)
}

/// A file name safe in any ZIP tool and file system.
fn safe_name(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).take(80).collect();
    if cleaned.trim_matches('.').is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

fn gather(ctx: &mut Ctx, subject: &PackSubject) -> Result<(Contents, String, String)> {
    let mut c = Contents::default();
    let (title, kind) = match subject {
        PackSubject::AuditRun { run_id } => {
            let run = c.record(ctx, "runs", "audit-runs", run_id)?;
            let reference = run["record"]["reference"].as_str().unwrap_or_default().to_owned();
            for response in run["responses"].as_array().cloned().unwrap_or_default() {
                c.evidence_of(ctx, "audit_response", response["id"].as_str().unwrap_or_default())?;
            }
            let findings = crate::paging::unpaged(|| {
                crate::commands::dispatch(ctx, "findings.list", json!({"runId": run_id, "archived": "include"}))
            })?;
            for f in findings["items"].as_array().into_iter().flatten() {
                let id = f["id"].as_str().unwrap_or_default().to_owned();
                let finding = c.record(ctx, "findings", "findings", &id)?;
                c.references.extend(reference_of(&finding));
                c.evidence_of(ctx, "finding", &id)?;
                c.actions_of(ctx, "finding", &id)?;
            }
            c.references.insert(0, reference.clone());
            (format!("Audit {reference}: {}", run["record"]["title"].as_str().unwrap_or_default()), "audit_run")
        }
        PackSubject::Incidents { incident_ids } => {
            if incident_ids.is_empty() {
                return Err(CoreError::field("subject.incidentIds", FieldCode::Required, "Choose at least one incident"));
            }
            for id in incident_ids {
                let incident = c.record(ctx, "incidents", "incidents", id)?;
                c.references.extend(reference_of(&incident));
                c.evidence_of(ctx, "incident", id)?;
                c.actions_of(ctx, "incident", id)?;
            }
            (format!("Incidents {}", c.references.join(", ")), "incidents")
        }
        PackSubject::Standard { standard_id } => {
            let standard = crate::commands::dispatch(ctx, "standards.get", json!({"id": standard_id}))?;
            let code = standard["code"].as_str().or(standard["standard"]["code"].as_str()).unwrap_or(standard_id).to_owned();
            let view = crate::commands::dispatch(ctx, "compliance.view", json!({"standardId": standard_id}))?;
            c.json("records/compliance.json", &view)?;
            if let Ok(soa) = crate::commands::dispatch(ctx, "soa.get", json!({"standardId": standard_id})) {
                c.json("records/statement-of-applicability.json", &soa)?;
            }
            let mut linked = std::collections::BTreeSet::new();
            for item in view["items"].as_array().into_iter().flatten() {
                for e in item["evidence"].as_array().into_iter().flatten() {
                    if let (Some(t), Some(id)) = (e["entityType"].as_str(), e["id"].as_str()) {
                        linked.insert((t.to_owned(), id.to_owned()));
                    }
                }
            }
            for (t, id) in linked {
                let command = match t.as_str() {
                    "incident" => "incidents",
                    "risk" => "risks",
                    "finding" => "findings",
                    "document" => "documents",
                    "audit_run" => "runs",
                    "action" => "actions",
                    _ => continue,
                };
                let view = c.record(ctx, command, command, &id)?;
                c.references.extend(reference_of(&view));
                if matches!(t.as_str(), "incident" | "risk" | "finding" | "action") {
                    c.evidence_of(ctx, &t, &id)?;
                }
            }
            c.references.sort();
            c.references.insert(0, code.clone());
            (format!("Compliance evidence: {code}"), "standard")
        }
    };
    Ok((c, title, kind.to_owned()))
}

fn readme(manifest: &Manifest) -> String {
    format!(
        "QGP Desktop evidence pack\n\
         =========================\n\n\
         {title}\n\
         Organisation: {org}\n\
         Created {at} by {by}\n\n\
         How to check this pack has not been altered\n\
         -------------------------------------------\n\
         With QGP Desktop: open \"Verify a pack\" and choose this file, or run `qgp pack verify THIS.zip`.\n\n\
         With standard tools, after unzipping:\n\
         1. Every file's fingerprint:   sha256sum -c SHA256SUMS\n\
         2. The signature on the list:  openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig\n\
         3. Whose key signed it:        openssl pkey -pubin -in public-key.pem -outform DER | sha256sum\n\
         \x20  The result must equal the key fingerprint printed on the report's cover and shown in the app's\n\
         \x20  settings: {fp}\n\n\
         manifest.json lists every file with its SHA-256; a file that is not listed was added after signing. Its\n         trailHead is the organisation's audit trail up to the moment the pack was made (event number and hash):\n         a later audit-trail check that ends before it shows events were cut off.\n",
        title = manifest.subject.title,
        org = manifest.organisation.as_deref().unwrap_or("(not set)"),
        at = manifest.created_at,
        by = manifest.created_by,
        fp = manifest.signing.fingerprint,
    )
}

/// Writes one stored evidence file into the ZIP; refuses a file whose bytes no longer match its recorded SHA-256
/// (the store is damaged: the pack would prove nothing). The check runs on a second thread while this one copies
/// (and fingerprints the pack): on two cores the copy costs one hash pass, not two.
fn copy_evidence<W: Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    source: &std::path::Path,
    expected: &str,
    name: &str,
    progress: &crate::jobs::Progress,
) -> Result<u64> {
    let mut file = std::fs::File::open(source)
        .map_err(|e| CoreError::Io(std::io::Error::new(e.kind(), format!("Evidence file {name} is missing from the store: {e}"))))?;
    const PIECE: usize = 1 << 20;
    let mut check = crate::outfile::StreamHasher::start();
    let mut total = 0u64;
    loop {
        let mut buf = Vec::with_capacity(PIECE);
        let n = (&mut file).take(PIECE as u64).read_to_end(&mut buf)?;
        if n == 0 {
            break;
        }
        let piece = std::sync::Arc::new(buf);
        check.feed(piece.clone());
        zip.write_all(&piece)?;
        total += n as u64;
        progress.advance(n as u64)?;
    }
    let digest = check.finish().ok_or_else(|| CoreError::Internal("the evidence check stopped unexpectedly".into()))?;
    if digest != expected {
        return Err(CoreError::Internal(format!(
            "Evidence file {name} no longer matches its recorded SHA-256; run the evidence integrity check."
        )));
    }
    Ok(total)
}

fn zip_error(e: zip::result::ZipError) -> CoreError {
    CoreError::Io(std::io::Error::other(format!("The pack could not be written: {e}")))
}

/// `packs.create`: builds, signs and writes the pack.
pub fn create(ctx: &mut Ctx, input: Value) -> Result<ExportOutcome> {
    ctx.call.require(Capability::ExportData)?;
    let parsed: CreatePackInput = serde_json::from_value(input)
        .map_err(|e| CoreError::field("subject", FieldCode::InvalidFormat, format!("Choose what the pack is about: {e}")))?;
    let progress = ctx.call.progress.clone();
    progress.phase("Collecting records", 0)?;
    let (mut contents, title, kind) = gather(ctx, &parsed.subject)?;
    let first_ref = contents.references.first().cloned().unwrap_or_else(|| "records".into());
    let default_name = format!("pack-{}-{}.zip", safe_name(&first_ref), ctx.call.today());
    let path = crate::outfile::resolve(ctx.call.paths, parsed.path.as_deref(), &default_name, "zip")?;

    progress.phase("Typesetting the report", 0)?;
    let key = key::load_or_create(ctx)?;
    let fingerprint = key::fingerprint(&key.verifying_key());
    let report = crate::report::for_pack(ctx, &parsed.subject, &fingerprint)?;
    let report_warning = crate::report::unprintable_warning(&report);
    contents.files.insert("report.pdf".into(), Source::Bytes(report.pdf));

    let actor = ctx.call.actor()?.clone();
    let mut manifest = Manifest {
        format: FORMAT.into(),
        format_version: 1,
        app_version: env!("CARGO_PKG_VERSION").into(),
        installation_id: audit_trail::installation_id(ctx.conn())?,
        organisation: ctx.call.settings.org_name.clone(),
        created_at: ctx.call.now_text(),
        created_by: actor.display_name.clone(),
        subject: ManifestSubject { kind, title: title.clone(), references: contents.references.clone() },
        signing: ManifestSigning { algorithm: "Ed25519".into(), public_key_file: PUBLIC_KEY.into(), fingerprint: fingerprint.clone() },
        trail_head: Some({
            let (seq, hash) = crate::trail_anchor::head(ctx.conn())?;
            crate::backup_set::TrailHead { seq, hash }
        }),
        files: Vec::new(),
    };
    let public_pem = key::public_key_pem(&key.verifying_key());
    contents.files.insert(PUBLIC_KEY.into(), Source::Bytes(public_pem.into_bytes()));
    contents.files.insert("README.txt".into(), Source::Bytes(readme(&manifest).into_bytes()));

    let evidence_bytes: u64 = contents
        .files
        .values()
        .map(|s| match s {
            Source::Evidence(p, _) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Source::Bytes(_) => 0,
        })
        .sum();
    progress.phase("Writing evidence files", evidence_bytes)?;

    // Every entry carries the pack's creation time (the ZIP format's two-second local time), mode 0644.
    let dt = ctx.call.now().to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime();
    let stamp = zip::DateTime::from_date_and_time(
        dt.year() as u16,
        dt.month() as u8,
        dt.day() as u8,
        dt.hour() as u8,
        dt.minute() as u8,
        dt.second() as u8,
    )
    .unwrap_or_default();
    let stored =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).last_modified_time(stamp).unix_permissions(0o644);
    let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
    let mut out = OutFile::create(&path)?;
    let mut sums = String::new();
    {
        // Streamed (entries carry data descriptors, nothing is rewritten), so the pack's own fingerprint is
        // computed as it is written instead of by reading a gigabyte back.
        let mut zip = zip::ZipWriter::new_stream(&mut out);
        for (name, source) in &contents.files {
            let (sha, bytes) = match source {
                Source::Bytes(b) => {
                    let compressible = !(name.ends_with(".pdf"));
                    zip.start_file(name.as_str(), if compressible { deflated } else { stored }).map_err(zip_error)?;
                    zip.write_all(b)?;
                    (hex::encode(Sha256::digest(b)), b.len() as u64)
                }
                Source::Evidence(p, sha) => {
                    let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
                    zip.start_file(name.as_str(), stored.large_file(size >= u32::MAX as u64)).map_err(zip_error)?;
                    (sha.clone(), copy_evidence(&mut zip, p, sha, name, &progress)?)
                }
            };
            sums.push_str(&format!("{sha}  {name}\n"));
            manifest.files.push(ManifestFile { path: name.clone(), sha256: sha, bytes });
        }
        zip.start_file("SHA256SUMS", deflated).map_err(zip_error)?;
        zip.write_all(sums.as_bytes())?;
        manifest.files.push(ManifestFile {
            path: "SHA256SUMS".into(),
            sha256: hex::encode(Sha256::digest(sums.as_bytes())),
            bytes: sums.len() as u64,
        });
        manifest.files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut manifest_bytes = serde_json::to_vec_pretty(&manifest)?;
        manifest_bytes.push(b'\n');
        let signature = key.sign(&manifest_bytes);
        zip.start_file(MANIFEST, deflated).map_err(zip_error)?;
        zip.write_all(&manifest_bytes)?;
        zip.start_file(SIGNATURE, stored).map_err(zip_error)?;
        zip.write_all(&signature.to_bytes())?;
        zip.finish().map_err(zip_error)?;
    }
    let written = out.commit()?;
    let mut result = outcome(&written, manifest.files.len() as u64);
    result.warnings.extend(report_warning);
    // Handing evidence to a third party is itself a governed event.
    let details = vec![
        Change::new("subject", Value::Null, Value::String(title.clone())),
        Change::new("files", Value::Null, Value::from(manifest.files.len())),
    ];
    crate::export::record_export(ctx, "evidence_pack", &written.path, &result.sha256, Some(&first_ref), details)?;
    tracing::info!(files = manifest.files.len(), bytes = result.bytes, "evidence pack created");
    Ok(result)
}
