use std::path::PathBuf;

use ballast_chunk::ChunkOptions;
use ballast_common::Compression;
use ballast_scan::ScanOptions;
use ballast_size::{DiskCache, MinifierKind, SizeOptions};

use ballast_common::{Bundler, MinifierChoice};

use crate::target::BundlerStages;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Absolute project root.
    pub root: PathBuf,
    /// Entries relative to the root; empty to detect them.
    pub entries: Vec<String>,
    /// Build mode: a stats file or dist folder.
    pub stats: Option<PathBuf>,
    pub target: Option<Bundler>,
    pub minifier: MinifierChoice,
    pub compression: Compression,
    /// `None`: no disk cache.
    pub cache_dir: Option<PathBuf>,
    /// Heavy-library threshold: minified bytes, and share of its chunk (0–1).
    pub heavy_min_bytes: u64,
    pub heavy_share: f64,
    /// Import aliases from `ballast.json` (find → replacement), for projects without a Vite config.
    pub aliases: Vec<(String, String)>,
    /// Neither look up nor store the whole-analysis snapshot (the per-module caches still serve): a watch's
    /// re-run knows something changed, and storing the report every time costs more than it saves.
    pub no_snapshot: bool,
    /// A watch's modules from its earlier runs, taken back by the scan while their files are unchanged.
    pub scan_memo: Option<std::sync::Arc<ballast_scan::ScanMemo>>,
}

impl Options {
    pub fn new(root: PathBuf) -> Self {
        Options { root, heavy_min_bytes: 100_000, heavy_share: 0.5, ..Options::default() }
    }

    pub fn scan_options(&self, target: Bundler) -> ScanOptions {
        ScanOptions {
            root: self.root.clone(),
            entries: self.entries.clone(),
            aliases: self.aliases.clone(),
            cache: self.cache_dir.clone().map_or_else(DiskCache::disabled, DiskCache::at),
            bundler_code: target.bundler_code(),
            inline_constants: target == Bundler::Rolldown,
            memo: self.scan_memo.clone(),
        }
    }

    /// Vite ≤ 7 and esbuild ship esbuild's output, so the project's esbuild minifies when it is installed
    /// (oxc otherwise); webpack, Rspack and Next.js ship swc's; Vite 8 oxc's.
    pub fn minifier_for(&self, target: Bundler) -> (MinifierKind, Option<PathBuf>) {
        let esbuild = || ballast_size::find_esbuild(&self.root);
        match self.minifier {
            MinifierChoice::Auto if target.uses_swc() => (MinifierKind::Swc, None),
            MinifierChoice::Auto if matches!(target, Bundler::Vite | Bundler::Esbuild) => match esbuild() {
                Some(binary) => (MinifierKind::Esbuild, Some(binary)),
                None => (MinifierKind::Oxc, None),
            },
            MinifierChoice::Esbuild => match esbuild() {
                Some(binary) => (MinifierKind::Esbuild, Some(binary)),
                None => (MinifierKind::Oxc, None),
            },
            MinifierChoice::Auto | MinifierChoice::Oxc => (MinifierKind::Oxc, None),
            MinifierChoice::Swc => (MinifierKind::Swc, None),
            MinifierChoice::None => (MinifierKind::None, None),
        }
    }

    pub fn size_options(&self, target: Bundler) -> SizeOptions {
        let (minifier, esbuild) = self.minifier_for(target);
        SizeOptions {
            minifier,
            esbuild,
            compression: self.compression,
            cache: self.cache_dir.clone().map_or_else(DiskCache::disabled, DiskCache::at),
        }
    }

    pub fn chunk_options(&self, target: Bundler) -> ChunkOptions {
        ChunkOptions { rules: target.chunk_rules() }
    }
}
