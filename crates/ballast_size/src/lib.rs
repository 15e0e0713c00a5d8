//! Sizes: the tree-shaking estimate, minified size per module (oxc or swc, as the user's bundler), and
//! gzip/brotli per chunk with each module's marginal share; everything cached on disk by content hash.

mod compress;
mod minify;
mod minify_swc;
mod module_syntax;
mod shake_statements;
pub mod treeshake;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use ballast_common::{Compression, Diagnostic, DiagnosticCode, ModuleIdx};
use ballast_graph::{ImportedNames, ModuleFormat, ModuleGraph, ModuleKind};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use ballast_common::{DiskCache, write_atomic};
pub use compress::{ChunkCompression, apportion, compress_chunk};
pub use minify::{MinifierKind, minify_module};
pub use module_syntax::{Surviving, Survivors, strip_module_syntax};

#[derive(Debug, Clone)]
pub struct SizeOptions {
    pub minifier: MinifierKind,
    pub compression: Compression,
    pub cache: DiskCache,
}

/// Per-module results of the size stage, indexed like `ModuleGraph::modules`.
pub struct ModuleSizes {
    pub included: Vec<bool>,
    pub requested: Vec<treeshake::Requested>,
    /// Minified code of included chunk modules (empty otherwise).
    pub code: Vec<Arc<str>>,
    pub min: Vec<u64>,
    /// Content key of each module's minified code, for chunk-level cache keys.
    pub keys: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn measure_modules(graph: &ModuleGraph, options: &SizeOptions) -> ModuleSizes {
    let n = graph.modules.len();
    let waits = |m: usize| graph.modules[m].kind.is_script() && graph.modules[m].rendered_size.is_none();
    // Importers whose minified code decides what a module must keep.
    let mut importers: Vec<Vec<usize>> = vec![Vec::new(); n];
    for import in &graph.imports {
        if let Some(to) = import.to
            && import.kind.is_static()
        {
            importers[to.index()].push(import.from.index());
        }
    }
    let mut refined: Vec<Option<ImportedNames>> = vec![None; graph.imports.len()];
    let mut done = vec![false; n];
    let mut results: Vec<Option<Minified>> = vec![None; n];
    // Waves: a module is minified once every importer is, so it knows which of its exports survived there.
    // The estimate is redone only when a wave changed what an import requests; otherwise only the modules the
    // last wave imports can have become ready (a 10,000-module chain is 10,000 waves, not 10,000 estimates).
    // Past a budget of estimate work the rest goes at once, as in a cycle, so no graph makes this quadratic.
    let budget = ESTIMATE_BUDGET / n.max(1);
    let mut estimates = 1usize;
    let mut shake = treeshake::estimate_with(graph, &refined);
    let mut candidates: Option<Vec<usize>> = None;
    let is_ready = |m: usize, shake: &treeshake::TreeShake, done: &[bool]| {
        importers[m].iter().all(|&f| f == m || done[f] || !shake.included[f] || !waits(f))
    };
    loop {
        let from_last_wave: Vec<usize> = candidates
            .take()
            .unwrap_or_default()
            .into_iter()
            .filter(|&m| shake.included[m] && !done[m] && is_ready(m, &shake, &done))
            .collect();
        let wave = if from_last_wave.is_empty() {
            let todo: Vec<usize> = (0..n).filter(|&m| shake.included[m] && !done[m]).collect();
            if todo.is_empty() {
                break;
            }
            let ready: Vec<usize> = todo.iter().copied().filter(|&m| is_ready(m, &shake, &done)).collect();
            // An import cycle: nothing is ready, so the rest goes at once with what is known.
            if ready.is_empty() || estimates > budget { todo } else { ready }
        } else {
            from_last_wave
        };
        let minified: Vec<(usize, Minified)> =
            wave.par_iter().map(|&m| (m, minify_one(graph, m, &shake.requested[m], options))).collect();
        let mut changed = false;
        let mut next: Vec<usize> = Vec::new();
        for (m, result) in minified {
            done[m] = true;
            if let Some(survivors) = &result.survivors {
                changed |= refine(graph, m, survivors, &mut refined);
            }
            results[m] = Some(result);
            next.extend(graph.resolved_imports(ModuleIdx::new(m)).map(|(_, _, to)| to.index()));
        }
        if changed {
            shake = treeshake::estimate_with(graph, &refined);
            estimates += 1;
        } else {
            next.sort_unstable();
            next.dedup();
            candidates = Some(next);
        }
    }
    let mut sizes = ModuleSizes {
        code: Vec::with_capacity(n),
        min: Vec::with_capacity(n),
        keys: Vec::with_capacity(n),
        diagnostics: Vec::new(),
        included: shake.included,
        requested: shake.requested,
    };
    for (m, result) in results.into_iter().enumerate() {
        let result = result.filter(|_| sizes.included[m]).unwrap_or_default();
        sizes.min.push(result.min);
        sizes.code.push(result.code);
        sizes.keys.push(result.key);
        sizes.diagnostics.extend(result.problem);
    }
    sizes
}

#[derive(Default, Clone)]
struct Minified {
    code: Arc<str>,
    min: u64,
    key: String,
    survivors: Survivors,
    problem: Option<Diagnostic>,
}

#[derive(Serialize, Deserialize)]
struct CachedModule {
    code: String,
    survivors: Survivors,
}

fn minify_one(
    graph: &ModuleGraph,
    i: usize,
    requested: &treeshake::Requested,
    options: &SizeOptions,
) -> Minified {
    let module = &graph.modules[i];
    if let Some(size) = module.rendered_size {
        return Minified { min: size, ..Minified::default() };
    }
    let Some(source) =
        module.source.as_ref().filter(|_| module.kind.is_chunk_code() || module.kind == ModuleKind::Css)
    else {
        return Minified::default();
    };
    let used: Option<BTreeSet<String>> = match requested {
        treeshake::Requested::Names(names) if module.format == ModuleFormat::Esm => Some(names.clone()),
        treeshake::Requested::Nothing if module.format == ModuleFormat::Esm => Some(BTreeSet::new()),
        _ => None,
    };
    let used_key =
        used.as_ref().map_or_else(|| "*".to_string(), |u| u.iter().cloned().collect::<Vec<_>>().join(","));
    let key = DiskCache::key(&[
        source.as_bytes(),
        options.minifier.as_str().as_bytes(),
        format!("{:?}", module.kind).as_bytes(),
        used_key.as_bytes(),
    ]);
    if let Some(hit) = options.cache.get::<CachedModule>("min", &key) {
        return Minified {
            min: hit.code.len() as u64,
            code: Arc::from(hit.code),
            key,
            survivors: hit.survivors,
            problem: None,
        };
    }
    let (code, survivors, problem) =
        match minify_module(source, &module.abs_path, module.kind, options.minifier, used.as_ref()) {
            Ok((code, survivors)) => (code, survivors, None),
            // The scanner already reported the syntax error; one diagnostic per problem.
            Err(_) if has_parse_error(graph, &module.path) => (source.to_string(), None, None),
            Err(reason) => (
                source.to_string(),
                None,
                Some(
                    Diagnostic::warning(DiagnosticCode::MinifyError, reason)
                        .in_file(module.path.clone())
                        .with_help("its raw size is used as its minified size"),
                ),
            ),
        };
    if problem.is_none() {
        options.cache.put("min", &key, &CachedModule { code: code.clone(), survivors: survivors.clone() });
    }
    Minified { min: code.len() as u64, code: Arc::from(code), key, survivors, problem }
}

/// Estimates of the tree-shaking pass (each visits every module) allowed per run, times the module count.
const ESTIMATE_BUDGET: usize = 2_000_000;

/// Narrows the names of `module`'s static imports to what its minified code still uses; true when that
/// changed the names an import requests.
fn refine(
    graph: &ModuleGraph,
    module: usize,
    survivors: &BTreeMap<String, Surviving>,
    refined: &mut [Option<ImportedNames>],
) -> bool {
    let mut changed = false;
    for &i in &graph.modules[module].imports {
        let import = graph.import(i);
        if import.kind != ballast_graph::ImportKind::Static {
            continue;
        }
        let Some(surviving) = survivors.get(&import.specifier) else { continue };
        let names = match &import.names {
            ImportedNames::All | ImportedNames::Names(_) if surviving.all => ImportedNames::All,
            ImportedNames::All if surviving.names.is_empty() => ImportedNames::SideEffect,
            ImportedNames::All => ImportedNames::Names(surviving.names.iter().cloned().collect()),
            ImportedNames::Names(names) => {
                let kept: Vec<String> =
                    names.iter().filter(|n| surviving.names.contains(*n)).cloned().collect();
                if kept.is_empty() { ImportedNames::SideEffect } else { ImportedNames::Names(kept) }
            }
            other => other.clone(),
        };
        changed |= refined[i.index()].as_ref().unwrap_or(&import.names) != &names;
        refined[i.index()] = Some(names);
    }
    changed
}

/// Compresses each chunk (modules in order) once, in parallel, cached by the modules' content keys.
pub fn compress_chunks(
    chunks: &[Vec<ModuleIdx>],
    sizes: &ModuleSizes,
    options: &SizeOptions,
) -> Vec<ChunkCompression> {
    let Compression { gzip, brotli } = options.compression;
    // Largest first, so a big brotli job does not start last on an idle machine.
    let mut order: Vec<usize> = (0..chunks.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(chunks[c].iter().map(|m| sizes.min[m.index()]).sum::<u64>()));
    let mut results: Vec<(usize, ChunkCompression)> = order
        .into_par_iter()
        .map(|c| {
            let modules = &chunks[c];
            let mut key_parts: Vec<&[u8]> =
                vec![if gzip { b"gz" } else { b"" }, if brotli { b"br" } else { b"" }];
            key_parts.extend(modules.iter().map(|m| sizes.keys[m.index()].as_bytes()));
            let cacheable = modules.iter().all(|m| !sizes.keys[m.index()].is_empty());
            let key = DiskCache::key(&key_parts);
            if cacheable
                && let Some(hit) = options.cache.get::<ChunkCompression>("chunk", &key)
                && hit.gzip_parts.len() == if gzip { modules.len() } else { 0 }
            {
                return (c, hit);
            }
            let parts: Vec<&str> = modules.iter().map(|m| &*sizes.code[m.index()]).collect();
            let result = compress_chunk(&parts, gzip, brotli);
            if cacheable {
                options.cache.put("chunk", &key, &result);
            }
            (c, result)
        })
        .collect();
    results.sort_by_key(|(c, _)| *c);
    results.into_iter().map(|(_, r)| r).collect()
}

fn has_parse_error(graph: &ModuleGraph, path: &str) -> bool {
    graph.diagnostics.iter().any(|d| d.code == DiagnosticCode::ParseError && d.file.as_deref() == Some(path))
}
