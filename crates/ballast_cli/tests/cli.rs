//! The built binary on hand-made fixtures: exit codes, outputs, broken configs, determinism.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_dir, repo_root as repo};

fn case(name: &str) -> PathBuf {
    repo().join("fixtures/cases").join(name)
}

fn ballast(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env("CI", "true")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of a fixture case in a temp dir, with `ballast.json` written from `config`.
fn project_with_config(name: &str, config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&case(name), dir.path());
    std::fs::write(dir.path().join("ballast.json"), config).unwrap();
    dir
}

#[test]
fn analyze_prints_chunks_and_writes_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("out/report.json");
    let out = ballast(
        &["analyze", "src/main.js", "--json", json.to_str().unwrap(), "--no-cache"],
        &case("basic-esm"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("main *") && stdout.contains("lazy") && stdout.contains("initial load"),
        "{stdout}"
    );
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["schemaVersion"], 1);
    assert_eq!(report["chunks"].as_array().unwrap().len(), 2);
    // Sorted by path: Ballast's model of Vite's own code (`(vite)/…`) first, then the project's modules.
    let paths: Vec<&str> =
        report["modules"].as_array().unwrap().iter().filter_map(|m| m["path"].as_str()).collect();
    assert_eq!(paths.iter().find(|p| !p.starts_with('(')), Some(&"src/lazy-helper.js"), "{paths:?}");
}

#[test]
fn usage_and_input_errors_exit_2() {
    let out = ballast(&["analyze", "--bogus"], &case("basic-esm"));
    assert_eq!(out.status.code(), Some(2));
    let empty = tempfile::tempdir().unwrap();
    let out = ballast(&["analyze"], empty.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no entry found"), "{}", text(&out.stderr));
    let out = ballast(&["analyze", "nope/missing.js"], &case("basic-esm"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("does not exist"));
    let out = ballast(&["check", "--no-cache"], &case("basic-esm"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no budget file"), "{}", text(&out.stderr));
}

#[test]
fn broken_module_does_not_stop_the_analysis() {
    let out = ballast(&["analyze", "src/main.js", "--format", "json", "--no-cache"], &case("diagnostics"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"parse-error") && codes.contains(&"unresolved-import"), "{codes:?}");
    let parse =
        report["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "parse-error").unwrap();
    assert_eq!((parse["file"].as_str(), parse["line"].as_u64()), (Some("src/broken.js"), Some(1)));
    assert_eq!(report["summary"]["modules"], 4);
}

const PASS: &str = r#"{ "entries": ["src/main.js"], "budgets": [ { "target": "initial", "metric": "gzip", "max": "100 kB" } ] }"#;
const WARN: &str = r#"{ "entries": ["src/main.js"], "budgets": [ { "target": "initial", "metric": "min", "warn": "100 B", "max": "100 kB" } ] }"#;
const FAIL: &str = r#"{ "entries": ["src/main.js"], "budgets": [ { "target": "initial", "metric": "gzip", "max": "10 B" } ] }"#;

#[test]
fn check_exit_codes_follow_budgets() {
    for (config, code, word) in [(PASS, 0, "pass"), (WARN, 0, "warn"), (FAIL, 1, "fail")] {
        let dir = project_with_config("basic-esm", config);
        let md = dir.path().join("summary.md");
        let out = ballast(&["check", "--no-cache", "--md", md.to_str().unwrap()], dir.path());
        assert_eq!(out.status.code(), Some(code), "{word}: {}{}", text(&out.stdout), text(&out.stderr));
        let markdown = std::fs::read_to_string(&md).unwrap();
        let mark = match word {
            "pass" => "✅",
            "warn" => "⚠️",
            _ => "❌",
        };
        assert!(markdown.contains(mark), "{word}: {markdown}");
    }
}

#[test]
fn github_output_annotates_and_writes_the_step_summary() {
    let dir = project_with_config("basic-esm", FAIL);
    let summary = dir.path().join("step-summary.md");
    std::fs::write(&summary, "# earlier step\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(["check", "--no-cache"])
        .current_dir(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.lines().any(|l| l.starts_with("::error ") && l.contains("file=ballast.json")), "{stdout}");
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.starts_with("# earlier step\n") && written.contains("❌"), "{written}");
}

#[test]
fn broken_configs_are_errors_with_positions() {
    let cases: &[(&str, &str)] = &[
        ("{ \"budgets\": [ { \"target\": \"initial\", \"max\": \"170 kb\" } ] }", "1:"),
        ("{ \"budgets\": [ { \"target\": \"initial\", \"maks\": \"170 kB\" } ] }", "max"),
        ("{ \"budgets\": [ { \"target\": \"chunk:[\", \"max\": \"1 kB\" } ] }", "glob"),
        ("{ \"budgets\": [ { \"target\": \"initial\", \"metric\": \"zstd\", \"max\": \"1 kB\" } ] }", "zstd"),
        ("{ \"budgets\": [ { \"target\": \"modules\", \"max\": \"1 kB\" } ] }", "modules"),
        (
            "{ \"budgets\": [ { \"target\": \"initial\", \"metric\": \"loadTime\", \"max\": \"2 s\" } ] }",
            "network",
        ),
        ("{ \"budgets\": [ ", "1:"),
        ("{ \"budgetz\": [] }", "budgets"),
        ("{ \"baseline\": { \"file\": \"b.json\", \"maxIncrease\": -10 } }", "maxIncrease"),
    ];
    for (config, expect) in cases {
        let dir = project_with_config("basic-esm", config);
        let out = ballast(&["check", "--no-cache"], dir.path());
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}: {stderr}");
        assert!(stderr.contains("ballast.json:1:"), "{config}: no position in {stderr}");
        assert!(stderr.contains(expect), "{config}: expected `{expect}` in {stderr}");
    }
}

#[test]
fn baseline_regression_fails_the_check() {
    let dir = project_with_config("basic-esm", PASS);
    let base = dir.path().join("ballast-baseline.json");
    let out = ballast(&["analyze", "--no-cache", "--json", base.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let config = r#"{ "entries": ["src/main.js"], "baseline": { "file": "ballast-baseline.json", "maxIncrease": "5%" } }"#;
    std::fs::write(dir.path().join("ballast.json"), config).unwrap();
    assert_eq!(ballast(&["check", "--no-cache"], dir.path()).status.code(), Some(0));
    let util = dir.path().join("src/util.js");
    let grown = std::fs::read_to_string(&util).unwrap()
        + &"export const more = [1,2,3].map(x => x * Math.random() + 'grow');\n".repeat(20);
    std::fs::write(&util, grown).unwrap();
    let out = ballast(&["check", "--no-cache"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let head = dir.path().join("head.json");
    ballast(&["analyze", "--no-cache", "--json", head.to_str().unwrap()], dir.path());
    let out = ballast(
        &["diff", base.to_str().unwrap(), head.to_str().unwrap(), "--max-increase", "5%"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
}

#[test]
fn json_is_identical_across_runs_and_thread_counts() {
    let mut outputs = Vec::new();
    for threads in ["1", "2", "8", "2", "2", "1", "8", "2", "2", "2"] {
        let out = ballast(
            &["analyze", "src/main.js", "--format", "json", "--no-cache", "--threads", threads],
            &case("assets"),
        );
        assert_eq!(out.status.code(), Some(0));
        outputs.push(out.stdout);
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]), "reports differ between runs");
}

/// The same on a real app of ~2,400 modules (fixtures/e2e/big-app): thread scheduling never shows, nor does
/// the cache.
#[test]
fn json_is_identical_across_thread_counts_on_big_app() {
    let e2e = repo().join("fixtures/e2e");
    assert!(
        e2e.join("node_modules").is_dir(),
        "fixtures/e2e/node_modules is not installed: run `scripts/e2e-setup.sh` from the repository root first"
    );
    let mut outputs = Vec::new();
    for threads in ["1", "2", "8", "2"] {
        let out = ballast(
            &["analyze", ".", "--format", "json", "--no-cache", "--threads", threads],
            &e2e.join("big-app"),
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        outputs.push(out.stdout);
    }
    // Cold cache, then the stored analysis read back: the same bytes.
    let cache = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let out = ballast(
            &["analyze", ".", "--format", "json", "--cache-dir", cache.path().to_str().unwrap()],
            &e2e.join("big-app"),
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        outputs.push(out.stdout);
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]), "big-app reports differ between runs");
}

#[test]
fn why_names_the_chain() {
    let out = ballast(&["why", "barrel", "src/main.js", "--no-cache"], &case("packages"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("src/main.js:3:1  static 'barrel'"), "{stdout}");
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let out =
        ballast(&["analyze", "src/main.js", "--no-cache", "--html", html.to_str().unwrap()], &case("assets"));
    assert_eq!(out.status.code(), Some(0));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("__BALLAST_DATA__") && page.contains("ballast-data"));
    assert!(!page.contains("src=\"http") && !page.contains("href=\"http"));
}

/// The `base` object of an HTML report's embedded data.
fn embedded_base(page: &str) -> serde_json::Value {
    let start = page.find("<script id=\"ballast-data\" type=\"application/json\">").unwrap();
    let rest = &page[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    data["base"].clone()
}

#[test]
fn html_compare_view_against_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&case("basic-esm"), dir.path());
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let out = ballast(&["analyze", "src/main.js", "--no-cache", "--json", &p("base.json")], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A new module on the lazy route, and the entry grows.
    std::fs::write(dir.path().join("src/extra.js"), "export const extra = 'x'.repeat(40) + Math.random();\n")
        .unwrap();
    let lazy = std::fs::read_to_string(dir.path().join("src/lazy.js")).unwrap();
    std::fs::write(
        dir.path().join("src/lazy.js"),
        format!("import {{ extra }} from './extra.js';\nconsole.log(extra);\n{lazy}"),
    )
    .unwrap();
    let args =
        ["analyze", "src/main.js", "--no-cache", "--html", &p("r.html"), "--baseline", &p("base.json")];
    let out = ballast(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let base = embedded_base(&std::fs::read_to_string(dir.path().join("r.html")).unwrap());
    let modules = base["modules"].as_array().unwrap();
    assert!(modules.iter().any(serde_json::Value::is_null), "the new module has no baseline: {base}");
    assert!(modules.iter().any(serde_json::Value::is_array), "{base}");
    assert_eq!(base["chunks"].as_array().unwrap().len(), 2, "{base}");
    assert!(base["total"].is_array() && base["removed"].as_array().unwrap().is_empty(), "{base}");
    // Without a baseline there is no compare view.
    let out = ballast(&["analyze", "src/main.js", "--no-cache", "--html", &p("plain.html")], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(embedded_base(&std::fs::read_to_string(dir.path().join("plain.html")).unwrap()).is_null());

    // A baseline measured with other compression is refused, and nothing is written.
    let out = ballast(&[&args[..], &["--compression", "brotli"]].concat(), dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("measured differently (compression gzip vs brotli)"),
        "{}",
        text(&out.stderr)
    );
    // Another schema version, and a file that is not a report.
    let report = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    std::fs::write(
        dir.path().join("v9.json"),
        report.replacen("\"schemaVersion\": 1", "\"schemaVersion\": 9", 1),
    )
    .unwrap();
    std::fs::write(dir.path().join("junk.json"), "[1, 2]").unwrap();
    for (file, says) in [("v9.json", "schema version 9"), ("junk.json", "schema version none")] {
        let out = ballast(
            &["analyze", "src/main.js", "--no-cache", "--html", &p("x.html"), "--baseline", &p(file)],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(text(&out.stderr).contains(says), "{file}: {}", text(&out.stderr));
        assert!(!dir.path().join("x.html").exists());
    }
    // --baseline is for the HTML report.
    let out = ballast(&["analyze", "src/main.js", "--baseline", &p("base.json")], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--html"), "{}", text(&out.stderr));
}

#[test]
fn schema_is_json() {
    let out = ballast(&["schema"], &repo());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["properties"]["budgets"].is_object());
}

#[test]
fn init_writes_a_passing_config_once() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&case("basic-esm"), dir.path());
    let out = ballast(&["init", "src/main.js", "--no-cache"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(dir.path().join("ballast.json")).unwrap();
    let config: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert!(config["budgets"].as_array().is_some_and(|b| !b.is_empty()), "{written}");
    // Today's sizes plus headroom pass; the entry comes from the arguments, as when init ran.
    let out = ballast(&["check", "src/main.js", "--no-cache"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let again = ballast(&["init", "src/main.js", "--no-cache"], dir.path());
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(dir.path().join("ballast.json")).unwrap(), written);
}

#[test]
fn warm_run_reuses_the_analysis_until_an_input_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/main.js"), "import { a } from './a';\nconsole.log(a);\n").unwrap();
    std::fs::write(root.join("src/a.ts"), "export const a: string = 'from a.ts';\n").unwrap();
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_ballast"))
            .args(["analyze", "src/main.js", "--cache-dir", ".cache", "--format", "json"])
            .current_dir(root)
            .env("CI", "true")
            .env("BALLAST_TIMINGS", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        (text(&out.stderr).contains("unchanged since the cached analysis"), text(&out.stdout))
    };
    let (hit, first) = run();
    assert!(!hit, "a cold cache cannot hit");
    let (hit, second) = run();
    assert!(hit, "nothing changed, so the stored analysis serves");
    assert_eq!(first, second);

    std::fs::write(root.join("src/a.ts"), "export const a: string = 'from a.ts, edited to be longer';\n")
        .unwrap();
    let (hit, edited) = run();
    assert!(!hit, "an edited module invalidates");
    assert_ne!(edited, second);

    // `./a` now resolves to a.js (Vite tries `.js` before `.ts`): a new file changes the graph.
    std::fs::write(root.join("src/a.js"), "export const a = 'from a.js';\n").unwrap();
    let (hit, shadowed) = run();
    assert!(!hit, "a new file where resolution looks invalidates");
    assert!(shadowed.contains("src/a.js"), "{shadowed}");
    let (hit, again) = run();
    assert!(hit);
    assert_eq!(again, shadowed);
}

/// A copy of the hand-made monorepo: npm `workspaces: ["apps/*"]`, apps/web (index.html) and apps/admin
/// (package.json `source`, its own ballast.json), a root ballast.json with budgets only.
fn monorepo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("fixtures/monorepo"), dir.path());
    dir
}

/// The app names of a summary table, in order.
fn summary_apps(stdout: &str) -> Vec<String> {
    let table = stdout.split("\n\n").nth(1).unwrap_or("");
    table.lines().skip(1).filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
}

#[test]
fn monorepo_apps_from_every_source() {
    let mono = monorepo();
    let root = mono.path();
    // npm/yarn workspaces in package.json, at a root with no entry of its own
    let out = ballast(&["analyze", "--no-cache"], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(summary_apps(&text(&out.stdout)), ["admin", "web"], "{}", text(&out.stdout));
    // folders on the command line (as the shell expands apps/*), and the pattern itself, quoted
    for args in
        [&["analyze", "apps/web", "apps/admin", "--no-cache"][..], &["analyze", "apps/*", "--no-cache"]]
    {
        let out = ballast(args, root);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        assert_eq!(summary_apps(&text(&out.stdout)), ["admin", "web"], "{args:?}");
    }
    // pnpm-workspace.yaml
    std::fs::write(root.join("package.json"), r#"{ "name": "acme", "private": true }"#).unwrap();
    std::fs::write(root.join("pnpm-workspace.yaml"), "packages:\n  - 'apps/*'\n  - '!apps/admin'\n").unwrap();
    let out = ballast(&["analyze", "--no-cache"], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(summary_apps(&text(&out.stdout)), ["web"]);
    // `workspaces` in the root ballast.json
    std::fs::remove_file(root.join("pnpm-workspace.yaml")).unwrap();
    std::fs::write(root.join("ballast.json"), r#"{ "workspaces": ["apps/admin"] }"#).unwrap();
    let out = ballast(&["analyze", "--no-cache"], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(summary_apps(&text(&out.stdout)), ["admin"]);
    // init is per app
    let out = ballast(&["init"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("workspace of 1 apps (apps/admin)"), "{}", text(&out.stderr));
    // one app folder is a single project, as before
    let out = ballast(&["analyze", "apps/web", "--no-cache"], root);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("chunk ") && !text(&out.stdout).contains("workspace"));
}

#[test]
fn monorepo_writes_one_report_per_app_and_checks_all() {
    let mono = monorepo();
    let root = mono.path();
    let out = ballast(
        &["check", "--no-cache", "--json", "out/r.json", "--html", "html/", "--format", "json"],
        root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["apps"][0]["app"], "admin");
    assert_eq!(summary["apps"][0]["budgets"], "pass");
    assert_eq!(summary["apps"][1]["reports"]["json"], "out/r.web.json");
    for file in ["out/r.admin.json", "out/r.web.json", "html/admin.html", "html/web.html"] {
        assert!(root.join(file).is_file(), "{file}");
    }
    // One cache for all apps: the root's node_modules/.cache/ballast.
    std::fs::create_dir(root.join("node_modules")).unwrap();
    let out = ballast(&["analyze"], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(root.join("node_modules/.cache/ballast/report").is_dir());
    assert!(!root.join("apps/web/node_modules").exists() && !root.join("apps/admin/node_modules").exists());
    let web: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("out/r.web.json")).unwrap()).unwrap();
    assert_eq!(web["project"], "web");
    // The root budget (10 kB) applies to web, which has no ballast.json; tightened, only web fails.
    std::fs::write(
        root.join("ballast.json"),
        r#"{ "budgets": [ { "target": "initial", "metric": "gzip", "max": "1 kB" } ] }"#,
    )
    .unwrap();
    let out = ballast(&["check", "--no-cache"], root);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("check failed: 1 of 2 apps over budget (web)"), "{stdout}");
    assert!(stdout.contains("FAIL initial gzip is") && stdout.contains("at ballast.json:1:16"), "{stdout}");
    // A compare view per app, each against its own baseline (base/<app>.json).
    let out = ballast(&["analyze", "--no-cache", "--json", "base/"], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = ballast(&["analyze", "--no-cache", "--html", "cmp/", "--baseline", "base/"], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for app in ["admin", "web"] {
        let page = std::fs::read_to_string(root.join(format!("cmp/{app}.html"))).unwrap();
        assert!(page.contains(&format!("\"base\":{{\"title\":\"{app}\"")), "{app}");
    }
    // In GitHub Actions: an annotation for the failing budget, and the summary table in the step summary.
    let summary = root.join("summary.md");
    let out = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(["check", "--no-cache"])
        .current_dir(root)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("::error file=ballast.json,line=1"), "{}", text(&out.stdout));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("| web |") && md.contains("FAIL (1 of 1)"), "{md}");
    // A broken app: the others are still analysed, the table says which failed, exit 2.
    std::fs::write(root.join("apps/admin/src/index.js"), "import './missing.js';\n").unwrap();
    std::fs::remove_file(root.join("apps/admin/package.json")).unwrap();
    std::fs::write(root.join("apps/admin/package.json"), r#"{ "name": "admin" }"#).unwrap();
    let out = ballast(&["analyze", "--no-cache"], root);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("admin  error (below)") && stdout.contains("error in admin:"), "{stdout}");
    assert!(stdout.contains("no entry found"), "{stdout}");
    assert!(text(&out.stderr).contains("1 of 2 apps could not be analysed"), "{}", text(&out.stderr));
}
