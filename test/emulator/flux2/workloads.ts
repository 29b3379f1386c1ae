// Workloads arriving from git or a chart: the defaults the API server fills in, and for the
// kinds the kube emulator runs no controller for (StatefulSet, DaemonSet, CronJob) the status
// a healthy single-node cluster reports right after they roll out. Deployments are rolled out
// by the kube emulator's Deployment controller.
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

/** apps/v1 and batch/v1 defaulting, as far as the emulated controllers and clients read it. */
export function normalizeWorkload(kind: string, obj: Obj): Obj {
  const spec = obj.spec;
  if (!spec) return obj;
  if (kind === 'Deployment') {
    spec.replicas ??= 1;
    spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
  }
  if (kind === 'StatefulSet') {
    spec.replicas ??= 1;
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    spec.podManagementPolicy ??= 'OrderedReady';
  }
  if (kind === 'DaemonSet') spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
  if (kind === 'CronJob') {
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    normalizeTemplate((spec.jobTemplate as { spec?: { template?: unknown } } | undefined)?.spec?.template);
  } else {
    normalizeTemplate(spec.template);
  }
  return obj;
}

/** Gives a new or changed workload the status its controller would settle on. */
export function settleWorkload(cluster: Cluster, resource: string, obj: GenericObject, created: boolean): void {
  const { namespace, name, generation = 1 } = obj.metadata;
  const spec = obj.spec ?? {};
  const revision = `${name}-${podTemplateHash((spec.template ?? { metadata: {}, spec: { containers: [] } }) as PodTemplate)}`;
  const replicas = (spec.replicas as number | undefined) ?? 1;
  switch (resource) {
    case 'deployments':
      // The Deployment controller expects a status object to fill in.
      if (created) cluster.saveStatus(resource, namespace, name, {});
      return;
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
    case 'cronjobs':
      if (created) cluster.saveStatus(resource, namespace, name, {});
      return;
  }
}
