//! The self-contained HTML treemap: static assets embedded in the binary, data as compact JSON (string table
//! for path segments, flat size arrays; docs/html-data.md) that cannot break out of its `<script>`.

use std::collections::HashMap;

use ballast_common::{Metric, Sizes};
use serde_json::{Value, json};

use crate::Report;

const TEMPLATE: &str = include_str!("../../assets/report.html");
const CSS: &str = include_str!("../../assets/report.css");
const JS: &str = include_str!("../../assets/report.js");

pub fn render(report: &Report) -> String {
    render_with(report, None)
}

/// The report, with a compare view against `baseline` (an earlier report of the same project, measured with
/// the same target and compression: the caller checks that) when one is given.
pub fn render_with(report: &Report, baseline: Option<&Report>) -> String {
    let mut value = compact(report);
    if let (Some(base), Value::Object(map)) = (baseline, &mut value) {
        map.insert("base".to_string(), compare(report, base));
    }
    let data = escape_json(&value.to_string());
    // Data last, so nothing inside it is ever taken for a token.
    TEMPLATE.replacen("/*__BALLAST_CSS__*/", CSS, 1).replacen("/*__BALLAST_JS__*/", JS, 1).replacen(
        "__BALLAST_DATA__",
        &data,
        1,
    )
}

/// `<`, `>`, `&`, U+2028 and U+2029 as JSON escapes: still the same JSON, never markup.
pub fn escape_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

struct Strings {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

impl Strings {
    fn id(&mut self, s: &str) -> usize {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), self.list.len() - 1);
        self.list.len() - 1
    }
}

fn compact(report: &Report) -> Value {
    let metrics = metrics_of(report);
    let tuple = |s: &Sizes| -> Vec<u64> { metrics.iter().map(|m| s.get(*m).unwrap_or(0)).collect() };
    let mut strings = Strings { list: Vec::new(), index: HashMap::new() };
    let chunks: Vec<Value> = report
        .chunks
        .iter()
        .map(|c| json!({ "name": strings.id(&c.name), "kind": c.kind, "initial": c.initial, "sizes": tuple(&c.sizes) }))
        .collect();
    let packages: Vec<Value> = report
        .packages
        .iter()
        .map(|p| json!({ "name": strings.id(&p.name), "version": p.version }))
        .collect();
    let initial: Vec<bool> = report.chunks.iter().map(|c| c.initial).collect();
    let flagged: std::collections::HashSet<usize> =
        report.findings.iter().flat_map(|f| f.modules.iter().map(|m| m.index())).collect();
    let importer = shortest_importers(report);
    let mut path = Vec::new();
    let mut pkg = Vec::new();
    let mut chunk = Vec::new();
    let mut sizes = Vec::new();
    let mut retained = Vec::new();
    let mut flags = Vec::new();
    let mut decls = Vec::new();
    for (i, m) in report.modules.iter().enumerate() {
        path.push(m.path.split('/').map(|seg| strings.id(seg)).collect::<Vec<_>>());
        pkg.push(m.package.map_or(-1, |p| p.index() as i64));
        chunk.push(m.chunk.map_or(-1, |c| c.index() as i64));
        sizes.extend(tuple(&m.sizes));
        retained.extend(m.retained.as_ref().map_or_else(|| vec![0; metrics.len()], &tuple));
        let mut f = 0;
        if m.chunk.is_some_and(|c| initial[c.index()]) {
            f |= 1;
        }
        if flagged.contains(&i) {
            f |= 2;
        }
        if !m.included {
            f |= 4;
        }
        flags.push(f);
        for d in &m.declarations {
            decls.push(json!([i, strings.id(&d.name), d.min]));
        }
    }
    let budgets: Vec<Value> = report
        .budgets
        .as_ref()
        .map(|b| {
            b.results
                .iter()
                .map(|r| {
                    json!({ "target": r.target, "metric": r.metric, "limit": r.max, "warn": r.warn,
                            "actual": r.actual, "status": r.status })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "v": 1,
        "title": report.project,
        "generated": format!("ballast {}", report.tool.version),
        "metrics": metrics.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        "strings": strings.list,
        "chunks": chunks,
        "packages": packages,
        "path": path,
        "pkg": pkg,
        "chunk": chunk,
        "sizes": sizes,
        "retained": retained,
        "importer": importer,
        "flags": flags,
        "decls": decls,
        "findings": report.findings,
        "budgets": budgets,
    })
}

/// The metrics the report has, in `Metric::ALL` order: the size tuples of the data are in this order.
fn metrics_of(report: &Report) -> Vec<Metric> {
    Metric::ALL.into_iter().filter(|m| report.summary.total.get(*m).is_some()).collect()
}

/// What the baseline had, aligned with the current report (docs/html-data.md, `base`): per module and chunk
/// its size then (`null` where it is new, matched by path and name), what is gone since, and totals.
fn compare(report: &Report, base: &Report) -> Value {
    let metrics = metrics_of(report);
    let tuple = |s: &Sizes| -> Vec<u64> { metrics.iter().map(|m| s.get(*m).unwrap_or(0)).collect() };
    // Only what shipped then: a module the tree-shaking dropped weighed nothing.
    let shipped = |m: &crate::ReportModule| m.included && m.chunk.is_some();
    let base_modules: HashMap<&str, &crate::ReportModule> =
        base.modules.iter().filter(|m| shipped(m)).map(|m| (m.path.as_str(), m)).collect();
    let modules: Vec<Value> = report
        .modules
        .iter()
        .map(|m| match base_modules.get(m.path.as_str()) {
            Some(b) if shipped(m) => json!(tuple(&b.sizes)),
            _ => Value::Null,
        })
        .collect();
    let current: std::collections::HashSet<&str> =
        report.modules.iter().filter(|m| shipped(m)).map(|m| m.path.as_str()).collect();
    let mut removed: Vec<&crate::ReportModule> =
        base.modules.iter().filter(|m| shipped(m) && !current.contains(m.path.as_str())).collect();
    removed.sort_by(|a, b| b.sizes.min.cmp(&a.sizes.min).then_with(|| a.path.cmp(&b.path)));
    let removed: Vec<Value> = removed
        .iter()
        .map(|m| {
            let package = m.package.and_then(|p| base.packages.get(p.index())).map(|p| p.name.as_str());
            let chunk = m.chunk.and_then(|c| base.chunks.get(c.index())).map(|c| c.name.as_str());
            json!({ "path": m.path, "package": package, "chunk": chunk, "sizes": tuple(&m.sizes) })
        })
        .collect();
    let chunk_sizes = |r: &Report| -> HashMap<String, Sizes> {
        r.chunks.iter().map(|c| (c.name.clone(), c.sizes)).collect()
    };
    let base_chunks = chunk_sizes(base);
    let chunks: Vec<Value> = report
        .chunks
        .iter()
        .map(|c| base_chunks.get(&c.name).map_or(Value::Null, |s| json!(tuple(s))))
        .collect();
    let now_chunks = chunk_sizes(report);
    let removed_chunks: Vec<Value> = base
        .chunks
        .iter()
        .filter(|c| !now_chunks.contains_key(&c.name))
        .map(|c| json!({ "name": c.name, "initial": c.initial, "sizes": tuple(&c.sizes) }))
        .collect();
    json!({
        "title": base.project,
        "generated": format!("ballast {}", base.tool.version),
        "initial": tuple(&base.summary.initial),
        "total": tuple(&base.summary.total),
        "modules": modules,
        "chunks": chunks,
        "removed": removed,
        "removedChunks": removed_chunks,
    })
}

/// For each module, its importer on a shortest static chain from an entry (-1 for entries and the unreached).
fn shortest_importers(report: &Report) -> Vec<i64> {
    let n = report.modules.len();
    let mut out = vec![-1i64; n];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); n];
    for import in &report.imports {
        if let Some(to) = import.to {
            outgoing[import.from.index()].push(to.index());
        }
    }
    let mut seen = vec![false; n];
    let mut queue = std::collections::VecDeque::new();
    for e in &report.entries {
        if !seen[e.module.index()] {
            seen[e.module.index()] = true;
            queue.push_back(e.module.index());
        }
    }
    while let Some(m) = queue.pop_front() {
        for &t in &outgoing[m] {
            if !seen[t] {
                seen[t] = true;
                out[t] = m as i64;
                queue.push_back(t);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_breakout_is_escaped() {
        let escaped = escape_json(r#"{"p":"</script><img src=x onerror=alert(1)>.js & \u2028"}"#);
        assert!(!escaped.contains("</script>") && !escaped.contains('<') && !escaped.contains('&'));
        let back: Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["p"].as_str().unwrap().get(..9), Some("</script>"));
    }
}
