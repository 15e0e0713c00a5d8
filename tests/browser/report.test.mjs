// Real-browser tests of the HTML report (headless Chromium via playwright-core, file:// URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from './generate.mjs';
import { writeReport } from './inject.mjs';
import { launch, openPage } from './browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, '..', '..', 'target', 'browser-artifacts');
const EVIL = '</script><img src=x onerror=alert(1)>.js';
const BOLD = '<b>bold</b>.js';

const data = generate(800, { hostile: true, seed: 11 });
const S = data.strings;
const modPath = (i) => data.path[i].map((s) => S[s]).join('/');
let dir, url, browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-report-'));
  const file = writeReport(join(dir, 'report.html'), data);
  url = pathToFileURL(file).href;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open() {
  return openPage(browser.context, url);
}
const crumbCount = (page) => page.locator('#breadcrumbs .crumb').count();
const drawnPaths = (page, kind) =>
  page.$$eval(kind ? `#map .node[data-kind="${kind}"]` : '#map .node', (els) => els.map((e) => e.getAttribute('data-path')));
const rectsByPath = (page, kind) =>
  page.$$eval(`#map .node[data-kind="${kind}"]`, (els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute('data-path'), [e.offsetLeft, e.offsetTop, e.offsetWidth, e.offsetHeight]])));

// clicks the label strip (top-left corner) of a drawn box, which zooms into it
async function clickBox(page, selector) {
  await page.locator(selector).first().click({ position: { x: 3, y: 3 } });
}

// zooms step by step towards module i (chunk first, then the deepest drawn ancestor) until it is drawn
async function zoomToModule(page, i) {
  const p = modPath(i);
  const chunkName = S[data.chunks[data.chunk[i]].name];
  await clickBox(page, `#map .node[data-kind="chunk"][data-path="${CSS_escape(chunkName)}"]`);
  for (let step = 0; step < 8; step++) {
    const found = await page.evaluate(({ p, pkgName }) => {
      const els = [...document.querySelectorAll('#map .node')];
      if (els.some((e) => e.dataset.kind === 'module' && e.dataset.path === p)) return 'drawn';
      let best = null, bestLen = -1;
      for (const e of els) {
        const ep = e.dataset.path, k = e.dataset.kind;
        let len = -1;
        if (k === 'folder' && p.startsWith(ep + '/')) len = ep.length + 10;
        else if ((k === 'package' && ep === pkgName) || (k === 'app' && pkgName === null)) len = 0;
        if (len > bestLen) { bestLen = len; best = e; }
      }
      if (!best) return 'lost';
      best.setAttribute('data-test-target', '1');
      return 'step';
    }, { p, pkgName: data.pkg[i] >= 0 ? S[data.packages[data.pkg[i]].name] : null });
    if (found === 'drawn') return `#map .node[data-kind="module"][data-path="${CSS_escape(p)}"]`;
    assert.equal(found, 'step', `cannot find a way to ${p}`);
    await clickBox(page, '[data-test-target="1"]');
  }
  assert.fail(`module ${p} never drawn`);
}
function CSS_escape(s) {
  return s.replace(/["\\]/g, '\\$&');
}

test('loads from file:// with no console error and no other request', async () => {
  const { page, log } = await open();
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual([...new Set(log.requests)], [url], 'only the report itself is requested');
  const chunks = await drawnPaths(page, 'chunk');
  assert.ok(chunks.length >= 5, `chunks drawn: ${chunks}`);
  assert.ok((await page.locator('#map .node[data-kind="module"]').count()) > 50);
  const first = await page.evaluate(() => window.__ballastFirstDraw);
  assert.ok(first > 0);
  await page.close();
});

test('click a chunk zooms in; breadcrumbs zoom out', async () => {
  const { page, log } = await open();
  assert.equal(await crumbCount(page), 1);
  const before = await drawnPaths(page);
  await clickBox(page, '#map .node[data-kind="chunk"][data-path="index"]');
  assert.equal(await crumbCount(page), 2);
  assert.equal(await page.locator('#breadcrumbs .crumb').last().textContent(), 'index (entry, initial)');
  const zoomed = await drawnPaths(page);
  assert.notDeepEqual(zoomed, before);
  assert.equal(await page.locator('#map .node[data-kind="chunk"]').count(), 0, 'no chunk boxes inside a chunk');
  // one level deeper (the app code), then back out with the breadcrumbs
  await clickBox(page, '#map .node[data-kind="app"]');
  assert.equal(await crumbCount(page), 3);
  await page.locator('#breadcrumbs button.crumb').nth(1).click();
  assert.equal(await crumbCount(page), 2);
  await page.locator('#breadcrumbs button.crumb').first().click();
  assert.equal(await crumbCount(page), 1);
  assert.deepEqual(await drawnPaths(page), before, 'back to the same picture');
  // Escape zooms out too
  await clickBox(page, '#map .node[data-kind="chunk"][data-path="vendor"]');
  assert.equal(await crumbCount(page), 2);
  await page.keyboard.press('Escape');
  assert.equal(await crumbCount(page), 1);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('search highlights matching modules and shows the count', async () => {
  const { page, log } = await open();
  const want = data.path.filter((_, i) => modPath(i).toLowerCase().includes('react')).length;
  assert.ok(want > 0);
  await page.fill('#search', 'React');
  await page.waitForFunction(() => /\d/.test(document.getElementById('match-count').textContent));
  assert.equal(await page.textContent('#match-count'), `${want} matches`);
  const hl = await page.locator('#map .node.hl').count();
  const hlIn = await page.locator('#map .node.hl-in').count();
  assert.ok(hl > 0, 'highlighted modules are drawn');
  assert.ok(hlIn > 0, 'groups containing matches are marked');
  for (const p of await page.$$eval('#map .node.hl', (els) => els.map((e) => e.dataset.path))) {
    assert.ok(p.toLowerCase().includes('react'), p);
  }
  await page.fill('#search', 'no-such-module-xyz');
  await page.waitForFunction(() => document.getElementById('match-count').textContent.startsWith('0'));
  assert.equal(await page.locator('#map .node.hl').count(), 0);
  await page.fill('#search', '');
  assert.equal(await page.textContent('#match-count'), '');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('metric switch changes the rectangle sizes', async () => {
  const { page } = await open();
  const options = await page.$$eval('#metric option', (o) => o.map((x) => x.textContent));
  assert.deepEqual(options, data.metrics);
  assert.equal(await page.$eval('#metric', (s) => s.selectedOptions[0].textContent), 'gzip');
  const gzip = await rectsByPath(page, 'chunk');
  await page.selectOption('#metric', { label: 'raw' });
  const raw = await rectsByPath(page, 'chunk');
  assert.deepEqual(Object.keys(raw).sort(), Object.keys(gzip).sort());
  assert.notDeepEqual(raw, gzip);
  assert.match(await page.textContent('#breadcrumbs'), /raw/);
  await page.close();
});

test('chunk filter "initial only" removes non-initial chunks', async () => {
  const { page } = await open();
  const initial = data.chunks.filter((c) => c.initial).map((c) => S[c.name]).sort();
  const all = (await drawnPaths(page, 'chunk')).sort();
  assert.ok(all.length > initial.length);
  await page.selectOption('#chunk-filter', 'initial');
  assert.deepEqual((await drawnPaths(page, 'chunk')).sort(), initial);
  // a single chunk
  await page.selectOption('#chunk-filter', { label: 'route-admin' });
  assert.deepEqual(await drawnPaths(page, 'chunk'), ['route-admin']);
  await page.selectOption('#chunk-filter', 'all');
  assert.deepEqual((await drawnPaths(page, 'chunk')).sort(), all);
  await page.close();
});

test('tooltip shows sizes, retained sizes and the import chain', async () => {
  const { page } = await open();
  const mod = page.locator('#map .node[data-kind="module"]').first();
  const path = await mod.getAttribute('data-path');
  await mod.hover({ position: { x: 2, y: 2 } });
  const tip = page.locator('#tooltip');
  await tip.waitFor({ state: 'visible' });
  const text = await tip.textContent();
  assert.ok(text.includes(path), 'path shown');
  for (const m of data.metrics) assert.ok(text.includes(m), `metric ${m}`);
  assert.match(text, /retained/);
  assert.match(text, /\d kB/);
  const i = data.path.findIndex((_, j) => modPath(j) === path);
  if (data.importer[i] >= 0) {
    assert.match(text, /Import chain/);
    const items = await page.$$eval('#tooltip .tt-chain li', (li) => li.map((x) => x.textContent));
    assert.equal(items.at(-1), path);
    assert.equal(items[0], modPath(0), 'the chain starts at the entry');
  }
  // a chunk tooltip
  await page.locator('#map .node[data-kind="chunk"]').first().hover({ position: { x: 3, y: 3 } });
  assert.match(await tip.textContent(), /Chunk/);
  assert.match(await tip.textContent(), /modules/);
  await page.mouse.move(1, 1);
  await tip.waitFor({ state: 'hidden' });
  await page.close();
});

test('hostile module names render as literal text', async () => {
  const { page, log } = await open();
  const evil = data.path.findIndex((_, i) => modPath(i).endsWith(EVIL));
  const bold = data.path.findIndex((_, i) => modPath(i).endsWith(BOLD));
  assert.ok(evil > 0 && bold > 0);
  const sel = await zoomToModule(page, evil);
  const label = await page.locator(sel).textContent();
  assert.ok(label.startsWith(EVIL), `label is the literal name: ${label}`);
  await page.locator(sel).hover({ position: { x: 4, y: 4 } });
  await page.locator('#tooltip').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#tooltip .tt-title'), EVIL);
  assert.ok(await page.getByText(EVIL, { exact: true }).first().isVisible());
  const boldEl = page.locator(`#map .node[data-kind="module"][data-path="${CSS_escape(modPath(bold))}"]`);
  if (await boldEl.count()) assert.ok((await boldEl.textContent()).startsWith(BOLD));
  await page.fill('#search', 'bold</b>');
  assert.equal(await page.textContent('#match-count'), '1 match');
  const dom = await page.evaluate(() => ({
    imgs: document.querySelectorAll('img').length,
    scripts: document.querySelectorAll('script').length,
    boldB: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'bold' || b.textContent === 'x').length,
    italic: document.querySelectorAll('i').length,
    title: document.getElementById('title').textContent,
    findings: document.getElementById('findings').textContent,
    budgets: document.getElementById('budgets').textContent,
    chunkOption: [...document.querySelectorAll('#chunk-filter option')].map((o) => o.textContent).join('|'),
  }));
  assert.equal(dom.imgs, 0, 'no injected <img>');
  assert.equal(dom.scripts, 2, 'only the data and the UI scripts');
  assert.equal(dom.boldB, 0, 'no injected <b>');
  assert.equal(dom.italic, 0, 'no injected <i>');
  assert.equal(dom.title, 'demo-app <script>alert(4)</script>');
  assert.ok(dom.findings.includes('</script><img src=x onerror=alert(2)> in a message'));
  assert.ok(dom.findings.includes('<b>bold</b>.js:2:1'));
  assert.ok(dom.budgets.includes('<img src=x onerror=alert(3)>'));
  assert.ok(dom.chunkOption.includes('<i>chunk</i>&amp;'));
  assert.deepEqual(log.dialogs, [], 'no alert ran');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('giant modules zoom into their top-level declarations', async () => {
  const { page } = await open();
  const m = data.decls[0][0];
  const sel = await zoomToModule(page, m);
  await page.locator(sel).click({ position: { x: 3, y: 3 } });
  const decls = await drawnPaths(page, 'decl');
  assert.ok(decls.length > 0, 'declarations drawn');
  assert.ok(decls.every((d) => d.startsWith(modPath(m) + '#')));
  assert.equal(await page.locator('#breadcrumbs .crumb').last().getAttribute('data-path'), modPath(m));
  await page.close();
});

test('budgets and findings panels', async () => {
  const { page } = await open();
  const budgets = await page.$$eval('#budgets li', (li) => li.map((x) => x.textContent));
  assert.equal(budgets.length, data.budgets.length);
  assert.ok(budgets[0].startsWith('✅'));
  assert.ok(budgets[1].startsWith('⚠️'));
  assert.ok(budgets[2].startsWith('❌'));
  assert.match(budgets[0], /kB of .* kB/);
  const findings = await page.$$eval('#findings li', (li) => li.map((x) => x.textContent));
  assert.equal(findings.length, data.findings.length);
  const split = findings.find((f) => f.includes('split-point'));
  assert.ok(split.includes('src/routes/Viewer.tsx:3:1'));
  assert.ok(split.includes("const THREE = await import('three')"));
  // "Highlight n modules" marks the finding's modules
  await page.locator('#findings li', { hasText: 'split-point' }).getByRole('button').click();
  assert.match(await page.textContent('#match-count'), /^\d+ modules in finding$/);
  assert.ok((await page.locator('#map .node.hl, #map .node.hl-in').count()) > 0);
  await page.close();
});

test('parsed but not shipped: a collapsed panel, by package and folder, names as text', async () => {
  const { page, log } = await open();
  const D = data.dropped;
  const kB = (b) => {
    const kb = b / 1000;
    const digits = kb < 10 ? 2 : kb < 100 ? 1 : 0;
    return kb.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) + ' kB';
  };
  assert.equal(await page.isVisible('#dropped-panel'), true);
  assert.equal(await page.textContent('#dropped-h'), `Parsed but not shipped (${D.modules.toLocaleString('en-US')} modules, ${kB(D.raw)} raw)`);
  // collapsed, and nothing built until it is opened
  assert.equal(await page.$eval('#dropped-details', (d) => d.open), false);
  assert.equal(await page.locator('#dropped li').count(), 0);
  await page.click('#dropped-details > summary');
  await page.waitForSelector('#dropped .dropped-pkg');
  const pkgs = await page.$$eval('#dropped .dropped-pkg > details > summary', (els) =>
    els.map((e) => [e.querySelector('.d-name').textContent, e.querySelector('.d-size').textContent]));
  // one row per package (and "app"), their module counts add up, heaviest first
  const counts = pkgs.map(([, size]) => Number(size.split(' ')[0].replace(/,/g, '')));
  assert.equal(counts.reduce((a, b) => a + b, 0), D.modules);
  assert.ok(pkgs.some(([name]) => name === '@mui/icons-material@6.4.2'), JSON.stringify(pkgs));
  assert.ok(pkgs.some(([name]) => name === 'app'));
  // a big folder lists its heaviest files and counts the rest
  const big = D.groups[0];
  assert.ok(big[2] > 12, 'the generator makes one big folder');
  const pkgName = S[data.packages[big[0]].name];
  await page.locator('#dropped .dropped-pkg > details > summary', { hasText: pkgName }).click();
  const dir = big[1].map((i) => S[i]).join('/');
  // shown below the package's folder, the whole path in its title
  const folder = page.locator('#dropped .dropped-folder', { has: page.locator(`.d-folder .d-name[title="${dir}"]`) }).first();
  assert.equal(await folder.locator('.d-folder .d-name').textContent(), 'esm/');
  const files = await folder.locator('.dropped-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
  assert.deepEqual(files, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22].map((q) => dir + '/' + S[big[4][q]]));
  assert.equal(await folder.locator('li.more').textContent(), `… ${(big[2] - 12).toLocaleString('en-US')} more`);
  // hostile names are text
  await page.locator('#dropped .dropped-pkg > details > summary', { hasText: 'app' }).click();
  const evil = '<img src=x onerror=alert(5)>.js';
  assert.ok(await page.getByText(evil, { exact: true }).isVisible());
  assert.ok(await page.getByText('src/</summary><b>x</b>/', { exact: true }).isVisible());
  assert.equal(await page.evaluate(() => document.querySelectorAll('img, #dropped b').length), 0);
  // a finding that also names modules that do not ship says how many
  assert.ok((await page.textContent('#findings')).includes('and 3 modules parsed but not shipped'));
  assert.match(await page.textContent('#generated'), new RegExp(`modules shipped · ${D.modules.toLocaleString('en-US')} parsed, not shipped`));
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('no dropped list, no panel', async () => {
  const d2 = join(dir, 'none');
  mkdirSync(d2, { recursive: true });
  const file = writeReport(join(d2, 'report.html'), generate(60, { seed: 3, dropped: 0 }));
  const { page, log } = await openPage(browser.context, pathToFileURL(file).href);
  assert.equal(await page.isVisible('#dropped-panel'), false);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('colour by finding', async () => {
  const { page } = await open();
  const colours = () => page.$$eval('#map .node[data-kind="module"]', (els) => new Set(els.map((e) => e.style.backgroundColor)).size);
  const byPackage = await colours();
  await page.selectOption('#color-by', 'finding');
  const byFinding = await colours();
  assert.ok(byFinding <= 4 && byFinding < byPackage, `${byFinding} finding colours vs ${byPackage} package colours`);
  const flagged = await page.$$eval('#map .node[data-kind="module"]', (els) => els.filter((e) => e.style.backgroundColor !== 'rgb(211, 224, 218)').length);
  assert.ok(flagged > 0, 'modules with findings stand out');
  await page.close();
});

test('screenshot', async () => {
  const { page } = await open();
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, 'report.png');
  await page.screenshot({ path: file });
  assert.ok(statSync(file).size > 10000);
  // the treemap fills the window: the map reaches the bottom (but for the hint line) and its boxes fill the map
  const fill = await page.evaluate(() => {
    const map = document.getElementById('map');
    let right = 0, bottom = 0;
    for (const n of map.querySelectorAll('.node')) {
      right = Math.max(right, n.offsetLeft + n.offsetWidth);
      bottom = Math.max(bottom, n.offsetTop + n.offsetHeight);
    }
    return { gap: innerHeight - map.getBoundingClientRect().bottom, w: map.clientWidth, h: map.clientHeight, right, bottom };
  });
  assert.ok(fill.gap < 40, `map ends ${fill.gap}px above the bottom of the window`);
  assert.ok(fill.w - fill.right <= 2 && fill.h - fill.bottom <= 2, JSON.stringify(fill));
  await clickBox(page, '#map .node[data-kind="chunk"][data-path="vendor"]');
  await page.locator('#map .node[data-kind="module"]').first().hover({ position: { x: 4, y: 4 } });
  await page.screenshot({ path: join(ARTIFACTS, 'report-zoomed.png') });
  await page.close();
});
