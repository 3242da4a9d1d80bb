//! Input normalisation and validation shared by every module (domain.md §1.1, §1.9).
//!
//! An [`Input`] reads a JSON object field by field, normalising as it goes (trim, blank → null, case rules)
//! and collecting every problem, so one reply lists every bad field and nothing is written. Unknown fields
//! are refused, never dropped.

use crate::error::{CoreError, FieldCode, FieldError, Result};
use jiff::civil::Date;
use serde_json::{Map, Value};

thread_local! {
    static KEPT: std::cell::RefCell<Option<Map<String, Value>>> = const { std::cell::RefCell::new(None) };
}

/// Clears the kept values when the validation ends, however it ends.
struct KeptGuard;

impl Drop for KeptGuard {
    fn drop(&mut self) {
        KEPT.with(|k| *k.borrow_mut() = None);
    }
}

/// Runs `f` — the validation of an update — knowing the record's current values, so that a reference the update
/// keeps unchanged is not judged again: a profile deactivated since still owns what it owned, and fixing a typo does
/// not force a new owner. A reference that changes is judged in full.
pub fn keeping<T>(current: &impl serde::Serialize, f: impl FnOnce() -> T) -> T {
    let map = serde_json::to_value(current).ok().and_then(|v| v.as_object().cloned());
    KEPT.with(|k| *k.borrow_mut() = map);
    let _guard = KeptGuard;
    f()
}

/// Whether `key` keeps the record's current value `value` (inside [`keeping`]).
pub fn is_kept(key: &str, value: &str) -> bool {
    KEPT.with(|k| k.borrow().as_ref().and_then(|m| m.get(key)).and_then(Value::as_str) == Some(value))
}

/// Whether the list at `key` already held `value` (inside [`keeping`]).
pub fn is_kept_in(key: &str, value: &str) -> bool {
    KEPT.with(|k| {
        k.borrow().as_ref().and_then(|m| m.get(key)).and_then(Value::as_array).is_some_and(|a| a.iter().any(|x| x.as_str() == Some(value)))
    })
}

/// An enumeration whose values travel as lowercase snake_case strings.
pub trait Choice: Sized + Copy + 'static {
    /// Every allowed value, in display order.
    const VALUES: &'static [&'static str];
    /// The value for a string, if allowed (case-sensitive).
    fn parse(s: &str) -> Option<Self>;
    /// The string form.
    fn as_str(self) -> &'static str;
}

/// Declares an enumeration with its snake_case strings, serde and TypeScript forms.
#[macro_export]
macro_rules! choice_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        pub enum $name { $( #[serde(rename = $text)] $variant ),+ }

        impl $crate::validate::Choice for $name {
            const VALUES: &'static [&'static str] = &[$($text),+];
            fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::validate::Choice::as_str(*self))
            }
        }

        $crate::inventory::submit! { $crate::validate::ChoiceCodes(&[$($text),+]) }
    };
}

/// Every enumeration's codes, collected from each [`choice_enum!`]: the history screen shows a recorded code as its
/// label, and must know a code from free text that happens to be one word.
pub struct ChoiceCodes(pub &'static [&'static str]);
inventory::collect!(ChoiceCodes);

/// True when `s` is one of the codes of any enumeration.
pub fn is_choice_code(s: &str) -> bool {
    static CODES: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| inventory::iter::<ChoiceCodes>.into_iter().flat_map(|c| c.0.iter().copied()).collect()).contains(s)
}

/// Earliest and latest acceptable `D` values (domain.md §1.1).
pub const MIN_DATE: Date = jiff::civil::date(1970, 1, 1);
pub const MAX_DATE: Date = jiff::civil::date(2100, 12, 31);

/// Reads and validates one JSON object, collecting field errors.
pub struct Input<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
    errors: Vec<FieldError>,
}

fn has_bad_control(s: &str, multiline: bool) -> bool {
    s.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
}

impl<'a> Input<'a> {
    /// Starts reading `map`; keys not in `known` are reported as errors straight away.
    pub fn new(map: &'a Map<String, Value>, known: &[&str]) -> Self {
        let mut input = Input { map, prefix: String::new(), errors: Vec::new() };
        input.check_unknown(known);
        input
    }

    /// Reads a nested object (a list item), naming its fields `prefix.field`.
    pub fn nested(map: &'a Map<String, Value>, known: &[&str], prefix: String) -> Self {
        let mut input = Input { map, prefix, errors: Vec::new() };
        input.check_unknown(known);
        input
    }

    fn check_unknown(&mut self, known: &[&str]) {
        let mut unknown: Vec<&String> = self.map.keys().filter(|k| !known.contains(&k.as_str())).collect();
        unknown.sort();
        for key in unknown {
            self.error(key, FieldCode::InvalidFormat, format!("'{key}' is not a field of this record"));
        }
    }

    fn name(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// Records an error against `key`.
    pub fn error(&mut self, key: &str, code: FieldCode, message: impl Into<String>) {
        let field = self.name(key);
        self.errors.push(FieldError { field, code, message: message.into() });
    }

    /// True when an error was recorded for `key`.
    pub fn has_error(&self, key: &str) -> bool {
        let name = self.name(key);
        self.errors.iter().any(|e| e.field == name)
    }

    /// The raw value, with null treated as absent.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn string(&mut self, key: &str, label: &str) -> Option<&'a str> {
        match self.raw(key)? {
            Value::String(s) => Some(s.as_str()),
            _ => {
                self.error(key, FieldCode::InvalidFormat, format!("{label} must be text"));
                None
            }
        }
    }

    fn text_impl(&mut self, key: &str, label: &str, min: usize, max: usize, required: bool, multiline: bool) -> Option<String> {
        let raw = self.string(key, label);
        let trimmed = raw.map(str::trim).filter(|s| !s.is_empty());
        let Some(text) = trimmed else {
            if required && !self.has_error(key) {
                self.error(key, FieldCode::Required, format!("{label} cannot be blank"));
            }
            return None;
        };
        if has_bad_control(text, multiline) {
            let what = if multiline { "control characters" } else { "line breaks or control characters" };
            self.error(key, FieldCode::InvalidFormat, format!("{label} cannot contain {what}"));
            return None;
        }
        let len = text.chars().count();
        if len < min {
            self.error(key, FieldCode::TooShort, format!("{label} must be at least {min} characters"));
            return None;
        }
        if len > max {
            self.error(key, FieldCode::TooLong, format!("{label} must be at most {max} characters (it has {len})"));
            return None;
        }
        Some(text.to_owned())
    }

    /// One-line text `T(min..max)`, trimmed; blank → null (or `required`).
    pub fn text(&mut self, key: &str, label: &str, min: usize, max: usize, required: bool) -> Option<String> {
        self.text_impl(key, label, min, max, required, false)
    }

    /// Multi-line text `LT(≤max)`, trimmed at both ends; newlines and tabs allowed.
    pub fn long_text(&mut self, key: &str, label: &str, min: usize, max: usize, required: bool) -> Option<String> {
        self.text_impl(key, label, min, max, required, true)
    }

    /// Upper-cased one-line text (vehicle registrations, postcodes).
    pub fn upper_text(&mut self, key: &str, label: &str, max: usize) -> Option<String> {
        self.text(key, label, 0, max, false).map(|s| s.to_uppercase())
    }

    /// An enumeration value; absent → `default`.
    pub fn choice<E: Choice>(&mut self, key: &str, label: &str, default: Option<E>) -> Option<E> {
        let Some(s) = self.string(key, label) else {
            return default;
        };
        match E::parse(s) {
            Some(v) => Some(v),
            None => {
                self.error(key, FieldCode::InvalidChoice, format!("{label} must be one of: {} (got '{s}')", E::VALUES.join(", ")));
                None
            }
        }
    }

    /// A required enumeration value with no default.
    pub fn required_choice<E: Choice>(&mut self, key: &str, label: &str) -> Option<E> {
        let v = self.choice::<E>(key, label, None);
        if v.is_none() && !self.has_error(key) {
            self.error(key, FieldCode::Required, format!("{label} is required"));
        }
        v
    }

    /// A calendar date `YYYY-MM-DD` within 1970..2100.
    pub fn date(&mut self, key: &str, label: &str, required: bool) -> Option<Date> {
        let Some(s) = self.string(key, label) else {
            if required && !self.has_error(key) {
                self.error(key, FieldCode::Required, format!("{label} is required"));
            }
            return None;
        };
        let s = s.trim();
        let parsed = (s.len() == 10).then(|| s.parse::<Date>().ok()).flatten();
        match parsed {
            None => {
                self.error(key, FieldCode::InvalidFormat, format!("{label} must be a date in the form YYYY-MM-DD"));
                None
            }
            Some(d) if d < MIN_DATE => {
                self.error(key, FieldCode::OutOfRange, format!("{label} cannot be before 1970-01-01"));
                None
            }
            Some(d) if d > MAX_DATE => {
                self.error(key, FieldCode::OutOfRange, format!("{label} cannot be after 2100-12-31"));
                None
            }
            Some(d) => Some(d),
        }
    }

    /// A local time `HH:MM`.
    pub fn time_hm(&mut self, key: &str, label: &str) -> Option<String> {
        let s = self.string(key, label)?.trim();
        let ok = s.len() == 5
            && s.as_bytes()[2] == b':'
            && s[..2].parse::<u8>().is_ok_and(|h| h < 24)
            && s[3..].parse::<u8>().is_ok_and(|m| m < 60)
            && s.chars().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit());
        if ok {
            Some(s.to_owned())
        } else {
            self.error(key, FieldCode::InvalidFormat, format!("{label} must be a time in the form HH:MM (24-hour)"));
            None
        }
    }

    /// A boolean; absent → `default`.
    pub fn boolean(&mut self, key: &str, label: &str, default: bool) -> bool {
        self.tri_state(key, label).unwrap_or(default)
    }

    /// A tri-state boolean (null = not yet known).
    pub fn tri_state(&mut self, key: &str, label: &str) -> Option<bool> {
        match self.raw(key)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.error(key, FieldCode::InvalidFormat, format!("{label} must be true or false"));
                None
            }
        }
    }

    /// An integer in `min..=max`.
    pub fn integer(&mut self, key: &str, label: &str, min: i64, max: i64, required: bool) -> Option<i64> {
        let Some(v) = self.raw(key) else {
            if required {
                self.error(key, FieldCode::Required, format!("{label} is required"));
            }
            return None;
        };
        match v.as_i64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(_) => {
                let range = if max == i64::MAX { format!("at least {min}") } else { format!("between {min} and {max}") };
                self.error(key, FieldCode::OutOfRange, format!("{label} must be {range}"));
                None
            }
            None => {
                self.error(key, FieldCode::InvalidFormat, format!("{label} must be a whole number"));
                None
            }
        }
    }

    /// A record id (UUID text); existence is checked by the caller.
    pub fn id(&mut self, key: &str, label: &str, required: bool) -> Option<String> {
        let Some(s) = self.string(key, label) else {
            if required && !self.has_error(key) {
                self.error(key, FieldCode::Required, format!("{label} is required"));
            }
            return None;
        };
        let s = s.trim();
        if crate::ids::is_uuid(s) {
            Some(s.to_owned())
        } else {
            self.error(key, FieldCode::InvalidFormat, format!("{label} is not a valid record id"));
            None
        }
    }

    /// A list of objects (child rows); each item is returned with its index for nested reading.
    pub fn objects(&mut self, key: &str, label: &str, max_items: usize) -> Vec<(usize, &'a Map<String, Value>)> {
        let Some(v) = self.raw(key) else { return Vec::new() };
        let Some(items) = v.as_array() else {
            self.error(key, FieldCode::InvalidFormat, format!("{label} must be a list"));
            return Vec::new();
        };
        if items.len() > max_items {
            self.error(key, FieldCode::TooLong, format!("{label} can have at most {max_items} entries"));
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_object() {
                Some(obj) => out.push((i, obj)),
                None => self.error(&format!("{key}[{i}]"), FieldCode::InvalidFormat, format!("{label} entry {} must be an object", i + 1)),
            }
        }
        out
    }

    /// Adds the errors of a nested reader.
    pub fn absorb(&mut self, nested: Input) {
        self.errors.extend(nested.errors);
    }

    /// The errors so far.
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// `Ok` when no field was bad, else `validation_failed` listing every bad field.
    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::validation(self.errors))
        }
    }
}

/// Reads the object form of a command's input, or a validation error saying the input must be an object.
pub fn as_object(input: &Value) -> Result<&Map<String, Value>> {
    input.as_object().ok_or_else(|| CoreError::field("input", FieldCode::InvalidFormat, "The input must be a JSON object"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    choice_enum! {
        /// Test colours.
        pub enum Colour { Red => "red", DarkBlue => "dark_blue" }
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn text_is_trimmed_and_blank_becomes_required_error() {
        let m = obj(json!({"title": "  Slip  ", "note": "   "}));
        let mut input = Input::new(&m, &["title", "note"]);
        assert_eq!(input.text("title", "Title", 1, 300, true).as_deref(), Some("Slip"));
        assert_eq!(input.text("note", "Note", 0, 10, true), None);
        let err = input.finish().unwrap_err();
        let CoreError::Validation { fields, .. } = err else { panic!() };
        assert_eq!(fields[0].field, "note");
        assert_eq!(fields[0].code, FieldCode::Required);
        assert_eq!(fields[0].message, "Note cannot be blank");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let m = obj(json!({"a": "x".repeat(11), "b": "blue", "c": "2026-02-30", "d": "25:00", "e": 7, "zzz": 1}));
        let mut input = Input::new(&m, &["a", "b", "c", "d", "e"]);
        input.text("a", "A", 0, 10, false);
        input.choice::<Colour>("b", "B", None);
        input.date("c", "C", true);
        input.time_hm("d", "D");
        input.integer("e", "E", 1, 5, false);
        let CoreError::Validation { fields, .. } = input.finish().unwrap_err() else { panic!() };
        let codes: Vec<(String, FieldCode)> = fields.into_iter().map(|f| (f.field, f.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("zzz".into(), FieldCode::InvalidFormat),
                ("a".into(), FieldCode::TooLong),
                ("b".into(), FieldCode::InvalidChoice),
                ("c".into(), FieldCode::InvalidFormat),
                ("d".into(), FieldCode::InvalidFormat),
                ("e".into(), FieldCode::OutOfRange),
            ]
        );
    }

    #[test]
    fn control_characters_are_refused_but_newlines_allowed_in_long_text() {
        let m = obj(json!({"t": "a\u{0007}b", "l": "line 1\nline 2\tx", "o": "a\nb"}));
        let mut input = Input::new(&m, &["t", "l", "o"]);
        assert!(input.text("t", "T", 0, 100, false).is_none());
        assert_eq!(input.long_text("l", "L", 0, 100, false).as_deref(), Some("line 1\nline 2\tx"));
        assert!(input.text("o", "O", 0, 100, false).is_none());
        assert_eq!(input.errors().len(), 2);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let m = obj(json!({"t": "ééé"}));
        let mut input = Input::new(&m, &["t"]);
        assert_eq!(input.text("t", "T", 0, 3, false).as_deref(), Some("ééé"));
    }

    #[test]
    fn enum_values_are_case_sensitive() {
        let m = obj(json!({"c": "Red"}));
        let mut input = Input::new(&m, &["c"]);
        assert_eq!(input.choice::<Colour>("c", "Colour", Some(Colour::DarkBlue)), None);
        assert!(input.finish().is_err());
    }

    #[test]
    fn dates_outside_the_supported_range_are_refused() {
        let m = obj(json!({"a": "1969-12-31", "b": "2101-01-01", "c": "2026-1-5"}));
        let mut input = Input::new(&m, &["a", "b", "c"]);
        assert!(input.date("a", "A", false).is_none());
        assert!(input.date("b", "B", false).is_none());
        assert!(input.date("c", "C", false).is_none());
        assert_eq!(input.errors().len(), 3);
    }
}
