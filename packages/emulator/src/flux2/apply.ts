// Applying manifests the way kustomize-controller's server-side apply ends up (fluxcd/pkg
// ssa): the fields git declares win, fields only the cluster has survive (a non-kubectl
// manager's hot patch), owner labels are stamped, the opt-out annotations are honoured.
// Simplification: a field removed from git is not removed from the cluster.
import type { Cluster } from '../kube/cluster.js';
import type { GenericObject, KubeObject, Labels } from '../kube/types.js';
import { isPlainObject } from '../kube/util.js';
import type { Manifest } from './types.js';
import { normalizeWorkload, settleWorkload } from './workloads.js';

export interface ResolvedKind {
  resource: string;
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
}

export interface Applied extends ResolvedKind {
  namespace: string | undefined;
  name: string;
  /** Inventory entry id: `<namespace>_<name>_<group>_<Kind>`. */
  id: string;
  action: 'created' | 'configured' | 'unchanged' | 'skipped';
}

const RBAC = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];
const FLUX = 'kustomize.toolkit.fluxcd.io';

/** fluxcd/cli-utils ObjMetadata string; RBAC names encode ':' as '__'. */
export function inventoryId(ns: string | undefined, name: string, group: string, kind: string): string {
  const n = RBAC.includes(kind) && group === 'rbac.authorization.k8s.io' ? name.replace(/:/g, '__') : name;
  return `${ns ?? ''}_${n}_${group}_${kind}`;
}

/** The resource serving apiVersion/kind in this cluster, as a RESTMapper finds it. */
export function resolveKind(cluster: Cluster, apiVersion: string, kind: string): ResolvedKind | undefined {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  const info = cluster.resources.all().find((r) => r.group === group && r.kind === kind && r.versions.some((v) => v.served && v.name === version));
  return info && { resource: info.key, group, version, kind, namespaced: info.namespaced };
}

/** Opt-outs kustomize-controller reads from labels or annotations, case-insensitively. */
export function optedOut(meta: { labels?: Labels; annotations?: Labels } | undefined, key: string, value: string): boolean {
  const all = { ...meta?.labels, ...meta?.annotations };
  return Object.entries(all).some(([k, v]) => k === `${FLUX}/${key}` && v.toLowerCase() === value.toLowerCase());
}

/** Git's fields over the cluster's: objects merge, anything else (lists included) is replaced. */
export function mergeDeclared(current: unknown, declared: unknown): unknown {
  if (!isPlainObject(current) || !isPlainObject(declared)) return structuredClone(declared);
  const out: Record<string, unknown> = structuredClone(current);
  for (const [k, v] of Object.entries(declared)) out[k] = mergeDeclared(current[k], v);
  return out;
}

export interface ApplyOptions {
  fieldManager: string;
  /** Labels stamped on every object (the owner labels). */
  labels: Labels;
  /** Namespace for namespaced objects that name none (or all of them, with force). */
  namespace: string;
  forceNamespace?: boolean;
}

/** Applies one manifest; throws an Error with the upstream-style message when it cannot. */
export function applyManifest(cluster: Cluster, m: Manifest, o: ApplyOptions): Applied {
  const kind = resolveKind(cluster, m.apiVersion, m.kind);
  const ns = kind?.namespaced ? (o.forceNamespace ? o.namespace : m.metadata.namespace ?? o.namespace) : undefined;
  const where = `${m.kind}/${ns ? `${ns}/` : ''}${m.metadata.name}`;
  if (!kind) throw new Error(`${where} dry-run failed: no matches for kind "${m.kind}" in version "${m.apiVersion}"`);
  if (ns && !cluster.get('namespaces', undefined, ns)) throw new Error(`${where} namespace not specified: namespaces "${ns}" not found`);
  const base = { ...kind, namespace: ns, name: m.metadata.name, id: inventoryId(ns, m.metadata.name, kind.group, kind.kind) };
  const current = cluster.get<GenericObject>(kind.resource, ns, m.metadata.name);
  if (optedOut(m.metadata, 'reconcile', 'disabled') || optedOut(m.metadata, 'ssa', 'ignore')) return { ...base, action: 'skipped' };
  if (current && (optedOut(current.metadata, 'reconcile', 'disabled') || optedOut(current.metadata, 'ssa', 'ignore') || optedOut(m.metadata, 'ssa', 'ifnotpresent'))) {
    return { ...base, action: 'skipped' };
  }
  if (kind.kind === 'Namespace' && !current) cluster.addNamespace(m.metadata.name);
  const desired = normalizeWorkload(kind.kind, desiredObject(m, ns, o.labels));
  const existing = cluster.get<GenericObject>(kind.resource, ns, m.metadata.name);
  const proposed = existing ? merged(existing, desired) : desired;
  const result = cluster.write<KubeObject>(kind.resource, proposed, { fieldManager: o.fieldManager });
  if (result.created || result.generationChanged) settleWorkload(cluster, kind.resource, result.object as GenericObject);
  const action = !existing ? 'created' : result.object.metadata.resourceVersion === existing.metadata.resourceVersion ? 'unchanged' : 'configured';
  return { ...base, action };
}

function desiredObject(m: Manifest, ns: string | undefined, labels: Labels): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = structuredClone(m);
  const metadata = { ...rest.metadata, labels: { ...rest.metadata.labels, ...labels } };
  if (ns) metadata.namespace = ns;
  else delete metadata.namespace;
  if (isPlainObject(rest.stringData)) {
    // The API server folds stringData into data.
    const data = { ...(rest.data as Record<string, string> | undefined) };
    for (const [k, v] of Object.entries(rest.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
    rest.data = data;
    delete rest.stringData;
  }
  return { ...rest, metadata };
}

function merged(existing: GenericObject, desired: Record<string, unknown>): Record<string, unknown> {
  const out = mergeDeclared(existing, desired) as Record<string, unknown>;
  const meta = out.metadata as Record<string, unknown>;
  delete meta.resourceVersion;
  delete meta.managedFields;
  return out;
}

/** Deletes an object the way the garbage collector would (its ReplicaSets and pods with it). */
export function deleteObject(cluster: Cluster, resource: string, ns: string | undefined, name: string): void {
  cluster.remove(resource, ns, name, { cascade: true });
}
