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
mod manual_chunks;
mod memo;
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
pub use memo::ScanMemo;
pub use parse::GIANT_FILE_BYTES;
pub use vite_config::{ViteConfig, find_vite_config, read_vite_config};

use alias::Alias;
use load::{ImportTarget, LoadedModule, Loader, ModuleKey, Setup};
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
    /// The bundler inlines short numeric constants across modules (Rolldown).
    pub inline_constants: bool,
    /// Modules an earlier scan in this process read (a watch), taken back while their files are unchanged.
    pub memo: Option<std::sync::Arc<ScanMemo>>,
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
        && (!lit.complete || lit.chunking)
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
    if let Some(file) = &config_file {
        setup.plugin_modules = setup.compile && helper::has_vite(&root);
        let text = std::fs::read_to_string(file).unwrap_or_default();
        setup.claimed = helper::claimed_ids(&text);
    }
    if let Some(file) = &config_file {
        let (transformed, d, u) = plugin_transforms(&root, file, &options.cache, &helper);
        setup.transformed = transformed;
        diagnostics.extend(d);
        unread.extend(u);
    }

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
    let mut plugin_diagnostics = Vec::new();
    let mut plugins = |asks: &[helper::VirtualRequest]| -> Vec<helper::VirtualModule> {
        let Ok(h) = helper() else { return Vec::new() };
        let (modules, d) = helper::virtual_modules(&h, &root, config_file.as_deref(), asks, &options.cache);
        plugin_diagnostics.extend(d);
        modules
    };
    // Plugin-made modules are asked for as imports are resolved: a module taken back would not ask again.
    let memo_setup = format!("{root:?}|{setup:?}|{resolve_config:?}");
    let memo = options.memo.as_deref().filter(|_| !setup.plugin_modules && setup.claimed.is_empty());
    let memo = memo.map(|m| (m, memo_setup.as_str()));
    let mut loaded = Loader::new(&root, &resolvers, &options.cache, &setup).with_memo(memo).run(
        entry_keys.clone(),
        &mut compile,
        &mut plugins,
    );
    diagnostics.extend(plugin_diagnostics);
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
    if let Some(message) = resolvers.tsconfig_error() {
        diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::InvalidConfig,
                format!("tsconfig could not be read: {message}"),
            )
            .with_help(
                "fix the tsconfig (its `extends` chain); imports were resolved without its `paths` aliases",
            ),
        );
    }
    let packages = PackageTable::default();
    let mut graph = assemble(&root, loaded.modules, &found.entries, &packages);
    constants::fold_imported_constants(&mut graph, options.inline_constants);
    if let (Some(v), Some(file)) = (&resolved, &config_file) {
        let ask = manual_chunks::Ask {
            root: &root,
            config_file: file,
            resolvers: &resolvers,
            cache: &options.cache,
        };
        let (manual, d) = manual_chunks::read(&graph, v, helper(), &ask);
        graph.manual_chunks = manual;
        diagnostics.extend(d);
    }
    diagnostics.extend(packages.diagnostics.into_inner().unwrap_or_default());
    graph.diagnostics.extend(diagnostics);
    graph.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    graph.diagnostics.dedup();
    unread.sort();
    unread.dedup();
    graph.unread = unread;
    graph
}

/// Source files at most this big are looked at for a graph-changing plugin's markers.
const TRANSFORM_CANDIDATE_MAX_BYTES: u64 = 1024 * 1024;
/// At most this many files go through the project's plugins (beyond, the rest are read as written).
const TRANSFORM_CANDIDATES_MAX: usize = 2000;

/// When the config uses a plugin that changes the module graph by rewriting source files (TanStack Router's
/// route splitting: `helper::GRAPH_PLUGINS`), runs the project's own plugins on the files it would rewrite (the
/// project's script files with the plugin's markers, one helper run, cached per file) and returns the changed
/// ones by path. Never fails: a helper failure is a diagnostic, and the files it left unread are in the coverage.
fn plugin_transforms(
    root: &Path,
    config_file: &Path,
    cache: &DiskCache,
    helper: &dyn Fn() -> Result<helper::Helper, Diagnostic>,
) -> (FxHashMap<PathBuf, std::sync::Arc<helper::Transformed>>, Vec<Diagnostic>, Vec<Unread>) {
    let mut out = FxHashMap::default();
    let mut diagnostics = Vec::new();
    let mut unread = Vec::new();
    let config_text = std::fs::read_to_string(config_file).unwrap_or_default();
    let plugins = helper::graph_plugins(&config_text, root);
    if plugins.is_empty() {
        return (out, diagnostics, unread);
    }
    let markers: Vec<&str> = plugins.iter().flat_map(|(_, m, _)| m.iter().copied()).collect();
    let plugin_set: String = plugins.iter().map(|(p, _, v)| format!("{p}@{v};")).collect();
    let names: Vec<&str> = plugins.iter().map(|(p, _, _)| *p).collect();
    let mut candidates = Vec::new();
    let walker = walkdir::WalkDir::new(root).follow_links(false).into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0
            || !(name.starts_with('.')
                || (e.file_type().is_dir()
                    && matches!(name.as_ref(), "node_modules" | "dist" | "build" | "out")))
    });
    for entry in walker.filter_map(Result::ok) {
        let path = entry.path();
        let script = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "js" | "jsx" | "ts" | "tsx" | "mjs" | "mts"));
        if !entry.file_type().is_file() || !script || path == config_file {
            continue;
        }
        if entry.metadata().map(|m| m.len()).unwrap_or(u64::MAX) > TRANSFORM_CANDIDATE_MAX_BYTES {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        if markers.iter().any(|m| text.contains(m)) {
            candidates.push(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
        }
    }
    candidates.sort();
    if candidates.len() > TRANSFORM_CANDIDATES_MAX {
        diagnostics.push(Diagnostic::warning(
            DiagnosticCode::HelperFailed,
            format!(
                "{} files may be rewritten by {}: only the first {TRANSFORM_CANDIDATES_MAX} go through the project's plugins",
                candidates.len(),
                names.join(", ")
            ),
        ));
        candidates.truncate(TRANSFORM_CANDIDATES_MAX);
    }
    if candidates.is_empty() {
        return (out, diagnostics, unread);
    }
    let failure = match helper() {
        Err(d) => Some(d.message),
        Ok(_) if !helper::has_vite(root) => Some("no installed `vite` package was found".to_string()),
        Ok(h) => {
            let (transformed, d, result) =
                helper::transform_files(&h, root, Some(config_file), &plugin_set, &candidates, cache);
            diagnostics.extend(d);
            for t in transformed {
                if t.changed {
                    out.insert(t.file.clone(), std::sync::Arc::new(t));
                }
            }
            result.err()
        }
    };
    if let Some(message) = failure {
        diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::HelperFailed,
                format!(
                    "the project's plugins ({}) could not be run on its source files: {message}",
                    names.join(", ")
                ),
            )
            .in_file(relative_path(root, config_file))
            .with_help("the files they would rewrite are read as written, and listed in the coverage"),
        );
        for file in &candidates {
            let bytes = std::fs::metadata(file).ok().map(|m| m.len());
            unread.push(Unread {
                reason: UnreadReason::PluginModule,
                path: relative_path(root, file),
                bytes,
            });
        }
    }
    (out, diagnostics, unread)
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
                ImportTarget::Module(key) => index.get(key).copied(),
                ImportTarget::Builtin(name) => {
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
                ImportTarget::Ignored | ImportTarget::NotFound(_) => None,
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
            pure_commonjs: loaded.pure_commonjs,
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
            inline_constants: false,
            memo: None,
        }
    }
}
