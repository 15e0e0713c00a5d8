//! What a file is, from its extension and the import's query (`?raw`, `?url`, `?worker`).

use std::path::Path;

use ballast_graph::ModuleKind;

/// The kind of a resolved file, and whether the extension was one Ballast knows.
pub fn module_kind(path: &Path, query: Option<&str>) -> (ModuleKind, bool) {
    match query {
        Some(q) if q.starts_with("raw") => return (ModuleKind::Text, true),
        Some(q) if q.starts_with("url") || q.starts_with("inline") => return (ModuleKind::Asset, true),
        _ => {}
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let kind = match ext.as_str() {
        "js" | "mjs" | "cjs" => ModuleKind::Js,
        "jsx" => ModuleKind::Jsx,
        "ts" | "mts" | "cts" => ModuleKind::Ts,
        "tsx" => ModuleKind::Tsx,
        "css" | "scss" | "sass" | "less" | "styl" | "stylus" | "pcss" | "postcss" => ModuleKind::Css,
        "json" => ModuleKind::Json,
        "wasm" => ModuleKind::Wasm,
        "glsl" | "vert" | "frag" | "vs" | "fs" | "wgsl" | "txt" | "md" | "csv" | "svg" if query.is_some() => {
            ModuleKind::Text
        }
        "glsl" | "vert" | "frag" | "vs" | "fs" | "wgsl" => ModuleKind::Text,
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "avif" | "ico" | "bmp" | "apng" | "woff"
        | "woff2" | "ttf" | "otf" | "eot" | "mp4" | "webm" | "ogg" | "mp3" | "wav" | "flac" | "aac"
        | "opus" | "pdf" | "txt" | "md" | "csv" | "glb" | "gltf" | "hdr" | "ktx2" | "bin" | "webmanifest"
        | "xml" => ModuleKind::Asset,
        _ => return (ModuleKind::Asset, false),
    };
    (kind, true)
}

/// Splits `./a.glsl?raw` into the path part and the query.
pub fn split_query(specifier: &str) -> (&str, Option<&str>) {
    match specifier.split_once('?') {
        Some((path, query)) if !path.is_empty() => (path, Some(query)),
        _ => (specifier, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_extensions_and_queries() {
        assert_eq!(module_kind(Path::new("a.tsx"), None), (ModuleKind::Tsx, true));
        assert_eq!(module_kind(Path::new("a.glsl"), None), (ModuleKind::Text, true));
        assert_eq!(module_kind(Path::new("a.svg"), Some("raw")), (ModuleKind::Text, true));
        assert_eq!(module_kind(Path::new("a.xyz"), None), (ModuleKind::Asset, false));
        assert_eq!(split_query("./a.glsl?raw"), ("./a.glsl", Some("raw")));
        assert_eq!(split_query("?x"), ("?x", None));
    }
}
