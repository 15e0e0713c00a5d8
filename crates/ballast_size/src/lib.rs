//! Sizes: the tree-shaking estimate, minified size per module (oxc or swc, as the user's bundler), and
//! gzip/brotli per chunk with each module's marginal share; everything cached on disk by content hash.

mod cache;
mod compress;
mod minify;
mod minify_swc;
pub mod treeshake;

use std::sync::Arc;

use ballast_common::{Compression, Diagnostic, DiagnosticCode, ModuleIdx};
use ballast_graph::ModuleGraph;
use rayon::prelude::*;

pub use cache::{DiskCache, write_atomic};
pub use compress::{ChunkCompression, apportion, compress_chunk};
pub use minify::{MinifierKind, minify_module};

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
    let shake = treeshake::estimate(graph);
    let results: Vec<(Arc<str>, u64, String, Option<Diagnostic>)> = graph
        .modules
        .par_iter()
        .enumerate()
        .map(|(i, module)| {
            let Some(source) = module.source.as_ref().filter(|_| {
                shake.included[i] && module.kind.is_chunk_code()
                    || shake.included[i] && module.kind == ballast_graph::ModuleKind::Css
            }) else {
                return (Arc::from(""), 0, String::new(), None);
            };
            if let Some(size) = module.rendered_size {
                return (Arc::from(""), size, String::new(), None);
            }
            let key = DiskCache::key(&[
                source.as_bytes(),
                options.minifier.as_str().as_bytes(),
                format!("{:?}", module.kind).as_bytes(),
            ]);
            if let Some(code) = options.cache.get_text("min", &key) {
                let len = code.len() as u64;
                return (Arc::from(code), len, key, None);
            }
            let (code, problem) = match minify_module(source, &module.abs_path, module.kind, options.minifier)
            {
                Ok(code) => (code, None),
                // The scanner already reported the syntax error; one diagnostic per problem.
                Err(_) if has_parse_error(graph, &module.path) => (source.to_string(), None),
                Err(reason) => (
                    source.to_string(),
                    Some(
                        Diagnostic::warning(DiagnosticCode::MinifyError, reason)
                            .in_file(module.path.clone())
                            .with_help("its raw size is used as its minified size"),
                    ),
                ),
            };
            if problem.is_none() {
                options.cache.put_text("min", &key, &code);
            }
            let len = code.len() as u64;
            (Arc::from(code), len, key, problem)
        })
        .collect();
    let mut sizes = ModuleSizes {
        included: shake.included,
        requested: shake.requested,
        code: Vec::with_capacity(results.len()),
        min: Vec::with_capacity(results.len()),
        keys: Vec::with_capacity(results.len()),
        diagnostics: Vec::new(),
    };
    for (code, min, key, problem) in results {
        sizes.code.push(code);
        sizes.min.push(min);
        sizes.keys.push(key);
        sizes.diagnostics.extend(problem);
    }
    sizes
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
