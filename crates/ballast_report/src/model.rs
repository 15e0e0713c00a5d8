use crate::budget_model::BudgetReport;
use ballast_common::{ChunkIdx, Diagnostic, Finding, ModuleIdx, PackageIdx, Sizes};
use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 1;

/// Everything one analysis found. Field order and array order are part of the contract (docs/report-json.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub schema_version: u32,
    // Fields added during schema version 1 default, so that an older saved report still reads as a baseline.
    #[serde(default)]
    pub tool: Tool,
    #[serde(default)]
    pub mode: Mode,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub minifier: String,
    #[serde(default)]
    pub compression: Vec<String>,
    /// Project name (package.json `name`, else the folder name); not a path, so reports compare across machines.
    #[serde(default)]
    pub project: String,
    pub summary: Summary,
    /// Source mode: how much of what the entries reach was read and linked, and what was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    #[serde(default)]
    pub entries: Vec<ReportEntry>,
    #[serde(default)]
    pub modules: Vec<ReportModule>,
    #[serde(default)]
    pub imports: Vec<ReportImport>,
    #[serde(default)]
    pub packages: Vec<ReportPackage>,
    pub chunks: Vec<ReportChunk>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Filled by `ballast check` after the analysis; never read back (a cached analysis has none).
    #[serde(skip_deserializing)]
    pub budgets: Option<BudgetReport>,
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool { name: "ballast".into(), version: env!("CARGO_PKG_VERSION").into() }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Source,
    Build,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub modules: usize,
    pub packages: usize,
    pub chunks: usize,
    pub initial: Sizes,
    pub total: Sizes,
}

/// The share of reachable source bytes that was read and linked. Below [`COVERAGE_MIN`], or when something of
/// unknown size was not read (the Vite config, an import of project source that did not resolve), the result
/// is incomplete: sizes are a floor, not a prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// `readBytes / (readBytes + unreadBytes)`, 0–1.
    pub share: f64,
    pub read_bytes: u64,
    /// Bytes of the files not read (those of known size).
    pub unread_bytes: u64,
    pub complete: bool,
    /// Why the result is incomplete, one sentence; absent when complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// What was not read, grouped by reason (in `UnreadReason` order), files by path.
    pub unread: Vec<CoverageGroup>,
}

pub const COVERAGE_MIN: f64 = 0.9;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageGroup {
    /// `unknown-kind`, `unresolved-import`, `unevaluated-config`, `plugin-module`, `compile-failed`.
    pub reason: String,
    pub description: String,
    pub bytes: u64,
    pub files: Vec<CoverageFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageFile {
    pub path: String,
    /// `null` when there is no file to measure (an import that did not resolve, the config).
    pub bytes: Option<u64>,
}

impl Coverage {
    /// From what the scan read (`read_bytes`) and did not (`unread`).
    pub fn new(read_bytes: u64, unread: &[ballast_graph::Unread]) -> Coverage {
        let unread_bytes: u64 = unread.iter().filter_map(|u| u.bytes).sum();
        let total = read_bytes + unread_bytes;
        let share = if total == 0 { 1.0 } else { read_bytes as f64 / total as f64 };
        let mut groups: Vec<CoverageGroup> = Vec::new();
        let mut sorted: Vec<&ballast_graph::Unread> = unread.iter().collect();
        sorted.sort();
        for u in sorted {
            if groups.last().is_none_or(|g| g.reason != u.reason.as_str()) {
                groups.push(CoverageGroup {
                    reason: u.reason.as_str().to_string(),
                    description: u.reason.describe().to_string(),
                    bytes: 0,
                    files: Vec::new(),
                });
            }
            let group = groups.last_mut().expect("pushed above");
            group.bytes += u.bytes.unwrap_or(0);
            group.files.push(CoverageFile { path: u.path.clone(), bytes: u.bytes });
        }
        use ballast_graph::UnreadReason as R;
        let blocking = |r: R| matches!(r, R::UnevaluatedConfig | R::UnresolvedImport);
        let unknown: Vec<&ballast_graph::Unread> = unread.iter().filter(|u| blocking(u.reason)).collect();
        let percent = (share * 1000.0).floor() / 10.0;
        let message = if share < COVERAGE_MIN {
            let why: Vec<String> = groups
                .iter()
                .filter(|g| g.bytes > 0)
                .map(|g| format!("{} file(s) {} ({} B)", g.files.len(), g.description, g.bytes))
                .collect();
            Some(format!(
                "the result is incomplete: only {percent}% of the reachable source bytes were read ({})",
                why.join("; ")
            ))
        } else if !unknown.is_empty() {
            let config = unknown.iter().any(|u| u.reason == R::UnevaluatedConfig);
            let imports = unknown.iter().filter(|u| u.reason == R::UnresolvedImport).count();
            let mut why = Vec::new();
            if config {
                why.push("the Vite config could not be evaluated".to_string());
            }
            if imports > 0 {
                why.push(format!("{imports} import(s) of project source did not resolve"));
            }
            Some(format!(
                "the result is incomplete: {}, so what they lead to is missing from every size",
                why.join(" and ")
            ))
        } else {
            None
        };
        Coverage { share, read_bytes, unread_bytes, complete: message.is_none(), message, unread: groups }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportEntry {
    pub name: String,
    pub module: ModuleIdx,
    pub chunk: Option<ChunkIdx>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportModule {
    pub id: ModuleIdx,
    pub path: String,
    pub package: Option<PackageIdx>,
    pub kind: String,
    pub format: String,
    pub included: bool,
    pub chunk: Option<ChunkIdx>,
    pub sizes: Sizes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retained: Option<Sizes>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declarations: Vec<ReportDeclaration>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportDeclaration {
    pub name: String,
    /// The declaration's share of the module's minified size.
    pub min: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportImport {
    pub from: ModuleIdx,
    pub to: Option<ModuleIdx>,
    pub specifier: String,
    pub kind: String,
    pub names: Vec<String>,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportPackage {
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub side_effects: serde_json::Value,
    #[serde(default)]
    pub modules: Vec<ModuleIdx>,
    pub sizes: Sizes,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportChunk {
    pub id: ChunkIdx,
    pub name: String,
    #[serde(default)]
    pub kind: String,
    pub initial: bool,
    #[serde(default)]
    pub modules: Vec<ModuleIdx>,
    #[serde(default)]
    pub imports: Vec<ChunkIdx>,
    #[serde(default)]
    pub dynamic_imports: Vec<ChunkIdx>,
    pub sizes: Sizes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub css: Option<Sizes>,
    /// Worker chunks: modules the page (or an earlier worker) also uses, of which the bundler prints a copy in
    /// this worker's bundle, tree-shaken to what the worker uses. Each copy is counted in this chunk's `sizes` (and
    /// so in the app's total), never in its module's or its package's sizes, which are those of the module's own
    /// chunk (`module.chunk`): a package row never exceeds the app total.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<ReportCopy>,
    /// What the bundler prints to tie this chunk to the others (source mode): `import … from` and `export {…}`
    /// between chunks, Vite's preload calls and `__vite__mapDeps` list. Counted in `sizes` (min: its bytes;
    /// gzip/brotli: its share of the chunk's), in no module's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glue: Option<Sizes>,
}

/// One module copied into a worker chunk: `sizes` are those of the copy (raw: the module's source; min: the copy
/// as the worker's own tree-shaking keeps it; gzip/brotli: its share of the chunk's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportCopy {
    pub module: ModuleIdx,
    pub sizes: Sizes,
}

impl ReportChunk {
    /// Its JS with the CSS it loads: what it puts on the wire, and what its box in the HTML treemap holds
    /// (the chunk's CSS modules are drawn inside it).
    pub fn with_css(&self) -> Sizes {
        let mut sizes = self.sizes;
        if let Some(css) = &self.css {
            sizes.add(css);
        }
        sizes
    }

    /// What this worker chunk's copies of page modules weigh together; `None` without copies.
    pub fn copied_sizes(&self) -> Option<Sizes> {
        let (first, rest) = self.copies.split_first()?;
        let mut sum = first.sizes;
        for copy in rest {
            sum.add(&copy.sizes);
        }
        Some(sum)
    }
}

impl Report {
    pub fn module(&self, idx: ModuleIdx) -> &ReportModule {
        &self.modules[idx.index()]
    }

    /// Packages by their summed size in `metric`, heaviest first.
    pub fn heaviest_packages(&self, limit: usize) -> Vec<&ReportPackage> {
        let mut packages: Vec<&ReportPackage> = self.packages.iter().filter(|p| p.sizes.min > 0).collect();
        packages.sort_by(|a, b| b.sizes.min.cmp(&a.sizes.min).then_with(|| a.name.cmp(&b.name)));
        packages.truncate(limit);
        packages
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == ballast_common::Severity::Error)
    }
}
