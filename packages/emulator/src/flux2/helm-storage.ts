// Helm's release storage (helm.sh/helm/v3 pkg/storage/driver/secrets.go): one Secret per
// release revision, `sh.helm.release.v1.<release>.v<n>`, whose `release` key holds the
// base64 of the gzipped release JSON (so the API shows it base64 twice), and the history
// snapshot helm-controller keeps in status (api/v2 snapshot_types.go).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import yaml from 'js-yaml';
import type { Cluster } from '../kube/cluster.js';
import type { GenericObject } from '../kube/types.js';
import { now } from './conditions.js';
import type { ChartVersion } from './registries.js';
import type { Manifest } from './types.js';

export interface Snapshot {
  appVersion?: string;
  chartName: string;
  chartVersion: string;
  configDigest: string;
  digest: string;
  firstDeployed: string;
  lastDeployed: string;
  name: string;
  namespace: string;
  status: string;
  version: number;
}

export interface StoredRelease {
  name: string;
  namespace: string;
  storageNamespace: string;
  version: number;
  chart: ChartVersion;
  values: Record<string, unknown>;
  manifests: Manifest[];
  status: 'deployed' | 'failed';
  action: 'install' | 'upgrade';
  firstDeployed: string;
}

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

export function configDigest(values: Record<string, unknown>): string {
  return sha256(JSON.stringify(values));
}

function manifestText(chart: string, manifests: Manifest[]): string {
  return manifests.map((m) => `---\n# Source: ${chart}/templates/${m.kind.toLowerCase()}.yaml\n${yaml.dump(m, { noRefs: true, lineWidth: -1 })}`).join('');
}

/** Writes the release Secret and marks the previous revision superseded; returns the status snapshot. */
export function storeRelease(cluster: Cluster, r: StoredRelease): Snapshot {
  const at = now();
  const description = r.status === 'failed' ? `${r.action === 'install' ? 'Release' : 'Upgrade'} "${r.name}" failed` : r.action === 'install' ? 'Install complete' : 'Upgrade complete';
  const release = {
    name: r.name, namespace: r.namespace, version: r.version, config: r.values,
    info: { first_deployed: r.firstDeployed, last_deployed: at, deleted: '', description, status: r.status },
    chart: { metadata: { apiVersion: 'v2', name: r.chart.name, version: r.chart.version, ...(r.chart.appVersion ? { appVersion: r.chart.appVersion } : {}) } },
    manifest: manifestText(r.chart.name, r.manifests),
  };
  const prev = cluster.get<GenericObject>('secrets', r.storageNamespace, secretName(r.name, r.version - 1));
  if (prev?.metadata.labels?.status === 'deployed') {
    cluster.write('secrets', { ...prev, metadata: { ...prev.metadata, labels: { ...prev.metadata.labels, status: 'superseded' } } }, { fieldManager: 'helm-controller' });
  }
  const body = Buffer.from(gzipSync(JSON.stringify(release))).toString('base64');
  cluster.write('secrets', {
    metadata: {
      name: secretName(r.name, r.version), namespace: r.storageNamespace,
      labels: { name: r.name, owner: 'helm', status: r.status, version: String(r.version), modifiedAt: String(Math.floor(Date.now() / 1000)) },
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(body).toString('base64') },
  }, { fieldManager: 'helm-controller' });
  return {
    ...(r.chart.appVersion ? { appVersion: r.chart.appVersion } : {}),
    chartName: r.chart.name, chartVersion: r.chart.version, configDigest: configDigest(r.values), digest: sha256(JSON.stringify(release)),
    firstDeployed: r.firstDeployed, lastDeployed: at, name: r.name, namespace: r.namespace, status: r.status, version: r.version,
  };
}

export function secretName(release: string, version: number): string {
  return `sh.helm.release.v1.${release}.v${version}`;
}
