//! Budgets and `diff` get their numbers from the typed report: the analysis just made, or a saved report read
//! back. The budget crate's tests evaluate `ballast_budget/tests/fixtures/measured/*.json`; these keep those
//! files equal to what the saved reports beside them measure.

use std::path::{Path, PathBuf};

use ballast_report::{Measured, measured, read_report};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ballast_budget/tests/fixtures")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).expect("fixture is readable")
}

#[test]
fn saved_reports_measure_as_the_budget_fixtures_say() {
    for name in ["report.json", "baseline.json"] {
        let report = read_report(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected: Measured =
            serde_json::from_str(&read(&format!("measured/{name}"))).expect("measured JSON");
        let got = measured(&report);
        assert_eq!(got.initial, expected.initial, "{name}");
        assert_eq!(got.initial_js, expected.initial_js, "{name}");
        assert_eq!(got.total, expected.total, "{name}");
        assert_eq!(got.entries, expected.entries, "{name}");
        assert_eq!(got.chunks, expected.chunks, "{name}");
        assert_eq!(got.packages, expected.packages, "{name}");
        assert_eq!(got.modules, expected.modules, "{name}");
    }
}

#[test]
fn entry_sizes_include_static_imports_once() {
    let m = measured(&read_report(&read("report.json")).unwrap());
    let (_, index) = &m.entries[0];
    assert_eq!(index.gzip, Some(20_000 + 70_000));
    let three = m.packages.iter().find(|(n, _)| n == "three").map(|(_, s)| s.min);
    assert_eq!(three, Some(640_000));
    assert_eq!(m.initial_js.gzip, Some(90_000));
    assert_eq!(m.modules, 812);
    assert_eq!(m.settings.target.as_deref(), Some("vite"));
}

#[test]
fn unreadable_reports_say_where_and_why() {
    let e = read_report("{\"schemaVersion\": 1, \"summary\": {}}").unwrap_err().to_string();
    assert!(e.contains("missing field") && e.contains("line 1"), "{e}");
    let e = read_report("{\"schemaVersion\": 7}").unwrap_err().to_string();
    assert!(e.contains("schema version 7"), "{e}");
    let e = read_report("not json").unwrap_err().to_string();
    assert!(e.starts_with("not JSON"), "{e}");
    let bad_link = read("report.json").replacen("\"imports\": [1]", "\"imports\": [9]", 1);
    let e = read_report(&bad_link).unwrap_err().to_string();
    assert!(e.contains("chunks[0].imports") && e.contains("out of range"), "{e}");
}
