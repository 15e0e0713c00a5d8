//! What an ES-module bundler prints in a chunk besides its modules' code (the size stage cuts every module's own
//! `import` and `export`): the statements that tie chunks together, `import{a as b}from"./x-HASH.js"` for each
//! chunk it imports (bare `import"./x-HASH.js"` when it takes no binding) and one `export{c as a,…}` of what other
//! chunks take from it; and with Vite (`vite:build-import-analysis`), each `import()` rewritten to
//! `__vitePreload(()=>import(…),deps)`, its deps an index into one `__vite__mapDeps` list of file names at the
//! top of the chunk. webpack prints none of this (its module table and runtime are modelled elsewhere).

use std::collections::{BTreeMap, BTreeSet};

use ballast_common::{ChunkIdx, ModuleIdx};
use ballast_graph::{ImportKind, ModuleGraph};
use ballast_link::Linked;

use crate::{ChunkKind, ChunkPlan, ChunkRules};

/// Per chunk, the glue its bundler prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChunkGlue {
    /// Chunks this one imports statically, each with the number of bindings it takes (0: a bare import).
    pub imports: Vec<(ChunkIdx, usize)>,
    /// Bindings other chunks take from this one.
    pub exports: usize,
    /// Vite: each kept `import()` of the chunk's modules, in order.
    pub preloads: Vec<Preload>,
}

/// One `import()` as Vite's preload rewrite prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preload {
    /// What Vite preloads with it (`collectPreloadDependencies`): the target chunk and the chunks it imports
    /// statically, not the importing one; listed only when there is more than the target.
    pub deps: Vec<ChunkIdx>,
    /// `const {a, b} = await import(…)`: Vite wraps it in an async function that re-returns these names.
    pub destructured: Vec<String>,
}

/// What the glue depends on besides the plan.
#[derive(Debug, Clone, Copy)]
pub struct GlueOptions {
    pub rules: ChunkRules,
    /// Vite's `__vitePreload` rewrite of `import()`.
    pub vite_preload: bool,
}

/// Per chunk of `plan`, in plan order, its glue; none for webpack and for worker bundles.
pub fn chunk_glue(
    graph: &ModuleGraph,
    linked: &Linked,
    plan: &ChunkPlan,
    options: &GlueOptions,
) -> Vec<ChunkGlue> {
    let mut out = vec![ChunkGlue::default(); plan.chunks.len()];
    if options.rules == ChunkRules::Webpack {
        return out;
    }
    let chunk_of = |m: ModuleIdx| plan.module_chunk.get(m.index()).copied().flatten();
    let printed =
        |c: ChunkIdx| plan.chunks.get(c.index()).is_some_and(|chunk| chunk.kind != ChunkKind::Worker);
    // (importing chunk, exporting chunk) → the bindings taken.
    let mut taken: BTreeMap<(ChunkIdx, ChunkIdx), BTreeSet<(ModuleIdx, String)>> = BTreeMap::new();
    for (c, chunk) in plan.chunks.iter().enumerate() {
        let c = ChunkIdx::new(c);
        if !printed(c) {
            continue;
        }
        for &m in &chunk.modules {
            for (module, name) in &linked.imported[m.index()] {
                let Some(from) = chunk_of(*module) else { continue };
                if from != c && printed(from) {
                    taken.entry((c, from)).or_default().insert((*module, name.clone()));
                }
            }
        }
        for &to in &chunk.imports {
            if printed(to) && to != c {
                taken.entry((c, to)).or_default();
            }
        }
    }
    let mut exported: BTreeMap<ChunkIdx, BTreeSet<(ModuleIdx, String)>> = BTreeMap::new();
    for ((c, from), bindings) in taken {
        out[c.index()].imports.push((from, bindings.len()));
        exported.entry(from).or_default().extend(bindings);
    }
    for (c, bindings) in exported {
        out[c.index()].exports = bindings.len();
    }
    if options.vite_preload {
        for (c, chunk) in plan.chunks.iter().enumerate() {
            if !printed(ChunkIdx::new(c)) {
                continue;
            }
            for &m in &chunk.modules {
                for (target, destructured) in lazy_imports(graph, linked, m) {
                    let Some(to) = chunk_of(target).filter(|&to| printed(to)) else { continue };
                    let deps = preload_deps(plan, ChunkIdx::new(c), to);
                    out[c].preloads.push(Preload { deps, destructured });
                }
            }
        }
    }
    out
}

/// Module `m`'s kept `import()` targets, each with the names Vite's rewrite re-returns when it is destructured.
fn lazy_imports(graph: &ModuleGraph, linked: &Linked, m: ModuleIdx) -> Vec<(ModuleIdx, Vec<String>)> {
    let module = &graph.modules[m.index()];
    let kept: BTreeSet<ModuleIdx> = linked.lazy[m.index()]
        .iter()
        .filter(|(_, kind)| *kind == ImportKind::Dynamic)
        .map(|(to, _)| *to)
        .collect();
    let source = module.source.as_deref().unwrap_or("");
    module
        .imports
        .iter()
        .map(|&i| graph.import(i))
        .filter(|import| import.kind == ImportKind::Dynamic)
        .filter_map(|import| {
            let to = import.to.filter(|to| kept.contains(to))?;
            let names = offset(source, import.line, import.column)
                .map(|at| destructured_names(&source[..at]))
                .unwrap_or_default();
            Some((to, names))
        })
        .collect()
}

/// Byte offset of a 1-based line and column (in characters).
fn offset(source: &str, line: u32, column: u32) -> Option<usize> {
    let start =
        if line <= 1 { 0 } else { source.match_indices('\n').nth(line as usize - 2).map(|(i, _)| i + 1)? };
    let rest = source.get(start..)?;
    let col = column.saturating_sub(1) as usize;
    rest.char_indices()
        .nth(col)
        .map(|(i, _)| start + i)
        .or_else(|| (col == rest.chars().count()).then_some(source.len()))
}

/// The names of `{ a, b: c }` when the text before an `import(` ends with `const|let|var|, { a, b: c } = await `
/// (Vite's `dynamicImportTreeshakenRE`); empty otherwise.
fn destructured_names(before: &str) -> Vec<String> {
    let Some(rest) = before.trim_end().strip_suffix("await") else { return Vec::new() };
    let Some(rest) = rest.trim_end().strip_suffix('=') else { return Vec::new() };
    let Some(rest) = rest.trim_end().strip_suffix('}') else { return Vec::new() };
    let Some(open) = rest.rfind('{') else { return Vec::new() };
    let (head, pattern) = (&rest[..open], &rest[open + 1..]);
    let head = head.trim_end();
    let declared = head.ends_with(',')
        || ["const", "let", "var"].iter().any(|k| {
            head.strip_suffix(k)
                .is_some_and(|h| !h.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$'))
        });
    if !declared || pattern.contains(['{', '}', '.', '=']) {
        return Vec::new();
    }
    pattern
        .split(',')
        .filter_map(|p| p.split(':').next())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// `collectPreloadDependencies`: the target and its static imports, depth first, never through the importer.
fn preload_deps(plan: &ChunkPlan, owner: ChunkIdx, target: ChunkIdx) -> Vec<ChunkIdx> {
    let mut seen = BTreeSet::from([owner]);
    let mut out = Vec::new();
    let mut stack = vec![target];
    while let Some(c) = stack.pop() {
        if !seen.insert(c) {
            continue;
        }
        out.push(c);
        if let Some(chunk) = plan.chunks.get(c.index()) {
            stack.extend(chunk.imports.iter().rev());
        }
    }
    out
}

impl ChunkGlue {
    /// The glue as the bundler prints it, minified; chunk file names as long as Vite's (`assets/name-HASH8.js`).
    pub fn render(&self, plan: &ChunkPlan) -> String {
        let file = |c: ChunkIdx| {
            let name = plan.chunks.get(c.index()).map_or("chunk", |chunk| chunk.name.as_str());
            format!("{name}-00000000.js")
        };
        let mut out = String::new();
        let mut listed: Vec<ChunkIdx> = Vec::new();
        let mut calls = String::new();
        for preload in &self.preloads {
            let deps = if preload.deps.len() > 1 {
                let indices: Vec<String> = preload
                    .deps
                    .iter()
                    .map(|d| {
                        let at = listed.iter().position(|l| l == d).unwrap_or_else(|| {
                            listed.push(*d);
                            listed.len() - 1
                        });
                        at.to_string()
                    })
                    .collect();
                format!("__vite__mapDeps([{}])", indices.join(","))
            } else {
                "[]".to_string()
            };
            if preload.destructured.is_empty() {
                calls.push_str(&format!("e(()=>,{deps})"));
            } else {
                let names: Vec<String> = preload.destructured.iter().map(|n| format!("{n}:t")).collect();
                let names = names.join(",");
                calls.push_str(&format!("e(async()=>{{const{{{names}}}=await ;return{{{names}}}}},{deps})"));
            }
        }
        if !listed.is_empty() {
            let files: Vec<String> = listed.iter().map(|&c| format!("\"assets/{}\"", file(c))).collect();
            out.push_str(&format!(
                "const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=[{}])))=>i.map(i=>d[i]);\n",
                files.join(",")
            ));
        }
        for &(from, bindings) in &self.imports {
            if bindings == 0 {
                out.push_str(&format!("import\"./{}\";", file(from)));
            } else {
                let list: Vec<String> =
                    (0..bindings).map(|i| format!("{} as {}", short_name(i), short_name(i))).collect();
                out.push_str(&format!("import{{{}}}from\"./{}\";", list.join(","), file(from)));
            }
        }
        out.push_str(&calls);
        if self.exports > 0 {
            let list: Vec<String> =
                (0..self.exports).map(|i| format!("{} as {}", short_name(i), short_name(i))).collect();
            out.push_str(&format!("export{{{}}};", list.join(",")));
        }
        out
    }
}

/// `a` … `Z`, then two letters: the length of minified local and export names.
fn short_name(i: usize) -> String {
    crate::names::minified_name(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destructured_import_names_as_vite_matches_them() {
        assert_eq!(destructured_names("  const { renderAdmin } = await "), vec!["renderAdmin"]);
        assert_eq!(destructured_names("let {a, b: c} = await "), vec!["a", "b"]);
        assert!(destructured_names("const x = await ").is_empty());
        assert!(destructured_names("const {a = 1} = await ").is_empty());
        assert!(destructured_names("notconst {a} = await ").is_empty());
    }

    #[test]
    fn renders_what_vite_prints() {
        let chunk = |name: &str| crate::Chunk {
            name: name.to_string(),
            kind: ChunkKind::Async,
            initial: false,
            modules: Vec::new(),
            imports: Vec::new(),
            dynamic_imports: Vec::new(),
            facade: None,
        };
        let plan = ChunkPlan {
            chunks: vec![chunk("index"), chunk("admin"), chunk("grid")],
            module_chunk: Vec::new(),
        };
        let (admin, grid) = (ChunkIdx::new(1), ChunkIdx::new(2));
        let glue = ChunkGlue {
            imports: vec![(admin, 2), (grid, 0)],
            exports: 1,
            preloads: vec![
                Preload { deps: vec![admin, grid], destructured: vec!["renderAdmin".to_string()] },
                Preload { deps: vec![grid], destructured: Vec::new() },
            ],
        };
        assert_eq!(
            glue.render(&plan),
            "const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=[\"assets/admin-00000000.js\",\
             \"assets/grid-00000000.js\"])))=>i.map(i=>d[i]);\n\
             import{a as a,b as b}from\"./admin-00000000.js\";import\"./grid-00000000.js\";\
             e(async()=>{const{renderAdmin:t}=await ;return{renderAdmin:t}},__vite__mapDeps([0,1]))e(()=>,[])\
             export{a as a};"
        );
    }

    #[test]
    fn offsets_count_characters() {
        let source = "a\n·b import(";
        assert_eq!(offset(source, 2, 4), source.find("import"));
        assert_eq!(offset(source, 1, 1), Some(0));
    }
}
