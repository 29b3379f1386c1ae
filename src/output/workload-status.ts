import type { ChalkInstance } from 'chalk';

/** Settled and healthy: fluxd's `ready`, and Helm's `deployed` (a HelmRelease's status is its release's). */
const GOOD = new Set(['ready', 'deployed']);
/** fluxd's `error` and Helm's `failed`; anything else is on its way (`updating`, `pending-upgrade`…). */
const BAD = new Set(['error', 'failed']);

/** A workload status coloured the same way in every table: green, red, or yellow for in progress. */
export function paintStatus(c: ChalkInstance, status: string): string {
  if (GOOD.has(status)) return c.green(status);
  if (BAD.has(status)) return c.red(status);
  return c.yellow(status);
}
