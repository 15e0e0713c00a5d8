//! The tree-shaking estimate: which modules a bundler keeps. A module is dropped when it is reached only
//! through re-exports whose names nobody imports, or only by a side-effect import, and its package says it
//! has no side effects (`sideEffects: false` or a list that does not match it).

use std::collections::{BTreeSet, VecDeque};

use ballast_common::ModuleIdx;
use ballast_graph::{ImportKind, ImportedNames, ModuleGraph};

/// The names requested of a module by the rest of the program.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Requested {
    #[default]
    Nothing,
    Names(BTreeSet<String>),
    All,
}

impl Requested {
    fn contains(&self, name: &str) -> bool {
        match self {
            Requested::Nothing => false,
            Requested::Names(n) => n.contains(name),
            Requested::All => true,
        }
    }

    /// Adds names; true when something new arrived.
    fn add<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> bool {
        if *self == Requested::All {
            return false;
        }
        let set = match self {
            Requested::Names(set) => set,
            _ => {
                *self = Requested::Names(BTreeSet::new());
                let Requested::Names(set) = self else { unreachable!() };
                set
            }
        };
        let before = set.len();
        set.extend(names.into_iter().map(str::to_string));
        set.len() > before
    }

    fn add_all(&mut self) -> bool {
        let changed = *self != Requested::All;
        *self = Requested::All;
        changed
    }
}

pub struct TreeShake {
    pub included: Vec<bool>,
    pub requested: Vec<Requested>,
}

pub fn estimate(graph: &ModuleGraph) -> TreeShake {
    estimate_with(graph, &vec![None; graph.imports.len()])
}

/// The estimate with some imports' names replaced by what their importer still uses after minification.
pub fn estimate_with(graph: &ModuleGraph, refined: &[Option<ImportedNames>]) -> TreeShake {
    let n = graph.modules.len();
    let mut included = vec![false; n];
    let mut requested = vec![Requested::Nothing; n];
    let mut queue: VecDeque<ModuleIdx> = VecDeque::new();
    for entry in &graph.entries {
        included[entry.module.index()] = true;
        requested[entry.module.index()] = Requested::All;
        queue.push_back(entry.module);
    }
    while let Some(m) = queue.pop_front() {
        let module = graph.module(m);
        let req_m = requested[m.index()].clone();
        for (i, import, to) in graph.resolved_imports(m) {
            let t = to.index();
            let target = graph.module(to);
            let names = refined[i.index()].as_ref().unwrap_or(&import.names);
            let (grew, include) = match (&import.kind, names) {
                (ImportKind::ReExport, ImportedNames::ReExports(pairs)) => {
                    let mut grew = false;
                    for (exported, imported) in pairs {
                        if req_m.contains(exported) {
                            grew |= if imported == "*" {
                                requested[t].add_all()
                            } else {
                                requested[t].add([imported.as_str()])
                            };
                        }
                    }
                    (grew, false)
                }
                (ImportKind::ReExport, _) => {
                    let grew = match &req_m {
                        Requested::All => requested[t].add_all(),
                        Requested::Names(names) => requested[t].add(
                            names
                                .iter()
                                .map(String::as_str)
                                .filter(|n| !module.local_exports.iter().any(|l| l == n)),
                        ),
                        Requested::Nothing => false,
                    };
                    (grew, false)
                }
                // Only module code that runs pulls in its imports.
                _ if !included[m.index()] => (false, false),
                (ImportKind::Static, ImportedNames::Names(names)) => {
                    (requested[t].add(names.iter().map(String::as_str)), true)
                }
                (ImportKind::Static, ImportedNames::SideEffect) => (false, target.side_effects),
                _ => (requested[t].add_all(), true),
            };
            let keeps = include
                || target.side_effects
                || match &requested[t] {
                    Requested::Nothing => false,
                    Requested::All => true,
                    Requested::Names(names) => {
                        names.iter().any(|n| target.local_exports.iter().any(|l| l == n))
                    }
                };
            let newly = keeps && !included[t];
            if newly {
                included[t] = true;
            }
            // A module reached only through re-exports still forwards requests before it is kept.
            if newly || grew {
                queue.push_back(to);
            }
        }
    }
    TreeShake { included, requested }
}
