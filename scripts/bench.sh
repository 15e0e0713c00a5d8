#!/usr/bin/env bash
# Benchmarks `ballast analyze` against an esbuild production build of the same app, on the real-package fixtures
# fixtures/e2e/three-app and fixtures/e2e/big-app.
#
# For each app, in ONE run and interleaved (rep 1: every app × every variant, rep 2: …), N repetitions each:
#   esbuild       esbuild <entry> --bundle --minify --splitting --format=esm --outdir=<tmp> --metafile=<tmp>/meta.json
#   cold-gzip     ballast analyze <app> --no-cache                      (the default: gzip)
#   cold-brotli   ballast analyze <app> --compression gzip,brotli --no-cache
#   edit          ballast analyze <app> --cache-dir <tmp>, after a one-line edit of the entry module (restored after)
#   warm          ballast analyze <app> --cache-dir <tmp>               (cache primed by one run before the reps)
# Wall time from `date +%s%N` around each run, peak RSS from `/usr/bin/time -f %M` (maximum resident set size of
# the process). The table shows medians and the ratios against esbuild, with the targets:
#   cold-gzip ≤ 0.25× esbuild, edit ≤ 0.1×, warm ≤ 0.05×; peak memory ≤ 0.25× esbuild's (cold-brotli: reported).
#
# Works on a fresh machine: installs GNU time (Debian package `time`) if missing, runs scripts/e2e-setup.sh, and
# builds `cargo build --release -p ballast_cli` (a no-op when up to date).
#
# Then the HTML report's size against webpack-bundle-analyzer's static report of the largest corpus app, built in the
# same run (scripts/report-size.sh, the webpack part: sizes and the ratio, target <= 0.5x; reported, not asserted).
#
# Usage: scripts/bench.sh [APP…]          (default: three-app big-app)
# Environment:
#   BENCH_REPORT_SIZE=0     skip the report-size comparison
#   BENCH_N=5               repetitions per variant (the median is reported)
#   BALLAST_BIN=path        use this binary and skip the cargo build
#   BENCH_STRICT=1          exit 1 when a target is missed (default: report only)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
e2e="$repo/fixtures/e2e"
N="${BENCH_N:-5}"
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(three-app big-app)
variants=(esbuild cold-gzip cold-brotli edit warm)

say() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    die "need root to run: $*"
  fi
}

apt_install() {
  say "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 \
    || { as_root apt-get update >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2; } \
    || die "apt-get install $* failed"
}

# --- tools -------------------------------------------------------------------------------------------------------
[ -x /usr/bin/time ] || apt_install time
command -v node >/dev/null 2>&1 || apt_install nodejs npm
command -v npm >/dev/null 2>&1 || apt_install npm

"$repo/scripts/e2e-setup.sh"

if [ -n "${BALLAST_BIN:-}" ]; then
  ballast="$BALLAST_BIN"
  case "$ballast" in /*) ;; *) ballast="$repo/$ballast" ;; esac
else
  command -v cargo >/dev/null 2>&1 || die "cargo is not installed (or set BALLAST_BIN to a built ballast binary)"
  say "cargo build --release -p ballast_cli"
  (cd "$repo" && cargo build --release -p ballast_cli >&2) || die "cargo build failed"
  ballast="$repo/target/release/ballast"
fi
[ -x "$ballast" ] || die "no ballast binary at $ballast"

# The native esbuild binary (not the node shim that `bin/esbuild` is when esbuild's postinstall did not run), so that
# the peak RSS is esbuild's own.
esbuild="$e2e/node_modules/esbuild/bin/esbuild"
if [ "$(head -c 4 "$esbuild" | od -An -c | tr -d ' ')" != '177ELF' ]; then
  native="$(cd "$e2e" && node -e '
    const os = { linux: "linux", darwin: "darwin", win32: "win32" }[process.platform] || process.platform;
    const pkg = `@esbuild/${os}-${process.arch}`;
    try { process.stdout.write(require.resolve(`${pkg}/bin/esbuild`)); } catch { process.stdout.write(""); }
  ')"
  [ -n "$native" ] && [ -x "$native" ] && esbuild="$native"
fi
[ -x "$esbuild" ] || die "no esbuild binary in fixtures/e2e/node_modules (run scripts/e2e-setup.sh)"

work="$(mktemp -d "${TMPDIR:-/tmp}/ballast-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The first <script type="module" src="…"> of the app's index.html, without the leading '/'.
entry_of() {
  node -e '
    const html = require("fs").readFileSync(process.argv[1], "utf8");
    for (const m of html.matchAll(/<script\b[^>]*>/gi)) {
      const tag = m[0];
      if (!/type\s*=\s*["'"'"']?module/i.test(tag)) continue;
      const src = tag.match(/src\s*=\s*["'"'"']([^"'"'"']+)/i);
      if (src) { process.stdout.write(src[1].replace(/^\//, "")); process.exit(0); }
    }
    process.exit(1);
  ' "$1/index.html" || die "no module script in $1/index.html"
}

# run_variant APP VARIANT: runs once; prints "<wall ms> <peak RSS KiB>".
run_variant() {
  local app="$1" variant="$2" dir="$e2e/$1" out="$work/$1-$2" t0 t1 rss
  local -a cmd
  case "$variant" in
    esbuild)
      rm -rf "$out" && mkdir -p "$out"
      cmd=("$esbuild" "${entries[$app]}" --bundle --minify --splitting --format=esm "--outdir=$out"
        "--metafile=$out/meta.json" --log-level=error) ;;
    cold-gzip) cmd=("$ballast" analyze "$dir" --no-cache) ;;
    cold-brotli) cmd=("$ballast" analyze "$dir" --compression gzip,brotli --no-cache) ;;
    edit)
      edits=$((edits + 1))
      printf '%s\n// bench edit %s\n' "${originals[$app]}" "$edits" >"$dir/${entries[$app]}"
      cmd=("$ballast" analyze "$dir" --cache-dir "$work/cache-$app") ;;
    warm) cmd=("$ballast" analyze "$dir" --cache-dir "$work/cache-$app") ;;
    *) die "unknown variant $variant" ;;
  esac
  t0=$(date +%s%N)
  if ! (cd "$dir" && /usr/bin/time -f %M -o "$work/rss" "${cmd[@]}" >"$work/stdout" 2>"$work/stderr"); then
    echo "bench: error: $app/$variant failed: ${cmd[*]}" >&2
    tail -n 20 "$work/stderr" >&2
    exit 1
  fi
  t1=$(date +%s%N)
  if [ "$variant" = edit ]; then
    # Put the file back and let the cache see it again (unmeasured), so `warm` finds nothing changed.
    printf '%s\n' "${originals[$app]}" >"$dir/${entries[$app]}"
    (cd "$dir" && "$ballast" analyze "$dir" --cache-dir "$work/cache-$app" >/dev/null 2>&1)
  fi
  rss="$(tail -n 1 "$work/rss")"
  echo "$(( (t1 - t0) / 1000000 )) $rss"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A entries originals times rss
edits=0
# The edit variant changes the entry module; put every one back however the script ends.
restore() { for app in "${!originals[@]}"; do printf '%s\n' "${originals[$app]}" >"$e2e/$app/${entries[$app]}"; done; rm -rf "$work"; }
trap restore EXIT
for app in "${apps[@]}"; do
  [ -f "$e2e/$app/index.html" ] || die "no fixture app fixtures/e2e/$app"
  entries[$app]="$(entry_of "$e2e/$app")"
  originals[$app]="$(cat "$e2e/$app/${entries[$app]}")"
  # Warm the page cache, and prime the warm-cache variant's cache (not measured).
  say "$app: warming up (entry ${entries[$app]})"
  run_variant "$app" esbuild >/dev/null
  run_variant "$app" cold-gzip >/dev/null
  rm -rf "$work/cache-$app"
  run_variant "$app" warm >/dev/null
done

for ((rep = 1; rep <= N; rep++)); do
  say "repetition $rep/$N"
  for app in "${apps[@]}"; do
    for variant in "${variants[@]}"; do
      result="$(run_variant "$app" "$variant")"
      read -r ms kib <<<"$result"
      times[$app/$variant]+=" $ms"
      rss[$app/$variant]+=" $kib"
    done
  done
done

# --- report ------------------------------------------------------------------------------------------------------
declare -A time_target=([cold-gzip]=0.25 [cold-brotli]=inf [edit]=0.1 [warm]=0.05)
mem_target=0.25
missed=0

echo
echo "$("$ballast" --version 2>/dev/null | head -n 1 || echo 'ballast ?') vs esbuild $("$esbuild" --version) —" \
  "median of $N interleaved runs; $(nproc) cores; $(uname -srm)"
printf '%-10s %-13s %10s %9s %11s %12s %9s %11s\n' app variant "wall ms" "x esbuild" target "peak RSS MB" "x esbuild" target
for app in "${apps[@]}"; do
  base_ms="$(echo "${times[$app/esbuild]}" | median)"
  base_kib="$(echo "${rss[$app/esbuild]}" | median)"
  for variant in "${variants[@]}"; do
    ms="$(echo "${times[$app/$variant]}" | median)"
    kib="$(echo "${rss[$app/$variant]}" | median)"
    mb="$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')"
    if [ "$variant" = esbuild ]; then
      printf '%-10s %-13s %10s %9s %11s %12s %9s %11s\n' "$app" "$variant" "$ms" "1" "" "$mb" "1" ""
      continue
    fi
    tr="$(awk -v a="$ms" -v b="$base_ms" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "inf" }')"
    mr="$(awk -v a="$kib" -v b="$base_kib" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "inf" }')"
    tt="${time_target[$variant]}"
    tok="$(awk -v r="$tr" -v t="$tt" 'BEGIN { if (t == "inf") print "-"; else print (r != "inf" && r + 0 <= t + 0) ? "ok" : "MISS" }')"
    mok="$(awk -v r="$mr" -v t="$mem_target" 'BEGIN { print (r != "inf" && r + 0 <= t + 0) ? "ok" : "MISS" }')"
    [ "$tok" = MISS ] && missed=$((missed + 1))
    [ "$mok" = ok ] || missed=$((missed + 1))
    printf '%-10s %-13s %10s %9s %11s %12s %9s %11s\n' "$app" "$variant" "$ms" "$tr" "<=$tt $tok" "$mb" "$mr" "<=$mem_target $mok"
  done
done
echo
echo "raw wall ms / peak RSS KiB per run:"
for app in "${apps[@]}"; do
  for variant in "${variants[@]}"; do
    printf '  %-24s ms:%s   KiB:%s\n' "$app/$variant" "${times[$app/$variant]}" "${rss[$app/$variant]}"
  done
done
echo
if [ "${BENCH_REPORT_SIZE:-1}" != 0 ]; then
  say "HTML report size vs webpack-bundle-analyzer (scripts/report-size.sh)"
  BALLAST_BINARY="$ballast" REPORT_SIZE_PARTS=webpack "$repo/scripts/report-size.sh" "$repo/target/report-size" \
    || die "scripts/report-size.sh failed"
  echo
fi
if [ "$missed" -gt 0 ]; then
  echo "targets missed: $missed"
  [ "${BENCH_STRICT:-0}" = 1 ] && exit 1
else
  echo "all targets met"
fi
exit 0
