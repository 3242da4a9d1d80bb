//! Backup sets (docs/decisions/0005): one file that holds everything a lost laptop takes with it — the database,
//! every evidence file its records name, the installation's signing key — and a manifest with the SHA-256 of each
//! and the audit trail's head. It is a ZIP file (readable with any archive tool when the app is gone): the
//! database deflated, evidence stored as it is (photos do not compress), `manifest.json` last.
//!
//! Writing streams every file (a set is never held in memory) and reports progress; reading checks every entry
//! against the manifest, and every evidence file against the hash it is stored under, before a restore may use it.

use crate::backup::RecordCount;
use crate::error::{CoreError, Result};
use crate::jobs::Progress;
use crate::paths::AppPaths;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The file name ending of a backup set.
pub const SET_SUFFIX: &str = ".qgpbackup";
const FORMAT: &str = "qgp-backup-set";
const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "database/qgp.sqlite3";
const EVIDENCE: &str = "evidence/";
const KEYS: &str = "keys/";
/// A manifest names a few entries per record; 256 MB would be millions of files.
const MANIFEST_LIMIT: u64 = 256 << 20;
const CHUNK: usize = 1 << 20;

/// The audit trail's newest event when the set was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrailHead {
    #[ts(type = "number")]
    pub seq: i64,
    pub hash: String,
}

/// One file in a set.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetEntry {
    pub path: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub sha256: String,
}

/// `manifest.json`: what the set holds.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetManifest {
    pub format: String,
    pub format_version: u32,
    pub created_at: String,
    pub app_version: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    pub installation_id: String,
    pub trail_head: TrailHead,
    pub records: Vec<RecordCount>,
    pub entries: Vec<SetEntry>,
    /// Evidence files the records name that were already missing from the laptop when the set was taken (Health
    /// reports them); a set without them is still the best copy there is.
    pub evidence_missing: Vec<String>,
}

/// A file removed when dropped: the database unpacked from a set for checking or restoring.
#[derive(Debug)]
pub struct Scratch(PathBuf);

impl Scratch {
    fn new(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Scratch(dir.join(format!(".qgp-unpacked-{}.sqlite3", crate::ids::new_id()))))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// Whether `path` is a backup set (a ZIP file) rather than a bare database backup.
pub fn is_set(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok() && magic == *b"PK\x03\x04"
}

fn zip_error(e: zip::result::ZipError) -> CoreError {
    match e {
        zip::result::ZipError::Io(e) => e.into(),
        other => CoreError::Internal(format!("backup set: {other}")),
    }
}

/// Copies `reader` into `out`, hashing and counting as it goes; advances `progress` (and so honours cancel).
fn copy_hashed(reader: &mut impl Read, out: &mut impl Write, progress: &Progress) -> Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut bytes = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        bytes += n as u64;
        progress.advance(n as u64)?;
    }
    Ok((bytes, hex::encode(hasher.finalize())))
}

/// What the database copy says about itself.
struct CopyFacts {
    schema_version: i64,
    installation_id: String,
    trail_head: TrailHead,
    records: Vec<RecordCount>,
    evidence: Vec<String>,
}

fn facts(copy: &Connection) -> Result<CopyFacts> {
    let schema_version = copy.query_row("SELECT COALESCE(MAX(version), 0) FROM refinery_schema_history", [], |r| r.get(0))?;
    let (seq, hash) = crate::trail_anchor::head(copy)?;
    let mut stmt = copy.prepare("SELECT DISTINCT sha256 FROM evidence_files ORDER BY sha256")?;
    let evidence = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(CopyFacts {
        schema_version,
        installation_id: crate::audit_trail::installation_id(copy)?,
        trail_head: TrailHead { seq, hash },
        records: crate::backup::record_counts(copy),
        evidence,
    })
}

/// The signing key and any other key files (`keys/`), by name.
fn key_files(data_dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let dir = data_dir.join("keys");
    let mut out = Vec::new();
    for entry in crate::paths::entries(&dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && !name.starts_with('.') {
            out.push((name, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// Writes a set of `conn` and the files under `paths` to `target` (the caller gives it its final name). The
/// database is copied first with SQLite's online backup, so the set holds one consistent moment even while the
/// app keeps writing; the evidence files are the ones that copy's records name.
pub fn write(conn: &Connection, paths: &AppPaths, target: &Path, created_at: &str, progress: &Progress) -> Result<SetManifest> {
    let dir = target.parent().ok_or_else(|| CoreError::Internal("backup set path has no folder".into()))?;
    let copy = Scratch::new(dir)?;
    progress.phase("Copying the database", 1)?;
    conn.backup(rusqlite::MAIN_DB, copy.path(), None::<fn(rusqlite::backup::Progress)>)?;
    let facts = {
        let c = Connection::open(copy.path())?;
        c.pragma_update(None, "journal_mode", "DELETE")?;
        facts(&c)?
    };
    let mut evidence = Vec::new();
    let mut evidence_missing = Vec::new();
    for sha in &facts.evidence {
        let stored = crate::evidence::stored_path(&paths.evidence_dir, sha);
        match std::fs::metadata(&stored) {
            Ok(m) if m.is_file() => evidence.push((sha.clone(), stored, m.len())),
            _ => evidence_missing.push(sha.clone()),
        }
    }
    let keys = key_files(&paths.data_dir)?;
    let db_size = std::fs::metadata(copy.path())?.len();
    let total = db_size + evidence.iter().map(|(_, _, n)| n).sum::<u64>();
    progress.phase("Writing the backup set", total)?;

    let file = std::fs::File::create(target)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::with_capacity(CHUNK, file));
    // Level 1: the database is deflated while the officer waits; higher levels cost several times the time (measured
    // in docs/performance.md) for a file a few per cent smaller.
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(true);
    let mut entries = Vec::new();

    zip.start_file(DATABASE, deflated).map_err(zip_error)?;
    let (size_bytes, sha256) = copy_hashed(&mut std::fs::File::open(copy.path())?, &mut zip, progress)?;
    entries.push(SetEntry { path: DATABASE.into(), size_bytes, sha256 });
    for (sha, path, _) in &evidence {
        let name = format!("{EVIDENCE}{sha}");
        zip.start_file(name.as_str(), stored).map_err(zip_error)?;
        let (size_bytes, sha256) = copy_hashed(&mut std::fs::File::open(path)?, &mut zip, progress)?;
        entries.push(SetEntry { path: name, size_bytes, sha256 });
    }
    for (name, path) in &keys {
        let name = format!("{KEYS}{name}");
        zip.start_file(name.as_str(), deflated).map_err(zip_error)?;
        let (size_bytes, sha256) = copy_hashed(&mut std::fs::File::open(path)?, &mut zip, &Progress::default())?;
        entries.push(SetEntry { path: name, size_bytes, sha256 });
    }
    let manifest = SetManifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        created_at: created_at.into(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: facts.schema_version,
        installation_id: facts.installation_id,
        trail_head: facts.trail_head,
        records: facts.records,
        entries,
        evidence_missing,
    };
    zip.start_file(MANIFEST, deflated).map_err(zip_error)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
    let writer = zip.finish().map_err(zip_error)?;
    writer.into_inner().map_err(|e| CoreError::Io(e.into_error()))?.sync_all()?;
    Ok(manifest)
}

/// A set opened and checked entry by entry: its manifest, its database unpacked to a scratch file, and what did
/// not check out.
#[derive(Debug)]
pub struct CheckedSet {
    pub manifest: Option<SetManifest>,
    pub database: Option<Scratch>,
    pub problems: Vec<String>,
    pub evidence_files: u64,
    pub evidence_bytes: u64,
    pub key_files: u64,
}

/// Opens the set at `path`, reads its manifest, and hashes every entry, unpacking the database into `scratch_dir`.
/// A damaged or foreign file comes back as problems, not as an error: only the scratch folder failing is an error.
pub fn check(path: &Path, scratch_dir: &Path) -> Result<CheckedSet> {
    let mut out = CheckedSet { manifest: None, database: None, problems: Vec::new(), evidence_files: 0, evidence_bytes: 0, key_files: 0 };
    // The ZIP reader is third-party code fed a file from outside; a panic on a damaged file is a damaged file.
    let opened = std::panic::catch_unwind(|| zip::ZipArchive::new(std::fs::File::open(path)?).map_err(zip_error));
    let mut archive = match opened {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => {
            out.problems.push(format!("The file is not a readable backup set: {e}"));
            return Ok(out);
        }
        Err(_) => {
            out.problems.push("The file is not a readable backup set (its archive structure is damaged).".into());
            return Ok(out);
        }
    };
    let manifest = match read_manifest(&mut archive) {
        Ok(m) => m,
        Err(problem) => {
            out.problems.push(problem);
            return Ok(out);
        }
    };
    let listed: std::collections::HashSet<&str> = manifest.entries.iter().map(|e| e.path.as_str()).collect();
    for name in archive.file_names() {
        let Ok(name) = name else {
            out.problems.push("The set holds an entry whose name cannot be read.".into());
            continue;
        };
        if name != MANIFEST && !listed.contains(&*name) {
            out.problems.push(format!("The set holds {name}, which its manifest does not list."));
        }
    }
    for entry in &manifest.entries {
        let scratch = if entry.path == DATABASE { Some(Scratch::new(scratch_dir)?) } else { None };
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<(u64, String)> {
            let mut file = archive.by_name(&entry.path).map_err(zip_error)?;
            match &scratch {
                Some(s) => {
                    let mut out = std::io::BufWriter::new(std::fs::File::create(s.path())?);
                    let r = copy_hashed(&mut file, &mut out, &Progress::default());
                    out.flush()?;
                    r
                }
                None => copy_hashed(&mut file, &mut std::io::sink(), &Progress::default()),
            }
        }));
        let (size, sha) = match read {
            Ok(Ok(r)) => r,
            Ok(Err(e)) if e.kind() == crate::error::ErrorKind::DiskFull => return Err(e),
            Ok(Err(e)) => {
                out.problems.push(format!("{} cannot be read from the set: {e}", entry.path));
                continue;
            }
            Err(_) => {
                out.problems.push(format!("{} cannot be read from the set (damaged).", entry.path));
                continue;
            }
        };
        if sha != entry.sha256 || size != entry.size_bytes {
            out.problems.push(format!("{} does not match the SHA-256 the manifest records for it.", entry.path));
            continue;
        }
        if let Some(name) = entry.path.strip_prefix(EVIDENCE) {
            if name != sha {
                out.problems.push(format!("{} is not the file its name says (its SHA-256 is {sha}).", entry.path));
                continue;
            }
            out.evidence_files += 1;
            out.evidence_bytes += size;
        } else if entry.path.starts_with(KEYS) {
            out.key_files += 1;
        }
        if scratch.is_some() {
            out.database = scratch;
        }
    }
    if out.database.is_none() && !manifest.entries.iter().any(|e| e.path == DATABASE) {
        out.problems.push("The set holds no database.".into());
    }
    out.manifest = Some(manifest);
    Ok(out)
}

/// The manifest of the set at `path`, if it is a readable set (for the trail head it anchors; not a verification).
pub fn manifest_of(path: &Path) -> Option<SetManifest> {
    let file = std::fs::File::open(path).ok()?;
    let mut archive = std::panic::catch_unwind(|| zip::ZipArchive::new(file).ok()).ok().flatten()?;
    read_manifest(&mut archive).ok()
}

fn read_manifest<R: Read + std::io::Seek>(archive: &mut zip::ZipArchive<R>) -> std::result::Result<SetManifest, String> {
    let file =
        archive.by_name(MANIFEST).map_err(|_| "The file is a ZIP archive but not a QGP backup set (no manifest.json).".to_owned())?;
    let mut text = Vec::new();
    file.take(MANIFEST_LIMIT).read_to_end(&mut text).map_err(|e| format!("The set's manifest cannot be read: {e}"))?;
    let manifest: SetManifest = serde_json::from_slice(&text).map_err(|e| format!("The set's manifest is not valid: {e}"))?;
    if manifest.format != FORMAT {
        return Err(format!("The file is not a QGP backup set (format \"{}\").", manifest.format));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(format!(
            "The set was written by a newer version of QGP Desktop (set format {}); this version cannot read it.",
            manifest.format_version
        ));
    }
    let safe = |p: &str| {
        (p == DATABASE)
            || p.strip_prefix(EVIDENCE).is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            || p.strip_prefix(KEYS).is_some_and(|n| {
                !n.is_empty() && !n.starts_with('.') && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            })
    };
    if let Some(bad) = manifest.entries.iter().find(|e| !safe(&e.path)) {
        return Err(format!("The set's manifest names a file QGP Desktop never writes ({}); it was not made by this app.", bad.path));
    }
    Ok(manifest)
}

/// The names of the entries under `folder` (checked already: a restore unpacks only a set that verified).
fn entry_names<R: Read + std::io::Seek>(archive: &zip::ZipArchive<R>, folder: &str) -> Vec<String> {
    archive.file_names().filter_map(|n| n.ok()).filter(|n| n.starts_with(folder)).map(|n| n.into_owned()).collect()
}

/// What unpacking the files of a set put in place.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnpackedFiles {
    /// Evidence files written (the rest were already there, identical by their hash).
    #[ts(type = "number")]
    pub evidence_written: u64,
    /// Key files put in place; a different key already there is kept beside it as `replaced-<time>-<name>`.
    #[ts(type = "number")]
    pub keys_written: u64,
}

/// Puts the set's evidence files into the store (each checked against its hash before it takes its name). Files
/// already there are the same bytes (the store is content-addressed) and stay.
pub fn unpack_evidence(path: &Path, paths: &AppPaths, progress: &Progress) -> Result<u64> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path)?).map_err(zip_error)?;
    let names: Vec<String> = entry_names(&archive, EVIDENCE);
    progress.phase("Restoring evidence files", names.len() as u64)?;
    let mut written = 0;
    for name in names {
        let sha = &name[EVIDENCE.len()..];
        // Checked by verify already; checked again because the file is opened anew.
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CoreError::Conflict(format!("{name} is not a name QGP Desktop writes; nothing more was restored.")));
        }
        let target = crate::evidence::stored_path(&paths.evidence_dir, sha);
        if !target.exists() {
            let parent = target.parent().ok_or_else(|| CoreError::Internal("evidence path has no parent".into()))?;
            std::fs::create_dir_all(parent)?;
            let temp = parent.join(format!(".{sha}.{}.tmp", crate::ids::new_id()));
            let mut out = std::fs::File::create(&temp)?;
            let (_, got) = copy_hashed(&mut archive.by_name(&name).map_err(zip_error)?, &mut out, &Progress::default())?;
            out.sync_all()?;
            if got != sha {
                let _ = std::fs::remove_file(&temp);
                return Err(CoreError::Conflict(format!("{name} in the set does not match its hash; nothing more was restored.")));
            }
            std::fs::rename(&temp, &target)?;
            written += 1;
        }
        progress.advance(1)?;
    }
    Ok(written)
}

/// Puts the set's key files in place. A different key already there (a fresh installation makes its own) is kept
/// beside it, renamed, never overwritten.
pub fn unpack_keys(path: &Path, paths: &AppPaths, stamp: &str) -> Result<u64> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path)?).map_err(zip_error)?;
    let names: Vec<String> = entry_names(&archive, KEYS);
    let dir = paths.data_dir.join("keys");
    std::fs::create_dir_all(&dir)?;
    let mut written = 0;
    for name in names {
        let file_name = &name[KEYS.len()..];
        if file_name.is_empty() || file_name.starts_with('.') || file_name.contains(['/', '\\']) {
            return Err(CoreError::Conflict(format!("{name} is not a name QGP Desktop writes; no key was restored.")));
        }
        let mut bytes = Vec::new();
        archive.by_name(&name).map_err(zip_error)?.take(1 << 20).read_to_end(&mut bytes)?;
        let target = dir.join(file_name);
        match std::fs::read(&target) {
            Ok(existing) if existing == bytes => continue,
            Ok(_) => std::fs::rename(&target, dir.join(format!("replaced-{stamp}-{file_name}")))?,
            Err(_) => {}
        }
        let temp = dir.join(format!(".{file_name}.partial"));
        let _ = std::fs::remove_file(&temp);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // Private keys are readable by their owner only, as when the app made them.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&temp)?;
        out.write_all(&bytes)?;
        out.sync_all()?;
        std::fs::rename(&temp, &target)?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ZIP with the given manifest entries and files, as someone other than the app might make one.
    fn crafted(dir: &Path, listed: &[&str], files: &[(&str, &[u8])]) -> PathBuf {
        let path = dir.join("crafted.qgpbackup");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in files {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        let entries: Vec<SetEntry> = listed
            .iter()
            .map(|p| {
                let bytes = files.iter().find(|(n, _)| n == p).map_or(&b""[..], |(_, b)| b);
                SetEntry { path: (*p).into(), size_bytes: bytes.len() as u64, sha256: hex::encode(Sha256::digest(bytes)) }
            })
            .collect();
        let manifest = SetManifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            created_at: "2026-12-04T00:00:00.000Z".into(),
            app_version: "0".into(),
            schema_version: 1,
            installation_id: "i".into(),
            trail_head: TrailHead { seq: 0, hash: String::new() },
            records: Vec::new(),
            entries,
            evidence_missing: Vec::new(),
        };
        zip.start_file(MANIFEST, options).unwrap();
        zip.write_all(&serde_json::to_vec(&manifest).unwrap()).unwrap();
        zip.finish().unwrap();
        path
    }

    #[test]
    fn a_manifest_naming_a_path_the_app_never_writes_is_refused_before_anything_is_read() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["evidence/../../home/user/.bashrc", "keys/../qgp.sqlite3", "keys/..", "/etc/passwd", "database/other.sqlite3"] {
            let path = crafted(dir.path(), &[bad], &[(bad, b"x")]);
            let checked = check(&path, dir.path()).unwrap();
            assert!(checked.problems.iter().any(|p| p.contains("never writes")), "{bad}: {:?}", checked.problems);
            assert!(checked.database.is_none());
        }
    }

    #[test]
    fn an_entry_the_manifest_does_not_list_and_evidence_under_a_false_name_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        let false_name = format!("{EVIDENCE}{}", "a".repeat(64));
        let path =
            crafted(dir.path(), &[false_name.as_str()], &[(false_name.as_str(), b"not the file that hash names"), ("extra.txt", b"x")]);
        let checked = check(&path, dir.path()).unwrap();
        assert!(checked.problems.iter().any(|p| p.contains("extra.txt")), "{:?}", checked.problems);
        assert!(checked.problems.iter().any(|p| p.contains("is not the file its name says")), "{:?}", checked.problems);
        assert!(checked.problems.iter().any(|p| p.contains("no database")), "{:?}", checked.problems);
        assert_eq!(checked.evidence_files, 0);
    }
}
