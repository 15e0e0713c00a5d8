// The page assembly that the Rust renderer mirrors: tokens, escaping, no stray tokens in the assets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSETS, escapeJson, renderReport } from './inject.mjs';

const read = (f) => readFileSync(join(ASSETS, f), 'utf8');
const DATA_TOKEN = '__BALLAST_' + 'DATA__';

test('report.html has each token exactly once; css/js contain none and cannot close their element', () => {
  const html = read('report.html');
  for (const t of ['/*__BALLAST_CSS__*/', '/*__BALLAST_JS__*/', DATA_TOKEN]) assert.equal(html.split(t).length, 2, t);
  assert.ok(html.includes(`<script id="ballast-data" type="application/json">${DATA_TOKEN}</script>`));
  for (const f of ['report.css', 'report.js']) {
    const src = read(f);
    assert.ok(!src.includes('__BALLAST_'), `${f} contains a token`);
    assert.ok(!/<\/(script|style)/i.test(src), `${f} could close its element`);
    assert.ok(!/<!--/.test(src), `${f} contains <!--`);
  }
  const js = read('report.js');
  for (const bad of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'fetch(', 'XMLHttpRequest', 'http://', 'https://']) {
    assert.ok(!js.includes(bad), `report.js uses ${bad}`);
  }
  assert.ok(!/url\(|@import|https?:/.test(read('report.css')), 'no external resources in the CSS');
});

test('escapeJson keeps the data inside its <script> and round-trips', () => {
  const data = { s: '</script><!-- & \u2028 \u2029 >' };
  const out = escapeJson(JSON.stringify(data));
  assert.equal(out, '{"s":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028 \\u2029 \\u003e"}');
  assert.deepEqual(JSON.parse(out), data);
});

test('renderReport replaces every token, the data last', () => {
  const page = renderReport({ v: 1, title: '$& $1 $$ </script>', strings: [] });
  assert.ok(!page.includes('__BALLAST_'));
  assert.ok(page.includes('"title":"$\u0026 $1 $$ \\u003c/script\\u003e"'.replace('\u0026', '\\u0026')));
  assert.equal(page.split('</script>').length, 3, 'exactly the two script elements end');
  assert.ok(page.includes(read('report.css')));
  assert.ok(page.includes(read('report.js')));
});
