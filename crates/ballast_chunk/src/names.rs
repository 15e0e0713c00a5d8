//! Stand-ins for the names a minifier gives: only their length shows in the sizes.

/// The `i`th name over `letters`: one letter while they last, then two.
pub(crate) fn minified_name(letters: &[u8], i: usize) -> String {
    let n = letters.len();
    if i < n {
        (letters[i] as char).to_string()
    } else {
        format!("{}{}", letters[(i / n - 1) % n] as char, letters[i % n] as char)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_letter_then_two() {
        assert_eq!(minified_name(b"ab", 0), "a");
        assert_eq!(minified_name(b"ab", 1), "b");
        assert_eq!(minified_name(b"ab", 2), "aa");
        assert_eq!(minified_name(b"ab", 5), "bb");
    }
}
