//! Incremental re-runs: after each kind of change (an edit, a new file, a deleted file, a changed package.json,
//! tsconfig.json or vite.config), the run served by the cache of the previous run gives the JSON report a cold
//! `--no-cache` run gives, byte for byte.

use std::path::Path;
use std::process::Command;

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A small Vite project: an index.html entry, tsconfig `paths`, a Vite alias, a package with `module`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "package.json", r#"{ "name": "inc", "private": true, "type": "module" }"#);
    write(
        d,
        "index.html",
        r#"<!doctype html><html><head><script type="module" src="/src/main.ts"></script></head></html>"#,
    );
    write(
        d,
        "tsconfig.json",
        r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "~lib/*": ["src/lib/*"] } } }"#,
    );
    write(
        d,
        "vite.config.ts",
        "import path from 'node:path';\nexport default { resolve: { alias: { '@u': path.resolve(__dirname, 'src/u1') } } };\n",
    );
    write(
        d,
        "src/main.ts",
        "import { greet } from '~lib/greet';\nimport { tag } from '@u/tag';\nimport { dep } from 'dep';\n\
         import './side';\ndocument.body.textContent = greet(tag + dep);\n\
         document.onclick = () => import('./lazy').then((m) => m.run('clicked'));\n",
    );
    write(d, "src/lib/greet.ts", "export function greet(name: string) { return `hello ${name}`; }\n");
    write(
        d,
        "src/lib2/greet.ts",
        "export function greet(name: string) { return `goodbye, goodbye ${name}`; }\n",
    );
    write(d, "src/u1/tag.ts", "export const tag = 'one';\n");
    write(d, "src/u2/tag.ts", "export const tag = 'two, a longer tag';\n");
    write(d, "src/side.ts", "document.title = 'side effect';\n");
    write(
        d,
        "src/lazy.ts",
        "import { greet } from '~lib/greet';\nexport const run = (s: string) => greet(s);\n",
    );
    write(d, "node_modules/dep/package.json", r#"{ "name": "dep", "version": "1.0.0", "module": "a.js" }"#);
    write(d, "node_modules/dep/a.js", "export const dep = 'a';\n");
    write(d, "node_modules/dep/b.js", "export const dep = 'b, from the other file of the package';\n");
    dir
}

fn analyze(dir: &Path, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(["analyze", ".", "--format", "json"])
        .args(extra)
        .current_dir(dir)
        .env("CI", "true")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Primes a cache, applies `change`, and compares the cached re-run with a cold run.
fn check_change(what: &str, change: impl FnOnce(&Path)) {
    let project = project();
    let dir = project.path();
    let cache = tempfile::tempdir().unwrap();
    let cached = ["--cache-dir", cache.path().to_str().unwrap()];
    let before = analyze(dir, &cached);
    assert_eq!(before, analyze(dir, &cached), "{what}: the warm run differs from the first");
    change(dir);
    let incremental = analyze(dir, &cached);
    let cold = analyze(dir, &["--no-cache"]);
    assert_ne!(before, cold, "{what}: the change did not change the report (the test proves nothing)");
    assert_eq!(incremental, cold, "{what}: the incremental run differs from a cold run");
}

#[test]
fn an_edited_file() {
    check_change("edit", |d| {
        write(d, "src/lib/greet.ts", "export function greet(n: string) { return n; }\n")
    });
}

#[test]
fn a_new_file() {
    check_change("new file", |d| {
        write(d, "src/extra.ts", "export const extra = 'a new module';\n");
        let main = std::fs::read_to_string(d.join("src/main.ts")).unwrap();
        write(d, "src/main.ts", &format!("import {{ extra }} from './extra';\nconsole.log(extra);\n{main}"));
    });
}

#[test]
fn a_new_file_that_shadows_what_an_import_resolved_to() {
    // `./side` resolved to side.ts; a side.js next to it comes first in the resolver's extension order
    // (or not): either way the cached run must agree with the cold one.
    check_change("shadowing file", |d| {
        write(d, "src/lazy.js", "export const run = (s) => s + ' from lazy.js, which shadows lazy.ts';\n");
    });
}

#[test]
fn a_deleted_file() {
    check_change("deleted file", |d| std::fs::remove_file(d.join("src/side.ts")).unwrap());
}

#[test]
fn a_changed_package_json() {
    check_change("package.json", |d| {
        write(
            d,
            "node_modules/dep/package.json",
            r#"{ "name": "dep", "version": "1.0.0", "module": "b.js" }"#,
        )
    });
}

#[test]
fn a_changed_root_package_json() {
    // The project's name comes from it.
    check_change("root package.json", |d| {
        write(d, "package.json", r#"{ "name": "inc-renamed", "private": true, "type": "module" }"#)
    });
}

#[test]
fn a_changed_tsconfig() {
    check_change("tsconfig.json", |d| {
        write(
            d,
            "tsconfig.json",
            r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "~lib/*": ["src/lib2/*"] } } }"#,
        )
    });
}

#[test]
fn a_changed_vite_config() {
    check_change("vite.config.ts", |d| {
        write(
            d,
            "vite.config.ts",
            "import path from 'node:path';\nexport default { resolve: { alias: { '@u': path.resolve(__dirname, 'src/u2') } } };\n",
        )
    });
}
