//! The shipped catalogue (§3): four standards as clause trees with this project's own paraphrases, the 93 Annex A
//! controls of ISO/IEC 27001:2022, and the equivalent harmonised-structure clauses mapped across standards.
//!
//! Ids are fixed — UUIDv5 of a stable name — so the same clause has the same id on every installation and records
//! merged from another laptop keep their links. Installing is idempotent: built-in rows are inserted or refreshed
//! (titles and paraphrases only); what users set (exclusions, licensed text, SoA entries) is never touched.

use crate::error::Result;
use rusqlite::Transaction;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Namespace of the catalogue's fixed ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x5f1c_2b0e_8a4d_4c11_9d7e_3a60_b2f4_0c01);

/// A shipped standard and its clause file.
pub struct ShippedStandard {
    pub code: &'static str,
    pub title: &'static str,
    pub edition: &'static str,
    pub text: &'static str,
}

pub const SHIPPED: &[ShippedStandard] = &[
    ShippedStandard {
        code: "ISO9001",
        title: "ISO 9001 Quality management systems — Requirements",
        edition: "2015",
        text: include_str!("../../catalogue/iso9001.txt"),
    },
    ShippedStandard {
        code: "ISO14001",
        title: "ISO 14001 Environmental management systems — Requirements with guidance for use",
        edition: "2015",
        text: include_str!("../../catalogue/iso14001.txt"),
    },
    ShippedStandard {
        code: "ISO45001",
        title: "ISO 45001 Occupational health and safety management systems — Requirements with guidance for use",
        edition: "2018",
        text: include_str!("../../catalogue/iso45001.txt"),
    },
    ShippedStandard {
        code: "ISO27001",
        title: "ISO/IEC 27001 Information security, cybersecurity and privacy protection — Information security management systems — Requirements",
        edition: "2022",
        text: include_str!("../../catalogue/iso27001.txt"),
    },
];

/// Harmonised-structure clauses that mean the same in every standard that has them (by number).
const HARMONISED: &[&str] = &[
    "4", "4.1", "4.2", "4.3", "4.4", "5", "5.1", "5.2", "5.3", "6", "6.1", "6.2", "7", "7.1", "7.2", "7.3", "7.4", "7.5", "7.5.1", "7.5.2",
    "7.5.3", "8", "8.1", "9", "9.1", "9.2", "9.3", "10", "10.2",
];

pub fn standard_id(code: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("standard:{code}").as_bytes()).to_string()
}

pub fn clause_id(code: &str, number: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("clause:{code}:{number}").as_bytes()).to_string()
}

pub fn control_id(code: &str, number: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("control:{code}:{number}").as_bytes()).to_string()
}

fn soa_id(control_id: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("soa:{control_id}").as_bytes()).to_string()
}

fn mapping_id(a: &str, b: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("mapping:{a}:{b}").as_bytes()).to_string()
}

/// Natural sort key of a dotted number: numeric parts zero-padded (4.10 after 4.9), letters kept (Annex A after 10).
pub fn sort_key(number: &str) -> String {
    number
        .split('.')
        .map(|part| match part.parse::<u32>() {
            Ok(n) => format!("{n:05}"),
            Err(_) => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// One catalogue line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub number: String,
    pub title: String,
    pub paraphrase: String,
}

/// Parses `number | title | paraphrase` lines, skipping comments and blank lines.
pub fn parse(text: &str) -> Vec<Entry> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, '|').map(str::trim);
            Some(Entry { number: parts.next()?.to_owned(), title: parts.next()?.to_owned(), paraphrase: parts.next()?.to_owned() })
        })
        .collect()
}

/// An Annex A control is a number with three parts under a theme clause (A.5.1); a theme is A.5 … A.8.
pub fn is_control(number: &str) -> bool {
    number.starts_with("A.") && number.matches('.').count() == 2
}

pub fn theme_of(number: &str) -> Option<&'static str> {
    match number.split('.').nth(1)? {
        "5" => Some("organizational"),
        "6" => Some("people"),
        "7" => Some("physical"),
        "8" => Some("technological"),
        _ => None,
    }
}

/// The number one level up: 7.1.5 → 7.1; top-level clauses (7) and Annex A themes (A.5) have none.
fn parent_number(number: &str) -> Option<&str> {
    number.rsplit_once('.').map(|(p, _)| p).filter(|p| p.parse::<u32>().is_ok() || p.contains('.'))
}

/// Depth in the tree: 1 for 7 and A.5, 2 for 7.1 and A.5.1, …
fn level_of(number: &str) -> i64 {
    let parts = number.split('.').count() as i64;
    if number.starts_with("A.") {
        parts - 1
    } else {
        parts
    }
}

/// Fingerprint of the shipped catalogue; a database holding the same one is left alone at start-up.
pub fn fingerprint() -> String {
    let mut h = Sha256::new();
    for s in SHIPPED {
        h.update(s.code.as_bytes());
        h.update(s.title.as_bytes());
        h.update(s.edition.as_bytes());
        h.update(s.text.as_bytes());
    }
    h.update(HARMONISED.join(",").as_bytes());
    hex::encode(h.finalize())
}

/// Installs or refreshes the catalogue inside `tx`; returns false when it was already current.
pub fn install(tx: &Transaction, now: &str) -> Result<bool> {
    let current: Option<String> = tx.query_row("SELECT value FROM catalogue_meta WHERE key = 'fingerprint'", [], |r| r.get(0)).ok();
    let fp = fingerprint();
    if current.as_deref() == Some(fp.as_str()) {
        return Ok(false);
    }
    for s in SHIPPED {
        let sid = standard_id(s.code);
        tx.execute(
            "INSERT INTO standards (id, code, title, edition, is_builtin, is_active, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 1, 1, ?5, ?5)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, edition = excluded.edition",
            rusqlite::params![sid, s.code, s.title, s.edition, now],
        )?;
        // Parents come before children in the files, so each parent exists when its child is written.
        for e in parse(s.text) {
            if is_control(&e.number) {
                let cid = control_id(s.code, &e.number);
                let theme_clause = clause_id(s.code, parent_number(&e.number).unwrap_or_default());
                tx.execute(
                    "INSERT INTO controls (id, standard_id, clause_id, number, title, paraphrase, theme, sort_key, is_builtin, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)
                     ON CONFLICT (id) DO UPDATE SET title = excluded.title, paraphrase = excluded.paraphrase",
                    rusqlite::params![
                        cid,
                        sid,
                        theme_clause,
                        e.number,
                        e.title,
                        e.paraphrase,
                        theme_of(&e.number).unwrap_or("organizational"),
                        sort_key(&e.number),
                        now
                    ],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO soa_entries (id, control_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                    rusqlite::params![soa_id(&cid), cid, now],
                )?;
            } else {
                let parent = parent_number(&e.number).map(|p| clause_id(s.code, p));
                tx.execute(
                    "INSERT INTO clauses (id, standard_id, number, title, paraphrase, parent_id, level, sort_key, is_builtin, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9)
                     ON CONFLICT (id) DO UPDATE SET title = excluded.title, paraphrase = excluded.paraphrase",
                    rusqlite::params![
                        clause_id(s.code, &e.number),
                        sid,
                        e.number,
                        e.title,
                        e.paraphrase,
                        parent,
                        level_of(&e.number),
                        sort_key(&e.number),
                        now
                    ],
                )?;
            }
        }
    }
    for (a, b) in harmonised_pairs() {
        let (x, y) = if a < b { (a, b) } else { (b, a) };
        tx.execute(
            "INSERT OR IGNORE INTO clause_mappings (id, clause_a_id, clause_b_id, relation, is_builtin, created_at)
             VALUES (?1, ?2, ?3, 'equivalent', 1, ?4)",
            rusqlite::params![mapping_id(&x, &y), x, y, now],
        )?;
    }
    tx.execute(
        "INSERT INTO catalogue_meta (key, value) VALUES ('fingerprint', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [&fp],
    )?;
    Ok(true)
}

/// Equivalent clause pairs across every two shipped standards: the harmonised clauses both have, plus continual
/// improvement, numbered 10.1 in ISO/IEC 27001:2022 and 10.3 in the others.
pub fn harmonised_pairs() -> Vec<(String, String)> {
    let numbers = |s: &ShippedStandard| -> Vec<String> { parse(s.text).into_iter().map(|e| e.number).collect() };
    let improvement = |s: &ShippedStandard| if s.code == "ISO27001" { "10.1" } else { "10.3" };
    let mut out = Vec::new();
    for (i, a) in SHIPPED.iter().enumerate() {
        for b in &SHIPPED[i + 1..] {
            let (na, nb) = (numbers(a), numbers(b));
            for n in HARMONISED {
                if na.iter().any(|x| x == n) && nb.iter().any(|x| x == n) {
                    out.push((clause_id(a.code, n), clause_id(b.code, n)));
                }
            }
            out.push((clause_id(a.code, improvement(a)), clause_id(b.code, improvement(b))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_naturally_and_annex_a_after_the_clauses() {
        let mut v = ["4.10", "4.9", "10", "A.5.10", "A.5.9", "9.3.1", "A.5"];
        v.sort_by_key(|n| sort_key(n));
        assert_eq!(v, ["4.9", "4.10", "9.3.1", "10", "A.5", "A.5.9", "A.5.10"]);
    }

    #[test]
    fn ids_are_fixed_across_installations() {
        assert_eq!(clause_id("ISO9001", "8.3"), clause_id("ISO9001", "8.3"));
        assert_ne!(clause_id("ISO9001", "8.3"), clause_id("ISO14001", "8.3"));
        // Written down once: changing the namespace or the naming would break links merged from other laptops.
        assert_eq!(clause_id("ISO9001", "8.3"), "8449baa6-0e9d-5c17-be71-56ff88cd2c12");
        assert_eq!(standard_id("ISO27001"), "e69b28fb-bae6-5853-b82e-2252f12f524c");
        assert_eq!(control_id("ISO27001", "A.8.24"), "17050f7d-fe4d-574d-9765-e57910dbc5f0");
    }
}
