import type { Narration } from '../types.js';
import type { Toolkit } from './client.js';
import { decodeGitRepository, type GitRepository } from './decode-flux.js';
import { deletedWhileWaiting, fetchIfExists, pendingTimeout, pollRounds } from './reconcile-request.js';
import { refName } from './revision.js';
import { sourceVerdict, who } from './sync-verdict.js';

export interface Fetched {
  repo: GitRepository;
  /** status.artifact.revision as written, e.g. `main@sha1:<40 hex>`. */
  revision: string;
}

/**
 * Waits until source-controller has handled our token on the root GitRepository (one GET per
 * round, at most 2 a second), then returns the revision it fetched; a failed or stalled fetch
 * ends the wait with the controller's reason and message.
 */
export async function awaitFetch(tk: Toolkit, repo: GitRepository, token: string, narrate: Narration): Promise<Fetched> {
  const { namespace, name } = repo.metadata;
  const id = who('GitRepository', repo.metadata);
  let detail = 'source-controller has not handled the reconcile request yet';
  narrate.progress(`Waiting for ${id} to fetch ${refName(repo.spec.ref)}`);
  try {
    return await pollRounds(tk.polling, async () => {
      const raw = await fetchIfExists(tk, 'GitRepository', namespace, name);
      if (raw === undefined) throw deletedWhileWaiting(id, 'fetch');
      const current = decodeGitRepository(raw, id);
      const v = sourceVerdict(current, token);
      if (v.state === 'done') return { value: { repo: current, revision: v.value }, requests: 1 };
      if (v.state === 'pending') {
        detail = v.detail;
        narrate.progress(`Waiting for ${id}: ${detail}`);
      }
      return { requests: 1 };
    });
  } catch (e) {
    throw pendingTimeout(e, `the revision of ${refName(repo.spec.ref)}`, [`${id}: ${detail}`], `source-controller may still answer: check with kubectl -n ${namespace} get gitrepository ${name} (or flux get sources git -n ${namespace})`);
  }
}
