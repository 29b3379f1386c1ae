import { failureMessage } from './conditions.js';
import type { ObjectMeta } from './decode.js';
import type { Kustomization } from './decode-flux.js';
import type { HelmRelease } from './decode-helm.js';

/*
 * Which Kustomization or HelmRelease manages an object. kustomize-controller stamps what it
 * applies with `kustomize.toolkit.fluxcd.io/{name,namespace}` (fluxcd/pkg ssa SetOwnerLabels);
 * helm-controller's post-renderer stamps rendered objects with `helm.toolkit.fluxcd.io/…`. The
 * owners' inventories are authoritative: a label that survived a move (an orphan left by
 * `prune: false`) names an owner whose inventory no longer lists the object. All joins are map
 * lookups on the inventory id `<ns>_<name>_<group>_<Kind>` (fluxcd/cli-utils ObjMetadata).
 */

export const KUSTOMIZE_NAME = 'kustomize.toolkit.fluxcd.io/name';
export const KUSTOMIZE_NAMESPACE = 'kustomize.toolkit.fluxcd.io/namespace';
export const HELM_NAME = 'helm.toolkit.fluxcd.io/name';
export const HELM_NAMESPACE = 'helm.toolkit.fluxcd.io/namespace';

export interface Owner {
  /** Flux v1 resource ID: `<ns>:kustomization/<name>` or `<ns>:helmrelease/<name>`. */
  id: string;
  kind: 'Kustomization' | 'HelmRelease';
  namespace: string;
  name: string;
  /** False when only a label named it (the owner itself was not listed). */
  known: boolean;
  suspended: boolean;
  /** The owner's Ready message while Ready is False, else ''. */
  failure: string;
  /** Inventory ids, or null when unknown (none recorded, v1beta1 snapshot, or a remote cluster). */
  inventory: ReadonlySet<string> | null;
}

export interface Owners {
  byId: ReadonlyMap<string, Owner>;
  /** Inventory id → the owner listing it (the smallest owner ID when several do). */
  byInventoryId: ReadonlyMap<string, Owner>;
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** The inventory id of an object; only RBAC names have their `:` written as `__`. */
export function inventoryId(namespace: string, name: string, group: string, kind: string): string {
  const encoded = group === 'rbac.authorization.k8s.io' && RBAC_KINDS.has(kind) ? name.replaceAll(':', '__') : name;
  return `${namespace}_${encoded}_${group}_${kind}`;
}

/** Splits an inventory id as ParseObjMetadata does; undefined when malformed. */
export function parseInventoryId(id: string): { namespace: string; name: string; group: string; kind: string } | undefined {
  const first = id.indexOf('_');
  const last = id.lastIndexOf('_');
  if (first < 0 || last <= first) return undefined;
  const rest = id.slice(first + 1, last);
  const groupAt = rest.lastIndexOf('_');
  if (groupAt < 0) return undefined;
  const name = rest.slice(0, groupAt).replaceAll('__', ':');
  if (name.includes('_')) return undefined;
  return { namespace: id.slice(0, first), name, group: rest.slice(groupAt + 1), kind: id.slice(last + 1) };
}

export const ownerId = (kind: Owner['kind'], namespace: string, name: string): string => `${namespace}:${kind.toLowerCase()}/${name}`;

function owner(kind: Owner['kind'], o: Kustomization | HelmRelease): Owner {
  const { namespace, name } = o.metadata;
  // A remote owner's inventory lists objects of another cluster.
  const entries = o.spec.remote ? null : o.status.inventory;
  return {
    id: ownerId(kind, namespace, name), kind, namespace, name, known: true, suspended: o.spec.suspend,
    failure: failureMessage(o.status), inventory: entries === null ? null : new Set(entries.map((e) => e.id)),
  };
}

export function indexOwners(kustomizations: readonly Kustomization[], helmReleases: readonly HelmRelease[]): Owners {
  const byId = new Map<string, Owner>();
  const byInventoryId = new Map<string, Owner>();
  const add = (o: Owner): void => {
    byId.set(o.id, o);
    for (const id of o.inventory ?? []) {
      const current = byInventoryId.get(id);
      if (current === undefined || o.id < current.id) byInventoryId.set(id, o);
    }
  };
  for (const k of kustomizations) add(owner('Kustomization', k));
  for (const h of helmReleases) add(owner('HelmRelease', h));
  return { byId, byInventoryId };
}

function labelled(owners: Owners, kind: Owner['kind'], meta: ObjectMeta, nameKey: string, nsKey: string, invId: string): Owner | undefined {
  const name = meta.labels?.get(nameKey);
  if (name === undefined || name === '') return undefined;
  const namespace = meta.labels?.get(nsKey) || meta.namespace;
  const id = ownerId(kind, namespace, name);
  const known = owners.byId.get(id);
  if (known === undefined) return { id, kind, namespace, name, known: false, suspended: false, failure: '', inventory: null };
  return known.inventory === null || known.inventory.has(invId) ? known : undefined;
}

/**
 * The manager of an object: the HelmRelease that rendered it, else the Kustomization that
 * applied it (by labels checked against inventories, then by inventory alone).
 */
export function ownerOf(owners: Owners, meta: ObjectMeta, group: string, kind: string): Owner | undefined {
  const id = inventoryId(meta.namespace, meta.name, group, kind);
  return (
    labelled(owners, 'HelmRelease', meta, HELM_NAME, HELM_NAMESPACE, id) ??
    labelled(owners, 'Kustomization', meta, KUSTOMIZE_NAME, KUSTOMIZE_NAMESPACE, id) ??
    owners.byInventoryId.get(id)
  );
}
