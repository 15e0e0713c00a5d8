use std::path::PathBuf;
use std::sync::Arc;

use ballast_common::{Diagnostic, FileStamp, ImportIdx, ModuleIdx, PackageIdx};
use serde::{Deserialize, Serialize};

use crate::LinkFacts;

/// The whole project as one graph. Built by `ballast_scan` (source mode) or `ballast_stats` (build mode).
/// Modules are sorted by path so indices are stable whatever order the files were found in.
#[derive(Debug, Default)]
pub struct ModuleGraph {
    /// Absolute project root; every `Module::path` is relative to it.
    pub root: PathBuf,
    pub modules: Vec<Module>,
    pub imports: Vec<Import>,
    pub packages: Vec<Package>,
    pub entries: Vec<Entry>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct Module {
    /// Relative, `/`-separated.
    pub path: String,
    pub abs_path: PathBuf,
    pub kind: ModuleKind,
    pub format: ModuleFormat,
    pub package: Option<PackageIdx>,
    /// Source text, shared so later stages never read the file again. `None` for binary assets.
    pub source: Option<Arc<str>>,
    pub raw_size: u64,
    /// The file as the scan read it (source mode), for the whole-analysis cache to check later runs against.
    pub stamp: Option<FileStamp>,
    /// Whether the module may have side effects (from its package's `sideEffects`; app code always may).
    pub side_effects: bool,
    /// Names this module exports itself (not re-exports).
    pub local_exports: Vec<String>,
    /// Outgoing imports, in source order.
    pub imports: Vec<ImportIdx>,
    /// Top-level declarations of a large file, for the treemap's view inside pre-bundled giants.
    pub declarations: Vec<Declaration>,
    /// Build mode: the bundler's own minified size of this module.
    pub rendered_size: Option<u64>,
    /// Source mode, ES modules: what the link stage binds and includes. `None`: kept whole when used (CommonJS,
    /// JSON, CSS, a module that did not parse).
    pub link: Option<Arc<LinkFacts>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleKind {
    Js,
    Ts,
    Jsx,
    Tsx,
    Css,
    Json,
    Asset,
    Wasm,
    /// Text imported through a plugin (`.glsl`, `?raw`): bundled as a string.
    Text,
}

impl ModuleKind {
    pub fn is_script(self) -> bool {
        matches!(self, ModuleKind::Js | ModuleKind::Ts | ModuleKind::Jsx | ModuleKind::Tsx)
    }

    /// Bundled into a JS chunk (as code, or as a string/object for JSON and text).
    pub fn is_chunk_code(self) -> bool {
        self.is_script() || matches!(self, ModuleKind::Json | ModuleKind::Text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleFormat {
    Esm,
    Cjs,
    Mixed,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub name: String,
    /// Byte range in the module's source.
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone)]
pub struct Import {
    pub from: ModuleIdx,
    /// `None` when the specifier did not resolve (a diagnostic says why) or resolved to a Node built-in.
    pub to: Option<ModuleIdx>,
    pub specifier: String,
    pub kind: ImportKind,
    pub names: ImportedNames,
    /// 1-based line and column of the import statement or call.
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    Static,
    Dynamic,
    Require,
    ReExport,
    Css,
    Asset,
    Worker,
    /// `import.meta.glob` with `eager: true` (static) …
    GlobEager,
    /// … or lazy (one `import()` per match).
    Glob,
}

impl ImportKind {
    /// Loaded together with the importer: the edge a chunk follows.
    pub fn is_static(self) -> bool {
        matches!(
            self,
            ImportKind::Static
                | ImportKind::Require
                | ImportKind::ReExport
                | ImportKind::Css
                | ImportKind::GlobEager
        )
    }

    /// Starts a new chunk (an async chunk, or a worker's own entry).
    pub fn is_lazy(self) -> bool {
        matches!(self, ImportKind::Dynamic | ImportKind::Glob | ImportKind::Worker)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Static => "static",
            ImportKind::Dynamic => "dynamic",
            ImportKind::Require => "require",
            ImportKind::ReExport => "re-export",
            ImportKind::Css => "css",
            ImportKind::Asset => "asset",
            ImportKind::Worker => "worker",
            ImportKind::GlobEager => "glob-eager",
            ImportKind::Glob => "glob",
        }
    }
}

/// What an import takes from its target; drives the tree-shaking estimate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImportedNames {
    /// Everything: a namespace import, `require()`, `import()`, `export *`.
    All,
    /// Named bindings (`default` for a default import). For a re-export: `(exported, imported)` pairs.
    Names(Vec<String>),
    ReExports(Vec<(String, String)>),
    /// `export * from`: every name the importer is asked for that it does not declare itself.
    Star,
    /// `import './x'`: executed, nothing taken.
    SideEffect,
}

#[derive(Debug, Clone)]
pub struct Package {
    pub name: String,
    pub version: String,
    /// Relative to the project root.
    pub dir: String,
    pub side_effects: SideEffects,
    pub modules: Vec<ModuleIdx>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SideEffects {
    All(bool),
    /// Globs relative to the package directory: only matching files have side effects.
    Files(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub module: ModuleIdx,
}

/// Folder of the modules Ballast adds for what the bundler itself prints (`(vite)/preload-helper.js`): they
/// are no file of the project.
pub const BUNDLER_CODE_PREFIXES: [&str; 2] = ["(vite)/", "(webpack)/"];

impl Module {
    pub fn is_bundler_code(&self) -> bool {
        BUNDLER_CODE_PREFIXES.iter().any(|p| self.path.starts_with(p))
    }
}

impl ModuleGraph {
    pub fn module(&self, idx: ModuleIdx) -> &Module {
        &self.modules[idx.index()]
    }

    pub fn import(&self, idx: ImportIdx) -> &Import {
        &self.imports[idx.index()]
    }

    pub fn module_by_path(&self, path: &str) -> Option<ModuleIdx> {
        self.modules.binary_search_by(|m| m.path.as_str().cmp(path)).ok().map(ModuleIdx::new)
    }

    pub fn package_name(&self, module: ModuleIdx) -> Option<&str> {
        self.module(module).package.map(|p| self.packages[p.index()].name.as_str())
    }

    /// Outgoing imports of `module` that resolved, with their targets.
    pub fn resolved_imports(
        &self,
        module: ModuleIdx,
    ) -> impl Iterator<Item = (ImportIdx, &Import, ModuleIdx)> {
        self.module(module).imports.iter().filter_map(|&i| {
            let import = self.import(i);
            import.to.map(|to| (i, import, to))
        })
    }

    /// For each module, the imports that point at it.
    pub fn importers(&self) -> Vec<Vec<ImportIdx>> {
        let mut importers = vec![Vec::new(); self.modules.len()];
        for (i, import) in self.imports.iter().enumerate() {
            if let Some(to) = import.to {
                importers[to.index()].push(ImportIdx::new(i));
            }
        }
        importers
    }
}
