use ballast_budget::{BudgetMetric, BudgetTarget, ConfigFormat, format_for_path, load_config, parse_config};
use ballast_common::Metric;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn reads_the_design_example() {
    let config = load_config(&fixture("ballast.json")).expect("valid");
    assert_eq!(config.format, ConfigFormat::Ballast);
    assert_eq!(config.entries, ["index.html"]);
    assert_eq!(config.budgets.len(), 7);
    let first = &config.budgets[0];
    assert!(matches!(first.target, BudgetTarget::Initial));
    assert_eq!(first.metric, BudgetMetric::Size(Metric::Gzip));
    assert_eq!((first.warn, first.max), (Some(150_000), Some(170_000)));
    assert_eq!((first.position.line, first.position.column), (6, 5));
    assert!(matches!(config.budgets[4].metric, BudgetMetric::LoadTime(n) if n.name == "slow-4g"));
    assert_eq!(config.budgets[4].max, Some(2500));
    assert_eq!(config.budgets[5].metric, BudgetMetric::Count);
    assert_eq!(config.budgets[5].max, Some(2000));
    assert_eq!((config.budgets[6].warn, config.budgets[6].max), (Some(512_000), Some(1_048_576)));
    let heavy = config.heavy.expect("heavy");
    assert_eq!((heavy.min, heavy.share), (Some(100_000), Some(30.0)));
    let baseline = config.baseline.expect("baseline");
    assert_eq!(baseline.file, "ballast-baseline.json");
    assert_eq!((baseline.max_increase_percent, baseline.max_increase_bytes), (Some(10.0), Some(5000)));
    assert_eq!(config.target, Some(ballast_common::Bundler::Vite));
    assert_eq!(config.minifier, Some(ballast_common::MinifierChoice::Auto));
    assert!(config.compression.is_some_and(|c| c.gzip && c.brotli));
    assert!(config.warnings.is_empty());
}

#[test]
fn every_unit() {
    let cases = [
        ("\"512 B\"", 512),
        ("\"1.5 kB\"", 1500),
        ("\"2 KiB\"", 2048),
        ("\"1.2 MB\"", 1_200_000),
        ("\"1 MiB\"", 1_048_576),
        ("1234", 1234),
        ("\"1234\"", 1234),
    ];
    for (limit, bytes) in cases {
        let text = format!("{{\"budgets\": [{{\"target\": \"total\", \"max\": {limit}}}]}}");
        let config = parse_config(&text, "b.json").expect(limit);
        assert_eq!(config.budgets[0].max, Some(bytes), "{limit}");
    }
    for (limit, ms) in [("\"800 ms\"", 800), ("\"2.5 s\"", 2500), ("\"1s\"", 1000)] {
        let text = format!(
            "{{\"budgets\": [{{\"target\": \"total\", \"metric\": \"loadTime\", \"network\": \"4g\", \"max\": {limit}}}]}}"
        );
        let config = parse_config(&text, "b.json").expect(limit);
        assert_eq!(config.budgets[0].max, Some(ms), "{limit}");
    }
}

#[test]
fn metric_defaults_to_gzip_and_baseline_size_form() {
    let text = r#"{
        "budgets": [{ "target": "chunk:vendor-*", "max": 10 }],
        "baseline": { "file": "b.json", "maxIncrease": "5 kB", "metric": "brotli" },
        "compression": ["gzip"]
    }"#;
    let config = parse_config(text, "b.json").expect("valid");
    assert_eq!(config.budgets[0].metric, BudgetMetric::Size(Metric::Gzip));
    let BudgetTarget::Chunk(glob) = &config.budgets[0].target else { panic!("chunk target") };
    assert!(glob.is_match("vendor-three") && !glob.is_match("index"));
    let baseline = config.baseline.expect("baseline");
    assert_eq!((baseline.max_increase_percent, baseline.max_increase_bytes), (None, Some(5000)));
    assert_eq!(baseline.metric, Metric::Brotli);
    assert!(config.compression.is_some_and(|c| c.gzip && !c.brotli));
}

#[test]
fn picks_the_reader_by_file_name() {
    assert_eq!(format_for_path(Path::new("ballast.json")), ConfigFormat::Ballast);
    assert_eq!(format_for_path(Path::new("conf/budget.json")), ConfigFormat::Lighthouse);
    assert_eq!(format_for_path(Path::new("lighthouse-budget.json")), ConfigFormat::Lighthouse);
    assert_eq!(format_for_path(Path::new(".size-limit.json")), ConfigFormat::SizeLimit);
    assert!(matches!(load_config(&fixture("budget.json")), Ok(c) if c.format == ConfigFormat::Lighthouse));
    assert!(
        matches!(load_config(&fixture(".size-limit.json")), Ok(c) if c.format == ConfigFormat::SizeLimit)
    );
    let missing = load_config(&fixture("nope.json")).expect_err("missing file");
    assert!(missing.to_string().starts_with("cannot read"), "{missing}");
}

#[test]
fn schema_is_json_and_lists_exactly_the_parsed_keys() {
    let schema: serde_json::Value = serde_json::from_str(ballast_budget::schema()).expect("schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> =
            v["properties"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
        k.sort();
        k
    };
    let sorted = |k: &[&str]| {
        let mut k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    };
    assert_eq!(keys(&schema), sorted(&ballast_budget::ROOT_KEYS));
    assert_eq!(keys(&schema["definitions"]["budget"]), sorted(&ballast_budget::BUDGET_KEYS));
    assert_eq!(keys(&schema["properties"]["heavy"]), sorted(&ballast_budget::HEAVY_KEYS));
    assert_eq!(keys(&schema["properties"]["baseline"]), sorted(&ballast_budget::BASELINE_KEYS));
    // Every property object anywhere has a description.
    fn walk(v: &serde_json::Value, path: &str) {
        if let Some(props) = v.get("properties").and_then(|p| p.as_object()) {
            for (k, p) in props {
                assert!(
                    p.get("description").and_then(|d| d.as_str()).is_some(),
                    "{path}.{k} has no description"
                );
                walk(p, &format!("{path}.{k}"));
            }
        }
        if let Some(defs) = v.get("definitions").and_then(|p| p.as_object()) {
            for (k, d) in defs {
                walk(d, &format!("{path}#{k}"));
            }
        }
    }
    walk(&schema, "$");
    // Enumerations match the parser's.
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    let budget = &schema["definitions"]["budget"]["properties"];
    assert_eq!(strings(&budget["metric"]["enum"]), ballast_budget::METRICS);
    assert_eq!(strings(&budget["network"]["enum"]), ballast_budget::network_names());
    assert_eq!(strings(&schema["properties"]["target"]["enum"]), ballast_budget::BUNDLERS);
    assert_eq!(strings(&schema["properties"]["minifier"]["enum"]), ballast_budget::MINIFIERS);
}

#[test]
fn every_schema_network_description_names_its_source() {
    let schema: serde_json::Value = serde_json::from_str(ballast_budget::schema()).expect("schema is JSON");
    let text = schema["definitions"]["budget"]["properties"]["network"]["description"].as_str().unwrap_or("");
    for source in ["size-limit", "Lighthouse", "DevTools", "WebPageTest"] {
        assert!(text.contains(source), "{source}");
    }
}
