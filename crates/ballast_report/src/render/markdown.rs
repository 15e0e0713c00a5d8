//! The Markdown summary (`--md FILE`, `$GITHUB_STEP_SUMMARY`): budgets first, since that is what a reviewer
//! checks, then chunks, heavy packages and findings.

use std::fmt::Write;

use ballast_common::{Sizes, format_bytes};

use crate::Report;

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
        out.push_str(&ballast_budget::markdown_table(budgets));
        out.push('\n');
        if let Some(diff) = &budgets.diff {
            out.push_str(&ballast_budget::markdown_diff(diff, 10));
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
