import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleState } from '@fluxctl/emulator/fluxd';
import { startTestBed, type TestBed } from '../helpers/testbed.js';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'fluxctl-pack-'));
const prefix = path.join(work, 'prefix');
// npm offline with a private cache: nothing is fetched, and the user's cache is left alone.
const NPM_ENV = { PATH: process.env.PATH ?? '', HOME: work, npm_config_cache: path.join(work, 'cache'), npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

function exec(file: string, args: string[], env: Record<string, string>, cwd = work): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

let bed: TestBed;
let tarball: string;
beforeAll(async () => {
  bed = await startTestBed({ fluxdState: sampleState() });
  // dist/ is what npm test built; packing without scripts keeps a rebuild from pulling it from under other tests.
  const packed = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], NPM_ENV, ROOT);
  expect(packed.code).toBe(0);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(work, info!.filename);
  const files = info!.files.map((f) => f.path);
  expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'bin/fluxctl.js', 'bin/load-bundle.js', 'bin/package.json', 'package.json']);
  expect(files).toContain('dist/main.mjs');
  const installed = await exec('npm', ['install', '--global', '--prefix', prefix, tarball], NPM_ENV);
  expect(installed.stderr).not.toMatch(/ERR!/);
  expect(installed.code).toBe(0);
}, 120_000);
afterAll(() => bed.close());

const bin = () => path.join(prefix, 'bin', 'fluxctl');

describe('the packed tarball, installed offline into an empty prefix', () => {
  it('declares no runtime dependencies, builds on prepack, and installs nothing but itself', () => {
    expect((pkg as { dependencies?: unknown }).dependencies).toBeUndefined();
    expect(pkg.scripts.prepack).toBe('node scripts/build.mjs');
    expect((pkg.scripts as Record<string, string>).prepare).toBeUndefined();
    const dir = path.join(prefix, 'lib', 'node_modules');
    expect(readdirSync(dir)).toEqual(['fluxctl']);
    expect(existsSync(path.join(dir, 'fluxctl', 'node_modules'))).toBe(false);
  });

  it('runs fluxctl version', async () => {
    expect(await exec(bin(), ['version'], { PATH: process.env.PATH ?? '', HOME: work })).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('runs list-workloads against the test bed through the tunnel', async () => {
    const r = await exec(bin(), ['list-workloads', '--k8s-fwd-ns', 'flux', '-a'], { PATH: process.env.PATH ?? '', HOME: work, KUBECONFIG: bed.kubeconfig });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^WORKLOAD +CONTAINER +IMAGE +RELEASE +POLICY *\n/);
    expect(r.stdout).toContain('podinfo:deployment/podinfo');
  });
});
