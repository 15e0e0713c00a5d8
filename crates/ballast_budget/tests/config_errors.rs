//! Every broken config under fixtures/broken gives all its errors, each with line:column.

use ballast_budget::parse_config;

#[test]
fn broken_configs() {
    insta::glob!("fixtures/broken/*.json", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let name = format!("broken/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("?"));
        match parse_config(&text, &name) {
            Ok(config) => panic!("{name} parsed: {config:?}"),
            Err(errors) => insta::assert_snapshot!(errors.to_string()),
        }
    });
}

#[test]
fn there_are_at_least_ten_kinds_of_broken_config() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken");
    let count = std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    assert!(count >= 10, "{count}");
}

#[test]
fn several_errors_are_collected_not_just_the_first() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/broken/wrong-type.json"
    ))
    .expect("fixture");
    let errors = parse_config(&text, "ballast.json").expect_err("invalid");
    assert!(errors.errors().len() >= 5, "{errors}");
    for e in errors.errors() {
        assert!(e.line >= 1 && e.column >= 1);
    }
}

#[test]
fn errors_become_diagnostics() {
    let errors = parse_config("{\"budgets\": 1}", "ballast.json").expect_err("invalid");
    let d = &errors.to_diagnostics()[0];
    assert_eq!(d.location().as_deref(), Some("ballast.json:1:13"));
    assert_eq!(d.code.as_str(), "invalid-config");
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = "{\n  \"entries\": [\"é\"], \"budgets\": [{ \"target\": \"ïnitial\", \"max\": 1 }]\n}";
    let errors = parse_config(text, "b.json").expect_err("invalid");
    let e = &errors.errors()[0];
    assert_eq!((e.line, e.column), (2, 45), "{e}"); // 46 if bytes were counted
}
