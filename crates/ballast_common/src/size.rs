use serde::{Deserialize, Serialize};

/// Byte sizes of one thing (module, package, chunk) in every metric Ballast measures.
/// `gzip`/`brotli` are `None` when that compression is switched off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sizes {
    pub raw: u64,
    pub min: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gzip: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brotli: Option<u64>,
}

impl Sizes {
    pub fn get(&self, metric: Metric) -> Option<u64> {
        match metric {
            Metric::Raw => Some(self.raw),
            Metric::Min => Some(self.min),
            Metric::Gzip => self.gzip,
            Metric::Brotli => self.brotli,
        }
    }

    pub fn add(&mut self, other: &Sizes) {
        self.raw += other.raw;
        self.min += other.min;
        self.gzip = add_opt(self.gzip, other.gzip);
        self.brotli = add_opt(self.brotli, other.brotli);
    }

    /// Zero in every metric `compression` measures.
    pub fn zero(compression: Compression) -> Self {
        Sizes { raw: 0, min: 0, gzip: compression.gzip.then_some(0), brotli: compression.brotli.then_some(0) }
    }

    pub fn saturating_sub(&self, other: &Sizes) -> Sizes {
        Sizes {
            raw: self.raw.saturating_sub(other.raw),
            min: self.min.saturating_sub(other.min),
            gzip: self.gzip.map(|a| a.saturating_sub(other.gzip.unwrap_or(0))),
            brotli: self.brotli.map(|a| a.saturating_sub(other.brotli.unwrap_or(0))),
        }
    }
}

fn add_opt(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

impl std::iter::Sum for Sizes {
    fn sum<I: Iterator<Item = Sizes>>(iter: I) -> Self {
        let mut total = Sizes::default();
        for s in iter {
            total.add(&s);
        }
        total
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    Raw,
    Min,
    Gzip,
    Brotli,
}

impl Metric {
    pub const ALL: [Metric; 4] = [Metric::Raw, Metric::Min, Metric::Gzip, Metric::Brotli];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Raw => "raw",
            Metric::Min => "min",
            Metric::Gzip => "gzip",
            Metric::Brotli => "brotli",
        }
    }
}

/// Which compressed sizes to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Compression {
    pub gzip: bool,
    pub brotli: bool,
}

/// gzip only: brotli-11 runs at ~0.65 MB/s a core, so it is computed when asked for.
impl Default for Compression {
    fn default() -> Self {
        Compression { gzip: true, brotli: false }
    }
}

impl Compression {
    pub const NONE: Compression = Compression { gzip: false, brotli: false };

    /// Parses `gzip`, `brotli`, `gzip,brotli` or `none`.
    pub fn parse(text: &str) -> Result<Compression, String> {
        let mut compression = Compression::NONE;
        for part in text.split(',').map(str::trim) {
            match part {
                "gzip" => compression.gzip = true,
                "brotli" => compression.brotli = true,
                "none" => {}
                other => {
                    return Err(format!(
                        "unknown compression `{other}`: use gzip, brotli, gzip,brotli or none"
                    ));
                }
            }
        }
        Ok(compression)
    }

    pub fn names(self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.gzip {
            names.push("gzip");
        }
        if self.brotli {
            names.push("brotli");
        }
        names
    }
}

/// `1234567` → `1.23 MB`, decimal units as bundlers print them.
pub fn format_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if bytes < 1000 {
        format!("{bytes} B")
    } else if b < 1_000_000.0 {
        format!("{:.1} kB", b / 1000.0)
    } else {
        format!("{:.2} MB", b / 1_000_000.0)
    }
}

/// Splits `total` in proportion to `weights` so the parts add up to `total` exactly (largest remainder first;
/// ties go to the earlier weight). `None` when every weight is zero and `total` is not: the caller says who gets
/// it.
pub fn apportion(total: u64, weights: &[u64]) -> Option<Vec<u64>> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return (total == 0).then(|| vec![0; weights.len()]);
    }
    let total128 = u128::from(total);
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: u128 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let product = u128::from(w) * total128;
        given += product / sum;
        parts.push((product / sum) as u64);
        remainders.push((product % sum, i));
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take((total128 - given) as usize) {
        parts[i] += 1;
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_is_exact() {
        assert_eq!(apportion(10, &[1, 1, 1]), Some(vec![4, 3, 3]));
        assert_eq!(apportion(3259, &[5778, 0, 10]).map(|p| p.iter().sum::<u64>()), Some(3259));
        assert_eq!(apportion(5, &[0, 0]), None);
        assert_eq!(apportion(0, &[0, 0]), Some(vec![0, 0]));
        assert_eq!(apportion(0, &[]), Some(vec![]));
    }

    #[test]
    fn formats_decimal_units() {
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(12_345), "12.3 kB");
        assert_eq!(format_bytes(1_500_000), "1.50 MB");
    }

    #[test]
    fn parses_compression_lists() {
        assert_eq!(Compression::parse("gzip").unwrap(), Compression { gzip: true, brotli: false });
        assert_eq!(Compression::parse("gzip,brotli").unwrap(), Compression { gzip: true, brotli: true });
        assert_eq!(Compression::default(), Compression { gzip: true, brotli: false });
        assert_eq!(Compression::parse("none").unwrap(), Compression::NONE);
        assert!(Compression::parse("zstd").is_err());
    }

    #[test]
    fn sums_keep_missing_metrics_missing() {
        let a = Sizes { raw: 1, min: 1, gzip: Some(1), brotli: None };
        let total: Sizes = [a, a].into_iter().sum();
        assert_eq!(total, Sizes { raw: 2, min: 2, gzip: Some(2), brotli: None });
    }
}
