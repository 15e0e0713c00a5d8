//! Apps whose config groups modules into chunks the way teams write it (`fixtures/frameworks`): a Vite 7
//! `manualChunks` function (three in its own chunk, every other package in `vendor`) and Vite 8
//! `codeSplitting.groups` with priorities. Each is built for real with its own Vite (`build.mjs`) and analysed by
//! Ballast; per real chunk, the modules that ship must be the predicted chunk's, and the initial JS gzip within 5%.
//!
//! Needs `fixtures/frameworks/{vite7,vite8}/node_modules` (`scripts/setup.sh`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const APPS: [(&str, &str); 2] = [("vite7", "manual-chunks"), ("vite8", "groups-app")];

/// Modules Ballast keeps and the real build drops, with why; each must still differ (the test fails when one no
/// longer does, so the list stays true). Rollup 4 tracks the values a function's callers pass: every kept call of
/// lodash's `baseUniq` omits `comparator`, so Rollup drops the `if (comparator)` branch and `arrayIncludesWith`
/// with it. Ballast does not model parameter values (Rolldown does not either).
const KNOWN: [(&str, &str); 1] = [("manual-chunks", "../node_modules/lodash-es/_arrayIncludesWith.js")];

fn app_dir(workspace: &str, app: &str) -> PathBuf {
    common::repo_root().join("fixtures").join("frameworks").join(workspace).join(app)
}

fn real_build(app: &str, out: &Path) -> Value {
    let script = common::repo_root().join("fixtures").join("frameworks").join("build.mjs");
    let status = Command::new("node").arg(script).arg(app).arg(out).status().expect("node runs");
    assert!(status.success(), "the real vite build of {app} failed");
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

fn analyze(dir: &Path, out: &Path) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .current_dir(dir)
        .env("BALLAST_HELPER", common::repo_root().join("npm/ballast/lib/project-helper.mjs"))
        .args(["analyze", "--no-cache", "--format", "text", "--json"])
        .arg(out)
        .output()
        .expect("ballast runs");
    assert!(output.status.success(), "ballast analyze failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

fn is_code(path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    [".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".json"].iter().any(|e| path.ends_with(e))
}

/// `(name, initial, modules that ship)` per real JS chunk; module paths relative to the app, as Ballast's are.
fn real_chunks(real: &Value, dir: &Path) -> Vec<(String, bool, BTreeSet<String>)> {
    let dir = std::fs::canonicalize(dir).unwrap();
    real["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["type"] == "chunk")
        .map(|f| {
            let modules = f["modules"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| {
                    m["renderedLength"].as_u64().unwrap_or(0) > 0 && m["virtual"].as_bool() != Some(true)
                })
                .filter_map(|m| m["id"].as_str())
                .filter(|id| id.starts_with('/') && is_code(id))
                .map(|id| pathdiff(Path::new(id), &dir))
                .collect();
            (f["name"].as_str().unwrap_or_default().to_string(), f["initial"] == true, modules)
        })
        .collect()
}

fn pathdiff(path: &Path, base: &Path) -> String {
    let path: Vec<_> = path.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(path[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

fn predicted_chunks(report: &Value) -> Vec<(String, bool, BTreeSet<String>, u64)> {
    let modules = report["modules"].as_array().unwrap();
    report["chunks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] != "worker")
        .map(|c| {
            let set = c["modules"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|i| modules.get(i.as_u64()? as usize))
                .filter(|m| m["sizes"]["min"].as_u64().unwrap_or(0) > 0)
                .filter_map(|m| m["path"].as_str())
                .filter(|p| !p.starts_with('(') && is_code(p))
                .map(str::to_string)
                .collect();
            (
                c["name"].as_str().unwrap_or_default().to_string(),
                c["initial"] == true,
                set,
                c["sizes"]["gzip"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn chunking_config_is_applied_as_the_bundler_applies_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    println!("| app | real chunk | predicted | modules | initial | predicted gzip |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (workspace, app) in APPS {
        let dir = app_dir(workspace, app);
        assert!(
            dir.join("../node_modules/vite/package.json").is_file(),
            "fixtures/frameworks/{workspace}/node_modules is not installed: run scripts/setup.sh"
        );
        let build = real_build(app, &tmp.path().join(format!("{app}-real.json")));
        let report = analyze(&dir, &tmp.path().join(format!("{app}.json")));
        let real = real_chunks(&build, &dir);
        let predicted = predicted_chunks(&report);
        let real_gzip = build["initialGzip"].as_u64().unwrap();
        let predicted_gzip: u64 = predicted.iter().filter(|p| p.1).map(|p| p.3).sum();
        let delta = (predicted_gzip as f64 - real_gzip as f64) / real_gzip as f64 * 100.0;
        println!("| {app} | initial JS gzip | {predicted_gzip} B | real {real_gzip} B | {delta:+.1}% | |");
        if delta.abs() > 5.0 {
            failures.push(format!(
                "{app}: initial JS gzip {predicted_gzip} B against {real_gzip} B ({delta:+.1}%)"
            ));
        }
        if real.len() != predicted.len() {
            failures.push(format!("{app}: {} real JS chunks, {} predicted", real.len(), predicted.len()));
        }
        for (name, initial, modules) in &real {
            let Some(best) = predicted.iter().max_by_key(|p| p.2.intersection(modules).count()) else {
                continue;
            };
            println!(
                "| {app} | {name} ({}) | {} | {} / {} | {initial} / {} | {} B |",
                modules.len(),
                best.0,
                modules.intersection(&best.2).count(),
                best.2.len(),
                best.1,
                best.3
            );
            let known: BTreeSet<String> =
                KNOWN.iter().filter(|(a, _)| *a == app).map(|(_, m)| m.to_string()).collect();
            for m in known.iter().filter(|m| best.2.contains(*m) || modules.contains(*m)) {
                if !best.2.contains(m) || modules.contains(m) {
                    failures.push(format!("{app}: {m} is listed in KNOWN but no longer differs: remove it"));
                }
            }
            let kept: BTreeSet<String> = best.2.difference(&known).cloned().collect();
            if &kept != modules {
                failures.push(format!(
                    "{app}: chunk `{name}`: missing {:?}, extra {:?}",
                    modules.difference(&kept).take(5).collect::<Vec<_>>(),
                    kept.difference(modules).take(5).collect::<Vec<_>>()
                ));
            }
            if best.0 != *name || best.1 != *initial {
                failures.push(format!(
                    "{app}: chunk `{name}` (initial {initial}) predicted as `{}` ({})",
                    best.0, best.1
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
