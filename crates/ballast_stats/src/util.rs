//! Path, kind and size helpers shared by the format readers.

use std::path::{Component, Path, PathBuf};

use ballast_graph::ModuleKind;

/// `path` made absolute (against the current directory) and without `.`/`..` components; no file access.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A bundler module id turned into a readable, `/`-separated path relative to `root`, plus its absolute path.
/// Virtual ids (`\0vite/preload-helper.js`, `virtual:x`, esbuild namespaces) become `(virtual)/…`.
pub(crate) fn module_path(root: &Path, id: &str) -> (String, PathBuf) {
    if let Some(rest) = id.strip_prefix('\0') {
        let path = format!("(virtual)/{}", rest.trim_start_matches('/'));
        return (path.clone(), PathBuf::from(path));
    }
    if let Some((namespace, rest)) = id.split_once(':')
        && namespace.len() > 1
        && !namespace.contains('/')
        && !namespace.contains('\\')
    {
        let rest = rest.trim_start_matches('/');
        let path = if namespace == "virtual" || namespace == "file" && rest.is_empty() {
            format!("(virtual)/{rest}")
        } else {
            format!("(virtual)/{namespace}/{rest}")
        };
        return (path.clone(), PathBuf::from(path));
    }
    let (file, query) = match id.find('?') {
        Some(q) => (&id[..q], &id[q..]),
        None => (id, ""),
    };
    let abs = normalize(&root.join(file));
    let rel = ballast_common::relative_path(&normalize(root), &abs);
    (format!("{rel}{query}"), abs)
}

pub(crate) fn kind_from_path(path: &str) -> ModuleKind {
    let file = path.split('?').next().unwrap_or(path);
    let file = file.rsplit('/').next().unwrap_or(file);
    let ext = match file.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => return ModuleKind::Js,
    };
    // In a bundle, a text-like module is its content (`?raw`); an id without a known extension is code.
    match ModuleKind::from_extension(&ext) {
        Some(ModuleKind::Asset) if ModuleKind::is_text_extension(&ext) => ModuleKind::Text,
        Some(kind) => kind,
        None => ModuleKind::Js,
    }
}

pub(crate) fn is_js_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".js") || lower.ends_with(".mjs") || lower.ends_with(".cjs")
}

/// `assets/report-Dv7lphJI.js` → `report`, `main.86fcbef7.js` → `main`, `chunk-WQB5BZXL.js` → `chunk`.
pub(crate) fn chunk_stem(file: &str) -> String {
    let base = file.rsplit('/').next().unwrap_or(file);
    let mut stem = base;
    for ext in [".js", ".mjs", ".cjs"] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s;
            break;
        }
    }
    for separator in ['-', '.', '_'] {
        if let Some((head, tail)) = stem.rsplit_once(separator)
            && !head.is_empty()
            && looks_like_hash(tail)
        {
            return head.to_string();
        }
    }
    stem.to_string()
}

fn looks_like_hash(text: &str) -> bool {
    text.len() >= 6
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && (text.chars().any(|c| c.is_ascii_digit()) || text.chars().any(|c| c.is_ascii_uppercase()))
}

/// `src/pages/about/index.tsx` → `about`, `src/app.js` → `app` (as the chunk planner names chunks).
pub(crate) fn module_stem(path: &str) -> String {
    let path = path.split('?').next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    if stem == "index" { path.rsplit('/').nth(1).unwrap_or(stem).to_string() } else { stem.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_paths() {
        assert_eq!(chunk_stem("assets/report-Dv7lphJI.js"), "report");
        assert_eq!(chunk_stem("main.86fcbef7.js"), "main");
        assert_eq!(chunk_stem("dist/chunk-WQB5BZXL.js"), "chunk");
        assert_eq!(chunk_stem("dist/main.js"), "main");
        assert_eq!(chunk_stem("908.c4d86b4e.js"), "908");
        assert_eq!(
            module_path(Path::new("/project"), "\0vite/preload-helper.js").0,
            "(virtual)/vite/preload-helper.js"
        );
        assert_eq!(module_path(Path::new("/project"), "/project/src/a.js?raw").0, "src/a.js?raw");
        assert_eq!(module_path(Path::new("/project"), "src/../src/a.js").0, "src/a.js");
    }
}

/// A JSON object kept in file order (`key`, `value`) pairs.
#[derive(Debug)]
pub(crate) struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Ordered<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, T>()? {
                    out.push((key, value));
                }
                Ok(Ordered(out))
            }
        }
        deserializer.deserialize_map(Visitor(std::marker::PhantomData))
    }
}
