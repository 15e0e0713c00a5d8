//! Whether a top-level statement has side effects, by the rules bundlers tree-shake with: declarations of
//! functions and classes without effectful static parts, literals, `/*#__PURE__*/` calls and calls of
//! `/*@__NO_SIDE_EFFECTS__*/` functions are pure. Calls of imported functions are pure only if the
//! function's own module marks them so: the statement records those callees for the link stage to decide.

use ballast_graph::Effects;
use oxc::ast::ast::{
    Argument, ArrayExpressionElement, AssignmentTarget, BindingPattern, Class, ClassElement, Declaration,
    ExportDefaultDeclarationKind, Expression, ObjectPropertyKind, PropertyKey, Statement,
    VariableDeclaration,
};
use oxc::syntax::operator::UnaryOperator;

use crate::parse::{Constants, condition_value};

/// What a call's callee is, as far as purity goes.
pub enum Callee {
    /// A local `/*@__NO_SIDE_EFFECTS__*/` function.
    Pure,
    /// An imported binding: pure if its declaring module says so.
    Imported,
    Unknown,
}

pub struct Purity<'c> {
    pub callee: &'c dyn Fn(&str) -> Callee,
    imported_callees: Vec<String>,
    constants: Option<&'c Constants>,
    arrays: Option<&'c std::collections::BTreeSet<&'c str>>,
}

impl<'c> Purity<'c> {
    pub fn new(callee: &'c dyn Fn(&str) -> Callee) -> Self {
        Purity { callee, imported_callees: Vec::new(), constants: None, arrays: None }
    }

    /// Top-level bindings made with an array literal: spreading one (`[...DOM_BOOLEAN_ATTRIBUTES, 'value']`)
    /// runs only the built-in array iterator, which Rollup and Rolldown take as pure.
    pub fn with_arrays(mut self, arrays: &'c std::collections::BTreeSet<&'c str>) -> Self {
        self.arrays = Some(arrays);
        self
    }

    /// Conditions on these import locals fold to their known values.
    pub fn with_constants(mut self, constants: &'c Constants) -> Self {
        self.constants = Some(constants);
        self
    }

    fn condition(&self, test: &Expression) -> Option<bool> {
        match self.constants {
            Some(constants) => condition_value(test, constants),
            None => crate::parse::production_value(test),
        }
    }

    pub fn statement(&mut self, statement: &Statement) -> Effects {
        self.imported_callees.clear();
        if self.statement_is_pure(statement) {
            if self.imported_callees.is_empty() {
                Effects::None
            } else {
                let mut callees = std::mem::take(&mut self.imported_callees);
                callees.sort();
                callees.dedup();
                Effects::UnlessPure(callees)
            }
        } else {
            Effects::Always
        }
    }

    fn statement_is_pure(&mut self, statement: &Statement) -> bool {
        match statement {
            Statement::ImportDeclaration(_)
            | Statement::ExportAllDeclaration(_)
            | Statement::ExportFromDeclaration(_)
            | Statement::EmptyStatement(_)
            | Statement::FunctionDeclaration(_)
            | Statement::TSTypeAliasDeclaration(_)
            | Statement::TSInterfaceDeclaration(_)
            | Statement::TSEnumDeclaration(_)
            | Statement::TSExternalModuleDeclaration(_)
            | Statement::TSGlobalDeclaration(_)
            | Statement::TSImportEqualsDeclaration(_)
            | Statement::TSExportAssignment(_)
            | Statement::TSNamespaceExportDeclaration(_) => true,
            Statement::ClassDeclaration(class) => self.class(class),
            Statement::VariableDeclaration(v) => self.variables(v),
            Statement::ExportNamedDeclaration(_) => true,
            Statement::ExportDeclaration(export) => self.declaration(&export.declaration),
            Statement::ExportDefaultDeclaration(export) => match &export.declaration {
                ExportDefaultDeclarationKind::FunctionDeclaration(_) => true,
                ExportDefaultDeclarationKind::ClassDeclaration(class) => self.class(class),
                ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => true,
                other => other.as_expression().is_some_and(|e| self.expression(e)),
            },
            Statement::ExpressionStatement(e) => self.expression(&e.expression),
            Statement::BlockStatement(b) => b.body.iter().all(|s| self.statement_is_pure(s)),
            // Production builds fold `process.env.NODE_ENV` tests: only the live branch counts.
            Statement::IfStatement(i) => match self.condition(&i.test) {
                Some(true) => self.statement_is_pure(&i.consequent),
                Some(false) => i.alternate.as_ref().is_none_or(|a| self.statement_is_pure(a)),
                None => false,
            },
            _ => false,
        }
    }

    fn declaration(&mut self, declaration: &Declaration) -> bool {
        match declaration {
            Declaration::VariableDeclaration(v) => self.variables(v),
            Declaration::ClassDeclaration(class) => self.class(class),
            _ => true,
        }
    }

    fn variables(&mut self, v: &VariableDeclaration) -> bool {
        v.declarations.iter().all(|d| {
            matches!(d.id, BindingPattern::BindingIdentifier(_))
                && d.init.as_ref().is_none_or(|e| self.expression(e))
        })
    }

    fn class(&mut self, class: &Class) -> bool {
        let heritage_pure = class.heritage.as_ref().is_none_or(|h| self.expression(&h.expression));
        heritage_pure
            && class.decorators.is_empty()
            && class.body.body.iter().all(|element| match element {
                ClassElement::StaticBlock(_) => false,
                ClassElement::PropertyDefinition(p) => {
                    p.decorators.is_empty()
                        && self.key(&p.key)
                        && (!p.r#static || p.value.as_ref().is_none_or(|e| self.expression(e)))
                }
                ClassElement::MethodDefinition(m) => m.decorators.is_empty() && self.key(&m.key),
                ClassElement::AccessorProperty(a) => {
                    self.key(&a.key) && (!a.r#static || a.value.as_ref().is_none_or(|e| self.expression(e)))
                }
                ClassElement::TSIndexSignature(_) => true,
            })
    }

    fn key(&mut self, key: &PropertyKey) -> bool {
        match key {
            PropertyKey::StaticIdentifier(_) | PropertyKey::PrivateIdentifier(_) => true,
            other => other.as_expression().is_some_and(|e| self.expression(e)),
        }
    }

    fn arguments(&mut self, arguments: &[Argument]) -> bool {
        arguments.iter().all(|a| a.as_expression().is_some_and(|e| self.expression(e)))
    }

    /// Expressions a bundler may drop when their value is unused.
    pub fn expression(&mut self, expr: &Expression) -> bool {
        match expr {
            Expression::BooleanLiteral(_)
            | Expression::NullLiteral(_)
            | Expression::NumericLiteral(_)
            | Expression::BigIntLiteral(_)
            | Expression::RegExpLiteral(_)
            | Expression::StringLiteral(_)
            | Expression::Identifier(_)
            | Expression::FunctionExpression(_)
            | Expression::ArrowFunctionExpression(_)
            | Expression::ThisExpression(_)
            | Expression::ImportMeta(_) => true,
            Expression::TemplateLiteral(t) => t.expressions.iter().all(|e| self.expression(e)),
            Expression::ParenthesizedExpression(p) => self.expression(&p.expression),
            Expression::TSAsExpression(t) => self.expression(&t.expression),
            Expression::TSSatisfiesExpression(t) => self.expression(&t.expression),
            Expression::TSNonNullExpression(t) => self.expression(&t.expression),
            Expression::TSTypeAssertion(t) => self.expression(&t.expression),
            Expression::ClassExpression(c) => self.class(c),
            Expression::UnaryExpression(u) => {
                u.operator != UnaryOperator::Delete && self.expression(&u.argument)
            }
            Expression::LogicalExpression(l) => {
                use oxc::syntax::operator::LogicalOperator as L;
                match (l.operator, self.condition(&l.left)) {
                    (L::And, Some(false)) | (L::Or, Some(true)) => true,
                    _ => self.expression(&l.left) && self.expression(&l.right),
                }
            }
            Expression::ConditionalExpression(c) => match self.condition(&c.test) {
                Some(true) => self.expression(&c.consequent),
                Some(false) => self.expression(&c.alternate),
                None => {
                    self.expression(&c.test)
                        && self.expression(&c.consequent)
                        && self.expression(&c.alternate)
                }
            },
            Expression::BinaryExpression(b) => {
                use oxc::syntax::operator::BinaryOperator as B;
                // `in` and `instanceof` can throw; comparisons of primitives cannot.
                !matches!(b.operator, B::In | B::Instanceof)
                    && self.expression(&b.left)
                    && self.expression(&b.right)
            }
            Expression::SequenceExpression(s) => s.expressions.iter().all(|e| self.expression(e)),
            Expression::StaticMemberExpression(m) => is_env_read(&m.object) || self.expression(&m.object),
            Expression::ArrayExpression(a) => a.elements.iter().all(|e| match e {
                ArrayExpressionElement::SpreadElement(s) => match (&s.argument, self.arrays) {
                    (Expression::Identifier(id), Some(arrays)) => arrays.contains(id.name.as_str()),
                    _ => false,
                },
                ArrayExpressionElement::Elision(_) => true,
                other => other.as_expression().is_some_and(|e| self.expression(e)),
            }),
            Expression::ObjectExpression(o) => o.properties.iter().all(|p| match p {
                ObjectPropertyKind::ObjectProperty(p) => self.key(&p.key) && self.expression(&p.value),
                ObjectPropertyKind::SpreadProperty(_) => false,
            }),
            Expression::CallExpression(c) => {
                let callee_pure =
                    c.pure || self.is_global(&c.callee, PURE_GLOBAL_CALLS) || self.callee_is_pure(&c.callee);
                callee_pure && self.arguments(&c.arguments)
            }
            Expression::NewExpression(n) => {
                let callee_pure = n.pure
                    || self.is_global(&n.callee, PURE_GLOBAL_CONSTRUCTORS)
                    || self.callee_is_pure(&n.callee);
                callee_pure && self.arguments(&n.arguments)
            }
            _ => false,
        }
    }

    /// One of `names`, not an import (a local of that name is not told apart, as in most code there is none).
    fn is_global(&self, callee: &Expression, names: &[&str]) -> bool {
        let Expression::Identifier(id) = callee.without_parentheses() else { return false };
        names.contains(&id.name.as_str()) && matches!((self.callee)(id.name.as_str()), Callee::Unknown)
    }

    fn callee_is_pure(&mut self, callee: &Expression) -> bool {
        let Expression::Identifier(id) = callee.without_parentheses() else { return false };
        match (self.callee)(id.name.as_str()) {
            Callee::Pure => true,
            Callee::Imported => {
                self.imported_callees.push(id.name.to_string());
                true
            }
            Callee::Unknown => false,
        }
    }
}

/// Built-in constructors Rollup and Rolldown know to have no side effects of their own (`new Map()`,
/// `static entries = new WeakMap()`): only their arguments are judged.
const PURE_GLOBAL_CONSTRUCTORS: &[&str] = &["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Array", "Object"];
/// Built-in functions likewise pure to call.
const PURE_GLOBAL_CALLS: &[&str] = &["Symbol"];

/// Whether a CommonJS module's top level does nothing but define its exports, as Rollup's CommonJS plugin
/// turns it into an ES module it can judge: declarations with pure values, `require` calls (the required
/// module's own effects are its own), and `module.exports = …` / `exports.x = …` / `module.exports.x = …`
/// assignments of pure values, `Object.defineProperty(exports, '__esModule', …)` included.
pub fn commonjs_is_pure(program: &oxc::ast::ast::Program) -> bool {
    let unknown = |_: &str| Callee::Unknown;
    let mut purity = Purity::new(&unknown);
    let pure_value = |purity: &mut Purity, e: &Expression| is_require(e) || purity.expression(e);
    program.body.iter().all(|statement| match statement {
        Statement::ExpressionStatement(s) => match &s.expression {
            Expression::AssignmentExpression(a) => {
                is_exports_target(&a.left, &mut purity) && pure_value(&mut purity, &a.right)
            }
            Expression::CallExpression(c) if is_es_module_flag(c) => true,
            other => purity.expression(other),
        },
        // Plain names only: destructuring runs getters and can throw.
        Statement::VariableDeclaration(v) => v.declarations.iter().all(|d| {
            matches!(d.id, BindingPattern::BindingIdentifier(_))
                && d.init.as_ref().is_none_or(|e| pure_value(&mut purity, e))
        }),
        other => purity.statement_is_pure(other),
    })
}

/// `require('literal')`: what it loads runs as its own module.
fn is_require(e: &Expression) -> bool {
    matches!(e.without_parentheses(), Expression::CallExpression(c)
        if c.callee.is_specific_id("require")
            && c.arguments.len() == 1
            && matches!(c.arguments[0].as_expression(), Some(Expression::StringLiteral(_))))
}

fn is_exports_object(e: &Expression) -> bool {
    match e {
        Expression::StaticMemberExpression(m) => is_module_exports(&m.object, &m.property.name),
        other => other.is_specific_id("exports"),
    }
}

/// `module.exports`, as an object and property.
fn is_module_exports(object: &Expression, property: &str) -> bool {
    property == "exports" && object.is_specific_id("module")
}

fn is_exports_target(target: &AssignmentTarget, purity: &mut Purity) -> bool {
    match target {
        AssignmentTarget::StaticMemberExpression(m) => {
            is_exports_object(&m.object) || is_module_exports(&m.object, &m.property.name)
        }
        AssignmentTarget::ComputedMemberExpression(m) => {
            is_exports_object(&m.object) && purity.expression(&m.expression)
        }
        _ => false,
    }
}

/// `Object.defineProperty(exports, '__esModule', { value: true })`, exactly.
fn is_es_module_flag(c: &oxc::ast::ast::CallExpression) -> bool {
    let callee = matches!(&c.callee, Expression::StaticMemberExpression(m)
        if m.property.name == "defineProperty" && m.object.is_specific_id("Object"));
    let target = c.arguments.first().and_then(|a| a.as_expression()).is_some_and(is_exports_object);
    let flag = matches!(c.arguments.get(1).and_then(|a| a.as_expression()),
        Some(Expression::StringLiteral(s)) if s.value == "__esModule");
    let descriptor = matches!(c.arguments.get(2).and_then(|a| a.as_expression()),
        Some(Expression::ObjectExpression(o)) if o.properties.len() == 1 && matches!(&o.properties[0],
            ObjectPropertyKind::ObjectProperty(p) if matches!(&p.key, PropertyKey::StaticIdentifier(k) if k.name == "value")
                && matches!(&p.value, Expression::BooleanLiteral(b) if b.value)));
    callee && target && flag && descriptor && c.arguments.len() == 3
}

/// `process.env` or `import.meta.env`: replaced by literals in a production build.
fn is_env_read(object: &Expression) -> bool {
    match object {
        Expression::StaticMemberExpression(m) => {
            m.property.name == "env"
                && (m.object.is_specific_id("process") || matches!(m.object, Expression::ImportMeta(_)))
        }
        _ => false,
    }
}

/// `X.a = v` or `X.a.b = v` at top level, with a pure `v`: the local binding it decorates.
pub fn augmented_binding<'s>(statement: &'s Statement, purity: &mut Purity) -> Option<&'s str> {
    let Statement::ExpressionStatement(e) = statement else { return None };
    let Expression::AssignmentExpression(assign) = &e.expression else { return None };
    if !assign.operator.is_assign() || !purity.expression(&assign.right) {
        return None;
    }
    let AssignmentTarget::StaticMemberExpression(member) = &assign.left else { return None };
    let mut object = &member.object;
    while let Expression::StaticMemberExpression(inner) = object {
        object = &inner.object;
    }
    match object {
        Expression::Identifier(id) => Some(id.name.as_str()),
        _ => None,
    }
}

/// `x = v`, or `if (test) { x = v }`, at top level with a pure `v` and `test`: the binding it writes. Rollup and
/// Rolldown drop the write with the binding when nothing reads it (Svelte's
/// `if (typeof HTMLElement === 'function') SvelteElement = class extends HTMLElement { … }`).
pub fn written_binding<'s>(statement: &'s Statement, purity: &mut Purity) -> Option<&'s str> {
    match statement {
        Statement::ExpressionStatement(e) => {
            let Expression::AssignmentExpression(assign) = &e.expression else { return None };
            let AssignmentTarget::AssignmentTargetIdentifier(id) = &assign.left else { return None };
            (assign.operator.is_assign() && purity.expression(&assign.right)).then_some(id.name.as_str())
        }
        Statement::BlockStatement(b) if b.body.len() == 1 => written_binding(&b.body[0], purity),
        Statement::IfStatement(i) if i.alternate.is_none() => {
            if !purity.expression(&i.test) {
                return None;
            }
            written_binding(&i.consequent, purity)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use oxc::allocator::Allocator;
    use oxc::parser::Parser;
    use oxc::span::SourceType;

    use super::*;

    fn effects(src: &str) -> Vec<Effects> {
        let allocator = Allocator::default();
        let program = Parser::new(&allocator, src, SourceType::mjs()).parse().program;
        let callee = |name: &str| match name {
            "pureFn" => Callee::Pure,
            "imported" => Callee::Imported,
            _ => Callee::Unknown,
        };
        let mut purity = Purity::new(&callee);
        program.body.iter().map(|s| purity.statement(s)).collect()
    }

    fn commonjs_pure(src: &str) -> bool {
        let allocator = Allocator::default();
        let program = Parser::new(&allocator, src, SourceType::cjs()).parse().program;
        commonjs_is_pure(&program)
    }

    #[test]
    fn commonjs_that_only_defines_its_exports_is_pure() {
        assert!(commonjs_pure("'use strict';\nfunction f(v) { return v; }\nmodule.exports = f;"));
        assert!(commonjs_pure(
            "Object.defineProperty(exports, '__esModule', { value: true });\nconst dep = require('./dep');\n\
             exports.a = function () { return dep; };\nmodule.exports.b = 1;\nexports['c'] = 'c';"
        ));
        // A UMD factory call, a global write, a call of anything else: the module runs code.
        assert!(!commonjs_pure(
            "(function (g, f) { module.exports = f(); })(this, function () { return 1; });"
        ));
        assert!(!commonjs_pure("window.x = 1;\nmodule.exports = {};"));
        assert!(!commonjs_pure("module.exports = create();"));
        assert!(!commonjs_pure("exports.a = 1;\nsetup();"));
        assert!(!commonjs_pure("exports[register()] = 1;"));
        assert!(!commonjs_pure("Object.defineProperty(exports, '__esModule', { value: init() });"));
        assert!(!commonjs_pure("Object.defineProperty(exports, '__esModule', { get: f });"));
        assert!(!commonjs_pure("const { a } = require('x');\nmodule.exports = a;"));
        assert!(!commonjs_pure("const x = require(resolvePath());\nmodule.exports = x;"));
    }

    #[test]
    fn statements_are_judged_as_bundlers_do() {
        let got = effects(
            "class A { static make() { return new A(); } }\nclass B extends A { static x = f(); }\n\
             const tmp = /*@__PURE__*/ new B();\nconst p = pureFn(1);\nconst q = imported();\nconsole.log(1);\n\
             export const env = process.env.NODE_ENV === 'production' ? 1 : 2;\n",
        );
        assert_eq!(
            got,
            vec![
                Effects::None,
                Effects::Always,
                Effects::None,
                Effects::None,
                Effects::UnlessPure(vec!["imported".to_string()]),
                Effects::Always,
                Effects::None,
            ]
        );
    }
}
