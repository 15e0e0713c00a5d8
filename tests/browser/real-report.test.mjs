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
      };
    });
    assert.equal(info.v, 1, 'data format version');
    if (info.modules > 0) assert.ok(info.nodes > 0, `${info.modules} modules but nothing drawn`);
    else assert.equal(info.empty, 1, 'an empty report says so');
  } finally {
    await browser.close();
  }
});
