//! The import scanner on a project whose entry is the input (with a few files it may import), then the link
//! stage and the oxc minifier on what it keeps. Any bytes: a graph with diagnostics.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use ballast_size::{DiskCache, MinifierKind, SizeOptions};
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep().canonicalize().unwrap();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/a.js"), "export const a = 1; export default function f() {}\n").unwrap();
        std::fs::write(dir.join("src/b.css"), ".b { color: red }\n").unwrap();
        std::fs::write(dir.join("src/c.json"), "{\"c\": 1}\n").unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = dir();
    for entry in ["src/main.js", "src/main.tsx"] {
        std::fs::write(dir.join(entry), data).unwrap();
        let options = ballast_scan::ScanOptions {
            root: dir.clone(),
            entries: vec![entry.to_string()],
            ..ballast_scan::ScanOptions::default()
        };
        let graph = ballast_scan::scan(&options);
        let linked = ballast_link::link(&graph, &ballast_link::LinkOptions::default());
        let sizes = SizeOptions {
            minifier: MinifierKind::Oxc,
            esbuild: None,
            compression: ballast_common::Compression { gzip: false, brotli: false },
            cache: DiskCache::disabled(),
        };
        let _ = ballast_size::measure_modules(&graph, &linked, &[], &sizes);
        std::fs::remove_file(dir.join(entry)).unwrap();
    }
});
