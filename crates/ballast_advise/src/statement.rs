//! The text of a static import statement, and the dynamic-import code that replaces it.

/// `import <clause> from '<specifier>';` as written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportStatement {
    /// The whole statement, `;` included when present.
    pub text: String,
    /// Byte range of `text` in the source.
    pub start: usize,
    pub end: usize,
    /// Default binding (`import X from`), if any.
    pub default: Option<String>,
    /// Namespace binding (`import * as ns from`), if any.
    pub namespace: Option<String>,
    /// Named bindings: (imported, local).
    pub named: Vec<(String, String)>,
    pub specifier: String,
}

/// Byte offset of a 1-based line and column (counted in characters) in `source`.
fn offset_of(source: &str, line: u32, column: u32) -> Option<usize> {
    let mut offset = 0usize;
    for (i, text) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let col = (column.max(1) - 1) as usize;
            let within = text.char_indices().nth(col).map(|(b, _)| b).unwrap_or(text.len());
            return Some(offset + within);
        }
        offset += text.len();
    }
    None
}

/// Parses the static `import … from '…'` statement that starts at `line:column`. `None` for other shapes
/// (`export … from`, `import './x'`, `require`), which get a generic suggestion.
pub fn parse_import_statement(source: &str, line: u32, column: u32) -> Option<ImportStatement> {
    let start = offset_of(source, line, column)?;
    let rest = source.get(start..)?;
    let after_import = rest.strip_prefix("import")?;
    if !after_import.starts_with(|c: char| c.is_whitespace() || c == '{' || c == '*') {
        return None;
    }
    // The clause runs up to ` from ` followed by a quote.
    let mut limit = after_import.len().min(4000);
    while !after_import.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = after_import.get(..limit)?;
    let mut from_at = None;
    let mut search = 0;
    while let Some(pos) = window.get(search..).and_then(|w| w.find("from")) {
        let at = search + pos;
        let before_ok = window[..at].ends_with(|c: char| c.is_whitespace() || c == '}');
        let after = window[at + 4..].trim_start();
        if before_ok && (after.starts_with('\'') || after.starts_with('"')) {
            from_at = Some(at);
            break;
        }
        search = at + 4;
    }
    let from_at = from_at?;
    let clause = window[..from_at].trim();
    if clause.starts_with("type ") || clause.starts_with("type{") {
        return None;
    }
    let after = &window[from_at + 4..];
    let lead = after.len() - after.trim_start().len();
    let quoted = &after[lead..];
    let quote = quoted.chars().next()?;
    let close = quoted[1..].find(quote)? + 1;
    let specifier = quoted[1..close].to_string();
    let mut end_in_window = from_at + 4 + lead + close + 1;
    // Optional import attributes are left alone; include a trailing `;`.
    if window[end_in_window..].starts_with(';') {
        end_in_window += 1;
    }
    let end = start + "import".len() + end_in_window;
    let text = source.get(start..end)?.to_string();

    let mut statement =
        ImportStatement { text, start, end, default: None, namespace: None, named: Vec::new(), specifier };
    let mut clause = clause;
    if let Some(open) = clause.find('{') {
        let close = clause.rfind('}')?;
        for part in clause.get(open + 1..close)?.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            // `import { type X }` binds nothing at runtime.
            if part.starts_with("type ") {
                continue;
            }
            let (imported, local) = match part.split_once(" as ") {
                Some((i, l)) => (i.trim(), l.trim()),
                None => (part, part),
            };
            statement.named.push((imported.to_string(), local.to_string()));
        }
        clause = clause[..open].trim().trim_end_matches(',').trim();
    }
    if let Some(ns) = clause.split_once("* as ").map(|(_, ns)| ns.trim()) {
        statement.namespace = Some(ns.to_string());
        clause = clause.split_once('*').map_or("", |(d, _)| d).trim().trim_end_matches(',').trim();
    }
    if !clause.is_empty() {
        statement.default = Some(clause.to_string());
    }
    Some(statement)
}

/// `const { A, B: C } = await import('./x');` for the statement's bindings (with `React.lazy` for a component
/// module when `react_lazy`).
pub fn dynamic_import_code(statement: &ImportStatement, react_lazy: bool) -> String {
    let spec = &statement.specifier;
    if react_lazy {
        // One lazy component per binding that looks like a component.
        let mut lines = Vec::new();
        if let Some(d) = &statement.default {
            lines.push(format!("const {d} = React.lazy(() => import('{spec}'));"));
        }
        for (imported, local) in &statement.named {
            lines.push(format!(
                "const {local} = React.lazy(() => import('{spec}').then((m) => ({{ default: m.{imported} }})));"
            ));
        }
        if !lines.is_empty() {
            return lines.join("\n");
        }
    }
    if let Some(ns) = &statement.namespace {
        let mut code = format!("const {ns} = await import('{spec}');");
        if statement.default.is_some() || !statement.named.is_empty() {
            code.push('\n');
            code.push_str(&destructure(statement, ns));
        }
        return code;
    }
    let bindings = bindings(statement);
    if bindings.is_empty() {
        return format!("await import('{spec}');");
    }
    format!("const {{ {} }} = await import('{spec}');", bindings.join(", "))
}

fn bindings(statement: &ImportStatement) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(d) = &statement.default {
        out.push(format!("default: {d}"));
    }
    for (imported, local) in &statement.named {
        if imported == local {
            out.push(imported.clone());
        } else {
            out.push(format!("{imported}: {local}"));
        }
    }
    out
}

fn destructure(statement: &ImportStatement, ns: &str) -> String {
    format!("const {{ {} }} = {ns};", bindings(statement).join(", "))
}

/// 1-based line and column (in characters) of byte `offset` in `source`.
pub fn line_column(source: &str, offset: u32) -> (u32, u32) {
    let offset = (offset as usize).min(source.len());
    let before = source.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_named_default_and_aliases() {
        let src = "// x\nimport Foo, { A, B as C } from './routes/Viewer';\nfoo();\n";
        let s = parse_import_statement(src, 2, 1).expect("statement");
        assert_eq!(s.text, "import Foo, { A, B as C } from './routes/Viewer';");
        assert_eq!(s.default.as_deref(), Some("Foo"));
        assert_eq!(s.named, vec![("A".into(), "A".into()), ("B".into(), "C".into())]);
        assert_eq!(
            dynamic_import_code(&s, false),
            "const { default: Foo, A, B: C } = await import('./routes/Viewer');"
        );
    }

    #[test]
    fn parses_multiline_and_namespace() {
        let src = "import {\n  A,\n  B,\n} from \"x\"\nimport * as ns from 'y';";
        let s = parse_import_statement(src, 1, 1).expect("statement");
        assert_eq!(s.text, "import {\n  A,\n  B,\n} from \"x\"");
        assert_eq!(dynamic_import_code(&s, false), "const { A, B } = await import('x');");
        let s = parse_import_statement(src, 5, 1).expect("statement");
        assert_eq!(s.namespace.as_deref(), Some("ns"));
        assert_eq!(dynamic_import_code(&s, false), "const ns = await import('y');");
    }

    #[test]
    fn react_lazy_for_components() {
        let src = "import { Chart } from './Chart';";
        let s = parse_import_statement(src, 1, 1).expect("statement");
        assert_eq!(
            dynamic_import_code(&s, true),
            "const Chart = React.lazy(() => import('./Chart').then((m) => ({ default: m.Chart })));"
        );
    }

    #[test]
    fn rejects_other_shapes() {
        assert!(parse_import_statement("export { A } from './a';", 1, 1).is_none());
        assert!(parse_import_statement("import './a';", 1, 1).is_none());
        assert!(parse_import_statement("import type { A } from './a';", 1, 1).is_none());
        assert!(parse_import_statement("import x", 9, 1).is_none());
    }
}
