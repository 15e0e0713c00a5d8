//! The project's own esbuild as the minifier, for Vite ≤ 7 (which minifies chunks with esbuild) and for
//! esbuild targets: one esbuild process transforms every module in a batch (files in a temp folder, as
//! esbuild's CLI takes them), with the options Vite's build uses (`minify`, `treeShaking`, its default
//! browser targets, UTF-8 output).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Vite 7's `build.target` default, `'baseline-widely-available'` (`ESBUILD_BASELINE_WIDELY_AVAILABLE_TARGET`).
const VITE_TARGETS: &str = "chrome107,edge107,firefox104,safari16";

/// Minified code of each input, or why it could not be minified.
pub fn minify_batch(binary: &Path, inputs: &[String]) -> Vec<Result<String, String>> {
    if inputs.is_empty() {
        return Vec::new();
    }
    match run(binary, inputs) {
        Ok(outputs) => outputs.into_iter().map(Ok).collect(),
        // One module esbuild rejects fails the batch: find it by doing each alone.
        Err(_) if inputs.len() > 1 => {
            inputs.iter().map(|i| run(binary, std::slice::from_ref(i)).map(|mut o| o.remove(0))).collect()
        }
        Err(e) => vec![Err(e)],
    }
}

fn run(binary: &Path, inputs: &[String]) -> Result<Vec<String>, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temp folder for esbuild: {e}"))?;
    let out = dir.path().join("out");
    let mut files: Vec<PathBuf> = Vec::with_capacity(inputs.len());
    for (i, code) in inputs.iter().enumerate() {
        let file = dir.path().join(format!("m{i}.js"));
        std::fs::write(&file, code).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        files.push(file);
    }
    let output = Command::new(binary)
        .args(&files)
        .arg(format!("--outdir={}", out.display()))
        .args(["--minify", "--tree-shaking=true", "--format=esm", "--charset=utf8", "--log-level=error"])
        .arg(format!("--target={VITE_TARGETS}"))
        .output()
        .map_err(|e| format!("cannot run esbuild ({}): {e}", binary.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("esbuild cannot minify: {}", stderr.lines().next().unwrap_or("").trim()));
    }
    (0..inputs.len())
        .map(|i| {
            let file = out.join(format!("m{i}.js"));
            std::fs::read_to_string(&file).map_err(|e| format!("esbuild wrote no {}: {e}", file.display()))
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
