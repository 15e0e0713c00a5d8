//! The link stage and the chunk planner on a project of four modules cut from the input (at `\0` bytes), each
//! free to import the others (`./m0.js` … `./m3.js`, `export *`, cycles, namespaces), under every bundler's
//! rules. Any bytes: a linked graph and a chunk plan, no panic, no hang.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use ballast_chunk::{ChunkOptions, ChunkRules};
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep().canonicalize().unwrap();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = dir();
    let mut parts = data.split(|b| *b == 0);
    for i in 0..4 {
        let part = parts.next().unwrap_or(b"");
        std::fs::write(dir.join(format!("src/m{i}.js")), part).unwrap();
    }
    let options = ballast_scan::ScanOptions {
        root: dir.clone(),
        entries: vec!["src/m0.js".to_string()],
        ..ballast_scan::ScanOptions::default()
    };
    let graph = ballast_scan::scan(&options);
    for (default_is_alias, named_reexports_are_dependencies, rules) in [
        (true, false, ChunkRules::Rollup),
        (false, true, ChunkRules::Rolldown),
        (false, false, ChunkRules::Webpack),
        (false, false, ChunkRules::Esbuild),
    ] {
        let link = ballast_link::LinkOptions { default_is_alias, named_reexports_are_dependencies };
        let linked = ballast_link::link(&graph, &link);
        let plan = ballast_chunk::plan_chunks(&graph, &linked, &ChunkOptions { rules });
        assert_eq!(plan.module_chunk.len(), graph.modules.len());
    }
});
