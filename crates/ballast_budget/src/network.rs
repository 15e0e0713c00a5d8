//! Network profiles for `loadTime` budgets.
//!
//! The model is deliberately simple and stated in every result: load time = latency + bytes / bandwidth, one
//! request, no TCP slow start, no parallelism, no parse or execution time. The bytes are the brotli size when it
//! was measured, else gzip, else the minified size (see `BudgetResult::basis`).

use ballast_common::{Metric, Sizes};

/// One network profile: a latency added once, and a download bandwidth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkProfile {
    pub name: &'static str,
    /// Another accepted name, if any.
    pub alias: Option<&'static str>,
    pub latency_ms: f64,
    pub bytes_per_second: f64,
    /// Where the numbers come from.
    pub source: &'static str,
}

/// Every profile `loadTime` budgets accept, slowest first.
pub const NETWORKS: [NetworkProfile; 5] = [
    NetworkProfile {
        name: "slow-3g",
        alias: None,
        latency_ms: 0.0,
        bytes_per_second: 50.0 * 1024.0,
        source: "size-limit's time plugin (@size-limit/time): \"slow 3G network (50 kB/s) without latency\", \
                 computed there as 50 * 1024 bytes per second",
    },
    NetworkProfile {
        name: "fast-3g",
        alias: None,
        latency_ms: 562.5,
        bytes_per_second: 1.6 * 1_000_000.0 / 8.0 * 0.9,
        source: "Chrome DevTools \"Fast 3G\" preset (renamed \"Slow 4G\" in recent DevTools): 1.6 Mbit/s x 0.9 \
                 download = 180,000 B/s, latency 150 ms x 3.75 = 562.5 ms",
    },
    NetworkProfile {
        name: "slow-4g",
        alias: None,
        latency_ms: 150.0,
        bytes_per_second: 1.6 * 1024.0 * 1000.0 / 8.0,
        source: "Lighthouse default mobile throttling (`mobileSlow4G` in Lighthouse's constants): 150 ms RTT, \
                 throughput 1.6 * 1024 kbit/s = 204,800 B/s",
    },
    NetworkProfile {
        name: "4g",
        alias: None,
        latency_ms: 40.0,
        bytes_per_second: 10.0 * 1024.0 * 1000.0 / 8.0,
        source: "Lighthouse desktop throttling (`desktopDense4G`): 40 ms RTT, throughput 10 * 1024 kbit/s = \
                 1,280,000 B/s",
    },
    NetworkProfile {
        name: "cable",
        alias: Some("wifi"),
        latency_ms: 28.0,
        bytes_per_second: 5.0 * 1_000_000.0 / 8.0,
        source: "WebPageTest \"Cable\" connectivity profile: 5 Mbit/s down = 625,000 B/s, 28 ms RTT",
    },
];

/// The profile called `name` (or one of its aliases).
pub fn network(name: &str) -> Option<&'static NetworkProfile> {
    NETWORKS.iter().find(|n| n.name == name || n.alias == Some(name))
}

/// Every accepted name, aliases included, for error messages.
pub fn network_names() -> Vec<&'static str> {
    let mut names = Vec::new();
    for n in &NETWORKS {
        names.push(n.name);
        if let Some(alias) = n.alias {
            names.push(alias);
        }
    }
    names
}

impl NetworkProfile {
    /// Milliseconds to download `bytes`, latency included, rounded to the nearest millisecond.
    pub fn load_time_ms(&self, bytes: u64) -> u64 {
        (self.latency_ms + bytes as f64 / self.bytes_per_second * 1000.0).round() as u64
    }
}

/// The size a load time is computed on: brotli if measured, else gzip, else minified.
pub fn transfer_size(sizes: &Sizes) -> (Metric, u64) {
    if let Some(b) = sizes.brotli {
        (Metric::Brotli, b)
    } else if let Some(g) = sizes.gzip {
        (Metric::Gzip, g)
    } else {
        (Metric::Min, sizes.min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_compute_load_times() {
        let slow3g = network("slow-3g").map(|n| n.load_time_ms(51_200));
        assert_eq!(slow3g, Some(1000));
        let slow4g = network("slow-4g").map(|n| n.load_time_ms(204_800));
        assert_eq!(slow4g, Some(1150));
        assert_eq!(network("wifi"), network("cable"));
        assert!(network("5g").is_none());
        assert_eq!(network_names(), ["slow-3g", "fast-3g", "slow-4g", "4g", "cable", "wifi"]);
    }

    #[test]
    fn prefers_brotli_then_gzip_then_min() {
        let mut s = Sizes { raw: 10, min: 5, gzip: Some(3), brotli: Some(2) };
        assert_eq!(transfer_size(&s), (Metric::Brotli, 2));
        s.brotli = None;
        assert_eq!(transfer_size(&s), (Metric::Gzip, 3));
        s.gzip = None;
        assert_eq!(transfer_size(&s), (Metric::Min, 5));
    }
}
