import type { Writable } from 'node:stream';
import type { Ora } from 'ora';

/**
 * What the run is waiting for before the command has anything to show: connecting to the API
 * server, finding the daemon, opening the tunnel. One spinner on stderr (terminals only), from
 * the first such step until the first byte of real output, which ends it for good; the
 * command's own progress (withProgress) takes over from there.
 */
export class Activity {
  private spinner?: Ora;
  private loading?: Promise<void>;
  private text = '';
  private ended = false;

  constructor(
    private readonly stream: Writable,
    private readonly enabled: boolean,
    /** The terminal's width: a text that wrapped would leave lines behind when redrawn. */
    private readonly columns = 80,
  ) {}

  /** Says what we are waiting for now; the first call starts the spinner. */
  set(text: string): void {
    if (!this.enabled || this.ended) return;
    // The ellipsis says "still going"; it also ends the text where a log of frames is read back.
    const room = Math.max(10, this.columns - 3);
    this.text = `${[...text].slice(0, room - 1).join('')}…`;
    if (this.spinner !== undefined) this.spinner.text = this.text;
    // ora is loaded only when a terminal shows it.
    else this.loading ??= import('ora').then(({ default: ora }) => {
      if (!this.ended) this.spinner = ora({ text: this.text, stream: this.stream, discardStdin: false, color: 'cyan', isEnabled: true }).start();
    });
  }

  /** Clears the spinner's line and keeps it off for the rest of the run. */
  end(): void {
    this.ended = true;
    this.spinner?.stop();
    this.spinner = undefined;
  }
}

/**
 * The same stream, but `before` runs ahead of every write: the run's stdout and stderr, so the
 * activity spinner is cleared before any output, whoever writes it. Everything else (isTTY,
 * columns, cursor moves that ora and the menu use) is the stream's own. ora replaces `write`
 * on the streams it draws on and puts it back after: that stays on this view, so ora's hook and
 * this one never call each other in a loop through the underlying stream.
 */
export function guardWrites<T extends Writable>(target: T, before: () => void): T {
  const guarded = (...args: Parameters<Writable['write']>): boolean => {
    before();
    return target.write(...args);
  };
  let write: unknown = guarded;
  return new Proxy(target, {
    get(t, prop) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
    set(t, prop, value: unknown) {
      if (prop === 'write') write = value;
      else Reflect.set(t, prop, value, t);
      return true;
    },
  });
}
