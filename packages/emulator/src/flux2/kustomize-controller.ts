// kustomize-controller (internal/controller/kustomization_controller.go): source and
// dependency checks before the reconcile proper, then Ready=Unknown with the Reconciling stages
// (fetching, building, detecting drift, health checks), and finalizeStatus's single final write.
// A new source revision re-queues every Kustomization that references the source
// (source_predicate.go); a dependency turning Ready re-queues those waiting on it.
import type { Applied } from './apply.js';
import { formatDuration, isTrue, parseDuration } from './conditions.js';
import type { ScriptedFailure, World } from './engine.js';
import { waitHealthy, type HealthTarget } from './health.js';
import { resourceOf } from './kinds.js';
import { applyAll, build, prune, upsertHistory, type ApplyResult, type HistoryEntry, type InventoryEntry } from './kustomize-build.js';
import { fluxMinor } from './releases.js';
import { conditionsOf, Reconciler, type Result, type Run } from './reconciler.js';
import type { Artifact, FluxObject, FluxStatus, GitRepository, Kustomization, Manifest } from './types.js';

type Status = FluxStatus & { inventory?: { entries: InventoryEntry[] }; history?: HistoryEntry[]; lastAttemptedRevision?: string };
const GIT = resourceOf('GitRepository');
// The controller's --requeue-dependency default.
const DEPENDENCY_REQUEUE = '30s';

export class KustomizationReconciler extends Reconciler<Kustomization> {
  private readonly waiting = new Set<string>();
  private readonly revisions = new Map<string, string | undefined>();

  constructor(private readonly world: World) {
    super(world.engine, 'Kustomization', 'kustomize-controller');
  }

  override start(): void {
    for (const g of this.cluster.list<GitRepository>(GIT)) this.revisions.set(`${g.metadata.namespace}/${g.metadata.name}`, revisionOf(g));
    this.watch(GIT, (type, src) => this.onSource(type, src));
    super.start();
  }

  protected suspendedObservesGeneration(s: FluxStatus): boolean {
    return isTrue(s.conditions, 'Ready');
  }

  private onSource(type: string, src: FluxObject): void {
    const k = `${src.metadata.namespace}/${src.metadata.name}`;
    const rev = type === 'DELETED' ? undefined : revisionOf(src);
    const prev = this.revisions.get(k);
    this.revisions.set(k, rev);
    if (!rev || rev === prev) return;
    for (const ks of this.cluster.list<Kustomization>(this.resource)) {
      const ref = ks.spec.sourceRef;
      if (ref.kind === 'GitRepository' && ref.name === src.metadata.name && (ref.namespace ?? ks.metadata.namespace) === src.metadata.namespace) {
        this.enqueue(ks.metadata.namespace!, ks.metadata.name, 'source');
      }
    }
  }

  protected override onEvent(type: string, obj: Kustomization): void {
    super.onEvent(type, obj);
    if (type === 'DELETED' && obj.spec.prune) {
      prune(this.cluster, (obj.status as Status | undefined)?.inventory?.entries ?? [], [], { name: obj.metadata.name, namespace: obj.metadata.namespace! });
    }
    if (type !== 'DELETED' && isTrue(obj.status?.conditions, 'Ready')) {
      for (const k of this.waiting) {
        const [ns, name] = k.split('/') as [string, string];
        this.enqueue(ns, name, 'dependency');
      }
    }
  }

  protected async reconcile(obj: Kustomization, run: Run): Promise<Result> {
    const ns = obj.metadata.namespace!;
    const ref = obj.spec.sourceRef;
    const srcNs = ref.namespace ?? ns;
    const src = ref.kind === 'GitRepository' ? this.cluster.get<GitRepository>(GIT, srcNs, ref.name) : undefined;
    if (!src) {
      const message = `unable to get source '${srcNs}/${ref.name}': ${ref.kind === 'GitRepository' ? GIT : `source kind '${ref.kind}'`} "${ref.name}" not found`;
      return this.finish(obj, run, 'Waiting', (c) => c.set('Ready', 'False', 'ArtifactFailed', message));
    }
    const artifact = src.status?.artifact as Artifact | undefined;
    if (!artifact) {
      return this.finish(obj, run, 'Waiting', (c) => c.set('Ready', 'False', 'ArtifactFailed', `Source artifact not found, retrying in ${DEPENDENCY_REQUEUE}`));
    }
    const depError = this.checkDependencies(obj, artifact.revision);
    const key = `${ns}/${obj.metadata.name}`;
    if (depError) {
      this.waiting.add(key);
      return this.finish(obj, run, 'Waiting', (c) => c.set('Ready', 'False', 'DependencyNotReady', depError));
    }
    this.waiting.delete(key);
    return this.apply(obj, run, src, artifact.revision);
  }

  private checkDependencies(obj: Kustomization, revision: string): string | undefined {
    for (const dep of obj.spec.dependsOn ?? []) {
      const ns = dep.namespace ?? obj.metadata.namespace!;
      const d = this.cluster.get<Kustomization>(this.resource, ns, dep.name);
      if (!d) return `dependency '${ns}/${dep.name}' not found: ${this.resource} "${dep.name}" not found`;
      if (d.status?.observedGeneration !== d.metadata.generation || !isTrue(d.status?.conditions, 'Ready')) return `dependency '${ns}/${dep.name}' is not ready`;
      const same = d.spec.sourceRef.name === obj.spec.sourceRef.name && (d.spec.sourceRef.namespace ?? ns) === (obj.spec.sourceRef.namespace ?? obj.metadata.namespace);
      if (same && (d.status as Status).lastAppliedRevision !== revision) return `dependency '${ns}/${dep.name}' revision is not up to date`;
    }
    return undefined;
  }

  private async apply(obj: Kustomization, run: Run, src: GitRepository, revision: string): Promise<Result> {
    const started = Date.now();
    const timeout = formatDuration(this.timeoutMs(obj));
    await this.progress(obj, (s, g) => {
      const c = conditionsOf(s, g);
      c.set('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress');
      c.set('Reconciling', 'True', 'Progressing', `Fetching manifests for revision ${revision} with a timeout of ${timeout}`);
    });
    const repo = this.world.git.find(src.spec.url);
    const sha = revision.slice(revision.lastIndexOf(':') + 1);
    const path = obj.spec.path ?? './';
    if (!repo?.get(sha) || (path.replace(/^\.?\/?/, '') !== '' && !repo.hasDir(sha, path))) {
      const message = `kustomization path not found: stat /tmp/kustomization-${sha.slice(0, 9)}/${path.replace(/^\.\//, '')}: no such file or directory`;
      return this.finish(obj, run, 'Failed', (c) => c.set('Ready', 'False', 'ArtifactFailed', message));
    }
    await this.progress(obj, (s, g) => {
      s.lastAttemptedRevision = revision;
      conditionsOf(s, g).set('Reconciling', 'True', 'Progressing', `Building manifests for revision ${revision} with a timeout of ${timeout}`);
    });
    const scripted = this.failure(obj);
    if (scripted) return this.scriptedFailure(obj, run, scripted);
    let manifests: Manifest[];
    try {
      manifests = build(repo, sha, path);
    } catch (err) {
      return this.finish(obj, run, 'Failed', (c) => c.set('Ready', 'False', 'BuildFailed', (err as Error).message));
    }
    await this.progress(obj, (s, g) => conditionsOf(s, g).set('Reconciling', 'True', 'Progressing', `Detecting drift for revision ${revision} with a timeout of ${timeout}`));
    return this.applyBuilt(obj, run, { manifests, revision, timeout, started });
  }

  /** Apply, prune, health checks, then the final status write (with a history snapshot from Flux 2.7). */
  private async applyBuilt(obj: Kustomization, run: Run, b: { manifests: Manifest[]; revision: string; timeout: string; started: number }): Promise<Result> {
    const owner = { name: obj.metadata.name, namespace: obj.metadata.namespace! };
    const history = (status: string) => (s: Status) => {
      if (fluxMinor(this.engine.options.version) >= 7) s.history = upsertHistory(s.history, b.manifests, b.revision, status, Date.now() - b.started);
    };
    let result: ApplyResult;
    try {
      result = applyAll(this.cluster, b.manifests, owner, obj.spec.targetNamespace);
    } catch (err) {
      return this.finish(obj, run, 'Failed', (c, s) => {
        c.set('Ready', 'False', 'ReconciliationFailed', (err as Error).message);
        history('ReconciliationFailed')(s);
      });
    }
    const before = (obj.status as Status | undefined)?.inventory?.entries ?? [];
    if (obj.spec.prune) prune(this.cluster, before, result.inventory, owner);
    const health = await this.checkHealth(obj, b.revision, b.timeout, result.applied);
    return this.finish(obj, run, health.error ? 'Failed' : 'Succeeded', (c, s) => {
      s.inventory = { entries: result.inventory };
      if (health.error) {
        c.set('Healthy', 'False', 'HealthCheckFailed', health.error);
        c.set('Ready', 'False', 'HealthCheckFailed', `health check failed after ${formatDuration(health.ms)}: ${health.error}`);
        history('HealthCheckFailed')(s);
        return;
      }
      if (health.checked) c.set('Healthy', 'True', 'Succeeded', `Health check passed in ${formatDuration(health.ms)}`);
      else c.remove('Healthy');
      s.lastAppliedRevision = b.revision;
      c.set('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${b.revision}`);
      history('ReconciliationSucceeded')(s);
    }, b.revision);
  }

  private async checkHealth(obj: Kustomization, revision: string, timeout: string, applied: Applied[]) {
    const self = (t: HealthTarget) => t.kind === 'Kustomization' && t.name === obj.metadata.name && t.namespace === obj.metadata.namespace;
    const targets: HealthTarget[] = obj.spec.wait
      ? applied.filter((a) => a.action !== 'skipped').map((a) => ({ resource: a.resource, kind: a.kind, namespace: a.namespace, name: a.name }))
      : (obj.spec.healthChecks ?? []).flatMap((h) => {
          const found = applied.find((a) => a.kind === h.kind && a.name === h.name && a.namespace === (h.namespace ?? a.namespace));
          return found ? [{ resource: found.resource, kind: found.kind, namespace: found.namespace, name: found.name }] : [];
        });
    const toCheck = targets.filter((t) => !self(t));
    if (toCheck.length === 0) return { checked: false, ms: 0 };
    const message = `Running health checks for revision ${revision} with a timeout of ${timeout}`;
    await this.progress(obj, (s, g) => {
      const c = conditionsOf(s, g);
      c.set('Reconciling', 'True', 'Progressing', message);
      c.set('Healthy', 'Unknown', 'Progressing', message);
    });
    const started = Date.now();
    const error = await waitHealthy(this.engine, toCheck, Math.min(this.timeoutMs(obj), this.engine.options.healthTimeoutMs));
    return { checked: true, ms: Date.now() - started, ...(error ? { error } : {}) };
  }

  private async scriptedFailure(obj: Kustomization, run: Run, f: ScriptedFailure): Promise<Result> {
    return this.finish(obj, run, f.stalled ? 'Stalled' : 'Failed', (c, s, g) => {
      c.set('Ready', 'False', f.reason, f.message);
      if (f.stalled) {
        c.remove('Reconciling');
        c.set('Stalled', 'True', f.reason, f.message);
        s.observedGeneration = g;
      } else if (f.retry === false) {
        c.remove('Reconciling');
      }
    });
  }

  /** spec.timeout, else spec.interval − 30s, at least 30s (Kustomization.GetTimeout). */
  private timeoutMs(obj: Kustomization): number {
    const t = parseDuration(obj.spec.timeout) ?? (parseDuration(obj.spec.interval) ?? 600_000) - 30_000;
    return Math.max(t, 30_000);
  }

  /** finalizeStatus: the token, observedGeneration and no Reconciling on success, ProgressingWithRetry on failure. */
  private async finish(
    obj: Kustomization, run: Run, outcome: Result['outcome'],
    mutate: (c: ReturnType<typeof conditionsOf>, s: Status, generation: number) => void, revision?: string,
  ): Promise<Result> {
    await this.write(obj, (s, g) => {
      const c = conditionsOf(s, g);
      mutate(c, s as Status, g);
      if (run.token !== undefined) s.lastHandledReconcileAt = run.token;
      if (c.isTrue('Ready')) {
        c.remove('Reconciling', 'Stalled');
        s.observedGeneration = g;
      } else if (c.get('Ready')?.status === 'False' && c.get('Reconciling')) {
        c.set('Reconciling', 'True', 'ProgressingWithRetry', c.get('Reconciling')!.message);
      }
    });
    return { outcome, ...(revision ? { revision } : {}) };
  }
}

function revisionOf(src: FluxObject): string | undefined {
  return (src.status?.artifact as Artifact | undefined)?.revision;
}
