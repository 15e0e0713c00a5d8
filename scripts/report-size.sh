#!/usr/bin/env bash
# Issue 5 figure: the size of Ballast's HTML report for the largest real app (fixtures/e2e/big-app, ~2,400 modules
# reached) next to rollup-plugin-visualizer's treemap of the same app built by Vite 7.
#
#   1. `ballast analyze fixtures/e2e/big-app --html … --json …` (source mode; the binary is $BALLAST_BINARY or
#      target/debug/ballast).
#   2. Vite 7 + rollup-plugin-visualizer from the small npm project fixtures/report-size/ (pinned in its
#      package-lock.json; installed here with `npm ci` when missing). fixtures/e2e/node_modules has no Vite, so the
#      app is built from a temporary copy: big-app's index.html and src/ next to a `node_modules` symlink to
#      fixtures/e2e/node_modules (Vite resolves the app's imports through it; its own code comes from
#      fixtures/report-size/node_modules). fixtures/report-size/vite.config.mjs writes two treemaps: one with
#      gzip and brotli sizes (what Ballast's report carries too) and one with the visualizer's defaults.
#   3. Prints the file sizes (and gzip of each file) and the module counts: Ballast's modules in the report (and
#      how many the tree-shaking estimate keeps) and the visualizer's modules (all it knows, and those rendered
#      into chunks).
#
#   4. Issue 13 figure: the corpus app with the most parsed modules (fixtures/corpus/mui-routes: 11,676 modules
#      parsed, ~400 ship; antd-routes has ~3,000), built by real webpack 5 (fixtures/corpus/build.mjs) with
#      webpack-bundle-analyzer's static report (BundleAnalyzerPlugin, analyzerMode 'static', from the same
#      webpack run: BALLAST_BUNDLE_ANALYZER), and `ballast analyze --target webpack --html` of the same app in
#      the same script run. Prints both sizes and the ratio (target: Ballast <= 0.5x webpack-bundle-analyzer).
#      Nothing is asserted.
#
# Usage: scripts/report-size.sh [OUT_DIR]      (default target/report-size; the reports are kept there)
# Environment:
#   REPORT_SIZE_PARTS="visualizer webpack"   which comparisons to run (default both)
#   REPORT_SIZE_CORPUS_APP=mui-routes        the corpus app of the webpack comparison
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/target/report-size}"
binary="${BALLAST_BINARY:-$repo/target/debug/ballast}"
case "$binary" in /*) ;; *) binary="$repo/$binary" ;; esac
app="$repo/fixtures/e2e/big-app"
e2e_modules="$repo/fixtures/e2e/node_modules"
tool="$repo/fixtures/report-size"

die() { echo "report-size: error: $*" >&2; exit 1; }

[ -x "$binary" ] || die "no ballast binary at $binary (run 'cargo build -p ballast_cli', or set BALLAST_BINARY)"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
parts="${REPORT_SIZE_PARTS:-visualizer webpack}"

# --- webpack-bundle-analyzer vs ballast --target webpack on a corpus app -------------------------------------------
webpack_part() {
  local corpus="$repo/fixtures/corpus" app="${REPORT_SIZE_CORPUS_APP:-mui-routes}"
  local wba="$out/webpack-bundle-analyzer-$app.html" bhtml="$out/ballast-$app-webpack.html"
  local bjson="$out/ballast-$app-webpack.json"
  [ -d "$corpus/$app" ] || die "no corpus app fixtures/corpus/$app"
  if [ ! -d "$corpus/node_modules/webpack-bundle-analyzer" ] || [ ! -d "$corpus/node_modules/webpack" ]; then
    echo "report-size: installing fixtures/corpus/node_modules" >&2
    (cd "$corpus" && npm ci --prefer-offline --no-audit --no-fund) >&2 || die "npm ci failed in fixtures/corpus"
  fi
  echo "report-size: webpack build of fixtures/corpus/$app with webpack-bundle-analyzer (static report)" >&2
  rm -f "$wba"
  BALLAST_BUNDLE_ANALYZER="$wba" node "$corpus/build.mjs" "$app" webpack "$out/webpack-$app-chunks.json" >&2 \
    || die "webpack build of $app failed"
  [ -f "$wba" ] || die "webpack-bundle-analyzer wrote no $wba"
  echo "report-size: ballast analyze fixtures/corpus/$app --target webpack --html" >&2
  "$binary" analyze "$corpus/$app" --target webpack --html "$bhtml" --json "$bjson" --format text >/dev/null \
    || die "ballast analyze failed"
  node "$repo/scripts/report-size-webpack.cjs" "$app" "$bhtml" "$bjson" "$wba"
}

if [[ " $parts " != *" visualizer "* ]]; then
  if [[ " $parts " == *" webpack "* ]]; then webpack_part; fi
  exit 0
fi

[ -d "$e2e_modules/@mui/material" ] || die "fixtures/e2e/node_modules is not installed: run scripts/e2e-setup.sh"
if [ ! -x "$tool/node_modules/.bin/vite" ] || [ ! -d "$tool/node_modules/rollup-plugin-visualizer" ]; then
  echo "report-size: installing fixtures/report-size/node_modules" >&2
  (cd "$tool" && npm ci --prefer-offline --no-audit --no-fund) >&2 || die "npm ci failed in fixtures/report-size"
fi
ballast_html="$out/ballast-big-app.html"
ballast_json="$out/ballast-big-app.json"
treemap="$out/visualizer-big-app.html"
treemap_plain="$out/visualizer-big-app-defaults.html"

echo "report-size: ballast analyze fixtures/e2e/big-app" >&2
"$binary" analyze "$app" --html "$ballast_html" --json "$ballast_json" --format text >/dev/null \
  || die "ballast analyze failed"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/big-app"
cp -R "$app/index.html" "$app/src" "$tmp/big-app/"
ln -s "$e2e_modules" "$tmp/big-app/node_modules"

echo "report-size: vite build (Vite 7 + rollup-plugin-visualizer) of a copy of big-app" >&2
(
  cd "$tool"
  REPORT_SIZE_ROOT="$tmp/big-app" REPORT_SIZE_OUT="$tmp/dist" REPORT_SIZE_TREEMAP="$treemap" \
    REPORT_SIZE_TREEMAP_PLAIN="$treemap_plain" ./node_modules/.bin/vite build --config vite.config.mjs
) >&2 || die "vite build failed"
[ -f "$treemap" ] || die "rollup-plugin-visualizer wrote no $treemap"

node - "$ballast_html" "$ballast_json" "$treemap" "$treemap_plain" "$tmp/dist" <<'EOF'
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const [ballastHtml, ballastJson, treemap, treemapPlain, dist] = process.argv.slice(2);

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
const size = (file) => {
  const bytes = fs.readFileSync(file);
  return { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
};
function visualizerCounts(file) {
  const html = fs.readFileSync(file, 'utf8');
  const m = html.match(/const data = (\{.*?\});\s*\n/s);
  if (!m) throw new Error(`no "const data = …" in ${file}`);
  const data = JSON.parse(m[1]);
  let rendered = 0;
  const walk = (n) => (n.children ? n.children.forEach(walk) : rendered++);
  walk(data.tree);
  return { known: Object.keys(data.nodeMetas).length, rendered, chunks: data.tree.children.length };
}

const report = JSON.parse(fs.readFileSync(ballastJson, 'utf8'));
const kept = report.modules.filter((mod) => mod.included).length;
const b = size(ballastHtml);
const v = size(treemap);
const vp = size(treemapPlain);
const vc = visualizerCounts(treemap);
const distJs = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js')).length;

const rows = [
  ['ballast --html', b, `${report.modules.length} modules (${kept} kept by tree-shaking), ${report.chunks.length} chunks`],
  ['visualizer treemap (gzip+brotli)', v, `${vc.known} modules known, ${vc.rendered} rendered, ${vc.chunks} chunks`],
  ['visualizer treemap (defaults)', vp, 'same data without compressed sizes'],
];
console.log('big-app HTML report size');
for (const [name, s, what] of rows) {
  console.log(`  ${name.padEnd(34)} ${String(s.raw).padStart(9)} B  ${kB(s.raw).padStart(9)}   gzip ${kB(s.gzip).padStart(8)}   ${what}`);
}
console.log(`  ratio ballast / visualizer (gzip+brotli): ${(b.raw / v.raw).toFixed(2)} (file), ${(b.gzip / v.gzip).toFixed(2)} (gzip)`);
console.log(`  vite build: ${distJs} JS chunks`);
console.log(`  files: ${ballastHtml}\n         ${treemap}\n         ${treemapPlain}`);
EOF

if [[ " $parts " == *" webpack "* ]]; then webpack_part; fi
exit 0
