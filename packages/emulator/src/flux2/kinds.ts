// The Flux custom resource kinds and, per Flux minor release, the API versions their CRDs
// serve. Read from each controller's config/crd/bases/*.yaml at the tag the release ships:
// `*` marks the storage version, `~` a deprecated one (the API server then adds a Warning).
import type { CustomResourceDefinitionInput, CustomResourceVersion } from '../kube/crd.js';
import type { PrinterColumn } from '../kube/resources.js';
import type { Component } from './releases.js';

export type FluxKindName =
  | 'GitRepository' | 'OCIRepository' | 'Bucket' | 'HelmRepository' | 'HelmChart' | 'ExternalArtifact'
  | 'Kustomization' | 'HelmRelease' | 'Alert' | 'Provider' | 'Receiver'
  | 'ImageRepository' | 'ImagePolicy' | 'ImageUpdateAutomation';

export interface FluxKind {
  kind: FluxKindName;
  plural: string;
  group: string;
  component: Component;
  /** [first minor, served versions] rows, newest last; the kind is absent before the first row. */
  served: Array<[number, string]>;
  shortNames?: string[];
  /** Short names appeared later than the kind (image kinds: image-reflector/automation v1.0, Flux 2.7). */
  shortNamesSince?: number;
  category: string;
  /** Columns `kubectl get` shows: [name, jsonPath] or [name, jsonPath, priority]. */
  columns: Array<[string, string, number?]>;
  /** Columns of the image kinds before image-reflector/automation v1.0 (Flux < 2.7). */
  oldColumns?: Array<[string, string, number?]>;
}

const SOURCE = 'source.toolkit.fluxcd.io';
const READY: Array<[string, string]> = [['Ready', '.status.conditions[?(@.type=="Ready")].status'], ['Status', '.status.conditions[?(@.type=="Ready")].message']];
const AGE: [string, string] = ['Age', '.metadata.creationTimestamp'];
const GIT_LIKE: Array<[number, string]> = [[0, '*v1 v1beta2~ v1beta1~'], [7, '*v1 v1beta2~'], [8, '*v1']];
const HELM_SOURCE: Array<[number, string]> = [[0, 'v1beta1 *v1beta2'], [3, '*v1 v1beta2~ v1beta1~'], [7, '*v1 v1beta2~'], [8, '*v1']];
const IMAGE: Array<[number, string]> = [[0, 'v1beta1 *v1beta2'], [7, '*v1 v1beta2~'], [9, '*v1']];
const NOTIFY: Array<[number, string]> = [[0, 'v1beta1 *v1beta2'], [2, '*v1beta3 v1beta2~ v1beta1~'], [7, '*v1beta3 v1beta2~'], [9, '*v1beta3']];

export const FLUX_KINDS: FluxKind[] = [
  { kind: 'GitRepository', plural: 'gitrepositories', group: SOURCE, component: 'source-controller', served: GIT_LIKE, shortNames: ['gitrepo'], category: 'sources', columns: [['URL', '.spec.url'], AGE, ...READY] },
  { kind: 'OCIRepository', plural: 'ocirepositories', group: SOURCE, component: 'source-controller', served: [[0, '*v1beta2'], [6, '*v1 v1beta2~'], [8, '*v1']], shortNames: ['ocirepo'], category: 'sources', columns: [['URL', '.spec.url'], ...READY, AGE] },
  { kind: 'Bucket', plural: 'buckets', group: SOURCE, component: 'source-controller', served: [[0, 'v1beta1 *v1beta2'], [3, 'v1beta1~ *v1beta2'], [4, '*v1 v1beta2~ v1beta1~'], [7, '*v1 v1beta2~'], [8, '*v1']], category: 'sources', columns: [['Endpoint', '.spec.endpoint'], AGE, ...READY] },
  { kind: 'HelmRepository', plural: 'helmrepositories', group: SOURCE, component: 'source-controller', served: HELM_SOURCE, shortNames: ['helmrepo'], category: 'sources', columns: [['URL', '.spec.url'], AGE, ...READY] },
  {
    kind: 'HelmChart', plural: 'helmcharts', group: SOURCE, component: 'source-controller', served: HELM_SOURCE, shortNames: ['hc'], category: 'sources',
    columns: [['Chart', '.spec.chart'], ['Version', '.spec.version'], ['Source Kind', '.spec.sourceRef.kind'], ['Source Name', '.spec.sourceRef.name'], AGE, ...READY],
  },
  { kind: 'ExternalArtifact', plural: 'externalartifacts', group: SOURCE, component: 'source-controller', served: [[7, '*v1']], shortNames: ['ea'], shortNamesSince: 9, category: 'sources', columns: [AGE, ...READY, ['Source', '.spec.sourceRef.name']] },
  { kind: 'Kustomization', plural: 'kustomizations', group: 'kustomize.toolkit.fluxcd.io', component: 'kustomize-controller', served: GIT_LIKE, shortNames: ['ks'], category: 'appliers', columns: [AGE, ...READY] },
  {
    kind: 'HelmRelease', plural: 'helmreleases', group: 'helm.toolkit.fluxcd.io', component: 'helm-controller', shortNames: ['hr'], category: 'appliers', columns: [AGE, ...READY],
    served: [[0, '*v2beta1'], [2, '*v2beta2 v2beta1~'], [3, '*v2 v2beta2~ v2beta1~'], [7, '*v2 v2beta2~'], [8, '*v2']],
  },
  { kind: 'Alert', plural: 'alerts', group: 'notification.toolkit.fluxcd.io', component: 'notification-controller', served: NOTIFY, category: 'notifications', columns: [AGE, ...READY] },
  { kind: 'Provider', plural: 'providers', group: 'notification.toolkit.fluxcd.io', component: 'notification-controller', served: NOTIFY, category: 'notifications', columns: [AGE, ...READY] },
  { kind: 'Receiver', plural: 'receivers', group: 'notification.toolkit.fluxcd.io', component: 'notification-controller', served: [[0, '*v1 v1beta2~ v1beta1~'], [7, '*v1 v1beta2~'], [9, '*v1']], category: 'notifications', columns: [AGE, ...READY] },
  {
    kind: 'ImageRepository', plural: 'imagerepositories', group: 'image.toolkit.fluxcd.io', component: 'image-reflector-controller', served: IMAGE,
    shortNames: ['imgrepo', 'imagerepo'], shortNamesSince: 7, category: 'images',
    columns: [['Image', '.spec.image'], ['Tags', '.status.lastScanResult.tagCount'], ...READY, ['Last scan', '.status.lastScanResult.scanTime', 1], AGE],
    oldColumns: [['Last scan', '.status.lastScanResult.scanTime'], ['Tags', '.status.lastScanResult.tagCount']],
  },
  {
    kind: 'ImagePolicy', plural: 'imagepolicies', group: 'image.toolkit.fluxcd.io', component: 'image-reflector-controller', served: IMAGE,
    shortNames: ['imgpol', 'imagepol'], shortNamesSince: 7, category: 'images',
    columns: [['Image', '.status.latestRef.name'], ['Tag', '.status.latestRef.tag'], ...READY, AGE],
    oldColumns: [['LatestImage', '.status.latestImage']],
  },
  {
    kind: 'ImageUpdateAutomation', plural: 'imageupdateautomations', group: 'image.toolkit.fluxcd.io', component: 'image-automation-controller',
    served: [[0, '*v1beta1'], [3, '*v1beta2 v1beta1~'], [7, '*v1 v1beta2~'], [9, '*v1']],
    shortNames: ['iua', 'imgupd', 'imgauto'], shortNamesSince: 7, category: 'images',
    columns: [...READY, ['Last run', '.status.lastAutomationRunTime', 1], AGE],
    oldColumns: [['Last run', '.status.lastAutomationRunTime']],
  },
];

/** The store key of a kind: `<plural>.<group>`, as kubectl names it. */
export function resourceOf(kind: FluxKindName): string {
  const k = kindInfo(kind);
  return `${k.plural}.${k.group}`;
}

export function kindInfo(kind: FluxKindName): FluxKind {
  const k = FLUX_KINDS.find((x) => x.kind === kind);
  if (!k) throw new Error(`unknown Flux kind ${kind}`);
  return k;
}

/** The versions a kind's CRD serves in a Flux minor release; empty when the kind does not exist yet. */
export function servedVersions(k: FluxKind, minor: number): CustomResourceVersion[] {
  const row = [...k.served].reverse().find(([since]) => since <= minor);
  if (!row) return [];
  const specs = row[1].split(' ');
  const storage = specs.find((s) => s.startsWith('*'))!.replace(/[*~]/g, '');
  const columns = columnsOf(k, minor);
  return specs.map((s) => {
    const name = s.replace(/[*~]/g, '');
    // Alert and Provider lost their status with v1beta3; the deprecated versions kept it.
    const noStatus = (k.kind === 'Alert' || k.kind === 'Provider') && name === 'v1beta3';
    return {
      name, served: true, storage: s.startsWith('*'), additionalPrinterColumns: columns,
      ...(s.endsWith('~') ? { deprecated: true, deprecationWarning: `${name} ${k.kind} is deprecated, upgrade to ${storage}` } : {}),
      ...(noStatus ? { subresources: {}, additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: AGE[1] }] } : {}),
    };
  });
}

function columnsOf(k: FluxKind, minor: number): PrinterColumn[] {
  const cols = k.oldColumns && minor < 7 ? k.oldColumns : k.columns;
  return cols.map(([name, jsonPath, priority]) => ({
    name, jsonPath, type: name === 'Age' ? 'date' : 'string', ...(priority ? { priority } : {}),
  }));
}

/** The CRD definition a Flux minor release installs for a kind, or undefined when it has none. */
export function crdFor(k: FluxKind, minor: number, labels: Record<string, string>): CustomResourceDefinitionInput | undefined {
  const versions = servedVersions(k, minor);
  if (versions.length === 0) return undefined;
  const short = k.shortNames && minor >= (k.shortNamesSince ?? 0) ? k.shortNames : [];
  return {
    group: k.group, kind: k.kind, plural: k.plural, singular: k.kind.toLowerCase(), namespaced: true, versions,
    // Categories arrived with the controllers Flux 2.9 ships (source-controller v1.9.1 and peers).
    ...(minor >= 9 ? { categories: ['all', 'fluxcd', `fluxcd-${k.category}`] } : {}),
    ...(short.length ? { shortNames: short } : {}),
    labels: { ...labels, 'app.kubernetes.io/component': k.component },
  };
}
