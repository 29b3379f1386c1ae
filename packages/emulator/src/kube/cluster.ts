// The mutable cluster model: the generic object store (store.ts) plus the built-in
// controllers and the helpers tests use to build realistic workloads.
//
// Store contract (what the REST server and the emulated controllers build on):
// - Resource keys are strings: built-ins by plural (`pods`, `deployments`, `secrets`,
//   `statefulsets`, `daemonsets`, `cronjobs`, `customresourcedefinitions`, …); custom
//   resources by `<plural>.<group>` (`gitrepositories.source.toolkit.fluxcd.io`).
//   `resources` is the registry (kinds, versions, scope) that discovery and URLs follow.
// - get(resource, ns, name) / list(resource, ns?) return the stored objects themselves
//   (no kind/apiVersion; list is sorted by namespace then name). Unknown resources are empty.
// - save(resource, obj) stores an object as given (bumps resourceVersion, emits a watch event,
//   fills uid/creationTimestamp/generation of a new object); remove(resource, ns, name,
//   { cascade? }) deletes it at once (cascade: also what it owns, via ownerReferences).
// - write(resource, obj, { fieldManager?, subresource?, version?, dryRun? }) is a client's
//   create-or-update with the API server's rules: server-owned metadata kept, built-in
//   defaults filled, `.status` ignored unless written through the status subresource (when
//   the version has one), generation +1 only when something outside metadata and status
//   changed, managedFields recorded for the manager, a Deployment rollout started.
//   apply(resource, obj, opts) is write() returning the object; saveStatus(resource, ns, name,
//   status, { fieldManager? }) replaces `.status` (new resourceVersion, never a new generation).
// - delete(resource, ns, name) is an API DELETE: objects with finalizers only get a
//   deletionTimestamp and go when a write empties their finalizers.
// - subscribe(resource, (type, obj) => void) → unsubscribe: in-process watch; events arrive
//   in order on a later microtask, as copies with kind/apiVersion (storage version).
// - registerCustomResource(def) → resource key: serves the CRD's versions over REST and
//   discovery, and stores the matching apiextensions.k8s.io/v1 CustomResourceDefinition
//   (removing that object unregisters the resource and its objects).
import { Controller } from './controller.js';
import { makeDeployment, makePod, makeReplicaSet, ownerRef, podTemplateHash, setPodState } from './objects.js';
import { Store } from './store.js';
import type { Container, Deployment, KubeObject, Labels, Namespace, Pod, PodPhase, ReplicaSet, Resource } from './types.js';
import { safeHash, timestamp } from './util.js';

export type { Subscriber, WatchEvent, Watcher, WireObject, WriteOptions, WriteResult } from './store.js';

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

export class Cluster extends Store {
  private backendFn: Backend = () => null;
  readonly controller: Controller;

  constructor(tickMs = 40) {
    super();
    this.controller = new Controller(this, tickMs);
    for (const ns of ['default', 'kube-system', 'kube-public']) this.addNamespace(ns);
  }

  /** Pod IPs handed out in order, like a node's pod CIDR. */
  newPodIp(): string {
    const n = ++this.seq;
    return `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
  }

  // A client changed a Deployment's spec (or created one): the Deployment controller rolls it out.
  protected override afterWrite(resource: Resource, obj: KubeObject, created: boolean, generationChanged: boolean): void {
    if (resource === 'deployments' && (created || generationChanged)) this.controller.kick(obj as Deployment);
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
