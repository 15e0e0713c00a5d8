#!/usr/bin/env bash
# Installs the real npm packages that the end-to-end fixture apps in fixtures/e2e/ (three-app, three-old, big-app)
# import, with `npm ci`, when fixtures/e2e/node_modules is missing or stale.
#
# Idempotent: after a successful install the sha256 of fixtures/e2e/package-lock.json is stored in
# fixtures/e2e/node_modules/.ballast-lock-hash; when it still matches, nothing is done.
# Set BALLAST_E2E_FORCE=1 to reinstall anyway.
#
# Usage: scripts/e2e-setup.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$repo/fixtures/e2e"
lock="$dir/package-lock.json"
stamp="$dir/node_modules/.ballast-lock-hash"

die() { echo "e2e-setup: error: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not installed (Node 20 or newer is needed)"
command -v npm >/dev/null 2>&1 || die "npm is not installed"
[ -f "$lock" ] || die "missing $lock"

hash_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    node -e 'process.stdout.write(require("crypto").createHash("sha256").update(require("fs").readFileSync(process.argv[1])).digest("hex"))' "$1"
  fi
}

want="$(hash_of "$lock")"
have=""
[ -f "$stamp" ] && have="$(cat "$stamp")"

if [ "${BALLAST_E2E_FORCE:-0}" != "1" ] && [ -d "$dir/node_modules" ] && [ "$have" = "$want" ] \
  && [ -x "$dir/node_modules/.bin/esbuild" ]; then
  echo "e2e-setup: fixtures/e2e/node_modules is up to date" >&2
  exit 0
fi

if [ -d "$dir/node_modules" ]; then
  echo "e2e-setup: fixtures/e2e/node_modules is stale (package-lock.json changed); reinstalling" >&2
else
  echo "e2e-setup: installing fixtures/e2e/node_modules" >&2
fi

# npm ci removes node_modules first, so a failed install never leaves a matching stamp behind.
(cd "$dir" && npm ci --prefer-offline --no-audit --no-fund) >&2 || die "npm ci failed in fixtures/e2e"

"$dir/node_modules/.bin/esbuild" --version >/dev/null 2>&1 \
  || die "esbuild does not run after the install (is its platform package @esbuild/<os>-<arch> in the lockfile?)"

printf '%s\n' "$want" >"$stamp"
echo "e2e-setup: done ($(du -sh "$dir/node_modules" 2>/dev/null | cut -f1) in fixtures/e2e/node_modules)" >&2
