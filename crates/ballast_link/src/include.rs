//! Inclusion: from the entries, statements are kept to a fixed point across modules. A module runs (Rollup's
//! "executed") when a root or a running module imports it and its package says it may have side effects, or
//! when one of its bindings is used; a running module keeps its statements with side effects; a kept
//! statement keeps what it references, bound through re-exports, and the `import()` calls inside it.

use std::collections::{BTreeSet, VecDeque};

use ballast_common::ModuleIdx;
use ballast_graph::{ELIDED, Effects, ImportKind, LinkFacts, ModuleGraph, ModuleKind, Usage};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::bind::{Binder, Binding};

enum Work {
    Execute(ModuleIdx),
    /// Rollup's effect check of every statement of a running module (`LinkOptions::rollup_inclusion`).
    Evaluate(ModuleIdx),
    Local(ModuleIdx, String),
    Namespace(ModuleIdx),
    Whole(ModuleIdx),
    Root(ModuleIdx),
}

/// Per-module lookups the fixed point asks often.
struct Index {
    declared_by: FxHashMap<String, Vec<u32>>,
    augmented_by: FxHashMap<String, Vec<u32>>,
    /// Statement → positions in the module's `imports` list inside it.
    imports_in: Vec<Vec<usize>>,
}

#[derive(Clone)]
pub(crate) struct Inclusion {
    pub kept: Vec<Vec<bool>>,
    /// Something of the module runs for its own effects (a kept effectful statement, a whole module, CSS).
    pub effectful: Vec<bool>,
    pub executed: Vec<bool>,
    pub whole: Vec<bool>,
    pub locals: Vec<FxHashSet<String>>,
    pub namespace: Vec<bool>,
    pub roots: Vec<bool>,
    pub assets: Vec<bool>,
    /// Modules declaring what a module's kept code uses, in the order first needed.
    pub necessary: Vec<Vec<ModuleIdx>>,
    /// Modules that passed on a name a module's kept code uses and run for it (`LinkOptions::rollup_inclusion`),
    /// in the order first needed: looked through for effects like imports with side effects.
    pub exporters: Vec<Vec<ModuleIdx>>,
    pub lazy: Vec<Vec<(ModuleIdx, ImportKind)>>,
}

impl Inclusion {
    pub fn included(&self, graph: &ModuleGraph) -> Vec<bool> {
        (0..graph.modules.len())
            // A namespace object used whole (`Object.values(ns)`) is printed in its module's place.
            .map(|m| {
                self.roots[m]
                    || self.whole[m]
                    || self.namespace[m]
                    || self.assets[m]
                    || self.kept[m].iter().any(|&k| k)
            })
            .collect()
    }

    pub fn kept_statements(&self) -> Vec<Vec<u32>> {
        self.kept
            .iter()
            .map(|k| k.iter().enumerate().filter(|(_, kept)| **kept).map(|(s, _)| s as u32).collect())
            .collect()
    }

    pub fn used_exports(
        &self,
        graph: &ModuleGraph,
        options: &crate::LinkOptions,
    ) -> Vec<Option<BTreeSet<String>>> {
        graph
            .modules
            .iter()
            .enumerate()
            .map(|(m, module)| {
                let link = module.link.as_ref().filter(|_| !self.whole[m])?;
                let alias = link.default_alias.as_ref().filter(|_| options.default_is_alias);
                Some(
                    link.exports
                        .iter()
                        .filter(|(exported, local)| {
                            let local = match alias {
                                Some(alias) if exported == "default" => alias,
                                _ => local,
                            };
                            self.locals[m].contains(local) && link.import_binding(local).is_none()
                        })
                        .map(|(exported, _)| exported.clone())
                        .collect(),
                )
            })
            .collect()
    }
}

/// Static imports a module runs before itself: not `import()`, not assets, not the ones TypeScript drops.
pub(crate) fn static_imports(graph: &ModuleGraph, m: ModuleIdx) -> impl Iterator<Item = ModuleIdx> + '_ {
    let module = graph.module(m);
    module.imports.iter().enumerate().filter_map(move |(k, &i)| {
        let import = graph.import(i);
        let elided = module.link.as_ref().is_some_and(|l| l.import_statements.get(k) == Some(&ELIDED));
        (import.kind.is_static() && !elided).then_some(import.to).flatten()
    })
}

/// Whether importing the module runs code that matters even when nothing of it is used.
pub(crate) fn may_have_effects(graph: &ModuleGraph, m: ModuleIdx) -> bool {
    let module = graph.module(m);
    module.kind == ModuleKind::Css || module.side_effects
}

/// The inclusion fixed point over one graph, with the lookups its passes share.
pub(crate) struct Includer<'a> {
    graph: &'a ModuleGraph,
    binder: &'a Binder<'a>,
    index: Vec<Option<Index>>,
    options: &'a crate::LinkOptions,
}

impl<'a> Includer<'a> {
    pub fn new(graph: &'a ModuleGraph, binder: &'a Binder<'a>, options: &'a crate::LinkOptions) -> Self {
        let index = graph
            .modules
            .iter()
            .map(|m| m.link.as_deref().map(|l| build_index(l, m.imports.len())))
            .collect();
        Includer { graph, binder, index, options }
    }

    /// What ships: statements kept from `roots`.
    pub fn include(&self, roots: &[ModuleIdx]) -> Inclusion {
        let n = self.graph.modules.len();
        let mut state = Inclusion {
            kept: self
                .graph
                .modules
                .iter()
                .map(|m| vec![false; m.link.as_ref().map_or(0, |l| l.statements.len())])
                .collect(),
            effectful: vec![false; n],
            executed: vec![false; n],
            whole: vec![false; n],
            locals: vec![FxHashSet::default(); n],
            namespace: vec![false; n],
            roots: vec![false; n],
            assets: vec![false; n],
            necessary: vec![Vec::new(); n],
            exporters: vec![Vec::new(); n],
            lazy: vec![Vec::new(); n],
        };
        let queue: VecDeque<Work> = roots.iter().map(|&m| Work::Root(m)).collect();
        self.run(&mut state, queue, false);
        for lazy in &mut state.lazy {
            let mut seen = FxHashSet::default();
            lazy.retain(|entry| seen.insert(*entry));
        }
        state
    }

    /// What Rollup's inclusion adds to `live` for placing modules in chunks, never for what ships: deciding
    /// whether a statement of a running module has effects deoptimizes each binding it reads as it runs, and
    /// that marks the binding's module as running (`Identifier.applyDeoptimizations`), whether the statement is
    /// kept or not. Their effectful statements are then kept, with all they reference, and those references make
    /// modules dependencies of the modules holding them (element-plus's index reads its installer, whose
    /// component list runs every `withInstall(…)`, whose `setup` bodies use hooks the app never calls: those
    /// hooks' modules join the entry chunk). esbuild drops those unused declarations when it minifies the
    /// chunk; the modules stay where Rollup put them. A leaked statement with real effects would ship and is
    /// not counted: these facts judge effects more coarsely than Rollup, and counting them would overstate more
    /// often than it would catch. Returns each module's `necessary` list under that rule.
    pub fn rollup_evaluation(&self, live: &Inclusion) -> Vec<Vec<ModuleIdx>> {
        let mut state = live.clone();
        let mut queue: VecDeque<Work> = (0..self.graph.modules.len())
            .filter(|&m| state.executed[m])
            .map(|m| Work::Evaluate(ModuleIdx::new(m)))
            .collect();
        // The modules that passed names on ran only for their imports so far: here their statements run too.
        let exporters: BTreeSet<ModuleIdx> = state.exporters.iter().flatten().copied().collect();
        queue.extend(exporters.into_iter().map(Work::Execute));
        self.run(&mut state, queue, true);
        state.necessary
    }

    fn run(&self, state: &mut Inclusion, mut queue: VecDeque<Work>, evaluate: bool) {
        let mut necessary_seen: Vec<FxHashSet<ModuleIdx>> =
            state.necessary.iter().map(|n| n.iter().copied().collect()).collect();
        let mut run = Runner {
            graph: self.graph,
            binder: self.binder,
            index: &self.index,
            state,
            necessary_seen: &mut necessary_seen,
            rollup: self.options.rollup_inclusion,
            evaluate,
        };
        while let Some(work) = queue.pop_front() {
            run.step(work, &mut queue);
        }
    }
}

fn build_index(link: &LinkFacts, import_count: usize) -> Index {
    let mut index = Index {
        declared_by: FxHashMap::default(),
        augmented_by: FxHashMap::default(),
        imports_in: vec![Vec::new(); link.statements.len()],
    };
    for (s, statement) in link.statements.iter().enumerate() {
        for name in &statement.declares {
            index.declared_by.entry(name.clone()).or_default().push(s as u32);
        }
        for name in &statement.augments {
            index.augmented_by.entry(name.clone()).or_default().push(s as u32);
        }
    }
    for (k, &s) in link.import_statements.iter().enumerate().take(import_count) {
        if let Some(list) = index.imports_in.get_mut(s as usize) {
            list.push(k);
        }
    }
    index
}

struct Runner<'a> {
    graph: &'a ModuleGraph,
    binder: &'a Binder<'a>,
    index: &'a [Option<Index>],
    state: &'a mut Inclusion,
    necessary_seen: &'a mut [FxHashSet<ModuleIdx>],
    /// `LinkOptions::rollup_inclusion`.
    rollup: bool,
    evaluate: bool,
}

impl Runner<'_> {
    fn step(&mut self, work: Work, queue: &mut VecDeque<Work>) {
        match work {
            Work::Root(m) => {
                self.state.roots[m.index()] = true;
                queue.push_back(Work::Execute(m));
                queue.push_back(if self.graph.module(m).link.is_some() {
                    Work::Namespace(m)
                } else {
                    Work::Whole(m)
                });
            }
            Work::Execute(m) => self.execute(m, queue),
            Work::Evaluate(m) => self.evaluate(m, queue),
            Work::Local(m, name) => self.local(m, name, queue),
            Work::Namespace(m) => {
                if std::mem::replace(&mut self.state.namespace[m.index()], true) {
                    return;
                }
                queue.push_back(Work::Execute(m));
                for name in self.binder.export_names(m) {
                    let binding = self.binder.resolve_export(m, &name);
                    self.use_binding(m, binding, queue);
                }
            }
            Work::Whole(m) => self.whole(m, queue),
        }
    }

    fn execute(&mut self, m: ModuleIdx, queue: &mut VecDeque<Work>) {
        if std::mem::replace(&mut self.state.executed[m.index()], true) {
            return;
        }
        if self.evaluate {
            queue.push_back(Work::Evaluate(m));
        }
        let module = self.graph.module(m);
        match &module.link {
            None => {
                let pure = self.rollup && module.pure_commonjs;
                if (module.kind.is_script() && !pure) || module.kind == ModuleKind::Css {
                    queue.push_back(Work::Whole(m));
                }
            }
            Some(link) => {
                for (s, statement) in link.statements.iter().enumerate() {
                    let effects = match &statement.effects {
                        Effects::None => false,
                        Effects::Always => true,
                        Effects::UnlessPure(callees) => callees.iter().any(|c| !self.is_pure_function(m, c)),
                    };
                    if effects {
                        self.state.effectful[m.index()] = true;
                        self.keep(m, s, queue);
                    }
                }
            }
        }
        for dep in static_imports(self.graph, m) {
            if may_have_effects(self.graph, dep) {
                queue.push_back(Work::Execute(dep));
            }
        }
        // `import W from './w.js?worker'`: the import declaration is never a kept statement, and the worker's
        // `default` is Vite's constructor, no export of the file: the worker bundle is a root of its own.
        for &i in &module.imports {
            let import = self.graph.import(i);
            if import.kind == ImportKind::Worker
                && (import.specifier.contains("?worker") || import.specifier.contains("?sharedworker"))
                && let Some(to) = import.to
            {
                self.state.lazy[m.index()].push((to, import.kind));
                queue.push_back(Work::Root(to));
            }
        }
    }

    /// Every binding a statement of `m` reads as it runs (not in a function body) makes its module run.
    fn evaluate(&mut self, m: ModuleIdx, queue: &mut VecDeque<Work>) {
        let Some(link) = &self.graph.module(m).link else { return };
        for statement in &link.statements {
            for read in statement.uses.iter().filter(|u| matches!(u.usage, Usage::Eager | Usage::Stored)) {
                if let Some(Binding::Local(t, _)) = self.binder.resolve_local_import(m, &read.name)
                    && !self.state.executed[t.index()]
                {
                    queue.push_back(Work::Execute(t));
                }
            }
        }
    }

    fn is_pure_function(&self, m: ModuleIdx, callee: &str) -> bool {
        match self.binder.resolve_local_import(m, callee) {
            Some(Binding::Local(t, local)) => {
                self.graph.module(t).link.as_ref().is_some_and(|l| l.pure_functions.contains(&local))
            }
            _ => false,
        }
    }

    fn local(&mut self, m: ModuleIdx, name: String, queue: &mut VecDeque<Work>) {
        let Some(index) = &self.index[m.index()] else {
            queue.push_back(Work::Whole(m));
            return;
        };
        if self.state.locals[m.index()].contains(&name) {
            return;
        }
        let statements: Vec<u32> = index
            .declared_by
            .get(&name)
            .into_iter()
            .chain(index.augmented_by.get(&name))
            .flatten()
            .copied()
            .collect();
        self.state.locals[m.index()].insert(name);
        for s in statements {
            self.keep(m, s as usize, queue);
        }
    }

    fn keep(&mut self, m: ModuleIdx, s: usize, queue: &mut VecDeque<Work>) {
        if std::mem::replace(&mut self.state.kept[m.index()][s], true) {
            return;
        }
        queue.push_back(Work::Execute(m));
        let module = self.graph.module(m);
        let Some(link) = &module.link else { return };
        let statement = &link.statements[s];
        for name in &statement.declares {
            queue.push_back(Work::Local(m, name.clone()));
        }
        for reference in &statement.references {
            match self.binder.resolve_local_import_via(m, &reference.name) {
                Some((Binding::Namespace(t), _)) if reference.member.is_some() => {
                    // `ns.inner.name`: each member narrows while it is itself a namespace.
                    let mut binding = Binding::Namespace(t);
                    for member in reference.member.as_deref().unwrap_or_default().split('.') {
                        let Binding::Namespace(ns) = binding else { break };
                        binding = self.binder.resolve_export(ns, member);
                    }
                    self.use_binding(m, binding, queue);
                }
                Some((binding, via)) => {
                    if self.rollup {
                        self.run_exporters(m, &via, queue);
                    }
                    self.use_binding(m, binding, queue);
                }
                None => queue.push_back(Work::Local(m, reference.name.clone())),
            }
        }
        let Some(index) = &self.index[m.index()] else { return };
        for &k in &index.imports_in[s] {
            let import = self.graph.import(module.imports[k]);
            // The evaluation pass only places modules: an `import()` it alone keeps starts no chunk.
            if self.evaluate && import.kind != ImportKind::GlobEager {
                continue;
            }
            let Some(to) = import.to else { continue };
            match import.kind {
                ImportKind::Dynamic | ImportKind::Glob | ImportKind::Worker => {
                    self.state.lazy[m.index()].push((to, import.kind));
                    queue.push_back(Work::Root(to));
                }
                ImportKind::GlobEager => {
                    let binding = if self.graph.module(to).link.is_some() {
                        Binding::Namespace(to)
                    } else {
                        Binding::Whole(to)
                    };
                    self.use_binding(m, binding, queue);
                }
                ImportKind::Asset => self.state.assets[to.index()] = true,
                _ => {}
            }
        }
    }

    /// Rollup runs the modules that passed a used name on. What ships is judged by their imports with effects
    /// only: their own statements are declarations in the libraries that write their index this way, and where
    /// one is not (three's `ShaderLib.physical = { …mergeUniforms(…) }`), Rollup, which reads function bodies,
    /// finds it pure where these facts cannot. Placing modules (`rollup_evaluation`) runs them whole.
    fn run_exporters(&mut self, from: ModuleIdx, via: &[ModuleIdx], queue: &mut VecDeque<Work>) {
        for &v in via {
            if v == from || self.state.exporters[from.index()].contains(&v) {
                continue;
            }
            self.state.exporters[from.index()].push(v);
            if self.evaluate {
                queue.push_back(Work::Execute(v));
            } else {
                for dep in static_imports(self.graph, v) {
                    if may_have_effects(self.graph, dep) {
                        queue.push_back(Work::Execute(dep));
                    }
                }
            }
        }
    }

    fn use_binding(&mut self, from: ModuleIdx, binding: Binding, queue: &mut VecDeque<Work>) {
        let (target, work) = match binding {
            Binding::Local(t, name) => (t, Work::Local(t, name)),
            Binding::Namespace(t) => (t, Work::Namespace(t)),
            Binding::Whole(t) => (t, Work::Whole(t)),
            Binding::Missing => return,
        };
        if target != from && self.necessary_seen[from.index()].insert(target) {
            self.state.necessary[from.index()].push(target);
        }
        queue.push_back(work);
    }

    fn whole(&mut self, m: ModuleIdx, queue: &mut VecDeque<Work>) {
        if std::mem::replace(&mut self.state.whole[m.index()], true) {
            return;
        }
        self.state.effectful[m.index()] = true;
        queue.push_back(Work::Execute(m));
        // Only modules without link facts are kept whole (CommonJS, JSON, CSS): an ES module is bound name by name.
        let module = self.graph.module(m);
        for &i in &module.imports {
            let import = self.graph.import(i);
            let Some(to) = import.to else { continue };
            if import.kind.is_lazy() {
                self.state.lazy[m.index()].push((to, import.kind));
                queue.push_back(Work::Root(to));
            } else if import.kind == ImportKind::Asset {
                self.state.assets[to.index()] = true;
            } else if import.kind.is_static() {
                let binding = if self.graph.module(to).link.is_some() {
                    Binding::Namespace(to)
                } else {
                    Binding::Whole(to)
                };
                self.use_binding(m, binding, queue);
            }
        }
    }
}
