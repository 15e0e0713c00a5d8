//! Readers for other tools' budget files: Lighthouse `budget.json` and `.size-limit.json`.

use crate::config::{
    Budget, BudgetMetric, BudgetTarget, ChunkGlob, Config, ConfigFormat, Expect, parse_config, read_quantity,
};
use crate::error::{ConfigErrors, LoadError};
use crate::json::{Ctx, expect_bool, expect_object, expect_string, known_props, type_name};
use crate::network::network;
use ballast_common::Metric;
use jsonc_parser::ast::Value;
use std::path::Path;

/// Lighthouse sizes are in KiB: Lighthouse's performance-budget audit multiplies `budget` by 1024
/// (its docs say "kilobytes"; the code uses 1024).
pub const LIGHTHOUSE_KIB: u64 = 1024;

const LIGHTHOUSE_KEYS: [&str; 5] = ["path", "options", "resourceSizes", "resourceCounts", "timings"];
const SIZE_LIMIT_KEYS: [&str; 19] = [
    "name",
    "path",
    "limit",
    "gzip",
    "brotli",
    "import",
    "ignore",
    "webpack",
    "running",
    "time",
    "config",
    "entry",
    "modifyWebpackConfig",
    "modifyEsbuildConfig",
    "disablePlugins",
    "hidePassed",
    "highlightLess",
    "uiReports",
    "compareWith",
];
const SIZE_LIMIT_SUPPORTED: [&str; 5] = ["name", "path", "limit", "gzip", "brotli"];

/// Which reader a file name calls for.
pub fn format_for_path(path: &Path) -> ConfigFormat {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if name.starts_with(".size-limit") {
        ConfigFormat::SizeLimit
    } else if name == "budget.json" || name.ends_with("-budget.json") || name.ends_with(".budget.json") {
        ConfigFormat::Lighthouse
    } else {
        ConfigFormat::Ballast
    }
}

/// Reads a budget file, picking the reader by file name: `.size-limit.json` → size-limit, `budget.json`
/// (or `*-budget.json`, `*.budget.json`) → Lighthouse, anything else → `ballast.json`.
pub fn load_config(path: &Path) -> Result<Config, LoadError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| LoadError::Io { path: path.to_path_buf(), source })?;
    let file = path.to_string_lossy().replace('\\', "/");
    Ok(parse_config_as(&text, &file, format_for_path(path))?)
}

/// Reads `text` with the reader of `format`.
pub fn parse_config_as(text: &str, file: &str, format: ConfigFormat) -> Result<Config, ConfigErrors> {
    match format {
        ConfigFormat::Ballast => parse_config(text, file),
        ConfigFormat::Lighthouse => parse_lighthouse(text, file),
        ConfigFormat::SizeLimit => parse_size_limit(text, file),
    }
}

/// Reads a Lighthouse `budget.json`. `resourceSizes` `script` becomes an `initial:js` gzip max, `total` an
/// `initial` gzip max (Lighthouse counts transfer sizes, in KiB). Everything else is named in a warning.
pub fn parse_lighthouse(text: &str, file: &str) -> Result<Config, ConfigErrors> {
    let root = crate::json::parse(text, file)?;
    let mut ctx = Ctx::new(text, file);
    let mut config = Config::empty(file, ConfigFormat::Lighthouse);
    match &root {
        Value::Array(items) => {
            for item in &items.elements {
                let Some(object) = expect_object(&mut ctx, item, "each Lighthouse budget") else { continue };
                for prop in known_props(&mut ctx, object, "a Lighthouse budget", &LIGHTHOUSE_KEYS, true) {
                    let v = &prop.value;
                    match prop.name.as_str() {
                        "path" => {
                            if let Some(p) = expect_string(&mut ctx, v, "`path`")
                                && p != "/*"
                                && p != "/"
                            {
                                ctx.warning(v, format!("Lighthouse `path` \"{p}\" is a page URL pattern; ballast applies this budget to the whole bundle"));
                            }
                        }
                        "resourceSizes" => read_resource_sizes(&mut ctx, v, &mut config),
                        "resourceCounts" | "timings" | "options" => {
                            let names = lighthouse_names(v);
                            let key = prop.name.as_str();
                            ctx.warning(
                                &prop.name,
                                format!("Lighthouse `{key}` is not supported and is ignored{names}"),
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
        other => ctx.error(
            other,
            format!("a Lighthouse budget.json must be an array, found {}", type_name(other)),
            None,
        ),
    }
    config.warnings = ctx.finish()?;
    Ok(config)
}

/// `: interactive, first-meaningful-paint` from the items of `timings` / `resourceCounts`.
fn lighthouse_names(value: &Value) -> String {
    let Value::Array(a) = value else { return String::new() };
    let names: Vec<String> = a
        .elements
        .iter()
        .filter_map(|e| e.as_object())
        .filter_map(|o| {
            o.properties
                .iter()
                .find(|p| matches!(p.name.as_str(), "metric" | "resourceType"))
                .and_then(|p| p.value.as_string_lit())
                .map(|s| s.value.to_string())
        })
        .collect();
    if names.is_empty() { String::new() } else { format!(": {}", names.join(", ")) }
}

fn read_resource_sizes(ctx: &mut Ctx, value: &Value, config: &mut Config) {
    let Value::Array(a) = value else {
        ctx.error(value, format!("`resourceSizes` must be an array, found {}", type_name(value)), None);
        return;
    };
    for item in &a.elements {
        let Some(object) = expect_object(ctx, item, "each resourceSizes item") else { continue };
        let props = known_props(ctx, object, "a resourceSizes item", &["resourceType", "budget"], true);
        let get = |key: &str| props.iter().find(|p| p.name.as_str() == key).map(|p| &p.value);
        let Some(kind_value) = get("resourceType") else {
            ctx.error(object, "resourceSizes item has no `resourceType`", None);
            continue;
        };
        let Some(kind) = expect_string(ctx, kind_value, "`resourceType`") else { continue };
        let target = match kind.as_str() {
            "script" => BudgetTarget::InitialJs,
            "total" => BudgetTarget::Initial,
            other => {
                ctx.warning(kind_value, format!("Lighthouse resourceType `{other}` is not supported and is ignored (only `script` and `total` are)"));
                continue;
            }
        };
        let Some(budget_value) = get("budget") else {
            ctx.error(object, "resourceSizes item has no `budget`", None);
            continue;
        };
        let kib = match budget_value {
            Value::NumberLit(n) => n.value.parse::<f64>().ok().filter(|v| *v >= 0.0 && v.is_finite()),
            _ => None,
        };
        let Some(kib) = kib else {
            ctx.error(
                budget_value,
                format!("Lighthouse `budget` must be a number of KiB, found {}", type_name(budget_value)),
                None,
            );
            continue;
        };
        config.budgets.push(Budget {
            name: Some(format!("lighthouse {kind}")),
            target,
            metric: BudgetMetric::Size(Metric::Gzip),
            warn: None,
            max: Some((kib * LIGHTHOUSE_KIB as f64).round() as u64),
            position: ctx.pos(object),
        });
    }
}

/// Reads `.size-limit.json`. `limit` is the max; the metric is brotli (size-limit ≥ 9's default), gzip with
/// `"gzip": true`, raw with `"brotli": false` and no gzip; a time limit becomes a `loadTime` on `slow-3g`
/// (size-limit's network). `path` globs match chunk names (also with the directory and `.js` stripped).
/// Unsupported fields are named in warnings.
pub fn parse_size_limit(text: &str, file: &str) -> Result<Config, ConfigErrors> {
    let root = crate::json::parse(text, file)?;
    let mut ctx = Ctx::new(text, file);
    let mut config = Config::empty(file, ConfigFormat::SizeLimit);
    match &root {
        Value::Array(items) => {
            for item in &items.elements {
                if let Some(budget) = read_size_limit_item(&mut ctx, item) {
                    config.budgets.push(budget);
                }
            }
        }
        other => {
            ctx.error(other, format!("a .size-limit.json must be an array, found {}", type_name(other)), None)
        }
    }
    config.warnings = ctx.finish()?;
    Ok(config)
}

fn read_size_limit_item(ctx: &mut Ctx, item: &Value) -> Option<Budget> {
    let object = expect_object(ctx, item, "each size-limit check")?;
    let errors_before = ctx.errors.len();
    let props = known_props(ctx, object, "a size-limit check", &SIZE_LIMIT_KEYS, true);
    for prop in &props {
        let key = prop.name.as_str();
        if !SIZE_LIMIT_SUPPORTED.contains(&key) {
            ctx.warning(
                &prop.name,
                format!("size-limit option `{key}` is not supported by ballast and is ignored"),
            );
        }
    }
    let get = |key: &str| props.iter().find(|p| p.name.as_str() == key).map(|p| &p.value);
    let name = get("name").and_then(|v| expect_string(ctx, v, "`name`"));
    let gzip = get("gzip").and_then(|v| expect_bool(ctx, v, "`gzip`"));
    let brotli = get("brotli").and_then(|v| expect_bool(ctx, v, "`brotli`"));
    let size_metric = match (gzip, brotli) {
        (Some(true), _) => Metric::Gzip,
        (_, Some(false)) => Metric::Raw,
        _ => Metric::Brotli,
    };
    let mut patterns = Vec::new();
    match get("path") {
        Some(Value::StringLit(s)) => patterns.push(s.value.to_string()),
        Some(Value::Array(a)) => {
            for e in &a.elements {
                if let Some(s) = expect_string(ctx, e, "each `path`") {
                    patterns.push(s);
                }
            }
        }
        Some(other) => {
            ctx.error(other, format!("`path` must be a string or an array, found {}", type_name(other)), None)
        }
        None => ctx.error(object, "size-limit check has no `path`", None),
    }
    let mut all = Vec::new();
    for p in &patterns {
        all.push(p.clone());
        let stem = p.rsplit('/').next().unwrap_or(p);
        let stem = [".mjs", ".cjs", ".js"].iter().find_map(|ext| stem.strip_suffix(ext)).unwrap_or(stem);
        if stem != p && !stem.is_empty() {
            all.push(stem.to_string());
        }
    }
    let target = match ChunkGlob::new(&all) {
        Ok(mut glob) => {
            glob.patterns = patterns;
            Some(BudgetTarget::Chunk(glob))
        }
        Err(e) => {
            if let Some(v) = get("path") {
                ctx.error(v, format!("invalid `path` glob: {}", e.kind()), None);
            }
            None
        }
    };
    let limit_value = get("limit");
    let (metric, max) = match limit_value {
        None => {
            ctx.error(
                object,
                "size-limit check has no `limit`",
                Some("add e.g. \"limit\": \"10 kB\"".to_string()),
            );
            (None, None)
        }
        Some(v) => {
            let is_time = matches!(v, Value::StringLit(s) if s.value.trim_end().ends_with('s'));
            if is_time {
                let metric = network("slow-3g").map(BudgetMetric::LoadTime);
                (metric, read_quantity(ctx, v, "limit", Expect::Time, "loadTime").map(|x| x as u64))
            } else {
                let metric = BudgetMetric::Size(size_metric);
                (
                    Some(metric),
                    read_quantity(ctx, v, "limit", Expect::Size, size_metric.as_str()).map(|x| x as u64),
                )
            }
        }
    };
    if ctx.errors.len() > errors_before {
        return None;
    }
    Some(Budget { name, target: target?, metric: metric?, warn: None, max, position: ctx.pos(object) })
}
