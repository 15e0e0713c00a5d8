//! Monorepos: several apps in one `analyze` or `check`. The apps are the folders given (`ballast analyze
//! apps/*`), the `workspaces` patterns of the root `ballast.json`, or — at a workspace root with no entry of its
//! own — the npm/yarn `package.json` `workspaces` or `pnpm-workspace.yaml` `packages`. Each app is analysed as if
//! `ballast` ran in its folder (its own `ballast.json`, else the root's), in parallel, with one shared cache; one
//! report per app (`--json out.json` → `out.<app>.json`, a folder → `<folder>/<app>.json`); a summary table.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ballast_common::Metric;
use ballast_report::Report;
use ballast_report::Status;
use ballast_report::format::format_kb;
use ballast_report::render::escape::{markdown_text, visible};
use globset::{GlobBuilder, GlobSetBuilder};
use rayon::prelude::*;

use crate::args::{Format, ProjectArgs};
use crate::{Failure, Outcome, commands, output, project};

pub struct App {
    /// Unique in the run: the folder's name, or its path with `-` for `/` when two folders share a name.
    pub name: String,
    pub dir: PathBuf,
}

pub struct Workspace {
    /// Where the run is (the workspace root, or the working directory for folders given as arguments).
    pub root: PathBuf,
    pub apps: Vec<App>,
    /// `--config`, else the root's `ballast.json`: the budgets of apps without a `ballast.json` of their own.
    pub config: Option<PathBuf>,
}

/// Folders deeper than this below the root are not searched for workspace patterns.
const MAX_DEPTH: usize = 5;

/// The apps of this run, or `None` for a single project (one folder, entry files, build mode).
pub fn detect(args: &ProjectArgs) -> Result<Option<Workspace>, Failure> {
    if args.stats.is_some() {
        return Ok(None);
    }
    let cwd = std::env::current_dir()?;
    let root = match args.paths.as_slice() {
        [] => cwd.clone(),
        [one] if one.is_dir() => cwd.join(one),
        [one] if !one.exists() && one.to_str().is_some_and(|s| s.contains(['*', '?', '['])) => {
            let pattern = one.to_string_lossy().into_owned();
            let dirs = expand(&cwd, std::slice::from_ref(&pattern))?;
            if dirs.is_empty() {
                return Err(Failure(format!("`{}` matches no project folder", visible(&pattern))));
            }
            return Ok(Some(workspace(&cwd, dirs, args)));
        }
        many if many.len() > 1 && many.iter().all(|p| p.is_dir()) => {
            let dirs = many.iter().map(|p| cwd.join(p)).collect();
            return Ok(Some(workspace(&cwd, dirs, args)));
        }
        _ => return Ok(None),
    };
    let config_path = args.config.clone().or_else(|| Some(root.join("ballast.json")).filter(|p| p.is_file()));
    // A config that does not load is reported with its positions by the single-project path.
    let config = config_path.as_deref().and_then(|p| ballast_budget::load_config(p).ok());
    let patterns = match &config {
        Some(c) if !c.workspaces.is_empty() => c.workspaces.clone(),
        _ if has_own_entry(&root, config.as_ref()) => return Ok(None),
        _ => declared_workspaces(&root),
    };
    if patterns.is_empty() {
        return Ok(None);
    }
    let dirs = expand(&root, &patterns)?;
    if dirs.is_empty() {
        return Err(Failure(format!(
            "{}: the workspace patterns {} match no app folder (one with a package.json, index.html or \
             ballast.json)",
            visible(&root.display().to_string()),
            visible(&patterns.join(", "))
        )));
    }
    Ok(Some(workspace(&root, dirs, args)))
}

fn workspace(root: &Path, mut dirs: Vec<PathBuf>, args: &ProjectArgs) -> Workspace {
    dirs.sort();
    dirs.dedup();
    let rel = |d: &Path| ballast_common::relative_path(root, d);
    let base = |d: &Path| d.file_name().map_or_else(|| rel(d), |n| n.to_string_lossy().into_owned());
    let apps = dirs
        .iter()
        .map(|d| {
            let unique = dirs.iter().filter(|o| base(o) == base(d)).count() == 1;
            let name = if unique { base(d) } else { rel(d).replace('/', "-") };
            App { name, dir: d.clone() }
        })
        .collect();
    let config = args.config.clone().or_else(|| Some(root.join("ballast.json")).filter(|p| p.is_file()));
    Workspace { root: root.to_path_buf(), apps, config }
}

/// Whether the folder is a project by itself: entries in its config, an index.html, a Vite config, or
/// `source`/`module`/`main` in its package.json.
fn has_own_entry(root: &Path, config: Option<&ballast_budget::Config>) -> bool {
    if config.is_some_and(|c| !c.entries.is_empty()) || root.join("index.html").is_file() {
        return true;
    }
    let vite = ["js", "mjs", "cjs", "ts", "mts", "cts"]
        .iter()
        .any(|e| root.join(format!("vite.config.{e}")).is_file());
    vite || package_json(root).is_some_and(|p| ["source", "module", "main"].iter().any(|f| p[f].is_string()))
}

fn package_json(dir: &Path) -> Option<serde_json::Value> {
    serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).ok()?).ok()
}

/// npm/yarn `workspaces` (an array, or `{ "packages": [...] }`), else pnpm-workspace.yaml's `packages`.
fn declared_workspaces(root: &Path) -> Vec<String> {
    if let Some(p) = package_json(root) {
        let list = p["workspaces"].as_array().or_else(|| p["workspaces"]["packages"].as_array());
        if let Some(list) = list {
            return list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        }
    }
    std::fs::read_to_string(root.join("pnpm-workspace.yaml"))
        .map(|text| pnpm_packages(&text))
        .unwrap_or_default()
}

/// The `packages:` list of a pnpm-workspace.yaml (block list of scalars, quoted or not; comments dropped).
fn pnpm_packages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let code = line.split(" #").next().unwrap_or("").trim_end();
        if code.trim().is_empty() || code.trim_start().starts_with('#') {
            continue;
        }
        if !code.starts_with([' ', '\t', '-']) {
            inside = code.trim() == "packages:";
            continue;
        }
        if inside && let Some(item) = code.trim().strip_prefix('-') {
            let item = item.trim().trim_matches(|c| c == '"' || c == '\'');
            if !item.is_empty() {
                out.push(item.to_string());
            }
        }
    }
    out
}

/// The folders under `root` that the patterns match (`*` one folder name, `**` any depth, `!` excludes), each
/// with a package.json, index.html or ballast.json; node_modules and hidden folders never.
fn expand(root: &Path, patterns: &[String]) -> Result<Vec<PathBuf>, Failure> {
    let mut include = GlobSetBuilder::new();
    let mut exclude = GlobSetBuilder::new();
    for p in patterns {
        let (set, p) = match p.strip_prefix('!') {
            Some(rest) => (&mut exclude, rest),
            None => (&mut include, p.as_str()),
        };
        let p = p.trim_start_matches("./").trim_end_matches('/');
        let glob = GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| Failure(format!("workspace pattern `{}`: {e}", visible(p))))?;
        set.add(glob);
    }
    let (include, exclude) = match (include.build(), exclude.build()) {
        (Ok(i), Ok(e)) => (i, e),
        (Err(e), _) | (_, Err(e)) => return Err(Failure(format!("workspace patterns: {e}"))),
    };
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name == "node_modules" || !entry.path().is_dir() {
                continue;
            }
            let path = entry.path();
            let rel = ballast_common::relative_path(root, &path);
            let is_app =
                ["package.json", "index.html", "ballast.json"].iter().any(|f| path.join(f).is_file());
            if include.is_match(&rel) && !exclude.is_match(&rel) && is_app {
                out.push(path);
            } else if depth + 1 < MAX_DEPTH {
                stack.push((path, depth + 1));
            }
        }
    }
    Ok(out)
}

/// `out.json` → `out.web.json`; an existing folder or a path ending in `/` → `<folder>/web.<ext>`.
pub fn per_app_path(path: &Path, app: &str, ext: &str) -> PathBuf {
    let text = path.to_string_lossy();
    if path.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
        return path.join(format!("{app}.{ext}"));
    }
    let name = match (path.file_stem(), path.extension()) {
        (Some(stem), Some(e)) => format!("{}.{app}.{}", stem.to_string_lossy(), e.to_string_lossy()),
        _ => format!("{}.{app}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()),
    };
    path.with_file_name(name)
}

struct AppResult {
    name: String,
    report: Option<Report>,
    error: Option<String>,
}

pub fn run(ws: &Workspace, args: &ProjectArgs, check: bool) -> Result<Outcome, Failure> {
    // One cache for every app: the root's node_modules/.cache/ballast (entries are keyed by content and options,
    // so apps share what they have in common); without a root node_modules, each app's default.
    let cache_dir = args.cache_dir.clone().or_else(|| {
        let nm = ws.root.join("node_modules");
        nm.is_dir().then(|| nm.join(".cache").join("ballast"))
    });
    let spinner = crate::progress::spinner(&format!("analysing {} apps", ws.apps.len()));
    let results: Vec<AppResult> = ws
        .apps
        .par_iter()
        .map(|app| {
            let (report, error) = match run_app(ws, app, args, cache_dir.as_deref(), check) {
                Ok(r) => (Some(r), None),
                Err(Failure(e)) => (None, Some(e)),
            };
            AppResult { name: app.name.clone(), report, error }
        })
        .collect();
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    let format = args.format.unwrap_or(Format::Text);
    let text = match format {
        Format::Json => summary_json(ws, &results, args),
        Format::Md => summary_markdown(ws, &results, check),
        Format::Text | Format::Github => summary_text(ws, &results, args, check),
    };
    let github = output::in_github_actions();
    let mut text = if github { ballast_report::render::escape::neutralize_commands(&text) } else { text };
    if github {
        // Budget annotations name the config file as the repository does (relative to the working directory).
        for budgets in results.iter().filter_map(|r| r.report.as_ref().and_then(|rep| rep.budgets.as_ref())) {
            for line in ballast_report::render::github::budget_annotations(budgets) {
                text.push_str(&line);
                text.push('\n');
            }
        }
    }
    output::print_stdout(&text)?;
    if github && let Ok(summary) = std::env::var("GITHUB_STEP_SUMMARY") {
        use std::io::Write;
        let markdown = summary_markdown(ws, &results, check);
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .and_then(|mut f| f.write_all(markdown.as_bytes()))
            .map_err(|e| Failure(format!("cannot append to GITHUB_STEP_SUMMARY ({summary}): {e}")))?;
    }
    let errors = results.iter().filter(|r| r.error.is_some()).count();
    if errors > 0 {
        return Err(Failure(format!("{errors} of {} apps could not be analysed (see above)", results.len())));
    }
    let failed = results.iter().any(|r| budget_status(r) == Some(Status::Fail));
    Ok(if failed { Outcome::BudgetFailed } else { Outcome::Ok })
}

/// The app's arguments: its folder, its reports, the root's config when it has none of its own.
fn app_args(ws: &Workspace, app: &App, args: &ProjectArgs, cache_dir: Option<&Path>) -> ProjectArgs {
    let mut a = args.clone();
    a.paths = vec![app.dir.clone()];
    a.config = if app.dir.join("ballast.json").is_file() { None } else { ws.config.clone() };
    a.cache_dir = cache_dir.map(Path::to_path_buf);
    a.json = args.json.as_deref().map(|p| per_app_path(p, &app.name, "json"));
    a.html = args.html.as_deref().map(|p| per_app_path(p, &app.name, "html"));
    a.md = args.md.as_deref().map(|p| per_app_path(p, &app.name, "md"));
    a.baseline = args.baseline.as_deref().map(|p| per_app_path(p, &app.name, "json"));
    a
}

fn run_app(
    ws: &Workspace,
    app: &App,
    args: &ProjectArgs,
    cache_dir: Option<&Path>,
    check: bool,
) -> Result<Report, Failure> {
    let a = app_args(ws, app, args, cache_dir);
    let project = project::load(&a)?;
    let mut report = project::analyze_quietly(&project)?;
    if check {
        let Some(config) = &project.config else {
            return Err(Failure(format!(
                "no budget file: add {}/ballast.json, or budgets to a ballast.json at the workspace root",
                app.dir.display()
            )));
        };
        if let Some(message) = report.coverage.as_ref().and_then(|c| c.message.clone()) {
            output::write_reports(&report, &a, &project.options.root)?;
            return Err(Failure(format!("{message}; budgets were not checked")));
        }
        report.budgets = Some(commands::check::evaluate(&report, config, &project.options.root)?);
    }
    output::write_reports(&report, &a, &project.options.root)?;
    Ok(report)
}

fn budget_status(r: &AppResult) -> Option<Status> {
    r.report.as_ref().and_then(|rep| rep.budgets.as_ref()).map(ballast_report::BudgetReport::status)
}

fn gzip_or_dash(s: &ballast_common::Sizes) -> String {
    s.get(Metric::Gzip).map_or_else(|| "-".to_string(), format_kb)
}

/// `FAIL (1 of 3)`, `warn (1 of 3)`, `pass (3)`.
fn budget_cell(report: &Report) -> String {
    let Some(b) = &report.budgets else { return "-".to_string() };
    let n = b.results.len();
    let count = |s: Status| b.results.iter().filter(|r| r.status == s).count();
    match b.status() {
        Status::Fail => format!("FAIL ({} of {n})", count(Status::Fail)),
        Status::Warn => format!("warn ({} of {n})", count(Status::Warn)),
        Status::Pass => format!("pass ({n})"),
    }
}

fn root_name(ws: &Workspace) -> String {
    ws.root.file_name().map_or_else(|| ws.root.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn summary_text(ws: &Workspace, results: &[AppResult], args: &ProjectArgs, check: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ballast {} · workspace {} · {} apps\n",
        env!("CARGO_PKG_VERSION"),
        visible(&root_name(ws)),
        results.len()
    );
    let width = results.iter().map(|r| r.name.chars().count()).max().unwrap_or(3).max(3);
    let mut header = format!(
        "{:<width$}  {:>12}  {:>10}  {:>6}  {:>8}",
        "app", "initial gzip", "total gzip", "chunks", "findings"
    );
    if check {
        header.push_str("  budgets");
    }
    let _ = writeln!(out, "{}", header.trim_end());
    for r in results {
        let name = visible(&r.name);
        match (&r.report, &r.error) {
            (Some(report), _) => {
                let mut row = format!(
                    "{name:<width$}  {:>12}  {:>10}  {:>6}  {:>8}",
                    gzip_or_dash(&report.summary.initial),
                    gzip_or_dash(&report.summary.total),
                    report.summary.chunks,
                    report.findings.len()
                );
                if check {
                    let _ = write!(row, "  {}", budget_cell(report));
                }
                let _ = writeln!(out, "{row}");
            }
            (None, _) => {
                let _ = writeln!(out, "{name:<width$}  error (below)");
            }
        }
    }
    let reports: Vec<String> = [(&args.json, "json"), (&args.html, "html"), (&args.md, "md")]
        .into_iter()
        .filter_map(|(p, ext)| p.as_deref().map(|p| (p, ext)))
        .flat_map(|(p, ext)| {
            results
                .iter()
                .filter(|r| r.report.is_some())
                .map(move |r| per_app_path(p, &r.name, ext).display().to_string())
        })
        .collect();
    if !reports.is_empty() {
        let _ = writeln!(out, "\nreports: {}", visible(&reports.join(", ")));
    }
    for r in results {
        if let Some(e) = &r.error {
            let _ = writeln!(out, "\nerror in {}:\n  {}", visible(&r.name), visible(e).replace('\n', "\n  "));
        }
    }
    if check {
        for r in results {
            if let Some(b) = r.report.as_ref().and_then(|rep| rep.budgets.as_ref())
                && b.status() != Status::Pass
            {
                let _ = write!(out, "\n{}: ", visible(&r.name));
                out.push_str(&ballast_report::render::text::budget_table(b));
            }
        }
        let failed: Vec<&str> = results
            .iter()
            .filter(|r| budget_status(r) == Some(Status::Fail))
            .map(|r| r.name.as_str())
            .collect();
        let errors = results.iter().filter(|r| r.error.is_some()).count();
        out.push('\n');
        if !failed.is_empty() {
            let _ = writeln!(
                out,
                "check failed: {} of {} apps over budget ({})",
                failed.len(),
                results.len(),
                visible(&failed.join(", "))
            );
        } else if errors == 0 {
            let _ = writeln!(out, "check passed: {} apps within budget", results.len());
        }
    }
    out
}

fn summary_markdown(ws: &Workspace, results: &[AppResult], check: bool) -> String {
    let mut out = format!("### Ballast · workspace {}\n\n", markdown_text(&root_name(ws)));
    out.push_str("| app | initial gzip | total gzip | chunks | findings |");
    out.push_str(if check {
        " budgets |\n|---|---:|---:|---:|---:|---|\n"
    } else {
        "\n|---|---:|---:|---:|---:|\n"
    });
    for r in results {
        let name = markdown_text(&r.name);
        match &r.report {
            Some(report) => {
                let _ = write!(
                    out,
                    "| {name} | {} | {} | {} | {} |",
                    gzip_or_dash(&report.summary.initial),
                    gzip_or_dash(&report.summary.total),
                    report.summary.chunks,
                    report.findings.len()
                );
                if check {
                    let _ = write!(out, " {} |", budget_cell(report));
                }
                out.push('\n');
            }
            None => {
                let _ = writeln!(out, "| {name} | error | | | |{}", if check { " |" } else { "" });
            }
        }
    }
    for r in results {
        if let Some(b) = r.report.as_ref().and_then(|rep| rep.budgets.as_ref())
            && b.status() != Status::Pass
        {
            let _ = write!(
                out,
                "\n#### {}\n\n{}",
                markdown_text(&r.name),
                ballast_report::render::markdown::budget_table(b)
            );
        }
    }
    out
}

fn summary_json(ws: &Workspace, results: &[AppResult], args: &ProjectArgs) -> String {
    let apps: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let reports: serde_json::Map<String, serde_json::Value> =
                [("json", &args.json), ("html", &args.html), ("md", &args.md)]
                    .into_iter()
                    .filter_map(|(k, p)| {
                        p.as_deref().map(|p| {
                            (k.to_string(), per_app_path(p, &r.name, k).display().to_string().into())
                        })
                    })
                    .collect();
            match &r.report {
                Some(rep) => serde_json::json!({
                    "app": r.name,
                    "initial": rep.summary.initial,
                    "total": rep.summary.total,
                    "chunks": rep.summary.chunks,
                    "findings": rep.findings.len(),
                    "budgets": rep.budgets.as_ref().map(|b| b.status().as_str()),
                    "reports": reports,
                }),
                None => serde_json::json!({ "app": r.name, "error": r.error }),
            }
        })
        .collect();
    let value = serde_json::json!({ "workspace": root_name(ws), "apps": apps });
    format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pnpm_workspace_packages() {
        let yaml = "# the apps\npackages:\n  - 'apps/*'\n  - \"packages/**\" # libs\n  - '!**/test/**'\ncatalog:\n  react: ^19\n";
        assert_eq!(pnpm_packages(yaml), ["apps/*", "packages/**", "!**/test/**"]);
    }

    #[test]
    fn report_paths_per_app() {
        assert_eq!(per_app_path(Path::new("out/r.json"), "web", "json"), Path::new("out/r.web.json"));
        assert_eq!(per_app_path(Path::new("reports/"), "web", "html"), Path::new("reports/web.html"));
        assert_eq!(per_app_path(Path::new("report"), "web", "md"), Path::new("report.web"));
    }
}
