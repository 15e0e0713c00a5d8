//! A wall-clock guard around the minifiers for large modules: neither oxc nor swc can be interrupted, so a
//! module that takes unreasonably long (a pathological input the depth guard does not see) is minified on a
//! thread of its own and abandoned at the deadline; it is then sized unminified, with a diagnostic, and the
//! analysis goes on. Small modules minify in microseconds and skip the thread.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use ballast_graph::ModuleKind;

use crate::MinifierKind;
use crate::minify::{UsedExports, minify_module_with};

/// Modules from this many bytes of rendered code get the guard (three.js's core is 1.4 MB; a thread costs
/// ~20 µs, nothing next to minifying 64 kB).
pub(crate) const GUARD_FROM_BYTES: usize = 64 * 1024;

/// How long one module may take (`BALLAST_MINIFY_TIMEOUT`, seconds, overrides): the largest real modules
/// (three.js, pdf.js) take a second or two.
const MINIFY_DEADLINE: Duration = Duration::from_secs(60);

pub(crate) fn deadline() -> Duration {
    ballast_common::deadline_from_env("BALLAST_MINIFY_TIMEOUT", MINIFY_DEADLINE)
}

pub(crate) enum Outcome {
    Minified(String),
    Failed(String),
    TimedOut(Duration),
}

pub(crate) fn minify_guarded(
    source: &str,
    path: &Path,
    kind: ModuleKind,
    minifier: MinifierKind,
    used: UsedExports,
    folded: &[(String, String)],
    limit: Duration,
) -> Outcome {
    if source.len() < GUARD_FROM_BYTES {
        return into_outcome(minify_module_with(source, path, kind, minifier, used, folded));
    }
    let (source, path, used, folded) =
        (source.to_string(), path.to_path_buf(), used.cloned(), folded.to_vec());
    let (send, receive) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("ballast-minify".into()).spawn(move || {
        let used: Option<&BTreeSet<String>> = used.as_ref();
        let _ = send.send(minify_module_with(&source, &path, kind, minifier, used, &folded));
    });
    if let Err(e) = spawned {
        return Outcome::Failed(format!("cannot start a thread to minify it: {e}"));
    }
    match receive.recv_timeout(limit) {
        Ok(result) => into_outcome(result),
        // The thread is left to finish on its own; its answer goes nowhere.
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome::TimedOut(limit),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Outcome::Failed("the minifier stopped without an answer".into())
        }
    }
}

fn into_outcome(result: Result<String, String>) -> Outcome {
    match result {
        Ok(code) => Outcome::Minified(code),
        Err(reason) => Outcome::Failed(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn large_module() -> String {
        (0..4000).map(|i| format!("export function f{i}(a) {{ return a + {i}; }}\n")).collect()
    }

    fn minify_large(limit: Duration) -> (String, Outcome) {
        let source = large_module();
        assert!(source.len() >= GUARD_FROM_BYTES);
        let outcome =
            minify_guarded(&source, Path::new("big.js"), ModuleKind::Js, MinifierKind::Oxc, None, &[], limit);
        (source, outcome)
    }

    #[test]
    fn a_large_module_past_the_deadline_is_abandoned() {
        assert!(matches!(minify_large(Duration::ZERO).1, Outcome::TimedOut(_)));
    }

    #[test]
    fn a_large_module_in_time_is_minified() {
        match minify_large(Duration::from_secs(120)) {
            (source, Outcome::Minified(code)) => assert!(code.len() < source.len()),
            _ => panic!("not minified"),
        }
    }
}
