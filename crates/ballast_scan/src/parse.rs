//! Parsing a script with oxc and walking it once for imports, exports and top-level declarations.

use std::path::Path;

use ballast_graph::{Declaration, ImportKind, ImportedNames, ModuleFormat, ModuleKind};
use oxc::allocator::Allocator;
use oxc::ast::ast::*;
use oxc::ast_visit::{Visit, walk};
use oxc::parser::{ParseOptions, Parser};
use oxc::span::{GetSpan, SourceType};

use crate::facts::{GlobImport, ModuleFacts, ProblemKind, RawImport, RawProblem};

/// Files larger than this get their top-level declarations listed (the view inside pre-bundled giants).
pub const GIANT_FILE_BYTES: usize = 100_000;

pub fn source_type(path: &Path, kind: ModuleKind) -> SourceType {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match (kind, ext) {
        (ModuleKind::Tsx, _) => SourceType::tsx(),
        (ModuleKind::Ts, "mts") => SourceType::ts().with_module(true),
        (ModuleKind::Ts, "cts") => SourceType::ts().with_module(false),
        (ModuleKind::Ts, _) => SourceType::ts(),
        (ModuleKind::Jsx, _) => SourceType::jsx(),
        (_, "cjs") => SourceType::cjs(),
        (_, "mjs") => SourceType::mjs(),
        _ => SourceType::unambiguous(),
    }
}

pub fn parse_script(allocator: &Allocator, source: &str, path: &Path, kind: ModuleKind) -> ModuleFacts {
    parse_script_with(allocator, source, path, kind, &Constants::new())
}

/// Import locals the bundler knows to be a literal boolean (`import { DEV } from 'esm-env'`, bound to
/// `export default false`): branches they decide fold away, as Rollup and Rolldown fold them across modules.
pub type Constants = std::collections::BTreeMap<String, bool>;

/// `parse_script` with the import locals of `constants` folded in the link facts (references and side
/// effects of the statements); imports are collected as written.
pub fn parse_script_with(
    allocator: &Allocator,
    source: &str,
    path: &Path,
    kind: ModuleKind,
    constants: &Constants,
) -> ModuleFacts {
    let st = source_type(path, kind);
    let options = ParseOptions { allow_return_outside_function: true, ..ParseOptions::default() };
    let mut ret = Parser::new(allocator, source, st).with_options(options).parse();
    // Plain `.js` with JSX in it is common in app code; try again with JSX on before reporting an error.
    if (ret.panicked || !ret.diagnostics.is_empty()) && kind == ModuleKind::Js {
        let retry = Parser::new(allocator, source, st.with_jsx(true)).with_options(options).parse();
        if !retry.panicked && retry.diagnostics.is_empty() {
            ret = retry;
        }
    }
    let mut facts = ModuleFacts::default();
    for error in ret.diagnostics.iter() {
        let offset = error.labels.first().map_or(0, |l| l.offset());
        facts.problems.push(RawProblem {
            kind: ProblemKind::Syntax,
            message: error.message.to_string(),
            offset,
        });
    }
    if ret.panicked {
        return facts;
    }
    let program = &ret.program;
    let mut collector = Collector { facts: &mut facts, cjs: false, jsx: Vec::new() };
    collector.visit_program(program);
    let mut cjs = collector.cjs;
    // An ES module that reads a parameter or local named `exports` (Svelte's `create_custom_element`) is no
    // CommonJS: only the free `module` / `exports` / `require` are.
    if cjs && ret.module_record.has_module_syntax {
        let scoping = oxc::semantic::SemanticBuilder::new().build(program).semantic.into_scoping();
        let free = scoping.root_unresolved_references();
        cjs = ["exports", "module", "require"].iter().any(|name| free.contains_key(*name));
    }
    let jsx = std::mem::take(&mut collector.jsx);
    // The automatic JSX runtime (Vite's and webpack's React setups): the transform imports it.
    let runtime = (!jsx.is_empty()).then(|| jsx_runtime(source)).flatten();
    if let Some(specifier) = &runtime {
        facts.imports.push(RawImport {
            specifier: specifier.clone(),
            kind: ImportKind::Static,
            names: ImportedNames::Names(JSX_NAMES.iter().map(|n| n.to_string()).collect()),
            offset: 0,
            implicit: true,
        });
    }
    if source.len() > GIANT_FILE_BYTES {
        facts.declarations = top_level_declarations(program);
    }
    let format = match (ret.module_record.has_module_syntax, cjs) {
        (true, true) => ModuleFormat::Mixed,
        (true, false) => ModuleFormat::Esm,
        (false, true) => ModuleFormat::Cjs,
        (false, false) => ModuleFormat::None,
    };
    facts.format = Some(format);
    facts.pure_commonjs = format == ModuleFormat::Cjs && crate::purity::commonjs_is_pure(program);
    if matches!(format, ModuleFormat::Esm | ModuleFormat::None) && facts.problems.is_empty() {
        let mut link = crate::link_facts::extract(
            program,
            source,
            &facts.imports,
            &mut facts.globs,
            st.is_typescript(),
            constants,
        );
        if let Some(specifier) = runtime {
            crate::link_facts::add_jsx_runtime(&mut link, &specifier, &jsx);
        }
        facts.link = Some(link);
    }
    facts
}

struct Collector<'f> {
    facts: &'f mut ModuleFacts,
    cjs: bool,
    /// Where JSX elements and fragments start.
    jsx: Vec<u32>,
}

/// What the automatic JSX runtime provides; a module with JSX uses them.
pub const JSX_NAMES: [&str; 3] = ["jsx", "jsxs", "Fragment"];

/// `<source>/jsx-runtime`, from a `@jsxImportSource` pragma or React's default; `None` for the classic
/// runtime (`@jsx h`), which calls a binding the module imports itself.
fn jsx_runtime(source: &str) -> Option<String> {
    if let Some(at) = source.find("@jsxImportSource") {
        let rest = source[at + "@jsxImportSource".len()..].trim_start();
        let name: String = rest.chars().take_while(|c| !c.is_whitespace() && *c != '*').collect();
        return (!name.is_empty()).then(|| format!("{name}/jsx-runtime"));
    }
    if source.contains("@jsx ") {
        return None;
    }
    Some("react/jsx-runtime".to_string())
}

impl Collector<'_> {
    fn push(&mut self, specifier: &str, kind: ImportKind, names: ImportedNames, offset: u32) {
        self.facts.imports.push(RawImport {
            specifier: specifier.to_string(),
            kind,
            names,
            offset,
            implicit: false,
        });
    }

    fn export_name(name: &ModuleExportName) -> String {
        name.name().to_string()
    }

    fn local(&mut self, name: &str) {
        self.facts.local_exports.push(name.to_string());
    }
}

/// A string literal, or a template literal with no expressions.
fn literal_string<'b>(expr: &'b Expression) -> Option<&'b str> {
    match expr {
        Expression::StringLiteral(s) => Some(s.value.as_str()),
        Expression::TemplateLiteral(t) if t.expressions.is_empty() => {
            t.quasis.first().and_then(|q| q.value.cooked.as_ref()).map(|c| c.as_str())
        }
        _ => None,
    }
}

/// `./dir/${x}.js` → `./dir/*.js`, as Vite's dynamic-import-vars does; only for relative paths.
fn template_glob(expr: &Expression) -> Option<String> {
    let Expression::TemplateLiteral(t) = expr else { return None };
    let mut pattern = String::new();
    for (i, quasi) in t.quasis.iter().enumerate() {
        if i > 0 {
            pattern.push('*');
        }
        pattern.push_str(quasi.value.raw.as_str());
    }
    let relative = pattern.starts_with("./") || pattern.starts_with("../");
    let has_file_part = pattern.rsplit('/').next().is_some_and(|last| last != "*");
    (relative && has_file_part).then_some(pattern)
}

fn is_import_meta_url(arg: Option<&Argument>) -> bool {
    matches!(arg, Some(Argument::StaticMemberExpression(m))
        if matches!(m.object, Expression::ImportMeta(_)) && m.property.name == "url")
}

/// `new URL('./x', import.meta.url)` → `./x`.
fn new_url_specifier<'b>(expr: &'b Expression) -> Option<&'b str> {
    let Expression::NewExpression(new) = expr else { return None };
    if !new.callee.is_specific_id("URL") || !is_import_meta_url(new.arguments.get(1)) {
        return None;
    }
    new.arguments.first().and_then(Argument::as_expression).and_then(literal_string)
}

impl<'a> Visit<'a> for Collector<'_> {
    fn visit_jsx_element(&mut self, it: &JSXElement<'a>) {
        self.jsx.push(it.span.start);
        walk::walk_jsx_element(self, it);
    }

    fn visit_jsx_fragment(&mut self, it: &JSXFragment<'a>) {
        self.jsx.push(it.span.start);
        walk::walk_jsx_fragment(self, it);
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        if it.import_kind.is_type() {
            return;
        }
        let names = match &it.specifiers {
            None => ImportedNames::SideEffect,
            Some(specifiers) => {
                let mut names = Vec::new();
                let mut all = false;
                let mut any_value = false;
                for s in specifiers {
                    match s {
                        ImportDeclarationSpecifier::ImportSpecifier(s) => {
                            if !s.import_kind.is_type() {
                                names.push(Self::export_name(&s.imported));
                                any_value = true;
                            }
                        }
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(_) => {
                            names.push("default".to_string());
                            any_value = true;
                        }
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(_) => {
                            all = true;
                            any_value = true;
                        }
                    }
                }
                if !any_value && !specifiers.is_empty() {
                    return; // only `type` specifiers: TypeScript erases the import
                }
                if all {
                    ImportedNames::All
                } else if names.is_empty() {
                    ImportedNames::SideEffect
                } else {
                    ImportedNames::Names(names)
                }
            }
        };
        self.push(it.source.value.as_str(), ImportKind::Static, names, it.span.start);
    }

    fn visit_export_from_declaration(&mut self, it: &ExportFromDeclaration<'a>) {
        if it.export_kind.is_type() {
            return;
        }
        let pairs: Vec<(String, String)> = it
            .specifiers
            .iter()
            .filter(|s| !s.export_kind.is_type())
            .map(|s| (Self::export_name(&s.exported), Self::export_name(&s.local)))
            .collect();
        if pairs.is_empty() && !it.specifiers.is_empty() {
            return;
        }
        self.push(
            it.source.value.as_str(),
            ImportKind::ReExport,
            ImportedNames::ReExports(pairs),
            it.span.start,
        );
    }

    fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
        if it.export_kind.is_type() {
            return;
        }
        let names = match &it.exported {
            Some(ns) => ImportedNames::ReExports(vec![(Self::export_name(ns), "*".to_string())]),
            None => ImportedNames::Star,
        };
        self.push(it.source.value.as_str(), ImportKind::ReExport, names, it.span.start);
    }

    fn visit_export_named_declaration(&mut self, it: &ExportNamedDeclaration<'a>) {
        if !it.export_kind.is_type() {
            for s in &it.specifiers {
                if !s.export_kind.is_type() {
                    self.local(&Self::export_name(&s.exported));
                }
            }
        }
        walk::walk_export_named_declaration(self, it);
    }

    fn visit_export_declaration(&mut self, it: &ExportDeclaration<'a>) {
        for name in declaration_names(&it.declaration) {
            self.local(&name);
        }
        walk::walk_export_declaration(self, it);
    }

    fn visit_export_default_declaration(&mut self, it: &ExportDefaultDeclaration<'a>) {
        self.local("default");
        walk::walk_export_default_declaration(self, it);
    }

    fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
        if let Some(spec) = literal_string(&it.source) {
            self.push(spec, ImportKind::Dynamic, ImportedNames::All, it.span.start);
        } else if let Some(pattern) = template_glob(&it.source) {
            self.facts.globs.push(GlobImport {
                patterns: vec![pattern],
                eager: false,
                offset: it.span.start,
                statement: 0,
            });
        } else {
            self.facts.problems.push(RawProblem {
                kind: ProblemKind::NonLiteralImport,
                message: "`import()` of a computed specifier: its target cannot be known before the build"
                    .to_string(),
                offset: it.span.start,
            });
        }
        walk::walk_import_expression(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if it.callee.is_specific_id("require") && it.arguments.len() == 1 {
            self.cjs = true;
            if let Some(spec) = it.arguments[0].as_expression().and_then(literal_string) {
                self.push(spec, ImportKind::Require, ImportedNames::All, it.span.start);
            }
        } else if let Expression::StaticMemberExpression(m) = &it.callee
            && matches!(m.object, Expression::ImportMeta(_))
            && m.property.name == "glob"
        {
            self.import_meta_glob(it);
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        let first = it.arguments.first().and_then(Argument::as_expression);
        if (it.callee.is_specific_id("Worker") || it.callee.is_specific_id("SharedWorker"))
            && let Some(spec) = first.and_then(new_url_specifier)
        {
            self.push(spec, ImportKind::Worker, ImportedNames::All, it.span.start);
            for arg in it.arguments.iter().skip(1) {
                self.visit_argument(arg);
            }
            return;
        }
        if it.callee.is_specific_id("URL")
            && is_import_meta_url(it.arguments.get(1))
            && let Some(spec) = first.and_then(literal_string)
        {
            self.push(spec, ImportKind::Asset, ImportedNames::All, it.span.start);
        }
        walk::walk_new_expression(self, it);
    }

    // Production builds fold `process.env.NODE_ENV` checks: only the taken branch's imports are loaded.
    fn visit_if_statement(&mut self, it: &IfStatement<'a>) {
        match production_value(&it.test) {
            Some(true) => self.visit_statement(&it.consequent),
            Some(false) => {
                if let Some(alternate) = &it.alternate {
                    self.visit_statement(alternate);
                }
            }
            None => walk::walk_if_statement(self, it),
        }
    }

    fn visit_conditional_expression(&mut self, it: &ConditionalExpression<'a>) {
        match production_value(&it.test) {
            Some(true) => self.visit_expression(&it.consequent),
            Some(false) => self.visit_expression(&it.alternate),
            None => walk::walk_conditional_expression(self, it),
        }
    }

    fn visit_static_member_expression(&mut self, it: &StaticMemberExpression<'a>) {
        if (it.object.is_specific_id("module") && it.property.name == "exports")
            || it.object.is_specific_id("exports")
        {
            self.cjs = true;
        }
        walk::walk_static_member_expression(self, it);
    }
}

impl Collector<'_> {
    fn import_meta_glob(&mut self, call: &CallExpression) {
        let mut patterns = Vec::new();
        match call.arguments.first().and_then(Argument::as_expression) {
            Some(Expression::ArrayExpression(array)) => {
                for element in &array.elements {
                    if let Some(s) = element.as_expression().and_then(literal_string) {
                        patterns.push(s.to_string());
                    }
                }
            }
            Some(expr) => patterns.extend(literal_string(expr).map(str::to_string)),
            None => {}
        }
        let eager = match call.arguments.get(1).and_then(Argument::as_expression) {
            Some(Expression::ObjectExpression(obj)) => obj.properties.iter().any(|p| {
                matches!(p, ObjectPropertyKind::ObjectProperty(p)
                    if p.key.is_specific_static_name("eager")
                    && matches!(p.value, Expression::BooleanLiteral(ref b) if b.value))
            }),
            _ => false,
        };
        if patterns.is_empty() {
            self.facts.problems.push(RawProblem {
                kind: ProblemKind::NonLiteralImport,
                message: "`import.meta.glob` needs literal patterns".to_string(),
                offset: call.span.start,
            });
        } else {
            self.facts.globs.push(GlobImport { patterns, eager, offset: call.span.start, statement: 0 });
        }
    }
}

pub(crate) fn declaration_names(decl: &oxc::ast::ast::Declaration) -> Vec<String> {
    use oxc::ast::ast::Declaration as D;
    match decl {
        D::VariableDeclaration(v) => v
            .declarations
            .iter()
            .flat_map(|d| d.id.get_binding_identifiers().into_iter().map(|b| b.name.to_string()))
            .collect(),
        D::FunctionDeclaration(f) => f.id.iter().map(|id| id.name.to_string()).collect(),
        D::ClassDeclaration(c) => c.id.iter().map(|id| id.name.to_string()).collect(),
        D::TSEnumDeclaration(e) => vec![e.id.name.to_string()],
        _ => Vec::new(),
    }
}

/// Named top-level statements with their byte ranges; anything else is left to the unnamed remainder.
fn top_level_declarations(program: &Program) -> Vec<Declaration> {
    let mut out = Vec::new();
    for statement in &program.body {
        let span = statement.span();
        let names = match statement {
            Statement::ExportNamedDeclaration(_) | Statement::ExportFromDeclaration(_) => continue,
            Statement::ExportDeclaration(e) => declaration_names(&e.declaration),
            Statement::ExportDefaultDeclaration(d) => match &d.declaration {
                ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                    f.id.iter().map(|id| id.name.to_string()).collect()
                }
                ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                    c.id.iter().map(|id| id.name.to_string()).collect()
                }
                _ => vec!["default".to_string()],
            },
            _ => match statement.as_declaration() {
                Some(decl) => declaration_names(decl),
                None => continue,
            },
        };
        if let Some(first) = names.into_iter().next() {
            out.push(Declaration { name: first, start: span.start, end: span.end });
        }
    }
    out
}

/// The value of a condition in a production build, when it depends only on `process.env.NODE_ENV` or
/// Vite's `import.meta.env.{PROD,DEV,MODE}`.
pub(crate) fn production_value(test: &Expression) -> Option<bool> {
    condition_value(test, &Constants::new())
}

/// `production_value`, where the import locals of `constants` have their known value too.
pub(crate) fn condition_value(test: &Expression, constants: &Constants) -> Option<bool> {
    match test.without_parentheses() {
        Expression::UnaryExpression(u) if u.operator == UnaryOperator::LogicalNot => {
            condition_value(&u.argument, constants).map(|v| !v)
        }
        Expression::Identifier(id) => constants.get(id.name.as_str()).copied(),
        // What a `define` left (`__VUE_PROD_DEVTOOLS__` is `false` by then).
        Expression::BooleanLiteral(b) => Some(b.value),
        Expression::LogicalExpression(l) => {
            use oxc::syntax::operator::LogicalOperator as L;
            match (l.operator, condition_value(&l.left, constants)) {
                (L::And, Some(false)) => Some(false),
                (L::Or, Some(true)) => Some(true),
                (L::And | L::Or, Some(_)) => condition_value(&l.right, constants),
                _ => None,
            }
        }
        Expression::BinaryExpression(b) => {
            let negated = match b.operator {
                BinaryOperator::Equality | BinaryOperator::StrictEquality => false,
                BinaryOperator::Inequality | BinaryOperator::StrictInequality => true,
                _ => return None,
            };
            let literal = |e: &Expression| match e.without_parentheses() {
                Expression::StringLiteral(s) => Some(s.value.as_str() == "production"),
                _ => None,
            };
            let equal = match (is_mode(&b.left), is_mode(&b.right)) {
                (true, false) => literal(&b.right)?,
                (false, true) => literal(&b.left)?,
                _ => return None,
            };
            Some(equal != negated)
        }
        Expression::StaticMemberExpression(m) if is_import_meta_env(&m.object) => {
            match m.property.name.as_str() {
                "PROD" => Some(true),
                "DEV" | "SSR" => Some(false),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `process.env.NODE_ENV` or `import.meta.env.MODE`.
fn is_mode(e: &Expression) -> bool {
    let Expression::StaticMemberExpression(m) = e.without_parentheses() else { return false };
    match m.property.name.as_str() {
        "NODE_ENV" => matches!(&m.object, Expression::StaticMemberExpression(env)
            if env.property.name == "env" && env.object.is_specific_id("process")),
        "MODE" => is_import_meta_env(&m.object),
        _ => false,
    }
}

fn is_import_meta_env(e: &Expression) -> bool {
    matches!(e, Expression::StaticMemberExpression(env)
        if env.property.name == "env" && matches!(env.object, Expression::ImportMeta(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specifiers(src: &str) -> Vec<String> {
        let allocator = Allocator::default();
        let facts = parse_script(&allocator, src, Path::new("x.js"), ModuleKind::Js);
        facts.imports.into_iter().map(|i| i.specifier).collect()
    }

    #[test]
    fn only_the_production_branch_is_followed() {
        let react = "if (process.env.NODE_ENV === 'production') { module.exports = require('./prod.js'); } \
                     else { module.exports = require('./dev.js'); }";
        assert_eq!(specifiers(react), vec!["./prod.js"]);
        let flipped = "module.exports = 'production' !== process.env.NODE_ENV ? require('./dev.js') : require('./prod.js');";
        assert_eq!(specifiers(flipped), vec!["./prod.js"]);
        let vite = "if (import.meta.env.DEV) { import('./devtools.js'); } import('./app.js');";
        assert_eq!(specifiers(vite), vec!["./app.js"]);
        let unknown = "if (process.env.FEATURE) { require('./a.js'); } else { require('./b.js'); }";
        assert_eq!(specifiers(unknown), vec!["./a.js", "./b.js"]);
    }
}
