import type { Globals } from '../../context/globals.js';
import type { Backend } from '../types.js';
import type { Toolkit } from './client.js';
import type { GitRepository, Kustomization } from './decode-flux.js';
import { findRootKustomizations, findRootRepository } from './root.js';

export type Listing = Pick<Backend, 'listWorkloads' | 'workloadsById' | 'listImages'>;

/**
 * What every Flux v2 operation starts from: the API access, the flags, and the root
 * GitRepository and its Kustomizations, each looked up at most once per run.
 */
export class Session {
  private repo?: Promise<GitRepository>;
  private kustomizations?: Promise<Kustomization[]>;
  private lists?: Promise<Listing>;

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

  /** The listings (one instance per run, so what it has read once is not read again, e.g. by sync --watch). */
  listing(): Promise<Listing> {
    this.lists ??= import('./listing.js').then((m) => m.createListing(this));
    return this.lists;
  }

  /** `GitRepository flux-system/flux-system`, as messages name objects. */
  static describe(kind: string, o: { metadata: { namespace: string; name: string } }): string {
    return `${kind} ${o.metadata.namespace}/${o.metadata.name}`;
  }
}
