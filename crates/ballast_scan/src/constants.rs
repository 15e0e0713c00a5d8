//! Cross-module constants: an import bound (through re-exports) to another module's literal boolean, such as
//! `import { DEV } from 'esm-env'` where the `production` condition resolves `esm-env/development` to
//! `export default false`. Rollup and Rolldown fold `if (DEV)` there as if `false` were written in place, so the
//! development branches of Svelte's runtime (and what only they call) never ship. The per-file facts cannot know
//! this: once the graph is assembled, the modules that import such a binding have their statements' facts
//! extracted again with the value known, and the minifier is told the values (`LinkFacts::folded`).

use std::sync::Arc;

use ballast_common::ModuleIdx;
use ballast_graph::{ImportKind, ImportedNames, LinkFacts, ModuleGraph};
use oxc::allocator::Allocator;
use rayon::prelude::*;

use crate::parse::{Constants, parse_script_with};

/// Re-export hops followed from an import to the declaring module.
const MAX_HOPS: usize = 8;

pub fn fold_imported_constants(graph: &mut ModuleGraph) {
    let plans: Vec<(usize, Constants)> = (0..graph.modules.len())
        .into_par_iter()
        .filter_map(|m| {
            let link = graph.modules[m].link.as_ref()?;
            let constants: Constants = link
                .imports
                .iter()
                .filter(|b| b.imported != "*")
                .filter_map(|b| {
                    let target = static_target(graph, m, &b.specifier)?;
                    Some((b.local.clone(), constant_of(graph, target, &b.imported, 0)?))
                })
                .collect();
            (!constants.is_empty()).then_some((m, constants))
        })
        .collect();
    let relinked: Vec<(usize, LinkFacts)> = plans
        .into_par_iter()
        .filter_map(|(m, constants)| {
            let module = &graph.modules[m];
            let source = module.source.as_deref()?;
            let link = module.link.as_ref()?;
            let allocator = Allocator::default();
            let facts = parse_script_with(&allocator, source, &module.abs_path, module.kind, &constants);
            let statements = facts.link?.statements;
            // The same text parsed the same way: only what the constants decide may differ.
            if statements.len() != link.statements.len() {
                return None;
            }
            let mut relinked = LinkFacts::clone(link);
            relinked.statements = statements;
            relinked.folded = constants.into_iter().collect();
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

/// The literal boolean export `name` of module `m` stands for, following `export { a as b } from` and
/// `import { a } … export { a }`; `None` when it is anything else.
fn constant_of(graph: &ModuleGraph, m: usize, name: &str, hops: usize) -> Option<bool> {
    if hops > MAX_HOPS {
        return None;
    }
    let module = &graph.modules[m];
    let link = module.link.as_ref()?;
    if let Some((_, local)) = link.exports.iter().find(|(exported, _)| exported == name) {
        if let Some(&(_, value)) = link.constants.iter().find(|(c, _)| c == local) {
            return Some(value);
        }
        let binding = link.import_binding(local).filter(|b| b.imported != "*")?;
        let target = static_target(graph, m, &binding.specifier)?;
        return constant_of(graph, target, &binding.imported, hops + 1);
    }
    module.imports.iter().map(|&i| graph.import(i)).find_map(|import| {
        let (ImportKind::ReExport, ImportedNames::ReExports(pairs)) = (&import.kind, &import.names) else {
            return None;
        };
        let (_, imported) = pairs.iter().find(|(exported, _)| exported == name)?;
        constant_of(graph, import.to?.index(), imported, hops + 1)
    })
}
