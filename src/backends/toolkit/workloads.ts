import type { Workload } from '../../model/workload.js';
import { findCondition, READY } from './conditions.js';
import { podContainers } from './containers.js';
import type { ObjectMeta } from './decode.js';
import { APP_GROUPS, type AppKind, type AppObject } from './decode-apps.js';
import { latestSnapshot, type HelmRelease } from './decode-helm.js';
import { indexImages, type ImageIndex } from './image-index.js';
import { indexOwners, ownerOf, type Owner, type Owners } from './ownership.js';
import { appReadiness } from './readiness.js';
import { decodeWorkloadLists, type WorkloadLists, type WorkloadObjects } from './workload-lists.js';

export { decodeWorkloadLists, type WorkloadLists, type WorkloadObjects } from './workload-lists.js';

/*
 * list-workloads on Flux v2: the cluster's Deployments, StatefulSets, DaemonSets and CronJobs
 * (and HelmReleases, as v1 listed helm-operator releases) in the Flux v1 ControllerStatus shape.
 * Managers come from owner labels checked against inventories, POLICY from the image
 * automation objects; every join is a map lookup, so 10,000 workloads cost one pass.
 */

export interface WorkloadOptions {
  /** Rows only for this namespace ('' or absent: all). Owners may live anywhere. */
  namespace?: string;
}

// Per-object opt-outs kustomize-controller honours in labels or annotations, values compared
// case-insensitively (fluxcd/pkg ssa utils AnyInMetadata).
const OPT_OUTS: ReadonlyArray<[string, string]> = [['kustomize.toolkit.fluxcd.io/reconcile', 'disabled'], ['kustomize.toolkit.fluxcd.io/ssa', 'ignore']];

function optedOut(meta: ObjectMeta): boolean {
  const is = (v: string | undefined, want: string): boolean => v !== undefined && v !== '' && v.toLowerCase() === want;
  return OPT_OUTS.some(([k, want]) => is(meta.labels?.get(k), want) || is(meta.annotations?.get(k), want));
}

const resourceId = (namespace: string, kind: string, name: string): string => `${namespace}:${kind.toLowerCase()}/${name}`;

interface Row {
  id: string;
  containers: Workload['Containers'];
  status: string;
  rollout: Workload['Rollout'];
  meta: ObjectMeta;
  owner: Owner | undefined;
  automated: boolean;
  locked: boolean;
  ignore: boolean;
  policies: Map<string, string>;
}

/** A row in ControllerStatus field order (encodeGoJson writes fields as they come). */
function workload(r: Row): Workload {
  // The booleans are mirrored in Policies as v1's policy annotations were ("true").
  if (r.automated) r.policies.set('automated', 'true');
  if (r.locked) r.policies.set('locked', 'true');
  if (r.ignore) r.policies.set('ignore', 'true');
  return {
    ID: r.id,
    Containers: r.containers,
    // Flux v1's NotInRepo: no manifest in git manages it. Here: no Flux object applied it.
    ReadOnly: r.owner === undefined ? 'NotInRepo' : '',
    Status: r.status,
    Rollout: r.rollout,
    SyncError: r.owner?.failure ?? '',
    Antecedent: r.owner?.id ?? '',
    Labels: r.meta.labels,
    Automated: r.automated,
    Locked: r.locked,
    Ignore: r.ignore,
    Policies: r.policies,
  };
}

function appWorkload(kind: AppKind, app: AppObject, owners: Owners, images: ImageIndex): Workload {
  const { metadata } = app;
  const owner = ownerOf(owners, metadata, APP_GROUPS[kind], kind);
  const { status, rollout } = appReadiness(app.state, metadata.generation);
  const policies = new Map<string, string>();
  let automated = false;
  let locked = false;
  for (const c of [...app.containers, ...app.initContainers]) {
    const coverage = images.coverage(c.image, metadata.namespace);
    if (coverage.length === 0) continue;
    automated ||= coverage.some((x) => x.automated);
    locked ||= coverage.some((x) => x.locked);
    policies.set(`imagepolicy.${c.name}`, coverage.map((x) => `${x.policy.metadata.namespace}:${x.policy.metadata.name}`).join(','));
  }
  return workload({
    id: resourceId(metadata.namespace, kind, metadata.name), containers: podContainers(app), status, rollout, meta: metadata, owner,
    automated, locked, ignore: optedOut(metadata) || owner?.suspended === true, policies,
  });
}

/** A HelmRelease row: its Helm release status, else its Ready reason (v2beta1 kept no history). */
function helmReleaseStatus(hr: HelmRelease): string {
  const snapshot = latestSnapshot(hr);
  if (snapshot !== undefined && snapshot.status !== '') return snapshot.status;
  return findCondition(hr.status.conditions, READY)?.reason || 'unknown';
}

function helmReleaseWorkload(hr: HelmRelease, owners: Owners): Workload {
  const { metadata } = hr;
  const owner = ownerOf(owners, metadata, 'helm.toolkit.fluxcd.io', 'HelmRelease');
  return workload({
    id: resourceId(metadata.namespace, 'HelmRelease', metadata.name), containers: [], status: helmReleaseStatus(hr),
    rollout: { Desired: 0, Updated: 0, Ready: 0, Available: 0, Outdated: 0, Messages: null }, meta: metadata, owner,
    automated: false, locked: false, ignore: optedOut(metadata) || hr.spec.suspend || owner?.suspended === true, policies: new Map(),
  });
}

/** The workload rows, sorted by ID, in Flux v1's shape. */
export function buildWorkloads(objects: WorkloadObjects, options: WorkloadOptions = {}): Workload[] {
  const owners = indexOwners(objects.kustomizations, objects.helmReleases);
  const images = indexImages(objects.images);
  const wanted = (m: ObjectMeta): boolean => !options.namespace || m.namespace === options.namespace;
  const rows: Workload[] = [];
  for (const [kind, apps] of objects.apps) {
    for (const app of apps) if (wanted(app.metadata)) rows.push(appWorkload(kind, app, owners, images));
  }
  for (const hr of objects.helmReleases) if (wanted(hr.metadata)) rows.push(helmReleaseWorkload(hr, owners));
  return rows.sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
}

/** Decodes the list answers and builds the rows in one go. */
export function listToolkitWorkloads(lists: WorkloadLists, options: WorkloadOptions = {}): Workload[] {
  return buildWorkloads(decodeWorkloadLists(lists), options);
}
