import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { RecordedRequest } from '@fluxctl/emulator/kube';
import { startFlux2Bed, type Flux2Bed, type Flux2BedOptions } from './testbed-v2.js';

/* The Flux v2 integration tests' bed lifecycles and request-log views. */

export interface SharedBedHooks {
  /** Runs once, right after the bed starts (inside beforeAll). */
  setUp?: (bed: Flux2Bed) => void | Promise<void>;
  /** Runs before each test, after injected faults are cleared and before the request log is emptied. */
  beforeEach?: (bed: Flux2Bed) => void;
}

/**
 * One bed for the enclosing file or describe block: started in beforeAll, closed in afterAll,
 * and before each test its faults are cleared and its request log emptied. The returned object
 * stands for the bed once beforeAll has run (it forwards to it), so tests use it as they would
 * a `let bed` assigned in their own hook.
 */
export function sharedFlux2Bed(options: Flux2BedOptions = {}, hooks: SharedBedHooks = {}): Flux2Bed {
  let bed: Flux2Bed | undefined;
  const started = (): Flux2Bed => {
    if (!bed) throw new Error('the shared Flux v2 bed starts in beforeAll: use it inside hooks and tests');
    return bed;
  };
  beforeAll(async () => {
    bed = await startFlux2Bed(options);
    await hooks.setUp?.(bed);
  }, 60_000);
  afterAll(() => bed?.close());
  beforeEach(() => {
    const b = started();
    b.kube.faults.reset();
    hooks.beforeEach?.(b);
    b.kube.requests.length = 0;
  });
  return new Proxy({} as Flux2Bed, { get: (_, key) => Reflect.get(started(), key) });
}

/**
 * A fresh bed per test: the returned function starts one (`defaults` under the test's own
 * options) with an empty request log, and afterEach closes it.
 */
export function flux2BedPerTest(defaults: Flux2BedOptions = {}): (options?: Flux2BedOptions) => Promise<Flux2Bed> {
  let bed: Flux2Bed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });
  return async (options = {}) => {
    bed = await startFlux2Bed({ ...defaults, ...options });
    bed.kube.requests.length = 0;
    return bed;
  };
}

/** `METHOD path?query` (no `?` without a query). */
export const requestLine = (q: RecordedRequest): string => `${q.method} ${q.path}${q.rawQuery ? `?${q.rawQuery}` : ''}`;

export const patches = (bed: Flux2Bed): RecordedRequest[] => bed.kube.requests.filter((q) => q.method === 'PATCH');

/** The requests after auto-detection found Flux v2 (the v1 pod lookups and the group probe come first). */
export function afterDetection(bed: Flux2Bed): RecordedRequest[] {
  const i = bed.kube.requests.findIndex((q) => q.path === '/apis/source.toolkit.fluxcd.io');
  return bed.kube.requests.slice(i + 1);
}

/**
 * The lines of the requests a listing made, sorted: everything but the Flux v1 pod lookup and
 * discovery, and nothing from before the run's first pod lookup (a failed run's parallel lists
 * may land late).
 */
export const listingRequests = (bed: Flux2Bed): string[] =>
  bed.kube.requests
    .slice(Math.max(0, bed.kube.requests.findIndex((q) => q.path.endsWith('/pods'))))
    .filter((q) => !q.path.endsWith('/pods') && !/^\/apis(\/[^/]+)?$/.test(q.path))
    .map(requestLine)
    .sort();
