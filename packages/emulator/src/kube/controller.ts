// A tiny Deployment controller. Each tick does ONE step towards the desired state, so
// watchers (kubectl rollout status, the CLI's wait) see every intermediate status:
// observe generation → new ReplicaSet → new pod Pending → Ready → old pod Terminating → gone.
import type { Cluster } from './cluster.js';
import { podTemplateHash, setCondition, setPodState } from './objects.js';
import type { Deployment, DeploymentStatus, Pod, ReplicaSet } from './types.js';
import { deepEqual, timestamp } from './util.js';

const REVISION = 'deployment.kubernetes.io/revision';
const keyOf = (d: Deployment): string => `${d.metadata.namespace}/${d.metadata.name}`;
const alive = (p: Pod): boolean => !p.metadata.deletionTimestamp;
const isReady = (p: Pod): boolean => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export class Controller {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly stalled = new Set<string>();
  private readonly pending = new Set<NodeJS.Timeout>();

  /** tickMs is public so a test can slow a rollout down enough for a slow client (kubectl) to watch it. */
  constructor(private readonly cluster: Cluster, public tickMs: number) {}

  /** Schedules reconciliation of a Deployment (no-op if already scheduled). */
  kick(dep: Deployment): void {
    const k = keyOf(dep);
    if (this.timers.has(k)) return;
    const t = setTimeout(() => {
      this.timers.delete(k);
      const [ns, name] = k.split('/') as [string, string];
      const current = this.cluster.get<Deployment>('deployments', ns, name);
      if (current && this.step(current)) this.kick(current);
    }, this.tickMs);
    t.unref(); // a forgotten rollout must never keep the test process alive
    this.timers.set(k, t);
  }

  kickOwnerOf(pod: Pod): void {
    const rsRef = pod.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet');
    const rs = rsRef && this.cluster.get<ReplicaSet>('replicasets', pod.metadata.namespace, rsRef.name);
    const depRef = rs?.metadata.ownerReferences?.find((o) => o.kind === 'Deployment');
    const dep = depRef && this.cluster.get<Deployment>('deployments', pod.metadata.namespace, depRef.name);
    if (dep) this.kick(dep);
  }

  setStalled(k: string, on: boolean): void {
    if (on) this.stalled.add(k);
    else this.stalled.delete(k);
    const [ns, name] = k.split('/') as [string, string];
    const dep = this.cluster.get<Deployment>('deployments', ns, name);
    if (dep) this.kick(dep);
  }

  /** Runs fn one tick from now (graceful pod deletion), unless the emulator closes first. */
  later(fn: () => void): void {
    const t = setTimeout(() => {
      this.pending.delete(t);
      fn();
    }, this.tickMs);
    t.unref();
    this.pending.add(t);
  }

  dispose(): void {
    for (const t of [...this.timers.values(), ...this.pending]) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
  }

  private owned(dep: Deployment): { rss: ReplicaSet[]; pods: Pod[] } {
    const byName = (a: Pod | ReplicaSet, b: Pod | ReplicaSet): number => a.metadata.name.localeCompare(b.metadata.name);
    const rss = this.cluster.ownedBy<ReplicaSet>('replicasets', dep.metadata.uid).sort(byName);
    const pods = rss.flatMap((rs) => this.cluster.ownedBy<Pod>('pods', rs.metadata.uid)).sort(byName);
    return { rss, pods };
  }

  private progressing(dep: Deployment, status: 'True' | 'False', reason: string, message: string): void {
    dep.status.conditions = setCondition(dep.status.conditions ?? [], { type: 'Progressing', status, reason, message });
  }

  /** Marks a freshly built Deployment as fully rolled out (used by Cluster.addDeployment). */
  settle(dep: Deployment, opts: { quiet?: boolean } = {}): void {
    const { rss } = this.owned(dep);
    dep.status.observedGeneration = dep.metadata.generation ?? 1;
    this.refreshStatus(dep, { quiet: opts.quiet, save: false });
    this.progressing(dep, 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rss[0]?.metadata.name}" has successfully progressed.`);
    this.cluster.save('deployments', dep, opts);
  }

  /** One reconciliation step. Returns true when there is more to do. */
  private step(dep: Deployment): boolean {
    const k = keyOf(dep);
    const hash = podTemplateHash(dep.spec.template);
    const before = structuredClone(dep.status);
    const { rss, pods } = this.owned(dep);
    let newRs = rss.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const revisions = rss.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0));
    const maxRevision = Math.max(0, ...revisions);

    if ((dep.status.observedGeneration ?? 0) < (dep.metadata.generation ?? 1)) {
      const currentRevision = Number(newRs?.metadata.annotations?.[REVISION] ?? 0);
      if (!newRs) newRs = this.cluster.addReplicaSet(dep, maxRevision + 1);
      else if (currentRevision < maxRevision) {
        newRs.metadata.annotations = { ...newRs.metadata.annotations, [REVISION]: String(maxRevision + 1) };
        this.cluster.save('replicasets', newRs);
      }
      dep.metadata.annotations = { ...dep.metadata.annotations, [REVISION]: newRs.metadata.annotations![REVISION]! };
      dep.status.observedGeneration = dep.metadata.generation ?? 1;
      this.progressing(dep, 'True', 'ReplicaSetUpdated', `ReplicaSet "${newRs.metadata.name}" is progressing.`);
      this.refreshStatus(dep, { before, force: true });
      return true;
    }
    if (!newRs || dep.spec.paused) return false;

    const replicas = dep.spec.replicas;
    const newPods = pods.filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === newRs.metadata.uid));
    const oldPods = pods.filter((p) => !newPods.includes(p));
    const newAlive = newPods.filter(alive);
    const recreate = dep.spec.strategy.type === 'Recreate';
    const done = oldPods.length === 0 && newPods.length === replicas && newAlive.length === replicas && newAlive.every(isReady);

    const act = (): boolean => {
      const terminating = pods.filter((p) => !alive(p));
      if (terminating.length > 0) {
        for (const p of terminating) this.cluster.remove('pods', p.metadata.namespace, p.metadata.name);
        return true;
      }
      if (recreate && oldPods.length > 0) {
        for (const p of oldPods) this.terminate(p);
        return true;
      }
      if (this.stalled.has(k)) return false;
      const pending = newAlive.filter((p) => !isReady(p));
      if (pending.length > 0) {
        for (const p of pending) {
          setPodState(p, 'Running', true, true, p.status.podIP ?? this.cluster.newPodIp());
          this.cluster.save('pods', p);
        }
        return true;
      }
      if (newAlive.length < replicas) {
        const count = recreate ? replicas - newAlive.length : 1;
        for (let i = 0; i < count; i++) this.cluster.addReplicaSetPod(newRs, false);
        return true;
      }
      if (newAlive.length > replicas) {
        this.terminate(newAlive[newAlive.length - 1]!);
        return true;
      }
      const oldAlive = oldPods.filter(alive);
      if (oldAlive.length > 0) {
        this.terminate(oldAlive[0]!);
        return true;
      }
      return false;
    };

    if (done) {
      this.progressing(dep, 'True', 'NewReplicaSetAvailable', `ReplicaSet "${newRs.metadata.name}" has successfully progressed.`);
      this.refreshStatus(dep, { before });
      return false;
    }
    const more = act();
    if (!more && this.stalled.has(k)) {
      this.progressing(dep, 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${newRs.metadata.name}" has timed out progressing.`);
    } else {
      this.progressing(dep, 'True', 'ReplicaSetUpdated', `ReplicaSet "${newRs.metadata.name}" is progressing.`);
    }
    this.refreshStatus(dep, { before });
    return more;
  }

  private terminate(p: Pod): void {
    Object.assign(p.metadata, { deletionTimestamp: timestamp(new Date(Date.now() + 30_000)), deletionGracePeriodSeconds: 30 });
    setPodState(p, p.status.phase, false, p.spec.nodeName !== undefined, p.status.podIP ?? '');
    this.cluster.save('pods', p);
  }

  /** Recomputes ReplicaSet and Deployment status counters from the pods; saves what changed. */
  refreshStatus(dep: Deployment, opts: { quiet?: boolean; save?: boolean; force?: boolean; before?: DeploymentStatus } = {}): void {
    const { rss, pods } = this.owned(dep);
    const hash = podTemplateHash(dep.spec.template);
    let total = 0, updated = 0, ready = 0;
    for (const rs of rss) {
      const mine = pods.filter((p) => alive(p) && p.metadata.ownerReferences?.some((o) => o.uid === rs.metadata.uid));
      const rsReady = mine.filter(isReady).length;
      const isNew = rs.metadata.labels?.['pod-template-hash'] === hash;
      const before = structuredClone({ spec: rs.spec.replicas, status: rs.status });
      rs.spec.replicas = isNew ? dep.spec.replicas : mine.length;
      rs.status = {
        replicas: mine.length,
        ...(mine.length ? { fullyLabeledReplicas: mine.length } : {}),
        ...(rsReady ? { readyReplicas: rsReady, availableReplicas: rsReady } : {}),
        observedGeneration: rs.metadata.generation ?? 1,
      };
      if (!deepEqual(before, { spec: rs.spec.replicas, status: rs.status })) this.cluster.save('replicasets', rs, opts);
      total += mine.length;
      ready += rsReady;
      if (isNew) updated += mine.length;
    }
    const replicas = dep.spec.replicas;
    const maxUnavailable = dep.spec.strategy.type === 'RollingUpdate' ? Math.floor(replicas / 4) : 0;
    const before = opts.before ?? structuredClone(dep.status);
    const s: DeploymentStatus = { observedGeneration: dep.status.observedGeneration ?? 1 };
    if (total) s.replicas = total;
    if (updated) s.updatedReplicas = updated;
    if (ready) s.readyReplicas = ready;
    if (ready) s.availableReplicas = ready;
    if (total - ready > 0 || replicas - ready > 0) s.unavailableReplicas = Math.max(total - ready, replicas - ready);
    const available = ready >= replicas - maxUnavailable;
    s.conditions = setCondition(dep.status.conditions ?? [], {
      type: 'Available',
      status: available ? 'True' : 'False',
      reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
    });
    dep.status = s;
    if (opts.save !== false && (opts.force || !deepEqual(before, s))) this.cluster.save('deployments', dep, { quiet: opts.quiet ?? false });
  }
}
