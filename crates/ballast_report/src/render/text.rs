//! The terminal summary: chunks with their sizes, the initial load, the heaviest packages, findings and
//! diagnostics. Plain text, no colour codes, so it reads the same in CI logs.

use std::fmt::Write;

use ballast_common::{Severity, Sizes, format_bytes};

use crate::format::{format_delta, format_kb};
use crate::render::escape::visible;
use crate::render::tables::{
    budget_label, changed, delta_in, diff_metric, limit_text, over_text, percent, value,
};
use crate::{BudgetReport, BudgetResult, Change, Diff, Report, Status};

/// What the text output shows beyond the summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Every diagnostic, one line each, instead of one line per package for those in node_modules.
    pub verbose: bool,
}

pub fn render(report: &Report) -> String {
    render_with(report, TextOptions::default())
}

pub fn render_with(report: &Report, options: TextOptions) -> String {
    let mut out = String::new();
    // A confident wrong total is the worst output: an incomplete result says so before anything else.
    if let Some(message) = report.coverage.as_ref().and_then(|c| c.message.as_ref()) {
        let _ = writeln!(out, "INCOMPLETE: {}", visible(message));
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "ballast {} · {} · {} modules · {} packages · {} chunks · minifier {}",
        report.tool.version,
        visible(&report.project),
        s.modules,
        s.packages,
        s.chunks,
        report.minifier
    );
    out.push('\n');
    let _ = writeln!(
        out,
        "{:<28} {:<7} {:>8} {:>10} {:>10} {:>10} {:>10}",
        "chunk", "kind", "modules", "raw", "min", "gzip", "brotli"
    );
    for chunk in &report.chunks {
        let name = if chunk.initial {
            format!("{} *", visible(&chunk.name))
        } else {
            visible(&chunk.name).into_owned()
        };
        // As in the header: Ballast's models of the bundler's own code are not the project's modules.
        let count = |css: bool| {
            chunk
                .modules
                .iter()
                .filter_map(|m| report.modules.get(m.index()))
                .filter(|r| !is_bundler_code(&r.path) && (r.kind == "css") == css)
                .count()
        };
        let _ = writeln!(
            out,
            "{:<28} {:<7} {:>8} {}",
            truncate(&name, 28),
            chunk.kind,
            count(false),
            sizes_columns(&chunk.sizes)
        );
        // A worker's copies of page modules are in its row's sizes but not in its module count: say so.
        if let Some(copies) = chunk.copied_sizes() {
            let _ = writeln!(
                out,
                "{:<28} {:<7} {:>8} {}",
                "  incl. copies",
                "copy",
                chunk.copies.len(),
                sizes_columns(&copies)
            );
        }
        // The stylesheet a chunk brings: part of the load, so part of the table.
        if let Some(css) = &chunk.css {
            let _ = writeln!(out, "{:<28} {:<7} {:>8} {}", "  + css", "css", count(true), sizes_columns(css));
        }
    }
    let _ = writeln!(out, "{:<28} {:<7} {:>8} {}", "initial load (*)", "", "", sizes_columns(&s.initial));
    let _ = writeln!(out, "{:<28} {:<7} {:>8} {}", "total", "", "", sizes_columns(&s.total));

    let heaviest = report.heaviest_packages(8);
    if !heaviest.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "heaviest packages");
        for p in heaviest {
            let _ = writeln!(
                out,
                "  {:<34} {:>8} modules {}",
                package_label(&visible(&p.name), &visible(&p.version), 34),
                // What ships, as the header counts: a barrel parses hundreds of files that tree-shaking drops.
                p.modules
                    .iter()
                    .filter(|m| report.modules.get(m.index()).is_some_and(|r| r.included))
                    .count(),
                sizes_columns(&p.sizes)
            );
        }
    }
    if !report.findings.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "findings");
        for f in &report.findings {
            let at = match (&f.file, f.line, f.column) {
                (Some(file), Some(l), Some(c)) => format!(" {}:{l}:{c}", visible(file)),
                (Some(file), _, _) => format!(" {}", visible(file)),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {} [{}]{at}", severity_mark(f.severity), f.code);
            let _ = writeln!(out, "    {}", visible(&f.message));
            if let Some(s) = &f.suggestion {
                for line in s.lines() {
                    let _ = writeln!(out, "    → {}", visible(line));
                }
            }
            if let Some(config) = &f.config {
                for (bundler, snippet) in config_for_target(config, &report.target) {
                    let _ = writeln!(out, "    config ({bundler}):");
                    for line in snippet.lines() {
                        let _ = writeln!(out, "      {line}");
                    }
                }
            }
        }
        let _ = writeln!(out, "  (`ballast explain CODE` says what a code means and what to do)");
    }
    if let Some(c) = report.coverage.as_ref().filter(|c| !c.unread.is_empty()) {
        out.push('\n');
        let _ = writeln!(
            out,
            "coverage {:.1}% ({} read, {} not read)",
            c.share * 100.0,
            format_bytes(c.read_bytes),
            format_bytes(c.unread_bytes)
        );
        for group in &c.unread {
            let _ = writeln!(
                out,
                "  {} [{}]: {} file(s), {}",
                group.description,
                group.reason,
                group.files.len(),
                format_bytes(group.bytes)
            );
            for f in group.files.iter().take(5) {
                let _ = writeln!(out, "    {}", visible(&f.path));
            }
            if group.files.len() > 5 {
                let _ = writeln!(out, "    … {} more in the JSON report", group.files.len() - 5);
            }
        }
    }
    if !report.diagnostics.is_empty() {
        out.push('\n');
        diagnostics(&mut out, report, options);
    }
    // Last, so the verdict is what stays on the screen.
    if let Some(budgets) = &report.budgets {
        out.push('\n');
        out.push_str(&budget_table(budgets));
    }
    out
}

/// The config snippet for the report's bundler (`vite7`, `vite8`, `webpack`); all of them when none matches.
fn config_for_target<'a>(
    config: &'a std::collections::BTreeMap<String, String>,
    target: &str,
) -> Vec<(&'a str, &'a str)> {
    let key = match target {
        t if t.contains("webpack") || t.contains("rspack") => "webpack",
        t if t.contains("rolldown") || t.contains('8') => "vite8",
        _ => "vite7",
    };
    match config.get_key_value(key) {
        Some((k, v)) => vec![(k.as_str(), v.as_str())],
        None => config.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
    }
}

/// The package a node_modules path belongs to (`@scope/name` kept whole), `None` outside node_modules.
fn package_of(file: &str) -> Option<&str> {
    let at = file.rfind("node_modules/")? + "node_modules/".len();
    let rest = &file[at..];
    let mut parts = rest.splitn(3, '/');
    let first = parts.next()?;
    let len =
        if first.starts_with('@') { first.len() + 1 + parts.next().map_or(0, str::len) } else { first.len() };
    Some(&rest[..len])
}

const OWN_DIAGNOSTICS_SHOWN: usize = 20;

/// The project's own diagnostics one by one with their help; those from node_modules one line per package
/// (every one with `--verbose`).
fn diagnostics(out: &mut String, report: &Report, options: TextOptions) {
    let _ = writeln!(out, "diagnostics ({})", report.diagnostics.len());
    let mut own = Vec::new();
    let mut by_package: Vec<(&str, Vec<&ballast_common::Diagnostic>)> = Vec::new();
    for d in &report.diagnostics {
        match d.file.as_deref().and_then(package_of) {
            Some(name) if !options.verbose => match by_package.iter_mut().find(|(n, _)| *n == name) {
                Some((_, list)) => list.push(d),
                None => by_package.push((name, vec![d])),
            },
            _ => own.push(d),
        }
    }
    let limit = if options.verbose { usize::MAX } else { OWN_DIAGNOSTICS_SHOWN };
    for d in own.iter().take(limit) {
        let at = d.location().map(|l| format!("{}: ", visible(&l))).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {at}{} [{}]",
            severity_mark(d.severity),
            visible(&d.message),
            d.code.as_str()
        );
        if let Some(help) = &d.help {
            let _ = writeln!(out, "    help: {}", visible(help));
        }
    }
    if own.len() > limit {
        let _ =
            writeln!(out, "  … {} more (--verbose lists them, as does the JSON report)", own.len() - limit);
    }
    by_package.sort_by(|a, b| a.0.cmp(b.0));
    for (name, list) in &by_package {
        let worst =
            list.iter().map(|d| d.severity).max_by_key(|s| severity_rank(*s)).unwrap_or(Severity::Info);
        let mut codes: Vec<(&str, usize)> = Vec::new();
        for d in list {
            match codes.iter_mut().find(|(c, _)| *c == d.code.as_str()) {
                Some((_, n)) => *n += 1,
                None => codes.push((d.code.as_str(), 1)),
            }
        }
        let codes: Vec<String> = codes.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
        let _ = writeln!(
            out,
            "  {} {}: {} diagnostic{} in node_modules ({}; --verbose lists them)",
            severity_mark(worst),
            visible(name),
            list.len(),
            if list.len() == 1 { "" } else { "s" },
            codes.join(", ")
        );
    }
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

fn sizes_columns(s: &Sizes) -> String {
    let opt = |v: Option<u64>| v.map(format_bytes).unwrap_or_else(|| "-".to_string());
    format!(
        "{:>10} {:>10} {:>10} {:>10}",
        format_bytes(s.raw),
        format_bytes(s.min),
        opt(s.gzip),
        opt(s.brotli)
    )
}

fn severity_mark(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Fits `s` in `width` characters by cutting its middle (`src/routes/…/Viewer.ts`), so both the start (a
/// package's scope, a path's root) and the end (the file, the version) stay readable.
fn truncate(s: &str, width: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= width || width < 3 {
        return s.to_string();
    }
    let keep = width - 1;
    let head = keep / 2;
    let tail = keep - head;
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    format!("{start}…{end}")
}

/// A package label in `width`: `name@version`; without the version when that is too long, then the name cut in
/// its middle, never through its `@scope/`.
fn package_label(name: &str, version: &str, width: usize) -> String {
    let full = if version.is_empty() { name.to_string() } else { format!("{name}@{version}") };
    if full.chars().count() <= width {
        return full;
    }
    if name.chars().count() <= width {
        return name.to_string();
    }
    match name.split_once('/') {
        Some((scope, rest)) if scope.starts_with('@') && scope.chars().count() + 4 <= width => {
            let room = width - scope.chars().count() - 1;
            format!("{scope}/{}", truncate(rest, room))
        }
        _ => truncate(name, width),
    }
}

fn is_bundler_code(path: &str) -> bool {
    ballast_graph::BUNDLER_CODE_PREFIXES.iter().any(|p| path.starts_with(p))
}

fn word(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
    }
}

/// The terminal budget table: budget, actual, limit, status and how far over; then one line per warning or
/// failure and a verdict. Aligned columns, no colour.
pub fn budget_table(report: &BudgetReport) -> String {
    let header = ["budget", "actual", "limit", "status", "over"];
    let rows: Vec<[String; 5]> = report
        .results
        .iter()
        .map(|r| {
            [
                budget_label(r).replace('\n', " "),
                r.actual.map(|a| value(r.unit, a)).unwrap_or_else(|| "—".to_string()),
                limit_text(r),
                word(r.status).to_string(),
                over_text(r),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let pad = |s: &str, w: usize| " ".repeat(w.saturating_sub(s.chars().count()));
        let [budget, actual, limit, status, over] = cells;
        let text = format!(
            "  {budget}{}  {}{actual}  {limit}{}  {status}{}  {over}",
            pad(budget, widths[0]),
            pad(actual, widths[1]),
            pad(limit, widths[2]),
            pad(status, widths[3]),
        );
        format!("{}\n", text.trim_end())
    };
    let mut out = String::from("budgets\n");
    out.push_str(&line(header));
    for row in &rows {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    let notes: Vec<&BudgetResult> = report.results.iter().filter(|r| r.status != Status::Pass).collect();
    if !notes.is_empty() {
        out.push('\n');
        for r in notes {
            out.push_str(&format!("  {} {}\n", word(r.status), r.message.replace('\n', " ")));
            out.push_str(&format!("       at {}:{}:{}\n", r.file, r.line, r.column));
        }
    }
    let failed = report.results.iter().filter(|r| r.status == Status::Fail).count();
    let warned = report.results.iter().filter(|r| r.status == Status::Warn).count();
    let passed = report.results.len() - failed - warned;
    let verdict = match report.status() {
        Status::Fail => "check failed",
        Status::Warn => "check passed with warnings",
        Status::Pass => "check passed",
    };
    let n = report.results.len();
    out.push_str(&format!(
        "\n{verdict}: {n} budget{}, {failed} failed, {warned} warned, {passed} passed\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// Rows padded to aligned columns (first left, the rest right), two spaces indented.
fn aligned(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(" ");
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if i == 0 {
                line.push_str(&format!(" {cell}{pad}"))
            } else {
                line.push_str(&format!("  {pad}{cell}"))
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The terminal form of [`markdown::diff_table`](crate::render::markdown::diff_table): totals, then the `top`
/// largest chunk and package changes.
pub fn diff_table(diff: &Diff, top: usize) -> String {
    let metric = diff_metric(diff);
    let m = metric.as_str();
    let mut rows = vec![vec![
        String::new(),
        format!("base ({m})"),
        format!("head ({m})"),
        "change".into(),
        String::new(),
    ]];
    for (label, d) in [("initial", &diff.initial), ("total", &diff.total)] {
        let base = d.base.get(metric).unwrap_or(d.base.min);
        let head = d.head.get(metric).unwrap_or(d.head.min);
        let delta = delta_in(&d.delta, metric);
        rows.push(vec![
            label.into(),
            format_kb(base),
            format_kb(head),
            format_delta(delta),
            percent(base, delta),
        ]);
    }
    rows.push(vec![
        "modules".into(),
        diff.modules.base.to_string(),
        diff.modules.head.to_string(),
        format!("{:+}", diff.modules.delta),
        String::new(),
    ]);
    let mut out = aligned(&rows);
    for (title, items) in [("chunks", &diff.chunks), ("packages", &diff.packages)] {
        let changed = changed(items, metric);
        if changed.is_empty() {
            continue;
        }
        let mut rows =
            vec![vec![title.to_string(), "base".into(), "head".into(), "change".into(), String::new()]];
        for i in changed.iter().take(top) {
            let base = i.sizes.base.get(metric).unwrap_or(i.sizes.base.min);
            let head = i.sizes.head.get(metric).unwrap_or(i.sizes.head.min);
            let d = delta_in(&i.sizes.delta, metric);
            let name = match i.change {
                Change::Added => format!("{} (added)", i.name),
                Change::Removed => format!("{} (removed)", i.name),
                _ => i.name.clone(),
            };
            rows.push(vec![
                name.replace('\n', " "),
                format_kb(base),
                format_kb(head),
                format_delta(d),
                percent(base, d),
            ]);
        }
        if changed.len() > top {
            rows.push(vec![format!("… {} more", changed.len() - top)]);
        }
        out.push('\n');
        out.push_str(&aligned(&rows));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_keep_their_scope_and_lose_their_middle() {
        assert_eq!(
            package_label("@maniac/three-point-text-helper", "1.0.0", 34),
            "@maniac/three-point-text-helper"
        );
        assert_eq!(
            package_label("@maniac-tech/three-point-text-helper", "1.2.3", 30),
            "@maniac-tech/three-po…t-helper"
        );
        assert_eq!(package_label("react", "18.3.1", 34), "react@18.3.1");
        assert_eq!(truncate("src/routes/admin/settings/Viewer.ts", 20), "src/route…/Viewer.ts");
        assert_eq!(truncate("short", 20), "short");
    }
}
