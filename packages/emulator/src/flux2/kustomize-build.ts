// The work inside one Kustomization reconcile: build (every YAML file under spec.path, as the
// kustomization kustomize-controller generates when the path has none), apply in
// kustomize-controller's order, prune what left the inventory, and the history snapshots.
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import type { Cluster } from '../kube/cluster.js';
import type { GenericObject } from '../kube/types.js';
import { applyManifest, deleteObject, optedOut, resolveKind, type Applied } from './apply.js';
import { formatDuration, now } from './conditions.js';
import type { GitRepo } from './git.js';
import type { Manifest } from './types.js';

export interface InventoryEntry {
  id: string;
  v: string;
}

/** Parses the manifests of a commit under a path; throws with kustomize's wording on bad YAML. */
export function build(repo: GitRepo, sha: string, path: string): Manifest[] {
  const out: Manifest[] = [];
  for (const f of repo.files(sha, path)) {
    if (!/\.ya?ml$/.test(f.path) || /(^|\/)kustomization\.ya?ml$/.test(f.path)) continue;
    let docs: unknown[];
    try {
      docs = yaml.loadAll(f.text);
    } catch (err) {
      throw new Error(`kustomize build failed: map[string]interface {}(nil): yaml: ${(err as Error).message.split('\n')[0]} in ${f.path}`);
    }
    for (const d of docs) {
      if (d === null || d === undefined) continue;
      const m = d as Partial<Manifest>;
      if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string' || typeof m.metadata?.name !== 'string') {
        throw new Error(`kustomize build failed: missing Resource metadata in ${f.path}`);
      }
      out.push(m as Manifest);
    }
  }
  return out;
}

// fluxcd/pkg ssa sorts cluster-wide definitions ahead of the objects that need them.
const FIRST = ['CustomResourceDefinition', 'Namespace'];
const rank = (m: Manifest): number => (FIRST.includes(m.kind) ? FIRST.indexOf(m.kind) : FIRST.length);

export interface ApplyResult {
  applied: Applied[];
  inventory: InventoryEntry[];
}

/** Applies manifests; the first failure aborts with its message. */
export function applyAll(cluster: Cluster, manifests: Manifest[], owner: { name: string; namespace: string }, targetNamespace?: string): ApplyResult {
  const labels = { 'kustomize.toolkit.fluxcd.io/name': owner.name, 'kustomize.toolkit.fluxcd.io/namespace': owner.namespace };
  const ordered = [...manifests].sort((a, b) => rank(a) - rank(b));
  const applied = ordered.map((m) =>
    applyManifest(cluster, m, { fieldManager: 'kustomize-controller', labels, namespace: targetNamespace ?? owner.namespace, forceNamespace: targetNamespace !== undefined }),
  );
  const seen = new Set<string>();
  const inventory = applied.filter((a) => !seen.has(a.id) && seen.add(a.id)).map((a) => ({ id: a.id, v: a.version }));
  return { applied, inventory };
}

/** Splits an inventory id `<ns>_<name>_<group>_<Kind>` (fluxcd/cli-utils ParseObjMetadata). */
export function parseInventoryId(id: string): { namespace: string; name: string; group: string; kind: string } {
  const first = id.indexOf('_');
  const last = id.lastIndexOf('_');
  const middle = id.lastIndexOf('_', last - 1);
  return { namespace: id.slice(0, first), name: id.slice(first + 1, middle).replace(/__/g, ':'), group: id.slice(middle + 1, last), kind: id.slice(last + 1) };
}

/** Deletes what the old inventory has and the new one lacks, unless it opted out or lost the owner labels. */
export function prune(cluster: Cluster, before: InventoryEntry[], after: InventoryEntry[], owner: { name: string; namespace: string }): string[] {
  const keep = new Set(after.map((e) => e.id));
  const deleted: string[] = [];
  for (const e of before) {
    if (keep.has(e.id)) continue;
    const { namespace, name, group, kind } = parseInventoryId(e.id);
    const found = resolveKind(cluster, group ? `${group}/${e.v}` : e.v, kind);
    const obj = found && cluster.get<GenericObject>(found.resource, namespace || undefined, name);
    if (!found || !obj) continue;
    const labels = obj.metadata.labels ?? {};
    const owned = labels['kustomize.toolkit.fluxcd.io/name'] === owner.name && labels['kustomize.toolkit.fluxcd.io/namespace'] === owner.namespace;
    if (!owned || optedOut(obj.metadata, 'prune', 'disabled') || optedOut(obj.metadata, 'reconcile', 'disabled')) continue;
    deleteObject(cluster, found.resource, namespace || undefined, name);
    deleted.push(e.id);
  }
  return deleted;
}

export interface HistoryEntry {
  digest: string;
  firstReconciled: string;
  lastReconciled: string;
  lastReconciledDuration: string;
  lastReconciledStatus: string;
  totalReconciliations: number;
  metadata: { revision: string };
}

/** status.history (kustomize-controller ≥ v1.7): one snapshot per build digest, newest first, at most 5. */
export function upsertHistory(history: HistoryEntry[] | undefined, manifests: Manifest[], revision: string, status: string, ms: number): HistoryEntry[] {
  const digest = `sha256:${createHash('sha256').update(JSON.stringify(manifests)).digest('hex')}`;
  const at = now();
  const list = [...(history ?? [])];
  const i = list.findIndex((h) => h.digest === digest);
  const prev = i >= 0 ? list.splice(i, 1)[0] : undefined;
  const entry: HistoryEntry = {
    digest, firstReconciled: prev?.firstReconciled ?? at, lastReconciled: at, lastReconciledDuration: formatDuration(ms),
    lastReconciledStatus: status, totalReconciliations: (prev?.totalReconciliations ?? 0) + 1, metadata: { revision },
  };
  return [entry, ...list].slice(0, 5);
}
