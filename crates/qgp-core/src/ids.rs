//! Record identifiers: UUIDv7, lowercase hyphenated, generated only by the backend (domain.md §1.2).

use uuid::Uuid;

/// A new UUIDv7 in its lowercase hyphenated text form.
pub fn new_id() -> String {
    Uuid::now_v7().hyphenated().to_string()
}

/// True when `s` is a lowercase hyphenated UUID (any version); ids from the UI are checked with this.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36 && Uuid::parse_str(s).is_ok() && s == s.to_ascii_lowercase()
}
