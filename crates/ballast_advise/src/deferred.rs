//! Deferred use: a static import is a split point only when what it imports is read after start-up — in an
//! event handler, a timer or promise callback, behind a runtime switch, or stored for later (a route table).
//! An import read while the module runs, or in a function that start-up calls (or that other modules may
//! call: an exported one), is needed at start; making it dynamic would only add a round trip.

use ballast_common::{ImportIdx, ModuleIdx};
use ballast_graph::{ImportKind, LinkFacts, ModuleGraph, Usage};

use crate::statement::line_column;

/// Where the deferred code that would `await import()` reads the binding.
pub struct UseSite {
    pub module: ModuleIdx,
    pub line: u32,
    pub column: u32,
    pub name: String,
    /// Stored for later (a route table, a prop) rather than read in deferred code.
    pub stored: bool,
}

/// `Ok` with the first deferred use when every edge's bindings are read only later; `Err` says why not.
pub fn deferred_use(graph: &ModuleGraph, edges: &[ImportIdx]) -> Result<Option<UseSite>, String> {
    let mut first: Option<UseSite> = None;
    for &i in edges {
        let import = graph.import(i);
        let importer = graph.module(import.from);
        let at = format!("{}:{}:{}", importer.path, import.line, import.column);
        if import.kind == ImportKind::ReExport {
            return Err(format!("{at} re-exports it, so whatever imports that module pulls it in"));
        }
        let Some(link) = &importer.link else {
            return Err(format!("{at} is CommonJS and requires it while it runs"));
        };
        let locals: Vec<&str> = link
            .imports
            .iter()
            .filter(|b| b.specifier == import.specifier)
            .map(|b| b.local.as_str())
            .collect();
        if locals.is_empty() {
            return Err(format!("{at} imports it for its side effects, which run at start"));
        }
        for local in locals {
            let mut seen = Vec::new();
            match usage_of(link, local, &mut seen) {
                Read::Eager(offset, why) => {
                    let (line, column) =
                        importer.source.as_deref().map_or((0, 0), |s| line_column(s, offset));
                    return Err(format!(
                        "`{local}` is used at start at {}:{line}:{column}{why}",
                        importer.path
                    ));
                }
                Read::Later(offset, stored) => {
                    if first.is_none() {
                        let (line, column) =
                            importer.source.as_deref().map_or((0, 0), |s| line_column(s, offset));
                        first = Some(UseSite {
                            module: import.from,
                            line,
                            column,
                            name: local.to_string(),
                            stored,
                        });
                    }
                }
                Read::Never => {}
            }
        }
    }
    Ok(first)
}

enum Read {
    /// Read during start-up (offset of the read, and what makes it so).
    Eager(u32, String),
    /// Read only later: where first, and whether as a stored value.
    Later(u32, bool),
    Never,
}

/// When `name` is read in the module, following reads inside local function bodies to where those
/// functions are used.
fn usage_of(link: &LinkFacts, name: &str, seen: &mut Vec<String>) -> Read {
    if seen.iter().any(|s| s == name) {
        return Read::Never;
    }
    seen.push(name.to_string());
    let mut later: Option<(u32, bool)> = None;
    let earliest = |later: Option<(u32, bool)>, at: u32, stored: bool| match later {
        Some((l, s)) if l <= at => Some((l, s)),
        _ => Some((at, stored)),
    };
    for statement in &link.statements {
        for u in statement.uses.iter().filter(|u| u.name == name) {
            match u.usage {
                Usage::Eager => return Read::Eager(u.at, String::new()),
                Usage::Stored | Usage::Deferred => later = earliest(later, u.at, u.usage == Usage::Stored),
                Usage::Body => {
                    for declared in &statement.declares {
                        if link.exports.iter().any(|(_, local)| local == declared) {
                            return Read::Eager(
                                u.at,
                                format!(
                                    ", in `{declared}`, which the module exports (its callers may run it at start)"
                                ),
                            );
                        }
                        match usage_of(link, declared, seen) {
                            Read::Eager(_, why) => {
                                return Read::Eager(
                                    u.at,
                                    format!(", in `{declared}`, which runs at start{why}"),
                                );
                            }
                            Read::Later(_, stored) => later = earliest(later, u.at, stored),
                            Read::Never => {}
                        }
                    }
                }
            }
        }
    }
    later.map_or(Read::Never, |(at, stored)| Read::Later(at, stored))
}
