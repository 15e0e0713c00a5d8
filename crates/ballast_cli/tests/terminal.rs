//! What a user sees in a terminal: the text output of `check`, `diff` and `explain`, as insta snapshots.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_dir, repo_root};

const PASS: &str = r#"{ "entries": ["src/main.js"], "budgets": [ { "target": "initial", "metric": "gzip", "max": "100 kB" } ] }"#;
const WARN: &str = r#"{ "entries": ["src/main.js"], "budgets": [ { "target": "initial", "metric": "min", "warn": "100 B", "max": "100 kB" } ] }"#;
const FAIL: &str = r#"{ "entries": ["src/main.js"], "budgets": [ { "target": "initial", "metric": "gzip", "max": "10 B" }, { "target": "chunk:*", "metric": "gzip", "max": "500 B" } ] }"#;

fn case(name: &str) -> PathBuf {
    repo_root().join("fixtures/cases").join(name)
}

fn ballast(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("CI", "true")
        .output()
        .unwrap()
}

/// stdout, then stderr and the exit status, with the tool version and temp paths taken out.
fn screen(out: &Output, dir: &Path) -> String {
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.is_empty() {
        s.push_str("--- stderr\n");
        s.push_str(&stderr);
    }
    s.push_str(&format!("--- exit {}\n", out.status.code().unwrap_or(-1)));
    s.replace(env!("CARGO_PKG_VERSION"), "[version]").replace(&dir.display().to_string(), "[dir]")
}

/// A copy of a fixture case, under its own name (the report names the project after its folder), with
/// `ballast.json` written from `config`.
struct Project {
    _temp: tempfile::TempDir,
    dir: PathBuf,
}

impl Project {
    fn path(&self) -> &Path {
        &self.dir
    }
}

fn project_with_config(name: &str, config: &str) -> Project {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    copy_dir(&case(name), &dir);
    std::fs::write(dir.join("ballast.json"), config).unwrap();
    Project { _temp: temp, dir }
}

#[test]
fn check_text_output() {
    for (name, config, code) in [("pass", PASS, 0), ("warn", WARN, 0), ("fail", FAIL, 1)] {
        let dir = project_with_config("basic-esm", config);
        let out = ballast(&["check", "--no-cache"], dir.path());
        assert_eq!(out.status.code(), Some(code), "{name}");
        insta::assert_snapshot!(format!("check_{name}"), screen(&out, dir.path()));
    }
}

#[test]
fn check_markdown_states_the_excess() {
    let dir = project_with_config("basic-esm", FAIL);
    let out = ballast(&["check", "--no-cache", "--format", "md"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("check_fail_md", screen(&out, dir.path()));
}

/// A project whose dependencies make noise: an Emscripten-style decoder with guarded `require('fs')` /
/// `require('path')`, and a CommonJS-only package (no ESM build to switch to).
fn noisy_project() -> Project {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("noisy");
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("package.json", r#"{ "name": "noisy", "private": true, "type": "module" }"#);
    write(
        "src/main.js",
        "import { decode } from '@acme/draco-decoder';\nimport { render } from 'cjs-only';\nimport fs from 'fs';\nconsole.log(decode, render, fs);\n",
    );
    write(
        "node_modules/@acme/draco-decoder/package.json",
        r#"{ "name": "@acme/draco-decoder", "version": "1.5.6", "type": "module", "main": "index.js" }"#,
    );
    let guarded = "var ENVIRONMENT_IS_NODE = typeof process == 'object';\n".to_string()
        + "if (ENVIRONMENT_IS_NODE) { var fs = require('fs'); var nodePath = require('path'); }\n";
    write("node_modules/@acme/draco-decoder/decoder.cjs", &(guarded.clone() + "module.exports = { fs };\n"));
    write("node_modules/@acme/draco-decoder/wrapper.cjs", &(guarded + "module.exports = { fs };\n"));
    write(
        "node_modules/@acme/draco-decoder/index.js",
        "import a from './decoder.cjs';\nimport b from './wrapper.cjs';\nexport const decode = () => [a, b];\n",
    );
    write(
        "node_modules/cjs-only/package.json",
        r#"{ "name": "cjs-only", "version": "18.3.1", "main": "index.js" }"#,
    );
    write(
        "node_modules/cjs-only/index.js",
        "exports.render = function render(x) { return String(x); };\nexports.unused = function unused() { return 1; };\n",
    );
    Project { _temp: temp, dir }
}

#[test]
fn diagnostics_from_node_modules_are_one_line_per_package() {
    let project = noisy_project();
    let out = ballast(&["analyze", "src/main.js", "--no-cache"], project.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    insta::assert_snapshot!("analyze_noisy", screen(&out, project.path()));
    let out = ballast(&["analyze", "src/main.js", "--no-cache", "--verbose"], project.path());
    insta::assert_snapshot!("analyze_noisy_verbose", screen(&out, project.path()));
}

#[test]
fn explain_prints_a_code_and_lists_them_when_unknown() {
    let dir = repo_root();
    let out = ballast(&["explain", "split-point"], &dir);
    insta::assert_snapshot!("explain_split_point", screen(&out, &dir));
    let out = ballast(&["explain", "no-such-code"], &dir);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("explain_unknown", screen(&out, &dir));
}

#[test]
fn markdown_shows_diagnostics_with_help() {
    let project = noisy_project();
    let out = ballast(&["analyze", "src/main.js", "--no-cache", "--format", "md"], project.path());
    insta::assert_snapshot!("analyze_noisy_md", screen(&out, project.path()));
}

#[test]
fn diff_is_a_table_in_the_terminal_and_markdown_on_request() {
    let project = project_with_config("basic-esm", PASS);
    let dir = project.path();
    let out = ballast(&["analyze", "--no-cache", "--json", "base.json"], dir);
    assert_eq!(out.status.code(), Some(0));
    let util = dir.join("src/util.js");
    let grown = std::fs::read_to_string(&util).unwrap()
        + &"export const more = [1,2,3].map(x => x * Math.random() + 'grow');\n".repeat(20);
    std::fs::write(&util, grown).unwrap();
    let out = ballast(&["analyze", "--no-cache", "--json", "head.json"], dir);
    assert_eq!(out.status.code(), Some(0));
    let out = ballast(&["diff", "base.json", "head.json"], dir);
    insta::assert_snapshot!("diff_text", screen(&out, dir));
    let out = ballast(&["diff", "base.json", "head.json", "--format", "md"], dir);
    insta::assert_snapshot!("diff_md", screen(&out, dir));
}

/// A chunk's stylesheet is a row of its own, so the rows add up to the initial load.
#[test]
fn chunk_stylesheets_are_rows_of_the_table() {
    let dir = project_with_config("assets", "{}");
    let out = ballast(&["analyze", "--no-cache", "src/main.js"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let text = screen(&out, dir.path());
    assert!(text.contains("  + css"), "{text}");
    insta::assert_snapshot!("analyze_css_rows", text);
}

/// A worker's copies of page modules weigh in its row but are not its modules: a row of their own says so.
#[test]
fn worker_copies_are_a_row_of_the_table() {
    let dir = project_with_config("workers", "{}");
    let out = ballast(&["analyze", "--no-cache", "src/main.js"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let text = screen(&out, dir.path());
    assert!(text.contains("  incl. copies"), "{text}");
    insta::assert_snapshot!("analyze_worker_copies", text);
}

/// A copy of the hand-made monorepo (npm `workspaces`: apps/web with a root budget, apps/admin with its own).
fn monorepo() -> Project {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("monorepo");
    std::fs::create_dir_all(&dir).unwrap();
    copy_dir(&repo_root().join("fixtures/monorepo"), &dir);
    Project { _temp: temp, dir }
}

#[test]
fn monorepo_summary() {
    let mono = monorepo();
    let out = ballast(&["analyze", "--no-cache", "--json", "reports/"], mono.path());
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("monorepo_analyze", screen(&out, mono.path()));
    // admin's own budget tightened: check fails, and the screen says which app, which budget and by how much.
    let admin = mono.path().join("apps/admin/ballast.json");
    let config = std::fs::read_to_string(&admin).unwrap().replace("\"5 kB\"", "\"300 B\"");
    std::fs::write(&admin, config).unwrap();
    let out = ballast(&["check", "--no-cache"], mono.path());
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("monorepo_check_fail", screen(&out, mono.path()));
}
