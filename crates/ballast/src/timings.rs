//! Stage timings on stderr when `BALLAST_TIMINGS` is set: what a user profiling a slow run needs first.

use std::time::Instant;

pub(crate) struct Timings {
    enabled: bool,
    last: Instant,
}

impl Timings {
    pub(crate) fn start() -> Self {
        Timings { enabled: std::env::var_os("BALLAST_TIMINGS").is_some(), last: Instant::now() }
    }

    pub(crate) fn lap(&mut self, stage: &str) {
        if self.enabled {
            eprintln!("ballast: {stage:<10} {:>8.1} ms", self.last.elapsed().as_secs_f64() * 1000.0);
        }
        self.last = Instant::now();
    }
}
