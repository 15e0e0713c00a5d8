use ballast_budget::BudgetReport;
use ballast_common::{ChunkIdx, Diagnostic, Finding, ModuleIdx, PackageIdx, Sizes};
use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 1;

/// Everything one analysis found. Field order and array order are part of the contract (docs/report-json.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub mode: Mode,
    pub target: String,
    pub minifier: String,
    pub compression: Vec<String>,
    /// Project name (package.json `name`, else the folder name); not a path, so reports compare across machines.
    pub project: String,
    pub summary: Summary,
    pub entries: Vec<ReportEntry>,
    pub modules: Vec<ReportModule>,
    pub imports: Vec<ReportImport>,
    pub packages: Vec<ReportPackage>,
    pub chunks: Vec<ReportChunk>,
    pub findings: Vec<Finding>,
    /// Filled by `ballast check` after the analysis; never read back (a cached analysis has none).
    #[serde(skip_deserializing)]
    pub budgets: Option<BudgetReport>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
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
    pub version: String,
    pub dir: String,
    pub side_effects: serde_json::Value,
    pub modules: Vec<ModuleIdx>,
    pub sizes: Sizes,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportChunk {
    pub id: ChunkIdx,
    pub name: String,
    pub kind: String,
    pub initial: bool,
    pub modules: Vec<ModuleIdx>,
    pub imports: Vec<ChunkIdx>,
    pub dynamic_imports: Vec<ChunkIdx>,
    pub sizes: Sizes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub css: Option<Sizes>,
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
