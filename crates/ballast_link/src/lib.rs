//! The link stage: every imported name bound through re-exports and `export *` to the module that declares
//! it, statements included from the entries to a fixed point across modules (as Rollup, Rolldown and webpack
//! tree-shake), and the linked dependency graph that chunks are planned on. One pass a file:
//!
//! 1. `bind` — export tables and name resolution through re-export chains and star exports.
//! 2. `include` — statements kept from the entries and kept dynamic imports; modules executed for effects;
//!    for Rollup, a second pass of what its effect checks include, which only places modules.
//! 3. `depend` — each included module's static dependencies as the bundler sees them: the modules declaring
//!    what it uses, and the imported modules whose kept side effects must run first (through modules that
//!    have none, such as barrels).

mod bind;
mod depend;
mod include;

use std::collections::BTreeSet;

use ballast_common::{Diagnostic, ModuleIdx};
use ballast_graph::{ImportKind, ModuleGraph};

pub use bind::{Binder, Binding};

/// What ships, and what depends on what, for the chunk planner and the minifier.
#[derive(Debug, Default)]
pub struct Linked {
    /// Modules with code in the output (a kept statement, kept whole, a loaded stylesheet), and every root.
    pub included: Vec<bool>,
    /// ES modules: the statements kept, by index into the module's `LinkFacts::statements`. Empty otherwise.
    pub kept_statements: Vec<Vec<u32>>,
    /// Modules kept whole: CommonJS, JSON, CSS, modules that did not parse.
    pub whole: Vec<bool>,
    /// ES modules: export names whose bindings are kept; `None` keeps every export (whole modules).
    pub used_exports: Vec<Option<BTreeSet<String>>>,
    /// Static dependencies as the bundler chunks them, in import order.
    pub deps: Vec<Vec<ModuleIdx>>,
    /// Kept `import()`, lazy globs and workers: (target, kind), in source order.
    pub lazy: Vec<Vec<(ModuleIdx, ImportKind)>>,
    /// ES modules with kept code: the bindings their kept statements read from imports, each as the declaring
    /// module and the name (`*` for a namespace or a module kept whole, which a bundler exports as one binding),
    /// in import order: what one chunk takes from another.
    pub imported: Vec<Vec<(ModuleIdx, String)>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where the bundlers bind differently.
#[derive(Debug, Clone, Copy, Default)]
pub struct LinkOptions {
    /// `export default name` is `name` itself (Rollup) rather than a binding of its own (Rolldown, webpack,
    /// esbuild, which print `var x_default = name` and so keep the module).
    pub default_is_alias: bool,
    /// A module depends on every module with kept code that it, or a barrel it imports, names in an
    /// `export { a } from` — used here or not (Rolldown: what one lazy Svelte component uses of
    /// `svelte/internal/client` goes in the entry chunk, which imports the same barrel). `export *` does not
    /// count. Rollup depends only on what it uses and on kept side effects.
    pub named_reexports_are_dependencies: bool,
    /// Rollup's inclusion, which reads more than the statements that run:
    /// - a module that passes on an imported name (`import { a } … export { a }`, as libraries built with
    ///   Rolldown write their index) runs for each importer that uses the name: its imports with effects are the
    ///   importer's dependencies, whatever its package's `sideEffects` says (`sideEffectDependenciesByVariable`:
    ///   `element-plus` brings `dayjs`); `export { a } from` does not;
    /// - modules are placed in chunks by what its effect checks include too (`Includer::rollup_evaluation`);
    /// - CommonJS that only defines its exports (`Module::pure_commonjs`) is kept only when something of it is
    ///   used (its CommonJS plugin makes it an ES module it tree-shakes).
    pub rollup_inclusion: bool,
}

pub fn link(graph: &ModuleGraph, options: &LinkOptions) -> Linked {
    let roots: Vec<ModuleIdx> = graph.entries.iter().map(|e| e.module).collect();
    link_from(graph, &roots, options)
}

/// `link` from other roots than the graph's entries: a worker bundle linked on its own.
pub fn link_from(graph: &ModuleGraph, roots: &[ModuleIdx], options: &LinkOptions) -> Linked {
    let binder = Binder::new(graph, options);
    let includer = include::Includer::new(graph, &binder, options);
    let inclusion = includer.include(roots);
    let included = inclusion.included(graph);
    // Taken before the evaluation pass, which binds the reads of code that never ships: no warnings from it.
    let diagnostics = binder.diagnostics();
    let evaluated = options.rollup_inclusion.then(|| includer.rollup_evaluation(&inclusion));
    let deps = depend::dependencies(graph, &inclusion, &included, evaluated.as_deref(), options);
    let used_exports = inclusion.used_exports(graph, options);
    let kept_statements = inclusion.kept_statements();
    let imported = (0..graph.modules.len())
        .map(|m| {
            imported_bindings(graph, &binder, &inclusion, &included, &kept_statements, ModuleIdx::new(m))
        })
        .collect();
    Linked {
        included,
        kept_statements,
        whole: inclusion.whole,
        used_exports,
        deps,
        lazy: inclusion.lazy,
        imported,
        diagnostics,
    }
}

fn imported_bindings(
    graph: &ModuleGraph,
    binder: &Binder,
    inclusion: &include::Inclusion,
    included: &[bool],
    kept_statements: &[Vec<u32>],
    m: ModuleIdx,
) -> Vec<(ModuleIdx, String)> {
    let i = m.index();
    let Some(link) = graph.modules[i].link.as_ref().filter(|_| included[i] && !inclusion.whole[i]) else {
        return Vec::new();
    };
    let read: BTreeSet<&str> = kept_statements[i]
        .iter()
        .filter_map(|&s| link.statements.get(s as usize))
        .flat_map(|s| s.references.iter().map(|r| r.name.as_str()))
        .collect();
    link.imports
        .iter()
        .filter(|b| read.contains(b.local.as_str()))
        .filter_map(|b| match binder.resolve_local_import(m, &b.local)? {
            Binding::Local(module, name) => Some((module, name)),
            Binding::Namespace(module) | Binding::Whole(module) => Some((module, "*".to_string())),
            Binding::Missing => None,
        })
        .collect()
}
