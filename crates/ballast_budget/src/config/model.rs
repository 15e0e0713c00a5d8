//! The budget model: what a `ballast.json` (or a Lighthouse / size-limit file) says, once read.

use crate::error::Position;
use crate::network::NetworkProfile;
use ballast_common::{Bundler, Compression, Diagnostic, Metric, MinifierChoice};
use ballast_report::format::{format_kb, format_ms};
use globset::{Glob, GlobMatcher};

/// Keys of the top-level object of `ballast.json`.
pub const ROOT_KEYS: [&str; 10] = [
    "$schema",
    "entries",
    "budgets",
    "heavy",
    "baseline",
    "target",
    "minifier",
    "compression",
    "aliases",
    "workspaces",
];
/// Keys of one item of `budgets`.
pub const BUDGET_KEYS: [&str; 6] = ["name", "target", "metric", "network", "warn", "max"];
/// Keys of `heavy`.
pub const HEAVY_KEYS: [&str; 2] = ["min", "share"];
/// Keys of `baseline`.
pub const BASELINE_KEYS: [&str; 4] = ["file", "metric", "maxIncrease", "maxIncreaseBytes"];

/// Accepted `target` (bundler) values.
pub const BUNDLERS: [&str; Bundler::ALL.len()] = {
    let mut names = [""; Bundler::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = Bundler::ALL[i].as_str();
        i += 1;
    }
    names
};
/// Accepted `minifier` values.
pub const MINIFIERS: [&str; MinifierChoice::ALL.len()] = {
    let mut names = [""; MinifierChoice::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = MinifierChoice::ALL[i].as_str();
        i += 1;
    }
    names
};
/// Accepted budget `metric` values.
pub const METRICS: [&str; 5] = ["raw", "min", "gzip", "brotli", "loadTime"];
/// Accepted budget target forms.
pub const TARGETS: [&str; 7] = ["initial", "initial:js", "total", "modules", "entry:", "chunk:", "package:"];

/// Which reader produced a `Config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFormat {
    Ballast,
    Lighthouse,
    SizeLimit,
}

/// A whole, valid budget file.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file name as given (used in messages and annotations).
    pub file: String,
    pub format: ConfigFormat,
    pub schema: Option<String>,
    pub entries: Vec<String>,
    pub budgets: Vec<Budget>,
    pub heavy: Option<Heavy>,
    pub baseline: Option<Baseline>,
    /// Bundler semantics: vite | rolldown | rollup | webpack | rspack | esbuild.
    pub target: Option<Bundler>,
    /// auto | oxc | swc | none.
    pub minifier: Option<MinifierChoice>,
    pub compression: Option<Compression>,
    /// Import aliases (find → replacement), in file order.
    pub aliases: Vec<(String, String)>,
    /// Monorepo: the app folders to analyse, as folder patterns relative to the config (`apps/*`).
    pub workspaces: Vec<String>,
    /// Things read but not applied (foreign formats' unsupported fields).
    pub warnings: Vec<Diagnostic>,
}

impl Config {
    /// Whether a budget or the baseline is on brotli sizes: brotli-11 is slow, so it is computed only then.
    pub fn needs_brotli(&self) -> bool {
        self.budgets.iter().any(|b| b.metric == BudgetMetric::Size(Metric::Brotli))
            || self.baseline.as_ref().is_some_and(|b| b.metric == Metric::Brotli)
    }

    pub fn empty(file: &str, format: ConfigFormat) -> Config {
        Config {
            file: file.to_string(),
            format,
            schema: None,
            entries: Vec::new(),
            budgets: Vec::new(),
            heavy: None,
            baseline: None,
            target: None,
            minifier: None,
            compression: None,
            aliases: Vec::new(),
            workspaces: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// What a budget measures.
#[derive(Debug, Clone)]
pub enum BudgetTarget {
    /// Everything loaded at start (`summary.initial`).
    Initial,
    /// The JavaScript of the initial chunks only (Lighthouse's `script`).
    InitialJs,
    /// Everything (`summary.total`).
    Total,
    /// An entry and the chunks it statically imports.
    Entry(String),
    /// Every chunk whose name matches the glob; one result per chunk.
    Chunk(ChunkGlob),
    /// A package, all versions summed.
    Package(String),
    /// The number of modules.
    Modules,
}

/// A compiled chunk name glob (or several, for size-limit's `path` arrays).
#[derive(Debug, Clone)]
pub struct ChunkGlob {
    /// The patterns as written.
    pub patterns: Vec<String>,
    pub(crate) matchers: Vec<GlobMatcher>,
}

impl ChunkGlob {
    pub fn new(patterns: &[String]) -> Result<ChunkGlob, globset::Error> {
        let matchers =
            patterns.iter().map(|p| Glob::new(p).map(|g| g.compile_matcher())).collect::<Result<_, _>>()?;
        Ok(ChunkGlob { patterns: patterns.to_vec(), matchers })
    }

    pub fn is_match(&self, name: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(name))
    }
}

impl BudgetTarget {
    /// `initial`, `chunk:vendor-*`, … as written in `ballast.json`.
    pub fn label(&self) -> String {
        match self {
            BudgetTarget::Initial => "initial".to_string(),
            BudgetTarget::InitialJs => "initial:js".to_string(),
            BudgetTarget::Total => "total".to_string(),
            BudgetTarget::Entry(n) => format!("entry:{n}"),
            BudgetTarget::Chunk(g) => format!("chunk:{}", g.patterns.join(",")),
            BudgetTarget::Package(n) => format!("package:{n}"),
            BudgetTarget::Modules => "modules".to_string(),
        }
    }
}

/// What is compared with the limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BudgetMetric {
    Size(Metric),
    /// Download time on a network profile.
    LoadTime(&'static NetworkProfile),
    /// Number of modules (target `modules` only).
    Count,
}

impl BudgetMetric {
    pub fn name(&self) -> &'static str {
        match self {
            BudgetMetric::Size(m) => m.as_str(),
            BudgetMetric::LoadTime(_) => "loadTime",
            BudgetMetric::Count => "count",
        }
    }

    /// Formats a value of this metric (`170.0 kB`, `2.50 s`, `2000`).
    pub fn format(&self, value: u64) -> String {
        match self {
            BudgetMetric::Size(_) => format_kb(value),
            BudgetMetric::LoadTime(_) => format_ms(value),
            BudgetMetric::Count => value.to_string(),
        }
    }
}

/// One budget: bytes for sizes, milliseconds for `loadTime`, a number for `modules`.
#[derive(Debug, Clone)]
pub struct Budget {
    pub name: Option<String>,
    pub target: BudgetTarget,
    pub metric: BudgetMetric,
    pub warn: Option<u64>,
    pub max: Option<u64>,
    /// Where the budget object starts in its file.
    pub position: Position,
}

/// Thresholds for heavy-library detection.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Heavy {
    /// Minified bytes.
    pub min: Option<u64>,
    /// Percent of the chunk (0–100).
    pub share: Option<f64>,
}

/// Comparison with a saved report.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub file: String,
    /// The metric the thresholds apply to (default gzip).
    pub metric: Metric,
    /// Largest allowed growth of `total` and `initial`, in percent of the baseline.
    pub max_increase_percent: Option<f64>,
    /// Largest allowed growth of `total` and `initial`, in bytes.
    pub max_increase_bytes: Option<u64>,
    pub position: Position,
}
