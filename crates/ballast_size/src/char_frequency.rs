//! esbuild gives minified names in the order of how often each character occurs in the file it minifies, so
//! that names look like the code around them and compress well. Vite 7 (and esbuild as the bundler) minifies a
//! whole chunk at once: every module's names come from the chunk's order. Minified one by one, each module
//! would get an order of its own, which compresses worse (utils-routes' initial chunk: +3.5% gzip). A module
//! is therefore handed to esbuild with a string literal after it that brings its character counts in
//! proportion to its chunk's; esbuild counts the literal, then drops the unused statement. Counted as esbuild
//! counts: without comments and without the names it renames. (What this does not model: in a whole chunk, all
//! modules' top-level names share one namespace and get longer names than a module alone gives them.)

use oxc::allocator::Allocator;
use oxc::parser::Parser;
use oxc::semantic::SemanticBuilder;
use oxc::span::SourceType;
use serde::{Deserialize, Serialize};

/// How often each identifier character (`a-z A-Z 0-9 _ $`) occurs; other bytes are not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CharCounts(Vec<u64>);

impl Default for CharCounts {
    fn default() -> Self {
        CharCounts(vec![0; 128])
    }
}

impl CharCounts {
    pub(crate) fn of(text: &str) -> Self {
        let mut counts = CharCounts::default();
        for b in text.bytes().filter(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
            counts.0[b as usize] += 1;
        }
        counts
    }

    /// As esbuild counts a file before naming: its text without comments and without the names it will
    /// rename (each binding's name once per declaration and use).
    pub(crate) fn of_module(code: &str, source_type: SourceType) -> Self {
        let allocator = Allocator::default();
        let ret = Parser::new(&allocator, code, source_type).parse();
        if ret.panicked {
            return CharCounts::of(code);
        }
        let mut counts = CharCounts::of(code);
        for comment in &ret.program.comments {
            if let Some(text) = code.get(comment.span.start as usize..comment.span.end as usize) {
                counts.subtract(text, 1);
            }
        }
        let semantic = SemanticBuilder::new().build(&ret.program).semantic;
        let scoping = semantic.scoping();
        for symbol in scoping.symbol_ids() {
            let uses = 1 + scoping.get_resolved_reference_ids(symbol).len() as u64;
            counts.subtract(scoping.symbol_name(symbol), uses);
        }
        counts
    }

    fn subtract(&mut self, text: &str, times: u64) {
        for b in text.bytes().filter(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
            let n = &mut self.0[b as usize];
            *n = n.saturating_sub(times);
        }
    }

    pub(crate) fn add(&mut self, other: &CharCounts) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }

    /// A stable digest, for cache keys: a module's minified code depends on its chunk's counts.
    pub(crate) fn key(&self) -> String {
        self.0.iter().filter(|&&n| n > 0).map(|n| n.to_string()).collect::<Vec<_>>().join(",")
    }
}

/// The statement to append to a module (`own` counts) so that its counts become a multiple of `chunk`'s: the
/// smallest multiple that is at least `own` in every character. Empty when the module is the whole chunk.
pub(crate) fn balancing_statement(chunk: &CharCounts, own: &CharCounts) -> String {
    let scale = (0..128)
        .filter(|&c| chunk.0[c] > 0)
        .map(|c| own.0[c] as f64 / chunk.0[c] as f64)
        .fold(0.0_f64, f64::max);
    let mut literal = String::new();
    for c in 0..128u8 {
        let want = (scale * chunk.0[c as usize] as f64).round() as u64;
        let have = own.0[c as usize];
        if want > have {
            literal.extend(std::iter::repeat_n(c as char, (want - have) as usize));
        }
    }
    if literal.is_empty() { literal } else { format!("\n;\"{literal}\";\n") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_with_its_statement_counts_in_the_chunks_proportions() {
        let module = "let total = count + 1";
        let mut chunk = CharCounts::of(module);
        chunk.add(&CharCounts::of("export function zzz(qq) { return qq * 2 }"));
        let statement = balancing_statement(&chunk, &CharCounts::of(module));
        let balanced = CharCounts::of(&format!("{module}{statement}"));
        // Every character in the same ratio to the chunk's (up to rounding).
        let ratios: Vec<f64> =
            (0..128).filter(|&c| chunk.0[c] > 0).map(|c| balanced.0[c] as f64 / chunk.0[c] as f64).collect();
        let (low, high) = ratios.iter().fold((f64::MAX, 0.0_f64), |(l, h), &r| (l.min(r), h.max(r)));
        assert!(high - low < 0.5, "{ratios:?}");
        assert!(statement.starts_with("\n;\"") && statement.ends_with("\";\n"));
    }

    #[test]
    fn names_the_minifier_renames_and_comments_are_not_counted() {
        let counts = CharCounts::of_module(
            "// zzz\nconst qqq = 1; export { qqq as x }; document.title = 'k';",
            SourceType::mjs(),
        );
        assert_eq!(counts.0[b'z' as usize], 0);
        assert_eq!(counts.0[b'q' as usize], 0);
        // Keywords, property names, globals and strings stay, as the minifier leaves them.
        assert_eq!(counts.0[b'k' as usize], 1);
        assert!(counts.0[b'd' as usize] >= 1 && counts.0[b'x' as usize] == 2);
    }

    #[test]
    fn a_module_that_is_its_whole_chunk_gets_nothing() {
        let counts = CharCounts::of("const a = b");
        assert_eq!(balancing_statement(&counts, &counts), "");
    }
}
