//! Tree-shaking inside one module, at the level of top-level statements: a declaration whose definition has
//! no side effects (a function, a class, `const x = /*@__PURE__*/ f()`) stays only when something that must
//! stay (an export, a statement with effects) reaches it. The minifier's own dead-code removal keeps any
//! class that mentions itself in its body, which libraries like three.js do everywhere.

use oxc::allocator::Allocator;
use oxc::ast::ast::{
    ArrayExpressionElement, BindingPattern, ClassElement, Declaration, Expression, ObjectPropertyKind,
    Program, PropertyKey, Statement,
};
use oxc::semantic::SemanticBuilder;
use oxc::span::GetSpan;

pub fn remove_unreachable_declarations<'a>(_allocator: &'a Allocator, program: &mut Program<'a>) {
    let spans: Vec<(u32, u32)> = program.body.iter().map(|s| (s.span().start, s.span().end)).collect();
    if spans.len() < 2 {
        return;
    }
    let locate = |pos: u32| -> Option<usize> {
        let i = spans.partition_point(|&(start, _)| start <= pos).checked_sub(1)?;
        (pos < spans[i].1).then_some(i)
    };
    let candidate: Vec<bool> = program.body.iter().map(is_pure_definition).collect();
    let mut needs: Vec<Vec<usize>> = vec![Vec::new(); spans.len()];
    {
        let semantic = SemanticBuilder::new().with_build_nodes(true).build(program).semantic;
        let scoping = semantic.scoping();
        let nodes = semantic.nodes();
        for symbol in scoping.get_bindings(scoping.root_scope_id()).values().copied() {
            let Some(declared_in) = locate(scoping.symbol_span(symbol).start) else { continue };
            for &reference in scoping.get_resolved_reference_ids(symbol) {
                let node = scoping.get_reference(reference).node_id();
                if let Some(user) = locate(nodes.get_node(node).span().start)
                    && user != declared_in
                {
                    needs[user].push(declared_in);
                }
            }
        }
    }
    let mut keep: Vec<bool> = candidate.iter().map(|c| !c).collect();
    let mut stack: Vec<usize> = (0..spans.len()).filter(|&i| keep[i]).collect();
    while let Some(i) = stack.pop() {
        for &j in &needs[i] {
            if !keep[j] {
                keep[j] = true;
                stack.push(j);
            }
        }
    }
    let mut index = 0;
    program.body.retain(|_| {
        let kept = keep[index];
        index += 1;
        kept
    });
}

fn is_pure_definition(statement: &Statement) -> bool {
    match statement {
        Statement::FunctionDeclaration(_) => true,
        Statement::ClassDeclaration(class) => class_is_pure(class),
        Statement::VariableDeclaration(v) => v.declarations.iter().all(|d| {
            matches!(d.id, BindingPattern::BindingIdentifier(_)) && d.init.as_ref().is_none_or(is_pure)
        }),
        _ => statement.as_declaration().is_some_and(|d| {
            matches!(d, Declaration::TSTypeAliasDeclaration(_) | Declaration::TSInterfaceDeclaration(_))
        }),
    }
}

fn class_is_pure(class: &oxc::ast::ast::Class) -> bool {
    let heritage_pure =
        class.heritage.as_ref().is_none_or(|h| matches!(h.expression, Expression::Identifier(_)));
    heritage_pure
        && class.body.body.iter().all(|element| match element {
            ClassElement::StaticBlock(_) => false,
            ClassElement::PropertyDefinition(p) => {
                key_is_pure(&p.key) && (!p.r#static || p.value.as_ref().is_none_or(is_pure))
            }
            ClassElement::MethodDefinition(m) => key_is_pure(&m.key),
            ClassElement::AccessorProperty(a) => {
                key_is_pure(&a.key) && (!a.r#static || a.value.as_ref().is_none_or(is_pure))
            }
            ClassElement::TSIndexSignature(_) => true,
        })
}

fn key_is_pure(key: &PropertyKey) -> bool {
    match key {
        PropertyKey::StaticIdentifier(_) | PropertyKey::PrivateIdentifier(_) => true,
        other => other.as_expression().is_some_and(is_pure),
    }
}

/// Expressions a bundler may drop when their value is unused.
fn is_pure(expr: &Expression) -> bool {
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
        | Expression::ThisExpression(_) => true,
        Expression::TemplateLiteral(t) => t.expressions.iter().all(is_pure),
        Expression::ParenthesizedExpression(p) => is_pure(&p.expression),
        Expression::ClassExpression(c) => class_is_pure(c),
        Expression::UnaryExpression(u) => {
            u.operator != oxc::syntax::operator::UnaryOperator::Delete && is_pure(&u.argument)
        }
        Expression::StaticMemberExpression(m) => is_pure(&m.object),
        Expression::ArrayExpression(a) => a.elements.iter().all(|e| match e {
            ArrayExpressionElement::SpreadElement(_) => false,
            ArrayExpressionElement::Elision(_) => true,
            other => other.as_expression().is_some_and(is_pure),
        }),
        Expression::ObjectExpression(o) => o.properties.iter().all(|p| match p {
            ObjectPropertyKind::ObjectProperty(p) => key_is_pure(&p.key) && is_pure(&p.value),
            ObjectPropertyKind::SpreadProperty(_) => false,
        }),
        Expression::CallExpression(c) => {
            c.pure && c.arguments.iter().all(|a| a.as_expression().is_some_and(is_pure))
        }
        Expression::NewExpression(n) => {
            n.pure && n.arguments.iter().all(|a| a.as_expression().is_some_and(is_pure))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use oxc::codegen::Codegen;
    use oxc::parser::Parser;
    use oxc::span::SourceType;

    use super::*;

    #[test]
    fn self_referencing_classes_go_when_unreachable() {
        let src = "class A { static make() { return new A(); } }\nclass B extends A {}\nclass Kept { m() { return new Kept(); } }\n\
                   const tmp = /*@__PURE__*/ new B();\nconst used = new Kept();\nA.prototype.x = 1;\nexport { used };\n";
        let allocator = Allocator::default();
        let mut program = Parser::new(&allocator, src, SourceType::mjs()).parse().program;
        remove_unreachable_declarations(&allocator, &mut program);
        let out = Codegen::new().build(&program).code;
        assert!(!out.contains("class B") && !out.contains("tmp"), "{out}");
        // `A.prototype.x = 1` has effects and mentions A, so A stays; Kept is used by `used`.
        assert!(out.contains("class A") && out.contains("class Kept"), "{out}");
    }
}
