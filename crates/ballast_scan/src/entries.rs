//! Finding the entry modules: explicit paths, `ballast.json`, the Vite config's `input`, `index.html`
//! module scripts, or `package.json` (`source`, `module`, `main`), in that order.

use std::path::{Path, PathBuf};

use ballast_common::{Diagnostic, DiagnosticCode, relative_path};

use crate::html::{PageScript, page_scripts};
use crate::resolve::{Resolved, Resolvers};
use crate::vite_config::ViteConfig;

#[derive(Debug, Clone)]
pub struct EntryFile {
    pub name: String,
    pub path: PathBuf,
}

pub struct FoundEntries {
    pub entries: Vec<EntryFile>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn find_entries(
    root: &Path,
    explicit: &[String],
    vite: Option<&ViteConfig>,
    resolvers: &Resolvers,
) -> FoundEntries {
    let mut found = FoundEntries { entries: Vec::new(), diagnostics: Vec::new() };
    let vite_root = vite.and_then(|v| v.root.clone()).unwrap_or_else(|| root.to_path_buf());
    if !explicit.is_empty() {
        for spec in explicit {
            add_input(&mut found, root, &vite_root, None, &root.join(spec), spec, resolvers);
        }
        return found;
    }
    if let Some(vite) = vite
        && !vite.inputs.is_empty()
    {
        for (name, path) in &vite.inputs {
            add_input(
                &mut found,
                root,
                &vite_root,
                name.clone(),
                path,
                &relative_path(root, path),
                resolvers,
            );
        }
        return found;
    }
    let html = vite_root.join("index.html");
    if html.is_file() {
        add_html(&mut found, root, &vite_root, &html, None, resolvers);
        if !found.entries.is_empty() {
            return found;
        }
    }
    let manifest = root.join("package.json");
    if let Ok(text) = std::fs::read_to_string(&manifest)
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(&text)
    {
        for field in ["source", "module", "main"] {
            if let Some(spec) = json.get(field).and_then(|v| v.as_str())
                && let Resolved::File(path) = resolvers.resolve_entry(root, spec)
            {
                found.entries.push(EntryFile { name: stem(&path), path });
                return found;
            }
        }
    }
    found.diagnostics.push(
        Diagnostic::error(DiagnosticCode::MissingEntry, format!("no entry found in {}", root.display())).with_help(
            "pass entry files (`ballast analyze src/main.ts`), add an index.html with \
             <script type=\"module\" src=…>, set `entries` in ballast.json, or `source`/`module`/`main` in package.json",
        ),
    );
    found
}

fn add_input(
    found: &mut FoundEntries,
    root: &Path,
    vite_root: &Path,
    name: Option<String>,
    path: &Path,
    spec: &str,
    resolvers: &Resolvers,
) {
    if path.extension().is_some_and(|e| e == "html") && path.is_file() {
        add_html(found, root, vite_root, path, name, resolvers);
        return;
    }
    match resolvers.resolve_entry(root, &relative_path(root, path)) {
        Resolved::File(p) => {
            let name = name.unwrap_or_else(|| stem(&p));
            found.entries.push(EntryFile { name, path: p });
        }
        _ => found.diagnostics.push(
            Diagnostic::error(DiagnosticCode::MissingEntry, format!("entry `{spec}` does not exist"))
                .in_file(spec.to_string())
                .with_help("check the path; entries are relative to the project root"),
        ),
    }
}

/// An HTML page is ONE entry, as in Vite: the page itself, whose module scripts (external and inline) the
/// loader reads as the imports of one module (`html_entry_source`). Scripts that do not exist are reported here.
fn add_html(
    found: &mut FoundEntries,
    root: &Path,
    vite_root: &Path,
    html: &Path,
    name: Option<String>,
    resolvers: &Resolvers,
) {
    let Ok(text) = std::fs::read_to_string(html) else { return };
    let page = name.unwrap_or_else(|| stem(html));
    let html_dir = html.parent().unwrap_or(vite_root);
    let mut any = false;
    for script in page_scripts(&text).into_iter().flatten() {
        let src = match script {
            PageScript::Src(src) => src,
            PageScript::Inline(_) => {
                any = true;
                continue;
            }
        };
        let path = match src.strip_prefix('/') {
            Some(rest) => vite_root.join(rest),
            None => html_dir.join(&src),
        };
        match resolvers.resolve_entry(root, &relative_path(root, &path)) {
            Resolved::File(_) => any = true,
            _ => found.diagnostics.push(
                Diagnostic::error(
                    DiagnosticCode::MissingEntry,
                    format!("script `{src}` in {} does not exist", relative_path(root, html)),
                )
                .in_file(relative_path(root, html)),
            ),
        }
    }
    if any {
        let path = std::fs::canonicalize(html).unwrap_or_else(|_| html.to_path_buf());
        found.entries.push(EntryFile { name: page, path });
    }
}

/// The module an HTML page is to the bundle: one import per module script, in order; an inline script is
/// the sub-module `<page>?html-proxy&index=N.js` (N: its position among the page's module scripts).
pub fn html_entry_source(html: &str, page: &Path, vite_root: &Path) -> String {
    let file = page.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = String::new();
    for (i, script) in page_scripts(html).into_iter().enumerate() {
        match script {
            Some(PageScript::Src(src)) => {
                // Root-relative scripts, written relative to the page so reports read the same on every machine.
                let spec = match src.strip_prefix('/') {
                    Some(rest) => {
                        let dir = page.parent().unwrap_or(vite_root);
                        let relative = ballast_common::relative_path(dir, &vite_root.join(rest));
                        if relative.starts_with("../") { relative } else { format!("./{relative}") }
                    }
                    None if src.starts_with('.') => src,
                    None => format!("./{src}"),
                };
                out.push_str(&format!("import {};\n", serde_json::Value::String(spec)));
            }
            Some(PageScript::Inline(_)) => {
                let spec = format!("./{file}?html-proxy&index={i}.js");
                out.push_str(&format!("import {};\n", serde_json::Value::String(spec)));
            }
            None => {}
        }
    }
    out
}

/// The code of the inline module script at `index`, for `<page>?html-proxy&index=N.js`.
pub fn html_inline_script(html: &str, index: usize) -> Option<String> {
    match page_scripts(html).into_iter().nth(index)? {
        Some(PageScript::Inline(code)) => Some(code),
        _ => None,
    }
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "entry".to_string())
}
