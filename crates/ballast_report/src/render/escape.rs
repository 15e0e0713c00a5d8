//! Escaping user data (file names, import specifiers, package names, messages that quote them) for each output
//! channel: terminals, Markdown, and GitHub Actions' workflow-command parser. HTML has its own (html.rs).

use std::borrow::Cow;
use std::fmt::Write;

/// Control characters (C0, DEL, C1) and bidirectional overrides as visible escapes (`\n`, `\x1b`, `\u{202e}`),
/// so a name can neither move the cursor, recolour the terminal, nor start a new line.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && needs_escape(c) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Like [`visible`] for text that is several lines by design: newlines are kept, every other control character
/// is escaped.
pub fn visible_lines(s: &str) -> String {
    s.split('\n').map(|line| visible(line).into_owned()).collect::<Vec<_>>().join("\n")
}

/// Markdown prose (a finding's message, which quotes code in backticks on purpose): control characters visible,
/// no `|`, no `<`/`>` markup.
pub fn markdown_text(s: &str) -> String {
    visible(s).replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;")
}

/// A Markdown table cell: no `|` to split the row, no newline to end it, no backtick to open a code span, no
/// `<`/`>` markup.
pub fn markdown(s: &str) -> String {
    visible(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "\\`")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Output printed under GitHub Actions: a line that would be parsed as a workflow command (`::name …::`, or the
/// legacy `##[name]`, after leading whitespace as the runner trims it) gets a `\` in front, so only Ballast's own
/// annotations, added after this, are commands.
pub fn neutralize_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("::") || trimmed.starts_with("##[") {
            out.push('\\');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(visible("a\nb\x1b[31m\r\u{7f}\u{9b}\u{202e}"), "a\\nb\\x1b[31m\\r\\x7f\\u{9b}\\u{202e}");
        assert!(matches!(visible("plain/ü.js"), Cow::Borrowed(_)));
        assert_eq!(visible_lines("one\ntwo\x07"), "one\ntwo\\x07");
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(markdown("a|b\n`c`<i>"), "a\\|b\\\\n\\`c\\`&lt;i&gt;");
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        let text = "ok\n::error::forged\n   ::warning file=x::y\n##[error]old\nfine ::x::\n";
        let out = neutralize_commands(text);
        assert!(out.lines().all(|l| !l.trim_start().starts_with("::") && !l.trim_start().starts_with("##[")));
        assert!(out.contains("fine ::x::"));
    }
}
