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
    // `html` is an entry page here, never an imported module.
    if ext == "html" || ext == "htm" {
        return (ModuleKind::Asset, false);
    }
    match ModuleKind::from_extension(&ext) {
        Some(_) if query.is_some() && (ModuleKind::is_text_extension(&ext) || ext == "svg") => {
            (ModuleKind::Text, true)
        }
        Some(kind) => (kind, true),
        None => (ModuleKind::Asset, false),
    }
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
