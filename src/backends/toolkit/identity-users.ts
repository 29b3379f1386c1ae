import { ForbiddenError } from '../../kubernetes/api.js';
import type { GitRepository } from './decode-flux.js';
import { decodeItems } from './decode.js';
import { decodeGitRepository } from './decode-flux.js';
import { decodeImageUpdateAutomation } from './decode-image.js';
import type { Toolkit } from './client.js';

/** What else a deploy key Secret serves: other GitRepositories, and automations that push. */
export interface KeyUsers {
  /** `GitRepository ns/name` of the others with the same spec.secretRef. */
  repositories: string[];
  /** `ImageUpdateAutomation ns/name` whose sourceRef is this GitRepository: they push with the key. */
  pushers: string[];
}

/**
 * Who else stops working when the key changes. A secretRef is local, so other GitRepositories
 * are listed in the same namespace; image-automation-controller pushes with its source's Secret
 * (internal/source/git.go) and may reference it across namespaces. Each list is best effort:
 * without RBAC for it, or without the image controllers, it is skipped.
 */
export async function keyUsers(tk: Toolkit, repo: GitRepository): Promise<KeyUsers> {
  const { namespace, name } = repo.metadata;
  const repos = (await bestEffort(tk, 'GitRepositories', () => tk.list('GitRepository', namespace))) ?? [];
  const repositories = decodeItems(repos, 'GitRepository', decodeGitRepository)
    .filter((r) => r.metadata.name !== name && r.spec.secretRefName === repo.spec.secretRefName)
    .map((r) => `GitRepository ${r.metadata.namespace}/${r.metadata.name}`)
    .sort();
  if ((await tk.servedKind('ImageUpdateAutomation')) === undefined) return { repositories, pushers: [] };
  const autos =
    (await bestEffort(tk, 'ImageUpdateAutomations in all namespaces', () => tk.list('ImageUpdateAutomation', ''))) ??
    (await bestEffort(tk, 'ImageUpdateAutomations', () => tk.list('ImageUpdateAutomation', namespace))) ??
    [];
  const pushers = decodeItems(autos, 'ImageUpdateAutomation', decodeImageUpdateAutomation)
    .filter(({ spec: { sourceRef: ref } }) => ref !== null && (ref.kind === 'GitRepository' || ref.kind === '') && ref.name === name && ref.namespace === namespace)
    .map((a) => `ImageUpdateAutomation ${a.metadata.namespace}/${a.metadata.name}`)
    .sort();
  return { repositories, pushers };
}

async function bestEffort(tk: Toolkit, what: string, list: () => Promise<unknown[]>): Promise<unknown[] | undefined> {
  try {
    return await list();
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
    tk.debug(`cannot list ${what} (${e.message}); not checking who else uses the deploy key there`);
    return undefined;
  }
}
