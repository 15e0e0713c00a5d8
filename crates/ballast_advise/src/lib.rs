//! The advice stage: what to do about the bundle. Reads the graph, the chunk plan and the sizes; returns
//! findings (heavy libraries, split points, vendor chunks, duplicates, CommonJS blockers, barrels, cycles)
//! and each module's retained size.
//!
//! Retained size and split points both come from one dominator tree over the static graph of included
//! modules, rooted at a virtual node above the entries: a module dominates what can only be reached through
//! it, so turning the import of a dominator into `import()` takes its whole dominated set off the initial load.

mod deferred;
mod domtree;
mod heavy;
mod hygiene;
mod snippets;
mod statement;

use ballast_chunk::ChunkPlan;
pub use ballast_common::Bundler;
use ballast_common::{Finding, ModuleIdx, Sizes};
use ballast_graph::ModuleGraph;

pub use domtree::DomTree;
pub use snippets::{MAX_LISTED_FILES, VendorConfig, VendorScope, vendor_config, vendor_config_scoped};
pub use statement::{ImportStatement, dynamic_import_code, parse_import_statement};

/// The `Finding::config` key whose snippet fits this bundler.
pub fn config_key(bundler: Bundler) -> &'static str {
    match bundler {
        Bundler::Vite | Bundler::Rollup | Bundler::Esbuild => "vite7",
        Bundler::Rolldown => "vite8",
        Bundler::Webpack | Bundler::Rspack => "webpack",
    }
}

/// Everything the stage reads. Slices are indexed like `graph.modules` / `plan.chunks`.
#[derive(Debug, Clone, Copy)]
pub struct AdviseInput<'a> {
    pub graph: &'a ModuleGraph,
    pub plan: &'a ChunkPlan,
    /// The tree-shaking estimate: `false` for modules the bundle drops.
    pub included: &'a [bool],
    /// Per module: raw and min, and gzip/brotli as the module's share of its chunk.
    pub module_sizes: &'a [Sizes],
    /// Per chunk, JS only.
    pub chunk_sizes: &'a [Sizes],
    /// The summary's initial load (JS and CSS of every initial chunk).
    pub initial: Sizes,
    /// A package is heavy in a chunk from this many minified bytes …
    pub heavy_min_bytes: u64,
    /// … or from this share (0–1) of the chunk's minified size.
    pub heavy_share: f64,
    pub bundler: Bundler,
    /// Source mode: the linked static dependencies (`ballast_link`), which dominators follow.
    pub deps: Option<&'a [Vec<ModuleIdx>]>,
    /// Source mode: compresses chunks made of these modules, so advice that regroups modules (a vendor chunk)
    /// can predict the chunks it makes. `None` (build mode): the modules' shares of today's chunks are used.
    pub recompress: Option<Recompress<'a>>,
}

/// Compressed JS sizes of drafted chunks: `(gzip, brotli)` per list, with the
/// metrics the report measures.
#[derive(Clone, Copy)]
pub struct Recompress<'a>(pub &'a RecompressFn<'a>);

/// `(gzip, brotli)` per drafted chunk.
pub type RecompressFn<'a> = dyn Fn(&[ChunkDraft]) -> Vec<(Option<u64>, Option<u64>)> + Sync + 'a;

/// A chunk that advice would make: its modules in order, and the code the bundler prints besides them there
/// (webpack: the chunk's JSONP wrapper, the runtime an entry needs to wait for it).
#[derive(Debug, Clone, Default)]
pub struct ChunkDraft {
    pub modules: Vec<ModuleIdx>,
    pub extra: String,
}

impl std::fmt::Debug for Recompress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recompress(..)")
    }
}

impl<'a> AdviseInput<'a> {
    /// Defaults for the thresholds (100 kB min, half a chunk) and Vite ≤ 7.
    pub fn new(
        graph: &'a ModuleGraph,
        plan: &'a ChunkPlan,
        included: &'a [bool],
        module_sizes: &'a [Sizes],
        chunk_sizes: &'a [Sizes],
        initial: Sizes,
    ) -> Self {
        AdviseInput {
            graph,
            plan,
            included,
            module_sizes,
            chunk_sizes,
            initial,
            heavy_min_bytes: 100_000,
            heavy_share: 0.5,
            bundler: Bundler::Vite,
            deps: None,
            recompress: None,
        }
    }

    fn on_initial_load(&self, m: ModuleIdx) -> bool {
        self.included.get(m.index()).copied().unwrap_or(false)
            && self
                .plan
                .module_chunk
                .get(m.index())
                .copied()
                .flatten()
                .and_then(|c| self.plan.chunks.get(c.index()))
                .is_some_and(|c| c.initial)
    }

    fn sizes_of(&self, m: ModuleIdx) -> Sizes {
        self.module_sizes.get(m.index()).copied().unwrap_or_default()
    }

    fn path(&self, m: ModuleIdx) -> &str {
        &self.graph.module(m).path
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Advice {
    /// Sorted: severity, code, bytes at stake (largest first), then location.
    pub findings: Vec<Finding>,
    /// Per module: the initial-load bytes that leave with it (`None` when it is not statically reachable from
    /// an entry, or not in the bundle).
    pub retained: Vec<Option<Sizes>>,
}

/// A finding with the bytes it is about, for ranking.
pub(crate) struct Ranked {
    pub weight: u64,
    pub finding: Finding,
}

pub fn advise(input: &AdviseInput) -> Advice {
    let tree = DomTree::build(input);
    let retained = tree.retained(input);
    let mut ranked: Vec<Ranked> = Vec::new();
    ranked.extend(heavy::heavy_and_split(input, &tree, &retained));
    ranked.extend(hygiene::duplicates(input));
    ranked.extend(hygiene::cjs_blockers(input));
    ranked.extend(hygiene::barrels(input));
    ranked.extend(hygiene::cycles(input));
    ranked.sort_by(|a, b| {
        let fa = &a.finding;
        let fb = &b.finding;
        (
            fa.severity,
            &fa.code,
            std::cmp::Reverse(a.weight),
            &fa.file,
            fa.line,
            fa.column,
            &fa.package,
            &fa.message,
        )
            .cmp(&(
                fb.severity,
                &fb.code,
                std::cmp::Reverse(b.weight),
                &fb.file,
                fb.line,
                fb.column,
                &fb.package,
                &fb.message,
            ))
    });
    let findings = ranked
        .into_iter()
        .map(|r| {
            let mut finding = r.finding;
            // Build-mode graphs know which module imports which, not where: no fake `0:0` positions.
            if finding.line == Some(0) {
                (finding.line, finding.column) = (None, None);
            }
            finding
        })
        .collect();
    Advice { findings, retained }
}

/// `a` as a share of `b`, in whole percent.
pub(crate) fn percent(a: u64, b: u64) -> u64 {
    if b == 0 { 0 } else { ((a as u128 * 100 + b as u128 / 2) / b as u128) as u64 }
}

/// "12.3 kB min / 4.1 kB gzip / 3.6 kB brotli", with the metrics that were measured.
pub(crate) fn all_metrics(s: &Sizes) -> String {
    let mut parts = vec![format!("{} min", ballast_common::format_bytes(s.min))];
    if let Some(g) = s.gzip {
        parts.push(format!("{} gzip", ballast_common::format_bytes(g)));
    }
    if let Some(b) = s.brotli {
        parts.push(format!("{} brotli", ballast_common::format_bytes(b)));
    }
    parts.join(" / ")
}

/// The metric transfer size is judged by: gzip when measured, else min.
pub(crate) fn wire(s: &Sizes) -> (u64, &'static str) {
    match s.gzip {
        Some(g) => (g, "gzip"),
        None => (s.min, "min"),
    }
}
