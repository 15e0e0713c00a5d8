//! Comparing two measurements (baseline → head).

use crate::measured::Measured;
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

fn merge(base: &[(String, Sizes)], head: &[(String, Sizes)]) -> Vec<ItemDelta> {
    let sum_by_name = |items: &[(String, Sizes)]| {
        let mut out: Vec<(String, Sizes)> = Vec::new();
        for (name, sizes) in items {
            match out.iter_mut().find(|(n, _)| n == name) {
                Some((_, s)) => s.add(sizes),
                None => out.push((name.clone(), *sizes)),
            }
        }
        out
    };
    let base = sum_by_name(base);
    let head = sum_by_name(head);
    let mut names: Vec<&String> = base.iter().chain(head.iter()).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let b = base.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
            let h = head.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
            let change = match (b, h) {
                (None, _) => Change::Added,
                (_, None) => Change::Removed,
                (Some(b), Some(h)) if b == h => Change::Unchanged,
                _ => Change::Changed,
            };
            let zero_like = |s: Option<Sizes>, other: Option<Sizes>| {
                s.unwrap_or_else(|| {
                    let o = other.unwrap_or_default();
                    Sizes { raw: 0, min: 0, gzip: o.gzip.map(|_| 0), brotli: o.brotli.map(|_| 0) }
                })
            };
            ItemDelta { name: name.clone(), change, sizes: SizeDelta::new(zero_like(b, h), zero_like(h, b)) }
        })
        .collect()
}

fn names_with(items: &[ItemDelta], change: Change) -> Vec<String> {
    items.iter().filter(|i| i.change == change).map(|i| i.name.clone()).collect()
}

/// Compares `base` (the baseline) with `head` (today).
pub fn diff(base: &Measured, head: &Measured) -> Diff {
    let chunk_list =
        |m: &Measured| m.chunks.iter().map(|c| (c.name.clone(), c.sizes)).collect::<Vec<(String, Sizes)>>();
    let chunks = merge(&chunk_list(base), &chunk_list(head));
    let packages = merge(&base.packages, &head.packages);
    Diff {
        total: SizeDelta::new(base.total, head.total),
        initial: SizeDelta::new(base.initial, head.initial),
        modules: CountDelta {
            base: base.modules,
            head: head.modules,
            delta: signed(base.modules, head.modules),
        },
        added_chunks: names_with(&chunks, Change::Added),
        removed_chunks: names_with(&chunks, Change::Removed),
        added_packages: names_with(&packages, Change::Added),
        removed_packages: names_with(&packages, Change::Removed),
        chunks,
        packages,
    }
}
