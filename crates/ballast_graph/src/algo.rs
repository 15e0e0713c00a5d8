use ballast_common::ModuleIdx;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::{Import, ModuleGraph};

/// Which edges an algorithm follows, and which modules exist for it (the tree-shaking estimate drops some).
#[derive(Clone, Copy)]
pub struct ImportFilter<'a> {
    /// Follow only edges loaded together with the importer (no `import()`, no workers).
    pub static_only: bool,
    /// `included[m]` is false for modules the tree-shaking estimate left out.
    pub included: Option<&'a [bool]>,
}

impl ImportFilter<'_> {
    pub const STATIC: ImportFilter<'static> = ImportFilter { static_only: true, included: None };
    pub const ALL: ImportFilter<'static> = ImportFilter { static_only: false, included: None };

    fn follows(&self, import: &Import) -> bool {
        let Some(to) = import.to else { return false };
        if self.static_only && !import.kind.is_static() {
            return false;
        }
        self.includes(import.from) && self.includes(to)
    }

    fn includes(&self, module: ModuleIdx) -> bool {
        self.included.is_none_or(|inc| inc[module.index()])
    }
}

/// Modules reachable from `roots` along the filter's edges, as a mask.
pub fn reachable(graph: &ModuleGraph, roots: &[ModuleIdx], filter: ImportFilter) -> Vec<bool> {
    let mut seen = vec![false; graph.modules.len()];
    let mut stack: Vec<ModuleIdx> = Vec::new();
    for &root in roots {
        if filter.includes(root) && !seen[root.index()] {
            seen[root.index()] = true;
            stack.push(root);
        }
    }
    while let Some(m) = stack.pop() {
        for &i in &graph.module(m).imports {
            let import = graph.import(i);
            if let (true, Some(to)) = (filter.follows(import), import.to)
                && !seen[to.index()]
            {
                seen[to.index()] = true;
                stack.push(to);
            }
        }
    }
    seen
}

/// Immediate dominators over the filtered graph, from a virtual root above `roots`: `idom[m]` is the module
/// every path from the roots to `m` passes through last; `None` for the roots themselves (dominated only by
/// the virtual root) and for unreachable modules.
pub fn dominators_from_entries(
    graph: &ModuleGraph,
    roots: &[ModuleIdx],
    filter: ImportFilter,
) -> Vec<Option<ModuleIdx>> {
    let n = graph.modules.len();
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n + 1, graph.imports.len() + roots.len());
    for _ in 0..n {
        g.add_node(());
    }
    let virtual_root = g.add_node(());
    for &root in roots {
        g.add_edge(virtual_root, NodeIndex::new(root.index()), ());
    }
    for import in &graph.imports {
        if let (true, Some(to)) = (filter.follows(import), import.to) {
            g.add_edge(NodeIndex::new(import.from.index()), NodeIndex::new(to.index()), ());
        }
    }
    let doms = petgraph::algo::dominators::simple_fast(&g, virtual_root);
    (0..n)
        .map(|m| match doms.immediate_dominator(NodeIndex::new(m)) {
            Some(d) if d != virtual_root => Some(ModuleIdx::new(d.index())),
            _ => None,
        })
        .collect()
}

/// Immediate dominators and reachability over explicit dependency lists (the linked graph), from a virtual
/// root above `roots`.
pub fn dominators_over(deps: &[Vec<ModuleIdx>], roots: &[ModuleIdx]) -> (Vec<Option<ModuleIdx>>, Vec<bool>) {
    let n = deps.len();
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n + 1, n + roots.len());
    for _ in 0..n {
        g.add_node(());
    }
    let virtual_root = g.add_node(());
    for &root in roots {
        g.add_edge(virtual_root, NodeIndex::new(root.index()), ());
    }
    for (from, list) in deps.iter().enumerate() {
        for to in list {
            g.add_edge(NodeIndex::new(from), NodeIndex::new(to.index()), ());
        }
    }
    let doms = petgraph::algo::dominators::simple_fast(&g, virtual_root);
    let mut reachable = vec![false; n];
    let mut stack: Vec<ModuleIdx> = roots.to_vec();
    while let Some(m) = stack.pop() {
        if std::mem::replace(&mut reachable[m.index()], true) {
            continue;
        }
        stack.extend(deps[m.index()].iter().copied());
    }
    let idom = (0..n)
        .map(|m| match doms.immediate_dominator(NodeIndex::new(m)) {
            Some(d) if d != virtual_root => Some(ModuleIdx::new(d.index())),
            _ => None,
        })
        .collect();
    (idom, reachable)
}

/// Import cycles: each strongly connected component of more than one module (or a module importing itself),
/// its modules sorted, the list sorted, so output is stable.
pub fn strongly_connected_cycles(graph: &ModuleGraph, filter: ImportFilter) -> Vec<Vec<ModuleIdx>> {
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(graph.modules.len(), graph.imports.len());
    for _ in 0..graph.modules.len() {
        g.add_node(());
    }
    let mut self_loops = vec![false; graph.modules.len()];
    for import in &graph.imports {
        if let (true, Some(to)) = (filter.follows(import), import.to) {
            if to == import.from {
                self_loops[to.index()] = true;
            }
            g.add_edge(NodeIndex::new(import.from.index()), NodeIndex::new(to.index()), ());
        }
    }
    let mut cycles: Vec<Vec<ModuleIdx>> = petgraph::algo::tarjan_scc(&g)
        .into_iter()
        .filter(|scc| scc.len() > 1 || self_loops[scc[0].index()])
        .map(|scc| {
            let mut modules: Vec<ModuleIdx> = scc.into_iter().map(|n| ModuleIdx::new(n.index())).collect();
            modules.sort();
            modules
        })
        .collect();
    cycles.sort();
    cycles
}
