//! A guard in front of the minifiers: their passes are quadratic or worse in nesting depth (and recursive), so
//! a module nested thousands of levels deep (generated code, an attack on CI) is sized unminified instead.

/// Deepest bracket nesting a module may have and still be minified. Hand-written and bundled code stays far
/// below (a few dozen levels); the minifiers stay fast up to here.
pub const MAX_MINIFY_DEPTH: usize = 1000;

/// The deepest nesting of `(`, `[` and `{` in `source`, skipping string literals, template text and comments
/// (a cheap byte scan, no parse: regular-expression literals are not recognised, which can only over-count
/// in a pathological regex).
pub fn max_nesting(source: &str) -> usize {
    let bytes = source.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            // Template literals are skipped whole, `${…}` included: under-counting there only lets a module
            // through, and a `${` left open must not count for the rest of the file.
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    max
}

/// `Some(depth)` when `source` is too deeply nested to minify.
pub fn too_deep(source: &str) -> Option<usize> {
    let depth = max_nesting(source);
    (depth > MAX_MINIFY_DEPTH).then_some(depth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_brackets_outside_strings_and_comments() {
        assert_eq!(max_nesting("f(a[{b: 1}])"), 3);
        assert_eq!(max_nesting("const s = '((((' + \"[[[\" + `{{{`; // ((((\n/* [[[[ */ x"), 0);
        assert_eq!(max_nesting("`a${ (b) }` + (c)"), 1);
        assert_eq!(max_nesting(&"`${x}`;".repeat(5000)), 0);
        let deep = format!("x = {}1{}", "(".repeat(5000), ")".repeat(5000));
        assert_eq!(too_deep(&deep), Some(5000));
        assert_eq!(too_deep("function f() { if (a) { return [1, 2]; } }"), None);
    }
}
