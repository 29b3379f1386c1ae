// Measuring for `npm run bench`: one run of a command (wall time, peak RSS), ours and an anchor
// alternated run by run, and the table rows written from the medians.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';

export const RUNS = Number(process.env.BENCH_RUNS ?? 15);
export const WARMUP = 3;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

export interface Sample {
  ms: number;
  rssMiB?: number;
  /** User + system CPU time of the child (from /usr/bin/time, 10 ms resolution). */
  cpuMs?: number;
}

/**
 * Runs a command with stdin, stdout and stderr on a new pseudo-terminal, as at a terminal, and
 * measures it from inside the helper that made the pty (Python's pty module: Node has none), so
 * the helper's own start is not counted. Undefined where python3 is missing.
 */
const PTY_HELPER = `
import os, pty, sys, time, resource
master, slave = pty.openpty()
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.setsid()
    for fd in (0, 1, 2): os.dup2(slave, fd)
    os.execvp(sys.argv[1], sys.argv[1:])
os.close(slave)
while True:
    try:
        if not os.read(master, 65536): break
    except OSError:
        break
_, status, usage = os.wait4(pid, 0)
ms = (time.perf_counter() - start) * 1000
print(os.waitstatus_to_exitcode(status), ms, usage.ru_maxrss, (usage.ru_utime + usage.ru_stime) * 1000)
`;
export const PYTHON = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));

export function measurePty(cmd: string, args: string[], env: Record<string, string>): Promise<Sample> {
  if (PYTHON === undefined) return Promise.reject(new Error('bench: python3 is needed for the terminal rows'));
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', PTY_HELPER, cmd, ...args], { env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? os.tmpdir(), TERM: 'xterm-256color', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', () => {
      const [code, ms, kb, cpu] = out.trim().split(' ').map(Number);
      if (code !== 0 || ms === undefined) return reject(new Error(`${cmd} ${args.join(' ')} on a pty: ${out}`));
      resolve({ ms, rssMiB: (kb ?? 0) / 1024, cpuMs: cpu });
    });
  });
}

/** Runs a command (asynchronously: the emulators live in this process) and measures it. */
export function measure(cmd: string, args: string[], env: Record<string, string>): Promise<Sample> {
  const argv = TIME ? [TIME, '-f', '%M %U %S', cmd, ...args] : [cmd, ...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0] ?? cmd, argv.slice(1), { env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? os.tmpdir(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-400)}`));
      const [kb, user, sys] = (stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
      const cpu = (user ?? NaN) + (sys ?? NaN);
      resolve({ ms, rssMiB: Number.isFinite(kb) ? (kb ?? 0) / 1024 : undefined, cpuMs: Number.isFinite(cpu) ? cpu * 1000 : undefined });
    });
  });
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
export const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

export interface Pair {
  ours: Sample[];
  anchor: Sample[];
}

/** Alternates ours and the anchor run by run, after a warm-up of both. */
export interface PairOptions {
  warmup?: number;
  /** Measured runs of each side (RUNS unless given): the start-up rows, a few ms apart, take more. */
  runs?: number;
  /** How one run is measured: piped (measure) or on a pty (measurePty). */
  run?: typeof measure;
}

export async function sideBySide(ours: [string, string[]], anchor: [string, string[]], env: Record<string, string>, options: PairOptions = {}): Promise<Pair> {
  const { warmup = WARMUP, runs = RUNS, run = measure } = options;
  for (let i = 0; i < warmup; i++) {
    await run(...ours, env);
    await run(...anchor, env);
  }
  const out: Pair = { ours: [], anchor: [] };
  for (let i = 0; i < runs; i++) {
    out.ours.push(await run(...ours, env));
    out.anchor.push(await run(...anchor, env));
  }
  return out;
}

export interface RowOptions {
  /** Also a peak RSS row, against this target (MiB); null reports it with no target. */
  rssTargetMiB?: number | null;
  /** Also a CPU time (user + system) row, against this ratio to the anchor's CPU. */
  cpuTarget?: number;
}

/**
 * The table rows of one side-by-side: wall-time medians and their ratio (and CPU time and peak
 * RSS when asked); a null target reports the ratio with no target.
 */
export function ratioRows(name: string, pair: Pair, anchorName: string, target: number | null, options: RowOptions = {}): string[] {
  const o = median(pair.ours.map((s) => s.ms));
  const a = median(pair.anchor.map((s) => s.ms));
  const ratio = o / a;
  const verdict = target === null ? 'none set | —' : `≤ ${target}× | ${ratio <= target ? 'met' : 'not met'}`;
  const rows = [`| ${name} | ${o.toFixed(0)} ms | ${anchorName}: ${a.toFixed(0)} ms | ${ratio.toFixed(2)}× | ${verdict} |`];
  if (options.cpuTarget !== undefined) {
    const oc = median(pair.ours.map((s) => s.cpuMs ?? 0));
    const ac = median(pair.anchor.map((s) => s.cpuMs ?? 0));
    const r = oc / ac;
    rows.push(`| ${name}: CPU (user + system) | ${oc.toFixed(0)} ms | ${anchorName}: ${ac.toFixed(0)} ms | ${r.toFixed(2)}× | ≤ ${options.cpuTarget}× | ${r <= options.cpuTarget ? 'met' : 'not met'} |`);
  }
  const rssTarget = options.rssTargetMiB;
  if (rssTarget !== undefined) {
    const rss = median(pair.ours.map((s) => s.rssMiB ?? 0));
    const anchorRss = median(pair.anchor.map((s) => s.rssMiB ?? 0));
    const verdict = rssTarget === null ? ['none set', '—'] : [`≤ ${rssTarget} MiB`, rss <= rssTarget ? 'met' : 'not met'];
    rows.push(`| ${name}: peak RSS | ${rss.toFixed(0)} MiB | ${anchorName}: ${anchorRss.toFixed(0)} MiB | | ${verdict.join(' | ')} |`);
  }
  console.log(rows.join('\n'));
  return rows;
}
