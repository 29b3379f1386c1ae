// source-controller for GitRepository (internal/controller/gitrepository_controller.go):
// Reconciling first, Ready=Unknown with ArtifactOutdated when the upstream revision is new,
// then one final write with the artifact, Ready and lastHandledReconcileAt.
import { now } from './conditions.js';
import type { ScriptedFailure, World } from './engine.js';
import { checkout } from './git-checkout.js';
import { conditionsOf, Reconciler, type Result, type Run } from './reconciler.js';
import type { Artifact, FluxStatus, GitRepository } from './types.js';

// Failure reasons source-controller files under StorageOperationFailed rather than FetchFailed.
const STORAGE_REASONS = ['StorageOperationFailed', 'ArchiveOperationFailed', 'StatOperationFailed', 'DirCreationFailed', 'PatchOperationFailed'];

export class GitRepositoryReconciler extends Reconciler<GitRepository> {
  constructor(private readonly world: World) {
    super(world.engine, 'GitRepository', 'source-controller');
  }

  protected suspendedObservesGeneration(s: FluxStatus): boolean {
    return (s.conditions?.length ?? 0) > 0;
  }

  protected async reconcile(obj: GitRepository, run: Run): Promise<Result> {
    const observed = obj.status?.observedGeneration ?? -1;
    const generation = obj.metadata.generation ?? 1;
    if (observed !== generation) {
      await this.progress(obj, (s, g) => conditionsOf(s, g).progressive(false, `processing object: new generation ${observed} -> ${g}`));
    } else if (run.token !== obj.status?.lastHandledReconcileAt) {
      await this.progress(obj, (s, g) => conditionsOf(s, g).progressive(false, 'reconciliation in progress'));
    }
    const scripted = this.failure(obj);
    const got = scripted ?? checkout(this.cluster, this.world.git, obj);
    if ('reason' in got) return this.failed(obj, run, { retry: true, ...got });
    const previous = obj.status?.artifact as Artifact | undefined;
    if (previous?.revision !== got.revision) {
      const message = `new upstream revision '${got.revision}'`;
      await this.progress(obj, (s, g) => {
        const c = conditionsOf(s, g);
        if (s.artifact) c.set('ArtifactOutdated', 'True', 'NewRevision', message);
        c.progressive(true, `building artifact: ${message}`);
      });
    }
    const artifact = previous?.revision === got.revision ? previous : this.store(obj, got.sha, got.revision);
    await this.write(obj, (s, g) => {
      const c = conditionsOf(s, g);
      const stored = `stored artifact for revision '${got.revision}'`;
      s.artifact = artifact;
      c.remove('ArtifactOutdated', 'FetchFailed', 'StorageOperationFailed', 'Reconciling', 'Stalled');
      c.set('ArtifactInStorage', 'True', 'Succeeded', stored);
      c.set('Ready', 'True', 'Succeeded', stored);
      s.observedGeneration = g;
      if (run.token !== undefined) s.lastHandledReconcileAt = run.token;
    });
    return { outcome: 'Succeeded', revision: got.revision };
  }

  private store(obj: GitRepository, sha: string, revision: string): Artifact {
    const { namespace, name } = obj.metadata;
    const path = `gitrepository/${namespace}/${name}/${sha}.tar.gz`;
    const stored = this.world.artifacts.put(path, this.world.git.find(obj.spec.url)?.files(sha) ?? []);
    const host = `source-controller.${this.engine.options.namespace}.svc.cluster.local.`;
    return { digest: stored.digest, lastUpdateTime: now(), path, revision, size: stored.size, url: `http://${host}/${path}` };
  }

  private async failed(obj: GitRepository, run: Run, f: ScriptedFailure): Promise<Result> {
    await this.write(obj, (s, g) => {
      const c = conditionsOf(s, g);
      c.set(STORAGE_REASONS.includes(f.reason) ? 'StorageOperationFailed' : 'FetchFailed', 'True', f.reason, f.message);
      c.fail(f);
      if (run.token !== undefined) s.lastHandledReconcileAt = run.token;
    });
    return { outcome: f.stalled ? 'Stalled' : 'Failed' };
  }
}

