//! Mapping between serde structs (camelCase API names) and table columns (snake_case), so each aggregate's
//! repository stays a few lines of SQL instead of forty hand-written column bindings.
//!
//! Column names always come from our own structs, never from user input. BOOLEAN columns come back as JSON
//! booleans; JSON columns as parsed JSON.

use crate::error::{CoreError, Result};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Row, Statement, Transaction};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{Map, Value};

/// `incidentDate` → `incident_date`.
pub fn camel_to_snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `incident_date` → `incidentDate`.
pub fn snake_to_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut upper = false;
    for c in s.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn json_to_sql(v: Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(b)),
        Value::Number(n) => n.as_i64().map(SqlValue::Integer).unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => SqlValue::Text(s),
        other => SqlValue::Text(other.to_string()),
    }
}

/// A struct's fields as `(column, value)` pairs, keys converted to snake_case.
pub fn to_columns<T: Serialize>(value: &T) -> Result<Vec<(String, SqlValue)>> {
    match serde_json::to_value(value)? {
        Value::Object(map) => Ok(map.into_iter().map(|(k, v)| (camel_to_snake(&k), json_to_sql(v))).collect()),
        _ => Err(CoreError::Internal("row struct did not serialise to an object".into())),
    }
}

/// The column declared types of a prepared statement, used to turn 0/1 back into booleans.
pub fn column_kinds(stmt: &Statement) -> Vec<(String, String)> {
    stmt.columns().map(|c| (snake_to_camel(c.name()), c.decl_type().unwrap_or("").to_ascii_uppercase())).collect()
}

/// One row as a JSON object with camelCase keys.
pub fn row_to_json(row: &Row, kinds: &[(String, String)]) -> rusqlite::Result<Map<String, Value>> {
    let mut map = Map::with_capacity(kinds.len());
    for (i, (name, decl)) in kinds.iter().enumerate() {
        let v = match row.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) if decl == "BOOLEAN" => Value::Bool(n != 0),
            ValueRef::Integer(n) => Value::from(n),
            ValueRef::Real(f) => Value::from(f),
            ValueRef::Text(t) => {
                let s = String::from_utf8_lossy(t).into_owned();
                if decl == "JSON" {
                    serde_json::from_str(&s).unwrap_or(Value::String(s))
                } else {
                    Value::String(s)
                }
            }
            ValueRef::Blob(_) => Value::Null,
        };
        map.insert(name.clone(), v);
    }
    Ok(map)
}

/// Deserialises a row into `T` through its JSON form.
pub fn from_row<T: DeserializeOwned>(row: &Row, kinds: &[(String, String)]) -> rusqlite::Result<T> {
    let map = row_to_json(row, kinds)?;
    serde_json::from_value(Value::Object(map))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// Runs a query and deserialises every row into `T`.
pub fn query_as<T: DeserializeOwned>(stmt: &mut Statement, params: impl rusqlite::Params) -> Result<Vec<T>> {
    let kinds = column_kinds(stmt);
    let rows = stmt.query_map(params, |r| from_row::<T>(r, &kinds))?;
    Ok(rows.collect::<rusqlite::Result<Vec<T>>>()?)
}

/// `INSERT INTO table (cols…) VALUES (…)` from column pairs.
pub fn insert(tx: &Transaction, table: &str, columns: &[(String, SqlValue)]) -> Result<()> {
    use std::fmt::Write;
    // Built in one buffer: this runs for every row of an import.
    let mut sql = String::with_capacity(32 + columns.len() * 24);
    let _ = write!(sql, "INSERT INTO {table} (");
    for (i, (name, _)) in columns.iter().enumerate() {
        sql.push_str(if i == 0 { "" } else { ", " });
        sql.push_str(name);
    }
    sql.push_str(") VALUES (");
    for i in 1..=columns.len() {
        let _ = write!(sql, "{}?{i}", if i == 1 { "" } else { ", " });
    }
    sql.push(')');
    tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(columns.iter().map(|(_, v)| v)))?;
    Ok(())
}

/// `UPDATE table SET … WHERE id = ?` from column pairs; returns the number of rows changed.
pub fn update_by_id(tx: &Transaction, table: &str, id: &str, columns: &[(String, SqlValue)]) -> Result<usize> {
    let sets: Vec<String> = columns.iter().enumerate().map(|(i, (k, _))| format!("{k} = ?{}", i + 1)).collect();
    let sql = format!("UPDATE {table} SET {} WHERE id = ?{}", sets.join(", "), columns.len() + 1);
    let mut values: Vec<SqlValue> = columns.iter().map(|(_, v)| v.clone()).collect();
    values.push(SqlValue::Text(id.to_owned()));
    Ok(tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values.iter()))?)
}

/// A serialisable value as a JSON object (for audit diffs).
pub fn to_object(v: &impl Serialize) -> Result<Map<String, Value>> {
    match serde_json::to_value(v)? {
        Value::Object(m) => Ok(m),
        _ => Err(CoreError::Internal("expected an object".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions_round_trip() {
        for s in ["incident_date", "riddor_reportable", "id", "first_aid_given"] {
            assert_eq!(camel_to_snake(&snake_to_camel(s)), s);
        }
        assert_eq!(snake_to_camel("emergency_services_called"), "emergencyServicesCalled");
    }
}
