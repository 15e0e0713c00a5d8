// End-to-end test of the npm distribution (npm/ballast + npm/platforms/linux-x64-gnu) and the Vite plugin.
//
//   cargo build --release
//   BALLAST_BINARY=target/release/ballast node --test tests/npm/
//
// Packs the two tarballs with scripts/pack-npm.sh, then for each real Vite project in fixtures/npm-e2e (Vite 7 /
// Rollup and Vite 8 / Rolldown): copies it to a temp dir, `npm ci`, installs the tarballs, and checks the `ballast`
// wrapper (exit codes 0 / 1 / 2) and the `ballast/vite` plugin (HTML report, failOnBudget). The commands run with
// BALLAST_BINARY removed from their environment, so the binary really comes from @ballast/linux-x64-gnu.
// Needs the npm registry (or a warm npm cache). Set BALLAST_E2E_KEEP=1 to keep the temp dirs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { platformKey } = require(path.join(repo, 'npm/ballast/lib/binary.js'));

const PROJECTS = ['vite7', 'vite8'];
const PASSING_BUDGET = { budgets: [{ target: 'initial', metric: 'gzip', warn: '150 kB', max: '170 kB' }] };
const FAILING_BUDGET = { budgets: [{ target: 'initial', metric: 'gzip', max: '1 kB' }] };
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
const KEEP = process.env.BALLAST_E2E_KEEP === '1';

// The packed platform package is linux-x64-gnu only.
const supported = platformKey() === 'linux-x64-gnu';
const binaryEnv = process.env.BALLAST_BINARY ? path.resolve(process.env.BALLAST_BINARY) : null;

/** Environment for commands run in the projects: no BALLAST_* overrides, no colour codes. */
function cleanEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  delete env.BALLAST_BINARY;
  delete env.BALLAST_KEEP_STATS;
  return env;
}

function run(cmd, args, { cwd, env = cleanEnv(), timeout = 300_000 } = {}) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  const out = `$ ${cmd} ${args.join(' ')}  (in ${cwd})\nexit: ${r.status}${r.signal ? ` signal ${r.signal}` : ''}${r.error ? ` error ${r.error.message}` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', out };
}

function mustRun(cmd, args, opts) {
  const r = run(cmd, args, opts);
  assert.equal(r.status, 0, r.out);
  return r;
}

function copyProject(src, dest) {
  fs.cpSync(src, dest, {
    recursive: true,
    filter: (p) => !/[\\/](node_modules|dist)$/.test(p),
  });
}

const writeJson = (file, value) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');

// Vite config used by the build tests: the committed vite.config.mjs plus the report and the switches, from env.
const E2E_CONFIG = `import { defineConfig } from 'vite';
import ballast from 'ballast/vite';

export default defineConfig({
  plugins: [
    ballast({
      budget: process.env.E2E_BUDGET || 'ballast.json',
      html: process.env.E2E_HTML || undefined,
      failOnBudget: process.env.E2E_FAIL_ON_BUDGET !== '0',
    }),
  ],
});
`;

// The plugin with no options, or only `html`: no budget, so it analyses and never fails the build.
const NO_OPTIONS_CONFIG = `import { defineConfig } from 'vite';
import ballast from 'ballast/vite';

export default defineConfig({
  plugins: [process.env.E2E_HTML ? ballast({ html: process.env.E2E_HTML }) : ballast()],
});
`;

if (!binaryEnv) {
  test('npm e2e needs BALLAST_BINARY', () => {
    assert.fail('set BALLAST_BINARY to a built ballast binary, e.g. BALLAST_BINARY=target/release/ballast node --test tests/npm/');
  });
} else if (!supported) {
  test('npm e2e', { skip: `the packed platform package is linux-x64-gnu; this machine is ${platformKey()}` }, () => {});
} else {
  let tarballs;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ballast-npm-e2e-'));

  before(() => {
    assert.ok(fs.existsSync(binaryEnv), `BALLAST_BINARY=${binaryEnv} does not exist`);
    const r = run('bash', [path.join(repo, 'scripts/pack-npm.sh')], {
      cwd: repo,
      env: { ...process.env, BALLAST_BINARY: binaryEnv },
    });
    assert.equal(r.status, 0, r.out);
    tarballs = r.stdout.trim().split('\n').filter((l) => l.endsWith('.tgz'));
    assert.equal(tarballs.length, 2, `pack-npm.sh should print two tarball paths\n${r.out}`);
    for (const t of tarballs) assert.ok(fs.existsSync(t), `missing tarball ${t}`);
  });

  after(() => {
    if (KEEP) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  });

  for (const name of PROJECTS) {
    describe(name, () => {
      const dir = path.join(work, name);
      const npx = (args, extraEnv) => run('npx', ['--no', ...args], { cwd: dir, env: cleanEnv(extraEnv) });

      before(() => {
        copyProject(path.join(repo, 'fixtures/npm-e2e', name), dir);
        mustRun('npm', ['ci', ...NPM_FLAGS], { cwd: dir });
        mustRun('npm', ['install', ...NPM_FLAGS, ...tarballs], { cwd: dir });
        writeJson(path.join(dir, 'ballast.json'), PASSING_BUDGET);
        writeJson(path.join(dir, 'ballast-fail.json'), FAILING_BUDGET);
        fs.writeFileSync(path.join(dir, 'vite.e2e.config.mjs'), E2E_CONFIG);
        fs.writeFileSync(path.join(dir, 'vite.noopts.config.mjs'), NO_OPTIONS_CONFIG);
      });

      /** Runs `fn` with the project's ballast.json moved aside, so no budget applies. */
      const withoutBudgetFile = (fn) => {
        const file = path.join(dir, 'ballast.json');
        const aside = path.join(dir, 'ballast.json.aside');
        fs.renameSync(file, aside);
        try {
          return fn();
        } finally {
          fs.renameSync(aside, file);
        }
      };

      test('the binary comes from the platform package, with schema.json', () => {
        const pkgBinary = path.join(dir, 'node_modules/@ballast/linux-x64-gnu/bin/ballast');
        assert.ok(fs.existsSync(pkgBinary), `${pkgBinary} not installed`);
        const r = mustRun(process.execPath, ['-e', "process.stdout.write(require('ballast').resolveBinary())"], { cwd: dir });
        assert.equal(fs.realpathSync(r.stdout), fs.realpathSync(pkgBinary));
        JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/ballast/schema.json'), 'utf8'));
      });

      test('vite build with the plugin writes the HTML report', () => {
        const report = path.join(dir, 'ballast-report.html');
        const r = npx(['vite', 'build', '--config', 'vite.e2e.config.mjs'], { E2E_HTML: 'ballast-report.html' });
        assert.equal(r.status, 0, r.out);
        assert.ok(fs.existsSync(report), `no HTML report at ${report}\n${r.out}`);
        assert.ok(fs.statSync(report).size > 0, 'the HTML report is empty');
        assert.ok(fs.existsSync(path.join(dir, 'dist/index.html')), 'vite did not write dist/');
      });

      test('npx ballast check with a passing budget exits 0', () => {
        const r = npx(['ballast', 'check', 'dist', '--config', 'ballast.json']);
        assert.equal(r.status, 0, r.out);
      });

      test('npx ballast check with a too-small budget exits 1', () => {
        const r = npx(['ballast', 'check', 'dist', '--config', 'ballast-fail.json']);
        assert.equal(r.status, 1, r.out);
      });

      test('npx ballast --bogus-flag exits 2', () => {
        const r = npx(['ballast', '--bogus-flag']);
        assert.equal(r.status, 2, r.out);
      });

      test('vite build with a failing budget fails when failOnBudget is true', () => {
        const r = npx(['vite', 'build', '--config', 'vite.e2e.config.mjs'], { E2E_BUDGET: 'ballast-fail.json' });
        assert.notEqual(r.status, 0, r.out);
        assert.match(r.stdout + r.stderr, /budget/i, r.out);
      });

      test('vite build with a failing budget succeeds when failOnBudget is false', () => {
        const r = npx(['vite', 'build', '--config', 'vite.e2e.config.mjs'], { E2E_BUDGET: 'ballast-fail.json', E2E_FAIL_ON_BUDGET: '0' });
        assert.equal(r.status, 0, r.out);
        assert.match(r.stdout + r.stderr, /budget check failed/i, r.out);
      });

      // Last: a failed build leaves dist/ empty, and the tests above read it.
      test('vite build with ballast() and no ballast.json analyses and succeeds', () => {
        const r = withoutBudgetFile(() => npx(['vite', 'build', '--config', 'vite.noopts.config.mjs']));
        assert.equal(r.status, 0, r.out);
        assert.match(r.stdout + r.stderr, /initial load/, r.out);
        assert.doesNotMatch(r.stdout + r.stderr, /no budget file|budget check failed/i, r.out);
        assert.ok(fs.existsSync(path.join(dir, 'dist/index.html')), 'vite did not write dist/');
      });

      test("vite build with ballast({ html }) and no ballast.json writes the report and succeeds", () => {
        const report = path.join(dir, 'noopts-report.html');
        fs.rmSync(report, { force: true });
        const r = withoutBudgetFile(() =>
          npx(['vite', 'build', '--config', 'vite.noopts.config.mjs'], { E2E_HTML: 'noopts-report.html' }),
        );
        assert.equal(r.status, 0, r.out);
        assert.ok(fs.existsSync(report), `no HTML report at ${report}\n${r.out}`);
        assert.ok(fs.statSync(report).size > 0, 'the HTML report is empty');
      });

      test('vite build with ballast() picks up ballast.json when there is one', () => {
        writeJson(path.join(dir, 'ballast.json'), FAILING_BUDGET);
        try {
          const r = npx(['vite', 'build', '--config', 'vite.noopts.config.mjs']);
          assert.notEqual(r.status, 0, r.out);
          assert.match(r.stdout + r.stderr, /budget check failed/i, r.out);
        } finally {
          writeJson(path.join(dir, 'ballast.json'), PASSING_BUDGET);
        }
      });
    });
  }
}
