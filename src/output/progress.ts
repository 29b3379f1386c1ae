import type { IO } from './io.js';

export interface Progress {
  /** Replace the spinner text (TTY) or print the line once (plain mode, deduplicated). */
  update(text: string): void;
}

/** A spinner needs a terminal it can redraw: a TTY of known width, outside CI. */
export function spinnerShown(io: IO): boolean {
  return io.stderrTTY && !io.ci && io.stderrColumns > 0;
}

/**
 * Runs `fn` with a spinner on stderr when stderr is a TTY, CI is unset and output is not JSON;
 * otherwise prints `plain` once (fluxctl's narration) and lets `fn` report plain lines.
 * The spinner always stops, whatever `fn` does. ora is loaded only when a spinner is shown.
 */
export async function withProgress<T>(
  io: IO,
  text: { plain?: string; tty: string },
  options: { quiet?: boolean; printUpdates?: boolean },
  fn: (progress: Progress) => Promise<T>,
): Promise<T> {
  const spin = spinnerShown(io) && options.quiet !== true;
  if (!spin) {
    let last = text.plain;
    if (text.plain !== undefined && options.quiet !== true) io.stderr.write(`${text.plain}\n`);
    return fn({
      update(line) {
        if (options.printUpdates !== true || options.quiet === true || line === last) return;
        last = line;
        io.stderr.write(`${line}\n`);
      },
    });
  }
  const { default: ora } = await import('ora');
  const spinner = ora({ text: text.tty, stream: io.stderr, discardStdin: false, color: 'cyan', isEnabled: true }).start();
  try {
    return await fn({
      update(line) {
        if (line === spinner.text) return;
        spinner.text = line;
        // Drawn now, not on the next frame: a quick poll could otherwise replace it unseen.
        spinner.render();
      },
    });
  } finally {
    spinner.stop();
  }
}
