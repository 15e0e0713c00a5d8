//! Import resolution the way browser bundlers do it, with one `oxc_resolver` cache shared by all threads.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use oxc_resolver::{ResolveError, ResolveOptions, Resolver, TsconfigDiscovery};

pub struct Resolvers {
    /// `import` / `import()` / `export from`.
    esm: Resolver,
    /// `require()`: the `require` condition instead of `import`.
    cjs: Resolver,
    /// `@import` in CSS: the `style` condition and main field, `.css` only (Vite's CSS resolver).
    css: Resolver,
    /// The same without tsconfig `paths`, for when the project's tsconfig cannot be read.
    esm_plain: Resolver,
    cjs_plain: Resolver,
    /// Why the tsconfig could not be read, once (every import would otherwise report it).
    tsconfig_error: Mutex<Option<String>>,
}

/// What Vite's resolved config says about resolution; the defaults are Vite's own for a client build.
#[derive(Debug, Clone)]
pub struct ResolveConfig {
    /// Export conditions matched (Vite's `exportsConditions`: its `conditions` + `import` + `default`).
    pub conditions: Vec<String>,
    pub main_fields: Vec<String>,
    pub extensions: Vec<String>,
}

impl Default for ResolveConfig {
    fn default() -> Self {
        ResolveConfig {
            conditions: ["import", "module", "browser", "production", "default"].map(String::from).into(),
            main_fields: ["browser", "module", "main"].map(String::from).into(),
            extensions: [".mjs", ".js", ".mts", ".ts", ".jsx", ".tsx", ".json", ".cjs"]
                .map(String::from)
                .into(),
        }
    }
}

fn is_tsconfig_error(e: &ResolveError) -> bool {
    matches!(
        e,
        ResolveError::TsconfigNotFound(_)
            | ResolveError::TsconfigSelfReference(_)
            | ResolveError::TsconfigCircularExtend(_)
            | ResolveError::TsconfigLoadFailed { .. }
    )
}

pub enum Resolved {
    File(PathBuf),
    /// A Node built-in such as `fs`: nothing a browser bundle can include.
    Builtin(String),
    /// Mapped to `false` by a `browser` field or alias: an empty module.
    Ignored,
    NotFound(String),
}

impl Resolvers {
    /// Aliases are not the resolver's business: the loader applies them the way Vite does (`alias.rs`).
    pub fn new(root: &Path, config: &ResolveConfig) -> Resolvers {
        let mut main_fields = config.main_fields.clone();
        // Vite reads `main` last without listing it.
        if !main_fields.iter().any(|f| f == "main") {
            main_fields.push("main".into());
        }
        let mut extensions = config.extensions.clone();
        for ext in [".json", ".cjs"] {
            if !extensions.iter().any(|e| e == ext) {
                extensions.push(ext.into());
            }
        }
        let options = ResolveOptions {
            cwd: Some(root.to_path_buf()),
            tsconfig: Some(TsconfigDiscovery::Auto),
            alias_fields: vec![vec!["browser".into()]],
            condition_names: config.conditions.clone(),
            main_fields,
            extensions,
            // TypeScript sources import `./x.js` and mean `./x.ts`.
            extension_alias: vec![
                (".js".into(), vec![".ts".into(), ".tsx".into(), ".js".into(), ".jsx".into()]),
                (".mjs".into(), vec![".mts".into(), ".mjs".into()]),
            ],
            // Built-ins are recognised after resolution, so a package's `browser` map (`"fs": false`) wins.
            builtin_modules: false,
            node_path: false,
            symlinks: true,
            ..ResolveOptions::default()
        };
        let mut require: Vec<String> =
            config.conditions.iter().filter(|c| *c != "import" && *c != "module").cloned().collect();
        require.insert(0, "require".into());
        let cjs_options = ResolveOptions { condition_names: require, ..options.clone() };
        let css_options = ResolveOptions {
            condition_names: ["style", "production", "default"].map(String::from).into(),
            main_fields: vec!["style".into()],
            extensions: vec![".css".into()],
            extension_alias: Vec::new(),
            ..options.clone()
        };
        let plain = ResolveOptions { tsconfig: None, ..options.clone() };
        let cjs_plain = ResolveOptions { tsconfig: None, ..cjs_options.clone() };
        let esm = Resolver::new(options);
        let cjs = esm.clone_with_options(cjs_options);
        let css = esm.clone_with_options(css_options);
        let esm_plain = Resolver::new(plain);
        let cjs_plain = esm_plain.clone_with_options(cjs_plain);
        Resolvers { esm, cjs, css, esm_plain, cjs_plain, tsconfig_error: Mutex::new(None) }
    }

    /// The tsconfig problem met while resolving, if any: imports were then resolved without its `paths`.
    pub fn tsconfig_error(&self) -> Option<String> {
        self.tsconfig_error.lock().ok().and_then(|e| e.clone())
    }

    /// A CSS `@import` of a package: its stylesheet (`style` condition or field), never its JS entry.
    pub fn resolve_css(&self, importer: &Path, specifier: &str) -> Resolved {
        match self.css.resolve_file(importer, specifier) {
            Ok(r) if is_stylesheet(r.path()) => Resolved::File(r.path().to_path_buf()),
            Ok(r) => Resolved::NotFound(format!(
                "it resolves to {}, which is not a stylesheet (no `style` export or field)",
                r.path().display()
            )),
            Err(e) => Resolved::NotFound(e.to_string()),
        }
    }

    pub fn resolve(&self, importer: &Path, specifier: &str, require: bool) -> Resolved {
        let resolver = if require { &self.cjs } else { &self.esm };
        let mut result = resolver.resolve_file(importer, specifier);
        if let Err(e) = &result
            && is_tsconfig_error(e)
        {
            if let Ok(mut slot) = self.tsconfig_error.lock() {
                slot.get_or_insert_with(|| e.to_string());
            }
            let plain = if require { &self.cjs_plain } else { &self.esm_plain };
            result = plain.resolve_file(importer, specifier);
        }
        match result {
            Ok(resolution) => Resolved::File(resolution.path().to_path_buf()),
            Err(ResolveError::Builtin { resolved, .. }) => Resolved::Builtin(resolved),
            Err(ResolveError::Ignored(_)) => Resolved::Ignored,
            // The resolver's own text for this is its Debug form; name the file and the position instead.
            Err(ResolveError::Json(e)) => Resolved::NotFound(format!(
                "{}:{}:{}: invalid JSON: {}",
                e.path.display(),
                e.line,
                e.column,
                e.message.split(" at line ").next().unwrap_or(&e.message)
            )),
            Err(e) => match builtin_name(specifier) {
                Some(name) => Resolved::Builtin(name),
                None => Resolved::NotFound(e.to_string()),
            },
        }
    }

    /// An entry named on the command line or in config: relative to the root, like Vite's `input`.
    pub fn resolve_entry(&self, root: &Path, specifier: &str) -> Resolved {
        let candidate = root.join(specifier);
        if candidate.is_file() {
            return Resolved::File(std::fs::canonicalize(&candidate).unwrap_or(candidate));
        }
        let spec = if specifier.starts_with('.') || specifier.starts_with('/') {
            specifier.to_string()
        } else {
            format!("./{specifier}")
        };
        match self.esm.resolve(root, &spec) {
            Ok(r) => Resolved::File(r.path().to_path_buf()),
            Err(e) => Resolved::NotFound(e.to_string()),
        }
    }
}

/// Node's built-in modules, as `node:name`, when `specifier` names one.
fn builtin_name(specifier: &str) -> Option<String> {
    const BUILTINS: &[&str] = &[
        "assert",
        "async_hooks",
        "buffer",
        "child_process",
        "cluster",
        "console",
        "constants",
        "crypto",
        "dgram",
        "diagnostics_channel",
        "dns",
        "domain",
        "events",
        "fs",
        "http",
        "http2",
        "https",
        "inspector",
        "module",
        "net",
        "os",
        "path",
        "perf_hooks",
        "process",
        "punycode",
        "querystring",
        "readline",
        "repl",
        "stream",
        "string_decoder",
        "sys",
        "timers",
        "tls",
        "trace_events",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "wasi",
        "worker_threads",
        "zlib",
    ];
    let bare = specifier.strip_prefix("node:").unwrap_or(specifier);
    let head = bare.split('/').next().unwrap_or(bare);
    (specifier.starts_with("node:") || BUILTINS.contains(&head)).then(|| format!("node:{bare}"))
}

fn is_stylesheet(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(e, "css" | "scss" | "sass" | "less" | "styl" | "stylus" | "pcss" | "postcss")
    })
}
