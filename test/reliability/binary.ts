// The built binary for the scenarios that need a real process (signals, pipes, ending by
// itself). It is bin/fluxctl.js over a bundle of the current sources made by scripts/build.mjs,
// kept in a private cache so that a concurrent `npm run build` replacing dist/ cannot pull it
// away mid-run. The cache is refreshed when src/ is newer; dist/ is copied when it is current.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Inside node_modules, so the bundle's createRequire still resolves packages.
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'fluxctl-reliability');
const LOCK = `${CACHE}.lock`;

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

function locked<T>(fn: () => T): T {
  const started = Date.now();
  // A clean checkout has no node_modules/.cache yet: without it, every mkdir of the lock fails.
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK, { recursive: false });
      break;
    } catch {
      if (Date.now() - started > 60_000) rmSync(LOCK, { recursive: true, force: true }); // left by a killed run
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    return fn();
  } finally {
    rmdirSync(LOCK);
  }
}

function fill(dist: string, stamp: number): void {
  const ready = path.join(ROOT, 'dist', 'main.mjs');
  if (existsSync(ready) && statSync(ready).mtimeMs >= stamp) {
    try {
      cpSync(path.join(ROOT, 'dist'), dist, { recursive: true });
      return;
    } catch {
      rmSync(dist, { recursive: true, force: true }); // dist/ changed under us: build instead
    }
  }
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, env: { ...process.env, FLUXCTL_BUILD_OUTDIR: dist }, stdio: 'pipe' });
}

/** The bundle's entry module next to builtBin(), for tests that import it in process. */
export function builtBundle(): string {
  return path.join(path.dirname(path.dirname(builtBin())), 'dist', 'main.mjs');
}

let memo: string | undefined;
/** The path of the cached bin/fluxctl.js, built or refreshed first when needed. */
export function builtBin(): string {
  memo ??= locked(() => {
    const stamp = Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'scripts', 'build.mjs')), newestMtime(path.join(ROOT, 'bin')));
    const stampFile = path.join(CACHE, 'stamp');
    const bin = path.join(CACHE, 'bin', 'fluxctl.js');
    if (existsSync(bin) && existsSync(stampFile) && Number(readFileSync(stampFile, 'utf8')) === stamp) return bin;
    const next = `${CACHE}.next`;
    rmSync(next, { recursive: true, force: true });
    fill(path.join(next, 'dist'), stamp);
    mkdirSync(path.join(next, 'bin'), { recursive: true });
    // bin/package.json too (it makes bin/ CommonJS inside an ESM package), and the bundle loader.
    for (const f of ['fluxctl.js', 'load-bundle.js', 'package.json']) writeFileSync(path.join(next, 'bin', f), readFileSync(path.join(ROOT, 'bin', f)));
    writeFileSync(path.join(next, 'stamp'), String(stamp));
    rmSync(CACHE, { recursive: true, force: true });
    renameSync(next, CACHE);
    return bin;
  });
  return memo;
}
