// The compare view (`ballast analyze --html r.html --baseline base.json`): growth and shrinkage coloured on the
// treemap with a legend and a toggle, before → after in tooltips, added and removed modules listed.
// A generated report with a baseline derived from it, and (when BALLAST_COMPARE_HTML names one) a report written
// by the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from './generate.mjs';
import { writeReport } from './inject.mjs';
import { launch, openPage } from './browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, '..', '..', 'target', 'browser-artifacts');

const data = generate(800, { seed: 5 });
const S = data.strings;
const M = data.metrics.length;
const modPath = (i) => data.path[i].map((s) => S[s]).join('/');
const n = data.path.length;
// The baseline: every 7th module is new, the `route-admin` chunk's modules were half their size, `vendor`'s
// were 1.5×, the rest unchanged; two modules and one chunk are gone.
const chunkName = (i) => (data.chunk[i] >= 0 ? S[data.chunks[data.chunk[i]].name] : '');
const scale = (i) => (chunkName(i) === 'route-admin' ? 0.5 : chunkName(i) === 'vendor' ? 1.5 : 1);
const baseModules = data.path.map((_, i) =>
  i % 7 === 3 ? null : data.sizes.slice(i * M, i * M + M).map((v) => Math.round(v * scale(i))));
const baseChunks = data.chunks.map((c, ci) => {
  const t = new Array(M).fill(0);
  for (let i = 0; i < n; i++) if (data.chunk[i] === ci && baseModules[i]) for (let k = 0; k < M; k++) t[k] += baseModules[i][k];
  return t;
});
const HOSTILE = '</script><img src=x onerror=alert(9)>.js';
const removed = [
  { path: 'src/legacy/OldChart.tsx', package: null, chunk: 'index', sizes: [40000, 20000, 7000, 6000] },
  { path: `src/${HOSTILE}`, package: '<b>pkg</b>', chunk: '<i>c</i>', sizes: [100, 50, 30, 20] },
  { path: 'node_modules/moment/moment.js', package: 'moment', chunk: 'vendor', sizes: [170000, 60000, 18000, 16000] },
];
const sum = (list, initial) => {
  const t = new Array(M).fill(0);
  list.forEach((c, ci) => { if (initial === undefined || data.chunks[ci].initial === initial) for (let k = 0; k < M; k++) t[k] += c[k]; });
  return t;
};
data.base = {
  title: data.title,
  generated: 'ballast 0.0.9',
  initial: sum(baseChunks, true),
  total: sum(baseChunks),
  modules: baseModules,
  chunks: baseChunks,
  removed,
  removedChunks: [
    { name: 'route-legacy', initial: false, sizes: [50000, 25000, 9000, 8000] },
    { name: '<img src=x onerror=alert(8)>', initial: false, sizes: [10, 10, 10, 10] },
  ],
};
const added = baseModules.map((b, i) => (b === null ? i : -1)).filter((i) => i >= 0);

let dir, url, browser;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-compare-'));
  url = pathToFileURL(writeReport(join(dir, 'compare.html'), data)).href;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// "rgb(r, g, b)" -> which of red/green dominates, or grey
function tone(css) {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(css);
  if (!m) return 'other';
  const [r, g, b] = m.slice(1).map(Number);
  if (Math.abs(r - g) < 12 && Math.abs(g - b) < 20) return 'grey';
  if (r > g + 12) return 'red';
  if (g > r + 12) return 'green';
  return 'other';
}

test('compare view: growth red, shrinkage green, legend and toggle', async () => {
  const { page, log } = await openPage(browser.context, url);
  assert.deepEqual(log.errors, []);
  assert.equal(await page.isChecked('#compare'), true, 'the compare toggle is on');
  assert.ok(await page.isVisible('#legend'), 'legend shown');
  const legend = await page.textContent('#legend');
  for (const word of ['Change since the baseline', 'smaller', 'unchanged', 'larger', 'new']) assert.ok(legend.includes(word), word);
  // chunks as groups: vendor grew 1.5× in the baseline, so it shrank (green); route-admin doubled (red)
  const chunkTone = (name) => page.$eval(`#map .node[data-kind="chunk"][data-path="${name}"]`, (e) => e.style.backgroundColor).then(tone);
  assert.equal(await chunkTone('vendor'), 'green');
  assert.equal(await chunkTone('route-admin'), 'red');
  const tones = await page.$$eval('#map .node[data-kind="module"]', (els) => els.map((e) => e.style.backgroundColor));
  const counts = {};
  for (const t of tones.map(tone)) counts[t] = (counts[t] || 0) + 1;
  assert.ok(counts.red > 0 && counts.green > 0 && counts.grey > 0, JSON.stringify(counts));
  assert.ok((await page.locator('#map .node.added').count()) > 0, 'new modules are marked');
  // the totals bar says by how much
  assert.match(await page.textContent('#totals'), /[+−][\d.,]+ kB/);
  // the toggle: off restores the package colours and hides the legend, on again brings them back
  await page.uncheck('#compare');
  assert.equal(await page.isVisible('#legend'), false);
  assert.equal(await page.$eval('#color-by', (s) => s.value), 'package');
  const offTones = await page.$$eval('#map .node[data-kind="module"]', (els) => new Set(els.map((e) => e.style.backgroundColor)).size);
  assert.ok(offTones > 10, `package colours: ${offTones}`);
  await page.check('#compare');
  assert.ok(await page.isVisible('#legend'));
  assert.equal(await page.$eval('#color-by', (s) => s.value), 'change');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('compare view: tooltips show before → after; new modules say so', async () => {
  const { page } = await openPage(browser.context, url);
  const tip = page.locator('#tooltip');
  await page.locator('#map .node[data-kind="chunk"][data-path="route-admin"]').hover({ position: { x: 3, y: 3 } });
  await tip.waitFor({ state: 'visible' });
  const chunkText = await tip.textContent();
  assert.match(chunkText, /Baseline → now \(gzip\): [\d.,]+ kB → [\d.,]+ kB \(\+[\d.,]+ kB, \+\d+\.\d%\)/, chunkText);
  // zoom into index and hover an added module
  await page.locator('#map .node[data-kind="chunk"][data-path="index"]').click({ position: { x: 3, y: 3 } });
  const addedPaths = new Set(added.map(modPath));
  const drawnAdded = await page.$$eval('#map .node.added[data-kind="module"]', (els) => els.map((e) => e.dataset.path));
  assert.ok(drawnAdded.length > 0, 'an added module is drawn in index');
  for (const p of drawnAdded) assert.ok(addedPaths.has(p), `${p} is one of the new modules`);
  await page.locator(`#map .node.added[data-kind="module"]`).first().hover({ position: { x: 2, y: 2 } });
  await tip.waitFor({ state: 'visible' });
  assert.match(await tip.textContent(), /new since the baseline/);
  await page.close();
});

test('compare view: the changes panel lists added and removed modules and chunks', async () => {
  const { page, log } = await openPage(browser.context, url);
  assert.ok(await page.isVisible('#compare-panel'));
  const text = await page.textContent('#changes');
  assert.ok(text.includes(`Added modules (${added.length})`), 'added count');
  assert.ok(text.includes('Removed modules (3)'));
  assert.ok(text.includes('node_modules/moment/moment.js'));
  assert.ok(text.includes('route-legacyremoved, was 9.00 kB'), 'a chunk that is gone');
  assert.ok(text.includes('momentremoved, was 18.0 kB'), 'a package that is gone');
  assert.match(text, /initial[\d.,]+ kB → [\d.,]+ kB/);
  // names from the baseline are text, never markup
  assert.ok(text.includes(`src/${HOSTILE}`) && text.includes('<img src=x onerror=alert(8)>'));
  const dom = await page.evaluate(() => ({ imgs: document.querySelectorAll('img').length, b: document.querySelectorAll('#changes b').length }));
  assert.deepEqual(dom, { imgs: 0, b: 0 });
  assert.deepEqual(log.dialogs, []);
  await page.close();
});

test('compare view: screenshot fills the window', async () => {
  const { page } = await openPage(browser.context, url);
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, 'compare.png');
  await page.screenshot({ path: file });
  assert.ok(statSync(file).size > 10000);
  const box = await page.$eval('#map', (e) => { const r = e.getBoundingClientRect(); return { bottom: r.bottom, h: r.height }; });
  const vh = await page.evaluate(() => window.innerHeight);
  assert.ok(vh - box.bottom < 70, `map ends ${vh - box.bottom}px above the bottom of the window`);
  await page.locator('#map .node[data-kind="chunk"][data-path="route-admin"]').hover({ position: { x: 3, y: 3 } });
  await page.screenshot({ path: join(ARTIFACTS, 'compare-tooltip.png') });
  await page.close();
});

const real = process.env.BALLAST_COMPARE_HTML;
test('compare report from the real binary (BALLAST_COMPARE_HTML)', async () => {
  assert.ok(real, 'BALLAST_COMPARE_HTML is not set: scripts/test.sh writes a report with --baseline and names it');
  assert.ok(existsSync(real), `BALLAST_COMPARE_HTML=${real} does not exist`);
  const { page, log } = await openPage(browser.context, pathToFileURL(resolve(real)).href);
  assert.deepEqual(log.errors, []);
  assert.equal(await page.isChecked('#compare'), true);
  assert.ok(await page.isVisible('#legend'));
  assert.ok(await page.isVisible('#compare-panel'));
  assert.match(await page.textContent('#changes'), /Added modules \(\d+\)/);
  const colours = await page.$$eval('#map .node', (els) => els.map((e) => e.style.backgroundColor));
  assert.ok(colours.length > 0);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'compare-real.png') });
  await page.locator('#map .node[data-kind="module"]').first().hover({ position: { x: 4, y: 4 } });
  await page.locator('#tooltip').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#tooltip'), /Baseline → now|new since the baseline/);
  await page.screenshot({ path: join(ARTIFACTS, 'compare-real-tooltip.png') });
  await page.close();
});
