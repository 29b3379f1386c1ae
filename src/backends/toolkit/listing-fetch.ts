import { ForbiddenError } from '../../kubernetes/api.js';
import type { Toolkit } from './client.js';
import { decodeApp, type AppKind, type AppObject } from './decode-apps.js';
import type { FluxKind } from './discovery.js';
import { DecodedItems, type WorkloadLists } from './workload-lists.js';

/*
 * The list calls behind list-workloads, list-images and the automation shortcuts: one LIST per
 * kind, whatever the number of objects, never a GET per workload. Workloads are listed where
 * asked; the Flux objects that manage or automate them are listed cluster-wide, because a
 * Kustomization in flux-system applies to every namespace and an ImagePolicy may sit anywhere.
 */

const APP_FIELDS: Readonly<Record<AppKind, 'deployments' | 'statefulSets' | 'daemonSets' | 'cronJobs'>> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulSets',
  DaemonSet: 'daemonSets',
  CronJob: 'cronJobs',
};
export const APP_KINDS: readonly AppKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'];

/**
 * One kind's objects in `namespace` ('' = all), narrowed to one name by a field selector when
 * only one is wanted, decoded as the answer arrives (a cluster's Deployments are the one large
 * list). Errors (403 naming the verb and resource) are the caller's.
 */
export async function listApps(tk: Toolkit, kind: AppKind, namespace: string, name?: string): Promise<DecodedItems<AppObject>> {
  return new DecodedItems(await tk.listDecoded(kind, namespace, decodeApp(kind), name === undefined ? {} : { fieldSelector: `metadata.name=${name}` }));
}

/** Puts a kind's items (raw, or decoded by listApps) where decodeWorkloadLists reads them. */
export function setAppList(lists: WorkloadLists, kind: AppKind, items: unknown): void {
  lists[APP_FIELDS[kind]] = items;
}

/**
 * A Flux kind cluster-wide. Not served (its controller is not installed) reads as none. When RBAC
 * refuses the cluster-wide list, the namespaces in `near` are listed instead (typically the Flux
 * namespace and the one asked about); if every one is refused, an optional list reads as none
 * and a required one fails with the API server's message.
 */
export async function listFlux(tk: Toolkit, kind: FluxKind, near: readonly string[], required = false): Promise<unknown[]> {
  if ((await tk.servedKind(kind)) === undefined) {
    tk.debug(`${kind} is not served (its Flux controller is not installed): none listed`);
    return [];
  }
  try {
    return await tk.list(kind, '');
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
    const namespaces = [...new Set(near.filter((n) => n !== ''))];
    tk.debug(`${e.message}; listing ${kind} in ${namespaces.map((n) => `"${n}"`).join(', ') || 'no namespace'} instead`);
    const lists = await Promise.all(namespaces.map((ns) => tk.list(kind, ns).catch((denied: unknown) => denial(denied))));
    const allowed = lists.filter((l): l is unknown[] => l !== undefined);
    if (allowed.length === 0 && required) throw e;
    const items: unknown[] = [];
    for (const list of allowed) for (const item of list) items.push(item);
    return items;
  }
}

/** A 403 reads as "no answer"; any other failure stands. */
function denial(e: unknown): undefined {
  if (e instanceof ForbiddenError) return undefined;
  throw e;
}

/** The image automation objects (ImageRepository, ImagePolicy, ImageUpdateAutomation), listed at once. */
export async function listImageObjects(tk: Toolkit, near: readonly string[], required = false): Promise<WorkloadLists> {
  const [imageRepositories, imagePolicies, imageUpdateAutomations] = await Promise.all([
    listFlux(tk, 'ImageRepository', near, required),
    listFlux(tk, 'ImagePolicy', near, required),
    listFlux(tk, 'ImageUpdateAutomation', near, required),
  ]);
  return { imageRepositories, imagePolicies, imageUpdateAutomations };
}
