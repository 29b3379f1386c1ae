import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, workload } from '@fluxctl/emulator/fluxd';
import type { TestBed } from '../helpers/testbed.js';
import { stripAnsi } from '../helpers/run-cli.js';
import { builtBin, checkResult, fwd, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('signals');
const PTY = fileURLToPath(new URL('./pty-ctrl-c.py', import.meta.url));
let bed: TestBed;
let BIN: string;
beforeAll(async () => {
  BIN = builtBin();
  bed = await startBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  const commits = [commit('change'), commit('base')];
  bed.fluxd.state = emptyState({ git: gitState({ commits, syncMarker: commits[1]?.sha ?? null }), sync: { jobPolls: 1, applyPolls: 1, never: true } });
});

async function tunnelsClosed(): Promise<number> {
  for (let i = 0; i < 50 && bed.kube.openTunnels > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return bed.kube.openTunnels;
}

function ctrlC(marker: string, argv: string[]): Promise<{ code: number; output: string; afterCtrlC: number | null; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '', HOME: bed.home, KUBECONFIG: bed.kubeconfig, TERM: 'xterm' };
    execFile('python3', [PTY, marker, process.execPath, BIN, ...argv], { env, timeout: 15_000 }, (err, stdout) => {
      if (err) return reject(err);
      const r = JSON.parse(stdout) as { code: number; output: string; afterCtrlC: number | null };
      resolve({ ...r, output: Buffer.from(r.output, 'base64').toString('utf8'), ms: performance.now() - started });
    });
  });
}

describe('signals and pipes (the built binary)', () => {
  it('Ctrl-C on a terminal during sync: 130, spinner cleared, cursor back, tunnel closed', async () => {
    const r = await ctrlC('to be applied', ['sync', ...fwd]);
    const errorAt = r.output.search(/(\u001b\[\d+m)?Error:(\u001b\[\d+m)? interrupted/);
    const after = stripAnsi(r.output.slice(errorAt));
    col.record({ scenario: 'Ctrl-C during sync on a terminal (pty, real SIGINT; time from Ctrl-C to exit)', code: r.code, ms: r.afterCtrlC ?? undefined, message: 'Error: interrupted' });
    expect(r.code).toBe(130);
    expect(r.afterCtrlC).not.toBeNull();
    expect(r.afterCtrlC ?? Infinity).toBeLessThan(1000);
    expect(errorAt).toBeGreaterThan(0);
    // ora hid the cursor while spinning; it must be shown again before the error, and no frame after it.
    const beforeError = r.output.slice(0, errorAt);
    expect(beforeError.lastIndexOf('\u001b[?25h')).toBeGreaterThan(beforeError.lastIndexOf('\u001b[?25l'));
    expect(after).toBe('Error: interrupted\r\n');
    const lastFrame = Math.max(...[...'⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'].map((f) => beforeError.lastIndexOf(f)));
    expect(beforeError.slice(lastFrame), 'the spinner line is erased').toMatch(/\u001b\[(0|2)?K/);
    expect(r.output).not.toMatch(/^\s+at /m);
    expect(await tunnelsClosed()).toBe(0);
  });

  it('SIGINT without a terminal (CI): 130 and fluxctl\'s plain narration', async () => {
    const started = performance.now();
    const r = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'sync', ...fwd], { env: { PATH: process.env.PATH ?? '', HOME: bed.home, KUBECONFIG: bed.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('to be applied')) child.kill('SIGINT');
      });
      child.on('close', (code) => resolve({ code, stderr, stdout }));
    });
    const result = { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
    col.record({ scenario: 'SIGINT during sync, stderr piped (time of the whole run)', code: result.code, ms: result.ms, message: 'Error: interrupted' });
    checkResult(result, { code: 130, hint: false, message: 'Error: interrupted' });
    expect(r.stderr).toMatch(/Waiting for [0-9a-f]{7} to be applied \.\.\.\nError: interrupted\n$/);
    expect(await tunnelsClosed()).toBe(0);
  });

  it('`fluxctl list-workloads -a | head -1` ends quietly', async () => {
    bed.fluxd.state.workloads = Array.from({ length: 3000 }, (_, i) => workload({ id: `default:deployment/app-${String(i).padStart(4, '0')}`, containers: [`app=quay.io/acme/app-${i}:v1.0.${i}`] }));
    const started = performance.now();
    const r = await new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
      const cmd = `"${process.execPath}" "${BIN}" list-workloads -a ${fwd.join(' ')} | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`;
      execFile('bash', ['-c', cmd], { env: { PATH: process.env.PATH ?? '', HOME: bed.home, KUBECONFIG: bed.kubeconfig } }, (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? 1 : 0 }));
    });
    const code = Number(/exit=(\d+)/.exec(r.stderr)?.[1] ?? -1);
    const stderr = r.stderr.replace(/exit=\d+\n/, '');
    col.record({ scenario: 'list-workloads -a | head -1 (3000 rows, EPIPE)', code, ms: performance.now() - started, message: stderr.split('\n')[0] ?? '' });
    expect(r.stdout).toMatch(/^WORKLOAD +CONTAINER +IMAGE +RELEASE +POLICY\n$/);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});
