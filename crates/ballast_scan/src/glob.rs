//! Expanding `import.meta.glob` patterns (and template-literal `import()`) against the file system.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSetBuilder};
use walkdir::WalkDir;

/// Files matching `patterns` (relative to `importer_dir`, or to `root` when they start with `/`), sorted.
/// `!pattern` excludes; `node_modules` is never walked.
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
    for base in bases {
        let walker = WalkDir::new(&base)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.file_name() != "node_modules");
        for entry in walker.flatten() {
            let path = entry.path();
            if entry.file_type().is_file() && include.is_match(path) && !exclude.is_match(path) {
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
