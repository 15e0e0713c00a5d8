//! Comparing two measurements (baseline → head) into the report's [`Diff`].

use ballast_common::Sizes;
use ballast_report::{Change, CountDelta, Diff, ItemDelta, Measured, SizeDelta};

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
        modules: CountDelta::new(base.modules, head.modules),
        added_chunks: names_with(&chunks, Change::Added),
        removed_chunks: names_with(&chunks, Change::Removed),
        added_packages: names_with(&packages, Change::Added),
        removed_packages: names_with(&packages, Change::Removed),
        chunks,
        packages,
    }
}
