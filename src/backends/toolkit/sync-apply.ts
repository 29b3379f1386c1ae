import type { Narration } from '../types.js';
import type { Toolkit } from './client.js';
import { decodeGitRepository, decodeKustomization, type GitRepository, type Kustomization } from './decode-flux.js';
import { deletedWhileWaiting, fetchIfExists, pendingTimeout, pollRounds, requestReconcile, type Round } from './reconcile-request.js';
import { sameRevision, shortRevision } from './revision.js';
import { kustomizationVerdict, who } from './sync-verdict.js';

/*
 * The second half of a sync: the root Kustomizations apply the fetched revision. A new source
 * revision already cascades to every Kustomization that references it (kustomize-controller
 * source_predicate.go); annotating them with the same token as well re-applies and corrects
 * drift when the commit did not change, and gives us an exact token to wait for.
 */

interface Waiting {
  k: Kustomization;
  detail: string;
}

/** Annotates the active root Kustomizations and waits until each has applied the revision. */
export async function applyRevision(tk: Toolkit, token: string, fetched: { repo: GitRepository; revision: string }, roots: readonly Kustomization[], narrate: Narration): Promise<Kustomization[]> {
  const active = roots.filter((k) => {
    if (!k.spec.suspend) return true;
    narrate.warn(skipped(k));
    return false;
  });
  if (roots.length === 0) narrate.warn(`no Kustomization applies ${who('GitRepository', fetched.repo.metadata)}: nothing to wait for`);
  for (const k of active) await requestReconcile(tk, 'Kustomization', k.metadata.namespace, k.metadata.name, token);
  if (active.length === 0) return [];
  return awaitApplied(tk, token, fetched, active, narrate);
}

const skipped = (k: Kustomization): string =>
  `${who('Kustomization', k.metadata)} is suspended: skipping it (resume it with flux resume kustomization ${k.metadata.name} -n ${k.metadata.namespace})`;

async function awaitApplied(tk: Toolkit, token: string, fetched: { repo: GitRepository; revision: string }, active: readonly Kustomization[], narrate: Narration): Promise<Kustomization[]> {
  const target = fetched.revision;
  const rev = shortRevision(target);
  const waiting = new Map<string, Waiting>(active.map((k) => [who('Kustomization', k.metadata), { k, detail: 'kustomize-controller has not handled the reconcile request yet' }]));
  const applied: Kustomization[] = [];
  // The source may fetch a newer commit while we wait; a Kustomization that applied that one is done too.
  let latest = target;
  const accepts = (r: string): boolean => r !== '' && (sameRevision(r, target) || sameRevision(r, latest));
  const round = async (): Promise<Round<Kustomization[]>> => {
    let requests = 0;
    let other = false;
    for (const [id, w] of waiting) {
      const raw = await fetchIfExists(tk, 'Kustomization', w.k.metadata.namespace, w.k.metadata.name);
      requests++;
      if (raw === undefined) throw deletedWhileWaiting(id, `apply ${rev}`);
      const k = decodeKustomization(raw, id);
      const v = kustomizationVerdict(k, token, target, accepts);
      if (v.state === 'pending') {
        waiting.set(id, { k, detail: v.detail });
        other ||= v.appliedOther !== undefined;
        continue;
      }
      waiting.delete(id);
      if (v.state === 'suspended') narrate.warn(skipped(k));
      else applied.push(k);
      if (v.state === 'done' && !sameRevision(v.value, target)) narrate.warn(`${id} applied ${shortRevision(v.value)}, a newer revision the source fetched meanwhile`);
    }
    if (waiting.size === 0) return { value: applied, requests };
    narrate.progress(`Waiting for ${rev} to be applied: ${pendingList(waiting).join('; ')}`);
    if (other) {
      latest = await sourceRevision(tk, fetched.repo, latest);
      requests++;
    }
    return { requests };
  };
  try {
    return await pollRounds(tk.signal, round, waiting.size);
  } catch (e) {
    throw pendingTimeout(e, `${rev} to be applied`, pendingList(waiting), 'kustomize-controller carries on: check with flux get kustomizations -A (or kubectl get kustomizations -A)');
  }
}

const pendingList = (waiting: ReadonlyMap<string, Waiting>): string[] => [...waiting].map(([id, w]) => `${id}: ${w.detail}`);

/** The source's current artifact revision (unchanged when it has none or is gone). */
async function sourceRevision(tk: Toolkit, repo: GitRepository, previous: string): Promise<string> {
  const raw = await fetchIfExists(tk, 'GitRepository', repo.metadata.namespace, repo.metadata.name);
  if (raw === undefined) return previous;
  return decodeGitRepository(raw, who('GitRepository', repo.metadata)).status.artifact?.revision || previous;
}
