//! Config snippets that give a package its own, separately cached chunk, per bundler.

use std::collections::BTreeMap;

/// The snippets for one package, keyed like `Finding::config`: `vite7`, `vite8`, `webpack`.
pub type VendorConfig = BTreeMap<String, String>;

/// At most this many files are listed in a Vite group's test; a longer list is not config anyone maintains, so
/// the group then matches the whole package and the finding states what that costs.
pub const MAX_LISTED_FILES: usize = 40;

/// A chunk name for a package: `@react-three/fiber` → `react-three-fiber`.
fn chunk_name(package: &str) -> String {
    let name: String = package
        .trim_start_matches('@')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    if name.is_empty() { "vendor".to_string() } else { name }
}

/// One path segment as regex source inside a `/…/` literal: metacharacters and `/` escaped.
fn escape_segment(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for c in part.chars() {
        if matches!(
            c,
            '.' | '+' | '(' | ')' | '[' | ']' | '{' | '}' | '^' | '$' | '*' | '?' | '|' | '\\' | '/'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A `/`-separated path as regex source, each separator matching `/` or `\`.
fn path_source(path: &str) -> String {
    path.split('/').map(escape_segment).collect::<Vec<_>>().join("[\\\\/]")
}

/// `node_modules[\\/]@scope[\\/]name[\\/]`, as a regex literal body.
fn path_regex(package: &str) -> String {
    format!("node_modules[\\\\/]{}[\\\\/]", path_source(package))
}

/// `node_modules[\\/]three[\\/](?:build[\\/]a\.js|b\.js)(?:\?|$)`: only these files of the package (paths
/// relative to its folder). A `?query` may follow: Rollup's CommonJS proxies carry one.
fn files_regex(package: &str, files: &[String]) -> String {
    let alternatives: Vec<String> = files.iter().map(|f| path_source(f)).collect();
    format!("{}(?:{})(?:\\?|$)", path_regex(package), alternatives.join("|"))
}

fn js_key(name: &str) -> String {
    let ident = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident { name.to_string() } else { format!("'{name}'") }
}

/// Which modules of the package the vendor chunk takes.
#[derive(Debug, Clone, Copy)]
pub enum VendorScope<'a> {
    /// Every module of the package (`chunks: 'all'` for webpack).
    Package,
    /// Only the modules on the initial load. Vite: these files (relative to the package folder) are listed;
    /// webpack: `chunks: 'initial'` leaves the modules only async chunks use where they were.
    Initial(&'a [String]),
    /// Only the modules on the initial load, but too many to list: webpack keeps to them with
    /// `chunks: 'initial'`, the Vite groups match the whole package.
    InitialUnlisted,
}

/// Snippets for a vendor chunk of `package` taking every module of it.
pub fn vendor_config(package: &str) -> VendorConfig {
    vendor_config_scoped(package, VendorScope::Package)
}

pub fn vendor_config_scoped(package: &str, scope: VendorScope) -> VendorConfig {
    let name = chunk_name(package);
    let key = js_key(&name);
    let package_regex = path_regex(package);
    let (vite_regex, webpack_chunks) = match scope {
        VendorScope::Package => (package_regex.clone(), "all"),
        VendorScope::Initial(files) if !files.is_empty() => (files_regex(package, files), "initial"),
        VendorScope::Initial(_) | VendorScope::InitialUnlisted => (package_regex.clone(), "initial"),
    };
    let mut config = BTreeMap::new();
    config.insert(
        "vite7".to_string(),
        format!(
            "// vite.config.js (Vite ≤ 7, Rollup)\nexport default defineConfig({{\n  build: {{\n    rollupOptions: {{\n      output: {{\n        manualChunks(id) {{\n          if (/{vite_regex}/.test(id)) return '{name}';\n        }},\n      }},\n    }},\n  }},\n}});\n"
        ),
    );
    config.insert(
        "vite8".to_string(),
        format!(
            "// vite.config.js (Vite 8, Rolldown)\nexport default defineConfig({{\n  build: {{\n    rolldownOptions: {{\n      output: {{\n        codeSplitting: {{\n          groups: [{{ name: '{name}', test: /{vite_regex}/ }}],\n        }},\n      }},\n    }},\n  }},\n}});\n"
        ),
    );
    config.insert(
        "webpack".to_string(),
        format!(
            "// webpack.config.js (Rspack: rspack.config.js)\nmodule.exports = {{\n  optimization: {{\n    splitChunks: {{\n      cacheGroups: {{\n        {key}: {{\n          test: /[\\\\/]{package_regex}/,\n          name: '{name}',\n          chunks: '{webpack_chunks}',\n        }},\n      }},\n    }},\n  }},\n}};\n"
        ),
    );
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regex source between the first `/` after `marker` and the `/` that closes the literal.
    fn regex_after<'a>(snippet: &'a str, marker: &str) -> &'a str {
        let at = snippet.find(marker).expect("marker") + marker.len();
        let rest = &snippet[at..];
        let start = rest.find('/').expect("regex start") + 1;
        let body = &rest[start..];
        // The literal ends at the first `/` not preceded by a backslash and not inside `[…]`.
        let (mut escaped, mut class) = (false, false);
        for (i, c) in body.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '[' => class = true,
                ']' => class = false,
                '/' if !class => return &body[..i],
                _ => {}
            }
        }
        panic!("unterminated regex in {snippet}")
    }

    /// Interprets the small regex subset the snippets use against `input` (anchored at a start offset):
    /// literals, `\x` escapes, `[\\/]`, `(?:a|b)` groups without nesting and `$`.
    fn matches_at(re: &str, input: &str) -> bool {
        fn tokens(re: &str) -> Vec<String> {
            let chars: Vec<char> = re.chars().collect();
            let mut out = Vec::new();
            let mut i = 0;
            while i < chars.len() {
                match chars[i] {
                    '\\' => {
                        out.push(chars[i + 1].to_string());
                        i += 2;
                    }
                    '[' => {
                        let end = chars[i..].iter().position(|&c| c == ']').expect("class end") + i;
                        out.push(format!("[{}", chars[i + 1..end].iter().collect::<String>()));
                        i = end + 1;
                    }
                    c => {
                        out.push(if c == '$' { "$".to_string() } else { c.to_string() });
                        i += 1;
                    }
                }
            }
            out
        }
        fn expand(re: &str) -> Vec<String> {
            // Expand `(?:x|y)` groups into every alternative (the snippets never nest them).
            if let Some(open) = re.find("(?:") {
                let close = open + re[open..].find(')').expect("group end");
                let inner = &re[open + 3..close];
                let mut parts = Vec::new();
                let (mut depth_escape, mut start) = (false, 0);
                for (i, c) in inner.char_indices() {
                    match c {
                        _ if depth_escape => depth_escape = false,
                        '\\' => depth_escape = true,
                        '|' => {
                            parts.push(&inner[start..i]);
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                parts.push(&inner[start..]);
                let tail = expand(&re[close + 1..]);
                let mut out = Vec::new();
                for p in parts {
                    for t in &tail {
                        out.push(format!("{}{p}{t}", &re[..open]));
                    }
                }
                out
            } else {
                vec![re.to_string()]
            }
        }
        expand(re).iter().any(|alt| {
            let toks = tokens(alt);
            (0..=input.len()).any(|start| {
                let mut pos = start;
                for t in &toks {
                    if t == "$" {
                        if pos != input.len() {
                            return false;
                        }
                        continue;
                    }
                    let Some(c) = input[pos..].chars().next() else { return false };
                    let ok = if let Some(class) = t.strip_prefix('[') {
                        class.replace("\\\\", "\\").contains(c)
                    } else {
                        t.starts_with(c)
                    };
                    if !ok {
                        return false;
                    }
                    pos += c.len_utf8();
                }
                true
            })
        })
    }

    #[test]
    fn scoped_names_and_regexes() {
        assert_eq!(chunk_name("@react-three/fiber"), "react-three-fiber");
        assert_eq!(path_regex("three"), "node_modules[\\\\/]three[\\\\/]");
        assert_eq!(path_regex("@a/b.js"), "node_modules[\\\\/]@a[\\\\/]b\\.js[\\\\/]");
        let c = vendor_config("three");
        assert!(c["vite7"].contains("if (/node_modules[\\\\/]three[\\\\/]/.test(id)) return 'three';"));
        assert!(c["vite8"].contains("groups: [{ name: 'three', test: /node_modules[\\\\/]three[\\\\/]/ }]"));
        assert!(c["webpack"].contains("test: /[\\\\/]node_modules[\\\\/]three[\\\\/]/"));
        assert!(c["webpack"].contains("chunks: 'all'"));
        assert!(vendor_config("@react-three/fiber")["webpack"].contains("'react-three-fiber': {"));
    }

    #[test]
    fn initial_scope_lists_the_files_and_keeps_webpack_to_initial_chunks() {
        let files = vec!["build/three.core.js".to_string(), "build/three.module.js".to_string()];
        let c = vendor_config_scoped("three", VendorScope::Initial(&files));
        let re = regex_after(&c["vite7"], "if (");
        assert_eq!(
            re,
            "node_modules[\\\\/]three[\\\\/](?:build[\\\\/]three\\.core\\.js|build[\\\\/]three\\.module\\.js)(?:\\?|$)"
        );
        assert_eq!(regex_after(&c["vite8"], "test: "), re);
        assert!(matches_at(re, "/app/node_modules/three/build/three.core.js"));
        assert!(matches_at(re, "C:\\app\\node_modules\\three\\build\\three.module.js"));
        assert!(matches_at(re, "\0/app/node_modules/three/build/three.core.js?commonjs-proxy"));
        assert!(!matches_at(re, "/app/node_modules/three/examples/jsm/controls/OrbitControls.js"));
        assert!(!matches_at(re, "/app/node_modules/three/build/three.core.js.map"));
        assert!(!matches_at(re, "/app/node_modules/three/build/threeXcore.js"));
        assert!(c["webpack"].contains("chunks: 'initial'"));
        let unlisted = vendor_config_scoped("three", VendorScope::InitialUnlisted);
        assert_eq!(regex_after(&unlisted["vite7"], "if ("), "node_modules[\\\\/]three[\\\\/]");
        assert!(unlisted["webpack"].contains("chunks: 'initial'"));
    }

    /// Package names with the characters npm allows that mean something in a regex (`.`, `+`, `-`, `_`, `~`,
    /// a scope): each snippet's regex matches the package's own files and no look-alike.
    #[test]
    fn package_names_are_escaped_in_every_snippet() {
        let cases = [
            ("@scope/pkg.name", "a+b.c", "@scope/pkgxname"),
            ("lodash.debounce", "index.js", "lodashxdebounce"),
            ("c++-parser", "lib/c++.js", "ccc-parser"),
            ("@a.b/c+d", "dist/e.f.js", "@axb/c+d"),
            ("x_y~z", "i.js", "x_yzz"),
        ];
        for (package, file, lookalike) in cases {
            let files = vec![file.to_string()];
            for scope in [VendorScope::Package, VendorScope::Initial(&files)] {
                let c = vendor_config_scoped(package, scope);
                for (key, marker) in [("vite7", "if ("), ("vite8", "test: "), ("webpack", "test: ")] {
                    let re = regex_after(&c[key], marker);
                    let own = format!("/app/node_modules/{package}/{file}");
                    let other = format!("/app/node_modules/{lookalike}/{file}");
                    assert!(matches_at(re, &own), "{key} {package}: /{re}/ misses {own}");
                    assert!(!matches_at(re, &other), "{key} {package}: /{re}/ matches {other}");
                    assert!(!re.contains("//"), "{key} {package}: an unescaped `/` ends the literal: /{re}/");
                }
                let name = chunk_name(package);
                assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{name}");
                assert!(c["vite7"].contains(&format!("return '{name}';")));
                assert!(c["vite8"].contains(&format!("name: '{name}'")));
                assert!(c["webpack"].contains(&format!("name: '{name}'")));
            }
        }
    }
}
