/** Sleeps `ms`, rejecting with the signal's reason (our TimeoutError or InterruptedError) on abort. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Makes a run's PollOptions: bounded by its signal, the delay scaled as the run says (tests poll faster). */
export type Polling = (delay: (checks: number) => number) => PollOptions;

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
