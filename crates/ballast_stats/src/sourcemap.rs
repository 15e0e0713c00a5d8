//! Sourcemap attribution (like source-map-explorer): every generated segment's bytes go to its original source;
//! bytes no segment covers go to the chunk's `[unmapped]` module. Also reads a `dist/` folder of `.js` + `.map`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ballast_chunk::ChunkKind;
use ballast_common::{Diagnostic, DiagnosticCode};
use serde::Deserialize;

use crate::builder::{Builder, RawChunk};
use crate::util::{chunk_stem, decode_base64, is_js_file, module_path, module_stem, normalize};
use crate::{BuildInput, StatsError, json_error, shape_error};

#[derive(Debug, Deserialize)]
pub(crate) struct RawMap {
    #[serde(default)]
    pub sources: Vec<Option<String>>,
    #[serde(default, rename = "sourceRoot")]
    pub source_root: Option<String>,
    #[serde(default)]
    pub mappings: String,
    #[serde(default)]
    pub sections: Option<serde_json::Value>,
}

/// Bytes of one chunk per source index, in the order sources first appear in the generated code.
#[derive(Debug, Default)]
pub(crate) struct Attribution {
    pub per_source: Vec<u64>,
    pub first_seen: Vec<usize>,
    pub unmapped: u64,
    /// Segments past the end of the code, or naming a source that does not exist.
    pub out_of_range: usize,
    pub first_bad: Option<(u32, u32)>,
    pub segments: usize,
    /// Source of the last mapped byte: the entry module of a Rollup/esbuild chunk.
    pub last_source: Option<usize>,
}

fn vlq_value(byte: u8) -> Option<i64> {
    Some(i64::from(match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

fn decode_segment(segment: &str, out: &mut Vec<i64>) -> Result<(), String> {
    out.clear();
    let mut value: i64 = 0;
    let mut shift = 0;
    for byte in segment.bytes() {
        let digit =
            vlq_value(byte).ok_or_else(|| format!("invalid character `{}` in mappings", byte as char))?;
        if shift > 60 {
            return Err("number too large in mappings".to_string());
        }
        value += (digit & 31) << shift;
        if digit & 32 != 0 {
            shift += 5;
        } else {
            let negative = value & 1 == 1;
            let magnitude = value >> 1;
            out.push(if negative { -magnitude } else { magnitude });
            value = 0;
            shift = 0;
        }
    }
    if shift != 0 {
        return Err("mappings end in the middle of a number".to_string());
    }
    Ok(())
}

/// Byte offsets of sorted UTF-16 columns in `line` (columns past the end map to `None`).
fn byte_offsets(line: &str, columns: &[i64]) -> Vec<Option<usize>> {
    if line.is_ascii() {
        return columns.iter().map(|&c| usize::try_from(c).ok().filter(|&c| c <= line.len())).collect();
    }
    let mut out = Vec::with_capacity(columns.len());
    let mut chars = line.char_indices().peekable();
    let mut utf16: i64 = 0;
    for &column in columns {
        while utf16 < column {
            match chars.next() {
                Some((_, ch)) => utf16 += ch.len_utf16() as i64,
                None => break,
            }
        }
        let offset = chars.peek().map(|(i, _)| *i).unwrap_or(line.len());
        out.push((column >= 0 && utf16 >= column).then_some(offset));
    }
    out
}

pub(crate) fn attribute(code: &str, mappings: &str, sources: usize) -> Result<Attribution, String> {
    let mut result = Attribution {
        per_source: vec![0; sources],
        first_seen: vec![usize::MAX; sources],
        ..Attribution::default()
    };
    let lines: Vec<&str> = code.split('\n').collect();
    let mut line_start = 0usize;
    let mut fields = Vec::with_capacity(5);
    // Only the source index matters for sizes; original lines, columns and names are not needed.
    let mut source: i64 = 0;
    let bad = |result: &mut Attribution, line: usize, column: i64| {
        result.out_of_range += 1;
        if result.first_bad.is_none() {
            let column = u32::try_from(column.max(0)).unwrap_or(u32::MAX);
            result.first_bad = Some((u32::try_from(line + 1).unwrap_or(u32::MAX), column.saturating_add(1)));
        }
    };
    for (line_no, line_mappings) in mappings.split(';').enumerate() {
        let mut segments: Vec<(i64, Option<i64>)> = Vec::new();
        let mut column: i64 = 0;
        for segment in line_mappings.split(',').filter(|s| !s.is_empty()) {
            decode_segment(segment, &mut fields)?;
            column += fields[0];
            match fields.len() {
                1 => segments.push((column, None)),
                4 | 5 => {
                    source += fields[1];
                    segments.push((column, Some(source)));
                }
                n => return Err(format!("a mappings segment has {n} fields (1, 4 or 5 expected)")),
            }
        }
        result.segments += segments.len();
        let Some(line) = lines.get(line_no) else {
            for (column, _) in &segments {
                bad(&mut result, line_no, *column);
            }
            continue;
        };
        segments.sort_by_key(|(c, _)| *c);
        let columns: Vec<i64> = segments.iter().map(|(c, _)| *c).collect();
        let offsets = byte_offsets(line, &columns);
        let clamped: Vec<usize> = offsets
            .iter()
            .zip(&segments)
            .map(|(offset, (column, _))| match offset {
                Some(o) => *o,
                None => {
                    bad(&mut result, line_no, *column);
                    line.len()
                }
            })
            .collect();
        for (k, (_, src)) in segments.iter().enumerate() {
            let start = clamped[k];
            let end = clamped.get(k + 1).copied().unwrap_or(line.len());
            let bytes = (end - start) as u64;
            match src.and_then(|s| usize::try_from(s).ok()).filter(|&s| s < sources) {
                Some(s) => {
                    result.per_source[s] += bytes;
                    if bytes > 0 {
                        result.first_seen[s] = result.first_seen[s].min(line_start + start);
                        result.last_source = Some(s);
                    }
                }
                None => {
                    if src.is_some() {
                        bad(&mut result, line_no, segments[k].0);
                    }
                }
            }
        }
        line_start += line.len() + 1;
    }
    let mapped: u64 = result.per_source.iter().sum();
    result.unmapped = code.len() as u64 - mapped;
    Ok(result)
}

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

pub(crate) fn parse_map(text: &str, file: &Path) -> Result<RawMap, StatsError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
    if !value.is_object() || (value.get("mappings").is_none() && value.get("sections").is_none()) {
        return Err(StatsError::Shape {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
            what: "sourcemap",
            message: "a sourcemap needs `mappings` and `sources`".to_string(),
        });
    }
    serde_json::from_str(text).map_err(|e| shape_error(file, "sourcemap", &e))
}

fn read_text(path: &Path) -> Result<String, StatsError> {
    let bytes = std::fs::read(path).map_err(|source| StatsError::Io { path: path.to_path_buf(), source })?;
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// The map of a `.js` file: its `sourceMappingURL` (a file or a `data:` URL), else `file.js.map` next to it.
/// A `sourceMappingURL` that points outside `allowed` (the project root and the build output) is not read: it is
/// named in `outside` and the sibling `file.js.map` is tried instead.
fn find_map(
    js: &Path,
    code: &str,
    allowed: &[&Path],
    outside: &mut Option<String>,
) -> Result<Option<(RawMap, PathBuf)>, StatsError> {
    let url = code
        .rfind("sourceMappingURL=")
        .map(|at| code[at + "sourceMappingURL=".len()..].split_whitespace().next().unwrap_or("").to_string());
    let dir = js.parent().unwrap_or(Path::new(""));
    if let Some(url) = url.filter(|u| !u.is_empty()) {
        if let Some(data) = url.strip_prefix("data:") {
            if let Some((_, payload)) = data.split_once(";base64,")
                && let Some(bytes) = decode_base64(payload)
            {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                return parse_map(&text, js).map(|m| Some((m, dir.to_path_buf())));
            }
        } else {
            let path = normalize(&dir.join(url.split(['?', '#']).next().unwrap_or(&url)));
            let cwd = std::env::current_dir().unwrap_or_default();
            let absolute = |p: &Path| normalize(&cwd.join(p));
            if !allowed.iter().any(|a| absolute(&path).starts_with(absolute(a))) {
                *outside = Some(url.clone());
            } else if path.is_file() {
                let map = parse_map(&read_text(&path)?, &path)?;
                return Ok(Some((map, path.parent().unwrap_or(dir).to_path_buf())));
            }
        }
    }
    let sibling = PathBuf::from(format!("{}.map", js.display()));
    if sibling.is_file() {
        let map = parse_map(&read_text(&sibling)?, &sibling)?;
        return Ok(Some((map, dir.to_path_buf())));
    }
    Ok(None)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), StatsError> {
    let entries =
        std::fs::read_dir(dir).map_err(|source| StatsError::Io { path: dir.to_path_buf(), source })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn rel(base: &Path, path: &Path) -> String {
    ballast_common::relative_path(&normalize(base), &normalize(path))
}

/// `dir/../x.js` style joins of `/`-separated relative paths.
fn join_rel(dir: &str, spec: &str) -> String {
    let mut parts: Vec<&str> =
        if spec.starts_with('/') { Vec::new() } else { dir.split('/').filter(|p| !p.is_empty()).collect() };
    for part in spec.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Relative specifiers of `import … from "…"`, `import "…"`, `export … from "…"` and `import("…")` in code.
pub(crate) fn scan_imports(code: &str) -> (Vec<String>, Vec<String>) {
    let bytes = code.as_bytes();
    let mut statics = Vec::new();
    let mut dynamics = Vec::new();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let quoted = |mut i: usize| -> Option<String> {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *bytes.get(i)?;
        if quote != b'"' && quote != b'\'' && quote != b'`' {
            return None;
        }
        let end = code[i + 1..].find(quote as char)? + i + 1;
        let spec = &code[i + 1..end];
        (spec.starts_with("./") || spec.starts_with("../") || spec.starts_with('/')).then(|| spec.to_string())
    };
    for keyword in ["import", "from"] {
        let mut at = 0;
        while let Some(found) = code[at..].find(keyword) {
            let start = at + found;
            let end = start + keyword.len();
            at = end;
            if start > 0 && (is_ident(bytes[start - 1]) || bytes[start - 1] == b'.') {
                continue;
            }
            if bytes.get(end).is_some_and(|&b| is_ident(b)) {
                continue;
            }
            if keyword == "import" {
                let mut i = end;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) == Some(&b'(') {
                    if let Some(spec) = quoted(i + 1) {
                        dynamics.push(spec);
                    }
                    continue;
                }
            }
            if let Some(spec) = quoted(end) {
                statics.push(spec);
            }
        }
    }
    (statics, dynamics)
}

/// `<script src="…">` targets of an HTML file.
fn html_scripts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let start = at + found;
        let end = lower[start..].find('>').map(|e| start + e).unwrap_or(lower.len());
        at = end.max(start + 1);
        let tag = &html[start..end];
        let tag_lower = &lower[start..end];
        let Some(src_at) = tag_lower.find("src=") else { continue };
        let rest = &tag[src_at + 4..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""),
        };
        if !value.is_empty() && !value.contains("://") && !value.starts_with("//") {
            out.push(value.split(['?', '#']).next().unwrap_or(value).to_string());
        }
    }
    out
}

/// A `dist/` folder, or one `.js` file with its map.
pub(crate) fn load(path: &Path, root: &Path) -> Result<BuildInput, StatsError> {
    let (base, files) = if path.is_dir() {
        let mut all = Vec::new();
        walk(path, &mut all)?;
        (path.to_path_buf(), all)
    } else {
        (path.parent().unwrap_or(Path::new("")).to_path_buf(), vec![path.to_path_buf()])
    };
    let js: Vec<&PathBuf> = files.iter().filter(|f| is_js_file(&f.to_string_lossy())).collect();
    if js.is_empty() {
        return Err(StatsError::NoChunks { path: path.to_path_buf() });
    }
    let mut builder = Builder::new(root, "sourcemap");

    // Entries named by the HTML pages that load them.
    let mut html_entries: BTreeMap<String, String> = BTreeMap::new();
    for html in files.iter().filter(|f| f.extension().is_some_and(|e| e == "html" || e == "htm")) {
        let text = read_text(html)?;
        let html_rel = rel(&base, html);
        let html_dir = html_rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for src in html_scripts(&text) {
            let file = join_rel(html_dir, &src);
            html_entries.entry(file).or_insert_with(|| module_stem(&html_rel));
        }
    }

    struct Loaded {
        file: String,
        modules: Vec<(String, u64)>,
        facade: Option<String>,
        statics: Vec<String>,
        dynamics: Vec<String>,
        code: String,
    }
    let mut loaded = Vec::new();
    let known: BTreeSet<String> = js.iter().map(|f| rel(&base, f)).collect();
    for file in &js {
        let code = read_text(file)?;
        let chunk_file = rel(&base, file);
        let location = ballast_common::relative_path(builder.root(), &normalize(file));
        let unmapped = format!("[unmapped]/{chunk_file}");
        let mut outside_map = None;
        let found = find_map(file, &code, &[builder.root(), &base], &mut outside_map);
        if let Some(url) = outside_map {
            builder.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::InvalidStats,
                    format!(
                        "the sourceMappingURL of {chunk_file} ({url}) points outside the project and the build \
                         output; not read"
                    ),
                )
                .in_file(location.clone())
                .with_help("a sourcemap next to the chunk (`file.js.map`) is used when there is one"),
            );
        }
        let (modules, facade) = match found {
            Ok(Some((map, map_dir))) => {
                chunk_modules(&mut builder, &code, &map, &map_dir, &chunk_file, &location)
            }
            // One broken map does not stop the others: that chunk is measured whole, as [unmapped].
            Err(e) => {
                let mut diagnostic = e.diagnostic();
                diagnostic.severity = ballast_common::Severity::Warning;
                diagnostic.help = Some(format!("{}; the chunk's bytes are reported as [unmapped]", e.hint()));
                builder.diagnostics.push(diagnostic);
                builder.synthetic(&unmapped);
                (vec![(unmapped, code.len() as u64)], None)
            }
            Ok(None) => {
                builder.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::InvalidStats,
                        format!("{chunk_file} has no sourcemap"),
                    )
                    .in_file(location)
                    .with_help("build with sourcemaps (Vite: build.sourcemap) to see the modules inside it"),
                );
                builder.synthetic(&unmapped);
                (vec![(unmapped, code.len() as u64)], None)
            }
        };
        let dir = chunk_file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let (statics, dynamics) = scan_imports(&code);
        let resolve = |specs: Vec<String>| -> Vec<String> {
            let mut out: Vec<String> = specs
                .iter()
                .map(|s| join_rel(dir, s))
                .filter(|f| known.contains(f) && *f != chunk_file)
                .collect();
            out.sort();
            out.dedup();
            out
        };
        let statics = resolve(statics);
        let dynamics = resolve(dynamics);
        loaded.push(Loaded { file: chunk_file, modules, facade, statics, dynamics, code });
    }

    let imported: BTreeSet<String> =
        loaded.iter().flat_map(|l| l.statics.iter().chain(&l.dynamics)).cloned().collect();
    let dynamic_targets: BTreeSet<String> = loaded.iter().flat_map(|l| l.dynamics.iter().cloned()).collect();
    for chunk in loaded {
        let entry_name = if html_entries.is_empty() {
            (!imported.contains(&chunk.file)).then(|| chunk_stem(&chunk.file))
        } else {
            html_entries.get(&chunk.file).cloned()
        };
        let kind = if entry_name.is_some() {
            ChunkKind::Entry
        } else if dynamic_targets.contains(&chunk.file) {
            ChunkKind::Async
        } else {
            ChunkKind::Shared
        };
        let facade = match kind {
            ChunkKind::Shared => None,
            _ => chunk.facade.clone().or_else(|| chunk.modules.first().map(|(p, _)| p.clone())),
        };
        if let (Some(name), Some(module)) = (&entry_name, &facade) {
            builder.entry(name, module);
        }
        builder.chunk(RawChunk {
            name: entry_name.unwrap_or_else(|| chunk_stem(&chunk.file)),
            kind,
            bytes: chunk.code.len() as u64,
            modules: chunk.modules,
            imports: chunk.statics,
            dynamic_imports: chunk.dynamics,
            facade,
            code: Some(chunk.code),
            file: chunk.file,
        });
    }
    Ok(builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_vlq() {
        let mut out = Vec::new();
        decode_segment("AAgBC", &mut out).ok();
        assert_eq!(out, vec![0, 0, 16, 1]);
        decode_segment("D", &mut out).ok();
        assert_eq!(out, vec![-1]);
    }

    #[test]
    fn attributes_and_clamps() {
        // Line 0: cols 0-3 source 0, 3.. source 1; line 1 has a segment at column 50 (past the end).
        let a = attribute("abcdef\nxy", "AAAA,GCAA;kDAAA", 2).ok();
        let a = a.as_ref();
        assert_eq!(a.map(|a| a.per_source.clone()), Some(vec![3, 3]));
        assert_eq!(a.map(|a| a.unmapped), Some(3));
        assert_eq!(a.map(|a| a.out_of_range), Some(1));
    }

    #[test]
    fn scans_chunk_imports() {
        let (s, d) =
            scan_imports(r#"import{f as i}from"./index-D8.js";x=import("./report-A.js");import "../c.js""#);
        assert_eq!(s, vec!["../c.js".to_string(), "./index-D8.js".to_string()]);
        assert_eq!(d, vec!["./report-A.js".to_string()]);
        assert_eq!(join_rel("assets", "./x.js"), "assets/x.js");
        assert_eq!(join_rel("assets", "/assets/x.js"), "assets/x.js");
        assert_eq!(
            html_scripts(r#"<script type="module" crossorigin src="/assets/i.js"></script>"#),
            vec!["/assets/i.js"]
        );
    }
}
