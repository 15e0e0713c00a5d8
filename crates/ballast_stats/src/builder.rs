//! Format-independent assembly: the readers describe modules, imports and chunks by path and file name; the
//! builder sorts them, assigns indices, detects packages and derives the chunk links and `initial` flags.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use ballast_chunk::{Chunk, ChunkKind, ChunkPlan};
use ballast_common::{ChunkIdx, Diagnostic, DiagnosticCode, ImportIdx, ModuleIdx, PackageIdx};
use ballast_graph::{
    Entry, Import, ImportKind, ImportedNames, Module, ModuleFormat, ModuleGraph, ModuleKind, Package,
    SideEffects,
};

use crate::BuildInput;
use ballast_common::apportion;

use crate::util::{kind_from_path, module_stem, normalize};

#[derive(Debug, Default)]
pub(crate) struct ModuleInfo {
    pub abs: PathBuf,
    pub raw_size: Option<u64>,
    pub format: Option<ModuleFormat>,
}

#[derive(Debug)]
pub(crate) struct RawImport {
    pub from: String,
    /// Module path, or `None` for an external / unresolved specifier.
    pub to: Option<String>,
    pub specifier: String,
    pub kind: ImportKind,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug)]
pub(crate) struct RawChunk {
    /// Output file, unique; the key `imports` and `dynamic_imports` refer to.
    pub file: String,
    pub name: String,
    pub kind: ChunkKind,
    /// Module paths with the bytes each contributes; they add up to `bytes`.
    pub modules: Vec<(String, u64)>,
    pub imports: Vec<String>,
    pub dynamic_imports: Vec<String>,
    pub facade: Option<String>,
    pub code: Option<String>,
    pub bytes: u64,
}

pub(crate) struct Builder {
    root: PathBuf,
    bundler: String,
    modules: BTreeMap<String, ModuleInfo>,
    imports: Vec<RawImport>,
    chunks: Vec<RawChunk>,
    entries: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Builder {
    pub fn new(root: &Path, bundler: &str) -> Self {
        Builder {
            root: normalize(root),
            bundler: bundler.to_string(),
            modules: BTreeMap::new(),
            imports: Vec::new(),
            chunks: Vec::new(),
            entries: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Registers a module (once per path) and returns its record.
    pub fn module(&mut self, path: &str, abs: PathBuf) -> &mut ModuleInfo {
        self.modules.entry(path.to_string()).or_insert_with(|| ModuleInfo { abs, ..ModuleInfo::default() })
    }

    /// A synthetic module (`[unmapped]/…`, `[esbuild runtime]/…`).
    pub fn synthetic(&mut self, path: &str) {
        self.module(path, PathBuf::from(path));
    }

    pub fn import(&mut self, import: RawImport) {
        self.imports.push(import);
    }

    pub fn entry(&mut self, name: &str, module: &str) {
        self.entries.push((name.to_string(), module.to_string()));
    }

    pub fn chunk(&mut self, chunk: RawChunk) {
        self.chunks.push(chunk);
    }

    /// Fits pre-minification weights to the chunk's real size (largest remainder); bytes nothing accounts for go
    /// to `fallback` (a synthetic module of the chunk).
    pub fn fit(&mut self, weighted: Vec<(String, u64)>, bytes: u64, fallback: &str) -> Vec<(String, u64)> {
        let weights: Vec<u64> = weighted.iter().map(|(_, w)| *w).collect();
        match apportion(bytes, &weights) {
            Some(parts) => weighted.into_iter().zip(parts).map(|((path, _), part)| (path, part)).collect(),
            None => {
                self.synthetic(fallback);
                let mut modules: Vec<(String, u64)> =
                    weighted.into_iter().map(|(path, _)| (path, 0)).collect();
                modules.push((fallback.to_string(), bytes));
                modules
            }
        }
    }

    pub fn finish(mut self) -> BuildInput {
        let paths: Vec<String> = self.modules.keys().cloned().collect();
        let index: HashMap<&str, ModuleIdx> =
            paths.iter().enumerate().map(|(i, p)| (p.as_str(), ModuleIdx::new(i))).collect();

        // Chunks: entries first, then by name; file name breaks ties.
        let mut chunks = std::mem::take(&mut self.chunks);
        chunks.sort_by(|a, b| {
            (a.kind != ChunkKind::Entry, &a.name, &a.file).cmp(&(
                b.kind != ChunkKind::Entry,
                &b.name,
                &b.file,
            ))
        });
        let chunk_index: HashMap<String, ChunkIdx> =
            chunks.iter().enumerate().map(|(i, c)| (c.file.clone(), ChunkIdx::new(i))).collect();

        // Rendered sizes and each module's home chunk (the first chunk, in chunk order, that holds it).
        let mut rendered: Vec<Option<u64>> = vec![None; paths.len()];
        let mut module_chunk: Vec<Option<ChunkIdx>> = vec![None; paths.len()];
        let mut duplicated: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (c, chunk) in chunks.iter().enumerate() {
            for (path, size) in &chunk.modules {
                let Some(&m) = index.get(path.as_str()) else { continue };
                match module_chunk[m.index()] {
                    None => {
                        module_chunk[m.index()] = Some(ChunkIdx::new(c));
                        rendered[m.index()] = Some(*size);
                    }
                    Some(home) if home.index() == c => {
                        rendered[m.index()] = Some(rendered[m.index()].unwrap_or(0) + size);
                    }
                    Some(_) => duplicated.entry(m.index()).or_default().push(c),
                }
            }
        }
        for (m, others) in &duplicated {
            let home = module_chunk[*m].map(|c| chunks[c.index()].name.clone()).unwrap_or_default();
            let names: Vec<&str> = others.iter().map(|&c| chunks[c].name.as_str()).collect();
            self.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::InvalidStats,
                    format!(
                        "module {} is bundled into several chunks ({home}, {}); its size is the one in {home}",
                        paths[*m],
                        names.join(", ")
                    ),
                )
                .in_file(paths[*m].clone()),
            );
        }

        // Imports: deduplicated, grouped by importer, in source order when known.
        let mut raw = std::mem::take(&mut self.imports);
        raw.retain(|i| index.contains_key(i.from.as_str()));
        let mut seen = BTreeSet::new();
        raw.retain(|i| {
            seen.insert((i.from.clone(), i.to.clone().unwrap_or_else(|| i.specifier.clone()), i.kind))
        });
        let mut raw: Vec<(usize, RawImport)> = raw.into_iter().enumerate().collect();
        raw.sort_by_key(|(order, i)| (index[i.from.as_str()], i.line == 0, i.line, i.column, *order));
        let mut imports = Vec::with_capacity(raw.len());
        let mut module_imports: Vec<Vec<ImportIdx>> = vec![Vec::new(); paths.len()];
        for (_, i) in raw {
            let from = index[i.from.as_str()];
            let to = i.to.as_deref().and_then(|t| index.get(t).copied());
            // A plain import of a stylesheet is a CSS import, whatever the bundler called it.
            let kind = match (i.kind, to) {
                (ImportKind::Static, Some(t)) if kind_from_path(&paths[t.index()]) == ModuleKind::Css => {
                    ImportKind::Css
                }
                (kind, _) => kind,
            };
            module_imports[from.index()].push(ImportIdx::new(imports.len()));
            imports.push(Import {
                from,
                to,
                specifier: i.specifier,
                kind,
                names: ImportedNames::All,
                line: i.line,
                column: i.column,
            });
        }

        // Packages, from `node_modules` segments.
        let mut package_dirs: BTreeMap<String, Vec<ModuleIdx>> = BTreeMap::new();
        for (m, path) in paths.iter().enumerate() {
            if let Some(dir) = package_dir(path) {
                package_dirs.entry(dir).or_default().push(ModuleIdx::new(m));
            }
        }
        let mut packages = Vec::new();
        let mut module_package: Vec<Option<PackageIdx>> = vec![None; paths.len()];
        for (dir, members) in package_dirs {
            let (name, version, side_effects) = read_package(&self.root, &dir);
            for m in &members {
                module_package[m.index()] = Some(PackageIdx::new(packages.len()));
            }
            packages.push(Package { name, version, dir, side_effects, modules: members });
        }

        let mut modules = Vec::with_capacity(paths.len());
        for (m, (path, info)) in std::mem::take(&mut self.modules).into_iter().enumerate() {
            let kind = kind_from_path(&path);
            let side_effects = !matches!(
                module_package[m].map(|p| &packages[p.index()].side_effects),
                Some(SideEffects::All(false))
            );
            modules.push(Module {
                kind,
                format: info.format.unwrap_or(if kind.is_script() {
                    ModuleFormat::Esm
                } else {
                    ModuleFormat::None
                }),
                package: module_package[m],
                source: None,
                raw_size: info
                    .raw_size
                    .unwrap_or_else(|| std::fs::metadata(&info.abs).map(|m| m.len()).unwrap_or(0)),
                stamp: None,
                side_effects,
                pure_commonjs: false,
                local_exports: Vec::new(),
                imports: std::mem::take(&mut module_imports[m]),
                declarations: Vec::new(),
                rendered_size: Some(rendered[m].unwrap_or(0)),
                link: None,
                abs_path: info.abs,
                path,
            });
        }

        let mut entries: Vec<Entry> = Vec::new();
        let mut raw_entries = std::mem::take(&mut self.entries);
        raw_entries.sort();
        raw_entries.dedup();
        for (name, module) in raw_entries {
            if let Some(&m) = index.get(module.as_str())
                && !entries.iter().any(|e| e.module == m)
            {
                entries.push(Entry { name, module: m });
            }
        }

        // Chunk plan.
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        let mut plan_chunks = Vec::with_capacity(chunks.len());
        let mut chunk_code = Vec::with_capacity(chunks.len());
        let mut chunk_bytes = Vec::with_capacity(chunks.len());
        for (c, chunk) in chunks.into_iter().enumerate() {
            let link = |files: &[String]| {
                let mut out: Vec<ChunkIdx> = files
                    .iter()
                    .filter_map(|f| chunk_index.get(f).copied())
                    .filter(|t| t.index() != c)
                    .collect();
                out.sort();
                out.dedup();
                out
            };
            let count = names.entry(chunk.name.clone()).or_insert(0);
            *count += 1;
            let name = if *count > 1 { format!("{}{}", chunk.name, count) } else { chunk.name.clone() };
            let mut members: Vec<ModuleIdx> = Vec::new();
            for (path, _) in &chunk.modules {
                if let Some(&m) = index.get(path.as_str())
                    && !members.contains(&m)
                {
                    members.push(m);
                }
            }
            plan_chunks.push(Chunk {
                name,
                kind: chunk.kind,
                initial: false,
                modules: members,
                imports: link(&chunk.imports),
                dynamic_imports: link(&chunk.dynamic_imports),
                facade: chunk.facade.as_deref().and_then(|f| index.get(f).copied()),
            });
            chunk_code.push(chunk.code);
            chunk_bytes.push(chunk.bytes);
        }
        let mut stack: Vec<usize> =
            (0..plan_chunks.len()).filter(|&c| plan_chunks[c].kind == ChunkKind::Entry).collect();
        while let Some(c) = stack.pop() {
            if plan_chunks[c].initial {
                continue;
            }
            plan_chunks[c].initial = true;
            stack.extend(plan_chunks[c].imports.iter().map(|i| i.index()));
        }

        let mut diagnostics = self.diagnostics;
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics.dedup();
        BuildInput {
            graph: ModuleGraph {
                root: self.root,
                modules,
                imports,
                packages,
                entries,
                diagnostics: Vec::new(),
                unread: Vec::new(),
                manual_chunks: Default::default(),
            },
            chunks: ChunkPlan { chunks: plan_chunks, module_chunk },
            chunk_code,
            chunk_bytes,
            bundler: self.bundler,
            diagnostics,
        }
    }
}

/// `node_modules/@scope/pkg/dist/x.js` → `node_modules/@scope/pkg` (the last `node_modules` wins).
pub(crate) fn package_dir(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('?').next().unwrap_or(path).split('/').collect();
    let at = segments.iter().rposition(|s| *s == "node_modules")?;
    let name_len = if segments.get(at + 1)?.starts_with('@') { 2 } else { 1 };
    // The package directory must hold something below it.
    if segments.len() <= at + name_len + 1 {
        return None;
    }
    Some(segments[..=at + name_len].join("/"))
}

fn read_package(root: &Path, dir: &str) -> (String, String, SideEffects) {
    let from_path = || {
        let after = dir.rsplit_once("node_modules/").map(|(_, n)| n).unwrap_or(dir);
        after.to_string()
    };
    let manifest = normalize(&root.join(dir).join("package.json"));
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        return (from_path(), String::new(), SideEffects::All(true));
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return (from_path(), String::new(), SideEffects::All(true));
    };
    let name = json.get("name").and_then(|n| n.as_str()).map(str::to_string).unwrap_or_else(from_path);
    let version = json.get("version").and_then(|v| v.as_str()).unwrap_or("").to_string();
    let side_effects = match json.get("sideEffects") {
        Some(serde_json::Value::Bool(b)) => SideEffects::All(*b),
        Some(serde_json::Value::Array(files)) => {
            SideEffects::Files(files.iter().filter_map(|f| f.as_str().map(str::to_string)).collect())
        }
        _ => SideEffects::All(true),
    };
    (name, version, side_effects)
}

/// Name for a chunk the bundler left unnamed: the stem of its facade or first module.
pub(crate) fn fallback_name(modules: &[(String, u64)], facade: Option<&str>) -> Option<String> {
    facade.or_else(|| modules.first().map(|(p, _)| p.as_str())).map(module_stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_dirs() {
        assert_eq!(
            package_dir("node_modules/nanoid/index.browser.js").as_deref(),
            Some("node_modules/nanoid")
        );
        assert_eq!(package_dir("node_modules/@a/b/x.js").as_deref(), Some("node_modules/@a/b"));
        assert_eq!(
            package_dir("node_modules/a/node_modules/b/x.js").as_deref(),
            Some("node_modules/a/node_modules/b")
        );
        assert_eq!(package_dir("src/a.js"), None);
    }
}
