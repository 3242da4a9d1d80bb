//! The organisation's logo on report covers (issue 6): one PNG or JPEG kept in `<data>/branding`, set and removed
//! by administrators, each change an audited settings event carrying the file's SHA-256.

use crate::audit_trail::{self, AuditAction, Change, NewEvent};
use crate::authz::Capability;
use crate::context::Ctx;
use crate::error::{CoreError, FieldCode, Result};
use crate::validate::{as_object, Input};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use ts_rs::TS;

const MAX_BYTES: usize = 2 * 1024 * 1024;
const NAMES: [&str; 2] = ["logo.png", "logo.jpg"];

/// The logo as settings shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Branding {
    /// A `data:` URL of the logo, if one is set.
    pub logo: Option<String>,
    pub logo_sha256: Option<String>,
}

/// Input of `branding.set_logo`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetLogoInput {
    pub file_name: String,
    pub content_base64: String,
}

fn current(ctx: &Ctx) -> Result<Branding> {
    let dir = ctx.call.paths.data_dir.join("branding");
    for name in NAMES {
        if let Ok(bytes) = std::fs::read(dir.join(name)) {
            let media = if name.ends_with("png") { "image/png" } else { "image/jpeg" };
            return Ok(Branding {
                logo: Some(format!("data:{media};base64,{}", base64::engine::general_purpose::STANDARD.encode(&bytes))),
                logo_sha256: Some(hex::encode(Sha256::digest(&bytes))),
            });
        }
    }
    Ok(Branding { logo: None, logo_sha256: None })
}

fn record(ctx: &mut Ctx, old: Option<String>, new: Option<String>) -> Result<()> {
    ctx.write(|tx, call| {
        audit_trail::append(
            tx,
            call,
            NewEvent {
                entity_type: "settings",
                entity_id: "logo",
                entity_reference: None,
                action: AuditAction::Update,
                changes: vec![Change::new(
                    "logoSha256",
                    old.map(Value::String).unwrap_or(Value::Null),
                    new.map(Value::String).unwrap_or(Value::Null),
                )],
                reason: None,
            },
        )
        .map(|_| ())
    })
}

/// `branding.get`: the logo, if any.
pub fn get(ctx: &mut Ctx, _input: Value) -> Result<Branding> {
    ctx.call.require(Capability::ViewRecords)?;
    current(ctx)
}

/// `branding.set_logo` (admin): a PNG or JPEG up to 2 MB.
pub fn set_logo(ctx: &mut Ctx, input: Value) -> Result<Branding> {
    ctx.call.require(Capability::AdministerSystem)?;
    let map = as_object(&input)?;
    let mut v = Input::new(map, &["fileName", "contentBase64"]);
    v.text("fileName", "File", 1, 255, true);
    let content = v.text("contentBase64", "Logo", 1, usize::MAX, true).unwrap_or_default();
    v.finish()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content.as_bytes())
        .map_err(|_| CoreError::field("contentBase64", FieldCode::InvalidFormat, "The logo could not be read"))?;
    let name = if bytes.starts_with(b"\x89PNG") {
        "logo.png"
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        "logo.jpg"
    } else {
        return Err(CoreError::field("fileName", FieldCode::InvalidFormat, "The logo must be a PNG or JPEG image"));
    };
    if bytes.len() > MAX_BYTES {
        return Err(CoreError::field("fileName", FieldCode::TooLong, "The logo must be 2 MB or smaller"));
    }
    let old = current(ctx)?.logo_sha256;
    let dir = ctx.call.paths.data_dir.join("branding");
    crate::outfile::write_all(&dir.join(name), &bytes)?;
    for other in NAMES.iter().filter(|n| **n != name) {
        let _ = std::fs::remove_file(dir.join(other));
    }
    let now = current(ctx)?;
    record(ctx, old, now.logo_sha256.clone())?;
    Ok(now)
}

/// `branding.clear_logo` (admin).
pub fn clear_logo(ctx: &mut Ctx, _input: Value) -> Result<Branding> {
    ctx.call.require(Capability::AdministerSystem)?;
    let old = current(ctx)?.logo_sha256;
    let dir = ctx.call.paths.data_dir.join("branding");
    for name in NAMES {
        let _ = std::fs::remove_file(dir.join(name));
    }
    if old.is_some() {
        record(ctx, old, None)?;
    }
    current(ctx)
}
