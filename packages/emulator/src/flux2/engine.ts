// What every emulated controller shares: the pace of their steps, the freeze switch,
// scripted failures, the reconcile log and the timers to cancel on close.
import type { Cluster } from '../kube/cluster.js';
import type { ArtifactStore } from './artifacts.js';
import type { GitServer } from './git.js';
import type { FluxKindName } from './kinds.js';
import type { ChartRepositories, ImageRegistry } from './registries.js';
import type { FluxVersion } from './releases.js';

/** Why a reconcile ran. */
export type Trigger = 'created' | 'generation' | 'requested' | 'source' | 'dependency' | 'interval' | 'retry';

/** How a reconcile ended. */
export type Outcome = 'Succeeded' | 'Failed' | 'Stalled' | 'Suspended' | 'Waiting';

export interface ReconcileRecord {
  kind: FluxKindName;
  namespace: string;
  name: string;
  trigger: Trigger;
  /** The reconcile.fluxcd.io/requestedAt value the reconcile handled, if any. */
  token?: string;
  generation: number;
  outcome: Outcome;
  /** Ready's reason at the end. */
  reason: string;
  /** The source revision involved (artifact, applied or attempted revision, chart version, tag). */
  revision?: string;
  /** Date.now() when it finished. */
  at: number;
}

export interface ScriptedFailure {
  /** Ready's reason, e.g. GitOperationFailed, BuildFailed, HealthCheckFailed, InstallFailed. */
  reason: string;
  message: string;
  /** Stalled=True: a terminal error, not retried until the spec changes. */
  stalled?: boolean;
  /** Default true: Reconciling stays True with ProgressingWithRetry (the controller will retry). */
  retry?: boolean;
}

export interface EngineOptions {
  version: FluxVersion;
  namespace: string;
  /** Pause between the status writes of one reconcile, in ms (default 5). */
  stepMs: number;
  /** Multiplier for spec.interval/retryInterval timers; 0 (default) disables periodic reconciles. */
  intervalScale: number;
  /** Longest a health check waits (kustomize-controller would use spec.timeout), in ms. */
  healthTimeoutMs: number;
}

export class Engine {
  readonly reconciles: ReconcileRecord[] = [];
  /** Unexpected errors inside reconciles (bugs in a test's setup or here); tests can assert it stays empty. */
  readonly errors: unknown[] = [];
  private readonly failures = new Map<string, ScriptedFailure>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private frozen = false;
  private thawed: Promise<void> = Promise.resolve();
  private release: () => void = () => {};
  private busy = 0;
  closed = false;

  constructor(readonly cluster: Cluster, readonly options: EngineOptions) {}

  /** Waits one step (letting watchers see the state so far), then while frozen. */
  async step(ms = this.options.stepMs): Promise<void> {
    await this.sleep(ms);
    await this.thawed;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      t.unref();
      this.timers.add(t);
    });
  }

  /** Runs fn after ms unless the engine closes first. */
  later(ms: number, fn: () => void): () => void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    t.unref();
    this.timers.add(t);
    return () => {
      clearTimeout(t);
      this.timers.delete(t);
    };
  }

  /** Waits until thawed (immediately when not frozen). */
  gate(): Promise<void> {
    return this.thawed;
  }

  freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    this.thawed = new Promise((resolve) => (this.release = resolve));
  }

  thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    this.release();
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  fail(kind: FluxKindName, id: string, failure: ScriptedFailure): void {
    this.failures.set(`${kind}/${id}`, failure);
  }

  clearFailure(kind: FluxKindName, id: string): boolean {
    return this.failures.delete(`${kind}/${id}`);
  }

  failureFor(kind: FluxKindName, namespace: string, name: string): ScriptedFailure | undefined {
    return this.failures.get(`${kind}/${namespace}/${name}`);
  }

  record(r: ReconcileRecord): void {
    this.reconciles.push(r);
  }

  /** Counts reconciles in flight, so tests can wait for a quiet cluster. */
  async track<T>(fn: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await fn();
    } finally {
      this.busy--;
    }
  }

  get idle(): boolean {
    return this.busy === 0;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.thaw();
  }
}

/** The controllers' shared engine plus the outside systems they reach. */
export interface World {
  engine: Engine;
  git: GitServer;
  artifacts: ArtifactStore;
  charts: ChartRepositories;
  registry: ImageRegistry;
}
