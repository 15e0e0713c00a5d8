//! The one call the CLI and tests need: `analyze(&Options) -> Report`. The stages, in order:
//! scan (or stats) → link → chunk → render+minify → compress → advise → assemble the report.

mod assemble;
mod build;
mod copies;
mod options;
mod snapshot;
mod target;
mod timings;
mod why;

use ballast_common::{Diagnostic, DiagnosticCode};
use ballast_report::{Mode, Report};

pub use ballast_common::Bundler;
pub use ballast_common::MinifierChoice;
pub use ballast_scan::ScanMemo;
pub use ballast_size::write_atomic;
pub use options::Options;
pub use target::{BundlerStages, detect_target};
pub use why::why;

#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    /// Nothing to analyse: the diagnostics say why (a missing entry, an unreadable stats file).
    #[error("{}", .0.first().map(|d| d.message.clone()).unwrap_or_default())]
    Input(Vec<Diagnostic>),
}

/// One analysis; what it added to the disk cache is written at its end (one append per pack).
pub fn analyze(options: &Options) -> Result<Report, AnalyzeError> {
    let result = analyze_uncommitted(options);
    if let Some(dir) = &options.cache_dir {
        ballast_size::DiskCache::at(dir.clone()).flush();
    }
    result
}

fn analyze_uncommitted(options: &Options) -> Result<Report, AnalyzeError> {
    let target = options.target.unwrap_or_else(|| detect_target(&options.root));
    let size_options = options.size_options(target);
    match &options.stats {
        None => {
            let mut timings = timings::Timings::start();
            let snapshot_key = snapshot::key(options, target);
            if !options.no_snapshot
                && let Some(report) = snapshot::load(&size_options.cache, &snapshot_key)
            {
                timings.lap("unchanged since the cached analysis");
                return Ok(report);
            }
            let graph = ballast_scan::scan(&options.scan_options(target));
            timings.lap("scan");
            if graph.entries.is_empty() {
                let mut errors: Vec<Diagnostic> = graph
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == DiagnosticCode::MissingEntry)
                    .cloned()
                    .collect();
                if errors.is_empty() {
                    errors.push(Diagnostic::error(
                        DiagnosticCode::MissingEntry,
                        "no entry module could be loaded",
                    ));
                }
                return Err(AnalyzeError::Input(errors));
            }
            let linked = ballast_link::link(&graph, &target.link_options());
            timings.lap("link");
            let plan = ballast_chunk::plan_chunks(&graph, &linked, &options.chunk_options(target));
            timings.lap("chunk");
            // webpack prints a module-table entry around every module it cannot hoist.
            let wrappers = match target.chunk_rules() {
                ballast_chunk::ChunkRules::Webpack => ballast_chunk::module_wrappers(&graph, &linked, &plan),
                _ => Vec::new(),
            };
            let glue = ballast_chunk::chunk_glue(&graph, &linked, &plan, &target.glue_options());
            let chunk_modules: Vec<Vec<ballast_common::ModuleIdx>> =
                plan.chunks.iter().map(|c| c.modules.clone()).collect();
            let sizes =
                ballast_size::measure_modules(&graph, &linked, &wrappers, &chunk_modules, &size_options);
            timings.lap("render+minify");
            let copies = copies::worker_copies(&graph, &linked, &plan, &target.link_options(), &size_options);
            let report = assemble::source_report(
                &graph,
                &linked,
                (&sizes, &copies),
                (&plan, &glue),
                &size_options,
                target,
                options,
            );
            timings.lap("compress+advise+report");
            if !options.no_snapshot {
                snapshot::store(&size_options.cache, &snapshot_key, &options.root, &graph, &report);
            }
            timings.lap("store snapshot");
            Ok(report)
        }
        Some(stats) => {
            let input = ballast_stats::load_stats(stats, &options.root)
                .map_err(|e| AnalyzeError::Input(vec![e.diagnostic()]))?;
            Ok(build::build_report(input, &size_options, options))
        }
    }
}

pub fn mode_of(options: &Options) -> Mode {
    if options.stats.is_some() { Mode::Build } else { Mode::Source }
}
