//! Verifying an evidence pack: the manifest's Ed25519 signature, then every listed file's SHA-256 and size, then
//! anything in the ZIP the manifest does not list. Needs no database and no network: a pack verifies on any
//! machine with the app.

use super::key;
use super::{Manifest, MANIFEST, PUBLIC_KEY, SIGNATURE};
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{as_object, Input};
use ed25519_dalek::Signature;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use ts_rs::TS;

crate::choice_enum! {
    /// What became of one listed file.
    pub enum FileStatus { Ok => "ok", Altered => "altered", Missing => "missing" }
}

crate::choice_enum! {
    /// The manifest's signature.
    pub enum SignatureStatus { Valid => "valid", Invalid => "invalid", Missing => "missing" }
}

crate::choice_enum! {
    /// Who signed the pack, as far as this installation knows. Anyone can make a pack that is intact under a key
    /// of their own, so "intact" alone proves nothing about who made it.
    pub enum SignerVerdict {
        ThisInstallation => "this_installation",
        KnownKey => "known_key",
        UnknownSigner => "unknown_signer",
        NotSigned => "not_signed",
    }
}

/// One listed file's check.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileCheck {
    pub path: String,
    pub status: FileStatus,
    pub expected_sha256: String,
    /// What the pack holds now (null when missing).
    pub actual_sha256: Option<String>,
}

/// Input of `packs.verify`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerifyPackInput {
    pub path: String,
}

/// The verdict on a pack.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackVerification {
    /// True only when the pack is intact and signed by this installation or a key it trusts.
    pub ok: bool,
    /// The signature is valid for the key in the pack, every listed file is present and unaltered, nothing added.
    pub intact: bool,
    pub signer: SignerVerdict,
    /// The trusted key's label when the signer is a known key.
    pub signer_label: Option<String>,
    pub path: String,
    pub signature: SignatureStatus,
    /// Fingerprint of the key that signed the manifest; compare it with the one on the report cover.
    pub fingerprint: Option<String>,
    /// Whether that key is this installation's.
    pub signed_by_this_installation: bool,
    pub subject_title: Option<String>,
    pub created_at: Option<String>,
    pub created_by: Option<String>,
    pub organisation: Option<String>,
    pub files: Vec<FileCheck>,
    /// Files in the ZIP that the manifest does not list.
    pub unexpected: Vec<String>,
    /// Every problem in words, in the order found.
    pub problems: Vec<String>,
}

/// The most a pack's manifest, signature or key file may hold once unpacked (a manifest of 10,000 files is ~2 MB).
const MAX_SMALL_ENTRY: u64 = 64 << 20;

/// A small entry's bytes, or none when missing, unreadable or larger than [`MAX_SMALL_ENTRY`] unpacked (a ZIP
/// bomb must not fill memory).
fn read_entry(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Option<Vec<u8>> {
    let entry = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    entry.take(MAX_SMALL_ENTRY + 1).read_to_end(&mut buf).ok()?;
    (buf.len() as u64 <= MAX_SMALL_ENTRY).then_some(buf)
}

/// Checks the pack at `path`; `own_fingerprint` is this installation's, if it has a key.
pub fn verify_file(path: &Path, own_fingerprint: Option<&str>, progress: &crate::jobs::Progress) -> Result<PackVerification> {
    let file = std::fs::File::open(path)
        .map_err(|e| CoreError::field("path", FieldCode::InvalidFormat, format!("The pack {} could not be opened: {e}", path.display())))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        CoreError::field("path", FieldCode::InvalidFormat, format!("{} is not an evidence pack (not a ZIP file: {e})", path.display()))
    })?;
    let mut v = PackVerification {
        ok: false,
        intact: false,
        signer: SignerVerdict::NotSigned,
        signer_label: None,
        path: path.display().to_string(),
        signature: SignatureStatus::Missing,
        fingerprint: None,
        signed_by_this_installation: false,
        subject_title: None,
        created_at: None,
        created_by: None,
        organisation: None,
        files: Vec::new(),
        unexpected: Vec::new(),
        problems: Vec::new(),
    };
    let Some(manifest_bytes) = read_entry(&mut zip, MANIFEST) else {
        v.problems.push(format!("{MANIFEST} is missing: this is not an evidence pack, or it was taken apart."));
        return Ok(v);
    };
    let public_key = read_entry(&mut zip, PUBLIC_KEY).and_then(|b| key::parse_public_key_pem(&String::from_utf8_lossy(&b)));
    let signature = read_entry(&mut zip, SIGNATURE).and_then(|b| Signature::from_slice(&b).ok());
    match (&public_key, &signature) {
        (None, _) => v.problems.push(format!("{PUBLIC_KEY} is missing or not an Ed25519 public key.")),
        (_, None) => v.problems.push(format!("{SIGNATURE} is missing or not an Ed25519 signature.")),
        (Some(pk), Some(sig)) => {
            v.fingerprint = Some(key::fingerprint(pk));
            v.signed_by_this_installation = own_fingerprint == v.fingerprint.as_deref();
            if pk.verify_strict(&manifest_bytes, sig).is_ok() {
                v.signature = SignatureStatus::Valid;
            } else {
                v.signature = SignatureStatus::Invalid;
                v.problems.push("The signature does not match the manifest: the manifest was altered or signed by another key.".into());
            }
        }
    }
    let manifest: Manifest = match serde_json::from_slice(&manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            v.problems.push(format!("{MANIFEST} cannot be read: {e}"));
            return Ok(v);
        }
    };
    if v.fingerprint.is_some() && v.fingerprint.as_deref() != Some(manifest.signing.fingerprint.as_str()) {
        v.problems.push("The public key in the pack is not the one the manifest names.".into());
    }
    v.subject_title = Some(manifest.subject.title.clone());
    v.created_at = Some(manifest.created_at.clone());
    v.created_by = Some(manifest.created_by.clone());
    v.organisation = manifest.organisation.clone();
    progress.phase("Checking files", manifest.files.len() as u64)?;
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for f in &manifest.files {
        let actual = match zip.by_name(&f.path) {
            Ok(entry) => {
                // Never more than the manifest says plus one byte: an entry that unpacks to more is altered, and a
                // ZIP bomb costs no more time than an honest pack.
                let mut entry = entry.take(f.bytes.saturating_add(1));
                let mut hasher = Sha256::new();
                let mut buf = vec![0u8; 1 << 20];
                let mut failed = false;
                loop {
                    match entry.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => hasher.update(&buf[..n]),
                        Err(_) => {
                            // A damaged entry (CRC mismatch) reads as altered.
                            failed = true;
                            break;
                        }
                    }
                }
                Some(if failed { "unreadable".to_owned() } else { hex::encode(hasher.finalize()) })
            }
            Err(_) => None,
        };
        let status = match &actual {
            None => {
                v.problems.push(format!("{} is missing.", f.path));
                FileStatus::Missing
            }
            Some(h) if *h != f.sha256 => {
                v.problems.push(format!("{} was altered: its SHA-256 is not the one in the manifest.", f.path));
                FileStatus::Altered
            }
            Some(_) => FileStatus::Ok,
        };
        v.files.push(FileCheck { path: f.path.clone(), status, expected_sha256: f.sha256.clone(), actual_sha256: actual });
        progress.advance(1)?;
    }
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let mut unexpected: Vec<String> = names
        .into_iter()
        .filter(|n| !listed.contains(n.as_str()) && n != MANIFEST && n != SIGNATURE && n != PUBLIC_KEY && !n.ends_with('/'))
        .collect();
    unexpected.sort();
    for n in &unexpected {
        v.problems.push(format!("{n} was added: the manifest does not list it."));
    }
    v.unexpected = unexpected;
    v.intact = v.signature == SignatureStatus::Valid && v.problems.is_empty();
    if v.signature == SignatureStatus::Valid {
        v.signer = if v.signed_by_this_installation { SignerVerdict::ThisInstallation } else { SignerVerdict::UnknownSigner };
    }
    Ok(v)
}

/// Settles who signed: a valid signature by a key this installation trusts is a known key; the pack is `ok` only
/// when intact and signed by this installation or a known key.
fn judge_signer(conn: &rusqlite::Connection, v: &mut PackVerification) -> Result<()> {
    if v.signer == SignerVerdict::UnknownSigner {
        if let Some(label) = v.fingerprint.as_deref().map(|f| super::trust::known_label(conn, f)).transpose()?.flatten() {
            v.signer = SignerVerdict::KnownKey;
            v.signer_label = Some(label);
        }
    }
    v.ok = v.intact && matches!(v.signer, SignerVerdict::ThisInstallation | SignerVerdict::KnownKey);
    if v.intact && !v.ok {
        v.problems.push(
            "The files are intact, but the key that signed them is not known to this installation: compare its fingerprint with the one the sender gave you, and if it matches ask an administrator to add the key under Settings › Known signing keys."
                .into(),
        );
    }
    Ok(())
}

/// `packs.verify`: checks a pack file. Needs no sign-in: anyone with the app can verify a pack.
pub fn verify(ctx: &mut Ctx, input: Value) -> Result<PackVerification> {
    let map = as_object(&input)?;
    let mut iv = Input::new(map, &["path"]);
    let path = iv.text("path", "Pack file", 1, 4096, true).unwrap_or_default();
    iv.finish()?;
    let own = key::load(&ctx.call.paths.data_dir)?.map(|k| key::fingerprint(&k.verifying_key()));
    let mut result = verify_file(Path::new(&path), own.as_deref(), &ctx.call.progress)?;
    judge_signer(ctx.conn(), &mut result)?;
    tracing::info!(ok = result.ok, problems = result.problems.len(), "evidence pack verified");
    Ok(result)
}
