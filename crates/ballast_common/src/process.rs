//! Child processes with a deadline: a helper that never answers (a `vite.config` waiting on the network, a
//! plugin that starts a server) or a stuck esbuild must not hang the analysis or a CI job.

use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use wait_timeout::ChildExt;

/// What a child printed, once it exited in time.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot start it: {0}")]
    Spawn(std::io::Error),
    #[error("cannot wait for it: {0}")]
    Wait(std::io::Error),
    #[error("it did not finish within {} s and was stopped", .0.as_secs_f64())]
    TimedOut(Duration),
}

/// Runs `command` with `input` on its stdin, stdout and stderr captured, and kills it at `limit`.
pub fn run_with_deadline(
    command: &mut Command,
    input: Option<&[u8]>,
    limit: Duration,
) -> Result<Finished, RunError> {
    command
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(RunError::Spawn)?;
    // Both pipes are drained and stdin is fed on threads of their own, so a child that prints a lot before it
    // reads, or never reads at all, cannot block us past the deadline.
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        let bytes = bytes.to_vec();
        // A child that exits without reading closes the pipe: what it printed says why, not the write error.
        thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
    }
    match child.wait_timeout(limit).map_err(RunError::Wait)? {
        Some(status) => Ok(Finished { status, stdout: joined(stdout), stderr: joined(stderr) }),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            // Readers are left behind: a grandchild may still hold the pipes open.
            Err(RunError::TimedOut(limit))
        }
    }
}

/// `default`, or whole seconds from the environment variable `name` (for CI machines slower than ours).
pub fn deadline_from_env(name: &str, default: Duration) -> Duration {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(default, Duration::from_secs_f64)
}

fn drain<R: Read + Send + 'static>(mut pipe: R) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn joined(handle: Option<JoinHandle<Vec<u8>>>) -> Vec<u8> {
    handle.and_then(|h| h.join().ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_that_answers_in_time() {
        let done = run_with_deadline(Command::new("cat").arg("-"), Some(b"ping"), Duration::from_secs(20));
        let done = done.expect("cat runs");
        assert!(done.status.success());
        assert_eq!(done.stdout, b"ping");
    }

    #[test]
    fn a_child_past_its_deadline_is_stopped() {
        let err = run_with_deadline(Command::new("sleep").arg("30"), None, Duration::from_millis(200));
        assert!(matches!(err, Err(RunError::TimedOut(_))), "{err:?}");
    }

    #[test]
    fn a_child_that_never_reads_its_input_does_not_block() {
        // 8 MB is far more than a pipe holds; `sleep` never reads it.
        let input = vec![b'x'; 8 << 20];
        let err =
            run_with_deadline(Command::new("sleep").arg("30"), Some(&input), Duration::from_millis(300));
        assert!(matches!(err, Err(RunError::TimedOut(_))), "{err:?}");
    }

    #[test]
    fn deadlines_from_the_environment() {
        assert_eq!(
            deadline_from_env("BALLAST_TEST_NO_SUCH_VAR", Duration::from_secs(7)),
            Duration::from_secs(7)
        );
    }
}
