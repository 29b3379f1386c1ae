import type { Globals } from '../../context/globals.js';
import type { Toolkit } from './client.js';
import type { GitRepository, Kustomization } from './decode-flux.js';
import { findRootKustomizations, findRootRepository } from './root.js';

/**
 * What every Flux v2 operation starts from: the API access, the flags, and the root
 * GitRepository and its Kustomizations, each looked up at most once per run.
 */
export class Session {
  private repo?: Promise<GitRepository>;
  private kustomizations?: Promise<Kustomization[]>;

  constructor(
    readonly tk: Toolkit,
    readonly globals: Globals,
  ) {}

  root(): Promise<GitRepository> {
    this.repo ??= findRootRepository(this.tk, this.globals.gitRepository);
    return this.repo;
  }

  rootKustomizations(): Promise<Kustomization[]> {
    this.kustomizations ??= this.root().then((repo) => findRootKustomizations(this.tk, repo));
    return this.kustomizations;
  }

  /** `GitRepository flux-system/flux-system`, as messages name objects. */
  static describe(kind: string, o: { metadata: { namespace: string; name: string } }): string {
    return `${kind} ${o.metadata.namespace}/${o.metadata.name}`;
  }
}
