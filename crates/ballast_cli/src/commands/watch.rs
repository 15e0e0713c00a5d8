//! `analyze --watch` / `check --watch`: run, then watch every file the analysis read (and the folders they sit
//! in, for files that appear or vanish), and on a change run again — in the same process, so the scan facts,
//! minified modules and compressed chunks read from the cache stay in memory — reprinting the summary with the
//! deltas since the last run and rewriting the reports. A report that cannot be made (a syntax error being
//! typed, a missing entry) is printed and the watch goes on. Ctrl-C exits 0.
//!
//! The HTML report written by a watch reloads itself: served by `--serve` (127.0.0.1), it polls its own URL and
//! reloads when the generation stamp in it changes; opened from disk (`file://`, where browsers refuse `fetch`),
//! it reloads every 2 s while the tab is visible.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ballast_common::{Metric, Sizes, format_bytes};
use ballast_report::Report;
use notify::{RecursiveMode, Watcher};

use crate::args::ProjectArgs;
use crate::{Failure, Outcome};

/// Quiet time after the last change before running again: an editor's save is often several events.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// Names that steer scanning and resolution wherever they appear next to a module.
fn is_config_name(name: &str) -> bool {
    matches!(name, "package.json" | "ballast.json" | "index.html" | ".browserslistrc")
        || name.starts_with("vite.config.")
        || ((name.starts_with("tsconfig") || name.starts_with("jsconfig")) && name.ends_with(".json"))
}

enum Event {
    Changed(PathBuf),
    Interrupted,
}

/// What the wait for a change ended on.
enum Waited {
    Interrupted,
    /// Paths that changed (events that cannot change a report left out).
    Changed(BTreeSet<PathBuf>),
}

/// One run's result as the watch needs it.
pub struct Ran {
    pub report: Report,
    pub outcome: Outcome,
}

pub fn run(args: ProjectArgs, check: bool) -> Result<Outcome, Failure> {
    let (tx, rx) = channel::<Event>();
    let interrupt = tx.clone();
    ctrlc::set_handler(move || {
        let _ = interrupt.send(Event::Interrupted);
    })
    .map_err(|e| Failure(format!("cannot handle Ctrl-C: {e}")))?;
    let events = tx.clone();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        // Opening and reading a file is an access event: the analysis itself makes those.
        if let Ok(event) = result
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            for path in event.paths {
                let _ = events.send(Event::Changed(path));
            }
        }
    })
    .map_err(|e| Failure(format!("cannot watch files: {e}")))?;

    let served = Arc::new(Mutex::new(String::new()));
    if let Some(port) = args.serve {
        let url = serve(port, served.clone())?;
        eprintln!("watch: serving the HTML report at {url}");
    }
    let outputs: BTreeSet<PathBuf> =
        [&args.json, &args.html, &args.md].into_iter().flatten().map(|p| absolute(p)).collect();
    let mut watched_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut watched_files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut last: Option<Summary> = None;
    let mut generation = 0u64;
    // The graph's modules stay in memory between runs: only the files that changed are read again.
    let memo = Arc::new(ballast::ScanMemo::default());
    let session = std::process::id();
    loop {
        generation += 1;
        let started = Instant::now();
        let stamp = format!("{session}-{generation}");
        let html_extra = HtmlReload {
            generation: stamp,
            served: args.serve.is_some().then(|| served.clone()),
            rerun: generation > 1,
            memo: memo.clone(),
        };
        // Registered before the reports are written, so a change made as soon as a report appears is seen.
        let mut register = |report: &Report, root: &Path| {
            let (dirs, files) = watch_set(report, root, &args);
            for dir in dirs.difference(&watched_dirs.clone()) {
                if watcher.watch(dir, RecursiveMode::NonRecursive).is_ok() {
                    watched_dirs.insert(dir.clone());
                }
            }
            watched_files = files;
        };
        let result = if check {
            crate::commands::check::run_once(&args, Some(&html_extra), &mut register)
        } else {
            crate::commands::analyze::run_once(&args, Some(&html_extra), &mut register)
        };
        let elapsed = started.elapsed();
        match result {
            Ok(ran) => {
                let now = Summary::of(&ran.report);
                let line = now.line(last.as_ref(), elapsed, matches!(ran.outcome, Outcome::BudgetFailed));
                let _ = writeln!(std::io::stderr(), "{line}");
                last = Some(now);
            }
            Err(Failure(message)) => {
                crate::eprint_error(&message);
                let _ = writeln!(std::io::stderr(), "watch: waiting for a change to try again");
            }
        }
        if watched_dirs.is_empty() {
            // Nothing could be read yet (no project folder listing): watch the working folder.
            if let Ok(cwd) = std::env::current_dir()
                && watcher.watch(&cwd, RecursiveMode::NonRecursive).is_ok()
            {
                watched_dirs.insert(cwd);
            }
        }
        match wait_for_change(&rx, &watched_files, &outputs) {
            Waited::Interrupted => return Ok(Outcome::Ok),
            Waited::Changed(paths) if !only_modules_rewritten(&paths, &watched_files) => memo.forget(),
            Waited::Changed(_) => {}
        }
    }
}

/// Every changed path is a module of the last run that is still there: what imports resolve to cannot have
/// moved (that depends on which files exist and on the configs), so the modules taken back keep theirs.
fn only_modules_rewritten(paths: &BTreeSet<PathBuf>, modules: &BTreeSet<PathBuf>) -> bool {
    paths.iter().all(|p| {
        let name = p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        modules.contains(p) && !is_config_name(&name) && p.is_file()
    })
}

/// Blocks until a relevant change, then until things are quiet for `DEBOUNCE`; returns every path seen changing
/// meanwhile but our outputs and temporary files (any of them, relevant or not, may decide a resolution).
fn wait_for_change(rx: &Receiver<Event>, files: &BTreeSet<PathBuf>, outputs: &BTreeSet<PathBuf>) -> Waited {
    let ours_or_temporary = |path: &Path| -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        // Temporary files of atomic writes (ours and editors').
        outputs.contains(path) || name.starts_with(".tmp") || name.ends_with('~') || name.ends_with(".swp")
    };
    let relevant = |path: &Path| -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        files.contains(path) || is_config_name(&name) || is_source_name(&name)
    };
    let mut changed = BTreeSet::new();
    loop {
        match rx.recv() {
            Ok(Event::Interrupted) | Err(_) => return Waited::Interrupted,
            Ok(Event::Changed(path)) if ours_or_temporary(&path) => {}
            Ok(Event::Changed(path)) => {
                let stop = relevant(&path);
                changed.insert(path);
                if stop {
                    break;
                }
            }
        }
    }
    loop {
        match rx.recv_timeout(DEBOUNCE) {
            Ok(Event::Interrupted) => return Waited::Interrupted,
            Ok(Event::Changed(path)) => {
                if !ours_or_temporary(&path) {
                    changed.insert(path);
                }
            }
            Err(RecvTimeoutError::Timeout) => return Waited::Changed(changed),
            Err(RecvTimeoutError::Disconnected) => return Waited::Interrupted,
        }
    }
}

/// A new or removed file with one of these names can change what an import resolves to.
fn is_source_name(name: &str) -> bool {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext,
        "js" | "mjs"
            | "cjs"
            | "jsx"
            | "ts"
            | "mts"
            | "cts"
            | "tsx"
            | "css"
            | "json"
            | "vue"
            | "svelte"
            | "html"
    )
}

fn absolute(path: &Path) -> PathBuf {
    let path = std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.to_path_buf());
    // The output may not exist yet: canonicalize its folder.
    match (path.parent().and_then(|p| std::fs::canonicalize(p).ok()), path.file_name()) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => path,
    }
}

/// The folders to watch (every module's, the project root, the config's) and the files read.
fn watch_set(report: &Report, root: &Path, args: &ProjectArgs) -> (BTreeSet<PathBuf>, BTreeSet<PathBuf>) {
    let mut files: BTreeSet<PathBuf> = report.modules.iter().map(|m| root.join(&m.path)).collect();
    files.extend(args.config.iter().map(|c| absolute(c)));
    files.extend(args.stats.iter().map(|s| absolute(s)));
    let mut dirs: BTreeSet<PathBuf> =
        files.iter().filter_map(|f| f.parent()).map(Path::to_path_buf).collect();
    dirs.insert(root.to_path_buf());
    dirs.retain(|d| d.is_dir());
    (dirs, files)
}

/// A watch's run: what its HTML report carries besides the report, and whether it is a re-run.
pub struct HtmlReload {
    generation: String,
    served: Option<Arc<Mutex<String>>>,
    /// Not the watch's first run: something changed, so the whole-analysis snapshot is neither looked up nor
    /// stored (the per-module caches, in memory, serve the rest).
    rerun: bool,
    /// The modules the watch's scans read, kept between its runs.
    memo: Arc<ballast::ScanMemo>,
}

impl HtmlReload {
    pub fn is_rerun(&self) -> bool {
        self.rerun
    }

    pub fn scan_memo(&self) -> Arc<ballast::ScanMemo> {
        self.memo.clone()
    }

    /// The report's HTML with its generation stamp and the reload script.
    pub fn apply(&self, html: String) -> String {
        let html =
            html.replacen("default-src 'none';", "default-src 'none'; connect-src 'self';", 1).replacen(
                "<head>\n",
                &format!("<head>\n<meta name=\"ballast-generation\" content=\"{}\">\n", self.generation),
                1,
            );
        let script = format!(
            "<script>(() => {{\n  const generation = \"{}\";\n  const stamp = /<meta name=\"ballast-generation\" \
             content=\"([^\"]*)\"/;\n  if (location.protocol === \"file:\") {{\n    setInterval(() => {{ if \
             (document.visibilityState === \"visible\") location.reload(); }}, 2000);\n    return;\n  }}\n  \
             setInterval(async () => {{\n    try {{\n      const text = await (await fetch(location.href, {{ \
             cache: \"no-store\" }})).text();\n      const found = stamp.exec(text);\n      if (found && found[1] \
             !== generation) location.reload();\n    }} catch (e) {{}}\n  }}, 1000);\n}})();</script>\n</body>",
            self.generation
        );
        match html.rfind("</body>") {
            Some(at) => format!("{}{}{}", &html[..at], script, &html[at + "</body>".len()..]),
            None => html,
        }
    }

    /// What `--serve` answers from now on (after the file is written, so both show the same run).
    pub fn publish(&self, page: String) {
        if let Some(served) = &self.served {
            *served.lock().unwrap_or_else(|e| e.into_inner()) = page;
        }
    }

    pub fn serves(&self) -> bool {
        self.served.is_some()
    }
}

/// A tiny HTTP server on 127.0.0.1 that answers every GET with the latest HTML report.
fn serve(port: u16, html: Arc<Mutex<String>>) -> Result<String, Failure> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| Failure(format!("cannot serve on 127.0.0.1:{port}: {e}")))?;
    let address = listener.local_addr().map_err(|e| Failure(e.to_string()))?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let html = html.clone();
            std::thread::spawn(move || answer(stream, &html));
        }
    });
    Ok(format!("http://{address}/"))
}

fn answer(mut stream: std::net::TcpStream, html: &Mutex<String>) {
    use std::io::{BufRead, BufReader};
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(reader) = stream.try_clone() else { return };
    let mut lines = BufReader::new(reader).lines();
    let request = lines.next().and_then(Result::ok).unwrap_or_default();
    // Headers up to the blank line.
    for line in lines.by_ref() {
        match line {
            Ok(l) if !l.is_empty() => {}
            _ => break,
        }
    }
    let response = if request.starts_with("GET ") {
        let body = html.lock().unwrap_or_else(|e| e.into_inner()).clone();
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    } else {
        "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
    };
    let _ = stream.write_all(response.as_bytes());
}

/// The numbers a watch compares run to run.
pub struct Summary {
    initial: Sizes,
    total: Sizes,
    modules: usize,
}

impl Summary {
    fn of(report: &Report) -> Self {
        Summary {
            initial: report.summary.initial,
            total: report.summary.total,
            modules: report.summary.modules,
        }
    }

    fn line(&self, last: Option<&Summary>, elapsed: Duration, failed: bool) -> String {
        let metric = if self.total.gzip.is_some() { Metric::Gzip } else { Metric::Min };
        let label = if metric == Metric::Gzip { "gzip" } else { "min" };
        let show = |now: &Sizes, before: Option<&Sizes>| -> String {
            let value = now.get(metric).unwrap_or(now.min);
            match before.map(|b| b.get(metric).unwrap_or(b.min)) {
                Some(old) if old != value => {
                    let (sign, d) = if value > old { ('+', value - old) } else { ('−', old - value) };
                    format!("{} ({sign}{})", format_bytes(value), format_bytes(d))
                }
                Some(_) => format!("{} (±0)", format_bytes(value)),
                None => format_bytes(value),
            }
        };
        format!(
            "watch: initial {label} {}, total {label} {}, {} modules{} · {} ms · watching for changes (Ctrl-C \
             to stop)",
            show(&self.initial, last.map(|l| &l.initial)),
            show(&self.total, last.map(|l| &l.total)),
            self.modules,
            if failed { ", a budget failed" } else { "" },
            elapsed.as_millis()
        )
    }
}
