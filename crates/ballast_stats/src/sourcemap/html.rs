//! The entries an HTML page of the build output loads.

/// `<script src="…">` targets of an HTML file.
pub(super) fn html_scripts(html: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_script_sources() {
        assert_eq!(
            html_scripts(r#"<script type="module" crossorigin src="/assets/i.js"></script>"#),
            vec!["/assets/i.js"]
        );
    }
}
