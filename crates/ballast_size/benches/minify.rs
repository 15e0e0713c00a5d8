//! `cargo bench -p ballast_size`: the render+minify stage (`measure_modules`, oxc, no cache) against its peer,
//! one parallel oxc minify pass (same options: top-level mangle, one compress iteration) over the same kept
//! code, on the real-package apps of fixtures/e2e (run scripts/e2e-setup.sh first). Issue 10's target: the stage
//! ≤ 2× the peer. Both run in the same command, so the ratio holds on a noisy machine.

use std::path::PathBuf;

use ballast_common::{Compression, DiskCache};
use ballast_link::{LinkOptions, link};
use ballast_scan::{ScanOptions, scan};
use ballast_size::{MinifierKind, SizeOptions, measure_modules, render_module};
use criterion::{Criterion, criterion_group, criterion_main};
use oxc::allocator::Allocator;
use oxc::codegen::{Codegen, CodegenOptions};
use oxc::minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
use oxc::parser::Parser;
use oxc::span::SourceType;
use rayon::prelude::*;

fn app(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(relative)
}

/// What a bundler's minify step does to one module: parse, compress, mangle, print.
fn oxc_pass(source: &str, source_type: SourceType) -> usize {
    let allocator = Allocator::default();
    let mut program = Parser::new(&allocator, source, source_type).parse().program;
    let options = MinifierOptions {
        mangle: Some(MangleOptions { top_level: Some(true), ..MangleOptions::default() }),
        compress: Some(CompressOptions { max_iterations: Some(1), ..CompressOptions::smallest() }),
        ..MinifierOptions::default()
    };
    let ret = Minifier::new(options).minify(&allocator, &mut program);
    Codegen::new().with_options(CodegenOptions::minify()).with_scoping(ret.scoping).build(&program).code.len()
}

fn bench_minify(c: &mut Criterion) {
    let mut group = c.benchmark_group("minify");
    group.sample_size(10);
    for (name, dir) in [("three-app", "fixtures/e2e/three-app"), ("big-app", "fixtures/e2e/big-app")] {
        let root = app(dir);
        if !root.parent().is_some_and(|p| p.join("node_modules").exists()) {
            eprintln!("skipping {name}: run scripts/e2e-setup.sh to install its packages");
            continue;
        }
        let graph = scan(&ScanOptions { root, ..ScanOptions::default() });
        let linked = link(&graph, &LinkOptions::default());
        let options = SizeOptions {
            minifier: MinifierKind::Oxc,
            esbuild: None,
            compression: Compression::default(),
            cache: DiskCache::disabled(),
        };
        // The peer's input: the code the stage minifies, rendered once outside the timing.
        let kept: Vec<(String, SourceType)> = (0..graph.modules.len())
            .filter(|&m| linked.included[m] && graph.modules[m].kind.is_script())
            .filter_map(|m| {
                let module = &graph.modules[m];
                let source_type = SourceType::from_path(&module.abs_path).unwrap_or_default();
                render_module(module, &linked, m).map(|code| (code.into_owned(), source_type))
            })
            .collect();
        let bytes: usize = kept.iter().map(|(code, _)| code.len()).sum();
        let label = format!("{name} ({} modules, {} kB kept)", kept.len(), bytes / 1000);
        group.bench_function(format!("stage {label}"), |b| {
            b.iter(|| measure_modules(&graph, &linked, &[], &[], &options))
        });
        group.bench_function(format!("oxc pass {label}"), |b| {
            b.iter(|| kept.par_iter().map(|(code, ty)| oxc_pass(code, *ty)).sum::<usize>())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_minify);
criterion_main!(benches);
