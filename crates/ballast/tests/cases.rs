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
        for copy in &c.copies {
            let _ = writeln!(
                out,
                "  - copy of `{}` min={} gzip={}",
                report.modules[copy.module.index()].path,
                copy.sizes.min,
                copy.sizes.gzip.unwrap_or(0)
            );
        }
    }
    // A worker's copies of modules the page also uses, and the glue between chunks, are counted in their chunk,
    // beside the modules' own shares.
    let sum_gzip: u64 = report
        .chunks
        .iter()
        .flat_map(|c| &c.modules)
        .map(|m| report.modules[m.index()].sizes.gzip.unwrap_or(0))
        .sum::<u64>()
        + report.chunks.iter().flat_map(|c| &c.copies).map(|c| c.sizes.gzip.unwrap_or(0)).sum::<u64>()
        + report.chunks.iter().filter_map(|c| c.glue.and_then(|g| g.gzip)).sum::<u64>();
    let chunk_gzip: u64 = report
        .chunks
        .iter()
        .map(|c| c.sizes.gzip.unwrap_or(0) + c.css.and_then(|s| s.gzip).unwrap_or(0))
        .sum();
    assert_eq!(sum_gzip, chunk_gzip, "module gzip shares must add up to the chunks'");
    render_findings(report, &mut out);
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

/// What `advise` found, with the retained sizes its split points rank by.
fn render_findings(report: &ballast_report::Report, out: &mut String) {
    let sizes = |s: &ballast_common::Sizes| {
        format!("raw {} / min {} / gzip {}", s.raw, s.min, s.gzip.map_or("-".to_string(), |g| g.to_string()))
    };
    let _ = writeln!(out, "\n# retained\n");
    for m in report.modules.iter().filter(|m| m.retained.is_some_and(|r| r.min > 0)) {
        let _ = writeln!(out, "- `{}`: {}", m.path, m.retained.as_ref().map(sizes).unwrap_or_default());
    }
    let _ = writeln!(out, "\n# findings\n");
    for f in &report.findings {
        let _ = writeln!(out, "## {} ({})\n", f.code, format!("{:?}", f.severity).to_lowercase());
        if let Some(file) = &f.file {
            let at = match (f.line, f.column) {
                (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
                _ => file.clone(),
            };
            let _ = writeln!(out, "- at: {at}");
        }
        if let Some(p) = &f.package {
            let _ = writeln!(out, "- package: {p}");
        }
        if !f.modules.is_empty() {
            let modules: Vec<String> =
                f.modules.iter().map(|&m| format!("`{}`", report.modules[m.index()].path)).collect();
            let _ = writeln!(out, "- modules: {}", modules.join(", "));
        }
        if let Some(s) = &f.savings {
            let _ = writeln!(out, "- savings: {}", sizes(s));
        }
        let _ = writeln!(out, "\n{}\n", f.message);
        if let Some(s) = &f.suggestion {
            let _ = writeln!(out, "> {s}\n");
        }
        for (key, snippet) in f.config.iter().flatten() {
            let _ = writeln!(out, "{key}:\n```js\n{snippet}```\n");
        }
    }
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
