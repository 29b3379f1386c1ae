import { setMaxListeners } from 'node:events';
import { InterruptedError, TimeoutError } from '../errors.js';

/** Where the deadline reads the time and sets its timer: the system's clock, or a test's. */
export interface DeadlineClock {
  now(): number;
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const SYSTEM_CLOCK: DeadlineClock = {
  now: () => Date.now(),
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/**
 * The run's one signal, joining the --timeout deadline and Ctrl-C; its reason says which
 * (our TimeoutError or InterruptedError), so every wait reports the same cause.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer: unknown;
  private endsAt = 0;
  private text = '';
  readonly signal: AbortSignal = this.controller.signal;
  private readonly onInterrupt = (): void => this.controller.abort(new InterruptedError());

  constructor(
    private readonly interrupt: AbortSignal | undefined,
    private readonly clock: DeadlineClock = SYSTEM_CLOCK,
  ) {
    // Every request in flight listens on this one signal; a dozen at once (check's access reviews) is normal.
    setMaxListeners(64, this.signal);
    interrupt?.addEventListener('abort', this.onInterrupt, { once: true });
    if (interrupt?.aborted === true) this.onInterrupt();
  }

  /** Starts the clock; `text` is the --timeout value as the user would write it. */
  start(ms: number, text: string): void {
    this.text = text;
    this.arm(ms);
  }

  /** The --timeout value, for messages ("… within --timeout (1m0s)"). */
  get timeoutText(): string {
    return this.text;
  }

  private arm(ms: number): void {
    this.endsAt = this.clock.now() + ms;
    this.timer = this.clock.setTimeout(() => this.controller.abort(new TimeoutError(`timed out after ${this.text} (--timeout)`)), ms);
  }

  /** Runs `fn` with the clock stopped: time a person spends choosing is not the cluster's. */
  async whilePaused<T>(fn: () => Promise<T>): Promise<T> {
    if (this.timer === undefined || this.signal.aborted) return fn();
    this.clock.clearTimeout(this.timer);
    const left = Math.max(0, this.endsAt - this.clock.now());
    try {
      return await fn();
    } finally {
      this.arm(left);
    }
  }

  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.interrupt?.removeEventListener('abort', this.onInterrupt);
  }
}
