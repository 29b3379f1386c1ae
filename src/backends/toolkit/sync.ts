import { CliError } from '../../errors.js';
import type { Workload } from '../../model/workload.js';
import type { Backend, SyncRequest } from '../types.js';
import type { Kustomization } from './decode-flux.js';
import { reconcileToken, requestReconcile } from './reconcile-request.js';
import { parseRevision, refName } from './revision.js';
import type { Session } from './session.js';
import { applyRevision } from './sync-apply.js';
import { inventoryWorkloadIds } from './sync-inventory.js';
import { awaitFetch, type Fetched } from './sync-source.js';
import { suspendedSource } from './sync-verdict.js';

/*
 * `fluxctl sync` on Flux v2: no daemon job, but the reconcile-request protocol. One fresh token
 * is written on the root GitRepository; once source-controller has handled it, the revision it
 * fetched is the one to apply; the same token then goes on the root Kustomizations, which are
 * done when they have handled it and applied that revision with Ready=True.
 */

interface SyncRun {
  fetched?: Fetched;
  /** The Kustomizations as last seen applying the revision (their inventories). */
  applied?: Kustomization[];
}

export function createSync(s: Session): Pick<Backend, 'syncSource' | 'requestSync' | 'awaitRevision' | 'awaitApplied' | 'syncedWorkloads'> {
  const runs = new Map<string, SyncRun>();
  const run = (request: SyncRequest): SyncRun => {
    const r = runs.get(request.id);
    if (r === undefined) throw new CliError(`no Flux v2 sync was requested with token ${request.id}`);
    return r;
  };
  return {
    async syncSource() {
      const repo = await s.root();
      if (repo.spec.suspend) throw suspendedSource(repo);
      return { url: repo.spec.url, ref: refName(repo.spec.ref) };
    },
    async requestSync() {
      const repo = await s.root();
      const token = reconcileToken();
      await requestReconcile(s.tk, 'GitRepository', repo.metadata.namespace, repo.metadata.name, token);
      runs.set(token, {});
      return { id: token };
    },
    async awaitRevision(request, narrate) {
      const r = run(request);
      r.fetched = await awaitFetch(s.tk, await s.root(), request.id, narrate);
      return displayRevision(r.fetched.revision);
    },
    async awaitApplied(request, _revision, narrate) {
      const r = run(request);
      if (r.fetched === undefined) throw new CliError('the sync has no fetched revision to apply yet');
      r.applied = await applyRevision(s.tk, request.id, r.fetched, await s.rootKustomizations(), narrate);
    },
    async syncedWorkloads(request) {
      const applied = runs.get(request.id)?.applied ?? (await s.rootKustomizations()).filter((k) => !k.spec.suspend);
      return workloadsIn(s, applied);
    },
  };
}

/**
 * The revision as fluxctl shows and reports it: the commit hash alone, so `Revision of main to
 * apply is <7 hex>` and JSON's `revision` read as they do on Flux v1. Unparsable input is kept.
 */
export function displayRevision(revision: string): string {
  return parseRevision(revision)?.hex ?? revision;
}

/** Fresh state of the workloads in the Kustomizations' inventories, built as list-workloads builds rows. */
async function workloadsIn(s: Session, kustomizations: readonly Kustomization[]): Promise<Workload[]> {
  const ids = inventoryWorkloadIds(kustomizations);
  if (ids.length === 0) return [];
  return (await (await s.listing()).workloadsById(ids)) ?? [];
}
