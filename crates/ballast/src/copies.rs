//! Modules a worker bundle shares with the page (or with an earlier worker): the chunk plan gives every module one
//! chunk, but the real build copies each of them into the worker's bundle, tree-shaken to what the worker uses.
//! Here each such worker is linked again on its own (its root as the only entry) and the shared modules are
//! rendered and minified as that link keeps them: their code is added to the worker chunk's sizes (minified and
//! compressed with the chunk), and listed as the chunk's `copies`. A copy is counted in its chunk and in the app's
//! total (which adds up chunks), never in its module's or its package's sizes: those stay the page's copy, so a
//! package row never exceeds the app total.

use std::sync::Arc;

use ballast_chunk::{ChunkKind, ChunkPlan};
use ballast_common::ModuleIdx;
use ballast_graph::{ModuleGraph, ModuleKind};
use ballast_link::{LinkOptions, Linked};
use ballast_size::SizeOptions;

/// One module copied into a worker chunk.
pub(crate) struct Copy {
    pub module: ModuleIdx,
    pub code: Arc<str>,
    pub raw: u64,
    pub min: u64,
}

/// Per chunk (in plan order), the modules copied into it; empty for every chunk but workers that share modules.
pub(crate) fn worker_copies(
    graph: &ModuleGraph,
    linked: &Linked,
    plan: &ChunkPlan,
    link_options: &LinkOptions,
    size_options: &SizeOptions,
) -> Vec<Vec<Copy>> {
    let mut out: Vec<Vec<Copy>> = plan.chunks.iter().map(|_| Vec::new()).collect();
    for (c, chunk) in plan.chunks.iter().enumerate() {
        if chunk.kind != ChunkKind::Worker {
            continue;
        }
        let Some(root) = chunk.facade else { continue };
        let shared = shared_modules(graph, linked, plan, c, root);
        if shared.is_empty() {
            continue;
        }
        let worker = ballast_link::link_from(graph, &[root], link_options);
        // The worker's bundle is minified as one file: its copies take their names from all of it.
        let file: Vec<ModuleIdx> = chunk.modules.iter().chain(&shared).copied().collect();
        let sizes = ballast_size::measure_modules(graph, &worker, &[], &[file], size_options);
        for m in shared {
            let i = m.index();
            if !worker.included[i] || sizes.min[i] == 0 {
                continue;
            }
            out[c].push(Copy {
                module: m,
                code: Arc::clone(&sizes.code[i]),
                raw: graph.module(m).raw_size,
                min: sizes.min[i],
            });
        }
    }
    out
}

/// The JS modules the worker's static closure reaches (as the page's link has the dependencies) that the plan put
/// in another chunk, in the order they are first reached.
fn shared_modules(
    graph: &ModuleGraph,
    linked: &Linked,
    plan: &ChunkPlan,
    chunk: usize,
    root: ModuleIdx,
) -> Vec<ModuleIdx> {
    let mut seen = vec![false; graph.modules.len()];
    let mut stack = vec![root];
    let mut shared = Vec::new();
    seen[root.index()] = true;
    while let Some(m) = stack.pop() {
        let i = m.index();
        if plan.module_chunk[i].is_some_and(|c| c.index() != chunk)
            && linked.included[i]
            && graph.module(m).kind != ModuleKind::Css
        {
            shared.push(m);
        }
        for &d in linked.deps[i].iter().rev() {
            if !seen[d.index()] {
                seen[d.index()] = true;
                stack.push(d);
            }
        }
    }
    shared
}
