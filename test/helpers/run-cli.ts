import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { TerminalInput } from '../../src/context.js';
import type { DeadlineClock } from '../../src/context/deadline.js';
import type { run as runType } from '../../src/main.js';

export type Run = typeof runType;

// The TypeScript sources by default. FLUXCTL_TEST_BUNDLE=1 runs these tests through the built
// esbuild bundle (dist/) instead; npm test does not: test/bundle/ compares the two directly.
const entry = process.env.FLUXCTL_TEST_BUNDLE === '1' ? '../../dist/main.mjs' : '../../src/main.js';
const { run } = (await import(/* @vite-ignore */ entry)) as { run: Run };

export interface RunOptions {
  env?: Record<string, string | undefined>;
  tty?: { stdout?: boolean; stderr?: boolean };
  columns?: number;
  home?: string;
  interrupt?: AbortSignal;
  serviceAccountDir?: string;
  /** A scripted keyboard for interactive prompts (e.g. a PassThrough with isTTY and setRawMode). */
  stdin?: TerminalInput;
  /** Poll intervals relative to the product's (default POLL_SCALE; 1 for the real ones). */
  pollScale?: number;
  /** The run() to call instead of the default entry's (e.g. a bundle's). */
  main?: Run;
  /** The --timeout clock (default: the system's), e.g. a ManualClock that expires on cue. */
  clock?: DeadlineClock;
}

/**
 * The emulators change state per request, not per second, so tests poll 100 times faster
 * than the product: a 1 s rollout poll takes 10 ms. Deadlines (--timeout) are not scaled.
 */
export const POLL_SCALE = 0.01;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Runs the CLI in process with in-memory streams and an isolated environment. */
export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const home = options.home ?? mkdtempSync(path.join(tmpdir(), 'fluxctl-home-'));
  const started = performance.now();
  const code = await (options.main ?? run)(argv, {
    env: { PATH: process.env.PATH, HOME: home, ...options.env },
    stdout,
    stderr,
    stdoutTTY: options.tty?.stdout ?? false,
    stderrTTY: options.tty?.stderr ?? false,
    columns: options.columns ?? 120,
    home,
    interrupt: options.interrupt,
    serviceAccountDir: options.serviceAccountDir ?? path.join(home, 'no-service-account'),
    terminalInput: options.stdin && (() => options.stdin as TerminalInput),
    pollScale: options.pollScale ?? POLL_SCALE,
    deadlineClock: options.clock,
  });
  return { code, stdout: stdout.text, stderr: stderr.text, ms: performance.now() - started };
}

/** Strips ANSI escapes (spinners, colour) for comparisons of TTY output. */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/**
 * Drops ANSI escapes and the connection spinner's frames (`⠋ Opening a tunnel to ……`): in-memory streams have no
 * cursor control, so its frames stay in the text, each ending with its ellipsis.
 */
export function stripActivity(s: string): string {
  return stripAnsi(s).replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [^…\n]*…/g, '');
}

/** Drops ora's animation frames (TTY output in tests has no cursor control), keeping the final lines. */
export function stripSpinner(s: string): string {
  return stripActivity(stripAnsi(s)).replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [^\u2800-\u28ff\n►✔⚠✗]*/g, '');
}
