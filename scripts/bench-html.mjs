#!/usr/bin/env node
// Benchmark of the HTML report: generates a report of N modules (default 10,000), opens it
// from file:// in headless Chromium RUNS times (default 5) and prints the median time to the
// first drawn treemap (window.__ballastFirstDraw, ms since navigation start) and the file size.
// Usage: node scripts/bench-html.mjs [modules] [runs]   (needs: cd tests/browser && npm ci)
import { statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from '../tests/browser/generate.mjs';
import { writeReport } from '../tests/browser/inject.mjs';
import { launch, openPage } from '../tests/browser/browser.mjs';

const N = Number(process.argv[2] || 10000);
const RUNS = Number(process.argv[3] || 5);
const TARGET_MS = 1000;

const dir = mkdtempSync(join(tmpdir(), 'ballast-bench-'));
const file = writeReport(join(dir, 'report.html'), generate(N, { seed: 1 }));
const url = pathToFileURL(file).href;
const bytes = statSync(file).size;

const browser = await launch();
const times = [];
const detail = [];
try {
  // one warm-up load (disk cache, Chromium start-up) that is not counted
  await (await openPage(browser.context, url)).page.close();
  for (let r = 0; r < RUNS; r++) {
    const { page, log } = await openPage(browser.context, url);
    if (log.errors.length) throw new Error(`console errors: ${log.errors.join('; ')}`);
    const t = await page.evaluate(() => {
      const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]));
      return { first: window.__ballastFirstDraw, nodes: document.querySelectorAll('#map .node').length, marks };
    });
    times.push(t.first);
    detail.push(t);
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`modules: ${N}, runs: ${RUNS}, boxes drawn: ${detail[0].nodes}`);
console.log(`report size: ${bytes} bytes (${(bytes / 1e6).toFixed(2)} MB)`);
console.log(`first treemap draw, ms: ${times.map((t) => t.toFixed(0)).join(', ')}`);
console.log(`median first draw: ${median.toFixed(0)} ms (target < ${TARGET_MS} ms) ${median < TARGET_MS ? 'OK' : 'SLOW'}`);
console.log(`phases of the median run (ms since navigation): ${JSON.stringify(detail.find((d) => d.first === median)?.marks)}`);
console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on this machine`);
