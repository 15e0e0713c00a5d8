//! The last step of minifying a module: cut the import and export statements a bundler would not print,
//! since it hoists every module into one scope.

use oxc::allocator::Allocator;
use oxc::ast::ast::{ExportDefaultDeclarationKind, Statement};
use oxc::parser::Parser;
use oxc::span::{GetSpan, SourceType};

pub fn strip_module_syntax(code: &str) -> String {
    let allocator = Allocator::default();
    let ret = Parser::new(&allocator, code, SourceType::mjs()).parse();
    if ret.panicked || !ret.diagnostics.is_empty() {
        return code.to_string();
    }
    // (start, end) cuts, in source order.
    let mut edits: Vec<(u32, u32)> = Vec::new();
    for statement in &ret.program.body {
        match statement {
            Statement::ImportDeclaration(_)
            | Statement::ExportNamedDeclaration(_)
            | Statement::ExportFromDeclaration(_)
            | Statement::ExportAllDeclaration(_) => {
                let span = statement.span();
                edits.push((span.start, span.end));
            }
            Statement::ExportDeclaration(export) => {
                edits.push((export.span.start, export.declaration.span().start));
            }
            // `export default function App` is printed `function App` (a named declaration keeps its name).
            Statement::ExportDefaultDeclaration(export) => match &export.declaration {
                ExportDefaultDeclarationKind::FunctionDeclaration(f) if f.id.is_some() => {
                    edits.push((export.span.start, f.span.start));
                }
                ExportDefaultDeclarationKind::ClassDeclaration(c) if c.id.is_some() => {
                    edits.push((export.span.start, c.span.start));
                }
                _ => {}
            },
            _ => {}
        }
    }
    let mut out = String::with_capacity(code.len());
    let mut at = 0usize;
    for (start, end) in edits {
        let (start, end) = (start as usize, end as usize);
        if start < at || end > code.len() {
            continue;
        }
        out.push_str(&code[at..start]);
        at = end;
        // The `;` a minifier prints between statements goes with the cut statement.
        if code[at..].starts_with(';') && !code[..start].ends_with('{') {
            at += 1;
        }
    }
    out.push_str(&code[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_module_syntax() {
        let code = r#"import{a as x,b as y}from"./m.js";import*as t from"./t.js";import"./side.js";export function f(){return x()+t.Scene}export{f as g};export*from"./z.js";"#;
        assert_eq!(strip_module_syntax(code), "function f(){return x()+t.Scene}");
        assert_eq!(strip_module_syntax("export default function App(){}"), "function App(){}");
        assert_eq!(strip_module_syntax("export default 1"), "export default 1");
    }
}
