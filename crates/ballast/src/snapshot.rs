//! The whole-analysis cache. A warm run whose inputs did not change skips every stage: it re-hashes the files
//! the last analysis read and re-lists the folders resolution looked in, and when all match it returns the
//! stored report. Per-module caches (scan facts, minified code, chunk compression) still serve a run where
//! something did change.
//!
//! What can change a report: a module's bytes (the stamp the scan took as it read them); a file appearing or vanishing where resolution
//! looks, which would change what an import resolves to (the names listed in every folder from the modules up
//! to their common ancestor, or up to `/` when some import did not resolve); a config file that scanning reads
//! (`package.json`, `tsconfig.json`, `vite.config.*`, `index.html` in those folders); and the options (key).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ballast_common::{DiagnosticCode, DiskCache, FileStamp};
use ballast_graph::ModuleGraph;
use ballast_report::Report;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use ballast_common::Bundler;

use crate::Options;

const BUCKET: &str = "report";
const INPUTS: &str = "report-inputs";

/// Files that steer scanning and resolution besides the modules themselves.
const CONFIG_FILES: [&str; 12] = [
    "package.json",
    "tsconfig.json",
    "jsconfig.json",
    "index.html",
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.cjs",
    "vite.config.ts",
    "vite.config.mts",
    "vite.config.cts",
    "ballast.json",
    ".browserslistrc",
];

/// What a stored report was computed from; kept apart from the report so that checking it and reading the
/// report run side by side.
#[derive(Serialize, Deserialize)]
struct Inputs {
    /// Every file the analysis depends on, as it was read.
    files: Vec<(PathBuf, FileStamp)>,
    /// Folders whose listing decides resolution, with a hash of their sorted entry names.
    folders: Vec<(PathBuf, String)>,
    /// Ties the pair together: a report written by another run between the two reads is not taken.
    report_key: String,
}

/// Stored as `StoredReport<&Report>`, read back as `StoredReport<Report>`.
#[derive(Serialize, Deserialize)]
struct StoredReport<R> {
    report_key: String,
    report: R,
}

pub(crate) fn key(options: &Options, target: Bundler) -> String {
    let options = Options { cache_dir: None, no_snapshot: false, scan_memo: None, ..options.clone() };
    DiskCache::key(&[b"report-4", format!("{options:?}").as_bytes(), target.as_str().as_bytes()])
}

/// The stored report, when every input still matches.
pub(crate) fn load(cache: &DiskCache, key: &str) -> Option<Report> {
    let inputs: Inputs = cache.get(INPUTS, key)?;
    let (unchanged, stored) =
        rayon::join(|| unchanged(&inputs), || cache.get::<StoredReport<Report>>(BUCKET, key));
    let stored = stored?;
    (unchanged && stored.report_key == inputs.report_key).then_some(stored.report)
}

fn unchanged(inputs: &Inputs) -> bool {
    let files_match = inputs.files.par_iter().all(|(path, stamp)| stamp.matches(path));
    files_match && inputs.folders.par_iter().all(|(dir, hash)| listing_hash(dir).as_deref() == Some(hash))
}

/// Stores `report` with what it was computed from. Skipped when a module has no stamp (it could not be read),
/// and when the project helper failed (Node missing, a plugin that crashed): the next run asks it again rather
/// than keep the answer made without it.
pub(crate) fn store(cache: &DiskCache, key: &str, root: &Path, graph: &ModuleGraph, report: &Report) {
    if !cache.is_enabled() || graph.diagnostics.iter().any(|d| d.code == DiagnosticCode::HelperFailed) {
        return;
    }
    let module_dirs: BTreeSet<&Path> =
        graph.modules.iter().filter(|m| !m.is_bundler_code()).filter_map(|m| m.abs_path.parent()).collect();
    let stop = if has_unresolved_import(graph) {
        None
    } else {
        common_ancestor(module_dirs.iter().copied().chain([root]))
    };
    let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
    for dir in module_dirs.iter().copied().chain([root]) {
        for ancestor in dir.ancestors() {
            if !folders.insert(ancestor.to_path_buf()) || Some(ancestor) == stop {
                break;
            }
        }
    }
    // The bundler's own code (`(vite)/…`) is Ballast's, not the project's: nothing to watch.
    let modules = graph
        .modules
        .iter()
        .filter(|m| !m.is_bundler_code())
        .map(|m| Some((m.abs_path.clone(), m.stamp.clone()?)));
    let Some(mut files) = modules.collect::<Option<Vec<_>>>() else { return };
    let listed: Option<Vec<(PathBuf, String, Vec<PathBuf>)>> = folders
        .into_par_iter()
        .map(|dir| {
            let (hash, names) = listing(&dir)?;
            let configs = names.iter().filter(|n| is_config_file(n));
            let configs = configs.map(|n| dir.join(n)).collect();
            Some((dir, hash, configs))
        })
        .collect();
    let Some(listed) = listed else { return };
    let configs: Vec<PathBuf> = listed.iter().flat_map(|(_, _, configs)| configs.iter().cloned()).collect();
    let configs = configs.into_par_iter().map(|p| FileStamp::read(&p).ok().map(|(_, stamp)| (p, stamp)));
    let Some(configs) = configs.collect::<Option<Vec<_>>>() else { return };
    files.extend(configs);
    files.sort();
    files.dedup();
    let folders: Vec<(PathBuf, String)> = listed.into_iter().map(|(dir, hash, _)| (dir, hash)).collect();
    // Report first: a reader that finds the new inputs with the old report sees different report keys.
    let report_key =
        DiskCache::key(&[key.as_bytes(), format!("{:?}", std::time::SystemTime::now()).as_bytes()]);
    cache.put(BUCKET, key, &StoredReport { report_key: report_key.clone(), report });
    cache.put(INPUTS, key, &Inputs { files, folders, report_key });
}

/// The fixed names, and every `tsconfig*.json` / `jsconfig*.json` (a `tsconfig.base.json` that `extends` names).
fn is_config_file(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    CONFIG_FILES.contains(&&*name)
        || ((name.starts_with("tsconfig") || name.starts_with("jsconfig")) && name.ends_with(".json"))
}

fn has_unresolved_import(graph: &ModuleGraph) -> bool {
    graph.diagnostics.iter().any(|d| d.code == DiagnosticCode::UnresolvedImport)
}

fn common_ancestor<'a>(mut dirs: impl Iterator<Item = &'a Path>) -> Option<&'a Path> {
    let mut common = dirs.next()?;
    for dir in dirs {
        while !dir.starts_with(common) {
            common = common.parent()?;
        }
    }
    Some(common)
}

fn listing_hash(dir: &Path) -> Option<String> {
    listing(dir).map(|(hash, _)| hash)
}

/// A hash of a folder's sorted entry names, and the names.
fn listing(dir: &Path) -> Option<(String, Vec<std::ffi::OsString>)> {
    let mut names: Vec<std::ffi::OsString> =
        std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok().map(|e| e.file_name())).collect();
    names.sort();
    let mut hasher = blake3::Hasher::new();
    for name in &names {
        hasher.update(name.as_encoded_bytes());
        hasher.update(&[0]);
    }
    Some((hasher.finalize().to_hex().to_string(), names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_files_include_extended_tsconfigs() {
        assert!(is_config_file("tsconfig.base.json".as_ref()));
        assert!(is_config_file("package.json".as_ref()));
        assert!(!is_config_file("main.ts".as_ref()));
    }

    #[test]
    fn common_ancestor_of_folders() {
        let dirs = [Path::new("/a/b/c"), Path::new("/a/b/d/e"), Path::new("/a/b")];
        assert_eq!(common_ancestor(dirs.into_iter()), Some(Path::new("/a/b")));
        let dirs = [Path::new("/a/x"), Path::new("/b/y")];
        assert_eq!(common_ancestor(dirs.into_iter()), Some(Path::new("/")));
    }
}
