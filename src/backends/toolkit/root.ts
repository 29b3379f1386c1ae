import { UnreachableError } from '../../errors.js';
import { ForbiddenError } from '../../kubernetes/api.js';
import type { Toolkit } from './client.js';
import { decodeGitRepository, decodeKustomization, type GitRepository, type Kustomization } from './decode-flux.js';

/**
 * "The Flux" of a v2 cluster, for fluxctl's daemon-shaped commands: the root GitRepository
 * (--git-repository, else the one named like the namespace as `flux bootstrap` names it, else
 * the only one) and the Kustomizations that apply it.
 */
export async function findRootRepository(tk: Toolkit, explicit: string | undefined): Promise<GitRepository> {
  const ns = tk.namespace;
  if (explicit !== undefined) return decodeGitRepository(await tk.get('GitRepository', ns, explicit), `GitRepository ${ns}/${explicit}`);
  const all = (await tk.list('GitRepository', ns)).map((item, i) => decodeGitRepository(item, `GitRepository list[${i}]`));
  const chosen = all.find((r) => r.metadata.name === ns) ?? (all.length === 1 ? all[0] : undefined);
  if (chosen !== undefined) {
    tk.debug(`root GitRepository ${ns}/${chosen.metadata.name}`);
    return chosen;
  }
  if (all.length > 1) {
    const lines = all.map((r) => `  ${r.metadata.namespace}/${r.metadata.name}  ${r.spec.url}`).sort();
    throw new UnreachableError(`Ambiguous GitRepository: found more than one in namespace "${ns}" and none named "${ns}":\n${lines.join('\n')}`, {
      hint: 'pick one with --git-repository <name> (or FLUXCTL_GIT_REPOSITORY)',
    });
  }
  throw await noRepository(tk);
}

/** None in the namespace: say where there are some, when RBAC lets us list across namespaces. */
async function noRepository(tk: Toolkit): Promise<UnreachableError> {
  const ns = tk.namespace;
  let elsewhere: string[] | undefined;
  try {
    const items = (await tk.list('GitRepository', '')).map((item, i) => decodeGitRepository(item, `GitRepository list[${i}]`));
    elsewhere = [...new Set(items.map((r) => r.metadata.namespace))].sort();
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
  }
  const where =
    elsewhere === undefined
      ? ' (listing other namespaces is not allowed, so they were not searched)'
      : elsewhere.length === 0
        ? '; the cluster has none in any namespace'
        : `; namespaces that have one: ${elsewhere.join(', ')}`;
  const hint = elsewhere !== undefined && elsewhere.length > 0 ? `pass --k8s-fwd-ns ${elsewhere[0]} (or set FLUX_SYSTEM_NAMESPACE)` : 'bootstrap Flux with a git source (flux bootstrap …), or pass --k8s-fwd-ns with the namespace of your GitRepository';
  return new UnreachableError(`no Flux v2 GitRepository found in namespace "${ns}"${where}`, { hint });
}

/** True when the Kustomization's sourceRef names this GitRepository (its namespace defaults to the Kustomization's). */
export function appliesRepository(k: Kustomization, repo: GitRepository): boolean {
  const ref = k.spec.sourceRef;
  if (ref === null || ref.kind !== 'GitRepository' || ref.name !== repo.metadata.name) return false;
  return (ref.namespace || k.metadata.namespace) === repo.metadata.namespace;
}

/**
 * The Kustomizations that apply the root repository. Sources may be referenced across
 * namespaces, so list cluster-wide; without that permission, the Flux namespace only.
 */
export async function findRootKustomizations(tk: Toolkit, repo: GitRepository): Promise<Kustomization[]> {
  let items: unknown[];
  try {
    items = await tk.list('Kustomization', '');
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
    tk.debug(`cannot list Kustomizations in all namespaces (${e.message}); looking in "${tk.namespace}" only`);
    items = await tk.list('Kustomization', tk.namespace);
  }
  return items
    .map((item, i) => decodeKustomization(item, `Kustomization list[${i}]`))
    .filter((k) => appliesRepository(k, repo))
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
}
