//! Reference numbers `PREFIX-YYYY-NNNN` (domain.md §1.3), allocated inside the insert's own transaction from
//! a high-water mark per (prefix, year), so a number is never issued twice.

use crate::error::Result;
use rusqlite::Transaction;

/// Allocates the next reference for `prefix` in the UTC year of `created_at` (an RFC 3339 instant).
pub fn allocate(tx: &Transaction, prefix: &str, created_at: &str) -> Result<String> {
    let year: i64 = created_at.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
    let next: i64 = tx
        .prepare_cached(
            "INSERT INTO reference_counters (prefix, year, last_number) VALUES (?1, ?2, 1)
             ON CONFLICT (prefix, year) DO UPDATE SET last_number = last_number + 1
             RETURNING last_number",
        )?
        .query_row(rusqlite::params![prefix, year], |r| r.get(0))?;
    Ok(format(prefix, year, next))
}

/// Formats a reference: at least four digits, more after 9999.
pub fn format(prefix: &str, year: i64, number: i64) -> String {
    format!("{prefix}-{year}-{number:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_zero_padded_to_four_digits_and_grow_past_9999() {
        assert_eq!(format("INC", 2026, 42), "INC-2026-0042");
        assert_eq!(format("INC", 2026, 10000), "INC-2026-10000");
    }

    #[test]
    fn sequence_restarts_each_year_and_is_per_prefix() {
        let mut conn = crate::db::migrated_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        assert_eq!(allocate(&tx, "INC", "2026-12-31T23:59:59.999Z").unwrap(), "INC-2026-0001");
        assert_eq!(allocate(&tx, "INC", "2026-12-31T23:59:59.999Z").unwrap(), "INC-2026-0002");
        assert_eq!(allocate(&tx, "RSK", "2026-06-01T00:00:00.000Z").unwrap(), "RSK-2026-0001");
        assert_eq!(allocate(&tx, "INC", "2027-01-01T00:00:00.000Z").unwrap(), "INC-2027-0001");
        assert_eq!(allocate(&tx, "INC", "2026-05-01T00:00:00.000Z").unwrap(), "INC-2026-0003");
    }

    #[test]
    fn a_rolled_back_allocation_is_not_reissued_after_commit_of_a_later_one() {
        let mut conn = crate::db::migrated_in_memory().unwrap();
        {
            let tx = conn.transaction().unwrap();
            assert_eq!(allocate(&tx, "INC", "2026-01-01T00:00:00.000Z").unwrap(), "INC-2026-0001");
            tx.commit().unwrap();
        }
        let tx = conn.transaction().unwrap();
        assert_eq!(allocate(&tx, "INC", "2026-01-01T00:00:00.000Z").unwrap(), "INC-2026-0002");
    }
}
