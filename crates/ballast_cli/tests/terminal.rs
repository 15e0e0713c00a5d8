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
