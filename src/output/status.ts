import type { IO } from './io.js';

/**
 * stderr narration. Without a TTY (CI logs, scripts) the lines are fluxctl's exact texts;
 * on a TTY the same steps use flux2's glyphs. Quiet mode (JSON output) prints only warnings.
 */
export interface Narrator {
  readonly fancy: boolean;
  /** An action or a fact: `plain` for logs, `tty` (defaults to plain) behind ►. */
  info(plain: string, tty?: string): void;
  success(plain: string, tty?: string): void;
  warn(text: string): void;
  /** Raw text to stderr, unchanged in both modes (fluxctl's multi-line notices). */
  raw(text: string): void;
}

export function createNarrator(io: IO, options: { quiet?: boolean } = {}): Narrator {
  const fancy = io.stderrTTY && !io.ci;
  const c = io.err;
  const write = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  return {
    fancy,
    info(plain, tty) {
      if (options.quiet === true) return;
      write(fancy ? `${c.cyan('►')} ${tty ?? plain}` : plain);
    },
    success(plain, tty) {
      if (options.quiet === true) return;
      write(fancy ? `${c.green('✔')} ${tty ?? plain}` : plain);
    },
    warn(text) {
      write(fancy ? `${c.yellow('⚠')} ${text}` : `Warning: ${text}`);
    },
    raw(text) {
      io.stderr.write(text);
    },
  };
}
