// helm-controller (internal/controller/helmrelease_controller.go, internal/reconcile):
// "Fulfilling prerequisites", the HelmChart it templates into the source namespace, then an
// install or upgrade whose rendered objects carry the post-renderer's owner labels, a release
// Secret, and the status of the release's era: `history` since helm-controller v0.37 (Flux 2.2),
// `lastAppliedRevision`/`lastReleaseRevision` before, `inventory` since v1.5 (Flux 2.8).
import { createHash } from 'node:crypto';
import { applyManifest, deleteObject, resolveKind } from './apply.js';
import { isTrue } from './conditions.js';
import type { ScriptedFailure, World } from './engine.js';
import { waitHealthy } from './health.js';
import type { HelmChart } from './helm-sources.js';
import { configDigest, storeRelease, type Snapshot } from './helm-storage.js';
import { resourceOf } from './kinds.js';
import { parseInventoryId } from './kustomize-build.js';
import { conditionsOf, Reconciler, type Result, type Run } from './reconciler.js';
import type { ChartVersion } from './registries.js';
import { fluxMinor } from './releases.js';
import type { Artifact, FluxStatus, HelmRelease, HelmRepository } from './types.js';

type Status = FluxStatus & { history?: Snapshot[]; inventory?: { entries: Array<{ id: string; v: string }> }; lastReleaseRevision?: number; lastAttemptedValuesChecksum?: string };
type Action = 'install' | 'upgrade';

export class HelmReleaseReconciler extends Reconciler<HelmRelease> {
  // Objects of each release's last revision, for removing what an upgrade drops.
  private readonly owned = new Map<string, string[]>();

  constructor(private readonly world: World) {
    super(world.engine, 'HelmRelease', 'helm-controller');
  }

  protected suspendedObservesGeneration(): boolean {
    return true;
  }

  private get legacy(): boolean {
    return fluxMinor(this.engine.options.version) < 2;
  }

  protected async reconcile(obj: HelmRelease, run: Run): Promise<Result> {
    await this.progress(obj, (s, g) => conditionsOf(s, g).set('Reconciling', 'True', 'Progressing', 'Fulfilling prerequisites'));
    for (const dep of obj.spec.dependsOn ?? []) {
      const ns = dep.namespace ?? obj.metadata.namespace!;
      const d = this.cluster.get<HelmRelease>(this.resource, ns, dep.name);
      if (!d || d.status?.observedGeneration !== d.metadata.generation || !isTrue(d.status?.conditions, 'Ready')) {
        return this.finish(obj, run, 'Waiting', (c) => c.set('Ready', 'False', 'DependencyNotReady', `dependency '${ns}/${dep.name}' is not ready`));
      }
    }
    const chart = await this.chart(obj);
    if ('error' in chart) return this.finish(obj, run, 'Failed', (c) => c.set('Ready', 'False', 'ArtifactFailed', chart.error));
    const scripted = this.failure(obj);
    if (scripted) return this.scripted(obj, run, scripted);
    const status = (obj.status ?? {}) as Status;
    const values = obj.spec.values ?? {};
    const current = this.legacy ? status.lastAppliedRevision : status.history?.[0]?.chartVersion;
    const digest = this.legacy ? checksum(values) : configDigest(values);
    const lastDigest = this.legacy ? status.lastAttemptedValuesChecksum : status.history?.[0]?.configDigest;
    if (current === chart.version && lastDigest === digest && isTrue(status.conditions, 'Ready')) {
      return this.finish(obj, run, 'Succeeded', () => {}, chart.version);
    }
    return this.release(obj, run, chart, current === undefined ? 'install' : 'upgrade');
  }

  /** Templates the HelmChart (`<ns>-<name>` in the source namespace) and waits for source-controller to pull it. */
  private async chart(obj: HelmRelease): Promise<ChartVersion | { error: string }> {
    const tpl = obj.spec.chart.spec;
    const ns = tpl.sourceRef.namespace ?? obj.metadata.namespace!;
    const name = `${obj.metadata.namespace}-${obj.metadata.name}`;
    const resource = resourceOf('HelmChart');
    const spec = { chart: tpl.chart, version: tpl.version ?? '*', sourceRef: { kind: tpl.sourceRef.kind ?? 'HelmRepository', name: tpl.sourceRef.name }, interval: tpl.interval ?? obj.spec.interval ?? '10m0s', reconcileStrategy: 'ChartVersion' };
    const existing = this.cluster.get<HelmChart>(resource, ns, name);
    const written = this.cluster.write<HelmChart>(resource, { ...(existing ?? {}), metadata: { ...(existing?.metadata ?? {}), name, namespace: ns }, spec }, { fieldManager: 'helm-controller' }).object;
    const deadline = Date.now() + this.engine.options.healthTimeoutMs;
    for (;;) {
      const hc = this.cluster.get<HelmChart>(resource, ns, name);
      const ready = hc?.status?.conditions?.find((c) => c.type === 'Ready');
      if (hc && hc.status?.observedGeneration === written.metadata.generation && ready?.status === 'True') break;
      if (ready?.status === 'False' && hc?.status?.observedGeneration === written.metadata.generation) return { error: `HelmChart '${ns}/${name}' is not ready: ${ready.message}` };
      if (Date.now() > deadline || this.engine.closed) return { error: `HelmChart '${ns}/${name}' is not ready: ${ready?.message ?? 'latest generation of object has not been reconciled'}` };
      await this.engine.step(Math.max(this.engine.options.stepMs, 5));
    }
    const repo = this.cluster.get<HelmRepository>(resourceOf('HelmRepository'), ns, tpl.sourceRef.name);
    const version = ((this.cluster.get<HelmChart>(resource, ns, name)!.status?.artifact) as Artifact).revision;
    const found = repo && this.world.charts.find(repo.spec.url)?.find(tpl.chart, version);
    return found && !('error' in found) ? found : { error: `HelmChart '${ns}/${name}' is not ready: chart ${tpl.chart} ${version} vanished` };
  }

  private async release(obj: HelmRelease, run: Run, chart: ChartVersion, action: Action): Promise<Result> {
    await this.progress(obj, (s, g) => conditionsOf(s, g).progressive(false, `Running '${action}' action with timeout of 5m0s`));
    const ns = obj.spec.targetNamespace ?? obj.metadata.namespace!;
    const name = obj.spec.releaseName ?? (obj.spec.targetNamespace ? `${obj.spec.targetNamespace}-${obj.metadata.name}` : obj.metadata.name);
    const storageNamespace = obj.spec.storageNamespace ?? obj.metadata.namespace!;
    const values = obj.spec.values ?? {};
    const manifests = chart.render({ name, namespace: ns, values });
    const labels = { 'helm.toolkit.fluxcd.io/name': obj.metadata.name, 'helm.toolkit.fluxcd.io/namespace': obj.metadata.namespace! };
    let error: string | undefined;
    const applied = [];
    try {
      for (const m of manifests) {
        m.metadata.annotations = { ...m.metadata.annotations, 'meta.helm.sh/release-name': name, 'meta.helm.sh/release-namespace': ns };
        applied.push(applyManifest(this.cluster, m, { fieldManager: 'helm-controller', labels: { 'app.kubernetes.io/managed-by': 'Helm', ...labels }, namespace: ns }));
      }
      this.dropRemoved(`${ns}/${name}`, applied.map((a) => a.id));
      const targets = applied.filter((a) => a.resource === 'deployments').map((a) => ({ resource: a.resource, kind: a.kind, namespace: a.namespace, name: a.name }));
      error = await waitHealthy(this.engine, targets, this.engine.options.healthTimeoutMs);
    } catch (err) {
      error = (err as Error).message;
    }
    const prev = (this.cluster.get<HelmRelease>(this.resource, obj.metadata.namespace, obj.metadata.name)?.status ?? {}) as Status;
    const version = (this.legacy ? prev.lastReleaseRevision ?? 0 : prev.history?.[0]?.version ?? 0) + 1;
    const snapshot = storeRelease(this.cluster, {
      name, namespace: ns, storageNamespace, version, chart, values, manifests, status: error ? 'failed' : 'deployed', action,
      firstDeployed: prev.history?.at(-1)?.firstDeployed ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    const inventory = applied.map((a) => ({ id: a.id, v: a.version }));
    return this.recorded(obj, run, { action, chart, snapshot, storageNamespace, inventory, error });
  }

  /** An upgrade deletes what the chart no longer renders. */
  private dropRemoved(release: string, ids: string[]): void {
    for (const id of this.owned.get(release) ?? []) {
      if (ids.includes(id)) continue;
      const { namespace, name, group, kind } = parseInventoryId(id);
      const found = this.cluster.resources.all().find((r) => r.group === group && r.kind === kind);
      const v = found?.versions.find((x) => x.storage)?.name ?? 'v1';
      const k = resolveKind(this.cluster, group ? `${group}/${v}` : v, kind);
      if (k) deleteObject(this.cluster, k.resource, namespace || undefined, name);
    }
    this.owned.set(release, ids);
  }

  private async recorded(obj: HelmRelease, run: Run, r: { action: Action; chart: ChartVersion; snapshot: Snapshot; storageNamespace: string; inventory: Array<{ id: string; v: string }>; error?: string | undefined }): Promise<Result> {
    const Action = r.action === 'install' ? 'Install' : 'Upgrade';
    const release = `${r.snapshot.namespace}/${r.snapshot.name}.v${r.snapshot.version}`;
    const chart = `${r.chart.name}@${r.chart.version}`;
    return this.finish(obj, run, r.error ? 'Failed' : 'Succeeded', (c, s, g) => {
      s.helmChart = `${obj.spec.chart.spec.sourceRef.namespace ?? obj.metadata.namespace}/${obj.metadata.namespace}-${obj.metadata.name}`;
      s.lastAttemptedRevision = r.chart.version;
      if (this.legacy) {
        s.lastAttemptedValuesChecksum = checksum(obj.spec.values ?? {});
        s.lastReleaseRevision = r.snapshot.version;
        if (!r.error) s.lastAppliedRevision = r.chart.version;
        c.set('Released', r.error ? 'False' : 'True', `${Action}${r.error ? 'Failed' : 'Succeeded'}`, r.error ? `Helm ${r.action} failed: ${r.error}` : `Helm ${r.action} succeeded`);
        c.set('Ready', r.error ? 'False' : 'True', r.error ? `${Action}Failed` : 'ReconciliationSucceeded', r.error ? `Helm ${r.action} failed: ${r.error}` : 'Release reconciliation succeeded');
        return;
      }
      s.history = [r.snapshot, ...(s.history ?? [])].slice(0, 5);
      s.storageNamespace = r.storageNamespace;
      s.lastAttemptedConfigDigest = r.snapshot.configDigest;
      s.lastAttemptedGeneration = g;
      s.lastAttemptedReleaseAction = r.action;
      if (fluxMinor(this.engine.options.version) >= 8) s.inventory = { entries: r.inventory };
      const message = r.error ? `Helm ${r.action} failed for release ${r.snapshot.namespace}/${r.snapshot.name} with chart ${chart}: ${r.error}` : `Helm ${r.action} succeeded for release ${release} with chart ${chart}`;
      c.set('Released', r.error ? 'False' : 'True', `${Action}${r.error ? 'Failed' : 'Succeeded'}`, message);
      c.set('Ready', r.error ? 'False' : 'True', `${Action}${r.error ? 'Failed' : 'Succeeded'}`, message);
    }, r.chart.version);
  }

  private async scripted(obj: HelmRelease, run: Run, f: ScriptedFailure): Promise<Result> {
    return this.finish(obj, run, f.stalled ? 'Stalled' : 'Failed', (c) => {
      c.set('Released', 'False', f.reason, f.message);
      c.fail(f);
    });
  }

  /** The final patch: token, observedGeneration, Reconciling removed on success or ProgressingWithRetry on failure. */
  private async finish(obj: HelmRelease, run: Run, outcome: Result['outcome'], mutate: (c: ReturnType<typeof conditionsOf>, s: Status, g: number) => void, revision?: string): Promise<Result> {
    await this.write(obj, (s, g) => {
      const c = conditionsOf(s, g);
      mutate(c, s as Status, g);
      if (run.token !== undefined) s.lastHandledReconcileAt = run.token;
      // Only a finished reconcile (success or a terminal error) records the generation; waits and retries do not.
      if (outcome === 'Succeeded' || outcome === 'Stalled') s.observedGeneration = g;
      if (c.isTrue('Ready')) c.remove('Reconciling', 'Stalled');
      else if (c.get('Reconciling') && c.get('Stalled') === undefined) c.set('Reconciling', 'True', 'ProgressingWithRetry', c.get('Ready')?.message ?? '');
    });
    return { outcome, ...(revision ? { revision } : {}) };
  }
}

/** helm-controller v2beta1's values checksum: SHA-1 of the values. */
function checksum(values: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(values)).digest('hex');
}
