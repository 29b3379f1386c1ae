'use strict';
// Runs dist/main.cjs compiled through vm.Script with a V8 code cache (cachedData) in
// $XDG_CACHE_HOME/fluxctl (else ~/.cache/fluxctl), one file per Node version, architecture and
// bundle hash: compiling the ~0.9 MB bundle is most of a command's start-up. It only ever saves
// time: a cache that is missing, stale, corrupt or cannot be written means a normal compile,
// silently, and V8 itself refuses data made for other source or flags.
// Node >= 22.8 has its own compile cache (module.enableCompileCache), but it writes a script's
// entry as soon as the script is compiled, so it never holds the functions a run compiles
// lazily; the cache here is written after the command ran. Measured on Node 22.23 and 24.22,
// `fluxctl version -o json` was about 7 ms slower with Node's cache, so this one serves every
// Node. NODE_DISABLE_COMPILE_CACHE, Node's switch for its own, turns this one off too.
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const nodeModule = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

/** Cache files start with the SHA-1 of what follows, so a damaged file is never given to V8. */
const DIGEST = 20;
const digest = (data) => createHash('sha1').update(data).digest();

/** Undefined when there is no home to put it in: os.homedir() throws without HOME or a passwd entry. */
function cacheDir() {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'fluxctl');
  try {
    return path.join(os.homedir(), '.cache', 'fluxctl');
  } catch {
    return undefined;
  }
}

/**
 * Makes `dir` and its missing parents one level at a time; false when it cannot. Not Node's
 * recursive mkdir (mkdirSync's option, enableCompileCache's own): under /proc a missing child is
 * ENOENT while its parent exists, and that walk retries it forever.
 */
function makeDir(dir) {
  try {
    mkdirSync(dir);
    return true;
  } catch (e) {
    if (e.code === 'EEXIST') return true;
    const parent = path.dirname(dir);
    if (e.code !== 'ENOENT' || parent === dir || !makeDir(parent)) return false;
  }
  try {
    mkdirSync(dir);
    return true;
  } catch (e) {
    return e.code === 'EEXIST';
  }
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
    if (!makeDir(path.dirname(file))) return;
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
  const dir = process.env.NODE_DISABLE_COMPILE_CACHE === undefined ? cacheDir() : undefined;
  const cacheFile = dir && path.join(dir, `${process.version}-${process.arch}-${hash}.v8cache`);
  const cachedData = cacheFile && readCache(cacheFile);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, nodeModule.createRequire(file), module, file, path.dirname(file));
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return { exports: module.exports, save: () => fresh && cacheFile && writeCache(cacheFile, script) };
}

module.exports = { loadBundle };
