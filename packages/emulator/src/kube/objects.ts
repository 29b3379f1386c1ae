// Builders for realistic Pod, ReplicaSet and Deployment objects. The cluster assigns
// resourceVersions when it stores them; everything else is filled in here.
import type { Condition, Container, Deployment, Labels, OwnerReference, Pod, PodPhase, PodTemplate, ReplicaSet } from './types.js';
import { safeHash, timestamp } from './util.js';

export const NODE_NAME = 'node-1';
const HOST_IP = '172.18.0.2';

export function ownerRef(kind: 'ReplicaSet' | 'Deployment', name: string, uid: string): OwnerReference {
  return { apiVersion: 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** Like the controller's hash: stable for one template, different after any change to it. */
export function podTemplateHash(template: PodTemplate): string {
  return safeHash(JSON.stringify(template), 10);
}

export function normalizeContainers(containers: Container[]): Container[] {
  return containers.map((c) => ({
    ...c,
    ...(c.ports ? { ports: c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })) } : {}),
  }));
}

export interface PodShape {
  namespace: string;
  name: string;
  uid: string;
  labels?: Labels;
  annotations?: Labels;
  containers: Container[];
  phase: PodPhase;
  ready: boolean;
  scheduled: boolean;
  restarts?: number;
  waitingReason?: string;
  owner?: OwnerReference;
  ip: string;
}

function cond(type: string, on: boolean, at: string): Condition {
  return { type, status: on ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at };
}

export function makePod(p: PodShape): Pod {
  const now = timestamp();
  const pod: Pod = {
    metadata: {
      name: p.name, namespace: p.namespace, uid: p.uid, resourceVersion: '', creationTimestamp: now,
      ...(p.labels ? { labels: { ...p.labels } } : {}),
      ...(p.annotations ? { annotations: { ...p.annotations } } : {}),
      ...(p.owner ? { ownerReferences: [p.owner] } : {}),
    },
    spec: {
      containers: normalizeContainers(p.containers),
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default', schedulerName: 'default-scheduler',
      ...(p.scheduled ? { nodeName: NODE_NAME } : {}),
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
  setPodState(pod, p.phase, p.ready, p.scheduled, p.ip, p.restarts ?? 0, p.waitingReason);
  return pod;
}

/** Rewrites a pod's status for a phase/readiness, keeping transition times realistic. */
export function setPodState(pod: Pod, phase: PodPhase, ready: boolean, scheduled: boolean, ip: string, restarts = 0, waitingReason?: string): void {
  const now = timestamp();
  const started = phase !== 'Pending' && scheduled;
  const conditions: Condition[] = [cond('PodScheduled', scheduled, now)];
  if (!scheduled) {
    Object.assign(conditions[0]!, { reason: 'Unschedulable', message: '0/1 nodes are available: 1 node(s) had untolerated taint.' });
  } else {
    conditions.unshift(cond('PodReadyToStartContainers', started, now), cond('Initialized', true, now));
    conditions.splice(2, 0, cond('Ready', ready, now), cond('ContainersReady', ready, now));
  }
  const terminated = phase === 'Succeeded' || phase === 'Failed';
  pod.status = {
    phase,
    conditions,
    ...(scheduled ? { hostIP: HOST_IP } : {}),
    ...(started && !terminated ? { podIP: ip } : {}),
    ...(scheduled ? { startTime: pod.metadata.creationTimestamp } : {}),
    ...(scheduled
      ? {
          containerStatuses: pod.spec.containers.map((c) => ({
            name: c.name,
            state: terminated
              ? { terminated: { exitCode: phase === 'Failed' ? 1 : 0, reason: phase === 'Failed' ? 'Error' : 'Completed', startedAt: now, finishedAt: now } }
              : phase === 'Running'
                ? { running: { startedAt: now } }
                : { waiting: { reason: waitingReason ?? 'ContainerCreating' } },
            ready: ready && phase === 'Running',
            restartCount: restarts,
            image: c.image,
            imageID: phase === 'Running' || terminated ? `${c.image.split(':')[0]}@sha256:${safeHash(c.image, 20)}` : '',
            ...(phase === 'Pending' ? {} : { containerID: `containerd://${safeHash(pod.metadata.uid + c.name, 24)}` }),
            started: phase === 'Running',
          })),
        }
      : {}),
    qosClass: 'BestEffort',
  };
}

export function makeReplicaSet(dep: Deployment, hash: string, revision: number, uid: string): ReplicaSet {
  const template: PodTemplate = structuredClone(dep.spec.template);
  template.metadata.labels = { ...template.metadata.labels, 'pod-template-hash': hash };
  return {
    metadata: {
      name: `${dep.metadata.name}-${hash}`, namespace: dep.metadata.namespace!, uid, resourceVersion: '',
      generation: 1, creationTimestamp: timestamp(), labels: { ...template.metadata.labels },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(dep.spec.replicas),
        'deployment.kubernetes.io/max-replicas': String(dep.spec.replicas + 1),
        'deployment.kubernetes.io/revision': String(revision),
      },
      ownerReferences: [ownerRef('Deployment', dep.metadata.name, dep.metadata.uid)],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { ...dep.spec.selector.matchLabels, 'pod-template-hash': hash } },
      template,
    },
    status: { replicas: 0, observedGeneration: 1 },
  };
}

export interface DeploymentShape {
  namespace: string;
  name: string;
  uid: string;
  labels?: Labels;
  annotations?: Labels;
  podLabels: Labels;
  selector: Labels;
  containers: Container[];
  replicas: number;
  strategy: 'Recreate' | 'RollingUpdate';
  paused?: boolean;
}

export function makeDeployment(d: DeploymentShape): Deployment {
  return {
    metadata: {
      name: d.name, namespace: d.namespace, uid: d.uid, resourceVersion: '', generation: 1, creationTimestamp: timestamp(),
      ...(d.labels ? { labels: { ...d.labels } } : {}),
      annotations: { 'deployment.kubernetes.io/revision': '1', ...d.annotations },
    },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: { ...d.selector } },
      template: { metadata: { labels: { ...d.podLabels } }, spec: { containers: normalizeContainers(d.containers) } },
      strategy: d.strategy === 'Recreate'
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...(d.paused ? { paused: true } : {}),
    },
    status: {},
  };
}

/** Replaces or inserts a condition; lastTransitionTime moves only when the status flips. */
export function setCondition(conds: Condition[], next: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>): Condition[] {
  const now = timestamp();
  const prev = conds.find((c) => c.type === next.type);
  const sameAsBefore = prev && prev.status === next.status && prev.reason === next.reason && prev.message === next.message;
  const c: Condition = {
    type: next.type, status: next.status,
    lastUpdateTime: sameAsBefore ? prev.lastUpdateTime! : now,
    lastTransitionTime: prev && prev.status === next.status ? prev.lastTransitionTime! : now,
    ...(next.reason ? { reason: next.reason } : {}),
    ...(next.message ? { message: next.message } : {}),
  };
  return prev ? conds.map((x) => (x === prev ? c : x)) : [...conds, c];
}
