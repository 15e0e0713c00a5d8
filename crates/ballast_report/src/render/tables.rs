//! Cells the text and Markdown budget and diff tables share (GitHub annotations take the label too).

use ballast_common::Metric;

use crate::format::{format_kb, format_ms, format_percent};
use crate::{BudgetResult, Deltas, Diff, ItemDelta, ResultKind, Status, Unit};

pub(crate) fn value(unit: Unit, v: u64) -> String {
    match unit {
        Unit::Bytes => format_kb(v),
        Unit::Ms => format_ms(v),
        Unit::Count => v.to_string(),
    }
}

/// `initial · gzip`, `initial · loadTime (slow-4g)`, `total · gzip vs baseline`.
pub(crate) fn budget_label(r: &BudgetResult) -> String {
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

/// `warn 90.0 kB · max 170.0 kB`, `—` without limits.
pub(crate) fn limit_text(r: &BudgetResult) -> String {
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
pub(crate) fn over_text(r: &BudgetResult) -> String {
    match (r.over, r.status) {
        (Some(over), Status::Warn | Status::Fail) => {
            let amount = format!("+{}", value(r.unit, over));
            match r.over_percent {
                Some(p) => format!("{amount} ({})", format_percent(p)),
                None => amount,
            }
        }
        _ => String::new(),
    }
}

/// The metric a diff is ranked and shown in: gzip when both sides have it, else min.
pub(crate) fn diff_metric(diff: &Diff) -> Metric {
    if diff.total.delta.gzip.is_some() { Metric::Gzip } else { Metric::Min }
}

pub(crate) fn delta_in(d: &Deltas, metric: Metric) -> i64 {
    d.get(metric).unwrap_or(d.min)
}

pub(crate) fn percent(base: u64, delta: i64) -> String {
    if base == 0 {
        if delta == 0 { "0%".to_string() } else { "new".to_string() }
    } else {
        format!("{:+.1}%", delta as f64 * 100.0 / base as f64)
    }
}

/// The items that changed in `metric`, largest change first (then by name).
pub(crate) fn changed(items: &[ItemDelta], metric: Metric) -> Vec<&ItemDelta> {
    let mut changed: Vec<&ItemDelta> =
        items.iter().filter(|i| delta_in(&i.sizes.delta, metric) != 0).collect();
    changed.sort_by(|a, b| {
        delta_in(&b.sizes.delta, metric)
            .unsigned_abs()
            .cmp(&delta_in(&a.sizes.delta, metric).unsigned_abs())
            .then_with(|| a.name.cmp(&b.name))
    });
    changed
}
