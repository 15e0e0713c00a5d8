//! Source mode: from a project's entries to a `ModuleGraph`. Entries are found, every import is resolved the
//! way bundlers do (`oxc_resolver`) and every script parsed once with oxc, in parallel (`rayon`).

mod alias;
mod bundler_code;
mod constants;
mod css;
mod entries;
mod facts;
mod glob;
pub mod helper;
mod html;
mod kind;
mod link_facts;
mod load;
mod packages;
mod parse;
mod purity;
mod resolve;
mod usage;
mod vite_config;

use std::path::{Path, PathBuf};

use ballast_common::{
    Diagnostic, DiagnosticCode, DiskCache, ImportIdx, ModuleIdx, PackageIdx, Severity, relative_path,
};
use ballast_graph::{Entry, Import, Module, ModuleGraph, Package, SideEffects, Unread, UnreadReason};
use rustc_hash::FxHashMap;

pub use bundler_code::BundlerCode;
pub use entries::EntryFile;
pub use html::{PageScript, module_scripts, page_scripts};
pub use parse::GIANT_FILE_BYTES;
pub use vite_config::{ViteConfig, find_vite_config, read_vite_config};

use alias::Alias;
use load::{LoadedModule, Loader, ModuleKey, Setup, Target};
use packages::PackageTable;
use resolve::{ResolveConfig, Resolvers};

#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Absolute project directory.
    pub root: PathBuf,
    /// Entries named by the user (CLI or `ballast.json`), relative to `root`. Empty: detect them.
    pub entries: Vec<String>,
    /// Extra aliases (`ballast.json`), added to the Vite config's.
    pub aliases: Vec<(String, String)>,
    /// Parsed facts by content hash, so a warm run parses nothing.
    pub cache: DiskCache,
    /// The code the target bundler adds (runtime, preload helper), modelled as modules.
    pub bundler_code: BundlerCode,
}

/// Scans the project. Never fails: problems are diagnostics in the returned graph; a graph without entries
/// carries a `missing-entry` error.
pub fn scan(options: &ScanOptions) -> ModuleGraph {
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    let mut diagnostics = Vec::new();
    let mut unread = Vec::new();
    let config_file = find_vite_config(&root);
    let literal = config_file.as_ref().map(|f| read_vite_config(f, &root));
    // The helper is looked for only when something needs it.
    let helper = std::cell::OnceCell::new();
    let helper = || helper.get_or_init(helper::Helper::locate).clone();

    let mut resolved = None;
    if let (Some(file), Some(lit)) = (&config_file, &literal)
        && !lit.complete
    {
        let config_rel = relative_path(&root, file);
        let failure = match helper() {
            Err(d) => Some(d),
            Ok(_) if !helper::has_vite(&root) => Some(
                Diagnostic::warning(
                    DiagnosticCode::HelperFailed,
                    "the Vite config computes values, and no installed `vite` package was found to evaluate it",
                )
                .with_help("install the project's dependencies (npm ci), or list entries and aliases in ballast.json"),
            ),
            Ok(h) => match helper::resolve_config(&h, &root, file, &options.cache) {
                Ok((response, _cached)) => {
                    diagnostics.extend(response.diagnostics.iter().map(helper::HelperDiagnostic::to_diagnostic));
                    resolved = response.vite;
                    resolved.is_none().then(|| {
                        Diagnostic::warning(DiagnosticCode::HelperFailed, "Vite could not load the config")
                            .with_help("run `vite build` to see why; the literal values are used instead")
                    })
                }
                Err(message) => Some(
                    Diagnostic::warning(
                        DiagnosticCode::HelperFailed,
                        format!("the project helper could not evaluate the Vite config: {message}"),
                    )
                    .with_help("the literal values are used instead; the coverage says what may be missing"),
                ),
            },
        };
        if let Some(d) = failure {
            diagnostics.push(d.in_file(config_rel.clone()));
            unread.push(Unread { reason: UnreadReason::UnevaluatedConfig, path: config_rel, bytes: None });
        }
    }

    let mut setup = Setup::default();
    let mut resolve_config = ResolveConfig::default();
    let vite = match (&resolved, literal) {
        (Some(v), lit) => {
            setup.aliases = v.alias.iter().filter_map(Alias::from_helper).collect();
            setup.dedupe = v.dedupe.clone();
            setup.define = v.define.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            if !v.exports_conditions.is_empty() {
                resolve_config.conditions = v.exports_conditions.clone();
            }
            if !v.main_fields.is_empty() {
                resolve_config.main_fields = v.main_fields.clone();
            }
            if !v.extensions.is_empty() {
                resolve_config.extensions = v.extensions.clone();
            }
            let inputs = if v.input_default {
                Vec::new()
            } else {
                v.input.iter().map(|(name, path)| (Some(name.clone()), path.clone())).collect()
            };
            // The helper's answer replaces the literal reading and its "computed value" warnings.
            let file = lit.map(|l| l.file).unwrap_or_default();
            Some(ViteConfig { file, root: v.root.clone(), inputs, complete: true, ..ViteConfig::default() })
        }
        (None, Some(lit)) => {
            setup.aliases = lit.aliases.iter().map(|(f, r)| Alias::exact(f.clone(), r.clone())).collect();
            diagnostics.extend(lit.diagnostics.iter().cloned());
            Some(lit)
        }
        (None, None) => None,
    };
    // `ballast.json` aliases: a `./x` replacement is relative to the root.
    setup.aliases.extend(options.aliases.iter().map(|(find, to)| {
        let to = if to.starts_with('.') { root.join(to).to_string_lossy().into_owned() } else { to.clone() };
        Alias::exact(find.clone(), to)
    }));
    setup.vite_root = vite.as_ref().and_then(|v| v.root.clone());
    setup.compile = helper().is_ok();

    let resolvers = Resolvers::new(&root, &resolve_config);
    let found = entries::find_entries(&root, &options.entries, vite.as_ref(), &resolvers);
    diagnostics.extend(found.diagnostics);

    let entry_keys: Vec<ModuleKey> =
        found.entries.iter().map(|e| ModuleKey { path: e.path.clone(), query: None }).collect();
    let mut compile_diagnostics = Vec::new();
    let mut compile = |files: &[PathBuf]| -> Vec<helper::Compiled> {
        let Ok(h) = helper() else { return Vec::new() };
        let (compiled, d) = helper::compile_files(&h, &root, config_file.as_deref(), files, &options.cache);
        compile_diagnostics.extend(d);
        compiled
    };
    let mut loaded =
        Loader::new(&root, &resolvers, &options.cache, &setup).run(entry_keys.clone(), &mut compile);
    bundler_code::add(&mut loaded.modules, &root, options.bundler_code, &entry_keys);
    diagnostics.extend(compile_diagnostics);
    unread.extend(loaded.unread);
    if let Err(d) = helper()
        && unread
            .iter()
            .any(|u| u.reason == UnreadReason::UnknownKind && load::is_framework(Path::new(&u.path)))
    {
        diagnostics.push(d);
    }
    let packages = PackageTable::default();
    let mut graph = assemble(&root, loaded.modules, &found.entries, &packages);
    constants::fold_imported_constants(&mut graph, options.bundler_code == BundlerCode::Vite8);
    diagnostics.extend(packages.diagnostics.into_inner().unwrap_or_default());
    graph.diagnostics.extend(diagnostics);
    graph.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    graph.diagnostics.dedup();
    unread.sort();
    unread.dedup();
    graph.unread = unread;
    graph
}

fn module_path(root: &Path, key: &ModuleKey) -> String {
    let base = relative_path(root, &key.path);
    match &key.query {
        Some(q) => format!("{base}?{q}"),
        None => base,
    }
}

/// Puts loaded modules in path order and turns paths into indices, so the graph is the same whatever order
/// threads finished in.
fn assemble(
    root: &Path,
    mut loaded: Vec<LoadedModule>,
    entries: &[EntryFile],
    table: &PackageTable,
) -> ModuleGraph {
    let mut keyed: Vec<(String, LoadedModule)> =
        loaded.drain(..).map(|m| (module_path(root, &m.key), m)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key)));
    let index: FxHashMap<ModuleKey, ModuleIdx> =
        keyed.iter().enumerate().map(|(i, (_, m))| (m.key.clone(), ModuleIdx::new(i))).collect();

    let mut graph = ModuleGraph { root: root.to_path_buf(), ..ModuleGraph::default() };
    let mut package_index: FxHashMap<PathBuf, PackageIdx> = FxHashMap::default();
    let mut package_infos = Vec::new();
    for (i, (path, loaded)) in keyed.into_iter().enumerate() {
        let from = ModuleIdx::new(i);
        let info = table.package_of(&loaded.key.path, root);
        let package = info.as_ref().map(|info| {
            *package_index.entry(info.dir.clone()).or_insert_with(|| {
                package_infos.push(info.clone());
                PackageIdx::new(package_infos.len() - 1)
            })
        });
        let side_effects = info.as_ref().is_none_or(|p| p.file_has_side_effects(&loaded.key.path));
        let mut import_ids = Vec::with_capacity(loaded.imports.len());
        for import in loaded.imports {
            let to = match &import.target {
                Target::Module(key) => index.get(key).copied(),
                Target::Builtin(name) => {
                    // Inside a package it is usually guarded (`if (ENVIRONMENT_IS_NODE) require('fs')`) and the
                    // user cannot change it: info, not a warning.
                    let in_package = path.starts_with("node_modules/") || path.contains("/node_modules/");
                    graph.diagnostics.push(
                        Diagnostic::new(
                            DiagnosticCode::UnresolvedImport,
                            if in_package { Severity::Info } else { Severity::Warning },
                            format!(
                                "`{}` is the Node built-in `{name}`: browsers have no such module",
                                import.raw.specifier
                            ),
                        )
                        .in_file(path.clone())
                        .at(import.line, import.column)
                        .with_help("use a browser build of the package or a polyfill alias"),
                    );
                    None
                }
                Target::Ignored | Target::NotFound(_) => None,
            };
            import_ids.push(ImportIdx::new(graph.imports.len()));
            graph.imports.push(Import {
                from,
                to,
                specifier: import.raw.specifier,
                kind: import.raw.kind,
                names: import.raw.names,
                line: import.line,
                column: import.column,
            });
        }
        graph.diagnostics.extend(loaded.diagnostics);
        graph.modules.push(Module {
            path,
            abs_path: loaded.key.path,
            kind: loaded.kind,
            format: loaded.format,
            package,
            source: loaded.source,
            raw_size: loaded.raw_size,
            stamp: loaded.stamp,
            side_effects,
            local_exports: loaded.local_exports,
            imports: import_ids,
            declarations: loaded.declarations,
            rendered_size: None,
            link: loaded.link,
        });
    }
    graph.packages = package_infos
        .into_iter()
        .map(|info| Package {
            name: info.name,
            version: info.version,
            dir: relative_path(root, &info.dir),
            side_effects: info.side_effects,
            modules: Vec::new(),
        })
        .collect();
    sort_packages(&mut graph);
    for entry in entries {
        if let Some(&module) = index.get(&ModuleKey { path: entry.path.clone(), query: None }) {
            let mut name = entry.name.clone();
            let mut n = 2;
            while graph.entries.iter().any(|e| e.name == name) {
                name = format!("{}{n}", entry.name);
                n += 1;
            }
            if !graph.entries.iter().any(|e| e.module == module) {
                graph.entries.push(Entry { name, module });
            }
        }
    }
    graph
}

/// Packages in (name, version, dir) order, each with its modules listed.
fn sort_packages(graph: &mut ModuleGraph) {
    let mut order: Vec<usize> = (0..graph.packages.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&graph.packages[a], &graph.packages[b]);
        (&pa.name, &pa.version, &pa.dir).cmp(&(&pb.name, &pb.version, &pb.dir))
    });
    let mut remap = vec![PackageIdx(0); order.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = PackageIdx::new(new);
    }
    let mut packages: Vec<Option<Package>> = graph.packages.drain(..).map(Some).collect();
    graph.packages = order.iter().filter_map(|&old| packages[old].take()).collect();
    for (i, module) in graph.modules.iter_mut().enumerate() {
        if let Some(p) = &mut module.package {
            *p = remap[p.index()];
            graph.packages[p.index()].modules.push(ModuleIdx::new(i));
        }
    }
}

/// True when a package declares it has no side effects at all.
pub fn package_is_side_effect_free(package: &Package) -> bool {
    package.side_effects == SideEffects::All(false)
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            root: PathBuf::new(),
            entries: Vec::new(),
            aliases: Vec::new(),
            cache: DiskCache::disabled(),
            bundler_code: BundlerCode::None,
        }
    }
}
