// Shared plumbing of the fault-injection suite: a bed whose credentials are distinctive
// secrets, one `scenario()` that checks every promise a failure makes (one message with a
// hint, the exit code, on time, nothing on stdout, no stack, no secret, no handle left), and
// a runner for the built binary where only a real process proves it ends by itself.
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { testPem } from '@fluxctl/emulator/kube';
import type { RunResult } from '../helpers/run-cli.js';
import { startTestBed, type TestBed, type TestBedOptions } from '../helpers/testbed.js';
import { builtBin } from './binary.js';
import type { Observation } from './report.js';

export { builtBin } from './binary.js';

const pemBody = (pem: string): string => pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----')).join('');

/** Distinctive credentials: no output of any scenario may contain them. */
export const SECRETS = {
  kubeToken: 'kube-token-Zq7vK2pX9wLr4',
  staleToken: 'stale-token-Pq2wE5rT8yUi3',
  execToken: 'exec-token-Hn3mB8tY1cVs6',
  daemonToken: 'daemon-token-Jd5fG0aQ7eUx2',
  urlPassword: 'url-pass-Wk4rT9yN2bMz8',
  clientKey: pemBody(testPem('client-key.pem')).slice(0, 48),
  clientKeyData: Buffer.from(testPem('client-key.pem')).toString('base64').slice(0, 48),
};
const SECRET_VALUES = Object.values(SECRETS);

export const fwd = ['--k8s-fwd-ns', 'flux'];

export function startBed(options: TestBedOptions = {}): Promise<TestBed> {
  return startTestBed({ kubeUsers: { [SECRETS.kubeToken]: 'jane' }, ...options });
}

/** Writes an executable shell script into the bed's home. */
export function script(bed: TestBed, name: string, body: string): string {
  const file = path.join(bed.home, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Handle counts by type, leaving out the ones the test runner itself owns. */
function handleCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const h of process.getActiveResourcesInfo()) if (h !== 'TTYWrap' && h !== 'FSReqCallback') counts.set(h, (counts.get(h) ?? 0) + 1);
  return counts;
}

/** Waits (≤ 1 s) until no handle type has more live handles than before the run. */
export async function expectNoLeak(before: Map<string, number>): Promise<void> {
  const excess = (): string[] => [...handleCounts()].filter(([t, n]) => n > (before.get(t) ?? 0)).map(([t, n]) => `${t} ×${n - (before.get(t) ?? 0)}`);
  for (let i = 0; i < 50 && excess().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(excess(), 'handles left open after the run').toEqual([]);
}

/**
 * How long after its --timeout a run may end. The deadline fires on time; what follows is
 * unwinding (tunnels closed, a child process exiting), which a loaded 2-core machine running
 * several test files at once can slow tenfold. A run that ignored its deadline would instead
 * hang until the suite's ceiling, so a generous margin still tells the two apart.
 */
export const TIMEOUT_MARGIN_MS = 3000;

export interface Expect {
  code: number;
  /** The error line of stderr (see errorLine; a string is matched exactly). */
  message: RegExp | string;
  /** The run's --timeout in ms: it must end within this + TIMEOUT_MARGIN_MS (default: 10 s, the suite's ceiling). */
  timeoutMs?: number;
  /** A `hint:` line is required for `Error:` messages unless false. */
  hint?: boolean;
  stdout?: string | RegExp;
  /** Extra secrets of this scenario. */
  secrets?: string[];
  /** --verbose runs may print a cause's stack. */
  verbose?: boolean;
}

/** The line that says what failed: `Error: …`, or fluxctl's banner with the first help line, else the first line. */
export function errorLine(stderr: string): string {
  const lines = stderr.split('\n');
  const banner = lines.indexOf('== Error ==');
  if (banner >= 0) return `== Error == ${lines.slice(banner + 1).find((l) => l.trim() !== '') ?? ''}`;
  return lines.find((l) => l.startsWith('Error:')) ?? lines[0] ?? '';
}

/** Asserts what every failure promises (see the report header) and records the observation. */
export function checkResult(r: RunResult, exp: Expect): void {
  const first = errorLine(r.stderr);
  expect(r.code, r.stderr).toBe(exp.code);
  if (typeof exp.message === 'string') expect(first).toBe(exp.message);
  else expect(first).toMatch(exp.message);
  if (exp.stdout instanceof RegExp) expect(r.stdout).toMatch(exp.stdout);
  else expect(r.stdout).toBe(exp.stdout ?? '');
  if (exp.code !== 0) {
    // fluxctl's help texts may quote "Error: …" under the banner; the banner is then the one message.
    const headers = r.stderr.includes('== Error ==') ? /^== Error ==$/gm : /^Error:/gm;
    // Under --verbose the cause's stack follows, and it starts with "Error: …" too.
    if (exp.verbose !== true) expect(r.stderr.match(headers), 'exactly one error message').toHaveLength(1);
    if (first.startsWith('Error:') && exp.hint !== false) expect(r.stderr).toMatch(/^hint: \S/m);
  }
  if (exp.verbose !== true) expect(r.stderr, 'no stack trace without --verbose').not.toMatch(/^\s+at .+(:\d+:\d+\)?|\(node:.*\))$/m);
  for (const s of [...SECRET_VALUES, ...(exp.secrets ?? [])]) expect(`${r.stdout}${r.stderr}`).not.toContain(s);
  expect(`${r.stdout}${r.stderr}`, 'no auth header').not.toMatch(/Bearer |Scope-Probe|Authorization:/i);
  expect(r.ms, 'ended within --timeout and its margin').toBeLessThan((exp.timeoutMs ?? 10_000) + TIMEOUT_MARGIN_MS);
  // A timeout before --timeout would be a hidden deadline of our own.
  if (exp.code === 4 && exp.timeoutMs !== undefined) expect(r.ms, 'timed out no earlier than --timeout').toBeGreaterThanOrEqual(exp.timeoutMs);
}

export interface Recorder {
  record(o: Observation): void;
}

/** Runs one scenario in process: checks the result, that nothing stays open, and records it. */
export async function scenario(col: Recorder, name: string, exec: () => Promise<RunResult>, exp: Expect): Promise<RunResult> {
  const before = handleCounts();
  const r = await exec();
  col.record({ scenario: name, code: r.code, ms: r.ms, message: errorLine(r.stderr) });
  checkResult(r, exp);
  await expectNoLeak(before);
  return r;
}

export interface BinOptions {
  env?: Record<string, string | undefined>;
  /** Called with the child once it runs (to send signals, read stdout early). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
  /** Argv prefix that wraps the binary (e.g. a pty helper). */
  wrap?: string[];
}

/** The built binary (see builtBin), ending by itself or failing at 15 s. */
export function runBin(argv: readonly string[], o: BinOptions = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const cmd = [...(o.wrap ?? []), process.execPath, builtBin(), ...argv];
    const child = spawn(cmd[0] ?? '', cmd.slice(1), { env: { PATH: process.env.PATH ?? '', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const kill = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the binary did not end by itself within 15 s: ${stderr}`));
    }, 15_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started });
    });
    o.onSpawn?.(child);
  });
}
