//! The Node project helper (`npm/ballast/lib/project-helper.mjs`): asks the project's own Vite for its resolved
//! config and the project's own `@vue/compiler-sfc` / `svelte/compiler` for the modules of a `.vue` / `.svelte`
//! file. Spawned only when the literal reading is not enough; every answer is cached by content hash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ballast_common::{Diagnostic, DiagnosticCode, DiskCache, Severity};
use serde::{Deserialize, Serialize};

/// One request, as the helper's protocol has it (absolute paths).
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub root: PathBuf,
    pub config: bool,
    pub mode: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compile: Vec<FileRequest>,
    /// Module ids (absolute paths) to put through the config's `manualChunks` / `codeSplitting.groups`.
    #[serde(rename = "chunkGroups", skip_serializing_if = "Vec::is_empty")]
    pub chunk_groups: Vec<PathBuf>,
    /// Files to run through the project's own (non-core) Vite plugins (`transform_files`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transform: Vec<FileRequest>,
    /// Modules only the project's plugins make (`virtual:*`, `\0…`, `~pages`): their `resolveId` + `load`.
    #[serde(rename = "virtual", skip_serializing_if = "Vec::is_empty")]
    pub virtuals: Vec<VirtualRequest>,
}

/// One plugin-made module to ask for: the id as imported, and the importer it was first met in.
#[derive(Debug, Clone, Serialize)]
pub struct VirtualRequest {
    pub id: String,
    pub importer: PathBuf,
}

impl Request {
    /// A production-mode request about `root` that asks nothing yet.
    fn new(root: &Path, config: bool) -> Request {
        Request {
            root: root.to_path_buf(),
            config,
            mode: "production",
            compile: Vec::new(),
            chunk_groups: Vec::new(),
            transform: Vec::new(),
            virtuals: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FileRequest {
    pub file: PathBuf,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Response {
    pub vite: Option<ResolvedVite>,
    pub compiled: Vec<Compiled>,
    pub chunk_groups: Option<ChunkGroupsAnswer>,
    pub transformed: Option<TransformedSet>,
    #[serde(rename = "virtual")]
    pub virtuals: Option<VirtualSet>,
    pub diagnostics: Vec<HelperDiagnostic>,
}

/// The answer to a `virtual` request: each plugin-made module's code, or why there is none.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct VirtualSet {
    pub modules: Vec<VirtualModule>,
    pub plugins: Vec<String>,
    pub error: Option<CompileError>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct VirtualModule {
    /// The id as imported (`virtual:build-info`, `~pages`).
    pub id: String,
    pub importer: PathBuf,
    pub ok: bool,
    /// What the plugins resolved it to (`\0virtual:build-info`).
    pub resolved_id: Option<String>,
    /// `js` or `css`.
    pub lang: Option<String>,
    /// The code after the plugins' `load` and their `enforce: 'pre'` transforms (Vite's core ones do not run).
    pub code: Option<String>,
    pub error: Option<String>,
}

/// What the config's own chunking code said of each module id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ChunkGroupsAnswer {
    /// `manualChunks` (a function), `groups` (Rolldown's), or `none`.
    pub kind: String,
    pub include_dependencies: bool,
    pub groups: Vec<HelperGroup>,
    pub assigned: Vec<HelperAssignment>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HelperGroup {
    pub priority: f64,
    pub min_share_count: f64,
    pub min_size: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HelperAssignment {
    pub id: PathBuf,
    pub group: usize,
    pub name: String,
}

/// The answer to a `transform` request: what the project's own plugins made of each file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TransformedSet {
    pub files: Vec<Transformed>,
    /// The project's plugins that took part (Vite's core `vite:*` ones left out).
    pub plugins: Vec<String>,
    pub error: Option<CompileError>,
    pub ms: TransformMs,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TransformMs {
    pub setup: Option<u64>,
    pub transform: Option<u64>,
}

/// One file through the project's plugins: `changed` when its module is not its source, or the plugins split
/// sub-modules off it (TanStack Router's `?tsr-split=component`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Transformed {
    pub file: PathBuf,
    pub changed: bool,
    pub modules: Vec<TransformedModule>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TransformedModule {
    /// The sub-module's query without `?` (`tsr-split=component`); `None` for the file's own module.
    pub query: Option<String>,
    /// TS and JSX as the plugins left them (Vite's core transforms do not run).
    pub code: String,
}

impl Transformed {
    /// The code of the module `query` names (`None`: the file's own module).
    pub fn module(&self, query: Option<&str>) -> Option<&str> {
        self.modules.iter().find(|m| m.query.as_deref() == query).map(|m| m.code.as_str())
    }
}

/// The config as the project's Vite resolved it (`resolveConfig(…, 'build', 'production')`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResolvedVite {
    pub version: String,
    pub config_file: Option<PathBuf>,
    pub root: Option<PathBuf>,
    pub alias: Vec<HelperAlias>,
    pub conditions: Vec<String>,
    pub exports_conditions: Vec<String>,
    pub main_fields: Vec<String>,
    pub extensions: Vec<String>,
    pub dedupe: Vec<String>,
    /// `NAME` → the expression Vite substitutes for it.
    pub define: BTreeMap<String, String>,
    /// Entry name → absolute path.
    pub input: BTreeMap<String, PathBuf>,
    pub input_default: bool,
    pub plugins: Vec<String>,
    /// `"function"`, an object `{ name: [specifier] }`, or null.
    pub manual_chunks: serde_json::Value,
    /// Rolldown's `codeSplitting` / `advancedChunks` (RegExps and functions as placeholders), or null.
    pub code_splitting: serde_json::Value,
}

impl ResolvedVite {
    /// Whether the config has chunking code of its own that only the project's Vite can evaluate per module.
    pub fn has_chunking_code(&self) -> bool {
        self.manual_chunks.as_str() == Some("function")
            || self.code_splitting.get("groups").is_some_and(|g| g.as_array().is_some_and(|a| !a.is_empty()))
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HelperAlias {
    pub find: String,
    pub find_is_reg_exp: bool,
    pub flags: Option<String>,
    /// Absolute when Vite would make it so (root-relative replacements already resolved).
    pub replacement: String,
    pub root_relative: bool,
    /// Resolved against the importing file, as Vite does for `./x` replacements.
    pub relative: bool,
    /// Vite's own (`/@vite/env`): never matches a user's import in a build.
    pub internal: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Compiled {
    pub file: PathBuf,
    pub ok: bool,
    pub modules: Vec<CompiledModule>,
    pub error: Option<CompileError>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CompiledModule {
    /// `js` or `css`.
    pub lang: String,
    pub code: String,
    /// The module id Vite gives it: the file's path, or the path with the plugin's query.
    pub virtual_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompileError {
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HelperDiagnostic {
    pub severity: String,
    pub message: String,
    pub help: Option<String>,
}

impl HelperDiagnostic {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let severity = if self.severity == "error" { Severity::Error } else { Severity::Warning };
        let mut d = Diagnostic::new(
            DiagnosticCode::HelperFailed,
            severity,
            format!("project helper: {}", self.message),
        );
        if let Some(help) = &self.help {
            d = d.with_help(help.clone());
        }
        d
    }
}

/// Parses the helper's stdout: exactly one JSON object.
pub fn parse_response(stdout: &str) -> Result<Response, String> {
    serde_json::from_str(stdout.trim()).map_err(|e| format!("its answer is not the expected JSON: {e}"))
}

/// How long one helper request may take (`BALLAST_HELPER_TIMEOUT`, seconds, overrides): loading a config and
/// compiling a large app's components fits with room to spare; a config that waits on the network does not.
const HELPER_DEADLINE: Duration = Duration::from_secs(180);

/// Where `node` and the helper script are.
#[derive(Debug, Clone)]
pub struct Helper {
    pub node: PathBuf,
    pub script: PathBuf,
    script_bytes: Vec<u8>,
}

impl Helper {
    /// `BALLAST_NODE` or `node` on `PATH`; `BALLAST_HELPER`, else `project-helper.mjs` where the npm package
    /// puts it relative to the executable (`node_modules/ballast/lib/`), or the repository's `npm/ballast/lib/`.
    pub fn locate() -> Result<Helper, Diagnostic> {
        let node = match std::env::var_os("BALLAST_NODE") {
            Some(p) => PathBuf::from(p),
            None => find_on_path("node").ok_or_else(|| {
                Diagnostic::warning(
                    DiagnosticCode::HelperFailed,
                    "Node.js was not found on PATH: the Vite config cannot be evaluated and .vue/.svelte files cannot be compiled",
                )
                .with_help("install Node.js or point BALLAST_NODE at a node binary; the rest is still analysed")
            })?,
        };
        let script = match std::env::var_os("BALLAST_HELPER") {
            Some(p) => PathBuf::from(p),
            None => script_near_executable().ok_or_else(|| {
                Diagnostic::warning(
                    DiagnosticCode::HelperFailed,
                    "the Ballast project helper (project-helper.mjs) was not found next to the executable",
                )
                .with_help("run Ballast through its npm package, or set BALLAST_HELPER to the helper's path")
            })?,
        };
        let script_bytes = std::fs::read(&script).map_err(|e| {
            Diagnostic::warning(
                DiagnosticCode::HelperFailed,
                format!("cannot read the project helper {}: {e}", script.display()),
            )
            .with_help("set BALLAST_HELPER to the helper's path")
        })?;
        Ok(Helper { node, script, script_bytes })
    }

    /// The helper's own content: part of every cache key, so a new helper never serves old answers.
    pub fn fingerprint(&self) -> &[u8] {
        &self.script_bytes
    }

    /// Runs one request. `Err` is a message for a diagnostic: node would not start, the helper crashed, or
    /// its answer did not parse.
    pub fn run(&self, request: &Request) -> Result<Response, String> {
        let input = serde_json::to_vec(request).map_err(|e| e.to_string())?;
        let limit = ballast_common::deadline_from_env("BALLAST_HELPER_TIMEOUT", HELPER_DEADLINE);
        let mut command = Command::new(&self.node);
        command.arg(&self.script).current_dir(&request.root);
        let output =
            ballast_common::run_with_deadline(&mut command, Some(&input), limit).map_err(|e| match e {
                ballast_common::RunError::Spawn(e) => format!("cannot start {}: {e}", self.node.display()),
                other => other.to_string(),
            })?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if stdout.trim().is_empty() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no output");
            return Err(format!("it exited with {} and no answer ({last})", output.status));
        }
        parse_response(&stdout)
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

fn script_near_executable() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    // npm: node_modules/@ballast/<platform>/bin/ballast → node_modules/ballast/lib/project-helper.mjs;
    // a cargo build: target/<profile>/ballast → npm/ballast/lib/project-helper.mjs.
    exe.ancestors().skip(1).find_map(|dir| {
        ["ballast/lib/project-helper.mjs", "npm/ballast/lib/project-helper.mjs"]
            .iter()
            .map(|rel| dir.join(rel))
            .find(|p| p.is_file())
    })
}

/// The version of the `vite` package the project would use (looked up from `root` upwards).
pub fn vite_version(root: &Path) -> Option<String> {
    root.ancestors().find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("node_modules/vite/package.json")).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json.get("version")?.as_str().map(str::to_string)
    })
}

/// Whether the project has a Vite installed at all (without it the helper has nothing to ask).
pub fn has_vite(root: &Path) -> bool {
    vite_version(root).is_some()
}

/// The resolved config: from the cache when the config file, Vite's version and the helper are unchanged.
pub fn resolve_config(
    helper: &Helper,
    root: &Path,
    config_file: &Path,
    cache: &DiskCache,
) -> Result<(Response, bool), String> {
    let config = std::fs::read(config_file).unwrap_or_default();
    let version = vite_version(root).unwrap_or_default();
    let key = DiskCache::key(&[
        b"helper-config-1",
        root.to_string_lossy().as_bytes(),
        &config,
        version.as_bytes(),
        helper.fingerprint(),
    ]);
    if let Some(response) = cache.get::<Response>("helper", &key) {
        return Ok((response, true));
    }
    let request = Request::new(root, true);
    let response = helper.run(&request)?;
    if response.vite.is_some() {
        cache.put("helper", &key, &response);
    }
    Ok((response, false))
}

/// Compiles framework files, each answer cached by the file's path and content, the config, Vite's version and
/// the helper. Returns one `Compiled` per file (a failure of the helper itself becomes a failed file).
pub fn compile_files(
    helper: &Helper,
    root: &Path,
    config_file: Option<&Path>,
    files: &[PathBuf],
    cache: &DiskCache,
) -> (Vec<Compiled>, Vec<Diagnostic>) {
    let (mut out, misses) = per_file(helper, root, config_file, files, cache, b"helper-compile-1", b"");
    let mut diagnostics = Vec::new();
    if misses.is_empty() {
        return (out, diagnostics);
    }
    let request = Request {
        compile: misses.iter().map(|(f, _)| FileRequest { file: f.clone() }).collect(),
        ..Request::new(root, false)
    };
    match helper.run(&request) {
        Ok(response) => {
            diagnostics.extend(response.diagnostics.iter().map(HelperDiagnostic::to_diagnostic));
            for (file, key) in misses {
                let compiled = response.compiled.iter().find(|c| c.file == file).cloned();
                match compiled {
                    Some(c) => {
                        if c.ok {
                            cache.put("helper", &key, &c);
                        }
                        out.push(c);
                    }
                    None => out.push(failed(file, "the helper gave no answer for this file".into())),
                }
            }
        }
        Err(message) => {
            diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::HelperFailed,
                    format!("the project helper could not compile {} file(s): {message}", misses.len()),
                )
                .with_help("these files are left out of the sizes and listed in the coverage"),
            );
            out.extend(misses.into_iter().map(|(file, _)| failed(file, message.clone())));
        }
    }
    (out, diagnostics)
}

/// The config's chunking code asked of every module id, cached by the config file, the ids, Vite's version and the
/// helper.
pub fn chunk_groups(
    helper: &Helper,
    root: &Path,
    config_file: &Path,
    ids: &[PathBuf],
    cache: &DiskCache,
) -> Result<ChunkGroupsAnswer, String> {
    let config = std::fs::read(config_file).unwrap_or_default();
    let version = vite_version(root).unwrap_or_default();
    let listed: Vec<u8> = ids
        .iter()
        .flat_map(|p| p.to_string_lossy().into_owned().into_bytes().into_iter().chain([0]))
        .collect();
    let key = DiskCache::key(&[
        b"helper-chunk-groups-1",
        root.to_string_lossy().as_bytes(),
        &config,
        &listed,
        version.as_bytes(),
        helper.fingerprint(),
    ]);
    if let Some(answer) = cache.get::<ChunkGroupsAnswer>("helper", &key) {
        return Ok(answer);
    }
    let request = Request { chunk_groups: ids.to_vec(), ..Request::new(root, true) };
    let response = helper.run(&request)?;
    let answer = response.chunk_groups.ok_or_else(|| {
        response.diagnostics.first().map(|d| d.message.clone()).unwrap_or_else(|| "no answer".to_string())
    })?;
    if let Some(error) = &answer.error {
        return Err(error.clone());
    }
    cache.put("helper", &key, &answer);
    Ok(answer)
}

/// Vite plugins that change the module graph by rewriting files Ballast reads natively, each with the code its
/// transform hook looks for (its own filter): `(package, markers)`. Only projects whose config imports one of them
/// pay for a `transform` round.
pub const GRAPH_PLUGINS: &[(&str, &[&str])] = &[
    // TanStack Router's `autoCodeSplitting`: each route's component moves to `<route>?tsr-split=component`,
    // loaded by `import()` (routeFactoryCallCodeFilter of @tanstack/router-plugin).
    ("@tanstack/router-plugin", &["createFileRoute", "createRootRoute"]),
    ("@tanstack/router-vite-plugin", &["createFileRoute", "createRootRoute"]),
];

/// Plugins whose modules have ids a file on disk also answers (`vue-router` ships stubs for
/// `vue-router/auto-routes`): `(package the config imports, ids it makes)`.
pub const CLAIMING_PLUGINS: &[(&str, &[&str])] = &[
    ("unplugin-vue-router", &["vue-router/auto-routes", "vue-router/auto", "vue-router/auto-resolver"]),
    ("vue-router/vite", &["vue-router/auto-routes", "vue-router/auto", "vue-router/auto-resolver"]),
];

/// The ids the config's plugins make although a file answers them (`CLAIMING_PLUGINS`).
pub fn claimed_ids(config_text: &str) -> Vec<String> {
    let mut ids: Vec<String> = CLAIMING_PLUGINS
        .iter()
        .filter(|(package, _)| {
            ["'", "\"", "`"].iter().any(|q| {
                config_text.contains(&format!("{q}{package}{q}"))
                    || config_text.contains(&format!("{q}{package}/"))
            })
        })
        .flat_map(|(_, ids)| ids.iter().map(|s| s.to_string()))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The graph-changing plugins the config imports (`GRAPH_PLUGINS`), with their installed versions.
pub fn graph_plugins(config_text: &str, root: &Path) -> Vec<(&'static str, &'static [&'static str], String)> {
    GRAPH_PLUGINS
        .iter()
        .filter(|(package, _)| {
            ["'", "\"", "`"].iter().any(|q| {
                config_text.contains(&format!("{q}{package}{q}"))
                    || config_text.contains(&format!("{q}{package}/"))
            })
        })
        .map(|(package, markers)| {
            let version = root
                .ancestors()
                .find_map(|dir| {
                    std::fs::read_to_string(dir.join("node_modules").join(package).join("package.json")).ok()
                })
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|j| j.get("version").and_then(|v| v.as_str()).map(str::to_string))
                .unwrap_or_default();
            (*package, *markers, version)
        })
        .collect()
}

/// Runs the project's own plugins on `files` (one helper run for all cache misses), each answer cached by the
/// file's path and content, the config, Vite's version, the plugin set (`plugins`: names and versions) and the
/// helper. `Err` when the helper could not answer: the files are then read natively, and the caller says so.
pub fn transform_files(
    helper: &Helper,
    root: &Path,
    config_file: Option<&Path>,
    plugins: &str,
    files: &[PathBuf],
    cache: &DiskCache,
) -> (Vec<Transformed>, Vec<Diagnostic>, Result<(), String>) {
    let (mut out, misses) =
        per_file(helper, root, config_file, files, cache, b"helper-transform-1", plugins.as_bytes());
    let mut diagnostics = Vec::new();
    if misses.is_empty() {
        return (out, diagnostics, Ok(()));
    }
    let request = Request {
        transform: misses.iter().map(|(f, _)| FileRequest { file: f.clone() }).collect(),
        ..Request::new(root, false)
    };
    let response = match helper.run(&request) {
        Ok(r) => r,
        Err(message) => return (out, diagnostics, Err(message)),
    };
    diagnostics.extend(response.diagnostics.iter().map(HelperDiagnostic::to_diagnostic));
    let Some(set) = response.transformed else {
        return (out, diagnostics, Err("its answer has no `transformed` part".into()));
    };
    if let Some(e) = &set.error {
        // The build stopped early: what it did transform is still right, but nothing is cached.
        diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::HelperFailed,
                format!("the project's Vite plugins failed while transforming: {}", e.message),
            )
            .with_help(
                "files the plugins did not reach are read as written; run `vite build` to see the error",
            ),
        );
    }
    for (file, key) in misses {
        if let Some(t) = set.files.iter().find(|t| t.file == file) {
            if set.error.is_none() {
                cache.put("helper", &key, t);
            }
            out.push(t.clone());
        }
    }
    (out, diagnostics, Ok(()))
}

/// Asks the project's own plugins for the modules they make from nothing (one helper run for every cache miss).
/// Each answer is cached by the id, the importer's path and content, the config file, Vite's version, the
/// project's file names (a plugin such as `vite-plugin-pages` makes its module from the folder listing) and the
/// helper. A module the helper could not give comes back `ok: false` with the reason.
pub fn virtual_modules(
    helper: &Helper,
    root: &Path,
    config_file: Option<&Path>,
    asks: &[VirtualRequest],
    cache: &DiskCache,
) -> (Vec<VirtualModule>, Vec<Diagnostic>) {
    let config = config_file.and_then(|f| std::fs::read(f).ok()).unwrap_or_default();
    let version = vite_version(root).unwrap_or_default();
    let listing = source_listing(root);
    let mut out = Vec::new();
    let mut misses = Vec::new();
    for ask in asks {
        let importer = std::fs::read(&ask.importer).unwrap_or_default();
        let key = DiskCache::key(&[
            b"helper-virtual-1",
            ask.id.as_bytes(),
            ask.importer.to_string_lossy().as_bytes(),
            &importer,
            &config,
            version.as_bytes(),
            listing.as_bytes(),
            helper.fingerprint(),
        ]);
        match cache.get::<VirtualModule>("helper", &key) {
            Some(m) => out.push(m),
            None => misses.push((ask.clone(), key)),
        }
    }
    let mut diagnostics = Vec::new();
    if misses.is_empty() {
        return (out, diagnostics);
    }
    let request =
        Request { virtuals: misses.iter().map(|(a, _)| a.clone()).collect(), ..Request::new(root, false) };
    let fail = |message: &str, out: &mut Vec<VirtualModule>| {
        out.extend(misses.iter().map(|(a, _)| VirtualModule {
            id: a.id.clone(),
            importer: a.importer.clone(),
            error: Some(message.to_string()),
            ..VirtualModule::default()
        }));
    };
    let response = match helper.run(&request) {
        Ok(r) => r,
        Err(message) => {
            diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::HelperFailed,
                    format!("the project helper could not ask the Vite plugins for their modules: {message}"),
                )
                .with_help("those modules are left out of the sizes and listed in the coverage"),
            );
            fail(&message, &mut out);
            return (out, diagnostics);
        }
    };
    diagnostics.extend(response.diagnostics.iter().map(HelperDiagnostic::to_diagnostic));
    let Some(set) = response.virtuals else {
        fail("the helper's answer has no `virtual` part", &mut out);
        return (out, diagnostics);
    };
    for (ask, key) in misses {
        let answer = set.modules.iter().find(|m| m.id == ask.id && m.importer == ask.importer).cloned();
        let answer = answer.unwrap_or_else(|| VirtualModule {
            id: ask.id.clone(),
            importer: ask.importer.clone(),
            error: Some("the helper gave no answer for it".into()),
            ..VirtualModule::default()
        });
        // A build that stopped on an error is asked again next time.
        if set.error.is_none() {
            cache.put("helper", &key, &answer);
        }
        out.push(answer);
    }
    (out, diagnostics)
}

/// The project's file names (relative, sorted; `node_modules`, hidden folders and build output left out): what a
/// plugin that makes modules from the folder tree (file-based routes) reads.
fn source_listing(root: &Path) -> String {
    const MAX: usize = 20_000;
    let mut names = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else { continue };
        for entry in read.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name == "node_modules" || name == "dist" {
                continue;
            }
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path.clone());
            }
            names.push(path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned());
            if names.len() >= MAX {
                break;
            }
        }
    }
    names.sort();
    names.join("\n")
}

/// The cached answers for `files` (keyed by each file's path and content, the config, Vite's version, `extra`
/// and the helper), and the files still to ask about with the key their answer goes under.
fn per_file<T: serde::de::DeserializeOwned>(
    helper: &Helper,
    root: &Path,
    config_file: Option<&Path>,
    files: &[PathBuf],
    cache: &DiskCache,
    kind: &[u8],
    extra: &[u8],
) -> (Vec<T>, Vec<(PathBuf, String)>) {
    let config = config_file.and_then(|f| std::fs::read(f).ok()).unwrap_or_default();
    let version = vite_version(root).unwrap_or_default();
    let mut hits = Vec::new();
    let mut misses = Vec::new();
    for file in files {
        let source = std::fs::read(file).unwrap_or_default();
        let key = DiskCache::key(&[
            kind,
            file.to_string_lossy().as_bytes(),
            &source,
            &config,
            version.as_bytes(),
            extra,
            helper.fingerprint(),
        ]);
        match cache.get::<T>("helper", &key) {
            Some(t) => hits.push(t),
            None => misses.push((file.clone(), key)),
        }
    }
    (hits, misses)
}

fn failed(file: PathBuf, message: String) -> Compiled {
    Compiled {
        file,
        ok: false,
        modules: Vec::new(),
        error: Some(CompileError { message, line: None, column: None }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_helper_answer() {
        let json = r#"{"vite":{"version":"7.3.8","configFile":"/p/vite.config.ts","root":"/p","base":"/",
          "alias":[{"find":"@","findIsRegExp":false,"replacement":"/p/src"},
                   {"find":"~game","findIsRegExp":false,"replacement":"/p/src/game","raw":"/src/game","rootRelative":true},
                   {"find":"^\\/?@vite\\/env","findIsRegExp":true,"flags":"","replacement":"/@fs/x","internal":true}],
          "conditions":["module","browser","production"],"exportsConditions":["module","browser","production","import","default"],
          "mainFields":["browser","module"],"extensions":[".mjs",".js"],"dedupe":["vue"],
          "define":{"__APP_VERSION__":"\"1.0\""},"input":{"index":"/p/index.html"},"inputDefault":true,
          "bundlerOptionsKey":"rollupOptions","manualChunks":null,"codeSplitting":null,"worker":{},"plugins":["vite:vue"]},
          "compiled":[{"file":"/p/src/App.vue","ok":true,"tool":"x","modules":[{"lang":"js","code":"export default 1","virtualId":"/p/src/App.vue"}],
                       "imports":["vue"],"dynamicImports":[]},
                      {"file":"/p/src/Bad.vue","ok":false,"error":{"message":"Unexpected token","line":3,"column":5}}],
          "diagnostics":[{"severity":"warning","message":"w"}],"ms":{"total":3}}"#;
        let r = parse_response(json).unwrap();
        let v = r.vite.unwrap();
        assert_eq!(v.version, "7.3.8");
        assert_eq!(v.alias.len(), 3);
        assert!(v.alias[1].root_relative && v.alias[2].internal && v.alias[2].find_is_reg_exp);
        assert_eq!(v.define["__APP_VERSION__"], "\"1.0\"");
        assert_eq!(v.input["index"], PathBuf::from("/p/index.html"));
        assert!(r.compiled[0].ok && r.compiled[0].modules[0].virtual_id == "/p/src/App.vue");
        let e = r.compiled[1].error.as_ref().unwrap();
        assert_eq!((e.line, e.column), (Some(3), Some(5)));
        assert_eq!(r.diagnostics[0].to_diagnostic().severity, Severity::Warning);
        assert!(parse_response("not json").is_err());
    }

    #[test]
    fn parses_a_transform_answer() {
        let json = r#"{"vite":null,"compiled":[],"diagnostics":[],
          "transformed":{"files":[
            {"file":"/p/src/routes/about.tsx","changed":true,"modules":[
              {"id":"/p/src/routes/about.tsx","code":"const a = () => import('/p/src/routes/about.tsx?tsr-split=component')"},
              {"id":"/p/src/routes/about.tsx?tsr-split=component","query":"tsr-split=component","code":"export { About as component }"}]},
            {"file":"/p/src/main.tsx","changed":false,"modules":[]}],
            "plugins":["tanstack-router:code-splitter:compile-reference-file"],"ms":{"setup":2000,"transform":300}},
          "ms":{"transform":2300,"total":2301}}"#;
        let r = parse_response(json).unwrap();
        let t = r.transformed.unwrap();
        assert_eq!(t.files.len(), 2);
        let about = &t.files[0];
        assert!(about.changed && !t.files[1].changed);
        assert!(about.module(None).unwrap().contains("tsr-split=component"));
        assert_eq!(about.module(Some("tsr-split=component")), Some("export { About as component }"));
        assert_eq!(about.module(Some("tsr-split=errorComponent")), None);
        assert_eq!(t.ms.setup, Some(2000));
        assert!(t.error.is_none());
    }

    #[test]
    fn parses_a_virtual_answer() {
        let json = r#"{"vite":null,"compiled":[],"diagnostics":[],
          "virtual":{"modules":[
            {"id":"virtual:build-info","importer":"/p/src/main.ts","ok":true,"resolvedId":"\u0000virtual:build-info",
             "lang":"js","code":"export const v = 1"},
            {"id":"virtual:nope","importer":"/p/src/main.ts","ok":false,"error":"no plugin of the project resolves it"}],
            "plugins":["build-info"],"ms":{"setup":3000,"load":12}},
          "ms":{"virtual":3012,"total":3013}}"#;
        let r = parse_response(json).expect("parses");
        let v = r.virtuals.expect("a virtual part");
        assert_eq!(v.modules.len(), 2);
        assert!(v.modules[0].ok);
        assert_eq!(v.modules[0].resolved_id.as_deref(), Some("\0virtual:build-info"));
        assert_eq!(v.modules[0].code.as_deref(), Some("export const v = 1"));
        assert!(!v.modules[1].ok);
        assert!(v.modules[1].error.as_deref().is_some_and(|e| e.contains("no plugin")));
    }

    #[test]
    fn claimed_ids_come_from_the_config_imports() {
        assert!(claimed_ids("import Pages from 'vite-plugin-pages'").is_empty());
        let ids = claimed_ids("import VueRouter from 'unplugin-vue-router/vite'");
        assert!(ids.contains(&"vue-router/auto-routes".to_string()));
    }

    #[test]
    fn the_virtual_request_is_named_virtual() {
        let request = Request {
            virtuals: vec![VirtualRequest { id: "~pages".into(), importer: PathBuf::from("/p/src/main.ts") }],
            ..Request::new(Path::new("/p"), false)
        };
        let json = serde_json::to_value(&request).expect("serializes");
        assert_eq!(json["virtual"][0]["id"], "~pages");
        assert!(json.get("transform").is_none());
    }

    #[test]
    fn graph_plugins_are_found_by_import_only() {
        let root = Path::new("/nonexistent-ballast-root");
        let config = "import { tanstackRouter } from '@tanstack/router-plugin/vite'\nexport default {}";
        let found = graph_plugins(config, root);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "@tanstack/router-plugin");
        assert!(found[0].1.contains(&"createFileRoute"));
        assert_eq!(found[0].2, "");
        // a mention in a comment or another package's name is no import of it
        assert!(
            graph_plugins("// uses @tanstack/router-plugin\nimport x from '@tanstack/router-plugin-x'", root)
                .is_empty()
        );
        assert!(graph_plugins("import react from '@vitejs/plugin-react'", root).is_empty());
    }

    #[test]
    fn a_null_vite_is_no_config() {
        let r = parse_response(
            r#"{"vite":null,"compiled":[],"diagnostics":[{"severity":"error","message":"no vite"}]}"#,
        )
        .unwrap();
        assert!(r.vite.is_none());
    }
}
