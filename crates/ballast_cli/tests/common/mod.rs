//! Helpers for the end-to-end tests that run real tools (esbuild from `fixtures/e2e/node_modules`) next to the
//! `ballast` binary on the fixture apps in `fixtures/e2e/`.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root (two levels above this crate's manifest).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("..").join("..");
    root.canonicalize().unwrap_or(root)
}

/// `fixtures/e2e`, the one npm project whose `node_modules` serves every e2e app.
pub fn e2e_dir() -> PathBuf {
    repo_root().join("fixtures").join("e2e")
}

/// Fails (never skips) when `fixtures/e2e/node_modules` has not been installed.
pub fn require_e2e_node_modules() -> PathBuf {
    let dir = e2e_dir();
    let node_modules = dir.join("node_modules");
    let esbuild = esbuild_bin();
    if !node_modules.is_dir() || !esbuild.exists() {
        panic!(
            "fixtures/e2e/node_modules is not installed (looked for {}).\n\
             Run `scripts/e2e-setup.sh` from the repository root first (it runs `npm ci` in fixtures/e2e).",
            esbuild.display()
        );
    }
    node_modules
}

pub fn esbuild_bin() -> PathBuf {
    e2e_dir().join("node_modules").join(".bin").join("esbuild")
}

pub fn ballast_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ballast"))
}

/// The `src` of the first `<script type="module" src="…">` in `index.html`, relative to the app folder
/// (a leading `/` means the app root, as in Vite).
pub fn html_module_entry(app_dir: &Path) -> String {
    let html_path = app_dir.join("index.html");
    let html = std::fs::read_to_string(&html_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", html_path.display()));
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script") {
        let start = from + start;
        let end = lower[start..].find('>').map(|e| start + e).unwrap_or(lower.len());
        let tag = &html[start..end];
        let tag_lower = &lower[start..end];
        from = end;
        let is_module = tag_lower.contains("type=\"module\"") || tag_lower.contains("type='module'");
        if !is_module {
            continue;
        }
        if let Some(src) = attr(tag, tag_lower, "src") {
            return src.trim_start_matches('/').to_string();
        }
    }
    panic!("no <script type=\"module\" src=…> in {}", html_path.display());
}

fn attr(tag: &str, tag_lower: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(pos) = tag_lower[from..].find(name) {
        let pos = from + pos;
        from = pos + name.len();
        let before_ok = pos == 0 || tag_lower.as_bytes()[pos - 1].is_ascii_whitespace();
        let rest = tag_lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - rest.len() + 1;
        let value = tag[value_start..].trim_start();
        let quote = value.chars().next()?;
        if quote == '"' || quote == '\'' {
            let inner = &value[1..];
            return inner.find(quote).map(|e| inner[..e].to_string());
        }
        let end = value.find(|c: char| c.is_ascii_whitespace() || c == '>').unwrap_or(value.len());
        return Some(value[..end].to_string());
    }
    None
}

/// Lexically normalises a path (`.` dropped, `..` pops), without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `base` (both absolute and normalised), `/`-separated.
pub fn relative_to(path: &Path, base: &Path) -> String {
    let path = normalize(path);
    let base = normalize(base);
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".to_string());
    }
    for c in &p[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

pub fn run(cmd: &mut Command) -> Output {
    let output = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    if !output.status.success() {
        panic!(
            "{cmd:?} failed with {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    output
}

pub fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// What esbuild did with one app: `esbuild <entry> --bundle --minify --splitting --format=esm`.
pub struct EsbuildRun {
    /// Every input esbuild reached, absolute: bytes it contributed to all outputs together.
    pub inputs: BTreeMap<PathBuf, u64>,
    /// Sum of the `.js` outputs' sizes.
    pub js_bytes: u64,
    /// `.js` output files and their sizes (names relative to the out dir).
    pub js_outputs: Vec<(String, u64)>,
    pub millis: u128,
}

pub fn run_esbuild(app_dir: &Path, entry: &str, out_dir: &Path) -> EsbuildRun {
    let meta_path = out_dir.join("meta.json");
    let started = std::time::Instant::now();
    run(Command::new(esbuild_bin())
        .current_dir(app_dir)
        .arg(entry)
        .args(["--bundle", "--minify", "--splitting", "--format=esm"])
        .arg(format!("--outdir={}", out_dir.display()))
        .arg(format!("--metafile={}", meta_path.display()))
        .arg("--log-level=error"));
    let millis = started.elapsed().as_millis();
    let meta = read_json(&meta_path);

    let mut inputs: BTreeMap<PathBuf, u64> = BTreeMap::new();
    for key in meta["inputs"].as_object().expect("metafile has inputs").keys() {
        if let Some(path) = esbuild_key_path(app_dir, key) {
            inputs.entry(path).or_insert(0);
        }
    }
    let mut js_bytes = 0;
    let mut js_outputs = Vec::new();
    for (key, output) in meta["outputs"].as_object().expect("metafile has outputs") {
        let is_js = key.ends_with(".js");
        if is_js {
            let bytes = output["bytes"].as_u64().unwrap_or(0);
            js_bytes += bytes;
            let name =
                Path::new(key).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            js_outputs.push((name, bytes));
        }
        if let Some(map) = output["inputs"].as_object() {
            for (input, info) in map {
                if let Some(path) = esbuild_key_path(app_dir, input) {
                    *inputs.entry(path).or_insert(0) += info["bytesInOutput"].as_u64().unwrap_or(0);
                }
            }
        }
    }
    js_outputs.sort();
    EsbuildRun { inputs, js_bytes, js_outputs, millis }
}

/// A metafile key (relative to esbuild's working directory) as an absolute path; `None` for keys in a namespace
/// other than the file system (`(disabled):…`, `data:…`, plugin namespaces).
fn esbuild_key_path(app_dir: &Path, key: &str) -> Option<PathBuf> {
    if let Some(colon) = key.find(':')
        && !key[..colon].contains('/')
    {
        return None;
    }
    Some(normalize(&app_dir.join(key)))
}

/// The `ballast analyze` report of one app.
pub struct BallastRun {
    pub report: Value,
    /// The folder the report's paths are relative to, derived from the entry module's path.
    pub root: PathBuf,
    pub millis: u128,
}

pub fn run_ballast_analyze(app_dir: &Path, entry: &str, json_path: &Path, extra: &[&str]) -> BallastRun {
    let started = std::time::Instant::now();
    run(Command::new(ballast_bin())
        .current_dir(app_dir)
        .arg("analyze")
        .arg(app_dir)
        .arg("--json")
        .arg(json_path)
        .args(extra));
    let millis = started.elapsed().as_millis();
    let report = read_json(json_path);
    let root = report_root(&report, &app_dir.join(entry), app_dir);
    BallastRun { report, root, millis }
}

/// The report's paths are relative to "the project root", which the report does not name: find it from the entry
/// module, whose absolute path we know. Falls back to `fallback` when that does not work out.
fn report_root(report: &Value, entry_abs: &Path, fallback: &Path) -> PathBuf {
    let entry_abs = normalize(entry_abs);
    let modules = report["modules"].as_array().cloned().unwrap_or_default();
    let entry_paths: Vec<String> = report["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["module"].as_u64())
        .filter_map(|id| module_by_id(&modules, id))
        .filter_map(|m| m["path"].as_str().map(str::to_string))
        .collect();
    for rel in &entry_paths {
        let rel_path = normalize(Path::new(rel));
        if rel_path.components().any(|c| matches!(c, Component::ParentDir)) {
            continue;
        }
        if entry_abs.ends_with(&rel_path) {
            let mut root = entry_abs.clone();
            for _ in rel_path.components() {
                root.pop();
            }
            return root;
        }
    }
    eprintln!(
        "warning: could not derive the report's root from its entries {entry_paths:?} and {}; assuming {}",
        entry_abs.display(),
        fallback.display()
    );
    fallback.to_path_buf()
}

fn module_by_id(modules: &[Value], id: u64) -> Option<&Value> {
    modules
        .get(id as usize)
        .filter(|m| m["id"].as_u64() == Some(id))
        .or_else(|| modules.iter().find(|m| m["id"].as_u64() == Some(id)))
}

pub const JS_LIKE_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "json"];
pub const JS_LIKE_KINDS: &[&str] = &["js", "ts", "jsx", "tsx", "json"];

pub fn is_js_like_path(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| JS_LIKE_EXTENSIONS.contains(&e))
}

/// One module of the report, with its path made absolute.
pub struct ReportModule {
    pub abs: PathBuf,
    pub kind: String,
    pub included: bool,
    pub min: u64,
}

pub fn report_modules(run: &BallastRun) -> Vec<ReportModule> {
    run.report["modules"]
        .as_array()
        .expect("report has modules")
        .iter()
        .map(|m| ReportModule {
            abs: normalize(&run.root.join(m["path"].as_str().unwrap_or(""))),
            kind: m["kind"].as_str().unwrap_or("").to_string(),
            included: m["included"].as_bool().unwrap_or(false),
            min: m["sizes"]["min"].as_u64().unwrap_or(0),
        })
        .collect()
}

/// The package a `/`-separated path belongs to (the part after the last `node_modules/`), or `(app)`.
pub fn package_of(rel: &str) -> String {
    match rel.rfind("node_modules/") {
        Some(i) => {
            let rest = &rel[i + "node_modules/".len()..];
            let mut parts = rest.split('/');
            let first = parts.next().unwrap_or("");
            if first.starts_with('@') {
                format!("{first}/{}", parts.next().unwrap_or(""))
            } else {
                first.to_string()
            }
        }
        None => "(app)".to_string(),
    }
}

/// Counts per package of a set of `/`-separated paths, for a short summary line.
pub fn per_package_counts<'a>(paths: impl IntoIterator<Item = &'a String>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in paths {
        *counts.entry(package_of(p)).or_default() += 1;
    }
    let mut list: Vec<_> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list.iter().map(|(p, n)| format!("{p}: {n}")).collect::<Vec<_>>().join(", ")
}

pub fn set_of<'a>(items: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
    items.into_iter().cloned().collect()
}

pub fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.2} MiB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

/// A copy of a fixture folder; symlinks stay symlinks (a pnpm layout, a symlink loop).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
