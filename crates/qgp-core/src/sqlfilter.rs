//! A small builder for list queries: WHERE conditions with named parameters, so each register's store states
//! its filters in a few lines and every value is bound, never spliced into SQL.

use rusqlite::types::Value as SqlValue;
use rusqlite::ToSql;

/// Conditions joined by AND, with their bound parameters.
#[derive(Default)]
pub struct Filters {
    wheres: Vec<String>,
    params: Vec<(String, SqlValue)>,
}

impl Filters {
    /// Starts with one fixed condition (usually the archived filter).
    pub fn new(first: impl Into<String>) -> Self {
        Filters { wheres: vec![first.into()], params: Vec::new() }
    }

    /// Binds `value` as `:name` and returns the placeholder.
    pub fn bind(&mut self, name: &str, value: impl Into<SqlValue>) -> String {
        let key = format!(":{name}");
        self.params.push((key.clone(), value.into()));
        key
    }

    /// Adds a condition as written.
    pub fn push(&mut self, condition: impl Into<String>) {
        self.wheres.push(condition.into());
    }

    /// `column IN (…)` over text values; nothing when the list is empty (no filter).
    pub fn any_of<S: AsRef<str>>(&mut self, column: &str, name: &str, values: &[S]) {
        if values.is_empty() {
            return;
        }
        let marks: Vec<String> = values.iter().enumerate().map(|(i, v)| self.bind(&format!("{name}{i}"), v.as_ref().to_owned())).collect();
        self.wheres.push(format!("{column} IN ({})", marks.join(", ")));
    }

    /// Adds `condition` when `flag` is true, `NOT condition` when false, nothing when unset.
    pub fn tri_state(&mut self, flag: Option<bool>, condition: &str) {
        match flag {
            Some(true) => self.wheres.push(format!("({condition})")),
            Some(false) => self.wheres.push(format!("NOT ({condition})")),
            None => {}
        }
    }

    /// The WHERE body.
    pub fn sql(&self) -> String {
        self.wheres.join(" AND ")
    }

    /// Parameters for rusqlite's named binding.
    pub fn params(&self) -> Vec<(&str, &dyn ToSql)> {
        self.params.iter().map(|(k, v)| (k.as_str(), v as &dyn ToSql)).collect()
    }
}
