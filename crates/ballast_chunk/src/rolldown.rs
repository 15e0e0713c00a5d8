//! Rolldown's two chunk optimisations, both on by default (`experimental.chunkOptimization`).
//!
//! `avoidRedundantChunkLoads`: a dynamic root's bit is dropped from modules its importers have certainly
//! loaded, as Rollup does, but one group of equal bits (an "atom") at a time, in execution order, and each drop
//! is undone when the chunks it regroups would import each other in a cycle ("already loaded" is not "already
//! initialised" across an ES module cycle). An atom whose drop was undone keeps its dynamic bits: a common chunk.
//!
//! `mergeCommonChunks`: such a common chunk then moves into the entry chunk that reaches all its dynamic
//! roots, one at a time in execution order, unless that closes a cycle through chunks not merged yet (so a
//! chunk met before the chunk that imports it stays apart: React in `react-tanstack`, the case
//! `rolldown-merge-in-order`). Where no entry takes it (a chunk shared by dynamic roots only, the case
//! `rolldown-cycle-keeps-shared`), it stays apart, where Rollup would have put it in the importer.
//!
//! Not modelled: Rolldown turns both off when a module uses top-level await; it keeps a dynamic entry's
//! namespace apart in a few export shapes (`then`, `export *`); and, most likely, its cycle check follows
//! imports of the empty barrels it keeps (in `antd-routes`, `rc-pagination` and `rc-table`, in a chunk of the
//! routes that imports the entry), which the linked dependencies look through: the core chunk the real build
//! keeps apart there is merged here.

use std::collections::BTreeMap;

use ballast_graph::ModuleGraph;
use ballast_link::Linked;

use crate::bits::Bits;
use crate::plan::Root;

/// Rewrites the bits of `modules` (given with their bits over roots before the rule; modules with none are
/// left alone). `loaded[r]` is what root `r` has certainly loaded; `order[m]` is a module's execution position.
pub(crate) fn reduce(linked: &Linked, modules: &mut [(usize, Bits)], loaded: &[Bits], order: &[usize]) {
    // Atoms: modules with equal bits, numbered by their first module in execution order.
    let mut by_order: Vec<usize> = (0..modules.len()).filter(|&i| modules[i].1.count() > 0).collect();
    by_order.sort_by_key(|&i| (order[modules[i].0], modules[i].0));
    let mut atom_of_bits: BTreeMap<&Bits, usize> = BTreeMap::new();
    let mut atom_bits: Vec<Bits> = Vec::new();
    let mut atom_first: Vec<usize> = Vec::new();
    let mut atom_of_module: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in &by_order {
        let (m, bits) = &modules[i];
        let atom = *atom_of_bits.entry(bits).or_insert_with(|| {
            atom_bits.push(bits.clone());
            atom_first.push(*m);
            atom_bits.len() - 1
        });
        atom_of_module.insert(*m, atom);
    }
    let mut atom_deps: Vec<Vec<usize>> = vec![Vec::new(); atom_bits.len()];
    for (m, &a) in &atom_of_module {
        for to in &linked.deps[*m] {
            if let Some(&b) = atom_of_module.get(&to.index())
                && b != a
            {
                atom_deps[a].push(b);
            }
        }
    }
    for deps in &mut atom_deps {
        deps.sort_unstable();
        deps.dedup();
    }

    for a in 0..atom_bits.len() {
        let original = atom_bits[a].clone();
        let mut reduced = original.clone();
        let mut changed = false;
        for r in original.ones() {
            // Every module of an atom is in the same closures, so the first answers for all.
            if loaded[r].get(atom_first[a]) {
                reduced.clear(r);
                changed = true;
            }
        }
        if !changed || reduced.count() == 0 {
            continue;
        }
        atom_bits[a] = reduced;
        if has_cycle(&atom_bits, &atom_deps) {
            atom_bits[a] = original;
        }
    }

    for (m, bits) in modules.iter_mut() {
        if let Some(&a) = atom_of_module.get(m) {
            *bits = atom_bits[a].clone();
        }
    }
}

/// Whether the chunks the atoms make (one per distinct bits) import each other in a cycle.
fn has_cycle(atom_bits: &[Bits], atom_deps: &[Vec<usize>]) -> bool {
    let mut chunk_of_bits: BTreeMap<&Bits, usize> = BTreeMap::new();
    let chunk_of: Vec<usize> = atom_bits
        .iter()
        .map(|bits| {
            let next = chunk_of_bits.len();
            *chunk_of_bits.entry(bits).or_insert(next)
        })
        .collect();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); chunk_of_bits.len()];
    for (a, deps) in atom_deps.iter().enumerate() {
        for &b in deps {
            if chunk_of[a] != chunk_of[b] {
                edges[chunk_of[a]].push(chunk_of[b]);
            }
        }
    }
    // Iterative depth-first search: 1 on the stack, 2 done.
    let mut state = vec![0u8; edges.len()];
    for start in 0..edges.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some((c, i)) = stack.pop() {
            if let Some(&next) = edges[c].get(i) {
                stack.push((c, i + 1));
                match state[next] {
                    1 => return true,
                    0 => {
                        state[next] = 1;
                        stack.push((next, 0));
                    }
                    _ => {}
                }
            } else {
                state[c] = 2;
            }
        }
    }
    false
}

/// A common chunk that an entry shares with dynamic roots it reaches moves into that entry's chunk, one chunk at
/// a time in the order Rolldown meets their first modules (`order`, execution order), unless the move would
/// close a cycle of static chunk imports through chunks not merged yet (the user's groups are not in `groups`
/// and are not looked through). `groups` maps bits to modules.
pub(crate) fn merge_into_entries(
    linked: &Linked,
    roots: &[Root],
    order: &[usize],
    groups: &mut BTreeMap<Bits, Vec<usize>>,
) {
    let entries: Vec<usize> = (0..roots.len()).filter(|&r| roots[r].entry).collect();
    // Which roots each entry reaches through static and dynamic imports.
    let root_of: BTreeMap<usize, usize> =
        roots.iter().enumerate().map(|(r, root)| (root.module.index(), r)).collect();
    let reaches: BTreeMap<usize, Bits> = entries
        .iter()
        .map(|&e| {
            let mut seen = vec![false; linked.deps.len()];
            let mut reached = Bits::new(roots.len());
            let mut stack = vec![roots[e].module.index()];
            while let Some(m) = stack.pop() {
                if std::mem::replace(&mut seen[m], true) {
                    continue;
                }
                if let Some(&r) = root_of.get(&m) {
                    reached.set(r);
                }
                stack.extend(linked.deps[m].iter().map(|t| t.index()));
                stack.extend(linked.lazy[m].iter().map(|(t, _)| t.index()));
            }
            (e, reached)
        })
        .collect();

    let mut candidates: Vec<Bits> = groups
        .keys()
        .filter(|bits| bits.count() > 1 && bits.ones().any(|r| roots[r].entry))
        .cloned()
        .collect();
    // Rolldown meets common chunks in the order it assigned their modules: by execution order.
    candidates.sort_by_key(|bits| groups[bits].iter().map(|&m| (order[m], m)).min());
    for bits in candidates {
        let members: Vec<usize> = bits.ones().collect();
        let own: Vec<usize> = members.iter().copied().filter(|&r| roots[r].entry).collect();
        // The entry every other entry of the set imports directly (the only one, most often).
        let Some(&target) = own.iter().find(|&&e| {
            own.iter().all(|&o| o == e || linked.deps[roots[o].module.index()].contains(&roots[e].module))
        }) else {
            continue;
        };
        let dynamic: Vec<usize> = members.iter().copied().filter(|&r| !roots[r].entry).collect();
        if !dynamic.iter().all(|&d| reaches[&target].get(d)) {
            continue;
        }
        // Another entry reaching these dynamic roots would run this entry's code when it loads them.
        if entries.iter().any(|&o| o != target && dynamic.iter().any(|&d| reaches[&o].get(d))) {
            continue;
        }
        let mut target_bits = Bits::new(roots.len());
        target_bits.set(target);
        if !groups.contains_key(&target_bits) || closes_cycle(linked, groups, &bits, &target_bits) {
            continue;
        }
        if let Some(mut modules) = groups.remove(&bits)
            && let Some(into) = groups.get_mut(&target_bits)
        {
            into.append(&mut modules);
        }
    }
}

/// Whether moving the chunk `from` into the chunk `into` makes the chunks import each other in a cycle.
fn closes_cycle(linked: &Linked, groups: &BTreeMap<Bits, Vec<usize>>, from: &Bits, into: &Bits) -> bool {
    let index: BTreeMap<&Bits, usize> = groups.keys().enumerate().map(|(i, b)| (b, i)).collect();
    let (from, into) = (index[from], index[into]);
    let merged = |c: usize| if c == from { into } else { c };
    let mut chunk_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (c, modules) in groups.values().enumerate() {
        for &m in modules {
            chunk_of.insert(m, merged(c));
        }
    }
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (&m, &c) in &chunk_of {
        for to in &linked.deps[m] {
            if let Some(&d) = chunk_of.get(&to.index())
                && d != c
            {
                edges[c].push(d);
            }
        }
    }
    // A cycle through the merged chunk: it reaches itself.
    let mut seen = vec![false; groups.len()];
    let mut stack: Vec<usize> = edges[into].clone();
    while let Some(c) = stack.pop() {
        if c == into {
            return true;
        }
        if !std::mem::replace(&mut seen[c], true) {
            stack.extend(edges[c].iter().copied());
        }
    }
    false
}

/// Rolldown's execution order (`sort_modules`): a depth-first post-order from the roots over every static
/// import record in source order, barrels included (the linked dependencies look through them, so their order
/// is not the one Rolldown meets modules in).
pub(crate) fn source_order(graph: &ModuleGraph, roots: &[Root]) -> Vec<usize> {
    let n = graph.modules.len();
    let mut order = vec![usize::MAX; n];
    let mut visited = vec![false; n];
    let mut next = 0;
    for root in roots {
        let start = root.module.index();
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some((m, i)) = stack.pop() {
            let imports = &graph.modules[m].imports;
            if let Some(&import) = imports.get(i) {
                stack.push((m, i + 1));
                let import = graph.import(import);
                if let Some(to) = import.to.filter(|_| import.kind.is_static())
                    && !std::mem::replace(&mut visited[to.index()], true)
                {
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
