//! Every template typesets with representative data; the text is extractable and non-Latin names survive.

use qgp_report::{render, Rendered, ReportInput};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn meta(title: &str) -> Value {
    json!({"kind": "Report", "title": title, "subtitle": "Ζωή Παπαδοπούλου · Дмитрий Иванов", "organisation": "Acme Łódź Ltd",
           "generatedAt": "2026-11-27 09:00 UTC", "generatedBy": "Zoë Ångström", "appVersion": "0.1.0",
           "fingerprint": "0123abcd 0123abcd 0123abcd 0123abcd 0123abcd 0123abcd 0123abcd 0123abcd",
           "trailHead": "event 1,234 · 3f9a1c2e5b7d9f10", "period": "2026-01-01 to 2026-11-30"})
}

fn pdf(template: &str, data: Value) -> Vec<u8> {
    let rendered = rendered(template, data);
    assert_eq!(rendered.missing_glyphs, Vec::<char>::new(), "{template}: characters printed as empty boxes");
    rendered.pdf
}

fn rendered(template: &str, data: Value) -> Rendered {
    let input = ReportInput {
        template: template.into(),
        data: serde_json::to_vec(&data).unwrap(),
        images: BTreeMap::new(),
        created: (2026, 11, 27, 9, 0, 0),
        ident: "test".into(),
    };
    let rendered = render(input).unwrap_or_else(|e| panic!("{template}: {e}"));
    // For looking at the layout: QGP_REPORT_SAMPLES=/some/dir cargo test -p qgp-report
    if let Some(dir) = std::env::var_os("QGP_REPORT_SAMPLES") {
        std::fs::write(std::path::Path::new(&dir).join(format!("{template}.pdf")), &rendered.pdf).unwrap();
    }
    rendered
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils) is installed");
    String::from_utf8(out.stdout).unwrap()
}

fn counts() -> Value {
    json!([{"label": "Injury", "count": 3}, {"label": "Near miss", "count": 5}])
}

#[test]
fn audit_report_typesets_with_pages_and_non_latin_names() {
    let data = json!({
        "meta": meta("Audit report"),
        "run": {"reference": "AUD-2026-0001", "title": "Warehouse inspection", "template": "Workplace safety v1", "status": "Reviewed",
                "location": "Łódź depot · 東京第二倉庫 · 北京仓库 · 김민준 · さくら · مستودع · מחסן", "auditee": "Дмитрий Иванов", "leadAuditor": "Zoë Ångström", "reviewer": "Ζωή Παπαδοπούλου",
                "scheduledFor": "2026-11-20", "startedAt": "2026-11-20 09:00", "completedAt": "2026-11-20 11:00",
                "scorePercent": "72.5", "passMark": "80", "outcome": "fail", "outcomeLabel": "Fail", "summary": "Racking damage found. Present: राजेश कुमार · ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ · রহিম · முருகன் · ભાવેશ · శ్రీనివాస్ · ಮಂಜುನಾಥ್ · അനിൽ · සුනිල් · สมชาย · አበበ ቢቂላ."},
        "signatures": [{"meaning": "Completed", "name": "Zoë Ångström", "at": "2026-11-20 11:00"}],
        "sections": [{"title": "Racking", "questions": [
            {"number": "1.1", "text": "Is racking undamaged?", "answer": "No", "note": "Upright bent", "score": "0 / 2", "flagged": true, "photos": [], "files": ["a.pdf"]},
            {"number": "1.2", "text": "Load signs shown?", "answer": "Yes", "note": null, "score": "2 / 2", "flagged": false, "photos": [], "files": []}]}],
        "findings": [{"reference": "FND-2026-0001", "title": "Damaged upright", "description": "Bay 4", "severity": "major_nc", "severityLabel": "Major nonconformity",
                      "statusLabel": "Open", "clauses": "ISO 45001 8.1",
                      "actions": [{"reference": "ACT-2026-0001", "title": "Replace upright", "owner": "Max", "due": "2026-12-01", "statusLabel": "Open"}]}],
        "evidence": [{"record": "AUD-2026-0001 1.1", "name": "a.pdf", "size": "12 KB", "sha256": "ab".repeat(32)}],
    });
    let bytes = pdf("audit", data);
    assert!(bytes.starts_with(b"%PDF-"));
    let text = text_of(&bytes);
    for expected in [
        "AUD-2026-0001",
        "FND-2026-0001",
        "ACT-2026-0001",
        "Дмитрий Иванов",
        "Ζωή Παπαδοπούλου",
        "Zoë Ångström",
        "東京第二倉庫",
        "北京仓库",
        "김민준",
        "さくら",
        "Page 2 of",
        "Appendix: evidence files",
    ] {
        // CJK text may break between any two characters at a cell's edge.
        let squeezed = |t: &str| t.split_whitespace().collect::<String>();
        assert!(squeezed(&text).contains(&squeezed(expected)), "{expected} missing from:\n{text}");
    }
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let data = json!({"meta": meta("Actions"), "total": 0, "openCount": 0, "overdueCount": 0, "verifiedCount": 0,
        "byStatus": [], "byOwner": [], "overdue": [], "open": [], "verified": []});
    assert_eq!(pdf("actions", data.clone()), pdf("actions", data));
}

#[test]
fn every_other_template_typesets() {
    let incidents = json!({"meta": meta("Incident summary"), "total": 8, "riddorCount": 1, "openCount": 2, "byType": counts(), "bySeverity": counts(),
        "byMonth": [{"label": "2026-10", "count": 2}, {"label": "2026-11", "count": 6}],
        "riddor": [{"reference": "INC-2026-0003", "title": "Fall", "date": "2026-11-02", "category": "Over-7-day", "reportedOn": "2026-11-05"}],
        "incidents": [{"reference": "INC-2026-0003", "title": "Fall", "date": "2026-11-02", "type": "Injury", "severity": "high", "severityLabel": "High", "status": "Closed"}],
        "details": [{"reference": "INC-2026-0003", "title": "Fall", "fields": [{"label": "Location", "value": "Dock"}],
                     "people": [{"name": "Иван", "role": "Employee", "injured": "Yes", "injury": "Wrist"}], "actions": []}]});
    assert!(text_of(&pdf("incidents", incidents)).contains("INC-2026-0003"));
    let heat: Vec<Value> = (1..=5)
        .rev()
        .map(|l| {
            json!((1..=5)
                .map(|i| json!({"likelihood": l, "impact": i, "count": if l == 4 && i == 5 { 2 } else { 0 }, "colour": "#c4520f"}))
                .collect::<Vec<_>>())
        })
        .collect();
    let risks = json!({"meta": meta("Risk register"), "heatMap": heat, "byLevel": counts(),
        "risks": [{"reference": "RSK-2026-0001", "title": "Fire", "owner": "Max", "score": "20", "level": "very_high", "levelLabel": "Very high", "treatment": "Treat", "reviewDate": "2026-12-01"}],
        "controls": [{"risk": "RSK-2026-0001", "title": "Sprinklers", "type": "Preventive", "status": "Implemented", "effectiveness": "Effective"}],
        "dueForReview": []});
    assert!(text_of(&pdf("risks", risks)).contains("RSK-2026-0001"));
    let actions = json!({"meta": meta("Actions"), "total": 1, "openCount": 1, "overdueCount": 1, "verifiedCount": 0, "byStatus": counts(), "byOwner": counts(),
        "overdue": [{"reference": "ACT-2026-0001", "title": "Fix", "owner": "Max", "due": "2026-11-01", "source": "INC-2026-0001"}],
        "open": [{"reference": "ACT-2026-0001", "title": "Fix", "owner": "Max", "priority": "High", "due": "2026-11-01", "status": "Open"}], "verified": []});
    assert!(text_of(&pdf("actions", actions)).contains("ACT-2026-0001"));
    let compliance = json!({"meta": meta("Compliance"), "standard": "ISO 9001:2015", "coveragePercent": "50.0", "counts": counts(),
        "items": [{"number": "4", "title": "Context", "level": 1, "coverage": "covered", "coverageLabel": "Covered", "evidence": "DOC-2026-0001"}]});
    assert!(text_of(&pdf("compliance", compliance)).contains("ISO 9001:2015"));
    let soa = json!({"meta": meta("SoA"), "standard": "ISO/IEC 27001:2022", "approval": "Approved",
        "entries": [{"number": "A.5.1", "title": "Policies", "applicable": "Yes", "justification": "Needed", "status": "Implemented"}]});
    assert!(text_of(&pdf("soa", soa)).contains("A.5.1"));
    let complaints = json!({"meta": meta("Complaints"), "total": 1, "openCount": 1, "lateCount": 0, "byCategory": counts(), "byStatus": counts(), "byMonth": [],
        "rows": [{"reference": "CMP-2026-0001", "title": "Late", "date": "2026-11-01", "category": "Service", "priority": "High", "status": "Open"}]});
    assert!(text_of(&pdf("complaints", complaints)).contains("CMP-2026-0001"));
    let collisions = json!({"meta": meta("Collisions"), "total": 1, "injuryCount": 0, "openCount": 1, "bySeverity": counts(), "byStatus": counts(), "byMonth": [],
        "rows": [{"reference": "RTC-2026-0001", "title": "Reversing", "date": "2026-11-01", "vehicle": "AB12 CDE", "severity": "Minor", "status": "Open"}]});
    assert!(text_of(&pdf("collisions", collisions)).contains("RTC-2026-0001"));
}

#[test]
fn characters_no_shipped_font_has_are_reported() {
    let mut meta = meta("SoA");
    meta["organisation"] = json!("Acme 𓀀 Ltd 𐀀 𓀀");
    let soa = json!({"meta": meta, "standard": "ISO/IEC 27001:2022", "approval": "Approved",
        "entries": [{"number": "A.5.1", "title": "Policies", "applicable": "Yes", "justification": "Needed", "status": "Implemented"}]});
    assert_eq!(rendered("soa", soa).missing_glyphs, vec!['𐀀', '𓀀']);
}
