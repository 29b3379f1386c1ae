import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { run as sourceRun } from '../../src/main.js';
import { builtBundle } from '../reliability/binary.js';
import type { Run } from './run-cli.js';

/* The bundle tests' comparison: one command line through the sources, then through dist/. */

/** What the sources must do, so that two equal failures cannot pass for a match. */
export interface Expected {
  code: number;
  stdout?: RegExp;
}

/** One run made comparable: what it printed, plus whatever requests the caller records. */
export interface Observed {
  code: number;
  stdout: string;
  stderr: string;
}

/** run() of the bundle built from the current sources (dist/main.mjs). */
export async function importBundleRun(): Promise<Run> {
  return ((await import(pathToFileURL(builtBundle()).href)) as { run: Run }).run;
}

/** Observes `c` through the sources and checks it does what it expects; then the bundle must observe exactly the same. */
export async function expectSameProgram<C extends Expected>(c: C, observe: (c: C, main: Run) => Promise<Observed>, bundleRun: Run): Promise<void> {
  const source = await observe(c, sourceRun);
  expect(source.code, source.stderr).toBe(c.code);
  if (c.stdout !== undefined) expect(source.stdout).toMatch(c.stdout);
  const bundle = await observe(c, bundleRun);
  expect(bundle).toEqual(source);
}
