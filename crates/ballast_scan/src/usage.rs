//! When each identifier of a module is read, for split advice: while the module runs, inside a function
//! body, stored for later (route tables, props), or only later (event handlers, timers, promise callbacks,
//! branches behind a debug flag, URL parameter or feature flag).

use std::collections::HashMap;

use ballast_graph::Usage;
use oxc::ast::ast::*;
use oxc::ast_visit::{Visit, walk};
use oxc::span::GetSpan;
use oxc::syntax::scope::ScopeFlags;

/// Calls whose function arguments run later, not while the caller runs.
const DEFERRING_CALLS: [&str; 12] = [
    "addEventListener",
    "then",
    "catch",
    "finally",
    "setTimeout",
    "setInterval",
    "requestAnimationFrame",
    "requestIdleCallback",
    "queueMicrotask",
    "subscribe",
    "on",
    "once",
];

/// Words in a condition that make it a runtime switch worth loading code behind.
const RUNTIME_SWITCHES: [&str; 12] = [
    "location",
    "URLSearchParams",
    "localStorage",
    "sessionStorage",
    "debug",
    "Debug",
    "DEBUG",
    "flag",
    "Flag",
    "feature",
    "Feature",
    "experiment",
];

/// Usage of each identifier reference, by the byte offset where it starts.
pub fn usages(program: &Program, source: &str) -> HashMap<u32, Usage> {
    let mut visitor = Usages { source, stack: vec![Usage::Eager], out: HashMap::new() };
    visitor.visit_program(program);
    visitor.out
}

struct Usages<'s> {
    source: &'s str,
    stack: Vec<Usage>,
    out: HashMap<u32, Usage>,
}

impl Usages<'_> {
    fn current(&self) -> Usage {
        self.stack.last().copied().unwrap_or(Usage::Eager)
    }

    /// Runs `f` with `usage`, unless what is already in force defers more.
    fn with(&mut self, usage: Usage, f: impl FnOnce(&mut Self)) {
        let usage = usage.max(self.current());
        self.stack.push(usage);
        f(self);
        self.stack.pop();
    }

    fn is_runtime_switch(&self, test: &Expression) -> bool {
        let span = test.span();
        let text = self.source.get(span.start as usize..span.end as usize).unwrap_or("");
        RUNTIME_SWITCHES.iter().any(|w| text.contains(w))
            || (text.contains("import.meta.env.VITE_")
                || text.contains("process.env.") && !text.contains("NODE_ENV"))
    }
}

fn callee_name<'a>(callee: &'a Expression) -> Option<&'a str> {
    match callee.without_parentheses() {
        Expression::Identifier(id) => Some(id.name.as_str()),
        Expression::StaticMemberExpression(m) => Some(m.property.name.as_str()),
        _ => None,
    }
}

impl<'a> Visit<'a> for Usages<'_> {
    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        let usage = self.current();
        self.out.insert(it.span.start, usage);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.with(Usage::Body, |v| walk::walk_function(v, it, flags));
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.with(Usage::Body, |v| walk::walk_arrow_function_expression(v, it));
    }

    fn visit_class_body(&mut self, it: &ClassBody<'a>) {
        self.with(Usage::Body, |v| walk::walk_class_body(v, it));
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if callee_name(&it.callee).is_some_and(|n| DEFERRING_CALLS.contains(&n)) {
            self.visit_expression(&it.callee);
            self.with(Usage::Deferred, |v| {
                for argument in &it.arguments {
                    v.visit_argument(argument);
                }
            });
        } else {
            walk::walk_call_expression(self, it);
        }
    }

    fn visit_object_property(&mut self, it: &ObjectProperty<'a>) {
        if it.computed {
            self.visit_property_key(&it.key);
        }
        let name = it.key.static_name();
        let handler = name.as_deref().is_some_and(is_handler_name);
        match &it.value {
            Expression::Identifier(_) | Expression::JSXElement(_) => {
                self.with(if handler { Usage::Deferred } else { Usage::Stored }, |v| {
                    v.visit_expression(&it.value)
                });
            }
            _ if handler => self.with(Usage::Deferred, |v| v.visit_expression(&it.value)),
            _ => self.visit_expression(&it.value),
        }
    }

    fn visit_array_expression_element(&mut self, it: &ArrayExpressionElement<'a>) {
        match it {
            ArrayExpressionElement::Identifier(_) => {
                self.with(Usage::Stored, |v| walk::walk_array_expression_element(v, it))
            }
            _ => walk::walk_array_expression_element(self, it),
        }
    }

    fn visit_jsx_attribute(&mut self, it: &JSXAttribute<'a>) {
        let handler = match &it.name {
            JSXAttributeName::Identifier(id) => is_handler_name(id.name.as_str()),
            JSXAttributeName::NamespacedName(_) => false,
        };
        let usage = match &it.value {
            _ if handler => Usage::Deferred,
            Some(JSXAttributeValue::Element(_)) => Usage::Stored,
            Some(JSXAttributeValue::ExpressionContainer(c))
                if matches!(c.expression, JSXExpression::JSXElement(_)) =>
            {
                Usage::Stored
            }
            _ => Usage::Eager,
        };
        self.with(usage, |v| walk::walk_jsx_attribute(v, it));
    }

    fn visit_if_statement(&mut self, it: &IfStatement<'a>) {
        if self.is_runtime_switch(&it.test) {
            self.visit_expression(&it.test);
            self.with(Usage::Deferred, |v| {
                v.visit_statement(&it.consequent);
                if let Some(alternate) = &it.alternate {
                    v.visit_statement(alternate);
                }
            });
        } else {
            walk::walk_if_statement(self, it);
        }
    }

    fn visit_conditional_expression(&mut self, it: &ConditionalExpression<'a>) {
        if self.is_runtime_switch(&it.test) {
            self.visit_expression(&it.test);
            self.with(Usage::Deferred, |v| {
                v.visit_expression(&it.consequent);
                v.visit_expression(&it.alternate);
            });
        } else {
            walk::walk_conditional_expression(self, it);
        }
    }

    fn visit_logical_expression(&mut self, it: &LogicalExpression<'a>) {
        if self.is_runtime_switch(&it.left) {
            self.visit_expression(&it.left);
            self.with(Usage::Deferred, |v| v.visit_expression(&it.right));
        } else {
            walk::walk_logical_expression(self, it);
        }
    }
}

/// `onClick`, `onSubmit`: what React and DOM handler props are called.
fn is_handler_name(name: &str) -> bool {
    name.strip_prefix("on").is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
}
