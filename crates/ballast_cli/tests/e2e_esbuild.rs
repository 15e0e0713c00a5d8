//! Compares `ballast analyze` with a real esbuild build of the same app (fixtures/e2e, real npm packages):
//!
//! (a) the JS/TS/JSON modules ballast marks `included: true` are exactly the metafile inputs that esbuild put at
//!     least one byte of into an output (`bytesInOutput > 0`);
//! (b) ballast's total minified JS (`summary.total.min`) is within ±15% of the sum of esbuild's `.js` outputs.
//!
//! esbuild runs as `esbuild <entry> --bundle --minify --splitting --format=esm`, with the entry taken from the app's
//! `index.html` module script. Needs `scripts/e2e-setup.sh` to have installed fixtures/e2e/node_modules; the tests fail
//! (they never skip) when it has not.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

/// Allowed relative difference between ballast's `summary.total.min` and esbuild's JS output bytes.
const SIZE_TOLERANCE: f64 = 0.15;
/// esbuild's side counts a module when it put `bytesInOutput > 0` into an output; a pure re-export barrel
/// (`export { default } from './x'`) is reached but gets 0 bytes. When this is false, ballast's side likewise leaves
/// out included modules whose own `sizes.min` is 0 (they are listed in the output, not compared); set it to true to
/// compare every `included: true` module.
const COMPARE_ZERO_BYTE_MODULES: bool = false;
/// At most this many paths are listed per side of a diff (the per-package counts cover the rest).
const DIFF_LIST_LIMIT: usize = 150;

#[test]
fn three_app_matches_esbuild() {
    compare_with_esbuild("three-app");
}

#[test]
fn big_app_matches_esbuild() {
    compare_with_esbuild("big-app");
}

fn compare_with_esbuild(app: &str) {
    require_e2e_node_modules();
    let base = e2e_dir();
    let app_dir = base.join(app);
    assert!(app_dir.join("index.html").is_file(), "missing fixture {}", app_dir.display());
    let entry = html_module_entry(&app_dir);

    let tmp = tempfile::tempdir().expect("temp dir");
    let out_dir = tmp.path().join("esbuild");
    let esbuild = run_esbuild(&app_dir, &entry, &out_dir);

    let report_path = tmp.path().join("report.json");
    let ballast = run_ballast_analyze(&app_dir, &entry, &report_path, &["--no-cache", "--target", "esbuild"]);
    let modules = report_modules(&ballast);

    // esbuild's side: every JS-like input, with what it contributed to the outputs.
    let esbuild_bytes: BTreeMap<String, u64> = esbuild
        .inputs
        .iter()
        .filter(|(p, _)| is_js_like_path(p))
        .map(|(p, bytes)| (relative_to(p, &base), *bytes))
        .collect();
    let esbuild_included: BTreeSet<String> =
        esbuild_bytes.iter().filter(|(_, b)| **b > 0).map(|(p, _)| p.clone()).collect();

    // ballast's side: JS-like modules, and those its tree-shaking estimate keeps.
    let ballast_all: BTreeMap<String, &ReportModule> = modules
        .iter()
        .filter(|m| JS_LIKE_KINDS.contains(&m.kind.as_str()))
        // The HTML page is the entry module Ballast starts from, as Vite does; esbuild starts from its script.
        .filter(|m| m.abs.extension().is_none_or(|e| e != "html"))
        .map(|m| (relative_to(&m.abs, &base), m))
        .collect();
    let ballast_zero_byte: BTreeSet<String> = ballast_all
        .iter()
        .filter(|(p, m)| m.included && m.min == 0 && !esbuild_included.contains(*p))
        .map(|(p, _)| p.clone())
        .collect();
    let ballast_included: BTreeSet<String> = ballast_all
        .iter()
        .filter(|(p, m)| m.included && (COMPARE_ZERO_BYTE_MODULES || !ballast_zero_byte.contains(*p)))
        .map(|(p, _)| p.clone())
        .collect();

    let ballast_min = ballast.report["summary"]["total"]["min"].as_u64().unwrap_or(0);
    let ballast_modules_total = modules.len();
    let ballast_chunks = ballast.report["chunks"].as_array().map(|c| c.len()).unwrap_or(0);

    eprintln!();
    eprintln!("=== {app}: ballast vs esbuild (paths relative to fixtures/e2e; entry {entry}) ===");
    eprintln!(
        "esbuild: {} inputs reached ({} JS/TS/JSON), {} with bytes in the output; {} .js outputs, {} bytes ({}) in {} ms",
        esbuild.inputs.len(),
        esbuild_bytes.len(),
        esbuild_included.len(),
        esbuild.js_outputs.len(),
        esbuild.js_bytes,
        human_bytes(esbuild.js_bytes),
        esbuild.millis
    );
    for (name, bytes) in &esbuild.js_outputs {
        eprintln!("    esbuild output {name}: {bytes} bytes");
    }
    eprintln!(
        "ballast: {} modules in the report ({} JS/TS/JSON), {} included; {} chunks; summary.total.min {} bytes ({}) in {} ms",
        ballast_modules_total,
        ballast_all.len(),
        ballast_included.len(),
        ballast_chunks,
        ballast_min,
        human_bytes(ballast_min),
        ballast.millis
    );
    if !COMPARE_ZERO_BYTE_MODULES && !ballast_zero_byte.is_empty() {
        eprintln!(
            "ballast: {} included modules with 0 minified bytes that esbuild emitted no bytes for are not compared \
             (pure re-export barrels) by package: {}",
            ballast_zero_byte.len(),
            per_package_counts(ballast_zero_byte.iter())
        );
    }
    if ballast.root != app_dir {
        eprintln!("ballast: report paths are relative to {}", ballast.root.display());
    }

    let mut failures = Vec::new();

    // (a) module sets.
    let only_ballast: Vec<&String> = ballast_included.difference(&esbuild_included).collect();
    let only_esbuild: Vec<&String> = esbuild_included.difference(&ballast_included).collect();
    if only_ballast.is_empty() && only_esbuild.is_empty() {
        eprintln!("modules: identical sets ({} modules)", ballast_included.len());
    } else {
        let mut diff = String::new();
        diff.push_str(&format!(
            "included modules differ: {} in both, {} only in ballast, {} only in esbuild\n",
            ballast_included.intersection(&esbuild_included).count(),
            only_ballast.len(),
            only_esbuild.len()
        ));
        if !only_ballast.is_empty() {
            diff.push_str(&format!(
                "  only in ballast (included: true, but esbuild emitted no bytes) by package: {}\n",
                per_package_counts(only_ballast.iter().copied())
            ));
            for p in only_ballast.iter().take(DIFF_LIST_LIMIT) {
                let why = match esbuild_bytes.get(*p) {
                    Some(_) => "esbuild reached it, 0 bytes in output".to_string(),
                    None => "esbuild never reached it".to_string(),
                };
                let min = ballast_all.get(*p).map(|m| m.min).unwrap_or(0);
                diff.push_str(&format!("    + {p}  (ballast min {min} B; {why})\n"));
            }
            if only_ballast.len() > DIFF_LIST_LIMIT {
                diff.push_str(&format!("    … {} more\n", only_ballast.len() - DIFF_LIST_LIMIT));
            }
        }
        if !only_esbuild.is_empty() {
            diff.push_str(&format!(
                "  only in esbuild (bytesInOutput > 0, but not included by ballast) by package: {}\n",
                per_package_counts(only_esbuild.iter().copied())
            ));
            for p in only_esbuild.iter().take(DIFF_LIST_LIMIT) {
                let why = match ballast_all.get(*p) {
                    Some(_) => "ballast has it with included: false",
                    None => "not in ballast's report",
                };
                let bytes = esbuild_bytes.get(*p).copied().unwrap_or(0);
                diff.push_str(&format!("    - {p}  (esbuild {bytes} B in output; {why})\n"));
            }
            if only_esbuild.len() > DIFF_LIST_LIMIT {
                diff.push_str(&format!("    … {} more\n", only_esbuild.len() - DIFF_LIST_LIMIT));
            }
        }
        eprint!("{diff}");
        failures.push(format!(
            "(a) {app}: included module sets differ ({} only in ballast, {} only in esbuild; see the diff above)",
            only_ballast.len(),
            only_esbuild.len()
        ));
    }

    // (b) total minified JS.
    let ratio =
        if esbuild.js_bytes == 0 { f64::INFINITY } else { ballast_min as f64 / esbuild.js_bytes as f64 };
    eprintln!(
        "size: ballast summary.total.min = {ballast_min} B, esbuild .js outputs = {} B, ratio {:.3} ({:+.1}%, allowed ±{:.0}%)",
        esbuild.js_bytes,
        ratio,
        (ratio - 1.0) * 100.0,
        SIZE_TOLERANCE * 100.0
    );
    if !((1.0 - SIZE_TOLERANCE)..=(1.0 + SIZE_TOLERANCE)).contains(&ratio) {
        failures.push(format!(
            "(b) {app}: ballast summary.total.min {ballast_min} B is not within ±{:.0}% of esbuild's {} B (ratio {ratio:.3})",
            SIZE_TOLERANCE * 100.0,
            esbuild.js_bytes
        ));
    }

    if !failures.is_empty() {
        panic!("{app} does not match esbuild:\n  {}", failures.join("\n  "));
    }
}
