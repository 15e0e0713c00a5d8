//! A new user's first hour, typed into a real terminal (a tmux pane: a pseudo-terminal, so the spinner, line
//! clearing and everything else a terminal does happens), asserted on what is left on the screen:
//! analyze → init → check fails after a budget is tightened (the screen says which budget and by how much) → the
//! code is fixed → check passes → diff of the two reports → the HTML compare view (and an unlike baseline
//! refused) → `check` across a monorepo → `vite build` with the Vite plugin and no options in an app with no
//! ballast.json.
//!
//! The app is fixtures/npm-e2e/vite7 (Vite 7, nanoid) with the npm packages of fixtures/frameworks/vite7; the
//! plugin is npm/ballast/vite.mjs, the file the npm package ships, finding the binary through BALLAST_BINARY.
//! Skipped (with a message) when tmux or those packages are not installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{copy_dir, repo_root};

/// A tmux server of our own (its own socket), one session, one pane running a plain bash.
struct Terminal {
    socket: String,
    _config: tempfile::NamedTempFile,
}

impl Terminal {
    fn start(dir: &Path, path: &str) -> Option<Terminal> {
        if Command::new("tmux").arg("-V").output().is_err() {
            return None;
        }
        let config = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(config.path(), "set -g history-limit 50000\nset -g status off\n").unwrap();
        let socket = format!("ballast-journey-{}", std::process::id());
        let binary = PathBuf::from(env!("CARGO_BIN_EXE_ballast"));
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f"])
            .arg(config.path())
            .args(["new-session", "-d", "-s", "journey", "-x", "200", "-y", "50", "-c"])
            .arg(dir)
            .arg("bash --norc --noprofile")
            // What a user's shell has: ballast on PATH, a terminal, no CI (so the spinner shows while it works).
            .env("PATH", path)
            .env("BALLAST_BINARY", &binary)
            .env("TERM", "xterm-256color")
            .env("PS1", "$ ")
            .env_remove("CI")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("NO_COLOR")
            .env_remove("TMUX")
            .status()
            .unwrap();
        assert!(status.success(), "tmux new-session failed");
        Some(Terminal { socket, _config: config })
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket]).args(args).output().unwrap();
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Types `command` at the prompt and waits for it to finish; returns what it left on the screen (ANSI
    /// sequences stripped, wrapped lines joined, trailing blanks trimmed) and its exit status.
    fn run(&self, step: &str, command: &str) -> (String, i32) {
        let start = format!("== {step} ==");
        let line = format!("echo '{start}'; {command}; echo \"== exit $? ==\"");
        self.tmux(&["send-keys", "-t", "journey", "-l", &line]);
        self.tmux(&["send-keys", "-t", "journey", "Enter"]);
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            let screen = strip_ansi(&self.tmux(&["capture-pane", "-p", "-J", "-S", "-", "-t", "journey"]));
            let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
            if let Some(from) = lines.iter().rposition(|l| *l == start) {
                let rest = &lines[from + 1..];
                if let Some(end) = rest.iter().position(|l| l.starts_with("== exit ") && l.ends_with(" ==")) {
                    let code = rest[end].trim_start_matches("== exit ").trim_end_matches(" ==");
                    let text = rest[..end].join("\n");
                    println!("---- {step}: $ {command}\n{text}\n---- exit {code}\n");
                    return (text, code.parse().unwrap_or(-1));
                }
            }
            assert!(Instant::now() < deadline, "`{command}` did not finish; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

/// CSI and OSC sequences and other escapes out; the text stays.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The notes app of fixtures/npm-e2e/vite7, without its ballast.json and Vite config, with the Vite 7 packages.
fn notes_app(into: &Path) -> PathBuf {
    let dir = into.join("notes");
    std::fs::create_dir_all(&dir).unwrap();
    copy_dir(&repo_root().join("fixtures/npm-e2e/vite7"), &dir);
    std::fs::remove_file(dir.join("ballast.json")).unwrap();
    std::fs::remove_file(dir.join("vite.config.mjs")).unwrap();
    dir
}

/// The notes app with a node_modules of its own (so Ballast's cache and Vite's temp files stay in it), as
/// `npm install ballast` leaves it: the Vite 7 packages linked, the npm package's files (npm/ballast, what it
/// packs) copied to node_modules/ballast.
fn installed_app(into: &Path, packages: &Path) -> PathBuf {
    let dir = notes_app(into);
    let node_modules = dir.join("node_modules");
    std::fs::create_dir_all(&node_modules).unwrap();
    for entry in std::fs::read_dir(packages).unwrap().flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(entry.path(), node_modules.join(&name)).unwrap();
    }
    let package = repo_root().join("npm/ballast");
    let installed = node_modules.join("ballast");
    for file in ["bin", "lib"] {
        copy_dir(&package.join(file), &installed.join(file));
    }
    for file in ["package.json", "vite.mjs", "vite.d.ts", "README.md"] {
        std::fs::copy(package.join(file), installed.join(file)).unwrap();
    }
    dir
}

fn initial_gzip(report: &Path) -> u64 {
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    json["summary"]["initial"]["gzip"].as_u64().unwrap()
}

#[test]
fn first_hour_in_a_terminal() {
    let temp = tempfile::tempdir().unwrap();
    let node_modules = repo_root().join("fixtures/frameworks/vite7/node_modules");
    if !node_modules.join("vite/bin/vite.js").is_file() {
        eprintln!("skipped: {} has no Vite and nanoid (run scripts/setup.sh)", node_modules.display());
        return;
    }
    let app = installed_app(temp.path(), &node_modules);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_ballast")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let Some(term) = Terminal::start(&app, &path) else {
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    };

    // 1. What is in it.
    let (screen, code) = term.run("analyze", "ballast analyze --json base.json");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("ballast-e2e-vite7") && screen.contains("index *"), "{screen}");
    assert!(
        screen.contains("report                       async"),
        "the lazy route is its own chunk:\n{screen}"
    );
    assert!(screen.contains("initial load (*)") && screen.contains("heaviest packages"), "{screen}");
    assert!(!screen.contains("analysing"), "the spinner is cleared when the analysis ends:\n{screen}");
    let before = initial_gzip(&app.join("base.json"));

    // 2. Budgets from today's sizes.
    let (screen, code) = term.run("init", "ballast init && cat ballast.json");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains(&format!("wrote {}", app.join("ballast.json").display())), "{screen}");
    assert!(screen.contains("\"target\": \"initial\""), "{screen}");
    let (screen, code) = term.run("check-init", "ballast check");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("check passed: 3 budgets, 0 failed"), "{screen}");

    // 3. The initial-load budget tightened to 80 B under today's size: check fails and says by how much.
    // Whatever maximum `init` rounded today's size up to, the initial budget's is replaced.
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(app.join("ballast.json")).unwrap()).unwrap();
    let tight = before - 80;
    let initial = config["budgets"]
        .as_array_mut()
        .and_then(|b| b.iter_mut().find(|b| b["target"] == "initial"))
        .expect("init writes an initial budget");
    initial["max"] = serde_json::Value::String(format!("{tight} B"));
    std::fs::write(app.join("ballast.json"), serde_json::to_string_pretty(&config).unwrap()).unwrap();
    let (screen, code) = term.run("check-fail", "ballast check");
    assert_eq!(code, 1, "{screen}");
    let row = screen.lines().find(|l| l.trim_start().starts_with("initial · gzip")).unwrap_or_default();
    assert!(
        row.contains("FAIL") && row.contains("+80 B"),
        "the budget row says FAIL and by how much: {row}\n{screen}"
    );
    assert!(screen.contains("FAIL initial gzip is") && screen.contains("80 B"), "{screen}");
    assert!(screen.contains("at ballast.json:"), "the failing budget's place in the file:\n{screen}");
    assert!(screen.contains("check failed: 3 budgets, 1 failed"), "{screen}");
    // The verdict is the last thing on the screen.
    assert!(screen.trim_end().lines().last().unwrap_or_default().starts_with("check failed"), "{screen}");

    // 4. The fix: the home route loaded on demand, as the report route already is.
    let source = std::fs::read_to_string(app.join("src/app.js")).unwrap();
    let fixed = source.replace("import { renderHome } from './routes/home.js';\n", "").replace(
        "home: async () => renderHome(view, store),",
        "home: async () => (await import('./routes/home.js')).renderHome(view, store),",
    );
    assert_ne!(fixed, source);
    std::fs::write(app.join("src/app.js"), fixed).unwrap();
    let (screen, code) = term.run("check-pass", "ballast check --json head.json");
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("home                         async"),
        "home is a chunk of its own now:\n{screen}"
    );
    assert!(screen.contains("check passed: 3 budgets, 0 failed"), "{screen}");
    let after = initial_gzip(&app.join("head.json"));
    assert!(after < tight, "{after} B is under the {tight} B budget");

    // 5. What changed, in a table a person reads.
    let (screen, code) = term.run("diff", "ballast diff base.json head.json");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("base (gzip)") && screen.contains("head (gzip)"), "{screen}");
    let initial = screen.lines().find(|l| l.trim_start().starts_with("initial")).unwrap_or_default();
    assert!(
        initial.contains(&format!("-{} B", before - after)),
        "initial shrank by {} B: {initial}\n{screen}",
        before - after
    );
    assert!(screen.contains("home"), "the new chunk is listed:\n{screen}");
    assert!(!screen.contains('|'), "a terminal table, not Markdown:\n{screen}");

    // 6. The same change as a treemap: the HTML report's compare view against the first report; a baseline
    // measured differently is refused, with what differs.
    let (screen, code) = term.run("compare", "ballast analyze --html compare.html --baseline base.json");
    assert_eq!(code, 0, "{screen}");
    let page = std::fs::read_to_string(app.join("compare.html")).unwrap();
    assert!(
        page.contains("\"base\":{") && page.contains("\"removedChunks\""),
        "the page embeds the baseline"
    );
    // Kept for a look in a browser: BALLAST_COMPARE_HTML=target/tmp/journey-compare.html node --test tests/browser/
    let _ = std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join("journey-compare.html"), &page);
    let (screen, code) = term
        .run("compare-unlike", "ballast analyze --html other.html --baseline base.json --compression brotli");
    assert_eq!(code, 2, "{screen}");
    assert!(
        screen
            .contains("error: the baseline base.json was measured differently (compression gzip vs brotli)"),
        "{screen}"
    );
    assert!(!app.join("other.html").exists());

    // 7. A monorepo: every app checked in one run, one row each; the failing app's budget table below.
    let mono = temp.path().join("acme");
    copy_dir(&repo_root().join("fixtures/monorepo"), &mono);
    let admin = mono.join("apps/admin/ballast.json");
    let tightened = std::fs::read_to_string(&admin).unwrap().replace("\"5 kB\"", "\"300 B\"");
    std::fs::write(&admin, tightened).unwrap();
    let (screen, code) =
        term.run("monorepo", &format!("cd {} && ballast check --json reports/", mono.display()));
    assert_eq!(code, 1, "{screen}");
    let row = |app: &str| screen.lines().find(|l| l.starts_with(app)).unwrap_or_default().to_string();
    assert!(row("admin").ends_with("FAIL (1 of 2)") && row("web").ends_with("pass (1)"), "{screen}");
    assert!(screen.contains("reports: reports/admin.json, reports/web.json"), "{screen}");
    assert!(screen.contains("at apps/admin/ballast.json:3:5"), "{screen}");
    assert!(screen.trim_end().ends_with("check failed: 1 of 2 apps over budget (admin)"), "{screen}");

    // 8. `vite build` with the plugin and no options, in an app that has no ballast.json.
    let fresh = installed_app(&temp.path().join("fresh"), &node_modules);
    std::fs::write(
        fresh.join("vite.config.mjs"),
        "import { defineConfig } from 'vite';\nimport ballast from 'ballast/vite';\n\nexport default defineConfig({ plugins: [ballast()] });\n",
    )
    .unwrap();
    let (screen, code) = term
        .run("vite-build", &format!("cd {} && node node_modules/vite/bin/vite.js build", fresh.display()));
    assert_eq!(code, 0, "the build never fails without budgets:\n{screen}");
    assert!(screen.contains("built in"), "Vite finished:\n{screen}");
    assert!(screen.contains("initial load (*)"), "the plugin printed the analysis:\n{screen}");
    assert!(!screen.contains("no budget file") && !screen.contains("error"), "{screen}");
    assert!(!fresh.join("ballast.json").exists());
}
