//! Sizes: each module rendered from the statements the link stage keeps and minified (oxc or swc, as the
//! user's bundler), and gzip/brotli per chunk with each module's marginal share; cached on disk by content hash.

mod char_frequency;
mod compress;
mod deadline;
mod depth;
mod esbuild_protocol;
mod esbuild_service;
mod minify;
mod minify_esbuild;
mod minify_swc;
mod module_syntax;
mod render;

use std::sync::Arc;
use std::time::Duration;

use ballast_common::{Compression, Diagnostic, DiagnosticCode, ModuleIdx};
use ballast_graph::{ModuleGraph, ModuleKind};
use ballast_link::Linked;
use char_frequency::{CharCounts, balancing_statement};
use oxc::span::SourceType;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use ballast_common::{DiskCache, write_atomic};
pub use compress::{ChunkCompression, apportion, compress_chunk};
pub use minify::{MinifierKind, minify_module, minify_module_with};
pub use minify_esbuild::find_esbuild;
pub use module_syntax::strip_module_syntax;
pub use render::render_module;

#[derive(Debug, Clone)]
pub struct SizeOptions {
    pub minifier: MinifierKind,
    /// The esbuild binary, with `MinifierKind::Esbuild`.
    pub esbuild: Option<std::path::PathBuf>,
    pub compression: Compression,
    pub cache: DiskCache,
}

/// Per-module results of the size stage, indexed like `ModuleGraph::modules`.
pub struct ModuleSizes {
    /// Minified code of included chunk modules (empty otherwise).
    pub code: Vec<Arc<str>>,
    pub min: Vec<u64>,
    /// Content key of each module's minified code, for chunk-level cache keys.
    pub keys: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders each module the link stage keeps from its kept statements and minifies it: one parallel pass.
/// `wrappers`: what the bundler prints around a module (webpack's module table entries), added after minifying.
/// `chunks`: the modules of each file the bundler minifies as one (esbuild names by the file's characters).
pub fn measure_modules(
    graph: &ModuleGraph,
    linked: &Linked,
    wrappers: &[Option<String>],
    chunks: &[Vec<ModuleIdx>],
    options: &SizeOptions,
) -> ModuleSizes {
    // Read once: an environment lookup per module would take the environment lock thousands of times.
    let limit = deadline::deadline();
    let esbuild = options.esbuild.as_deref().filter(|_| options.minifier == MinifierKind::Esbuild);
    let frequencies = esbuild.map(|_| ChunkFrequencies::count(graph, linked, chunks, &options.cache));
    let mut results: Vec<Minified> = (0..graph.modules.len())
        .into_par_iter()
        .map(|m| {
            if linked.included[m] {
                let counts = frequencies.as_ref().and_then(|f| f.of_module(m));
                minify_one(graph, linked, m, options, limit, counts)
            } else {
                Minified::default()
            }
        })
        .collect();
    if let Some(binary) = esbuild {
        minify_pending_with_esbuild(graph, binary, &mut results, frequencies.as_ref(), options);
    }
    for (result, wrapper) in results.iter_mut().zip(wrappers) {
        if let Some(wrapper) = wrapper.as_deref().filter(|_| !result.code.is_empty()) {
            result.code = Arc::from(format!("{}{wrapper}", result.code));
            result.min = result.code.len() as u64;
        }
    }
    let n = results.len();
    let mut sizes = ModuleSizes {
        code: Vec::with_capacity(n),
        min: Vec::with_capacity(n),
        keys: Vec::with_capacity(n),
        diagnostics: Vec::new(),
    };
    for result in results {
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
    problem: Option<Diagnostic>,
    /// Lowered JS still to be minified by the batch minifier (esbuild).
    pending: bool,
}

/// The character counts of each chunk's rendered modules, for esbuild's naming order.
struct ChunkFrequencies {
    chunk_of: Vec<Option<usize>>,
    counts: Vec<CharCounts>,
    own: Vec<CharCounts>,
}

impl ChunkFrequencies {
    fn count(graph: &ModuleGraph, linked: &Linked, chunks: &[Vec<ModuleIdx>], cache: &DiskCache) -> Self {
        let mut chunk_of = vec![None; graph.modules.len()];
        for (c, modules) in chunks.iter().enumerate() {
            for m in modules {
                chunk_of[m.index()].get_or_insert(c);
            }
        }
        let own: Vec<CharCounts> = (0..graph.modules.len())
            .into_par_iter()
            .map(|m| match chunk_of[m] {
                Some(_) if linked.included[m] && graph.modules[m].kind.is_script() => {
                    rendered_counts(graph, linked, m, cache)
                }
                _ => CharCounts::default(),
            })
            .collect();
        let mut counts = vec![CharCounts::default(); chunks.len()];
        for (m, c) in chunk_of.iter().enumerate() {
            if let Some(c) = c {
                counts[*c].add(&own[m]);
            }
        }
        ChunkFrequencies { chunk_of, counts, own }
    }

    fn of_module(&self, m: usize) -> Option<&CharCounts> {
        self.chunk_of[m].map(|c| &self.counts[c])
    }
}

/// Parsed once per content, then cached: the counts need the module's bindings.
fn rendered_counts(graph: &ModuleGraph, linked: &Linked, m: usize, cache: &DiskCache) -> CharCounts {
    let module = &graph.modules[m];
    let Some(code) = render_module(module, linked, m) else { return CharCounts::default() };
    let source_type = SourceType::from_path(&module.abs_path).unwrap_or_default();
    let key = DiskCache::key(&[b"freq-1", code.as_bytes(), format!("{source_type:?}").as_bytes()]);
    if let Some(hit) = cache.get::<CharCounts>("freq", &key) {
        return hit;
    }
    let counts = CharCounts::of_module(&code, source_type);
    cache.put("freq", &key, &counts);
    counts
}

/// One esbuild run over every module the cache did not have, each balanced to its chunk's character counts.
fn minify_pending_with_esbuild(
    graph: &ModuleGraph,
    binary: &std::path::Path,
    results: &mut [Minified],
    frequencies: Option<&ChunkFrequencies>,
    options: &SizeOptions,
) {
    let pending: Vec<usize> = (0..results.len()).filter(|&m| results[m].pending).collect();
    let inputs: Vec<String> = pending
        .par_iter()
        .map(|&m| {
            let code = results[m].code.to_string();
            match frequencies.and_then(|f| f.of_module(m).map(|chunk| (chunk, &f.own[m]))) {
                Some((chunk, own)) => code + &balancing_statement(chunk, own),
                None => code,
            }
        })
        .collect();
    let outputs = minify_esbuild::minify_batch(binary, &inputs);
    for (&m, output) in pending.iter().zip(outputs) {
        let result = &mut results[m];
        result.pending = false;
        match output {
            Ok(code) => {
                // esbuild ends each file with a newline; in a chunk, modules run on with no break once esbuild
                // minifies the whole chunk.
                let code = strip_module_syntax(code.trim_end());
                options.cache.put("min", &result.key, &CachedModule { code: code.clone() });
                result.min = code.len() as u64;
                result.code = Arc::from(code);
            }
            Err(reason) => {
                result.problem = Some(
                    Diagnostic::warning(DiagnosticCode::MinifyError, reason)
                        .in_file(graph.modules[m].path.clone())
                        .with_help("its unminified size is used as its minified size"),
                );
                result.min = result.code.len() as u64;
            }
        }
    }
}

#[derive(Serialize, Deserialize)]
struct CachedModule {
    code: String,
}

fn minify_one(
    graph: &ModuleGraph,
    linked: &Linked,
    i: usize,
    options: &SizeOptions,
    limit: Duration,
    chunk_counts: Option<&CharCounts>,
) -> Minified {
    let module = &graph.modules[i];
    if let Some(size) = module.rendered_size {
        return Minified { min: size, ..Minified::default() };
    }
    if module.source.is_none() || !(module.kind.is_chunk_code() || module.kind == ModuleKind::Css) {
        return Minified::default();
    }
    let Some(source) = render_module(module, linked, i) else { return Minified::default() };
    let used = linked.used_exports[i].as_ref();
    let used_key = used.map_or_else(|| "*".to_string(), |u| u.iter().cloned().collect::<Vec<_>>().join(","));
    let folded: Vec<(String, String)> = module.link.as_ref().map_or_else(Vec::new, |l| {
        l.folded
            .iter()
            .map(|(name, value)| (name.clone(), value.to_string()))
            .chain(l.inlined.iter().cloned())
            .collect()
    });
    let key = DiskCache::key(&[
        b"min-6",
        source.as_bytes(),
        options.minifier.as_str().as_bytes(),
        format!("{:?}", module.kind).as_bytes(),
        used_key.as_bytes(),
        format!("{folded:?}").as_bytes(),
        chunk_counts.map(CharCounts::key).unwrap_or_default().as_bytes(),
    ]);
    if let Some(hit) = options.cache.get::<CachedModule>("min", &key) {
        return Minified {
            min: hit.code.len() as u64,
            code: Arc::from(hit.code),
            key,
            ..Minified::default()
        };
    }
    if let Some(depth) = depth::too_deep(&source) {
        let problem = Diagnostic::warning(
            DiagnosticCode::MinifyError,
            format!("nested {depth} levels deep (more than {}); not minified", depth::MAX_MINIFY_DEPTH),
        )
        .in_file(module.path.clone())
        .with_help("its raw size is used as its minified size");
        let code = source.to_string();
        return Minified {
            min: code.len() as u64,
            code: Arc::from(code),
            key,
            problem: Some(problem),
            pending: false,
        };
    }
    let outcome = deadline::minify_guarded(
        &source,
        &module.abs_path,
        module.kind,
        options.minifier,
        used,
        &folded,
        limit,
    );
    let unminified = |reason: String| {
        Diagnostic::warning(DiagnosticCode::MinifyError, reason)
            .in_file(module.path.clone())
            .with_help("its raw size is used as its minified size")
    };
    let (code, problem) = match outcome {
        deadline::Outcome::Minified(code) => (code, None),
        // The scanner already reported the syntax error; one diagnostic per problem.
        deadline::Outcome::Failed(_) if has_parse_error(graph, &module.path) => (source.to_string(), None),
        deadline::Outcome::Failed(reason) => (source.to_string(), Some(unminified(reason))),
        deadline::Outcome::TimedOut(limit) => (
            source.to_string(),
            Some(unminified(format!(
                "minifying it took longer than {} s; left unminified (BALLAST_MINIFY_TIMEOUT sets the limit)",
                limit.as_secs_f64()
            ))),
        ),
    };
    let pending = problem.is_none() && options.minifier == MinifierKind::Esbuild && module.kind.is_script();
    if problem.is_none() && !pending {
        options.cache.put("min", &key, &CachedModule { code: code.clone() });
    }
    Minified { min: code.len() as u64, code: Arc::from(code), key, problem, pending }
}

/// Compresses each chunk (modules in order) once, in parallel, cached by the modules' content keys.
pub fn compress_chunks(
    chunks: &[Vec<ModuleIdx>],
    sizes: &ModuleSizes,
    options: &SizeOptions,
) -> Vec<ChunkCompression> {
    compress_chunks_with(chunks, &[], sizes, options)
}

/// As `compress_chunks`, each chunk followed by `extras[c]` (code the bundler prints besides the modules, such as
/// a chunk wrapper or runtime a regrouping adds); its share is the last part.
pub fn compress_chunks_with(
    chunks: &[Vec<ModuleIdx>],
    extras: &[&str],
    sizes: &ModuleSizes,
    options: &SizeOptions,
) -> Vec<ChunkCompression> {
    let Compression { gzip, brotli } = options.compression;
    let extra = |c: usize| extras.get(c).copied().filter(|e| !e.is_empty());
    // Largest first, so a big brotli job does not start last on an idle machine.
    let mut order: Vec<usize> = (0..chunks.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(chunks[c].iter().map(|m| sizes.min[m.index()]).sum::<u64>()));
    let mut results: Vec<(usize, ChunkCompression)> = order
        .into_par_iter()
        .map(|c| {
            let modules = &chunks[c];
            let mut key_parts: Vec<&[u8]> =
                vec![b"chunk-2", if gzip { b"gz" } else { b"" }, if brotli { b"br" } else { b"" }];
            key_parts.extend(modules.iter().map(|m| sizes.keys[m.index()].as_bytes()));
            if let Some(e) = extra(c) {
                key_parts.extend([b"+".as_slice(), e.as_bytes()]);
            }
            let mut parts: Vec<&str> = modules.iter().map(|m| &*sizes.code[m.index()]).collect();
            parts.extend(extra(c));
            let cacheable = modules.iter().all(|m| !sizes.keys[m.index()].is_empty());
            let key = DiskCache::key(&key_parts);
            if cacheable
                && let Some(hit) = options.cache.get::<ChunkCompression>("chunk", &key)
                && hit.gzip_parts.len() == if gzip { parts.len() } else { 0 }
            {
                return (c, hit);
            }
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
