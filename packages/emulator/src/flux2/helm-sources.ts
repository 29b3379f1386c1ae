// source-controller for HelmRepository and HelmChart, enough for a HelmRelease to find its
// chart: a stored index per repository, a pulled chart version per HelmChart, with the
// status texts of helmrepository_controller.go and helmchart_controller.go.
import { createHash } from 'node:crypto';
import { now } from './conditions.js';
import type { ScriptedFailure, World } from './engine.js';
import { conditionsOf, Reconciler, type Result, type Run } from './reconciler.js';
import { resourceOf } from './kinds.js';
import type { FluxObject, FluxStatus, HelmRepository } from './types.js';

export type HelmChart = FluxObject<{ chart: string; version?: string; sourceRef: { kind: string; name: string } }>;

abstract class SourceReconciler<T extends FluxObject> extends Reconciler<T> {
  protected suspendedObservesGeneration(s: FluxStatus): boolean {
    return (s.conditions?.length ?? 0) > 0;
  }

  protected async begin(obj: T, run: Run): Promise<void> {
    const observed = obj.status?.observedGeneration ?? -1;
    if (observed !== (obj.metadata.generation ?? 1)) {
      await this.progress(obj, (s, g) => conditionsOf(s, g).progressive(false, `processing object: new generation ${observed} -> ${g}`));
    } else if (run.token !== obj.status?.lastHandledReconcileAt) {
      await this.progress(obj, (s, g) => conditionsOf(s, g).progressive(false, 'reconciliation in progress'));
    }
  }

  protected async succeed(obj: T, run: Run, message: string, reason: string, artifact?: object): Promise<Result> {
    await this.write(obj, (s, g) => {
      const c = conditionsOf(s, g);
      c.remove('FetchFailed', 'ArtifactOutdated', 'Reconciling', 'Stalled');
      if (artifact) {
        s.artifact = artifact;
        c.set('ArtifactInStorage', 'True', reason, message);
      }
      c.set('Ready', 'True', reason, message);
      s.observedGeneration = g;
      if (run.token !== undefined) s.lastHandledReconcileAt = run.token;
    });
    return { outcome: 'Succeeded' };
  }

  protected async failed(obj: T, run: Run, f: ScriptedFailure): Promise<Result> {
    await this.write(obj, (s, g) => {
      const c = conditionsOf(s, g);
      c.set('FetchFailed', 'True', f.reason, f.message);
      c.fail(f);
      if (run.token !== undefined) s.lastHandledReconcileAt = run.token;
    });
    return { outcome: f.stalled ? 'Stalled' : 'Failed' };
  }

  protected artifact(kind: string, obj: T, file: string, revision: string, digest: string): object {
    const path = `${kind}/${obj.metadata.namespace}/${obj.metadata.name}/${file}`;
    const host = `source-controller.${this.engine.options.namespace}.svc.cluster.local.`;
    return { digest, lastUpdateTime: now(), path, revision, size: 1024, url: `http://${host}/${path}` };
  }
}

export class HelmRepositoryReconciler extends SourceReconciler<HelmRepository> {
  constructor(private readonly world: World) {
    super(world.engine, 'HelmRepository', 'source-controller');
  }

  protected async reconcile(obj: HelmRepository, run: Run): Promise<Result> {
    await this.begin(obj, run);
    const scripted = this.failure(obj);
    if (scripted) return this.failed(obj, run, { retry: true, ...scripted });
    // OCI repositories are "static": nothing is fetched until a chart is pulled.
    if (obj.spec.type === 'oci') return this.succeed(obj, run, 'Helm repository is Ready', 'Succeeded');
    if (!this.world.charts.find(obj.spec.url)) {
      const message = `failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch ${obj.spec.url.replace(/\/$/, '')}/index.yaml : 404 Not Found`;
      return this.failed(obj, run, { reason: 'Failed', message });
    }
    const hex = createHash('sha256').update(obj.spec.url).digest('hex');
    const artifact = this.artifact('helmrepository', obj, `index-${hex}.yaml`, `sha256:${hex}`, `sha256:${hex}`);
    return this.succeed(obj, run, `stored artifact: revision 'sha256:${hex}'`, 'Succeeded', artifact);
  }
}

export class HelmChartReconciler extends SourceReconciler<HelmChart> {
  constructor(private readonly world: World) {
    super(world.engine, 'HelmChart', 'source-controller');
  }

  protected async reconcile(obj: HelmChart, run: Run): Promise<Result> {
    await this.begin(obj, run);
    const scripted = this.failure(obj);
    if (scripted) return this.failed(obj, run, { retry: true, ...scripted });
    const ref = obj.spec.sourceRef;
    const repo = this.cluster.get<HelmRepository>(resourceOf('HelmRepository'), obj.metadata.namespace, ref.name);
    if (!repo) {
      const message = `failed to get source: helmrepositories.source.toolkit.fluxcd.io "${ref.name}" not found`;
      return this.failed(obj, run, { reason: 'SourceUnavailable', message });
    }
    const found = this.world.charts.find(repo.spec.url)?.find(obj.spec.chart, obj.spec.version || '*');
    if (!found || 'error' in found) {
      const detail = found?.error ?? 'no chart name found';
      return this.failed(obj, run, { reason: 'ChartPullError', message: `invalid chart reference: failed to get chart version for remote reference: ${detail}` });
    }
    const digest = `sha256:${createHash('sha256').update(`${found.name}-${found.version}`).digest('hex')}`;
    const artifact = this.artifact('helmchart', obj, `${found.name}-${found.version}.tgz`, found.version, digest);
    return this.succeed(obj, run, `pulled '${found.name}' chart with version '${found.version}'`, 'ChartPullSucceeded', artifact);
  }
}
