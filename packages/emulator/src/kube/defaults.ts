// Defaulting the API server applies to built-in objects a client writes (pkg/apis/*/v1
// defaults.go), so objects applied from manifests look like the ones a cluster returns and the
// Deployment controller finds the fields it needs. Custom resources get no defaults here.
import type { Resource } from './types.js';
import { isPlainObject } from './util.js';

type Obj = Record<string, unknown>;

function fill(target: Obj, defaults: Obj): void {
  for (const [k, v] of Object.entries(defaults)) {
    if (target[k] === undefined) target[k] = structuredClone(v);
    else if (isPlainObject(target[k]) && isPlainObject(v)) fill(target[k], v);
  }
}

const ROLLING = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };

const SPEC_DEFAULTS: Record<string, Obj> = {
  deployments: { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 },
  statefulsets: { replicas: 1, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, revisionHistoryLimit: 10 },
  daemonsets: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 },
  cronjobs: { suspend: false, concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 },
};

/** Fills in server defaults in place and returns the object. */
export function applyDefaults(resource: Resource, obj: Obj): Obj {
  const spec = SPEC_DEFAULTS[resource];
  if (spec) {
    if (!isPlainObject(obj.spec)) obj.spec = {};
    const s = obj.spec as Obj;
    // A Recreate strategy has no rollingUpdate block, so only an absent strategy is defaulted.
    if (resource === 'deployments' && s.strategy === undefined) s.strategy = structuredClone(ROLLING);
    fill(s, spec);
  }
  if (resource === 'secrets' && obj.type === undefined) obj.type = 'Opaque';
  return obj;
}
