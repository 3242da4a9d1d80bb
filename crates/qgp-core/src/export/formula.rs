//! Spreadsheet formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! run as a formula by Excel, LibreOffice and Google Sheets when the file is opened (OWASP "CSV injection"). A
//! record's text is data a field officer typed or imported, so an export must never hand it to a spreadsheet as
//! something to execute.
//!
//! CSV has no cell types, so such a cell gets a leading apostrophe, the convention every spreadsheet shows as
//! "text". The CSV importer takes exactly one apostrophe off again, so export → import gives back the same value;
//! a value that itself starts with an apostrophe before such a character gets one more, so the rule round-trips
//! every string. XLSX keeps the value exact and marks the cell "quote prefix" instead (see `write_xlsx`).

use std::borrow::Cow;

/// First characters a spreadsheet treats as the start of a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when a spreadsheet would run `text` as a formula (or when it is an apostrophe-escaped such value).
pub fn needs_escape(text: &str) -> bool {
    match text.chars().next() {
        Some(c) if TRIGGERS.contains(&c) => true,
        Some('\'') => needs_escape(&text[1..]),
        _ => false,
    }
}

/// The CSV form of a text cell: escaped with one leading apostrophe where a spreadsheet would run it.
pub fn escape(text: &str) -> Cow<'_, str> {
    if needs_escape(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The value behind a CSV cell written by [`escape`]; any other cell comes back unchanged.
pub fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_escape(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_trigger_is_escaped_and_comes_back_exactly() {
        for value in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=x", "''=x", "'plain", "plain", "", "a=b"] {
            let written = escape(value);
            assert_eq!(unescape(&written), value, "round trip of {value:?}");
            let first = written.chars().next();
            assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')), "{value:?} was written as {written:?}");
        }
        assert_eq!(escape("=1+1"), "'=1+1");
        assert_eq!(escape("plain text"), "plain text");
        assert_eq!(escape("'quoted"), "'quoted", "an apostrophe before ordinary text is left alone");
        assert_eq!(unescape("'quoted"), "'quoted", "and is not taken off on import");
    }
}
