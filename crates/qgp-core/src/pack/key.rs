//! The installation's Ed25519 signing key: created on first use, kept in `<data>/keys` readable by its owner
//! only, never exported. Its fingerprint — SHA-256 of the public key in standard SubjectPublicKeyInfo DER form —
//! is what a verifier compares; anyone can recompute it with `openssl pkey -pubin -outform DER | sha256sum`.

use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, Result};
use base64::Engine;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow.
const SPKI_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
/// DER prefix of an Ed25519 PKCS#8 private key (RFC 8410); the 32 seed bytes follow.
const PKCS8_PREFIX: [u8; 16] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/// What settings and reports show of the key.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// SHA-256 of the public key (SPKI DER), hex in groups of eight.
    pub fingerprint: String,
    pub public_key_pem: String,
}

/// Where the private key lives.
pub fn key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("keys").join("installation-ed25519.pem")
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

fn pem_body(text: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)? + begin.len();
    let stop = text[start..].find(&end)? + start;
    let b64: String = text[start..stop].chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// The public key as SPKI DER.
pub fn spki_der(key: &VerifyingKey) -> Vec<u8> {
    let mut der = SPKI_PREFIX.to_vec();
    der.extend_from_slice(key.as_bytes());
    der
}

/// The public key as a PEM file `openssl` reads.
pub fn public_key_pem(key: &VerifyingKey) -> String {
    pem("PUBLIC KEY", &spki_der(key))
}

/// Reads a PEM public key written by [`public_key_pem`].
pub fn parse_public_key_pem(text: &str) -> Option<VerifyingKey> {
    let der = pem_body(text, "PUBLIC KEY")?;
    let raw: [u8; 32] = der.strip_prefix(&SPKI_PREFIX[..])?.try_into().ok()?;
    VerifyingKey::from_bytes(&raw).ok()
}

/// SHA-256 of the SPKI DER, hex in groups of eight.
pub fn fingerprint(key: &VerifyingKey) -> String {
    let hex = hex::encode(Sha256::digest(spki_der(key)));
    hex.as_bytes().chunks(8).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect::<Vec<_>>().join(" ")
}

/// The key, if this installation has made one.
pub fn load(data_dir: &Path) -> Result<Option<SigningKey>> {
    let path = key_path(data_dir);
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)?;
    let seed: [u8; 32] = pem_body(&text, "PRIVATE KEY")
        .and_then(|der| der.strip_prefix(&PKCS8_PREFIX[..]).and_then(|s| s.try_into().ok()))
        .ok_or_else(|| CoreError::Internal(format!("The installation key at {} is damaged.", path.display())))?;
    Ok(Some(SigningKey::from_bytes(&seed)))
}

fn write_private(path: &Path, key: &SigningKey) -> Result<()> {
    let mut der = PKCS8_PREFIX.to_vec();
    der.extend_from_slice(&key.to_bytes());
    let text = pem("PRIVATE KEY", &der);
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    let mut f = options.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// The key, created (and recorded in the audit trail) on first use.
pub fn load_or_create(ctx: &mut Ctx) -> Result<SigningKey> {
    let data_dir = ctx.call.paths.data_dir.clone();
    if let Some(key) = load(&data_dir)? {
        return Ok(key);
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| CoreError::Internal(format!("No randomness for a new key: {e}")))?;
    let key = SigningKey::from_bytes(&seed);
    write_private(&key_path(&data_dir), &key)?;
    let fp = fingerprint(&key.verifying_key());
    ctx.write(|tx, call| {
        let installation = audit_trail::installation_id(tx)?;
        audit_trail::append(
            tx,
            call,
            NewEvent {
                entity_type: "installation_key",
                entity_id: &installation,
                entity_reference: None,
                action: AuditAction::Create,
                changes: vec![Change::new("fingerprint", Value::Null, Value::String(fp.clone()))],
                reason: None,
            },
        )
    })?;
    tracing::info!(fingerprint = %fp, "installation signing key created");
    Ok(key)
}

/// `keys.installation`: the fingerprint and public key (creating the key on first use).
pub fn installation(ctx: &mut Ctx, _input: Value) -> Result<KeyInfo> {
    ctx.call.require(Capability::ViewRecords)?;
    let key = load_or_create(ctx)?.verifying_key();
    Ok(KeyInfo { fingerprint: fingerprint(&key), public_key_pem: public_key_pem(&key) })
}
