// The controller-runtime part every emulated Flux controller shares: a watch on one kind,
// the predicates Flux uses (a new generation, or a new reconcile.fluxcd.io/requestedAt value:
// fluxcd/pkg runtime/predicates), one reconcile at a time per object with later requests
// coalesced, status writes through the status subresource, and the suspend short-cut that
// still records the token (the quirk every Flux controller has).
import { getCondition, isTrue, parseDuration, removeCondition, setCondition, type FluxCondition } from './conditions.js';
import type { Engine, Outcome, ScriptedFailure, Trigger } from './engine.js';
import { resourceOf, type FluxKindName } from './kinds.js';
import { REQUESTED_AT, type FluxObject, type FluxStatus } from './types.js';

export interface Result {
  outcome: Outcome;
  revision?: string;
}

export interface Run {
  trigger: Trigger;
  token: string | undefined;
}

/** What the Flux handle needs of a controller. */
export interface Controller {
  readonly kind: FluxKindName;
  start(): void;
  stop(): void;
  enqueue(ns: string, name: string, trigger: Trigger): void;
}

const keyOf = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

/** The object vanished while being reconciled: stop quietly, as a NotFound would. */
class Gone extends Error {}

export abstract class Reconciler<T extends FluxObject> implements Controller {
  readonly resource: string;
  private readonly seen = new Map<string, string>();
  private readonly queue = new Map<string, { next?: Trigger }>();
  private readonly ticks = new Map<string, () => void>();
  private readonly stops: Array<() => void> = [];

  constructor(protected readonly engine: Engine, readonly kind: FluxKindName, readonly manager: string) {
    this.resource = resourceOf(kind);
  }

  protected abstract reconcile(obj: T, run: Run): Promise<Result>;

  /** Whether the final write of a suspended object also records observedGeneration. */
  protected abstract suspendedObservesGeneration(status: FluxStatus): boolean;

  protected get cluster() {
    return this.engine.cluster;
  }

  start(): void {
    this.stops.push(this.cluster.subscribe(this.resource, (type, obj) => this.onEvent(type, obj as unknown as T)));
    for (const o of this.cluster.list<T>(this.resource)) {
      this.seen.set(keyOf(o.metadata.namespace, o.metadata.name), signature(o));
      this.enqueue(o.metadata.namespace!, o.metadata.name, 'created');
    }
  }

  /** Extra watches (sources, dependencies) register their unsubscribe here. */
  protected watch(resource: string, fn: (type: string, obj: FluxObject) => void): void {
    this.stops.push(this.cluster.subscribe(resource, (type, obj) => fn(type, obj as unknown as FluxObject)));
  }

  stop(): void {
    for (const s of this.stops.splice(0)) s();
    for (const cancel of this.ticks.values()) cancel();
  }

  protected onEvent(type: string, obj: T): void {
    const k = keyOf(obj.metadata.namespace, obj.metadata.name);
    if (type === 'DELETED') {
      this.seen.delete(k);
      this.ticks.get(k)?.();
      return;
    }
    const prev = this.seen.get(k);
    const sig = signature(obj);
    this.seen.set(k, sig);
    if (prev === sig) return;
    const trigger: Trigger = prev === undefined ? 'created' : prev.split('|')[0] !== sig.split('|')[0] ? 'generation' : 'requested';
    this.enqueue(obj.metadata.namespace!, obj.metadata.name, trigger);
  }

  /** Queues a reconcile; while one runs, further requests collapse into one more run. */
  enqueue(ns: string, name: string, trigger: Trigger): void {
    const k = keyOf(ns, name);
    const q = this.queue.get(k);
    if (q) {
      q.next ??= trigger;
      return;
    }
    this.queue.set(k, {});
    void this.engine.track(async () => {
      let next: Trigger | undefined = trigger;
      while (next && !this.engine.closed) {
        await this.engine.gate();
        this.queue.get(k)!.next = undefined;
        await this.once(ns, name, next);
        next = this.queue.get(k)?.next;
      }
      this.queue.delete(k);
    });
  }

  private async once(ns: string, name: string, trigger: Trigger): Promise<void> {
    const obj = this.cluster.get<T>(this.resource, ns, name);
    if (!obj) return;
    const run: Run = { trigger, token: obj.metadata.annotations?.[REQUESTED_AT] };
    try {
      const result = obj.spec.suspend ? await this.suspended(obj, run) : await this.reconcile(structuredClone(obj), run);
      this.finishRun(ns, name, run, result);
    } catch (err) {
      if (!(err instanceof Gone) && !this.engine.closed) this.engine.errors.push(err);
    }
  }

  private async suspended(obj: T, run: Run): Promise<Result> {
    await this.write(obj, (s, gen) => {
      if (run.token !== undefined) s.lastHandledReconcileAt = run.token;
      if (this.suspendedObservesGeneration(s)) s.observedGeneration = gen;
    });
    return { outcome: 'Suspended' };
  }

  private finishRun(ns: string, name: string, run: Run, result: Result): void {
    const cur = this.cluster.get<T>(this.resource, ns, name);
    if (!cur) return;
    const ready = getCondition(cur.status?.conditions, 'Ready');
    this.engine.record({
      kind: this.kind, namespace: ns, name, trigger: run.trigger, generation: cur.metadata.generation ?? 1,
      outcome: result.outcome, reason: ready?.reason ?? '', at: Date.now(),
      ...(run.token !== undefined ? { token: run.token } : {}),
      ...(result.revision ? { revision: result.revision } : {}),
    });
    if (result.outcome !== 'Suspended') this.scheduleTick(cur, result.outcome);
  }

  /** Periodic reconciles at spec.interval (spec.retryInterval after a failure), scaled down for tests. */
  private scheduleTick(obj: T, outcome: Outcome): void {
    const scale = this.engine.options.intervalScale;
    if (scale <= 0) return;
    const k = keyOf(obj.metadata.namespace, obj.metadata.name);
    const failed = outcome === 'Failed' || outcome === 'Waiting';
    const every = parseDuration((failed ? (obj.spec.retryInterval as string | undefined) : undefined) ?? obj.spec.interval) ?? 600_000;
    this.ticks.get(k)?.();
    this.ticks.set(k, this.engine.later(every * scale, () => this.enqueue(obj.metadata.namespace!, obj.metadata.name, failed ? 'retry' : 'interval')));
  }

  /** A status-subresource write on the current object; returns the status written. */
  protected async write(obj: T, mutate: (status: FluxStatus, generation: number) => void): Promise<FluxStatus> {
    const cur = this.cluster.get<T>(this.resource, obj.metadata.namespace, obj.metadata.name);
    if (!cur) throw new Gone();
    const status: FluxStatus = structuredClone(cur.status ?? {});
    mutate(status, cur.metadata.generation ?? 1);
    this.cluster.saveStatus(this.resource, obj.metadata.namespace, obj.metadata.name, status, { fieldManager: this.manager });
    return status;
  }

  /** A progress write, then one step of delay so watchers see it. */
  protected async progress(obj: T, mutate: (status: FluxStatus, generation: number) => void): Promise<void> {
    await this.write(obj, mutate);
    await this.engine.step();
  }

  protected failure(obj: T): ScriptedFailure | undefined {
    return this.engine.failureFor(this.kind, obj.metadata.namespace!, obj.metadata.name);
  }
}

/** generation|token: what Flux's predicates compare between two versions of an object. */
function signature(o: FluxObject): string {
  return `${o.metadata.generation ?? 1}|${o.metadata.annotations?.[REQUESTED_AT] ?? ''}`;
}

type Conds = FluxCondition[];

/** Condition helpers bound to one status and generation. */
export function conditionsOf(s: FluxStatus, generation: number) {
  const get = (): Conds => s.conditions ?? [];
  return {
    set(type: string, status: FluxCondition['status'], reason: string, message: string): void {
      s.conditions = setCondition(get(), generation, type, status, reason, message);
    },
    remove(...types: string[]): void {
      s.conditions = removeCondition(get(), ...types);
    },
    get(type: string): FluxCondition | undefined {
      return getCondition(get(), type);
    },
    isTrue(type: string): boolean {
      return isTrue(get(), type);
    },
    /** fluxcd/pkg ProgressiveStatus: Reconciling=True, and Ready=Unknown on drift or when Ready is missing or Unknown. */
    progressive(drift: boolean, message: string): void {
      this.set('Reconciling', 'True', 'Progressing', message);
      const ready = this.get('Ready');
      if (drift || !ready || ready.status === 'Unknown') this.set('Ready', 'Unknown', 'Progressing', message);
    },
    /** A failed attempt: Ready=False, and Reconciling, Stalled and observedGeneration as the controllers leave them. */
    fail(f: ScriptedFailure): void {
      this.set('Ready', 'False', f.reason, f.message);
      if (f.stalled) {
        this.remove('Reconciling');
        this.set('Stalled', 'True', f.reason, f.message);
        s.observedGeneration = generation;
      } else if (f.retry === false) {
        this.remove('Reconciling');
      } else {
        this.set('Reconciling', 'True', 'ProgressingWithRetry', this.get('Reconciling')?.message ?? 'reconciliation in progress');
      }
    },
  };
}
