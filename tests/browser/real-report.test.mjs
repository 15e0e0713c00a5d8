// Opens a report produced by the real `ballast` binary, when BALLAST_HTML names one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, openPage } from './browser.mjs';

const file = process.env.BALLAST_HTML;

test('report from the real binary (BALLAST_HTML) draws with no console error', {
  skip: file ? false : 'BALLAST_HTML is not set: set it to an HTML report written by the ballast binary to run this test',
}, async () => {
  assert.ok(existsSync(file), `BALLAST_HTML=${file} does not exist`);
  const url = pathToFileURL(resolve(file)).href;
  const browser = await launch();
  try {
    const { page, log } = await openPage(browser.context, url);
    assert.deepEqual(log.errors, [], 'no console error');
    assert.deepEqual(log.dialogs, []);
    assert.deepEqual([...new Set(log.requests)], [url], 'no network request');
    const info = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById('ballast-data').textContent);
      return {
        v: data.v,
        modules: (data.path || []).length,
        nodes: document.querySelectorAll('#map .node').length,
        empty: document.querySelectorAll('#map .empty').length,
        // only what ships has a record: every module is in a chunk, none is marked as dropped
        allInChunks: (data.chunk || []).every((c) => c >= 0),
        droppedFlag: (data.flags || []).some((f) => f & 4),
        sizes: (data.sizes || []).length === (data.path || []).length * data.metrics.length,
        dropped: data.dropped ? data.dropped.modules : null,
        panel: !document.getElementById('dropped-panel').hidden,
        heading: document.getElementById('dropped-h').textContent,
      };
    });
    assert.equal(info.v, 1, 'data format version');
    assert.ok(info.allInChunks && !info.droppedFlag && info.sizes, JSON.stringify(info));
    assert.equal(typeof info.dropped, 'number', 'the dropped list is there');
    assert.equal(info.panel, info.dropped > 0);
    if (info.dropped > 0) assert.ok(info.heading.startsWith(`Parsed but not shipped (${info.dropped.toLocaleString('en-US')} module`), info.heading);
    if (info.modules > 0) assert.ok(info.nodes > 0, `${info.modules} modules but nothing drawn`);
    else assert.equal(info.empty, 1, 'an empty report says so');
  } finally {
    await browser.close();
  }
});
