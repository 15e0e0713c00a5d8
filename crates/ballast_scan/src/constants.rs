//! Cross-module constants: an import bound (through re-exports) to another module's literal boolean, such as
//! `import { DEV } from 'esm-env'` where the `production` condition resolves `esm-env/development` to
//! `export default false`. Rollup and Rolldown fold `if (DEV)` there as if `false` were written in place, so the
//! development branches of Svelte's runtime (and what only they call) never ship. The per-file facts cannot know
//! this: once the graph is assembled, the modules that import such a binding have their statements' facts
//! extracted again with the value known, and the minifier is told the values (`LinkFacts::folded`). Rolldown
//! also inlines short numeric constants (`LinkFacts::inlined`).

use std::sync::Arc;

use ballast_common::ModuleIdx;
use ballast_graph::{ImportKind, ImportedNames, LinkFacts, ModuleGraph};
use oxc::allocator::Allocator;
use rayon::prelude::*;

use crate::parse::{Constants, parse_script_with};

/// Import local → the literal text it is inlined as.
type Literals = Vec<(String, String)>;

/// Re-export hops followed from an import to the declaring module.
const MAX_HOPS: usize = 8;

/// `inline_literals`: the bundler also inlines short numeric constants across modules (Rolldown: Svelte's
/// `DERIVED = 2` … `CONNECTED = 512` become literals, their declarations go).
pub fn fold_imported_constants(graph: &mut ModuleGraph, inline_literals: bool) {
    let plans: Vec<(usize, Constants, Literals)> = (0..graph.modules.len())
        .into_par_iter()
        .filter_map(|m| {
            let link = graph.modules[m].link.as_ref()?;
            let mut constants = Constants::new();
            let mut literals = Vec::new();
            for b in link.imports.iter().filter(|b| b.imported != "*") {
                let Some(target) = static_target(graph, m, &b.specifier) else { continue };
                let Some((declaring, local)) = declaration_of(graph, target, &b.imported, 0) else {
                    continue;
                };
                let Some(facts) = graph.modules[declaring].link.as_ref() else { continue };
                if let Some(&(_, value)) = facts.constants.iter().find(|(c, _)| *c == local) {
                    constants.insert(b.local.clone(), value);
                } else if inline_literals
                    && let Some((_, text)) = facts.literals.iter().find(|(c, _)| *c == local)
                {
                    literals.push((b.local.clone(), text.clone()));
                }
            }
            (!constants.is_empty() || !literals.is_empty()).then_some((m, constants, literals))
        })
        .collect();
    let relinked: Vec<(usize, LinkFacts)> = plans
        .into_par_iter()
        .filter_map(|(m, constants, literals)| {
            let module = &graph.modules[m];
            let link = module.link.as_ref()?;
            let mut relinked = LinkFacts::clone(link);
            if !constants.is_empty() {
                let source = module.source.as_deref()?;
                let allocator = Allocator::default();
                let facts = parse_script_with(&allocator, source, &module.abs_path, module.kind, &constants);
                let statements = facts.link?.statements;
                // The same text parsed the same way: only what the constants decide may differ.
                if statements.len() != link.statements.len() {
                    return None;
                }
                relinked.statements = statements;
            }
            // An inlined literal reads nothing of its module.
            for statement in &mut relinked.statements {
                statement.references.retain(|r| !literals.iter().any(|(name, _)| *name == r.name));
                statement.uses.retain(|u| !literals.iter().any(|(name, _)| *name == u.name));
            }
            relinked.folded = constants.into_iter().collect();
            relinked.inlined = literals;
            Some((m, relinked))
        })
        .collect();
    for (m, link) in relinked {
        graph.modules[m].link = Some(Arc::new(link));
    }
}

/// Where module `m`'s static import of `specifier` resolved.
fn static_target(graph: &ModuleGraph, m: usize, specifier: &str) -> Option<usize> {
    graph.modules[m]
        .imports
        .iter()
        .map(|&i| graph.import(i))
        .find(|i| i.kind == ImportKind::Static && i.specifier == specifier)
        .and_then(|i| i.to)
        .map(ModuleIdx::index)
}

/// The module and local binding behind export `name` of module `m`, following `export { a as b } from` and
/// `import { a } … export { a }`; `None` past `MAX_HOPS` or through `export *`.
fn declaration_of(graph: &ModuleGraph, m: usize, name: &str, hops: usize) -> Option<(usize, String)> {
    if hops > MAX_HOPS {
        return None;
    }
    let module = &graph.modules[m];
    let link = module.link.as_ref()?;
    if let Some((_, local)) = link.exports.iter().find(|(exported, _)| exported == name) {
        let Some(binding) = link.import_binding(local) else { return Some((m, local.clone())) };
        if binding.imported == "*" {
            return None;
        }
        let target = static_target(graph, m, &binding.specifier)?;
        return declaration_of(graph, target, &binding.imported, hops + 1);
    }
    module.imports.iter().map(|&i| graph.import(i)).find_map(|import| {
        let (ImportKind::ReExport, ImportedNames::ReExports(pairs)) = (&import.kind, &import.names) else {
            return None;
        };
        let (_, imported) = pairs.iter().find(|(exported, _)| exported == name)?;
        declaration_of(graph, import.to?.index(), imported, hops + 1)
    })
}
