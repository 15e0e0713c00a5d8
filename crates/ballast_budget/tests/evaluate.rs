//! Evaluation, compatibility readers, baseline and rendering, as snapshots.

use ballast_budget::{diff, evaluate, init_config, parse_config, parse_lighthouse, parse_size_limit};
use ballast_report::render::github::budget_annotations as github_annotations;
use ballast_report::render::markdown::{budget_table as markdown_table, diff_table as markdown_diff};
use ballast_report::{BudgetReport, Measured, Status};
use std::path::Path;

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name))
        .expect("fixture is readable")
}

/// What `ballast_report::measured` takes from `fixtures/<name>` (its own tests keep the two in step).
fn measured(name: &str) -> Measured {
    serde_json::from_str(&fixture_text(&format!("measured/{name}"))).expect("valid measurements")
}

fn check(config: &str, baseline: Option<&Measured>) -> BudgetReport {
    let config = parse_config(config, "ballast.json").unwrap_or_else(|e| panic!("{e}"));
    evaluate(&config, &measured("report.json"), baseline)
}

fn render(report: &BudgetReport) -> String {
    format!("{}\n---\n{}", markdown_table(report), github_annotations(report).join("\n"))
}

#[test]
fn all_pass() {
    let report = check(
        r#"{ "budgets": [
            { "target": "initial", "metric": "gzip", "warn": "150 kB", "max": "170 kB" },
            { "target": "total", "metric": "brotli", "max": "2 MB" },
            { "target": "modules", "max": 2000 }
        ] }"#,
        None,
    );
    assert_eq!(report.status(), Status::Pass);
    assert_eq!(report.exit_code(), 0);
    assert!(github_annotations(&report).is_empty());
    insta::assert_snapshot!(render(&report));
}

#[test]
fn warns() {
    let report = check(
        r#"{ "budgets": [
            { "target": "initial", "metric": "gzip", "warn": "90 kB", "max": "170 kB" },
            { "target": "chunk:vendor-*", "metric": "gzip", "warn": "100 kB" },
            { "target": "chunk:lazy-*", "max": "100 kB" },
            { "target": "package:lodash", "max": "10 kB" }
        ] }"#,
        None,
    );
    assert_eq!(report.status(), Status::Warn);
    assert_eq!(report.exit_code(), 0);
    insta::assert_snapshot!(render(&report));
}

#[test]
fn fails() {
    let report = check(
        r#"{ "budgets": [
            { "target": "chunk:*", "metric": "gzip", "max": "100 kB" },
            { "name": "three.js", "target": "package:three", "metric": "min", "max": "600 kB" },
            { "target": "entry:index", "metric": "brotli", "max": "70 KiB" },
            { "target": "modules", "warn": 500, "max": 800 }
        ] }"#,
        None,
    );
    assert_eq!(report.status(), Status::Fail);
    assert_eq!(report.exit_code(), 1);
    insta::assert_snapshot!(render(&report));
    insta::assert_json_snapshot!("fails_json", report);
}

#[test]
fn load_time() {
    let report = check(
        r#"{ "budgets": [
            { "target": "initial", "metric": "loadTime", "network": "slow-3g", "max": "2 s" },
            { "target": "initial", "metric": "loadTime", "network": "fast-3g", "max": "1 s" },
            { "target": "initial", "metric": "loadTime", "network": "slow-4g", "warn": "500 ms", "max": "2.5 s" },
            { "target": "initial", "metric": "loadTime", "network": "4g", "max": "100 ms" },
            { "target": "total", "metric": "loadTime", "network": "wifi", "max": "1 s" }
        ] }"#,
        None,
    );
    let actual: Vec<Option<u64>> = report.results.iter().map(|r| r.actual).collect();
    // brotli 78,200 B: 78200/51200 s; 562.5 + 78200/180000 s; 150 + 78200/204800 s; 40 + 78200/1280000 s.
    assert_eq!(actual, [Some(1527), Some(997), Some(532), Some(101), Some(545)]);
    assert!(report.results.iter().all(|r| r.basis == Some(ballast_common::Metric::Brotli)));
    insta::assert_snapshot!(render(&report));
}

#[test]
fn load_time_falls_back_to_gzip_then_min() {
    let mut m = measured("report.json");
    m.initial.brotli = None;
    let config = parse_config(
        r#"{ "budgets": [{ "target": "initial", "metric": "loadTime", "network": "slow-3g", "max": "2 s" },
                         { "target": "initial", "metric": "brotli", "max": "2 MB" }] }"#,
        "ballast.json",
    )
    .expect("valid");
    let report = evaluate(&config, &m, None);
    assert_eq!(report.results[0].basis, Some(ballast_common::Metric::Gzip));
    assert_eq!(report.results[1].status, Status::Warn);
    assert!(report.results[1].message.contains("not measured"), "{}", report.results[1].message);
    m.initial.gzip = None;
    let report = evaluate(&config, &m, None);
    assert_eq!(report.results[0].basis, Some(ballast_common::Metric::Min));
}

#[test]
fn lighthouse_budget() {
    let config = parse_lighthouse(&fixture_text("budget.json"), "budget.json").expect("valid");
    assert_eq!(config.budgets.len(), 2);
    assert_eq!(config.budgets[0].max, Some(125 * 1024));
    let warnings: Vec<String> = config
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.location().unwrap_or_default(), w.message))
        .collect();
    let report = evaluate(&config, &measured("report.json"), None);
    insta::assert_snapshot!(format!("{}\n---\n{}", warnings.join("\n"), render(&report)));
}

#[test]
fn size_limit() {
    let config = parse_size_limit(&fixture_text(".size-limit.json"), ".size-limit.json").expect("valid");
    let warnings: Vec<String> = config
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.location().unwrap_or_default(), w.message))
        .collect();
    let report = evaluate(&config, &measured("report.json"), None);
    insta::assert_snapshot!(format!("{}\n---\n{}", warnings.join("\n"), render(&report)));
}

#[test]
fn foreign_formats_report_errors_with_positions() {
    let e = parse_size_limit(
        "[{ \"path\": \"a.js\", \"limit\": \"10 KB\" }, { \"limit\": 5, \"path\": 3 }]",
        ".size-limit.json",
    )
    .expect_err("invalid");
    let e2 = parse_lighthouse("{ \"path\": \"/*\" }", "budget.json").expect_err("invalid");
    let e3 = parse_lighthouse(
        "[{ \"resourceSizes\": [{ \"resourceType\": \"script\", \"budget\": \"125 kB\" }] }]",
        "budget.json",
    )
    .expect_err("invalid");
    insta::assert_snapshot!(format!("{e}\n{e2}\n{e3}"));
}

const BASELINE_CONFIG: &str = r#"{
  "budgets": [],
  "baseline": { "file": "baseline.json", "maxIncrease": "15%", "maxIncreaseBytes": "50 kB" }
}"#;

#[test]
fn baseline_regression_passes() {
    let base = measured("baseline.json");
    let report = check(BASELINE_CONFIG, Some(&base));
    assert_eq!(report.status(), Status::Pass, "{}", markdown_table(&report));
    assert!(report.diff.is_some());
    insta::assert_snapshot!(render(&report));
}

#[test]
fn baseline_regression_fails() {
    let base = measured("baseline.json");
    let report = check(
        r#"{ "baseline": { "file": "baseline.json", "metric": "brotli", "maxIncrease": "5%", "maxIncreaseBytes": "50 kB" } }"#,
        Some(&base),
    );
    assert_eq!(report.status(), Status::Fail);
    assert_eq!(report.exit_code(), 1);
    insta::assert_snapshot!(render(&report));
}

#[test]
fn baseline_absolute_only() {
    let base = measured("baseline.json");
    let report = check(r#"{ "baseline": { "file": "b.json", "maxIncrease": "1 kB" } }"#, Some(&base));
    let statuses: Vec<Status> = report.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Status::Fail, Status::Fail]);
    assert_eq!(report.results[0].max, Some(88_000 + 1_000));
}

#[test]
fn diff_of_two_reports() {
    let d = diff(&measured("baseline.json"), &measured("report.json"));
    assert_eq!(d.added_chunks, ["vendor-three", "viewer"]);
    assert_eq!(d.removed_chunks, ["viewer-old"]);
    assert_eq!(d.removed_packages, ["lodash"]);
    assert!(d.added_packages.is_empty());
    assert_eq!(d.total.delta.gzip, Some(41_500));
    assert_eq!(d.modules.delta, 22);
    insta::assert_snapshot!(markdown_diff(&d, 3));
    insta::assert_json_snapshot!("diff_json", d);
}

#[test]
fn init_writes_a_config_that_parses_and_passes() {
    let m = measured("report.json");
    let text = init_config(&m, 0.1);
    insta::assert_snapshot!(text);
    let config = parse_config(&text, "ballast.json").expect("init output is valid");
    let report = evaluate(&config, &m, None);
    assert_eq!(report.status(), Status::Pass);
    // 91,500 B gzip + 10% = 100,650 B → 101 kB.
    assert_eq!(config.budgets[0].max, Some(101_000));
}

#[test]
fn annotations_escape_and_point_at_the_budget() {
    let report = check(
        "{\n  \"budgets\": [\n    { \"name\": \"a, b: 100%\", \"target\": \"total\", \"max\": 1 }\n  ]\n}",
        None,
    );
    let lines = github_annotations(&report);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("::error file=ballast.json,line=3,col=5,title=Budget exceeded%3A a%2C b%3A 100%25%3A total · gzip::"), "{}", lines[0]);
}
