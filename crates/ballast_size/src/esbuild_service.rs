//! The project's esbuild as a long-running service (`esbuild --service=<version>`, what esbuild's own JS API
//! starts): every module goes in as one `transform` request over stdin and comes back as its own response, so
//! nothing is written to disk and one module esbuild rejects fails only itself.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::esbuild_protocol::{self, Value};

/// What the service made of one input: its code, why esbuild refused it, or `None` when the service ended
/// before answering (the caller has another way to run those).
pub type Answer = Option<Result<String, String>>;

/// Why the service could not be used at all.
#[derive(Debug, thiserror::Error)]
pub enum NotStarted {
    #[error("cannot tell the version of esbuild at {0}")]
    Version(String),
    #[error("cannot start esbuild's service: {0}")]
    Spawn(std::io::Error),
    #[error("esbuild's service did not start: {0}")]
    NoGreeting(String),
}

/// Transforms each input with `flags` (esbuild's CLI transform flags), all within `limit`; inputs still pending
/// at the deadline fail with the deadline's message, and the service is stopped.
pub fn transform_all(
    binary: &Path,
    flags: &[String],
    inputs: &[String],
    limit: Duration,
) -> Result<Vec<Answer>, NotStarted> {
    let started = Instant::now();
    let version = version_of(binary).ok_or_else(|| NotStarted::Version(binary.display().to_string()))?;
    let mut child = Command::new(binary)
        .arg(format!("--service={version}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(NotStarted::Spawn)?;
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        stop(&mut child);
        return Err(NotStarted::NoGreeting("its pipes were not opened".into()));
    };
    let flags: Vec<Value> = flags.iter().map(|f| Value::Str(f.clone())).collect();
    thread::scope(|scope| {
        let (events, received) = mpsc::channel();
        scope.spawn(move || read_packets(stdout, &events));
        let stderr = scope.spawn(move || {
            let mut text = String::new();
            let _ = { stderr }.read_to_string(&mut text);
            text
        });
        scope.spawn(move || {
            for (id, input) in inputs.iter().enumerate() {
                let request = Value::Map(vec![
                    ("command".into(), Value::Str("transform".into())),
                    ("flags".into(), Value::Array(flags.clone())),
                    ("inputFS".into(), Value::Bool(false)),
                    ("input".into(), Value::Bytes(input.as_bytes().to_vec())),
                ]);
                // A service that died closes the pipe: the reader sees the end and says so.
                if stdin.write_all(&esbuild_protocol::encode(id as u32, true, &request)).is_err() {
                    return;
                }
            }
            // The end of stdin lets the service exit once it has answered everything.
        });
        let outcome = collect(&received, inputs.len(), started + limit);
        match outcome {
            Collected::Done(answers) => {
                let _ = child.wait();
                Ok(answers)
            }
            Collected::NoGreeting => {
                stop(&mut child);
                let why = stderr.join().unwrap_or_default();
                Err(NotStarted::NoGreeting(
                    why.lines().next().unwrap_or("it closed its output").trim().to_string(),
                ))
            }
            Collected::TimedOut(mut answers) => {
                stop(&mut child);
                let reason = ballast_common::RunError::TimedOut(limit).to_string();
                let reason = format!("cannot run esbuild ({}): {reason}", binary.display());
                for answer in answers.iter_mut().filter(|a| a.is_none()) {
                    *answer = Some(Err(reason.clone()));
                }
                Ok(answers)
            }
        }
    })
}

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

enum Event {
    Greeting,
    Response(u32, Value),
    End,
}

enum Collected {
    Done(Vec<Answer>),
    NoGreeting,
    TimedOut(Vec<Answer>),
}

fn collect(received: &mpsc::Receiver<Event>, n: usize, deadline: Instant) -> Collected {
    let mut answers: Vec<Answer> = vec![None; n];
    let mut greeted = false;
    let mut pending = n;
    while pending > 0 || !greeted {
        let left = deadline.saturating_duration_since(Instant::now());
        match received.recv_timeout(left) {
            Ok(Event::Greeting) => greeted = true,
            Ok(Event::Response(id, value)) => {
                if let Some(slot) = answers.get_mut(id as usize).filter(|s| s.is_none()) {
                    *slot = Some(answer_of(&value));
                    pending -= 1;
                }
            }
            Ok(Event::End) | Err(mpsc::RecvTimeoutError::Disconnected) if !greeted => {
                return Collected::NoGreeting;
            }
            Ok(Event::End) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => return Collected::TimedOut(answers),
        }
    }
    Collected::Done(answers)
}

/// A `transform` response: its code, or its first error.
fn answer_of(response: &Value) -> Result<String, String> {
    if let Some(error) = response.get("error").and_then(Value::text) {
        return Err(format!("esbuild cannot minify: {error}"));
    }
    let first_error = match response.get("errors") {
        Some(Value::Array(errors)) => errors.first(),
        _ => None,
    };
    if let Some(error) = first_error {
        let text = error.get("text").and_then(Value::text).unwrap_or_default();
        return Err(format!("esbuild cannot minify: {text}"));
    }
    response.get("code").and_then(Value::text).ok_or_else(|| "esbuild answered without code".to_string())
}

/// Splits stdout into packets: the first is the service's version, then requests and responses.
fn read_packets(mut stdout: ChildStdout, events: &mpsc::Sender<Event>) {
    let mut stream: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut greeted = false;
    loop {
        let n = match stdout.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        stream.extend_from_slice(&chunk[..n]);
        let mut at = 0;
        while let Some(len) =
            stream.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        {
            let Some(body) = stream.get(at + 4..at + 4 + len) else { break };
            let event = if greeted {
                match esbuild_protocol::decode(body) {
                    // esbuild only sends requests (pings) when started with `--ping`: none are awaited.
                    Some(packet) if !packet.is_request => Event::Response(packet.id, packet.value),
                    Some(_) => {
                        at += 4 + len;
                        continue;
                    }
                    None => {
                        let _ = events.send(Event::End);
                        return;
                    }
                }
            } else {
                greeted = true;
                Event::Greeting
            };
            at += 4 + len;
            if events.send(event).is_err() {
                return;
            }
        }
        stream.drain(..at);
    }
    let _ = events.send(Event::End);
}

/// The binary's version, which `--service=` must repeat: from its npm package (`@esbuild/<platform>`, next to
/// the binary), else by asking it.
fn version_of(binary: &Path) -> Option<String> {
    let from_package = binary.ancestors().skip(1).take(2).find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
        let manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
        let name = manifest.get("name")?.as_str()?;
        (name == "esbuild" || name.starts_with("@esbuild/")).then_some(())?;
        manifest.get("version")?.as_str().map(str::to_string)
    });
    from_package.or_else(|| {
        let mut command = Command::new(binary);
        command.arg("--version");
        let done = ballast_common::run_with_deadline(&mut command, None, Duration::from_secs(20)).ok()?;
        let version = String::from_utf8(done.stdout).ok()?.trim().to_string();
        (done.status.success() && !version.is_empty()).then_some(version)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The e2e fixtures' esbuild (scripts/e2e-setup.sh installs it); fails, never skips, without it.
    fn esbuild() -> std::path::PathBuf {
        let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/e2e");
        crate::find_esbuild(&e2e).expect("fixtures/e2e/node_modules has esbuild (run scripts/e2e-setup.sh)")
    }

    fn flags() -> Vec<String> {
        ["--minify", "--format=esm", "--log-level=silent"].map(String::from).to_vec()
    }

    #[test]
    fn each_module_has_its_own_answer() {
        let inputs = ["export const answer = 40 + 2;", "let = ;", "export function f(a) { return a * 2 }"]
            .map(String::from);
        let answers = transform_all(&esbuild(), &flags(), &inputs, Duration::from_secs(60)).expect("starts");
        assert_eq!(answers.len(), 3);
        assert_eq!(answers[0], Some(Ok("const e=42;export{e as answer};\n".to_string())));
        let rejected = answers[1].clone().expect("answered").expect_err("a syntax error");
        assert!(rejected.starts_with("esbuild cannot minify: "), "{rejected}");
        assert!(answers[2].clone().expect("answered").expect("minified").contains("return"));
    }

    #[test]
    fn past_the_deadline_every_pending_module_fails() {
        let inputs = vec!["export const a = 1;".to_string(); 20];
        let answers = transform_all(&esbuild(), &flags(), &inputs, Duration::ZERO).expect("starts");
        for answer in answers {
            let reason = answer.expect("answered").expect_err("stopped");
            assert!(reason.contains("did not finish within 0 s"), "{reason}");
        }
    }

    #[test]
    fn a_binary_that_is_not_esbuild_does_not_start() {
        let inputs = vec!["export const a = 1;".to_string()];
        let not_started = transform_all(Path::new("/bin/false"), &flags(), &inputs, Duration::from_secs(20));
        assert!(not_started.is_err());
    }
}
