//! Build mode: reads what a real build produced — the Ballast Vite plugin's bundle data (Vite 7 / Rollup and
//! Vite 8 / Rolldown), an esbuild metafile, webpack stats, or a folder of `.js` files with sourcemaps — into the
//! same `ModuleGraph` source mode builds, plus the real chunks.
//!
//! The invariant every reader keeps: the `rendered_size`s of a chunk's modules add up exactly to the chunk's
//! final bytes. Pre-minification sizes (Rollup's `renderedLength`, webpack's `size`) are scaled to the chunk
//! with a largest-remainder apportionment; sourcemaps attribute bytes segment by segment; whatever nothing
//! accounts for goes to a synthetic module of the chunk (`[unmapped]/…`, `[esbuild runtime]/…`).

mod builder;
mod esbuild;
mod sourcemap;
mod util;
mod vite;
mod webpack;

use std::path::{Path, PathBuf};

use ballast_chunk::ChunkPlan;
use ballast_common::{Diagnostic, DiagnosticCode};
use ballast_graph::ModuleGraph;

/// Everything build mode knows about one build.
#[derive(Debug)]
pub struct BuildInput {
    /// Modules (paths relative to the project root), the imports known between them and the entries.
    /// `Module::rendered_size` is the bytes the module contributes to its chunk's final code; `source` is `None`.
    pub graph: ModuleGraph,
    /// The real chunks, entries first, then by name.
    pub chunks: ChunkPlan,
    /// Each chunk's final code, when the input has it (for real gzip/brotli sizes).
    pub chunk_code: Vec<Option<String>>,
    /// Each chunk's final byte size; its modules' `rendered_size`s add up to it.
    pub chunk_bytes: Vec<u64>,
    /// `rollup` | `rolldown` | `esbuild` | `webpack` | `sourcemap`.
    pub bundler: String,
    /// Recoverable problems (unmappable sourcemap segments, chunks without code …).
    pub diagnostics: Vec<Diagnostic>,
}

const ACCEPTED: &str = "Ballast Vite plugin bundle data (\"format\": \"ballast-vite-bundle\"), an esbuild metafile \
(--metafile), webpack stats (webpack --json), or a folder / .js file with sourcemaps";

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}:{column}: invalid JSON: {message}", file.display())]
    Json { file: PathBuf, line: usize, column: usize, message: String, hint: String },
    #[error("{}:{line}:{column}: unexpected {what} data: {message}", file.display())]
    Shape { file: PathBuf, line: usize, column: usize, what: &'static str, message: String },
    #[error("{}: not a build stats format Ballast reads ({found}); accepted: {ACCEPTED}", file.display())]
    UnknownFormat { file: PathBuf, found: String },
    #[error("{}: no .js files found; accepted: {ACCEPTED}", path.display())]
    NoChunks { path: PathBuf },
}

impl StatsError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            StatsError::Io { .. } => "check the path given to --stats".to_string(),
            StatsError::Json { hint, .. } => hint.clone(),
            StatsError::Shape { what, .. } => {
                format!("the file looks like {what} data but a field has an unexpected type; regenerate it")
            }
            StatsError::UnknownFormat { .. } => {
                "write stats with the Ballast Vite plugin, `esbuild --metafile=meta.json`, \
                 `webpack --json=stats.json`, or pass the build's output folder built with sourcemaps"
                    .to_string()
            }
            StatsError::NoChunks { .. } => "pass the build's output folder (e.g. dist/)".to_string(),
        }
    }

    /// The error as a diagnostic with its location, for the CLI's output.
    pub fn diagnostic(&self) -> Diagnostic {
        // The location goes in `file`/`line`/`column`; the CLI prints it in front of the message already.
        let message = match self {
            StatsError::Json { message, .. } => format!("invalid JSON: {message}"),
            StatsError::Shape { what, message, .. } => format!("unexpected {what} data: {message}"),
            _ => self.to_string(),
        };
        let mut diagnostic = Diagnostic::error(DiagnosticCode::InvalidStats, message).with_help(self.hint());
        match self {
            StatsError::Json { file, line, column, .. } | StatsError::Shape { file, line, column, .. } => {
                diagnostic =
                    diagnostic.in_file(file.display().to_string()).at(to_u32(*line), to_u32(*column));
            }
            StatsError::Io { path, .. } | StatsError::NoChunks { path } => {
                diagnostic = diagnostic.in_file(path.display().to_string());
            }
            StatsError::UnknownFormat { file, .. } => {
                diagnostic = diagnostic.in_file(file.display().to_string())
            }
        }
        diagnostic
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn json_error(file: &Path, error: &serde_json::Error) -> StatsError {
    let hint = if error.is_eof() {
        "the file ends too early: was the build interrupted or the file truncated?"
    } else {
        "the file is not valid JSON: pass the file the bundler or the Ballast Vite plugin wrote, unchanged"
    };
    let message = error.to_string();
    // serde_json appends " at line L column C"; the location is shown in front instead.
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    StatsError::Json {
        file: file.to_path_buf(),
        line: error.line().max(1),
        column: error.column().max(1),
        message,
        hint: hint.to_string(),
    }
}

pub(crate) fn shape_error(file: &Path, what: &'static str, error: &serde_json::Error) -> StatsError {
    let message = error.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    StatsError::Shape {
        file: file.to_path_buf(),
        line: error.line().max(1),
        column: error.column().max(1),
        what,
        message,
    }
}

/// Reads build output from `path` (a stats/metafile/bundle-data JSON file, a `dist/` folder, or a `.js` file
/// with a sourcemap), with module paths made relative to `project_root`.
pub fn load_stats(path: &Path, project_root: &Path) -> Result<BuildInput, StatsError> {
    if path.is_dir() {
        return sourcemap::load(path, project_root);
    }
    let name = path.to_string_lossy();
    if util::is_js_file(&name) {
        return sourcemap::load(path, project_root);
    }
    let bytes = std::fs::read(path).map_err(|source| StatsError::Io { path: path.to_path_buf(), source })?;
    let text = String::from_utf8_lossy(&bytes);
    // A byte-order mark (Windows editors, PowerShell's `Out-File`) is not JSON; serde_json would say only
    // "expected value" at 1:1.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => std::borrow::Cow::Owned(rest.to_string()),
        None => text,
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| json_error(path, &e))?;
    let Some(object) = value.as_object() else {
        return Err(StatsError::UnknownFormat {
            file: path.to_path_buf(),
            found: describe(&value).to_string(),
        });
    };
    if object.get("format").and_then(|f| f.as_str()) == Some("ballast-vite-bundle") {
        return vite::load(&text, path, project_root);
    }
    if object.get("inputs").is_some_and(|v| v.is_object())
        && object.get("outputs").is_some_and(|v| v.is_object())
    {
        return esbuild::load(&text, path, project_root);
    }
    if object.contains_key("mappings") && object.contains_key("version") {
        // A `.map` given directly: measure the file it maps.
        let js = PathBuf::from(name.strip_suffix(".map").unwrap_or(&name));
        if js.is_file() {
            return sourcemap::load(&js, project_root);
        }
    }
    let webpack_key = ["modules", "chunks", "assets", "children"];
    if webpack_key.iter().any(|k| object.get(*k).is_some_and(|v| v.is_array())) {
        return webpack::load(&text, path, project_root);
    }
    let mut keys: Vec<&str> = object.keys().map(String::as_str).take(5).collect();
    if object.len() > 5 {
        keys.push("…");
    }
    Err(StatsError::UnknownFormat {
        file: path.to_path_buf(),
        found: if keys.is_empty() {
            "an empty object".to_string()
        } else {
            format!("an object with {}", keys.join(", "))
        },
    })
}

fn describe(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
