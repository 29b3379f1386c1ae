import type { Diagnosis } from '../../backends/types.js';
import { CliError, ExitCode, TimeoutError, type ExitCodeValue } from '../../errors.js';

export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip';

/** What one check found: a one-line message, and for a failure or warning the details and a fix. */
export type CheckOutcome = Diagnosis;

export interface CheckResult {
  name: string;
  status: CheckStatus;
  message: string;
  hint: string | undefined;
  details: string[];
  ms: number;
  exitCode: ExitCodeValue;
}

export interface Check {
  name: string;
  /** Checks whose failure makes this one pointless: it is skipped, not run. */
  needs?: string[];
  run(): Promise<CheckOutcome>;
}

/** A failed check from a thrown error: its message, hint and exit code, the first line as the message. */
export function failed(e: unknown): CheckOutcome {
  if (!(e instanceof CliError)) throw e;
  const [first = '', ...rest] = e.message.split('\n');
  const exitCode = e.exitCode === 3 || e.exitCode === 4 ? e.exitCode : 1;
  return { status: 'fail', message: first, details: rest.filter((l) => l.trim() !== ''), hint: e.hint, exitCode };
}

/**
 * Runs the checks in order. A check whose `needs` failed (or was skipped) is skipped; once the
 * --timeout deadline or Ctrl-C has fired, every later check is skipped too.
 */
export async function runChecks(checks: Iterable<Check> | AsyncIterable<Check>, signal: AbortSignal, onResult: (r: CheckResult) => void): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const broken = new Set<string>();
  for await (const check of checks) {
    const blocker = signal.aborted ? 'the run was stopped' : check.needs?.find((n) => broken.has(n));
    let result: CheckResult;
    if (blocker !== undefined) {
      broken.add(check.name);
      result = { name: check.name, status: 'skip', message: signal.aborted ? `skipped: ${reasonOf(signal)}` : `skipped: needs ${blocker}`, hint: undefined, details: [], ms: 0, exitCode: ExitCode.Ok };
    } else {
      const started = Date.now();
      let outcome: CheckOutcome;
      try {
        outcome = await check.run();
      } catch (e) {
        outcome = failed(e);
      }
      if (outcome.status === 'fail') broken.add(check.name);
      const exitCode = outcome.status === 'fail' ? (outcome.exitCode ?? ExitCode.Failure) : ExitCode.Ok;
      result = { name: check.name, status: outcome.status, message: outcome.message, hint: outcome.hint, details: outcome.details ?? [], ms: Date.now() - started, exitCode };
    }
    results.push(result);
    onResult(result);
  }
  return results;
}

function reasonOf(signal: AbortSignal): string {
  return signal.reason instanceof TimeoutError ? 'out of time (--timeout)' : 'interrupted';
}

/** 0 when everything needed holds (warnings included), else the first failure's code. */
export function exitCodeOf(results: readonly CheckResult[]): ExitCodeValue {
  return results.find((r) => r.status === 'fail')?.exitCode ?? ExitCode.Ok;
}
