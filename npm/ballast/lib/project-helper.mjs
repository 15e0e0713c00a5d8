#!/usr/bin/env node
// Ballast project helper: asks a project's OWN installed tools (its Vite, @vue/compiler-sfc, svelte/compiler) what
// they do, instead of imitating them. The Rust binary spawns it as
//
//     node project-helper.mjs < request.json > response.json
//
// Protocol (stdout carries exactly one JSON object and nothing else; all logging, including anything the project's
// config or plugins print, goes to stderr):
//
// Request:
//   { "root": "/abs/project",            required, absolute
//     "config": true,                     resolve the Vite config (default true)
//     "mode": "production",               optional, default "production"
//     "configFile": "/abs/vite.config.ts" optional; default: Vite's own auto-detection in root; false = none
//     "compile": [ { "file": "/abs/App.vue" }, "/abs/Thing.svelte", ... ],  optional; relative paths are taken
//                                          against root
//     "pipeline": [ { "file": "/abs/src/routes/about.tsx" }, ... ],  optional, experimental: the modules the
//                                          project's whole Vite plugin pipeline makes of these files (see pipeline())
//     "chunkGroups": [ "/abs/node_modules/react/index.js", ... ],  optional: the module ids to put through the
//                                          config's own manualChunks / codeSplitting.groups (see chunkGroups())
//     "transform": [ { "file": "/abs/src/routes/about.tsx" }, ... ] }  optional: what the project's own plugins
//                                          (not Vite's core transforms) make of these files (see transformFiles())
//     "virtual": [ { "id": "virtual:x", "importer": "/abs/src/main.ts" }, ... ] }  optional: modules the project's
//                                          plugins make from nothing (resolveId + load), see virtualModules()
// Response (fixtures/frameworks/README.md has the details):
//   { "vite": null | { version, configFile, root, base, mode, command, isProduction,
//                      alias: [{ find, findIsRegExp, flags?, replacement, raw?, rootRelative?, relative?, bare?,
//                                missing?, internal?, customResolver? }],
//                      conditions, exportsConditions, mainFields, extensions, dedupe, preserveSymlinks,
//                      define: { NAME: "expression" }, env, input: { name: "/abs" }, inputDefault?,
//                      bundlerOptionsKey, outputs, manualChunks: "function" | {..} | null, codeSplitting: {..} | null,
//                      output, external, treeshake, build: {..}, worker: { format, plugins, bundlerOptions }, css,
//                      plugins: ["name", ...] },
//     "compiled": [{ file, ok: true, tool, modules: [{ lang: "js" | "css", code, virtualId, imports?,
//                    dynamicImports?, cssModules? }], imports, dynamicImports, scopeId?, options?, warnings?, ms }
//                  | { file, ok: false, error: { message, line?, column?, code?, file }, ms }],
//     "pipeline"?: { modules: [{ id, file, query?, code, imports, dynamicImports }], ms: { setup, transform },
//                    error? },
//     "chunkGroups"?: { kind: "manualChunks" | "groups", includeDependencies, groups: [{ name?, priority,
//                       minShareCount, minSize, maxSize }], assigned: [{ id, group, name }], error? },
//     "transformed"?: { files: [{ file, changed, modules: [{ id, query?, code }] }], plugins: ["name", ...],
//                       ms: { setup, transform }, error? },
//     "virtual"?: { modules: [{ id, importer, ok, resolvedId?, lang?: "js" | "css", code?, error? }],
//                   plugins: ["name", ...], ms: { setup, load }, error? },
//     "diagnostics": [{ severity: "error" | "warning", message, help? }],
//     "tools": { node, vite?, vueCompilerSfc?, svelte?, tsStrip?, importScanner? },
//     "ms": { config?, compile?, pipeline?, transform?, total } }
// Lines and columns are 1-based. Exit status 0 whenever
// stdout holds the response (also when the project has no Vite or its config throws: then "vite": null and a
// diagnostic), 2 when the request is malformed (stdout then holds a response with only a diagnostic).
//
// Every package is resolved FROM THE PROJECT ROOT (node_modules lookup from <root>/package.json), never from
// Ballast's own node_modules.
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

// ---------------------------------------------------------------------------------------------- stdout guard
// Project code (configs, plugins) may print: route every write to stdout to stderr; only emit() uses the real one.
const realStdoutWrite = process.stdout.write.bind(process.stdout)
process.stdout.write = (chunk, encoding, cb) => process.stderr.write(chunk, encoding, cb)
for (const k of ['log', 'info', 'debug']) console[k] = (...a) => console.error(...a)

function emit(obj, code) {
  realStdoutWrite(JSON.stringify(obj) + '\n', () => process.exit(code))
}

const diagnostics = []
const diag = (severity, message, help) => diagnostics.push(help ? { severity, message, help } : { severity, message })
const now = () => performance.now()
const errMessage = (e) => (e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e))

// ---------------------------------------------------------------------------------------------- resolution
// Find a package's folder the way Node's resolver walks node_modules from the project root (works without an
// "exports" entry for package.json), then pick its ESM entry for a subpath from "exports" (conditions node, import,
// default, in the order the package lists them, like Node), else module/main or the subpath file itself.
function findPackageDir(root, name) {
  const req = createRequire(path.join(root, 'package.json'))
  for (const dir of req.resolve.paths(name) || []) {
    const pj = path.join(dir, name, 'package.json')
    if (fs.existsSync(pj)) return fs.realpathSync(path.dirname(pj))
  }
  return null
}
const CONDITIONS = ['node', 'import', 'module-sync', 'default']
function exportTarget(t) {
  if (typeof t === 'string') return t
  if (Array.isArray(t)) {
    for (const x of t) {
      const r = exportTarget(x)
      if (r) return r
    }
    return null
  }
  if (t && typeof t === 'object') {
    for (const [k, v] of Object.entries(t)) if (CONDITIONS.includes(k)) {
      const r = exportTarget(v)
      if (r) return r
    }
  }
  return null
}
function splitSpecifier(spec) {
  const parts = spec.split('/')
  const n = spec.startsWith('@') ? 2 : 1
  return { name: parts.slice(0, n).join('/'), sub: parts.length > n ? './' + parts.slice(n).join('/') : '.' }
}
/** { file, dir, version } of `spec` (e.g. "svelte/compiler") as the project would import it, or null */
function resolveFromProject(root, spec) {
  const { name, sub } = splitSpecifier(spec)
  const dir = findPackageDir(root, name)
  if (!dir) return null
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  let rel = null
  let exp = pkg.exports
  if (exp !== undefined && exp !== null) {
    if (typeof exp === 'string' || Array.isArray(exp) || !Object.keys(exp).some((k) => k.startsWith('.'))) exp = { '.': exp }
    if (exp[sub] !== undefined) rel = exportTarget(exp[sub])
    if (!rel) return null // not exported
  } else if (sub === '.') {
    rel = pkg.module || pkg.main || 'index.js'
  } else {
    rel = sub
    for (const cand of [rel, rel + '.js', rel + '.mjs', path.join(rel, 'index.js')]) {
      if (fs.existsSync(path.join(dir, cand))) {
        rel = cand
        break
      }
    }
  }
  return { file: path.join(dir, rel), dir, version: pkg.version }
}
async function importFromProject(root, spec) {
  const r = resolveFromProject(root, spec)
  if (!r) return null
  const mod = await import(pathToFileURL(r.file).href)
  return { mod, ...r }
}

// ---------------------------------------------------------------------------------------------- JSON-able
// RegExp -> { regex, flags }; function -> "function"; Set -> array; Map -> object; class instances other than plain
// objects/arrays -> "[ClassName]"; cycles -> "[circular]"; undefined and symbols dropped.
function jsonable(v, depth = 0, seen = new Set()) {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v)
  if (typeof v === 'bigint') return String(v)
  if (typeof v === 'function') return 'function'
  if (typeof v !== 'object') return undefined
  if (v instanceof RegExp) return { regex: v.source, flags: v.flags }
  if (depth > 8) return '[deep]'
  if (seen.has(v)) return '[circular]'
  seen.add(v)
  try {
    if (Array.isArray(v) || v instanceof Set) return [...v].map((x) => jsonable(x, depth + 1, seen) ?? null)
    if (v instanceof Map) v = Object.fromEntries(v)
    else {
      const proto = Object.getPrototypeOf(v)
      if (proto && proto !== Object.prototype) return `[${v.constructor?.name || 'object'}]`
    }
    const out = {}
    for (const [k, x] of Object.entries(v)) {
      const j = jsonable(x, depth + 1, seen)
      if (j !== undefined) out[k] = j
    }
    return out
  } finally {
    seen.delete(v)
  }
}

// ---------------------------------------------------------------------------------------------- Vite config
function normalizeInput(input, root) {
  // Vite's default input is <root>/index.html; a relative entry is resolved by Vite against process.cwd(), which is
  // the root under `vite build` (and here, see loadViteConfig), so it is resolved against root.
  const abs = (p) => (path.isAbsolute(p) ? p : path.resolve(root, p))
  const nameOf = (p) => path.basename(p).replace(/\.[^.]+$/, '')
  if (input === undefined || input === null) return { input: { index: path.join(root, 'index.html') }, inputDefault: true }
  if (typeof input === 'string') return { input: { [nameOf(input)]: abs(input) } }
  if (Array.isArray(input)) return { input: Object.fromEntries(input.map((p) => [nameOf(p), abs(p)])) }
  if (typeof input === 'object') return { input: Object.fromEntries(Object.entries(input).map(([k, p]) => [k, abs(p)])) }
  return { input: jsonable(input) }
}

// Vite's resolver (vite:resolve, packages/vite/src/node/plugins/resolve.ts) handles an id that starts with "/" and
// is not already inside the root ("rootInRoot || !id.startsWith(root + '/')") as root-relative FIRST:
// tryFsResolve(path.resolve(root, id.slice(1))), and only if nothing is there as an absolute file-system path. An
// alias replacement is substituted before that resolver runs, so `'@': '/src/game'` means <root>/src/game.
// We RESOLVE it: "replacement" is the absolute path Vite ends up using (<root>/src/game when that exists, or when
// neither exists; the absolute path only when it exists and the root-relative one does not), "raw" keeps the
// configured string and "rootRelative": true marks the case. A relative replacement ("./src") is NOT resolved
// against the root by Vite: after substitution it is a relative import, resolved against the importing file; it is
// kept as is with "relative": true. A bare replacement ("lodash-es") is a package name: "bare": true.
function describeAlias(a, root) {
  const out = {}
  if (a.find instanceof RegExp) Object.assign(out, { find: a.find.source, findIsRegExp: true, flags: a.find.flags })
  else Object.assign(out, { find: String(a.find), findIsRegExp: false })
  const r = a.replacement
  // Vite's own client aliases (/@vite/env, /@vite/client -> /@fs/<vite>/dist/client/...), in every resolved config
  if (out.findIsRegExp && /@vite\\?\/(env|client)/.test(out.find)) return { ...out, replacement: r, internal: true }
  if (typeof r !== 'string') {
    out.replacement = jsonable(r)
  } else if (r.startsWith('/') && !(r === root || r.startsWith(root.replace(/\/$/, '') + '/'))) {
    const inRoot = path.join(root, r.slice(1))
    const existsAt = (p) => fs.existsSync(p) || fs.existsSync(path.dirname(p))
    const useAbs = !fs.existsSync(inRoot) && fs.existsSync(r)
    Object.assign(out, { replacement: useAbs ? r : inRoot, raw: r, rootRelative: !useAbs })
    if (!useAbs && !existsAt(inRoot)) out.missing = true
  } else if (path.isAbsolute(r)) {
    out.replacement = r
  } else if (r.startsWith('./') || r.startsWith('../') || r === '.' || r === '..') {
    Object.assign(out, { replacement: r, relative: true })
  } else {
    Object.assign(out, { replacement: r, bare: !r.startsWith('$') && !r.includes('${') })
  }
  if (a.customResolver) out.customResolver = 'function'
  return out
}

function defineValue(v) {
  // Vite substitutes a string as an expression and JSON.stringify()s anything else (define plugin)
  return typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined'
}

function describeConfig(cfg, vite) {
  const root = cfg.root
  const client = cfg.environments?.client?.resolve ?? cfg.resolve
  const mapCond = (c) => (c === 'development|production' ? (cfg.isProduction ? 'production' : 'development') : c)
  const conditions = (client.conditions ?? []).map(mapCond)
  // rolldownOptions in Vite 8 (rollupOptions is its deprecated alias there), rollupOptions in Vite 7
  const bundlerKey = cfg.build.rolldownOptions ? 'rolldownOptions' : 'rollupOptions'
  const bo = cfg.build[bundlerKey] ?? {}
  const outputs = Array.isArray(bo.output) ? bo.output : bo.output ? [bo.output] : [{}]
  const out0 = outputs[0] ?? {}
  const mc = out0.manualChunks
  const codeSplitting = out0.codeSplitting ?? out0.advancedChunks
  const w = cfg.worker ?? {}
  const wbo = w.rolldownOptions ?? w.rollupOptions ?? {}
  return {
    version: vite.version,
    configFile: cfg.configFile ?? null,
    root,
    base: cfg.base,
    mode: cfg.mode,
    command: cfg.command,
    isProduction: cfg.isProduction,
    alias: (client.alias ?? cfg.resolve.alias ?? []).map((a) => describeAlias(a, root)),
    // Vite resolves package "exports" with these conditions plus "import" (or "require"), and "default" always
    conditions,
    exportsConditions: [...conditions, 'import', 'default'],
    mainFields: client.mainFields ?? [],
    extensions: client.extensions ?? [],
    dedupe: client.dedupe ?? [],
    preserveSymlinks: !!client.preserveSymlinks,
    define: Object.fromEntries(Object.entries(cfg.define ?? {}).map(([k, v]) => [k, defineValue(v)])),
    env: jsonable(cfg.env ?? {}), // import.meta.env.* (MODE, BASE_URL, PROD, DEV, SSR and the VITE_ variables)
    ...normalizeInput(bo.input, root),
    bundlerOptionsKey: `build.${bundlerKey}`,
    outputs: outputs.length,
    manualChunks: typeof mc === 'function' ? 'function' : mc ? jsonable(mc) : null,
    codeSplitting: codeSplitting === undefined ? null : jsonable(codeSplitting),
    output: jsonable(
      Object.fromEntries(
        Object.entries(out0).filter(([k]) =>
          ['format', 'entryFileNames', 'chunkFileNames', 'assetFileNames', 'inlineDynamicImports', 'experimentalMinChunkSize', 'hoistTransitiveImports', 'minify'].includes(k),
        ),
      ),
    ),
    external: bo.external === undefined ? null : jsonable(bo.external),
    treeshake: bo.treeshake === undefined ? null : jsonable(bo.treeshake),
    build: jsonable({
      outDir: cfg.build.outDir,
      assetsDir: cfg.build.assetsDir,
      assetsInlineLimit: cfg.build.assetsInlineLimit,
      cssCodeSplit: cfg.build.cssCodeSplit,
      cssMinify: cfg.build.cssMinify,
      minify: cfg.build.minify,
      target: cfg.build.target,
      cssTarget: cfg.build.cssTarget,
      modulePreload: cfg.build.modulePreload,
      sourcemap: cfg.build.sourcemap,
      lib: cfg.build.lib ? cfg.build.lib : false,
      ssr: cfg.build.ssr,
      chunkSizeWarningLimit: cfg.build.chunkSizeWarningLimit,
    }),
    worker: { format: w.format ?? 'iife', plugins: typeof w.plugins === 'function' ? 'function' : jsonable(w.plugins ?? null), bundlerOptions: jsonable(wbo) },
    css: jsonable({ transformer: cfg.css?.transformer ?? 'postcss', devSourcemap: cfg.css?.devSourcemap, modules: cfg.css?.modules ? 'configured' : false }),
    plugins: (cfg.plugins ?? []).map((p) => p?.name ?? '(anonymous)'),
  }
}

async function loadViteConfig(req, state) {
  const t0 = now()
  const root = req.root
  let vite
  try {
    const r = await importFromProject(root, 'vite')
    if (!r) {
      diag('warning', `no Vite is installed for ${root}`, 'install the project\'s dependencies (npm ci / pnpm install) so that Ballast can read its real Vite config')
      return null
    }
    vite = r.mod
    state.vite = vite
    state.viteVersion = r.version
  } catch (e) {
    diag('error', `could not load the project's Vite: ${errMessage(e)}`)
    return null
  }
  const cwd = process.cwd()
  try {
    process.chdir(root) // `vite build` runs in the root; configs that use path.resolve('src') expect that
    const inline = { root, mode: req.mode, logLevel: 'silent' }
    if (req.configFile !== undefined) inline.configFile = req.configFile
    const cfg = await vite.resolveConfig(inline, 'build', 'production', 'production')
    state.config = cfg
    return describeConfig(cfg, { version: vite.version ?? state.viteVersion })
  } catch (e) {
    diag('error', `loading the Vite config of ${root} failed: ${errMessage(e)}`, 'Ballast falls back to its own reading of the project')
    return null
  } finally {
    process.chdir(cwd)
  }
}

// ---------------------------------------------------------------------------------------------- TS stripping
// Used for <script lang="ts"> of .vue files, exactly as @vitejs/plugin-vue (main module) and Vite's core transform
// (the ?vue&type=script&...&lang.ts sub-module) do it: the project's Vite's transformWithOxc (Vite 8) or
// transformWithEsbuild (Vite 7, with the esbuild that Vite depends on). Without a Vite: the project's `esbuild`
// package. Which one was used is reported in tools.tsStrip. The options are plugin-vue's for a build ({ lang: 'ts' }
// / { target: 'esnext', charset: 'utf8', loader: 'ts' }); a user's `oxc` / `esbuild` config options are not applied.
async function tsStripper(state, root) {
  if (state.tsStrip !== undefined) return state.tsStrip
  let vite = state.vite
  if (!vite) {
    try {
      vite = (await importFromProject(root, 'vite'))?.mod
    } catch {}
  }
  if (vite?.transformWithOxc) {
    state.tsStripName = 'vite.transformWithOxc'
    state.tsStrip = async (code, filename) => (await vite.transformWithOxc(code, filename, { lang: 'ts', sourcemap: false })).code
  } else if (vite?.transformWithEsbuild) {
    state.tsStripName = 'vite.transformWithEsbuild'
    state.tsStrip = async (code, filename) =>
      (await vite.transformWithEsbuild(code, filename, { target: 'esnext', charset: 'utf8', loader: 'ts', sourcemap: false })).code
  } else {
    const esb = await importFromProject(root, 'esbuild').catch(() => null)
    if (esb?.mod?.transform) {
      state.tsStripName = 'esbuild.transform'
      state.tsStrip = async (code, filename) => (await esb.mod.transform(code, { loader: 'ts', target: 'esnext', charset: 'utf8', sourcefile: filename })).code
    } else {
      state.tsStripName = null
      state.tsStrip = null
    }
  }
  return state.tsStrip
}

// ---------------------------------------------------------------------------------------------- imports
// Import specifiers of compiled JS: es-module-lexer when the project has it, else a scanner for the statement forms
// compilers emit (import/export ... from '...', import '...', import('...') with a literal).
// a specifier as written in a string literal ("\\0plugin-vue:export-helper" -> NUL + "plugin-vue:export-helper")
const unescapeJs = (s) =>
  s.includes('\\')
    ? s.replace(/\\(?:x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|(0)(?![0-9])|(.))/g, (_, x, u1, u2, z, c) =>
        x || u1 || u2 ? String.fromCodePoint(parseInt(x || u1 || u2, 16)) : z ? '\0' : ({ n: '\n', t: '\t', r: '\r' })[c] ?? c,
      )
    : s
function regexImports(code) {
  const stat = []
  const dyn = []
  const src = code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[\s;{}])\/\/[^\n]*/g, '$1')
  for (const m of src.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:type\s+)?(?:[\w$*{}\s,]+?\s*from\s*)?(['"])([^'"\n]+)\1/g)) stat.push(unescapeJs(m[2]))
  for (const m of src.matchAll(/\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g)) if (m[1] !== '`' || !m[2].includes('${')) dyn.push(unescapeJs(m[2]))
  return { imports: stat, dynamicImports: dyn }
}
async function importScanner(state, root) {
  if (state.scan) return state.scan
  try {
    const lex = await importFromProject(root, 'es-module-lexer')
    if (lex?.mod?.parse) {
      await lex.mod.init
      state.scanName = 'es-module-lexer'
      state.scan = (code) => {
        try {
          const [imps] = lex.mod.parse(code)
          const imports = []
          const dynamicImports = []
          for (const i of imps) {
            if (i.n === undefined) continue
            ;(i.d > -1 ? dynamicImports : imports).push(i.n)
          }
          return { imports, dynamicImports }
        } catch {
          return regexImports(code)
        }
      }
      return state.scan
    }
  } catch {}
  state.scanName = 'regex'
  state.scan = regexImports
  return state.scan
}
const uniq = (xs) => [...new Set(xs)]

// Line (1-based) and column (1-based) of a compiler error:
// - Vue template/SFC parse errors: loc.start.{line,column}, already 1-based;
// - Svelte: start.{line,column}, column 0-based;
// - CSS (postcss) errors from compileStyle: line/column 1-based, relative to the <style> block (made absolute);
// - Vue compileScript errors (its own and Babel's) carry no usable location, only a code frame over the whole SFC
//   in the message ("12 |  code" above a "   |     ^^^" line): the frame is read.
function frameLoc(message) {
  // Vue's generateCodeFrame: `${n}${pad}|  ${line}`, then `${pad}|  ${spaces}^^^` under the offending text
  const lines = String(message).split('\n')
  for (let i = 1; i < lines.length; i++) {
    const caret = /^\s*\|/.test(lines[i]) ? lines[i].indexOf('^') : -1
    const prev = /^\s*(\d+)\s*\|/.exec(lines[i - 1])
    if (caret > 0 && prev) return { line: Number(prev[1]), column: caret - (lines[i].indexOf('|') + 3) + 1 }
  }
  return null
}
function errorInfo(e, fallbackFile) {
  const o = { message: errMessage(e) }
  let loc = null
  if (e?.__loc1) loc = e.__loc1
  else if (typeof e?.loc?.start?.line === 'number') loc = { line: e.loc.start.line, column: e.loc.start.column }
  else if (typeof e?.start?.line === 'number') loc = { line: e.start.line, column: e.start.column + 1 }
  else if (typeof e?.line === 'number') loc = { line: e.line, column: e.column }
  else loc = frameLoc(o.message)
  if (loc) {
    o.line = loc.line
    if (typeof loc.column === 'number') o.column = loc.column
  }
  if (typeof e?.code === 'string') o.code = e.code
  o.file = e?.loc?.file || e?.filename || fallbackFile
  return o
}

// ---------------------------------------------------------------------------------------------- Vue
// Mirrors @vitejs/plugin-vue 5/6 in a production build (src/main.ts transformMain, src/script.ts, src/template.ts,
// src/style.ts): descriptor id = sha256(relative path + source)[0..8]; <script setup> compiled with inlineTemplate
// unless prod devtools are on; the script stays in the main module only when it is plain JS (canInlineMain),
// otherwise it is the sub-module <file>?vue&type=script&...&lang.ts; a template without <script setup> is compiled
// into the main module (render renamed _sfc_render); each <style> is the sub-module
// <file>?vue&type=style&index=N[&scoped=ID]&lang.css compiled with compileStyleAsync (scoped, CSS modules,
// preprocessLang for lang="scss" etc. through the compiler's own preprocessor lookup). The plugin's user options
// (vue({ template, script, style, features })) are taken from the resolved config's vite:vue plugin (its `api`).
const VUE_IGNORED_ATTRS = ['id', 'index', 'src', 'type', 'lang', 'module', 'scoped', 'generic']
function attrsToQuery(attrs, langFallback, forceLangFallback = false) {
  let query = ''
  for (const name in attrs) {
    const value = attrs[name]
    if (!VUE_IGNORED_ATTRS.includes(name)) query += `&${encodeURIComponent(name)}${value ? `=${encodeURIComponent(value)}` : ''}`
  }
  if (langFallback || attrs.lang) query += 'lang' in attrs ? (forceLangFallback ? `&lang.${langFallback}` : `&lang.${attrs.lang}`) : `&lang.${langFallback}`
  return query
}
const vueHash = (text) => crypto.createHash('sha256').update(text).digest('hex').substring(0, 8)

async function vueCompiler(state, root) {
  if (state.vue !== undefined) return state.vue
  // @vitejs/plugin-vue resolves `vue/compiler-sfc` from the root (it re-exports @vue/compiler-sfc, and works with
  // pnpm where @vue/compiler-sfc is not hoisted); fall back to @vue/compiler-sfc itself
  for (const spec of ['vue/compiler-sfc', '@vue/compiler-sfc']) {
    try {
      const r = await importFromProject(root, spec)
      if (r) {
        const mod = r.mod.parse ? r.mod : r.mod.default
        state.vue = { sfc: mod, spec, version: mod.version ?? r.version }
        return state.vue
      }
    } catch (e) {
      diag('warning', `could not load ${spec} from the project: ${errMessage(e)}`)
    }
  }
  state.vue = null
  return null
}

function findPlugin(state, name) {
  return (state.config?.plugins ?? []).find((p) => p?.name === name)
}

async function compileVue(file, source, ctx) {
  const { state, root } = ctx
  const vc = await vueCompiler(state, root)
  if (!vc) throw Object.assign(new Error('the project has no vue/compiler-sfc (install vue)'), { noCompiler: true })
  const sfc = vc.sfc
  const po = findPlugin(state, 'vite:vue')?.api?.options ?? {}
  const hashRoot = po.root ?? state.config?.root ?? root
  const define = state.config?.define ?? {}
  const truthy = (v) => !!v && v !== 'false'
  const devToolsEnabled = !!(po.features?.prodDevtools || truthy(define.__VUE_PROD_DEVTOOLS__))

  const { descriptor, errors } = sfc.parse(source, { filename: file, sourceMap: false, templateParseOptions: po.template?.compilerOptions })
  if (errors.length) throw errors[0]
  const rel = path.relative(hashRoot, file).split(path.sep).join('/')
  const gen = po.features?.componentIdGenerator
  descriptor.id =
    gen === 'filepath' ? vueHash(rel) : gen === 'filepath-source' ? vueHash(rel + source) : typeof gen === 'function' ? gen(rel, source, true, vueHash) : vueHash(rel + source)

  const inline = !devToolsEnabled && !!descriptor.scriptSetup && !descriptor.template?.src
  const lang = descriptor.scriptSetup?.lang || descriptor.script?.lang
  const canInlineMain = !descriptor.script?.src && !descriptor.scriptSetup?.src && (!lang || lang === 'js')
  const hasScoped = descriptor.styles.some((s) => s.scoped)
  const isTs = (l) => !!l && /tsx?$/.test(l)

  let resolvedScript
  const templateOptions = () => {
    const block = descriptor.template
    if (!block) return undefined
    let transformAssetUrls = po.template?.transformAssetUrls
    const assetUrlOptions = transformAssetUrls === false ? undefined : { includeAbsolute: true }
    if (transformAssetUrls && typeof transformAssetUrls === 'object') {
      transformAssetUrls = Object.values(transformAssetUrls).some((v) => Array.isArray(v))
        ? { ...assetUrlOptions, tags: transformAssetUrls }
        : { ...assetUrlOptions, ...transformAssetUrls }
    } else if (transformAssetUrls !== false) transformAssetUrls = assetUrlOptions
    const expressionPlugins = [...(po.template?.compilerOptions?.expressionPlugins || [])]
    if (isTs(lang) && !expressionPlugins.includes('typescript')) expressionPlugins.push('typescript')
    return {
      ...po.template,
      id: descriptor.id,
      ast: descriptor.template?.ast,
      filename: file,
      scoped: hasScoped,
      slotted: descriptor.slotted,
      isProd: true,
      ssr: false,
      ssrCssVars: descriptor.cssVars,
      transformAssetUrls,
      preprocessLang: block.lang === 'html' ? undefined : block.lang,
      preprocessOptions: block.lang && po.template?.preprocessOptions,
      compilerOptions: {
        ...po.template?.compilerOptions,
        scopeId: hasScoped ? `data-v-${descriptor.id}` : undefined,
        bindingMetadata: resolvedScript ? resolvedScript.bindings : undefined,
        expressionPlugins,
        sourceMap: false,
      },
    }
  }

  const modules = []
  const warnings = []
  const strip = async (code) => {
    const fn = await tsStripper(state, root)
    if (!fn) throw new Error('lang="ts" needs the project\'s Vite (transformWithOxc / transformWithEsbuild) or esbuild to strip types')
    return fn(code, file)
  }

  // script
  let scriptCode = 'const _sfc_main = {  }'
  if (descriptor.script || descriptor.scriptSetup) {
    resolvedScript = sfc.compileScript(descriptor, {
      ...po.script,
      id: descriptor.id,
      isProd: true,
      inlineTemplate: inline,
      templateOptions: templateOptions(),
      sourceMap: false,
      genDefaultAs: canInlineMain ? '_sfc_main' : undefined,
      propsDestructure: po.features?.propsDestructure ?? po.script?.propsDestructure,
    })
    for (const w of resolvedScript.warnings ?? []) warnings.push({ message: String(w) })
    if (canInlineMain) {
      scriptCode = resolvedScript.content
    } else {
      const src = resolvedScript.src ? path.resolve(path.dirname(file), resolvedScript.src) : file
      const langFallback = (resolvedScript.src && path.extname(src).slice(1)) || 'js'
      const request = JSON.stringify(src + `?vue&type=script${resolvedScript.src ? '&src=true' : ''}${attrsToQuery(resolvedScript.attrs, langFallback)}`)
      scriptCode = `import _sfc_main from ${request}\nexport * from ${request}`
      if (!resolvedScript.src) {
        // the sub-module: Vite's core oxc/esbuild transform strips TS (it is `...&lang.ts`)
        const code = isTs(resolvedScript.lang) ? await strip(resolvedScript.content) : resolvedScript.content
        modules.push({ lang: 'js', code, virtualId: JSON.parse(request) })
      }
    }
  }

  // template not inlined
  let templateCode = ''
  const attachedProps = []
  const hasTemplateImport = descriptor.template && !inline
  if (hasTemplateImport) {
    const t = descriptor.template
    const compileT = (content, filename) => {
      const r = sfc.compileTemplate({ ...templateOptions(), filename, source: content })
      if (r.errors.length) throw typeof r.errors[0] === 'string' ? new Error(r.errors[0]) : r.errors[0]
      for (const tip of r.tips ?? []) warnings.push({ message: String(tip) })
      return r.code
    }
    if ((!t.lang || t.lang === 'html') && !t.src) {
      templateCode = compileT(t.content, file).replace(/\nexport (function|const) (render|ssrRender)/, '\n$1 _sfc_$2')
    } else {
      const src = t.src ? path.resolve(path.dirname(file), t.src) : file
      const query = `?vue&type=template${t.src ? (hasScoped ? `&src=${descriptor.id}` : '&src=true') : ''}${hasScoped ? `&scoped=${descriptor.id}` : ''}${attrsToQuery(t.attrs, 'js', true)}`
      templateCode = `import { render as _sfc_render } from ${JSON.stringify(src + query)}`
      const content = t.src ? fs.readFileSync(src, 'utf8') : t.content
      modules.push({ lang: 'js', code: compileT(content, src), virtualId: src + query })
    }
    attachedProps.push(['render', '_sfc_render'])
  }

  // styles
  let stylesCode = ''
  let cssModulesMap
  for (let i = 0; i < descriptor.styles.length; i++) {
    const style = descriptor.styles[i]
    const src = style.src ? path.resolve(path.dirname(file), style.src) : file
    const srcQuery = style.src ? (style.scoped ? `&src=${descriptor.id}` : '&src=true') : ''
    const scopedQuery = style.scoped ? `&scoped=${descriptor.id}` : ''
    const request = src + `?vue&type=style&index=${i}${srcQuery}${scopedQuery}` + attrsToQuery(style.attrs, 'css')
    const content = style.src ? fs.readFileSync(src, 'utf8') : style.content
    const styleLang = style.lang && style.lang !== 'css' ? style.lang : undefined
    const r = await sfc.compileStyleAsync({
      ...po.style,
      filename: file,
      id: `data-v-${descriptor.id}`,
      isProd: true,
      source: content,
      scoped: style.scoped,
      modules: !!style.module,
      preprocessLang: styleLang,
    })
    if (r.errors.length) {
      const e = r.errors[0]
      if (e.line) e.__loc1 = { line: e.line + style.loc.start.line - 1, column: e.column }
      throw e
    }
    if (style.module) {
      const name = typeof style.module === 'string' ? style.module : '$style'
      const moduleRequest = request.replace(/\.(\w+)$/, '.module.$1')
      stylesCode += `\nimport style${i} from ${JSON.stringify(moduleRequest)}`
      ;(cssModulesMap ||= {})[name] = `style${i}`
      modules.push({ lang: 'css', code: r.code, virtualId: moduleRequest, cssModules: r.modules ?? null })
    } else {
      stylesCode += `\nimport ${JSON.stringify(request)}`
      modules.push({ lang: 'css', code: r.code, virtualId: request })
    }
  }
  if (cssModulesMap) {
    stylesCode += `\nconst cssModules = ${Object.entries(cssModulesMap).reduce((c, [k, v]) => c + `"${k}":${v},\n`, '{\n')}}`
    attachedProps.push(['__cssModules', 'cssModules'])
  }
  // custom blocks (<i18n> ...): imported like plugin-vue does; their content is for other plugins
  let customBlocksCode = ''
  descriptor.customBlocks.forEach((block, index) => {
    const src = block.src ? path.resolve(path.dirname(file), block.src) : file
    const request = JSON.stringify(src + `?vue&type=${block.type}&index=${index}${block.src ? '&src=true' : ''}${attrsToQuery(block.attrs, block.type)}`)
    customBlocksCode += `import block${index} from ${request}\nif (typeof block${index} === 'function') block${index}(_sfc_main)\n`
  })

  const output = [scriptCode, templateCode, stylesCode, customBlocksCode]
  if (hasScoped) attachedProps.push(['__scopeId', JSON.stringify(`data-v-${descriptor.id}`)])
  if (devToolsEnabled) attachedProps.push(['__file', JSON.stringify(path.basename(file))])
  if (!attachedProps.length) output.push('export default _sfc_main')
  else
    output.push(
      "import _export_sfc from '\0plugin-vue:export-helper'",
      `export default /*#__PURE__*/_export_sfc(_sfc_main, [${attachedProps.map(([k, v]) => `['${k}',${v}]`).join(',')}])`,
    )
  let mainCode = output.join('\n')
  const mainLang = lang || /<script[^>]*\slang\s*=\s*["']?(tsx?)\b[^>]*?(?:\/>|>\s*<\/script\s*>)/.exec(source)?.[1]
  if (isTs(mainLang) && !descriptor.script?.src) mainCode = await strip(mainCode)
  modules.unshift({ lang: 'js', code: mainCode, virtualId: file })
  return { modules, warnings, id: descriptor.id, tool: `@vue/compiler-sfc ${vc.version} (via ${vc.spec})` }
}

// ---------------------------------------------------------------------------------------------- Svelte
// compile(source, { filename, generate: 'client', dev: false, css: 'external' }) with the project's svelte/compiler
// (Svelte 4: generate 'dom'; Svelte 3: css false), merged over the compilerOptions that vite-plugin-svelte resolved
// (from svelte.config.js and svelte({...}); taken from the resolved config's plugin api when the config loaded), and
// after running the configured preprocessors (svelte.config.js `preprocess`, e.g. vitePreprocess) with
// svelte.preprocess, as vite-plugin-svelte's preprocess plugin does. Like the plugin, the JS gets
// `import "<file>?svelte&type=style&lang.css"` appended when there is CSS.
async function svelteCompiler(state, root) {
  if (state.svelte !== undefined) return state.svelte
  try {
    const r = await importFromProject(root, 'svelte/compiler')
    state.svelte = r ? { mod: r.mod.compile ? r.mod : r.mod.default, version: r.mod.VERSION ?? r.version } : null
  } catch (e) {
    diag('warning', `could not load svelte/compiler from the project: ${errMessage(e)}`)
    state.svelte = null
  }
  return state.svelte
}

async function compileSvelte(file, source, ctx) {
  const { state, root } = ctx
  const sc = await svelteCompiler(state, root)
  if (!sc) throw Object.assign(new Error('the project has no svelte/compiler (install svelte)'), { noCompiler: true })
  const svelte = sc.mod
  const major = parseInt(String(sc.version), 10) || 5
  const api = (state.config?.plugins ?? []).find((p) => p?.api?.options?.compilerOptions && /svelte/.test(p.name))?.api?.options
  let code = source
  const pre = api?.preprocess ? [api.preprocess].flat().filter(Boolean) : []
  if (pre.length) {
    for (const p of pre) if (p.style && '__resolvedConfig' in p.style) p.style.__resolvedConfig = state.config
    code = (await svelte.preprocess(code, pre, { filename: file })).code
  }
  const emitCss = api?.emitCss ?? true
  const base = major >= 5 ? { dev: false, css: emitCss ? 'external' : 'injected' } : major === 4 ? { dev: false, css: emitCss ? 'external' : 'injected' } : { dev: false, css: !emitCss }
  const opts = { ...base, ...(api?.compilerOptions ?? {}), filename: file, generate: major >= 5 ? 'client' : 'dom' }
  if (major >= 5) opts.hmr = false
  const r = svelte.compile(code, opts)
  const cssId = `${file}?svelte&type=style&lang.css`
  const hasCss = !!r.css?.code?.trim()
  let js = r.js.code
  if (emitCss && hasCss) js += `\nimport ${JSON.stringify(cssId)};\n`
  const modules = [{ lang: 'js', code: js, virtualId: file }]
  if (hasCss) modules.push({ lang: 'css', code: r.css.code, virtualId: cssId })
  const warnings = (r.warnings ?? []).map((w) => {
    const o = { message: w.message, code: w.code }
    if (w.start) Object.assign(o, { line: w.start.line, column: w.start.column + 1 })
    return o
  })
  return {
    modules,
    warnings,
    tool: `svelte/compiler ${sc.version}`,
    options: { ...(pre.length ? { preprocessed: true } : {}), fromPlugin: !!api },
  }
}

// The names of the project's own plugins, for the coverage line.
function pluginNames(config) {
  return config.plugins.map((p) => p.name).filter((n) => n && !n.startsWith('vite:') && !n.startsWith('ballast-'))
}

// The project's own Vite (what the config load found, else its installed package), or null.
async function projectVite(req, state) {
  if (state.vite) return state.vite
  try {
    const vite = (await importFromProject(req.root, 'vite'))?.mod
    return vite?.build ? vite : null
  } catch {
    return null
  }
}

// One `vite build` of the project (its config and plugins, production mode, nothing written) that our `plugin`
// stops at `buildEnd`: only the plugin hooks up to the end of the module graph run, nothing is rendered.
// `rollup`: the bundler options (`rollupOptions` for Vite <= 7, `rolldownOptions` for Vite 8). A failure other
// than our stop goes into `res.error`.
async function buildUntilStopped(vite, req, rollup, plugin, res) {
  const stop = `${plugin.name}: stopped after the module graph`
  plugin.buildEnd = (err) => {
    if (!err) throw new Error(stop)
  }
  const major = parseInt(String(vite.version), 10)
  const cwd = process.cwd()
  try {
    process.chdir(req.root)
    const inline = {
      root: req.root,
      mode: req.mode,
      logLevel: 'silent',
      build: { write: false, [major >= 8 ? 'rolldownOptions' : 'rollupOptions']: rollup },
      plugins: [plugin],
    }
    if (req.configFile !== undefined) inline.configFile = req.configFile
    await vite.build(inline)
  } catch (e) {
    if (!errMessage(e).includes(stop)) res.error = errorInfo(e)
  } finally {
    process.chdir(cwd)
  }
}

// ---------------------------------------------------------------------------------------------- pipeline
// The transformed modules of some files as the project's OWN Vite plugin pipeline makes them in a production build
// (framework plugins that rewrite or split modules: TanStack Router's autoCodeSplitting `?tsr-split=component`
// modules, Vue/Svelte sub-modules, JSX, TS). It runs `vite.build` (its config file, mode production, write: false)
// with the requested files as the input and every import that is not one of those files (or a ?query sub-module of
// one) external, so only they are loaded and transformed; a post-order transform hook keeps their code and
// buildEnd aborts the build before anything is rendered. Cost: a config load plus the plugins' buildStart (for
// react-tanstack ~2 s, mostly the TanStack route generator with Babel and Prettier), then ~50-150 ms a file.
// Side effects are those of `vite build`'s start: e.g. TanStack's generator rewrites src/routeTree.gen.ts if stale.
//
// stage 'pre' (the "transform" request): the code is kept right after the project's own `enforce: 'pre'` plugins
// (TanStack's code splitter, unplugin-vue-router, ...) and before Vite's core transforms (vite:esbuild / vite:oxc:
// TS and JSX stay, Ballast parses them itself; define, CSS, assets): what the project's plugins make of a file,
// in Ballast's own terms. The build still runs to buildEnd through every plugin, so the sub-modules the rewritten
// code imports (`?tsr-split=component`) are loaded and kept too.
async function pipeline(req, state, list = req.pipeline, stage = 'post') {
  const t0 = now()
  const res = { modules: [] }
  const vite = await projectVite(req, state)
  if (!vite) {
    res.error = { message: `no Vite is installed for ${req.root}` }
    return res
  }
  const files = new Set(list.map((e) => path.resolve(req.root, typeof e === 'string' ? e : e.file)))
  const kept = new Map()
  const scan = await importScanner(state, req.root)
  let tFirst = null
  const keep = (code, id) => {
    tFirst ??= now()
    if (files.has(id.replace(/^\0/, '').split('?')[0])) kept.set(id, code)
  }
  const rollup = {
    input: [...files],
    external(id, importer) {
      if (id.startsWith('\0')) return false
      const file = id.split('?')[0]
      const abs =
        path.isAbsolute(file) && fs.existsSync(file)
          ? file
          : importer && /^\.\.?\//.test(file)
            ? path.resolve(path.dirname(importer.replace(/^\0/, '').split('?')[0]), file)
            : file
      return !files.has(abs)
    },
  }
  const plugin =
    stage === 'pre'
      ? {
          // after the config's own pre plugins (inline plugins come after the config file's), before core
          name: 'ballast-transform',
          enforce: 'pre',
          configResolved(config) {
            res.plugins = pluginNames(config)
          },
          transform: keep,
        }
      : { name: 'ballast-pipeline', enforce: 'post', transform: { order: 'post', handler: keep } }
  await buildUntilStopped(vite, req, rollup, plugin, res)
  for (const [id, code] of kept) {
    const q = id.indexOf('?')
    const m = { id, file: (q < 0 ? id : id.slice(0, q)).replace(/^\0/, ''), code }
    if (q >= 0) m.query = id.slice(q)
    Object.assign(m, (({ imports, dynamicImports }) => ({ imports: uniq(imports), dynamicImports: uniq(dynamicImports) }))(scan(code)))
    res.modules.push(m)
  }
  res.ms = { setup: tFirst ? Math.round(tFirst - t0) : null, transform: tFirst ? Math.round(now() - tFirst) : null }
  return res
}

// The "transform" request: per requested file, what the project's own (non-core) plugins make of it, grouped by
// file: `changed` when the file's own module differs from its source or the plugins gave it ?query sub-modules;
// `modules` then holds the file's module (no query) and each sub-module, with their code (TS/JSX as written).
async function transformFiles(req, state) {
  const r = await pipeline(req, state, req.transform, 'pre')
  const byFile = new Map()
  for (const e of req.transform) {
    const file = path.resolve(req.root, typeof e === 'string' ? e : e.file)
    byFile.set(file, { file, changed: false, modules: [] })
  }
  for (const m of r.modules) {
    const entry = byFile.get(m.file)
    if (!entry) continue
    entry.modules.push({ id: m.id, ...(m.query ? { query: m.query.slice(1) } : {}), code: m.code })
  }
  for (const entry of byFile.values()) {
    let source = null
    try {
      source = fs.readFileSync(entry.file, 'utf8')
    } catch {}
    const own = entry.modules.find((m) => m.query === undefined)
    entry.changed = entry.modules.some((m) => m.query !== undefined) || (own !== undefined && own.code !== source)
    if (!entry.changed) entry.modules = []
  }
  const out = { files: [...byFile.values()], plugins: r.plugins ?? [], ms: r.ms }
  if (r.error) out.error = r.error
  return out
}

// The "virtual" request: modules the project's plugins make from nothing (`virtual:*`, `\0`-prefixed ids,
// `~pages`, `uno.css`, ...), asked of the project's own plugin pipeline in ONE `vite.build` (its config file, mode
// production, write: false) whose only input is a synthetic module importing one placeholder per request; each
// placeholder is resolved with `this.resolve(id, importer)` (the plugins' resolveId, with the real importer), the
// resolved module is loaded by the plugins' `load`, and its code is kept, like the "transform" request, right after
// the project's own `enforce: 'pre'` plugins' transforms and before Vite's core ones. Every import of the virtual
// modules is external (nothing else is loaded: Ballast resolves and reads those itself), and buildEnd stops the
// build before anything is rendered.
async function virtualModules(req, state) {
  const t0 = now()
  const list = req.virtual.map((e) => (typeof e === 'string' ? { id: e } : e)).map((e) => ({
    id: e.id,
    importer: e.importer ? path.resolve(req.root, e.importer) : path.join(req.root, 'index.html'),
  }))
  const out = list.map((e) => ({ id: e.id, importer: e.importer, ok: false }))
  const res = { modules: out, plugins: [] }
  const vite = await projectVite(req, state)
  if (!vite) {
    res.error = { message: `no Vite is installed for ${req.root}` }
    for (const m of out) m.error = res.error.message
    return res
  }
  const ENTRY = '\0ballast-virtual-entry'
  const REQ = '\0ballast-virtual:'
  const wanted = new Map() // resolved id -> indices of `out`
  const asked = new Set(list.map((e) => e.id))
  let resolving = 0 // this.resolve() consults `external` too, on the id asked and on what the plugins make of it
  let tFirst = null
  const rollup = {
    input: ENTRY,
    external(id) {
      if (id === ENTRY || id.startsWith(REQ) || wanted.has(id) || asked.has(id) || resolving > 0) return false
      return true
    },
  }
  const plugin = {
    name: 'ballast-virtual',
    enforce: 'pre',
    configResolved(config) {
      res.plugins = pluginNames(config)
    },
    async resolveId(source) {
      if (source === ENTRY) return ENTRY
      if (!source.startsWith(REQ)) return null
      const i = Number(source.slice(REQ.length))
      const e = list[i]
      tFirst ??= now()
      let r = null
      resolving++
      try {
        r = await this.resolve(e.id, e.importer, { skipSelf: true })
      } catch (err) {
        out[i].error = `resolving it failed: ${errMessage(err)}`
        return { id: source, external: true }
      } finally {
        resolving--
      }
      if (!r || r.external) {
        out[i].error = r ? `the plugins resolve it as external (${r.id})` : 'no plugin of the project resolves it'
        return { id: source, external: true }
      }
      out[i].resolvedId = r.id
      if (!wanted.has(r.id)) wanted.set(r.id, [])
      wanted.get(r.id).push(i)
      return r.id
    },
    load(id) {
      if (id === ENTRY) return list.map((_, i) => `import ${JSON.stringify(REQ + i)};`).join('\n') + '\n'
      return null
    },
    transform(code, id) {
      for (const i of wanted.get(id) ?? []) {
        const file = id.replace(/^\0/, '').split('?')[0]
        out[i].ok = true
        out[i].lang = /\.(css|scss|sass|less|styl|stylus|pcss|postcss)$/.test(file) ? 'css' : 'js'
        out[i].code = code
        delete out[i].error
      }
    },
  }
  await buildUntilStopped(vite, req, rollup, plugin, res)
  for (const m of out) {
    if (!m.ok && !m.error) m.error = res.error ? `the project's plugins failed: ${res.error.message}` : 'the plugins resolved it but loaded no code'
  }
  res.ms = { setup: tFirst ? Math.round(tFirst - t0) : null, load: tFirst ? Math.round(now() - tFirst) : null }
  return res
}

// ---------------------------------------------------------------------------------------------- main
async function compileAll(req, state) {
  const t0 = now()
  const ctx = { state, root: req.root }
  const out = []
  const scan = await importScanner(state, req.root)
  for (const entry of req.compile) {
    const file = path.resolve(req.root, typeof entry === 'string' ? entry : entry.file)
    const res = { file }
    const tf = now()
    try {
      const source = fs.readFileSync(file, 'utf8')
      let r
      if (file.endsWith('.vue')) r = await compileVue(file, source, ctx)
      else if (file.endsWith('.svelte')) r = await compileSvelte(file, source, ctx)
      else throw new Error(`don't know how to compile ${path.basename(file)} (only .vue and .svelte)`)
      const own = new Set(r.modules.map((m) => m.virtualId))
      const all = []
      const dyn = []
      for (const m of r.modules) {
        if (m.lang !== 'js') continue
        const s = scan(m.code)
        m.imports = uniq(s.imports)
        m.dynamicImports = uniq(s.dynamicImports)
        all.push(...s.imports)
        dyn.push(...s.dynamicImports)
      }
      Object.assign(res, {
        ok: true,
        tool: r.tool,
        modules: r.modules,
        // the file's import specifiers, less its own sub-modules (those are in `modules`)
        imports: uniq(all.filter((s) => !own.has(s))),
        dynamicImports: uniq(dyn),
      })
      if (r.id) res.scopeId = r.id
      if (r.options) res.options = r.options
      if (r.warnings?.length) res.warnings = r.warnings
    } catch (e) {
      Object.assign(res, { ok: false, error: errorInfo(e, file) })
    }
    res.ms = Math.round((now() - tf) * 10) / 10
    out.push(res)
  }
  return { compiled: out, ms: Math.round(now() - t0) }
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = []
    process.stdin.on('data', (c) => chunks.push(c))
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    process.stdin.on('error', reject)
  })
}

function validate(req) {
  if (!req || typeof req !== 'object' || Array.isArray(req)) return 'the request must be a JSON object'
  if (typeof req.root !== 'string' || !path.isAbsolute(req.root)) return '"root" must be an absolute path'
  if (!fs.existsSync(req.root)) return `"root" does not exist: ${req.root}`
  if (req.compile !== undefined && !Array.isArray(req.compile)) return '"compile" must be an array'
  for (const c of req.compile ?? []) if (typeof c !== 'string' && (typeof c?.file !== 'string' || !c.file)) return 'each "compile" entry must be {"file": path} or a path'
  if (req.mode !== undefined && typeof req.mode !== 'string') return '"mode" must be a string'
  if (req.configFile !== undefined && req.configFile !== false && typeof req.configFile !== 'string') return '"configFile" must be a path or false'
  if (req.pipeline !== undefined && !Array.isArray(req.pipeline)) return '"pipeline" must be an array'
  for (const c of req.pipeline ?? []) if (typeof c !== 'string' && (typeof c?.file !== 'string' || !c.file)) return 'each "pipeline" entry must be {"file": path} or a path'
  if (req.chunkGroups !== undefined && !(Array.isArray(req.chunkGroups) && req.chunkGroups.every((id) => typeof id === 'string'))) return '"chunkGroups" must be an array of module ids'
  if (req.transform !== undefined && !Array.isArray(req.transform)) return '"transform" must be an array'
  for (const c of req.transform ?? []) if (typeof c !== 'string' && (typeof c?.file !== 'string' || !c.file)) return 'each "transform" entry must be {"file": path} or a path'
  if (req.virtual !== undefined && !Array.isArray(req.virtual)) return '"virtual" must be an array'
  for (const c of req.virtual ?? []) if (typeof c !== 'string' && (typeof c?.id !== 'string' || !c.id)) return 'each "virtual" entry must be {"id": id, "importer"?: path} or an id'
  return null
}

// ---------------------------------------------------------------------------------------------- chunk groups
// The user's own chunking config, asked of each module id as the bundler asks it: Rollup's `manualChunks`
// (function: called with the id and a small module-info API; object: `{ name: [specifier, ...] }`, whose specifiers
// the Rust side resolves) and Rolldown's `codeSplitting.groups` / `advancedChunks.groups` (`test` and `name` per
// id; priorities, share counts and sizes are applied by the chunk stage, which knows the graph).
async function chunkGroups(req, state) {
  const cfg = state.config
  if (!cfg) return { kind: 'none', includeDependencies: true, groups: [], assigned: [], error: 'the Vite config could not be loaded' }
  const bundlerKey = cfg.build.rolldownOptions ? 'rolldownOptions' : 'rollupOptions'
  const bo = cfg.build[bundlerKey] ?? {}
  const out0 = (Array.isArray(bo.output) ? bo.output[0] : bo.output) ?? {}
  const split = out0.codeSplitting ?? out0.advancedChunks
  const ids = req.chunkGroups
  const info = { getModuleInfo: () => null, getModuleIds: () => ids[Symbol.iterator]() }
  const assigned = []
  try {
    if (split && typeof split === 'object' && Array.isArray(split.groups)) {
      const groups = split.groups.map((g) => ({
        name: typeof g.name === 'string' ? g.name : null,
        priority: Number.isFinite(g.priority) ? g.priority : 0,
        minShareCount: Number.isFinite(g.minShareCount) ? g.minShareCount : 1,
        minSize: Number.isFinite(g.minSize) ? g.minSize : (Number.isFinite(split.minSize) ? split.minSize : 0),
        maxSize: Number.isFinite(g.maxSize) ? g.maxSize : null,
      }))
      const matches = (test, id) => {
        if (test === undefined || test === null) return true
        if (test instanceof RegExp) { test.lastIndex = 0; return test.test(id) }
        if (typeof test === 'string') return id.includes(test)
        if (typeof test === 'function') return !!test(id)
        return false
      }
      for (const id of ids) {
        split.groups.forEach((g, group) => {
          if (!matches(g.test, id)) return
          const name = typeof g.name === 'function' ? g.name(id, info) : g.name
          if (typeof name === 'string' && name) assigned.push({ id, group, name })
        })
      }
      return { kind: 'groups', includeDependencies: split.includeDependenciesRecursively !== false, groups, assigned }
    }
    const mc = out0.manualChunks
    if (typeof mc === 'function') {
      for (const id of ids) {
        const name = mc(id, info)
        if (typeof name === 'string' && name) assigned.push({ id, group: 0, name })
      }
      return { kind: 'manualChunks', includeDependencies: true, groups: [{ name: null, priority: 0, minShareCount: 1, minSize: 0, maxSize: null }], assigned }
    }
    return { kind: 'none', includeDependencies: true, groups: [], assigned }
  } catch (e) {
    return { kind: 'none', includeDependencies: true, groups: [], assigned: [], error: `the config's chunking function threw: ${errMessage(e)}` }
  }
}

async function main() {
  const t0 = now()
  let req
  try {
    req = JSON.parse(await readStdin())
  } catch (e) {
    return emit({ vite: null, compiled: [], diagnostics: [{ severity: 'error', message: `malformed request: ${errMessage(e)}` }], ms: {} }, 2)
  }
  const bad = validate(req)
  if (bad) return emit({ vite: null, compiled: [], diagnostics: [{ severity: 'error', message: `malformed request: ${bad}` }], ms: {} }, 2)
  req.root = path.resolve(req.root)
  req.mode ??= 'production'
  req.compile ??= []
  const state = {}
  const ms = {}
  let vite = null
  if (req.config !== false) {
    // the resolved config is also where the compile step takes the plugins' options from (vue({...}),
    // svelte.config.js); with "config": false files are compiled with the plugins' defaults
    const tc = now()
    vite = await loadViteConfig(req, state)
    ms.config = Math.round(now() - tc)
  }
  let compiled = []
  if (req.compile.length) {
    const r = await compileAll(req, state)
    compiled = r.compiled
    ms.compile = r.ms
  }
  let pipe
  if (req.pipeline?.length) {
    const tp = now()
    pipe = await pipeline(req, state)
    ms.pipeline = Math.round(now() - tp)
  }
  let groups
  if (req.chunkGroups?.length) {
    const tg = now()
    groups = await chunkGroups(req, state)
    ms.chunkGroups = Math.round(now() - tg)
  }
  let transformed
  if (req.transform?.length) {
    const tt = now()
    transformed = await transformFiles(req, state)
    ms.transform = Math.round(now() - tt)
  }
  let virtual
  if (req.virtual?.length) {
    const tv = now()
    virtual = await virtualModules(req, state)
    ms.virtual = Math.round(now() - tv)
  }
  ms.total = Math.round(now() - t0)
  const tools = { node: process.version }
  if (state.viteVersion) tools.vite = state.viteVersion
  if (state.vue) tools.vueCompilerSfc = state.vue.version
  if (state.svelte) tools.svelte = String(state.svelte.version)
  if (state.tsStripName !== undefined) tools.tsStrip = state.tsStripName
  if (state.scanName) tools.importScanner = state.scanName
  emit({ vite, compiled, ...(pipe ? { pipeline: pipe } : {}), ...(groups ? { chunkGroups: groups } : {}), ...(transformed ? { transformed } : {}), ...(virtual ? { virtual } : {}), diagnostics, tools, ms }, 0)
}

main().catch((e) => {
  diag('error', `project helper failed: ${e?.stack || errMessage(e)}`)
  emit({ vite: null, compiled: [], diagnostics, ms: {} }, 0)
})
