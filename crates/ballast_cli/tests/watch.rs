//! `analyze --watch`: the report rewritten after an edit equals a cold run's, byte for byte.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{copy_dir, repo_root};

/// Kills the watch however the test ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Polls `probe` until it gives a value, up to `limit` (a bound, not a timing assertion).
fn wait_for<T>(limit: Duration, what: &str, child: &mut Killed, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        if let Ok(Some(status)) = child.0.try_wait() {
            let mut stderr = String::new();
            if let Some(mut e) = child.0.stderr.take() {
                let _ = e.read_to_string(&mut stderr);
            }
            panic!("the watch exited ({status}) while waiting for {what}:\n{stderr}");
        }
        assert!(start.elapsed() < limit, "gave up waiting for {what} after {limit:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn cold_json(dir: &Path, out: &Path) -> String {
    let status = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(["analyze", "src/main.js", "--no-cache", "--format", "json", "--json"])
        .arg(out)
        .current_dir(dir)
        .env("CI", "true")
        .env_remove("GITHUB_ACTIONS")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read_to_string(out).unwrap()
}

/// `ballast <args> <paths>` in `dir`, stderr piped (the served address is printed there), killed when dropped.
fn start_watch(dir: &Path, args: &[&str], paths: &[&std::ffi::OsStr]) -> Killed {
    let child = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(args)
        .args(paths)
        .current_dir(dir)
        .env("CI", "true")
        .env_remove("GITHUB_ACTIONS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ballast binary starts");
    Killed(child)
}

/// How long a test waits for a report (a bound, not a timing assertion).
const WAIT: Duration = Duration::from_secs(120);

/// `analyze src/main.js --watch` in `dir`, writing its JSON report into a scratch folder.
struct JsonWatch {
    scratch: tempfile::TempDir,
    out: std::path::PathBuf,
    child: Killed,
    /// The first report, checked to equal a cold run's.
    first: String,
}

fn start_json_watch(dir: &Path) -> JsonWatch {
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("out.json");
    let cache = scratch.path().join("cache");
    let mut child = start_watch(
        dir,
        &["analyze", "src/main.js", "--watch", "--format", "json", "--json"],
        &[out.as_os_str(), "--cache-dir".as_ref(), cache.as_os_str()],
    );
    let first = wait_for(WAIT, "the first report", &mut child, || std::fs::read_to_string(&out).ok());
    assert_eq!(first, cold_json(dir, &scratch.path().join("cold-1.json")));
    JsonWatch { scratch, out, child, first }
}

#[test]
fn watch_rewrites_the_report_after_an_edit_as_a_cold_run_would() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    copy_dir(&repo_root().join("fixtures/cases/basic-esm"), dir);
    let JsonWatch { scratch, out, mut child, first } = start_json_watch(dir);
    let limit = WAIT;

    let util = dir.join("src/util.js");
    let source = std::fs::read_to_string(&util).unwrap();
    std::fs::write(&util, format!("{source}\nexport const added = 'a string only the edit adds';\n"))
        .unwrap();
    let second = wait_for(limit, "the report after the edit", &mut child, || {
        std::fs::read_to_string(&out).ok().filter(|now| *now != first)
    });
    assert_eq!(second, cold_json(dir, &scratch.path().join("cold-2.json")), "watch differs from a cold run");

    // A new file the entry now imports: picked up too.
    std::fs::write(dir.join("src/extra.js"), "export const extra = () => 'extra module';\n").unwrap();
    let main = dir.join("src/main.js");
    let entry = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("import {{ extra }} from './extra.js';\n{entry}console.log(extra());\n"))
        .unwrap();
    let third = wait_for(limit, "the report after a new file", &mut child, || {
        std::fs::read_to_string(&out).ok().filter(|now| *now != second && now.contains("src/extra.js"))
    });
    assert_eq!(third, cold_json(dir, &scratch.path().join("cold-3.json")), "watch differs from a cold run");

    // The first run and a run per change (two may fall in one debounce, an editor's save may be two events);
    // the watch's own reads and writes and the cold runs' reads start none.
    // Ctrl-C ends the watch with status 0.
    let interrupted = Command::new("kill").args(["-INT", &child.0.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < limit, "the watch did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "Ctrl-C should exit 0");
    let mut stderr = String::new();
    child.0.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let runs = stderr.lines().filter(|l| l.starts_with("watch: initial")).count();
    assert!((3..=10).contains(&runs), "{runs} runs for 3 changes:\n{stderr}");
}

#[test]
fn modules_kept_between_runs_follow_same_size_edits_and_files_that_appear() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    copy_dir(&repo_root().join("fixtures/cases/basic-esm"), dir);
    let main = dir.join("src/main.js");
    let entry = std::fs::read_to_string(&main).unwrap();
    // An import of a file that is not there yet.
    std::fs::write(&main, format!("import './late.js';\n{entry}")).unwrap();
    // Past the racy window, so the first run keeps every module and later runs take them back.
    std::thread::sleep(Duration::from_millis(1200));
    let JsonWatch { scratch, out, mut child, first } = start_json_watch(dir);
    let limit = WAIT;

    // The same number of bytes: only the file's times tell the edit.
    let util = dir.join("src/util.js");
    let source = std::fs::read_to_string(&util).unwrap();
    let edited = source.replacen("value: ", "VALUE: ", 1);
    assert_eq!(edited.len(), source.len());
    std::fs::write(&util, &edited).unwrap();
    let second = wait_for(limit, "the report after a same-size edit", &mut child, || {
        std::fs::read_to_string(&out).ok().filter(|now| *now != first)
    });
    assert_eq!(second, cold_json(dir, &scratch.path().join("cold-2.json")), "watch differs from a cold run");

    // The file the entry's import names appears: the entry, unchanged, now resolves it.
    std::fs::write(dir.join("src/late.js"), "console.log('a late module');\n").unwrap();
    let third = wait_for(limit, "the report after the file appeared", &mut child, || {
        std::fs::read_to_string(&out).ok().filter(|now| now.contains("src/late.js"))
    });
    assert_eq!(third, cold_json(dir, &scratch.path().join("cold-3.json")), "watch differs from a cold run");
}

/// `GET /` from the watch's server: the HTML report.
fn get(address: &str) -> Option<String> {
    use std::io::Write;
    let host = address.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.starts_with("HTTP/1.1 200").then_some(response)
}

fn generation(html: &str) -> Option<String> {
    let at = html.find("<meta name=\"ballast-generation\" content=\"")? + 41;
    Some(html[at..at + html[at..].find('"')?].to_string())
}

#[test]
fn serve_gives_the_html_report_and_a_new_generation_after_an_edit() {
    use std::io::BufRead;
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    copy_dir(&repo_root().join("fixtures/cases/basic-esm"), dir);
    let scratch = tempfile::tempdir().unwrap();
    let html = scratch.path().join("report.html");
    let mut child = start_watch(
        dir,
        &["analyze", "src/main.js", "--no-cache", "--watch", "--serve", "--html"],
        &[html.as_os_str()],
    );
    let stderr = child.0.stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(stderr).lines();
    let address = loop {
        let line = lines.next().expect("the watch ended before saying where it serves").unwrap();
        if let Some(at) = line.find("http://127.0.0.1:") {
            break line[at..].trim().to_string();
        }
    };
    // Keep draining stderr so the watch never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let limit = Duration::from_secs(120);
    let first =
        wait_for(limit, "the served report", &mut child, || get(&address).and_then(|r| generation(&r)));
    let on_disk = wait_for(limit, "the report file", &mut child, || std::fs::read_to_string(&html).ok());
    assert!(on_disk.contains("location.reload()"), "the watch's HTML report does not reload itself");
    assert!(on_disk.contains("connect-src 'self'"), "the page may not fetch its own URL");
    let util = dir.join("src/util.js");
    let source = std::fs::read_to_string(&util).unwrap();
    std::fs::write(&util, format!("{source}\nexport const more = 'more';\n")).unwrap();
    let second = wait_for(limit, "a new generation", &mut child, || {
        get(&address).and_then(|r| generation(&r)).filter(|g| *g != first)
    });
    let on_disk = std::fs::read_to_string(&html).unwrap();
    assert_eq!(generation(&on_disk).as_deref(), Some(second.as_str()), "the file and the server disagree");
}
