//! The split advice judged by real rebuilds with Vite 7 (Rollup), Vite 8 (Rolldown) and webpack 5.
//! `fixtures/split-e2e/` is an app where `three` is imported eagerly by one route module
//! (`src/routes/Viewer.ts`, through two helpers) that a static routes table pulls into the initial load. Per
//! bundler the test:
//! 1. runs `ballast analyze <app> --target vite|rolldown|webpack --json` and takes the top `split-point` finding;
//! 2. copies the app to a temp dir (node_modules symlinked) and applies the advice as printed: the static import
//!    at the finding's file:line:column goes, and the loader it suggests is stored where the route table stored
//!    the view (start-up never reads it, so no top-level `await import()`);
//! 3. builds the unchanged copy and the changed one with `fixtures/corpus/build.mjs` (the corpus's Vite 7,
//!    Vite 8 and webpack, production) and takes the real initial JS (the entry chunk plus its static imports for
//!    Vite, the entrypoint's chunks for webpack), gzip level 9;
//! 4. prints a table suggestion → predicted vs real saving per bundler, and asserts that per bundler the real
//!    initial JS shrinks by at least 90% of Ballast's predicted gzip saving, and that the predicted new initial
//!    gzip is within ±15% of the real one.
//!
//! Needs `scripts/split-e2e-setup.sh` (`fixtures/split-e2e/node_modules`) and `scripts/setup.sh`
//! (`fixtures/corpus/node_modules`); fails (never skips) without them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/split-e2e")
        .canonicalize()
        .expect("fixtures/split-e2e")
}

fn copy_app(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("dir entry");
        let name = entry.file_name();
        let source = entry.path();
        let target = to.join(&name);
        if name == "node_modules" {
            std::os::unix::fs::symlink(&source, &target).expect("symlink node_modules");
        } else if name == "dist" {
            continue;
        } else if source.is_dir() {
            copy_app(&source, &target);
        } else {
            std::fs::copy(&source, &target).expect("copy file");
        }
    }
}

/// Applies the suggestion as printed for a binding stored in a route table: "Delete `<import>` and store a
/// loader where `X` is stored, at <file>:<line>:<col>: `<loader>`, …". Deletes the import statement at
/// `line:column` and puts the loader where `X` is stored. Returns the loader code.
fn apply_stored_loader(app: &Path, file: &str, line: u32, column: u32, suggestion: &str) -> String {
    let path = app.join(file);
    let source = std::fs::read_to_string(&path).expect("read importer");
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    let text = lines[line as usize - 1].clone();
    let start = column as usize - 1;
    let statement = &text[start..];
    let end = statement.find(';').map_or(statement.len(), |e| e + 1);
    lines[line as usize - 1] = format!("{}{}", &text[..start], &text[start + end..]);
    let (name, rest) = suggestion
        .split_once("store a loader where `")
        .and_then(|(_, r)| r.split_once('`'))
        .expect("a stored-loader suggestion");
    let site = rest.split_once(" at ").and_then(|(_, r)| r.split_once(": `")).expect("the use site");
    let loader = site.1.split_once('`').expect("the loader code").0.to_string();
    let mut at = site.0.rsplitn(3, ':');
    let use_column: usize = at.next().and_then(|c| c.parse().ok()).expect("column");
    let use_line: usize = at.next().and_then(|l| l.parse().ok()).expect("line");
    assert_eq!(at.next(), Some(file), "the loader goes in the importer");
    let target = &mut lines[use_line - 1];
    let from = use_column - 1;
    assert_eq!(&target[from..from + name.len()], name, "`{name}` is stored at {use_line}:{use_column}");
    target.replace_range(from..from + name.len(), &loader);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write importer");
    loader
}

/// (fixtures/corpus/build.mjs bundler, `ballast --target`)
const BUNDLERS: [(&str, &str); 3] = [("vite7", "vite"), ("vite8", "rolldown"), ("webpack", "webpack")];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/corpus")
        .canonicalize()
        .expect("fixtures/corpus")
}

/// Builds `app` with `fixtures/corpus/build.mjs` (production, the corpus's Vite 7, Vite 8 or webpack 5) and
/// returns the initial JS gzip (level 9) and the initial chunks' file names.
fn real_initial(app: &Path, bundler: &str, out: &Path) -> (u64, Vec<String>) {
    let json =
        out.join(format!("{}-{bundler}.json", app.file_name().and_then(|n| n.to_str()).unwrap_or("app")));
    let output = Command::new("node")
        .arg(corpus().join("build.mjs"))
        .arg(app)
        .arg(bundler)
        .arg(&json)
        .current_dir(corpus())
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "{bundler} build of {} failed:\n{}{}",
        app.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("build json")).expect("build json");
    let files = value["chunks"]
        .as_array()
        .expect("chunks")
        .iter()
        .filter(|c| c["initial"].as_bool() == Some(true))
        .filter_map(|c| c["fileName"].as_str().map(str::to_string))
        .collect();
    (value["initialGzip"].as_u64().expect("initialGzip"), files)
}

#[test]
fn split_advice_matches_real_builds() {
    let app = fixture();
    assert!(
        app.join("node_modules/three/package.json").exists(),
        "fixtures/split-e2e/node_modules is missing: run scripts/split-e2e-setup.sh first"
    );
    assert!(
        ["vite7", "vite8", "webpack"].iter().all(|p| corpus()
            .join("node_modules")
            .join(p)
            .join("package.json")
            .exists()),
        "fixtures/corpus/node_modules is missing: run scripts/setup.sh first"
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let before_app = tmp.path().join("before");
    copy_app(&app, &before_app);
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for (bundler, target) in BUNDLERS {
        let report_path = tmp.path().join(format!("report-{target}.json"));
        let output = Command::new(env!("CARGO_BIN_EXE_ballast"))
            .arg("analyze")
            .arg(&app)
            .args(["--target", target, "--no-cache", "--compression", "gzip", "--json"])
            .arg(&report_path)
            .output()
            .expect("run ballast");
        assert!(output.status.success(), "ballast failed: {}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report_path).expect("report"))
                .expect("report json");
        let split = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["code"] == "split-point")
            .unwrap_or_else(|| panic!("{target}: no split-point finding: {:#}", report["findings"]))
            .clone();
        assert_eq!(split["package"], "three");
        let file = split["file"].as_str().expect("file").to_string();
        let line = split["line"].as_u64().expect("line") as u32;
        let column = split["column"].as_u64().expect("column") as u32;
        let initial = report["summary"]["initial"]["gzip"].as_u64().expect("initial gzip");
        let saving = split["savings"]["gzip"].as_u64().expect("savings gzip");
        let predicted_after = initial - saving;

        let after_app = tmp.path().join(format!("after-{bundler}"));
        copy_app(&app, &after_app);
        let suggestion = split["suggestion"].as_str().unwrap_or_default();
        let code = apply_stored_loader(&after_app, &file, line, column, suggestion);

        let out = tmp.path().join(format!("out-{bundler}"));
        std::fs::create_dir_all(&out).expect("mkdir");
        let (real_before, files_before) = real_initial(&before_app, bundler, &out);
        let (real_after, files_after) = real_initial(&after_app, bundler, &out);
        let real_saving = real_before.saturating_sub(real_after);

        eprintln!("[{bundler}] split point: {file}:{line}:{column} -> `{code}`");
        eprintln!("[{bundler}] initial JS before (real, gzip 9): {real_before} B {files_before:?}");
        eprintln!("[{bundler}] initial JS after  (real, gzip 9): {real_after} B {files_after:?}");
        eprintln!("[{bundler}] Ballast initial before {initial} B, predicted after {predicted_after} B");
        rows.push(format!(
            "{bundler:<8} {:<44} {saving:>9} {real_saving:>9} {:>6.1}% {predicted_after:>10} {real_after:>10}",
            format!("{file}:{line}:{column} -> loader"),
            real_saving as f64 * 100.0 / saving.max(1) as f64
        ));
        if real_saving * 10 < saving * 9 {
            failures.push(format!(
                "{bundler}: real saving {real_saving} B is less than 90% of the predicted {saving} B"
            ));
        }
        let diff = predicted_after.abs_diff(real_after);
        if diff * 100 > real_after * 15 {
            failures.push(format!(
                "{bundler}: predicted new initial {predicted_after} B is not within 15% of the real {real_after} B"
            ));
        }
    }
    eprintln!("suggestion -> predicted vs real saving (initial JS, gzip 9, bytes):");
    eprintln!(
        "bundler  suggestion                                   predicted      real  real/p  pred.after real.after"
    );
    for row in &rows {
        eprintln!("{row}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
