//! The last step of minifying a module: see which imported bindings the minified code still uses (they
//! decide what the imported modules must keep), then cut the import and export statements a bundler would
//! not print, since it hoists every module into one scope.

use std::collections::{BTreeMap, BTreeSet};

use oxc::allocator::Allocator;
use oxc::ast::AstKind;
use oxc::ast::ast::{ImportDeclarationSpecifier, Statement};
use oxc::parser::Parser;
use oxc::semantic::SemanticBuilder;
use oxc::span::{GetSpan, SourceType};
use serde::{Deserialize, Serialize};

/// What the minified module still takes from one import specifier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surviving {
    /// A namespace import is still used: everything may be needed.
    pub all: bool,
    pub names: BTreeSet<String>,
}

/// Per import specifier (as written), what survived minification. `None` when the code could not be read.
pub type Survivors = Option<BTreeMap<String, Surviving>>;

pub fn strip_module_syntax(code: &str) -> (String, Survivors) {
    let allocator = Allocator::default();
    let ret = Parser::new(&allocator, code, SourceType::mjs()).parse();
    if ret.panicked || !ret.diagnostics.is_empty() {
        return (code.to_string(), None);
    }
    let program = &ret.program;
    let semantic = SemanticBuilder::new().with_build_nodes(true).build(program).semantic;
    let (scoping, nodes) = (semantic.scoping(), semantic.nodes());
    let mut survivors: BTreeMap<String, Surviving> = BTreeMap::new();
    // (start, end, replacement) edits, in source order.
    let mut edits: Vec<(u32, u32, &str)> = Vec::new();
    for statement in &program.body {
        match statement {
            Statement::ImportDeclaration(import) => {
                let entry = survivors.entry(import.source.value.to_string()).or_default();
                for specifier in import.specifiers.iter().flatten() {
                    let local = specifier.local();
                    let referenced = local
                        .symbol_id
                        .get()
                        .is_some_and(|s| !scoping.get_resolved_reference_ids(s).is_empty());
                    if !referenced {
                        continue;
                    }
                    match specifier {
                        ImportDeclarationSpecifier::ImportSpecifier(s) => {
                            entry.names.insert(s.imported.name().to_string());
                        }
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(_) => {
                            entry.names.insert("default".to_string());
                        }
                        // `ns.member` everywhere: only those members are needed, as esbuild sees it.
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(_) => {
                            for &reference in local
                                .symbol_id
                                .get()
                                .map(|s| scoping.get_resolved_reference_ids(s))
                                .unwrap_or_default()
                            {
                                let node = scoping.get_reference(reference).node_id();
                                let span = nodes.get_node(node).span();
                                match nodes.parent_kind(node) {
                                    AstKind::StaticMemberExpression(m) if m.object.span() == span => {
                                        entry.names.insert(m.property.name.to_string());
                                    }
                                    _ => entry.all = true,
                                }
                            }
                        }
                    }
                }
                edits.push((import.span.start, import.span.end, ""));
            }
            Statement::ExportNamedDeclaration(_)
            | Statement::ExportFromDeclaration(_)
            | Statement::ExportAllDeclaration(_) => {
                let span = statement.span();
                edits.push((span.start, span.end, ""));
            }
            Statement::ExportDeclaration(export) => {
                edits.push((export.span.start, export.declaration.span().start, ""));
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(code.len());
    let mut at = 0usize;
    for (start, end, replacement) in edits {
        let (start, end) = (start as usize, end as usize);
        if start < at || end > code.len() {
            continue;
        }
        out.push_str(&code[at..start]);
        out.push_str(replacement);
        at = end;
        // The `;` a minifier prints between statements goes with the cut statement.
        if replacement.is_empty() && code[at..].starts_with(';') && !code[..start].ends_with('{') {
            at += 1;
        }
    }
    out.push_str(&code[at..]);
    (out, Some(survivors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_used_bindings_and_cuts_module_syntax() {
        let code = r#"import{a as x,b as y}from"./m.js";import*as ns from"./n.js";import*as t from"./t.js";import"./side.js";export function f(){return x()+t.Scene+t.Mesh}export{f as g};"#;
        let (out, survivors) = strip_module_syntax(code);
        assert_eq!(out, "function f(){return x()+t.Scene+t.Mesh}");
        let survivors = survivors.unwrap();
        assert_eq!(survivors["./m.js"].names, BTreeSet::from(["a".to_string()]));
        assert!(!survivors["./n.js"].all);
        let three = &survivors["./t.js"];
        assert!(!three.all && three.names == BTreeSet::from(["Mesh".to_string(), "Scene".to_string()]));
        assert!(survivors["./side.js"].names.is_empty());
    }
}
