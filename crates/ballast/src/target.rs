//! Which bundler's semantics and minifier to follow, detected from the project when not given.

use std::path::Path;

use ballast_chunk::ChunkRules;
use ballast_link::LinkOptions;
use ballast_scan::BundlerCode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Vite,
    Rolldown,
    Rollup,
    Webpack,
    Rspack,
    Esbuild,
}

impl Target {
    pub fn parse(s: &str) -> Option<Target> {
        Some(match s {
            "vite" => Target::Vite,
            "rolldown" => Target::Rolldown,
            "rollup" => Target::Rollup,
            "webpack" | "next" => Target::Webpack,
            "rspack" => Target::Rspack,
            "esbuild" => Target::Esbuild,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Vite => "vite",
            Target::Rolldown => "rolldown",
            Target::Rollup => "rollup",
            Target::Webpack => "webpack",
            Target::Rspack => "rspack",
            Target::Esbuild => "esbuild",
        }
    }

    /// Whose chunking rules the chunk stage follows.
    pub fn chunk_rules(self) -> ChunkRules {
        match self {
            Target::Vite | Target::Rollup => ChunkRules::Rollup,
            Target::Rolldown => ChunkRules::Rolldown,
            Target::Webpack | Target::Rspack => ChunkRules::Webpack,
            Target::Esbuild => ChunkRules::Esbuild,
        }
    }

    /// The code the bundler adds to the output, which the scan models as modules.
    pub fn bundler_code(self) -> BundlerCode {
        match self {
            Target::Vite => BundlerCode::Vite,
            Target::Rolldown => BundlerCode::Vite8,
            Target::Webpack | Target::Rspack => BundlerCode::Webpack,
            Target::Rollup | Target::Esbuild => BundlerCode::None,
        }
    }

    /// Rollup binds `export default name` to `name` itself; the others give it a binding of its own.
    pub fn link_options(self) -> LinkOptions {
        LinkOptions {
            default_is_alias: matches!(self, Target::Vite | Target::Rollup),
            named_reexports_are_dependencies: self == Target::Rolldown,
        }
    }

    /// webpack, Rspack and Next.js minify with swc; the rest ship oxc- or esbuild-like output.
    pub fn uses_swc(self) -> bool {
        matches!(self, Target::Webpack | Target::Rspack)
    }
}

/// From the installed Vite's major version (8+ is Rolldown) or the bundlers named in package.json.
pub fn detect_target(root: &Path) -> Target {
    if let Some(version) = installed_version(root, "vite") {
        let major: u32 = version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
        return if major >= 8 { Target::Rolldown } else { Target::Vite };
    }
    let manifest = std::fs::read_to_string(root.join("package.json")).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&manifest).unwrap_or_default();
    let has = |name: &str| {
        ["dependencies", "devDependencies"].iter().any(|k| json.get(k).and_then(|d| d.get(name)).is_some())
    };
    if has("next") || has("webpack") {
        Target::Webpack
    } else if has("@rspack/core") || has("@rsbuild/core") {
        Target::Rspack
    } else if has("esbuild") && !has("vite") {
        Target::Esbuild
    } else {
        Target::Vite
    }
}

/// The version of `package` as Node resolves it from `root`: its own `node_modules`, else an ancestor's (an
/// npm workspace hoists the bundler to the workspace root).
fn installed_version(root: &Path, package: &str) -> Option<String> {
    let text = root.ancestors().find_map(|dir| {
        std::fs::read_to_string(dir.join("node_modules").join(package).join("package.json")).ok()
    })?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("version")?.as_str().map(str::to_string)
}
