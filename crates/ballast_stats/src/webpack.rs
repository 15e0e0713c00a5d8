//! webpack 5 stats (`webpack --json`): modules with `size`/`sizes` and `chunks`, concatenated modules flattened,
//! imports from `reasons`, chunk bytes from `assets`. Module sizes are pre-minification, so they are scaled to
//! the chunk's JavaScript assets.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use ballast_chunk::ChunkKind;
use ballast_graph::{ImportKind, ModuleFormat};
use serde::Deserialize;

use crate::builder::{Builder, RawChunk, RawImport};
use crate::util::{Ordered, is_js_file, module_path, module_stem};
use crate::{BuildInput, StatsError, shape_error};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stats {
    #[serde(default)]
    output_path: Option<String>,
    #[serde(default)]
    modules: Option<Vec<WpModule>>,
    #[serde(default)]
    chunks: Vec<WpChunk>,
    #[serde(default)]
    assets: Vec<WpAsset>,
    #[serde(default)]
    entrypoints: Option<Ordered<Entrypoint>>,
    #[serde(default)]
    children: Vec<Stats>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WpModule {
    #[serde(default)]
    identifier: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    name_for_condition: Option<String>,
    #[serde(default)]
    module_type: Option<String>,
    #[serde(default)]
    size: Option<f64>,
    #[serde(default)]
    sizes: Option<BTreeMap<String, f64>>,
    #[serde(default)]
    chunks: Vec<serde_json::Value>,
    #[serde(default)]
    modules: Option<Vec<WpModule>>,
    #[serde(default)]
    reasons: Option<Vec<Reason>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reason {
    #[serde(default)]
    module_identifier: Option<String>,
    #[serde(default)]
    resolved_module_identifier: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    user_request: Option<String>,
    #[serde(default)]
    loc: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WpChunk {
    id: serde_json::Value,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    children: Vec<serde_json::Value>,
    #[serde(default)]
    modules: Option<Vec<WpModule>>,
}

#[derive(Debug, Deserialize)]
struct WpAsset {
    name: String,
    #[serde(default)]
    size: f64,
}

#[derive(Debug, Deserialize)]
struct Entrypoint {
    #[serde(default)]
    chunks: Vec<serde_json::Value>,
}

fn id_key(id: &serde_json::Value) -> String {
    match id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn to_bytes(n: f64) -> u64 {
    if n.is_finite() && n > 0.0 { n.round() as u64 } else { 0 }
}

/// Bytes a module puts into JavaScript (its CSS goes to the `.css` asset).
fn js_weight(module: &WpModule) -> u64 {
    match &module.sizes {
        Some(sizes) => sizes.iter().filter(|(k, _)| !k.starts_with("css")).map(|(_, v)| to_bytes(*v)).sum(),
        None => module.size.map(to_bytes).unwrap_or(0),
    }
}

fn module_path_of(root: &Path, module: &WpModule) -> String {
    if let Some(resource) = &module.name_for_condition {
        return module_path(root, resource).0;
    }
    let name = module.name.as_deref().or(module.identifier.as_deref()).unwrap_or("(unnamed)");
    let name = name.split(" + ").next().unwrap_or(name);
    if name.starts_with("./") || name.starts_with("../") {
        return module_path(root, &root.join(name).to_string_lossy()).0;
    }
    format!("(webpack)/{}", name.trim_start_matches("webpack/"))
}

fn reason_kind(kind: &str) -> Option<ImportKind> {
    Some(match kind {
        "entry" | "" => return None,
        k if k.starts_with("import()") => ImportKind::Dynamic,
        k if k.starts_with("cjs") || k.contains("require") => ImportKind::Require,
        "harmony export imported specifier" | "harmony reexport" => ImportKind::ReExport,
        k if k.starts_with("css") => ImportKind::Css,
        k if k.contains("new Worker") || k.contains("worker") => ImportKind::Worker,
        "new URL()" | "url()" => ImportKind::Asset,
        _ => ImportKind::Static,
    })
}

/// `14:37-65` → (14, 38): 1-based line and column.
fn parse_loc(loc: Option<&str>) -> (u32, u32) {
    let Some(loc) = loc else { return (0, 0) };
    let mut parts = loc.split([':', '-']);
    let line = parts.next().and_then(|l| l.parse::<u32>().ok());
    let column = parts.next().and_then(|c| c.parse::<u32>().ok());
    match (line, column) {
        (Some(l), Some(c)) => (l, c + 1),
        _ => (0, 0),
    }
}

pub(crate) fn load(text: &str, file: &Path, root: &Path) -> Result<BuildInput, StatsError> {
    let stats: Stats = serde_json::from_str(text).map_err(|e| shape_error(file, "webpack stats", &e))?;
    let mut builder = Builder::new(root, "webpack");
    let mut compilations: Vec<&Stats> = Vec::new();
    collect(&stats, &mut compilations);
    for compilation in compilations {
        read_compilation(&mut builder, compilation, file);
    }
    Ok(builder.finish())
}

/// The compilations with chunks: the top level, or its children (multi-compiler stats).
fn collect<'a>(stats: &'a Stats, out: &mut Vec<&'a Stats>) {
    if !stats.chunks.is_empty() {
        out.push(stats);
    } else {
        for child in &stats.children {
            collect(child, out);
        }
    }
}

fn visit<'a>(modules: &'a [WpModule], out: &mut Vec<&'a WpModule>) {
    for module in modules {
        out.push(module);
        if let Some(inner) = &module.modules {
            visit(inner, out);
        }
    }
}

fn read_compilation(builder: &mut Builder, stats: &Stats, file: &Path) {
    let root = builder.root().to_path_buf();
    // Top-level modules (each knows its chunks), else the modules listed under each chunk.
    let mut placed: Vec<(&WpModule, Vec<String>)> = Vec::new();
    match &stats.modules {
        Some(modules) if !modules.is_empty() => {
            for module in modules {
                placed.push((module, module.chunks.iter().map(id_key).collect()));
            }
        }
        _ => {
            for chunk in &stats.chunks {
                for module in chunk.modules.iter().flatten() {
                    placed.push((module, vec![id_key(&chunk.id)]));
                }
            }
        }
    }

    // Every module, concatenated ones included, by identifier.
    let mut all: Vec<&WpModule> = Vec::new();
    for (module, _) in &placed {
        visit(std::slice::from_ref(*module), &mut all);
    }
    let mut by_identifier: HashMap<&str, String> = HashMap::new();
    for module in &all {
        let path = module_path_of(&root, module);
        let abs = match &module.name_for_condition {
            Some(resource) => module_path(&root, resource).1,
            None => PathBuf::from(&path),
        };
        let record = builder.module(&path, abs);
        if module.modules.is_none() {
            record.raw_size = record.raw_size.or(module.size.map(to_bytes));
            record.format = record.format.or(match module.module_type.as_deref() {
                Some("javascript/esm") => Some(ModuleFormat::Esm),
                Some("javascript/auto") | Some("javascript/dynamic") => Some(ModuleFormat::Cjs),
                _ => None,
            });
        }
        if let Some(identifier) = &module.identifier {
            by_identifier.insert(identifier.as_str(), path);
        }
    }

    // Imports, from the reasons of the module imported.
    let mut dynamic_targets: BTreeSet<String> = BTreeSet::new();
    let mut entry_modules: BTreeMap<String, String> = BTreeMap::new();
    for module in &all {
        let to = module_path_of(&root, module);
        for reason in module.reasons.iter().flatten() {
            let kind_name = reason.kind.as_deref().unwrap_or("");
            if kind_name == "entry" {
                if let Some(name) = &reason.loc {
                    entry_modules.entry(name.clone()).or_insert_with(|| to.clone());
                }
                continue;
            }
            let Some(kind) = reason_kind(kind_name) else { continue };
            let from = reason.resolved_module_identifier.as_deref().or(reason.module_identifier.as_deref());
            let Some(from) = from.and_then(|f| by_identifier.get(f)) else { continue };
            if *from == to {
                continue;
            }
            if kind == ImportKind::Dynamic {
                dynamic_targets.insert(to.clone());
            }
            let (line, column) = parse_loc(reason.loc.as_deref());
            builder.import(RawImport {
                from: from.clone(),
                to: Some(to.clone()),
                specifier: reason.user_request.clone().unwrap_or_else(|| to.clone()),
                kind,
                line,
                column,
            });
        }
    }

    // Modules per chunk, concatenated modules flattened into their parts.
    let mut chunk_members: HashMap<String, Vec<(String, u64)>> = HashMap::new();
    for (module, chunks) in &placed {
        let parts: Vec<(String, u64)> = match &module.modules {
            Some(inner) if !inner.is_empty() => {
                let mut flat = Vec::new();
                visit(inner, &mut flat);
                flat.iter()
                    .filter(|m| m.modules.is_none())
                    .map(|m| (module_path_of(&root, m), js_weight(m)))
                    .collect()
            }
            _ => vec![(module_path_of(&root, module), js_weight(module))],
        };
        for chunk in chunks {
            let members = chunk_members.entry(chunk.clone()).or_default();
            for (path, weight) in &parts {
                if !members.iter().any(|(p, _)| p == path) {
                    members.push((path.clone(), *weight));
                }
            }
        }
    }

    let asset_size: HashMap<&str, u64> =
        stats.assets.iter().map(|a| (a.name.as_str(), to_bytes(a.size))).collect();
    let output_dir = stats.output_path.as_deref().map(PathBuf::from);
    let stats_dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let chunk_file: HashMap<String, String> = stats
        .chunks
        .iter()
        .filter_map(|c| c.files.iter().find(|f| is_js_file(f)).map(|f| (id_key(&c.id), f.clone())))
        .collect();

    // Entry chunks: the chunk of each entrypoint that holds its entry module; the others in the entrypoint are
    // loaded with it (static imports).
    let mut entry_chunk: BTreeMap<String, (String, Option<String>, Vec<String>)> = BTreeMap::new();
    for (name, entrypoint) in stats.entrypoints.iter().flat_map(|e| e.0.iter()) {
        let ids: Vec<String> = entrypoint.chunks.iter().map(id_key).collect();
        let module = entry_modules.get(name).cloned();
        let holder = ids
            .iter()
            .find(|id| {
                module
                    .as_ref()
                    .is_some_and(|m| chunk_members.get(*id).is_some_and(|ms| ms.iter().any(|(p, _)| p == m)))
            })
            .or(ids.last())
            .cloned();
        if let Some(holder) = holder {
            let others =
                ids.iter().filter(|id| **id != holder).filter_map(|id| chunk_file.get(id).cloned()).collect();
            entry_chunk.entry(holder).or_insert((name.clone(), module, others));
        }
    }

    for chunk in &stats.chunks {
        let id = id_key(&chunk.id);
        let Some(key) = chunk_file.get(&id) else { continue };
        let js_files: Vec<&String> = chunk.files.iter().filter(|f| is_js_file(f)).collect();
        let code = if js_files.len() == 1 {
            let candidates = [output_dir.as_ref().map(|d| d.join(key)), Some(stats_dir.join(key))];
            candidates.iter().flatten().find_map(|p| std::fs::read_to_string(p).ok())
        } else {
            None
        };
        let bytes = match &code {
            Some(code) => code.len() as u64,
            None => js_files.iter().map(|f| asset_size.get(f.as_str()).copied().unwrap_or(0)).sum(),
        };
        let weighted = chunk_members.remove(&id).unwrap_or_default();
        let modules = builder.fit(weighted, bytes, &format!("[unmapped]/{key}"));

        let (kind, name, facade, imports) = match entry_chunk.get(&id) {
            Some((name, module, others)) => (ChunkKind::Entry, name.clone(), module.clone(), others.clone()),
            None => {
                let facade = modules.iter().map(|(p, _)| p).find(|p| dynamic_targets.contains(*p)).cloned();
                let kind = if facade.is_some() { ChunkKind::Async } else { ChunkKind::Shared };
                let name = chunk
                    .names
                    .first()
                    .cloned()
                    .or_else(|| facade.as_deref().map(module_stem))
                    .unwrap_or_else(|| id.clone());
                (kind, name, facade, Vec::new())
            }
        };
        if kind == ChunkKind::Entry
            && let Some(module) = &facade
        {
            builder.entry(&name, module);
        }
        builder.chunk(RawChunk {
            file: key.clone(),
            name,
            kind,
            modules,
            imports,
            dynamic_imports: chunk
                .children
                .iter()
                .filter_map(|c| chunk_file.get(&id_key(c)).cloned())
                .collect(),
            facade,
            code,
            bytes,
        });
    }
}
