#!/usr/bin/env bash
# Packs the npm distribution for linux-x64-gnu from a built ballast binary:
#   - copies the binary to npm/platforms/linux-x64-gnu/bin/ballast
#   - writes npm/ballast/schema.json from `<binary> schema` (fails if the binary has no `schema` subcommand)
#   - `npm pack`s npm/ballast and npm/platforms/linux-x64-gnu into target/npm/
# Prints the two tarball paths (absolute), one per line, on stdout; everything else goes to stderr.
#
# Usage: BALLAST_BINARY=target/release/ballast scripts/pack-npm.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${BALLAST_BINARY:-target/release/ballast}"
case "$binary" in /*) ;; *) binary="$repo/$binary" ;; esac

die() { echo "pack-npm: error: $*" >&2; exit 1; }

[ -f "$binary" ] || die "no ballast binary at $binary (build it with 'cargo build --release', or set BALLAST_BINARY)"
[ -x "$binary" ] || die "$binary is not executable"

platform_dir="$repo/npm/platforms/linux-x64-gnu"
main_dir="$repo/npm/ballast"
out_dir="$repo/target/npm"

# The schema first: a binary without a working `schema` subcommand must not be packed (nor a stale schema.json).
rm -f "$main_dir/schema.json"
schema_tmp="$(mktemp)"
trap 'rm -f "$schema_tmp"' EXIT
if ! "$binary" schema >"$schema_tmp" 2>"$schema_tmp.err"; then
  cat "$schema_tmp.err" >&2 || true
  rm -f "$schema_tmp.err"
  die "'$binary schema' failed: the binary must support the 'schema' subcommand to be packed (schema.json ships in the npm package)"
fi
rm -f "$schema_tmp.err"
node -e '
  const fs = require("fs");
  const text = fs.readFileSync(process.argv[1], "utf8");
  let v;
  try { v = JSON.parse(text); } catch (e) { console.error("pack-npm: error: `ballast schema` did not print valid JSON: " + e.message); process.exit(1); }
  if (v === null || typeof v !== "object" || Array.isArray(v)) { console.error("pack-npm: error: `ballast schema` did not print a JSON object"); process.exit(1); }
  fs.writeFileSync(process.argv[2], JSON.stringify(v, null, 2) + "\n");
' "$schema_tmp" "$main_dir/schema.json"

mkdir -p "$platform_dir/bin"
cp "$binary" "$platform_dir/bin/ballast"
chmod 755 "$platform_dir/bin/ballast"

mkdir -p "$out_dir"
pack() {
  local dir="$1" name
  # npm pack prints the tarball file name as the last line of stdout.
  name="$(cd "$dir" && npm pack --silent --pack-destination "$out_dir" 2>/dev/null | tail -n 1)" || die "npm pack failed in $dir"
  [ -n "$name" ] && [ -f "$out_dir/$name" ] || die "npm pack in $dir produced no tarball"
  echo "$out_dir/$name"
}
main_tgz="$(pack "$main_dir")"
platform_tgz="$(pack "$platform_dir")"

# Sanity checks on what was packed (list first: `tar | grep -q` trips pipefail through SIGPIPE).
platform_files="$(tar -tzf "$platform_tgz")"
main_files="$(tar -tzf "$main_tgz")"
grep -qx 'package/bin/ballast' <<<"$platform_files" || die "$platform_tgz does not contain bin/ballast"
for f in package/schema.json package/vite.mjs package/bin/ballast.js package/lib/binary.js; do
  grep -qx "$f" <<<"$main_files" || die "$main_tgz does not contain ${f#package/}"
done

echo "$main_tgz"
echo "$platform_tgz"
