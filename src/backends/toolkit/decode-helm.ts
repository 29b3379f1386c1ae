import { decodeInventory, type InventoryEntry } from './decode-flux.js';
import { arr, bool, decodeRef, decodeReconcileStatus, fluxParts, int, obj, str, type ObjectMeta, type ObjectRef, type ReconcileStatus } from './decode.js';

/*
 * HelmRelease from any served version: v2beta1 (Flux ≤ 2.2, no history: lastAppliedRevision and
 * lastReleaseRevision instead), v2beta2 and v2 (status.history of release snapshots, newest
 * first; status.inventory from helm-controller v1.5).
 */

/** One helm-controller release snapshot (`status.history[]`, HelmRelease v2beta2 and later). */
export interface HelmReleaseSnapshot {
  name: string;
  namespace: string;
  version: number;
  /** A Helm release status: `deployed`, `failed`, `pending-upgrade`, … */
  status: string;
  chartName: string;
  chartVersion: string;
  appVersion: string;
  firstDeployed: string;
  lastDeployed: string;
  deleted: string;
}

export interface HelmRelease {
  metadata: ObjectMeta;
  spec: {
    interval: string;
    suspend: boolean;
    releaseName: string;
    targetNamespace: string;
    storageNamespace: string;
    /** spec.chart.spec.chart, or '' when the release uses spec.chartRef (v2). */
    chart: string;
    chartVersion: string;
    chartSourceRef: ObjectRef | null;
    chartRef: ObjectRef | null;
    remote: boolean;
  };
  status: ReconcileStatus & {
    /** Empty on v2beta1 (helm-controller < v0.37), which kept no history. */
    history: HelmReleaseSnapshot[];
    /** v2beta1: the chart version last applied; deprecated since v2beta2. */
    lastAppliedRevision: string;
    lastAttemptedRevision: string;
    /** v2beta1: the Helm release revision. */
    lastReleaseRevision: number;
    storageNamespace: string;
    /** helm-controller ≥ v1.5 only. */
    inventory: InventoryEntry[] | null;
  };
}

function decodeSnapshot(v: unknown, path: string): HelmReleaseSnapshot {
  const o = obj(v, path);
  const f = (name: string): string => str(o[name], `${path}.${name}`);
  return {
    name: f('name'), namespace: f('namespace'), version: int(o.version, `${path}.version`), status: f('status'),
    chartName: f('chartName'), chartVersion: f('chartVersion'), appVersion: f('appVersion'),
    firstDeployed: f('firstDeployed'), lastDeployed: f('lastDeployed'), deleted: f('deleted'),
  };
}

export function decodeHelmRelease(v: unknown, path: string): HelmRelease {
  const { metadata, spec, status } = fluxParts(v, path);
  const chartSpec = obj(obj(spec.chart, `${path}.spec.chart`).spec, `${path}.spec.chart.spec`);
  const s = (f: string): string => `${path}.spec.${f}`;
  const st = (f: string): string => `${path}.status.${f}`;
  return {
    metadata,
    spec: {
      interval: str(spec.interval, s('interval')),
      suspend: bool(spec.suspend, s('suspend')),
      releaseName: str(spec.releaseName, s('releaseName')),
      targetNamespace: str(spec.targetNamespace, s('targetNamespace')),
      storageNamespace: str(spec.storageNamespace, s('storageNamespace')),
      chart: str(chartSpec.chart, s('chart.spec.chart')),
      chartVersion: str(chartSpec.version, s('chart.spec.version')),
      chartSourceRef: decodeRef(chartSpec.sourceRef, s('chart.spec.sourceRef'), metadata.namespace),
      chartRef: decodeRef(spec.chartRef, s('chartRef'), metadata.namespace),
      remote: spec.kubeConfig !== undefined && spec.kubeConfig !== null,
    },
    status: {
      ...decodeReconcileStatus(status, path),
      history: arr(status.history, st('history'), decodeSnapshot),
      lastAppliedRevision: str(status.lastAppliedRevision, st('lastAppliedRevision')),
      lastAttemptedRevision: str(status.lastAttemptedRevision, st('lastAttemptedRevision')),
      lastReleaseRevision: int(status.lastReleaseRevision, st('lastReleaseRevision')),
      storageNamespace: str(status.storageNamespace, st('storageNamespace')),
      inventory: decodeInventory(status.inventory, st('inventory')),
    },
  };
}

/** The newest release snapshot (highest Helm version), or undefined without history. */
export function latestSnapshot(hr: HelmRelease): HelmReleaseSnapshot | undefined {
  let best: HelmReleaseSnapshot | undefined;
  for (const s of hr.status.history) if (best === undefined || s.version > best.version) best = s;
  return best;
}
