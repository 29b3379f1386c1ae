import { obj, optObj, str, strMap, type Json } from './decode.js';
import type { FluxKind, ServedKind } from './discovery.js';
import { HELM_NAME, HELM_NAMESPACE, KUSTOMIZE_NAME, KUSTOMIZE_NAMESPACE } from './ownership.js';

/** A Flux object as saved: what one would commit to git to recreate it. */
export interface ExportedObject {
  apiVersion: string;
  kind: FluxKind;
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Json;
}

/**
 * Metadata that describes this cluster's copy rather than the object: the owner labels
 * kustomize-controller and helm-controller stamp on what they apply (they stamp them again),
 * one-shot reconcile requests (reconcile.fluxcd.io/requestedAt, and helm-controller's forceAt
 * and resetAt, which would force an upgrade wherever the file is applied), and kubectl's copy of
 * the last applied object.
 */
const DROPPED_LABELS: ReadonlySet<string> = new Set([KUSTOMIZE_NAME, KUSTOMIZE_NAMESPACE, HELM_NAME, HELM_NAMESPACE]);
const DROPPED_ANNOTATIONS: ReadonlySet<string> = new Set([
  'reconcile.fluxcd.io/requestedAt', 'reconcile.fluxcd.io/forceAt', 'reconcile.fluxcd.io/resetAt',
  'kubectl.kubernetes.io/last-applied-configuration',
]);

function kept(map: Map<string, string> | null, dropped: ReadonlySet<string>): Record<string, string> | undefined {
  const entries = [...(map ?? [])].filter(([k]) => !dropped.has(k));
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The object without status and without server-set metadata (uid, resourceVersion, generation, managedFields, …). */
export function exportObject(item: unknown, kind: FluxKind, served: ServedKind, path: string): ExportedObject {
  const o = obj(item, path);
  const m = obj(o.metadata, `${path}.metadata`);
  const labels = kept(strMap(m.labels, `${path}.metadata.labels`), DROPPED_LABELS);
  const annotations = kept(strMap(m.annotations, `${path}.metadata.annotations`), DROPPED_ANNOTATIONS);
  const spec = optObj(o.spec, `${path}.spec`);
  return {
    apiVersion: `${served.group}/${served.version}`,
    kind,
    metadata: {
      name: str(m.name, `${path}.metadata.name`),
      namespace: str(m.namespace, `${path}.metadata.namespace`),
      ...(labels === undefined ? {} : { labels }),
      ...(annotations === undefined ? {} : { annotations }),
    },
    ...(spec === null ? {} : { spec }),
  };
}

/**
 * Whether helm-controller wrote this HelmChart (its managedFields name it): true even when the
 * HelmRelease it belongs to is in a namespace we may not list.
 */
export function writtenByHelmController(item: unknown, path: string): boolean {
  const m = obj(obj(item, path).metadata, `${path}.metadata`);
  const fields = Array.isArray(m.managedFields) ? m.managedFields : [];
  return fields.some((f, i) => str(obj(f, `${path}.metadata.managedFields[${i}]`).manager, `${path}.metadata.managedFields[${i}].manager`) === 'helm-controller');
}

/**
 * `namespace/name` of the HelmCharts helm-controller made for HelmReleases (spec.chart): the one
 * each names in status.helmChart, and the one it would make, `<ns>-<name>` in the source's
 * namespace (helm-controller GetHelmChartName), for a release not reconciled yet.
 */
export function generatedCharts(helmReleases: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  helmReleases.forEach((item, i) => {
    const path = `HelmRelease list[${i}]`;
    const o = obj(item, path);
    const m = obj(o.metadata, `${path}.metadata`);
    const namespace = str(m.namespace, `${path}.metadata.namespace`);
    const status = str(obj(o.status, `${path}.status`).helmChart, `${path}.status.helmChart`);
    if (status !== '') out.add(status);
    const chart = optObj(obj(o.spec, `${path}.spec`).chart, `${path}.spec.chart`);
    if (chart === null) return;
    const sourceRef = obj(obj(chart.spec, `${path}.spec.chart.spec`).sourceRef, `${path}.spec.chart.spec.sourceRef`);
    out.add(`${str(sourceRef.namespace, `${path}.spec.chart.spec.sourceRef.namespace`) || namespace}/${namespace}-${str(m.name, `${path}.metadata.name`)}`);
  });
  return out;
}
