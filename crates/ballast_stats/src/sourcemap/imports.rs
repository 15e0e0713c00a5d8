//! The imports between the chunks of a build output, read from their code: relative specifiers only, enough to
//! tell entries, async chunks and shared chunks apart.

/// `dir/../x.js` style joins of `/`-separated relative paths.
pub(super) fn join_rel(dir: &str, spec: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_chunk_imports() {
        let (s, d) =
            scan_imports(r#"import{f as i}from"./index-D8.js";x=import("./report-A.js");import "../c.js""#);
        assert_eq!(s, vec!["../c.js".to_string(), "./index-D8.js".to_string()]);
        assert_eq!(d, vec!["./report-A.js".to_string()]);
        assert_eq!(join_rel("assets", "./x.js"), "assets/x.js");
        assert_eq!(join_rel("assets", "/assets/x.js"), "assets/x.js");
    }
}
