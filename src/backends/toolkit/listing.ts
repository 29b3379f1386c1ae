import type { Workload } from '../../model/workload.js';
import type { Backend } from '../types.js';
import { listImages } from './listing-images.js';
import { APP_KINDS, listApps, listFlux, listImageObjects, setAppList } from './listing-fetch.js';
import { groupByKind, listScope, parseRowId, type RowKind } from './listing-ids.js';
import type { Session } from './session.js';
import { decodeWorkloadLists, type WorkloadLists, type WorkloadObjects } from './workload-lists.js';
import { buildWorkloads } from './workloads.js';

/*
 * list-workloads, the rollout watch's fresh reads, and list-images on Flux v2. Every answer
 * costs a fixed number of LIST calls (the four workload kinds, plus the Flux kinds that manage
 * or automate them), never a GET per workload, and the joins are map lookups: 10,000
 * Deployments are one list answer and one pass.
 */

export function createListing(s: Session): Pick<Backend, 'listWorkloads' | 'workloadsById' | 'listImages'> {
  // A rollout watch polls workloadsById every second: who manages a workload and which policies
  // automate it do not change while it rolls out, so those lists are read once per run.
  let managers: Promise<WorkloadObjects> | undefined;
  return {
    listWorkloads: (namespace) => listWorkloads(s, namespace),
    workloadsById: async (ids) => {
      if (!ids.some((id) => parseRowId(id) !== undefined)) return null;
      const fresh = managers === undefined;
      managers ??= listManagers(s, ids);
      return workloadsById(s, ids, managers, fresh);
    },
    listImages: (query) => listImages(s, query),
  };
}

async function listWorkloads(s: Session, namespace: string): Promise<Workload[] | null> {
  const tk = s.tk;
  const near = [tk.namespace, namespace];
  const [apps, kustomizations, helmReleases, images] = await Promise.all([
    Promise.all(APP_KINDS.map((kind) => listApps(tk, kind, namespace))),
    listFlux(tk, 'Kustomization', near),
    listFlux(tk, 'HelmRelease', near),
    listImageObjects(tk, near),
  ]);
  const lists: WorkloadLists = { kustomizations, helmReleases, ...images };
  APP_KINDS.forEach((kind, i) => setAppList(lists, kind, apps[i] ?? []));
  const rows = buildWorkloads(decodeWorkloadLists(lists), { namespace });
  return rows.length === 0 ? null : rows;
}

/** The Kustomizations, HelmReleases and image automation objects, decoded, with no workloads. */
async function listManagers(s: Session, ids: readonly string[]): Promise<WorkloadObjects> {
  const tk = s.tk;
  const near = nearIds(s, ids);
  const [kustomizations, helmReleases, images] = await Promise.all([
    listFlux(tk, 'Kustomization', near),
    listFlux(tk, 'HelmRelease', near),
    listImageObjects(tk, near),
  ]);
  return decodeWorkloadLists({ kustomizations, helmReleases, ...images });
}

/**
 * The named workloads, fresh: one LIST per kind named (in their namespace when they share one,
 * by field selector when there is one), joined with the managers read once. Unknown IDs and
 * deleted workloads are left out; null when none is found.
 */
async function workloadsById(s: Session, ids: readonly string[], managers: Promise<WorkloadObjects>, fresh: boolean): Promise<Workload[] | null> {
  const groups = groupByKind(ids);
  // HelmReleases are rows and owners at once: the managers' list serves when it was just read.
  if (fresh) groups.delete('HelmRelease');
  const tk = s.tk;
  const kinds = [...groups.keys()];
  const [context, answers] = await Promise.all([
    managers,
    Promise.all(kinds.map((kind) => listKind(s, kind, listScope(groups.get(kind) ?? []), ids))),
  ]);
  const lists: WorkloadLists = {};
  let helmReleases = context.helmReleases;
  kinds.forEach((kind, i) => {
    if (kind === 'HelmRelease') helmReleases = decodeWorkloadLists({ helmReleases: answers[i] }).helmReleases;
    else setAppList(lists, kind, answers[i] ?? []);
  });
  tk.debug(`fresh state of ${ids.length} workload(s) from ${kinds.length} workload list call(s)`);
  const wanted = new Set(ids);
  const rows = buildWorkloads({ ...context, apps: decodeWorkloadLists(lists).apps, helmReleases }).filter((w) => wanted.has(w.ID));
  return rows.length === 0 ? null : rows;
}

function listKind(s: Session, kind: RowKind, scope: { namespace: string; name?: string }, ids: readonly string[]): Promise<unknown> {
  // HelmReleases are both rows and owners: list them all, fresh, in place of the read-once ones.
  if (kind === 'HelmRelease') return listFlux(s.tk, 'HelmRelease', nearIds(s, ids));
  return listApps(s.tk, kind, scope.namespace, scope.name);
}

/** Where to look when a cluster-wide list is refused: the Flux namespace and the IDs' own. */
function nearIds(s: Session, ids: readonly string[]): string[] {
  return [...new Set([s.tk.namespace, ...ids.map((id) => id.slice(0, Math.max(0, id.indexOf(':'))))])];
}
