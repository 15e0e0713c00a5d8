// Unit tests for the layout and model code in report.js (run in a bare VM context, no DOM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { ASSETS } from './inject.mjs';
import { generate } from './generate.mjs';

function loadReportJs() {
  const sandbox = { module: { exports: {} } };
  vm.runInNewContext(readFileSync(join(ASSETS, 'report.js'), 'utf8'), sandbox);
  return sandbox.module.exports;
}
const { squarify, formatKB, buildModel } = loadReportJs();

const EPS = 1e-6;
function overlap(a, b) {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
function checkLayout(values, box) {
  const rects = squarify(values, box.x, box.y, box.w, box.h);
  assert.equal(rects.length, values.length);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  let areaSum = 0;
  rects.forEach((r, i) => {
    const want = (Math.max(0, values[i]) / total) * box.w * box.h;
    assert.ok(Math.abs(r.w * r.h - want) < 1e-6 * box.w * box.h + EPS, `area of #${i}: ${r.w * r.h} vs ${want}`);
    assert.ok(r.w >= -EPS && r.h >= -EPS, `non-negative size #${i}`);
    assert.ok(r.x >= box.x - EPS && r.y >= box.y - EPS, `#${i} starts inside the box`);
    assert.ok(r.x + r.w <= box.x + box.w + 1e-6 && r.y + r.h <= box.y + box.h + 1e-6, `#${i} ends inside the box`);
    areaSum += r.w * r.h;
  });
  assert.ok(Math.abs(areaSum - box.w * box.h) < 1e-6 * box.w * box.h, 'the rectangles tile the box');
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      assert.ok(overlap(rects[i], rects[j]) < 1e-6, `#${i} and #${j} overlap`);
    }
  }
  return rects;
}

test('squarify: the example of Bruls et al. (6,6,4,3,2,2,1 in 6x4)', () => {
  const rects = checkLayout([6, 6, 4, 3, 2, 2, 1], { x: 0, y: 0, w: 6, h: 4 });
  // first row: the two 6s stacked in a 3-wide column on the left
  assert.deepEqual({ ...rects[0] }, { x: 0, y: 0, w: 3, h: 2 });
  assert.deepEqual({ ...rects[1] }, { x: 0, y: 2, w: 3, h: 2 });
  const worst = Math.max(...rects.map((r) => Math.max(r.w / r.h, r.h / r.w)));
  assert.ok(worst < 3, `aspect ratios stay reasonable (worst ${worst})`);
});

test('squarify: areas proportional, inside the box, no overlap (random inputs)', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let t = 0; t < 60; t++) {
    const n = 1 + Math.floor(rnd() * 80);
    const values = Array.from({ length: n }, () => Math.exp(rnd() * 8)).sort((a, b) => b - a);
    const box = { x: rnd() * 50, y: rnd() * 50, w: 10 + rnd() * 1500, h: 10 + rnd() * 900 };
    checkLayout(values, box);
  }
});

test('squarify: unsorted input and zero values', () => {
  checkLayout([1, 50, 3, 20, 7], { x: 10, y: 20, w: 300, h: 100 });
  const rects = checkLayout([5, 0, 3, 0], { x: 0, y: 0, w: 80, h: 40 });
  assert.equal(rects[1].w * rects[1].h, 0);
  assert.equal(rects[3].w * rects[3].h, 0);
  const empty = squarify([0, 0], 0, 0, 10, 10);
  assert.ok(empty.every((r) => r.w === 0 && r.h === 0));
  assert.equal(squarify([], 0, 0, 10, 10).length, 0);
});

test('squarify: squarish rectangles for equal values', () => {
  const rects = checkLayout(Array(16).fill(1), { x: 0, y: 0, w: 400, h: 400 });
  for (const r of rects) assert.ok(Math.max(r.w / r.h, r.h / r.w) < 1.8);
});

test('formatKB: sizes in kB', () => {
  assert.equal(formatKB(0), '0 kB');
  assert.equal(formatKB(1234), '1.23 kB');
  assert.equal(formatKB(45678), '45.7 kB');
  assert.equal(formatKB(1234567), '1,235 kB');
  assert.equal(formatKB(3), '<0.01 kB');
});

test('buildModel: chunk -> package | app -> folder -> module -> declarations', () => {
  const data = {
    v: 1, title: 't', metrics: ['min', 'gzip'],
    strings: ['src', 'main.ts', 'node_modules', '@scope', 'pkg', 'lib', 'deep', 'a.js', 'index', 'big', 'util.ts', 'lazy'],
    chunks: [{ name: 8, kind: 'entry', initial: true, sizes: [0, 0] }, { name: 11, kind: 'async', initial: false, sizes: [5, 2] }],
    packages: [{ name: 4, version: '1.0.0' }],
    path: [[0, 1], [2, 3, 4, 5, 6, 7], [0, 5, 10]],
    pkg: [-1, 0, -1], chunk: [0, 0, 1],
    sizes: [100, 40, 300, 90, 5, 2], retained: [0, 0, 0, 0, 0, 0],
    importer: [-1, 0, 0], flags: [1, 3, 0],
    decls: [[0, 9, 50]], findings: [], budgets: [],
  };
  data.strings[3] = '@scope';
  data.packages[0].name = data.strings.push('@scope/pkg') - 1;
  const m = buildModel(data);
  assert.equal(m.chunks.length, 2);
  const index = m.chunks[0];
  assert.deepEqual([...index.v], [400, 130]);
  const kinds = [...index.children.map((c) => c.kind)].sort();
  assert.deepEqual(kinds, ['app', 'package']);
  const pkg = index.children.find((c) => c.kind === 'package');
  assert.equal(pkg.name, '@scope/pkg');
  // lib/deep collapsed into one folder below the package
  assert.equal(pkg.children[0].kind, 'folder');
  assert.equal(pkg.children[0].name, 'lib/deep');
  assert.equal(m.modPath(pkg.children[0].children[0].mod), 'node_modules/@scope/pkg/lib/deep/a.js');
  const main = m.modNode[0];
  assert.equal(main.kind, 'module');
  assert.equal(main.parent.name, 'src');
  assert.equal(main.children[0].kind, 'decl');
  assert.equal(main.children[0].name, 'big');
  assert.equal(main.children[0].v[0], 50); // half of the module's min size
  assert.equal(m.modSev[1], 2); // flag bit 1 without a finding counts as a warning
  // the lazy chunk: "src/lib" compacted
  assert.equal(m.chunks[1].children[0].children[0].name, 'src/lib');
});

test('buildModel: a generated 2,000-module report keeps every byte', () => {
  const data = generate(2000, { seed: 3 });
  const m = buildModel(data);
  const M = data.metrics.length;
  for (let k = 0; k < M; k++) {
    let want = 0;
    for (let i = 0; i < data.path.length; i++) if (data.chunk[i] >= 0) want += data.sizes[i * M + k];
    const got = m.chunks.reduce((s, c) => s + c.v[k], 0);
    assert.equal(got, want);
  }
  assert.equal(m.chunks.reduce((s, c) => s + c.count, 0) + (m.outside ? m.outside.count : 0), data.path.length);
});
