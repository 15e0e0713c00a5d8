//! Entry scripts of an `index.html`: `<script type="module" src>` tags, as Vite reads them.

/// The `src` of each module script, in document order.
pub fn module_scripts(html: &str) -> Vec<String> {
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else { return Vec::new() };
    let parser = dom.parser();
    let mut out = Vec::new();
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        if !tag.name().as_utf8_str().eq_ignore_ascii_case("script") {
            continue;
        }
        let attrs = tag.attributes();
        let is_module = attrs
            .get("type")
            .flatten()
            .is_some_and(|t| t.as_utf8_str().trim().eq_ignore_ascii_case("module"));
        let src = attrs.get("src").flatten().map(|s| s.as_utf8_str().trim().to_string());
        if let (true, Some(src)) = (is_module, src)
            && !src.contains("://")
            && !src.starts_with("//")
        {
            out.push(src);
        }
        let _ = parser;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_module_scripts_only() {
        let html = r#"<!doctype html><html><head><script src="/legacy.js"></script>
          <script type="module" src="/src/main.ts"></script>
          <script type="module">console.log(1)</script>
          <script type="module" src="https://cdn.example/x.js"></script></head></html>"#;
        assert_eq!(module_scripts(html), vec!["/src/main.ts".to_string()]);
    }
}
