// bin/fluxctl.js runs dist/main.cjs with a V8 code cache in the user's cache directory, on every
// Node (each test spawns the Node running it). A cache may only ever save time: whatever state it
// is in, the command's output and exit code are the same, nothing is said about it, and a bad
// cache is replaced by a good one.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'fluxctl.js');
const ARGV = ['version', '-o', 'json'];
const EXPECTED = { code: 0, stdout: `{"client":"${pkg.version}"}\n`, stderr: '' };
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function spawnBin(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A cache that hangs the command shows as a failure here, not as the test's timeout.
    execFile(process.execPath, [BIN, ...ARGV], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'fluxctl-cache-'));

/** The one cache file in `dir`/fluxctl, named for this Node, its architecture and the bundle. */
function cacheFile(dir: string): string {
  const files = readdirSync(path.join(dir, 'fluxctl')).filter((f) => f.endsWith('.v8cache'));
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(new RegExp(`^${escape(process.version)}-${process.arch}-[0-9a-f]{32}\\.v8cache$`));
  return path.join(dir, 'fluxctl', files[0] ?? '');
}

/** Marks a cache file old, so a rewrite shows in its mtime. */
function age(file: string): number {
  utimesSync(file, new Date(2000, 0, 1), new Date(2000, 0, 1));
  return statSync(file).mtimeMs;
}

/** A well-formed cache for other source, with a valid checksum: what an upgrade leaves behind. */
function otherSourceCache(): Buffer {
  const data = new Script('(function () { return 42; })').createCachedData();
  return Buffer.concat([createHash('sha1').update(data).digest(), data]);
}

describe('the code cache', () => {
  it('is written on the first run and used, not rewritten, on the next', async () => {
    const xdg = tempDir();
    expect(await spawnBin({ HOME: '/nonexistent', XDG_CACHE_HOME: xdg })).toEqual(EXPECTED);
    const file = cacheFile(xdg);
    expect(statSync(file).size).toBeGreaterThan(100_000);
    const old = age(file);
    expect(await spawnBin({ HOME: '/nonexistent', XDG_CACHE_HOME: xdg })).toEqual(EXPECTED);
    expect(statSync(file).mtimeMs).toBe(old);
  });

  it('defaults to ~/.cache/fluxctl, and ignores a relative XDG_CACHE_HOME', async () => {
    const home = tempDir();
    expect(await spawnBin({ HOME: home, XDG_CACHE_HOME: 'relative/cache' })).toEqual(EXPECTED);
    expect(cacheFile(path.join(home, '.cache'))).toContain(path.join(home, '.cache', 'fluxctl'));
  });

  it.each([
    ['corrupt', (data: Buffer) => Buffer.concat([data.subarray(0, 200), Buffer.alloc(64, 0xa5), data.subarray(264)])],
    ['truncated', (data: Buffer) => data.subarray(0, data.length >> 1)],
    ['empty', () => Buffer.alloc(0)],
    ['stale (made for other source, with a valid checksum)', () => otherSourceCache()],
  ])('a %s cache file falls back to a normal compile and is replaced', async (_, damage) => {
    const xdg = tempDir();
    await spawnBin({ HOME: '/nonexistent', XDG_CACHE_HOME: xdg });
    const file = cacheFile(xdg);
    const good = readFileSync(file);
    writeFileSync(file, damage(good));
    const old = age(file);
    expect(await spawnBin({ HOME: '/nonexistent', XDG_CACHE_HOME: xdg })).toEqual(EXPECTED);
    expect(statSync(file).mtimeMs).not.toBe(old);
    expect(readFileSync(file).length).toBeGreaterThan(1000);
    expect(await spawnBin({ HOME: '/nonexistent', XDG_CACHE_HOME: xdg })).toEqual(EXPECTED);
  });

  it('a read-only, missing or dangling HOME, or a cache directory that cannot be made, changes nothing', async () => {
    const readOnly = tempDir();
    chmodSync(readOnly, 0o555);
    const notADir = path.join(tempDir(), 'file');
    writeFileSync(notADir, 'not a directory');
    const dangling = tempDir();
    symlinkSync(path.join(dangling, 'unmounted'), path.join(dangling, '.cache'));
    const envs: Record<string, string>[] = [{ HOME: readOnly }, { HOME: notADir }, { HOME: '/nonexistent' }, { HOME: dangling }, { HOME: readOnly, XDG_CACHE_HOME: notADir }];
    // procfs answers mkdir of a missing child with ENOENT though its parent is there, which sends
    // Node's recursive mkdir round forever.
    if (existsSync('/proc/self')) envs.push({ HOME: readOnly, XDG_CACHE_HOME: '/proc/fluxctl-none' });
    for (const env of envs) {
      expect({ env, ...(await spawnBin(env)) }).toEqual({ env, ...EXPECTED });
    }
    // As root the mode does not stop the write; as any other user nothing may appear.
    if (process.getuid?.() !== 0) expect(existsSync(path.join(readOnly, '.cache'))).toBe(false);
    chmodSync(readOnly, 0o755);
  });

  it('leaves no temporary files, and drops the caches of older bundles for this Node', async () => {
    const xdg = tempDir();
    mkdirSync(path.join(xdg, 'fluxctl'));
    const older = path.join(xdg, 'fluxctl', `${process.version}-${process.arch}-${'0'.repeat(32)}.v8cache`);
    const otherNode = path.join(xdg, 'fluxctl', `v0.0.0-${process.arch}-${'0'.repeat(32)}.v8cache`);
    writeFileSync(older, 'old');
    writeFileSync(otherNode, 'other');
    expect(await spawnBin({ HOME: '/nonexistent', XDG_CACHE_HOME: xdg })).toEqual(EXPECTED);
    const hash = /^\/\/fluxctl-bundle ([0-9a-f]+)\n/.exec(readFileSync(path.join(ROOT, 'dist', 'main.cjs'), 'utf8'))?.[1] ?? '';
    const current = `${process.version}-${process.arch}-${hash}.v8cache`;
    expect(readdirSync(path.join(xdg, 'fluxctl')).sort()).toEqual([path.basename(otherNode), current].sort());
  });

  // No HOME and a uid with no passwd entry: os.homedir() throws. Only root can switch to such a uid.
  it.runIf(process.getuid?.() === 0 && existsSync('/usr/bin/setpriv'))('runs with no home at all, looking for .kube/config where it runs, as kubectl does', async () => {
    const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        const argv = ['--reuid', '54321', '--regid', '54321', '--clear-groups', process.execPath, BIN, ...args];
        execFile('/usr/bin/setpriv', argv, { env: { PATH: process.env.PATH ?? '' }, cwd: tmpdir(), timeout: 20_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
        });
      });
    expect(await run(ARGV)).toEqual(EXPECTED);
    const list = await run(['list-workloads']);
    expect(list.stderr.split('\n')[0]).toBe('Error: no kubeconfig found (looked at .kube/config)');
    expect(list.code).not.toBe(0);
  });

  it("is off, neither read nor written, with Node's NODE_DISABLE_COMPILE_CACHE", async () => {
    const xdg = tempDir();
    expect(await spawnBin({ HOME: '/nonexistent', XDG_CACHE_HOME: xdg, NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual(EXPECTED);
    expect(existsSync(path.join(xdg, 'fluxctl'))).toBe(false);
    await spawnBin({ HOME: '/nonexistent', XDG_CACHE_HOME: xdg });
    writeFileSync(cacheFile(xdg), 'damaged');
    const old = age(cacheFile(xdg));
    expect(await spawnBin({ HOME: '/nonexistent', XDG_CACHE_HOME: xdg, NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual(EXPECTED);
    expect(statSync(cacheFile(xdg)).mtimeMs).toBe(old);
  });
});
