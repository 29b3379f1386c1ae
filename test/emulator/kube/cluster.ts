// The mutable cluster model: one store per resource, one global resourceVersion counter,
// a bounded event history (so watches can resume from a list's resourceVersion) and live watchers.
import { Controller } from './controller.js';
import { makeDeployment, makePod, makeReplicaSet, ownerRef, podTemplateHash, setPodState } from './objects.js';
import { withKind } from './resources.js';
import type { Container, Deployment, EventType, KubeObject, Labels, Namespace, Pod, PodPhase, ReplicaSet, Resource } from './types.js';
import { safeHash, timestamp, uidFor } from './util.js';

export interface DeploymentInput {
  name: string;
  labels?: Labels;
  /** Pod template labels; also the selector unless `selector` is given. Default `{ name }`. */
  podLabels?: Labels;
  selector?: Labels;
  containers: Array<Pick<Container, 'name' | 'image' | 'args' | 'ports'>>;
  replicas?: number;
  strategy?: 'Recreate' | 'RollingUpdate';
  annotations?: Labels;
  paused?: boolean;
}

export interface PodInput {
  name: string;
  labels?: Labels;
  annotations?: Labels;
  containers?: Array<Pick<Container, 'name' | 'image' | 'args' | 'ports'>>;
  phase?: PodPhase; // default Running
  ready?: boolean; // default: phase === 'Running'
  scheduled?: boolean; // default true (spec.nodeName set)
  terminating?: boolean; // sets deletionTimestamp
  restarts?: number;
  waitingReason?: string; // e.g. CrashLoopBackOff, for Pending pods
}

export interface BackendTarget {
  host: string;
  port: number;
}
export type Backend = (pod: { namespace: string; name: string; labels: Labels }, port: number) => BackendTarget | null;

export interface WatchEvent {
  type: EventType;
  object: KubeObject & { kind: string; apiVersion: string };
}
interface HistoryEntry extends WatchEvent {
  rv: number;
  resource: Resource;
}
export interface Watcher {
  resource: Resource;
  send(ev: WatchEvent, raw: KubeObject): void;
}

const HISTORY_LIMIT = 5000;
const key = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

export class Cluster {
  private rv = 1000;
  private seq = 0;
  private readonly stores = new Map<Resource, Map<string, KubeObject>>();
  private history: HistoryEntry[] = [];
  private historyFloor = 0; // events with rv > floor are all retained
  private readonly watchers = new Set<Watcher>();
  // resource + owner uid → keys of the objects it owns, so controllers need not scan 10,000 pods.
  private readonly owned = new Map<string, Set<string>>();
  private backendFn: Backend = () => null;
  readonly controller: Controller;

  constructor(tickMs = 40) {
    for (const r of ['namespaces', 'pods', 'replicasets', 'deployments'] as const) this.stores.set(r, new Map());
    this.controller = new Controller(this, tickMs);
    for (const ns of ['default', 'kube-system', 'kube-public']) this.addNamespace(ns);
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** A deterministic UID for a new object. */
  newUid(seed: string): string {
    return uidFor(`${seed}#${++this.seq}`);
  }

  /** Pod IPs handed out in order, like a node's pod CIDR. */
  newPodIp(): string {
    const n = ++this.seq;
    return `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
  }

  // ---- generic store -------------------------------------------------------------------

  get<T extends KubeObject>(resource: Resource, ns: string | undefined, name: string): T | undefined {
    return this.stores.get(resource)!.get(key(ns, name)) as T | undefined;
  }

  /** Objects sorted by namespace then name, as etcd's key order gives them. */
  list<T extends KubeObject>(resource: Resource, ns?: string): T[] {
    const out: T[] = [];
    for (const obj of this.stores.get(resource)!.values()) {
      if (ns === undefined || obj.metadata.namespace === ns) out.push(obj as T);
    }
    return out.sort((a, b) => key(a.metadata.namespace, a.metadata.name).localeCompare(key(b.metadata.namespace, b.metadata.name)));
  }

  /** Stores (a new version of) an object: bumps resourceVersion and tells watchers. */
  save<T extends KubeObject>(resource: Resource, obj: T, opts: { quiet?: boolean } = {}): T {
    const store = this.stores.get(resource)!;
    const k = key(obj.metadata.namespace, obj.metadata.name);
    const type: EventType = store.has(k) ? 'MODIFIED' : 'ADDED';
    obj.metadata.resourceVersion = String(++this.rv);
    store.set(k, obj);
    for (const o of obj.metadata.ownerReferences ?? []) {
      const ok = `${resource}:${o.uid}`;
      if (!this.owned.has(ok)) this.owned.set(ok, new Set());
      this.owned.get(ok)!.add(k);
    }
    if (!opts.quiet) this.emit(resource, type, obj);
    return obj;
  }

  remove(resource: Resource, ns: string | undefined, name: string): KubeObject | undefined {
    const store = this.stores.get(resource)!;
    const obj = store.get(key(ns, name));
    if (!obj) return undefined;
    store.delete(key(ns, name));
    for (const o of obj.metadata.ownerReferences ?? []) this.owned.get(`${resource}:${o.uid}`)?.delete(key(ns, name));
    obj.metadata.resourceVersion = String(++this.rv);
    this.emit(resource, 'DELETED', obj);
    return obj;
  }

  private emit(resource: Resource, type: EventType, obj: KubeObject): void {
    const ev: HistoryEntry = { rv: this.rv, resource, type, object: withKind(resource, structuredClone(obj)) };
    this.history.push(ev);
    if (this.history.length > HISTORY_LIMIT) this.historyFloor = this.history.shift()!.rv;
    for (const w of this.watchers) if (w.resource === resource) w.send(ev, obj);
  }

  /** Events after `rv` for a resource, or undefined when they are no longer retained (410). */
  eventsSince(resource: Resource, rv: number): WatchEvent[] | undefined {
    if (rv < this.historyFloor) return undefined;
    return this.history.filter((e) => e.rv > rv && e.resource === resource);
  }

  /** Objects of a resource whose ownerReferences name the given owner uid. */
  ownedBy<T extends KubeObject>(resource: Resource, ownerUid: string): T[] {
    const store = this.stores.get(resource)!;
    return [...(this.owned.get(`${resource}:${ownerUid}`) ?? [])].map((k) => store.get(k) as T).filter(Boolean);
  }

  addWatcher(w: Watcher): () => void {
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  // ---- helpers for tests ---------------------------------------------------------------

  addNamespace(name: string): Namespace {
    const existing = this.get<Namespace>('namespaces', undefined, name);
    if (existing) return existing;
    return this.save<Namespace>('namespaces', {
      metadata: { name, uid: this.newUid(`ns/${name}`), resourceVersion: '', creationTimestamp: timestamp(), labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  /** A settled Deployment with its ReplicaSet and Running+Ready pods. */
  addDeployment(ns: string, input: DeploymentInput, opts: { quiet?: boolean } = {}): Deployment {
    this.addNamespace(ns);
    const podLabels = input.podLabels ?? { name: input.name };
    const dep = makeDeployment({
      namespace: ns, name: input.name, uid: this.newUid(`deploy/${ns}/${input.name}`),
      podLabels, selector: input.selector ?? podLabels, containers: input.containers as Container[],
      replicas: input.replicas ?? 1, strategy: input.strategy ?? 'RollingUpdate',
      ...(input.labels ? { labels: input.labels } : {}),
      ...(input.annotations ? { annotations: input.annotations } : {}),
      ...(input.paused ? { paused: true } : {}),
    });
    this.save('deployments', dep, opts);
    const rs = this.addReplicaSet(dep, 1, opts);
    for (let i = 0; i < dep.spec.replicas; i++) this.addReplicaSetPod(rs, true, opts);
    this.controller.settle(dep, opts);
    return dep;
  }

  /** Many Deployments at once (benchmarks): no watch events, one pod each unless replicas says otherwise. */
  addDeployments(ns: string, count: number, make: (i: number) => DeploymentInput): void {
    for (let i = 0; i < count; i++) this.addDeployment(ns, make(i), { quiet: true });
  }

  addReplicaSet(dep: Deployment, revision: number, opts: { quiet?: boolean } = {}): ReplicaSet {
    const hash = podTemplateHash(dep.spec.template);
    const rs = makeReplicaSet(dep, hash, revision, this.newUid(`rs/${dep.metadata.name}-${hash}`));
    return this.save('replicasets', rs, opts);
  }

  /** A new pod for a ReplicaSet: Running+Ready when `running`, else freshly scheduled Pending. */
  addReplicaSetPod(rs: ReplicaSet, running: boolean, opts: { quiet?: boolean } = {}): Pod {
    let name: string;
    do name = `${rs.metadata.name}-${safeHash(`${rs.metadata.uid}/${++this.seq}`, 5)}`;
    while (this.get('pods', rs.metadata.namespace, name));
    const pod = makePod({
      namespace: rs.metadata.namespace!, name, uid: this.newUid(`pod/${name}`),
      labels: rs.spec.template.metadata.labels ?? {}, containers: structuredClone(rs.spec.template.spec.containers),
      phase: running ? 'Running' : 'Pending', ready: running, scheduled: true,
      owner: ownerRef('ReplicaSet', rs.metadata.name, rs.metadata.uid), ip: this.newPodIp(),
    });
    if (rs.spec.template.metadata.annotations) pod.metadata.annotations = { ...rs.spec.template.metadata.annotations };
    return this.save('pods', pod, opts);
  }

  /** A bare pod in any state (Pending scheduled/unscheduled, Running, Succeeded, Failed, Terminating). */
  addPod(ns: string, input: PodInput): Pod {
    this.addNamespace(ns);
    const phase = input.phase ?? 'Running';
    const pod = makePod({
      namespace: ns, name: input.name, uid: this.newUid(`pod/${ns}/${input.name}`),
      containers: (input.containers ?? [{ name: 'main', image: 'docker.io/library/busybox:1.36' }]) as Container[],
      phase, ready: input.ready ?? phase === 'Running', scheduled: input.scheduled ?? true,
      ...(input.labels ? { labels: input.labels } : {}),
      ...(input.annotations ? { annotations: input.annotations } : {}),
      ...(input.restarts ? { restarts: input.restarts } : {}),
      ...(input.waitingReason ? { waitingReason: input.waitingReason } : {}),
      ip: this.newPodIp(),
    });
    if (input.terminating) Object.assign(pod.metadata, { deletionTimestamp: timestamp(), deletionGracePeriodSeconds: 30 });
    return this.save('pods', pod);
  }

  /** Changes a pod's phase/readiness in place (e.g. to make a Pending pod Running). */
  setPodPhase(ns: string, name: string, phase: PodPhase, ready = phase === 'Running'): Pod {
    const pod = this.mustGet<Pod>('pods', ns, name);
    setPodState(pod, phase, ready, pod.spec.nodeName !== undefined, pod.status.podIP ?? this.newPodIp());
    return this.save('pods', pod);
  }

  /** Removes a pod at once. With `replace`, its ReplicaSet's Deployment creates a successor. */
  deletePod(ns: string, name: string, opts: { replace?: boolean } = {}): void {
    const pod = this.remove('pods', ns, name) as Pod | undefined;
    if (!pod) throw new Error(`no pod ${ns}/${name}`);
    if (opts.replace) this.controller.kickOwnerOf(pod);
  }

  /** Bumps a Deployment's resourceVersion as if another client had written it. */
  touchDeployment(ns: string, name: string): Deployment {
    const dep = this.mustGet<Deployment>('deployments', ns, name);
    dep.metadata.annotations = { ...dep.metadata.annotations, 'emulator/touched': String(this.rv + 1) };
    return this.save('deployments', dep);
  }

  /** Makes current and later rollouts of a Deployment stall with ProgressDeadlineExceeded. */
  setProgressDeadlineExceeded(ns: string, name: string, on: boolean): void {
    this.mustGet<Deployment>('deployments', ns, name);
    this.controller.setStalled(`${ns}/${name}`, on);
  }

  /** Decides where a port-forward to a pod connects; null means nothing is listening. */
  setBackend(fn: Backend): void {
    this.backendFn = fn;
  }

  backendFor(pod: Pod, port: number): BackendTarget | null {
    const m = pod.metadata;
    return this.backendFn({ namespace: m.namespace!, name: m.name, labels: { ...m.labels } }, port);
  }

  mustGet<T extends KubeObject>(resource: Resource, ns: string | undefined, name: string): T {
    const obj = this.get<T>(resource, ns, name);
    if (!obj) throw new Error(`no ${resource} ${ns ?? ''}/${name}`);
    return obj;
  }

  dispose(): void {
    this.controller.dispose();
    this.watchers.clear();
  }
}
