//! What budgets are evaluated against: the sizes of a report, as `ballast_report::measured` takes them from
//! the typed `Report` (this crate never reads report JSON).

use ballast_common::Sizes;
use serde::{Deserialize, Serialize};

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
