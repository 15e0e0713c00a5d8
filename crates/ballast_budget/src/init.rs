//! `ballast init`: a starting `ballast.json` from today's sizes.

use ballast_report::Measured;
use serde_json::json;

/// `bytes × (1 + headroom)` rounded up to a whole kB (1000 B).
fn with_headroom_kb(bytes: u64, headroom: f64) -> u64 {
    let grown = (bytes as f64 * (1.0 + headroom.max(0.0))).ceil() as u64;
    grown.div_ceil(1000).max(1)
}

/// A `ballast.json` text: `initial` gzip max and `total` brotli max at today's size plus `headroom`
/// (0.1 = 10%), rounded up to whole kB, and a `modules` max. Falls back to gzip, then min, when a
/// compression was not measured.
pub fn init_config(measured: &Measured, headroom: f64) -> String {
    let pick = |s: &ballast_common::Sizes, order: &[ballast_common::Metric]| {
        order.iter().find_map(|m| s.get(*m).map(|v| (*m, v))).unwrap_or((ballast_common::Metric::Min, s.min))
    };
    use ballast_common::Metric::{Brotli, Gzip, Min};
    let (initial_metric, initial) = pick(&measured.initial, &[Gzip, Brotli, Min]);
    let (total_metric, total) = pick(&measured.total, &[Brotli, Gzip, Min]);
    let modules = (measured.modules as f64 * (1.0 + headroom.max(0.0))).ceil() as u64;
    let value = json!({
        "$schema": "./node_modules/ballast/schema.json",
        "budgets": [
            { "target": "initial", "metric": initial_metric.as_str(), "max": format!("{} kB", with_headroom_kb(initial, headroom)) },
            { "target": "total", "metric": total_metric.as_str(), "max": format!("{} kB", with_headroom_kb(total, headroom)) },
            { "target": "modules", "max": modules.max(1) }
        ]
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
