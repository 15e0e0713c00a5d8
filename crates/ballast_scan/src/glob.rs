//! Expanding `import.meta.glob` patterns (and template-literal `import()`) against the file system.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSetBuilder};
use walkdir::WalkDir;

/// Files matching `patterns` (relative to `importer_dir`, or to `root` when they start with `/`), sorted.
/// `!pattern` excludes; `node_modules` and dot folders (`.git`, `.cache`) are never walked, as in Vite, unless
/// the pattern names them before its first wildcard. Only files under `root` are returned: a pattern that climbs
/// out of the project (`../../**`) is walked from the root, never above it.
pub fn expand(patterns: &[String], importer_dir: &Path, root: &Path) -> Vec<PathBuf> {
    let mut include = GlobSetBuilder::new();
    let mut exclude = GlobSetBuilder::new();
    let mut bases: Vec<PathBuf> = Vec::new();
    for pattern in patterns {
        let (negated, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, pattern.as_str()),
        };
        let absolute = match pattern.strip_prefix('/') {
            Some(p) => root.join(p),
            None => importer_dir.join(pattern),
        };
        let absolute = normalize(&absolute);
        let text = absolute.to_string_lossy().into_owned();
        let Ok(glob) = GlobBuilder::new(&text).literal_separator(true).build() else { continue };
        if negated {
            exclude.add(glob);
        } else {
            include.add(glob);
            bases.push(static_prefix(&absolute));
        }
    }
    let (Ok(include), Ok(exclude)) = (include.build(), exclude.build()) else { return Vec::new() };
    let mut out = Vec::new();
    let root = normalize(root);
    for base in bases {
        // Confined to the project: a base above the root is walked from the root.
        let base = if base.starts_with(&root) { base } else { root.clone() };
        let walker = WalkDir::new(&base).follow_links(false).into_iter().filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name() == "node_modules"
                    || e.file_type().is_dir() && e.file_name().to_string_lossy().starts_with('.'))
        });
        for entry in walker.flatten() {
            let path = entry.path();
            if entry.file_type().is_file()
                && path.starts_with(&root)
                && include.is_match(path)
                && !exclude.is_match(path)
            {
                out.push(path.to_path_buf());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The folder part of a pattern before its first wildcard.
fn static_prefix(pattern: &Path) -> PathBuf {
    let mut prefix = PathBuf::new();
    for component in pattern.components() {
        let s = component.as_os_str().to_string_lossy();
        if s.contains(['*', '?', '[', '{']) {
            break;
        }
        prefix.push(component);
    }
    if prefix == pattern { prefix.parent().map(Path::to_path_buf).unwrap_or(prefix) } else { prefix }
}

/// Removes `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_stay_in_the_root_and_skip_dot_folders() {
        let dir = std::env::temp_dir().join(format!("ballast-glob-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("outside.js"), "").unwrap();
        let root = dir.join("app");
        for f in
            ["src/pages/a.js", "src/pages/.hidden/h.js", ".git/x.js", "src/pages/node_modules/n.js", "b.js"]
        {
            let path = root.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let importer = root.join("src");
        let found = expand(&["./pages/**/*.js".to_string()], &importer, &root);
        assert_eq!(found, vec![root.join("src/pages/a.js")]);
        let climbing = expand(&["../../../../../**/*.js".to_string()], &importer, &root);
        assert_eq!(climbing, vec![root.join("b.js"), root.join("src/pages/a.js")]);
        assert!(expand(&["../../*.js".to_string()], &importer, &root).is_empty());
        // A dot folder named before the wildcard is walked.
        assert_eq!(expand(&["/.git/*.js".to_string()], &importer, &root), vec![root.join(".git/x.js")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
