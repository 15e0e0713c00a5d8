//! The linked dependency graph: a module depends on the modules declaring what its kept code uses, and on
//! the modules it imports whose kept side effects must run first; an imported module with none (a barrel,
//! a file of unused declarations) is looked through to its own imports, as Rollup's
//! `getDependenciesToBeIncluded` does. A package's `sideEffects: false` stops the search there, except at the
//! modules that passed a used name on (Rollup always checks those). For Rollup, what its effect checks
//! include makes more modules needed (`through_dead_code`): they are dependencies too.

use ballast_common::ModuleIdx;
use ballast_graph::{ImportKind, ImportedNames, ModuleGraph};
use rustc_hash::FxHashSet;

use crate::include::{Inclusion, may_have_effects, static_imports};

pub(crate) fn dependencies(
    graph: &ModuleGraph,
    inclusion: &Inclusion,
    included: &[bool],
    evaluated: Option<&[Vec<ModuleIdx>]>,
    options: &crate::LinkOptions,
) -> Vec<Vec<ModuleIdx>> {
    (0..graph.modules.len())
        .map(|m| {
            if !included[m] {
                return Vec::new();
            }
            let m = ModuleIdx::new(m);
            let mut needed = inclusion.necessary[m.index()].clone();
            if let Some(evaluated) = evaluated {
                needed.extend(through_dead_code(m, evaluated, included));
            }
            let necessary: FxHashSet<ModuleIdx> = needed.iter().copied().collect();
            let exporters = &inclusion.exporters[m.index()];
            let runs = |d: ModuleIdx| may_have_effects(graph, d) || exporters.contains(&d);
            let mut deps: Vec<ModuleIdx> = Vec::new();
            let mut added: FxHashSet<ModuleIdx> = FxHashSet::default();
            // Visited as a named re-export or not: the first makes it a dependency the other may not.
            let mut handled: FxHashSet<(ModuleIdx, bool)> = FxHashSet::from_iter([(m, false), (m, true)]);
            // Depth-first in import order, so dependencies come out in the order the module runs them.
            // Exporters after the imports, as Rollup's `addRelevantSideEffectDependencies` checks them.
            let mut stack: Vec<(ModuleIdx, bool)> =
                imports_with_kind(graph, m, options).chain(exporters.iter().map(|&d| (d, false))).collect();
            stack.reverse();
            while let Some((d, named_reexport)) = stack.pop() {
                if !handled.insert((d, named_reexport)) || added.contains(&d) {
                    continue;
                }
                if necessary.contains(&d)
                    || (runs(d) && inclusion.effectful[d.index()])
                    || (named_reexport && included[d.index()])
                {
                    if added.insert(d) {
                        deps.push(d);
                    }
                    continue;
                }
                if !runs(d) {
                    continue;
                }
                let mut next: Vec<(ModuleIdx, bool)> = imports_with_kind(graph, d, options).collect();
                next.reverse();
                stack.extend(next);
            }
            for &d in &needed {
                if added.insert(d) {
                    deps.push(d);
                }
            }
            deps
        })
        .collect()
}

/// The modules with code that `m` needs under Rollup's effect checks, looked for through the modules that have
/// none (whose only kept code esbuild drops from the chunk).
fn through_dead_code(m: ModuleIdx, evaluated: &[Vec<ModuleIdx>], included: &[bool]) -> Vec<ModuleIdx> {
    let mut out = Vec::new();
    let mut seen = FxHashSet::from_iter([m]);
    let mut stack: Vec<ModuleIdx> = evaluated[m.index()].iter().rev().copied().collect();
    while let Some(d) = stack.pop() {
        if !seen.insert(d) {
            continue;
        }
        if included[d.index()] {
            out.push(d);
        } else {
            stack.extend(evaluated[d.index()].iter().rev());
        }
    }
    out
}

/// `static_imports`, each with whether it is a named re-export (`export { a } from`) that counts as a
/// dependency (Rolldown, `LinkOptions::named_reexports_are_dependencies`).
fn imports_with_kind<'g>(
    graph: &'g ModuleGraph,
    m: ModuleIdx,
    options: &crate::LinkOptions,
) -> impl Iterator<Item = (ModuleIdx, bool)> + 'g {
    let named = options.named_reexports_are_dependencies;
    let targets: Vec<ModuleIdx> = static_imports(graph, m).collect();
    let reexported: FxHashSet<ModuleIdx> = graph
        .module(m)
        .imports
        .iter()
        .map(|&i| graph.import(i))
        .filter(|i| {
            named && matches!((&i.kind, &i.names), (ImportKind::ReExport, ImportedNames::ReExports(_)))
        })
        .filter_map(|i| i.to)
        .collect();
    targets.into_iter().map(move |d| (d, reexported.contains(&d)))
}
