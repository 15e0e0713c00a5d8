'use strict';
// Locates the native `ballast` binary. Shared by bin/ballast.js (the CLI wrapper) and vite.mjs (the Vite plugin).
// No dependencies: this file must work in any Node >= 18 without an install step.
//
// Order:
//   1. an explicit path (the plugin's `binary` option),
//   2. the BALLAST_BINARY environment variable,
//   3. the platform package from optionalDependencies (@ballast/<platform key>), binary at <pkgdir>/bin/ballast[.exe].

const fs = require('fs');
const path = require('path');

/** Platform key -> npm package holding the binary for it. Keep in sync with package.json optionalDependencies. */
const PLATFORM_PACKAGES = {
  'linux-x64-gnu': '@ballast/linux-x64-gnu',
  'linux-arm64-gnu': '@ballast/linux-arm64-gnu',
  'linux-x64-musl': '@ballast/linux-x64-musl',
  'darwin-x64': '@ballast/darwin-x64',
  'darwin-arm64': '@ballast/darwin-arm64',
  'win32-x64-msvc': '@ballast/win32-x64-msvc',
};

class BinaryNotFoundError extends Error {
  constructor(message, details) {
    super(message);
    this.name = 'BinaryNotFoundError';
    this.code = 'BALLAST_BINARY_NOT_FOUND';
    Object.assign(this, details);
  }
}

let muslCache;

/**
 * True when the running Linux uses musl libc. Same approach as napi-rs/esbuild: a glibc Node reports
 * `glibcVersionRuntime` in its diagnostic report header; a musl Node does not. Falls back to reading ldd.
 */
function isMusl() {
  if (process.platform !== 'linux') return false;
  if (muslCache !== undefined) return muslCache;
  let result;
  try {
    if (process.report && typeof process.report.getReport === 'function') {
      // Avoid the (slow) network section of the report where Node supports skipping it.
      const previous = process.report.excludeNetwork;
      try {
        process.report.excludeNetwork = true;
      } catch (_) {}
      let report = process.report.getReport();
      try {
        process.report.excludeNetwork = previous;
      } catch (_) {}
      if (typeof report === 'string') report = JSON.parse(report);
      if (report && report.header && report.header.glibcVersionRuntime) {
        result = false;
      } else if (report && Array.isArray(report.sharedObjects) && report.sharedObjects.some((f) => /libc\.musl-|ld-musl-/.test(f))) {
        result = true;
      }
    }
  } catch (_) {
    result = undefined;
  }
  if (result === undefined) {
    try {
      result = fs.readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
    } catch (_) {
      result = false;
    }
  }
  muslCache = result;
  return result;
}

/** The platform key for this machine, e.g. "linux-x64-gnu", "darwin-arm64", "win32-x64-msvc" (or "freebsd-x64" when unsupported). */
function platformKey(platform = process.platform, arch = process.arch, musl) {
  if (platform === 'linux') {
    const libc = (musl === undefined ? isMusl() : musl) ? 'musl' : 'gnu';
    return `linux-${arch}-${libc}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

function binaryName(platform = process.platform) {
  return platform === 'win32' ? 'ballast.exe' : 'ballast';
}

/**
 * The binary inside an installed platform package, or null when that package is not installed. Resolved from this
 * package's own location first (the normal node_modules layout), then from `paths` (default: the current directory,
 * which covers a symlinked / `npm link`ed ballast package).
 */
function binaryFromPackage(pkg, { paths, platform = process.platform } = {}) {
  const attempts = [undefined, paths && paths.length ? paths : [process.cwd()]];
  for (const attempt of attempts) {
    try {
      const pkgJson = require.resolve(`${pkg}/package.json`, attempt ? { paths: attempt } : undefined);
      return path.join(path.dirname(pkgJson), 'bin', binaryName(platform));
    } catch (_) {}
  }
  return null;
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch (_) {
    return false;
  }
}

function notFoundMessage(key, pkg, extra) {
  const lines = [];
  lines.push(`ballast: could not find the native ballast binary for this platform.`);
  lines.push(`  platform detected: ${key} (process.platform=${process.platform}, process.arch=${process.arch})`);
  if (pkg) {
    lines.push(`  expected package:  ${pkg} (an optionalDependency of "ballast")`);
  } else {
    lines.push(`  expected package:  none: ${key} is not a supported platform`);
    lines.push(`  supported:         ${Object.keys(PLATFORM_PACKAGES).join(', ')}`);
  }
  if (extra) lines.push(`  ${extra}`);
  lines.push(`How to fix:`);
  if (pkg) {
    lines.push(`  - reinstall without --no-optional / --omit=optional (and without optional=false or omit=optional in .npmrc),`);
    lines.push(`    e.g. delete node_modules and the lockfile entry, then run "npm install" again, so that ${pkg} is installed;`);
  }
  lines.push(`  - or point BALLAST_BINARY at a ballast binary you built or downloaded yourself, e.g.`);
  lines.push(`      BALLAST_BINARY=/path/to/ballast npx ballast --help`);
  return lines.join('\n');
}

/**
 * Path of the native binary. Throws BinaryNotFoundError (with a message meant for the user) when none fits.
 * @param {{binary?: string, env?: object, paths?: string[], platform?: string, arch?: string, musl?: boolean}} [options]
 */
function resolveBinary(options = {}) {
  const env = options.env || process.env;
  if (options.binary) {
    const p = path.resolve(options.binary);
    if (!isFile(p)) {
      throw new BinaryNotFoundError(`ballast: the binary given by the "binary" option does not exist: ${p}`, { source: 'option', path: p });
    }
    return p;
  }
  if (env.BALLAST_BINARY) {
    const p = path.resolve(env.BALLAST_BINARY);
    if (!isFile(p)) {
      throw new BinaryNotFoundError(`ballast: BALLAST_BINARY is set but no file exists there: ${p}\nUnset BALLAST_BINARY to use the binary from the platform package, or point it at a ballast binary.`, { source: 'env', path: p });
    }
    return p;
  }
  const platform = options.platform || process.platform;
  const arch = options.arch || process.arch;
  const key = platformKey(platform, arch, options.musl);
  const pkg = PLATFORM_PACKAGES[key];
  if (!pkg) {
    throw new BinaryNotFoundError(notFoundMessage(key, null), { source: 'package', platformKey: key });
  }
  const bin = binaryFromPackage(pkg, { paths: options.paths, platform });
  if (bin === null) {
    throw new BinaryNotFoundError(notFoundMessage(key, pkg), { source: 'package', platformKey: key, package: pkg });
  }
  if (!isFile(bin)) {
    throw new BinaryNotFoundError(notFoundMessage(key, pkg, `${pkg} is installed but has no binary at ${bin}`), {
      source: 'package',
      platformKey: key,
      package: pkg,
      path: bin,
    });
  }
  return bin;
}

module.exports = {
  PLATFORM_PACKAGES,
  BinaryNotFoundError,
  isMusl,
  platformKey,
  binaryName,
  resolveBinary,
  // Alias, for readability at call sites.
  findBinary: resolveBinary,
};
