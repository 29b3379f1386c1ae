import {
  arr, bool, decodeRef, decodeReconcileStatus, fluxParts, int, obj, optObj, str,
  type ObjectMeta, type ObjectRef, type ReconcileStatus,
} from './decode.js';

/*
 * GitRepository and Kustomization, read from any version the API server serves (source and
 * kustomize v1beta1, v1beta2, v1). Flux CRDs convert with strategy None (only apiVersion
 * changes), so one reader per kind takes the union of the fields and leaves absent ones zero.
 */

export interface GitRepositoryRef {
  branch: string;
  tag: string;
  semver: string;
  name: string;
  commit: string;
}

export interface Artifact {
  /** `main@sha1:<hex>`, or the legacy `main/<hex>` of source-controller < v0.35. */
  revision: string;
  /** `sha256:<hex>`; older controllers wrote only `checksum` (bare hex). */
  digest: string;
  checksum: string;
  path: string;
  url: string;
  lastUpdateTime: string;
  size: number;
}

export interface GitRepository {
  metadata: ObjectMeta;
  spec: {
    url: string;
    interval: string;
    timeout: string;
    suspend: boolean;
    /** null when spec.ref is absent: source-controller then checks out `master`. */
    ref: GitRepositoryRef | null;
    secretRefName: string;
  };
  status: ReconcileStatus & { artifact: Artifact | null };
}

/** One `status.inventory.entries[]` item: `id` is `<ns>_<name>_<group>_<Kind>`, `v` the version. */
export interface InventoryEntry {
  id: string;
  v: string;
}

export interface Kustomization {
  metadata: ObjectMeta;
  spec: {
    interval: string;
    retryInterval: string;
    timeout: string;
    suspend: boolean;
    path: string;
    prune: boolean;
    sourceRef: ObjectRef | null;
    targetNamespace: string;
    /** spec.kubeConfig is set: the objects live in another cluster. */
    remote: boolean;
  };
  status: ReconcileStatus & {
    lastAppliedRevision: string;
    lastAttemptedRevision: string;
    /** null when unknown: no inventory yet, or kustomize v1beta1's `status.snapshot` instead. */
    inventory: InventoryEntry[] | null;
  };
}

export function decodeGitRepository(v: unknown, path: string): GitRepository {
  const { metadata, spec, status } = fluxParts(v, path);
  const ref = optObj(spec.ref, `${path}.spec.ref`);
  const p = (f: string): string => `${path}.spec.ref.${f}`;
  return {
    metadata,
    spec: {
      url: str(spec.url, `${path}.spec.url`),
      interval: str(spec.interval, `${path}.spec.interval`),
      timeout: str(spec.timeout, `${path}.spec.timeout`),
      suspend: bool(spec.suspend, `${path}.spec.suspend`),
      ref: ref === null ? null : {
        branch: str(ref.branch, p('branch')), tag: str(ref.tag, p('tag')), semver: str(ref.semver, p('semver')),
        name: str(ref.name, p('name')), commit: str(ref.commit, p('commit')),
      },
      secretRefName: str(obj(spec.secretRef, `${path}.spec.secretRef`).name, `${path}.spec.secretRef.name`),
    },
    status: { ...decodeReconcileStatus(status, path), artifact: decodeArtifact(status.artifact, `${path}.status.artifact`) },
  };
}

function decodeArtifact(v: unknown, path: string): Artifact | null {
  const a = optObj(v, path);
  if (a === null) return null;
  return {
    revision: str(a.revision, `${path}.revision`),
    digest: str(a.digest, `${path}.digest`),
    checksum: str(a.checksum, `${path}.checksum`),
    path: str(a.path, `${path}.path`),
    url: str(a.url, `${path}.url`),
    lastUpdateTime: str(a.lastUpdateTime, `${path}.lastUpdateTime`),
    size: int(a.size, `${path}.size`),
  };
}

export function decodeInventory(v: unknown, path: string): InventoryEntry[] | null {
  const inv = optObj(v, path);
  if (inv === null) return null;
  return arr(inv.entries, `${path}.entries`, (e, p) => {
    const entry = obj(e, p);
    return { id: str(entry.id, `${p}.id`), v: str(entry.v, `${p}.v`) };
  });
}

export function decodeKustomization(v: unknown, path: string): Kustomization {
  const { metadata, spec, status } = fluxParts(v, path);
  const s = (f: string): string => `${path}.spec.${f}`;
  return {
    metadata,
    spec: {
      interval: str(spec.interval, s('interval')),
      retryInterval: str(spec.retryInterval, s('retryInterval')),
      timeout: str(spec.timeout, s('timeout')),
      suspend: bool(spec.suspend, s('suspend')),
      path: str(spec.path, s('path')),
      prune: bool(spec.prune, s('prune')),
      sourceRef: decodeRef(spec.sourceRef, s('sourceRef'), metadata.namespace),
      targetNamespace: str(spec.targetNamespace, s('targetNamespace')),
      remote: spec.kubeConfig !== undefined && spec.kubeConfig !== null,
    },
    status: {
      ...decodeReconcileStatus(status, path),
      lastAppliedRevision: str(status.lastAppliedRevision, `${path}.status.lastAppliedRevision`),
      lastAttemptedRevision: str(status.lastAttemptedRevision, `${path}.status.lastAttemptedRevision`),
      inventory: decodeInventory(status.inventory, `${path}.status.inventory`),
    },
  };
}
