//! An import keeps the register's search index up to date in one step at the end instead of row by row.
//!
//! Row by row, every statement of the import opens a statement savepoint, and FTS5 writes its pending terms out at
//! each one: a new index segment per row, merged again and again — a sixth of a large import's time. So, inside
//! the import's own transaction, the register's search triggers are set aside, the rows are written, the new rows
//! are indexed with one statement, and the triggers are put back exactly as they were. It is all one transaction:
//! a failed, cancelled or dry-run import rolls the triggers back with the rows, and no reader ever sees a register
//! without them.

use crate::error::{CoreError, Result};
use rusqlite::Transaction;

/// The register's search triggers, set aside until [`DeferredIndex::finish`].
pub struct DeferredIndex {
    table: String,
    index: String,
    columns: Vec<String>,
    /// The register's highest rowid before the import: nothing is ever deleted, so new rows are those above it.
    rowid_before: i64,
    triggers: Vec<(String, String)>,
}

impl DeferredIndex {
    /// Sets aside the insert and update search triggers of `table` (its index is `<table>_fts`).
    pub fn begin(tx: &Transaction, table: &str) -> Result<Self> {
        let index = format!("{table}_fts");
        let mut stmt =
            tx.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1 AND name IN (?2, ?3) ORDER BY name")?;
        let triggers = stmt
            .query_map([table, &format!("{index}_insert"), &format!("{index}_update")], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        drop(stmt);
        if triggers.len() != 2 {
            return Err(CoreError::Internal(format!("the search triggers of {table} are not as expected")));
        }
        let mut stmt = tx.prepare(&format!("SELECT name FROM pragma_table_info('{index}')"))?;
        let columns = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        drop(stmt);
        let rowid_before: i64 = tx.query_row(&format!("SELECT COALESCE(MAX(rowid), 0) FROM {table}"), [], |r| r.get(0))?;
        for (name, _) in &triggers {
            tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
        }
        Ok(DeferredIndex { table: table.to_owned(), index, columns, rowid_before, triggers })
    }

    /// Indexes every row written since [`begin`](Self::begin), in their final form, and puts the triggers back.
    pub fn finish(self, tx: &Transaction) -> Result<()> {
        let columns = self.columns.join(", ");
        tx.execute(
            &format!(
                "INSERT INTO {index} (rowid, {columns}) SELECT rowid, {columns} FROM {table} WHERE rowid > ?1 ORDER BY rowid",
                index = self.index,
                table = self.table
            ),
            [self.rowid_before],
        )?;
        for (_, sql) in &self.triggers {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}
