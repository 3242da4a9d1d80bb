//! Who is "involved" in a record, for the grants a role holds on its own records only (domain.md §2, "O"): the
//! creator, and whoever is named as owner, investigator, lead investigator, lead auditor, reviewer, driver or in an
//! investigation's team. One query for every table, so commands that act on a record of any register (detaching
//! evidence, linking a clause) apply the same rule as the register's own edits without reaching into its module.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

/// Columns that name a profile as involved in the record.
const PERSON_COLUMNS: &[&str] =
    &["created_by", "owner_id", "investigator_id", "lead_investigator_id", "lead_auditor_id", "reviewer_id", "driver_user_id"];

/// The profile ids involved in row `id` of `table` (empty when there is no such row). `table` is one of the app's
/// own table names, never user input.
pub fn ids(conn: &Connection, table: &str, id: &str) -> Result<Vec<String>> {
    let mut present = Vec::new();
    let mut has_team = false;
    {
        let mut stmt = conn.prepare_cached("SELECT name FROM pragma_table_info(?1)")?;
        for name in stmt.query_map([table], |r| r.get::<_, String>(0))? {
            let name = name?;
            has_team |= name == "team";
            if PERSON_COLUMNS.contains(&name.as_str()) {
                present.push(name);
            }
        }
    }
    let mut out = Vec::new();
    if !present.is_empty() {
        let sql = format!("SELECT {} FROM {table} WHERE id = ?1", present.join(", "));
        let row: Option<Vec<Option<String>>> =
            conn.query_row(&sql, [id], |r| (0..present.len()).map(|i| r.get::<_, Option<String>>(i)).collect()).optional()?;
        out.extend(row.into_iter().flatten().flatten());
    }
    if has_team {
        let mut stmt = conn.prepare_cached(&format!("SELECT j.value FROM {table} t, json_each(t.team) j WHERE t.id = ?1"))?;
        for member in stmt.query_map([id], |r| r.get::<_, String>(0))? {
            out.push(member?);
        }
    }
    Ok(out)
}

/// As [`ids`], as the borrowed list `Call::require_on` takes.
pub fn as_refs(ids: &[String]) -> Vec<Option<&str>> {
    ids.iter().map(|s| Some(s.as_str())).collect()
}
