// Builders that fill in the Go zero values, so tests and the sample only spell out what matters.
import { generateKey } from './sshkey.js';
import { newSha } from './ids.js';
import type { Commit, Container, FluxdState, GitState, ImageInfo, Rollout, Workload } from './types.js';

export interface WorkloadInit {
  id: string;
  /** `name=image`, `{ name, image }`, or `{ name, image, init: true }` */
  containers?: Array<Container | string>;
  status?: string;
  rollout?: Partial<Rollout>;
  syncError?: string;
  antecedent?: string;
  labels?: Record<string, string> | null;
  policies?: Record<string, string>;
  inRepo?: boolean;
  readOnly?: Workload['readOnly'];
  notInCluster?: boolean;
  /** replica count used for a default, settled rollout (default 1) */
  replicas?: number;
}

export function container(spec: Container | string): Container {
  if (typeof spec !== 'string') return { ...spec };
  const eq = spec.indexOf('=');
  return { name: spec.slice(0, eq), image: spec.slice(eq + 1) };
}

export function workload(init: WorkloadInit): Workload {
  const replicas = init.replicas ?? 1;
  const rollout: Rollout = {
    desired: replicas,
    updated: replicas,
    ready: replicas,
    available: replicas,
    outdated: 0,
    messages: null,
    ...init.rollout,
  };
  const w: Workload = {
    id: init.id,
    containers: (init.containers ?? []).map(container),
    status: init.status ?? 'ready',
    rollout,
    syncError: init.syncError ?? '',
    antecedent: init.antecedent ?? '',
    labels: init.labels === undefined ? null : init.labels,
    policies: { ...init.policies },
    inRepo: init.inRepo ?? true,
  };
  if (init.readOnly !== undefined) w.readOnly = init.readOnly;
  if (init.notInCluster) w.notInCluster = true;
  return w;
}

/** An image.Info; `createdAt` accepts anything Date parses. */
export function imageInfo(id: string, createdAt?: string, extra: Partial<ImageInfo> = {}): ImageInfo {
  const info: ImageInfo = { id, ...extra };
  if (createdAt) info.createdAt = new Date(createdAt).toISOString();
  return info;
}

export function commit(message: string, extra: Partial<Commit> = {}): Commit {
  return { sha: newSha(), message, ...extra };
}

export function gitState(init: Partial<GitState> = {}): GitState {
  const commits = init.commits ?? [commit('Initial commit')];
  return {
    url: 'ssh://git@github.com/acme/cluster-config',
    branch: 'master',
    path: '',
    status: 'ready',
    errors: '',
    publicKey: generateKey(),
    syncMarker: commits[0]?.sha ?? null,
    ...init,
    commits,
  };
}

/** An empty daemon: no workloads, a ready repo with one synced commit. */
export function emptyState(init: Partial<FluxdState> = {}): FluxdState {
  return {
    version: '1.25.4',
    namespaces: [],
    workloads: [],
    images: {},
    git: gitState(),
    sync: {},
    jobBehaviour: {},
    jobs: [],
    notifications: [],
    gitReadonly: false,
    ...init,
  };
}
