//! "Why is this included": for a module or a package, the shortest static import chain from each entry,
//! then every import site that brings it in.

use std::collections::VecDeque;
use std::fmt::Write;

use ballast_report::Report;

pub fn why(report: &Report, query: &str) -> Result<String, String> {
    let targets: Vec<usize> = match report.packages.iter().position(|p| p.name == query) {
        Some(p) => report.packages[p].modules.iter().map(|m| m.index()).collect(),
        None => {
            let exact: Vec<usize> =
                report.modules.iter().filter(|m| m.path == query).map(|m| m.id.index()).collect();
            if exact.is_empty() {
                report.modules.iter().filter(|m| m.path.contains(query)).map(|m| m.id.index()).collect()
            } else {
                exact
            }
        }
    };
    if targets.is_empty() {
        return Err(format!(
            "no module or package matches `{query}`: give a package name or part of a module path"
        ));
    }
    let is_package = report.packages.iter().any(|p| p.name == query);
    if !is_package && targets.len() > 1 {
        let mut names: Vec<&str> = targets.iter().map(|&t| report.modules[t].path.as_str()).collect();
        names.truncate(10);
        return Err(format!(
            "`{query}` matches {} modules, be more precise:\n  {}",
            targets.len(),
            names.join("\n  ")
        ));
    }
    let n = report.modules.len();
    let mut is_target = vec![false; n];
    for &t in &targets {
        is_target[t] = true;
    }
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, import) in report.imports.iter().enumerate() {
        if import.to.is_some() {
            outgoing[import.from.index()].push(i);
        }
    }
    let mut out = String::new();
    for entry in &report.entries {
        let _ = writeln!(out, "entry {} ({})", entry.name, report.module(entry.module).path);
        match shortest(report, &outgoing, entry.module.index(), &is_target) {
            Some(chain) if chain.is_empty() => {
                let _ = writeln!(out, "  is the entry itself");
            }
            Some(chain) => {
                for i in chain {
                    let import = &report.imports[i];
                    let from = &report.module(import.from).path;
                    let to = import.to.map(|t| report.module(t).path.as_str()).unwrap_or("?");
                    let _ = writeln!(
                        out,
                        "  {from}:{}:{}  {} '{}'  → {to}",
                        import.line, import.column, import.kind, import.specifier
                    );
                }
            }
            None => {
                let _ = writeln!(out, "  does not reach it");
            }
        }
    }
    let mut sites: Vec<&ballast_report::ReportImport> = report
        .imports
        .iter()
        .filter(|i| i.to.is_some_and(|t| is_target[t.index()]) && !is_target[i.from.index()])
        .collect();
    sites.sort_by(|a, b| (&report.module(a.from).path, a.line).cmp(&(&report.module(b.from).path, b.line)));
    let _ = writeln!(out, "\nimported at {} site(s)", sites.len());
    for i in sites {
        let _ = writeln!(
            out,
            "  {}:{}:{}  {} '{}'",
            report.module(i.from).path,
            i.line,
            i.column,
            i.kind,
            i.specifier
        );
    }
    Ok(out)
}

fn shortest(
    report: &Report,
    outgoing: &[Vec<usize>],
    start: usize,
    is_target: &[bool],
) -> Option<Vec<usize>> {
    let n = report.modules.len();
    let mut via: Vec<Option<usize>> = vec![None; n];
    let mut seen = vec![false; n];
    let mut queue = VecDeque::from([start]);
    seen[start] = true;
    while let Some(m) = queue.pop_front() {
        if is_target[m] {
            let mut chain = Vec::new();
            let mut cur = m;
            while let Some(i) = via[cur] {
                chain.push(i);
                cur = report.imports[i].from.index();
            }
            chain.reverse();
            return Some(chain);
        }
        for &i in &outgoing[m] {
            if let Some(t) = report.imports[i].to.map(|t| t.index())
                && !seen[t]
            {
                seen[t] = true;
                via[t] = Some(i);
                queue.push_back(t);
            }
        }
    }
    None
}
