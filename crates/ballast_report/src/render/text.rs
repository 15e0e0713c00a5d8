//! The terminal summary: chunks with their sizes, the initial load, the heaviest packages, findings and
//! diagnostics. Plain text, no colour codes, so it reads the same in CI logs.

use std::fmt::Write;

use ballast_common::{Severity, Sizes, format_bytes};

use crate::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    // A confident wrong total is the worst output: an incomplete result says so before anything else.
    if let Some(message) = report.coverage.as_ref().and_then(|c| c.message.as_ref()) {
        let _ = writeln!(out, "INCOMPLETE: {message}");
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "ballast {} · {} · {} modules · {} packages · {} chunks · minifier {}",
        report.tool.version, report.project, s.modules, s.packages, s.chunks, report.minifier
    );
    out.push('\n');
    let _ = writeln!(
        out,
        "{:<28} {:<7} {:>8} {:>10} {:>10} {:>10} {:>10}",
        "chunk", "kind", "modules", "raw", "min", "gzip", "brotli"
    );
    for chunk in &report.chunks {
        let name = if chunk.initial { format!("{} *", chunk.name) } else { chunk.name.clone() };
        let _ = writeln!(
            out,
            "{:<28} {:<7} {:>8} {}",
            truncate(&name, 28),
            chunk.kind,
            chunk.modules.len(),
            sizes_columns(&chunk.sizes)
        );
    }
    let _ = writeln!(out, "{:<28} {:<7} {:>8} {}", "initial load (*)", "", "", sizes_columns(&s.initial));
    let _ = writeln!(out, "{:<28} {:<7} {:>8} {}", "total", "", "", sizes_columns(&s.total));

    let heaviest = report.heaviest_packages(8);
    if !heaviest.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "heaviest packages");
        for p in heaviest {
            let label =
                if p.version.is_empty() { p.name.clone() } else { format!("{}@{}", p.name, p.version) };
            let _ = writeln!(
                out,
                "  {:<34} {:>8} modules {}",
                truncate(&label, 34),
                p.modules.len(),
                sizes_columns(&p.sizes)
            );
        }
    }
    if !report.findings.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "findings");
        for f in &report.findings {
            let at = match (&f.file, f.line, f.column) {
                (Some(file), Some(l), Some(c)) => format!(" {file}:{l}:{c}"),
                (Some(file), _, _) => format!(" {file}"),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {} [{}]{at}", severity_mark(f.severity), f.code);
            let _ = writeln!(out, "    {}", f.message);
            if let Some(s) = &f.suggestion {
                for line in s.lines() {
                    let _ = writeln!(out, "    → {line}");
                }
            }
        }
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
                let _ = writeln!(out, "    {}", f.path);
            }
            if group.files.len() > 5 {
                let _ = writeln!(out, "    … {} more in the JSON report", group.files.len() - 5);
            }
        }
    }
    if !report.diagnostics.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "diagnostics ({})", report.diagnostics.len());
        for d in report.diagnostics.iter().take(20) {
            let at = d.location().map(|l| format!("{l}: ")).unwrap_or_default();
            let _ = writeln!(out, "  {} {at}{} [{}]", severity_mark(d.severity), d.message, d.code.as_str());
        }
        if report.diagnostics.len() > 20 {
            let _ = writeln!(out, "  … {} more in the JSON report", report.diagnostics.len() - 20);
        }
    }
    out
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

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let tail: String = s.chars().rev().take(width - 1).collect::<Vec<_>>().into_iter().rev().collect();
        format!("…{tail}")
    }
}
