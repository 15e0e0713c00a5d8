// Generates a realistic Ballast HTML-report data object (docs/html-data.md) with N modules:
// several chunks (entry, vendor, async routes, shared), npm packages (some scoped) with
// nested folders, app code in nested folders, declarations of giant files, an import tree,
// findings and budgets. Deterministic for a given seed.

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PACKAGES = [
  ['react', '19.1.0'], ['react-dom', '19.1.0'], ['three', '0.170.0'], ['lodash-es', '4.17.21'],
  ['@mui/material', '6.4.2'], ['@mui/icons-material', '6.4.2'], ['date-fns', '4.1.0'], ['rxjs', '7.8.1'],
  ['@tanstack/react-query', '5.66.0'], ['zod', '3.24.1'], ['axios', '1.7.9'], ['chart.js', '4.4.7'],
  ['@emotion/react', '11.14.0'], ['framer-motion', '12.0.6'], ['d3-scale', '4.0.2'], ['monaco-editor', '0.52.2'],
  ['highlight.js', '11.11.1'], ['i18next', '24.2.2'], ['immer', '10.1.1'], ['react-router', '7.1.5'],
];
const PKG_DIRS = ['src', 'dist', 'esm', 'build', 'lib', 'es', 'internal', 'utils', 'core', 'components', 'locale', 'icons', 'helpers'];
const APP_DIRS = ['components', 'pages', 'routes', 'hooks', 'utils', 'store', 'features', 'widgets', 'editor', 'admin',
  'charts', 'forms', 'layout', 'api', 'i18n', 'styles', 'shared', 'viewer'];
const WORDS = ['Button', 'Dialog', 'Table', 'index', 'helpers', 'format', 'parse', 'Chart', 'Menu', 'Toolbar', 'List',
  'Item', 'useQuery', 'store', 'reducer', 'Editor', 'Viewer', 'math', 'vector', 'Matrix4', 'Scene', 'Panel', 'Card',
  'Tooltip', 'Select', 'Input', 'Grid', 'Tabs', 'Icon', 'theme', 'constants', 'types', 'client', 'router'];
const EXT = ['.ts', '.tsx', '.js', '.mjs', '.jsx'];

/**
 * @param {number} n number of modules (>= 20)
 * @param {{seed?: number, hostile?: boolean, title?: string}} [opts]
 *   hostile: adds modules named `</script><img src=x onerror=alert(1)>.js` and `<b>bold</b>.js`
 *   (and hostile text in findings/budgets/chunk names) to check everything renders as text.
 *   dropped: how many modules were parsed but not shipped (default n / 4), listed as `dropped` (per package and
 *   folder, the 12 heaviest files by name, as the Rust renderer writes it).
 */
export function generate(n = 500, opts = {}) {
  const rand = rng(opts.seed ?? 42);
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const strings = [];
  const sIndex = new Map();
  const s = (str) => {
    let i = sIndex.get(str);
    if (i === undefined) { i = strings.length; strings.push(str); sIndex.set(str, i); }
    return i;
  };
  const metrics = ['raw', 'min', 'gzip', 'brotli'];
  const chunkDefs = [
    { name: 'index', kind: 'entry', initial: true },
    { name: 'vendor', kind: 'vendor', initial: true },
    { name: 'route-editor', kind: 'async', initial: false },
    { name: 'route-admin', kind: 'async', initial: false },
    { name: 'route-viewer', kind: 'async', initial: false },
    { name: 'shared-ui', kind: 'shared', initial: false },
  ];
  if (opts.hostile) chunkDefs.push({ name: '<i>chunk</i>&amp;', kind: 'async', initial: false });

  const packages = PACKAGES.map(([name, version]) => ({ name: s(name), version }));
  const path = [], pkg = [], chunk = [], sizes = [], retained = [], importer = [], flags = [], decls = [];
  const seen = new Set();
  const pkgChunk = PACKAGES.map((_, i) => (i < 6 ? 1 : 2 + (i % (chunkDefs.length - 2))));

  const addModule = (segs, p, c, raw) => {
    const key = segs.join('/');
    if (seen.has(key)) return -1;
    seen.add(key);
    const i = path.length;
    path.push(segs.map(s));
    pkg.push(p);
    chunk.push(c);
    const min = Math.round(raw * (0.45 + rand() * 0.2));
    const gzip = Math.round(min * (0.25 + rand() * 0.1));
    const brotli = Math.round(gzip * (0.85 + rand() * 0.08));
    sizes.push(raw, min, gzip, brotli);
    importer.push(i === 0 ? -1 : Math.floor(rand() * i));
    flags.push(c >= 0 && chunkDefs[c].initial ? 1 : 0);
    return i;
  };
  // module 0: the entry
  addModule(['src', 'main.tsx'], -1, 0, 2400);
  let guard = 0;
  while (path.length < n && guard++ < n * 20) {
    const raw = Math.max(80, Math.round(Math.exp(6.5 + rand() * 2.6 + (rand() < 0.02 ? 3 : 0))));
    if (rand() < 0.6) {
      const p = Math.floor(Math.pow(rand(), 1.4) * PACKAGES.length);
      const name = PACKAGES[p][0];
      const depth = Math.floor(rand() * 4);
      const segs = ['node_modules', ...name.split('/')];
      for (let d = 0; d < depth; d++) segs.push(pick(PKG_DIRS));
      segs.push(pick(WORDS) + (rand() < 0.5 ? '' : Math.floor(rand() * 400)) + pick(['.js', '.mjs', '.cjs']));
      const c = rand() < 0.85 ? pkgChunk[p] : Math.floor(rand() * chunkDefs.length);
      addModule(segs, p, c, raw);
    } else {
      const depth = 1 + Math.floor(rand() * 4);
      const segs = ['src'];
      for (let d = 0; d < depth; d++) segs.push(pick(APP_DIRS));
      segs.push(pick(WORDS) + (rand() < 0.5 ? '' : Math.floor(rand() * 400)) + pick(EXT));
      const top = segs[1];
      const c = top === 'editor' ? 2 : top === 'admin' ? 3 : top === 'viewer' ? 4 : rand() < 0.15 ? 5 : rand() < 0.03 ? -1 : 0;
      addModule(segs, -1, c, raw);
    }
  }
  if (opts.hostile) {
    addModule(['src', 'components', '</script><img src=x onerror=alert(1)>.js'], -1, 0, 90000);
    addModule(['src', 'components', '<b>bold</b>.js'], -1, 0, 70000);
  }
  // a couple of giant files with declarations
  const giants = [];
  const minOf = (i) => sizes[i * 4 + 1];
  const order = path.map((_, i) => i).sort((a, b) => sizes[b * 4] - sizes[a * 4]);
  for (const g of order.slice(0, 3)) {
    giants.push(g);
    let left = minOf(g) * 0.9;
    for (let d = 0; d < 12 && left > 50; d++) {
      const b = Math.round(left * (0.2 + rand() * 0.3));
      decls.push([g, s(pick(['function ', 'class ', 'const ']).trim() + ' ' + pick(WORDS) + d), b]);
      left -= b;
    }
  }
  // retained: own size plus a bit of the subtree, zeros for some
  for (let i = 0; i < path.length; i++) {
    for (let k = 0; k < 4; k++) retained.push(rand() < 0.1 ? 0 : Math.round(sizes[i * 4 + k] * (1 + rand() * 3)));
  }
  // chunk sizes: sum of their modules (JS only), slightly better compression for the whole file
  const chunks = chunkDefs.map((c) => ({ name: s(c.name), kind: c.kind, initial: c.initial, sizes: [0, 0, 0, 0] }));
  for (let i = 0; i < path.length; i++) {
    if (chunk[i] < 0) continue;
    for (let k = 0; k < 4; k++) chunks[chunk[i]].sizes[k] += sizes[i * 4 + k];
  }
  for (const c of chunks) { c.sizes[2] = Math.round(c.sizes[2] * 0.9); c.sizes[3] = Math.round(c.sizes[3] * 0.9); }

  const findings = [];
  const flag = (mods) => { for (const m of mods) flags[m] |= 2; return mods; };
  const threeMods = path.map((_, i) => i).filter((i) => pkg[i] === 2).slice(0, 40);
  if (threeMods.length) findings.push({ code: 'split-point', severity: 'warning',
    message: 'three (a large library) is loaded by the initial chunk but only used by the viewer route.',
    file: 'src/routes/Viewer.tsx', line: 3, column: 1, modules: flag(threeMods),
    suggestion: "Import it lazily: const THREE = await import('three') inside the route component." });
  const lodash = path.map((_, i) => i).filter((i) => pkg[i] === 3).slice(0, 12);
  if (lodash.length) findings.push({ code: 'duplicate-package', severity: 'error',
    message: 'lodash-es is bundled twice (4.17.21 and 4.17.15).', file: 'package.json', line: 18, column: 5,
    modules: flag(lodash), suggestion: 'Add an override/resolution so a single version is installed.' });
  findings.push({ code: 'giant-module', severity: 'warning', message: 'A module larger than 100 kB minified.',
    file: strings[path[giants[0]].at(-1)], line: 1, column: 1, modules: flag([giants[0]]),
    suggestion: 'Split the file or import only the declarations you use.' });
  findings.push({ code: 'barrel-import', severity: 'info', message: 'Importing from a barrel file pulls in every re-export.',
    file: 'src/components/index.ts', line: 7, modules: [], notShipped: 3, suggestion: 'Import from the component file directly.' });
  if (opts.hostile) {
    const h = path.length - 2;
    findings.push({ code: '<b>x</b>', severity: 'error', message: '</script><img src=x onerror=alert(2)> in a message',
      file: '<b>bold</b>.js', line: 2, column: 1, modules: flag([h, h + 1]), suggestion: '<i>never</i> &amp; use innerHTML' });
  }

  const total = (pred, k) => {
    let t = 0;
    for (let i = 0; i < path.length; i++) if (pred(i)) t += sizes[i * 4 + k];
    return t;
  };
  const initialGzip = total((i) => flags[i] & 1, 2);
  const allBrotli = total(() => true, 3);
  const budgets = [
    { target: 'initial', metric: 'gzip', limit: Math.round(initialGzip * 1.2), warn: Math.round(initialGzip * 1.1), actual: initialGzip, status: 'pass' },
    { target: 'total', metric: 'brotli', limit: Math.round(allBrotli * 1.05), warn: Math.round(allBrotli * 0.9), actual: allBrotli, status: 'warn' },
    { target: 'chunk:vendor', metric: 'min', limit: Math.round(chunks[1].sizes[1] * 0.8), warn: Math.round(chunks[1].sizes[1] * 0.7), actual: chunks[1].sizes[1], status: 'fail' },
  ];
  if (opts.hostile) budgets.push({ target: '<img src=x onerror=alert(3)>', metric: 'gzip', limit: 10, actual: 1, status: 'pass' });

  const dropped = droppedList(opts.dropped ?? Math.round(n / 4), { rand, pick, s, hostile: opts.hostile });

  return {
    v: 1,
    title: opts.title ?? (opts.hostile ? 'demo-app <script>alert(4)</script>' : 'demo-app'),
    generated: 'ballast 0.1.0 (test generator)',
    metrics, strings, chunks, packages, path, pkg, chunk, sizes, retained, importer, flags, decls, dropped, findings, budgets,
  };
}

export const DROPPED_FILES_PER_FOLDER = 12;

function droppedList(count, { rand, pick, s, hostile }) {
  const groups = new Map(); // "pkg|dir" -> { pkg, dir, files: [[name, raw]] }
  let raw = 0;
  const add = (p, dir, name, bytes) => {
    const key = p + '|' + dir.join('/');
    if (!groups.has(key)) groups.set(key, { pkg: p, dir, files: new Map() });
    const g = groups.get(key);
    if (g.files.has(name)) return false;
    g.files.set(name, bytes);
    raw += bytes;
    return true;
  };
  let made = 0, guard = 0;
  if (hostile && count >= 2) {
    add(-1, ['src', '</summary><b>x</b>'], '<img src=x onerror=alert(5)>.js', 4321);
    add(-1, ['src', '</summary><b>x</b>'], 'plain.js', 1234);
    made = 2;
  }
  while (made < count && guard++ < count * 20) {
    const bytes = Math.max(60, Math.round(Math.exp(6 + rand() * 2.5)));
    let ok;
    if (rand() < 0.8) {
      // mostly a few big packages with many files in one folder (an icon set), like @mui/icons-material
      const p = rand() < 0.6 ? 5 : Math.floor(rand() * PACKAGES.length);
      const dir = ['node_modules', ...PACKAGES[p][0].split('/'), p === 5 ? 'esm' : pick(PKG_DIRS)];
      ok = add(p, dir, pick(WORDS) + Math.floor(rand() * 100000) + '.js', bytes);
    } else {
      ok = add(-1, ['src', pick(APP_DIRS)], pick(WORDS) + Math.floor(rand() * 1000) + pick(EXT), bytes);
    }
    if (ok) made++;
  }
  const list = [...groups.values()].map((g) => {
    const files = [...g.files].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { g, files, raw: files.reduce((t, f) => t + f[1], 0) };
  });
  list.sort((a, b) => b.raw - a.raw);
  return {
    modules: made,
    raw,
    groups: list.map(({ g, files, raw }) => [
      g.pkg, g.dir.map(s), files.length, raw,
      files.slice(0, DROPPED_FILES_PER_FOLDER).flatMap(([name, bytes]) => [s(name), bytes]),
    ]),
  };
}
