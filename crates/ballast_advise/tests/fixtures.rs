//! One folder per case under `tests/fixtures/<case>/`, run through the real scanner, size and chunk stages,
//! then `advise`; the findings (and retained sizes) are snapshotted as Markdown.
//!
//! `_config.json` in each case is a `ballast.json` (read by its real parser, so a typo fails): `entries`, and
//! optionally `heavy` (`min`, `share`) and `target`.

use std::fmt::Write as _;
use std::path::Path;

use ballast_advise::{AdviseInput, Bundler, ChunkDraft, Recompress, advise};
use ballast_chunk::{ChunkOptions, plan_chunks};
use ballast_common::{Compression, ModuleIdx, Sizes};
use ballast_scan::{ScanOptions, scan};
use ballast_size::{
    DiskCache, MinifierKind, SizeOptions, compress_chunks, compress_chunks_with, measure_modules,
};

fn run_case(config_path: &Path) -> String {
    let root = config_path.parent().expect("case folder").canonicalize().expect("case folder exists");
    let text = std::fs::read_to_string(config_path).expect("read _config.json");
    let config = ballast_budget::parse_config(&text, &config_path.display().to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let graph =
        scan(&ScanOptions { root: root.clone(), entries: config.entries.clone(), ..ScanOptions::default() });
    assert!(!graph.entries.is_empty(), "no entry in {}: {:?}", root.display(), graph.diagnostics);
    let size_options = SizeOptions {
        minifier: MinifierKind::Oxc,
        esbuild: None,
        compression: Compression { gzip: true, brotli: false },
        cache: DiskCache::disabled(),
    };
    let linked = ballast_link::link(
        &graph,
        &ballast_link::LinkOptions { default_is_alias: true, named_reexports_are_dependencies: false },
    );
    let plan = plan_chunks(&graph, &linked, &ChunkOptions::default());
    let sizes = measure_modules(&graph, &linked, &[], &size_options);

    // Each chunk compressed once; each module gets its share (as `ballast::analyze` does).
    let lists: Vec<Vec<ModuleIdx>> = plan.chunks.iter().map(|c| c.modules.clone()).collect();
    let compressed = compress_chunks(&lists, &sizes, &size_options);
    let mut module_sizes: Vec<Sizes> = graph
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| Sizes { raw: m.raw_size, min: sizes.min[i], gzip: Some(0), brotli: None })
        .collect();
    let mut chunk_sizes = Vec::new();
    let mut initial = Sizes::zero(size_options.compression);
    for (c, chunk) in plan.chunks.iter().enumerate() {
        let mut total = Sizes::zero(size_options.compression);
        for (k, m) in chunk.modules.iter().enumerate() {
            let s = &mut module_sizes[m.index()];
            s.gzip = Some(compressed[c].gzip_parts.get(k).copied().unwrap_or(0));
            total.raw += s.raw;
            total.min += s.min;
        }
        total.gzip = compressed[c].gzip;
        if chunk.initial {
            initial.add(&total);
        }
        chunk_sizes.push(total);
    }

    let mut input = AdviseInput::new(&graph, &plan, &linked.included, &module_sizes, &chunk_sizes, initial);
    input.deps = Some(&linked.deps);
    // As `ballast::analyze` does in source mode: regrouped modules compressed as the new chunks would be.
    let recompress = |drafts: &[ChunkDraft]| -> Vec<(Option<u64>, Option<u64>)> {
        let lists: Vec<Vec<ModuleIdx>> = drafts.iter().map(|d| d.modules.clone()).collect();
        let extras: Vec<&str> = drafts.iter().map(|d| d.extra.as_str()).collect();
        compress_chunks_with(&lists, &extras, &sizes, &size_options)
            .into_iter()
            .map(|c| (c.gzip, c.brotli))
            .collect()
    };
    input.recompress = Some(Recompress(&recompress));
    if let Some(heavy) = config.heavy {
        input.heavy_min_bytes = heavy.min.unwrap_or(input.heavy_min_bytes);
        input.heavy_share = heavy.share.map_or(input.heavy_share, |p| p / 100.0);
    }
    input.bundler = config.target.unwrap_or(Bundler::Vite);
    let advice = advise(&input);

    let mut md = String::new();
    let name = |m: ModuleIdx| graph.module(m).path.clone();
    let _ = writeln!(md, "# {}\n", root.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    let _ = writeln!(md, "initial: {}\n", sizes_text(&initial));
    let _ = writeln!(md, "## Chunks\n");
    for chunk in &plan.chunks {
        let modules: Vec<String> = chunk.modules.iter().map(|&m| name(m)).collect();
        let _ = writeln!(
            md,
            "- {} ({:?}{}): {}",
            chunk.name,
            chunk.kind,
            if chunk.initial { ", initial" } else { "" },
            modules.join(", ")
        );
    }
    let _ = writeln!(md, "\n## Retained\n");
    for (i, r) in advice.retained.iter().enumerate() {
        if let Some(r) = r {
            let _ = writeln!(md, "- {}: {}", graph.modules[i].path, sizes_text(r));
        }
    }
    let _ = writeln!(md, "\n## Findings\n");
    for f in &advice.findings {
        let _ = writeln!(md, "### {} ({:?})\n", f.code, f.severity);
        if let Some(file) = &f.file {
            match (f.line, f.column) {
                (Some(l), Some(c)) => writeln!(md, "- at: {file}:{l}:{c}"),
                _ => writeln!(md, "- at: {file}"),
            }
            .ok();
        }
        if let Some(p) = &f.package {
            let _ = writeln!(md, "- package: {p}");
        }
        if !f.modules.is_empty() {
            let modules: Vec<String> = f.modules.iter().map(|&m| name(m)).collect();
            let _ = writeln!(md, "- modules: {}", modules.join(", "));
        }
        if let Some(s) = &f.savings {
            let _ = writeln!(md, "- savings: {}", sizes_text(s));
        }
        let _ = writeln!(md, "\n{}\n", f.message);
        if let Some(s) = &f.suggestion {
            let _ = writeln!(md, "> {s}\n");
        }
        if let Some(config) = &f.config {
            for (k, v) in config {
                let _ = writeln!(md, "{k}:\n```js\n{v}```\n");
            }
        }
    }
    md
}

fn sizes_text(s: &Sizes) -> String {
    format!("raw {} / min {} / gzip {}", s.raw, s.min, s.gzip.map_or("-".to_string(), |g| g.to_string()))
}

#[test]
fn advice_snapshots() {
    insta::glob!("fixtures/*/_config.json", |path| {
        let md = run_case(path);
        insta::assert_snapshot!(md);
    });
}
