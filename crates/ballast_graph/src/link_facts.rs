//! What the link stage needs of one ES module, extracted by the scan so no later stage parses it again:
//! its top-level statements (what each declares, references and whether it has side effects), its import
//! bindings and its export table. Names are top-level binding names, unique in a module's scope.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkFacts {
    /// Top-level statements in source order (import and export-from declarations included).
    pub statements: Vec<StatementFacts>,
    /// `export` name → the local binding it exports (`default` for `export default <expression>`).
    pub exports: Vec<(String, String)>,
    /// The part of `exports` written as lists (`export { a as b }`, `export default a`), not on declarations.
    pub listed_exports: Vec<(String, String)>,
    /// Local names bound by `import` declarations.
    pub imports: Vec<ImportBinding>,
    /// For each entry of `ModuleGraph::modules[m].imports`, the statement it sits in (`u32::MAX`: none).
    pub import_statements: Vec<u32>,
    /// `export default name`: a binding of its own (`default`, as Rolldown, webpack and esbuild print it) or
    /// the same binding as `name` (as Rollup binds it).
    pub default_alias: Option<String>,
    /// Local functions marked `/*@__NO_SIDE_EFFECTS__*/`: calls to them are pure, also from other modules.
    pub pure_functions: Vec<String>,
    /// Top-level bindings that hold a literal boolean for good (`export default false`, `const DEV = true`).
    #[serde(default)]
    pub constants: Vec<(String, bool)>,
    /// Import locals bound to another module's constant (see `constants`), with its value: the scan folded the
    /// branches they decide out of `statements`, and the minifier replaces them by the literal.
    #[serde(default)]
    pub folded: Vec<(String, bool)>,
    /// Top-level `const` bindings holding a short number (`const DERIVED = 2`), with its source text.
    #[serde(default)]
    pub literals: Vec<(String, String)>,
    /// Import locals bound to another module's `literals`, which the bundler inlines (Rolldown): the minifier
    /// replaces them by the text, and the statements no longer reference them.
    #[serde(default)]
    pub inlined: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementFacts {
    /// Byte range in the module's source.
    pub start: u32,
    pub end: u32,
    pub declares: Vec<String>,
    /// Top-level bindings (local or imported) the statement reads, each once.
    pub references: Vec<Reference>,
    pub effects: Effects,
    pub kind: StatementKind,
    /// `X.prop = value` with a pure value: kept when `X` is, as Rollup does.
    pub augments: Vec<String>,
    /// When the statement reads each top-level binding it references: one entry per binding and usage.
    pub uses: Vec<Use>,
}

/// One way a statement reads a top-level binding, and where it first does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Use {
    pub name: String,
    pub usage: Usage,
    /// Byte offset of the first such read.
    pub at: u32,
}

/// When code reads a binding, for split advice: only what start-up does not run can be loaded later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Usage {
    /// While the module runs: a call, a member read, an argument (`new App()`, `THREE.Scene`, `render(App)`).
    Eager,
    /// Inside a function or class body of the statement: runs when that is called.
    Body,
    /// Stored as a value for later (`{ component: Viewer }`, `[Home, About]`, `element={<Page />}`).
    Stored,
    /// In a callback that runs later (event handlers, timers, promise callbacks) or behind a runtime condition
    /// (a debug flag, a URL parameter, a feature flag).
    Deferred,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatementKind {
    /// `import … from`: printed so the minifier knows imported names, never code of its own.
    Import,
    /// `export { … }`, `export default name`, `export … from`: module syntax a bundler does not print.
    ExportList,
    #[default]
    Code,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effects {
    #[default]
    None,
    Always,
    /// Pure unless one of these imported functions has side effects (`/*@__NO_SIDE_EFFECTS__*/` decides).
    UnlessPure(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Reference {
    pub name: String,
    /// `x.member` on an import binding: when `x` links to a namespace object, only that member is needed.
    pub member: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportBinding {
    pub local: String,
    /// The import specifier as written; the module's import of that specifier says where it resolved.
    pub specifier: String,
    /// The imported name; `*` for `import * as ns`.
    pub imported: String,
}

/// `LinkFacts::import_statements` value of an import inside no top-level statement.
pub const NO_STATEMENT: u32 = u32::MAX;
/// `LinkFacts::import_statements` value of an import TypeScript removes (its bindings are only types).
pub const ELIDED: u32 = u32::MAX - 1;

impl LinkFacts {
    pub fn import_binding(&self, local: &str) -> Option<&ImportBinding> {
        self.imports.iter().find(|b| b.local == local)
    }
}
