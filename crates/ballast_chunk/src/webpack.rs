//! webpack 5's chunks with its production defaults (see `docs/bundler-chunking.md`): each entry chunk holds
//! its whole static closure; each `import()` target gets an async chunk of its closure minus what every
//! parent has loaded (`minAvailableModules`); then `splitChunks` (`chunks: 'async'`) moves modules out of
//! async chunks into new ones: `defaultVendors` (node_modules, priority -10, one chunk is enough) and
//! `default` (shared by two chunks, priority -20), each only at `minSize` 20,000 B of unminified code and
//! only when what stays behind is empty or also at least 20,000 B (`minRemainingSize`), unless the new
//! chunk passes `enforceSizeThreshold` (50,000 B). Modules below the thresholds stay duplicated.

use std::collections::{BTreeMap, BTreeSet};

use ballast_common::ModuleIdx;
use ballast_graph::ModuleGraph;
use ballast_link::Linked;

use crate::bits::Bits;
use crate::plan::{Root, chunkable, execution_order, finish, stem};
use crate::{Chunk, ChunkKind, ChunkOptions, ChunkPlan};

const MIN_SIZE: u64 = 20_000;
const ENFORCE_SIZE: u64 = 50_000;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum CacheGroup {
    // Declared in priority order, highest first.
    DefaultVendors,
    Default,
}

pub(crate) fn plan(
    graph: &ModuleGraph,
    linked: &Linked,
    roots: &[Root],
    closures: &[Bits],
    loaded: &[Bits],
    _options: &ChunkOptions,
) -> ChunkPlan {
    let order = execution_order(graph, linked, roots);
    let members = |r: usize| -> BTreeSet<usize> {
        closures[r].ones().filter(|&m| !loaded[r].get(m) && chunkable(graph, m)).collect()
    };
    let mut chunks: Vec<(usize, BTreeSet<usize>)> = (0..roots.len()).map(|r| (r, members(r))).collect();
    let size = |m: usize| graph.modules[m].raw_size;

    // Candidates keyed by (cache group, the async chunks holding the module).
    let mut candidates: BTreeMap<(CacheGroup, Vec<usize>), BTreeSet<usize>> = BTreeMap::new();
    let mut holders: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (c, (r, modules)) in chunks.iter().enumerate() {
        if roots[*r].entry {
            continue;
        }
        for &m in modules {
            holders.entry(m).or_default().push(c);
        }
    }
    for (&m, held_by) in &holders {
        if graph.modules[m].path.contains("node_modules/") {
            candidates.entry((CacheGroup::DefaultVendors, held_by.clone())).or_default().insert(m);
        }
        if held_by.len() >= 2 {
            candidates.entry((CacheGroup::Default, held_by.clone())).or_default().insert(m);
        }
    }
    let mut split: Vec<(CacheGroup, BTreeSet<usize>)> = Vec::new();
    loop {
        let total = |modules: &BTreeSet<usize>| modules.iter().map(|&m| size(m)).sum::<u64>();
        // Highest priority, then most chunks, then most bytes; the key breaks ties.
        let best = candidates
            .iter()
            .filter(|(_, modules)| total(modules) >= MIN_SIZE)
            .filter(|((_, held_by), modules)| {
                let moved = total(modules);
                if held_by.len() != 1 || moved >= ENFORCE_SIZE {
                    return true;
                }
                let remaining: u64 =
                    chunks[held_by[0]].1.iter().filter(|m| !modules.contains(m)).map(|&m| size(m)).sum();
                remaining == 0 || remaining >= MIN_SIZE
            })
            .max_by(|((ga, ca), ma), ((gb, cb), mb)| {
                gb.cmp(ga).then(ca.len().cmp(&cb.len())).then(total(ma).cmp(&total(mb))).then(cb.cmp(ca))
            })
            .map(|(key, modules)| (key.clone(), modules.clone()));
        let Some(((group, held_by), modules)) = best else { break };
        candidates.remove(&(group, held_by.clone()));
        for &c in &held_by {
            chunks[c].1.retain(|m| !modules.contains(m));
        }
        for other in candidates.values_mut() {
            other.retain(|m| !modules.contains(m));
        }
        candidates.retain(|_, m| !m.is_empty());
        split.push((group, modules));
    }

    let mut out: Vec<Chunk> = Vec::new();
    for (r, modules) in chunks {
        if modules.is_empty() {
            continue;
        }
        let root = &roots[r];
        out.push(Chunk {
            name: root.name.clone(),
            kind: if root.entry { ChunkKind::Entry } else { ChunkKind::Async },
            initial: false,
            modules: modules.into_iter().map(ModuleIdx::new).collect(),
            imports: Vec::new(),
            dynamic_imports: Vec::new(),
            facade: Some(root.module),
        });
    }
    for (group, modules) in split {
        let first = modules.iter().copied().min_by_key(|&m| order[m]).unwrap_or(0);
        let (kind, prefix) = match group {
            CacheGroup::DefaultVendors => (ChunkKind::Vendor, "vendors-"),
            CacheGroup::Default => (ChunkKind::Shared, ""),
        };
        out.push(Chunk {
            name: format!("{prefix}{}", stem(graph, first)),
            kind,
            initial: false,
            modules: modules.into_iter().map(ModuleIdx::new).collect(),
            imports: Vec::new(),
            dynamic_imports: Vec::new(),
            facade: None,
        });
    }
    finish(graph, linked, out, &order)
}

/// What webpack prints around each module it cannot hoist into its chunk's scope (ModuleConcatenationPlugin
/// bails out): CommonJS modules, and ES modules another chunk uses, that start an async chunk, or that sit in
/// several chunks. They become `id:(e,t,n)=>{n.d(t,{A:()=>a,…});…}` entries of the chunk's module table,
/// about this many bytes once minified, so chunk sizes include them. `None`: hoisted, nothing added.
pub fn module_wrappers(graph: &ModuleGraph, linked: &Linked, plan: &ChunkPlan) -> Vec<Option<String>> {
    let n = graph.modules.len();
    let mut chunks_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (c, chunk) in plan.chunks.iter().enumerate() {
        for m in &chunk.modules {
            chunks_of[m.index()].push(c);
        }
    }
    let mut bails = vec![false; n];
    for (from, deps) in linked.deps.iter().enumerate() {
        for to in deps {
            if chunks_of[to.index()] != chunks_of[from] {
                bails[to.index()] = true;
            }
        }
        for (to, _) in &linked.lazy[from] {
            bails[to.index()] = true;
        }
    }
    let entries: BTreeSet<usize> = graph.entries.iter().map(|e| e.module.index()).collect();
    (0..n)
        .map(|m| {
            let module = &graph.modules[m];
            if chunks_of[m].is_empty() || !module.kind.is_chunk_code() || entries.contains(&m) {
                return None;
            }
            if module.link.is_none() {
                return Some(",0:e=>{}".to_string());
            }
            if !(bails[m] || chunks_of[m].len() > 1) {
                return None;
            }
            let exports = linked.used_exports[m].as_ref().map_or(1, |u| u.len().max(1));
            let getters: Vec<String> =
                (0..exports).map(|i| format!("{}:()=>{}", short_name(i), short_name(i))).collect();
            Some(format!(",000:(e,t,n)=>{{n.d(t,{{{}}});}}", getters.join(",")))
        })
        .collect()
}

/// What webpack 5 adds to an entry chunk once its start waits for another initial chunk (a `splitChunks` group
/// with `chunks: 'initial'`): the on-chunks-loaded runtime (`__webpack_require__.O`), its check in the JSONP
/// callback and the deferred start, as terser prints them (`three-lazy`'s build, webpack 5.112).
pub const DEFERRED_START: &str = "e=[],d.O=(t,r,n)=>{if(r)return void e.push([r,n]);for(var i=0;i<e.length;i++){\
let[r,n]=e[i],l=!0;for(var o=0;o<r.length;o++)d.O.j(r[o])?r.splice(o--,1):l=!1;if(l){e.splice(i--,1);let r=n();\
void 0!==r&&(t=r)}}return t},d.O.j=e=>0===n[e],return d.O(u)let u=d.O(void 0,[233],()=>d(368));u=d.O(u)";

/// The JSONP wrapper webpack 5 prints around a chunk that is not an entry, open and close.
pub const CHUNK_WRAPPER: (&str, &str) =
    ("\"use strict\";(self.webpackChunk=self.webpackChunk||[]).push([[233],{", "}]);");

/// `A`, `B`, … `Z`, `a` … then two letters: webpack's mangled export names, about their length.
fn short_name(i: usize) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if i < LETTERS.len() {
        (LETTERS[i] as char).to_string()
    } else {
        format!(
            "{}{}",
            LETTERS[i / LETTERS.len() % LETTERS.len()] as char,
            LETTERS[i % LETTERS.len()] as char
        )
    }
}
