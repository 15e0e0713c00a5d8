//! Which package a file belongs to: the folder after its last `node_modules`, and that folder's package.json.

use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use ballast_common::{Diagnostic, DiagnosticCode, relative_path};
use ballast_graph::SideEffects;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone)]
pub struct PackageInfo {
    pub name: String,
    pub version: String,
    pub dir: PathBuf,
    pub side_effects: SideEffects,
    side_effect_globs: Option<GlobSet>,
}

impl PackageInfo {
    /// Whether `file` (inside this package) may have side effects, per the `sideEffects` field.
    pub fn file_has_side_effects(&self, file: &Path) -> bool {
        match (&self.side_effects, &self.side_effect_globs) {
            (SideEffects::All(b), _) => *b,
            (SideEffects::Files(_), Some(set)) => {
                let rel = file.strip_prefix(&self.dir).unwrap_or(file);
                set.is_match(rel)
            }
            (SideEffects::Files(_), None) => true,
        }
    }
}

/// Package lookups shared by the loader's threads; each package.json is read once.
#[derive(Default)]
pub struct PackageTable {
    by_dir: Mutex<FxHashMap<PathBuf, Option<PackageInfo>>>,
    pub diagnostics: Mutex<Vec<Diagnostic>>,
}

/// The package root of a file under `node_modules`: `…/node_modules/name` or `…/node_modules/@scope/name`.
pub fn package_dir(file: &Path) -> Option<PathBuf> {
    let components: Vec<Component> = file.components().collect();
    let nm = components.iter().rposition(|c| c.as_os_str() == "node_modules")?;
    let first = components.get(nm + 1)?;
    let take = if first.as_os_str().to_string_lossy().starts_with('@') { nm + 3 } else { nm + 2 };
    if take >= components.len() {
        return None; // the file is the package folder itself, or directly in node_modules
    }
    Some(components[..take].iter().collect())
}

impl PackageTable {
    pub fn package_of(&self, file: &Path, root: &Path) -> Option<PackageInfo> {
        let dir = package_dir(file)?;
        if let Some(known) = self.by_dir.lock().ok()?.get(&dir) {
            return known.clone();
        }
        let info = self.read(&dir, root);
        self.by_dir.lock().ok()?.insert(dir, info.clone());
        info
    }

    fn read(&self, dir: &Path, root: &Path) -> Option<PackageInfo> {
        let fallback_name = dir
            .components()
            .rev()
            .take(2)
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>();
        let fallback_name = match fallback_name.as_slice() {
            [name, scope] if scope.starts_with('@') => format!("{scope}/{name}"),
            [name, ..] => name.clone(),
            [] => return None,
        };
        let manifest = dir.join("package.json");
        let json: serde_json::Value = match std::fs::read_to_string(&manifest) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(e) => {
                    self.warn(
                        Diagnostic::warning(
                            DiagnosticCode::InvalidPackageJson,
                            format!("package.json is not valid JSON: {e}"),
                        )
                        .in_file(relative_path(root, &manifest))
                        .at(e.line() as u32, e.column() as u32)
                        .with_help("the package is still counted, under its folder name"),
                    );
                    serde_json::Value::Null
                }
            },
            Err(_) => serde_json::Value::Null,
        };
        let name = json.get("name").and_then(|v| v.as_str()).unwrap_or(&fallback_name).to_string();
        let version = json.get("version").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let side_effects = match json.get("sideEffects") {
            Some(serde_json::Value::Bool(b)) => SideEffects::All(*b),
            Some(serde_json::Value::Array(items)) => {
                SideEffects::Files(items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            }
            _ => SideEffects::All(true),
        };
        let side_effect_globs = match &side_effects {
            SideEffects::Files(patterns) => build_side_effect_globs(patterns),
            SideEffects::All(_) => None,
        };
        Some(PackageInfo { name, version, dir: dir.to_path_buf(), side_effects, side_effect_globs })
    }

    fn warn(&self, diagnostic: Diagnostic) {
        if let Ok(mut list) = self.diagnostics.lock() {
            list.push(diagnostic);
        }
    }
}

/// webpack's rules: a pattern without a `/` matches the file name anywhere in the package.
fn build_side_effect_globs(patterns: &[String]) -> Option<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        // Vite and webpack: a pattern without a slash matches the file name anywhere; `./compile.js` has one and
        // is the package root's file only.
        let p = if pattern.contains('/') {
            pattern.trim_start_matches("./").to_string()
        } else {
            format!("**/{pattern}")
        };
        builder.add(Glob::new(&p).ok()?);
    }
    builder.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_roots_under_node_modules() {
        let f = Path::new("/p/node_modules/three/build/three.module.js");
        assert_eq!(package_dir(f).unwrap(), Path::new("/p/node_modules/three"));
        let s = Path::new("/p/node_modules/.pnpm/@a+b@1/node_modules/@a/b/index.js");
        assert_eq!(package_dir(s).unwrap(), Path::new("/p/node_modules/.pnpm/@a+b@1/node_modules/@a/b"));
        assert!(package_dir(Path::new("/p/src/a.js")).is_none());
    }

    #[test]
    fn side_effect_patterns_with_a_slash_are_rooted() {
        let set = build_side_effect_globs(&["./compile.js".to_string(), "*.css".to_string()]).unwrap();
        assert!(set.is_match("compile.js"));
        assert!(!set.is_match("v4/core/compile.js"));
        assert!(set.is_match("dist/theme.css"));
    }
}
