// The fields of Flux objects the emulated controllers read and write. Everything else rides
// along untouched through the index signatures.
import type { ObjectMeta } from '../kube/types.js';
import type { FluxCondition } from './conditions.js';

export interface FluxStatus {
  observedGeneration?: number;
  conditions?: FluxCondition[];
  lastHandledReconcileAt?: string;
  [k: string]: unknown;
}

export interface FluxObject<S = Record<string, unknown>> {
  metadata: ObjectMeta;
  spec: S & { suspend?: boolean; interval?: string; [k: string]: unknown };
  status?: FluxStatus;
  [k: string]: unknown;
}

export interface NamespacedRef {
  kind?: string;
  name: string;
  namespace?: string;
}

export interface Artifact {
  digest: string;
  lastUpdateTime: string;
  path: string;
  revision: string;
  size: number;
  url: string;
}

export type GitRepository = FluxObject<{ url: string; ref?: Record<string, string>; secretRef?: { name: string }; timeout?: string }>;

export type Kustomization = FluxObject<{
  sourceRef: NamespacedRef;
  path?: string;
  prune?: boolean;
  wait?: boolean;
  timeout?: string;
  retryInterval?: string;
  targetNamespace?: string;
  dependsOn?: NamespacedRef[];
  healthChecks?: Array<{ apiVersion?: string; kind: string; name: string; namespace?: string }>;
}>;

export type HelmRelease = FluxObject<{
  chart: { spec: { chart: string; version?: string; sourceRef: NamespacedRef; interval?: string } };
  releaseName?: string;
  targetNamespace?: string;
  storageNamespace?: string;
  values?: Record<string, unknown>;
  dependsOn?: NamespacedRef[];
}>;

export type HelmRepository = FluxObject<{ url: string; type?: string }>;
export type ImageRepository = FluxObject<{ image: string }>;
export type ImagePolicy = FluxObject<{
  imageRepositoryRef: { name: string; namespace?: string };
  policy: { semver?: { range: string }; alphabetical?: { order?: 'asc' | 'desc' }; numerical?: { order?: 'asc' | 'desc' } };
  filterTags?: { pattern?: string; extract?: string };
}>;
export type ImageUpdateAutomation = FluxObject<{ sourceRef: NamespacedRef; policySelector?: { matchLabels?: Record<string, string> } }>;

/** A Kubernetes object as it appears in git or a chart: apiVersion and kind included. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
