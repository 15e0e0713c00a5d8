//! The literal parts of a `vite.config.*` that decide what gets bundled: `root`, `resolve.alias` and
//! `build.rollupOptions.input` (or `rolldownOptions`). Parsed with oxc, never executed.

use std::path::{Path, PathBuf};

use ballast_common::{Diagnostic, DiagnosticCode, relative_path};
use oxc::allocator::Allocator;
use oxc::ast::ast::*;
use oxc::parser::Parser;
use oxc::span::SourceType;

use crate::facts::{line_column, line_starts};

pub const VITE_CONFIG_NAMES: [&str; 6] = [
    "vite.config.ts",
    "vite.config.mts",
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.cts",
    "vite.config.cjs",
];

#[derive(Debug, Default)]
pub struct ViteConfig {
    pub file: PathBuf,
    pub root: Option<PathBuf>,
    pub aliases: Vec<(String, String)>,
    /// `(name, absolute path)`; the name is the key of an object-form `input`.
    pub inputs: Vec<(Option<String>, PathBuf)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every field that decides the bundle was read as a literal: no need to ask Vite (the Node helper).
    pub complete: bool,
    /// The output options group modules into chunks (`manualChunks`, `codeSplitting`, `advancedChunks`): only the
    /// project's Vite can say, per module, what that code decides.
    pub chunking: bool,
}

pub fn find_vite_config(dir: &Path) -> Option<PathBuf> {
    VITE_CONFIG_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

pub fn read_vite_config(file: &Path, project_root: &Path) -> ViteConfig {
    let mut config = ViteConfig { file: file.to_path_buf(), ..ViteConfig::default() };
    let Ok(source) = std::fs::read_to_string(file) else { return config };
    let dir = file.parent().unwrap_or(project_root).to_path_buf();
    let allocator = Allocator::default();
    let st = SourceType::from_path(file).unwrap_or_else(|_| SourceType::ts());
    let ret = Parser::new(&allocator, &source, st).parse();
    let starts = line_starts(&source);
    let rel = relative_path(project_root, file);
    let mut reader = Reader { dir: &dir, source: &source, starts: &starts, file: &rel, config: &mut config };
    match exported_object(&ret.program) {
        Some(object) => {
            reader.config.complete = true;
            reader.read_top(object);
        }
        None => reader.config.complete = false,
    }
    config
}

/// `export default {…}`, `export default defineConfig({…})`, `defineConfig(() => ({…}))`, or
/// `module.exports = …` of the same shapes.
fn exported_object<'a, 'b>(program: &'b Program<'a>) -> Option<&'b ObjectExpression<'a>> {
    for statement in &program.body {
        let expr = match statement {
            Statement::ExportDefaultDeclaration(d) => d.declaration.as_expression(),
            Statement::ExpressionStatement(e) => match &e.expression {
                Expression::AssignmentExpression(a) => Some(&a.right),
                _ => None,
            },
            _ => None,
        };
        if let Some(obj) = expr.and_then(unwrap_config) {
            return Some(obj);
        }
    }
    None
}

fn unwrap_config<'a, 'b>(expr: &'b Expression<'a>) -> Option<&'b ObjectExpression<'a>> {
    match expr.without_parentheses() {
        Expression::ObjectExpression(o) => Some(o),
        Expression::CallExpression(c) => c.arguments.first()?.as_expression().and_then(unwrap_config),
        Expression::ArrowFunctionExpression(f) => match &f.body {
            ArrowFunctionBody::FunctionBody(body) => body.statements.iter().find_map(|s| match s {
                Statement::ReturnStatement(r) => r.argument.as_ref().and_then(unwrap_config),
                _ => None,
            }),
            body => body.as_expression().and_then(unwrap_config),
        },
        Expression::FunctionExpression(f) => f.body.as_ref()?.statements.iter().find_map(|s| match s {
            Statement::ReturnStatement(r) => r.argument.as_ref().and_then(unwrap_config),
            _ => None,
        }),
        _ => None,
    }
}

fn property<'a, 'b>(object: &'b ObjectExpression<'a>, name: &str) -> Option<&'b Expression<'a>> {
    object.properties.iter().find_map(|p| match p {
        ObjectPropertyKind::ObjectProperty(p) if p.key.is_specific_static_name(name) => Some(&p.value),
        _ => None,
    })
}

fn object<'a, 'b>(expr: Option<&'b Expression<'a>>) -> Option<&'b ObjectExpression<'a>> {
    match expr?.without_parentheses() {
        Expression::ObjectExpression(o) => Some(o),
        _ => None,
    }
}

struct Reader<'r> {
    dir: &'r Path,
    source: &'r str,
    starts: &'r [u32],
    file: &'r str,
    config: &'r mut ViteConfig,
}

impl Reader<'_> {
    fn read_top(&mut self, top: &ObjectExpression) {
        // A spread (`...shared`) or a non-literal `resolve` / `build` may hold anything.
        self.require_plain(top, "the config object");
        // Plugins change the config in their `config` hooks (@vitejs/plugin-vue defines `__VUE_PROD_DEVTOOLS__`,
        // frameworks add resolve conditions), and `define` is not read here: only Vite itself knows the result.
        // No warning: asking the helper is the normal way, the literal reading is the fallback.
        let plugins = property(top, "plugins")
            .is_some_and(|p| !matches!(p, Expression::ArrayExpression(a) if a.elements.is_empty()));
        if plugins || property(top, "define").is_some() {
            self.config.complete = false;
        }
        for key in ["resolve", "build"] {
            if let Some(value) = property(top, key) {
                match object(Some(value)) {
                    Some(o) => self.require_plain(o, key),
                    None => self.not_literal(value, key),
                }
            }
        }
        if let Some(b) = object(property(top, "build")) {
            for key in ["rollupOptions", "rolldownOptions"] {
                if let Some(value) = property(b, key) {
                    match object(Some(value)) {
                        Some(o) => self.require_plain(o, &format!("build.{key}")),
                        None => self.not_literal(value, &format!("build.{key}")),
                    }
                }
            }
        }
        if let Some(root) = property(top, "root") {
            match self.path(root) {
                Some(p) => self.config.root = Some(p),
                None => self.not_literal(root, "root"),
            }
        }
        let root = self.config.root.clone().unwrap_or_else(|| self.dir.to_path_buf());
        if let Some(alias) = object(property(top, "resolve")).and_then(|r| property(r, "alias")) {
            self.read_alias(alias);
        }
        let build = object(property(top, "build"));
        let bundler_options = || {
            build
                .into_iter()
                .flat_map(|b| ["rollupOptions", "rolldownOptions"].map(|k| object(property(b, k))))
        };
        for options in bundler_options().flatten() {
            let outputs: Vec<&Expression> = match property(options, "output").map(|o| o.without_parentheses())
            {
                Some(Expression::ArrayExpression(a)) => {
                    a.elements.iter().filter_map(|e| e.as_expression()).collect()
                }
                Some(o) => vec![o],
                None => Vec::new(),
            };
            for output in outputs.into_iter().filter_map(|o| object(Some(o))) {
                if ["manualChunks", "codeSplitting", "advancedChunks"]
                    .iter()
                    .any(|k| property(output, k).is_some())
                {
                    self.config.chunking = true;
                }
            }
        }
        let input = build.and_then(|b| {
            ["rollupOptions", "rolldownOptions"]
                .iter()
                .find_map(|k| object(property(b, k)))
                .and_then(|o| property(o, "input"))
        });
        if let Some(input) = input {
            self.read_input(input, &root);
        }
    }

    fn read_alias(&mut self, alias: &Expression) {
        match alias.without_parentheses() {
            Expression::ObjectExpression(o) => {
                for p in &o.properties {
                    if let ObjectPropertyKind::ObjectProperty(p) = p
                        && let Some(key) = p.key.static_name()
                    {
                        match self.alias_target(&p.value) {
                            Some(to) => self.config.aliases.push((key.to_string(), to)),
                            None => self.not_literal(&p.value, &format!("resolve.alias['{key}']")),
                        }
                    }
                }
            }
            Expression::ArrayExpression(a) => {
                for element in &a.elements {
                    let Some(entry) = element.as_expression().and_then(|e| object(Some(e))) else { continue };
                    let find = property(entry, "find").and_then(|f| match f {
                        Expression::StringLiteral(s) => Some(s.value.to_string()),
                        _ => None,
                    });
                    let to = property(entry, "replacement").and_then(|r| self.alias_target(r));
                    match (find, to) {
                        (Some(find), Some(to)) => self.config.aliases.push((find, to)),
                        _ => {
                            if let Some(e) = element.as_expression() {
                                self.not_literal(e, "resolve.alias entry");
                            }
                        }
                    }
                }
            }
            other => self.not_literal(other, "resolve.alias"),
        }
    }

    fn read_input(&mut self, input: &Expression, root: &Path) {
        let add = |name: Option<String>, reader: &mut Self, e: &Expression| match reader.path_from(e, root) {
            Some(p) => reader.config.inputs.push((name, p)),
            None => reader.not_literal(e, "build.rollupOptions.input"),
        };
        match input.without_parentheses() {
            Expression::ObjectExpression(o) => {
                for p in &o.properties {
                    if let ObjectPropertyKind::ObjectProperty(p) = p {
                        add(p.key.static_name().map(|n| n.to_string()), self, &p.value);
                    }
                }
            }
            Expression::ArrayExpression(a) => {
                for e in a.elements.iter().filter_map(|e| e.as_expression()) {
                    add(None, self, e);
                }
            }
            other => add(None, self, other),
        }
    }

    fn require_plain(&mut self, object: &ObjectExpression, what: &str) {
        for p in &object.properties {
            if let ObjectPropertyKind::SpreadProperty(spread) = p {
                let what = format!("a spread in {what}");
                self.not_literal(&spread.argument, &what);
            }
        }
    }

    /// An alias replacement: a string stays as written, since Vite substitutes it and then resolves the id
    /// (`'~game': '/src/game'` is `<root>/src/game`, a `/x` id being root-relative first); a computed path
    /// (`path.resolve(__dirname, 'src')`) is evaluated.
    fn alias_target(&self, expr: &Expression) -> Option<String> {
        match expr.without_parentheses() {
            // Vite substitutes the text; `./x` then resolves against the importing file, `/x` the root.
            Expression::StringLiteral(s) => Some(s.value.to_string()),
            other => self.path(other).map(|p| p.to_string_lossy().into_owned()),
        }
    }

    fn path(&self, expr: &Expression) -> Option<PathBuf> {
        self.path_from(expr, self.dir)
    }

    /// Evaluates the few path expressions configs use: literals, `path.resolve(__dirname, …)`,
    /// `fileURLToPath(new URL('./x', import.meta.url))`, `` `${__dirname}/x` ``.
    fn path_from(&self, expr: &Expression, base: &Path) -> Option<PathBuf> {
        match expr.without_parentheses() {
            Expression::StringLiteral(s) => Some(base.join(s.value.as_str())),
            Expression::Identifier(id) if id.name == "__dirname" => Some(self.dir.to_path_buf()),
            Expression::StaticMemberExpression(m)
                if matches!(m.object, Expression::ImportMeta(_)) && m.property.name == "dirname" =>
            {
                Some(self.dir.to_path_buf())
            }
            Expression::TemplateLiteral(t) => {
                let mut text = String::new();
                for (i, q) in t.quasis.iter().enumerate() {
                    text.push_str(q.value.cooked.as_ref()?.as_str());
                    if let Some(e) = t.expressions.get(i) {
                        text.push_str(&self.path_from(e, base)?.to_string_lossy());
                    }
                }
                Some(base.join(text))
            }
            Expression::NewExpression(n) if n.callee.is_specific_id("URL") => {
                let first = n.arguments.first()?.as_expression()?;
                match first {
                    Expression::StringLiteral(s) => Some(self.dir.join(s.value.as_str())),
                    _ => None,
                }
            }
            Expression::CallExpression(c) => {
                let callee = match &c.callee {
                    Expression::Identifier(id) => id.name.as_str(),
                    Expression::StaticMemberExpression(m) => m.property.name.as_str(),
                    _ => return None,
                };
                match callee {
                    "fileURLToPath" => self.path_from(c.arguments.first()?.as_expression()?, base),
                    "cwd" => Some(self.dir.to_path_buf()),
                    "resolve" | "join" => {
                        let mut out = base.to_path_buf();
                        for arg in &c.arguments {
                            let arg = arg.as_expression()?;
                            match arg.without_parentheses() {
                                Expression::StringLiteral(s) => out = out.join(s.value.as_str()),
                                other => out = self.path_from(other, base)?,
                            }
                        }
                        Some(out)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn not_literal(&mut self, expr: &Expression, what: &str) {
        use oxc::span::GetSpan;
        self.config.complete = false;
        let (line, column) = line_column(self.source, self.starts, expr.span().start);
        self.config.diagnostics.push(
            Diagnostic::warning(
                DiagnosticCode::ViteConfigNotLiteral,
                format!("`{what}` in the Vite config is computed; Ballast reads only literal values"),
            )
            .in_file(self.file)
            .at(line, column)
            .with_help(
                "write it as a string or path.resolve(__dirname, '…'), or list the entries in ballast.json",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str) -> ViteConfig {
        let dir = std::env::temp_dir().join(format!("ballast-vite-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(format!("vite.config.{}.js", source.len()));
        std::fs::write(&file, source).expect("write config");
        let config = read_vite_config(&file, &dir);
        let _ = std::fs::remove_file(&file);
        config
    }

    #[test]
    fn plugins_and_define_need_vite_itself() {
        assert!(read("export default { resolve: { alias: { '@': '/src' } } }").complete);
        assert!(read("export default { plugins: [] }").complete);
        assert!(!read("import vue from '@vitejs/plugin-vue'; export default { plugins: [vue()] }").complete);
        assert!(!read("export default { define: { __X__: true } }").complete);
    }
}
