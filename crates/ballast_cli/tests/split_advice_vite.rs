//! The split advice judged by a real rebuild. `fixtures/split-e2e/` is a Vite 7 app where `three` is imported
//! eagerly by one route module (`src/routes/Viewer.ts`, through two helpers) that a static routes table pulls
//! into the initial load. The test:
//! 1. runs `ballast analyze <app> --json` and takes the top `split-point` finding;
//! 2. copies the app twice to a temp dir (node_modules symlinked) and applies the advice to one copy as printed:
//!    the static import at the finding's file:line:column goes, and the loader it suggests is stored where the
//!    route table stored the view (start-up never reads it, so no top-level `await import()`);
//! 3. runs `vite build --manifest` on both copies and measures the real initial JS (the entry chunk plus its
//!    static imports, from the manifest), gzip level 9 with flate2;
//! 4. asserts the real initial JS shrinks by at least 90% of Ballast's predicted gzip saving, and that the
//!    predicted new initial gzip is within ±15% of the real one.
//!
//! Needs `scripts/split-e2e-setup.sh` to have installed `fixtures/split-e2e/node_modules`; fails (never skips)
//! when it has not.

use std::collections::BTreeSet;
use std::io::Write as _;
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

fn vite_build(app: &Path, out: &Path) {
    let status = Command::new(app.join("node_modules/.bin/vite"))
        .args(["build", "--manifest", "--emptyOutDir", "--logLevel", "warn", "--outDir"])
        .arg(out)
        .current_dir(app)
        .status()
        .expect("run vite");
    assert!(status.success(), "vite build failed in {}", app.display());
}

fn gzip9(bytes: &[u8]) -> u64 {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip").len() as u64
}

/// gzip size of the entry chunk plus every chunk it imports statically (transitively), from the manifest.
fn initial_gzip(out: &Path) -> (u64, Vec<String>) {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(".vite/manifest.json")).expect("manifest"))
            .expect("manifest json");
    let entries: Vec<String> = manifest
        .as_object()
        .expect("manifest object")
        .iter()
        .filter(|(_, v)| v["isEntry"].as_bool() == Some(true))
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(entries.len(), 1, "one entry expected: {entries:?}");
    let mut seen = BTreeSet::new();
    let mut stack = entries;
    while let Some(key) = stack.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        for import in manifest[&key]["imports"].as_array().into_iter().flatten() {
            stack.push(import.as_str().expect("import key").to_string());
        }
    }
    let mut total = 0;
    let mut files = Vec::new();
    for key in &seen {
        let file = manifest[key]["file"].as_str().expect("chunk file");
        if file.ends_with(".js") {
            total += gzip9(&std::fs::read(out.join(file)).expect("read chunk"));
            files.push(file.to_string());
        }
    }
    (total, files)
}

#[test]
fn split_advice_matches_a_real_vite_build() {
    let app = fixture();
    assert!(
        app.join("node_modules/.bin/vite").exists() && app.join("node_modules/three/package.json").exists(),
        "fixtures/split-e2e/node_modules is missing: run scripts/split-e2e-setup.sh first"
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let report_path = tmp.path().join("report.json");
    let output = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .arg("analyze")
        .arg(&app)
        .args(["--no-cache", "--json"])
        .arg(&report_path)
        .output()
        .expect("run ballast");
    assert!(output.status.success(), "ballast failed: {}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).expect("report")).expect("report json");
    let split = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "split-point")
        .unwrap_or_else(|| panic!("no split-point finding: {:#}", report["findings"]))
        .clone();
    assert_eq!(split["package"], "three");
    let file = split["file"].as_str().expect("file").to_string();
    let line = split["line"].as_u64().expect("line") as u32;
    let column = split["column"].as_u64().expect("column") as u32;
    let initial = report["summary"]["initial"]["gzip"].as_u64().expect("initial gzip");
    let saving = split["savings"]["gzip"].as_u64().expect("savings gzip");
    let predicted_after = initial - saving;

    let before_app = tmp.path().join("before");
    let after_app = tmp.path().join("after");
    copy_app(&app, &before_app);
    copy_app(&app, &after_app);
    let suggestion = split["suggestion"].as_str().unwrap_or_default();
    let code = apply_stored_loader(&after_app, &file, line, column, suggestion);

    vite_build(&before_app, &tmp.path().join("dist-before"));
    vite_build(&after_app, &tmp.path().join("dist-after"));
    let (real_before, files_before) = initial_gzip(&tmp.path().join("dist-before"));
    let (real_after, files_after) = initial_gzip(&tmp.path().join("dist-after"));
    let real_saving = real_before.saturating_sub(real_after);

    eprintln!("split point: {file}:{line}:{column} -> `{code}`");
    eprintln!("initial JS before (real, gzip 9): {real_before} B {files_before:?}");
    eprintln!("initial JS after  (real, gzip 9): {real_after} B {files_after:?}");
    eprintln!("Ballast initial before:           {initial} B");
    eprintln!("Ballast predicted after:          {predicted_after} B");
    eprintln!("predicted saving: {saving} B, real saving: {real_saving} B");

    assert!(
        real_saving * 10 >= saving * 9,
        "real saving {real_saving} B is less than 90% of the predicted {saving} B"
    );
    let diff = predicted_after.abs_diff(real_after);
    assert!(
        diff * 100 <= real_after * 15,
        "predicted new initial {predicted_after} B is not within 15% of the real {real_after} B"
    );
}
