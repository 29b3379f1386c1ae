import type { Rollout } from '../../model/workload.js';
import type { AppState } from './decode-apps.js';

/*
 * RELEASE status and rollout counters with Flux v1's semantics (fluxcd/flux
 * pkg/cluster/kubernetes/resourcekinds.go): `started` until the controller has observed the
 * current generation, then `updating` until every replica runs the new spec and is available,
 * then `ready`; a Deployment whose rollout reports a failure is `error`. CronJobs are always ready.
 */

export const STATUS_STARTED = 'started';
export const STATUS_UPDATING = 'updating';
export const STATUS_READY = 'ready';
export const STATUS_ERROR = 'error';

export interface Readiness {
  status: string;
  rollout: Rollout;
}

const rollout = (desired: number, updated: number, ready: number, available: number, outdated: number, messages: string[] | null = null): Rollout => ({
  Desired: desired, Updated: updated, Ready: ready, Available: available, Outdated: outdated, Messages: messages,
});

function ladder(observed: boolean, settled: boolean): string {
  if (!observed) return STATUS_STARTED;
  return settled ? STATUS_READY : STATUS_UPDATING;
}

export function appReadiness(state: AppState, generation: number): Readiness {
  switch (state.kind) {
    case 'Deployment': {
      // A stuck rollout: Progressing=False (deadline exceeded) or ReplicaFailure=True.
      const messages = state.conditions
        .filter((c) => (c.type === 'Progressing' && c.status === 'False') || (c.type === 'ReplicaFailure' && c.status === 'True'))
        .map((c) => c.message);
      const r = rollout(state.replicas, state.updatedReplicas, state.readyReplicas, state.availableReplicas, state.statusReplicas - state.updatedReplicas, messages.length === 0 ? null : messages);
      const observed = state.observedGeneration >= generation;
      const status = ladder(observed, r.Updated === r.Desired && r.Available === r.Desired && r.Outdated === 0);
      return { status: observed && messages.length > 0 ? STATUS_ERROR : status, rollout: r };
    }
    case 'DaemonSet': {
      const r = rollout(state.desiredNumberScheduled, state.updatedNumberScheduled, state.numberReady, state.numberAvailable, state.currentNumberScheduled - state.updatedNumberScheduled);
      return { status: ladder(state.observedGeneration >= generation, r.Updated === r.Desired && r.Available === r.Desired && r.Outdated === 0), rollout: r };
    }
    case 'StatefulSet': {
      // Only the pods above the partition are meant to update; all replicas must still be ready.
      const desired = state.partition === null ? state.replicas : Math.max(0, state.replicas - state.partition);
      const updated = state.currentRevision !== state.updateRevision ? state.updatedReplicas : state.currentReplicas;
      // StatefulSets have no availability counter: v1 reported Ready for both.
      const r = rollout(desired, updated, state.readyReplicas, state.readyReplicas, desired - updated);
      return { status: ladder(state.observedGeneration >= generation, updated === desired && r.Ready === state.replicas && r.Outdated === 0), rollout: r };
    }
    case 'CronJob':
      return { status: STATUS_READY, rollout: rollout(0, 0, 0, 0, 0) };
  }
}
