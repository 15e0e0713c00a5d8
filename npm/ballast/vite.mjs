// ballast/vite: Vite plugin (Vite 7 / Rollup and Vite 8 / Rolldown).
//
// In generateBundle it collects the bundle data described in docs/vite-bundle-data.md ("ballast-vite-bundle",
// version 1), writes it to a temp file and runs `ballast check --stats <file> --format text` on it, printing the
// binary's output through Vite's logger. Exit 1 (budget failed) fails the build unless failOnBudget is false;
// exit 2 (usage/config/input error) always fails it.
//
// Budgets apply when the `budget` option is given or Vite's root has a ballast.json. Without either the plugin
// runs `ballast analyze` instead: it prints the analysis and writes the reports, and never fails the build (a
// problem running the binary is a warning).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import binaryLookup from './lib/binary.js';

const { resolveBinary } = binaryLookup;

const FORMAT = 'ballast-vite-bundle';
const FORMAT_VERSION = 1;

const toPosix = (p) => p.split(path.sep).join('/');

function byteLength(source) {
  if (source == null) return 0;
  if (typeof source === 'string') return Buffer.byteLength(source, 'utf8');
  if (typeof source.byteLength === 'number') return source.byteLength;
  return 0;
}

function sourceToString(source) {
  if (typeof source === 'string') return source;
  if (source == null) return null;
  return Buffer.from(source.buffer ?? source, source.byteOffset ?? 0, source.byteLength).toString('utf8');
}

/** Plain JSON object for a Rollup/Rolldown SourceMap (both have methods/getters that JSON.stringify may skip). */
function plainSourceMap(map) {
  if (!map) return null;
  const out = {};
  for (const key of ['version', 'file', 'sourceRoot', 'sources', 'sourcesContent', 'names', 'mappings', 'ignoreList', 'x_google_ignoreList', 'debugId']) {
    const value = map[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  if (out.version === undefined) out.version = 3;
  return out;
}

const array = (value) => (Array.isArray(value) ? [...value] : []);

function collectChunk(chunk) {
  const modules = {};
  for (const [id, m] of Object.entries(chunk.modules || {})) {
    // Rollup: renderedLength, originalLength, renderedExports, removedExports, code.
    // Rolldown: renderedLength, renderedExports, code (no originalLength): write only what exists.
    const entry = { renderedLength: typeof m.renderedLength === 'number' ? m.renderedLength : byteLength(m.code) };
    if (typeof m.originalLength === 'number') entry.originalLength = m.originalLength;
    entry.renderedExports = array(m.renderedExports);
    modules[id] = entry;
  }
  return {
    fileName: chunk.fileName,
    name: chunk.name ?? null,
    isEntry: !!chunk.isEntry,
    isDynamicEntry: !!chunk.isDynamicEntry,
    facadeModuleId: chunk.facadeModuleId ?? null,
    imports: array(chunk.imports),
    dynamicImports: array(chunk.dynamicImports),
    modules,
    code: chunk.code ?? '',
    map: plainSourceMap(chunk.map),
  };
}

function collectAsset(asset) {
  const out = { fileName: asset.fileName, size: byteLength(asset.source) };
  if (/\.css$/i.test(asset.fileName)) out.source = sourceToString(asset.source);
  return out;
}

function collectModules(ctx, bundledIds) {
  const modules = [];
  if (typeof ctx.getModuleIds !== 'function') return modules;
  for (const id of ctx.getModuleIds()) {
    const info = ctx.getModuleInfo(id);
    if (!info) continue;
    // Rollup has ModuleInfo.isExternal. Rolldown (1.x) has no such field: there an external module is one
    // without code that no chunk contains.
    const isExternal = typeof info.isExternal === 'boolean' ? info.isExternal : info.code == null && !bundledIds.has(id);
    modules.push({
      id,
      importedIds: array(info.importedIds),
      dynamicallyImportedIds: array(info.dynamicallyImportedIds),
      isEntry: !!info.isEntry,
      isExternal,
    });
  }
  return modules;
}

function runBinary(binary, args, cwd) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      resolve({ status: null, signal: null, stdout, stderr, error });
      return;
    }
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (error) => resolve({ status: null, signal: null, stdout, stderr, error }));
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr, error: null }));
  });
}

function openWithOs(file, logger) {
  let command;
  let args;
  if (process.platform === 'darwin') {
    command = 'open';
    args = [file];
  } else if (process.platform === 'win32') {
    command = 'cmd';
    args = ['/c', 'start', '""', `"${file}"`];
  } else {
    command = 'xdg-open';
    args = [file];
  }
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsVerbatimArguments: process.platform === 'win32' });
    child.on('error', (err) => logger.warn(`[ballast] could not open ${file} with ${command}: ${err.message}`));
    child.unref();
  } catch (err) {
    logger.warn(`[ballast] could not open ${file} with ${command}: ${err.message}`);
  }
}

const trimEnd = (s) => s.replace(/\s+$/, '');

/**
 * @param {import('./vite').BallastOptions} [options]
 * @returns {import('vite').Plugin}
 */
export function ballast(options = {}) {
  const { budget, html, json, failOnBudget = true, open = false, binary } = options;
  let config;
  let reportToOpen = null;

  return {
    name: 'ballast',
    apply: 'build',
    enforce: 'post',

    configResolved(resolved) {
      config = resolved;
    },

    buildStart() {
      reportToOpen = null;
    },

    generateBundle: {
      order: 'post',
      async handler(outputOptions, bundle) {
        // Only the client bundle is a front-end bundle; skip SSR / server environments.
        if (config.build?.ssr || (this.environment && this.environment.config?.consumer === 'server')) return;

        const root = config.root;
        const logger = config.logger;
        const viteVersion = this.meta?.viteVersion ?? (await import('vite').then((m) => m.version).catch(() => null));
        const major = viteVersion ? Number.parseInt(viteVersion, 10) : NaN;
        const bundler = this.meta?.rolldownVersion || major >= 8 ? 'rolldown' : 'rollup';

        const outDirAbs = path.resolve(root, outputOptions.dir ?? config.build.outDir);
        const outDirRel = toPosix(path.relative(root, outDirAbs)) || '.';

        const chunks = [];
        const assets = [];
        const bundledIds = new Set();
        for (const item of Object.values(bundle)) {
          if (item.type === 'chunk') {
            chunks.push(collectChunk(item));
            for (const id of Object.keys(item.modules || {})) bundledIds.add(id);
          } else if (item.type === 'asset') {
            assets.push(collectAsset(item));
          }
        }

        const data = {
          format: FORMAT,
          version: FORMAT_VERSION,
          bundler,
          viteVersion,
          root,
          outDir: outDirRel,
          chunks,
          assets,
          modules: collectModules(this, bundledIds),
        };

        // Budgets apply when asked for (`budget`) or when the project has a ballast.json; otherwise analyse only.
        const budgets = !!budget || fs.existsSync(path.join(root, 'ballast.json'));
        // Without budgets nothing may fail the build: problems are warnings.
        const fail = (message) => (budgets ? this.error(message) : this.warn(message));

        let binaryPath;
        try {
          binaryPath = resolveBinary({ binary: binary ? path.resolve(root, binary) : undefined, paths: [root] });
        } catch (err) {
          fail(err.message);
          return;
        }

        const keep = process.env.BALLAST_KEEP_STATS === '1';
        const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballast-vite-'));
        const statsFile = path.join(tmpDir, 'bundle.json');
        fs.writeFileSync(statsFile, JSON.stringify(data));
        if (keep) logger.info(`[ballast] bundle data kept at ${statsFile}`);

        const args = [budgets ? 'check' : 'analyze', '--stats', statsFile, '--format', 'text'];
        if (budget) args.push('--config', path.resolve(root, budget));
        const htmlPath = html ? path.resolve(root, html) : null;
        if (htmlPath) args.push('--html', htmlPath);
        if (json) args.push('--json', path.resolve(root, json));

        let result;
        try {
          result = await runBinary(binaryPath, args, root);
        } finally {
          if (!keep) fs.rmSync(tmpDir, { recursive: true, force: true });
        }

        if (result.error) {
          fail(`failed to run ${binaryPath}: ${result.error.message}`);
          return;
        }
        const out = trimEnd(result.stdout);
        const err = trimEnd(result.stderr);

        if (result.status === 0 || result.status === 1) {
          if (out) logger.info(out);
          if (err) logger.warn(err);
          if (htmlPath) {
            logger.info(`[ballast] HTML report: ${htmlPath}`);
            reportToOpen = htmlPath;
          }
          if (result.status === 1) {
            const message = `budget check failed${budget ? ` (${budget})` : ''}`;
            if (failOnBudget) this.error(message);
            else this.warn(`${message}; not failing the build because failOnBudget is false`);
          }
          return;
        }

        if (out) logger.info(out);
        const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.status}`;
        fail(`\`ballast ${args.join(' ')}\` ${how}${err ? `:\n${err}` : ''}`);
      },
    },

    closeBundle() {
      if (!open || !config) return;
      if (!html) {
        config.logger.warn('[ballast] the "open" option needs the "html" option (the report file to open)');
        return;
      }
      if (reportToOpen && fs.existsSync(reportToOpen)) openWithOs(reportToOpen, config.logger);
    },
  };
}

export default ballast;
