use std::collections::BTreeMap;

use ballast_common::{ChunkIdx, ModuleIdx};
use ballast_graph::{ImportKind, ModuleGraph, ModuleKind};
use ballast_link::Linked;
use serde::{Deserialize, Serialize};

use crate::bits::Bits;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChunkKind {
    Entry,
    Async,
    Shared,
    Vendor,
    /// A worker's own bundle (`new Worker(new URL(…))`, `?worker`): its entry and everything it imports, never
    /// loaded with the page and no chunk of the main bundle.
    Worker,
}

#[derive(Debug, Clone)]
pub struct Chunk {
    pub name: String,
    pub kind: ChunkKind,
    /// Loaded with the page (an entry chunk or one it imports statically).
    pub initial: bool,
    /// Modules in execution order.
    pub modules: Vec<ModuleIdx>,
    pub imports: Vec<ChunkIdx>,
    pub dynamic_imports: Vec<ChunkIdx>,
    /// The entry or dynamic-import target this chunk stands for, when it has one.
    pub facade: Option<ModuleIdx>,
}

#[derive(Debug, Default)]
pub struct ChunkPlan {
    pub chunks: Vec<Chunk>,
    pub module_chunk: Vec<Option<ChunkIdx>>,
}

#[derive(Debug, Clone, Default)]
pub struct ChunkOptions {
    pub rules: ChunkRules,
}

/// Whose chunking rules to follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ChunkRules {
    /// Rollup 4 (Vite ≤ 7): one chunk per distinct set of loading roots, modules an importer has certainly
    /// loaded left out of a dynamic chunk.
    #[default]
    Rollup,
    /// Rolldown (Vite 8).
    Rolldown,
    /// webpack 5: whole static closures per chunk group, then `splitChunks` defaults on async chunks.
    Webpack,
    /// esbuild: one chunk per distinct set of entry points, no "already loaded" rule.
    Esbuild,
}

pub(crate) fn chunkable(graph: &ModuleGraph, m: usize) -> bool {
    let kind = graph.modules[m].kind;
    kind.is_chunk_code() || kind == ModuleKind::Css
}

pub fn plan_chunks(graph: &ModuleGraph, linked: &Linked, options: &ChunkOptions) -> ChunkPlan {
    let included = &linked.included[..];
    let n = graph.modules.len();
    let roots = roots(graph, linked);
    let closures: Vec<Bits> = roots.iter().map(|r| static_closure(graph, linked, r.module)).collect();
    let loaded = match options.rules {
        ChunkRules::Esbuild => roots.iter().map(|_| Bits::new(n)).collect(),
        _ => already_loaded(graph, linked, &roots, &closures),
    };
    if options.rules == ChunkRules::Webpack {
        return crate::webpack::plan(graph, linked, &roots, &closures, &loaded, options);
    }

    // Entry bits per module (the user's groups take theirs afterwards), then modules grouped by equal bits.
    let assigned = crate::manual::assign(graph, linked, &closures);
    let order = execution_order(graph, linked, &roots);
    let rolldown = options.rules == ChunkRules::Rolldown;
    let mut placed: Vec<(usize, Bits)> = Vec::new();
    for (m, &kept) in included.iter().enumerate() {
        if !kept || !chunkable(graph, m) {
            continue;
        }
        let mut bits = Bits::new(roots.len());
        for (r, closure) in closures.iter().enumerate() {
            // A worker is a bundle of its own: it shares no chunk with the page.
            if roots[r].worker && !roots[r].entry {
                continue;
            }
            // Rolldown drops what is already loaded atom by atom, below.
            if closure.get(m) && (rolldown || !loaded[r].get(m)) {
                bits.set(r);
            }
        }
        if bits.count() > 0 || assigned.chunk_of[m].is_some() {
            placed.push((m, bits));
        }
    }
    if rolldown {
        crate::rolldown::reduce(linked, &mut placed, &loaded, &order);
    }
    let mut groups: BTreeMap<Bits, Vec<usize>> = BTreeMap::new();
    let mut manual: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (m, bits) in placed {
        match assigned.chunk_of[m] {
            Some(g) => manual.entry(g).or_default().push(m),
            None if bits.count() > 0 => groups.entry(bits).or_default().push(m),
            None => {}
        }
    }
    if rolldown {
        let source_order = crate::rolldown::source_order(graph, &roots);
        crate::rolldown::merge_into_entries(linked, &roots, &source_order, &mut groups);
    }

    // Each worker bundle: its static closure in one chunk. A module the page (or an earlier worker) also uses
    // stays in that chunk only (the real build copies it into the worker bundle: its size is left out of the
    // worker's here, so that every module has one chunk and the shares add up).
    let mut taken = Bits::new(n);
    for modules in groups.values().chain(manual.values()) {
        for &m in modules {
            taken.set(m);
        }
    }
    let mut worker_chunks = Vec::new();
    for (r, root) in roots.iter().enumerate() {
        if root.worker && !root.entry {
            let modules: Vec<ModuleIdx> =
                closures[r].ones().filter(|&m| !taken.get(m)).map(ModuleIdx::new).collect();
            for m in &modules {
                taken.set(m.index());
            }
            if !modules.is_empty() {
                worker_chunks.push(Chunk {
                    name: root.name.clone(),
                    kind: ChunkKind::Worker,
                    initial: false,
                    modules,
                    imports: Vec::new(),
                    dynamic_imports: Vec::new(),
                    facade: Some(root.module),
                });
            }
        }
    }
    let mut chunks: Vec<Chunk> = Vec::new();
    chunks.append(&mut worker_chunks);
    for (bits, modules) in groups {
        let members: Vec<usize> = bits.ones().collect();
        let (name, kind, facade) = if let [r] = members.as_slice() {
            let root = &roots[*r];
            (
                root.name.clone(),
                if root.entry { ChunkKind::Entry } else { ChunkKind::Async },
                Some(root.module),
            )
        } else {
            (stem(graph, modules[0]), ChunkKind::Shared, None)
        };
        chunks.push(Chunk {
            name,
            kind,
            initial: false,
            modules: modules.into_iter().map(ModuleIdx::new).collect(),
            imports: Vec::new(),
            dynamic_imports: Vec::new(),
            facade,
        });
    }
    for (g, modules) in manual {
        chunks.push(Chunk {
            name: assigned.names[g].clone(),
            kind: ChunkKind::Vendor,
            initial: false,
            modules: modules.into_iter().map(ModuleIdx::new).collect(),
            imports: Vec::new(),
            dynamic_imports: Vec::new(),
            facade: None,
        });
    }
    finish(graph, linked, chunks, &order)
}

/// Orders modules inside chunks and chunks in the report, names them, and links them to each other.
pub(crate) fn finish(
    graph: &ModuleGraph,
    linked: &Linked,
    mut chunks: Vec<Chunk>,
    order: &[usize],
) -> ChunkPlan {
    let n = graph.modules.len();
    for chunk in &mut chunks {
        chunk.modules.sort_by_key(|m| order[m.index()]);
    }
    // Fixed output order: entries in entry order, then async, shared and vendor chunks by name.
    let entry_rank =
        |c: &Chunk| graph.entries.iter().position(|e| Some(e.module) == c.facade).unwrap_or(usize::MAX);
    chunks.sort_by(|a, b| {
        (a.kind, entry_rank(a), &a.name, a.modules.first()).cmp(&(
            b.kind,
            entry_rank(b),
            &b.name,
            b.modules.first(),
        ))
    });
    dedupe_names(&mut chunks);

    let mut module_chunk = vec![None; n];
    for (c, chunk) in chunks.iter().enumerate() {
        for m in &chunk.modules {
            module_chunk[m.index()] = Some(ChunkIdx::new(c));
        }
    }
    link_chunks(linked, &mut chunks, &module_chunk);
    mark_initial(graph, &mut chunks, &module_chunk);
    ChunkPlan { chunks, module_chunk }
}

pub(crate) struct Root {
    pub module: ModuleIdx,
    pub name: String,
    pub entry: bool,
    pub worker: bool,
}

/// Entries in their order, then targets of kept `import()`/glob/worker, in module order.
fn roots(graph: &ModuleGraph, linked: &Linked) -> Vec<Root> {
    let mut roots: Vec<Root> = graph
        .entries
        .iter()
        .filter(|e| linked.included[e.module.index()])
        .map(|e| Root { module: e.module, name: e.name.clone(), entry: true, worker: false })
        .collect();
    let mut lazy: BTreeMap<ModuleIdx, bool> = BTreeMap::new();
    for targets in &linked.lazy {
        for &(to, kind) in targets {
            if linked.included[to.index()] && chunkable(graph, to.index()) {
                let worker = lazy.entry(to).or_insert(false);
                *worker |= kind == ImportKind::Worker;
            }
        }
    }
    for (module, worker) in lazy {
        if !roots.iter().any(|r| r.module == module) {
            roots.push(Root { module, name: stem(graph, module.index()), entry: false, worker });
        }
    }
    roots
}

fn static_closure(graph: &ModuleGraph, linked: &Linked, root: ModuleIdx) -> Bits {
    let mut seen = Bits::new(graph.modules.len());
    let mut stack = vec![root.index()];
    seen.set(root.index());
    while let Some(m) = stack.pop() {
        for to in &linked.deps[m] {
            let t = to.index();
            if linked.included[t] && chunkable(graph, t) && !seen.get(t) {
                seen.set(t);
                stack.push(t);
            }
        }
    }
    seen
}

/// For each root, the modules certainly in memory when it loads: for a dynamic root, what every importer's
/// loading roots have already loaded. Entries and workers start from nothing.
fn already_loaded(graph: &ModuleGraph, linked: &Linked, roots: &[Root], closures: &[Bits]) -> Vec<Bits> {
    let n = graph.modules.len();
    let index_of: BTreeMap<ModuleIdx, usize> = roots.iter().enumerate().map(|(i, r)| (r.module, i)).collect();
    let mut importers: Vec<Vec<usize>> = vec![Vec::new(); roots.len()];
    for (from, targets) in linked.lazy.iter().enumerate() {
        for (to, _) in targets {
            if let Some(&r) = index_of.get(to) {
                importers[r].push(from);
            }
        }
    }
    let mut loaded: Vec<Bits> =
        roots.iter().map(|r| if r.entry || r.worker { Bits::new(n) } else { Bits::full(n) }).collect();
    for _ in 0..roots.len().max(1) {
        let mut changed = false;
        for r in 0..roots.len() {
            if roots[r].entry || roots[r].worker {
                continue;
            }
            let mut acc: Option<Bits> = None;
            for &m in &importers[r] {
                for (q, closure) in closures.iter().enumerate() {
                    if q != r && closure.get(m) {
                        let mut available = closure.clone();
                        available.union_with(&loaded[q]);
                        match &mut acc {
                            Some(a) => a.intersect_with(&available),
                            None => acc = Some(available),
                        }
                    }
                }
            }
            let next = acc.unwrap_or_else(|| Bits::new(n));
            if next != loaded[r] {
                loaded[r] = next;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    loaded
}

/// Position of each module in a depth-first post-order from the roots: the order a bundle executes them.
pub(crate) fn execution_order(graph: &ModuleGraph, linked: &Linked, roots: &[Root]) -> Vec<usize> {
    let n = graph.modules.len();
    let mut order = vec![usize::MAX; n];
    let mut visited = vec![false; n];
    let mut next = 0;
    for root in roots {
        // Iterative post-order: (module, next import position).
        let mut stack: Vec<(usize, usize)> = Vec::new();
        if !visited[root.module.index()] {
            visited[root.module.index()] = true;
            stack.push((root.module.index(), 0));
        }
        while let Some((m, i)) = stack.pop() {
            let deps = &linked.deps[m];
            if i < deps.len() {
                stack.push((m, i + 1));
                let to = deps[i];
                if linked.included[to.index()] && !visited[to.index()] {
                    visited[to.index()] = true;
                    stack.push((to.index(), 0));
                }
            } else {
                order[m] = next;
                next += 1;
            }
        }
    }
    order
}

pub(crate) fn stem(graph: &ModuleGraph, m: usize) -> String {
    let path = graph.modules[m].path.split('?').next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    if stem == "index" {
        // `pages/about/index.tsx` reads better as `about`.
        path.rsplit('/').nth(1).unwrap_or(stem).to_string()
    } else {
        stem.to_string()
    }
}

fn dedupe_names(chunks: &mut [Chunk]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for chunk in chunks.iter_mut() {
        let count = seen.entry(chunk.name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            chunk.name = format!("{}{}", chunk.name, count);
        }
    }
}

fn link_chunks(linked: &Linked, chunks: &mut [Chunk], module_chunk: &[Option<ChunkIdx>]) {
    for (c, chunk) in chunks.iter_mut().enumerate() {
        let mut imports = Vec::new();
        let mut dynamic = Vec::new();
        for m in &chunk.modules {
            for to in &linked.deps[m.index()] {
                if let Some(target) = module_chunk[to.index()].filter(|t| t.index() != c) {
                    imports.push(target);
                }
            }
            for (to, _) in &linked.lazy[m.index()] {
                if let Some(target) = module_chunk[to.index()].filter(|t| t.index() != c) {
                    dynamic.push(target);
                }
            }
        }
        if chunk.kind == ChunkKind::Worker {
            // One bundle: what it imports is inside it.
            imports.clear();
        }
        imports.sort();
        imports.dedup();
        dynamic.sort();
        dynamic.dedup();
        chunk.imports = imports;
        chunk.dynamic_imports = dynamic;
    }
}

fn mark_initial(graph: &ModuleGraph, chunks: &mut [Chunk], module_chunk: &[Option<ChunkIdx>]) {
    let mut stack: Vec<ChunkIdx> =
        graph.entries.iter().filter_map(|e| module_chunk[e.module.index()]).collect();
    while let Some(c) = stack.pop() {
        if chunks[c.index()].initial {
            continue;
        }
        chunks[c.index()].initial = true;
        stack.extend(chunks[c.index()].imports.iter().copied());
    }
}
