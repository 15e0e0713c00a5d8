//! Config snippets that give a package its own, separately cached chunk, per bundler.

use std::collections::BTreeMap;

/// The snippets for one package, keyed like `Finding::config`: `vite7`, `vite8`, `webpack`.
pub type VendorConfig = BTreeMap<String, String>;

/// A chunk name for a package: `@react-three/fiber` → `react-three-fiber`.
fn chunk_name(package: &str) -> String {
    let name: String = package
        .trim_start_matches('@')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    if name.is_empty() { "vendor".to_string() } else { name }
}

/// `node_modules[\\/]@scope[\\/]name[\\/]`, as a regex literal body.
fn path_regex(package: &str) -> String {
    let escaped: Vec<String> = package
        .split('/')
        .map(|part| {
            part.chars()
                .map(|c| match c {
                    '.' | '+' | '(' | ')' | '[' | ']' | '{' | '}' | '^' | '$' | '*' | '?' | '|' | '\\' => {
                        format!("\\{c}")
                    }
                    c => c.to_string(),
                })
                .collect()
        })
        .collect();
    format!("node_modules[\\\\/]{}[\\\\/]", escaped.join("[\\\\/]"))
}

fn js_key(name: &str) -> String {
    let ident = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident { name.to_string() } else { format!("'{name}'") }
}

pub fn vendor_config(package: &str) -> VendorConfig {
    let name = chunk_name(package);
    let key = js_key(&name);
    let regex = path_regex(package);
    let mut config = BTreeMap::new();
    config.insert(
        "vite7".to_string(),
        format!(
            "// vite.config.js (Vite ≤ 7, Rollup)\nexport default defineConfig({{\n  build: {{\n    rollupOptions: {{\n      output: {{\n        manualChunks: {{ {key}: ['{package}'] }},\n      }},\n    }},\n  }},\n}});\n"
        ),
    );
    config.insert(
        "vite8".to_string(),
        format!(
            "// vite.config.js (Vite 8, Rolldown)\nexport default defineConfig({{\n  build: {{\n    rolldownOptions: {{\n      output: {{\n        codeSplitting: {{\n          groups: [{{ name: '{name}', test: /{regex}/ }}],\n        }},\n      }},\n    }},\n  }},\n}});\n"
        ),
    );
    config.insert(
        "webpack".to_string(),
        format!(
            "// webpack.config.js (Rspack: rspack.config.js)\nmodule.exports = {{\n  optimization: {{\n    splitChunks: {{\n      cacheGroups: {{\n        {key}: {{\n          test: /[\\\\/]{regex}/,\n          name: '{name}',\n          chunks: 'all',\n        }},\n      }},\n    }},\n  }},\n}};\n"
        ),
    );
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_names_and_regexes() {
        assert_eq!(chunk_name("@react-three/fiber"), "react-three-fiber");
        assert_eq!(path_regex("three"), "node_modules[\\\\/]three[\\\\/]");
        assert_eq!(path_regex("@a/b.js"), "node_modules[\\\\/]@a[\\\\/]b\\.js[\\\\/]");
        let c = vendor_config("three");
        assert!(c["vite7"].contains("manualChunks: { three: ['three'] }"));
        assert!(c["vite8"].contains("groups: [{ name: 'three', test: /node_modules[\\\\/]three[\\\\/]/ }]"));
        assert!(c["webpack"].contains("test: /[\\\\/]node_modules[\\\\/]three[\\\\/]/"));
        assert!(
            vendor_config("@react-three/fiber")["vite7"]
                .contains("'react-three-fiber': ['@react-three/fiber']")
        );
    }
}
