'use strict';
// Runs dist/main.cjs, compiled through vm.Script with a V8 code cache: Node 20 has no compile
// cache for ES modules (module.enableCompileCache arrives in 22.1), and compiling the bundle is
// most of a command's start-up. The cache lives in $XDG_CACHE_HOME/fluxctl (else
// ~/.cache/fluxctl), one file per Node version, architecture and bundle hash. It only ever
// saves time: a cache that is missing, stale, corrupt or cannot be written means a normal
// compile, silently, and V8 itself refuses data made for other source or flags.
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

/** Cache files start with the SHA-1 of what follows, so a damaged file is never given to V8. */
const DIGEST = 20;
const digest = (data) => createHash('sha1').update(data).digest();

function cacheDir() {
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'fluxctl');
}

function readCache(file) {
  try {
    const data = readFileSync(file);
    const payload = data.subarray(DIGEST);
    return payload.length > 0 && digest(payload).equals(data.subarray(0, DIGEST)) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache whole (a temporary file, then rename) and drops this Node's caches of older bundles. */
function writeCache(file, script) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const data = script.createCachedData();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, Buffer.concat([digest(data), data]));
    renameSync(tmp, file);
    const prefix = `${process.version}-${process.arch}-`;
    for (const f of readdirSync(path.dirname(file))) {
      if (f.startsWith(prefix) && f.endsWith('.v8cache') && f !== path.basename(file)) rmSync(path.join(path.dirname(file), f), { force: true });
    }
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Not even that directory exists: there is nothing to clean up.
    }
  }
}

/**
 * Compiles and evaluates the bundle, with the cached code when it is there and valid.
 * Returns its exports and save(), which writes a fresh cache when none was used (call it after
 * the command ran: the cache then holds the functions the run compiled too); or undefined when
 * the bundle is not there.
 */
function loadBundle(file) {
  let source;
  try {
    // The build makes the bundle ASCII, so latin1 reads it exactly, without UTF-8 decoding.
    source = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  const hash = /^\/\/fluxctl-bundle ([0-9a-f]+)\n/.exec(source)?.[1];
  if (hash === undefined) return undefined;
  const cacheFile = path.join(cacheDir(), `${process.version}-${process.arch}-${hash}.v8cache`);
  const cachedData = readCache(cacheFile);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return { exports: module.exports, save: () => fresh && writeCache(cacheFile, script) };
}

module.exports = { loadBundle };
