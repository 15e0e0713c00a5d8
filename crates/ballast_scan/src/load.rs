//! The parallel worklist: each file read once, parsed once, its facts extracted, its targets resolved and
//! queued. Results come back in whatever order threads finish; `lib.rs` sorts them.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use ballast_common::{Diagnostic, DiagnosticCode, DiskCache, FileStamp, Severity, relative_path};
use ballast_graph::{ImportKind, ImportedNames, ModuleFormat, ModuleKind, Unread, UnreadReason};
use oxc::allocator::Allocator;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::alias::Alias;
use crate::helper::{Compiled, VirtualModule, VirtualRequest};

use crate::css::scan_css;
use crate::facts::{ModuleFacts, ProblemKind, RawImport, line_column, line_starts};
use crate::kind::{module_kind, split_query};
use crate::memo::{ScanMemo, Signature};
use crate::parse::parse_script;
use crate::resolve::{Resolved, Resolvers};

/// A module's identity: its real path, plus the query when it changes what the file is (`?raw`, `?url`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleKey {
    pub path: PathBuf,
    pub query: Option<String>,
}

#[derive(Clone)]
pub enum ImportTarget {
    Module(ModuleKey),
    Builtin(String),
    Ignored,
    NotFound(String),
}

#[derive(Clone)]
pub struct LoadedImport {
    pub raw: RawImport,
    pub line: u32,
    pub column: u32,
    pub target: ImportTarget,
}

#[derive(Clone)]
pub struct LoadedModule {
    pub key: ModuleKey,
    pub kind: ModuleKind,
    pub format: ModuleFormat,
    pub source: Option<Arc<str>>,
    pub raw_size: u64,
    pub stamp: Option<FileStamp>,
    pub local_exports: Vec<String>,
    pub declarations: Vec<ballast_graph::Declaration>,
    pub link: Option<Arc<ballast_graph::LinkFacts>>,
    /// See `ModuleFacts::pure_commonjs`.
    pub pure_commonjs: bool,
    pub imports: Vec<LoadedImport>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the project's config adds to plain resolution (from the literal reader or the Node helper).
#[derive(Debug, Default)]
pub struct Setup {
    pub aliases: Vec<Alias>,
    /// Packages resolved from the root whoever imports them (Vite's `resolve.dedupe`).
    pub dedupe: Vec<String>,
    /// Vite's `root`: where `/x` ids and HTML `src="/x"` point.
    pub vite_root: Option<PathBuf>,
    /// `define`: identifier (or dotted name) → the expression substituted for it.
    pub define: Vec<(String, String)>,
    /// `.vue` / `.svelte` files can be compiled (the helper is there): they wait for a compile round.
    pub compile: bool,
    /// Files the project's own plugins rewrite (route splitting), by path: their modules replace the file.
    pub transformed: FxHashMap<PathBuf, Arc<crate::helper::Transformed>>,
    /// The project has Vite and the helper is there: an import that does not resolve on disk is asked of the
    /// project's plugins (`virtual:*`, `\0…`, `~pages`, `uno.css`), in a round of its own.
    pub plugin_modules: bool,
    /// Ids a plugin of the config claims although a file answers them on disk (`vue-router/auto-routes`, whose
    /// package ships a stub): asked of the plugins first.
    pub claimed: Vec<String>,
}

pub struct Loader<'a> {
    pub root: &'a Path,
    pub resolvers: &'a Resolvers,
    cache: &'a DiskCache,
    setup: &'a Setup,
    seen: Mutex<FxHashSet<ModuleKey>>,
    done: Mutex<Vec<LoadedModule>>,
    /// Framework files met but not compiled yet: the next round compiles them and visits them again.
    pending: Mutex<Vec<ModuleKey>>,
    compiled: RwLock<FxHashMap<PathBuf, Arc<Compiled>>>,
    /// Plugin-made modules met, by their path (`<root>/<id>`): the id and the importer asked with (the least one
    /// by path, so that the question does not depend on thread order).
    virtual_asks: Mutex<FxHashMap<PathBuf, (String, PathBuf)>>,
    virtuals: RwLock<FxHashMap<PathBuf, Arc<VirtualModule>>>,
    unread: Mutex<Vec<Unread>>,
    /// Modules an earlier scan of this process read, taken back while their files are unchanged.
    memo: Option<(&'a ScanMemo, &'a str)>,
}

thread_local! {
    static ALLOCATOR: RefCell<Allocator> = RefCell::new(Allocator::default());
    /// What the module being read on this thread noted in the coverage, for the memo to note again.
    static NOTED: RefCell<Option<Vec<Unread>>> = const { RefCell::new(None) };
}

/// What the loader found, and what it could not read.
pub struct Loaded {
    pub modules: Vec<LoadedModule>,
    pub unread: Vec<Unread>,
}

impl<'a> Loader<'a> {
    pub fn new(root: &'a Path, resolvers: &'a Resolvers, cache: &'a DiskCache, setup: &'a Setup) -> Self {
        Loader {
            root,
            resolvers,
            cache,
            setup,
            seen: Mutex::default(),
            done: Mutex::default(),
            pending: Mutex::default(),
            compiled: RwLock::default(),
            virtual_asks: Mutex::default(),
            virtuals: RwLock::default(),
            unread: Mutex::default(),
            memo: None,
        }
    }

    /// Takes back unchanged modules from `memo` and keeps what this scan reads in it, under the text of its
    /// setup.
    pub fn with_memo(mut self, memo: Option<(&'a ScanMemo, &'a str)>) -> Self {
        self.memo = memo;
        self
    }

    /// Scans in rounds: everything readable is read; the framework files met on the way are compiled as one
    /// batch (`compile`), the plugin-made modules asked of the project's plugins as another (`plugins`), then
    /// visited, and so on until no file waits.
    pub fn run(
        self,
        entries: Vec<ModuleKey>,
        compile: &mut dyn FnMut(&[PathBuf]) -> Vec<Compiled>,
        plugins: &mut dyn FnMut(&[VirtualRequest]) -> Vec<VirtualModule>,
    ) -> Loaded {
        let mut next = entries;
        loop {
            rayon::scope(|scope| {
                for key in next.drain(..) {
                    if self.claim(&key) {
                        let this = &self;
                        scope.spawn(move |s| this.visit(s, key));
                    }
                }
            });
            let mut pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
            if pending.is_empty() {
                break;
            }
            pending.sort();
            pending.dedup();
            let asks = self.virtual_asks.lock().map(|a| a.clone()).unwrap_or_default();
            let (virtual_keys, pending): (Vec<ModuleKey>, Vec<ModuleKey>) =
                pending.into_iter().partition(|k| asks.contains_key(&k.path));
            if !virtual_keys.is_empty() {
                let requests: Vec<VirtualRequest> = virtual_keys
                    .iter()
                    .filter_map(|k| asks.get(&k.path))
                    .map(|(id, importer)| VirtualRequest { id: id.clone(), importer: importer.clone() })
                    .collect();
                let answers = plugins(&requests);
                if let (Ok(mut seen), Ok(mut virtuals)) = (self.seen.lock(), self.virtuals.write()) {
                    for key in &virtual_keys {
                        seen.remove(key);
                        let Some((id, importer)) = asks.get(&key.path) else { continue };
                        let answer =
                            answers.iter().find(|a| &a.id == id).cloned().unwrap_or_else(|| VirtualModule {
                                id: id.clone(),
                                importer: importer.clone(),
                                error: Some("the project's plugins gave no answer for it".into()),
                                ..VirtualModule::default()
                            });
                        virtuals.insert(key.path.clone(), Arc::new(answer));
                    }
                }
            }
            let mut files: Vec<PathBuf> = pending.iter().map(|k| k.path.clone()).collect();
            files.dedup();
            let mut results = compile(&files);
            if let (Ok(mut seen), Ok(mut compiled)) = (self.seen.lock(), self.compiled.write()) {
                for key in &pending {
                    seen.remove(key);
                }
                for c in results.drain(..) {
                    compiled.insert(c.file.clone(), Arc::new(c));
                }
                // A file the compiler gave no answer for must not wait forever.
                for file in &files {
                    compiled.entry(file.clone()).or_insert_with(|| {
                        Arc::new(Compiled {
                            file: file.clone(),
                            error: Some(crate::helper::CompileError {
                                message: "no compiler answered for this file".into(),
                                ..Default::default()
                            }),
                            ..Default::default()
                        })
                    });
                }
            }
            next = pending;
            next.extend(virtual_keys);
        }
        Loaded {
            modules: self.done.into_inner().unwrap_or_else(|e| e.into_inner()),
            unread: self.unread.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    fn note_unread(&self, reason: UnreadReason, path: String, bytes: Option<u64>) {
        NOTED.with(|noted| {
            if let Some(noted) = noted.borrow_mut().as_mut() {
                noted.push(Unread { reason, path: path.clone(), bytes });
            }
        });
        if let Ok(mut unread) = self.unread.lock() {
            unread.push(Unread { reason, path, bytes });
        }
    }

    fn claim(&self, key: &ModuleKey) -> bool {
        self.seen.lock().map(|mut s| s.insert(key.clone())).unwrap_or(false)
    }

    fn visit<'s>(&'s self, scope: &rayon::Scope<'s>, key: ModuleKey) {
        let Some(module) = self.load(&key) else {
            if let Ok(mut pending) = self.pending.lock() {
                pending.push(key);
            }
            return;
        };
        for import in &module.imports {
            if let ImportTarget::Module(next) = &import.target
                && self.claim(next)
            {
                let next = next.clone();
                scope.spawn(move |s| self.visit(s, next));
            }
        }
        if let Ok(mut done) = self.done.lock() {
            done.push(module);
        }
    }

    /// The text Ballast reads for `key` and what it is, when that is not simply the file: a virtual module,
    /// an HTML page (its module scripts), a compiled framework file. `Err(None)`: wait for the compile round.
    fn special_source(
        &self,
        key: &ModuleKey,
        bytes: &[u8],
    ) -> Option<Result<(String, ModuleKind), Option<String>>> {
        let ext = key.path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext.eq_ignore_ascii_case("html") {
            let html = String::from_utf8_lossy(bytes);
            let vite_root = self.setup.vite_root.as_deref().unwrap_or(self.root);
            let code = match key.query.as_deref() {
                None => crate::entries::html_entry_source(&html, &key.path, vite_root),
                Some(q) => {
                    let index = q
                        .strip_prefix("html-proxy&index=")
                        .and_then(|rest| rest.trim_end_matches(".js").parse::<usize>().ok());
                    index.and_then(|i| crate::entries::html_inline_script(&html, i)).unwrap_or_default()
                }
            };
            return Some(Ok((code, ModuleKind::Js)));
        }
        if let Some(t) = self.setup.transformed.get(&key.path)
            && let Some(code) = t.module(key.query.as_deref())
        {
            let (kind, _) = module_kind(&key.path, None);
            return Some(Ok((code.to_string(), kind)));
        }
        if !is_framework(&key.path) {
            return None;
        }
        let compiled = self.compiled.read().ok().and_then(|c| c.get(&key.path).cloned());
        let Some(compiled) = compiled else {
            return Some(Err(None)).filter(|_| self.setup.compile).or(Some(Err(Some(
                "no compiler: Node.js or the project helper is not available, so this file was not read"
                    .into(),
            ))));
        };
        if !compiled.ok {
            let e = compiled.error.clone().unwrap_or_default();
            let at = match (e.line, e.column) {
                (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
                _ => String::new(),
            };
            return Some(Err(Some(format!("the project's compiler failed: {}{at}", e.message))));
        }
        let id = match &key.query {
            Some(q) => format!("{}?{q}", key.path.display()),
            None => key.path.display().to_string(),
        };
        let module = compiled.modules.iter().find(|m| m.virtual_id == id)?;
        let kind = if module.lang == "css" { ModuleKind::Css } else { ModuleKind::Js };
        let mut code = module.code.clone();
        if key.query.is_none() {
            // The Svelte plugin adds the import of the component's CSS to its JS; Vue's compiler writes it.
            for css in compiled.modules.iter().filter(|m| m.lang == "css") {
                if !code.contains(css.virtual_id.as_str()) {
                    code.push_str(&format!(
                        "\nimport {};\n",
                        serde_json::Value::String(css.virtual_id.clone())
                    ));
                }
            }
        }
        Some(Ok((code, kind)))
    }

    /// `key`'s module: taken back from the memo when its file is unchanged, else read (and kept).
    fn load(&self, key: &ModuleKey) -> Option<LoadedModule> {
        let memo = self.memo.filter(|_| self.is_plain_file(key));
        let Some(((memo, setup), signature)) = memo.and_then(|m| Some((m, Signature::of(&key.path)?))) else {
            return self.read_module(key);
        };
        if let Some((module, unread)) = memo.take_back(setup, key, signature) {
            for u in unread {
                self.note_unread(u.reason, u.path, u.bytes);
            }
            return Some(module);
        }
        let read_at = std::time::SystemTime::now();
        // A stack, not a flag: rayon may run another module's load on this thread while this one waits.
        let outer = NOTED.with(|noted| noted.replace(Some(Vec::new())));
        let module = self.read_module(key);
        let noted = NOTED.with(|noted| noted.replace(outer)).unwrap_or_default();
        if let Some(m) = module.as_ref().filter(|m| m.stamp.is_some()) {
            memo.keep(setup, m, signature, read_at, noted);
        }
        module
    }

    /// A file read as it is on disk: no query, no page, nothing a compiler or the project's plugins make.
    fn is_plain_file(&self, key: &ModuleKey) -> bool {
        let html = key.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("html"));
        key.query.is_none()
            && !html
            && !is_framework(&key.path)
            && virtual_module(&key.path).is_none()
            && !self.setup.transformed.contains_key(&key.path)
    }

    fn read_module(&self, key: &ModuleKey) -> Option<LoadedModule> {
        let key = key.clone();
        let rel = relative_path(self.root, &key.path);
        let (kind, known) = module_kind(&key.path, key.query.as_deref());
        let mut module = LoadedModule { kind, ..empty_module(key) };
        if let Some(result) = self.plugin_module(&mut module, &rel) {
            return result;
        }
        let virtual_code = virtual_module(&module.key.path);
        let bytes = match virtual_code {
            Some(code) => code.as_bytes().to_vec(),
            None => {
                match FileStamp::read(&module.key.path) {
                    Ok((bytes, stamp)) => {
                        module.stamp = Some(stamp);
                        bytes
                    }
                    Err(e) => {
                        module.diagnostics.push(
                        Diagnostic::error(DiagnosticCode::UnreadableFile, format!("cannot read the file: {e}"))
                            .in_file(rel)
                            .with_help(
                                "check that it exists and is readable; the rest of the project is still analysed",
                            ),
                    );
                        return Some(module);
                    }
                }
            }
        };
        module.raw_size = bytes.len() as u64;
        let special = if virtual_code.is_some() {
            Some(Ok((String::from_utf8_lossy(&bytes).into_owned(), ModuleKind::Js)))
        } else {
            self.special_source(&module.key, &bytes)
        };
        let text = match special {
            Some(Ok((code, kind))) => {
                module.kind = kind;
                module.raw_size = code.len() as u64;
                code
            }
            Some(Err(None)) => return None,
            Some(Err(Some(message))) => {
                let reason = if message.starts_with("no compiler") {
                    UnreadReason::UnknownKind
                } else {
                    UnreadReason::CompileFailed
                };
                self.note_unread(reason, rel.clone(), Some(module.raw_size));
                module
                    .diagnostics
                    .push(Diagnostic::warning(DiagnosticCode::CompileFailed, message).in_file(rel).with_help(
                    "the file is left out of the sizes and listed in the coverage; fix it or install Node.js",
                ));
                return Some(module);
            }
            None => {
                if !known {
                    self.note_unread(UnreadReason::UnknownKind, rel.clone(), Some(module.raw_size));
                    module.diagnostics.push(
                        Diagnostic::new(
                            DiagnosticCode::UnknownAssetKind,
                            Severity::Info,
                            "unknown file type: not read, so it is in no chunk and counts 0 B",
                        )
                        .in_file(rel.clone())
                        .with_help("the coverage lists it; a bundler plugin may make something of it"),
                    );
                }
                let is_text =
                    matches!(kind, ModuleKind::Css | ModuleKind::Json | ModuleKind::Text) || kind.is_script();
                if !is_text {
                    return Some(module);
                }
                match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => {
                        module.diagnostics.push(
                            Diagnostic::warning(DiagnosticCode::NonUtf8Source, "the file is not valid UTF-8")
                                .in_file(rel.clone())
                                .with_help(
                                    "bundlers read sources as UTF-8; invalid bytes were replaced for the analysis",
                                ),
                        );
                        String::from_utf8_lossy(e.as_bytes()).into_owned()
                    }
                }
            }
        };
        self.read_text(module, text, rel)
    }

    /// A module only the project's plugins make: `None` when `module` is not one; `Some(None)` while its answer
    /// is still to come (the next round asks); otherwise the module, read from the plugins' code, or empty and
    /// listed in the coverage when they could not give it.
    fn plugin_module(&self, module: &mut LoadedModule, rel: &str) -> Option<Option<LoadedModule>> {
        let asked = self.virtual_asks.lock().ok()?.get(&module.key.path).cloned();
        let (id, importer) = asked?;
        let answer = self.virtuals.read().ok().and_then(|v| v.get(&module.key.path).cloned());
        let Some(answer) = answer else { return Some(None) };
        let code = answer.code.as_deref().filter(|_| answer.ok);
        let Some(code) = code else {
            let why = answer.error.as_deref().unwrap_or("no code");
            let from = relative_path(self.root, &importer);
            // Nothing resolved it: an import that is simply missing; else a plugin that failed to make it.
            let reason =
                if answer.resolved_id.is_none() && !id.starts_with("virtual:") && !id.starts_with('\0') {
                    UnreadReason::UnresolvedImport
                } else {
                    UnreadReason::PluginModule
                };
            self.note_unread(reason, format!("{from} → {id}"), None);
            let message = if answer.resolved_id.is_none() {
                format!(
                    "cannot resolve `{id}`: no file or package answers it, and the project's Vite plugins do not make it ({why})"
                )
            } else {
                format!("cannot read `{id}` from the project's Vite plugins: {why}")
            };
            module.diagnostics.push(
                Diagnostic::warning(DiagnosticCode::UnresolvedImport, message)
                .in_file(from.clone())
                .with_help("the module is left out of the sizes and listed in the coverage; run `vite build` to see it"),
            );
            return Some(Some(std::mem::replace(module, empty_module(module.key.clone()))));
        };
        let resolved = answer.resolved_id.as_deref().unwrap_or(&id);
        let file = resolved.trim_start_matches('\0');
        let file = file.split('?').next().unwrap_or(file);
        let (by_name, known) = module_kind(Path::new(file), None);
        module.kind = if answer.lang.as_deref() == Some("css") {
            ModuleKind::Css
        } else if known && by_name.is_script() {
            by_name
        } else {
            ModuleKind::Js
        };
        module.raw_size = code.len() as u64;
        let module = std::mem::replace(module, empty_module(module.key.clone()));
        Some(self.read_text(module, code.to_string(), rel.to_string()))
    }

    /// Parses `text` as `module`'s source (defines substituted, facts cached for big files) and takes its imports.
    fn read_text(&self, mut module: LoadedModule, text: String, rel: String) -> Option<LoadedModule> {
        let kind = module.kind;
        if kind == ModuleKind::Css && generated_css(&text) {
            self.note_unread(UnreadReason::PluginModule, rel.clone(), Some(module.raw_size));
        }
        let text = if kind.is_script() { substitute_defines(&text, &self.setup.define) } else { text };
        let text: Arc<str> = Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text));
        let ext = module.key.path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
        // Every file's facts are cached: the pack store makes an entry cost a few bytes appended, not a file.
        let key = DiskCache::key(&[b"scan-facts-8", format!("{kind:?}.{ext}").as_bytes(), text.as_bytes()]);
        let cache = self.cache;
        let facts = match cache.get::<ModuleFacts>("scan", &key) {
            Some(facts) => facts,
            None => {
                let facts = match kind {
                    k if k.is_script() => ALLOCATOR.with(|cell| {
                        let mut allocator = cell.borrow_mut();
                        allocator.reset();
                        parse_script(&allocator, &text, &module.key.path, kind)
                    }),
                    ModuleKind::Css => scan_css(&text),
                    _ => ModuleFacts::default(),
                };
                cache.put("scan", &key, &facts);
                facts
            }
        };
        if kind == ModuleKind::Json
            && let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text)
        {
            // The bundler stops here ("Failed to parse JSON file"); the analysis goes on with its raw text.
            module.diagnostics.push(
                Diagnostic::error(DiagnosticCode::ParseError, format!("invalid JSON: {e}"))
                    .in_file(rel.clone())
                    .at(e.line() as u32, e.column() as u32)
                    .with_help("fix the JSON: the build fails on it; its raw size is counted meanwhile"),
            );
        }
        module.source = Some(Arc::clone(&text));
        self.absorb(&mut module, &text, &rel, facts);
        Some(module)
    }

    fn absorb(&self, module: &mut LoadedModule, text: &str, rel: &str, facts: ModuleFacts) {
        let starts = line_starts(text);
        module.format = facts.format.unwrap_or(ModuleFormat::None);
        module.pure_commonjs = facts.pure_commonjs;
        module.local_exports = facts.local_exports;
        module.declarations = facts.declarations;
        let mut link = facts.link;
        for problem in facts.problems {
            let (line, column) = line_column(text, &starts, problem.offset);
            let (code, severity, help) = match problem.kind {
                ProblemKind::Syntax => (
                    DiagnosticCode::ParseError,
                    Severity::Error,
                    "fix the syntax error; this module's imports may be incomplete",
                ),
                ProblemKind::NonLiteralImport => (
                    DiagnosticCode::NonLiteralImport,
                    Severity::Warning,
                    "use a string literal or a template like `./pages/${name}.js` so bundlers can find the targets",
                ),
            };
            module.diagnostics.push(
                Diagnostic::new(code, severity, problem.message)
                    .in_file(rel)
                    .at(line, column)
                    .with_help(help),
            );
        }
        let importer = module.key.path.clone();
        let importer_is_cjs = module.format == ModuleFormat::Cjs;
        for raw in facts.imports {
            let (line, column) = line_column(text, &starts, raw.offset);
            let target = self.target(&importer, &raw, importer_is_cjs);
            let target = match target {
                ImportTarget::NotFound(_) if raw.implicit => ImportTarget::Ignored,
                other => other,
            };
            if let ImportTarget::NotFound(reason) = &target {
                module.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::UnresolvedImport,
                        format!("cannot resolve `{}`: {reason}", raw.specifier),
                    )
                    .in_file(rel)
                    .at(line, column)
                    .with_help(
                        "install the package, or fix the path or alias; the import is left out of sizes",
                    ),
                );
                let spec = raw.specifier.as_str();
                let plugin =
                    spec.starts_with("virtual:") || spec.starts_with('\0') || spec.starts_with("~icons/");
                if plugin {
                    self.note_unread(UnreadReason::PluginModule, format!("{rel} → {spec}"), None);
                } else if !rel.contains("node_modules/") {
                    self.note_unread(UnreadReason::UnresolvedImport, format!("{rel} → {spec}"), None);
                }
            }
            let mut raw = raw;
            if let ImportTarget::Module(key) = &target
                && key
                    .query
                    .as_deref()
                    .is_some_and(|q| q.starts_with("worker") || q.starts_with("sharedworker"))
            {
                raw.kind = ImportKind::Worker;
            }
            module.imports.push(LoadedImport { raw, line, column, target });
        }
        let importer_dir = importer.parent().unwrap_or(self.root).to_path_buf();
        for glob in facts.globs {
            let (line, column) = line_column(text, &starts, glob.offset);
            let kind = if glob.eager { ImportKind::GlobEager } else { ImportKind::Glob };
            for path in crate::glob::expand(&glob.patterns, &importer_dir, self.root) {
                if path == importer {
                    continue;
                }
                let path = std::fs::canonicalize(&path).unwrap_or(path);
                let specifier = format!("./{}", relative_path(&importer_dir, &path));
                let raw = RawImport {
                    specifier,
                    kind,
                    names: ImportedNames::All,
                    offset: glob.offset,
                    implicit: false,
                };
                let target = ImportTarget::Module(ModuleKey { path, query: None });
                module.imports.push(LoadedImport { raw, line, column, target });
                if let Some(link) = &mut link {
                    link.import_statements.push(glob.statement);
                }
            }
        }
        module.link = link.map(Arc::new);
    }

    fn target(&self, importer: &Path, raw: &RawImport, importer_is_cjs: bool) -> ImportTarget {
        let (spec, query) = split_query(&raw.specifier);
        if spec.starts_with("data:") || spec.starts_with("http://") || spec.starts_with("https://") {
            return ImportTarget::Ignored;
        }
        if spec.starts_with('\0') {
            return match virtual_module(Path::new(spec)) {
                Some(_) => ImportTarget::Module(ModuleKey { path: self.root.join(spec), query: None }),
                None => self.ask_plugins(importer, &raw.specifier).unwrap_or_else(|| {
                    ImportTarget::NotFound("a module only a plugin makes (virtual)".into())
                }),
            };
        }
        if self.setup.claimed.iter().any(|c| c == spec)
            && let Some(target) = self.ask_plugins(importer, &raw.specifier)
        {
            return target;
        }
        let require = raw.kind == ImportKind::Require || (importer_is_cjs && raw.kind == ImportKind::Static);
        let aliased = crate::alias::apply(&self.setup.aliases, spec);
        let spec = aliased.as_ref();
        // Vite resolves `/x` against the project root; the resolver would read it as an absolute path.
        let vite_root = self.setup.vite_root.as_deref().unwrap_or(self.root);
        let rooted;
        let spec = if spec.starts_with('/') && !spec.starts_with(&*vite_root.to_string_lossy()) {
            let candidate = vite_root.join(&spec[1..]);
            if Path::new(spec).exists() && !candidate.exists() {
                spec
            } else {
                rooted = candidate.to_string_lossy().into_owned();
                rooted.as_str()
            }
        } else {
            spec
        };
        // CSS `url(x)` and `@import "x"` mean `./x` when x is a bare file name.
        let relative;
        let in_css = matches!(raw.kind, ImportKind::Css | ImportKind::Asset)
            && importer
                .extension()
                .is_some_and(|e| e != "js" && e != "ts" && e != "jsx" && e != "tsx" && e != "mjs");
        let spec = if in_css
            && !spec.starts_with('.')
            && !spec.starts_with('/')
            && !spec.starts_with('~')
            && importer.parent().is_some_and(|d| d.join(spec).exists())
        {
            relative = format!("./{spec}");
            relative.as_str()
        } else if in_css {
            // Sass/webpack's `~pkg/x.css` means the package `pkg`.
            spec.trim_start_matches('~')
        } else {
            spec
        };
        // `resolve.dedupe`: these packages come from the root, whoever imports them.
        let dedupe_importer;
        let from = if is_bare(spec) && self.setup.dedupe.iter().any(|d| package_name(spec) == d) {
            dedupe_importer = self.root.join("package.json");
            dedupe_importer.as_path()
        } else {
            importer
        };
        let css_import = raw.kind == ImportKind::Css && in_css && is_bare(spec);
        let resolved = if css_import {
            self.resolvers.resolve_css(from, spec)
        } else {
            self.resolvers.resolve(from, spec, require)
        };
        match resolved {
            Resolved::File(path) => {
                let keep = |q: &str| {
                    ["raw", "url", "inline", "worker", "sharedworker"].iter().any(|p| q.starts_with(p))
                        || (is_framework(&path) && (q.starts_with("vue&") || q.starts_with("svelte&")))
                        || (path.extension().is_some_and(|e| e == "html") && q.starts_with("html-proxy&"))
                        || self.setup.transformed.get(&path).is_some_and(|t| t.module(Some(q)).is_some())
                };
                let query = query.filter(|q| keep(q));
                ImportTarget::Module(ModuleKey { path, query: query.map(str::to_string) })
            }
            Resolved::Builtin(name) => ImportTarget::Builtin(name),
            Resolved::Ignored => ImportTarget::Ignored,
            Resolved::NotFound(reason) => {
                self.ask_plugins(importer, &raw.specifier).unwrap_or(ImportTarget::NotFound(reason))
            }
        }
    }

    /// An id that did not resolve on disk, as a module the project's plugins may make: `<root>/<id>` (its path in
    /// the report is the id itself), asked of them in the next round. `None` when there is nothing to ask (no
    /// Vite, a relative or absolute path, an importer inside `node_modules`).
    fn ask_plugins(&self, importer: &Path, id: &str) -> Option<ImportTarget> {
        let plain = id.trim_start_matches('\0');
        if !self.setup.plugin_modules
            || plain.is_empty()
            || plain.starts_with('.')
            || plain.starts_with('/')
            || plain.contains("://")
            || plain.starts_with("node:")
            || plain.starts_with("data:")
            || importer.components().any(|c| c.as_os_str() == "node_modules")
        {
            return None;
        }
        let path = self.root.join(id);
        let mut asks = self.virtual_asks.lock().ok()?;
        let entry = asks.entry(path.clone()).or_insert_with(|| (id.to_string(), importer.to_path_buf()));
        if importer < entry.1.as_path() {
            entry.1 = importer.to_path_buf();
        }
        Some(ImportTarget::Module(ModuleKey { path, query: None }))
    }
}

/// A module with nothing read yet.
pub(crate) fn empty_module(key: ModuleKey) -> LoadedModule {
    LoadedModule {
        kind: ModuleKind::Js,
        format: ModuleFormat::None,
        source: None,
        raw_size: 0,
        stamp: None,
        local_exports: Vec::new(),
        declarations: Vec::new(),
        link: None,
        pure_commonjs: false,
        imports: Vec::new(),
        diagnostics: Vec::new(),
        key,
    }
}

fn is_bare(spec: &str) -> bool {
    !spec.starts_with('.') && !spec.starts_with('/') && !spec.contains(':')
}

/// `@scope/pkg/x` → `@scope/pkg`, `pkg/x` → `pkg`.
fn package_name(spec: &str) -> &str {
    let mut parts = spec.splitn(3, '/');
    let first = parts.next().unwrap_or(spec);
    if first.starts_with('@') {
        match parts.next() {
            Some(second) => &spec[..first.len() + 1 + second.len()],
            None => spec,
        }
    } else {
        first
    }
}

pub fn is_framework(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e == "vue" || e == "svelte")
}

/// The code of a plugin's virtual module (`\0…`) Ballast knows, keyed by the id's file name.
fn virtual_module(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    match name {
        // @vitejs/plugin-vue's helper, as it ships it.
        "\0plugin-vue:export-helper" => Some(
            "export default (sfc, props) => {\n  const target = sfc.__vccOpts || sfc;\n  for (const [key, val] of props) {\n    target[key] = val;\n  }\n  return target;\n}\n",
        ),
        _ => None,
    }
}

/// CSS whose output only PostCSS / Tailwind can produce (`@tailwind utilities`, `@apply`, `@plugin`).
fn generated_css(text: &str) -> bool {
    text.contains("@tailwind ")
        || text.contains("@apply ")
        || text.contains("@plugin ")
        || text.contains("@source ")
}

/// Replaces each `define` name by its expression where it stands as a whole name (not part of a longer name
/// or a member access), as Vite's define does.
pub fn substitute_defines(text: &str, define: &[(String, String)]) -> String {
    if define.is_empty() || !define.iter().any(|(k, _)| text.contains(k.as_str())) {
        return text.to_string();
    }
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut out = text.to_string();
    for (name, value) in define {
        if !out.contains(name.as_str()) {
            continue;
        }
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        let mut prev: Option<char> = None;
        while let Some(at) = rest.find(name.as_str()) {
            let before = rest[..at].chars().next_back().or(if at == 0 { prev } else { None });
            let after = rest[at + name.len()..].chars().next();
            let whole = !before.is_some_and(|c| is_ident(c) || c == '.')
                && !after.is_some_and(|c| is_ident(c) || c == ':');
            result.push_str(&rest[..at]);
            result.push_str(if whole { value } else { name });
            prev = name.chars().next_back();
            rest = &rest[at + name.len()..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defines_replace_whole_names_only() {
        let define = vec![("__APP_VERSION__".to_string(), "\"1.0\"".to_string())];
        assert_eq!(
            substitute_defines("a(__APP_VERSION__); x.__APP_VERSION__; __APP_VERSION__X", &define),
            "a(\"1.0\"); x.__APP_VERSION__; __APP_VERSION__X"
        );
        let dotted = vec![("import.meta.env.MODE".to_string(), "\"production\"".to_string())];
        assert_eq!(substitute_defines("m = import.meta.env.MODE;", &dotted), "m = \"production\";");
    }

    #[test]
    fn package_names_and_generated_css() {
        assert_eq!(package_name("@scope/pkg/x"), "@scope/pkg");
        assert_eq!(package_name("svelte/internal/client"), "svelte");
        assert!(generated_css("@tailwind utilities;"));
        assert!(!generated_css(".a { color: red }"));
    }
}
