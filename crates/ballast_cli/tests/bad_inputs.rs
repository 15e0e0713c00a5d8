//! Issue 7: Ballast runs in CI on code nobody checked, so it must never panic, never hang and never write half
//! a file. `fixtures/bad/<case>/` holds one tiny project per kind of bad input with a `_case.json` (the runs:
//! arguments, expected exit code, substrings of stderr/stdout, the diagnostics and modules the JSON report must
//! have). Inputs git cannot hold or should not store (non-UTF-8 names, symlink loops, a 50 MB file, deep
//! nesting, a 10,000-module chain, unreadable files) are made at test time by the case's `setup`.
//! Then: the disk cache under 8 concurrent runs and with a truncated entry, and atomic `--json` outputs.

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use common::{copy_dir, repo_root as repo};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn command(args: &[OsString], dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ballast"));
    cmd.args(args).current_dir(dir).env_remove("GITHUB_ACTIONS").env("CI", "true");
    cmd
}

/// Runs the binary, killing it after `limit`: a hang is a failure, not a stuck test.
fn run_with_limit(args: &[OsString], dir: &Path, limit: Duration) -> Result<Output, String> {
    run_with_env(args, &[], dir, limit)
}

/// `run_with_limit` with `env` set.
fn run_with_env(
    args: &[OsString],
    env: &[(String, String)],
    dir: &Path,
    limit: Duration,
) -> Result<Output, String> {
    let out_dir = tempfile::tempdir().unwrap();
    // Files, not pipes: a 10,000-line `why` must not block on a full pipe while we poll.
    let stdout = out_dir.path().join("stdout");
    let stderr = out_dir.path().join("stderr");
    let mut child = command(args, dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not finish within {limit:?} (hang?)"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Output { status, stdout: std::fs::read(&stdout).unwrap(), stderr: std::fs::read(&stderr).unwrap() })
}

/// What a case's setup made that its expectations refer to.
#[derive(Default)]
struct Made {
    /// `{non-utf8-file}` in args.
    non_utf8_file: Option<OsString>,
    /// `{unreadable}` in expectations: the file name the unreadable-file diagnostic names.
    unreadable: Option<String>,
}

fn non_utf8_name(dir: &str) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    let mut bytes = dir.as_bytes().to_vec();
    bytes.extend_from_slice(b"caf\xe9.js");
    OsString::from_vec(bytes)
}

fn setup(name: &str, dir: &Path) -> Made {
    let src = dir.join("src");
    // git keeps no empty folders: a case made wholly by its setup has no src/ in a clean checkout.
    std::fs::create_dir_all(&src).unwrap();
    let mut made = Made::default();
    match name {
        "non-utf8-filename" => {
            let file = non_utf8_name("src/pages/");
            std::fs::write(dir.join(&file), "export const cafe = 'caf\u{e9}';\n").unwrap();
            made.non_utf8_file = Some(file);
        }
        "symlink-loop" => {
            let nm = dir.join("node_modules");
            std::os::unix::fs::symlink("../loop", nm.join("loop/self")).unwrap();
            std::os::unix::fs::symlink("cycle-b", nm.join("cycle-a")).unwrap();
            std::os::unix::fs::symlink("cycle-a", nm.join("cycle-b")).unwrap();
        }
        "huge-file" => {
            // 50 MB of exported string constants; only `s1` is imported.
            let body: String = (0..2000u32).map(|i| char::from(b'a' + (i * 7 % 26) as u8)).collect();
            let mut code = String::with_capacity(51 * 1024 * 1024);
            let mut i = 0;
            while code.len() < 50 * 1024 * 1024 {
                code.push_str(&format!("export const s{i} = \"{body}\";\n"));
                i += 1;
            }
            std::fs::write(src.join("big.js"), code).unwrap();
        }
        "binary-js" => {
            // Deterministic noise with invalid UTF-8 up front, like a PNG saved as `.js`.
            let mut bytes = b"\x89PNG\r\n\x1a\n\xff\xfe".to_vec();
            let mut x: u32 = 0x1234_5678;
            for _ in 0..16 * 1024 {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                bytes.push((x >> 24) as u8);
            }
            std::fs::write(src.join("bin.js"), bytes).unwrap();
        }
        "deep-nesting" => {
            let n = 5000;
            let code = format!(
                "export const x = {}1{};\nexport const y = {}{};\nexport const z = {}1{};\nexport const f = {}1;\n",
                "(".repeat(n),
                ")".repeat(n),
                "[".repeat(n),
                "]".repeat(n),
                "{a:".repeat(n),
                "}".repeat(n),
                "() => ".repeat(n),
            );
            std::fs::write(src.join("deep.js"), code).unwrap();
        }
        "deep-nesting-100k" => {
            let n = 100_000;
            std::fs::write(
                src.join("deep.js"),
                format!("export const x = {}1{};\n", "(".repeat(n), ")".repeat(n)),
            )
            .unwrap();
            let blocks = format!(
                "export function f(a) {{ {}return 1;{} }}\n",
                "if (a) { ".repeat(3000),
                " }".repeat(3000)
            );
            std::fs::write(src.join("blocks.js"), blocks).unwrap();
        }
        "vanished-file" => {
            // The file was there when the import was written and is gone when Ballast reads: the symlink stays.
            std::fs::write(src.join("deleted.js"), "export {};\n").unwrap();
            std::os::unix::fs::symlink("deleted.js", src.join("gone.js")).unwrap();
            std::fs::remove_file(src.join("deleted.js")).unwrap();
        }
        "unreadable-file" => {
            use std::os::unix::fs::PermissionsExt;
            let secret = src.join("secret.js");
            std::fs::write(&secret, "export const secret = 1;\n").unwrap();
            std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
            if std::fs::read(&secret).is_ok() {
                // Root (CAP_DAC_OVERRIDE) reads mode-000 files. /proc/self/mem is a regular file to `stat`
                // (so it resolves) whose read at offset 0 fails with EIO for everyone: the same code path.
                std::fs::remove_file(&secret).unwrap();
                std::os::unix::fs::symlink("/proc/self/mem", &secret).unwrap();
                made.unreadable = Some("/mem".to_string());
            } else {
                made.unreadable = Some("src/secret.js".to_string());
            }
        }
        "script-tag-path" => {
            std::fs::create_dir_all(src.join("<")).unwrap();
            std::fs::write(src.join("</script>.js"), "export const x = '</script><b>';\n").unwrap();
        }
        "long-chain" => {
            let n = 10_000;
            for i in 0..n {
                let code = if i + 1 < n {
                    format!(
                        "import {{ v{j} }} from \"./m{j}.js\";\nexport const v{i} = v{j} + 1;\n",
                        j = i + 1
                    )
                } else {
                    format!("export const v{i} = 1;\n")
                };
                std::fs::write(src.join(format!("m{i}.js")), code).unwrap();
            }
        }
        "fake-vite" => {
            // Enough of an installed `vite` for Ballast to start the helper on a computed config (the case's
            // BALLAST_HELPER replaces the helper itself); node_modules/ is not committed.
            let vite = dir.join("node_modules/vite");
            std::fs::create_dir_all(&vite).unwrap();
            std::fs::write(vite.join("package.json"), r#"{"name":"vite","version":"7.3.8","type":"module"}"#)
                .unwrap();
        }
        "large-module" => {
            // One function of 100 kB, all of it used: above the size from which the minifiers run under a
            // deadline.
            let body: String =
                (0..3000).map(|i| format!("  total = total * {i} + (input >> {});\n", i % 31)).collect();
            let code = format!("export function f1(input) {{\n  let total = 0;\n{body}  return total;\n}}\n");
            std::fs::write(src.join("big.js"), code).unwrap();
        }
        other => panic!("unknown setup `{other}`"),
    }
    made
}

/// Checks one run of a case; returns the problems found.
fn check_run(case: &str, run: &Value, dir: &Path, out: &Path, made: &Made) -> Vec<String> {
    let fill = |s: &str| {
        s.replace("{out}", &out.display().to_string())
            .replace("{dir}", &dir.display().to_string())
            .replace("{unreadable}", made.unreadable.as_deref().unwrap_or("{unreadable}"))
    };
    let args: Vec<OsString> = run["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| match a.as_str().unwrap() {
            "{non-utf8-file}" => made.non_utf8_file.clone().expect("setup made no non-UTF-8 file"),
            a => OsString::from(fill(a)),
        })
        .collect();
    let shown =
        format!("{case}: ballast {}", args.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" "));
    let env: Vec<(String, String)> = run
        .get("env")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), fill(v.as_str().unwrap())))
        .collect();
    let output = match run_with_env(&args, &env, dir, Duration::from_secs(120)) {
        Ok(o) => o,
        Err(e) => return vec![format!("{shown}: {e}")],
    };
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    let mut problems = Vec::new();
    let mut fail = |what: String| problems.push(format!("{shown}: {what}\n--- stderr:\n{stderr}"));
    let code = output.status.code();
    if code == Some(101) || stderr.contains("panicked") || code.is_none() {
        fail(format!("crashed (exit {code:?})"));
        return problems;
    }
    let expected = run["exit"].as_i64().unwrap() as i32;
    if code != Some(expected) {
        fail(format!("exit {code:?}, expected {expected}"));
    }
    let strings = |key: &str| -> Vec<String> {
        run.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|s| fill(s.as_str().unwrap()))
            .collect()
    };
    for s in strings("stderr") {
        if !stderr.contains(&s) {
            fail(format!("stderr lacks `{s}`"));
        }
    }
    for s in strings("stderr_not") {
        if stderr.contains(&s) {
            fail(format!("stderr has `{s}`"));
        }
    }
    for s in strings("stdout") {
        if !stdout.contains(&s) {
            fail(format!("stdout lacks `{s}`"));
        }
    }
    let wants_report =
        ["diagnostics", "modules", "module_count", "no_diagnostics"].iter().any(|k| run.get(k).is_some());
    if wants_report && code == Some(0) {
        let report: Value = match serde_json::from_str(&stdout) {
            Ok(r) => r,
            Err(e) => {
                fail(format!("stdout is not a JSON report: {e}"));
                return problems;
            }
        };
        let diagnostics = report["diagnostics"].as_array().unwrap();
        let has = |d: &Value, key: &str, want: &Value| {
            want.get(key)
                .is_none_or(|w| d[key].as_str().is_some_and(|v| v.contains(&fill(w.as_str().unwrap()))))
        };
        for want in run.get("diagnostics").and_then(Value::as_array).into_iter().flatten() {
            if !diagnostics.iter().any(|d| ["code", "file", "message"].iter().all(|k| has(d, k, want))) {
                fail(format!(
                    "no diagnostic like {want} in {}",
                    serde_json::to_string_pretty(diagnostics).unwrap()
                ));
            }
        }
        if run["no_diagnostics"] == true && !diagnostics.is_empty() {
            fail(format!("unexpected diagnostics {diagnostics:?}"));
        }
        let paths: Vec<&str> =
            report["modules"].as_array().unwrap().iter().map(|m| m["path"].as_str().unwrap()).collect();
        for want in strings("modules") {
            if !paths.contains(&want.as_str()) {
                fail(format!("module `{want}` missing; modules: {:?}", &paths[..paths.len().min(40)]));
            }
        }
        // Ballast's models of the bundler's own code (`(vite)/…`) are not the project's modules.
        let project_modules = paths.iter().filter(|p| !p.starts_with('(')).count() as u64;
        if let Some(n) = run.get("module_count").and_then(Value::as_u64)
            && project_modules != n
        {
            fail(format!("{project_modules} modules, expected {n}"));
        }
    }
    if let Some(html) = run.get("html_escaped").and_then(Value::as_str) {
        let page = std::fs::read_to_string(fill(html)).unwrap_or_default();
        if page.contains("</script>.js") || page.contains("script>.js") || !page.contains("script\\u003e.js")
        {
            fail("the HTML report does not embed the `</script>` path escaped".to_string());
        }
    }
    problems
}

#[test]
fn bad_input_corpus() {
    let corpus = repo().join("fixtures/bad");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus lost cases: {cases:?}");
    let mut problems = Vec::new();
    for case_dir in &cases {
        let name = case_dir.file_name().unwrap().to_string_lossy().into_owned();
        let spec: Value =
            serde_json::from_str(&std::fs::read_to_string(case_dir.join("_case.json")).unwrap())
                .unwrap_or_else(|e| panic!("{name}/_case.json: {e}"));
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("project");
        copy_dir(case_dir, &dir);
        std::fs::remove_file(dir.join("_case.json")).unwrap();
        let made = match spec.get("setup").and_then(Value::as_str) {
            Some(s) => setup(s, &dir),
            None => Made::default(),
        };
        let out = work.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let start = Instant::now();
        for run in spec["runs"].as_array().unwrap() {
            problems.extend(check_run(&name, run, &dir, &out, &made));
        }
        eprintln!("{name}: {:.1} s", start.elapsed().as_secs_f64());
    }
    assert!(problems.is_empty(), "{} problem(s):\n\n{}", problems.len(), problems.join("\n\n"));
}

/// `fixtures/e2e/<app>`, failing (never skipping) when its `node_modules` is not installed.
fn e2e_app(app: &str) -> PathBuf {
    let e2e = repo().join("fixtures/e2e");
    assert!(
        e2e.join("node_modules").is_dir(),
        "fixtures/e2e/node_modules is not installed: run `scripts/e2e-setup.sh` from the repository root first"
    );
    e2e.join(app)
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// Every cache entry under `dir`, each of which must be complete JSON.
fn cache_entries(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { stack.push(path) } else { out.push(path) }
        }
    }
    out.sort();
    out
}

#[test]
fn concurrent_runs_share_one_cache_and_a_truncated_entry_is_rewritten() {
    let app = e2e_app("three-app");
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().join("c");
    let args = os(&["analyze", ".", "--format", "json", "--cache-dir", cache_dir.to_str().unwrap()]);
    let children: Vec<_> = (0..8)
        .map(|_| command(&args, &app).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap())
        .collect();
    let outputs: Vec<Output> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    for o in &outputs {
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    }
    assert!(outputs.windows(2).all(|w| w[0].stdout == w[1].stdout), "concurrent runs gave different reports");
    let uncached = run_with_limit(
        &os(&["analyze", ".", "--format", "json", "--no-cache"]),
        &app,
        Duration::from_secs(120),
    )
    .unwrap();
    assert_eq!(text(&uncached.stdout), text(&outputs[0].stdout), "the cached report differs from --no-cache");
    let entries = cache_entries(&cache_dir);
    let is_pack = |e: &&PathBuf| e.extension().is_some_and(|x| x == "pack");
    assert!(entries.iter().filter(is_pack).count() >= 3, "scan, min and chunk packs: {entries:?}");
    for entry in &entries {
        let name = entry.file_name().unwrap().to_string_lossy();
        let bytes = std::fs::read(entry).unwrap();
        if is_pack(&entry) {
            assert!(bytes.starts_with(b"ballast-pack-1\n"), "not a pack: {}", entry.display());
            continue;
        }
        assert!(
            name.len() == 32 && !name.starts_with('.'),
            "a temp file was left in the cache: {}",
            entry.display()
        );
        // The stored analysis and its inputs are JSON.
        assert!(serde_json::from_slice::<Value>(&bytes).is_ok(), "partial cache entry {}", entry.display());
    }
    // Truncate the stored analysis and the biggest pack (mid-record): both ignored as far as they are torn,
    // recomputed, rewritten whole; the report does not change.
    let is_report = |e: &&PathBuf| e.strip_prefix(&cache_dir).is_ok_and(|p| p.starts_with("report"));
    let snapshot = entries.iter().find(is_report).expect("no stored analysis in the cache");
    let biggest = entries.iter().filter(is_pack).max_by_key(|e| std::fs::metadata(e).unwrap().len()).unwrap();
    let victims: Vec<(&PathBuf, u64)> =
        [snapshot, biggest].into_iter().map(|v| (v, std::fs::metadata(v).unwrap().len())).collect();
    for (victim, len) in &victims {
        std::fs::OpenOptions::new().write(true).open(victim).unwrap().set_len(len / 2 + 1).unwrap();
    }
    let again = run_with_limit(&args, &app, Duration::from_secs(120)).unwrap();
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(text(&again.stdout), text(&outputs[0].stdout), "a truncated cache entry changed the report");
    let (report, report_len) = victims[0];
    assert_eq!(
        std::fs::metadata(report).unwrap().len(),
        report_len,
        "the truncated report was not rewritten"
    );
    assert!(serde_json::from_slice::<Value>(&std::fs::read(report).unwrap()).is_ok());
    let (pack, pack_len) = victims[1];
    let rewritten = std::fs::read(pack).unwrap();
    assert!(rewritten.starts_with(b"ballast-pack-1\n"));
    assert!(rewritten.len() as u64 > pack_len / 2 + 1, "the torn pack was not rewritten whole");
}

#[test]
fn json_output_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let case = repo().join("fixtures/cases/basic-esm");
    // The parent of the output is a file: exit 2 naming the path, and a report elsewhere is untouched.
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    let previous = dir.path().join("previous.json");
    std::fs::write(&previous, "{\"schemaVersion\":1}").unwrap();
    let bad = blocker.join("report.json");
    let out = run_with_limit(
        &os(&["analyze", "src/main.js", "--no-cache", "--json", bad.to_str().unwrap()]),
        &case,
        Duration::from_secs(60),
    )
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("cannot write") && text(&out.stderr).contains("not-a-dir/report.json")
    );
    assert_eq!(std::fs::read_to_string(&previous).unwrap(), "{\"schemaVersion\":1}");
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "x");

    // A successful write leaves the report and nothing else next to it.
    let outdir = dir.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let report = outdir.join("report.json");
    let args = os(&["analyze", ".", "--no-cache", "--json", report.to_str().unwrap()]);
    let app = e2e_app("big-app");
    let out = run_with_limit(&args, &app, Duration::from_secs(120)).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listing = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(listing(&outdir), ["report.json"]);
    let good = std::fs::read(&report).unwrap();
    serde_json::from_slice::<Value>(&good).unwrap();

    // Killed mid-run (at several points): the previous report stays whole and valid.
    for delay in [100, 1500, 3000] {
        let mut child = command(&args, &app).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().unwrap();
        let now = std::fs::read(&report).unwrap();
        assert!(
            serde_json::from_slice::<Value>(&now).is_ok(),
            "killed after {delay} ms: the report is not whole"
        );
        assert_eq!(now, good, "killed after {delay} ms: the report changed");
        let left: Vec<String> = listing(&outdir).into_iter().filter(|n| n != "report.json").collect();
        // A temp file may remain only from a process killed between create and rename; it is never the report.
        assert!(left.iter().all(|n| n.starts_with(".tmp")), "unexpected files {left:?}");
    }
}

/// A copy of `fixtures/cases/basic-esm` to write next to.
fn basic_project() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("p");
    copy_dir(&repo().join("fixtures/cases/basic-esm"), &dir);
    (work, dir)
}

fn analyze_to(dir: &Path, extra: &[&str]) -> Output {
    let mut args = os(&["analyze", "src/main.js", "--no-cache"]);
    args.extend(os(extra));
    run_with_limit(&args, dir, Duration::from_secs(60)).unwrap()
}

#[test]
fn outputs_follow_links_write_devices_in_place_and_respect_the_umask() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let (_work, dir) = basic_project();
    // A symlinked output stays a link; its target gets the report.
    std::fs::create_dir(dir.join("real")).unwrap();
    std::os::unix::fs::symlink("real/r.json", dir.join("link.json")).unwrap();
    let out = analyze_to(&dir, &["--json", "link.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(dir.join("link.json")).unwrap().file_type().is_symlink());
    serde_json::from_slice::<Value>(&std::fs::read(dir.join("real/r.json")).unwrap()).unwrap();
    // A new file has normal permissions (the test runs under the umask cargo inherited; never 0600 unless
    // the umask is 077).
    let mode = std::fs::metadata(dir.join("real/r.json")).unwrap().permissions().mode() & 0o777;
    let umask = {
        let out = Command::new("sh").arg("-c").arg("umask").output().unwrap();
        u32::from_str_radix(text(&out.stdout).trim(), 8).unwrap()
    };
    assert_eq!(mode, 0o666 & !umask, "mode {mode:o} with umask {umask:o}");
    // A FIFO is written through.
    let fifo = dir.join("fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let out = analyze_to(&dir, &["--json", "fifo"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice::<Value>(&reader.join().unwrap()).unwrap();
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // /dev/null stays a character device; /dev/full is exit 2 naming it.
    let out = analyze_to(&dir, &["--json", "/dev/null"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    if std::fs::metadata("/dev/full").is_ok_and(|m| m.file_type().is_char_device()) {
        let out = analyze_to(&dir, &["--json", "/dev/full"]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("cannot write /dev/full"), "{}", text(&out.stderr));
        assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
    }
}

#[test]
fn an_output_that_is_an_input_is_refused() {
    let (_work, dir) = basic_project();
    let source = std::fs::read(dir.join("src/util.js")).unwrap();
    let out = analyze_to(&dir, &["--json", "src/util.js"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("is an input of this run"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(dir.join("src/util.js")).unwrap(), source, "the source was overwritten");
    // Through a symlink too.
    std::os::unix::fs::symlink("src/util.js", dir.join("alias.md")).unwrap();
    let out = analyze_to(&dir, &["--md", "alias.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let config = "{\"budgets\": [{\"target\": \"total\", \"metric\": \"gzip\", \"max\": \"100 kB\"}]}\n";
    std::fs::write(dir.join("ballast.json"), config).unwrap();
    let out = run_with_limit(
        &os(&["check", "src/main.js", "--no-cache", "--html", "ballast.json"]),
        &dir,
        Duration::from_secs(60),
    )
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("ballast.json is an input"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.join("ballast.json")).unwrap(), config);
}

#[test]
fn stdout_errors_are_exit_2() {
    let (_work, dir) = basic_project();
    // A closed pipe: the reader is gone before Ballast writes.
    let mut child = command(&os(&["analyze", "src/main.js", "--no-cache", "--format", "json"]), &dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cannot write to stdout"), "{}", text(&out.stderr));
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = command(&os(&["analyze", "src/main.js", "--no-cache"]), &dir)
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("No space left"), "{}", text(&out.stderr));
    }
}

#[test]
fn user_data_cannot_forge_workflow_commands_or_terminal_escapes() {
    let (_work, dir) = basic_project();
    std::fs::write(
        dir.join("src/inj.js"),
        "import \"./x\\n::error::forged\";\nimport \"\\u001b[31mred|cell`x\";\nimport \"./y\\n##[error]old\";\n",
    )
    .unwrap();
    let summary = dir.join("summary.md");
    let out = command(&os(&["analyze", "src/inj.js", "--no-cache"]), &dir)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for line in stdout.lines() {
        let t = line.trim_start();
        assert!(
            !t.starts_with("::error::forged") && !t.starts_with("##["),
            "forged command: {line}\n{stdout}"
        );
        assert!(!line.contains('\x1b'), "raw escape: {line:?}");
    }
    assert!(stdout.contains("\\x1b[31mred"), "{stdout}");
    assert!(std::fs::read_to_string(&summary).unwrap().contains("## Ballast"));
    let out = analyze_to(&dir, &[]);
    assert!(!text(&out.stdout).contains('\x1b'));
    let out = run_with_limit(
        &os(&["analyze", "src/inj.js", "--no-cache", "--format", "md"]),
        &dir,
        Duration::from_secs(60),
    )
    .unwrap();
    assert!(!text(&out.stdout).contains('\x1b'));
}

#[test]
fn reports_compare_only_under_one_contract() {
    let (_work, dir) = basic_project();
    let report = |name: &str, extra: &[&str]| {
        let out = analyze_to(&dir, &[&["--json", name][..], extra].concat());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    };
    report("a.json", &[]);
    report("b.json", &["--compression", "brotli"]);
    report("c.json", &["--target", "webpack"]);
    let v2 = std::fs::read_to_string(dir.join("a.json"))
        .unwrap()
        .replace("\"schemaVersion\": 1", "\"schemaVersion\": 2");
    std::fs::write(dir.join("v2.json"), v2).unwrap();
    let diff = |args: &[&str]| {
        run_with_limit(&os(&[&["diff"][..], args].concat()), &dir, Duration::from_secs(60)).unwrap()
    };
    for (args, want) in [
        (
            &["a.json", "b.json", "--max-increase", "10%"][..],
            "measured differently (compression gzip vs brotli)",
        ),
        (&["a.json", "c.json"][..], "measured differently (target"),
        (&["a.json", "v2.json"][..], "schema version 2; this ballast reads schema version 1"),
        (&["a.json", "a.json", "--max-increase=-5%"][..], "--max-increase `-5%`"),
        (&["a.json", "a.json", "--max-increase", "NaN%"][..], "--max-increase `NaN%`"),
        (&["a.json", "a.json", "--max-increase", "inf"][..], "--max-increase `inf`"),
    ] {
        let out = diff(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(want), "{args:?}: {}", text(&out.stderr));
    }
    // A bare number is a percent for the flag as in the file: no growth passes `5`.
    let out = diff(&["a.json", "a.json", "--max-increase", "5"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A baseline of another schema version is refused with the config position; a bare number is a percent.
    std::fs::write(dir.join("ballast.json"), "{\"baseline\": {\"file\": \"v2.json\", \"maxIncrease\": 5}}\n")
        .unwrap();
    let check =
        run_with_limit(&os(&["check", "src/main.js", "--no-cache"]), &dir, Duration::from_secs(60)).unwrap();
    assert_eq!(check.status.code(), Some(2), "{}", text(&check.stderr));
    assert!(text(&check.stderr).contains("schema version 2"), "{}", text(&check.stderr));
    std::fs::write(
        dir.join("ballast.json"),
        "{\"baseline\": {\"file\": \"a.json\",\n \"maxIncrease\": -5}}\n",
    )
    .unwrap();
    let check =
        run_with_limit(&os(&["check", "src/main.js", "--no-cache"]), &dir, Duration::from_secs(60)).unwrap();
    assert_eq!(check.status.code(), Some(2), "{}", text(&check.stderr));
    assert!(
        text(&check.stderr).contains("ballast.json:2:17: `maxIncrease` must be zero or more"),
        "{}",
        text(&check.stderr)
    );
}
