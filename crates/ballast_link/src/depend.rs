//! The linked dependency graph: a module depends on the modules declaring what its kept code uses, and on
//! the modules it imports whose kept side effects must run first; an imported module with none (a barrel,
//! a file of unused declarations) is looked through to its own imports, as Rollup's
//! `getDependenciesToBeIncluded` does. A package's `sideEffects: false` stops the search there.

use ballast_common::ModuleIdx;
use ballast_graph::ModuleGraph;
use rustc_hash::FxHashSet;

use crate::include::{Inclusion, may_have_effects, static_imports};

pub(crate) fn dependencies(
    graph: &ModuleGraph,
    inclusion: &Inclusion,
    included: &[bool],
) -> Vec<Vec<ModuleIdx>> {
    (0..graph.modules.len())
        .map(|m| {
            if !included[m] {
                return Vec::new();
            }
            let m = ModuleIdx::new(m);
            let necessary: FxHashSet<ModuleIdx> = inclusion.necessary[m.index()].iter().copied().collect();
            let mut deps: Vec<ModuleIdx> = Vec::new();
            let mut added: FxHashSet<ModuleIdx> = FxHashSet::default();
            let mut handled: FxHashSet<ModuleIdx> = FxHashSet::from_iter([m]);
            // Depth-first in import order, so dependencies come out in the order the module runs them.
            let mut stack: Vec<ModuleIdx> = static_imports(graph, m).collect();
            stack.reverse();
            while let Some(d) = stack.pop() {
                if !handled.insert(d) {
                    continue;
                }
                if necessary.contains(&d) || (may_have_effects(graph, d) && inclusion.effectful[d.index()]) {
                    if added.insert(d) {
                        deps.push(d);
                    }
                    continue;
                }
                if !may_have_effects(graph, d) {
                    continue;
                }
                let mut next: Vec<ModuleIdx> = static_imports(graph, d).collect();
                next.reverse();
                stack.extend(next);
            }
            for &d in &inclusion.necessary[m.index()] {
                if added.insert(d) {
                    deps.push(d);
                }
            }
            deps
        })
        .collect()
}
