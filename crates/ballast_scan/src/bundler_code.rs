//! Code the bundler itself adds to the output, as modules the loader did not find in the project: Vite's
//! preload helper (imported by every module with an `import()`; Vite 7's and 8's differ) and modulepreload
//! polyfill (run by each entry), webpack's runtime (run by each entry). Each is Ballast's own model of that code, at about its
//! size, so that chunk sizes include what the real build ships; they are listed like any module.

use std::path::Path;
use std::sync::Arc;

use ballast_graph::{ImportBinding, ImportKind, ImportedNames, Reference};

use crate::facts::RawImport;
use crate::load::{ImportTarget, LoadedImport, LoadedModule, ModuleKey};

/// Whose added code to model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BundlerCode {
    #[default]
    None,
    /// Vite 7 (Rollup).
    Vite7,
    /// Vite 8 (Rolldown): a preload helper of its own.
    Vite8,
    Webpack,
}

const PRELOAD_HELPER: (&str, &str) =
    ("(vite)/preload-helper.js", include_str!("bundler_code/vite-preload-helper.js"));
const PRELOAD_HELPER_VITE7: (&str, &str) =
    ("(vite)/preload-helper.js", include_str!("bundler_code/vite7-preload-helper.js"));
const PRELOAD_POLYFILL: (&str, &str) =
    ("(vite)/modulepreload-polyfill.js", include_str!("bundler_code/vite-modulepreload-polyfill.js"));
const WEBPACK_RUNTIME: (&str, &str) =
    ("(webpack)/runtime.js", include_str!("bundler_code/webpack-runtime.js"));

/// The binding the rewritten `import()` calls use.
const PRELOAD_LOCAL: &str = "\0vitePreload";

pub fn add(loaded: &mut Vec<LoadedModule>, root: &Path, code: BundlerCode, entries: &[ModuleKey]) {
    match code {
        BundlerCode::None => {}
        BundlerCode::Vite7 | BundlerCode::Vite8 => {
            let helper = if code == BundlerCode::Vite7 { PRELOAD_HELPER_VITE7 } else { PRELOAD_HELPER };
            let helper = virtual_module(root, helper);
            let mut used = false;
            let specifier = specifier_of(root, &helper.key);
            for module in loaded.iter_mut() {
                used |= import_preload_helper(module, &helper.key, &specifier);
            }
            if used {
                loaded.push(helper);
            }
            run_from_entries(loaded, root, PRELOAD_POLYFILL, entries);
        }
        BundlerCode::Webpack => run_from_entries(loaded, root, WEBPACK_RUNTIME, entries),
    }
}

/// The specifier the added import is written with: the virtual path, the same on every machine.
fn specifier_of(root: &Path, key: &ModuleKey) -> String {
    key.path.strip_prefix(root).unwrap_or(&key.path).to_string_lossy().replace('\\', "/")
}

fn virtual_module(root: &Path, (path, source): (&str, &str)) -> LoadedModule {
    LoadedModule {
        source: Some(Arc::from(source)),
        raw_size: source.len() as u64,
        ..crate::load::empty_module(ModuleKey { path: root.join(path), query: None })
    }
}

fn import_of(target: &ModuleKey, specifier: &str, names: ImportedNames) -> LoadedImport {
    LoadedImport {
        raw: RawImport {
            specifier: specifier.to_string(),
            kind: ImportKind::Static,
            names,
            offset: 0,
            implicit: true,
        },
        line: 1,
        column: 1,
        target: ImportTarget::Module(target.clone()),
    }
}

/// Vite rewrites each `import()` into `__vitePreload(() => import(…), deps)`: the statements holding one use
/// the helper.
fn import_preload_helper(module: &mut LoadedModule, helper: &ModuleKey, specifier: &str) -> bool {
    let lazy: Vec<usize> = module
        .imports
        .iter()
        .enumerate()
        .filter(|(_, i)| i.raw.kind == ImportKind::Dynamic && matches!(i.target, ImportTarget::Module(_)))
        .map(|(k, _)| k)
        .collect();
    if lazy.is_empty() {
        return false;
    }
    module.imports.push(import_of(helper, specifier, ImportedNames::Names(vec!["__vitePreload".into()])));
    if let Some(link) = &mut module.link {
        let link = Arc::make_mut(link);
        link.imports.push(ImportBinding {
            local: PRELOAD_LOCAL.to_string(),
            specifier: specifier.to_string(),
            imported: "__vitePreload".to_string(),
        });
        let statements: Vec<u32> =
            lazy.iter().filter_map(|&k| link.import_statements.get(k).copied()).collect();
        link.import_statements.push(ballast_graph::NO_STATEMENT);
        for s in statements {
            if let Some(statement) = link.statements.get_mut(s as usize) {
                let reference = Reference { name: PRELOAD_LOCAL.to_string(), member: None };
                if !statement.references.contains(&reference) {
                    statement.references.push(reference);
                }
            }
        }
    }
    true
}

/// A side-effect import of `code` from each entry: it runs with the entry, in its chunk.
fn run_from_entries(loaded: &mut Vec<LoadedModule>, root: &Path, code: (&str, &str), entries: &[ModuleKey]) {
    let module = virtual_module(root, code);
    let mut used = false;
    let specifier = specifier_of(root, &module.key);
    for entry in loaded.iter_mut().filter(|m| entries.contains(&m.key) && m.kind.is_script()) {
        entry.imports.insert(0, import_of(&module.key, &specifier, ImportedNames::SideEffect));
        if let Some(link) = &mut entry.link {
            Arc::make_mut(link).import_statements.insert(0, ballast_graph::NO_STATEMENT);
        }
        used = true;
    }
    if used {
        loaded.push(module);
    }
}
