//! One chunk's modules from its sourcemap: sources resolved to project paths, bytes from the attribution, and
//! the diagnostics a map that does not fit its code earns.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ballast_common::{Diagnostic, DiagnosticCode};

use super::attribute::attribute;
use super::map::RawMap;
use crate::builder::Builder;
use crate::util::{module_path, normalize};

/// Where a map's source lives: relative to the map file, after `sourceRoot`; `webpack://app/./src/x.js` is
/// relative to the project root.
pub(crate) fn resolve_source(
    root: &Path,
    map_dir: &Path,
    source_root: Option<&str>,
    source: &str,
) -> (String, PathBuf) {
    let joined = match source_root.filter(|r| !r.is_empty()) {
        Some(r) if !source.starts_with('/') && !source.contains("://") => {
            format!("{}/{}", r.trim_end_matches('/'), source)
        }
        _ => source.to_string(),
    };
    if joined.starts_with('\0') {
        return module_path(root, &joined);
    }
    if let Some(rest) = joined.strip_prefix("file://") {
        return module_path(root, rest);
    }
    if let Some((scheme, rest)) = joined.split_once("://") {
        if scheme == "webpack" || scheme == "rollup" || scheme == "vite" {
            let rest = rest.split_once('/').map(|(_, r)| r).unwrap_or(rest);
            if !rest.starts_with("./") && !rest.starts_with("../") && !rest.starts_with('/') {
                return module_path(root, &format!("\0{scheme}/{rest}"));
            }
            return module_path(root, rest);
        }
        return module_path(root, &format!("\0{scheme}/{rest}"));
    }
    if joined.starts_with('/') {
        return module_path(root, &joined);
    }
    module_path(root, &normalize(&map_dir.join(&joined)).to_string_lossy())
}

/// Splits a chunk's code over the map's sources; registers the modules and returns them (with the chunk's
/// `[unmapped]` module when some bytes have no mapping) and the facade guess. `location` is the chunk file as
/// diagnostics name it (relative to the project root).
pub(crate) fn chunk_modules(
    builder: &mut Builder,
    code: &str,
    map: &RawMap,
    map_dir: &Path,
    chunk_file: &str,
    location: &str,
) -> (Vec<(String, u64)>, Option<String>) {
    let unmapped_path = format!("[unmapped]/{chunk_file}");
    let everything_unmapped = |builder: &mut Builder| {
        builder.synthetic(&unmapped_path);
        (vec![(unmapped_path.clone(), code.len() as u64)], None)
    };
    if map.sections.is_some() {
        builder.diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::InvalidStats,
                format!(
                    "the sourcemap of {chunk_file} is an indexed map (`sections`), which is not supported"
                ),
            )
            .in_file(location.to_string())
            .with_help("the chunk's bytes are reported as [unmapped]"),
        );
        return everything_unmapped(builder);
    }
    let attribution = match attribute(code, &map.mappings, map.sources.len()) {
        Ok(a) => a,
        Err(reason) => {
            builder.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::InvalidStats,
                    format!("unreadable sourcemap of {chunk_file}: {reason}"),
                )
                .in_file(location.to_string())
                .with_help("the chunk's bytes are reported as [unmapped]"),
            );
            return everything_unmapped(builder);
        }
    };
    if attribution.out_of_range > 0 {
        let mut diagnostic = Diagnostic::warning(
            DiagnosticCode::InvalidStats,
            format!(
                "{} of {} segments in the sourcemap of {chunk_file} point past the end of the code or at a \
                 missing source; clamped",
                attribution.out_of_range, attribution.segments
            ),
        )
        .in_file(location.to_string())
        .with_help("the map may belong to another build of this file; their bytes count as [unmapped]");
        if let Some((line, column)) = attribution.first_bad {
            diagnostic = diagnostic.at(line, column);
        }
        builder.diagnostics.push(diagnostic);
    }
    // Sources that resolve to the same path are merged; order by first appearance in the code.
    let mut by_path: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    let mut source_paths: Vec<Option<String>> = Vec::with_capacity(map.sources.len());
    let mut outside_sources: Vec<String> = Vec::new();
    for (s, source) in map.sources.iter().enumerate() {
        let Some(source) = source else {
            source_paths.push(None);
            continue;
        };
        let (path, abs) = resolve_source(builder.root(), map_dir, map.source_root.as_deref(), source);
        source_paths.push(Some(path.clone()));
        // A source no segment reaches is still listed, with 0 bytes.
        let bytes = attribution.per_source[s];
        // A source outside the project and the build output is listed by name but never stat'd or read.
        let outside =
            abs.is_absolute() && !abs.starts_with(builder.root()) && !abs.starts_with(normalize(map_dir));
        let info = builder.module(&path, abs);
        if outside {
            info.raw_size.get_or_insert(0);
            outside_sources.push(path.clone());
        }
        let slot = by_path.entry(path).or_insert((usize::MAX, 0));
        slot.0 = slot.0.min(attribution.first_seen[s]);
        slot.1 += bytes;
    }
    if let Some(first) = outside_sources.first() {
        builder.diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::InvalidStats,
                format!(
                    "{} source(s) in the sourcemap of {chunk_file} point outside the project and the build output \
                     (first: {first}); not read",
                    outside_sources.len()
                ),
            )
            .in_file(location.to_string())
            .with_help("their bytes are attributed by name only; their raw size is reported as 0"),
        );
    }
    let mut unmapped = attribution.unmapped;
    // `null` sources get nothing of their own.
    for (s, path) in source_paths.iter().enumerate() {
        if path.is_none() {
            unmapped += attribution.per_source[s];
        }
    }
    let mut modules: Vec<(usize, String, u64)> =
        by_path.into_iter().map(|(p, (first, b))| (first, p, b)).collect();
    modules.sort();
    let mut modules: Vec<(String, u64)> = modules.into_iter().map(|(_, p, b)| (p, b)).collect();
    if unmapped > 0 {
        builder.synthetic(&unmapped_path);
        modules.push((unmapped_path, unmapped));
    }
    let facade = attribution.last_source.and_then(|s| source_paths.get(s).cloned().flatten());
    (modules, facade)
}
