//! Import resolution the way browser bundlers do it, with one `oxc_resolver` cache shared by all threads.

use std::path::{Path, PathBuf};

use oxc_resolver::{AliasValue, ResolveError, ResolveOptions, Resolver, TsconfigDiscovery};

pub struct Resolvers {
    /// `import` / `import()` / `export from`.
    esm: Resolver,
    /// `require()`: the `require` condition instead of `import`.
    cjs: Resolver,
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
    pub fn new(root: &Path, aliases: &[(String, String)]) -> Resolvers {
        let options = ResolveOptions {
            cwd: Some(root.to_path_buf()),
            tsconfig: Some(TsconfigDiscovery::Auto),
            alias: aliases
                .iter()
                .map(|(find, to)| (find.clone(), vec![AliasValue::Path(to.clone())]))
                .collect(),
            alias_fields: vec![vec!["browser".into()]],
            condition_names: ["import", "module", "browser", "production", "default"]
                .map(String::from)
                .into(),
            main_fields: ["browser", "module", "main"].map(String::from).into(),
            extensions: [".mjs", ".js", ".mts", ".ts", ".jsx", ".tsx", ".json", ".cjs"]
                .map(String::from)
                .into(),
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
        let cjs_options = ResolveOptions {
            condition_names: ["require", "browser", "production", "default"].map(String::from).into(),
            ..options.clone()
        };
        let esm = Resolver::new(options);
        let cjs = esm.clone_with_options(cjs_options);
        Resolvers { esm, cjs }
    }

    pub fn resolve(&self, importer: &Path, specifier: &str, require: bool) -> Resolved {
        let resolver = if require { &self.cjs } else { &self.esm };
        match resolver.resolve_file(importer, specifier) {
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
