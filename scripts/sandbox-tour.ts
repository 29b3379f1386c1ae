// Runs a tour of fluxctl commands through the built binary (bin/fluxctl.js), as a user would
// type them, and counts the steps that did not end as expected. Some steps fail on purpose
// (a refused command, a check that finds a problem): they name the exit code they expect.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface TourStep {
  args: readonly string[];
  /** The exit code this step ends with on purpose (default 0), and why, shown after it. */
  expect?: { code: number; why: string };
  /** A sandbox action done before the command (a git commit, a new deploy key); returns what to say about it. */
  before?: () => Promise<string> | string;
  /** Says what the command left behind (files it wrote), after it. */
  after?: () => string;
}

export interface TourOptions {
  /** The repository root (bin/fluxctl.js lives there). */
  root: string;
  kubeconfig: string;
}

/** Runs the steps in order; returns how many ended with an exit code other than the expected one. */
export async function runTour(steps: readonly TourStep[], o: TourOptions): Promise<number> {
  let failed = 0;
  for (const step of steps) {
    if (step.before) console.log(`\n# ${await step.before()}`);
    console.log(`${step.before ? '' : '\n'}$ fluxctl ${step.args.map(quote).join(' ')}`);
    const code = await runFluxctl(step.args, o);
    const expected = step.expect?.code ?? 0;
    if (code !== expected) {
      failed++;
      console.log(`# FAILED: exit ${code}, expected ${expected}`);
    } else if (expected !== 0) {
      console.log(`# exit ${code}, as expected: ${step.expect!.why}`);
    }
    if (step.after) console.log(`# ${step.after()}`);
  }
  return failed;
}

/** Asynchronous on purpose: the emulators live in this process and must keep answering. */
function runFluxctl(args: readonly string[], o: TourOptions): Promise<number> {
  // The user's FLUX_*/FLUXCTL_* settings (a forward namespace, a Flux version) would steer the tour elsewhere.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^FLUX(CTL)?_/.test(k)));
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [path.join(o.root, 'bin/fluxctl.js'), ...args], { stdio: 'inherit', env: { ...env, KUBECONFIG: o.kubeconfig } });
    child.on('close', (c) => resolve(c ?? 1));
  });
}

/** Shell quoting for display, so a printed step can be pasted into a shell. */
export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
