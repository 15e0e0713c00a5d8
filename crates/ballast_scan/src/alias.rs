//! `resolve.alias` the way Vite applies it (`@rollup/plugin-alias`): the first entry that matches wins; a string
//! `find` matches the id itself or the id followed by `/…`; a regex `find` replaces its first match, with `$1`
//! references. The replaced id is then resolved like any other (a `/x` id against the root first).

use std::borrow::Cow;

use regex::Regex;

use crate::helper::HelperAlias;

#[derive(Debug, Clone)]
pub enum Find {
    Exact(String),
    Regex(Regex),
}

#[derive(Debug, Clone)]
pub struct Alias {
    pub find: Find,
    /// The Rust-regex form of the replacement for a regex `find` (`$1` → `${1}`); the text otherwise.
    pub replacement: String,
}

impl Alias {
    pub fn exact(find: impl Into<String>, replacement: impl Into<String>) -> Alias {
        Alias { find: Find::Exact(find.into()), replacement: replacement.into() }
    }

    /// From the helper's JSON; `None` for Vite's internal aliases and for a regex Rust cannot compile.
    pub fn from_helper(a: &HelperAlias) -> Option<Alias> {
        if a.internal {
            return None;
        }
        if !a.find_is_reg_exp {
            return Some(Alias::exact(a.find.clone(), a.replacement.clone()));
        }
        let flags = a.flags.as_deref().unwrap_or("");
        let mut pattern = String::new();
        if flags.contains('i') {
            pattern.push_str("(?i)");
        }
        pattern.push_str(&a.find);
        let regex = Regex::new(&pattern).ok()?;
        Some(Alias { find: Find::Regex(regex), replacement: js_replacement(&a.replacement) })
    }

    fn apply<'s>(&self, spec: &'s str) -> Option<Cow<'s, str>> {
        match &self.find {
            Find::Exact(find) => {
                let rest = spec.strip_prefix(find.as_str())?;
                (rest.is_empty() || rest.starts_with('/'))
                    .then(|| Cow::Owned(format!("{}{rest}", self.replacement)))
            }
            Find::Regex(regex) => regex
                .is_match(spec)
                .then(|| Cow::Owned(regex.replacen(spec, 1, self.replacement.as_str()).into_owned())),
        }
    }
}

/// The id after the first alias that matches, or `spec` unchanged.
pub fn apply<'s>(aliases: &[Alias], spec: &'s str) -> Cow<'s, str> {
    aliases.iter().find_map(|a| a.apply(spec)).unwrap_or(Cow::Borrowed(spec))
}

/// JS `String.prototype.replace` patterns (`$1`, `$&`, `$$`) in the `regex` crate's syntax.
fn js_replacement(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('$') => {
                chars.next();
                out.push_str("$$");
            }
            Some('&') => {
                chars.next();
                out.push_str("${0}");
            }
            Some(d) if d.is_ascii_digit() => {
                let mut n = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    n.push(d);
                    chars.next();
                }
                out.push_str(&format!("${{{n}}}"));
            }
            _ => out.push_str("$$"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn helper(find: &str, regex: bool, replacement: &str) -> HelperAlias {
        HelperAlias {
            find: find.into(),
            find_is_reg_exp: regex,
            replacement: replacement.into(),
            ..HelperAlias::default()
        }
    }

    #[test]
    fn exact_finds_match_the_id_or_a_subpath() {
        let aliases = vec![Alias::exact("@", "/p/src"), Alias::exact("~game", "/p/src/game")];
        assert_eq!(apply(&aliases, "@/components/A.vue"), "/p/src/components/A.vue");
        assert_eq!(apply(&aliases, "@"), "/p/src");
        // `@vue/runtime` is a package, not `@` + `/vue`.
        assert_eq!(apply(&aliases, "@vue/runtime-core"), "@vue/runtime-core");
        assert_eq!(apply(&aliases, "~game/world"), "/p/src/game/world");
        assert_eq!(apply(&aliases, "~gamex"), "~gamex");
    }

    #[test]
    fn regex_finds_replace_with_groups_and_internal_ones_are_dropped() {
        let a = Alias::from_helper(&helper("^~(.*)$", true, "/p/node_modules/$1")).unwrap();
        assert_eq!(apply(&[a], "~lib/x"), "/p/node_modules/lib/x");
        let mut internal = helper("^\\/?@vite\\/env", true, "/@fs/x");
        internal.internal = true;
        assert!(Alias::from_helper(&internal).is_none());
        let mut ci = helper("^REACT$", true, "preact/compat");
        ci.flags = Some("i".into());
        assert_eq!(apply(&[Alias::from_helper(&ci).unwrap()], "react"), "preact/compat");
        assert_eq!(js_replacement("a$1b$&c$$"), "a${1}b${0}c$$");
    }

    #[test]
    fn the_first_match_wins() {
        let aliases = vec![Alias::exact("a", "/one"), Alias::exact("a", "/two")];
        assert_eq!(apply(&aliases, "a/x"), "/one/x");
    }
}
