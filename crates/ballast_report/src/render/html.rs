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

/// A module with a full record in the HTML: kept by the tree-shaking and in a chunk. Everything else that was
/// parsed is only listed, compactly (`dropped`).
fn ships(m: &crate::ReportModule) -> bool {
    m.included && m.chunk.is_some()
}

/// Files listed by name per folder of the "parsed but not shipped" list (the heaviest); the rest are counted.
const DROPPED_FILES_PER_FOLDER: usize = 12;

fn compact(report: &Report) -> Value {
    let metrics = metrics_of(report);
    let tuple = |s: &Sizes| -> Vec<u64> { metrics.iter().map(|m| s.get(*m).unwrap_or(0)).collect() };
    let mut strings = Strings { list: Vec::new(), index: HashMap::new() };
    let chunks: Vec<Value> = report
        .chunks
        .iter()
        .map(|c| json!({ "name": strings.id(&c.name), "kind": c.kind, "initial": c.initial, "sizes": tuple(&c.with_css()) }))
        .collect();
    let packages: Vec<Value> = report
        .packages
        .iter()
        .map(|p| json!({ "name": strings.id(&p.name), "version": p.version }))
        .collect();
    let initial: Vec<bool> = report.chunks.iter().map(|c| c.initial).collect();
    // The report's module index -> its index in the HTML's module arrays (shipped modules only).
    let mut new_index: Vec<Option<usize>> = vec![None; report.modules.len()];
    let mut count = 0;
    for (i, m) in report.modules.iter().enumerate() {
        if ships(m) {
            new_index[i] = Some(count);
            count += 1;
        }
    }
    let flagged: std::collections::HashSet<usize> = report
        .findings
        .iter()
        .flat_map(|f| f.modules.iter().filter_map(|m| new_index.get(m.index()).copied().flatten()))
        .collect();
    let importer = shortest_importers(report, &new_index);
    let mut path = Vec::new();
    let mut pkg = Vec::new();
    let mut chunk = Vec::new();
    let mut sizes = Vec::new();
    let mut retained = Vec::new();
    let mut flags = Vec::new();
    let mut decls = Vec::new();
    for m in report.modules.iter().filter(|m| ships(m)) {
        let i = path.len();
        path.push(m.path.split('/').map(|seg| strings.id(seg)).collect::<Vec<_>>());
        pkg.push(m.package.map_or(-1, |p| p.index() as i64));
        chunk.push(m.chunk.map_or(-1, |c| c.index() as i64));
        sizes.extend(tuple(&m.sizes));
        retained.extend(m.retained.as_ref().map_or_else(|| vec![0; metrics.len()], &tuple));
        let mut f = 0;
        if m.chunk.is_some_and(|c| initial.get(c.index()).copied().unwrap_or(false)) {
            f |= 1;
        }
        if flagged.contains(&i) {
            f |= 2;
        }
        flags.push(f);
        for d in &m.declarations {
            decls.push(json!([i, strings.id(&d.name), d.min]));
        }
    }
    let dropped = dropped_list(report, &mut strings);
    // Findings point at shipped modules by their index here; modules that do not ship are counted.
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
            let shipped: Vec<usize> =
                f.modules.iter().filter_map(|m| new_index.get(m.index()).copied().flatten()).collect();
            let not_shipped = f.modules.len() - shipped.len();
            if let Value::Object(map) = &mut v {
                if f.modules.is_empty() {
                    map.remove("modules");
                } else {
                    map.insert("modules".to_string(), json!(shipped));
                }
                if not_shipped > 0 {
                    map.insert("notShipped".to_string(), json!(not_shipped));
                }
            }
            v
        })
        .collect();
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
        "dropped": dropped,
        "findings": findings,
        "budgets": budgets,
    })
}

/// One folder of the dropped list: (package index or -1, folder), raw bytes in all, (file name, raw) per file.
type DroppedFolder<'a> = ((i64, &'a str), u64, Vec<(&'a str, u64)>);

/// What was parsed and does not ship (docs/html-data.md, `dropped`): per package and folder, the count and raw
/// bytes, and the heaviest files by name with their raw size. Heaviest folders first.
fn dropped_list(report: &Report, strings: &mut Strings) -> Value {
    // (package, folder) -> [(file name, raw)]
    let mut groups: std::collections::BTreeMap<(i64, &str), Vec<(&str, u64)>> =
        std::collections::BTreeMap::new();
    let mut total = 0u64;
    let mut modules = 0usize;
    for m in report.modules.iter().filter(|m| !ships(m)) {
        let (dir, name) = m.path.rsplit_once('/').unwrap_or(("", m.path.as_str()));
        let pkg = m.package.map_or(-1, |p| p.index() as i64);
        groups.entry((pkg, dir)).or_default().push((name, m.sizes.raw));
        total += m.sizes.raw;
        modules += 1;
    }
    let mut groups: Vec<DroppedFolder> = groups
        .into_iter()
        .map(|(key, mut files)| {
            let raw = files.iter().map(|f| f.1).sum();
            files.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            (key, raw, files)
        })
        .collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|((pkg, dir), raw, files)| {
            let dir: Vec<usize> =
                if dir.is_empty() { Vec::new() } else { dir.split('/').map(|seg| strings.id(seg)).collect() };
            let listed: Vec<u64> = files
                .iter()
                .take(DROPPED_FILES_PER_FOLDER)
                .flat_map(|(name, raw)| [strings.id(name) as u64, *raw])
                .collect();
            json!([pkg, dir, files.len(), raw, listed])
        })
        .collect();
    json!({ "modules": modules, "raw": total, "groups": groups })
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
    let shipped = ships;
    let base_modules: HashMap<&str, &crate::ReportModule> =
        base.modules.iter().filter(|m| shipped(m)).map(|m| (m.path.as_str(), m)).collect();
    let modules: Vec<Value> = report
        .modules
        .iter()
        .filter(|m| shipped(m))
        .map(|m| base_modules.get(m.path.as_str()).map_or(Value::Null, |b| json!(tuple(&b.sizes))))
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
        r.chunks.iter().map(|c| (c.name.clone(), c.with_css())).collect()
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
        .map(|c| json!({ "name": c.name, "initial": c.initial, "sizes": tuple(&c.with_css()) }))
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

/// For each shipped module (HTML index), its importer on a shortest static chain from an entry, as an HTML index
/// (-1 for entries and the unreached). Modules on the chain that do not ship (a barrel looked through) are
/// skipped: the importer is the nearest shipped module above.
fn shortest_importers(report: &Report, new_index: &[Option<usize>]) -> Vec<i64> {
    let n = report.modules.len();
    let mut up: Vec<Option<usize>> = vec![None; n];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); n];
    for import in &report.imports {
        if let Some(to) = import.to
            && import.from.index() < n
            && to.index() < n
        {
            outgoing[import.from.index()].push(to.index());
        }
    }
    let mut seen = vec![false; n];
    let mut queue = std::collections::VecDeque::new();
    for e in &report.entries {
        let m = e.module.index();
        if m < n && !seen[m] {
            seen[m] = true;
            queue.push_back(m);
        }
    }
    while let Some(m) = queue.pop_front() {
        for &t in &outgoing[m] {
            if !seen[t] {
                seen[t] = true;
                up[t] = Some(m);
                queue.push_back(t);
            }
        }
    }
    let mut out = Vec::new();
    for (i, m) in new_index.iter().enumerate() {
        if m.is_none() {
            continue;
        }
        // Breadth-first parents form a tree: this walk ends at an entry within n steps.
        let mut at = up[i];
        while let Some(a) = at {
            if new_index[a].is_some() {
                break;
            }
            at = up[a];
        }
        out.push(at.and_then(|a| new_index[a]).map_or(-1, |a| a as i64));
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

    /// The embedded data of a page.
    fn data_of(page: &str) -> Value {
        let start = page.find("<script id=\"ballast-data\" type=\"application/json\">").unwrap();
        let rest = &page[start..];
        let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
        serde_json::from_str(json).unwrap()
    }

    /// main.js -> barrel.js (dropped: looked through) -> a.js, and b.js parsed but not shipped.
    fn three_modules() -> Report {
        let mut r: Value =
            serde_json::from_str(include_str!("../../../ballast_budget/tests/fixtures/report.json")).unwrap();
        let module = |id: usize, path: &str, included: bool, chunk: Option<usize>, raw: u64| {
            json!({ "id": id, "path": path, "package": null, "kind": "source", "format": "esm",
                    "included": included, "chunk": chunk, "sizes": { "raw": raw, "min": raw / 2, "gzip": raw / 4 } })
        };
        r["modules"] = json!([
            module(0, "src/main.js", true, Some(0), 1000),
            module(1, "src/barrel.js", false, None, 987_654),
            module(2, "src/lib/a.js", true, Some(0), 500),
            module(3, "src/lib/</script>b.js", false, None, 123_457),
        ]);
        let import = |from: usize, to: usize| json!({ "from": from, "to": to, "specifier": "x", "kind": "static", "names": [], "line": 1, "column": 1 });
        r["imports"] = json!([import(0, 1), import(1, 2), import(1, 3)]);
        r["findings"] =
            json!([{ "code": "barrel-import", "severity": "warning", "message": "m", "modules": [1, 2] }]);
        crate::read_report(&r.to_string()).unwrap()
    }

    #[test]
    fn only_shipped_modules_have_records_and_the_dropped_are_listed() {
        let page = render(&three_modules());
        assert!(!page.contains("</script>b.js"), "escaped");
        let d = data_of(&page);
        let strings: Vec<&str> =
            d["strings"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        let paths: Vec<String> = d["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                p.as_array()
                    .unwrap()
                    .iter()
                    .map(|i| strings[i.as_u64().unwrap() as usize])
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect();
        assert_eq!(paths, ["src/main.js", "src/lib/a.js"]);
        let m = d["metrics"].as_array().unwrap().len();
        assert_eq!(d["sizes"].as_array().unwrap().len(), 2 * m);
        assert_eq!(d["retained"].as_array().unwrap().len(), 2 * m);
        // No size of a dropped module but its raw bytes in the list.
        for key in ["sizes", "retained", "decls"] {
            let text = d[key].to_string();
            assert!(!text.contains("987654") && !text.contains("493827"), "{key}: {text}");
        }
        // The chain skips the dropped barrel; the finding points at a.js and counts the barrel.
        assert_eq!(d["importer"], json!([-1, 0]));
        assert_eq!(d["findings"][0]["modules"], json!([1]));
        assert_eq!(d["findings"][0]["notShipped"], json!(1));
        assert_eq!(d["flags"], json!([1, 3]));
        let dropped = &d["dropped"];
        assert_eq!(dropped["modules"], json!(2));
        assert_eq!(dropped["raw"], json!(987_654 + 123_457));
        let groups = dropped["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0][2], json!(1));
        assert_eq!(groups[0][3], json!(987_654));
        let name = groups[0][4][0].as_u64().unwrap() as usize;
        assert_eq!(strings[name], "barrel.js");
        // Deterministic.
        assert_eq!(page, render(&three_modules()));
    }
}
