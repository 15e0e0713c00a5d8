//! Owned facts about one module, extracted from its AST so the arena can be dropped.

use ballast_graph::{Declaration, ImportKind, ImportedNames, LinkFacts, ModuleFormat};
use serde::{Deserialize, Serialize};

/// One import as written, before resolution.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawImport {
    pub specifier: String,
    pub kind: ImportKind,
    pub names: ImportedNames,
    /// Byte offset of the statement or call, turned into line:column by the loader.
    pub offset: u32,
    /// Added by a transform, not written (`react/jsx-runtime` for JSX): left out quietly when it does not resolve.
    #[serde(default)]
    pub implicit: bool,
}

/// `import.meta.glob(patterns, { eager })` or a template-literal `import()`, expanded against the file system.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GlobImport {
    pub patterns: Vec<String>,
    pub eager: bool,
    pub offset: u32,
    /// The top-level statement it sits in (`ballast_graph::NO_STATEMENT`: none).
    #[serde(default)]
    pub statement: u32,
}

/// A problem the parser found, still as a byte offset.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawProblem {
    pub kind: ProblemKind,
    pub message: String,
    pub offset: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProblemKind {
    Syntax,
    NonLiteralImport,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ModuleFacts {
    pub imports: Vec<RawImport>,
    pub globs: Vec<GlobImport>,
    pub local_exports: Vec<String>,
    pub format: Option<ModuleFormat>,
    pub declarations: Vec<Declaration>,
    pub problems: Vec<RawProblem>,
    /// ES modules: what the link stage needs; `None` for CommonJS and mixed modules (kept whole).
    pub link: Option<LinkFacts>,
    /// CommonJS whose top level only assigns pure values to `module.exports` / `exports.x`, `require`s
    /// literals into plain names, and is otherwise what `Purity` calls pure: running it has no effect of its
    /// own (`purity::commonjs_is_pure`).
    pub pure_commonjs: bool,
}

/// 1-based line and column (in characters) of byte `offset`, from the offsets of line starts.
pub fn line_column(source: &str, line_starts: &[u32], offset: u32) -> (u32, u32) {
    let line = match line_starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    let start = line_starts.get(line).copied().unwrap_or(0) as usize;
    let end = (offset as usize).min(source.len());
    let column = source.get(start..end).map_or(end - start, |s| s.chars().count());
    (line as u32 + 1, column as u32 + 1)
}

pub fn line_starts(source: &str) -> Vec<u32> {
    std::iter::once(0)
        .chain(source.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i as u32 + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let src = "ab\ncd\né f";
        let starts = line_starts(src);
        assert_eq!(line_column(src, &starts, 0), (1, 1));
        assert_eq!(line_column(src, &starts, 4), (2, 2));
        // `f` after a two-byte `é` and a space: column counts characters.
        assert_eq!(line_column(src, &starts, 9), (3, 3));
    }
}
