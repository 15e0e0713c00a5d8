#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (default 60 s each): scripts/fuzz.sh [SECONDS] [TARGET…]
# Uses cargo-fuzz (libFuzzer; `cargo install cargo-fuzz`). Only stable rustc here: RUSTC_BOOTSTRAP=1 lets
# cargo-fuzz pass its -Z flags. Crashes land in fuzz/artifacts/<target>/; turn each into a fixtures/bad case.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(config stats scan link helper_json)
export RUSTC_BOOTSTRAP=1
# Shared target dir, its own triple subfolder: does not touch target/release.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
for t in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  # Seed from the repo's own inputs.
  case "$t" in
    config) cp -n crates/ballast_budget/tests/fixtures/*.json fixtures/bad/bad-ballast-json/ballast.json "fuzz/corpus/$t/" 2>/dev/null || true ;;
    stats) cp -n fixtures/stats/*.json fixtures/stats/sourcemap-dist/assets/*.map fixtures/bad/bad-stats*/stats.json "fuzz/corpus/$t/" 2>/dev/null || true ;;
    scan|link) for f in fixtures/cases/*/src/*.[jt]s fixtures/bad/*/src/*.[jt]s; do cp -n "$f" "fuzz/corpus/$t/$(echo "$f" | tr / _)" 2>/dev/null || true; done ;;
    helper_json) printf '%s' '{"vite":null,"compiled":[],"diagnostics":[]}' > "fuzz/corpus/$t/empty.json" ;;
  esac
  echo "== fuzz $t for ${SECONDS_EACH}s"
  cargo fuzz run --fuzz-dir fuzz -s none "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
done
