//! The key store of an encrypted installation (issue 16, docs/decisions/0004): one random data key encrypts the
//! database (SQLCipher) and the files; it is kept only wrapped — once per profile under a key derived from that
//! profile's passphrase (Argon2id), and once under the recovery key shown to the administrator at set-up. Signing in
//! unwraps it; a passphrase change re-wraps that profile's copy only; nothing here ever re-encrypts data.
//!
//! The file (`keys/keyring.json`) holds no record content and no e-mail address: a profile's wrap is found by a hash
//! of its e-mail, and every wrap is bound (as AEAD associated data) to its kind, profile and lookup, so copying one
//! profile's wrap over another's does not open.

use crate::error::{CoreError, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The file's format; a newer one is refused rather than misread.
const FORMAT: u32 = 1;

/// The key that encrypts the data: 256 random bits, never written anywhere unwrapped.
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh random key.
    pub fn generate() -> Result<DataKey> {
        Ok(DataKey(Zeroizing::new(random::<32>()?)))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// SQLCipher's raw-key form (`x'…'`): used as is, no key derivation inside SQLCipher.
    pub fn sqlcipher_key(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(&self.0[..])))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// The recovery key as the administrator writes it down: 160 random bits, 32 base-32 letters and digits in eight
/// groups ("ABCD-EFGH-…"); read back case-insensitively, ignoring spaces and dashes.
pub struct RecoveryKey(Zeroizing<String>);

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

impl RecoveryKey {
    fn generate() -> Result<RecoveryKey> {
        let text = data_encoding::BASE32_NOPAD.encode(&random::<20>()?[..]);
        let groups: Vec<&str> = text.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
        Ok(RecoveryKey(Zeroizing::new(groups.join("-"))))
    }

    /// As shown to the administrator, once.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The secret behind typed text, or an error naming the field.
    fn secret(typed: &str) -> Result<Zeroizing<Vec<u8>>> {
        let cleaned: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
        match data_encoding::BASE32_NOPAD.decode(cleaned.as_bytes()) {
            Ok(bytes) if bytes.len() == 20 => Ok(Zeroizing::new(bytes)),
            _ => Err(CoreError::field(
                "recoveryKey",
                crate::error::FieldCode::InvalidFormat,
                "Recovery key must be the 32 letters and digits shown at set-up (dashes and spaces do not matter).",
            )),
        }
    }
}

/// Argon2id cost, stored with the wraps so a later change of defaults still opens older ones.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KdfCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
}

impl Default for KdfCost {
    /// OWASP's Argon2id baseline, the same as the passphrase hashes (≈ 20 MiB, 2 passes).
    fn default() -> Self {
        KdfCost { memory_kib: 19_456, iterations: 2, lanes: 1 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WrapKind {
    Profile,
    Recovery,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wrap {
    kind: WrapKind,
    /// The profile's id (a random UUID; not personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    profile_id: Option<String>,
    /// SHA-256 of the profile's normalised e-mail, so sign-in finds its wrap without trying every one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lookup: Option<String>,
    salt: String,
    nonce: String,
    sealed: String,
    cost: KdfCost,
}

impl Wrap {
    /// What the AEAD authenticates besides the key: moving a wrap to another profile breaks it.
    fn bound_to(&self) -> String {
        format!(
            "qgp-keyring/{FORMAT}/{:?}/{}/{}",
            self.kind,
            self.profile_id.as_deref().unwrap_or(""),
            self.lookup.as_deref().unwrap_or("")
        )
    }

    fn seal(kind: WrapKind, profile_id: Option<&str>, lookup: Option<String>, secret: &[u8], key: &DataKey, cost: KdfCost) -> Result<Wrap> {
        let salt = random::<16>()?;
        let nonce = random::<24>()?;
        let mut wrap = Wrap {
            kind,
            profile_id: profile_id.map(str::to_owned),
            lookup,
            salt: B64.encode(salt),
            nonce: B64.encode(nonce),
            sealed: String::new(),
            cost,
        };
        let kek = derive(secret, &salt, cost)?;
        let aad = wrap.bound_to();
        let sealed = XChaCha20Poly1305::new((&*kek).into())
            .encrypt(&XNonce::from(nonce), Payload { msg: &key.0[..], aad: aad.as_bytes() })
            .map_err(|_| CoreError::Internal("the data key could not be wrapped".into()))?;
        wrap.sealed = B64.encode(sealed);
        Ok(wrap)
    }

    /// The data key, if `secret` is the one this wrap was sealed with.
    fn open(&self, secret: &[u8]) -> Result<Option<DataKey>> {
        let damaged = || CoreError::Conflict("The key store (keys/keyring.json) is damaged: a wrap cannot be read.".into());
        let salt = B64.decode(&self.salt).map_err(|_| damaged())?;
        let nonce = B64.decode(&self.nonce).map_err(|_| damaged())?;
        let sealed = B64.decode(&self.sealed).map_err(|_| damaged())?;
        let nonce = XNonce::try_from(&nonce[..]).map_err(|_| damaged())?;
        let kek = derive(secret, &salt, self.cost)?;
        let aad = self.bound_to();
        match XChaCha20Poly1305::new((&*kek).into()).decrypt(&nonce, Payload { msg: &sealed, aad: aad.as_bytes() }) {
            Ok(plain) => {
                let plain = Zeroizing::new(plain);
                let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| damaged())?;
                Ok(Some(DataKey(Zeroizing::new(bytes))))
            }
            Err(_) => Ok(None),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyringFile {
    format: u32,
    cipher: String,
    kdf: String,
    wraps: Vec<Wrap>,
}

/// The key store of one data directory.
#[derive(Debug)]
pub struct Keyring {
    path: PathBuf,
    file: KeyringFile,
    cost: KdfCost,
}

/// Where the key store lives in a data directory.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join("keys").join("keyring.json")
}

impl Keyring {
    /// Starts the key store of a new encrypted installation: a wrap for its first administrator and one for the
    /// recovery key, which is returned to be shown once. Refuses to overwrite an existing key store.
    pub fn create(
        path: &Path,
        key: &DataKey,
        profile_id: &str,
        email: &str,
        passphrase: &str,
        cost: KdfCost,
    ) -> Result<(Keyring, RecoveryKey)> {
        if path.exists() {
            return Err(CoreError::Conflict(format!("{} already exists; an installation has one key store.", path.display())));
        }
        let mut ring = Keyring {
            path: path.to_path_buf(),
            file: KeyringFile { format: FORMAT, cipher: "XChaCha20-Poly1305".into(), kdf: "Argon2id".into(), wraps: Vec::new() },
            cost,
        };
        ring.file.wraps.push(Wrap::seal(WrapKind::Profile, Some(profile_id), Some(lookup(email)), passphrase.as_bytes(), key, cost)?);
        let recovery = RecoveryKey::generate()?;
        ring.file.wraps.push(Wrap::seal(WrapKind::Recovery, None, None, &RecoveryKey::secret(recovery.as_str())?, key, cost)?);
        ring.save()?;
        Ok((ring, recovery))
    }

    /// The key store of `path`, or `None` for a plain installation.
    pub fn load(path: &Path) -> Result<Option<Keyring>> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let file: KeyringFile = serde_json::from_str(&text)
            .map_err(|e| CoreError::Conflict(format!("The key store ({}) cannot be read: {e}.", path.display())))?;
        if file.format > FORMAT {
            return Err(CoreError::Conflict(format!(
                "The key store ({}) was written by a newer version of QGP Desktop (format {}); update the app.",
                path.display(),
                file.format
            )));
        }
        Ok(Some(Keyring { path: path.to_path_buf(), file, cost: KdfCost::default() }))
    }

    /// The data key for a profile signing in. Tries the wrap its e-mail points to first, then every other profile
    /// wrap (an e-mail changed since the wrap was made); `AuthFailed` when none opens.
    pub fn unlock(&self, email: &str, passphrase: &str) -> Result<DataKey> {
        let wanted = lookup(email);
        let mut profiles: Vec<&Wrap> = self.file.wraps.iter().filter(|w| w.kind == WrapKind::Profile).collect();
        profiles.sort_by_key(|w| w.lookup.as_deref() != Some(wanted.as_str()));
        for wrap in profiles {
            if let Some(key) = wrap.open(passphrase.as_bytes())? {
                return Ok(key);
            }
        }
        Err(CoreError::AuthFailed("That email and passphrase do not match a profile on this computer.".into()))
    }

    /// The data key from the recovery key.
    pub fn unlock_with_recovery(&self, typed: &str) -> Result<DataKey> {
        let secret = RecoveryKey::secret(typed)?;
        for wrap in self.file.wraps.iter().filter(|w| w.kind == WrapKind::Recovery) {
            if let Some(key) = wrap.open(&secret)? {
                return Ok(key);
            }
        }
        Err(CoreError::AuthFailed("That recovery key does not open this installation.".into()))
    }

    /// Wraps the data key for a profile (a new profile, a changed passphrase or e-mail), replacing its old wrap.
    pub fn wrap_for(&mut self, key: &DataKey, profile_id: &str, email: &str, passphrase: &str) -> Result<()> {
        let wrap = Wrap::seal(WrapKind::Profile, Some(profile_id), Some(lookup(email)), passphrase.as_bytes(), key, self.cost)?;
        self.file.wraps.retain(|w| w.profile_id.as_deref() != Some(profile_id));
        self.file.wraps.push(wrap);
        self.save()
    }

    /// Removes a profile's wrap (a deactivated profile can no longer open the data).
    pub fn remove(&mut self, profile_id: &str) -> Result<()> {
        self.file.wraps.retain(|w| w.profile_id.as_deref() != Some(profile_id));
        self.save()
    }

    /// A new recovery key; the old one stops working.
    pub fn reissue_recovery(&mut self, key: &DataKey) -> Result<RecoveryKey> {
        let recovery = RecoveryKey::generate()?;
        let wrap = Wrap::seal(WrapKind::Recovery, None, None, &RecoveryKey::secret(recovery.as_str())?, key, self.cost)?;
        self.file.wraps.retain(|w| w.kind != WrapKind::Recovery);
        self.file.wraps.push(wrap);
        self.save()?;
        Ok(recovery)
    }

    /// Profiles that have a wrap.
    pub fn profiles(&self) -> Vec<String> {
        self.file.wraps.iter().filter_map(|w| w.profile_id.clone()).collect()
    }

    /// Written whole to a temporary file, flushed, then renamed over the old one: a crash leaves the old or the new.
    fn save(&self) -> Result<()> {
        let dir = self.path.parent().ok_or_else(|| CoreError::Internal("key store path has no folder".into()))?;
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".keyring.{}.tmp", crate::ids::new_id()));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(serde_json::to_string_pretty(&self.file).map_err(|e| CoreError::Internal(e.to_string()))?.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &self.path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Cheaper derivation for tests only (the real cost is ≈ 20 MiB and 2 passes per wrap).
    #[cfg(test)]
    fn with_cost(mut self, cost: KdfCost) -> Self {
        self.cost = cost;
        self
    }
}

/// How sign-in finds a profile's wrap: SHA-256 of the normalised e-mail (never the e-mail itself).
fn lookup(email: &str) -> String {
    hex::encode(Sha256::digest(format!("qgp-keyring-email:{}", email.trim().to_lowercase()).as_bytes()))
}

fn derive(secret: &[u8], salt: &[u8], cost: KdfCost) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(cost.memory_kib, cost.iterations, cost.lanes, Some(32))
        .map_err(|e| CoreError::Conflict(format!("The key store's Argon2 settings are not valid: {e}.")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret, salt, &mut out[..])
        .map_err(|e| CoreError::Internal(format!("key derivation failed: {e}")))?;
    Ok(out)
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| CoreError::Internal(format!("no randomness from the operating system: {e}")))?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const CHEAP: KdfCost = KdfCost { memory_kib: 64, iterations: 1, lanes: 1 };

    fn ring(dir: &Path) -> (Keyring, DataKey, RecoveryKey) {
        let key = DataKey::generate().unwrap();
        let (ring, recovery) = Keyring::create(&path_in(dir), &key, "p-ada", "Ada@Example.com", "correct horse battery", CHEAP).unwrap();
        (ring.with_cost(CHEAP), key, recovery)
    }

    #[test]
    fn the_right_passphrase_or_the_recovery_key_opens_the_data_key_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let (ring, key, recovery) = ring(dir.path());
        let loaded = Keyring::load(&path_in(dir.path())).unwrap().unwrap();
        assert_eq!(loaded.unlock(" ada@example.com ", "correct horse battery").unwrap().bytes(), key.bytes(), "e-mail as typed");
        assert_eq!(loaded.unlock("ada@example.com", "wrong").unwrap_err().kind(), ErrorKind::AuthFailed);
        assert_eq!(loaded.unlock_with_recovery(&recovery.as_str().to_lowercase().replace('-', " ")).unwrap().bytes(), key.bytes());
        let wrong = RecoveryKey::generate().unwrap();
        assert_eq!(loaded.unlock_with_recovery(wrong.as_str()).unwrap_err().kind(), ErrorKind::AuthFailed);
        assert_eq!(loaded.unlock_with_recovery("ABCD").unwrap_err().kind(), ErrorKind::ValidationFailed, "names the field");
        assert_eq!(recovery.as_str().len(), 39, "eight groups of four with dashes");
        drop(ring);
    }

    #[test]
    fn the_file_holds_neither_the_key_nor_an_e_mail_and_refuses_a_second_creation() {
        let dir = tempfile::tempdir().unwrap();
        let (_, key, recovery) = ring(dir.path());
        let text = std::fs::read_to_string(path_in(dir.path())).unwrap();
        assert!(!text.to_lowercase().contains("ada@example.com"));
        assert!(!text.contains(&hex::encode(key.bytes())) && !text.contains(&B64.encode(key.bytes())));
        assert!(!text.contains(recovery.as_str()));
        let again = Keyring::create(&path_in(dir.path()), &key, "p-ada", "ada@example.com", "x", CHEAP).unwrap_err();
        assert_eq!(again.kind(), ErrorKind::Conflict);
    }

    #[test]
    fn a_passphrase_change_rewraps_only_that_profile_and_the_old_passphrase_stops_working() {
        let dir = tempfile::tempdir().unwrap();
        let (mut ring, key, _) = ring(dir.path());
        ring.wrap_for(&key, "p-max", "max@example.com", "max passphrase one").unwrap();
        ring.wrap_for(&key, "p-max", "max@example.com", "max passphrase two").unwrap();
        let loaded = Keyring::load(&path_in(dir.path())).unwrap().unwrap();
        assert_eq!(loaded.profiles(), vec!["p-ada".to_owned(), "p-max".to_owned()], "one wrap per profile");
        assert!(loaded.unlock("max@example.com", "max passphrase one").is_err());
        assert_eq!(loaded.unlock("max@example.com", "max passphrase two").unwrap().bytes(), key.bytes());
        assert!(loaded.unlock("ada@example.com", "correct horse battery").is_ok(), "others untouched");
        // An e-mail changed since the wrap was made still opens (every wrap is tried).
        assert!(loaded.unlock("max.new@example.com", "max passphrase two").is_ok());
        ring.remove("p-max").unwrap();
        assert!(Keyring::load(&path_in(dir.path())).unwrap().unwrap().unlock("max@example.com", "max passphrase two").is_err());
    }

    #[test]
    fn a_wrap_moved_to_another_profile_or_a_reissued_recovery_key_does_not_open() {
        let dir = tempfile::tempdir().unwrap();
        let (mut ring, key, old_recovery) = ring(dir.path());
        ring.wrap_for(&key, "p-max", "max@example.com", "max passphrase").unwrap();
        let new_recovery = ring.reissue_recovery(&key).unwrap();
        let loaded = Keyring::load(&path_in(dir.path())).unwrap().unwrap();
        assert!(loaded.unlock_with_recovery(old_recovery.as_str()).is_err(), "the old recovery key stops working");
        assert!(loaded.unlock_with_recovery(new_recovery.as_str()).is_ok());
        // Give Ada's wrap Max's identity: the bound data no longer matches, so it does not open.
        let mut file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path_in(dir.path())).unwrap()).unwrap();
        file["wraps"][0]["profileId"] = "p-max".into();
        std::fs::write(path_in(dir.path()), file.to_string()).unwrap();
        let tampered = Keyring::load(&path_in(dir.path())).unwrap().unwrap();
        assert!(tampered.unlock("ada@example.com", "correct horse battery").is_err());
    }

    #[test]
    fn a_plain_installation_has_no_key_store_and_a_newer_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Keyring::load(&path_in(dir.path())).unwrap().is_none());
        std::fs::create_dir_all(dir.path().join("keys")).unwrap();
        std::fs::write(path_in(dir.path()), r#"{"format": 9, "cipher": "x", "kdf": "y", "wraps": []}"#).unwrap();
        assert!(Keyring::load(&path_in(dir.path())).unwrap_err().to_string().contains("newer version"));
    }
}
