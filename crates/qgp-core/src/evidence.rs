//! Evidence files (domain.md §14): bytes stored once, outside the database, under their SHA-256; metadata and
//! attachments in the database. Attaching and detaching are audited on the record; detaching never removes the file.
//! The integrity check re-hashes every stored file and reports missing, altered and orphan files.

use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::Capability;
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{as_object, Choice, Input};
use base64::Engine;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use ts_rs::TS;

crate::choice_enum! {
    /// How a file came in.
    pub enum EvidenceSource { Upload => "upload", Camera => "camera", Scan => "scan", Import => "import", Derived => "derived" }
}

crate::choice_enum! {
    /// The records evidence can be attached to in this release.
    pub enum EvidenceTarget {
        Incident => "incident", Risk => "risk", Action => "action", Investigation => "investigation",
        Complaint => "complaint", Collision => "collision", DocumentVersion => "document_version",
        AuditResponse => "audit_response", Finding => "finding",
    }
}

fn table_of(t: EvidenceTarget) -> &'static str {
    match t {
        EvidenceTarget::Incident => "incidents",
        EvidenceTarget::Risk => "risks",
        EvidenceTarget::Action => "actions",
        EvidenceTarget::Investigation => "investigations",
        EvidenceTarget::Complaint => "complaints",
        EvidenceTarget::Collision => "collisions",
        EvidenceTarget::DocumentVersion => "document_versions",
        EvidenceTarget::AuditResponse => "audit_responses",
        EvidenceTarget::Finding => "findings",
    }
}

/// A stored evidence file as the UI shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceFile {
    pub id: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub media_type: String,
    pub original_name: String,
    pub caption: Option<String>,
    pub captured_at: String,
    pub captured_by: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub gps_accuracy_m: Option<f64>,
    pub source: EvidenceSource,
    pub derived_from_id: Option<String>,
    pub created_at: String,
    pub created_by: String,
}

/// A file attached to a record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachedFile {
    pub file: EvidenceFile,
    pub attached_at: String,
    pub attached_by_name: Option<String>,
}

/// Input of `evidence.attach`: the bytes (base64, from the app) or a file path (from the CLI), and the record.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct AttachEvidenceInput {
    pub entity_type: Option<EvidenceTarget>,
    pub entity_id: Option<String>,
    pub content_base64: Option<String>,
    pub path: Option<String>,
    pub original_name: Option<String>,
    pub caption: Option<String>,
    pub source: Option<EvidenceSource>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub gps_accuracy_m: Option<f64>,
}

/// Input of `evidence.list`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceListInput {
    pub entity_type: EvidenceTarget,
    pub entity_id: String,
}

/// Input of `evidence.detach`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DetachEvidenceInput {
    pub evidence_id: String,
    pub entity_type: EvidenceTarget,
    pub entity_id: String,
}

/// Input of `evidence.open_copy`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenCopyInput {
    pub evidence_id: String,
}

/// A read-only copy of a stored file under its original name, for the OS's default application.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenedCopy {
    pub path: String,
}

/// Result of the integrity check.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntegrityReport {
    pub files_checked: i64,
    pub ok: i64,
    /// Metadata whose bytes are gone (SHA-256s).
    pub missing: Vec<String>,
    /// Bytes that no longer match their SHA-256.
    pub mismatch: Vec<String>,
    /// Stored bytes no metadata refers to.
    pub orphan: Vec<String>,
}

/// Where the bytes of a hash live: `evidence/ab/abcdef…`.
pub fn stored_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

/// File types that can be attached as evidence, by extension: photos, scans, office documents, e-mails, audio and
/// video. The content check below catches executables by their bytes; this list also keeps out what runs by its
/// name alone when the system opens it (`.bat`, `.hta`, `.desktop`, `.js`, `.html`, `.svg`, archives …).
pub const ATTACHABLE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "tif", "tiff", "bmp", // photos and scans
    "pdf", "txt", "csv", "rtf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", // documents
    "eml", "msg", // e-mails
    "mp3", "m4a", "wav", "mp4", "mov", // recordings
];

/// The refusal for a file name whose extension is not in [`ATTACHABLE_EXTENSIONS`], if it is not.
pub fn extension_refusal(name: &str) -> Option<String> {
    let extension = Path::new(name).extension().map(|e| e.to_string_lossy().to_lowercase());
    match extension {
        Some(e) if ATTACHABLE_EXTENSIONS.contains(&e.as_str()) => None,
        Some(e) => Some(format!("Files of type .{e} cannot be attached; accepted types: {}", ATTACHABLE_EXTENSIONS.join(", "))),
        None => Some(format!("The file name needs an extension that says its type ({})", ATTACHABLE_EXTENSIONS.join(", "))),
    }
}

/// Who is involved in the record a file hangs on: a question's response belongs to its run, a version to its
/// document (and the version's author).
fn involved_in(conn: &Connection, target: EvidenceTarget, id: &str) -> Result<Vec<String>> {
    let parent = |sql: &str| -> Result<Option<String>> { Ok(conn.query_row(sql, [id], |r| r.get(0)).optional()?) };
    match target {
        EvidenceTarget::AuditResponse => match parent("SELECT run_id FROM audit_responses WHERE id = ?1")? {
            Some(run) => crate::involvement::ids(conn, "audit_runs", &run),
            None => Ok(Vec::new()),
        },
        EvidenceTarget::DocumentVersion => {
            let mut ids = crate::involvement::ids(conn, "document_versions", id)?;
            if let Some(document) = parent("SELECT document_id FROM document_versions WHERE id = ?1")? {
                ids.extend(crate::involvement::ids(conn, "documents", &document)?);
            }
            Ok(ids)
        }
        other => crate::involvement::ids(conn, table_of(other), id),
    }
}

/// The media type from the content; executables and scripts are refused.
fn media_type(bytes: &[u8]) -> std::result::Result<String, String> {
    // Native executables by their magic numbers, however short the file: ELF, Windows (MZ), Mach-O.
    const EXECUTABLE_MAGIC: &[&[u8]] =
        &[b"\x7fELF", b"MZ", &[0xfe, 0xed, 0xfa, 0xce], &[0xfe, 0xed, 0xfa, 0xcf], &[0xce, 0xfa, 0xed, 0xfe], &[0xcf, 0xfa, 0xed, 0xfe]];
    if EXECUTABLE_MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return Err("Executable programs cannot be attached".into());
    }
    if bytes.starts_with(b"#!") {
        return Err("Scripts cannot be attached".into());
    }
    if let Some(kind) = infer::get(bytes) {
        if kind.matcher_type() == infer::MatcherType::App
            && matches!(kind.extension(), "exe" | "elf" | "dll" | "mach" | "dex" | "dey" | "wasm")
        {
            return Err(format!("Executable files ({}) cannot be attached", kind.mime_type()));
        }
        return Ok(kind.mime_type().to_owned());
    }
    Ok(if std::str::from_utf8(bytes).is_ok() { "text/plain" } else { "application/octet-stream" }.to_owned())
}

fn record_reference(conn: &Connection, target: EvidenceTarget, id: &str) -> Result<Option<(String, bool)>> {
    if target == EvidenceTarget::DocumentVersion {
        // A version is named by its document and label; only a draft's files may change (approved content is signed).
        return Ok(conn
            .query_row(
                "SELECT d.reference || ' version ' || v.version_label, d.archived_at IS NOT NULL OR v.status <> 'draft'
                 FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE v.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?);
    }
    if target == EvidenceTarget::AuditResponse {
        // A response is named by its run; its files change only while the run takes answers.
        return Ok(conn
            .query_row(
                "SELECT r.reference, r.archived_at IS NOT NULL OR r.status NOT IN ('scheduled', 'in_progress')
                 FROM audit_responses x JOIN audit_runs r ON r.id = x.run_id WHERE x.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?);
    }
    Ok(conn
        .query_row(&format!("SELECT reference, archived_at IS NOT NULL FROM {} WHERE id = ?1", table_of(target)), [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// Writes bytes into the store under their hash, atomically (temp file, fsync, rename); identical bytes are stored once.
fn store_bytes(dir: &Path, sha256: &str, bytes: &[u8]) -> Result<()> {
    let path = stored_path(dir, sha256);
    if path.exists() {
        return Ok(());
    }
    let parent = path.parent().ok_or_else(|| CoreError::Internal("evidence path has no parent".into()))?;
    std::fs::create_dir_all(parent)?;
    let tmp = parent.join(format!(".{sha256}.{}.tmp", crate::ids::new_id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    // A full disk (or any failure) leaves no partial file behind.
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    Ok(written?)
}

fn event(
    tx: &rusqlite::Transaction,
    call: &Call,
    target: EvidenceTarget,
    id: &str,
    reference: &str,
    action: AuditAction,
    file: &EvidenceFile,
) -> Result<()> {
    let value = json!({"evidenceId": file.id, "name": file.original_name, "sha256": file.sha256, "sizeBytes": file.size_bytes});
    let (old, new) = if action == AuditAction::Attach { (Value::Null, value) } else { (value, Value::Null) };
    audit_trail::append(
        tx,
        call,
        NewEvent {
            entity_type: target.as_str(),
            entity_id: id,
            entity_reference: Some(reference),
            action,
            changes: vec![Change::new("evidence", old, new)],
            reason: None,
        },
    )?;
    Ok(())
}

/// `evidence.attach`: stores a file (if its bytes are new) and attaches it to a record that exists and is not archived.
pub fn attach(ctx: &mut Ctx, input: Value) -> Result<AttachedFile> {
    attach_with(ctx, input, None)
}

/// A record the file's first attachment brings into being (a question's response), made in the same transaction
/// as the attachment, so a refused file leaves nothing behind. `reference` names it in the events; `create` makes it
/// (or finds it) and returns its id.
pub(crate) struct NewTarget<'f> {
    pub reference: String,
    pub create: MakeTarget<'f>,
}

/// Makes (or finds) the record a file is attached to, inside the attachment's transaction, given the file's detected
/// media type; returns its id.
pub(crate) type MakeTarget<'f> = Box<dyn FnOnce(&rusqlite::Transaction, &crate::context::Call, &str) -> Result<String> + 'f>;

/// As [`attach`]; with `new_target`, the input names no `entityId` and the record is made as the file is attached.
pub(crate) fn attach_with(ctx: &mut Ctx, input: Value, new_target: Option<NewTarget>) -> Result<AttachedFile> {
    ctx.call.require(Capability::CreateIncidents)?;
    let map = as_object(&input)?;
    let keys =
        ["entityType", "entityId", "contentBase64", "path", "originalName", "caption", "source", "latitude", "longitude", "gpsAccuracyM"];
    let mut v = Input::new(map, &keys);
    let target = v.required_choice::<EvidenceTarget>("entityType", "Record type");
    let entity_id = match &new_target {
        None => v.id("entityId", "Record", true),
        Some(_) => Some(String::new()),
    };
    let caption = v.text("caption", "Caption", 0, 300, false);
    let source = v.choice("source", "Source", Some(EvidenceSource::Upload)).unwrap_or(EvidenceSource::Upload);
    let number = |v: &mut Input, key: &str, label: &str, min: f64, max: f64| -> Option<f64> {
        let raw = v.raw(key)?;
        match raw.as_f64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                v.error(key, FieldCode::OutOfRange, format!("{label} must be a number between {min} and {max}"));
                None
            }
        }
    };
    let latitude = number(&mut v, "latitude", "Latitude", -90.0, 90.0);
    let longitude = number(&mut v, "longitude", "Longitude", -180.0, 180.0);
    let gps_accuracy_m = number(&mut v, "gpsAccuracyM", "GPS accuracy", 0.0, 1_000_000.0);
    if latitude.is_some() != longitude.is_some() && !v.has_error("latitude") && !v.has_error("longitude") {
        v.error(
            if latitude.is_none() { "latitude" } else { "longitude" },
            FieldCode::Required,
            "Give both latitude and longitude, or neither",
        );
    }
    let path = v.text("path", "File", 1, 4096, false);
    let name_given = v.text("originalName", "File name", 1, 255, false);
    let bytes: Option<Vec<u8>> = match (v.raw("contentBase64").and_then(Value::as_str), &path) {
        (Some(b64), None) => match base64::engine::general_purpose::STANDARD.decode(b64) {
            Ok(b) => Some(b),
            Err(_) => {
                v.error("contentBase64", FieldCode::InvalidFormat, "The file content is not valid base64");
                None
            }
        },
        (None, Some(p)) => {
            // Read at most one byte past the limit: a huge file is refused without being loaded.
            let max = ctx.call.settings.max_file_bytes;
            let mut buf = Vec::new();
            match std::fs::File::open(p).and_then(|f| f.take(max.saturating_add(1)).read_to_end(&mut buf)) {
                Ok(_) => Some(buf),
                Err(e) => {
                    v.error("path", FieldCode::NotFound, format!("The file cannot be read: {e}"));
                    None
                }
            }
        }
        _ => {
            v.error("contentBase64", FieldCode::Required, "Give the file: its content or its path, not both");
            None
        }
    };
    // The name keeps no path parts (§14).
    let original_name = name_given
        .or_else(|| path.as_deref().and_then(|p| Path::new(p).file_name()).map(|n| n.to_string_lossy().into_owned()))
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or_default().to_owned())
        .filter(|n| !n.is_empty());
    if original_name.is_none() && !v.has_error("originalName") {
        v.error("originalName", FieldCode::Required, "File name is required");
    }
    if let Some(why) = original_name.as_deref().and_then(extension_refusal) {
        v.error("originalName", FieldCode::InvalidFormat, why);
    }
    let max = ctx.call.settings.max_file_bytes;
    let mut detected = None;
    if let Some(b) = &bytes {
        if b.is_empty() {
            v.error("contentBase64", FieldCode::TooShort, "The file is empty");
        } else if b.len() as u64 > max {
            v.error("contentBase64", FieldCode::TooLong, format!("The file is larger than the limit ({} MB)", max / 1_048_576));
        } else {
            match media_type(b) {
                Ok(m) => detected = Some(m),
                Err(why) => v.error("contentBase64", FieldCode::InvalidFormat, why),
            }
        }
    }
    let found = match (target, &entity_id) {
        _ if new_target.is_some() => new_target.as_ref().map(|n| (n.reference.clone(), false)),
        (Some(t), Some(id)) => {
            let found = record_reference(ctx.conn(), t, id)?;
            match &found {
                None => v.error("entityId", FieldCode::NotFound, format!("No {t} has the id {id}")),
                Some((reference, true)) => {
                    v.error("entityId", FieldCode::ArchivedTarget, format!("{reference} is archived or its content is locked"))
                }
                Some(_) => {}
            }
            found
        }
        _ => None,
    };
    v.finish()?;
    let (Some(target), Some(entity_id), Some(bytes), Some(media_type), Some((reference, _)), Some(original_name)) =
        (target, entity_id, bytes, detected, found, original_name)
    else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    // A preview for the screen and reports, decoded on another thread while this one hashes and stores the file
    // (decoding a camera photo takes a couple of hundred ms); `evidence.thumbnail` makes it on demand if asked
    // first. Undecodable photos have none.
    let preview = matches!(media_type.as_str(), "image/jpeg" | "image/png")
        .then(|| crate::thumbnail::start(crate::thumbnail::dir(&ctx.call.paths.data_dir), bytes.clone()));
    let sha256 = hex::encode(Sha256::digest(&bytes));
    // A photo keeps when and where it was taken; a position given with the upload wins over the photo's own.
    let meta =
        if media_type.starts_with("image/") { crate::photo_meta::read(&bytes, &ctx.call.settings.zone()) } else { Default::default() };
    let (latitude, longitude) = match (latitude, longitude) {
        (Some(a), Some(b)) => (Some(a), Some(b)),
        _ => (meta.latitude, meta.longitude),
    };
    store_bytes(&ctx.call.paths.evidence_dir, &sha256, &bytes)?;
    let file = ctx.write(|tx, call| {
        let entity_id = match new_target {
            Some(n) => (n.create)(tx, call, &media_type)?,
            None => entity_id,
        };
        let actor = call.actor()?;
        let now = call.now_text();
        let file = EvidenceFile {
            id: crate::ids::new_id(),
            sha256: sha256.clone(),
            size_bytes: bytes.len() as i64,
            media_type: media_type.clone(),
            original_name: original_name.clone(),
            caption: caption.clone(),
            captured_at: meta.captured_at.clone().unwrap_or_else(|| now.clone()),
            captured_by: actor.id.clone(),
            latitude,
            longitude,
            gps_accuracy_m,
            source,
            derived_from_id: None,
            created_at: now.clone(),
            created_by: actor.id.clone(),
        };
        crate::rowmap::insert(tx, "evidence_files", &crate::rowmap::to_columns(&file)?)?;
        tx.execute(
            "INSERT INTO evidence_links (evidence_id, entity_type, entity_id, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            [&file.id, target.as_str(), &entity_id, &now, &actor.id],
        )?;
        event(tx, call, target, &entity_id, &reference, AuditAction::Attach, &file)?;
        Ok(file)
    })?;
    if let Some(preview) = preview {
        let _ = preview.send(file.sha256.clone());
    }
    Ok(AttachedFile { attached_by_name: Some(ctx.call.actor()?.display_name.clone()), attached_at: file.created_at.clone(), file })
}

/// `evidence.list`: the files attached to a record, oldest first.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Vec<AttachedFile>> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(&input)?, &["entityType", "entityId"]);
    let target = v.required_choice::<EvidenceTarget>("entityType", "Record type");
    let entity_id = v.id("entityId", "Record", true);
    v.finish()?;
    let (Some(target), Some(entity_id)) = (target, entity_id) else { return Err(CoreError::Internal("validated fields missing".into())) };
    let mut stmt = ctx.conn().prepare_cached(
        "SELECT f.*, l.created_at AS attached_at, u.display_name AS attached_by_name FROM evidence_links l
         JOIN evidence_files f ON f.id = l.evidence_id LEFT JOIN users u ON u.id = l.created_by
         WHERE l.entity_type = ?1 AND l.entity_id = ?2 ORDER BY l.created_at, f.id",
    )?;
    let kinds = crate::rowmap::column_kinds(&stmt);
    let rows = stmt.query_map([target.as_str(), entity_id.as_str()], |r| {
        Ok(AttachedFile {
            file: crate::rowmap::from_row(r, &kinds)?,
            attached_at: r.get("attached_at")?,
            attached_by_name: r.get("attached_by_name")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// `evidence.detach`: removes the attachment (the file and its history stay).
pub fn detach(ctx: &mut Ctx, input: Value) -> Result<Vec<AttachedFile>> {
    ctx.call.require(Capability::EditRecords)?;
    let mut v = Input::new(as_object(&input)?, &["evidenceId", "entityType", "entityId"]);
    let evidence_id = v.id("evidenceId", "File", true);
    let target = v.required_choice::<EvidenceTarget>("entityType", "Record type");
    let entity_id = v.id("entityId", "Record", true);
    v.finish()?;
    let (Some(evidence_id), Some(target), Some(entity_id)) = (evidence_id, target, entity_id) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let Some((reference, archived)) = record_reference(ctx.conn(), target, &entity_id)? else {
        return Err(CoreError::field("entityId", FieldCode::NotFound, format!("No {target} has the id {entity_id}")));
    };
    crate::workflow::check_not_archived(&reference, archived.then_some("archived"))?;
    let involved = involved_in(ctx.conn(), target, &entity_id)?;
    ctx.call.require_on(Capability::EditRecords, &crate::involvement::as_refs(&involved))?;
    let file: Option<EvidenceFile> = {
        let mut stmt = ctx.conn().prepare_cached(
            "SELECT f.* FROM evidence_files f JOIN evidence_links l ON l.evidence_id = f.id WHERE f.id = ?1 AND l.entity_type = ?2 AND l.entity_id = ?3",
        )?;
        let kinds = crate::rowmap::column_kinds(&stmt);
        stmt.query_row([evidence_id.as_str(), target.as_str(), entity_id.as_str()], |r| crate::rowmap::from_row(r, &kinds)).optional()?
    };
    let Some(file) = file else {
        return Err(CoreError::field("evidenceId", FieldCode::NotFound, format!("That file is not attached to {reference}")));
    };
    ctx.write(|tx, call| {
        tx.execute(
            "DELETE FROM evidence_links WHERE evidence_id = ?1 AND entity_type = ?2 AND entity_id = ?3",
            [&file.id, target.as_str(), &entity_id],
        )?;
        event(tx, call, target, &entity_id, &reference, AuditAction::Detach, &file)
    })?;
    list(ctx, json!({"entityType": target, "entityId": entity_id}))
}

/// Re-hashes every stored file: ok, missing (metadata without bytes), mismatch (bytes ≠ hash), orphan (bytes
/// without metadata). Reads only; the command below records the result.
pub fn check_store(conn: &Connection, dir: &Path) -> Result<IntegrityReport> {
    let mut stmt = conn.prepare("SELECT DISTINCT sha256 FROM evidence_files ORDER BY sha256")?;
    let known: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut report = IntegrityReport::default();
    for sha in &known {
        report.files_checked += 1;
        let path = stored_path(dir, sha);
        match std::fs::File::open(&path) {
            Err(_) => report.missing.push(sha.clone()),
            Ok(mut f) => {
                let mut hasher = Sha256::new();
                let mut buf = vec![0u8; 1 << 16];
                loop {
                    let n = f.read(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buf[..n]);
                }
                if hex::encode(hasher.finalize()) == *sha {
                    report.ok += 1;
                } else {
                    report.mismatch.push(sha.clone());
                }
            }
        }
    }
    if let Ok(prefixes) = std::fs::read_dir(dir) {
        for prefix in prefixes.flatten() {
            let Ok(files) = std::fs::read_dir(prefix.path()) else { continue };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if name.len() == 64 && !name.starts_with('.') && known.binary_search(&name).is_err() {
                    report.orphan.push(name);
                }
            }
        }
    }
    report.orphan.sort();
    Ok(report)
}

/// `evidence.integrity_check` (admin): checks the store and records an `integrity_check` event with the totals.
pub fn integrity_check(ctx: &mut Ctx, _input: Value) -> Result<IntegrityReport> {
    ctx.call.require(Capability::AdministerSystem)?;
    let report = check_store(ctx.conn(), &ctx.call.paths.evidence_dir)?;
    let installation = crate::audit_trail::installation_id(ctx.conn())?;
    ctx.write(|tx, call| {
        audit_trail::append(
            tx,
            call,
            NewEvent {
                entity_type: "installation",
                entity_id: &installation,
                entity_reference: None,
                action: AuditAction::IntegrityCheck,
                changes: vec![Change::new(
                    "evidence_store",
                    Value::Null,
                    json!({"checked": report.files_checked, "ok": report.ok, "missing": report.missing.len(), "mismatch": report.mismatch.len(), "orphan": report.orphan.len()}),
                )],
                reason: None,
            },
        )?;
        Ok(())
    })?;
    Ok(report)
}

/// A photo's preview as a `data:` URL (null for files that are not JPEG or PNG photos).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Thumbnail {
    pub data_url: Option<String>,
}

/// `evidence.thumbnail`: `{evidenceId}` → the photo's preview, made from the stored original if needed.
pub fn thumbnail(ctx: &mut Ctx, input: Value) -> Result<Thumbnail> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(&input)?, &["evidenceId"]);
    let id = v.id("evidenceId", "File", true).unwrap_or_default();
    v.finish()?;
    let (sha256, media): (String, String) = ctx
        .conn()
        .query_row("SELECT sha256, media_type FROM evidence_files WHERE id = ?1", [&id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("No evidence file has the id {id}.")))?;
    let data_url = matches!(media.as_str(), "image/jpeg" | "image/png")
        .then(|| {
            crate::thumbnail::data_url(
                &crate::thumbnail::dir(&ctx.call.paths.data_dir),
                &sha256,
                &stored_path(&ctx.call.paths.evidence_dir, &sha256),
            )
        })
        .flatten();
    Ok(Thumbnail { data_url })
}

/// `evidence.open_copy`: checks the stored bytes against their fingerprint and writes a read-only copy named as
/// attached (the store names files by hash, which no application recognises), for opening with the default app.
pub fn open_copy(ctx: &mut Ctx, input: Value) -> Result<OpenedCopy> {
    ctx.call.require(Capability::ViewRecords)?;
    let mut v = Input::new(as_object(&input)?, &["evidenceId"]);
    let id = v.id("evidenceId", "File", true);
    v.finish()?;
    let id = id.unwrap_or_default();
    let file: EvidenceFile = {
        let mut stmt = ctx.conn().prepare_cached("SELECT * FROM evidence_files WHERE id = ?1")?;
        let kinds = crate::rowmap::column_kinds(&stmt);
        stmt.query_row([&id], |r| crate::rowmap::from_row(r, &kinds)).optional()?
    }
    .ok_or_else(|| CoreError::NotFound(format!("No evidence file has the id {id}.")))?;
    let bytes = std::fs::read(stored_path(&ctx.call.paths.evidence_dir, &file.sha256))
        .map_err(|_| CoreError::Conflict(format!("The stored copy of {} is missing. Run the Health checks.", file.original_name)))?;
    if hex::encode(Sha256::digest(&bytes)) != file.sha256 {
        return Err(CoreError::Conflict(format!(
            "The stored copy of {} no longer matches its fingerprint, so it is not opened. Run the Health checks.",
            file.original_name
        )));
    }
    // Files attached before the allow-list may carry a name the system would run; they stay in packs, unopened.
    if let Some(why) = extension_refusal(&file.original_name) {
        return Err(CoreError::Forbidden(format!("{} is not opened from the app. {why}.", file.original_name)));
    }
    let dir = ctx.call.paths.data_dir.join("opened").join(&file.id);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(&file.original_name);
    if path.exists() {
        // A copy left by an earlier open: make it writable so it can be refreshed.
        let mut perms = std::fs::metadata(&path)?.permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms)?;
    }
    std::fs::write(&path, &bytes)?;
    let mut perms = std::fs::metadata(&path)?.permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms)?;
    Ok(OpenedCopy { path: path.display().to_string() })
}
