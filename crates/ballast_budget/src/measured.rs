//! What budgets are evaluated against, read from the Report JSON (docs/report-json.md).

use crate::error::ReportError;
use ballast_common::Sizes;
use serde::Serialize;
use serde_json::Value;

/// One chunk as budgets see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasuredChunk {
    pub name: String,
    pub initial: bool,
    /// JavaScript sizes of the chunk (`chunks[].sizes`).
    pub sizes: Sizes,
}

/// The measurements budgets are evaluated against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub target: Option<String>,
    pub compression: Option<Vec<String>>,
    pub minifier: Option<String>,
}

/// The Report JSON schema version this build reads and writes.
pub const REPORT_SCHEMA_VERSION: u64 = 1;

fn err(path: impl Into<String>, message: impl Into<String>) -> ReportError {
    ReportError { path: path.into(), message: message.into() }
}

fn field<'v>(value: &'v Value, key: &str, path: &str) -> Result<&'v Value, ReportError> {
    value.get(key).ok_or_else(|| err(format!("{path}.{key}"), "missing"))
}

fn array<'v>(value: &'v Value, key: &str, path: &str) -> Result<&'v [Value], ReportError> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(err(format!("{path}.{key}"), "expected an array")),
    }
}

fn u64_at(value: &Value, path: &str) -> Result<u64, ReportError> {
    value.as_u64().ok_or_else(|| err(path, "expected a non-negative integer"))
}

fn sizes_at(value: &Value, path: &str) -> Result<Sizes, ReportError> {
    let object = value.as_object().ok_or_else(|| err(path, "expected sizes {raw, min, gzip?, brotli?}"))?;
    let get = |key: &str| -> Result<Option<u64>, ReportError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => u64_at(v, &format!("{path}.{key}")).map(Some),
        }
    };
    let required = |key: &str| -> Result<u64, ReportError> {
        get(key)?.ok_or_else(|| err(format!("{path}.{key}"), "missing"))
    };
    Ok(Sizes { raw: required("raw")?, min: required("min")?, gzip: get("gzip")?, brotli: get("brotli")? })
}

impl Measured {
    /// Reads a Report JSON (schema version 1).
    pub fn from_report_json(report: &Value) -> Result<Measured, ReportError> {
        if !report.is_object() {
            return Err(err("$", "expected the report object"));
        }
        let summary = field(report, "summary", "$")?;
        let initial = sizes_at(field(summary, "initial", "summary")?, "summary.initial")?;
        let total = sizes_at(field(summary, "total", "summary")?, "summary.total")?;
        let modules = u64_at(field(summary, "modules", "summary")?, "summary.modules")?;

        let raw_chunks = array(report, "chunks", "$")?;
        let mut chunks = Vec::with_capacity(raw_chunks.len());
        let mut static_imports: Vec<Vec<usize>> = Vec::with_capacity(raw_chunks.len());
        for (i, chunk) in raw_chunks.iter().enumerate() {
            let path = format!("chunks[{i}]");
            let name = field(chunk, "name", &path)?
                .as_str()
                .ok_or_else(|| err(format!("{path}.name"), "expected a string"))?
                .to_string();
            let initial = field(chunk, "initial", &path)?
                .as_bool()
                .ok_or_else(|| err(format!("{path}.initial"), "expected a boolean"))?;
            let sizes = sizes_at(field(chunk, "sizes", &path)?, &format!("{path}.sizes"))?;
            let mut imports = Vec::new();
            for (j, import) in array(chunk, "imports", &path)?.iter().enumerate() {
                let at = format!("{path}.imports[{j}]");
                let index = u64_at(import, &at)? as usize;
                if index >= raw_chunks.len() {
                    return Err(err(
                        at,
                        format!("chunk index {index} out of range ({} chunks)", raw_chunks.len()),
                    ));
                }
                imports.push(index);
            }
            static_imports.push(imports);
            chunks.push(MeasuredChunk { name, initial, sizes });
        }
        let initial_js: Sizes = chunks.iter().filter(|c| c.initial).map(|c| c.sizes).sum();

        let mut entries = Vec::new();
        for (i, entry) in array(report, "entries", "$")?.iter().enumerate() {
            let path = format!("entries[{i}]");
            let name = field(entry, "name", &path)?
                .as_str()
                .ok_or_else(|| err(format!("{path}.name"), "expected a string"))?
                .to_string();
            let sizes = match entry.get("chunk") {
                None | Some(Value::Null) => Sizes::default(),
                Some(v) => {
                    let index = u64_at(v, &format!("{path}.chunk"))? as usize;
                    if index >= chunks.len() {
                        return Err(err(
                            format!("{path}.chunk"),
                            format!("chunk index {index} out of range"),
                        ));
                    }
                    static_closure(index, &static_imports).into_iter().map(|c| chunks[c].sizes).sum()
                }
            };
            entries.push((name, sizes));
        }

        let mut packages: Vec<(String, Sizes)> = Vec::new();
        for (i, package) in array(report, "packages", "$")?.iter().enumerate() {
            let path = format!("packages[{i}]");
            let name = field(package, "name", &path)?
                .as_str()
                .ok_or_else(|| err(format!("{path}.name"), "expected a string"))?;
            let sizes = sizes_at(field(package, "sizes", &path)?, &format!("{path}.sizes"))?;
            match packages.iter_mut().find(|(n, _)| n == name) {
                Some((_, s)) => s.add(&sizes),
                None => packages.push((name.to_string(), sizes)),
            }
        }
        packages.sort_by(|a, b| a.0.cmp(&b.0));

        let text_field = |key: &str| report.get(key).and_then(Value::as_str).map(str::to_string);
        let compression = report.get("compression").and_then(Value::as_array).map(|a| {
            let mut v: Vec<String> = a.iter().filter_map(Value::as_str).map(str::to_string).collect();
            v.sort();
            v
        });
        let settings =
            Settings { target: text_field("target"), compression, minifier: text_field("minifier") };
        Ok(Measured { initial, initial_js, total, entries, chunks, packages, modules, settings })
    }

    /// Reads Report JSON text from a file (a `diff` side, a baseline): its `schemaVersion` must be the one this
    /// build writes.
    pub fn from_report_str(text: &str) -> Result<Measured, ReportError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: Value = serde_json::from_str(text).map_err(|e| err("$", format!("not JSON: {e}")))?;
        match value.get("schemaVersion") {
            Some(v) if v.as_u64() == Some(REPORT_SCHEMA_VERSION) => {}
            found => {
                let found = match found {
                    None => "none".to_string(),
                    Some(v) => v.to_string(),
                };
                return Err(err(
                    "schemaVersion",
                    format!(
                        "schema version {found}; this ballast reads schema version {REPORT_SCHEMA_VERSION}: \
                         regenerate the report with this version (`ballast analyze --json FILE`)"
                    ),
                ));
            }
        }
        Measured::from_report_json(&value)
    }

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

/// `start` and every chunk reachable from it by static imports, in index order.
fn static_closure(start: usize, imports: &[Vec<usize>]) -> Vec<usize> {
    let mut seen = vec![false; imports.len()];
    let mut stack = vec![start];
    while let Some(c) = stack.pop() {
        if std::mem::replace(&mut seen[c], true) {
            continue;
        }
        stack.extend(imports[c].iter().copied().filter(|&n| !seen[n]));
    }
    seen.iter().enumerate().filter(|(_, s)| **s).map(|(i, _)| i).collect()
}
