//! What each bundler means for the stages (chunk rules, the code it adds, how it links, its minifier), and which
//! bundler a project uses when it is not given.

use std::path::Path;

use ballast_chunk::{ChunkRules, GlueOptions};
use ballast_common::Bundler;
use ballast_link::LinkOptions;
use ballast_scan::BundlerCode;

/// The stage settings a bundler implies; kept here because each names another stage's type.
pub trait BundlerStages {
    fn chunk_rules(self) -> ChunkRules;
    fn bundler_code(self) -> BundlerCode;
    fn link_options(self) -> LinkOptions;
    fn glue_options(self) -> GlueOptions;
    fn uses_swc(self) -> bool;
}

impl BundlerStages for Bundler {
    /// Whose chunking rules the chunk stage follows.
    fn chunk_rules(self) -> ChunkRules {
        match self {
            Bundler::Vite | Bundler::Rollup => ChunkRules::Rollup,
            Bundler::Rolldown => ChunkRules::Rolldown,
            Bundler::Webpack | Bundler::Rspack => ChunkRules::Webpack,
            Bundler::Esbuild => ChunkRules::Esbuild,
        }
    }

    /// The code the bundler adds to the output, which the scan models as modules.
    fn bundler_code(self) -> BundlerCode {
        match self {
            Bundler::Vite => BundlerCode::Vite7,
            Bundler::Rolldown => BundlerCode::Vite8,
            Bundler::Webpack | Bundler::Rspack => BundlerCode::Webpack,
            Bundler::Rollup | Bundler::Esbuild => BundlerCode::None,
        }
    }

    /// Rollup binds `export default name` to `name` itself; the others give it a binding of its own.
    fn link_options(self) -> LinkOptions {
        LinkOptions {
            default_is_alias: matches!(self, Bundler::Vite | Bundler::Rollup),
            named_reexports_are_dependencies: self == Bundler::Rolldown,
            rollup_inclusion: matches!(self, Bundler::Vite | Bundler::Rollup),
        }
    }

    /// What ties its chunks together in the output; Vite alone rewrites `import()` to preload.
    fn glue_options(self) -> GlueOptions {
        GlueOptions {
            rules: self.chunk_rules(),
            vite_preload: matches!(self, Bundler::Vite | Bundler::Rolldown),
        }
    }

    /// webpack, Rspack and Next.js minify with swc; the rest ship oxc- or esbuild-like output.
    fn uses_swc(self) -> bool {
        matches!(self, Bundler::Webpack | Bundler::Rspack)
    }
}

/// From the installed Vite's major version (8+ is Rolldown) or the bundlers named in package.json.
pub fn detect_target(root: &Path) -> Bundler {
    if let Some(version) = installed_version(root, "vite") {
        let major: u32 = version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
        return if major >= 8 { Bundler::Rolldown } else { Bundler::Vite };
    }
    let manifest = std::fs::read_to_string(root.join("package.json")).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&manifest).unwrap_or_default();
    let has = |name: &str| {
        ["dependencies", "devDependencies"].iter().any(|k| json.get(k).and_then(|d| d.get(name)).is_some())
    };
    if has("next") || has("webpack") {
        Bundler::Webpack
    } else if has("@rspack/core") || has("@rsbuild/core") {
        Bundler::Rspack
    } else if has("esbuild") && !has("vite") {
        Bundler::Esbuild
    } else {
        Bundler::Vite
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
