//! The project's own esbuild as the minifier, for Vite ≤ 7 (which minifies chunks with esbuild) and for
//! esbuild targets, with the options Vite's build uses (`minify`, `treeShaking`, its default browser targets,
//! UTF-8 output): one esbuild service transforms every module from memory (`esbuild_service`); an esbuild whose
//! service cannot start gets them as one batch of files in a temp folder, as its CLI takes them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::esbuild_service;

/// Vite 7's `build.target` default, `'baseline-widely-available'` (`ESBUILD_BASELINE_WIDELY_AVAILABLE_TARGET`).
const VITE_TARGETS: &str = "chrome107,edge107,firefox104,safari16";

/// How long one esbuild batch may take (`BALLAST_ESBUILD_TIMEOUT`, seconds, overrides); it minifies three.js in
/// well under a second.
const ESBUILD_DEADLINE: Duration = Duration::from_secs(180);

/// The transform options both ways of running esbuild share.
const FLAGS: [&str; 4] = ["--minify", "--tree-shaking=true", "--format=esm", "--charset=utf8"];

/// Minified code of each input, or why it could not be minified.
pub fn minify_batch(binary: &Path, inputs: &[String]) -> Vec<Result<String, String>> {
    if inputs.is_empty() {
        return Vec::new();
    }
    let limit = ballast_common::deadline_from_env("BALLAST_ESBUILD_TIMEOUT", ESBUILD_DEADLINE);
    let flags: Vec<String> = FLAGS
        .iter()
        .map(|f| f.to_string())
        .chain(["--log-level=silent".to_string(), format!("--target={VITE_TARGETS}")])
        .collect();
    let answers = match esbuild_service::transform_all(binary, &flags, inputs, limit) {
        Ok(answers) => answers,
        Err(_) => return minify_files(binary, inputs, limit),
    };
    // A service that ended early left some unanswered: those go through the files.
    let unanswered: Vec<usize> = (0..answers.len()).filter(|&i| answers[i].is_none()).collect();
    let redone: Vec<String> = unanswered.iter().map(|&i| inputs[i].clone()).collect();
    let mut redone = minify_files(binary, &redone, limit).into_iter();
    answers
        .into_iter()
        .map(|a| a.or_else(|| redone.next()).unwrap_or_else(|| Err("esbuild gave no answer".into())))
        .collect()
}

/// Every input through one esbuild run over files, each alone when one of them fails the batch.
fn minify_files(binary: &Path, inputs: &[String], limit: Duration) -> Vec<Result<String, String>> {
    if inputs.is_empty() {
        return Vec::new();
    }
    match run(binary, inputs, limit) {
        Ok(outputs) => outputs.into_iter().map(Ok).collect(),
        // One module esbuild rejects fails the batch: find it by doing each alone.
        Err(Failure::Rejected(_)) if inputs.len() > 1 => inputs
            .iter()
            .map(|i| {
                run(binary, std::slice::from_ref(i), limit)
                    .map(|mut o| o.remove(0))
                    .map_err(|f| f.to_string())
            })
            .collect(),
        // Stopped at its deadline or not started: every module of the batch is sized unminified.
        Err(e) => {
            let reason = e.to_string();
            inputs.iter().map(|_| Err(reason.clone())).collect()
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum Failure {
    /// esbuild ran and refused the input (a syntax it does not take).
    #[error("{0}")]
    Rejected(String),
    /// esbuild did not run to the end (a temp folder, the binary, the deadline).
    #[error("{0}")]
    NotRun(String),
}

fn run(binary: &Path, inputs: &[String], limit: Duration) -> Result<Vec<String>, Failure> {
    let dir = tempfile::tempdir()
        .map_err(|e| Failure::NotRun(format!("cannot create a temp folder for esbuild: {e}")))?;
    let out = dir.path().join("out");
    let mut files: Vec<PathBuf> = Vec::with_capacity(inputs.len());
    for (i, code) in inputs.iter().enumerate() {
        let file = dir.path().join(format!("m{i}.js"));
        std::fs::write(&file, code)
            .map_err(|e| Failure::NotRun(format!("cannot write {}: {e}", file.display())))?;
        files.push(file);
    }
    let mut command = Command::new(binary);
    command
        .args(&files)
        .arg(format!("--outdir={}", out.display()))
        .args(FLAGS)
        .arg("--log-level=error")
        .arg(format!("--target={VITE_TARGETS}"));
    let output = ballast_common::run_with_deadline(&mut command, None, limit)
        .map_err(|e| Failure::NotRun(format!("cannot run esbuild ({}): {e}", binary.display())))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Failure::Rejected(format!(
            "esbuild cannot minify: {}",
            stderr.lines().next().unwrap_or("").trim()
        )));
    }
    (0..inputs.len())
        .map(|i| {
            let file = out.join(format!("m{i}.js"));
            std::fs::read_to_string(&file)
                .map_err(|e| Failure::Rejected(format!("esbuild wrote no {}: {e}", file.display())))
        })
        .collect()
}

/// The project's esbuild binary: Vite's own copy first, then the project's, looking up from `root`.
pub fn find_esbuild(root: &Path) -> Option<PathBuf> {
    let platform = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "linux-x64",
        ("linux", "aarch64") => "linux-arm64",
        ("macos", "aarch64") => "darwin-arm64",
        ("macos", "x86_64") => "darwin-x64",
        ("windows", "x86_64") => "win32-x64",
        _ => return None,
    };
    let exe = if cfg!(windows) { "esbuild.exe" } else { "bin/esbuild" };
    root.ancestors().find_map(|dir| {
        let modules = dir.join("node_modules");
        [modules.join("vite/node_modules"), modules.clone()]
            .iter()
            .map(|m| m.join("@esbuild").join(platform).join(exe))
            .find(|p| p.is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_esbuild_whose_service_cannot_start_minifies_through_files() {
        let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/e2e");
        let real =
            find_esbuild(&e2e).expect("fixtures/e2e/node_modules has esbuild (run scripts/e2e-setup.sh)");
        // The real binary under a package that names another version: `--service=<that>` is refused.
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("package.json"), r#"{"name":"@esbuild/linux-x64","version":"0.0.1"}"#)
            .expect("write");
        std::fs::create_dir(dir.path().join("bin")).expect("mkdir");
        let binary = dir.path().join("bin/esbuild");
        std::os::unix::fs::symlink(&real, &binary).expect("symlink");
        let inputs = ["export const answer = 40 + 2;", "let = ;"].map(String::from);
        let outputs = minify_batch(&binary, &inputs);
        assert_eq!(outputs[0], Ok("const e=42;export{e as answer};\n".to_string()));
        assert!(outputs[1].is_err(), "{:?}", outputs[1]);
    }
}
