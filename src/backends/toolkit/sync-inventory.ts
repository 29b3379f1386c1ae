import type { Kustomization } from './decode-flux.js';
import { parseInventoryId } from './ownership.js';

/*
 * What a sync applied, as list-workloads IDs: the workload kinds in the applied Kustomizations'
 * inventories (`<ns>_<name>_<group>_<Kind>`, fluxcd/cli-utils ObjMetadata). HelmReleases count
 * as workloads, as Flux v1 listed helm-operator releases; what helm-controller renders is not in
 * any inventory.
 */

const WORKLOAD_KINDS: ReadonlyMap<string, string> = new Map([
  ['apps/Deployment', 'deployment'],
  ['apps/StatefulSet', 'statefulset'],
  ['apps/DaemonSet', 'daemonset'],
  ['batch/CronJob', 'cronjob'],
  ['helm.toolkit.fluxcd.io/HelmRelease', 'helmrelease'],
]);

/**
 * `<ns>:<kind>/<name>` of every workload the Kustomizations applied, sorted and without
 * duplicates. A remote Kustomization (spec.kubeConfig) applies to another cluster, and one
 * without an inventory (none yet, or kustomize v1beta1's snapshot) lists nothing.
 */
export function inventoryWorkloadIds(kustomizations: readonly Kustomization[]): string[] {
  const ids = new Set<string>();
  for (const k of kustomizations) {
    if (k.spec.remote) continue;
    for (const entry of k.status.inventory ?? []) {
      const obj = parseInventoryId(entry.id);
      // Cluster-scoped objects have an empty namespace and are never workloads.
      if (obj === undefined || obj.namespace === '') continue;
      const kind = WORKLOAD_KINDS.get(`${obj.group}/${obj.kind}`);
      if (kind !== undefined) ids.add(`${obj.namespace}:${kind}/${obj.name}`);
    }
  }
  return [...ids].sort();
}
