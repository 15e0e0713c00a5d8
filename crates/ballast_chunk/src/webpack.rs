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
/// several chunks. They become `880(e,t,n){…;n.d(t,{$n:()=>r});var o=n(522)}` entries of the chunk's module
/// table: the deterministic module id, the getters of the used exports under their mangled names, and one
/// `n(id)` per wrapped module it imports. A hoisted module that imports one reads it through `n(id)` too.
/// As printed minified, so chunk sizes include them. `None`: hoisted and importing nothing wrapped.
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
    let shipped = |m: usize| !chunks_of[m].is_empty() && graph.modules[m].kind.is_chunk_code();
    let wrapped: Vec<bool> = (0..n)
        .map(|m| {
            shipped(m)
                && !entries.contains(&m)
                && (graph.modules[m].link.is_none() || bails[m] || chunks_of[m].len() > 1)
        })
        .collect();
    let range = id_range(n);
    // What is hoisted reads a wrapped module through one `n(id)` per scope: a wrapped module's own, or the one
    // its chunk's hoisted modules share. CommonJS code prints its own `require` calls.
    let mut required: BTreeSet<(usize, usize)> = BTreeSet::new();
    (0..n)
        .map(|m| {
            if !shipped(m) {
                return None;
            }
            let scope = if wrapped[m] { n + m } else { chunks_of[m][0] };
            let requires: Vec<String> = linked.deps[m]
                .iter()
                .map(|d| d.index())
                .filter(|&d| graph.modules[m].link.is_some() && shipped(d) && wrapped[d])
                .filter(|&d| required.insert((scope, d)))
                .enumerate()
                .map(|(k, d)| format!("{}=n({})", local_name(k), module_id(graph, d, range)))
                .collect();
            let requires =
                if requires.is_empty() { String::new() } else { format!(";var {}", requires.join(",")) };
            if !wrapped[m] {
                return (!requires.is_empty()).then_some(requires);
            }
            let id = module_id(graph, m, range);
            if graph.modules[m].link.is_none() {
                return Some(format!(",{id}(e,t,n){{{requires}}}"));
            }
            let exports: Vec<&str> = linked.used_exports[m]
                .as_ref()
                .map(|u| u.iter().map(String::as_str).collect())
                .unwrap_or_else(|| vec!["default"]);
            let all = graph.modules[m].link.as_ref().map_or(0, |l| l.exports.len()).max(exports.len());
            let names = mangled_exports(&graph.modules[m].path, &exports, all);
            let getters: Vec<String> =
                names.iter().enumerate().map(|(k, name)| format!("{name}:()=>{}", local_name(k))).collect();
            Some(format!(",{id}(e,t,n){{n.d(t,{{{}}}){requires}}}", getters.join(",")))
        })
        .collect()
}

/// webpack's deterministic module ids are a hash of the module's name within a range of powers of ten, at least
/// 1000 and widened until it holds twenty times the modules (`DeterministicModuleIdsPlugin`).
fn id_range(modules: usize) -> u64 {
    let mut range = 1000u64;
    while range < modules as u64 * 20 {
        range *= 10;
    }
    range
}

fn module_id(graph: &ModuleGraph, m: usize, range: u64) -> u64 {
    fnv(graph.modules[m].path.as_bytes()) % range
}

/// webpack's deterministic export mangling (`MangleExportsPlugin`): names of one or two characters stay; the
/// others are hashed into a range of identifiers kept at most 5% full over all the module's `exports`, one
/// character (54) while they are few, then two (54 × 64); a name already taken moves to the longer form.
fn mangled_exports(path: &str, used: &[&str], exports: usize) -> Vec<String> {
    const START: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
    const NEXT: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$0123456789";
    let one_char = exports * 20 <= START.len();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    used.iter()
        .map(|export| {
            if export.len() <= 2 {
                taken.insert(export.to_string());
                return export.to_string();
            }
            let hash = fnv(format!("{path}\0{export}").as_bytes()) as usize;
            let first = START[hash % START.len()] as char;
            let short = first.to_string();
            let name = if one_char && !taken.contains(&short) {
                short
            } else {
                format!("{first}{}", NEXT[(hash / START.len()) % NEXT.len()] as char)
            };
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// 64-bit FNV-1a: a stable hash, the same on every machine.
fn fnv(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
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

/// `r`, `o`, … then two letters: minified local names, about their length.
fn local_name(i: usize) -> String {
    crate::names::minified_name(b"roliacsudfpmhgvybxSCwTEDOkAjMNPFILRzBVHUWGKqJYXZQ", i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_ids_widen_with_the_module_count() {
        assert_eq!(id_range(12), 1000);
        assert_eq!(id_range(50), 1000);
        assert_eq!(id_range(51), 10_000);
        assert_eq!(id_range(600), 100_000);
    }

    #[test]
    fn exports_mangle_to_one_character_while_few_then_two() {
        let few = mangled_exports("src/a.js", &["renderAdmin"], 2);
        assert_eq!(few[0].len(), 1);
        let many = mangled_exports("src/a.js", &["renderAdmin", "Button", "x"], 3);
        assert_eq!(many.iter().map(String::len).collect::<Vec<_>>(), vec![2, 2, 1]);
        assert_eq!(many[2], "x", "a one-character name is never renamed");
    }
}
