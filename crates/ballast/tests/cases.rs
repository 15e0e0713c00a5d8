//! One folder per case under `fixtures/cases/`, each with a `_config.json` (a `ballast.json`: entries, target,
//! minifier, …) and a readable Markdown snapshot beside it: the scan, the graph, the tree-shaking estimate and
//! the chunk plan. See fixtures/README.md.

use std::fmt::Write;

use ballast::{Bundler, MinifierChoice, Options, analyze};
use ballast_common::Compression;

#[test]
fn cases() {
    insta::glob!("../../../fixtures/cases", "*/_config.json", |config_path| {
        let dir = config_path.parent().unwrap();
        let options = case_options(config_path);
        let markdown = match analyze(&options) {
            Ok(report) => render(&report),
            Err(e) => format!("analysis failed: {e}\n"),
        };
        insta::with_settings!({ snapshot_path => dir, prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!("pipeline", markdown);
        });
    });
}

fn render(report: &ballast_report::Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# modules\n");
    for m in &report.modules {
        let package = m.package.map(|p| {
            let p = &report.packages[p.index()];
            format!(" [{}@{}]", p.name, p.version)
        });
        let _ = writeln!(
            out,
            "- {} `{}` {} {}{}{} raw={} min={}",
            m.id,
            m.path,
            m.kind,
            m.format,
            package.unwrap_or_default(),
            if m.included { "" } else { " (dropped)" },
            m.sizes.raw,
            m.sizes.min
        );
    }
    // Every module that ships sits in a chunk.
    for m in &report.modules {
        let chunkable = ["js", "ts", "jsx", "tsx", "json", "css", "text"].contains(&m.kind.as_str());
        assert!(!m.included || !chunkable || m.chunk.is_some(), "{} ships but is in no chunk", m.path);
    }
    let _ = writeln!(out, "\n# imports\n");
    for i in &report.imports {
        let to =
            i.to.map(|t| format!("`{}`", report.modules[t.index()].path))
                .unwrap_or_else(|| "unresolved".into());
        let names = if i.names.is_empty() { String::new() } else { format!(" {{{}}}", i.names.join(", ")) };
        let _ = writeln!(
            out,
            "- `{}`:{}:{} {} '{}'{} → {}",
            report.modules[i.from.index()].path,
            i.line,
            i.column,
            i.kind,
            i.specifier,
            names,
            to
        );
    }
    let _ = writeln!(out, "\n# chunks\n");
    for c in &report.chunks {
        let modules: Vec<&str> = c.modules.iter().map(|m| report.modules[m.index()].path.as_str()).collect();
        let _ = writeln!(
            out,
            "- {} ({}{}) imports {:?} dynamic {:?} min={} gzip={}\n  - {}",
            c.name,
            c.kind,
            if c.initial { ", initial" } else { "" },
            c.imports.iter().map(|i| i.index()).collect::<Vec<_>>(),
            c.dynamic_imports.iter().map(|i| i.index()).collect::<Vec<_>>(),
            c.sizes.min,
            c.sizes.gzip.unwrap_or(0),
            modules.join("\n  - ")
        );
    }
    let sum_gzip: u64 = report
        .chunks
        .iter()
        .flat_map(|c| &c.modules)
        .map(|m| report.modules[m.index()].sizes.gzip.unwrap_or(0))
        .sum();
    let chunk_gzip: u64 = report
        .chunks
        .iter()
        .map(|c| c.sizes.gzip.unwrap_or(0) + c.css.and_then(|s| s.gzip).unwrap_or(0))
        .sum();
    assert_eq!(sum_gzip, chunk_gzip, "module gzip shares must add up to the chunks'");
    let _ = writeln!(out, "\n# diagnostics\n");
    for d in &report.diagnostics {
        let _ = writeln!(
            out,
            "- {} {} {}: {}",
            format!("{:?}", d.severity).to_lowercase(),
            d.code.as_str(),
            d.location().unwrap_or_default(),
            d.message
        );
    }
    out
}

/// The case's `_config.json`, read by the real `ballast.json` parser so a typo fails the case; what it leaves
/// unset is what every case shares (Vite, oxc, gzip only).
fn case_options(config_path: &std::path::Path) -> Options {
    let text = std::fs::read_to_string(config_path).unwrap();
    let config = ballast_budget::parse_config(&text, &config_path.display().to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut options = Options::new(config_path.parent().unwrap().to_path_buf());
    options.entries = config.entries;
    options.aliases = config.aliases;
    options.target = Some(config.target.unwrap_or(Bundler::Vite));
    options.minifier = config.minifier.unwrap_or(MinifierChoice::Oxc);
    options.compression = config.compression.unwrap_or(Compression { gzip: true, brotli: false });
    if let Some(heavy) = config.heavy {
        options.heavy_min_bytes = heavy.min.unwrap_or(options.heavy_min_bytes);
        options.heavy_share = heavy.share.map_or(options.heavy_share, |p| p / 100.0);
    }
    options
}

#[test]
fn a_typo_in_a_case_config_fails() {
    let e = ballast_budget::parse_config(
        r#"{ "entries": ["src/main.js"], "targt": "rolldown" }"#,
        "_config.json",
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("targt"), "{e}");
}
