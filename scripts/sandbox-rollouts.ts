// The v1 sandbox's sample with rollouts a sync starts: applying "Bump podinfo to 5.2.0" rolls
// podinfo out, and a newer commit fixes the failing frontend's manifest, so `sync --watch`
// follows both rollouts to the end. Until that sync, list-workloads shows the failure.
import { commit, sampleState, type FluxdState } from '@fluxctl/emulator/fluxd';

type Workload = FluxdState['workloads'][number];

/** Counters step by step (each listing of the workload takes the next), ending ready. */
function rollOut(w: Workload, replicas: number): void {
  w.status = 'updating';
  w.rollout = { desired: replicas, updated: 0, ready: replicas - 1, available: replicas - 1, outdated: replicas, messages: null };
  w.rolloutSteps = [
    ...Array.from({ length: replicas }, (_, i) => ({ status: 'updating', rollout: { updated: i + 1, ready: replicas - 1, available: replicas - 1, outdated: replicas - i - 1 } })),
    { status: 'ready', rollout: { updated: replicas, ready: replicas, available: replicas, outdated: 0 } },
  ];
}

export function watchableSample(): FluxdState {
  const state = sampleState();
  const find = (id: string): Workload => state.workloads.find((w) => w.id === id)!;
  const podinfo = find('podinfo:deployment/podinfo');
  const frontend = find('podinfo:deployment/frontend');
  const bump = state.git.commits.find((c) => c.message === 'Bump podinfo to 5.2.0')!;
  bump.onApply = () => {
    podinfo.containers[0]!.image = 'ghcr.io/stefanprodan/podinfo:5.2.0';
    rollOut(podinfo, 3);
  };
  const fix = commit('Fix frontend: imagePullPolicy', {
    onApply: () => {
      frontend.syncError = '';
      rollOut(frontend, 2);
    },
  });
  state.git.commits.unshift(fix);
  return state;
}
