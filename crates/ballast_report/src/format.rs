//! How budget and diff quantities read in every output (and in the budget messages built from them).

/// `1234` → `"1.3 kB"`: kB with one decimal, rounded up so a limit never looks looser than it is.
pub fn format_kb(bytes: u64) -> String {
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let tenths = bytes.div_ceil(100);
    format!("{}.{} kB", tenths / 10, tenths % 10)
}

/// `2500` → `"2.50 s"`, `800` → `"800 ms"`.
pub fn format_ms(ms: u64) -> String {
    if ms < 1000 { format!("{ms} ms") } else { format!("{:.2} s", ms as f64 / 1000.0) }
}

/// A signed byte delta as `+1.2 kB` / `-340 B`.
pub fn format_delta(delta: i64) -> String {
    let sign = if delta > 0 {
        "+"
    } else if delta < 0 {
        "-"
    } else {
        "±"
    };
    format!("{sign}{}", format_kb(delta.unsigned_abs()))
}

/// `+12.5%`, `+9530%`: one decimal below 100%.
pub fn format_percent(p: f64) -> String {
    if p.abs() >= 100.0 { format!("{p:+.0}%") } else { format!("{p:+.1}%") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_kb(999), "999 B");
        assert_eq!(format_kb(170_000), "170.0 kB");
        assert_eq!(format_kb(170_001), "170.1 kB");
        assert_eq!(format_ms(800), "800 ms");
        assert_eq!(format_ms(2500), "2.50 s");
        assert_eq!(format_delta(-340), "-340 B");
        assert_eq!(format_delta(1234), "+1.3 kB");
        assert_eq!(format_percent(12.5), "+12.5%");
        assert_eq!(format_percent(9530.0), "+9530%");
    }
}
