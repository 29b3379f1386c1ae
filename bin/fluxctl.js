#!/usr/bin/env node
'use strict';
// CommonJS on purpose (bin/package.json): Node starts a CJS entry at the cost of `node -e 0`,
// an ESM one about a fifth slower. Help and version lines are printed from dist/fast-paths.txt,
// which the build took from the real program's output; everything else runs the CommonJS bundle
// with a code cache (load-bundle.js), or the ESM bundle where that is missing.
// dist/ is built by `npm run build` (and by prepack for the published package), not on install.
const { readFileSync, writeSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const dist = path.join(__dirname, '..', 'dist');
const args = process.argv.slice(2);

/** The stored output for this exact command line, if it is one of the help or version shapes. */
function fastText() {
  if (args.length > 2) return undefined;
  try {
    // The index is small; the texts (70 KB) are read only when this command line is in it.
    const at = JSON.parse(readFileSync(path.join(dist, 'fast-paths.json'), 'latin1')).argv[JSON.stringify(args)];
    return at === undefined ? undefined : readFileSync(path.join(dist, 'fast-paths.txt')).subarray(at[0], at[0] + at[1]);
  } catch {
    return undefined;
  }
}

async function runBundle() {
  // The CommonJS bundle with its code cache; the ES module bundle where that cannot run.
  const cjs = require('./load-bundle.js').loadBundle(path.join(dist, 'main.cjs'));
  if (cjs !== undefined) {
    process.exitCode = await cjs.exports.main();
    cjs.save();
    return;
  }
  const bundle = path.join(dist, 'main.mjs');
  let main;
  try {
    ({ main } = await import(pathToFileURL(bundle).href));
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes(bundle)) throw e;
    process.stderr.write('Error: fluxctl is not built in this checkout (dist/main.mjs is missing)\nhint: run npm run build (npm run demo builds it too)\n');
    process.exit(1);
  }
  process.exitCode = await main();
}

/**
 * Straight to fd 1: process.stdout would load the stream modules, a tenth of a start-up. A
 * non-blocking descriptor that fills up (EAGAIN) hands the rest to process.stdout; a reader
 * that went away (`fluxctl --help | head -1`) ends the output quietly, as main() does.
 */
function printText(bytes) {
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (e) {
    if (e.code === 'EPIPE') return;
    if (e.code !== 'EAGAIN') throw e;
    process.stdout.on('error', (err) => {
      if (err.code !== 'EPIPE') throw err;
    });
    process.stdout.write(bytes.subarray(written));
  }
}

const text = fastText();
if (text === undefined) {
  // A failure other than a missing bundle is a crash, reported by Node as an uncaught exception.
  runBundle().catch((e) => process.nextTick(() => {
    throw e;
  }));
} else {
  printText(text);
}
