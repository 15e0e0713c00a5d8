//! Turning the stages' results into the `Report`: sizes attributed to modules, chunks, packages and the
//! summary, in the fixed order the JSON contract promises.

use std::path::Path;

use ballast_chunk::{ChunkKind, ChunkPlan};
use ballast_common::{ChunkIdx, Compression, Diagnostic, ModuleIdx, Sizes};
use ballast_graph::{ImportedNames, ModuleGraph, ModuleKind, SideEffects};
use ballast_link::Linked;
use ballast_report::{
    Mode, Report, ReportChunk, ReportCopy, ReportDeclaration, ReportEntry, ReportImport, ReportModule,
    ReportPackage, Summary, Tool,
};
use ballast_size::apportion;
use ballast_size::{ChunkCompression, ModuleSizes, SizeOptions, compress_chunks_with};

use ballast_common::Bundler;

use crate::Options;

/// Per-module and per-chunk sizes, before they are laid out as a report.
pub(crate) struct SizeTables {
    pub module: Vec<Sizes>,
    pub chunk_js: Vec<Sizes>,
    pub chunk_css: Vec<Option<Sizes>>,
}

pub(crate) fn source_report(
    graph: &ModuleGraph,
    linked: &Linked,
    (sizes, copies): (&ModuleSizes, &[Vec<crate::copies::Copy>]),
    (plan, glue): (&ChunkPlan, &[ballast_chunk::ChunkGlue]),
    size_options: &SizeOptions,
    target: Bundler,
    options: &Options,
) -> Report {
    // A worker chunk's copies of shared modules are printed after its own modules (`copies.rs`), and so is
    // the glue between chunks: both are compressed with the chunk.
    let glue: Vec<String> = glue.iter().map(|g| g.render(plan)).collect();
    let extras: Vec<String> = copies
        .iter()
        .enumerate()
        .map(|(c, list)| {
            let copied = list.iter().map(|c| c.code.as_ref()).collect::<String>();
            copied + glue.get(c).map_or("", String::as_str)
        })
        .collect();
    let extra_refs: Vec<&str> = extras.iter().map(String::as_str).collect();
    let mut measured = measure(graph, plan, &sizes.min, size_options, |lists| {
        compress_chunks_with(lists, &extra_refs, sizes, size_options)
    });
    let copied = add_copies(graph, plan, &mut measured, copies, size_options.compression);
    let glue_sizes = add_glue(graph, plan, &mut measured, &glue, copies);
    let recompress = |drafts: &[ballast_advise::ChunkDraft]| -> Vec<(Option<u64>, Option<u64>)> {
        if size_options.compression == Compression::NONE {
            return drafts.iter().map(|_| (None, None)).collect();
        }
        let lists: Vec<Vec<ModuleIdx>> = drafts.iter().map(|d| d.modules.clone()).collect();
        let extras: Vec<&str> = drafts.iter().map(|d| d.extra.as_str()).collect();
        compress_chunks_with(&lists, &extras, sizes, size_options)
            .into_iter()
            .map(|c| (c.gzip, c.brotli))
            .collect()
    };
    let mut diagnostics = graph.diagnostics.clone();
    diagnostics.extend(linked.diagnostics.iter().cloned());
    diagnostics.extend(sizes.diagnostics.iter().cloned());
    let mut report =
        layout(graph, plan, &measured, &linked.included, Mode::Source, size_options.compression, diagnostics);
    report.target = target.as_str().to_string();
    report.minifier = size_options.minifier.as_str().to_string();
    report.project = project_name(&options.root);
    report.coverage = Some(coverage(graph));
    for ((chunk, list), glue) in report.chunks.iter_mut().zip(copied).zip(glue_sizes) {
        chunk.copies = list;
        chunk.glue = glue;
    }
    let shipped = Shipped {
        included: &linked.included,
        deps: Some(&linked.deps),
        recompress: Some(ballast_advise::Recompress(&recompress)),
    };
    advise(graph, plan, &measured, shipped, target, options, &mut report);
    report
}

/// What ships: modules kept, and (source mode) the linked dependencies between them.
#[derive(Clone, Copy)]
pub(crate) struct Shipped<'a> {
    pub included: &'a [bool],
    pub deps: Option<&'a [Vec<ModuleIdx>]>,
    /// Source mode: compression of regrouped modules, for advice that predicts new chunks.
    pub recompress: Option<ballast_advise::Recompress<'a>>,
}

/// What the scan read (every module with source it could weigh) against what it could not.
pub(crate) fn coverage(graph: &ModuleGraph) -> ballast_report::Coverage {
    let unread: std::collections::HashSet<&str> = graph.unread.iter().map(|u| u.path.as_str()).collect();
    let read_bytes = graph
        .modules
        .iter()
        .filter(|m| m.source.is_some() && !unread.contains(m.path.as_str()))
        .map(|m| m.raw_size)
        .sum();
    ballast_report::Coverage::new(read_bytes, &graph.unread)
}

/// The advice stage: findings, and each module's retained size.
pub(crate) fn advise(
    graph: &ModuleGraph,
    plan: &ChunkPlan,
    measured: &SizeTables,
    shipped: Shipped,
    target: Bundler,
    options: &Options,
    report: &mut Report,
) {
    let Shipped { included, deps, recompress } = shipped;
    let mut input = ballast_advise::AdviseInput::new(
        graph,
        plan,
        included,
        &measured.module,
        &measured.chunk_js,
        report.summary.initial,
    );
    input.deps = deps;
    input.recompress = recompress;
    // Zero means "not set" (an `Options::default()`): keep the stage's defaults.
    if options.heavy_min_bytes > 0 {
        input.heavy_min_bytes = options.heavy_min_bytes;
    }
    if options.heavy_share > 0.0 {
        input.heavy_share = options.heavy_share;
    }
    input.bundler = target;
    let advice = ballast_advise::advise(&input);
    report.findings = advice.findings;
    for (module, retained) in report.modules.iter_mut().zip(advice.retained) {
        module.retained = retained;
    }
}

/// Compresses each chunk's JS and CSS once and spreads the results over modules.
pub(crate) fn measure(
    graph: &ModuleGraph,
    plan: &ChunkPlan,
    min: &[u64],
    size_options: &SizeOptions,
    compress: impl FnOnce(&[Vec<ModuleIdx>]) -> Vec<ChunkCompression>,
) -> SizeTables {
    let compression = size_options.compression;
    let mut module: Vec<Sizes> = graph
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| Sizes { raw: m.raw_size, min: min[i], gzip: None, brotli: None })
        .collect();
    // One list per chunk for JS, then one per chunk that has CSS.
    let mut lists: Vec<Vec<ModuleIdx>> = Vec::new();
    let mut css_list_of: Vec<Option<usize>> = Vec::new();
    for chunk in &plan.chunks {
        lists.push(
            chunk.modules.iter().copied().filter(|m| graph.module(*m).kind != ModuleKind::Css).collect(),
        );
    }
    for chunk in &plan.chunks {
        let css: Vec<ModuleIdx> =
            chunk.modules.iter().copied().filter(|m| graph.module(*m).kind == ModuleKind::Css).collect();
        if css.is_empty() {
            css_list_of.push(None);
        } else {
            css_list_of.push(Some(lists.len()));
            lists.push(css);
        }
    }
    let compressed = if compression == Compression::NONE { vec![] } else { compress(&lists) };
    let totals = |list: &[ModuleIdx], c: Option<&ChunkCompression>, module: &mut Vec<Sizes>| -> Sizes {
        let mut s = Sizes::zero(compression);
        for (k, m) in list.iter().enumerate() {
            let ms = &mut module[m.index()];
            if let Some(c) = c {
                ms.gzip = c.gzip.map(|_| c.gzip_parts.get(k).copied().unwrap_or(0));
                ms.brotli = c.brotli.map(|_| c.brotli_parts.get(k).copied().unwrap_or(0));
            }
            s.raw += ms.raw;
            s.min += ms.min;
        }
        if let Some(c) = c {
            s.gzip = c.gzip;
            s.brotli = c.brotli;
        }
        s
    };
    let mut chunk_js = Vec::new();
    let mut chunk_css = Vec::new();
    for (c, _) in plan.chunks.iter().enumerate() {
        chunk_js.push(totals(&lists[c], compressed.get(c), &mut module));
        chunk_css.push(css_list_of[c].map(|l| totals(&lists[l], compressed.get(l), &mut module)));
    }
    // Modules outside chunks (assets, dropped code) carry no compressed share.
    for (i, s) in module.iter_mut().enumerate() {
        if plan.module_chunk[i].is_none() {
            s.gzip = compression.gzip.then_some(0);
            s.brotli = compression.brotli.then_some(0);
        }
    }
    SizeTables { module, chunk_js, chunk_css }
}

/// Adds each chunk's glue to its minified size (it is printed output, not source) and gives the glue its sizes:
/// its bytes, and the compressed share of the chunk its modules were not given. Worker chunks carry copies and
/// no glue, so the share left over is the glue's alone.
fn add_glue(
    graph: &ModuleGraph,
    plan: &ChunkPlan,
    measured: &mut SizeTables,
    glue: &[String],
    copies: &[Vec<crate::copies::Copy>],
) -> Vec<Option<Sizes>> {
    let mut out = Vec::with_capacity(plan.chunks.len());
    for (c, chunk) in plan.chunks.iter().enumerate() {
        let text = glue.get(c).map_or("", String::as_str);
        if text.is_empty() || copies.get(c).is_some_and(|l| !l.is_empty()) || c >= measured.chunk_js.len() {
            out.push(None);
            continue;
        }
        let own = chunk
            .modules
            .iter()
            .filter(|m| graph.module(**m).kind != ModuleKind::Css)
            .map(|m| &measured.module[m.index()]);
        let (own_gzip, own_brotli) =
            own.fold((0u64, 0u64), |(g, b), s| (g + s.gzip.unwrap_or(0), b + s.brotli.unwrap_or(0)));
        let sizes = &mut measured.chunk_js[c];
        sizes.min += text.len() as u64;
        out.push(Some(Sizes {
            raw: 0,
            min: text.len() as u64,
            gzip: sizes.gzip.map(|t| t.saturating_sub(own_gzip)),
            brotli: sizes.brotli.map(|t| t.saturating_sub(own_brotli)),
        }));
    }
    out
}

/// Adds each worker chunk's copies (`copies.rs`) to its raw and minified sizes (its compressed size has them
/// already: they were compressed with the chunk) and gives each copy its sizes: raw and minified its own, the
/// compressed share of the copies apportioned by minified size.
fn add_copies(
    graph: &ModuleGraph,
    plan: &ChunkPlan,
    measured: &mut SizeTables,
    copies: &[Vec<crate::copies::Copy>],
    compression: Compression,
) -> Vec<Vec<ReportCopy>> {
    let mut out = Vec::new();
    for (c, list) in copies.iter().enumerate() {
        if list.is_empty() || c >= measured.chunk_js.len() {
            out.push(Vec::new());
            continue;
        }
        let own = plan.chunks[c].modules.iter().filter(|m| graph.module(**m).kind != ModuleKind::Css);
        let (own_gzip, own_brotli) = own.fold((0u64, 0u64), |(g, b), m| {
            let s = &measured.module[m.index()];
            (g + s.gzip.unwrap_or(0), b + s.brotli.unwrap_or(0))
        });
        let chunk = &mut measured.chunk_js[c];
        chunk.raw += list.iter().map(|k| k.raw).sum::<u64>();
        chunk.min += list.iter().map(|k| k.min).sum::<u64>();
        // The copies' compressed share: the chunk's, less what its own modules were given.
        let weights: Vec<u64> = list.iter().map(|k| k.min).collect();
        let gzip = chunk.gzip.map(|t| apportion(t.saturating_sub(own_gzip), &weights));
        let brotli = chunk.brotli.map(|t| apportion(t.saturating_sub(own_brotli), &weights));
        out.push(
            list.iter()
                .enumerate()
                .map(|(k, copy)| ReportCopy {
                    module: copy.module,
                    sizes: Sizes {
                        raw: copy.raw,
                        min: copy.min,
                        gzip: compression.gzip.then(|| gzip.as_ref().map_or(0, |g| g[k])),
                        brotli: compression.brotli.then(|| brotli.as_ref().map_or(0, |b| b[k])),
                    },
                })
                .collect(),
        );
    }
    out
}

pub(crate) fn layout(
    graph: &ModuleGraph,
    plan: &ChunkPlan,
    measured: &SizeTables,
    included: &[bool],
    mode: Mode,
    compression: Compression,
    mut diagnostics: Vec<Diagnostic>,
) -> Report {
    let modules: Vec<ReportModule> = graph
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| ReportModule {
            id: ModuleIdx::new(i),
            path: m.path.clone(),
            package: m.package,
            kind: m.kind.as_str().to_string(),
            format: m.format.as_str().to_string(),
            included: included[i],
            chunk: plan.module_chunk[i],
            sizes: measured.module[i],
            retained: None,
            declarations: declarations(m, measured.module[i].min),
        })
        .collect();
    let imports = graph
        .imports
        .iter()
        .map(|i| ReportImport {
            from: i.from,
            to: i.to,
            specifier: i.specifier.clone(),
            kind: i.kind.as_str().to_string(),
            names: match &i.names {
                ImportedNames::Names(n) => n.clone(),
                ImportedNames::ReExports(pairs) => {
                    pairs.iter().map(|(_, imported)| imported.clone()).collect()
                }
                _ => Vec::new(),
            },
            line: i.line,
            column: i.column,
        })
        .collect();
    let packages: Vec<ReportPackage> = graph
        .packages
        .iter()
        .map(|p| ReportPackage {
            name: p.name.clone(),
            version: p.version.clone(),
            dir: p.dir.clone(),
            side_effects: match &p.side_effects {
                SideEffects::All(b) => serde_json::Value::Bool(*b),
                SideEffects::Files(f) => serde_json::json!(f),
            },
            modules: p.modules.clone(),
            sizes: p
                .modules
                .iter()
                .filter(|m| included[m.index()])
                .map(|m| measured.module[m.index()])
                .sum::<Sizes>(),
        })
        .map(|mut p| {
            if p.sizes == Sizes::default() {
                p.sizes = Sizes::zero(compression);
            }
            p
        })
        .collect();
    let chunks: Vec<ReportChunk> = plan
        .chunks
        .iter()
        .enumerate()
        .map(|(c, chunk)| ReportChunk {
            id: ChunkIdx::new(c),
            name: chunk.name.clone(),
            kind: match chunk.kind {
                ChunkKind::Entry => "entry",
                ChunkKind::Async => "async",
                ChunkKind::Shared => "shared",
                ChunkKind::Vendor => "vendor",
                ChunkKind::Worker => "worker",
            }
            .to_string(),
            initial: chunk.initial,
            modules: chunk.modules.clone(),
            imports: chunk.imports.clone(),
            dynamic_imports: chunk.dynamic_imports.clone(),
            sizes: measured.chunk_js[c],
            css: measured.chunk_css[c],
            copies: Vec::new(),
            glue: None,
        })
        .collect();
    let mut initial = Sizes::zero(compression);
    let mut total = Sizes::zero(compression);
    for chunk in &chunks {
        let mut both = chunk.sizes;
        if let Some(css) = &chunk.css {
            both.add(css);
        }
        total.add(&both);
        if chunk.initial {
            initial.add(&both);
        }
    }
    // A chunk whose compressed size is unknown (stats without the built code) makes the sums unknown too.
    for chunk in &chunks {
        if chunk.sizes.gzip.is_none() {
            (initial.gzip, total.gzip) = (None, None);
        }
        if chunk.sizes.brotli.is_none() {
            (initial.brotli, total.brotli) = (None, None);
        }
    }
    let entries = graph
        .entries
        .iter()
        .map(|e| ReportEntry {
            name: e.name.clone(),
            module: e.module,
            chunk: plan.module_chunk[e.module.index()],
        })
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    Report {
        schema_version: ballast_report::SCHEMA_VERSION,
        tool: Tool::default(),
        mode,
        target: String::new(),
        minifier: String::new(),
        compression: compression.names().into_iter().map(str::to_string).collect(),
        project: String::new(),
        summary: Summary {
            // The project's modules: Ballast's models of bundler code are listed but not counted.
            modules: graph
                .modules
                .iter()
                .zip(&modules)
                .filter(|(g, m)| m.included && !g.is_bundler_code())
                .count(),
            packages: packages
                .iter()
                .filter(|p: &&ReportPackage| p.modules.iter().any(|m| included[m.index()]))
                .count(),
            chunks: chunks.len(),
            initial,
            total,
        },
        coverage: None,
        entries,
        modules,
        imports,
        packages,
        chunks,
        findings: Vec::new(),
        budgets: None,
        diagnostics,
    }
}

/// Top-level declarations of a giant file, each with its share of the module's minified size.
fn declarations(module: &ballast_graph::Module, min: u64) -> Vec<ReportDeclaration> {
    if module.declarations.is_empty() || module.raw_size == 0 {
        return Vec::new();
    }
    let weights: Vec<u64> =
        module.declarations.iter().map(|d| u64::from(d.end.saturating_sub(d.start))).collect();
    let covered: u64 = weights.iter().sum();
    let share = (min as u128 * covered as u128 / module.raw_size.max(1) as u128) as u64;
    let parts = apportion(share.min(min), &weights);
    let mut out: Vec<ReportDeclaration> = module
        .declarations
        .iter()
        .zip(parts)
        .map(|(d, min)| ReportDeclaration { name: d.name.clone(), min })
        .collect();
    out.sort_by(|a, b| b.min.cmp(&a.min).then_with(|| a.name.cmp(&b.name)));
    out
}

pub(crate) fn project_name(root: &Path) -> String {
    let manifest = std::fs::read_to_string(root.join("package.json")).unwrap_or_default();
    serde_json::from_str::<serde_json::Value>(&manifest)
        .ok()
        .and_then(|j| j.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .or_else(|| root.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "project".to_string())
}
