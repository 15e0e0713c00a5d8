// Prints the sizes of Ballast's HTML report and webpack-bundle-analyzer's static report of the same app (gzip of
// each file too), their module counts and the ratio. Called by scripts/report-size.sh; asserts nothing.
// Usage: node scripts/report-size-webpack.cjs APP BALLAST_HTML BALLAST_JSON WBA_HTML
const fs = require('fs');
const zlib = require('zlib');

const [app, ballastHtml, ballastJson, wba] = process.argv.slice(2);
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
const size = (file) => {
  const bytes = fs.readFileSync(file);
  return { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
};
const report = JSON.parse(fs.readFileSync(ballastJson, 'utf8'));
const ships = report.modules.filter((m) => m.included && m.chunk != null).length;
// webpack-bundle-analyzer embeds its chart data as `window.chartData = [...]`: count the leaves (modules)
const html = fs.readFileSync(wba, 'utf8');
const m = html.match(/window\.chartData = (\[.*?\]);\s*\n/s);
let leaves = '?';
if (m) {
  let n = 0;
  const walk = (x) => (Array.isArray(x.groups) && x.groups.length ? x.groups.forEach(walk) : n++);
  JSON.parse(m[1]).forEach((asset) => (asset.groups || []).forEach(walk));
  leaves = n;
}
const b = size(ballastHtml);
const w = size(wba);
const row = (name, s, what) =>
  console.log(`  ${name.padEnd(34)} ${String(s.raw).padStart(9)} B  ${kB(s.raw).padStart(9)}   gzip ${kB(s.gzip).padStart(8)}   ${what}`);
console.log(`${app} (webpack 5) HTML report size`);
row('ballast --target webpack --html', b,
  `${report.modules.length} modules parsed, ${ships} ship (full records), ${report.modules.length - ships} listed as not shipped`);
row('webpack-bundle-analyzer (static)', w, `${leaves} leaves in its chart`);
const ratio = b.raw / w.raw;
console.log(`  ratio ballast / webpack-bundle-analyzer: ${ratio.toFixed(2)} (file), ${(b.gzip / w.gzip).toFixed(2)} (gzip);` +
  ` target <= 0.5: ${ratio <= 0.5 ? 'ok' : 'MISS'}`);
console.log(`  files: ${ballastHtml}\n         ${wba}`);
