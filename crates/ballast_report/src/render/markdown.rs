//! The Markdown summary (`--md FILE`, `$GITHUB_STEP_SUMMARY`): budgets first, since that is what a reviewer
//! checks, then chunks, heavy packages and findings.

use std::fmt::Write;

use ballast_common::{Metric, Sizes, format_bytes};

use crate::format::{format_delta, format_kb};
use crate::render::tables::{budget_label, changed, delta_in, diff_metric, limit_text, percent, value};
use crate::{BudgetReport, BudgetResult, Change, Diff, ItemDelta, Report, Status};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Ballast: {}\n", escape(&report.project));
    let s = &report.summary;
    let _ = writeln!(
        out,
        "Initial load **{}** gzip · total **{}** gzip · {} modules · {} chunks\n",
        opt(s.initial.gzip),
        opt(s.total.gzip),
        s.modules,
        s.chunks
    );
    if let Some(budgets) = &report.budgets {
        out.push_str(&budget_table(budgets));
        out.push('\n');
        if let Some(diff) = &budgets.diff {
            out.push_str(&diff_table(diff, 10));
            out.push('\n');
        }
    }
    let _ = writeln!(out, "| chunk | kind | initial | min | gzip | brotli |\n|---|---|:-:|--:|--:|--:|");
    for c in &report.chunks {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape(&c.name),
            c.kind,
            if c.initial { "✓" } else { "" },
            columns(&c.sizes)
        );
        if let Some(copies) = c.copied_sizes() {
            let _ = writeln!(
                out,
                "| {} incl. {} cop{} | copy | | {} |",
                escape(&c.name),
                c.copies.len(),
                if c.copies.len() == 1 { "y" } else { "ies" },
                columns(&copies)
            );
        }
        if let Some(css) = &c.css {
            let _ = writeln!(
                out,
                "| {} + css | css | {} | {} |",
                escape(&c.name),
                if c.initial { "✓" } else { "" },
                columns(css)
            );
        }
    }
    let heavy = report.heaviest_packages(5);
    if !heavy.is_empty() {
        let _ = writeln!(out, "\n| package | modules | min | gzip | brotli |\n|---|--:|--:|--:|--:|");
        for p in heavy {
            let _ = writeln!(
                out,
                "| {}@{} | {} | {} |",
                escape(&p.name),
                escape(&p.version),
                // What ships, as the header counts: a barrel parses hundreds of files that tree-shaking drops.
                p.modules
                    .iter()
                    .filter(|m| report.modules.get(m.index()).is_some_and(|r| r.included))
                    .count(),
                columns(&p.sizes)
            );
        }
    }
    if !report.findings.is_empty() {
        let _ = writeln!(out, "\n### Findings\n");
        for f in &report.findings {
            let at = match (&f.file, f.line) {
                (Some(file), Some(line)) if !file.contains('`') && !file.chars().any(char::is_control) => {
                    format!(" `{file}:{line}`")
                }
                (Some(file), Some(line)) => format!(" {}:{line}", escape(file)),
                _ => String::new(),
            };
            let _ = writeln!(out, "- **{}**{at}: {}", f.code, text(&f.message));
            if let Some(s) = &f.suggestion {
                let lines: Vec<String> = s.split('\n').map(text).collect();
                let _ = writeln!(out, "  - {}", lines.join("\n    "));
            }
            for (bundler, snippet) in f.config.iter().flatten() {
                let fence = if snippet.contains("```") { "~~~~" } else { "```" };
                let _ = writeln!(
                    out,
                    "  <details><summary>config ({})</summary>\n\n  {fence}js\n  {}\n  {fence}\n  </details>",
                    escape(bundler),
                    snippet.replace('\n', "\n  ")
                );
            }
        }
    }
    let shown: Vec<&ballast_common::Diagnostic> =
        report.diagnostics.iter().filter(|d| d.severity != ballast_common::Severity::Info).collect();
    if !shown.is_empty() {
        let _ = writeln!(out, "\n### Diagnostics\n");
        for d in shown.iter().take(20) {
            let at = d.location().map(|l| format!(" `{l}`")).unwrap_or_default();
            let _ = writeln!(out, "- **{}**{at}: {}", d.code.as_str(), escape(&d.message));
            if let Some(help) = &d.help {
                let _ = writeln!(out, "  - help: {}", escape(help));
            }
        }
        if shown.len() > 20 {
            let _ = writeln!(out, "- … {} more in the JSON report", shown.len() - 20);
        }
    }
    out
}

fn columns(s: &Sizes) -> String {
    format!("{} | {} | {}", format_bytes(s.min), opt(s.gzip), opt(s.brotli))
}

fn opt(v: Option<u64>) -> String {
    v.map(format_bytes).unwrap_or_else(|| "-".to_string())
}

/// Table cells must not break the table or inject markup.
fn escape(s: &str) -> String {
    crate::render::escape::markdown(s)
}

fn text(s: &str) -> String {
    crate::render::escape::markdown_text(s)
}

fn icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Warn => "⚠️",
        Status::Fail => "❌",
    }
}

/// A Markdown table: budget, actual, limit and status (✅ ⚠️ ❌), sizes in kB.
pub fn budget_table(report: &BudgetReport) -> String {
    let mut out = String::from("| Budget | Actual | Limit | Status |\n|---|---:|---:|:---:|\n");
    for r in &report.results {
        let actual = r.actual.map(|a| value(r.unit, a)).unwrap_or_else(|| "—".to_string());
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            escape(&budget_label(r)),
            actual,
            limit_text(r),
            icon(r.status)
        ));
    }
    let failed = report.results.iter().filter(|r| r.status == Status::Fail).count();
    let warned = report.results.iter().filter(|r| r.status == Status::Warn).count();
    out.push_str(&format!(
        "\n{} {} budgets checked: {} failed, {} warned.\n",
        icon(report.status()),
        report.results.len(),
        failed,
        warned
    ));
    let notes: Vec<&BudgetResult> = report.results.iter().filter(|r| r.status != Status::Pass).collect();
    if !notes.is_empty() {
        out.push('\n');
        for r in notes {
            out.push_str(&format!("- {} {}\n", icon(r.status), text(&r.message)));
        }
    }
    out
}

fn item_rows(out: &mut String, items: &[ItemDelta], metric: Metric, top: usize) {
    let changed = changed(items, metric);
    for i in changed.iter().take(top) {
        let base = i.sizes.base.get(metric).unwrap_or(i.sizes.base.min);
        let head = i.sizes.head.get(metric).unwrap_or(i.sizes.head.min);
        let d = delta_in(&i.sizes.delta, metric);
        let change = match i.change {
            Change::Added => " (added)",
            Change::Removed => " (removed)",
            _ => "",
        };
        out.push_str(&format!(
            "| {}{} | {} | {} | {} | {} |\n",
            escape(&i.name),
            change,
            format_kb(base),
            format_kb(head),
            format_delta(d),
            percent(base, d)
        ));
    }
    if changed.len() > top {
        out.push_str(&format!("| … {} more | | | | |\n", changed.len() - top));
    }
}

/// Markdown for a diff: totals, then the `top` largest chunk and package changes.
pub fn diff_table(diff: &Diff, top: usize) -> String {
    let metric = diff_metric(diff);
    let m = metric.as_str();
    let mut out = format!("| | Base ({m}) | Head ({m}) | Change | |\n|---|---:|---:|---:|---:|\n");
    for (label, d) in [("Initial", &diff.initial), ("Total", &diff.total)] {
        let base = d.base.get(metric).unwrap_or(d.base.min);
        let head = d.head.get(metric).unwrap_or(d.head.min);
        let delta = delta_in(&d.delta, metric);
        out.push_str(&format!(
            "| **{label}** | {} | {} | {} | {} |\n",
            format_kb(base),
            format_kb(head),
            format_delta(delta),
            percent(base, delta)
        ));
    }
    out.push_str(&format!(
        "| Modules | {} | {} | {:+} | |\n",
        diff.modules.base, diff.modules.head, diff.modules.delta
    ));
    for (title, items) in [("Chunks", &diff.chunks), ("Packages", &diff.packages)] {
        let any = items.iter().any(|i| delta_in(&i.sizes.delta, metric) != 0);
        if !any {
            continue;
        }
        out.push_str(&format!("\n| {title} | Base | Head | Change | |\n|---|---:|---:|---:|---:|\n"));
        item_rows(&mut out, items, metric, top);
    }
    let mut lists = Vec::new();
    for (title, names) in [
        ("New packages", &diff.added_packages),
        ("Removed packages", &diff.removed_packages),
        ("New chunks", &diff.added_chunks),
        ("Removed chunks", &diff.removed_chunks),
    ] {
        if !names.is_empty() {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            lists.push(format!("{title}: {}", names.join(", ")));
        }
    }
    if !lists.is_empty() {
        out.push('\n');
        for l in lists {
            out.push_str(&format!("- {l}\n"));
        }
    }
    out
}
