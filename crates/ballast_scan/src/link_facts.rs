//! The facts the link stage binds and includes with, taken from one ES module's AST with oxc's semantic
//! analysis: each top-level statement's declarations, references and side effects; import bindings; exports.

use std::collections::{BTreeSet, HashMap};

use ballast_graph::{
    ELIDED, Effects, ImportBinding, LinkFacts, NO_STATEMENT, Reference, StatementFacts, StatementKind, Usage,
    Use,
};
use oxc::ast::AstKind;
use oxc::ast::ast::*;
use oxc::ast_visit::{Visit, walk};
use oxc::semantic::SemanticBuilder;
use oxc::span::GetSpan;

use crate::facts::{GlobImport, RawImport};
use crate::parse::{Constants, condition_value};
use crate::purity::{Callee, Purity, augmented_binding, written_binding};

pub fn extract(
    program: &Program,
    source: &str,
    imports: &[RawImport],
    globs: &mut [GlobImport],
    typescript: bool,
    constants: &Constants,
) -> LinkFacts {
    let spans: Vec<(u32, u32)> = program.body.iter().map(|s| (s.span().start, s.span().end)).collect();
    let locate = |pos: u32| -> u32 {
        let Some(i) = spans.partition_point(|&(start, _)| start <= pos).checked_sub(1) else {
            return NO_STATEMENT;
        };
        if pos < spans[i].1 { i as u32 } else { NO_STATEMENT }
    };
    let mut facts = LinkFacts::default();
    let mut statements: Vec<StatementFacts> = spans
        .iter()
        .map(|&(start, end)| StatementFacts { start, end, ..StatementFacts::default() })
        .collect();
    let static_import_at: HashMap<u32, usize> = imports
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == ballast_graph::ImportKind::Static && !i.implicit)
        .map(|(n, i)| (i.offset, n))
        .collect();
    for (i, statement) in program.body.iter().enumerate() {
        statements[i].declares = declared_names(statement);
        statements[i].kind = match statement {
            Statement::ImportDeclaration(_) => StatementKind::Import,
            Statement::ExportNamedDeclaration(_)
            | Statement::ExportFromDeclaration(_)
            | Statement::ExportAllDeclaration(_) => StatementKind::ExportList,
            _ => StatementKind::Code,
        };
        collect_imports_and_exports(statement, &mut facts);
    }

    let semantic = SemanticBuilder::new().with_build_nodes(true).build(program).semantic;
    let (scoping, nodes) = (semantic.scoping(), semantic.nodes());
    let dead = with_uncalled_functions(dead_branches(program, constants), scoping, nodes);
    let is_dead = |pos: u32| in_ranges(&dead, pos);
    let import_locals: HashMap<&str, &ImportBinding> =
        facts.imports.iter().map(|b| (b.local.as_str(), b)).collect();
    let mut referenced_imports: BTreeSet<String> = BTreeSet::new();
    let mut references: Vec<BTreeSet<Reference>> = vec![BTreeSet::new(); spans.len()];
    let usages = crate::usage::usages(program, source);
    let mut uses: Vec<Vec<Use>> = vec![Vec::new(); spans.len()];
    for (name, &symbol) in scoping.get_bindings(scoping.root_scope_id()) {
        // A folded import is a literal in the output: it reads nothing of its module.
        if constants.contains_key(name.as_str()) {
            continue;
        }
        let declared_in = locate(scoping.symbol_span(symbol).start);
        // Any import may turn out to be a namespace once linked (`import { z } from 'zod'` is `export * as z`).
        let namespace = import_locals.contains_key(name.as_str());
        for &id in scoping.get_resolved_reference_ids(symbol) {
            let reference = scoping.get_reference(id);
            if reference.is_type() && !reference.is_value() {
                continue;
            }
            let node = reference.node_id();
            let span = nodes.get_node(node).span();
            let user = locate(span.start);
            if user == NO_STATEMENT || is_dead(span.start) {
                continue;
            }
            if import_locals.contains_key(name.as_str())
                && !matches!(program.body[user as usize], Statement::ExportNamedDeclaration(_))
            {
                referenced_imports.insert(name.to_string());
            }
            if user == declared_in {
                continue;
            }
            let member = if namespace { member_chain(nodes, node, span) } else { None };
            references[user as usize].insert(Reference { name: name.to_string(), member });
            let usage = usages.get(&span.start).copied().unwrap_or(Usage::Eager);
            let list = &mut uses[user as usize];
            match list.iter_mut().find(|u| u.name == name.as_str() && u.usage == usage) {
                Some(known) => known.at = known.at.min(span.start),
                None => list.push(Use { name: name.to_string(), usage, at: span.start }),
            }
        }
    }

    facts.pure_functions = pure_functions(program);
    facts.constants = boolean_constants(program);
    facts.literals = short_numbers(program, source);
    let pure: BTreeSet<&str> = facts.pure_functions.iter().map(String::as_str).collect();
    let callee = |name: &str| {
        if pure.contains(name) {
            Callee::Pure
        } else if import_locals.contains_key(name) {
            Callee::Imported
        } else {
            Callee::Unknown
        }
    };
    let arrays = array_literals(program);
    let mut purity = Purity::new(&callee).with_constants(constants).with_arrays(&arrays);
    let fresh = fresh_objects(program);
    let lets = top_level_variables(program);
    for (i, statement) in program.body.iter().enumerate() {
        let mut effects = purity.statement(statement);
        if effects == Effects::Always
            && let Some(target) = augmented_binding(statement, &mut purity)
            && fresh.contains(target)
        {
            statements[i].augments.push(target.to_string());
            effects = Effects::None;
        } else if effects == Effects::Always
            && let Some(target) = written_binding(statement, &mut purity)
            && lets.contains(target)
        {
            statements[i].augments.push(target.to_string());
            effects = Effects::None;
        }
        statements[i].effects = effects;
        statements[i].references = std::mem::take(&mut references[i]).into_iter().collect();
        let mut statement_uses = std::mem::take(&mut uses[i]);
        statement_uses.sort_by(|a, b| (&a.name, a.usage).cmp(&(&b.name, b.usage)));
        statements[i].uses = statement_uses;
    }

    // TypeScript drops an import whose bindings are only used as types (or not at all): it loads nothing.
    let mut import_statements: Vec<u32> =
        imports.iter().map(|i| if i.implicit { NO_STATEMENT } else { locate(i.offset) }).collect();
    if typescript {
        for statement in &program.body {
            let Statement::ImportDeclaration(decl) = statement else { continue };
            let Some(specifiers) = &decl.specifiers else { continue };
            if specifiers.is_empty()
                || specifiers.iter().any(|s| referenced_imports.contains(s.local().name.as_str()))
            {
                continue;
            }
            if let Some(&n) = static_import_at.get(&decl.span.start) {
                import_statements[n] = ELIDED;
            }
        }
    }
    for glob in globs.iter_mut() {
        glob.statement = locate(glob.offset);
    }
    facts.import_statements = import_statements;
    facts.statements = statements;
    facts
}

fn in_ranges(ranges: &[(u32, u32)], pos: u32) -> bool {
    let i = ranges.partition_point(|&(start, _)| start <= pos);
    i > 0 && pos < ranges[i - 1].1
}

/// `dead` plus the functions declared inside another that nothing live calls (a development-only helper
/// inside Svelte's `proxy()`): the minifier drops them, so what they reference is not used. Merged, sorted.
fn with_uncalled_functions(
    mut dead: Vec<(u32, u32)>,
    scoping: &oxc::semantic::Scoping,
    nodes: &oxc::semantic::AstNodes,
) -> Vec<(u32, u32)> {
    let root = scoping.root_scope_id();
    let mut uncalled = Vec::new();
    for symbol in scoping.symbol_ids() {
        if scoping.symbol_scope_id(symbol) == root || !scoping.symbol_flags(symbol).is_function() {
            continue;
        }
        let node = nodes.get_node(scoping.symbol_declaration(symbol));
        if !matches!(node.kind(), AstKind::Function(f) if f.is_declaration()) {
            continue;
        }
        let span = node.span();
        let live = scoping.get_resolved_reference_ids(symbol).iter().any(|&id| {
            let pos = nodes.get_node(scoping.get_reference(id).node_id()).span().start;
            let inside = span.start <= pos && pos < span.end;
            !inside && !in_ranges(&dead, pos)
        });
        if !live {
            uncalled.push((span.start, span.end));
        }
    }
    dead.extend(uncalled);
    dead.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(dead.len());
    for (start, end) in dead {
        match merged.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Byte ranges of branches a production build folds away (`process.env.NODE_ENV` tests), outermost first,
/// sorted and not overlapping: what they reference is not used.
fn dead_branches(program: &Program, constants: &Constants) -> Vec<(u32, u32)> {
    struct Dead<'c>(Vec<(u32, u32)>, &'c Constants);
    impl<'a> Visit<'a> for Dead<'_> {
        fn visit_if_statement(&mut self, it: &IfStatement<'a>) {
            match condition_value(&it.test, self.1) {
                Some(true) => {
                    if let Some(alternate) = &it.alternate {
                        self.0.push((alternate.span().start, alternate.span().end));
                    }
                    self.visit_statement(&it.consequent);
                }
                Some(false) => {
                    self.0.push((it.consequent.span().start, it.consequent.span().end));
                    if let Some(alternate) = &it.alternate {
                        self.visit_statement(alternate);
                    }
                }
                None => walk::walk_if_statement(self, it),
            }
        }
        fn visit_conditional_expression(&mut self, it: &ConditionalExpression<'a>) {
            match condition_value(&it.test, self.1) {
                Some(true) => {
                    self.0.push((it.alternate.span().start, it.alternate.span().end));
                    self.visit_expression(&it.consequent);
                }
                Some(false) => {
                    self.0.push((it.consequent.span().start, it.consequent.span().end));
                    self.visit_expression(&it.alternate);
                }
                None => walk::walk_conditional_expression(self, it),
            }
        }
        fn visit_logical_expression(&mut self, it: &LogicalExpression<'a>) {
            use oxc::syntax::operator::LogicalOperator as L;
            match (it.operator, condition_value(&it.left, self.1)) {
                (L::And, Some(false)) | (L::Or, Some(true)) => {
                    self.0.push((it.right.span().start, it.right.span().end));
                }
                _ => walk::walk_logical_expression(self, it),
            }
        }
    }
    let mut dead = Dead(Vec::new(), constants);
    dead.visit_program(program);
    dead.0.sort_unstable();
    dead.0
}

/// `export default true|false` and top-level `const x = true|false`: bindings whose value other modules can
/// fold.
fn boolean_constants(program: &Program) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = program
        .body
        .iter()
        .filter_map(|statement| match statement {
            Statement::ExportDefaultDeclaration(e) => match &e.declaration {
                ExportDefaultDeclarationKind::BooleanLiteral(b) => Some(("default".to_string(), b.value)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    out.extend(top_level_consts(program).filter_map(|(name, init)| match init {
        Expression::BooleanLiteral(b) => Some((name.to_string(), b.value)),
        _ => None,
    }));
    out
}

/// Longest numeric literal Rolldown inlines across modules (`512` is, `1024` stays a binding).
const MAX_INLINED_NUMBER: usize = 3;

/// Top-level `const x = <number>` with a short literal: bindings Rolldown inlines where they are imported.
fn short_numbers(program: &Program, source: &str) -> Vec<(String, String)> {
    top_level_consts(program)
        .filter_map(|(name, init)| {
            let Expression::NumericLiteral(n) = init else { return None };
            let text = source.get(n.span.start as usize..n.span.end as usize)?;
            (text.len() <= MAX_INLINED_NUMBER && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| (name.to_string(), text.to_string()))
        })
        .collect()
}

/// `(name, initializer)` of each top-level `const name = …` (exported or not), in source order.
fn top_level_consts<'p, 'a>(program: &'p Program<'a>) -> impl Iterator<Item = (&'p str, &'p Expression<'a>)> {
    program
        .body
        .iter()
        .filter_map(|statement| match statement {
            Statement::ExportDeclaration(e) => Some(&e.declaration),
            Statement::VariableDeclaration(_) => statement.as_declaration(),
            _ => None,
        })
        .filter_map(|declaration| match declaration {
            Declaration::VariableDeclaration(v) if v.kind == VariableDeclarationKind::Const => Some(v),
            _ => None,
        })
        .flat_map(|v| v.declarations.iter())
        .filter_map(|d| match (&d.id, d.init.as_ref().map(Expression::without_parentheses)) {
            (BindingPattern::BindingIdentifier(id), Some(init)) => Some((id.name.as_str(), init)),
            _ => None,
        })
}

fn collect_imports_and_exports(statement: &Statement, facts: &mut LinkFacts) {
    match statement {
        Statement::ImportDeclaration(decl) if !decl.import_kind.is_type() => {
            for specifier in decl.specifiers.iter().flatten() {
                let imported = match specifier {
                    ImportDeclarationSpecifier::ImportSpecifier(s) => {
                        if s.import_kind.is_type() {
                            continue;
                        }
                        s.imported.name().to_string()
                    }
                    ImportDeclarationSpecifier::ImportDefaultSpecifier(_) => "default".to_string(),
                    ImportDeclarationSpecifier::ImportNamespaceSpecifier(_) => "*".to_string(),
                };
                facts.imports.push(ImportBinding {
                    local: specifier.local().name.to_string(),
                    specifier: decl.source.value.to_string(),
                    imported,
                });
            }
        }
        Statement::ExportNamedDeclaration(export) if !export.export_kind.is_type() => {
            for s in &export.specifiers {
                if !s.export_kind.is_type() {
                    let pair = (s.exported.name().to_string(), s.local.name().to_string());
                    facts.listed_exports.push(pair.clone());
                    facts.exports.push(pair);
                }
            }
        }
        Statement::ExportDeclaration(export) => {
            for name in crate::parse::declaration_names(&export.declaration) {
                facts.exports.push((name.clone(), name));
            }
        }
        Statement::ExportDefaultDeclaration(export) => {
            facts.exports.push(("default".to_string(), default_local(&export.declaration)));
            if let ExportDefaultDeclarationKind::Identifier(id) = &export.declaration {
                facts.default_alias = Some(id.name.to_string());
            }
        }
        _ => {}
    }
}

/// The local binding `export default` exports: a named function or class, else the synthetic `default`.
fn default_local(declaration: &ExportDefaultDeclarationKind) -> String {
    match declaration {
        ExportDefaultDeclarationKind::FunctionDeclaration(f) => f.id.as_ref().map(|id| id.name.to_string()),
        ExportDefaultDeclarationKind::ClassDeclaration(c) => c.id.as_ref().map(|id| id.name.to_string()),
        _ => None,
    }
    .unwrap_or_else(|| "default".to_string())
}

fn declared_names(statement: &Statement) -> Vec<String> {
    match statement {
        Statement::ExportDefaultDeclaration(export) => vec![default_local(&export.declaration)],
        Statement::ExportDeclaration(export) => crate::parse::declaration_names(&export.declaration),
        other => other.as_declaration().map(crate::parse::declaration_names).unwrap_or_default(),
    }
}

/// Top-level `const` bindings initialized with an array literal (never reassigned).
fn array_literals<'p>(program: &'p Program) -> BTreeSet<&'p str> {
    let mut out = BTreeSet::new();
    for statement in &program.body {
        let declaration = match statement {
            Statement::ExportDeclaration(e) => Some(&e.declaration),
            other => other.as_declaration(),
        };
        let Some(Declaration::VariableDeclaration(v)) = declaration else { continue };
        if v.kind != VariableDeclarationKind::Const {
            continue;
        }
        for d in &v.declarations {
            if let (BindingPattern::BindingIdentifier(id), Some(Expression::ArrayExpression(_))) =
                (&d.id, d.init.as_ref().map(Expression::without_parentheses))
            {
                out.insert(id.name.as_str());
            }
        }
    }
    out
}

/// Top-level `let` and `var` bindings of the module (not imports, not functions or classes).
fn top_level_variables<'p>(program: &'p Program) -> BTreeSet<&'p str> {
    let mut out = BTreeSet::new();
    for statement in &program.body {
        let declaration = match statement {
            Statement::ExportDeclaration(e) => Some(&e.declaration),
            other => other.as_declaration(),
        };
        if let Some(Declaration::VariableDeclaration(v)) = declaration
            && v.kind != VariableDeclarationKind::Const
        {
            for d in &v.declarations {
                for id in d.id.get_binding_identifiers() {
                    out.insert(id.name.as_str());
                }
            }
        }
    }
    out
}

/// Top-level bindings that hold an object made right there (a function, a class, an object or array
/// literal): writing a property of one is no side effect while the binding is unused, as Rollup sees it.
/// The value of a call or of another binding may be shared, so writing to it is an effect.
fn fresh_objects<'p>(program: &'p Program) -> BTreeSet<&'p str> {
    let mut out = BTreeSet::new();
    for statement in &program.body {
        let declaration = match statement {
            Statement::ExportDeclaration(e) => Some(&e.declaration),
            other => other.as_declaration(),
        };
        match declaration {
            Some(Declaration::FunctionDeclaration(f)) => out.extend(f.id.as_ref().map(|id| id.name.as_str())),
            Some(Declaration::ClassDeclaration(c)) => out.extend(c.id.as_ref().map(|id| id.name.as_str())),
            Some(Declaration::VariableDeclaration(v)) => {
                for d in &v.declarations {
                    let fresh = matches!(
                        d.init.as_ref().map(Expression::without_parentheses),
                        Some(
                            Expression::ObjectExpression(_)
                                | Expression::ArrayExpression(_)
                                | Expression::FunctionExpression(_)
                                | Expression::ArrowFunctionExpression(_)
                                | Expression::ClassExpression(_)
                        )
                    );
                    if fresh && let BindingPattern::BindingIdentifier(id) = &d.id {
                        out.insert(id.name.as_str());
                    }
                }
            }
            _ => {}
        }
        if let Statement::ExportDefaultDeclaration(e) = statement {
            match &e.declaration {
                ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                    out.extend(f.id.as_ref().map(|id| id.name.as_str()))
                }
                ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                    out.extend(c.id.as_ref().map(|id| id.name.as_str()))
                }
                _ => {}
            }
        }
    }
    out
}

/// Local functions marked `/*@__NO_SIDE_EFFECTS__*/`, as declarations or as `const f = …` initialisers.
fn pure_functions(program: &Program) -> Vec<String> {
    let mut out = Vec::new();
    for statement in &program.body {
        let declaration = match statement {
            Statement::ExportDeclaration(e) => Some(&e.declaration),
            other => other.as_declaration(),
        };
        match declaration {
            Some(Declaration::FunctionDeclaration(f)) if f.pure => {
                out.extend(f.id.as_ref().map(|id| id.name.to_string()));
            }
            Some(Declaration::VariableDeclaration(v)) => {
                for d in &v.declarations {
                    let pure = match &d.init {
                        Some(Expression::ArrowFunctionExpression(a)) => a.pure,
                        Some(Expression::FunctionExpression(f)) => f.pure,
                        _ => false,
                    };
                    if pure && let BindingPattern::BindingIdentifier(id) = &d.id {
                        out.push(id.name.to_string());
                    }
                }
            }
            _ => {}
        }
        if let Statement::ExportDefaultDeclaration(e) = statement
            && let ExportDefaultDeclarationKind::FunctionDeclaration(f) = &e.declaration
            && f.pure
        {
            out.push(default_local(&e.declaration));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The automatic JSX runtime's bindings, as if imported under names no source can write, referenced by every
/// statement that holds JSX.
pub fn add_jsx_runtime(link: &mut LinkFacts, specifier: &str, jsx_offsets: &[u32]) {
    for name in crate::parse::JSX_NAMES {
        link.imports.push(ImportBinding {
            local: format!("\0{name}"),
            specifier: specifier.to_string(),
            imported: name.to_string(),
        });
    }
    for &offset in jsx_offsets {
        let Some(i) = link.statements.partition_point(|s| s.start <= offset).checked_sub(1) else { continue };
        let statement = &mut link.statements[i];
        if offset >= statement.end {
            continue;
        }
        for name in crate::parse::JSX_NAMES {
            let reference = Reference { name: format!("\0{name}"), member: None };
            if !statement.references.contains(&reference) {
                statement.references.push(reference);
            }
        }
    }
}

/// The static members read off a reference, outermost last: `core.util.constantCatch` gives
/// `util.constantCatch`, so a namespace re-exported inside a namespace narrows to the one member used.
fn member_chain(
    nodes: &oxc::semantic::AstNodes,
    node: oxc::semantic::NodeId,
    span: oxc::span::Span,
) -> Option<String> {
    let mut chain: Vec<String> = Vec::new();
    let (mut node, mut span) = (node, span);
    loop {
        let parent = nodes.parent_id(node);
        let name = match nodes.get_node(parent).kind() {
            AstKind::StaticMemberExpression(m) if m.object.span() == span => m.property.name.to_string(),
            AstKind::ComputedMemberExpression(m) if m.object.span() == span => match &m.expression {
                Expression::StringLiteral(s) if !s.value.contains('.') => s.value.to_string(),
                _ => break,
            },
            _ => break,
        };
        chain.push(name);
        span = nodes.get_node(parent).span();
        node = parent;
    }
    (!chain.is_empty()).then(|| chain.join("."))
}
