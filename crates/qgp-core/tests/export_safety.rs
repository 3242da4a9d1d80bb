//! What leaves the app is safe to open and on the record: spreadsheet cells a spreadsheet would run as formulas
//! are neutralised, and every file that leaves (register export, report, database export, evidence pack, support
//! bundle) writes one `export` event naming the file and its fingerprint (domain.md §1.8).

mod common;
use common::h;
use serde_json::{json, Value};
use std::io::Read;

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"Open\")";

#[test]
fn cells_a_spreadsheet_would_run_are_neutralised_in_csv_and_xlsx() {
    let mut h = h();
    h.admin_ok("incidents.create", json!({"title": "@SUM(1+1)", "description": "-2+3", "incidentDate": "2026-11-20", "location": FORMULA}));
    let dir = h.core.paths.data_dir.join("out");
    let csv_path = dir.join("incidents.csv");
    h.admin_ok("exports.register", json!({"register": "incidents", "format": "csv", "path": csv_path}));
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let row: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(str::to_owned).collect();
    let cell = |name: &str| row[header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"))].clone();
    assert_eq!(cell("Title"), "'@SUM(1+1)");
    assert_eq!(cell("Description"), "'-2+3");
    assert_eq!(cell("Location"), format!("'{FORMULA}"));
    assert!(row.iter().all(|c| !c.starts_with(['=', '+', '-', '@', '\t', '\r'])), "no cell starts as a formula: {row:?}");

    let xlsx_path = dir.join("incidents.xlsx");
    h.admin_ok("exports.register", json!({"register": "incidents", "format": "xlsx", "path": xlsx_path}));
    use calamine::{open_workbook, Data, Reader};
    let mut wb: calamine::Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    let sheet = wb.worksheet_range("Incidents").unwrap();
    let head: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let location = &sheet.rows().nth(1).unwrap()[head.iter().position(|h| h == "Location").unwrap()];
    assert_eq!(location, &Data::String(FORMULA.into()), "XLSX keeps the value exact, as a string cell");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx_path).unwrap()).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    assert!(styles.contains("quotePrefix=\"1\""), "and marks it as text for Excel and LibreOffice: {styles}");
    let mut sheet_xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut sheet_xml).unwrap();
    assert!(!sheet_xml.contains("<f>"), "no cell is written as a formula");
}

fn export_events(h: &common::H) -> Vec<(String, Value)> {
    let mut stmt = h.core.conn.prepare("SELECT entity_type, changes FROM audit_events WHERE action = 'export' ORDER BY seq").unwrap();
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, serde_json::from_str(&r.get::<_, String>(1)?).unwrap())))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn change<'a>(changes: &'a Value, field: &str) -> &'a Value {
    &changes.as_array().unwrap().iter().find(|c| c["field"] == field).unwrap_or_else(|| panic!("{field} in {changes}"))["new"]
}

#[test]
fn every_file_that_leaves_the_app_is_recorded_with_its_fingerprint() {
    let mut h = h();
    let incident = h.incident();
    let iid = incident["record"]["id"].as_str().unwrap().to_owned();
    let dir = h.core.paths.data_dir.join("out");
    assert!(export_events(&h).is_empty());

    let register = h.admin_ok(
        "exports.register",
        json!({"register": "incidents", "format": "csv", "path": dir.join("i.csv"), "includePersonalData": true}),
    );
    let report = h.admin_ok("reports.generate", json!({"kind": "incident", "id": iid, "path": dir.join("i.pdf")}));
    let database = h.admin_ok("exports.database", json!({"path": dir.join("db.json")}));
    let pack = h.admin_ok("packs.create", json!({"subject": {"kind": "incidents", "incidentIds": [iid]}, "path": dir.join("p.zip")}));
    let bundle = h.admin_ok("health.support_bundle", json!({}));

    let events = export_events(&h);
    let kinds: Vec<&str> = events.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["register_export", "report", "database_export", "evidence_pack", "support_bundle"]);
    assert_eq!(change(&events[0].1, "file"), "i.csv");
    assert_eq!(change(&events[0].1, "register"), "incidents");
    assert_eq!(change(&events[0].1, "include_personal_data"), true, "who took personal data out is on the record");
    assert_eq!(change(&events[1].1, "kind"), "incident");
    assert_eq!(change(&events[3].1, "file"), "p.zip");
    let ids: Vec<String> = {
        let mut stmt = h.core.conn.prepare("SELECT entity_id FROM audit_events WHERE action = 'export' ORDER BY seq").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let bundle_sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(std::fs::read(bundle["path"].as_str().unwrap()).unwrap()))
    };
    let expected: Vec<String> =
        [&register, &report, &database, &pack].iter().map(|o| o["sha256"].as_str().unwrap().to_owned()).chain([bundle_sha]).collect();
    assert_eq!(ids, expected);

    // A refused export writes no event.
    let before = export_events(&h).len();
    let viewer = h.viewer.clone();
    assert!(h.call(&viewer, "exports.register", json!({"register": "incidents", "format": "csv"})).is_err());
    assert_eq!(export_events(&h).len(), before);
    let chain = h.admin_ok("audit_trail.verify", json!({}));
    assert_eq!(chain["ok"], true);
}
