//! esbuild metafiles (`--metafile`): `outputs[*].inputs[*].bytesInOutput` are already minified byte counts; the
//! rest of each output (runtime helpers, glue) goes to the chunk's `[esbuild runtime]/…` module.

use std::collections::BTreeSet;
use std::path::Path;

use ballast_chunk::ChunkKind;
use ballast_common::{Diagnostic, DiagnosticCode};
use ballast_graph::{ImportKind, ModuleFormat};
use serde::Deserialize;

use crate::builder::{Builder, RawChunk, RawImport, fallback_name};
use crate::util::{Ordered, chunk_stem, is_js_file, module_path};
use crate::{BuildInput, StatsError, shape_error};

#[derive(Debug, Deserialize)]
struct Metafile {
    #[serde(default)]
    inputs: Ordered<Input>,
    #[serde(default)]
    outputs: Ordered<Output>,
}

#[derive(Debug, Deserialize)]
struct Input {
    #[serde(default)]
    bytes: u64,
    #[serde(default)]
    imports: Vec<InputImport>,
    #[serde(default)]
    format: Option<String>,
}

#[derive(Debug, Deserialize)]
struct InputImport {
    path: String,
    kind: String,
    #[serde(default)]
    external: bool,
    #[serde(default)]
    original: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Output {
    #[serde(default)]
    bytes: u64,
    #[serde(default)]
    inputs: Ordered<OutputInput>,
    #[serde(default)]
    imports: Vec<OutputImport>,
    #[serde(default)]
    entry_point: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutputInput {
    #[serde(default)]
    bytes_in_output: u64,
}

#[derive(Debug, Deserialize)]
struct OutputImport {
    path: String,
    kind: String,
    #[serde(default)]
    external: bool,
}

fn import_kind(kind: &str) -> Option<ImportKind> {
    Some(match kind {
        "import-statement" => ImportKind::Static,
        "dynamic-import" => ImportKind::Dynamic,
        "require-call" | "require-resolve" => ImportKind::Require,
        "import-rule" | "composes-from" => ImportKind::Css,
        "url-token" => ImportKind::Asset,
        _ => return None,
    })
}

pub(crate) fn load(text: &str, file: &Path, root: &Path) -> Result<BuildInput, StatsError> {
    let meta: Metafile = serde_json::from_str(text).map_err(|e| shape_error(file, "esbuild metafile", &e))?;
    let mut builder = Builder::new(root, "esbuild");
    // Metafile paths are relative to the directory esbuild ran in: the project root.
    let path_of = |builder: &mut Builder, key: &str| -> String {
        let (path, abs) = module_path(builder.root(), key);
        builder.module(&path, abs);
        path
    };

    for (key, input) in &meta.inputs.0 {
        let path = path_of(&mut builder, key);
        let record = builder.module(&path, Default::default());
        record.raw_size = Some(input.bytes);
        record.format = match input.format.as_deref() {
            Some("esm") => Some(ModuleFormat::Esm),
            Some("cjs") => Some(ModuleFormat::Cjs),
            _ => None,
        };
        for import in &input.imports {
            let Some(kind) = import_kind(&import.kind) else { continue };
            let to = (!import.external).then(|| path_of(&mut builder, &import.path));
            let specifier = import.original.clone().unwrap_or_else(|| import.path.clone());
            builder.import(RawImport { from: path.clone(), to, specifier, kind, line: 0, column: 0 });
        }
    }

    let js: BTreeSet<&str> =
        meta.outputs.0.iter().map(|(k, _)| k.as_str()).filter(|k| is_js_file(k)).collect();
    let dynamic_targets: BTreeSet<&str> = meta
        .outputs
        .0
        .iter()
        .flat_map(|(_, o)| o.imports.iter())
        .filter(|i| i.kind == "dynamic-import" && !i.external)
        .map(|i| i.path.as_str())
        .collect();
    for (key, output) in &meta.outputs.0 {
        if !js.contains(key.as_str()) {
            continue;
        }
        let code = [builder.root().join(key), file.parent().unwrap_or(Path::new("")).join(key)]
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok());
        let bytes = code.as_ref().map(|c| c.len() as u64).unwrap_or(output.bytes);
        let mut modules: Vec<(String, u64)> =
            output.inputs.0.iter().map(|(k, i)| (path_of(&mut builder, k), i.bytes_in_output)).collect();
        let counted: u64 = modules.iter().map(|(_, b)| b).sum();
        let runtime = format!("[esbuild runtime]/{key}");
        if counted <= bytes {
            if counted < bytes {
                builder.synthetic(&runtime);
                modules.push((runtime, bytes - counted));
            }
        } else {
            builder.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::InvalidStats,
                    format!("the inputs of {key} add up to {counted} bytes, more than the output's {bytes}; scaled"),
                )
                .in_file(file.display().to_string()),
            );
            modules = builder.fit(modules, bytes, &runtime);
        }

        let facade = output.entry_point.as_deref().map(|e| path_of(&mut builder, e));
        let kind = if dynamic_targets.contains(key.as_str()) {
            ChunkKind::Async
        } else if facade.is_some() {
            ChunkKind::Entry
        } else {
            ChunkKind::Shared
        };
        let mut name = chunk_stem(key);
        if kind == ChunkKind::Shared && name == "chunk" {
            name = fallback_name(&modules, None).unwrap_or(name);
        }
        if kind == ChunkKind::Entry
            && let Some(module) = &facade
        {
            builder.entry(&name, module);
        }
        let linked = |dynamic: bool| -> Vec<String> {
            output
                .imports
                .iter()
                .filter(|i| {
                    !i.external && js.contains(i.path.as_str()) && (i.kind == "dynamic-import") == dynamic
                })
                .map(|i| i.path.clone())
                .collect()
        };
        builder.chunk(RawChunk {
            file: key.clone(),
            name,
            kind,
            modules,
            imports: linked(false),
            dynamic_imports: linked(true),
            facade,
            code,
            bytes,
        });
    }
    Ok(builder.finish())
}
