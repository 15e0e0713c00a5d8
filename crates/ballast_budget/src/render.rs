//! Markdown and GitHub Actions output for `BudgetReport` and `Diff`.

use crate::diff::{Deltas, Diff, ItemDelta};
use crate::evaluate::{BudgetReport, BudgetResult, ResultKind, Status, Unit};
use crate::units::{format_delta, format_kb, format_ms};
use ballast_common::Metric;

fn icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Warn => "⚠️",
        Status::Fail => "❌",
    }
}

fn value(unit: Unit, v: u64) -> String {
    match unit {
        Unit::Bytes => format_kb(v),
        Unit::Ms => format_ms(v),
        Unit::Count => v.to_string(),
    }
}

/// `initial · gzip`, `initial · loadTime (slow-4g)`, `total · gzip vs baseline`.
fn budget_label(r: &BudgetResult) -> String {
    let mut label = format!("{} · {}", r.target, r.metric);
    if let Some(n) = &r.network {
        label.push_str(&format!(" ({n})"));
    }
    if r.kind == ResultKind::Baseline {
        label.push_str(" vs baseline");
    }
    if let Some(name) = &r.name {
        label = format!("{name}: {label}");
    }
    label
}

/// Prose that quotes code in backticks on purpose: like a cell, but backticks stay.
fn escape_text(text: &str) -> String {
    escape_cell(text).replace("\\`", "`")
}

fn escape_cell(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '|' => "\\|".to_string(),
            '`' => "\\`".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '\n' | '\r' => " ".to_string(),
            c if c.is_control() => format!("\\x{:02x}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// A Markdown table: budget, actual, limit and status (✅ ⚠️ ❌), sizes in kB.
pub fn markdown_table(report: &BudgetReport) -> String {
    let mut out = String::from("| Budget | Actual | Limit | Status |\n|---|---:|---:|:---:|\n");
    for r in &report.results {
        let actual = r.actual.map(|a| value(r.unit, a)).unwrap_or_else(|| "—".to_string());
        let mut limits = Vec::new();
        if let Some(w) = r.warn {
            limits.push(format!("warn {}", value(r.unit, w)));
        }
        if let Some(m) = r.max {
            limits.push(format!("max {}", value(r.unit, m)));
        }
        let limit = if limits.is_empty() { "—".to_string() } else { limits.join(" · ") };
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            escape_cell(&budget_label(r)),
            actual,
            limit,
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
            out.push_str(&format!("- {} {}\n", icon(r.status), escape_text(&r.message)));
        }
    }
    out
}

fn word(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
    }
}

fn limit_text(r: &BudgetResult) -> String {
    let mut limits = Vec::new();
    if let Some(w) = r.warn {
        limits.push(format!("warn {}", value(r.unit, w)));
    }
    if let Some(m) = r.max {
        limits.push(format!("max {}", value(r.unit, m)));
    }
    if limits.is_empty() { "—".to_string() } else { limits.join(" · ") }
}

/// `+953 B (+9530%)` for a result over its limit; empty otherwise.
fn over_text(r: &BudgetResult) -> String {
    match (r.over, r.status) {
        (Some(over), Status::Warn | Status::Fail) => {
            let amount = format!("+{}", value(r.unit, over));
            match r.over_percent {
                Some(p) => format!("{amount} ({})", crate::evaluate::format_percent(p)),
                None => amount,
            }
        }
        _ => String::new(),
    }
}

/// The terminal table: budget, actual, limit, status and how far over; then one line per warning or failure
/// and a verdict. Plain text, aligned columns, no colour.
pub fn text_table(report: &BudgetReport) -> String {
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

/// The metric a diff is ranked and shown in: gzip when both sides have it, else min.
fn diff_metric(diff: &Diff) -> Metric {
    if diff.total.delta.gzip.is_some() { Metric::Gzip } else { Metric::Min }
}

fn delta_in(d: &Deltas, metric: Metric) -> i64 {
    d.get(metric).unwrap_or(d.min)
}

fn percent(base: u64, delta: i64) -> String {
    if base == 0 {
        if delta == 0 { "0%".to_string() } else { "new".to_string() }
    } else {
        format!("{:+.1}%", delta as f64 * 100.0 / base as f64)
    }
}

fn item_rows(out: &mut String, items: &[ItemDelta], metric: Metric, top: usize) {
    let mut changed: Vec<&ItemDelta> =
        items.iter().filter(|i| delta_in(&i.sizes.delta, metric) != 0).collect();
    changed.sort_by(|a, b| {
        delta_in(&b.sizes.delta, metric)
            .unsigned_abs()
            .cmp(&delta_in(&a.sizes.delta, metric).unsigned_abs())
            .then_with(|| a.name.cmp(&b.name))
    });
    for i in changed.iter().take(top) {
        let base = i.sizes.base.get(metric).unwrap_or(i.sizes.base.min);
        let head = i.sizes.head.get(metric).unwrap_or(i.sizes.head.min);
        let d = delta_in(&i.sizes.delta, metric);
        let change = match i.change {
            crate::diff::Change::Added => " (added)",
            crate::diff::Change::Removed => " (removed)",
            _ => "",
        };
        out.push_str(&format!(
            "| {}{} | {} | {} | {} | {} |\n",
            escape_cell(&i.name),
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
pub fn markdown_diff(diff: &Diff, top: usize) -> String {
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

/// The terminal form of [`markdown_diff`]: totals, then the `top` largest chunk and package changes.
pub fn text_diff(diff: &Diff, top: usize) -> String {
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
        let mut changed: Vec<&ItemDelta> =
            items.iter().filter(|i| delta_in(&i.sizes.delta, metric) != 0).collect();
        if changed.is_empty() {
            continue;
        }
        changed.sort_by(|a, b| {
            delta_in(&b.sizes.delta, metric)
                .unsigned_abs()
                .cmp(&delta_in(&a.sizes.delta, metric).unsigned_abs())
                .then_with(|| a.name.cmp(&b.name))
        });
        let mut rows =
            vec![vec![title.to_string(), "base".into(), "head".into(), "change".into(), String::new()]];
        for i in changed.iter().take(top) {
            let base = i.sizes.base.get(metric).unwrap_or(i.sizes.base.min);
            let head = i.sizes.head.get(metric).unwrap_or(i.sizes.head.min);
            let d = delta_in(&i.sizes.delta, metric);
            let name = match i.change {
                crate::diff::Change::Added => format!("{} (added)", i.name),
                crate::diff::Change::Removed => format!("{} (removed)", i.name),
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

/// Escapes the message part of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=ballast.json,line=L,col=C,title=…::message` for each failed result, `::warning …` for each
/// warning, pointing at the budget in its config file. Passed results give no line.
pub fn github_annotations(report: &BudgetReport) -> Vec<String> {
    report
        .results
        .iter()
        .filter_map(|r| {
            let (command, title) = match r.status {
                Status::Pass => return None,
                Status::Warn => ("warning", "Budget warning"),
                Status::Fail if r.kind == ResultKind::Baseline => ("error", "Size regression"),
                Status::Fail => ("error", "Budget exceeded"),
            };
            Some(format!(
                "::{command} file={},line={},col={},title={}::{}",
                escape_property(&r.file),
                r.line,
                r.column,
                escape_property(&format!("{title}: {}", budget_label(r))),
                escape_data(&r.message)
            ))
        })
        .collect()
}
