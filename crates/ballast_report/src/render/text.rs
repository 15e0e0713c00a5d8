//! The terminal summary: chunks with their sizes, the initial load, the heaviest packages, findings and
//! diagnostics. Plain text, no colour codes, so it reads the same in CI logs.

use std::fmt::Write;

use ballast_common::{Severity, Sizes, format_bytes};

use crate::Report;
use crate::render::escape::visible;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
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
            let label = if p.version.is_empty() {
                visible(&p.name).into_owned()
            } else {
                format!("{}@{}", visible(&p.name), visible(&p.version))
            };
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
        }
    }
    if !report.diagnostics.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "diagnostics ({})", report.diagnostics.len());
        for d in report.diagnostics.iter().take(20) {
            let at = d.location().map(|l| format!("{}: ", visible(&l))).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {at}{} [{}]",
                severity_mark(d.severity),
                visible(&d.message),
                d.code.as_str()
            );
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
