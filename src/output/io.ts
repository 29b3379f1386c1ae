import { Chalk, type ChalkInstance } from 'chalk';
import type { Readable, Writable } from 'node:stream';

/** Streams plus the per-stream decisions (TTY, colour, width) made once per run. */
export interface IO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable | undefined;
  stdoutTTY: boolean;
  stderrTTY: boolean;
  columns: number;
  /** stderr's width; 0 when unknown (a pty without a size), where a spinner cannot redraw. */
  stderrColumns: number;
  /** CI is set: no spinners, plain narration. */
  ci: boolean;
  out: ChalkInstance;
  err: ChalkInstance;
}

export interface IOInit {
  stdout: Writable;
  stderr: Writable;
  stdin?: Readable;
  stdoutTTY: boolean;
  stderrTTY: boolean;
  columns?: number;
  stderrColumns?: number;
  env: Readonly<Record<string, string | undefined>>;
  noColor?: boolean;
}

/** Colour: off for --no-color or a non-empty NO_COLOR; forced by FORCE_COLOR≠0; else TTY and TERM≠dumb. */
export function colorEnabled(init: Pick<IOInit, 'env' | 'noColor'>, tty: boolean): boolean {
  if (init.noColor === true || (init.env.NO_COLOR ?? '') !== '') return false;
  const force = init.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return tty && init.env.TERM !== 'dumb';
}

export function createIO(init: IOInit): IO {
  const ci = (init.env.CI ?? '') !== '' && init.env.CI !== 'false';
  return {
    stdout: init.stdout,
    stderr: init.stderr,
    stdin: init.stdin,
    stdoutTTY: init.stdoutTTY,
    stderrTTY: init.stderrTTY,
    columns: init.columns !== undefined && init.columns > 0 ? init.columns : 80,
    stderrColumns: init.stderrColumns ?? init.columns ?? 0,
    ci,
    out: new Chalk({ level: colorEnabled(init, init.stdoutTTY) ? 1 : 0 }),
    err: new Chalk({ level: colorEnabled(init, init.stderrTTY) ? 1 : 0 }),
  };
}
