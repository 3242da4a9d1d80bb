//! Files from outside are read within limits: an import or an attachment larger than the setting is refused before
//! it is loaded, a workbook naming a far-corner cell is refused instead of being laid out as billions of cells, and
//! a pack's entries are never unpacked past what its manifest declares.

mod common;
use common::{bad_fields, h};
use serde_json::json;
use std::io::{Read, Write};

#[test]
fn files_over_the_size_setting_are_refused_before_they_are_read() {
    let mut h = h();
    h.admin_ok("settings.update", json!({"maxFileBytes": 1000}));
    let incident = h.incident();
    let id = incident["record"]["id"].as_str().unwrap().to_owned();
    let dir = h.core.paths.data_dir.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("statement.txt");
    std::fs::write(&big, "x".repeat(5000)).unwrap();
    let e = h.call(&h.admin.clone(), "evidence.attach", json!({"entityType": "incident", "entityId": id, "path": big})).unwrap_err();
    assert_eq!(bad_fields(&e), ["contentBase64"], "{e:?}");
    let csv = dir.join("incidents.csv");
    std::fs::write(&csv, format!("Title,Description,Incident date\n{}", "Slip,Wet floor,2026-11-20\n".repeat(100))).unwrap();
    let e = h.call(&h.admin.clone(), "imports.preview", json!({"register": "incidents", "path": csv, "fileName": csv})).unwrap_err();
    assert_eq!(bad_fields(&e), ["path"], "{e:?}");
    assert!(e.message.contains("import limit"), "{}", e.message);
    assert_eq!(h.count("SELECT COUNT(*) FROM evidence_files"), 0);
}

#[test]
fn a_workbook_with_a_far_corner_cell_is_refused_by_its_size() {
    let mut h = h();
    let dir = h.core.paths.data_dir.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, row, col, says) in [("wide.xlsx", 1, 16_383, "column 16384"), ("long.xlsx", 1_048_575, 0, "row 1048576")] {
        let path = dir.join(name);
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Title").unwrap();
        ws.write_string(row, col, "far away").unwrap();
        wb.save(&path).unwrap();
        let e = h.call(&h.admin.clone(), "imports.preview", json!({"register": "incidents", "path": path, "fileName": path})).unwrap_err();
        assert_eq!(bad_fields(&e), ["fileName"], "{e:?}");
        assert!(e.message.contains(says), "{name}: {}", e.message);
    }
    // A workbook within the bounds still imports.
    let path = dir.join("ok.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, v) in ["Title", "Description", "Incident date", "Severity"].iter().enumerate() {
        ws.write_string(0, c as u16, *v).unwrap();
    }
    for (c, v) in ["Slip", "Wet floor", "2026-11-20", "low"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(&path).unwrap();
    let preview = h.admin_ok("imports.preview", json!({"register": "incidents", "path": path, "fileName": path}));
    assert_eq!((preview["rows"].as_u64(), preview["errors"].as_array().map(Vec::len)), (Some(1), Some(0)), "{preview:#}");
}

#[test]
fn a_pack_entry_is_never_unpacked_past_what_the_manifest_declares() {
    let mut h = h();
    let incident = h.incident();
    let id = incident["record"]["id"].as_str().unwrap().to_owned();
    let dir = h.core.paths.data_dir.join("out");
    let pack = dir.join("pack.zip");
    h.admin_ok("packs.create", json!({"subject": {"kind": "incidents", "incidentIds": [id]}, "path": pack}));
    // The report entry replaced by 200 MB of zeros (a few hundred KB compressed); the manifest entry by 80 MB.
    let bomb = dir.join("bomb.zip");
    let mut zin = zip::ZipArchive::new(std::fs::File::open(&pack).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let deflate = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    let zeros = vec![0u8; 1 << 20];
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        zout.start_file(name.as_str(), deflate).unwrap();
        match name.as_str() {
            "report.pdf" => (0..200).for_each(|_| zout.write_all(&zeros).unwrap()),
            _ => {
                let mut bytes = Vec::new();
                entry.read_to_end(&mut bytes).unwrap();
                zout.write_all(&bytes).unwrap();
            }
        }
    }
    zout.finish().unwrap();
    let v = h.core.invoke(None, "packs.verify", json!({"path": bomb})).unwrap();
    let report = v["files"].as_array().unwrap().iter().find(|f| f["path"] == "report.pdf").unwrap();
    assert_eq!(report["status"], "altered");
    assert_eq!(v["ok"], false);

    let manifest_bomb = dir.join("manifest-bomb.zip");
    let mut zout = zip::ZipWriter::new(std::fs::File::create(&manifest_bomb).unwrap());
    zout.start_file("manifest.json", deflate).unwrap();
    (0..80).for_each(|_| zout.write_all(&zeros).unwrap());
    zout.finish().unwrap();
    let v = h.core.invoke(None, "packs.verify", json!({"path": manifest_bomb})).unwrap();
    assert_eq!(v["ok"], false);
    assert!(v["problems"][0].as_str().unwrap().contains("manifest.json"), "{v:#}");
}
