#!/usr/bin/env bash
# Installs everything the test suite needs on a bare machine: the real npm packages of the end-to-end
# fixtures (pinned by their committed package-lock.json files), playwright-core for the browser tests, and
# Debian's Chromium. Idempotent: a second run does nothing that is already done.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

npm_ci() { # DIR: npm ci unless node_modules matches the lockfile already
  local dir=$1 stamp="$1/node_modules/.ballast-lock-hash" hash
  hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then return; fi
  echo "setup: npm ci in $dir"
  (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
  echo "$hash" > "$stamp"
}

scripts/e2e-setup.sh
# fixtures/frameworks/vite7, vite8: one npm workspace per Vite major of real framework apps (Vue, Svelte, React+TanStack, three.js workers,
# multi-script HTML) built with their own Vite 7 / Vite 8 as ground truth, and read by npm/ballast/lib/project-helper.mjs
# fixtures/corpus: one npm project of real apps (MUI, antd, lodash-es/date-fns/rxjs, three.js, CommonJS deps, TS
# barrels) built with Vite 7, Vite 8 and webpack 5 by fixtures/corpus/build.mjs as ground truth
for dir in fixtures/split-e2e tests/browser fixtures/stats/tools fixtures/frameworks/vite7 fixtures/frameworks/vite8 fixtures/corpus; do
  [ -f "$dir/package-lock.json" ] && npm_ci "$dir"
done

if ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
fi
# The user-journey test (crates/ballast_cli/tests/journey.rs) types into a tmux pane.
if ! command -v tmux >/dev/null 2>&1; then
  echo "setup: installing tmux"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq tmux >/dev/null
fi
