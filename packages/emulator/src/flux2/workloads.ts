// Workloads arriving from git or a chart: container defaults, and for the kinds the kube
// emulator runs no controller for (StatefulSet, DaemonSet) the status a healthy single-node
// cluster reports once they rolled out. Deployments are rolled out by the kube emulator's
// Deployment controller; a CronJob has nothing to report until it is scheduled.
import type { Cluster } from '../kube/cluster.js';
import { normalizeContainers, podTemplateHash } from '../kube/objects.js';
import type { Container, GenericObject, PodTemplate } from '../kube/types.js';
import { isPlainObject } from '../kube/util.js';

type Obj = Record<string, unknown> & { spec?: Record<string, unknown> };

function normalizeTemplate(t: unknown): void {
  if (!isPlainObject(t)) return;
  const spec = t.spec as { containers?: Container[]; initContainers?: Container[] } | undefined;
  if (spec?.containers) spec.containers = normalizeContainers(spec.containers);
  if (spec?.initContainers) spec.initContainers = normalizeContainers(spec.initContainers);
  t.metadata ??= {};
}

/** Container defaulting (ports get `protocol: TCP`); the kube emulator fills the workload spec defaults. */
export function normalizeWorkload(kind: string, obj: Obj): Obj {
  const spec = obj.spec;
  if (!spec) return obj;
  normalizeTemplate(kind === 'CronJob' ? (spec.jobTemplate as { spec?: { template?: unknown } } | undefined)?.spec?.template : spec.template);
  return obj;
}

/** Gives a new or changed workload the status its controller would settle on. */
export function settleWorkload(cluster: Cluster, resource: string, obj: GenericObject): void {
  const { namespace, name, generation = 1 } = obj.metadata;
  const spec = obj.spec ?? {};
  const revision = `${name}-${podTemplateHash((spec.template ?? { metadata: {}, spec: { containers: [] } }) as PodTemplate)}`;
  const replicas = (spec.replicas as number | undefined) ?? 1;
  switch (resource) {
    case 'statefulsets':
      cluster.saveStatus(resource, namespace, name, {
        observedGeneration: generation, replicas, readyReplicas: replicas, currentReplicas: replicas, updatedReplicas: replicas,
        availableReplicas: replicas, currentRevision: revision, updateRevision: revision, collisionCount: 0,
      });
      return;
    case 'daemonsets':
      cluster.saveStatus(resource, namespace, name, {
        currentNumberScheduled: 1, desiredNumberScheduled: 1, numberAvailable: 1, numberMisscheduled: 0, numberReady: 1,
        observedGeneration: generation, updatedNumberScheduled: 1,
      });
      return;
  }
}
