#!/usr/bin/env bash
# Every test: the lint gate (rustfmt, clippy, unused dependencies), Rust unit, snapshot and integration tests (incl. the real-npm
# esbuild and Vite rebuild checks and the differential corpus built with Vite 7, Vite 8 and webpack 5), then the
# npm packaging end-to-end test and the real-browser tests of the HTML report.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

scripts/setup.sh
# The lint gate first: formatting and clippy on every target, warnings as errors.
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
# No dependency a crate does not use (cargo-machete reads the sources; installed once if missing).
command -v cargo-machete >/dev/null || cargo install cargo-machete --locked --version 0.9.2
cargo machete
cargo build -p ballast_cli
cargo test --workspace --no-fail-fast

export BALLAST_BINARY="$repo/target/debug/ballast"
html="$repo/target/browser-artifacts/three-app.html"
mkdir -p "$(dirname "$html")"
"$BALLAST_BINARY" analyze fixtures/e2e/three-app --html "$html" --no-cache > /dev/null
# The compare view: three-app against itself with one module added (a copy under target/, the fixture untouched).
compare="$repo/target/browser-artifacts/compare"
rm -rf "$compare" && mkdir -p "$compare" && cp -a fixtures/e2e/three-app "$compare/" && ln -s "$repo/fixtures/e2e/node_modules" "$compare/three-app/node_modules"
(cd "$compare/three-app" && "$BALLAST_BINARY" analyze --json ../base.json --no-cache > /dev/null \
  && printf 'export const CREDITS = ["three.js", "esbuild", "ballast", "oxc"].map((n) => n.toUpperCase());\n' > src/lib/credits.ts \
  && printf "import { CREDITS } from '../lib/credits';\nexport function About(root: HTMLElement) { root.append(CREDITS.join(', ')); }\n" > src/routes/About.ts \
  && "$BALLAST_BINARY" analyze --html ../compare.html --baseline ../base.json --no-cache > /dev/null)
BALLAST_HTML="$html" BALLAST_COMPARE_HTML="$compare/compare.html" node --test tests/browser/
node --test tests/npm/
