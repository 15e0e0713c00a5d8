#!/usr/bin/env bash
# Installs fixtures/split-e2e/node_modules (Vite 7, Rollup, three; pinned in its package-lock.json) with
# `npm ci` when it is missing. The split-advice test (crates/ballast_cli/tests/split_advice_vite.rs) fails until
# this has run. Set BALLAST_E2E_FORCE=1 to reinstall anyway.
#
# Usage: scripts/split-e2e-setup.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$repo/fixtures/split-e2e"

die() { echo "split-e2e-setup: error: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not installed (Node 20.19 or newer is needed by Vite 7)"
command -v npm >/dev/null 2>&1 || die "npm is not installed"
[ -f "$dir/package-lock.json" ] || die "missing $dir/package-lock.json"

if [ "${BALLAST_E2E_FORCE:-0}" != "1" ] && [ -x "$dir/node_modules/.bin/vite" ] \
  && [ -f "$dir/node_modules/three/package.json" ]; then
  echo "split-e2e-setup: fixtures/split-e2e/node_modules is present" >&2
  exit 0
fi

echo "split-e2e-setup: installing fixtures/split-e2e/node_modules" >&2
(cd "$dir" && npm ci --prefer-offline --no-audit --no-fund) >&2 || die "npm ci failed in fixtures/split-e2e"
"$dir/node_modules/.bin/vite" --version >/dev/null 2>&1 || die "vite does not run after the install"
echo "split-e2e-setup: done" >&2
