#!/usr/bin/env node
// Benchmark of the HTML report: opens a report of N modules (default 10,000) from file:// in headless Chromium
// RUNS times (default 5) and prints the median time to the first drawn treemap (window.__ballastFirstDraw, set by
// the report after its first render with style and layout forced: ms since navigation start) and the file size.
//
//   node scripts/bench-html.mjs [modules] [runs]
//       the data made by tests/browser/generate.mjs (N shipped modules, N/4 listed as not shipped), injected into
//       the report template
//   node scripts/bench-html.mjs --project [modules] [runs]
//       a real report: writes a synthetic project of about N shipped small ES modules into a temp dir (100 folders, each a
//       barrel re-exporting its modules; the entry imports most names of 60 folders statically and loads the
//       other 40 with import(), so about a tenth of the modules are parsed and dropped by tree-shaking), runs
//       `ballast analyze --html` on it ($BALLAST_BINARY, default target/release/ballast, else target/debug) and
//       opens what it wrote
//
// Needs: cd tests/browser && npm ci. Reports numbers, asserts nothing.
import { statSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from '../tests/browser/generate.mjs';
import { writeReport } from '../tests/browser/inject.mjs';
import { launch, openPage } from '../tests/browser/browser.mjs';

const args = process.argv.slice(2);
const project = args[0] === '--project';
if (project) args.shift();
const N = Number(args[0] || 10000);
const RUNS = Number(args[1] || 5);
const TARGET_MS = 1000;
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** About n shipped leaf modules in 100 folders with barrels (and a tenth more dropped); returns the files written. */
function writeProject(root, n) {
  const FOLDERS = 100;
  // 60 folders lose a tenth of their modules to tree-shaking, 40 keep all: 0.94 of the modules ship
  const per = Math.max(1, Math.ceil(n / (FOLDERS * 0.94)));
  const unused = Math.max(1, Math.round(per / 10)); // per statically imported folder: names never imported
  const main = [];
  const calls = [];
  let files = 0;
  for (let d = 0; d < FOLDERS; d++) {
    const dir = join(root, 'src', `feature${d}`);
    mkdirSync(dir, { recursive: true });
    const barrel = [];
    for (let m = 0; m < per; m++) {
      const name = `f${d}_${m}`;
      writeFileSync(join(dir, `mod${m}.js`),
        `const table = [${Array.from({ length: 8 }, (_, i) => (d * 131 + m * 17 + i * 7) % 97).join(', ')}];\n` +
        `export function ${name}(x) {\n  let s = 0;\n  for (const t of table) s += (t * x) % ${d + m + 3};\n` +
        `  return '${name}:' + s;\n}\n`);
      barrel.push(`export { ${name} } from './mod${m}.js';`);
      files++;
    }
    writeFileSync(join(dir, 'index.js'), barrel.join('\n') + '\n');
    files++;
    if (d < 60) {
      const names = Array.from({ length: per - unused }, (_, m) => `f${d}_${m}`);
      main.push(`import { ${names.join(', ')} } from './feature${d}/index.js';`);
      calls.push(`out.push(${names.map((x) => `${x}(1)`).join(', ')});`);
    } else {
      calls.push(`document.getElementById('go${d}')?.addEventListener('click', () => import('./feature${d}/index.js').then((m) => out.push(Object.values(m).map((f) => f(2)))));`);
    }
  }
  writeFileSync(join(root, 'src', 'main.js'), `${main.join('\n')}\nconst out = [];\n${calls.join('\n')}\nconsole.log(out.length);\n`);
  writeFileSync(join(root, 'index.html'), '<!doctype html>\n<html><body><script type="module" src="/src/main.js"></script></body></html>\n');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'synthetic-10k', private: true, type: 'module' }) + '\n');
  return files + 1;
}

const dir = mkdtempSync(join(tmpdir(), 'ballast-bench-'));
let file;
let what;
if (project) {
  const binary = process.env.BALLAST_BINARY ||
    [join(repo, 'target/release/ballast'), join(repo, 'target/debug/ballast')].find((b) => existsSync(b));
  if (!binary || !existsSync(binary)) throw new Error('no ballast binary: cargo build -p ballast_cli, or set BALLAST_BINARY');
  const app = join(dir, 'app');
  const files = writeProject(app, N);
  file = join(dir, 'report.html');
  const t0 = performance.now();
  execFileSync(binary, ['analyze', app, '--html', file, '--json', join(dir, 'report.json'), '--no-cache'], { stdio: ['ignore', 'ignore', 'inherit'] });
  what = `synthetic project, ${files} files; ballast analyze took ${Math.round(performance.now() - t0)} ms (${binary})`;
} else {
  file = writeReport(join(dir, 'report.html'), generate(N, { seed: 1 }));
  what = 'generated data (tests/browser/generate.mjs)';
}
const url = pathToFileURL(file).href;
const bytes = statSync(file).size;

const browser = await launch();
const times = [];
const detail = [];
try {
  // one warm-up load (disk cache, Chromium start-up) that is not counted
  await (await openPage(browser.context, url)).page.close();
  for (let r = 0; r < RUNS; r++) {
    // the browser's own view (CDP, enabled before navigating): script and layout time of the load
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.__ballastReady === 'number', null, { timeout: 15000 });
    if (errors.length) throw new Error(`console errors: ${errors.join('; ')}`);
    const t = await page.evaluate(() => {
      const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]));
      const data = JSON.parse(document.getElementById('ballast-data').textContent);
      const paint = performance.getEntriesByType('paint').map((p) => [p.name, Math.round(p.startTime)]);
      return {
        first: window.__ballastFirstDraw, ready: Math.round(window.__ballastReady), nodes: document.querySelectorAll('#map .node').length, marks, paint,
        modules: (data.path || []).length, dropped: data.dropped ? data.dropped.modules : 0,
      };
    });
    const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    t.cdp = {
      ScriptDuration: Math.round(metrics.ScriptDuration * 1000),
      LayoutDuration: Math.round(metrics.LayoutDuration * 1000),
      RecalcStyleDuration: Math.round(metrics.RecalcStyleDuration * 1000),
    };
    times.push(t.first);
    detail.push(t);
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const med = detail.find((d) => d.first === median);
console.log(`${what}`);
console.log(`modules in the report: ${detail[0].modules} shipped, ${detail[0].dropped} parsed and not shipped; runs: ${RUNS}, boxes drawn: ${detail[0].nodes}`);
console.log(`report size: ${bytes} bytes (${(bytes / 1e6).toFixed(2)} MB)`);
console.log(`first treemap draw, ms: ${times.map((t) => t.toFixed(0)).join(', ')}`);
console.log(`median first draw: ${median.toFixed(0)} ms (target < ${TARGET_MS} ms) ${median < TARGET_MS ? 'OK' : 'SLOW'}; side panels drawn too (median run): ${med?.ready} ms`);
console.log(`phases of the median run (ms since navigation): ${JSON.stringify(med?.marks)}; paint: ${JSON.stringify(med?.paint)}; CDP script/layout ms: ${JSON.stringify(med?.cdp)}`);
console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on this machine`);
