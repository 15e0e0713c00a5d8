//! The `ballast.json` reader: every error at once, each with its position and a help line.

use super::model::*;
use crate::error::ConfigErrors;
use crate::json::{Ctx, did_you_mean, expect_choice, expect_object, expect_string, known_props, type_name};
use crate::network::{network, network_names};
use crate::units::{Quantity, UNITS_HELP, parse_quantity};
use ballast_common::{Bundler, Compression, Metric, MinifierChoice};
use jsonc_parser::ast::{Object, Value};

/// Reads `ballast.json` text. Returns the whole config or every error found.
pub fn parse_config(text: &str, file: &str) -> Result<Config, ConfigErrors> {
    let root = crate::json::parse(text, file)?;
    let mut ctx = Ctx::new(text, file);
    let mut config = Config::empty(file, ConfigFormat::Ballast);
    if let Some(object) = expect_object(&mut ctx, &root, "the top level of ballast.json") {
        read_root(&mut ctx, object, &mut config);
    }
    config.warnings = ctx.finish()?;
    Ok(config)
}

fn read_root(ctx: &mut Ctx, object: &Object, config: &mut Config) {
    for prop in known_props(ctx, object, "ballast.json", &ROOT_KEYS, false) {
        let value = &prop.value;
        match prop.name.as_str() {
            "$schema" => config.schema = expect_string(ctx, value, "`$schema`"),
            "entries" => match value {
                Value::Array(a) => {
                    for element in &a.elements {
                        if let Some(s) = expect_string(ctx, element, "each entry") {
                            config.entries.push(s);
                        }
                    }
                }
                other => ctx.error(
                    other,
                    format!("`entries` must be an array of strings, found {}", type_name(other)),
                    None,
                ),
            },
            "budgets" => match value {
                Value::Array(a) => {
                    for element in &a.elements {
                        if let Some(budget) = read_budget(ctx, element) {
                            config.budgets.push(budget);
                        }
                    }
                }
                other => {
                    ctx.error(other, format!("`budgets` must be an array, found {}", type_name(other)), None)
                }
            },
            "heavy" => config.heavy = read_heavy(ctx, value),
            "baseline" => config.baseline = read_baseline(ctx, value),
            "target" => {
                config.target =
                    expect_choice(ctx, value, "`target`", &BUNDLERS).and_then(|s| Bundler::parse(&s))
            }
            "minifier" => {
                config.minifier = expect_choice(ctx, value, "`minifier`", &MINIFIERS)
                    .and_then(|s| MinifierChoice::parse(&s))
            }
            "compression" => config.compression = read_compression(ctx, value),
            "workspaces" => match value {
                Value::Array(a) => {
                    for element in &a.elements {
                        if let Some(s) = expect_string(ctx, element, "each workspace pattern") {
                            config.workspaces.push(s);
                        }
                    }
                }
                other => ctx.error(
                    other,
                    format!(
                        "`workspaces` must be an array of folder patterns such as [\"apps/*\"], found {}",
                        type_name(other)
                    ),
                    None,
                ),
            },
            "aliases" => {
                if let Some(object) = expect_object(ctx, value, "`aliases`") {
                    for prop in &object.properties {
                        if let Some(to) = expect_string(ctx, &prop.value, "each alias replacement") {
                            config.aliases.push((prop.name.as_str().to_string(), to));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn read_compression(ctx: &mut Ctx, value: &Value) -> Option<Compression> {
    const HELP: &str =
        "use \"gzip,brotli\", \"gzip\", \"brotli\", \"none\" or an array such as [\"gzip\", \"brotli\"]";
    match value {
        Value::StringLit(s) => match Compression::parse(&s.value) {
            Ok(c) => Some(c),
            Err(message) => {
                ctx.error(value, message, None);
                None
            }
        },
        Value::Array(a) => {
            let mut compression = Compression::NONE;
            let mut ok = true;
            for element in &a.elements {
                match expect_choice(ctx, element, "compression", &["gzip", "brotli"]).as_deref() {
                    Some("gzip") => compression.gzip = true,
                    Some("brotli") => compression.brotli = true,
                    _ => ok = false,
                }
            }
            ok.then_some(compression)
        }
        other => {
            ctx.error(
                other,
                format!("`compression` must be a string or an array, found {}", type_name(other)),
                Some(HELP.to_string()),
            );
            None
        }
    }
}

/// What a limit value must be.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Expect {
    Size,
    Time,
    Count,
    Percent,
}

/// Reads a limit (`"150 kB"`, `2000`, `"2.5 s"`, `"10%"`) as bytes, ms, a count or a percent.
pub(crate) fn read_quantity(
    ctx: &mut Ctx,
    value: &Value,
    key: &str,
    expect: Expect,
    metric: &str,
) -> Option<f64> {
    let quantity = match value {
        Value::NumberLit(n) => match n.value.parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => Quantity::Number(v),
            _ => {
                ctx.error(value, format!("`{key}` must be zero or more, found {}", n.value), None);
                return None;
            }
        },
        Value::StringLit(s) => match parse_quantity(&s.value) {
            Ok(q) => q,
            Err((message, help)) => {
                ctx.error(value, format!("`{key}`: {message}"), help);
                return None;
            }
        },
        other => {
            let wanted = match expect {
                Expect::Size => "a size such as \"150 kB\" or a number of bytes",
                Expect::Time => "a time such as \"2.5 s\"",
                Expect::Count => "a number",
                Expect::Percent => "a percent such as \"10%\"",
            };
            ctx.error(other, format!("`{key}` must be {wanted}, found {}", type_name(other)), None);
            return None;
        }
    };
    let shown = match value {
        Value::StringLit(s) => s.value.to_string(),
        Value::NumberLit(n) => n.value.to_string(),
        _ => String::new(),
    };
    let fail = |ctx: &mut Ctx, message: String, help: &str| {
        ctx.error(value, message, Some(help.to_string()));
        None
    };
    match (expect, quantity) {
        (Expect::Size, Quantity::Bytes(b) | Quantity::Number(b)) => Some(b.round()),
        (Expect::Time, Quantity::Millis(ms)) => Some(ms.round()),
        (Expect::Count, Quantity::Number(n)) if n.fract() == 0.0 => Some(n),
        (Expect::Percent, Quantity::Percent(p) | Quantity::Number(p)) => Some(p),
        (Expect::Size, Quantity::Percent(_)) => fail(
            ctx,
            format!("`{key}` is a percent (\"{shown}\") where a size is required"),
            "give a size such as \"150 kB\"; percents are only allowed in `baseline.maxIncrease` and `heavy.share`",
        ),
        (Expect::Size, Quantity::Millis(_)) => fail(
            ctx,
            format!("`{key}` is a time (\"{shown}\") but metric `{metric}` measures bytes"),
            "time limits need \"metric\": \"loadTime\" and a `network`; sizes use B, kB, KiB, MB or MiB",
        ),
        (Expect::Time, Quantity::Number(_)) => fail(
            ctx,
            format!("`{key}` is a bare number ({shown}) but metric `loadTime` needs a time unit"),
            "write \"2500 ms\" or \"2.5 s\"",
        ),
        (Expect::Time, Quantity::Bytes(_)) => fail(
            ctx,
            format!("`{key}` is a size (\"{shown}\") but metric `loadTime` measures time"),
            "write \"2500 ms\" or \"2.5 s\"",
        ),
        (Expect::Count, Quantity::Number(_)) => {
            fail(ctx, format!("`{key}` must be a whole number of modules, found {shown}"), "write e.g. 2000")
        }
        (Expect::Count, Quantity::Bytes(_) | Quantity::Millis(_) | Quantity::Percent(_)) => fail(
            ctx,
            format!("`{key}` of target `modules` is a count, but \"{shown}\" has a unit"),
            "`modules` counts modules: write a plain number such as 2000",
        ),
        (Expect::Time | Expect::Percent, Quantity::Percent(_) | Quantity::Bytes(_) | Quantity::Millis(_)) => {
            fail(ctx, format!("`{key}` must be a percent such as \"10%\", found \"{shown}\""), UNITS_HELP)
        }
    }
}

pub(crate) fn read_target(ctx: &mut Ctx, value: &Value) -> Option<BudgetTarget> {
    let text = expect_string(ctx, value, "`target`")?;
    let (kind, name) = match text.split_once(':') {
        Some((k, n)) => (k, Some(n)),
        None => (text.as_str(), None),
    };
    let named = |ctx: &mut Ctx, name: Option<&str>| -> Option<String> {
        match name.map(str::trim) {
            Some(n) if !n.is_empty() => Some(n.to_string()),
            _ => {
                ctx.error(
                    value,
                    format!("target `{text}` needs a name after `{kind}:`"),
                    Some(format!("e.g. \"{kind}:{}\"", example(kind))),
                );
                None
            }
        }
    };
    match (kind, name) {
        ("initial", None) => Some(BudgetTarget::Initial),
        ("initial", Some("js")) => Some(BudgetTarget::InitialJs),
        ("total", None) => Some(BudgetTarget::Total),
        ("modules", None) => Some(BudgetTarget::Modules),
        ("entry", n) => named(ctx, n).map(BudgetTarget::Entry),
        ("package", n) => named(ctx, n).map(BudgetTarget::Package),
        ("chunk", n) => {
            let pattern = named(ctx, n)?;
            match ChunkGlob::new(std::slice::from_ref(&pattern)) {
                Ok(glob) => Some(BudgetTarget::Chunk(glob)),
                Err(e) => {
                    ctx.error(
                        value,
                        format!("invalid chunk glob `{pattern}`: {}", e.kind()),
                        Some("globs use *, **, ?, [abc] and {a,b}".to_string()),
                    );
                    None
                }
            }
        }
        _ => {
            let help = format!(
                "{}targets are: {}",
                did_you_mean(&text, &TARGETS),
                "initial, initial:js, total, modules, entry:NAME, chunk:GLOB, package:NAME"
            );
            ctx.error(value, format!("unknown budget target `{text}`"), Some(help));
            None
        }
    }
}

fn example(kind: &str) -> &'static str {
    match kind {
        "chunk" => "vendor-*",
        "package" => "react",
        _ => "index",
    }
}

fn read_budget(ctx: &mut Ctx, value: &Value) -> Option<Budget> {
    let object = expect_object(ctx, value, "each budget")?;
    let errors_before = ctx.errors.len();
    let props = known_props(ctx, object, "a budget", &BUDGET_KEYS, false);
    let get = |key: &str| props.iter().find(|p| p.name.as_str() == key).map(|p| &p.value);

    let name = get("name").and_then(|v| expect_string(ctx, v, "`name`"));
    let target = match get("target") {
        Some(v) => read_target(ctx, v),
        None => {
            ctx.error(object, "budget has no `target`", Some("add e.g. \"target\": \"initial\"".to_string()));
            None
        }
    };
    let metric_text = get("metric").and_then(|v| expect_choice(ctx, v, "metric", &METRICS));
    let network_value = get("network");
    let is_modules = matches!(target, Some(BudgetTarget::Modules));
    let metric = match (metric_text.as_deref(), is_modules) {
        (_, true) => {
            if let Some(v) = get("metric") {
                ctx.error(
                    v,
                    "target `modules` counts modules and takes no `metric`",
                    Some("remove `metric`".to_string()),
                );
            }
            Some(BudgetMetric::Count)
        }
        (Some("loadTime"), false) => match network_value {
            None => {
                let help = format!("add \"network\": one of {}", network_names().join(", "));
                ctx.error(get("metric").unwrap_or(value), "metric `loadTime` needs a `network`", Some(help));
                None
            }
            Some(v) => {
                let name = expect_string(ctx, v, "`network`")?;
                match network(&name) {
                    Some(profile) => Some(BudgetMetric::LoadTime(profile)),
                    None => {
                        let names = network_names();
                        let help =
                            format!("{}known networks: {}", did_you_mean(&name, &names), names.join(", "));
                        ctx.error(v, format!("unknown network `{name}`"), Some(help));
                        None
                    }
                }
            }
        },
        (Some(m), false) => Metric::ALL.iter().find(|x| x.as_str() == m).map(|x| BudgetMetric::Size(*x)),
        (None, false) if get("metric").is_some() => None,
        (None, false) => Some(BudgetMetric::Size(Metric::Gzip)),
    };
    if let (Some(v), Some(m)) = (network_value, &metric)
        && !matches!(m, BudgetMetric::LoadTime(_))
    {
        ctx.error(
            v,
            format!("`network` only applies to metric `loadTime`, not `{}`", m.name()),
            Some("remove `network` or set \"metric\": \"loadTime\"".to_string()),
        );
    }
    let (expect, metric_name) = match &metric {
        Some(BudgetMetric::Size(m)) => (Expect::Size, m.as_str()),
        Some(BudgetMetric::LoadTime(_)) => (Expect::Time, "loadTime"),
        Some(BudgetMetric::Count) => (Expect::Count, "count"),
        None => (Expect::Size, "?"),
    };
    let limit = |ctx: &mut Ctx, key: &str| -> Option<u64> {
        let v = get(key)?;
        metric.as_ref()?;
        read_quantity(ctx, v, key, expect, metric_name).map(|x| x as u64)
    };
    let warn = limit(ctx, "warn");
    let max = limit(ctx, "max");
    if get("warn").is_none() && get("max").is_none() {
        ctx.error(
            object,
            "budget has neither `warn` nor `max`",
            Some("add \"max\" (fails the check) and/or \"warn\" (only warns)".to_string()),
        );
    }
    if let (Some(w), Some(m), Some(metric), Some(v)) = (warn, max, &metric, get("warn"))
        && w > m
    {
        ctx.error(
            v,
            format!("`warn` ({}) is above `max` ({})", metric.format(w), metric.format(m)),
            Some("`warn` should be the lower, earlier limit".to_string()),
        );
    }
    if ctx.errors.len() > errors_before {
        return None;
    }
    Some(Budget { name, target: target?, metric: metric?, warn, max, position: ctx.pos(object) })
}

fn read_heavy(ctx: &mut Ctx, value: &Value) -> Option<Heavy> {
    let object = expect_object(ctx, value, "`heavy`")?;
    let mut heavy = Heavy::default();
    for prop in known_props(ctx, object, "`heavy`", &HEAVY_KEYS, false) {
        match prop.name.as_str() {
            "min" => {
                heavy.min = read_quantity(ctx, &prop.value, "min", Expect::Size, "min").map(|b| b as u64)
            }
            "share" => {
                heavy.share = read_quantity(ctx, &prop.value, "share", Expect::Percent, "share");
                if let Some(p) = heavy.share
                    && p > 100.0
                {
                    ctx.error(
                        &prop.value,
                        format!("`share` is a percent of a chunk: {p}% is over 100%"),
                        None,
                    );
                }
            }
            _ => {}
        }
    }
    Some(heavy)
}

fn read_baseline(ctx: &mut Ctx, value: &Value) -> Option<Baseline> {
    let object = expect_object(ctx, value, "`baseline`")?;
    let mut baseline = Baseline {
        file: String::new(),
        metric: Metric::Gzip,
        max_increase_percent: None,
        max_increase_bytes: None,
        position: ctx.pos(object),
    };
    let mut has_file = false;
    let mut size_in_max_increase = None;
    let mut bytes_key_seen = false;
    for prop in known_props(ctx, object, "`baseline`", &BASELINE_KEYS, false) {
        let v = &prop.value;
        match prop.name.as_str() {
            "file" => {
                if let Some(f) = expect_string(ctx, v, "`baseline.file`") {
                    baseline.file = f;
                    has_file = true;
                }
            }
            "metric" => {
                if let Some(m) = expect_choice(ctx, v, "baseline metric", &["raw", "min", "gzip", "brotli"]) {
                    baseline.metric =
                        Metric::ALL.into_iter().find(|x| x.as_str() == m).unwrap_or(Metric::Gzip);
                }
            }
            "maxIncrease" => {
                let q = match v {
                    Value::StringLit(s) => parse_quantity(&s.value).ok(),
                    _ => None,
                };
                match (q, v) {
                    (Some(Quantity::Bytes(_)), _) => {
                        size_in_max_increase = Some(v);
                        baseline.max_increase_bytes =
                            read_quantity(ctx, v, "maxIncrease", Expect::Size, "size").map(|b| b as u64);
                    }
                    _ => {
                        baseline.max_increase_percent =
                            read_quantity(ctx, v, "maxIncrease", Expect::Percent, "percent");
                    }
                }
            }
            "maxIncreaseBytes" => {
                bytes_key_seen = true;
                baseline.max_increase_bytes =
                    read_quantity(ctx, v, "maxIncreaseBytes", Expect::Size, "size").map(|b| b as u64);
            }
            _ => {}
        }
    }
    if let (Some(v), true) = (size_in_max_increase, bytes_key_seen) {
        ctx.error(
            v,
            "`maxIncrease` is a size and `maxIncreaseBytes` is set too",
            Some("give `maxIncrease` as a percent (\"10%\") and the size in `maxIncreaseBytes`".to_string()),
        );
    }
    if !has_file {
        ctx.error(
            object,
            "`baseline` has no `file`",
            Some("add e.g. \"file\": \"ballast-baseline.json\"".to_string()),
        );
    }
    Some(baseline)
}
