// Builds a report exactly like the Rust renderer does, so the browser tests do not
// need the Rust binary: report.html with `/*__BALLAST_CSS__*/` -> report.css,
// `/*__BALLAST_JS__*/` -> report.js and, last, the data token -> escaped JSON.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'crates', 'ballast_report', 'assets');
const DATA_TOKEN = '__BALLAST_' + 'DATA__';

/** JSON that cannot leave a <script> element (and is valid JS/JSON either way). */
export function escapeJson(json) {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// String.prototype.replace with a string replacement expands `$&`, `$'`…; use split/join.
function replaceOnce(haystack, token, value) {
  const at = haystack.indexOf(token);
  if (at < 0) throw new Error(`token ${token} not found in report.html`);
  return haystack.slice(0, at) + value + haystack.slice(at + token.length);
}

export function renderReport(data) {
  const html = readFileSync(join(ASSETS, 'report.html'), 'utf8');
  const css = readFileSync(join(ASSETS, 'report.css'), 'utf8');
  const js = readFileSync(join(ASSETS, 'report.js'), 'utf8');
  let out = replaceOnce(html, '/*__BALLAST_CSS__*/', css);
  out = replaceOnce(out, '/*__BALLAST_JS__*/', js);
  // The data token is replaced last, and it is the only occurrence in the page
  // (report.css / report.js never contain it).
  out = replaceOnce(out, DATA_TOKEN, escapeJson(JSON.stringify(data)));
  return out;
}

/** Renders the report into `file` (creating its folder) and returns the path. */
export function writeReport(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderReport(data));
  return file;
}
