//! List conventions shared by every register (domain.md §1.10): paging, archived filter, search, sort.

use crate::error::{FieldCode, Result};
use crate::validate::{Choice, Input};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use ts_rs::TS;

crate::choice_enum! {
    /// Which records a list shows with respect to archiving.
    pub enum ArchivedFilter { Exclude => "exclude", Only => "only", Include => "include" }
}

crate::choice_enum! {
    /// Sort direction.
    pub enum SortDirection { Asc => "asc", Desc => "desc" }
}

/// A page of a list: `pages` = ceil(total / pageSize), so no items → 0 pages.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub page: i64,
    #[ts(type = "number")]
    pub page_size: i64,
    #[ts(type = "number")]
    pub pages: i64,
}

impl<T> Page<T> {
    /// Builds the reply for one page.
    pub fn new(items: Vec<T>, total: i64, request: &PageRequest) -> Self {
        let pages = (total + request.page_size - 1) / request.page_size;
        Page { items, total, page: request.page, page_size: request.page_size, pages }
    }
}

/// Validated paging, archive filter, search and sort of a list request.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub page: i64,
    pub page_size: i64,
    pub archived: ArchivedFilter,
    pub search: Option<String>,
    pub sort: Option<String>,
    pub direction: Option<SortDirection>,
}

impl PageRequest {
    /// `LIMIT … OFFSET …` for this page.
    pub fn limit_offset(&self) -> (i64, i64) {
        (self.page_size, (self.page - 1) * self.page_size)
    }

    /// The SQL condition for the archived filter on a table alias.
    pub fn archived_sql(&self, alias: &str) -> String {
        match self.archived {
            ArchivedFilter::Exclude => format!("{alias}.archived_at IS NULL"),
            ArchivedFilter::Only => format!("{alias}.archived_at IS NOT NULL"),
            ArchivedFilter::Include => "1 = 1".to_owned(),
        }
    }
}

/// The paging, archive filter, search and sort every list input accepts (flattened into each module's list input).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ListPaging {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    pub archived: Option<ArchivedFilter>,
    pub search: Option<String>,
    pub sort: Option<String>,
    pub direction: Option<SortDirection>,
}

/// A filter that is a list of record ids (owners, drivers, leads…).
pub fn id_list(v: &mut Input, key: &str, label: &str) -> Vec<String> {
    match v.raw(key) {
        Some(serde_json::Value::Array(items)) if items.iter().all(serde_json::Value::is_string) => {
            items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect()
        }
        Some(_) => {
            v.error(key, FieldCode::InvalidFormat, format!("{label} must be a list of user ids"));
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// `WHERE … ORDER BY … LIMIT …` for one page. Deep pages find their rows first by rowid alone — the skipped rows
/// are only index entries, never table rows or joins — and then read just the page's rows: the last page of 100,000
/// incidents went from ~90 ms (every skipped row read and joined) to a few milliseconds (docs/performance.md). Page
/// numbers stay exact, so the screen can still jump to any page. The first page keeps the plain form, which the
/// planner already answers by stopping after one page.
/// `index`: the covering index the skipping walk must use, when the caller knows it (SQLite's planner prefers a
/// narrower index that then reads every skipped row to test the filter: 106 ms instead of 4–6 ms).
pub fn page_clause(table_and_alias: &str, index: Option<&str>, where_sql: &str, order_by: &str, limit: i64, offset: i64) -> String {
    let alias = table_and_alias.rsplit(' ').next().unwrap_or(table_and_alias);
    if offset == 0 {
        format!("WHERE {where_sql} ORDER BY {order_by} LIMIT {limit}")
    } else {
        format!(
            "WHERE {alias}.rowid IN (SELECT {alias}.rowid FROM {table_and_alias}{} WHERE {where_sql} ORDER BY {order_by} \
             LIMIT {limit} OFFSET {offset}) ORDER BY {order_by}",
            index.map(|i| format!(" INDEXED BY {i}")).unwrap_or_default()
        )
    }
}

/// The input keys every list accepts.
pub const LIST_KEYS: &[&str] = &["page", "pageSize", "archived", "search", "sort", "direction"];

/// Reads the common list keys; `sorts` are the module's allowed order fields (camelCase).
pub fn read_page_request(v: &mut Input, sorts: &[&str]) -> PageRequest {
    let page = v.integer("page", "Page", 1, i64::MAX, false).unwrap_or(1);
    let page_size = v.integer("pageSize", "Page size", 1, 200, false).unwrap_or(50);
    let (page, page_size) = if UNPAGED.with(Cell::get) { (1, ALL_ROWS) } else { (page, page_size) };
    let archived = v.choice("archived", "Archived", Some(ArchivedFilter::Exclude)).unwrap_or(ArchivedFilter::Exclude);
    let search = v.text("search", "Search", 0, 200, false);
    let sort = v.text("sort", "Sort", 0, 50, false);
    if let Some(s) = &sort {
        if !sorts.contains(&s.as_str()) {
            v.error("sort", FieldCode::InvalidChoice, format!("Sort must be one of: {} (got '{s}')", sorts.join(", ")));
        }
    }
    let direction = v.choice::<SortDirection>("direction", "Direction", None);
    PageRequest { page, page_size, archived, search, sort, direction }
}

/// Page size that means "every row" (large enough, small enough not to overflow `pages`).
const ALL_ROWS: i64 = 1 << 40;

thread_local! {
    static UNPAGED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` — a register's list use case — returning every row of the filtered, sorted view on one page: exports
/// take "the current view" through the very filter and sort code the screen uses.
pub fn unpaged<T>(f: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            UNPAGED.with(|u| u.set(false));
        }
    }
    UNPAGED.with(|u| u.set(true));
    let _reset = Reset;
    f()
}

/// Turns free text into an FTS5 query: each word a quoted prefix term, all required.
pub fn fts_query(search: &str) -> Option<String> {
    let terms: Vec<String> = search
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Direction keyword for SQL.
pub fn sql_direction(d: SortDirection) -> &'static str {
    match d {
        SortDirection::Asc => "ASC",
        SortDirection::Desc => "DESC",
    }
}

/// Convenience for list filters: a list of enum values (several values of one filter OR together).
pub fn choice_list<E: Choice>(v: &mut Input, key: &str, label: &str) -> Vec<E> {
    let Some(raw) = v.raw(key) else { return Vec::new() };
    let Some(items) = raw.as_array() else {
        v.error(key, FieldCode::InvalidFormat, format!("{label} must be a list"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        match item.as_str().and_then(E::parse) {
            Some(e) => out.push(e),
            None => {
                v.error(key, FieldCode::InvalidChoice, format!("{label} must contain only: {} (got {item})", E::VALUES.join(", ")));
                return Vec::new();
            }
        }
    }
    out
}

/// Result alias re-export for list use cases.
pub type ListResult<T> = Result<Page<T>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_is_the_ceiling_and_zero_for_no_items() {
        let req = PageRequest { page: 1, page_size: 50, archived: ArchivedFilter::Exclude, search: None, sort: None, direction: None };
        assert_eq!(Page::<()>::new(vec![], 0, &req).pages, 0);
        assert_eq!(Page::<()>::new(vec![], 50, &req).pages, 1);
        assert_eq!(Page::<()>::new(vec![], 51, &req).pages, 2);
    }

    #[test]
    fn fts_query_quotes_words_as_prefixes() {
        assert_eq!(fts_query("  slip INC-2026 ").as_deref(), Some("\"slip\"* \"INC-2026\"*"));
        assert_eq!(fts_query(" \" - "), None);
    }
}
