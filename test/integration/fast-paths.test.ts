// bin/fluxctl.js prints help and version from dist/fast-paths.txt without loading the bundle.
// These tests hold that table to the normal path: for every command's help, in every spelling,
// and for every version spelling, the bytes, exit code and silent stderr are the same, piped
// and on a terminal, whatever the environment says.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { runCli } from '../helpers/run-cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'bin/fluxctl.js');

interface FastPaths {
  /** JSON.stringify(argv) → [byte offset, byte length] in fast-paths.txt */
  argv: Record<string, [number, number]>;
}
const table = JSON.parse(readFileSync(path.join(ROOT, 'dist/fast-paths.json'), 'utf8')) as FastPaths;
const texts = readFileSync(path.join(ROOT, 'dist/fast-paths.txt'));
const stored = (argv: readonly string[]): string | undefined => {
  const at = table.argv[JSON.stringify(argv)];
  return at === undefined ? undefined : texts.subarray(at[0], at[0] + at[1]).toString('utf8');
};

const words = commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
const shapes: string[][] = [[], ['--help'], ['-h'], ['help'], ['version'], ['--version'], ['-V'], ['help', '--help'], ['help', '-h']];
for (const w of words) shapes.push([w, '--help'], [w, '-h'], ['help', w]);

/** An environment that would change the output if help or version read it. */
const NOISY_ENV = { FLUX_FORWARD_NAMESPACE: 'elsewhere', FLUX_URL: 'http://127.0.0.1:1', FLUX_TIMEOUT: 'garbage', KUBECONFIG: '/nonexistent', FORCE_COLOR: '1', FLUXCTL_DEBUG: '1', COLUMNS: '40', CI: 'true' };

function spawnBin(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the help and version fast path', () => {
  it('stores exactly the shapes it answers: every command and alias in every help spelling, and version', () => {
    expect(Object.keys(table.argv).sort()).toEqual(shapes.map((s) => JSON.stringify(s)).sort());
  });

  it.each(shapes.map((s) => [s.join(' ') || '(no arguments)', s] as const))('%s: the stored text is the normal path’s output, piped and on a terminal', async (_, argv) => {
    const text = stored(argv);
    expect(text).toMatch(/\S/);
    const piped = await runCli(argv);
    expect(piped).toEqual(expect.objectContaining({ code: 0, stdout: text, stderr: '' }));
    const tty = await runCli(argv, { tty: { stdout: true, stderr: true }, columns: 40, env: NOISY_ENV });
    expect(tty).toEqual(expect.objectContaining({ code: 0, stdout: text, stderr: '' }));
  });

  it('the bin prints the same bytes for every shape, piped', async () => {
    const results = await Promise.all(shapes.map(async (s) => [s, await spawnBin(BIN, s)] as const));
    for (const [s, r] of results) expect({ argv: s, ...r }).toEqual({ argv: s, code: 0, stdout: stored(s), stderr: '' });
  });

  it('serves those shapes from the table alone, and says the bundle is missing for anything else', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'fluxctl-fast-'));
    mkdirSync(path.join(copy, 'bin'));
    mkdirSync(path.join(copy, 'dist'));
    for (const f of ['bin/fluxctl.js', 'bin/load-bundle.js', 'bin/package.json', 'dist/fast-paths.json', 'dist/fast-paths.txt']) copyFileSync(path.join(ROOT, f), path.join(copy, f));
    const bin = path.join(copy, 'bin/fluxctl.js');
    for (const s of [['--help'], ['version'], ['sync', '-h'], ['help', 'list-controllers']]) {
      expect(await spawnBin(bin, s)).toEqual({ code: 0, stdout: stored(s), stderr: '' });
    }
    for (const s of [['version', '--server'], ['sync', '--help', '--debug'], ['help', 'frobnicate']]) {
      const r = await spawnBin(bin, s);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('dist/main.mjs is missing');
    }
  });
});
