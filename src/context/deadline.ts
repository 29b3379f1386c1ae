import { setMaxListeners } from 'node:events';
import { InterruptedError, TimeoutError } from '../errors.js';

/**
 * The run's one signal, joining the --timeout deadline and Ctrl-C; its reason says which
 * (our TimeoutError or InterruptedError), so every wait reports the same cause.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private endsAt = 0;
  private text = '';
  readonly signal: AbortSignal = this.controller.signal;
  private readonly onInterrupt = (): void => this.controller.abort(new InterruptedError());

  constructor(private readonly interrupt: AbortSignal | undefined) {
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
    this.endsAt = Date.now() + ms;
    this.timer = setTimeout(() => this.controller.abort(new TimeoutError(`timed out after ${this.text} (--timeout)`)), ms);
  }

  /** Runs `fn` with the clock stopped: time a person spends choosing is not the cluster's. */
  async whilePaused<T>(fn: () => Promise<T>): Promise<T> {
    if (this.timer === undefined || this.signal.aborted) return fn();
    clearTimeout(this.timer);
    const left = Math.max(0, this.endsAt - Date.now());
    try {
      return await fn();
    } finally {
      this.arm(left);
    }
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.interrupt?.removeEventListener('abort', this.onInterrupt);
  }
}
