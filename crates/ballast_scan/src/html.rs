//! Entry scripts of an `index.html`: `<script type="module" src>` tags, as Vite reads them.
//!
//! A small tag scanner rather than `tl`: `tl` 0.7 drops the first letter of the attribute that follows a
//! value-less one (`<script type="module" crossorigin src=…>`, as Vite writes `dist/index.html`, reads as `rc`).

/// The `src` of each module script, in document order.
pub fn module_scripts(html: &str) -> Vec<String> {
    page_scripts(html)
        .into_iter()
        .flatten()
        .filter_map(|s| match s {
            PageScript::Src(src) => Some(src),
            PageScript::Inline(_) => None,
        })
        .collect()
}

/// A `<script type="module">` of a page: its `src`, or its inline code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageScript {
    Src(String),
    Inline(String),
}

/// Every module script of a page in document order; Vite numbers inline ones by this position
/// (`index.html?html-proxy&index=2.js` is the third module script). External URLs are left out but counted.
pub fn page_scripts(html: &str) -> Vec<Option<PageScript>> {
    let bytes = html.as_bytes();
    let mut out: Vec<Option<PageScript>> = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = match comment.find("-->") {
                Some(end) => start + 4 + end + 3,
                None => break,
            };
            continue;
        }
        let name_end =
            start + 1 + rest[1..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len() - 1);
        let name = &html[start + 1..name_end];
        if !name.eq_ignore_ascii_case("script") {
            i = start + 1;
            continue;
        }
        let (attrs, tag_end) = attributes(bytes, name_end);
        let is_module = attrs.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("type")
                && v.as_deref().is_some_and(|t| t.trim().eq_ignore_ascii_case("module"))
        });
        let src = attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case("src")).and_then(|(_, v)| v.clone());
        let body_end = find_ignore_case(&html[tag_end..], "</script").map(|end| tag_end + end);
        if is_module {
            match src {
                Some(src) => {
                    let src = src.trim().to_string();
                    let local = !src.is_empty() && !src.contains("://") && !src.starts_with("//");
                    out.push(local.then_some(PageScript::Src(src)));
                }
                None => {
                    let body = &html[tag_end..body_end.unwrap_or(html.len())];
                    out.push((!body.trim().is_empty()).then(|| PageScript::Inline(body.to_string())));
                }
            }
        }
        // Skip the script's body: it is JavaScript, not markup.
        i = match body_end {
            Some(end) => end + 1,
            None => break,
        };
    }
    out
}

/// The attributes of a tag from `pos` (just after its name) and the index after its closing `>`.
fn attributes(bytes: &[u8], mut pos: usize) -> (Vec<(String, Option<String>)>, usize) {
    let text = |a: usize, b: usize| String::from_utf8_lossy(&bytes[a..b]).into_owned();
    let mut attrs = Vec::new();
    loop {
        while pos < bytes.len() && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b'/') {
            pos += 1;
        }
        if pos >= bytes.len() {
            return (attrs, pos);
        }
        if bytes[pos] == b'>' {
            return (attrs, pos + 1);
        }
        let name_start = pos;
        while pos < bytes.len()
            && !bytes[pos].is_ascii_whitespace()
            && !matches!(bytes[pos], b'=' | b'>' | b'/')
        {
            pos += 1;
        }
        let name = text(name_start, pos);
        let mut after = pos;
        while after < bytes.len() && bytes[after].is_ascii_whitespace() {
            after += 1;
        }
        if after < bytes.len() && bytes[after] == b'=' {
            pos = after + 1;
            while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            let value = match bytes.get(pos) {
                Some(&q @ (b'"' | b'\'')) => {
                    let value_start = pos + 1;
                    let end = bytes[value_start..]
                        .iter()
                        .position(|&b| b == q)
                        .map_or(bytes.len(), |e| value_start + e);
                    pos = (end + 1).min(bytes.len());
                    text(value_start, end)
                }
                _ => {
                    let value_start = pos;
                    while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() && bytes[pos] != b'>' {
                        pos += 1;
                    }
                    text(value_start, pos)
                }
            };
            attrs.push((name, Some(value)));
        } else {
            attrs.push((name, None));
        }
    }
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
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

    #[test]
    fn numbers_inline_scripts_like_vite() {
        let html = r#"<script type="module" src="/src/a.js"></script><script type="module" src="./b.js"></script>
          <script type="module">import './src/c.js'</script>"#;
        assert_eq!(
            page_scripts(html),
            vec![
                Some(PageScript::Src("/src/a.js".into())),
                Some(PageScript::Src("./b.js".into())),
                Some(PageScript::Inline("import './src/c.js'".into())),
            ]
        );
    }

    #[test]
    fn reads_vite_build_output() {
        // Vite's dist/index.html: a value-less `crossorigin` before `src`, in <head>.
        let html = r#"<!doctype html><html><head>
          <script type="module" crossorigin src="/assets/index-Bbo4qgWb.js"></script>
          <link rel="stylesheet" crossorigin href="/assets/index-BcxgG6kQ.css">
          </head><body><div id="app"></div></body></html>"#;
        assert_eq!(module_scripts(html), vec!["/assets/index-Bbo4qgWb.js".to_string()]);
    }

    #[test]
    fn skips_comments_and_script_bodies() {
        let html = r#"<!-- <script type="module" src="/commented.js"></script> -->
          <SCRIPT>const s = '<script type="module" src="/in-body.js"></script>';</SCRIPT>
          <script type=module src=/src/a.ts defer></script>
          <script defer type='module' src='./b.ts'/>"#;
        assert_eq!(module_scripts(html), vec!["/src/a.ts".to_string(), "./b.ts".to_string()]);
    }
}
