//! Checking a `Config` against a `Measured`.

use crate::config::{Baseline, Budget, BudgetMetric, BudgetTarget, Config};
use crate::diff::diff;
use crate::network::transfer_size;
use ballast_common::Sizes;
use ballast_report::format::{format_delta, format_kb, format_percent};
use ballast_report::{BudgetReport, BudgetResult, Diff, Measured, ResultKind, Status, Unit};

/// Checks every budget of `config` on `measured`; with a `baseline`, adds the diff and the regression check.
pub fn evaluate(config: &Config, measured: &Measured, baseline: Option<&Measured>) -> BudgetReport {
    let mut results = Vec::new();
    for budget in &config.budgets {
        evaluate_budget(config, budget, measured, &mut results);
    }
    let diff = baseline.map(|base| diff(base, measured));
    if let (Some(d), Some(b)) = (&diff, &config.baseline) {
        check_regression(config, b, d, &mut results);
    }
    let mut report = BudgetReport { status: Status::Pass, results, diff };
    report.status = report.status();
    report
}

fn base_result(config: &Config, budget: &Budget, target: String) -> BudgetResult {
    let (unit, network) = match budget.metric {
        BudgetMetric::Size(_) => (Unit::Bytes, None),
        BudgetMetric::LoadTime(n) => (Unit::Ms, Some(n.name.to_string())),
        BudgetMetric::Count => (Unit::Count, None),
    };
    let written = budget.target.label();
    BudgetResult {
        kind: ResultKind::Budget,
        name: budget.name.clone(),
        pattern: (written != target).then_some(written),
        target,
        metric: budget.metric.name().to_string(),
        network,
        basis: None,
        unit,
        warn: budget.warn,
        max: budget.max,
        actual: None,
        over: None,
        over_percent: None,
        status: Status::Pass,
        message: String::new(),
        file: config.file.clone(),
        line: budget.position.line,
        column: budget.position.column,
    }
}

fn evaluate_budget(config: &Config, budget: &Budget, measured: &Measured, out: &mut Vec<BudgetResult>) {
    let mut targets: Vec<(String, Option<Sizes>)> = Vec::new();
    let mut missing: Option<String> = None;
    match &budget.target {
        BudgetTarget::Initial => targets.push(("initial".into(), Some(measured.initial))),
        BudgetTarget::InitialJs => targets.push(("initial:js".into(), Some(measured.initial_js))),
        BudgetTarget::Total => targets.push(("total".into(), Some(measured.total))),
        BudgetTarget::Modules => {
            let mut r = base_result(config, budget, "modules".into());
            r.actual = Some(measured.modules);
            judge(&mut r, &BudgetMetric::Count, "modules".into());
            out.push(r);
            return;
        }
        BudgetTarget::Entry(name) => match measured.entries.iter().find(|(n, _)| n == name) {
            Some((_, s)) => targets.push((format!("entry:{name}"), Some(*s))),
            None => {
                let names: Vec<&str> = measured.entries.iter().map(|(n, _)| n.as_str()).collect();
                missing = Some(format!("no entry named `{name}` (entries: {})", list(&names)));
            }
        },
        BudgetTarget::Package(name) => match measured.packages.iter().find(|(n, _)| n == name) {
            Some((_, s)) => targets.push((format!("package:{name}"), Some(*s))),
            None => missing = Some(format!("package `{name}` is not in the bundle")),
        },
        BudgetTarget::Chunk(glob) => {
            for chunk in measured.chunks.iter().filter(|c| glob.is_match(&c.name)) {
                targets.push((format!("chunk:{}", chunk.name), Some(chunk.sizes)));
            }
            if targets.is_empty() {
                let names: Vec<&str> = measured.chunks.iter().map(|c| c.name.as_str()).collect();
                missing =
                    Some(format!("`{}` matches no chunk (chunks: {})", budget.target.label(), list(&names)));
            }
        }
    }
    if let Some(message) = missing {
        let mut r = base_result(config, budget, budget.target.label());
        r.status = Status::Warn;
        r.message = message;
        out.push(r);
        return;
    }
    for (label, sizes) in targets {
        let mut r = base_result(config, budget, label.clone());
        let sizes = sizes.unwrap_or_default();
        match budget.metric {
            BudgetMetric::Size(metric) => match sizes.get(metric) {
                Some(v) => {
                    r.actual = Some(v);
                    judge(&mut r, &budget.metric, format!("{label} {}", metric.as_str()));
                }
                None => {
                    r.status = Status::Warn;
                    r.message = format!(
                        "{label} {m} was not measured (compression without {m}); budget not checked",
                        m = metric.as_str()
                    );
                }
            },
            BudgetMetric::LoadTime(network) => {
                let (basis, bytes) = transfer_size(&sizes);
                r.basis = Some(basis);
                r.actual = Some(network.load_time_ms(bytes));
                let subject = format!(
                    "{label} load time on {} ({} {})",
                    network.name,
                    basis.as_str(),
                    format_kb(bytes)
                );
                judge(&mut r, &budget.metric, subject);
            }
            BudgetMetric::Count => {}
        }
        out.push(r);
    }
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        return "none".to_string();
    }
    let shown: Vec<&str> = names.iter().take(8).copied().collect();
    let more = names.len().saturating_sub(8);
    if more > 0 { format!("{}, … {more} more", shown.join(", ")) } else { shown.join(", ") }
}

/// Sets status and message from `actual` against `warn`/`max`.
fn judge(r: &mut BudgetResult, metric: &BudgetMetric, subject: String) {
    let Some(actual) = r.actual else { return };
    let f = |v: u64| metric.format(v);
    let is = format!("{subject} is {}", f(actual));
    match (r.warn, r.max) {
        (_, Some(max)) if actual > max => {
            r.status = Status::Fail;
            r.over = Some(actual - max);
            r.over_percent = percent_over(actual, max);
            r.message = format!("{is}, {} over the {} maximum", by(r, f(actual - max)), f(max));
        }
        (Some(warn), max) if actual > warn => {
            r.status = Status::Warn;
            r.over = Some(actual - warn);
            r.over_percent = percent_over(actual, warn);
            let max = max.map(|m| format!(" (maximum {})", f(m))).unwrap_or_default();
            r.message = format!("{is}, {} over the {} warning limit{max}", by(r, f(actual - warn)), f(warn));
        }
        (warn, max) => {
            r.status = Status::Pass;
            let limit = match (warn, max) {
                (_, Some(m)) => format!("the {} maximum", f(m)),
                (Some(w), None) => format!("the {} warning limit", f(w)),
                (None, None) => "no limit".to_string(),
            };
            r.message = format!("{is}, within {limit}");
        }
    }
}

/// `(actual - limit) / limit` in percent; `None` for a zero limit.
fn percent_over(actual: u64, limit: u64) -> Option<f64> {
    // Rounded to 0.1 so the JSON reads as the text does.
    (limit > 0).then(|| ((actual.saturating_sub(limit)) as f64 * 1000.0 / limit as f64).round() / 10.0)
}

/// `953 B (+9530%)`: the excess with its percent when there is one.
fn by(r: &BudgetResult, amount: String) -> String {
    match r.over_percent {
        Some(p) => format!("{amount} ({})", format_percent(p)),
        None => amount,
    }
}

fn check_regression(config: &Config, baseline: &Baseline, d: &Diff, out: &mut Vec<BudgetResult>) {
    if baseline.max_increase_percent.is_none() && baseline.max_increase_bytes.is_none() {
        return;
    }
    let metric = baseline.metric;
    for (label, delta) in [("initial", &d.initial), ("total", &d.total)] {
        let mut r = BudgetResult {
            kind: ResultKind::Baseline,
            name: None,
            target: label.to_string(),
            pattern: None,
            metric: metric.as_str().to_string(),
            network: None,
            basis: None,
            unit: Unit::Bytes,
            warn: None,
            max: None,
            actual: None,
            over: None,
            over_percent: None,
            status: Status::Pass,
            message: String::new(),
            file: config.file.clone(),
            line: baseline.position.line,
            column: baseline.position.column,
        };
        let (Some(base), Some(head)) = (delta.base.get(metric), delta.head.get(metric)) else {
            r.status = Status::Warn;
            r.message = format!(
                "{label} {} is missing from the baseline or the current report; regression not checked",
                metric.as_str()
            );
            out.push(r);
            continue;
        };
        let by_percent =
            baseline.max_increase_percent.map(|p| base + (base as f64 * p / 100.0).floor() as u64);
        let by_bytes = baseline.max_increase_bytes.map(|b| base + b);
        let allowed = match (by_percent, by_bytes) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(u64::MAX),
        };
        r.max = Some(allowed);
        r.actual = Some(head);
        let change = head as i64 - base as i64;
        let pct = if base > 0 { change as f64 * 100.0 / base as f64 } else { 0.0 };
        let mut limits = Vec::new();
        if let Some(p) = baseline.max_increase_percent {
            limits.push(format!("{p}%"));
        }
        if let Some(b) = baseline.max_increase_bytes {
            limits.push(format_kb(b));
        }
        let grew = format!(
            "{label} {} changed by {} ({pct:+.1}%) from the baseline's {} to {}",
            metric.as_str(),
            format_delta(change),
            format_kb(base),
            format_kb(head)
        );
        if head > allowed {
            r.status = Status::Fail;
            r.over = Some(head - allowed);
            r.over_percent = percent_over(head, allowed);
            let excess = by(&r, format_kb(head - allowed));
            r.message =
                format!("{grew}, {excess} over the allowed {} ({})", limits.join(" / "), format_kb(allowed));
        } else {
            r.message = format!("{grew}, within the allowed {}", limits.join(" / "));
        }
        out.push(r);
    }
}
