//! What budgets and `diff` are evaluated against, taken from the typed [`Report`]: from the analysis just made,
//! or from a saved report file (a baseline, a `diff` side) read back into the same type.

use ballast_common::Sizes;
use serde::{Deserialize, Serialize};

use crate::model::{Report, SCHEMA_VERSION};

/// A saved report that cannot be compared: not JSON, another schema version, or not a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadReportError(pub String);

/// One chunk as budgets see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasuredChunk {
    pub name: String,
    pub initial: bool,
    /// JavaScript sizes of the chunk (`chunks[].sizes`).
    pub sizes: Sizes,
}

/// The measurements budgets are evaluated against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Measured {
    /// Everything loaded at start (`summary.initial`).
    pub initial: Sizes,
    /// JavaScript of the initial chunks only (sum of their `sizes`), for Lighthouse's `script`.
    pub initial_js: Sizes,
    pub total: Sizes,
    /// Entry name → its chunk plus every chunk it statically imports, transitively (each chunk once).
    pub entries: Vec<(String, Sizes)>,
    pub chunks: Vec<MeasuredChunk>,
    /// Package name → sizes, all versions summed; sorted by name.
    pub packages: Vec<(String, Sizes)>,
    pub modules: u64,
    /// What the sizes depend on besides the code (`target`, `compression`, `minifier`); `None` when the report
    /// does not say. Two measurements compare only when these match. Not serialized: not a measurement.
    #[serde(skip)]
    pub settings: Settings,
}

/// The report settings sizes depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub target: Option<String>,
    pub compression: Option<Vec<String>>,
    pub minifier: Option<String>,
}

impl Measured {
    /// Whether `self` (a base) and `head` were measured the same way (bundler target, compression); otherwise
    /// the differences, e.g. `compression gzip vs brotli`. Settings a report does not record are not compared;
    /// the minifier may differ (comparing minifiers is a use of `diff`).
    pub fn incomparable(&self, head: &Measured) -> Option<String> {
        let (a, b) = (&self.settings, &head.settings);
        let mut out = Vec::new();
        let mut check = |what: &str, x: Option<String>, y: Option<String>| {
            if let (Some(x), Some(y)) = (x, y)
                && x != y
            {
                out.push(format!("{what} {x} vs {y}"));
            }
        };
        check("target", a.target.clone(), b.target.clone());
        let list = |c: &Option<Vec<String>>| {
            c.as_ref().map(|v| if v.is_empty() { "none".to_string() } else { v.join(", ") })
        };
        check("compression", list(&a.compression), list(&b.compression));
        (!out.is_empty()).then(|| out.join(", "))
    }
}

/// The sizes of `report` as budgets and `diff` compare them.
pub fn measured(report: &Report) -> Measured {
    let static_imports: Vec<Vec<usize>> =
        report.chunks.iter().map(|c| c.imports.iter().map(|i| i.index()).collect()).collect();
    let chunks: Vec<MeasuredChunk> = report
        .chunks
        .iter()
        .map(|c| MeasuredChunk { name: c.name.clone(), initial: c.initial, sizes: c.sizes })
        .collect();
    let initial_js: Sizes = chunks.iter().filter(|c| c.initial).map(|c| c.sizes).sum();
    let entries = report
        .entries
        .iter()
        .map(|e| {
            let sizes = match e.chunk {
                Some(c) => {
                    static_closure(c.index(), &static_imports).into_iter().map(|c| chunks[c].sizes).sum()
                }
                None => Sizes::default(),
            };
            (e.name.clone(), sizes)
        })
        .collect();
    let mut packages: Vec<(String, Sizes)> = Vec::new();
    for p in &report.packages {
        match packages.iter_mut().find(|(n, _)| *n == p.name) {
            Some((_, s)) => s.add(&p.sizes),
            None => packages.push((p.name.clone(), p.sizes)),
        }
    }
    packages.sort_by(|a, b| a.0.cmp(&b.0));
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let mut compression = report.compression.clone();
    compression.sort();
    Measured {
        initial: report.summary.initial,
        initial_js,
        total: report.summary.total,
        entries,
        chunks,
        packages,
        modules: report.summary.modules as u64,
        settings: Settings {
            target: text(&report.target),
            compression: Some(compression),
            minifier: text(&report.minifier),
        },
    }
}

/// A saved report, read back: its `schemaVersion` must be this build's, and its chunk links must hold.
pub fn read_report(text: &str) -> Result<Report, ReadReportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ReadReportError(format!("not JSON: {e}")))?;
    match value.get("schemaVersion").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        found => {
            let found = found.map_or_else(|| "none".to_string(), |v| v.to_string());
            return Err(ReadReportError(format!(
                "schema version {found}; this ballast reads schema version {SCHEMA_VERSION}: regenerate the \
                 report with this version (`ballast analyze --json FILE`)"
            )));
        }
    }
    // Parsed from the text, not the value, so an error names its line and column.
    let report: Report =
        serde_json::from_str(text).map_err(|e| ReadReportError(format!("not a Ballast report: {e}")))?;
    let n = report.chunks.len();
    for (i, c) in report.chunks.iter().enumerate() {
        if let Some(bad) = c.imports.iter().find(|x| x.index() >= n) {
            return Err(ReadReportError(format!(
                "chunks[{i}].imports: chunk index {} out of range ({n} chunks)",
                bad.index()
            )));
        }
    }
    if let Some((i, e)) =
        report.entries.iter().enumerate().find(|(_, e)| e.chunk.is_some_and(|c| c.index() >= n))
    {
        return Err(ReadReportError(format!(
            "entries[{i}] `{}`: chunk index out of range ({n} chunks)",
            e.name
        )));
    }
    Ok(report)
}

/// `start` and every chunk reachable from it by static imports, in index order.
fn static_closure(start: usize, imports: &[Vec<usize>]) -> Vec<usize> {
    let mut seen = vec![false; imports.len()];
    let mut stack = vec![start];
    while let Some(c) = stack.pop() {
        if c >= seen.len() || std::mem::replace(&mut seen[c], true) {
            continue;
        }
        stack.extend(imports[c].iter().copied().filter(|&n| n < seen.len() && !seen[n]));
    }
    seen.iter().enumerate().filter(|(_, s)| **s).map(|(i, _)| i).collect()
}
