//! Vendor-chunk advice judged by real rebuilds (issue 12). `fixtures/corpus/three-lazy` uses `three` in its
//! entry module at start (no split point can take it off the initial load) and loads a viewer route on demand
//! that imports other parts of three (`OrbitControls`, `GLTFLoader`). Per bundler (Vite 7, Vite 8, webpack 5)
//! the test:
//! 1. runs `ballast analyze --target vite|rolldown|webpack` (JSON, Markdown and the terminal text), asserts
//!    there is no `split-point` finding, only a `vendor-chunk` one for three, whose config for the target is
//!    printed in the terminal and in the Markdown;
//! 2. writes that snippet as printed to a config file (`defineConfig` given as the identity function for Vite,
//!    as the snippet's `import` from `vite` would) and builds the app with `fixtures/corpus/build.mjs … --config`,
//!    and once without it;
//!    It also builds with the group written for the whole package (`test: /node_modules[\\/]three[\\/]/`), the
//!    usual form, to show that it pulls the lazy-only parts onto the initial load, about by what the finding
//!    says they weigh (±10%).
//! 3. asserts the real build has the vendor chunk on the initial load, that no module of three that only lazy
//!    chunks had moved onto the initial load, that the change the config makes to the initial gzip is the
//!    predicted one within 1% of the initial load, and that the real initial gzip is within 1% of the figure the
//!    finding predicts after the change (webpack: 5%, the corpus differential's tolerance, as Ballast's
//!    webpack figure for this app is already about 1% low before any change).
//!
//! Needs `fixtures/corpus/node_modules` (`scripts/setup.sh`); fails, never skips, without it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ballast_bin, read_json, repo_root, run};
use serde_json::Value;

const APP: &str = "three-lazy";
const PACKAGE: &str = "three";
/// (build.mjs bundler, ballast --target, Finding::config key)
const BUNDLERS: [(&str, &str, &str); 3] =
    [("vite7", "vite", "vite7"), ("vite8", "rolldown", "vite8"), ("webpack", "webpack", "webpack")];

fn corpus() -> PathBuf {
    repo_root().join("fixtures").join("corpus")
}

/// "133.7 kB" / "512 B" / "1.20 MB" → bytes (to the precision printed).
fn parse_size(text: &str) -> u64 {
    let (number, unit) = text.trim().split_once(' ').unwrap_or_else(|| panic!("no unit in {text:?}"));
    let value: f64 = number.parse().unwrap_or_else(|_| panic!("not a number: {text:?}"));
    let scale = match unit {
        "B" => 1.0,
        "kB" => 1e3,
        "MB" => 1e6,
        _ => panic!("unknown unit in {text:?}"),
    };
    (value * scale).round() as u64
}

/// The initial gzip the finding predicts after the change: "… → 133.7 kB gzip predicted after the change".
fn predicted_after(message: &str) -> u64 {
    let head = message
        .split_once(" gzip predicted after the change")
        .unwrap_or_else(|| panic!("no prediction after the change in {message:?}"))
        .0;
    let figure = head.rsplit_once("→ ").unwrap_or_else(|| panic!("no `→` in {message:?}")).1;
    parse_size(figure)
}

struct Build {
    initial_gzip: u64,
    /// (file name, initial, module paths relative to the package folder, for the package's modules)
    chunks: Vec<(String, bool, String, BTreeSet<String>)>,
}

fn build(bundler: &str, config: Option<&Path>, out: &Path) -> Build {
    let json =
        out.join(format!("{APP}-{bundler}-{}.json", if config.is_some() { "after" } else { "before" }));
    let mut cmd = Command::new("node");
    cmd.arg(corpus().join("build.mjs")).args([APP, bundler]).arg(&json).current_dir(corpus());
    if let Some(config) = config {
        cmd.arg("--config").arg(config);
    }
    run(&mut cmd);
    let value = read_json(&json);
    let marker = format!("/node_modules/{PACKAGE}/");
    let chunks = value["chunks"]
        .as_array()
        .expect("chunks")
        .iter()
        .map(|c| {
            let modules: BTreeSet<String> = c["modules"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m["id"].as_str())
                .filter_map(|id| id.split_once(&marker).map(|(_, rel)| rel.to_string()))
                .collect();
            (
                c["fileName"].as_str().expect("fileName").to_string(),
                c["initial"].as_bool().expect("initial"),
                c["name"].as_str().unwrap_or_default().to_string(),
                modules,
            )
        })
        .collect();
    Build { initial_gzip: value["initialGzip"].as_u64().expect("initialGzip"), chunks }
}

/// The group as it is usually written, for the whole package (what the issue warns about), to show what the
/// scoped one saves.
fn whole_package_snippet(key: &str) -> &'static str {
    match key {
        "vite7" => {
            "export default defineConfig({ build: { rollupOptions: { output: { manualChunks(id) { if (/node_modules[\\/]three[\\/]/.test(id)) return 'three'; } } } } });\n"
        }
        "vite8" => {
            "export default defineConfig({ build: { rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'three', test: /node_modules[\\/]three[\\/]/ }] } } } } });\n"
        }
        _ => {
            "module.exports = { optimization: { splitChunks: { cacheGroups: { three: { test: /[\\/]node_modules[\\/]three[\\/]/, name: 'three', chunks: 'all' } } } } };\n"
        }
    }
}

/// The lazy-only modules' gzip the finding states: "… the 3 modules that only lazy chunks load (63.4 kB min /
/// 17.0 kB gzip) …".
fn lazy_only_gzip(message: &str) -> u64 {
    let tail = message.split_once("that only lazy chunks load (").unwrap_or_else(|| panic!("{message:?}")).1;
    let sizes = tail.split_once(')').expect("sizes").0;
    let gzip = sizes.split(" / ").find_map(|p| p.strip_suffix(" gzip")).expect("gzip figure");
    parse_size(gzip)
}

/// Writes the snippet as printed to a config file the build loads.
fn write_config(dir: &Path, key: &str, label: &str, snippet: &str) -> PathBuf {
    let (name, text) = if key == "webpack" {
        ("webpack.config.cjs", snippet.to_string())
    } else {
        // `import { defineConfig } from 'vite'` in an app; the identity function is what it is.
        ("vite.config.mjs", format!("const defineConfig = (config) => config;\n{snippet}"))
    };
    let path = dir.join(format!("{key}-{label}-{name}"));
    std::fs::write(&path, text).expect("write config");
    path
}

#[test]
fn vendor_chunk_config_keeps_the_initial_load_as_predicted() {
    assert!(
        corpus().join("node_modules/vite8/package.json").exists()
            && corpus().join("node_modules/webpack/package.json").exists()
            && corpus().join("node_modules/three/package.json").exists(),
        "fixtures/corpus/node_modules is missing: run scripts/setup.sh first"
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut rows = Vec::new();
    for (bundler, target, key) in BUNDLERS {
        let json = tmp.path().join(format!("{target}.json"));
        let md = tmp.path().join(format!("{target}.md"));
        let output = run(Command::new(ballast_bin())
            .arg("analyze")
            .arg(corpus().join(APP))
            .args(["--target", target, "--no-cache", "--compression", "gzip", "--json"])
            .arg(&json)
            .arg("--md")
            .arg(&md));
        let text = String::from_utf8_lossy(&output.stdout).to_string();
        let markdown = std::fs::read_to_string(&md).expect("markdown");
        let report: Value = read_json(&json);
        let findings = report["findings"].as_array().expect("findings");
        assert!(
            !findings.iter().any(|f| f["code"] == "split-point"),
            "{target}: three is used at start, yet a split point is printed: {findings:#?}"
        );
        let vendor: Vec<&Value> = findings.iter().filter(|f| f["code"] == "vendor-chunk").collect();
        assert_eq!(vendor.len(), 1, "{target}: one vendor-chunk finding expected: {findings:#?}");
        let vendor = vendor[0];
        assert_eq!(vendor["package"], PACKAGE);
        let message = vendor["message"].as_str().expect("message");
        let snippet = vendor["config"][key].as_str().unwrap_or_else(|| panic!("{target}: no `{key}` config"));
        // Printed in the terminal (the target's snippet) and in the Markdown, line by line as in the JSON.
        for line in snippet.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                text.contains(line),
                "{target}: terminal output lacks the snippet line {line:?}:\n{text}"
            );
            assert!(markdown.contains(line), "{target}: Markdown lacks the snippet line {line:?}");
        }
        assert!(
            text.contains(message.split(". ").next().unwrap_or(message)),
            "{target}: finding not printed"
        );
        let predicted = predicted_after(message);
        let initial_before = report["summary"]["initial"]["gzip"].as_u64().expect("initial gzip");

        let config = write_config(tmp.path(), key, "printed", snippet);
        let before = build(bundler, None, tmp.path());
        let after = build(bundler, Some(&config), tmp.path());
        let whole = build(
            bundler,
            Some(&write_config(tmp.path(), key, "whole", whole_package_snippet(key))),
            tmp.path(),
        );

        let lazy_before: BTreeSet<&String> =
            before.chunks.iter().filter(|c| !c.1).flat_map(|c| c.3.iter()).collect();
        let initial_after: BTreeSet<&String> =
            after.chunks.iter().filter(|c| c.1).flat_map(|c| c.3.iter()).collect();
        assert!(!lazy_before.is_empty(), "{bundler}: the viewer route should load parts of three on demand");
        let moved: Vec<&&String> = lazy_before.intersection(&initial_after).collect();
        assert!(
            moved.is_empty(),
            "{bundler}: the vendor config moved lazy-only modules onto the initial load: {moved:?}"
        );
        let vendor_chunk = after.chunks.iter().find(|c| c.1 && c.2 == PACKAGE);
        let vendor_chunk = vendor_chunk.unwrap_or_else(|| {
            panic!("{bundler}: no initial chunk named `{PACKAGE}` after the config: {:?}", after.chunks)
        });
        assert!(!vendor_chunk.3.is_empty(), "{bundler}: the `{PACKAGE}` chunk has none of three's modules");
        let diff = predicted.abs_diff(after.initial_gzip);
        // What the config changes: predicted (after − Ballast's initial today) against real (after − before).
        let predicted_change = predicted as i64 - initial_before as i64;
        let real_change = after.initial_gzip as i64 - before.initial_gzip as i64;
        let stated_lazy = lazy_only_gzip(message);
        let whole_cost = whole.initial_gzip as i64 - after.initial_gzip as i64;
        let row = format!(
            "{bundler:<8} {initial_before:>10} {:>10} {predicted:>12} {:>10} {:>7.2}% {predicted_change:>+8} {real_change:>+8} {:>10} {stated_lazy:>9} {whole_cost:>+9}",
            before.initial_gzip,
            after.initial_gzip,
            diff as f64 * 100.0 / after.initial_gzip as f64,
            whole.initial_gzip,
        );
        eprintln!("{row}");
        rows.push(row);
        assert!(
            predicted_change.abs_diff(real_change) * 100 <= after.initial_gzip,
            "{bundler}: the config changes the real initial load by {real_change} B, Ballast predicts \
             {predicted_change} B: more than 1% of {} B apart ({message})",
            after.initial_gzip
        );
        // A whole-package group moves the lazy-only modules onto the initial load, about what the finding says
        // they weigh.
        let whole_initial: BTreeSet<&String> =
            whole.chunks.iter().filter(|c| c.1).flat_map(|c| c.3.iter()).collect();
        assert!(
            lazy_before.is_subset(&whole_initial),
            "{bundler}: the whole-package group should pull the lazy-only modules onto the initial load"
        );
        assert!(
            whole_cost.unsigned_abs().abs_diff(stated_lazy) * 10 <= stated_lazy && whole_cost > 0,
            "{bundler}: a whole-package group adds {whole_cost} B to the initial load; the finding says the \
             lazy-only modules weigh {stated_lazy} B gzip"
        );
        // The figure itself: within 1% for Vite. Ballast's webpack model of this app is already more than 1%
        // below the real build before any change (the corpus differential allows webpack 5%), so there the
        // figure is held to that tolerance and the change, above, to 1%.
        let tolerance = if bundler == "webpack" { 5 } else { 1 };
        assert!(
            diff * 100 <= after.initial_gzip * tolerance,
            "{bundler}: real initial after the config {} B is not within {tolerance}% of the predicted \
             {predicted} B ({message})",
            after.initial_gzip
        );
    }
    eprintln!("vendor chunk for {PACKAGE} in {APP} (initial JS, gzip 9, bytes):");
    eprintln!(
        "bundler  pred.before real.before pred.after  real.after    diff  pred.chg real.chg whole.real lazy.said whole.cost"
    );
    for row in rows {
        eprintln!("{row}");
    }
}
