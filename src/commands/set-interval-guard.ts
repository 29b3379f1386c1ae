import type { Context, TerminalInput } from '../context.js';
import type { IntervalName } from '../backends/types.js';
import { CliError, UsageError } from '../errors.js';
import { parseGoDuration } from '../util/go-duration.js';

const SECOND = 1_000_000_000n;
const MIN_NS = SECOND;
const MAX_NS = 24n * 3600n * SECOND;

/** Why a value is out of the usual range, or undefined: under 1s hammers the git host, over 24h barely syncs. */
export function unusualInterval(value: string): string | undefined {
  const ns = parseGoDuration(value);
  if (ns < MIN_NS) return `${value} is under 1s: fluxd would poll git (and apply it) many times a second, hammering the git host and the API server`;
  if (ns > MAX_NS) return `${value} is over 24h: the cluster would drift from git for more than a day between syncs`;
  return undefined;
}

/** One line from the keyboard (cooked mode), resolved at Enter; the run's signal (--timeout, Ctrl-C) rejects. */
function readLine(input: TerminalInput, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (): void => {
      input.removeListener('data', onData);
      signal.removeEventListener('abort', onAbort);
      input.pause();
    };
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end < 0) return;
      done();
      resolve(text.slice(0, end).replace(/\r$/, ''));
    };
    const onAbort = (): void => {
      done();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort);
    input.on('data', onData);
    input.resume();
  });
}

/**
 * A value under 1s or over 24h is asked about on a terminal ([y/N]); elsewhere (scripts, CI)
 * it is refused unless --yes says it is meant. A dry run changes nothing, so it only warns.
 */
export async function confirmUnusual(ctx: Context, changes: ReadonlyMap<IntervalName, string>, opts: { yes: boolean; dryRun: boolean }): Promise<void> {
  const problems = [...new Set([...changes.values()])].map(unusualInterval).filter((p): p is string => p !== undefined);
  if (problems.length === 0 || opts.yes) return;
  if (opts.dryRun) {
    for (const p of problems) ctx.narrator().warn(p);
    return;
  }
  const input = ctx.deps.terminalInput?.();
  if (input?.isTTY !== true || !ctx.io.stderrTTY) {
    throw new UsageError(problems.join('; '), { hint: 'pass --yes if you mean it' });
  }
  const answer = await ctx.whilePaused(() => {
    ctx.io.stderr.write(`${problems.map((p) => `${ctx.io.err.yellow('⚠')} ${p}\n`).join('')}Change it anyway? [y/N] `);
    return readLine(input, ctx.signal);
  });
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('set-interval cancelled: nothing was changed');
}
