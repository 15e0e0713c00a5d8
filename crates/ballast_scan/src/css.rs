//! The imports of a stylesheet: `@import` and `url()`. A small scanner, since CSS is only weighed here.

use ballast_graph::{ImportKind, ImportedNames};

use crate::facts::{ModuleFacts, RawImport};

pub fn scan_css(source: &str) -> ModuleFacts {
    let mut facts = ModuleFacts::default();
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if source[i..].starts_with("/*") {
            i = source[i + 2..].find("*/").map_or(bytes.len(), |e| i + 2 + e + 2);
            continue;
        }
        if source[i..].starts_with("@import") {
            let rest = &source[i + 7..];
            if let Some((spec, _)) = first_reference(rest) {
                facts.imports.push(import(spec, ImportKind::Css, i));
            }
            i = rest.find(';').map_or(bytes.len(), |e| i + 7 + e + 1);
            continue;
        }
        if source[i..].starts_with("url(")
            && let Some((spec, len)) = first_reference(&source[i..])
        {
            {
                let skip = spec.starts_with("data:")
                    || spec.starts_with('#')
                    || spec.contains("://")
                    || spec.starts_with("//");
                if !skip {
                    facts.imports.push(import(spec, ImportKind::Asset, i));
                }
                i += len.max(1);
                continue;
            }
        }
        i += source[i..].chars().next().map_or(1, char::len_utf8);
    }
    facts
}

fn import(spec: &str, kind: ImportKind, offset: usize) -> RawImport {
    RawImport {
        specifier: spec.to_string(),
        kind,
        names: ImportedNames::All,
        offset: offset as u32,
        implicit: false,
    }
}

/// The first `"x"`, `'x'` or `url(x)` in `text`, and how many bytes it spans from the start of `text`.
fn first_reference(text: &str) -> Option<(&str, usize)> {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    if let Some(inner) = trimmed.strip_prefix("url(") {
        let close = inner.find(')')?;
        let arg = inner[..close].trim().trim_matches(|c| c == '"' || c == '\'');
        return Some((arg, lead + 4 + close + 1));
    }
    let quote = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = trimmed[1..].find(quote)?;
    Some((&trimmed[1..1 + end], lead + end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_imports_and_urls_but_not_data_or_comments() {
        let css = r#"@import "./base.css"; /* url(./no.png) */ .a { background: url('./bg.png') }
            .b { background: url(data:image/png;base64,xx) } @import url(./theme.css) screen;"#;
        let facts = scan_css(css);
        let specs: Vec<(&str, ImportKind)> =
            facts.imports.iter().map(|i| (i.specifier.as_str(), i.kind)).collect();
        assert_eq!(
            specs,
            vec![
                ("./base.css", ImportKind::Css),
                ("./bg.png", ImportKind::Asset),
                ("./theme.css", ImportKind::Css)
            ]
        );
    }
}
