//! Minified size of one module, with the minifier the user's bundler uses. TypeScript and JSX are first
//! lowered to plain JS with oxc's transformer, as every bundler does before minifying.

use std::path::Path;

use ballast_graph::ModuleKind;
use oxc::allocator::Allocator;
use oxc::ast::ast::Statement;
use oxc::codegen::{Codegen, CodegenOptions};
use oxc::minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
use oxc::parser::{ParseOptions, Parser};
use oxc::semantic::SemanticBuilder;
use oxc::span::SourceType;
use oxc::transformer::{TransformOptions, Transformer};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MinifierKind {
    Oxc,
    Swc,
    None,
}

impl MinifierKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MinifierKind::Oxc => "oxc",
            MinifierKind::Swc => "swc",
            MinifierKind::None => "none",
        }
    }
}

/// The code this module contributes to its chunk, minified. `Err` carries the reason when the module
/// could not be minified; the caller then falls back to the raw text.
pub fn minify_module(
    source: &str,
    path: &Path,
    kind: ModuleKind,
    minifier: MinifierKind,
) -> Result<String, String> {
    match kind {
        ModuleKind::Json => Ok(minify_json(source)),
        ModuleKind::Text => Ok(format!("export default {}", serde_json::Value::String(source.to_string()))),
        ModuleKind::Css => {
            Ok(if minifier == MinifierKind::None { source.to_string() } else { minify_css(source) })
        }
        k if k.is_script() => match minifier {
            MinifierKind::None => lower_to_js(source, path, kind, false),
            MinifierKind::Oxc => lower_to_js(source, path, kind, true),
            MinifierKind::Swc => {
                let js = lower_to_js(source, path, kind, false)?;
                crate::minify_swc::minify(&js)
            }
        },
        _ => Ok(String::new()),
    }
}

/// Parses, strips types and JSX, optionally minifies with oxc, and prints. Import declarations are dropped
/// and so are bare `export { … }` lists: a bundler hoists modules into one scope and prints neither.
fn lower_to_js(source: &str, path: &Path, kind: ModuleKind, minify: bool) -> Result<String, String> {
    let allocator = Allocator::default();
    let source_type = match kind {
        ModuleKind::Ts => SourceType::ts(),
        ModuleKind::Tsx => SourceType::tsx(),
        ModuleKind::Jsx => SourceType::jsx(),
        _ => SourceType::mjs().with_jsx(true),
    };
    let options = ParseOptions { allow_return_outside_function: true, ..ParseOptions::default() };
    let mut ret = Parser::new(&allocator, source, source_type).with_options(options).parse();
    if ret.panicked || !ret.diagnostics.is_empty() {
        // Scripts that are not valid modules (`with`, octal literals) still minify as scripts.
        let script = source_type.with_module(false);
        let retry = Parser::new(&allocator, source, script).with_options(options).parse();
        if retry.panicked || !retry.diagnostics.is_empty() {
            let first = ret.diagnostics.first().map(|d| d.message.to_string()).unwrap_or_default();
            return Err(format!("cannot parse for minification: {first}"));
        }
        ret = retry;
    }
    let mut program = ret.program;
    if kind != ModuleKind::Js || source_type.is_jsx() {
        let scoping = SemanticBuilder::new().build(&program).semantic.into_scoping();
        let transformed = Transformer::new(&allocator, path, &TransformOptions::default())
            .build_with_scoping(scoping, &mut program);
        if transformed.diagnostics.iter().any(|d| d.severity == oxc::diagnostics::Severity::Error) {
            return Err("cannot lower TypeScript/JSX".to_string());
        }
    }
    program.body.retain(|s| !matches!(s, Statement::ImportDeclaration(_)));
    if !minify {
        program.body.retain(|s| {
            !matches!(
                s,
                Statement::ExportNamedDeclaration(_)
                    | Statement::ExportFromDeclaration(_)
                    | Statement::ExportAllDeclaration(_)
            )
        });
        return Ok(Codegen::new().build(&program).code);
    }
    let options = MinifierOptions {
        mangle: Some(MangleOptions { top_level: Some(true), ..MangleOptions::default() }),
        compress: Some(CompressOptions::smallest()),
        ..MinifierOptions::default()
    };
    let ret = Minifier::new(options).minify(&allocator, &mut program);
    program.body.retain(|s| {
        !matches!(
            s,
            Statement::ExportNamedDeclaration(_)
                | Statement::ExportFromDeclaration(_)
                | Statement::ExportAllDeclaration(_)
        )
    });
    Ok(Codegen::new().with_options(CodegenOptions::minify()).with_scoping(ret.scoping).build(&program).code)
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
        let out = minify_module(src, Path::new("x.js"), ModuleKind::Js, MinifierKind::Oxc).unwrap();
        assert!(out.len() < src.len(), "{out}");
        assert!(!out.contains("import"), "{out}");
    }

    #[test]
    fn typescript_and_jsx_are_lowered() {
        let src = "type T = { a: number };\nexport const f = (t: T) => <div>{t.a}</div>;\n";
        let out = minify_module(src, Path::new("x.tsx"), ModuleKind::Tsx, MinifierKind::Oxc).unwrap();
        assert!(!out.contains("number") && !out.contains("<div>"), "{out}");
    }

    #[test]
    fn swc_minifies_too() {
        let src = "export function longName(value) { const unused = 1; return value * 2; }\n";
        let out = minify_module(src, Path::new("x.js"), ModuleKind::Js, MinifierKind::Swc).unwrap();
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
