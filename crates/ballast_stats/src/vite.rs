//! Bundle data from the Ballast Vite plugin (Vite 7 / Rollup, Vite 8 / Rolldown): see docs/vite-bundle-data.md.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use ballast_chunk::ChunkKind;
use ballast_common::{Diagnostic, DiagnosticCode};
use ballast_graph::{ImportKind, ModuleKind};
use serde::Deserialize;

use crate::builder::{Builder, RawChunk, RawImport};
use crate::sourcemap::{RawMap, chunk_modules};
use crate::util::{Ordered, chunk_stem, kind_from_path, module_path, module_stem};
use crate::{BuildInput, StatsError, shape_error};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bundle {
    #[serde(default)]
    bundler: Option<String>,
    #[serde(default)]
    out_dir: Option<String>,
    #[serde(default)]
    chunks: Vec<ViteChunk>,
    #[serde(default)]
    modules: Vec<ViteModule>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ViteChunk {
    file_name: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    is_entry: bool,
    #[serde(default)]
    is_dynamic_entry: bool,
    #[serde(default)]
    facade_module_id: Option<String>,
    #[serde(default)]
    imports: Vec<String>,
    #[serde(default)]
    dynamic_imports: Vec<String>,
    #[serde(default)]
    modules: Ordered<Rendered>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    map: Option<RawMap>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rendered {
    #[serde(default)]
    rendered_length: u64,
    /// Vite 7 only.
    #[serde(default)]
    original_length: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ViteModule {
    id: String,
    #[serde(default)]
    imported_ids: Vec<String>,
    #[serde(default)]
    dynamically_imported_ids: Vec<String>,
    /// Vite 7 only.
    #[serde(default)]
    is_external: Option<bool>,
}

fn is_html(id: &str) -> bool {
    let file = id.split('?').next().unwrap_or(id).to_ascii_lowercase();
    file.ends_with(".html") || file.ends_with(".htm")
}

/// Module ids Rollup bundles: absolute paths and `\0` virtual modules (bare ids are externals).
fn is_bundled(id: &str) -> bool {
    id.starts_with('\0')
        || id.starts_with('/')
        || id.as_bytes().get(1) == Some(&b':')
            && id.as_bytes().get(2).is_some_and(|b| *b == b'/' || *b == b'\\')
}

pub(crate) fn load(text: &str, file: &Path, root: &Path) -> Result<BuildInput, StatsError> {
    let bundle: Bundle = serde_json::from_str(text).map_err(|e| shape_error(file, "Vite bundle", &e))?;
    let bundler = bundle.bundler.clone().unwrap_or_else(|| "rollup".to_string());
    let mut builder = Builder::new(root, &bundler);
    let out_dir = builder.root().join(bundle.out_dir.as_deref().unwrap_or("dist"));

    let external: BTreeSet<&str> = bundle
        .modules
        .iter()
        .filter(|m| m.is_external == Some(true) || !is_bundled(&m.id))
        .map(|m| m.id.as_str())
        .collect();
    let mut paths: HashMap<&str, String> = HashMap::new();
    let register = |builder: &mut Builder, id: &str| -> String {
        let (path, abs) = module_path(builder.root(), id);
        builder.module(&path, abs);
        path
    };
    for chunk in &bundle.chunks {
        for (id, rendered) in &chunk.modules.0 {
            if is_html(id) {
                continue;
            }
            let path = register(&mut builder, id);
            if let Some(original) = rendered.original_length {
                builder.module(&path, PathBuf::new()).raw_size = Some(original);
            }
            paths.insert(id.as_str(), path);
        }
    }
    for module in &bundle.modules {
        if !is_html(&module.id)
            && !external.contains(module.id.as_str())
            && !paths.contains_key(module.id.as_str())
        {
            let path = register(&mut builder, &module.id);
            paths.insert(module.id.as_str(), path);
        }
    }

    // Imports between modules, in source order as Rollup lists them.
    let mut html_imports: HashMap<&str, &[String]> = HashMap::new();
    for module in &bundle.modules {
        if is_html(&module.id) {
            html_imports.insert(module.id.as_str(), &module.imported_ids);
            continue;
        }
        let Some(from) = paths.get(module.id.as_str()) else { continue };
        let lists = [(&module.imported_ids, false), (&module.dynamically_imported_ids, true)];
        for (ids, dynamic) in lists {
            for id in ids {
                let to = paths.get(id.as_str()).cloned();
                let kind = match (dynamic, to.as_deref().map(kind_from_path)) {
                    (true, _) => ImportKind::Dynamic,
                    (false, Some(ModuleKind::Css)) => ImportKind::Css,
                    (false, Some(ModuleKind::Asset)) => ImportKind::Asset,
                    _ => ImportKind::Static,
                };
                let specifier = match &to {
                    Some(path) => path.clone(),
                    None => id.trim_start_matches('\0').to_string(),
                };
                builder.import(RawImport { from: from.clone(), to, specifier, kind, line: 0, column: 0 });
            }
        }
    }

    for chunk in &bundle.chunks {
        let members: Vec<(&str, &Rendered)> =
            chunk.modules.0.iter().filter(|(id, _)| !is_html(id)).map(|(id, r)| (id.as_str(), r)).collect();
        let member_paths: Vec<String> = members.iter().filter_map(|(id, _)| paths.get(id).cloned()).collect();
        let code =
            chunk.code.clone().or_else(|| std::fs::read_to_string(out_dir.join(&chunk.file_name)).ok());

        // The facade: the entry module; an HTML facade stands for the first script it loads.
        let (facade, html_name) = match chunk.facade_module_id.as_deref() {
            Some(id) if is_html(id) => {
                let scripts = html_imports.get(id).copied().unwrap_or(&[]);
                let first_script = scripts
                    .iter()
                    .filter(|s| !s.starts_with('\0'))
                    .filter_map(|s| paths.get(s.as_str()))
                    .find(|p| member_paths.contains(p) && kind_from_path(p).is_script());
                let fallback = || {
                    member_paths
                        .iter()
                        .rev()
                        .find(|p| kind_from_path(p).is_script() && !p.starts_with("(virtual)/"))
                };
                let (html_path, _) = module_path(builder.root(), id);
                (first_script.or_else(fallback).cloned(), Some(module_stem(&html_path)))
            }
            Some(id) => (paths.get(id).cloned(), None),
            None => (None, None),
        };
        let kind = if chunk.is_entry {
            ChunkKind::Entry
        } else if chunk.is_dynamic_entry {
            ChunkKind::Async
        } else {
            ChunkKind::Shared
        };
        let name = html_name
            .filter(|_| kind == ChunkKind::Entry)
            .or_else(|| chunk.name.clone().filter(|n| !n.is_empty()))
            .unwrap_or_else(|| chunk_stem(&chunk.file_name));

        let unmapped = format!("[unmapped]/{}", chunk.file_name);
        let (modules, bytes) = match (&code, &chunk.map) {
            (Some(code), Some(map)) => {
                let map_dir = match chunk.file_name.rsplit_once('/') {
                    Some((dir, _)) => out_dir.join(dir),
                    None => out_dir.clone(),
                };
                let location = ballast_common::relative_path(builder.root(), &out_dir.join(&chunk.file_name));
                let (mut modules, _) =
                    chunk_modules(&mut builder, code, map, &map_dir, &chunk.file_name, &location);
                // Chunk members the map does not mention are still in the chunk, with 0 bytes.
                for path in &member_paths {
                    if !modules.iter().any(|(p, _)| p == path) {
                        modules.push((path.clone(), 0));
                    }
                }
                (modules, code.len() as u64)
            }
            (Some(code), None) => {
                let weighted: Vec<(String, u64)> = members
                    .iter()
                    .filter_map(|(id, r)| paths.get(id).map(|p| (p.clone(), r.rendered_length)))
                    .collect();
                let bytes = code.len() as u64;
                (builder.fit(weighted, bytes, &unmapped), bytes)
            }
            (None, _) => {
                builder.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::InvalidStats,
                        format!(
                            "chunk {} has no code; its size is the sum of Rollup's renderedLength",
                            chunk.file_name
                        ),
                    )
                    .in_file(file.display().to_string())
                    .with_help("renderedLength is measured before minification, so sizes are overestimated"),
                );
                let modules: Vec<(String, u64)> = members
                    .iter()
                    .filter_map(|(id, r)| paths.get(id).map(|p| (p.clone(), r.rendered_length)))
                    .collect();
                let bytes = modules.iter().map(|(_, b)| b).sum();
                (modules, bytes)
            }
        };
        if kind == ChunkKind::Entry
            && let Some(module) = &facade
        {
            builder.entry(&name, module);
        }
        builder.chunk(RawChunk {
            file: chunk.file_name.clone(),
            name,
            kind,
            modules,
            imports: chunk.imports.clone(),
            dynamic_imports: chunk.dynamic_imports.clone(),
            facade,
            code,
            bytes,
        });
    }
    Ok(builder.finish())
}
