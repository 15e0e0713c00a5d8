//! esbuild gives minified names in the order of how often each character occurs in the file it minifies, so
//! that names look like the code around them and compress well. Vite 7 (and esbuild as the bundler) minifies a
//! whole chunk at once: every module's names come from the chunk's order. Minified one by one, each module
//! would get an order of its own, which compresses worse (utils-routes' initial chunk: +3.5% gzip). A module
//! is therefore handed to esbuild with a string literal after it that brings its character counts in
//! proportion to its chunk's; esbuild counts the literal, then drops the unused statement.

/// How often each identifier character (`a-z A-Z 0-9 _ $`) occurs; other bytes are not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CharCounts([u64; 128]);

impl Default for CharCounts {
    fn default() -> Self {
        CharCounts([0; 128])
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

    pub(crate) fn add(&mut self, other: &CharCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
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
    fn a_module_that_is_its_whole_chunk_gets_nothing() {
        let counts = CharCounts::of("const a = b");
        assert_eq!(balancing_statement(&counts, &counts), "");
    }
}
