//! The project's own chunking config, read per module: `manualChunks` as an object (`{ vendor: ['react'] }`,
//! specifiers resolved here as Rollup resolves them, from the root) or as code (a `manualChunks` function,
//! Rolldown's `codeSplitting.groups`), which the project's Vite answers for every module id through the helper.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ballast_common::{Diagnostic, DiagnosticCode, DiskCache, ModuleIdx};
use ballast_graph::{ManualAssignment, ManualChunkGroup, ManualChunks, ModuleGraph};

use crate::helper::{self, Helper, ResolvedVite};
use crate::resolve::{Resolved, Resolvers};

pub(crate) struct Ask<'a> {
    pub root: &'a Path,
    pub config_file: &'a Path,
    pub resolvers: &'a Resolvers,
    pub cache: &'a DiskCache,
}

pub(crate) fn read(
    graph: &ModuleGraph,
    vite: &ResolvedVite,
    helper: Result<Helper, Diagnostic>,
    ask: &Ask,
) -> (ManualChunks, Vec<Diagnostic>) {
    if let Some(object) = vite.manual_chunks.as_object() {
        return (from_object(graph, object, ask), Vec::new());
    }
    if !vite.has_chunking_code() {
        return (ManualChunks::default(), Vec::new());
    }
    let failed = |message: String| {
        Diagnostic::warning(
            DiagnosticCode::HelperFailed,
            format!("the config's chunking code (manualChunks / codeSplitting.groups) could not be applied: {message}"),
        )
        .with_help("the chunks are Ballast's default ones; the bundler will group modules differently")
    };
    let helper = match helper {
        Ok(h) => h,
        Err(d) => return (ManualChunks::default(), vec![failed(d.message)]),
    };
    let mut by_id: BTreeMap<PathBuf, ModuleIdx> = BTreeMap::new();
    for (i, m) in graph.modules.iter().enumerate() {
        if m.is_bundler_code() || !(m.kind.is_chunk_code() || m.kind == ballast_graph::ModuleKind::Css) {
            continue;
        }
        by_id.insert(module_id(m), ModuleIdx::new(i));
    }
    let ids: Vec<PathBuf> = by_id.keys().cloned().collect();
    match helper::chunk_groups(&helper, ask.root, ask.config_file, &ids, ask.cache) {
        Ok(answer) => {
            let groups = answer
                .groups
                .iter()
                .map(|g| ManualChunkGroup {
                    priority: g.priority as i64,
                    min_share_count: g.min_share_count.max(1.0) as u32,
                    min_size: g.min_size.max(0.0) as u64,
                })
                .collect();
            let mut assigned: Vec<ManualAssignment> = answer
                .assigned
                .iter()
                .filter_map(|a| {
                    let module = *by_id.get(&a.id)?;
                    Some(ManualAssignment { module, group: a.group, name: a.name.clone() })
                })
                .collect();
            assigned.sort_by_key(|a| (a.module, a.group));
            (ManualChunks { groups, assigned, include_dependencies: answer.include_dependencies }, Vec::new())
        }
        Err(message) => (ManualChunks::default(), vec![failed(message)]),
    }
}

/// The id the bundler passes to the config's code: the absolute path, with the query of a sub-module.
fn module_id(m: &ballast_graph::Module) -> PathBuf {
    match m.path.split_once('?') {
        Some((_, query)) => PathBuf::from(format!("{}?{query}", m.abs_path.display())),
        None => m.abs_path.clone(),
    }
}

/// `{ vendor: ['react', 'react-dom'] }`: each specifier's module starts the named chunk.
fn from_object(
    graph: &ModuleGraph,
    object: &serde_json::Map<String, serde_json::Value>,
    ask: &Ask,
) -> ManualChunks {
    let importer = ask.root.join("package.json");
    let mut assigned = Vec::new();
    for (name, specifiers) in object {
        for specifier in specifiers.as_array().into_iter().flatten().filter_map(|s| s.as_str()) {
            let Resolved::File(path) = ask.resolvers.resolve(&importer, specifier, false) else { continue };
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            if let Some(i) = graph.modules.iter().position(|m| m.abs_path == path && !m.path.contains('?')) {
                assigned.push(ManualAssignment { module: ModuleIdx::new(i), group: 0, name: name.clone() });
            }
        }
    }
    ManualChunks {
        groups: vec![ManualChunkGroup { priority: 0, min_share_count: 1, min_size: 0 }],
        assigned,
        include_dependencies: true,
    }
}
