import { CliError } from '../../errors.js';
import { formatGoDuration, parseGoDuration } from '../../util/go-duration.js';
import type { IntervalName } from '../types.js';
import { toFluxDuration } from './duration.js';
import { describeObject, sameDuration, type IntervalObject } from './intervals-objects.js';

/** One object to patch and the spec.interval to write there. */
export interface PlannedPatch {
  object: IntervalObject;
  interval: string;
}

/**
 * Which objects a change touches. Each value is checked against the CRD's pattern (older CRDs
 * have none, so the API server would take `1d` and the controller would fail on it) and written
 * as the user spelled it, so the table, `-o json` and the cluster agree. Objects that already
 * have the duration are left alone: no write, no new generation, no reconcile.
 */
export function planChanges(objects: readonly IntervalObject[], changes: ReadonlyMap<IntervalName, string>, repository: string): PlannedPatch[] {
  const plan: PlannedPatch[] = [];
  for (const [setting, value] of changes) {
    const targets = objects.filter((o) => o.setting === setting);
    if (targets.length === 0) {
      throw new CliError(`no Kustomization applies ${repository}, so there is no sync interval to set`, {
        hint: 'set the git poll interval alone with --git-poll-interval, or pick another repository with --git-repository',
      });
    }
    for (const object of targets) {
      toFluxDuration(value, object.kind, 'interval');
      if (!sameDuration(object.interval, value)) plan.push({ object, interval: value });
    }
  }
  return plan;
}

/** `GitRepository a/b`, `GitRepository a/b and Kustomization c/d`, `A, B and C`. */
export function listObjects(objects: readonly { kind: string; metadata: { namespace: string; name: string } }[]): string {
  const names = objects.map(describeObject);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}

const THIRTY_SECONDS = 30_000_000_000n;

/**
 * A Kustomization without spec.timeout times out its apply and health checks after its interval
 * minus 30s, at least 30s (kustomize-controller Kustomization.GetTimeout): a shorter interval
 * also means less time for a rollout to become healthy.
 */
export function timeoutNotes(plan: readonly PlannedPatch[]): string[] {
  return plan
    .filter((p) => p.object.kind === 'Kustomization' && p.object.timeout === '')
    .map((p) => {
      const ns = parseGoDuration(p.interval) - THIRTY_SECONDS;
      const timeout = formatGoDuration(ns < THIRTY_SECONDS ? THIRTY_SECONDS : ns);
      return `${describeObject(p.object)} has no spec.timeout, so its apply and health checks will time out after ${timeout} (the interval minus 30s, at least 30s)`;
    });
}
