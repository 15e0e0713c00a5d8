//! The dist loader: a folder of `.js` files (or one file) with their maps → modules and chunks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ballast_chunk::ChunkKind;
use ballast_common::{Diagnostic, DiagnosticCode};

use super::chunk::chunk_modules;
use super::html::html_scripts;
use super::imports::{join_rel, scan_imports};
use super::map::{find_map, read_text};
use crate::builder::{Builder, RawChunk};
use crate::util::{chunk_stem, is_js_file, module_stem, normalize};
use crate::{BuildInput, StatsError};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), StatsError> {
    let entries =
        std::fs::read_dir(dir).map_err(|source| StatsError::Io { path: dir.to_path_buf(), source })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn rel(base: &Path, path: &Path) -> String {
    ballast_common::relative_path(&normalize(base), &normalize(path))
}

/// A `dist/` folder, or one `.js` file with its map.
pub(crate) fn load(path: &Path, root: &Path) -> Result<BuildInput, StatsError> {
    let (base, files) = if path.is_dir() {
        let mut all = Vec::new();
        walk(path, &mut all)?;
        (path.to_path_buf(), all)
    } else {
        (path.parent().unwrap_or(Path::new("")).to_path_buf(), vec![path.to_path_buf()])
    };
    let js: Vec<&PathBuf> = files.iter().filter(|f| is_js_file(&f.to_string_lossy())).collect();
    if js.is_empty() {
        return Err(StatsError::NoChunks { path: path.to_path_buf() });
    }
    let mut builder = Builder::new(root, "sourcemap");

    // Entries named by the HTML pages that load them.
    let mut html_entries: BTreeMap<String, String> = BTreeMap::new();
    for html in files.iter().filter(|f| f.extension().is_some_and(|e| e == "html" || e == "htm")) {
        let text = read_text(html)?;
        let html_rel = rel(&base, html);
        let html_dir = html_rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for src in html_scripts(&text) {
            let file = join_rel(html_dir, &src);
            html_entries.entry(file).or_insert_with(|| module_stem(&html_rel));
        }
    }

    struct Loaded {
        file: String,
        modules: Vec<(String, u64)>,
        facade: Option<String>,
        statics: Vec<String>,
        dynamics: Vec<String>,
        code: String,
    }
    let mut loaded = Vec::new();
    let known: BTreeSet<String> = js.iter().map(|f| rel(&base, f)).collect();
    for file in &js {
        let code = read_text(file)?;
        let chunk_file = rel(&base, file);
        let location = ballast_common::relative_path(builder.root(), &normalize(file));
        let unmapped = format!("[unmapped]/{chunk_file}");
        let mut outside_map = None;
        let found = find_map(file, &code, &[builder.root(), &base], &mut outside_map);
        if let Some(url) = outside_map {
            builder.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::InvalidStats,
                    format!(
                        "the sourceMappingURL of {chunk_file} ({url}) points outside the project and the build \
                         output; not read"
                    ),
                )
                .in_file(location.clone())
                .with_help("a sourcemap next to the chunk (`file.js.map`) is used when there is one"),
            );
        }
        let (modules, facade) = match found {
            Ok(Some((map, map_dir))) => {
                chunk_modules(&mut builder, &code, &map, &map_dir, &chunk_file, &location)
            }
            // One broken map does not stop the others: that chunk is measured whole, as [unmapped].
            Err(e) => {
                let mut diagnostic = e.diagnostic();
                diagnostic.severity = ballast_common::Severity::Warning;
                diagnostic.help = Some(format!("{}; the chunk's bytes are reported as [unmapped]", e.hint()));
                builder.diagnostics.push(diagnostic);
                builder.synthetic(&unmapped);
                (vec![(unmapped, code.len() as u64)], None)
            }
            Ok(None) => {
                builder.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::InvalidStats,
                        format!("{chunk_file} has no sourcemap"),
                    )
                    .in_file(location)
                    .with_help("build with sourcemaps (Vite: build.sourcemap) to see the modules inside it"),
                );
                builder.synthetic(&unmapped);
                (vec![(unmapped, code.len() as u64)], None)
            }
        };
        let dir = chunk_file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let (statics, dynamics) = scan_imports(&code);
        let resolve = |specs: Vec<String>| -> Vec<String> {
            let mut out: Vec<String> = specs
                .iter()
                .map(|s| join_rel(dir, s))
                .filter(|f| known.contains(f) && *f != chunk_file)
                .collect();
            out.sort();
            out.dedup();
            out
        };
        let statics = resolve(statics);
        let dynamics = resolve(dynamics);
        loaded.push(Loaded { file: chunk_file, modules, facade, statics, dynamics, code });
    }

    let imported: BTreeSet<String> =
        loaded.iter().flat_map(|l| l.statics.iter().chain(&l.dynamics)).cloned().collect();
    let dynamic_targets: BTreeSet<String> = loaded.iter().flat_map(|l| l.dynamics.iter().cloned()).collect();
    for chunk in loaded {
        let entry_name = if html_entries.is_empty() {
            (!imported.contains(&chunk.file)).then(|| chunk_stem(&chunk.file))
        } else {
            html_entries.get(&chunk.file).cloned()
        };
        let kind = if entry_name.is_some() {
            ChunkKind::Entry
        } else if dynamic_targets.contains(&chunk.file) {
            ChunkKind::Async
        } else {
            ChunkKind::Shared
        };
        let facade = match kind {
            ChunkKind::Shared => None,
            _ => chunk.facade.clone().or_else(|| chunk.modules.first().map(|(p, _)| p.clone())),
        };
        if let (Some(name), Some(module)) = (&entry_name, &facade) {
            builder.entry(name, module);
        }
        builder.chunk(RawChunk {
            name: entry_name.unwrap_or_else(|| chunk_stem(&chunk.file)),
            kind,
            bytes: chunk.code.len() as u64,
            modules: chunk.modules,
            imports: chunk.statics,
            dynamic_imports: chunk.dynamics,
            facade,
            code: Some(chunk.code),
            file: chunk.file,
        });
    }
    Ok(builder.finish())
}
