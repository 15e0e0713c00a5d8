//! Findings about how code is pulled in: duplicate packages, CommonJS that defeats tree-shaking, barrel
//! files, import cycles.

use std::collections::{BTreeMap, VecDeque};

use ballast_common::{Finding, ImportIdx, ModuleIdx, PackageIdx, Severity, Sizes, format_bytes};
use ballast_graph::{
    ImportFilter, ImportKind, ImportedNames, ModuleFormat, reachable, strongly_connected_cycles,
};

use crate::{AdviseInput, Ranked, all_metrics};

/// A barrel re-exports at least this many modules …
const BARREL_MIN_REEXPORTS: usize = 5;

fn included(input: &AdviseInput, m: ModuleIdx) -> bool {
    input.included.get(m.index()).copied().unwrap_or(false)
}

fn set_location(input: &AdviseInput, finding: &mut Finding, i: ImportIdx) {
    let import = input.graph.import(i);
    finding.file = Some(input.path(import.from).to_string());
    finding.line = Some(import.line);
    finding.column = Some(import.column);
}

/// One copy of a package: its index, bundled sizes and bundled modules.
type PackageCopy = (PackageIdx, Sizes, Vec<ModuleIdx>);

/// The same package name bundled from several directories (versions or copies).
pub(crate) fn duplicates(input: &AdviseInput) -> Vec<Ranked> {
    let graph = input.graph;
    let mut by_name: BTreeMap<&str, Vec<PackageCopy>> = BTreeMap::new();
    for (p, pkg) in graph.packages.iter().enumerate() {
        let modules: Vec<ModuleIdx> = pkg
            .modules
            .iter()
            .copied()
            .filter(|&m| {
                included(input, m) && input.plan.module_chunk.get(m.index()).copied().flatten().is_some()
            })
            .collect();
        if modules.is_empty() {
            continue;
        }
        let sizes: Sizes = modules.iter().map(|&m| input.sizes_of(m)).sum();
        by_name.entry(pkg.name.as_str()).or_default().push((PackageIdx::new(p), sizes, modules));
    }
    let mut out = Vec::new();
    for (name, mut copies) in by_name {
        if copies.len() < 2 {
            continue;
        }
        // Largest first; the rest is waste.
        copies.sort_by(|a, b| b.1.min.cmp(&a.1.min).then(a.0.cmp(&b.0)));
        let wasted: Sizes = copies[1..].iter().map(|c| c.1).sum();
        let list: Vec<String> = copies
            .iter()
            .map(|(p, s, _)| {
                let pkg = &graph.packages[p.index()];
                format!("{} ({}, {} min)", pkg.version, pkg.dir, format_bytes(s.min))
            })
            .collect();
        let message = format!(
            "{name} is bundled {} times: {}. All but the largest copy is waste: {}.",
            copies.len(),
            list.join(", "),
            all_metrics(&wasted)
        );
        let mut finding = Finding::new("duplicate-package", Severity::Warning, message);
        finding.package = Some(name.to_string());
        finding.file = Some(graph.packages[copies[1].0.index()].dir.clone());
        let mut modules: Vec<ModuleIdx> = copies[1..].iter().flat_map(|c| c.2.iter().copied()).collect();
        modules.sort();
        finding.modules = modules;
        finding.savings = Some(wasted);
        finding.suggestion = Some(format!(
            "Bring every dependent onto one version of {name} (`npm dedupe`; `overrides` in package.json, \
             `resolutions` for Yarn, `pnpm.overrides`), or make the bundler resolve one copy (Vite \
             `resolve.dedupe: ['{name}']`, webpack `resolve.alias`)."
        ));
        out.push(Ranked { weight: wasted.min, finding });
    }
    out
}

/// ESM app code importing a package whose resolved module is CommonJS: bundlers keep all of it.
pub(crate) fn cjs_blockers(input: &AdviseInput) -> Vec<Ranked> {
    let graph = input.graph;
    // By package: the import sites.
    let mut sites: BTreeMap<PackageIdx, Vec<ImportIdx>> = BTreeMap::new();
    for (i, import) in graph.imports.iter().enumerate() {
        let Some(to) = import.to else { continue };
        let from = graph.module(import.from);
        let target = graph.module(to);
        if from.package.is_none()
            && from.format == ModuleFormat::Esm
            && matches!(import.kind, ImportKind::Static | ImportKind::ReExport)
            && included(input, import.from)
            && included(input, to)
            && target.format == ModuleFormat::Cjs
            && let Some(p) = target.package
        {
            sites.entry(p).or_default().push(ImportIdx::new(i));
        }
    }
    let mut out = Vec::new();
    for (p, mut edges) in sites {
        let pkg = &graph.packages[p.index()];
        edges.sort_by_key(|&i| {
            let import = graph.import(i);
            (input.path(import.from).to_string(), import.line, import.column)
        });
        let sizes: Sizes =
            pkg.modules.iter().filter(|&&m| included(input, m)).map(|&m| input.sizes_of(m)).sum();
        let mut names: Vec<String> = edges
            .iter()
            .flat_map(|&i| match &graph.import(i).names {
                ImportedNames::Names(n) => n.clone(),
                ImportedNames::ReExports(pairs) => {
                    pairs.iter().map(|(_, imported)| imported.clone()).collect()
                }
                _ => Vec::new(),
            })
            .collect();
        names.sort();
        names.dedup();
        let used = if names.is_empty() {
            String::new()
        } else {
            let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
            format!(" although only {}{} is used", shown.join(", "), if names.len() > 5 { ", …" } else { "" })
        };
        let first = graph.import(edges[0]);
        let resolved = first.to.map(|t| input.path(t).to_string()).unwrap_or_default();
        let message = format!(
            "{} resolves to CommonJS ({resolved}), which bundlers cannot tree-shake: all {} of it ships{used}. \
             Imported from {} place{}.",
            pkg.name,
            all_metrics(&sizes),
            edges.len(),
            if edges.len() == 1 { "" } else { "s" }
        );
        let suggestion = if pkg.name == "lodash" {
            let example =
                names.first().filter(|n| n.as_str() != "default").map_or("debounce", String::as_str);
            format!(
                "Use its ESM twin `lodash-es` (`import {{ {example} }} from 'lodash-es'`), which tree-shakes to \
                 what you use; or per-method imports (`lodash/{example}`)."
            )
        } else if ships_esm(&graph.root.join(&pkg.dir)) {
            format!(
                "{} ships an ESM build (a `module` field or an `import` condition in `exports`) that this \
                 import does not reach: import the ESM entry, or check the resolver's conditions and `mainFields`.",
                pkg.name
            )
        } else {
            String::new()
        };
        // No ESM build and no known twin: nothing the user can change short of replacing the package, so it is
        // said once, as info.
        let (severity, suggestion) = if suggestion.is_empty() {
            (
                Severity::Info,
                format!(
                    "{} ships no ESM build, so there is nothing to change in how it is imported; only replacing \
                     it would make it tree-shakable.",
                    pkg.name
                ),
            )
        } else {
            (Severity::Warning, suggestion)
        };
        let mut finding = Finding::new("cjs-blocks-treeshaking", severity, message);
        finding.package = Some(pkg.name.clone());
        set_location(input, &mut finding, edges[0]);
        finding.modules = edges.iter().map(|&i| graph.import(i).from).collect();
        finding.modules.sort();
        finding.modules.dedup();
        finding.suggestion = Some(suggestion);
        out.push(Ranked { weight: sizes.min, finding });
    }
    out
}

/// Whether the package in `dir` offers an ES module build: a `module` field, `"type": "module"`, or an
/// `import` condition anywhere in `exports`. An unreadable package.json counts as yes (the advice stays).
fn ships_esm(dir: &std::path::Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("package.json")) else { return true };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else { return true };
    fn has_import_condition(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Object(map) => {
                map.contains_key("import")
                    || map.contains_key("module")
                    || map.values().any(has_import_condition)
            }
            serde_json::Value::Array(items) => items.iter().any(has_import_condition),
            _ => false,
        }
    }
    json.get("module").is_some_and(serde_json::Value::is_string)
        || json.get("type").and_then(serde_json::Value::as_str) == Some("module")
        || json.get("exports").is_some_and(has_import_condition)
}

fn is_index_file(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.split('.').next() == Some("index") && file.contains('.')
}

/// Index modules that re-export many modules of which few end up in the bundle.
pub(crate) fn barrels(input: &AdviseInput) -> Vec<Ranked> {
    let graph = input.graph;
    let importers = graph.importers();
    let mut out = Vec::new();
    for (b, module) in graph.modules.iter().enumerate() {
        let barrel = ModuleIdx::new(b);
        // Linking looks through a barrel, so it ships nothing itself: what matters is who imports it.
        let imported = importers[b].iter().any(|&i| included(input, graph.import(i).from));
        if !imported || !is_index_file(&module.path) {
            continue;
        }
        let mut targets: Vec<ModuleIdx> = graph
            .resolved_imports(barrel)
            .filter(|(_, import, _)| import.kind == ImportKind::ReExport)
            .map(|(_, _, to)| to)
            .collect();
        targets.sort();
        targets.dedup();
        if targets.len() < BARREL_MIN_REEXPORTS {
            continue;
        }
        let pulled_mask = reachable(graph, &[barrel], ImportFilter::STATIC);
        let pulled: Vec<ModuleIdx> =
            (0..graph.modules.len()).filter(|&m| pulled_mask[m] && m != b).map(ModuleIdx::new).collect();
        let used: Vec<ModuleIdx> = pulled.iter().copied().filter(|&m| included(input, m)).collect();
        // … of which at most half are used.
        if used.len() * 2 > pulled.len() {
            continue;
        }
        // Located at the user's own import of the barrel: only those are theirs to change.
        let mut edges: Vec<ImportIdx> = importers[b]
            .iter()
            .copied()
            .filter(|&i| {
                let import = graph.import(i);
                !import.kind.is_lazy()
                    && included(input, import.from)
                    && !pulled_mask[import.from.index()]
                    && graph.module(import.from).package.is_none()
            })
            .collect();
        edges.sort_by_key(|&i| {
            let import = graph.import(i);
            let from = graph.module(import.from);
            (from.package.is_some(), from.path.clone(), import.line, import.column)
        });
        let Some(&first) = edges.first() else { continue };
        let unused_raw: u64 =
            pulled.iter().filter(|&&m| !included(input, m)).map(|&m| graph.module(m).raw_size).sum();
        let used_sizes: Sizes = used.iter().map(|&m| input.sizes_of(m)).sum();
        let message = format!(
            "{} re-exports {} modules: importing it pulls in {} modules of which {} {} used ({} min kept, {} of \
             unused source parsed).",
            module.path,
            targets.len(),
            pulled.len(),
            used.len(),
            if used.len() == 1 { "is" } else { "are" },
            format_bytes(used_sizes.min),
            format_bytes(unused_raw)
        );
        let specifier = &graph.import(first).specifier;
        let suggestion = if module.package.is_some() {
            format!(
                "Import from the package's sub-paths (`{specifier}/<module>`) where it offers them: bundlers \
                 then skip the barrel, and dev servers and test runners stop loading every module behind it."
            )
        } else {
            "Import from the modules themselves instead of the index: dev servers and test runners load every \
             module a barrel re-exports, and a side effect in any of them keeps it in the bundle."
                .to_string()
        };
        let mut finding = Finding::new("barrel-import", Severity::Info, message);
        set_location(input, &mut finding, first);
        finding.package = module.package.map(|p| graph.packages[p.index()].name.clone());
        finding.modules = vec![barrel];
        finding.suggestion = Some(suggestion);
        out.push(Ranked { weight: unused_raw, finding });
    }
    out
}

/// Static import cycles that involve app code, one cycle of each shown as a path.
pub(crate) fn cycles(input: &AdviseInput) -> Vec<Ranked> {
    let graph = input.graph;
    let filter = ImportFilter { static_only: true, included: Some(input.included) };
    let mut out = Vec::new();
    for scc in strongly_connected_cycles(graph, filter) {
        let Some(&start) = scc.iter().find(|&&m| graph.module(m).package.is_none()) else { continue };
        let Some(path) = shortest_cycle(input, &scc, start) else { continue };
        let mut shown: Vec<&str> = path.iter().map(|&i| input.path(graph.import(i).from)).collect();
        shown.push(input.path(start));
        let message = format!(
            "Import cycle among {} module{}: {}. Modules in a cycle run before their imports are ready \
             (TDZ errors, `undefined` imports) and cannot be split apart.",
            scc.len(),
            if scc.len() == 1 { "" } else { "s" },
            shown.join(" → ")
        );
        let mut finding = Finding::new("circular-import", Severity::Info, message);
        set_location(input, &mut finding, path[0]);
        finding.modules = scc.clone();
        finding.suggestion = Some(
            "Move what both sides need into a module of its own, or turn one of the imports into a lazy \
             `import()`."
                .to_string(),
        );
        out.push(Ranked { weight: scc.len() as u64, finding });
    }
    out
}

/// The shortest cycle through `start` inside `scc`, as its import edges (breadth first, source order).
fn shortest_cycle(input: &AdviseInput, scc: &[ModuleIdx], start: ModuleIdx) -> Option<Vec<ImportIdx>> {
    let graph = input.graph;
    let in_scc = |m: ModuleIdx| scc.binary_search(&m).is_ok();
    let follows = |i: ImportIdx| {
        let import = graph.import(i);
        import.kind.is_static() && import.to.is_some_and(|to| in_scc(to) && included(input, to))
    };
    let mut via: BTreeMap<ModuleIdx, ImportIdx> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(m) = queue.pop_front() {
        for &i in &graph.module(m).imports {
            if !follows(i) {
                continue;
            }
            let Some(to) = graph.import(i).to else { continue };
            if to == start {
                let mut chain = vec![i];
                let mut cur = m;
                while cur != start {
                    let e = *via.get(&cur)?;
                    chain.push(e);
                    cur = graph.import(e).from;
                }
                chain.reverse();
                return Some(chain);
            }
            if to != start && !via.contains_key(&to) {
                via.insert(to, i);
                queue.push_back(to);
            }
        }
    }
    None
}
