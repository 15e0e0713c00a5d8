//! Binding: which module declares the binding behind an imported name, following `export { a as b } from`,
//! `import { a } … export { a }` and `export *`, as Rollup's `getVariableForExportName` does. A name two star
//! exports provide differently is ambiguous and bound to nothing (Rollup and esbuild both drop it).
//! Each binding comes with the modules it was passed through as `import { a } … export { a }` (its
//! *exporters*): Rollup runs those for the importer, as `sideEffectDependenciesByVariable`.

use std::cell::RefCell;
use std::rc::Rc;

use ballast_common::{Diagnostic, DiagnosticCode, ModuleIdx};
use ballast_graph::{ImportKind, ImportedNames, ModuleGraph};
use rustc_hash::{FxHashMap, FxHashSet};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Binding {
    /// A top-level binding of an ES module.
    Local(ModuleIdx, String),
    /// The namespace object of an ES module (`import * as ns`, `export * as ns from`).
    Namespace(ModuleIdx),
    /// Something of a module that is kept whole (CommonJS, JSON): the name cannot be told apart.
    Whole(ModuleIdx),
    /// Not exported, ambiguous, or from a module outside the graph.
    Missing,
}

/// Modules a binding was passed through as an imported name exported again (`import { a } … export { a }`),
/// outermost first.
pub type Exporters = Rc<[ModuleIdx]>;

struct ModuleTable {
    /// Export name → local binding.
    exports: FxHashMap<String, String>,
    /// Import local → (target module, imported name or `*`).
    imports: FxHashMap<String, (Option<ModuleIdx>, String)>,
    /// `export { imported as exported } from`: (exported, target, imported).
    reexports: Vec<(String, Option<ModuleIdx>, String)>,
    stars: Vec<ModuleIdx>,
    /// Static import specifier → where it resolved.
    targets: FxHashMap<String, Option<ModuleIdx>>,
    linked: bool,
}

pub struct Binder<'g> {
    graph: &'g ModuleGraph,
    tables: Vec<ModuleTable>,
    memo: RefCell<FxHashMap<(ModuleIdx, String), (Binding, Exporters)>>,
    names: RefCell<FxHashMap<ModuleIdx, Vec<String>>>,
    diagnostics: RefCell<Vec<Diagnostic>>,
    reported: RefCell<FxHashSet<(ModuleIdx, String)>>,
}

impl<'g> Binder<'g> {
    pub fn new(graph: &'g ModuleGraph, options: &crate::LinkOptions) -> Self {
        let tables = graph
            .modules
            .iter()
            .map(|module| {
                let mut table = ModuleTable {
                    exports: FxHashMap::default(),
                    imports: FxHashMap::default(),
                    reexports: Vec::new(),
                    stars: Vec::new(),
                    targets: FxHashMap::default(),
                    linked: module.link.is_some(),
                };
                for &i in &module.imports {
                    let import = graph.import(i);
                    match (&import.kind, &import.names) {
                        (ImportKind::ReExport, ImportedNames::ReExports(pairs)) => {
                            for (exported, imported) in pairs {
                                table.reexports.push((exported.clone(), import.to, imported.clone()));
                            }
                        }
                        (ImportKind::ReExport, ImportedNames::Star) => table.stars.extend(import.to),
                        (ImportKind::Static, _) => {
                            table.targets.entry(import.specifier.clone()).or_insert(import.to);
                        }
                        _ => {}
                    }
                }
                if let Some(link) = &module.link {
                    table.exports = link.exports.iter().cloned().collect();
                    if let Some(alias) = link.default_alias.as_ref().filter(|_| options.default_is_alias) {
                        table.exports.insert("default".to_string(), alias.clone());
                    }
                    for b in &link.imports {
                        let to = table.targets.get(&b.specifier).copied().flatten();
                        table.imports.insert(b.local.clone(), (to, b.imported.clone()));
                    }
                }
                table
            })
            .collect();
        Binder {
            graph,
            tables,
            memo: RefCell::default(),
            names: RefCell::default(),
            diagnostics: RefCell::default(),
            reported: RefCell::default(),
        }
    }

    /// What a local name of `module` refers to when it is an import binding; `None` for its own bindings.
    pub fn resolve_local_import(&self, module: ModuleIdx, local: &str) -> Option<Binding> {
        self.resolve_local_import_via(module, local).map(|(binding, _)| binding)
    }

    /// `resolve_local_import`, with the modules the name was exported again by on the way.
    pub fn resolve_local_import_via(&self, module: ModuleIdx, local: &str) -> Option<(Binding, Exporters)> {
        let (to, imported) = self.tables[module.index()].imports.get(local)?;
        Some(match to {
            None => (Binding::Missing, Exporters::default()),
            Some(to) if imported == "*" => (self.namespace(*to), Exporters::default()),
            Some(to) => {
                let (binding, via) = self.resolve_export_via(*to, imported);
                if binding == Binding::Missing && self.tables[to.index()].linked {
                    self.report_missing(*to, imported);
                }
                (binding, via)
            }
        })
    }

    fn namespace(&self, module: ModuleIdx) -> Binding {
        if self.tables[module.index()].linked { Binding::Namespace(module) } else { Binding::Whole(module) }
    }

    /// The binding behind export `name` of `module`.
    pub fn resolve_export(&self, module: ModuleIdx, name: &str) -> Binding {
        self.resolve_export_via(module, name).0
    }

    fn resolve_export_via(&self, module: ModuleIdx, name: &str) -> (Binding, Exporters) {
        let key = (module, name.to_string());
        if let Some(hit) = self.memo.borrow().get(&key) {
            return hit.clone();
        }
        // In progress: a re-export cycle binds to nothing.
        self.memo.borrow_mut().insert(key.clone(), (Binding::Missing, Exporters::default()));
        let resolved = self.resolve_uncached(module, name);
        self.memo.borrow_mut().insert(key, resolved.clone());
        resolved
    }

    fn resolve_uncached(&self, module: ModuleIdx, name: &str) -> (Binding, Exporters) {
        let table = &self.tables[module.index()];
        if !table.linked {
            return (Binding::Whole(module), Exporters::default());
        }
        if let Some(local) = table.exports.get(name) {
            return match self.resolve_local_import_via(module, local) {
                // A name that binds to nothing (external, unresolved, missing) runs nothing, as in Rollup.
                Some((Binding::Missing, _)) => (Binding::Missing, Exporters::default()),
                Some((binding, via)) => {
                    (binding, std::iter::once(module).chain(via.iter().copied()).collect())
                }
                None => (Binding::Local(module, local.clone()), Exporters::default()),
            };
        }
        if let Some((_, to, imported)) = table.reexports.iter().find(|(exported, _, _)| exported == name) {
            return match to {
                None => (Binding::Missing, Exporters::default()),
                Some(to) if imported == "*" => (self.namespace(*to), Exporters::default()),
                Some(to) => self.resolve_export_via(*to, imported),
            };
        }
        if name == "default" {
            return (Binding::Missing, Exporters::default());
        }
        let mut found: Vec<(Binding, Exporters)> = Vec::new();
        for &star in &table.stars {
            let (binding, via) = self.resolve_export_via(star, name);
            if binding == Binding::Missing {
                continue;
            }
            // One binding reached through several stars: the exporters of every path run.
            match found.iter_mut().find(|(b, _)| *b == binding) {
                Some((_, known)) => {
                    let mut merged = known.to_vec();
                    merged.extend(via.iter().filter(|v| !known.contains(v)));
                    *known = merged.into();
                }
                None => found.push((binding, via)),
            }
        }
        let missing = || (Binding::Missing, Exporters::default());
        match found.len() {
            1 => found.pop().unwrap_or_else(missing),
            // A CommonJS star source may provide anything; an ES one that does wins, as in Rollup.
            _ if found.iter().filter(|(b, _)| !matches!(b, Binding::Whole(_))).count() == 1 => {
                found.into_iter().find(|(b, _)| !matches!(b, Binding::Whole(_))).unwrap_or_else(missing)
            }
            _ => missing(),
        }
    }

    /// Every name `module` exports, star exports expanded (never their `default`), sorted.
    pub fn export_names(&self, module: ModuleIdx) -> Vec<String> {
        if let Some(hit) = self.names.borrow().get(&module) {
            return hit.clone();
        }
        self.names.borrow_mut().insert(module, Vec::new());
        let table = &self.tables[module.index()];
        let mut names: Vec<String> = table.exports.keys().cloned().collect();
        names.extend(table.reexports.iter().map(|(exported, _, _)| exported.clone()));
        for &star in &table.stars {
            names.extend(self.export_names(star).into_iter().filter(|n| n != "default"));
        }
        names.sort();
        names.dedup();
        self.names.borrow_mut().insert(module, names.clone());
        names
    }

    fn report_missing(&self, module: ModuleIdx, name: &str) {
        if !self.reported.borrow_mut().insert((module, name.to_string())) {
            return;
        }
        let path = &self.graph.module(module).path;
        self.diagnostics.borrow_mut().push(
            Diagnostic::warning(
                DiagnosticCode::MissingExport,
                format!(
                    "`{name}` is not exported by `{path}` (or two `export *` provide it): it binds to nothing"
                ),
            )
            .in_file(path.clone())
            .with_help("bundlers warn or fail on this import; check the name and the module's exports"),
        );
    }

    /// What was reported so far, sorted.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics.borrow().clone();
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics.into_inner();
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics
    }
}
