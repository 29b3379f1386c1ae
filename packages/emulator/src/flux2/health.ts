// Health checks as kustomize-controller runs them: kstatus per object (fluxcd/cli-utils
// pkg/kstatus/status core.go and generic.go), polled until all are Current, failing early on a
// Failed one, with fluxcd/pkg ssa/manager_wait.go's messages.
import type { Cluster } from '../kube/cluster.js';
import type { Condition, Deployment, GenericObject } from '../kube/types.js';
import type { Engine } from './engine.js';

export type KStatus = 'Current' | 'InProgress' | 'Failed' | 'NotFound';

export interface HealthTarget {
  resource: string;
  kind: string;
  namespace: string | undefined;
  name: string;
}

const cond = (conds: unknown, type: string): Condition | undefined => (Array.isArray(conds) ? (conds as Condition[]).find((c) => c.type === type) : undefined);

function deploymentStatus(d: Deployment): KStatus {
  const s = d.status ?? {};
  if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 1)) return 'InProgress';
  const progressing = cond(s.conditions, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return 'Failed';
  const want = d.spec.replicas ?? 1;
  if ((s.updatedReplicas ?? 0) < want || (s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return 'InProgress';
  if ((s.availableReplicas ?? 0) < want || (s.readyReplicas ?? 0) < want) return 'InProgress';
  return cond(s.conditions, 'Available')?.status === 'True' ? 'Current' : 'InProgress';
}

/** kstatus for objects following the Flux/kstatus condition conventions. */
export function genericStatus(o: GenericObject): KStatus {
  const s = (o.status ?? {}) as { observedGeneration?: number; conditions?: unknown };
  if (o.metadata.deletionTimestamp) return 'InProgress';
  if (s.observedGeneration !== undefined && s.observedGeneration !== (o.metadata.generation ?? 1)) return 'InProgress';
  if (cond(s.conditions, 'Reconciling')?.status === 'True') return 'InProgress';
  if (cond(s.conditions, 'Stalled')?.status === 'True') return 'Failed';
  const ready = cond(s.conditions, 'Ready');
  return !ready || ready.status === 'True' ? 'Current' : 'InProgress';
}

export function kstatus(cluster: Cluster, t: HealthTarget): KStatus {
  const obj = cluster.get<GenericObject>(t.resource, t.namespace, t.name);
  if (!obj) return 'NotFound';
  if (t.resource === 'deployments') return deploymentStatus(obj as unknown as Deployment);
  return genericStatus(obj);
}

const describe = (t: HealthTarget, s: KStatus): string => `${t.kind}/${t.namespace ? `${t.namespace}/` : ''}${t.name} status: '${s}'`;

/** Waits for every target to be Current; returns the failure message, or undefined when healthy. */
export async function waitHealthy(engine: Engine, targets: HealthTarget[], timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = targets.map((t) => [t, kstatus(engine.cluster, t)] as const);
    const failed = statuses.filter(([, s]) => s === 'Failed');
    if (failed.length > 0) return `failed early due to stalled resources: [${failed.map(([t, s]) => describe(t, s)).join(', ')}]`;
    const pending = statuses.filter(([, s]) => s !== 'Current');
    if (pending.length === 0) return undefined;
    if (Date.now() >= deadline || engine.closed) return `timeout waiting for: [${pending.map(([t, s]) => describe(t, s)).join(', ')}]`;
    await engine.step(Math.max(engine.options.stepMs, 5));
  }
}
