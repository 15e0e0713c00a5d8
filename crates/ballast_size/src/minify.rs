//! Minified size of one module, with the minifier the user's bundler uses. TypeScript and JSX are first
//! lowered to plain JS with oxc's transformer, as every bundler does before minifying.

use std::collections::BTreeSet;
use std::path::Path;

use ballast_graph::ModuleKind;
use oxc::allocator::Allocator;
use oxc::ast::ast::Statement;
use oxc::ast::builder::AstBuilder;
use oxc::codegen::{Codegen, CodegenOptions};
use oxc::minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
use oxc::parser::{ParseOptions, Parser};
use oxc::semantic::SemanticBuilder;
use oxc::span::SourceType;
use oxc::transformer::{TransformOptions, Transformer};
use oxc::transformer_plugins::{ReplaceGlobalDefines, ReplaceGlobalDefinesConfig};
use serde::{Deserialize, Serialize};

use crate::module_syntax::strip_module_syntax;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MinifierKind {
    Oxc,
    Swc,
    /// The project's esbuild binary, batched by the size stage (`minify_module` lowers to plain JS for it).
    Esbuild,
    None,
}

impl MinifierKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MinifierKind::Oxc => "oxc",
            MinifierKind::Swc => "swc",
            MinifierKind::Esbuild => "esbuild",
            MinifierKind::None => "none",
        }
    }
}

/// Export names a module must keep: `None` keeps all (entries, dynamic imports, namespaces, CommonJS).
pub type UsedExports<'u> = Option<&'u BTreeSet<String>>;

/// The code this module contributes to its chunk, minified. `Err` carries the reason when the module
/// could not be minified; the caller then falls back to the raw text.
pub fn minify_module(
    source: &str,
    path: &Path,
    kind: ModuleKind,
    minifier: MinifierKind,
    used: UsedExports,
) -> Result<String, String> {
    minify_module_with(source, path, kind, minifier, used, &[])
}

/// `minify_module`, with import locals the scan found bound to another module's literal (`LinkFacts::folded`,
/// `LinkFacts::inlined`): replaced by the literal's text, as the bundler does, so the branches they decide fold.
pub fn minify_module_with(
    source: &str,
    path: &Path,
    kind: ModuleKind,
    minifier: MinifierKind,
    used: UsedExports,
    folded: &[(String, String)],
) -> Result<String, String> {
    let lower = |output| lower_to_js(source, path, kind, used, folded, output);
    let code = match kind {
        ModuleKind::Json => return Ok(minify_json(source)),
        ModuleKind::Text => {
            return Ok(format!("export default {}", serde_json::Value::String(source.to_string())));
        }
        ModuleKind::Css => {
            return Ok(if minifier == MinifierKind::None { source.to_string() } else { minify_css(source) });
        }
        k if k.is_script() => match minifier {
            MinifierKind::None => lower(Output::Plain)?,
            // Lowered only: the caller hands the batch to esbuild and strips module syntax after.
            MinifierKind::Esbuild => return lower(Output::ForSwc),
            MinifierKind::Oxc => lower(Output::OxcMinified)?,
            MinifierKind::Swc => {
                let js = lower(Output::ForSwc)?;
                crate::minify_swc::minify(&js)?
            }
        },
        _ => return Ok(String::new()),
    };
    Ok(strip_module_syntax(&code))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    Plain,
    OxcMinified,
    /// Plain JS that keeps its (used) exports, so swc's own dead-code removal knows what must stay.
    ForSwc,
}

/// What a production build defines: dead development branches fold away as they do in the bundle. Only what
/// Vite, Rolldown and webpack define themselves, the values the scanner folds too (`parse.rs`); a project's own
/// names (`__DEV__`, …) come from its `define`, applied before the scan.
const PRODUCTION_DEFINES: [(&str, &str); 5] = [
    ("process.env.NODE_ENV", "\"production\""),
    ("import.meta.env.MODE", "\"production\""),
    ("import.meta.env.PROD", "true"),
    ("import.meta.env.DEV", "false"),
    ("import.meta.env.SSR", "false"),
];

/// Parses, strips types and JSX, applies production defines, drops `export` from what nobody imports,
/// then minifies and prints. Import declarations and bare export lists are dropped from the output: a
/// bundler hoists modules into one scope and prints neither.
fn lower_to_js(
    source: &str,
    path: &Path,
    kind: ModuleKind,
    used: UsedExports,
    folded: &[(String, String)],
    output: Output,
) -> Result<String, String> {
    let allocator = Allocator::default();
    let first = match kind {
        ModuleKind::Ts => SourceType::ts(),
        ModuleKind::Tsx => SourceType::tsx(),
        ModuleKind::Jsx => SourceType::jsx(),
        _ => SourceType::mjs(),
    };
    // Plain `.js` is tried without JSX first (node_modules never needs it), then with JSX, then as a script
    // (`with`, legacy octal literals).
    let mut attempts = vec![first];
    if kind == ModuleKind::Js {
        attempts.push(first.with_jsx(true));
    }
    attempts.push(first.with_module(false));
    let options = ParseOptions { allow_return_outside_function: true, ..ParseOptions::default() };
    let mut first_error = None;
    let mut parsed = None;
    for source_type in attempts {
        let ret = Parser::new(&allocator, source, source_type).with_options(options).parse();
        if !ret.panicked && ret.diagnostics.is_empty() {
            parsed = Some((ret, source_type));
            break;
        }
        first_error.get_or_insert_with(|| {
            ret.diagnostics.first().map(|d| d.message.to_string()).unwrap_or_default()
        });
    }
    let Some((ret, source_type)) = parsed else {
        return Err(format!("cannot parse for minification: {}", first_error.unwrap_or_default()));
    };
    let mut program = ret.program;
    if !folded.is_empty() {
        drop_folded_imports(&mut program, folded);
    }
    let needs_transform = kind != ModuleKind::Js || source_type.is_jsx() || source_type.is_typescript();
    // Most modules mention none of the defined names: skip a whole semantic pass for them.
    let needs_defines =
        !folded.is_empty() || ["process.env", "import.meta.env"].iter().any(|name| source.contains(name));
    if needs_transform || needs_defines {
        let mut scoping = SemanticBuilder::new().build(&program).semantic.into_scoping();
        if needs_transform {
            let transformed = Transformer::new(&allocator, path, &TransformOptions::default())
                .build_with_scoping(scoping, &mut program);
            if transformed.diagnostics.iter().any(|d| d.severity == oxc::diagnostics::Severity::Error) {
                return Err("cannot lower TypeScript/JSX".to_string());
            }
            scoping = transformed.scoping;
        }
        let defines: Vec<(&str, &str)> = PRODUCTION_DEFINES
            .iter()
            .copied()
            .chain(folded.iter().map(|(name, text)| (name.as_str(), text.as_str())))
            .collect();
        if needs_defines && let Ok(config) = ReplaceGlobalDefinesConfig::new(&defines) {
            let _ = ReplaceGlobalDefines::new(&allocator, config).build(scoping, &mut program);
        }
    }
    // Bundlers drop module-level directives (`'use client'`, `'use strict'` in ESM) when they concatenate.
    if program.source_type.is_module() {
        program.directives.clear();
    }
    // Imports stay until printing: a binding the minifier knows is an import is safe to drop when unused,
    // while an unknown global (`class A extends Imported`) would have to be kept.
    if let Some(used) = used {
        unexport_unused(&allocator, &mut program, used);
    }
    match output {
        Output::Plain | Output::ForSwc => {
            program.body.retain(|s| {
                !matches!(s, Statement::ExportFromDeclaration(_) | Statement::ExportAllDeclaration(_))
            });
            Ok(Codegen::new().build(&program).code)
        }
        Output::OxcMinified => {
            export_declarations_as_list(&allocator, &mut program);
            let options = MinifierOptions {
                mangle: Some(MangleOptions { top_level: Some(true), ..MangleOptions::default() }),
                // The second pass of the fixed-point loop finds almost nothing (three.core.js: 376,731 B
                // after one, 376,662 B after all) and costs as much as the first.
                compress: Some(CompressOptions { max_iterations: Some(1), ..CompressOptions::smallest() }),
                ..MinifierOptions::default()
            };
            let ret = Minifier::new(options).minify(&allocator, &mut program);
            // Private members (`#commit_callbacks`) are mangled too, as Rolldown prints them (`#e`).
            Ok(Codegen::new()
                .with_options(CodegenOptions::minify())
                .with_scoping(ret.scoping)
                .with_private_member_mappings(ret.class_private_mappings)
                .build(&program)
                .code)
        }
    }
}

/// Takes `export` off declarations and specifiers whose names nobody imports, so the minifier removes them
/// when they are unused inside the module too: tree-shaking within a module, as bundlers do.
fn unexport_unused<'a>(
    allocator: &'a Allocator,
    program: &mut oxc::ast::ast::Program<'a>,
    used: &BTreeSet<String>,
) {
    use oxc::allocator::TakeIn;
    use oxc::ast::ast::{Declaration, ExportDefaultDeclarationKind};
    let builder = AstBuilder::new(allocator);
    for statement in program.body.iter_mut() {
        match statement {
            Statement::ExportDeclaration(export) => {
                let names = declared_names(&export.declaration);
                if !names.iter().any(|n| used.contains(n)) {
                    let declaration: Declaration = export.declaration.take_in(&builder);
                    *statement = Statement::from(declaration);
                }
            }
            Statement::ExportDefaultDeclaration(export) if !used.contains("default") => {
                let span = export.span;
                let replacement = match export.declaration.take_in(&builder) {
                    ExportDefaultDeclarationKind::FunctionDeclaration(f) if f.id.is_some() => {
                        Statement::FunctionDeclaration(f)
                    }
                    ExportDefaultDeclarationKind::ClassDeclaration(c) if c.id.is_some() => {
                        Statement::ClassDeclaration(c)
                    }
                    ExportDefaultDeclarationKind::FunctionDeclaration(_)
                    | ExportDefaultDeclarationKind::ClassDeclaration(_) => {
                        Statement::new_empty_statement(span, &builder)
                    }
                    other if other.is_expression() => {
                        Statement::new_expression_statement(span, other.into_expression(), &builder)
                    }
                    _ => Statement::new_empty_statement(span, &builder),
                };
                *statement = replacement;
            }
            Statement::ExportNamedDeclaration(export) => {
                export.specifiers.retain(|s| used.contains(s.exported.name().as_str()));
            }
            _ => {}
        }
    }
}

/// Takes the folded import locals out of their import declarations: they are globals for the define pass then.
fn drop_folded_imports(program: &mut oxc::ast::ast::Program, folded: &[(String, String)]) {
    for statement in program.body.iter_mut() {
        let Statement::ImportDeclaration(import) = statement else { continue };
        if let Some(specifiers) = import.specifiers.as_mut() {
            specifiers.retain(|s| !folded.iter().any(|(name, _)| name == s.local().name.as_str()));
        }
    }
}

/// Turns `export const x = …` / `export function f` into the declaration plus one `export { x, f }` at the end.
/// The mangler keeps the names of exported declarations, while a bundler renames them in the chunk's one scope
/// like any other top-level name (only the chunk's own export list, printed elsewhere, says the original names):
/// without this, a runtime made of many small modules (Svelte's) weighs every internal name at full length.
fn export_declarations_as_list<'a>(allocator: &'a Allocator, program: &mut oxc::ast::ast::Program<'a>) {
    use oxc::allocator::TakeIn;
    use oxc::ast::ast::{Declaration, ExportSpecifier, ImportOrExportKind, ModuleExportName};
    let builder = AstBuilder::new(allocator);
    let mut names = Vec::new();
    for statement in program.body.iter_mut() {
        let Statement::ExportDeclaration(export) = statement else { continue };
        let before = names.len();
        match &export.declaration {
            Declaration::VariableDeclaration(v) => {
                for declarator in &v.declarations {
                    names.extend(declarator.id.get_binding_identifiers().into_iter().map(|b| b.name));
                }
            }
            Declaration::FunctionDeclaration(f) => names.extend(f.id.as_ref().map(|id| id.name)),
            Declaration::ClassDeclaration(c) => names.extend(c.id.as_ref().map(|id| id.name)),
            _ => continue,
        }
        if names.len() == before {
            continue;
        }
        let declaration: Declaration = export.declaration.take_in(&builder);
        *statement = Statement::from(declaration);
    }
    if names.is_empty() {
        return;
    }
    let span = oxc::span::Span::default();
    let specifiers = oxc::allocator::Vec::from_iter_in(
        names.into_iter().map(|name| {
            ExportSpecifier::new(
                span,
                ModuleExportName::new_identifier_reference(span, name, &builder),
                ModuleExportName::new_identifier_name(span, name, &builder),
                ImportOrExportKind::Value,
                &builder,
            )
        }),
        &builder,
    );
    program.body.push(Statement::new_export_named_declaration(
        span,
        specifiers,
        ImportOrExportKind::Value,
        &builder,
    ));
}

fn declared_names(declaration: &oxc::ast::ast::Declaration) -> Vec<String> {
    use oxc::ast::ast::Declaration as D;
    match declaration {
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

fn minify_json(source: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(source) {
        Ok(v) => format!("export default {v}"),
        Err(_) => source.to_string(),
    }
}

/// Comments and runs of whitespace out; close enough for weighing CSS, which is rarely the heavy part.
fn minify_css(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    let mut last_space = true;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/*") {
            rest = rest[2..].find("*/").map_or("", |e| &rest[2 + e + 2..]);
            continue;
        }
        if c == '"' || c == '\'' {
            let end = rest[1..].find(c).map_or(rest.len(), |e| e + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            last_space = false;
            continue;
        }
        rest = &rest[c.len_utf8()..];
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        if matches!(c, '{' | '}' | ';' | ':' | ',' | '>') && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
        last_space = matches!(c, '{' | '}' | ';' | ':' | ',' | '>');
    }
    out.replace(";}", "}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oxc_minifies_and_drops_module_syntax() {
        let src = "import { a } from './a';\nexport function longName(value) { return value + a; }\nexport { longName as b };\n";
        let out = minify_module(src, Path::new("x.js"), ModuleKind::Js, MinifierKind::Oxc, None).unwrap();
        assert!(out.len() < src.len(), "{out}");
        assert!(!out.contains("import"), "{out}");
    }

    #[test]
    fn typescript_and_jsx_are_lowered() {
        let src = "type T = { a: number };\nexport const f = (t: T) => <div>{t.a}</div>;\n";
        let out = minify_module(src, Path::new("x.tsx"), ModuleKind::Tsx, MinifierKind::Oxc, None).unwrap();
        assert!(!out.contains("number") && !out.contains("<div>"), "{out}");
    }

    #[test]
    fn swc_minifies_too() {
        let src = "export function longName(value) { const unused = 1; return value * 2; }\n";
        let out = minify_module(src, Path::new("x.js"), ModuleKind::Js, MinifierKind::Swc, None).unwrap();
        assert!(out.len() < src.len() && !out.contains("unused"), "{out}");
    }

    #[test]
    fn css_and_json_shrink() {
        assert_eq!(
            minify_css("a  {\n  color : red ;\n}\n/* x */ b { x: 'a  b' }"),
            "a{color:red}b{x:'a  b'}"
        );
        assert_eq!(minify_json("{ \"a\": [1, 2] }"), "export default {\"a\":[1,2]}");
    }
}

#[cfg(test)]
mod tree_shaking_tests {
    use super::*;

    #[test]
    fn unused_exports_and_dev_branches_disappear() {
        let src = "export function used() { return helper(); }\nfunction helper() { return 1; }\n\
                   export function unusedBigFunction() { return 'a long string that would weigh a lot'; }\n\
                   export class Unused {}\n\
                   if (process.env.NODE_ENV !== 'production') { console.warn('development only message'); }\n";
        let used: BTreeSet<String> = ["used".to_string()].into();
        let out =
            minify_module(src, Path::new("x.js"), ModuleKind::Js, MinifierKind::Oxc, Some(&used)).unwrap();
        assert!(!out.contains("a long string") && !out.contains("development only"), "{out}");
        let all = minify_module(src, Path::new("x.js"), ModuleKind::Js, MinifierKind::Oxc, None).unwrap();
        assert!(all.contains("a long string"), "{all}");
        let swc =
            minify_module(src, Path::new("x.js"), ModuleKind::Js, MinifierKind::Swc, Some(&used)).unwrap();
        assert!(!swc.contains("a long string") && !swc.contains("development only"), "{swc}");
    }
}
