use serde::Serialize;

use crate::{Diff, Report};

/// Pretty JSON with a trailing newline; byte-identical for the same report.
pub fn render(report: &Report) -> String {
    pretty(report)
}

/// `ballast diff --format json`.
pub fn diff(diff: &Diff) -> String {
    pretty(diff)
}

fn pretty(value: &impl Serialize) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
