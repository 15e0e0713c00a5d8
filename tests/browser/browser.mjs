// Shared headless-Chromium launcher for the tests and scripts/bench-html.mjs.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launches Chromium (fresh temporary profile) and a context; returns { browser, context, close }. */
export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  return {
    browser,
    context,
    async close() {
      await browser.close();
    },
  };
}

/** Opens `url` in a new page, recording console errors, page errors, requests and dialogs. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const log = { errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(url, { waitUntil: 'load' });
  // the treemap is drawn first, the side panels after that frame: wait for both
  await page.waitForFunction(() => typeof window.__ballastReady === 'number', null, { timeout: 15000 });
  return { page, log };
}
