//! Build-mode readers on the real fixtures (fixtures/stats/, made by real builds of one small app) and on small
//! hand-made bad inputs. Every chunk of every format keeps the invariant: its modules' rendered sizes add up to
//! its bytes.

use std::fmt::Write;
use std::path::Path;

use ballast_stats::{BuildInput, load_stats};

const STATS: &str = "../../fixtures/stats";

fn summary(input: &BuildInput) -> String {
    let graph = &input.graph;
    let chunks = &input.chunks.chunks;
    let mut out = String::new();
    let _ = writeln!(out, "bundler: {}", input.bundler);
    for entry in &graph.entries {
        let _ = writeln!(out, "entry {} -> {}", entry.name, graph.module(entry.module).path);
    }
    for (c, chunk) in chunks.iter().enumerate() {
        let names = |list: &[ballast_common::ChunkIdx]| -> String {
            list.iter().map(|i| chunks[i.index()].name.as_str()).collect::<Vec<_>>().join(", ")
        };
        let sum: u64 = chunk.modules.iter().filter_map(|m| graph.module(*m).rendered_size).sum();
        let _ = writeln!(
            out,
            "\nchunk {} ({:?}{}) {} bytes, modules sum {sum}{}",
            chunk.name,
            chunk.kind,
            if chunk.initial { ", initial" } else { "" },
            input.chunk_bytes[c],
            if input.chunk_code[c].is_some() { ", code" } else { "" },
        );
        if let Some(facade) = chunk.facade {
            let _ = writeln!(out, "  facade: {}", graph.module(facade).path);
        }
        if !chunk.imports.is_empty() {
            let _ = writeln!(out, "  imports: {}", names(&chunk.imports));
        }
        if !chunk.dynamic_imports.is_empty() {
            let _ = writeln!(out, "  dynamic imports: {}", names(&chunk.dynamic_imports));
        }
        for m in &chunk.modules {
            let module = graph.module(*m);
            let package = graph.package_name(*m).map(|p| format!("  [{p}]")).unwrap_or_default();
            let _ = writeln!(out, "  {:>6}  {}{package}", module.rendered_size.unwrap_or(0), module.path);
        }
    }
    let _ = writeln!(out, "\nimports:");
    for import in &graph.imports {
        let to = import
            .to
            .map(|t| graph.module(t).path.clone())
            .unwrap_or_else(|| format!("? {}", import.specifier));
        let _ = writeln!(out, "  {} -> {} ({})", graph.module(import.from).path, to, import.kind.as_str());
    }
    let unplaced: Vec<&str> = graph
        .modules
        .iter()
        .enumerate()
        .filter(|(m, _)| input.chunks.module_chunk[*m].is_none())
        .map(|(_, module)| module.path.as_str())
        .collect();
    if !unplaced.is_empty() {
        let _ = writeln!(out, "\nnot in a chunk: {}", unplaced.join(", "));
    }
    for package in &graph.packages {
        let _ = writeln!(
            out,
            "package {}@{} ({}, {} modules)",
            package.name,
            package.version,
            package.dir,
            package.modules.len()
        );
    }
    for d in &input.diagnostics {
        let _ = writeln!(
            out,
            "diagnostic {} {}: {}{}",
            d.code.as_str(),
            d.location().unwrap_or_default(),
            d.message,
            d.help.as_ref().map(|h| format!(" (help: {h})")).unwrap_or_default()
        );
    }
    out
}

/// The invariant, plus the structural facts every reader must keep.
fn check(input: &BuildInput) {
    let graph = &input.graph;
    assert_eq!(input.chunks.chunks.len(), input.chunk_bytes.len());
    assert_eq!(input.chunks.chunks.len(), input.chunk_code.len());
    assert_eq!(input.chunks.module_chunk.len(), graph.modules.len());
    assert!(graph.modules.windows(2).all(|w| w[0].path < w[1].path), "modules sorted by path");
    for (c, chunk) in input.chunks.chunks.iter().enumerate() {
        let sum: u64 = chunk.modules.iter().filter_map(|m| graph.module(*m).rendered_size).sum();
        assert_eq!(sum, input.chunk_bytes[c], "chunk {} modules add up to its bytes", chunk.name);
        if let Some(code) = &input.chunk_code[c] {
            assert_eq!(code.len() as u64, input.chunk_bytes[c], "chunk {} code length", chunk.name);
        }
        for m in &chunk.modules {
            assert_eq!(input.chunks.module_chunk[m.index()].map(|i| i.index()), Some(c));
        }
    }
    assert!(!graph.entries.is_empty(), "an entry");
    assert!(input.chunks.chunks.first().is_some_and(|c| c.initial), "entry chunk first");
}

fn load(path: &str, root: &str) -> BuildInput {
    let input = load_stats(Path::new(path), Path::new(root)).unwrap_or_else(|e| panic!("{path}: {e}"));
    check(&input);
    let again = load_stats(Path::new(path), Path::new(root)).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(summary(&input), summary(&again), "deterministic");
    input
}

#[test]
fn vite7_rollup() {
    let input = load(&format!("{STATS}/vite7-bundle.json"), "/project");
    assert_eq!(input.bundler, "rollup");
    assert_eq!(input.chunk_bytes, vec![3259, 458]);
    insta::assert_snapshot!(summary(&input));
}

#[test]
fn vite8_rolldown() {
    let input = load(&format!("{STATS}/vite8-bundle.json"), "/project");
    assert_eq!(input.bundler, "rolldown");
    assert_eq!(input.chunk_bytes, vec![3704, 444]);
    insta::assert_snapshot!(summary(&input));
}

#[test]
fn esbuild_metafile() {
    let input = load(&format!("{STATS}/esbuild-meta.json"), "/project");
    assert_eq!(input.bundler, "esbuild");
    insta::assert_snapshot!(summary(&input));
}

#[test]
fn webpack_stats() {
    let input = load(&format!("{STATS}/webpack-stats.json"), "/project");
    assert_eq!(input.bundler, "webpack");
    assert_eq!(input.chunk_bytes, vec![3925, 557]);
    insta::assert_snapshot!(summary(&input));
}

#[test]
fn sourcemap_dist() {
    let input = load(&format!("{STATS}/sourcemap-dist"), STATS);
    assert_eq!(input.bundler, "sourcemap");
    assert_eq!(input.chunk_bytes, vec![3302, 502]);
    insta::assert_snapshot!(summary(&input));
}

#[test]
fn sourcemap_single_file() {
    let input = load(&format!("{STATS}/sourcemap-dist/assets/report-Dv7lphJI.js"), STATS);
    assert_eq!(input.chunk_bytes, vec![502]);
    insta::assert_snapshot!(summary(&input));
}

#[test]
fn sourcemap_out_of_range_is_clamped() {
    let input = load("tests/fixtures/bad-map", "tests/fixtures");
    assert!(!input.diagnostics.is_empty());
    insta::assert_snapshot!(summary(&input));
}

fn error(path: &str) -> String {
    match load_stats(Path::new(path), Path::new("/project")) {
        Ok(_) => panic!("{path} should not load"),
        Err(e) => format!("{e}\nhint: {}\ndiagnostic: {:?}", e.hint(), e.diagnostic().location()),
    }
}

#[test]
fn truncated_json() {
    insta::assert_snapshot!(error("tests/fixtures/truncated.json"));
}

#[test]
fn wrong_shape() {
    insta::assert_snapshot!(error("tests/fixtures/wrong-shape.json"));
}

#[test]
fn unknown_format() {
    insta::assert_snapshot!(error("tests/fixtures/unknown.json"));
}

#[test]
fn folder_without_javascript() {
    insta::assert_snapshot!(error("tests/fixtures/no-js"));
}

#[test]
fn missing_file() {
    let message = error("tests/fixtures/does-not-exist.json");
    assert!(message.starts_with("cannot read tests/fixtures/does-not-exist.json"), "{message}");
}

/// Vite bundle data built with sourcemaps (`map` set): the minified bytes are attributed through the map, not
/// scaled. Made from the vite7 fixture with the code and maps of the sourcemap build.
#[test]
fn vite_bundle_with_maps() {
    let text = std::fs::read_to_string(format!("{STATS}/vite7-bundle.json")).unwrap_or_default();
    let mut bundle: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let built = [("assets/index-D8Q48upz.js", 0), ("assets/report-Dv7lphJI.js", 1)];
    for (file, c) in built {
        let code = std::fs::read_to_string(format!("{STATS}/sourcemap-dist/{file}")).unwrap_or_default();
        let map = std::fs::read_to_string(format!("{STATS}/sourcemap-dist/{file}.map")).unwrap_or_default();
        let chunk = &mut bundle["chunks"][c];
        chunk["fileName"] = file.into();
        chunk["code"] = code.into();
        chunk["map"] = serde_json::from_str(&map).unwrap_or_default();
    }
    bundle["chunks"][0]["dynamicImports"] = serde_json::json!(["assets/report-Dv7lphJI.js"]);
    bundle["chunks"][1]["imports"] = serde_json::json!(["assets/index-D8Q48upz.js"]);
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ballast-stats-vite-with-maps.json");
    std::fs::write(&path, bundle.to_string()).unwrap_or_default();
    let input = load(&path.to_string_lossy(), "/project");
    assert_eq!(input.chunk_bytes, vec![3302, 502]);
    insta::assert_snapshot!(summary(&input));
}
