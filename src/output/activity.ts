import { Writable } from 'node:stream';
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
  ) {}

  /** Says what we are waiting for now; the first call starts the spinner. */
  set(text: string): void {
    if (!this.enabled || this.ended) return;
    // The ellipsis says "still going"; it also ends the text where a log of frames is read back.
    this.text = `${text}…`;
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
 * A stream that runs `before` ahead of every write to `target`: the run's stdout and stderr,
 * so the activity spinner is cleared before any output, whoever writes it.
 */
export class GuardedStream extends Writable {
  constructor(
    private readonly target: Writable,
    private readonly before: () => void,
  ) {
    super();
  }

  override write(chunk: unknown, encoding?: BufferEncoding | ((error: Error | null | undefined) => void), cb?: (error: Error | null | undefined) => void): boolean {
    this.before();
    if (typeof encoding === 'function') return this.target.write(chunk, encoding);
    return encoding === undefined ? this.target.write(chunk, cb) : this.target.write(chunk, encoding, cb);
  }
}
