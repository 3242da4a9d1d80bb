//! Reading an import file into a header row and text rows: CSV (UTF-8, with or without a byte-order mark; comma,
//! semicolon or tab) or the first sheet of an XLSX workbook (dates read as dates).

use crate::error::{CoreError, FieldCode, Result};

/// `YYYY-MM-DD` from `YYYY-MM-DD`, `DD/MM/YYYY` or `DD.MM.YYYY` (day first, as UK and EU registers write it).
pub fn date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let head = raw.get(..10).unwrap_or(raw);
    if let Ok(d) = head.parse::<jiff::civil::Date>() {
        return Some(d.to_string());
    }
    let parts: Vec<&str> = raw.split(['/', '.']).collect();
    if let [d, m, y] = parts.as_slice() {
        let (d, m, y) = (d.parse::<i8>().ok()?, m.parse::<i8>().ok()?, y.parse::<i16>().ok()?);
        return jiff::civil::Date::new(y, m, d).ok().map(|d| d.to_string());
    }
    None
}

fn bad_file(message: impl Into<String>) -> CoreError {
    CoreError::field("fileName", FieldCode::InvalidFormat, message)
}

/// Header and rows of the file; the extension of `name` says which format.
pub fn table(name: &str, bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let lower = name.to_ascii_lowercase();
    let (header, rows) = if lower.ends_with(".xlsx") {
        // The workbook parser can panic on a damaged file (an overflowing cell reference, found by fuzzing): that is
        // a damaged file to the user, not an internal error.
        std::panic::catch_unwind(|| xlsx(bytes)).unwrap_or_else(|_| Err(bad_file("The workbook is damaged and cannot be read")))?
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        csv(bytes)?
    } else {
        return Err(bad_file("The file must be a .csv or .xlsx file"));
    };
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(bad_file("The first row must name the columns"));
    }
    let mut seen = std::collections::HashSet::new();
    for h in &header {
        if !h.is_empty() && !seen.insert(h.clone()) {
            return Err(bad_file(format!("Two columns are called '{h}'; give each column its own name")));
        }
    }
    Ok((header, rows.into_iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect()))
}

fn csv(bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let text = std::str::from_utf8(bytes).map_err(|_| bad_file("The CSV file is not UTF-8 text; save it as \"CSV UTF-8\""))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t'].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(r) => r.map_err(|e| bad_file(format!("The CSV header cannot be read: {e}")))?.iter().map(|s| s.trim().to_owned()).collect(),
        None => return Err(bad_file("The file is empty")),
    };
    let mut rows = Vec::new();
    for (i, r) in records.enumerate() {
        let r = r.map_err(|e| bad_file(format!("Row {} cannot be read: {e}", i + 2)))?;
        // Cells our own export escaped against formula injection come back as they were recorded.
        rows.push(r.iter().map(|cell| crate::export::formula::unescape(cell).to_owned()).collect());
    }
    Ok((header, rows))
}

/// The widest and longest sheet an import reads. A workbook may name any cell up to XFD1048576; laid out as a
/// table, one far-corner cell would be 17 billion empty cells, so cells are read one by one and bounded first.
pub const MAX_COLUMNS: u32 = 512;
pub const MAX_ROWS: u32 = 1_000_000;

fn xlsx(bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| bad_file(format!("The workbook cannot be read: {e}")))?;
    let first = wb.sheet_names().first().cloned().ok_or_else(|| bad_file("The workbook has no sheets"))?;
    let mut reader = wb.worksheet_cells_reader(&first).map_err(|e| bad_file(format!("The first sheet cannot be read: {e}")))?;
    let mut cells: Vec<((u32, u32), Data)> = Vec::new();
    while let Some(c) = reader.next_cell().map_err(|e| bad_file(format!("The first sheet cannot be read: {e}")))? {
        let (row, col) = c.get_position();
        let value: Data = c.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        if col >= MAX_COLUMNS {
            return Err(bad_file(format!("The sheet has data in column {}; an import reads at most {MAX_COLUMNS} columns", col + 1)));
        }
        if row >= MAX_ROWS {
            return Err(bad_file(format!("The sheet has data in row {}; an import reads at most {MAX_ROWS} rows", row + 1)));
        }
        cells.push(((row, col), value));
    }
    let height = cells.iter().map(|((r, _), _)| r + 1).max().unwrap_or(0) as usize;
    let width = cells.iter().map(|((_, c), _)| c + 1).max().unwrap_or(0) as usize;
    let mut grid = vec![vec![Data::Empty; width]; height];
    for ((r, c), value) in cells {
        grid[r as usize][c as usize] = value;
    }
    let cell = |c: &Data| -> String {
        match c {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(d) => serial_to_text(d.as_f64()),
            Data::DateTimeIso(s) => s.clone(),
            Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let mut rows = grid.iter();
    let header: Vec<String> = rows.next().map(|r| r.iter().map(|c| cell(c).trim().to_owned()).collect()).unwrap_or_default();
    Ok((header, rows.map(|r| r.iter().map(cell).collect()).collect()))
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with a time.
fn serial_to_text(serial: f64) -> String {
    let days = serial.floor() as i64;
    let epoch = jiff::civil::date(1899, 12, 30);
    let date = epoch.checked_add(jiff::Span::new().days(days)).unwrap_or(epoch);
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if seconds == 0 {
        date.to_string()
    } else {
        format!("{date}T{:02}:{:02}:{:02}", seconds / 3600, seconds % 3600 / 60, seconds % 60)
    }
}
