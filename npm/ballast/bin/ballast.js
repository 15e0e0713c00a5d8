#!/usr/bin/env node
'use strict';
// Thin launcher: finds the native ballast binary (BALLAST_BINARY, else the @ballast/<platform> package) and runs it
// with the user's arguments, forwarding stdio, the exit code and a terminating signal.

const { spawnSync } = require('child_process');
const { resolveBinary, BinaryNotFoundError } = require('../lib/binary.js');

function main() {
  let binary;
  try {
    binary = resolveBinary();
  } catch (err) {
    if (err instanceof BinaryNotFoundError) {
      process.stderr.write(err.message + '\n');
      return 2;
    }
    throw err;
  }

  // Ctrl-C reaches the whole foreground process group: let the child handle it and report how it ended,
  // instead of this wrapper dying first and leaving the terminal to a still-running child.
  const ignore = () => {};
  process.on('SIGINT', ignore);

  // The native binary runs the project helper (Vite config, .vue/.svelte compiles) that ships in this package.
  const env = { ...process.env };
  if (!env.BALLAST_HELPER) env.BALLAST_HELPER = require('path').join(__dirname, '..', 'lib', 'project-helper.mjs');
  const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit', windowsHide: false, env });

  process.removeListener('SIGINT', ignore);

  if (result.error) {
    const code = result.error.code;
    let hint = '';
    if (code === 'EACCES') hint = ` (is it executable? try: chmod +x "${binary}")`;
    else if (code === 'ENOENT') hint = ' (the file or its interpreter/loader is missing; is it built for this platform?)';
    process.stderr.write(`ballast: failed to run ${binary}: ${result.error.message}${hint}\n`);
    return 2;
  }
  if (result.signal) {
    // Re-raise the signal so our parent sees the same cause of death.
    try {
      process.kill(process.pid, result.signal);
    } catch (_) {}
    // If the signal is ignored or handled (or on Windows), fall back to the shell convention 128 + n.
    const n = require('os').constants.signals[result.signal];
    return 128 + (typeof n === 'number' ? n : 1);
  }
  return typeof result.status === 'number' ? result.status : 1;
}

const code = main();
// Give a re-raised signal the chance to be delivered before exiting with the fallback code.
if (code > 128) setTimeout(() => process.exit(code), 50);
else process.exit(code);
