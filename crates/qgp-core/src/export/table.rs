//! A register as a table: every column of its database table (in schema order), child records as JSON, and
//! references to people as "Name <email>". Shared by the CSV and XLSX writers and by imports (which read the
//! same headers back).

use crate::error::Result;
use rusqlite::types::ValueRef;
use rusqlite::Connection;

/// How a column's cells are typed in a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Text,
    Integer,
    Number,
    Boolean,
    /// `YYYY-MM-DD`
    Date,
    /// RFC 3339 instant, shown in the organisation's time zone
    DateTime,
    /// "Name <email>" of a profile
    Person,
    /// A JSON array of child records
    Json,
    /// An enumeration's code (`under_investigation`), written as its label ("Under investigation")
    Choice,
}

/// One exported column.
#[derive(Debug, Clone)]
pub struct Column {
    /// Database column name (`incident_date`), or the child collection's name.
    pub name: String,
    /// Header shown in the file ("Incident date").
    pub header: String,
    pub kind: CellKind,
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Integer(i64),
    Number(f64),
    Boolean(bool),
}

impl Cell {
    /// The cell as CSV text: booleans `true`/`false`, numbers as written, empty as nothing.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Integer(i) => i.to_string(),
            Cell::Number(n) => n.to_string(),
            Cell::Boolean(b) => b.to_string(),
        }
    }
}

/// A child collection exported as one JSON column.
pub struct Child {
    pub name: &'static str,
    pub header: &'static str,
    /// Returns one text value: a JSON array for the parent id `?1`.
    pub sql: &'static str,
}

/// The registers that export (and import) as tables.
pub struct Register {
    /// Key used by commands (`incidents`).
    pub key: &'static str,
    /// Name shown to people ("Incidents").
    pub title: &'static str,
    pub table: &'static str,
    pub children: &'static [Child],
    /// Columns and child collections that are personal data (domain.md §1.11): exported only on request.
    pub personal: &'static [&'static str],
}

pub const REGISTERS: &[Register] = &[
    Register {
        key: "incidents",
        title: "Incidents",
        table: "incidents",
        children: &[Child {
            name: "people",
            header: "People involved",
            sql: "SELECT json_group_array(json_object('name', name, 'personType', person_type, 'injured', json(CASE WHEN injured THEN 'true' ELSE 'false' END), \
                  'injuryNature', injury_nature, 'bodyPart', body_part, 'hospitalised', json(CASE WHEN hospitalised THEN 'true' ELSE 'false' END), 'daysLost', days_lost)) \
                  FROM (SELECT * FROM incident_people WHERE incident_id = ?1 ORDER BY position)",
        }],
        personal: &["reported_on_behalf_of", "witnesses", "people"],
    },
    Register {
        key: "risks",
        title: "Risks",
        table: "risks",
        children: &[Child {
            name: "controls",
            header: "Controls",
            sql: "SELECT json_group_array(json_object('title', title, 'description', description, 'controlType', control_type, \
                  'implementationStatus', implementation_status, 'effectiveness', effectiveness, 'testFrequencyMonths', test_frequency_months, \
                  'lastTestedOn', last_tested_on, 'nextTestDate', next_test_date)) FROM (SELECT * FROM risk_controls WHERE risk_id = ?1 ORDER BY created_at, id)",
        }],
        personal: &[],
    },
    Register { key: "actions", title: "Actions", table: "actions", children: &[], personal: &[] },
    Register {
        key: "complaints",
        title: "Complaints",
        table: "complaints",
        children: &[],
        personal: &[
            "complainant_name",
            "complainant_email",
            "complainant_phone",
            "complainant_address",
            "original_email_subject",
            "original_email_body",
        ],
    },
    Register {
        key: "collisions",
        title: "Road traffic collisions",
        table: "collisions",
        children: &[Child {
            name: "thirdParties",
            header: "Third parties",
            sql: "SELECT json_group_array(json_object('name', name, 'contact', contact, 'vehicleRegistration', vehicle_registration, \
                  'vehicleMakeModel', vehicle_make_model, 'damage', damage, 'injured', json(CASE WHEN injured THEN 'true' ELSE 'false' END), \
                  'injuryDetails', injury_details, 'insurer', insurer)) FROM (SELECT * FROM collision_third_parties WHERE collision_id = ?1 ORDER BY position)",
        }],
        personal: &["driver_user_id", "driver_name", "driver_statement", "driver_injured", "driver_injury_details", "witnesses", "thirdParties"],
    },
];

/// The register called `key`.
pub fn register(key: &str) -> Option<&'static Register> {
    REGISTERS.iter().find(|r| r.key == key)
}

/// "incident_date" → "Incident date"; the few abbreviations stay upper case.
pub fn humanise(name: &str) -> String {
    let words: Vec<String> = name
        .split('_')
        .enumerate()
        .map(|(i, w)| match w {
            "riddor" => "RIDDOR".to_owned(),
            "id" => "ID".to_owned(),
            _ if i == 0 => {
                let mut c = w.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
            }
            _ => w.to_owned(),
        })
        .collect();
    words.join(" ")
}

fn kind_of(name: &str, decltype: &str, person: bool) -> CellKind {
    let decl = decltype.to_ascii_uppercase();
    if person {
        CellKind::Person
    } else if decl.contains("BOOL") {
        CellKind::Boolean
    } else if decl.contains("INT") {
        CellKind::Integer
    } else if decl.contains("REAL") || decl.contains("NUM") {
        CellKind::Number
    } else if name.ends_with("_at") {
        CellKind::DateTime
    } else if name.ends_with("_date") || name.ends_with("_on") || name == "due" {
        CellKind::Date
    } else {
        CellKind::Text
    }
}

/// The columns of `register`: its table's columns in schema order, then its child collections; personal data —
/// the register's own personal fields and every column naming a member of staff — only when asked for.
pub fn columns(conn: &Connection, register: &Register, include_personal: bool) -> Result<Vec<Column>> {
    columns_as(conn, register, include_personal, false)
}

/// As [`columns`]; unless `codes`, text columns that hold only enumeration codes are marked [`CellKind::Choice`] and
/// written as labels. A column counts as an enumeration when every distinct value in the register (at most 200 are
/// looked at) is one of the app's codes: free text — titles, places, names — always has other values.
pub fn columns_as(conn: &Connection, register: &Register, include_personal: bool, codes: bool) -> Result<Vec<Column>> {
    let mut person_columns = Vec::new();
    let mut fk = conn.prepare(&format!("PRAGMA foreign_key_list({})", register.table))?;
    let rows = fk.query_map([], |r| Ok((r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?;
    for row in rows {
        let (table, from) = row?;
        if table == "users" {
            person_columns.push(from);
        }
    }
    let mut info = conn.prepare(&format!("PRAGMA table_info({})", register.table))?;
    let rows = info.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (name, decl) = row?;
        if !include_personal && register.personal.contains(&name.as_str()) {
            continue;
        }
        let person = person_columns.contains(&name);
        // Staff are personal data too (domain.md §1.11): without personal data, no names or e-mails at all.
        if person && !include_personal {
            continue;
        }
        // A person column holds "Name <email>", not an id: "Investigator", not "Investigator ID".
        let header = if person { humanise(name.strip_suffix("_id").unwrap_or(&name)) } else { humanise(&name) };
        let mut kind = kind_of(&name, &decl, person);
        if kind == CellKind::Text && !codes && name != "id" && holds_only_codes(conn, register.table, &name)? {
            kind = CellKind::Choice;
        }
        out.push(Column { header, kind, name });
    }
    for child in register.children.iter().filter(|c| include_personal || !register.personal.contains(&c.name)) {
        out.push(Column { name: child.name.to_owned(), header: child.header.to_owned(), kind: CellKind::Json });
    }
    Ok(out)
}

/// True when every distinct non-empty value of `table.column` is an enumeration code (and there is at least one).
fn holds_only_codes(conn: &Connection, table: &str, column: &str) -> Result<bool> {
    let mut stmt = conn.prepare(&format!("SELECT DISTINCT \"{column}\" FROM {table} WHERE \"{column}\" <> '' LIMIT 201"))?;
    let values: Vec<rusqlite::types::Value> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(!values.is_empty()
        && values.len() <= 200
        && values.iter().all(|v| matches!(v, rusqlite::types::Value::Text(t) if crate::validate::is_choice_code(t))))
}

/// Reads register rows by id, in the given order, as cells.
pub struct RowReader<'c> {
    /// The row's columns and then each child collection as a subquery on the same id: one statement per row.
    row: rusqlite::Statement<'c>,
    person: rusqlite::Statement<'c>,
    /// `Name <email>` by user id: a register names the same few profiles on every row.
    people: std::collections::HashMap<String, String>,
}

impl<'c> RowReader<'c> {
    pub fn new(conn: &'c Connection, register: &Register, columns: &[Column]) -> Result<Self> {
        let mut selected: Vec<String> = columns.iter().filter(|c| c.kind != CellKind::Json).map(|c| c.name.clone()).collect();
        selected.extend(
            register
                .children
                .iter()
                .filter(|c| columns.iter().any(|col| col.kind == CellKind::Json && col.name == c.name))
                .map(|c| format!("({})", c.sql)),
        );
        let row = conn.prepare(&format!("SELECT {} FROM {} WHERE id = ?1", selected.join(", "), register.table))?;
        let person = conn.prepare("SELECT display_name || ' <' || email || '>' FROM users WHERE id = ?1")?;
        Ok(RowReader { row, person, people: Default::default() })
    }

    /// The cells of the record `id`, one per column.
    pub fn read(&mut self, id: &str, columns: &[Column]) -> Result<Vec<Cell>> {
        let raw: Vec<Cell> = self.row.query_row([id], |r| {
            (0..columns.len())
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        ValueRef::Null => Cell::Empty,
                        ValueRef::Integer(v) => Cell::Integer(v),
                        ValueRef::Real(v) => Cell::Number(v),
                        ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                        ValueRef::Blob(b) => Cell::Text(hex::encode(b)),
                    })
                })
                .collect()
        })?;
        let mut out = Vec::with_capacity(columns.len());
        for (cell, column) in raw.into_iter().zip(columns) {
            out.push(match (column.kind, cell) {
                (CellKind::Boolean, Cell::Integer(v)) => Cell::Boolean(v != 0),
                (CellKind::Person, Cell::Text(uid)) => {
                    let person = &mut self.person;
                    let name = self
                        .people
                        .entry(uid)
                        .or_insert_with_key(|uid| person.query_row([uid], |r| r.get::<_, String>(0)).unwrap_or_else(|_| uid.clone()));
                    Cell::Text(name.clone())
                }
                (CellKind::Json, Cell::Text(json)) if json == "[]" => Cell::Empty,
                (CellKind::Choice, Cell::Text(code)) => Cell::Text(crate::history_words::label_of_code(&code)),
                (_, cell) => cell,
            });
        }
        Ok(out)
    }
}
