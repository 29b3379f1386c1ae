// Poll intervals per run, keyed by the run's signal, which every wait is given anyway: a test
// harness makes a run poll faster without each wait taking one more parameter. A run that
// sets nothing (the product) waits the intervals as written.
const paces = new WeakMap<AbortSignal, number>();

/** Multiplies every interval slept with `signal` by `scale` (tests pass a small one). */
export function setPollScale(signal: AbortSignal, scale: number): void {
  paces.set(signal, scale);
}

/**
 * Sleeps `ms` (scaled by the signal's setPollScale, if any), rejecting with the signal's reason
 * (our TimeoutError or InterruptedError) on abort.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  const delay = ms * (paces.get(signal) ?? 1);
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, delay);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollOptions {
  /** Delay before the next check, given how many checks have run (1, 2, …). */
  delay: (checks: number) => number;
  signal: AbortSignal;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Calls `check` until it returns a value other than `undefined`. The only deadline is the
 * signal (the global --timeout joined with Ctrl-C); errors from `check` end the wait at once.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const pause = options.sleep ?? sleep;
  for (let checks = 1; ; checks++) {
    if (options.signal.aborted) throw options.signal.reason;
    const result = await check();
    if (result !== undefined) return result;
    await pause(options.delay(checks), options.signal);
  }
}

/** Capped exponential backoff: initial, initial×2, … up to max. */
export function backoff(initialMs: number, maxMs: number): (checks: number) => number {
  return (checks) => Math.min(maxMs, initialMs * 2 ** Math.min(checks - 1, 30));
}
