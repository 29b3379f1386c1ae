import type { Narration } from '../../backends/types.js';
import type { Context } from '../../context.js';

/** What a backend says while it waits: plain lines and warnings on stderr, transient states in the spinner. */
export function narration(ctx: Context, progress: { update(text: string): void }, quiet: boolean): Narration {
  return {
    line: (text) => ctx.io.stderr.write(`${text}\n`),
    warn: (text) => ctx.narrator(quiet).warn(text),
    progress: (text) => progress.update(text),
  };
}
