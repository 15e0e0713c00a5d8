//! Build mode: the real chunks from a bundler's stats. Module sizes are the bytes each module contributes to
//! its chunk's final code (they add up to the chunk exactly); compressed sizes come from compressing the real
//! chunk code once and sharing the result out in proportion.

use ballast_common::Compression;
use ballast_report::{Mode, Report};
use ballast_size::{ChunkCompression, SizeOptions, apportion, compress_chunk};
use ballast_stats::BuildInput;
use rayon::prelude::*;

use crate::assemble::{layout, measure, project_name};
use ballast_common::Bundler;

use crate::Options;

pub(crate) fn build_report(input: BuildInput, size_options: &SizeOptions, options: &Options) -> Report {
    let BuildInput { graph, chunks: plan, chunk_code, bundler, diagnostics, .. } = input;
    let min: Vec<u64> = graph.modules.iter().map(|m| m.rendered_size.unwrap_or(0)).collect();
    let included: Vec<bool> = plan.module_chunk.iter().map(Option::is_some).collect();
    let Compression { gzip, brotli } = size_options.compression;
    let measured = measure(&graph, &plan, &min, size_options, |lists| {
        lists
            .par_iter()
            .enumerate()
            .map(|(c, list)| match chunk_code.get(c).and_then(|code| code.as_deref()) {
                Some(code) => {
                    let whole = compress_chunk(&[code], gzip, brotli);
                    let weights: Vec<u64> = list.iter().map(|m| min[m.index()]).collect();
                    ChunkCompression {
                        gzip_parts: whole.gzip.map(|t| apportion(t, &weights)).unwrap_or_default(),
                        brotli_parts: whole.brotli.map(|t| apportion(t, &weights)).unwrap_or_default(),
                        ..whole
                    }
                }
                None => {
                    ChunkCompression { gzip: None, brotli: None, gzip_parts: vec![], brotli_parts: vec![] }
                }
            })
            .collect()
    });
    let mut report =
        layout(&graph, &plan, &measured, &included, Mode::Build, size_options.compression, diagnostics);
    let target = Bundler::parse(&bundler).unwrap_or(match bundler.as_str() {
        "rolldown" => Bundler::Rolldown,
        _ => Bundler::Vite,
    });
    report.target = bundler;
    report.minifier = "bundler".to_string();
    report.project = project_name(&options.root);
    let shipped = crate::assemble::Shipped { included: &included, deps: None, recompress: None };
    crate::assemble::advise(&graph, &plan, &measured, shipped, target, options, &mut report);
    report
}
