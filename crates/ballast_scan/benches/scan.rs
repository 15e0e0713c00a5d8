//! `cargo bench -p ballast_scan`: the scan stage (entries, resolution, parsing, graph) on the real-package
//! apps of fixtures/e2e (run scripts/e2e-setup.sh first) and on a hand-made fixture, cold (no cache).

use std::path::PathBuf;

use ballast_scan::{ScanOptions, scan};
use criterion::{Criterion, criterion_group, criterion_main};

fn app(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(relative)
}

fn bench_scan(c: &mut Criterion) {
    let mut group = c.benchmark_group("scan");
    group.sample_size(20);
    for (name, dir) in [
        ("fixture-assets", "fixtures/cases/assets"),
        ("three-app", "fixtures/e2e/three-app"),
        ("big-app", "fixtures/e2e/big-app"),
    ] {
        let root = app(dir);
        if !root.join("index.html").exists() && !root.join("_config.json").exists() {
            continue;
        }
        if name.starts_with("fixture") || root.parent().is_some_and(|p| p.join("node_modules").exists()) {
            let options = ScanOptions {
                root,
                entries: if name.starts_with("fixture") { vec!["src/main.js".into()] } else { vec![] },
                ..ScanOptions::default()
            };
            let modules = scan(&options).modules.len();
            group.bench_function(format!("{name} ({modules} modules)"), |b| b.iter(|| scan(&options)));
        } else {
            eprintln!("skipping {name}: run scripts/e2e-setup.sh to install its packages");
        }
    }
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
