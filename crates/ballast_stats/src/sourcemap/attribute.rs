//! Attribution (like source-map-explorer): every generated segment's bytes go to its original source; bytes no
//! segment covers go to the chunk's `[unmapped]` module.

/// Bytes of one chunk per source index, in the order sources first appear in the generated code.
#[derive(Debug, Default)]
pub(crate) struct Attribution {
    pub per_source: Vec<u64>,
    pub first_seen: Vec<usize>,
    pub unmapped: u64,
    /// Segments past the end of the code, or naming a source that does not exist.
    pub out_of_range: usize,
    pub first_bad: Option<(u32, u32)>,
    pub segments: usize,
    /// Source of the last mapped byte: the entry module of a Rollup/esbuild chunk.
    pub last_source: Option<usize>,
}

/// The numbers of one mappings segment. The crate's decoder reads any byte as a digit and can overflow on a
/// long run of them, so the characters and the length of each number are checked first.
fn decode_segment(segment: &str) -> Result<Vec<i64>, String> {
    let mut digits = 0;
    for byte in segment.bytes() {
        let digit =
            vlq_digit(byte).ok_or_else(|| format!("invalid character `{}` in mappings", byte as char))?;
        digits += 1;
        // Twelve digits hold 60 bits: more than any offset in a real map, and no overflow in the decoder.
        if digits > 12 {
            return Err("number too large in mappings".to_string());
        }
        if digit & 32 == 0 {
            digits = 0;
        }
    }
    ::sourcemap::vlq::parse_vlq_segment(segment).map_err(|e| match e {
        ::sourcemap::Error::VlqLeftover => "mappings end in the middle of a number".to_string(),
        e => format!("unreadable mappings: {e}"),
    })
}

fn vlq_digit(byte: u8) -> Option<u8> {
    Some(match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// Byte offsets of sorted UTF-16 columns in `line` (columns past the end map to `None`).
fn byte_offsets(line: &str, columns: &[i64]) -> Vec<Option<usize>> {
    if line.is_ascii() {
        return columns.iter().map(|&c| usize::try_from(c).ok().filter(|&c| c <= line.len())).collect();
    }
    let mut out = Vec::with_capacity(columns.len());
    let mut chars = line.char_indices().peekable();
    let mut utf16: i64 = 0;
    for &column in columns {
        while utf16 < column {
            match chars.next() {
                Some((_, ch)) => utf16 += ch.len_utf16() as i64,
                None => break,
            }
        }
        let offset = chars.peek().map(|(i, _)| *i).unwrap_or(line.len());
        out.push((column >= 0 && utf16 >= column).then_some(offset));
    }
    out
}

pub(crate) fn attribute(code: &str, mappings: &str, sources: usize) -> Result<Attribution, String> {
    let mut result = Attribution {
        per_source: vec![0; sources],
        first_seen: vec![usize::MAX; sources],
        ..Attribution::default()
    };
    let lines: Vec<&str> = code.split('\n').collect();
    let mut line_start = 0usize;
    // Only the source index matters for sizes; original lines, columns and names are not needed.
    let mut source: i64 = 0;
    let bad = |result: &mut Attribution, line: usize, column: i64| {
        result.out_of_range += 1;
        if result.first_bad.is_none() {
            let column = u32::try_from(column.max(0)).unwrap_or(u32::MAX);
            result.first_bad = Some((u32::try_from(line + 1).unwrap_or(u32::MAX), column.saturating_add(1)));
        }
    };
    for (line_no, line_mappings) in mappings.split(';').enumerate() {
        let mut segments: Vec<(i64, Option<i64>)> = Vec::new();
        let mut column: i64 = 0;
        for segment in line_mappings.split(',').filter(|s| !s.is_empty()) {
            let fields = decode_segment(segment)?;
            column += fields[0];
            match fields.len() {
                1 => segments.push((column, None)),
                4 | 5 => {
                    source += fields[1];
                    segments.push((column, Some(source)));
                }
                n => return Err(format!("a mappings segment has {n} fields (1, 4 or 5 expected)")),
            }
        }
        result.segments += segments.len();
        let Some(line) = lines.get(line_no) else {
            for (column, _) in &segments {
                bad(&mut result, line_no, *column);
            }
            continue;
        };
        segments.sort_by_key(|(c, _)| *c);
        let columns: Vec<i64> = segments.iter().map(|(c, _)| *c).collect();
        let offsets = byte_offsets(line, &columns);
        let clamped: Vec<usize> = offsets
            .iter()
            .zip(&segments)
            .map(|(offset, (column, _))| match offset {
                Some(o) => *o,
                None => {
                    bad(&mut result, line_no, *column);
                    line.len()
                }
            })
            .collect();
        for (k, (_, src)) in segments.iter().enumerate() {
            let start = clamped[k];
            let end = clamped.get(k + 1).copied().unwrap_or(line.len());
            let bytes = (end - start) as u64;
            match src.and_then(|s| usize::try_from(s).ok()).filter(|&s| s < sources) {
                Some(s) => {
                    result.per_source[s] += bytes;
                    if bytes > 0 {
                        result.first_seen[s] = result.first_seen[s].min(line_start + start);
                        result.last_source = Some(s);
                    }
                }
                None => {
                    if src.is_some() {
                        bad(&mut result, line_no, segments[k].0);
                    }
                }
            }
        }
        line_start += line.len() + 1;
    }
    let mapped: u64 = result.per_source.iter().sum();
    result.unmapped = code.len() as u64 - mapped;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_vlq() {
        assert_eq!(decode_segment("AAgBC"), Ok(vec![0, 0, 16, 1]));
        assert_eq!(decode_segment("D"), Ok(vec![-1]));
        assert_eq!(decode_segment("A!"), Err("invalid character `!` in mappings".to_string()));
        assert_eq!(decode_segment("g"), Err("mappings end in the middle of a number".to_string()));
        assert_eq!(decode_segment("ggggggggggggggB"), Err("number too large in mappings".to_string()));
    }

    #[test]
    fn attributes_and_clamps() {
        // Line 0: cols 0-3 source 0, 3.. source 1; line 1 has a segment at column 50 (past the end).
        let a = attribute("abcdef\nxy", "AAAA,GCAA;kDAAA", 2).ok();
        let a = a.as_ref();
        assert_eq!(a.map(|a| a.per_source.clone()), Some(vec![3, 3]));
        assert_eq!(a.map(|a| a.unmapped), Some(3));
        assert_eq!(a.map(|a| a.out_of_range), Some(1));
    }
}
