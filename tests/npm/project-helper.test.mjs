// Tests of npm/ballast/lib/project-helper.mjs, the Node helper the Rust binary spawns to ask a project's own Vite,
// @vue/compiler-sfc and svelte/compiler (protocol: fixtures/frameworks/README.md).
//
//   node --test tests/npm/project-helper.test.mjs
//
// The protocol tests need nothing installed; the ones on the real apps need fixtures/frameworks/vite7 and vite8
// installed (scripts/setup.sh) and are skipped otherwise.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const helper = path.join(repo, 'npm/ballast/lib/project-helper.mjs')
const fw = path.join(repo, 'fixtures/frameworks')
const installed = (v) => fs.existsSync(path.join(fw, v, 'node_modules/vite/package.json'))

function run(input) {
  const p = spawnSync(process.execPath, [helper], {
    input: typeof input === 'string' ? input : JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
  let json = null
  let parseError = null
  try {
    json = JSON.parse(p.stdout)
  } catch (e) {
    parseError = e
  }
  assert.equal(parseError, null, `stdout is one JSON object: ${p.stdout.slice(0, 300)}\nstderr: ${p.stderr.slice(-500)}`)
  return { status: p.status, json, stderr: p.stderr }
}

describe('protocol', () => {
  test('a malformed request exits 2 with a diagnostic on stdout', () => {
    for (const input of ['not json', '[]', { root: 'relative/dir' }, { root: os.tmpdir(), compile: 'App.vue' }]) {
      const r = run(input)
      assert.equal(r.status, 2, JSON.stringify(input))
      assert.equal(r.json.vite, null)
      assert.match(r.json.diagnostics[0].message, /^malformed request/)
    }
  })

  test('a root without Vite gives vite: null, a diagnostic and per-file errors, exit 0', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballast-helper-'))
    try {
      fs.writeFileSync(path.join(dir, 'App.vue'), '<template><p>x</p></template>\n')
      const r = run({ root: dir, compile: ['App.vue', { file: path.join(dir, 'x.txt') }] })
      assert.equal(r.status, 0)
      assert.equal(r.json.vite, null)
      assert.equal(r.json.diagnostics[0].severity, 'warning')
      assert.match(r.json.diagnostics[0].message, /no Vite is installed/)
      assert.equal(r.json.compiled.length, 2)
      assert.equal(r.json.compiled[0].ok, false)
      assert.match(r.json.compiled[0].error.message, /vue\/compiler-sfc/)
      assert.equal(r.json.compiled[1].ok, false)
      assert.equal(typeof r.json.ms.total, 'number')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('real apps', { skip: !(installed('vite7') && installed('vite8')) && 'fixtures/frameworks not installed (scripts/setup.sh)' }, () => {
  test('vue-app (Vite 7): aliases, conditions, compiled SFC modules', () => {
    const root = path.join(fw, 'vite7/vue-app')
    const r = run({ root, compile: ['src/App.vue', 'src/components/Legacy.vue'] })
    assert.equal(r.status, 0)
    const v = r.json.vite
    assert.equal(v.version, '7.3.8')
    assert.equal(v.configFile, path.join(root, 'vite.config.ts'))
    assert.equal(v.bundlerOptionsKey, 'build.rollupOptions')
    assert.ok(v.plugins.includes('vite:vue'))
    const alias = Object.fromEntries(v.alias.filter((a) => !a.internal).map((a) => [a.find, a]))
    assert.equal(alias['@'].replacement, path.join(root, 'src'))
    assert.deepEqual({ ...alias['~game'] }, { find: '~game', findIsRegExp: false, replacement: path.join(root, 'src/game'), raw: '/src/game', rootRelative: true })
    assert.deepEqual(v.conditions, ['module', 'browser', 'production'])
    assert.equal(v.define.__APP_VERSION__, '"1.0"')
    assert.deepEqual(v.input, { index: path.join(root, 'index.html') })
    const [app, legacy] = r.json.compiled
    assert.equal(app.ok, true, JSON.stringify(app.error))
    assert.deepEqual(
      app.modules.map((m) => [m.lang, m.virtualId.slice(root.length)]),
      [
        ['js', '/src/App.vue'],
        ['js', '/src/App.vue?vue&type=script&setup=true&lang.ts'],
        ['css', `/src/App.vue?vue&type=style&index=0&scoped=${app.scopeId}&lang.css`],
      ],
    )
    assert.ok(app.modules[2].code.includes(`[data-v-${app.scopeId}]`))
    assert.doesNotMatch(app.modules[1].code, /ref<number>/, 'TS stripped')
    assert.deepEqual(app.imports, ['\0plugin-vue:export-helper', 'vue', 'element-plus', '@/components/Counter.vue', './components/Legacy.vue'])
    assert.equal(legacy.ok, true)
    assert.match(legacy.modules[0].code, /function _sfc_render\(/, 'template compiled into the main module')
    assert.equal(r.json.tools.tsStrip, 'vite.transformWithEsbuild')
  })

  test('svelte-app (Vite 8): the $lib alias from an ESM __dirname, compiled components', () => {
    const root = path.join(fw, 'vite8/svelte-app')
    const r = run({ root, compile: ['src/App.svelte', 'src/lib/Counter.svelte'] })
    assert.equal(r.status, 0)
    const v = r.json.vite
    assert.equal(v.version, '8.3.8')
    assert.equal(v.bundlerOptionsKey, 'build.rolldownOptions')
    assert.ok(v.plugins.includes('vite-plugin-svelte:compile'))
    assert.ok(v.conditions.includes('svelte'))
    assert.equal(v.alias.find((a) => a.find === '$lib').replacement, path.join(root, 'src/lib'))
    for (const c of r.json.compiled) {
      assert.equal(c.ok, true, JSON.stringify(c.error))
      assert.deepEqual(c.modules.map((m) => m.lang), ['js', 'css'])
      assert.ok(c.modules[0].code.endsWith(`import ${JSON.stringify(c.file + '?svelte&type=style&lang.css')};\n`))
    }
    assert.deepEqual(r.json.compiled[0].dynamicImports, ['./Heavy.svelte'])
    assert.ok(r.json.compiled[0].imports.includes('$lib/Counter.svelte'))
  })

  test('compile errors carry 1-based line and column', () => {
    const root = path.join(fw, 'vite7/vue-app')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballast-helper-'))
    try {
      fs.writeFileSync(path.join(dir, 'T.vue'), '<template>\n  <div>\n    <span>{{ a </div>\n</template>\n')
      fs.writeFileSync(path.join(dir, 'S.vue'), '<script setup lang="ts">\nconst a: number = 1\nconst b = ;\n</script>\n<template><p>{{a}}</p></template>\n')
      const r = run({ root, config: false, compile: [path.join(dir, 'T.vue'), path.join(dir, 'S.vue')] })
      assert.equal(r.status, 0)
      assert.deepEqual(r.json.compiled.map((c) => [c.ok, c.error.line, c.error.column]), [
        [false, 3, 11],
        [false, 3, 11],
      ])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('react-tanstack (Vite 8): the plugin pipeline splits route components', () => {
    const root = path.join(fw, 'vite8/react-tanstack')
    const r = run({ root, config: false, pipeline: ['src/routes/about.tsx'] })
    assert.equal(r.status, 0)
    assert.equal(r.json.pipeline.error, undefined)
    const ids = r.json.pipeline.modules.map((m) => m.id.slice(root.length))
    assert.deepEqual(ids.sort(), ['/src/routes/about.tsx', '/src/routes/about.tsx?tsr-split=component'])
    const route = r.json.pipeline.modules.find((m) => !m.query)
    assert.deepEqual(route.dynamicImports, [path.join(root, 'src/routes/about.tsx') + '?tsr-split=component'])
    assert.match(r.json.pipeline.modules.find((m) => m.query).code, /export \{ About as component \}/)
  })

  test('vue-pages (Vite 8): the virtual request gets plugin-made modules from the project plugins', () => {
    const root = path.join(fw, 'vite8/vue-pages')
    const importer = path.join(root, 'src/main.ts')
    const r = run({ root, config: false, virtual: [{ id: '~pages', importer }, { id: 'virtual:build-info', importer }, { id: 'virtual:nope', importer }] })
    assert.equal(r.status, 0)
    const v = r.json.virtual
    assert.equal(v.error, undefined)
    assert.ok(v.plugins.includes('vite-plugin-pages') && v.plugins.includes('build-info'), v.plugins.join(', '))
    assert.equal(typeof r.json.ms.virtual, 'number')
    const [pages, info, nope] = v.modules
    assert.equal(pages.ok, true)
    assert.equal(pages.lang, 'js')
    assert.match(pages.code, /import\("\/src\/pages\/about\.vue"\)/)
    assert.match(pages.code, /export default routes/)
    assert.equal(info.ok, true)
    assert.equal(info.resolvedId, '\0virtual:build-info')
    assert.match(info.code, /export const version = "1\.2\.3"/)
    assert.equal(nope.ok, false)
    assert.match(nope.error, /no plugin/)
  })

  test('virtual: a malformed entry is a malformed request', () => {
    const r = run({ root: fw, config: false, virtual: [{ importer: 'x' }] })
    assert.equal(r.status, 2)
  })

  test('react-tanstack (Vite 8): transform runs only the project plugins, TS/JSX kept, unchanged files flagged', () => {
    const root = path.join(fw, 'vite8/react-tanstack')
    const r = run({ root, config: false, transform: ['src/routes/about.tsx', 'src/routes/__root.tsx', 'src/main.tsx'] })
    assert.equal(r.status, 0)
    const t = r.json.transformed
    assert.equal(t.error, undefined)
    assert.ok(t.plugins.includes('tanstack-router:code-splitter:compile-reference-file'), t.plugins.join(', '))
    assert.ok(!t.plugins.some((n) => n.startsWith('vite:')), 'no core plugin listed')
    assert.equal(typeof r.json.ms.transform, 'number')
    const byFile = Object.fromEntries(t.files.map((f) => [f.file.slice(root.length), f]))
    assert.deepEqual(Object.keys(byFile).sort(), ['/src/main.tsx', '/src/routes/__root.tsx', '/src/routes/about.tsx'])
    // __root.tsx is not split and main.tsx is no route: nothing changed, no code sent back
    for (const f of ['/src/main.tsx', '/src/routes/__root.tsx']) {
      assert.equal(byFile[f].changed, false, f)
      assert.deepEqual(byFile[f].modules, [], f)
    }
    const about = byFile['/src/routes/about.tsx']
    assert.equal(about.changed, true)
    assert.deepEqual(about.modules.map((m) => m.query ?? null).sort(), [null, 'tsr-split=component'].sort())
    const own = about.modules.find((m) => m.query === undefined)
    assert.match(own.code, /import\(['"][^'"]*about\.tsx\?tsr-split=component['"]\)/)
    const split = about.modules.find((m) => m.query === 'tsr-split=component')
    // Vite's core transform did not run: the JSX is still there
    assert.match(split.code, /<button className=/)
    assert.match(split.code, /export \{ About as component \}/)
  })

  test('a config that prints and one that throws: stdout stays one JSON object', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballast-helper-'))
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n')
      fs.symlinkSync(path.join(fw, 'vite8/node_modules'), path.join(dir, 'node_modules'))
      fs.writeFileSync(
        path.join(dir, 'vite.config.js'),
        "console.log('noise'); process.stdout.write('raw noise\\n')\nexport default { resolve: { alias: { rel: './src' } }, build: { rolldownOptions: { output: { manualChunks: () => null } } } }\n",
      )
      let r = run({ root: dir })
      assert.equal(r.status, 0)
      assert.match(r.stderr, /raw noise/)
      assert.equal(r.json.vite.manualChunks, 'function')
      assert.equal(r.json.vite.alias.find((a) => a.find === 'rel').relative, true)
      fs.writeFileSync(path.join(dir, 'vite.config.js'), "throw new Error('boom in config')\n")
      r = run({ root: dir })
      assert.equal(r.status, 0)
      assert.equal(r.json.vite, null)
      assert.match(r.json.diagnostics[0].message, /boom in config/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
