use std::path::PathBuf;

use ballast_chunk::{ChunkOptions, ChunkRules, ManualGroup};
use ballast_common::Compression;
use ballast_link::LinkOptions;
use ballast_scan::ScanOptions;
use ballast_size::{DiskCache, MinifierKind, SizeOptions};

use crate::Target;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MinifierChoice {
    #[default]
    Auto,
    Oxc,
    Swc,
    None,
}

impl MinifierChoice {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "auto" => MinifierChoice::Auto,
            "oxc" => MinifierChoice::Oxc,
            "swc" => MinifierChoice::Swc,
            "none" => MinifierChoice::None,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Absolute project root.
    pub root: PathBuf,
    /// Entries relative to the root; empty to detect them.
    pub entries: Vec<String>,
    /// Build mode: a stats file or dist folder.
    pub stats: Option<PathBuf>,
    pub target: Option<Target>,
    pub minifier: MinifierChoice,
    pub compression: Compression,
    /// `None`: no disk cache.
    pub cache_dir: Option<PathBuf>,
    /// Heavy-library threshold: minified bytes, and share of its chunk (0–1).
    pub heavy_min_bytes: u64,
    pub heavy_share: f64,
    /// `manualChunks`-style groups applied to the simulated chunks.
    pub groups: Vec<ManualGroup>,
    /// Import aliases from `ballast.json` (find → replacement), for projects without a Vite config.
    pub aliases: Vec<(String, String)>,
}

impl Options {
    pub fn new(root: PathBuf) -> Self {
        Options { root, heavy_min_bytes: 100_000, heavy_share: 0.5, ..Options::default() }
    }

    pub fn scan_options(&self) -> ScanOptions {
        ScanOptions {
            root: self.root.clone(),
            entries: self.entries.clone(),
            aliases: self.aliases.clone(),
            cache: self.cache_dir.clone().map_or_else(DiskCache::disabled, DiskCache::at),
        }
    }

    pub fn minifier_for(&self, target: Target) -> MinifierKind {
        match self.minifier {
            MinifierChoice::Auto if target.uses_swc() => MinifierKind::Swc,
            MinifierChoice::Auto | MinifierChoice::Oxc => MinifierKind::Oxc,
            MinifierChoice::Swc => MinifierKind::Swc,
            MinifierChoice::None => MinifierKind::None,
        }
    }

    pub fn size_options(&self, target: Target) -> SizeOptions {
        SizeOptions {
            minifier: self.minifier_for(target),
            compression: self.compression,
            cache: self.cache_dir.clone().map_or_else(DiskCache::disabled, DiskCache::at),
        }
    }

    pub fn link_options(&self, target: Target) -> LinkOptions {
        LinkOptions { default_is_alias: matches!(target, Target::Vite | Target::Rollup) }
    }

    pub fn chunk_options(&self, target: Target) -> ChunkOptions {
        let rules = match target {
            Target::Vite | Target::Rollup => ChunkRules::Rollup,
            Target::Rolldown => ChunkRules::Rolldown,
            Target::Webpack | Target::Rspack => ChunkRules::Webpack,
            Target::Esbuild => ChunkRules::Esbuild,
        };
        ChunkOptions { groups: self.groups.clone(), rules }
    }
}
