//! The dominator tree of the static graph of included modules, from a virtual root above the entries.

use ballast_common::{ModuleIdx, Sizes};
use ballast_graph::{ImportFilter, dominators_from_entries, dominators_over, reachable};

use crate::AdviseInput;

pub struct DomTree {
    /// Immediate dominator; `None` for entries (below the virtual root) and unreachable modules.
    pub idom: Vec<Option<ModuleIdx>>,
    /// Statically reachable from an entry through included modules.
    pub reachable: Vec<bool>,
    /// Depth below the virtual root (entries are 1); 0 when unreachable.
    pub depth: Vec<u32>,
    pub children: Vec<Vec<ModuleIdx>>,
    pub entries: Vec<ModuleIdx>,
}

impl DomTree {
    pub fn build(input: &AdviseInput) -> DomTree {
        let graph = input.graph;
        let n = graph.modules.len();
        let filter = ImportFilter { static_only: true, included: Some(input.included) };
        let mut entries: Vec<ModuleIdx> = graph
            .entries
            .iter()
            .map(|e| e.module)
            .filter(|m| input.included.get(m.index()).copied().unwrap_or(false))
            .collect();
        entries.dedup();
        // Over the linked graph when there is one: a barrel then leads nowhere, each user to what it uses.
        let (idom, reachable) = match input.deps {
            Some(deps) => dominators_over(deps, &entries),
            None => (dominators_from_entries(graph, &entries, filter), reachable(graph, &entries, filter)),
        };
        let mut children: Vec<Vec<ModuleIdx>> = vec![Vec::new(); n];
        for (m, d) in idom.iter().enumerate() {
            if let Some(d) = d
                && reachable[m]
            {
                children[d.index()].push(ModuleIdx::new(m));
            }
        }
        let mut depth = vec![0u32; n];
        let mut stack: Vec<ModuleIdx> = entries.clone();
        for e in &entries {
            depth[e.index()] = 1;
        }
        while let Some(m) = stack.pop() {
            for &c in &children[m.index()] {
                depth[c.index()] = depth[m.index()] + 1;
                stack.push(c);
            }
        }
        DomTree { idom, reachable, depth, children, entries }
    }

    /// `m` and every module it dominates, in pre-order.
    pub fn dominated(&self, m: ModuleIdx) -> Vec<ModuleIdx> {
        let mut out = Vec::new();
        let mut stack = vec![m];
        while let Some(x) = stack.pop() {
            out.push(x);
            stack.extend(self.children[x.index()].iter().rev().copied());
        }
        out
    }

    /// Nearest common dominator of `modules`; `None` when only the virtual root dominates them all.
    pub fn common_dominator(&self, modules: &[ModuleIdx]) -> Option<ModuleIdx> {
        let mut iter = modules.iter().copied();
        let mut acc = iter.next()?;
        if !self.reachable[acc.index()] {
            return None;
        }
        for m in iter {
            if !self.reachable[m.index()] {
                return None;
            }
            acc = self.lca(acc, m)?;
        }
        Some(acc)
    }

    fn lca(&self, a: ModuleIdx, b: ModuleIdx) -> Option<ModuleIdx> {
        let (mut a, mut b) = (a, b);
        while self.depth[a.index()] > self.depth[b.index()] {
            a = self.idom[a.index()]?;
        }
        while self.depth[b.index()] > self.depth[a.index()] {
            b = self.idom[b.index()]?;
        }
        while a != b {
            a = self.idom[a.index()]?;
            b = self.idom[b.index()]?;
        }
        Some(a)
    }

    /// Per module, the initial-load sizes of everything it dominates (itself included).
    pub fn retained(&self, input: &AdviseInput) -> Vec<Option<Sizes>> {
        let n = self.idom.len();
        let mut out: Vec<Option<Sizes>> = vec![None; n];
        // Post-order over the tree: children before parents.
        let mut order: Vec<ModuleIdx> = Vec::with_capacity(n);
        let mut stack: Vec<ModuleIdx> = self.entries.clone();
        while let Some(m) = stack.pop() {
            order.push(m);
            stack.extend(self.children[m.index()].iter().copied());
        }
        let zero = input.initial.saturating_sub(&input.initial);
        for &m in order.iter().rev() {
            let mut total = if input.on_initial_load(m) { input.sizes_of(m) } else { zero };
            for c in &self.children[m.index()] {
                if let Some(s) = &out[c.index()] {
                    total.add(s);
                }
            }
            out[m.index()] = Some(total);
        }
        out
    }
}
