//! What changed between two measurements (a baseline and the current build): the output of
//! `ballast_budget::diff`, for `ballast diff` and a budget's baseline.

use ballast_common::{Metric, Sizes};
use serde::Serialize;

/// Signed change in every metric; `gzip`/`brotli` absent unless measured on both sides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Deltas {
    pub raw: i64,
    pub min: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gzip: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brotli: Option<i64>,
}

fn signed(a: u64, b: u64) -> i64 {
    i64::try_from(b).unwrap_or(i64::MAX).saturating_sub(i64::try_from(a).unwrap_or(i64::MAX))
}

impl Deltas {
    pub fn between(base: &Sizes, head: &Sizes) -> Deltas {
        let opt = |a: Option<u64>, b: Option<u64>| Some(signed(a?, b?));
        Deltas {
            raw: signed(base.raw, head.raw),
            min: signed(base.min, head.min),
            gzip: opt(base.gzip, head.gzip),
            brotli: opt(base.brotli, head.brotli),
        }
    }

    pub fn get(&self, metric: Metric) -> Option<i64> {
        match metric {
            Metric::Raw => Some(self.raw),
            Metric::Min => Some(self.min),
            Metric::Gzip => self.gzip,
            Metric::Brotli => self.brotli,
        }
    }
}

/// Before, after and change of one thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SizeDelta {
    pub base: Sizes,
    pub head: Sizes,
    pub delta: Deltas,
}

impl SizeDelta {
    pub fn new(base: Sizes, head: Sizes) -> SizeDelta {
        SizeDelta { base, head, delta: Deltas::between(&base, &head) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Change {
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// A chunk or package on either side. An added one has zero `base`, a removed one zero `head`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemDelta {
    pub name: String,
    pub change: Change,
    #[serde(flatten)]
    pub sizes: SizeDelta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CountDelta {
    pub base: u64,
    pub head: u64,
    pub delta: i64,
}

impl CountDelta {
    pub fn new(base: u64, head: u64) -> CountDelta {
        CountDelta { base, head, delta: signed(base, head) }
    }
}

/// Everything that changed between a baseline and the current build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    pub total: SizeDelta,
    pub initial: SizeDelta,
    pub modules: CountDelta,
    /// Every chunk of either side, by name.
    pub chunks: Vec<ItemDelta>,
    /// Every package of either side, by name.
    pub packages: Vec<ItemDelta>,
    pub added_chunks: Vec<String>,
    pub removed_chunks: Vec<String>,
    pub added_packages: Vec<String>,
    pub removed_packages: Vec<String>,
}
