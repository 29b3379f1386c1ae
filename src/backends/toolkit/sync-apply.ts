import type { Narration } from '../types.js';
import type { Toolkit } from './client.js';
import { decodeGitRepository, decodeKustomization, type GitRepository, type Kustomization } from './decode-flux.js';
import { deletedWhileWaiting, fetchIfExists, pendingTimeout, pollRounds, requestReconcile, type Round } from './reconcile-request.js';
import { sameRevision, shortRevision } from './revision.js';
import type { Fetched } from './sync-source.js';
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
export async function applyRevision(tk: Toolkit, token: string, fetched: Fetched, roots: readonly Kustomization[], narrate: Narration): Promise<Kustomization[]> {
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

async function awaitApplied(tk: Toolkit, token: string, fetched: Fetched, active: readonly Kustomization[], narrate: Narration): Promise<Kustomization[]> {
  const wait = new AppliedWait(tk, token, fetched, active, narrate);
  try {
    return await pollRounds(tk.polling, () => wait.round(), active.length);
  } catch (e) {
    throw pendingTimeout(e, `${wait.rev} to be applied`, wait.pending(), 'kustomize-controller carries on: check with flux get kustomizations -A (or kubectl get kustomizations -A)');
  }
}

/** One wait for the Kustomizations to apply a revision: one GET per pending Kustomization a round. */
class AppliedWait {
  readonly rev: string;
  private readonly waiting: Map<string, Waiting>;
  private readonly applied: Kustomization[] = [];
  // The source may fetch a newer commit while we wait; a Kustomization that applied that one is done too.
  private latest: string;

  constructor(
    private readonly tk: Toolkit,
    private readonly token: string,
    private readonly fetched: Fetched,
    active: readonly Kustomization[],
    private readonly narrate: Narration,
  ) {
    this.rev = shortRevision(fetched.revision);
    this.latest = fetched.revision;
    this.waiting = new Map(active.map((k) => [who('Kustomization', k.metadata), { k, detail: 'kustomize-controller has not handled the reconcile request yet' }]));
  }

  pending(): string[] {
    return [...this.waiting].map(([id, w]) => `${id}: ${w.detail}`);
  }

  async round(): Promise<Round<Kustomization[]>> {
    let requests = 0;
    let other = false;
    for (const [id, w] of this.waiting) {
      requests++;
      other = (await this.check(id, w)) || other;
    }
    if (this.waiting.size === 0) return { value: this.applied, requests };
    this.narrate.progress(`Waiting for ${this.rev} to be applied: ${this.pending().join('; ')}`);
    if (other) {
      this.latest = await sourceRevision(this.tk, this.fetched.repo, this.latest);
      requests++;
    }
    return { requests };
  }

  /** Reads one Kustomization and moves it out of `waiting` when it is done; true when it applied another revision. */
  private async check(id: string, w: Waiting): Promise<boolean> {
    const { namespace, name } = w.k.metadata;
    const raw = await fetchIfExists(this.tk, 'Kustomization', namespace, name);
    if (raw === undefined) throw deletedWhileWaiting(id, `apply ${this.rev}`);
    const k = decodeKustomization(raw, id);
    const target = this.fetched.revision;
    const v = kustomizationVerdict(k, this.token, target, (r) => r !== '' && (sameRevision(r, target) || sameRevision(r, this.latest)));
    if (v.state === 'pending') {
      this.waiting.set(id, { k, detail: v.detail });
      return v.appliedOther !== undefined;
    }
    this.waiting.delete(id);
    if (v.state === 'suspended') this.narrate.warn(skipped(k));
    else this.applied.push(k);
    if (v.state === 'done' && !sameRevision(v.value, target)) this.narrate.warn(`${id} applied ${shortRevision(v.value)}, a newer revision the source fetched meanwhile`);
    return false;
  }
}

/** The source's current artifact revision (unchanged when it has none or is gone). */
async function sourceRevision(tk: Toolkit, repo: GitRepository, previous: string): Promise<string> {
  const raw = await fetchIfExists(tk, 'GitRepository', repo.metadata.namespace, repo.metadata.name);
  if (raw === undefined) return previous;
  return decodeGitRepository(raw, who('GitRepository', repo.metadata)).status.artifact?.revision || previous;
}
