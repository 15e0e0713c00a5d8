//! The same app analysed from source and from its real build (issue 6). `fixtures/split-e2e/` (Vite 7 + three)
//! is built once with `vite build`, sourcemaps on, into a temp outDir, through a temp Vite config that spreads the
//! app's own `vite.config.mjs` and adds the Ballast Vite plugin imported by path from `npm/ballast/vite.mjs`
//! (binary: this crate's `ballast`, a permissive budget, `BALLAST_KEEP_STATS=1` with `TMPDIR` in the temp dir so
//! the plugin's bundle data stays there). Then three reports of the app:
//! - source mode: `ballast analyze <app> --json`;
//! - build mode from the sourcemaps: `ballast analyze <app> --stats <outDir> --json`;
//! - build mode from the plugin's bundle data: `ballast analyze <app> --stats bundle.json --json`.
//!
//! Asserts, for each build-mode report against the source-mode one: the JS module sets are equal (source mode's
//! `included` JS/TS modules vs build mode's modules, leaving out synthetic `[unmapped]/…` / `(virtual)/…` ones
//! and 0-byte modules; the differences are printed), and the source-mode initial gzip is within ±10% of the
//! build-mode initial gzip (both figures printed).
//!
//! Needs `scripts/split-e2e-setup.sh` to have installed `fixtures/split-e2e/node_modules`; fails (never skips)
//! when it has not.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

fn ballast(args: &[&str], app: &Path, json: &Path) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .arg("analyze")
        .arg(app)
        .args(args)
        .args(["--no-cache", "--format", "text", "--json"])
        .arg(json)
        .output()
        .expect("run ballast");
    assert!(
        output.status.success(),
        "ballast analyze {} {args:?} failed ({}):\n{}\n{}",
        app.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(json).expect("read report")).expect("report JSON")
}

const JS_KINDS: [&str; 4] = ["js", "ts", "jsx", "tsx"];

fn is_js(module: &Value) -> bool {
    JS_KINDS.contains(&module["kind"].as_str().unwrap_or_default())
}

/// Source mode: the JS modules the tree-shaking estimate keeps.
fn source_modules(report: &Value) -> BTreeSet<String> {
    report["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .filter(|m| is_js(m) && m["included"].as_bool() == Some(true))
        .map(|m| m["path"].as_str().expect("path").to_string())
        // Ballast's models of Vite's own code; the build lists Vite's real ones as virtual modules.
        .filter(|path| !path.starts_with('('))
        // The page itself is the entry module Vite starts from; it prints no code.
        .filter(|path| !path.ends_with(".html"))
        .collect()
}

/// Build mode: the JS modules that contribute bytes, without the synthetic ones.
fn build_modules(report: &Value) -> BTreeSet<String> {
    report["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .filter(|m| is_js(m))
        .filter(|m| {
            let path = m["path"].as_str().unwrap_or_default();
            !path.starts_with("[unmapped]") && !path.starts_with("(virtual)") && !path.contains("\0")
        })
        .filter(|m| {
            m["sizes"]["min"].as_u64().unwrap_or(0) > 0 || m["sizes"]["raw"].as_u64().unwrap_or(0) > 0
        })
        .map(|m| m["path"].as_str().expect("path").to_string())
        .collect()
}

fn initial_gzip(report: &Value) -> u64 {
    report["summary"]["initial"]["gzip"].as_u64().expect("summary.initial.gzip")
}

/// Prints the comparison of one build-mode report with the source-mode one and asserts on it.
fn compare(label: &str, source: &Value, build: &Value) -> Vec<String> {
    let mut failures = Vec::new();
    assert_eq!(build["mode"], "build", "{label}: not a build-mode report");
    let from_source = source_modules(source);
    let from_build = build_modules(build);
    let only_source: Vec<_> = from_source.difference(&from_build).collect();
    let only_build: Vec<_> = from_build.difference(&from_source).collect();
    eprintln!(
        "[{label}] JS modules: source mode {} included, build mode {} (without synthetic / 0-byte ones)",
        from_source.len(),
        from_build.len()
    );
    eprintln!("[{label}]   only in source mode (dropped by the bundler): {only_source:?}");
    eprintln!("[{label}]   only in build mode: {only_build:?}");
    if !only_source.is_empty() || !only_build.is_empty() {
        failures.push(format!(
            "{label}: module sets differ: only in source mode {only_source:?}, only in build mode {only_build:?}"
        ));
    }

    let source_gzip = initial_gzip(source);
    let build_gzip = initial_gzip(build);
    let delta = (source_gzip as f64 - build_gzip as f64) / build_gzip as f64 * 100.0;
    eprintln!(
        "[{label}] initial gzip: source mode {source_gzip} B, build mode {build_gzip} B ({delta:+.2}% from build)"
    );
    if source_gzip.abs_diff(build_gzip) * 10 > build_gzip {
        failures.push(format!(
            "{label}: source-mode initial gzip {source_gzip} B is not within ±10% of build mode's {build_gzip} B"
        ));
    }
    failures
}

/// The plugin's kept bundle data: `<tmpdir>/ballast-vite-*/bundle.json`.
fn kept_bundle_data(tmpdir: &Path) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(tmpdir)
        .expect("read plugin tmpdir")
        .filter_map(Result::ok)
        .map(|e| e.path().join("bundle.json"))
        .filter(|p| p.is_file())
        .collect();
    assert_eq!(found.len(), 1, "expected one kept bundle.json under {}: {found:?}", tmpdir.display());
    found.into_iter().next().expect("bundle.json")
}

#[test]
fn source_mode_matches_build_mode_on_a_real_vite_build() {
    let repo = repo();
    let app = repo.join("fixtures/split-e2e");
    let vite = app.join("node_modules/.bin/vite");
    assert!(
        vite.exists() && app.join("node_modules/three/package.json").exists(),
        "fixtures/split-e2e/node_modules is missing: run scripts/split-e2e-setup.sh first"
    );
    let plugin = repo.join("npm/ballast/vite.mjs");
    assert!(plugin.is_file(), "missing {}", plugin.display());

    let tmp = tempfile::tempdir().expect("tempdir");
    let out_dir = tmp.path().join("dist");
    let plugin_tmp = tmp.path().join("plugin-tmp");
    std::fs::create_dir_all(&plugin_tmp).expect("mkdir plugin-tmp");
    let budget = tmp.path().join("ballast.json");
    std::fs::write(&budget, r#"{ "budgets": [{ "target": "initial", "metric": "gzip", "max": "100 MB" }] }"#)
        .expect("write budget");

    // Loaded with `--configLoader native`: Vite's default loader bundles the config with esbuild, which turns the
    // plugin's `require('fs')` (lib/binary.js, CommonJS) into a failing dynamic require.
    let js = |p: &Path| serde_json::to_string(&p.to_string_lossy()).expect("path as JS string");
    let url = |p: &Path| serde_json::to_string(&format!("file://{}", p.display())).expect("URL as JS string");
    let config = format!(
        "import base from {app_config};
import ballast from {plugin};

export default {{
  ...base,
  root: {root},
  build: {{ ...(base.build || {{}}), sourcemap: true, outDir: {out_dir}, emptyOutDir: true }},
  plugins: [
    ...(base.plugins || []),
    ballast({{ budget: {budget}, binary: {binary}, failOnBudget: false }}),
  ],
}};
",
        app_config = url(&app.join("vite.config.mjs")),
        plugin = url(&plugin),
        root = js(&app),
        out_dir = js(&out_dir),
        budget = js(&budget),
        binary = js(Path::new(env!("CARGO_BIN_EXE_ballast"))),
    );
    let config_path = tmp.path().join("vite.config.mjs");
    std::fs::write(&config_path, config).expect("write vite config");

    let output = Command::new(&vite)
        .args(["build", "--configLoader", "native", "--config"])
        .arg(&config_path)
        .current_dir(&app)
        .env("BALLAST_KEEP_STATS", "1")
        .env("TMPDIR", &plugin_tmp)
        .env("NO_COLOR", "1")
        .env_remove("BALLAST_BINARY")
        .output()
        .expect("run vite");
    assert!(
        output.status.success(),
        "vite build failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let maps = std::fs::read_dir(out_dir.join("assets"))
        .expect("read outDir/assets")
        .filter_map(Result::ok)
        .filter(|e| e.path().to_string_lossy().ends_with(".js.map"))
        .count();
    assert!(maps > 0, "vite wrote no .js.map files to {}", out_dir.display());
    let bundle_data = kept_bundle_data(&plugin_tmp);

    let source = ballast(&[], &app, &tmp.path().join("source.json"));
    assert_eq!(source["mode"], "source");
    let out_dir_arg = out_dir.to_string_lossy().to_string();
    let from_maps = ballast(&["--stats", &out_dir_arg], &app, &tmp.path().join("sourcemaps.json"));
    let bundle_arg = bundle_data.to_string_lossy().to_string();
    let from_plugin = ballast(&["--stats", &bundle_arg], &app, &tmp.path().join("plugin.json"));

    let mut failures = compare("sourcemaps", &source, &from_maps);
    failures.extend(compare("vite plugin", &source, &from_plugin));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
