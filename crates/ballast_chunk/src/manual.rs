//! The user's chunking config applied as Rollup (`manualChunks`) and Rolldown (`codeSplitting.groups`) apply it:
//! each module goes to the best group it matched (highest priority, then the first listed; Rolldown's
//! `minShareCount` and `minSize` respected), then each group takes the static dependencies of what it matched
//! unless a group took them first (Rollup's `addStaticDependenciesToManualChunk`, Rolldown's
//! `includeDependenciesRecursively`).

use std::collections::BTreeMap;

use ballast_graph::ModuleGraph;
use ballast_link::Linked;

use crate::bits::Bits;
use crate::plan::chunkable;

pub(crate) struct Manual {
    /// Module → index into `names`.
    pub chunk_of: Vec<Option<usize>>,
    pub names: Vec<String>,
}

pub(crate) fn assign(graph: &ModuleGraph, linked: &Linked, closures: &[Bits]) -> Manual {
    let n = graph.modules.len();
    let config = &graph.manual_chunks;
    let kept = |m: usize| linked.included[m] && chunkable(graph, m);
    let reach = |m: usize| closures.iter().filter(|c| c.get(m)).count() as u32;

    // The best match of each module: (priority, earliest group) wins.
    let mut best: BTreeMap<usize, (i64, usize, &str)> = BTreeMap::new();
    for a in &config.assigned {
        let m = a.module.index();
        let Some(group) = config.groups.get(a.group) else { continue };
        if m >= n || !kept(m) || reach(m) < group.min_share_count {
            continue;
        }
        let candidate = (group.priority, a.group, a.name.as_str());
        match best.get(&m) {
            Some(&(p, g, _))
                if (p, std::cmp::Reverse(g)) >= (candidate.0, std::cmp::Reverse(candidate.1)) => {}
            _ => {
                best.insert(m, candidate);
            }
        }
    }
    // Groups below their `minSize` fall back to the automatic chunking.
    let mut group_bytes: BTreeMap<usize, u64> = BTreeMap::new();
    for (&m, &(_, g, _)) in &best {
        *group_bytes.entry(g).or_default() += graph.modules[m].raw_size;
    }
    best.retain(|_, (_, g, _)| group_bytes.get(g).copied().unwrap_or(0) >= config.groups[*g].min_size);

    let mut names: Vec<String> = Vec::new();
    let mut chunk_of: Vec<Option<usize>> = vec![None; n];
    let slot = |name: &str, names: &mut Vec<String>| match names.iter().position(|x| x == name) {
        Some(i) => i,
        None => {
            names.push(name.to_string());
            names.len() - 1
        }
    };
    for (&m, &(_, _, name)) in &best {
        chunk_of[m] = Some(slot(name, &mut names));
    }
    if config.include_dependencies && !best.is_empty() {
        take_dependencies(graph, &kept, &best.keys().copied().collect::<Vec<_>>(), &mut chunk_of);
    }
    Manual { chunk_of, names }
}

/// Each matched module's static imports, transitively, join its chunk unless already placed. The walk goes
/// through modules that ship nothing (barrels) as the bundlers' raw dependency lists do.
fn take_dependencies(
    graph: &ModuleGraph,
    kept: &dyn Fn(usize) -> bool,
    seeds: &[usize],
    chunk_of: &mut [Option<usize>],
) {
    let n = graph.modules.len();
    for &seed in seeds {
        let Some(target) = chunk_of[seed] else { continue };
        let mut seen = vec![false; n];
        seen[seed] = true;
        let mut stack = vec![seed];
        while let Some(m) = stack.pop() {
            for &i in &graph.modules[m].imports {
                let import = graph.import(i);
                let Some(to) = import.to.map(|t| t.index()) else { continue };
                if !import.kind.is_static() || seen[to] {
                    continue;
                }
                seen[to] = true;
                if kept(to) {
                    match chunk_of[to] {
                        None => chunk_of[to] = Some(target),
                        Some(_) => continue,
                    }
                }
                stack.push(to);
            }
        }
    }
}
