/*
 * Flux v2 and Kubernetes objects as the API server returns them, written the way the
 * controllers fill them (field names and messages from the controllers' sources), for the
 * toolkit unit tests. Builders take overrides so each test states only what it is about.
 */

export const SHA = '5394cb7f48332b2de7c17dd8b8384bbc84b7e738';
export const SHA2 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9011223344';
const T = '2026-08-07T10:15:30Z';

type Obj = Record<string, unknown>;

export const ready = (message: string, reason = 'Succeeded', generation = 1): Obj => ({
  type: 'Ready', status: 'True', reason, message, observedGeneration: generation, lastTransitionTime: T,
});

export const cond = (type: string, status: string, reason: string, message: string, generation = 1): Obj => ({
  type, status, reason, message, observedGeneration: generation, lastTransitionTime: T,
});

const ownedBy = (ks: string, ns = 'flux-system'): Record<string, string> => ({
  'kustomize.toolkit.fluxcd.io/name': ks,
  'kustomize.toolkit.fluxcd.io/namespace': ns,
});

/** The bootstrap GitRepository of Flux 2.9 (source.toolkit.fluxcd.io/v1). */
export function gitRepositoryV1(): Obj {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system', generation: 1, resourceVersion: '48213', labels: ownedBy('flux-system'), finalizers: ['finalizers.fluxcd.io'] },
    spec: { interval: '1m0s', ref: { branch: 'main' }, secretRef: { name: 'flux-system' }, timeout: '60s', url: 'ssh://git@github.com/acme/fleet' },
    status: {
      artifact: {
        digest: 'sha256:2c4a9f0d7e3b1a6c5d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90112233445', lastUpdateTime: T,
        path: `gitrepository/flux-system/flux-system/${SHA}.tar.gz`, revision: `main@sha1:${SHA}`, size: 48213,
        url: `http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/${SHA}.tar.gz`,
      },
      conditions: [ready(`stored artifact for revision 'main@sha1:${SHA}'`), cond('ArtifactInStorage', 'True', 'Succeeded', `stored artifact for revision 'main@sha1:${SHA}'`)],
      lastHandledReconcileAt: '2026-08-07T10:15:00.123456789Z', observedGeneration: 1,
    },
  };
}

/** The same object written by source-controller v0.2x (Flux v0.3x), read at v1beta1. */
export function gitRepositoryLegacy(): Obj {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta1', kind: 'GitRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system', generation: 2 },
    spec: { gitImplementation: 'go-git', interval: '1m0s', ref: { branch: 'main' }, secretRef: { name: 'flux-system' }, timeout: '20s', url: 'ssh://git@github.com/acme/fleet' },
    status: {
      artifact: { checksum: '2c4a9f0d7e3b1a6c5d8e9f0a1b2c3d4e5f607182', lastUpdateTime: T, path: `gitrepository/flux-system/flux-system/${SHA}.tar.gz`, revision: `main/${SHA}`, url: 'http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/x.tar.gz' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'GitOperationSucceed', message: `Fetched revision: main/${SHA}`, lastTransitionTime: T }],
      observedGeneration: 2, url: 'http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/latest.tar.gz',
    },
  };
}

export interface KsOptions {
  name?: string;
  namespace?: string;
  inventory?: string[] | null;
  suspend?: boolean;
  conditions?: Obj[];
  generation?: number;
}

/** A kustomize.toolkit.fluxcd.io/v1 Kustomization after a successful apply. */
export function kustomization(o: KsOptions = {}): Obj {
  const name = o.name ?? 'apps';
  const generation = o.generation ?? 1;
  const spec: Obj = { interval: '10m0s', path: `./${name}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } };
  if (o.suspend) spec.suspend = true;
  const status: Obj = {
    conditions: o.conditions ?? [ready(`Applied revision: main@sha1:${SHA}`, 'ReconciliationSucceeded', generation)],
    lastAppliedRevision: `main@sha1:${SHA}`, lastAttemptedRevision: `main@sha1:${SHA}`, observedGeneration: generation,
  };
  if (o.inventory !== null) status.inventory = { entries: (o.inventory ?? []).map((id) => ({ id, v: 'v1' })) };
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
    metadata: { name, namespace: o.namespace ?? 'flux-system', generation, labels: ownedBy('flux-system'), finalizers: ['finalizers.fluxcd.io'] },
    spec, status,
  };
}

/** kustomize v1beta1 (Flux < v0.26): `status.snapshot` instead of an inventory. */
export function kustomizationV1beta1(): Obj {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1', kind: 'Kustomization',
    metadata: { name: 'legacy', namespace: 'flux-system', generation: 3 },
    spec: { interval: '5m', path: './legacy', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }, validation: 'client' },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main/${SHA}`, lastTransitionTime: T }],
      lastAppliedRevision: `main/${SHA}`, lastAttemptedRevision: `main/${SHA}`, observedGeneration: 3,
      snapshot: { checksum: 'abc', entries: [{ namespace: 'default', kinds: { Deployment: 'apps/v1' } }] },
    },
  };
}

/** helm.toolkit.fluxcd.io/v2 HelmRelease (helm-controller ≥ v1.0) with a release history. */
export function helmReleaseV2(o: { name?: string; namespace?: string; status?: string; suspend?: boolean; conditions?: Obj[] } = {}): Obj {
  const name = o.name ?? 'podinfo';
  const namespace = o.namespace ?? 'podinfo';
  const spec: Obj = { interval: '10m', chart: { spec: { chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } }, values: { replicaCount: 2 } };
  if (o.suspend) spec.suspend = true;
  const snapshot = (version: number, status: string): Obj => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2', appVersion: '6.5.4', chartName: 'podinfo', chartVersion: '6.5.4', configDigest: 'sha256:9f1c…',
    digest: 'sha256:77aa…', firstDeployed: T, lastDeployed: T, name, namespace, status, version,
  });
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease',
    metadata: { name, namespace, generation: 1, labels: ownedBy('apps') },
    spec,
    status: {
      conditions: o.conditions ?? [ready(`Helm upgrade succeeded for release ${namespace}/${name}.v3 with chart podinfo@6.5.4`, 'UpgradeSucceeded'), cond('Released', 'True', 'UpgradeSucceeded', 'Helm upgrade succeeded')],
      // helm-controller keeps the newest snapshot first.
      history: [snapshot(3, o.status ?? 'deployed'), snapshot(2, 'superseded')],
      lastAttemptedConfigDigest: 'sha256:9f1c…', lastAttemptedGeneration: 1, lastAttemptedReleaseAction: 'upgrade', lastAttemptedRevision: '6.5.4',
      observedGeneration: 1, storageNamespace: namespace, helmChart: `flux-system/${namespace}-${name}`,
    },
  };
}

/** helm.toolkit.fluxcd.io/v2beta1 HelmRelease (Flux ≤ 2.1): no history. */
export function helmReleaseV2beta1(): Obj {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease',
    metadata: { name: 'redis', namespace: 'cache', generation: 4 },
    spec: { interval: '5m', releaseName: 'redis', chart: { spec: { chart: 'redis', version: '17.x', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } } } },
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Release reconciliation succeeded', observedGeneration: 4, lastTransitionTime: T },
        { type: 'Released', status: 'True', reason: 'UpgradeSucceeded', message: 'Helm upgrade succeeded', observedGeneration: 4, lastTransitionTime: T },
      ],
      helmChart: 'cache/cache-redis', lastAppliedRevision: '17.11.3', lastAttemptedRevision: '17.11.3', lastAttemptedValuesChecksum: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      lastReleaseRevision: 3, observedGeneration: 4,
    },
  };
}

export function imageRepository(o: { name?: string; namespace?: string; image?: string; canonical?: string; tags?: string[]; tagCount?: number; suspend?: boolean; scanned?: boolean } = {}): Obj {
  const image = o.image ?? 'ghcr.io/stefanprodan/podinfo';
  const spec: Obj = { image, interval: '5m0s', provider: 'generic', exclusionList: ['^.*\\.sig$'] };
  if (o.suspend) spec.suspend = true;
  const tags = o.tags ?? ['6.5.4', '6.5.3', '6.5.2', '6.5.1', '6.5.0', '6.4.1', '6.4.0', '6.3.6', '6.3.5', '6.3.4'];
  const status: Obj = o.scanned === false ? { observedGeneration: -1 } : {
    canonicalImageName: o.canonical ?? image,
    conditions: [ready(`successful scan: found ${o.tagCount ?? 42} tags with checksum 1234567890`)],
    lastScanResult: { latestTags: tags, scanTime: T, tagCount: o.tagCount ?? 42, revision: '1234567890' },
    observedExclusionList: ['^.*\\.sig$'], observedGeneration: 1,
  };
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageRepository',
    metadata: { name: o.name ?? 'podinfo', namespace: o.namespace ?? 'flux-system', generation: 1 },
    spec, status,
  };
}

/** image.toolkit.fluxcd.io/v1 ImagePolicy (image-reflector ≥ v1.0): latestRef only. */
export function imagePolicyV1(o: { name?: string; namespace?: string; repo?: string; tag?: string; suspend?: boolean; labels?: Record<string, string> } = {}): Obj {
  const spec: Obj = { imageRepositoryRef: { name: o.repo ?? 'podinfo' }, policy: { semver: { range: '6.x' } } };
  if (o.suspend) spec.suspend = true;
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy',
    metadata: { name: o.name ?? 'podinfo', namespace: o.namespace ?? 'flux-system', generation: 1, ...(o.labels ? { labels: o.labels } : {}) },
    spec,
    status: {
      conditions: [ready(`Latest image tag for ghcr.io/stefanprodan/podinfo resolved to ${o.tag ?? '6.5.4'}`)],
      latestRef: { name: 'ghcr.io/stefanprodan/podinfo', tag: o.tag ?? '6.5.4' },
      observedPreviousRef: { name: 'ghcr.io/stefanprodan/podinfo', tag: '6.5.3' },
      observedGeneration: 1,
    },
  };
}

/** image.toolkit.fluxcd.io/v1beta2 ImagePolicy written by image-reflector ≤ v0.34 (Flux ≤ 2.5). */
export function imagePolicyLatestImage(): Obj {
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1beta2', kind: 'ImagePolicy',
    metadata: { name: 'podinfo', namespace: 'flux-system', generation: 1 },
    spec: { imageRepositoryRef: { name: 'podinfo' }, filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)', extract: '$ts' }, policy: { numerical: { order: 'asc' } } },
    status: {
      conditions: [ready('Latest image tag for \'ghcr.io/stefanprodan/podinfo\' resolved to 6.4.0', 'Succeeded')],
      latestImage: 'ghcr.io/stefanprodan/podinfo:6.4.0', observedPreviousImage: 'ghcr.io/stefanprodan/podinfo:6.3.6', observedGeneration: 1,
    },
  };
}

export function imageUpdateAutomation(o: { name?: string; namespace?: string; suspend?: boolean; selector?: Obj } = {}): Obj {
  const spec: Obj = {
    interval: '30m', sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    git: { checkout: { ref: { branch: 'main' } }, commit: { author: { email: 'fluxcdbot@users.noreply.github.com', name: 'fluxcdbot' }, messageTemplate: '{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}' }, push: { branch: 'main' } },
    update: { path: './clusters/prod', strategy: 'Setters' },
  };
  if (o.suspend) spec.suspend = true;
  if (o.selector) spec.policySelector = o.selector;
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageUpdateAutomation',
    metadata: { name: o.name ?? 'flux-system', namespace: o.namespace ?? 'flux-system', generation: 1 },
    spec,
    status: {
      conditions: [ready('repository up-to-date')], lastAutomationRunTime: T, lastPushCommit: SHA, lastPushTime: T,
      observedPolicies: { podinfo: { name: 'ghcr.io/stefanprodan/podinfo', tag: '6.5.4' } }, observedGeneration: 1,
    },
  };
}

export interface DeploymentOptions {
  name?: string;
  namespace?: string;
  image?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  replicas?: number;
  generation?: number;
  status?: Obj;
  init?: { name: string; image: string }[];
}

/** An apps/v1 Deployment with a settled rollout unless `status` says otherwise. */
export function deployment(o: DeploymentOptions = {}): Obj {
  const replicas = o.replicas ?? 2;
  const generation = o.generation ?? 3;
  const metadata: Obj = { name: o.name ?? 'podinfo', namespace: o.namespace ?? 'podinfo', generation, resourceVersion: '9912', uid: 'e5c1…' };
  if (o.labels) metadata.labels = o.labels;
  if (o.annotations) metadata.annotations = o.annotations;
  const podSpec: Obj = { containers: [{ name: 'podinfod', image: o.image ?? 'ghcr.io/stefanprodan/podinfo:6.5.3', ports: [{ containerPort: 9898 }] }] };
  if (o.init) podSpec.initContainers = o.init;
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata,
    spec: { replicas, selector: { matchLabels: { app: 'podinfo' } }, strategy: { type: 'RollingUpdate' }, template: { metadata: { labels: { app: 'podinfo' } }, spec: podSpec } },
    status: o.status ?? {
      observedGeneration: generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${o.name ?? 'podinfo'}-7d4b9c" has successfully progressed.` },
      ],
    },
  };
}

export const list = (kind: string, items: Obj[]): Obj => ({ apiVersion: 'v1', kind: `${kind}List`, metadata: { resourceVersion: '1' }, items });
