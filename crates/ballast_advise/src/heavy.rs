//! Heavy libraries, and for each one in an initial chunk either a split point (the static import whose
//! target dominates every way in to the library) or, when the library is needed at start, a vendor chunk.

use std::collections::BTreeMap;

use ballast_chunk::ChunkKind;
use ballast_common::{Finding, ImportIdx, ModuleIdx, PackageIdx, Severity, Sizes, format_bytes};
use ballast_graph::{ModuleGraph, ModuleKind};

use crate::deferred::UseSite;
use crate::snippets::{MAX_LISTED_FILES, VendorScope, vendor_config, vendor_config_scoped};
use crate::statement::{dynamic_import_code, parse_import_statement};
use crate::{AdviseInput, ChunkDraft, DomTree, Ranked, all_metrics, percent, wire};

/// One heavy package in one chunk.
struct HeavyInChunk {
    package: PackageIdx,
    chunk: usize,
    modules: Vec<ModuleIdx>,
    sizes: Sizes,
}

/// Where a heavy library in an initial chunk can leave the initial load, or why it cannot.
enum Boundary {
    /// The module to load on demand, and where its bindings are first read later.
    Split(ModuleIdx, Option<UseSite>),
    Vendor {
        reason: String,
        at: Option<ImportIdx>,
    },
}

pub(crate) fn heavy_and_split(
    input: &AdviseInput,
    tree: &DomTree,
    retained: &[Option<Sizes>],
) -> Vec<Ranked> {
    let graph = input.graph;
    let importers = graph.importers();
    let mut out = Vec::new();
    // Split candidates by boundary module: the heavy packages behind it.
    let mut splits: BTreeMap<ModuleIdx, (Vec<HeavyInChunk>, Option<UseSite>)> = BTreeMap::new();
    for heavy in find_heavy(input) {
        let chunk = &input.plan.chunks[heavy.chunk];
        out.push(heavy_finding(input, &heavy));
        if !chunk.initial || chunk.kind == ChunkKind::Vendor {
            continue;
        }
        match boundary(input, tree, &importers, &heavy) {
            Boundary::Split(d, site) => {
                let entry = splits.entry(d).or_insert_with(|| (Vec::new(), site));
                entry.0.push(heavy);
            }
            Boundary::Vendor { reason, at } => out.push(vendor_finding(input, &heavy, &reason, at)),
        }
    }
    for (d, (mut libs, site)) in splits {
        libs.sort_by(|a, b| b.sizes.min.cmp(&a.sizes.min).then(a.package.cmp(&b.package)));
        out.extend(split_finding(input, tree, &importers, retained, d, &libs, site.as_ref()));
    }
    out
}

fn package_label(graph: &ModuleGraph, p: PackageIdx) -> String {
    let pkg = &graph.packages[p.index()];
    let same_name = graph.packages.iter().filter(|q| q.name == pkg.name).count();
    if same_name > 1 { format!("{}@{}", pkg.name, pkg.version) } else { pkg.name.clone() }
}

fn find_heavy(input: &AdviseInput) -> Vec<HeavyInChunk> {
    let graph = input.graph;
    let mut out = Vec::new();
    // Below a tenth of the absolute threshold, a large share of a tiny chunk is not worth a finding.
    let share_floor = input.heavy_min_bytes / 10;
    for (c, chunk) in input.plan.chunks.iter().enumerate() {
        let mut by_package: BTreeMap<PackageIdx, (Vec<ModuleIdx>, Sizes)> = BTreeMap::new();
        for &m in &chunk.modules {
            let module = graph.module(m);
            if !input.included.get(m.index()).copied().unwrap_or(false) || module.kind == ModuleKind::Css {
                continue;
            }
            if let Some(p) = module.package {
                let entry = by_package.entry(p).or_default();
                entry.0.push(m);
                entry.1.add(&input.sizes_of(m));
            }
        }
        let chunk_min = input.chunk_sizes.get(c).map_or(0, |s| s.min);
        for (package, (modules, sizes)) in by_package {
            let share = if chunk_min == 0 { 0.0 } else { sizes.min as f64 / chunk_min as f64 };
            let heavy = sizes.min >= input.heavy_min_bytes
                || (sizes.min >= share_floor && sizes.min > 0 && share >= input.heavy_share);
            if heavy {
                out.push(HeavyInChunk { package, chunk: c, modules, sizes });
            }
        }
    }
    out
}

fn heavy_finding(input: &AdviseInput, heavy: &HeavyInChunk) -> Ranked {
    let graph = input.graph;
    let chunk = &input.plan.chunks[heavy.chunk];
    let pkg = &graph.packages[heavy.package.index()];
    let (w, metric) = wire(&heavy.sizes);
    let share = if chunk.initial {
        let (total, _) = wire(&input.initial);
        format!("{}% of the initial load ({metric})", percent(w, total))
    } else {
        let chunk_sizes = input.chunk_sizes.get(heavy.chunk).copied().unwrap_or_default();
        let (total, _) = wire(&chunk_sizes);
        format!("{}% of that chunk ({metric}), loaded on demand", percent(w, total))
    };
    let gzip = heavy.sizes.gzip.map(|g| format!(", {} gzip", format_bytes(g))).unwrap_or_default();
    let message = format!(
        "{} {} weighs {} min{gzip} in {} chunk `{}`: {share}",
        pkg.name,
        pkg.version,
        format_bytes(heavy.sizes.min),
        if chunk.initial { "initial" } else { "async" },
        chunk.name,
    );
    let mut finding = Finding::new(
        "heavy-library",
        if chunk.initial { Severity::Warning } else { Severity::Info },
        message,
    );
    finding.package = Some(pkg.name.clone());
    finding.modules = heavy.modules.clone();
    finding.file = Some(pkg.dir.clone());
    finding.suggestion = Some(if chunk.initial {
        "See the `split-point` or `vendor-chunk` advice for this package; check also for a lighter \
         alternative or deep imports of just what you use."
            .to_string()
    } else {
        "It is already off the initial load; consider whether a lighter alternative would do.".to_string()
    });
    Ranked { weight: heavy.sizes.min, finding }
}

/// Static imports into `m` from modules statically reachable from an entry, in location order.
fn static_edges_into(
    input: &AdviseInput,
    tree: &DomTree,
    importers: &[Vec<ImportIdx>],
    m: ModuleIdx,
) -> Vec<ImportIdx> {
    let graph = input.graph;
    let mut edges: Vec<ImportIdx> = importers[m.index()]
        .iter()
        .copied()
        .filter(|&i| {
            let import = graph.import(i);
            import.kind.is_static()
                && tree.reachable[import.from.index()]
                && input.included.get(import.from.index()).copied().unwrap_or(false)
        })
        .collect();
    edges.sort_by(|&a, &b| location_key(graph, a).cmp(&location_key(graph, b)));
    edges.dedup();
    edges
}

fn location_key(graph: &ModuleGraph, i: ImportIdx) -> (&str, u32, u32) {
    let import = graph.import(i);
    (graph.module(import.from).path.as_str(), import.line, import.column)
}

fn location(graph: &ModuleGraph, i: ImportIdx) -> String {
    let (path, line, column) = location_key(graph, i);
    format!("{path}:{line}:{column}")
}

fn boundary(
    input: &AdviseInput,
    tree: &DomTree,
    importers: &[Vec<ImportIdx>],
    heavy: &HeavyInChunk,
) -> Boundary {
    let graph = input.graph;
    // App modules through which the package is reached: walk importers backwards through package code.
    let mut seen = vec![false; graph.modules.len()];
    let mut stack: Vec<ModuleIdx> = heavy.modules.clone();
    for m in &stack {
        seen[m.index()] = true;
    }
    let mut gateways: Vec<ModuleIdx> = Vec::new();
    let mut gateway_edges: Vec<ImportIdx> = Vec::new();
    while let Some(m) = stack.pop() {
        for &i in &importers[m.index()] {
            let import = graph.import(i);
            let from = import.from;
            if !import.kind.is_static() || !tree.reachable[from.index()] {
                continue;
            }
            if graph.module(from).package.is_none() {
                gateway_edges.push(i);
                if !seen[from.index()] {
                    seen[from.index()] = true;
                    gateways.push(from);
                }
            } else if !seen[from.index()] {
                seen[from.index()] = true;
                stack.push(from);
            }
        }
    }
    gateways.sort();
    gateway_edges.sort_by(|&a, &b| location_key(graph, a).cmp(&location_key(graph, b)));
    let first_edge = gateway_edges.first().copied();
    if gateways.is_empty() {
        return Boundary::Vendor {
            reason: "no app module imports it statically".to_string(),
            at: first_edge,
        };
    }
    if let Some(&entry) = gateways.iter().find(|g| tree.entries.contains(g)) {
        let at = gateway_edges.iter().copied().find(|&i| graph.import(i).from == entry).or(first_edge);
        return Boundary::Vendor {
            reason: format!("the entry module {} imports it, so it is needed at start", input.path(entry)),
            at,
        };
    }
    let Some(mut d) = tree.common_dominator(&gateways) else {
        return Boundary::Vendor {
            reason: "it is reached from several entries, so it is needed at start".to_string(),
            at: first_edge,
        };
    };
    // Climb until the boundary is app code imported only by app code: the edit must be in the user's files.
    loop {
        if tree.entries.contains(&d) || tree.idom[d.index()].is_none() {
            let names: Vec<&str> = gateways.iter().take(3).map(|&g| input.path(g)).collect();
            return Boundary::Vendor {
                reason: format!(
                    "every static path to it ({}{}) starts at the entry {} with no narrower module in between, \
                     so it is needed at start",
                    names.join(", "),
                    if gateways.len() > 3 { ", …" } else { "" },
                    input.path(d)
                ),
                at: first_edge,
            };
        }
        let edges = static_edges_into(input, tree, importers, d);
        let editable = graph.module(d).package.is_none()
            && !edges.is_empty()
            && edges.iter().all(|&i| graph.module(graph.import(i).from).package.is_none())
            // A page's `<script type="module">` is an entry of its own, not an import to make lazy.
            && edges.iter().all(|&i| !graph.module(graph.import(i).from).path.ends_with(".html"));
        if editable {
            // Never a stylesheet or a generated route tree: start-up needs both.
            let target = graph.module(d);
            if target.kind == ModuleKind::Css || target.path.contains("routeTree.gen") {
                return Boundary::Vendor {
                    reason: format!("{} is needed at start", target.path),
                    at: edges.first().copied(),
                };
            }
            return match crate::deferred::deferred_use(graph, &edges) {
                Ok(site) => Boundary::Split(d, site),
                Err(reason) => Boundary::Vendor {
                    reason: format!("{reason}, so {} is needed at start", target.path),
                    at: edges.first().copied(),
                },
            };
        }
        match tree.idom[d.index()] {
            Some(up) => d = up,
            None => {
                return Boundary::Vendor { reason: "it is needed at start".to_string(), at: first_edge };
            }
        }
    }
}

/// What a vendor group for `package` would take: the package's files on the initial load (relative to its
/// folder; `None` when some lie outside it), its modules on the initial load, and those only async chunks hold.
struct PackageModules {
    files: Option<Vec<String>>,
    initial: Vec<ModuleIdx>,
    lazy: Vec<ModuleIdx>,
}

fn package_modules(input: &AdviseInput, package: PackageIdx) -> PackageModules {
    let graph = input.graph;
    let pkg = &graph.packages[package.index()];
    let prefix = format!("{}/", pkg.dir.trim_end_matches('/'));
    let mut out = PackageModules { files: Some(Vec::new()), initial: Vec::new(), lazy: Vec::new() };
    for (i, module) in graph.modules.iter().enumerate() {
        let m = ModuleIdx::new(i);
        if module.package != Some(package)
            || !input.included.get(i).copied().unwrap_or(false)
            || module.kind == ModuleKind::Css
        {
            continue;
        }
        if input.on_initial_load(m) {
            out.initial.push(m);
            let path = module.path.split('?').next().unwrap_or(&module.path);
            match (path.strip_prefix(&prefix), out.files.as_mut()) {
                (Some(rel), Some(list)) => list.push(rel.to_string()),
                _ => out.files = None,
            }
        } else if input.plan.module_chunk.get(i).copied().flatten().is_some() {
            out.lazy.push(m);
        }
    }
    if let Some(list) = out.files.as_mut() {
        list.sort();
        list.dedup();
    }
    out
}

/// The initial load (wire metric) once `group` leaves its chunks for a chunk of its own: the initial chunks'
/// JS recompressed without the group, plus the group's chunk, plus today's CSS. `None` without a compressor.
fn initial_after_group(input: &AdviseInput, group: &[ModuleIdx]) -> Option<u64> {
    let recompress = input.recompress?;
    // Without gzip the wire metric is min, which regrouping leaves as it is.
    input.initial.gzip?;
    let (before, _) = wire(&input.initial);
    let in_group = |m: &ModuleIdx| group.binary_search(m).is_ok();
    let webpack = crate::config_key(input.bundler) == "webpack";
    let initial_chunks = input.plan.chunks.iter().filter(|c| c.initial).count();
    let mut drafts: Vec<ChunkDraft> = Vec::new();
    let mut today = 0;
    let mut vendor = ChunkDraft::default();
    for (c, chunk) in input.plan.chunks.iter().enumerate() {
        let js: Vec<ModuleIdx> = chunk
            .modules
            .iter()
            .copied()
            .filter(|&m| input.graph.module(m).kind != ModuleKind::Css)
            .collect();
        // Execution order within the new chunk: initial chunks first, in plan order.
        vendor.modules.extend(js.iter().copied().filter(in_group));
        if chunk.initial {
            today += input.chunk_sizes.get(c).map_or(0, |s| wire(s).0);
            let rest: Vec<ModuleIdx> = js.into_iter().filter(|m| !in_group(m)).collect();
            // An entry that was the only initial chunk now waits for the vendor chunk before it starts.
            let extra = if webpack && initial_chunks == 1 && chunk.kind == ChunkKind::Entry {
                ballast_chunk::DEFERRED_START.to_string()
            } else {
                String::new()
            };
            if !rest.is_empty() {
                drafts.push(ChunkDraft { modules: rest, extra });
            }
        }
    }
    if webpack {
        let (open, close) = ballast_chunk::CHUNK_WRAPPER;
        vendor.extra = format!("{open}{close}");
    }
    drafts.push(vendor);
    let mut after = 0;
    for (gzip, _) in (recompress.0)(&drafts) {
        after += gzip?;
    }
    Some(before.saturating_sub(today) + after)
}

fn vendor_finding(input: &AdviseInput, heavy: &HeavyInChunk, reason: &str, at: Option<ImportIdx>) -> Ranked {
    let graph = input.graph;
    let pkg = &graph.packages[heavy.package.index()];
    let chunk = &input.plan.chunks[heavy.chunk];
    let modules = package_modules(input, heavy.package);
    let lazy_count = modules.lazy.len();
    let lazy = modules.lazy.iter().fold(Sizes::default(), |mut s, &m| {
        s.add(&input.sizes_of(m));
        s
    });
    let key = crate::config_key(input.bundler);
    // Lazy-only modules of the package stay where they are unless the group takes the whole package.
    let (scope, cost) = if lazy_count == 0 {
        (VendorScope::Package, None)
    } else {
        match modules.files.as_deref() {
            Some(list) if !list.is_empty() && list.len() <= MAX_LISTED_FILES => {
                (VendorScope::Initial(list), None)
            }
            // webpack's `chunks: 'initial'` keeps them out whatever the count; the Vite groups cannot.
            _ if key == "webpack" => (VendorScope::InitialUnlisted, None),
            _ => (VendorScope::InitialUnlisted, Some(lazy)),
        }
    };
    let mut group = modules.initial.clone();
    if cost.is_some() {
        group.extend(modules.lazy.iter().copied());
    }
    group.sort();
    let (before, metric) = wire(&input.initial);
    let after = initial_after_group(input, &group).unwrap_or(before + cost.map_or(0, |c| wire(&c).0));
    let mut message = format!(
        "{} ({}) stays on the initial load: {reason}. Give it its own vendor chunk so it stays cached when \
         your app code changes (chunk `{}` today). ",
        package_label(graph, heavy.package),
        all_metrics(&heavy.sizes),
        chunk.name
    );
    match (&scope, cost) {
        (_, Some(cost)) => message.push_str(&format!(
            "The `{key}` group matches the whole package, so it also moves {lazy_count} module{} that only \
             lazy chunks load ({}) onto the initial load: {} → {} {metric} predicted after the change.",
            if lazy_count == 1 { "" } else { "s" },
            all_metrics(&cost),
            format_bytes(before),
            format_bytes(after),
        )),
        (VendorScope::Package, None) => message.push_str(&format!(
            "The same modules stay on the initial load, in one more chunk: {} → {} {metric} predicted after \
             the change.",
            format_bytes(before),
            format_bytes(after),
        )),
        (_, None) => message.push_str(&format!(
            "The group takes only the package's modules on the initial load; the {lazy_count} {} that only \
             lazy chunks load ({}) {} where {} {}: {} → {} {metric} predicted after the change.",
            if lazy_count == 1 { "module" } else { "modules" },
            all_metrics(&lazy),
            if lazy_count == 1 { "stays" } else { "stay" },
            if lazy_count == 1 { "it" } else { "they" },
            if lazy_count == 1 { "is" } else { "are" },
            format_bytes(before),
            format_bytes(after),
        )),
    }
    if matches!(scope, VendorScope::InitialUnlisted) && cost.is_none() {
        message.push_str(&format!(
            " (The Vite snippets cannot list its {} modules on the initial load: they match the whole package and \
             would move those modules onto it too.)",
            modules.initial.len()
        ));
    }
    let mut finding = Finding::new("vendor-chunk", Severity::Info, message);
    finding.package = Some(pkg.name.clone());
    finding.modules = heavy.modules.clone();
    if let Some(i) = at {
        let import = graph.import(i);
        finding.file = Some(input.path(import.from).to_string());
        finding.line = Some(import.line);
        finding.column = Some(import.column);
    }
    finding.suggestion = Some(format!(
        "Add the `{key}` snippet to your bundler config (a separate chunk costs one more request but is cached \
         across deploys)."
    ));
    finding.config = Some(vendor_config_scoped(&pkg.name, scope));
    Ranked { weight: heavy.sizes.min, finding }
}

fn split_finding(
    input: &AdviseInput,
    tree: &DomTree,
    importers: &[Vec<ImportIdx>],
    retained: &[Option<Sizes>],
    d: ModuleIdx,
    libs: &[HeavyInChunk],
    site: Option<&UseSite>,
) -> Option<Ranked> {
    let graph = input.graph;
    let edges = static_edges_into(input, tree, importers, d);
    let first = *edges.first()?;
    let savings = retained.get(d.index()).copied().flatten()?;
    let mut dominated: Vec<ModuleIdx> =
        tree.dominated(d).into_iter().filter(|&m| input.on_initial_load(m)).collect();
    dominated.sort();
    let predicted = input.initial.saturating_sub(&savings);
    let (before, metric) = wire(&input.initial);
    let (after, _) = wire(&predicted);
    let lead = &libs[0];
    let lib_text: Vec<String> = libs
        .iter()
        .map(|h| format!("{} ({})", package_label(graph, h.package), all_metrics(&h.sizes)))
        .collect();
    let import = graph.import(first);
    let importer = graph.module(import.from);
    let target = graph.module(d);
    let mut message = format!(
        "Load {} on demand: every static path to {} goes through it. Making its import at {} dynamic takes {} \
         module{} ({}) off the initial load: {} → {} {metric} predicted. A real rebuild moves them into a new \
         async chunk, fetched when the import runs.",
        target.path,
        lib_text.join(" and "),
        location(graph, first),
        dominated.len(),
        if dominated.len() == 1 { "" } else { "s" },
        all_metrics(&savings),
        format_bytes(before),
        format_bytes(after),
    );
    if let Some(site) = site {
        message.push_str(&format!(
            " Start-up never reads `{}`: it is first used later at {}:{}:{}, where the `import()` goes.",
            site.name,
            input.path(site.module),
            site.line,
            site.column
        ));
    }
    if edges.len() > 1 {
        let others: Vec<String> = edges[1..].iter().map(|&i| location(graph, i)).collect();
        message.push_str(&format!(
            " It is also imported statically at {}; make each of those imports dynamic too.",
            others.join(", ")
        ));
    }
    let component = |k: ModuleKind| matches!(k, ModuleKind::Tsx | ModuleKind::Jsx);
    let react = component(target.kind) && component(importer.kind);
    let statement =
        importer.source.as_deref().and_then(|s| parse_import_statement(s, import.line, import.column));
    let deferred_site = site.filter(|_| !react).zip(statement.as_ref());
    let suggestion = match statement.as_ref() {
        // Stored for later (a route table): store a loader instead, awaited where it is called.
        Some(stmt) if let Some((site, _)) = deferred_site.filter(|(site, _)| site.stored) => format!(
            "Delete `{}` and store a loader where `{}` is stored, at {}:{}:{}: `() => import('{}').then((m) => m.{})`, \
             awaited where it is called (a router's lazy route does this).",
            stmt.text.replace('\n', " "),
            site.name,
            input.path(site.module),
            site.line,
            site.column,
            stmt.specifier,
            stmt.named
                .iter()
                .find(|(_, local)| *local == site.name)
                .map_or("default", |(imported, _)| imported.as_str()),
        ),
        // Used in a handler, a timer or behind a switch: the import goes there, never to the top level.
        Some(stmt) if let Some((site, _)) = deferred_site => format!(
            "Delete `{}` and load it where it is used, at {}:{}:{}: `{}` inside that callback or branch \
             (make the enclosing function `async`, or use `import('{}').then(…)`).",
            stmt.text.replace('\n', " "),
            input.path(site.module),
            site.line,
            site.column,
            dynamic_import_code(stmt, false).replace('\n', " "),
            stmt.specifier
        ),
        Some(stmt) => {
            let code = dynamic_import_code(stmt, react);
            if react {
                format!(
                    "Replace `{}` with `{}` and render it inside `<Suspense>`.",
                    stmt.text.replace('\n', " "),
                    code.replace('\n', " ")
                )
            } else {
                format!(
                    "Replace `{}` with `{}` — better still, call `import('{}')` where it is needed (a route \
                     handler, an event) so start-up does not wait for it.",
                    stmt.text.replace('\n', " "),
                    code.replace('\n', " "),
                    stmt.specifier
                )
            }
        }
        None => format!(
            "Replace the static import of `{}` with `import('{}')` where it is needed.",
            import.specifier, import.specifier
        ),
    };
    let lead_name = &graph.packages[lead.package.index()].name;
    let suggestion = format!(
        "{suggestion} To also give {lead_name} a cacheable chunk of its own, see the `{}` config.",
        crate::config_key(input.bundler)
    );
    let mut finding = Finding::new("split-point", Severity::Warning, message);
    finding.file = Some(importer.path.clone());
    finding.line = Some(import.line);
    finding.column = Some(import.column);
    finding.package = Some(lead_name.clone());
    finding.modules = dominated;
    finding.savings = Some(savings);
    finding.suggestion = Some(suggestion);
    finding.config = Some(vendor_config(lead_name));
    Some(Ranked { weight: savings.min, finding })
}
