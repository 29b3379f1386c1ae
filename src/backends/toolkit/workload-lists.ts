import { decodeItems } from './decode.js';
import { decodeApp, type AppKind, type AppObject } from './decode-apps.js';
import { decodeImageUpdateAutomation } from './decode-automation.js';
import { decodeKustomization, type Kustomization } from './decode-flux.js';
import { decodeHelmRelease, type HelmRelease } from './decode-helm.js';
import { decodeImagePolicy, decodeImageRepository } from './decode-image.js';
import type { ImageObjects } from './image-index.js';

/* The inputs of list-workloads and list-images: the API's list answers, and their typed views. */

/** The list answers (`{"items": [...]}`) as read from the API; absent ones count as empty. */
export interface WorkloadLists {
  deployments?: unknown;
  statefulSets?: unknown;
  daemonSets?: unknown;
  cronJobs?: unknown;
  helmReleases?: unknown;
  kustomizations?: unknown;
  imageRepositories?: unknown;
  imagePolicies?: unknown;
  imageUpdateAutomations?: unknown;
}

/** A list whose items were decoded as the answer arrived (Toolkit.listDecoded): taken as they are. */
export class DecodedItems<T> {
  constructor(readonly items: readonly T[]) {}
}

export interface WorkloadObjects {
  apps: ReadonlyMap<AppKind, readonly AppObject[]>;
  kustomizations: readonly Kustomization[];
  helmReleases: readonly HelmRelease[];
  images: ImageObjects;
}

const APP_LISTS: ReadonlyArray<[AppKind, keyof WorkloadLists]> = [
  ['Deployment', 'deployments'], ['StatefulSet', 'statefulSets'], ['DaemonSet', 'daemonSets'], ['CronJob', 'cronJobs'],
];

export function decodeWorkloadLists(lists: WorkloadLists): WorkloadObjects {
  return {
    apps: new Map(APP_LISTS.map(([kind, field]) => [kind, decodedApps(lists[field], kind)])),
    kustomizations: decodeItems(lists.kustomizations, 'Kustomization', decodeKustomization),
    helmReleases: decodeItems(lists.helmReleases, 'HelmRelease', decodeHelmRelease),
    images: {
      repositories: decodeItems(lists.imageRepositories, 'ImageRepository', decodeImageRepository),
      policies: decodeItems(lists.imagePolicies, 'ImagePolicy', decodeImagePolicy),
      automations: decodeItems(lists.imageUpdateAutomations, 'ImageUpdateAutomation', decodeImageUpdateAutomation),
    },
  };
}

function decodedApps(list: unknown, kind: AppKind): readonly AppObject[] {
  return list instanceof DecodedItems ? (list.items as readonly AppObject[]) : decodeItems(list, kind, decodeApp(kind));
}
