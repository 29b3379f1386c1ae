// The manifests of the sample fleet repository: bootstrap's gotk-sync.yaml, an `apps`
// Kustomization and the workloads it deploys across three namespaces, one image-automated
// container (with its setter marker), and a podinfo chart for the HelmRelease.
import { kindInfo, servedVersions, type FluxKindName } from './kinds.js';
import type { Manifest } from './types.js';

/** `<group>/<storage version>` of a kind in a Flux minor release. */
export function apiVersionOf(kind: FluxKindName, minor: number): string {
  const k = kindInfo(kind);
  const storage = servedVersions(k, minor).find((v) => v.storage);
  if (!storage) throw new Error(`${kind} is not served by this Flux release`);
  return `${k.group}/${storage.name}`;
}

/** gotk-sync.yaml exactly as `flux bootstrap` writes it. */
export function gotkSync(o: { namespace: string; url: string; branch: string; path: string; secret: boolean; minor: number }): string {
  return [
    '---',
    `apiVersion: ${apiVersionOf('GitRepository', o.minor)}`,
    'kind: GitRepository',
    'metadata:',
    `  name: ${o.namespace}`,
    `  namespace: ${o.namespace}`,
    'spec:',
    '  interval: 1m0s',
    '  ref:',
    `    branch: ${o.branch}`,
    ...(o.secret ? ['  secretRef:', `    name: ${o.namespace}`] : []),
    `  url: ${o.url}`,
    '---',
    `apiVersion: ${apiVersionOf('Kustomization', o.minor)}`,
    'kind: Kustomization',
    'metadata:',
    `  name: ${o.namespace}`,
    `  namespace: ${o.namespace}`,
    'spec:',
    '  interval: 10m0s',
    `  path: ./${o.path}`,
    '  prune: true',
    '  sourceRef:',
    '    kind: GitRepository',
    `    name: ${o.namespace}`,
    '',
  ].join('\n');
}

const meta = (name: string, namespace?: string, labels?: Record<string, string>) => ({ name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) });

/** The cluster-level objects next to gotk-sync.yaml: the apps Kustomization, the chart source and image automation. */
export function clusterObjects(o: { namespace: string; minor: number; helm: boolean; images: boolean; appsPath: string; branch: string }): Manifest[] {
  const ns = o.namespace;
  const out: Manifest[] = [{
    apiVersion: apiVersionOf('Kustomization', o.minor), kind: 'Kustomization', metadata: meta('apps', ns),
    spec: { interval: '10m0s', retryInterval: '2m0s', path: `./${o.appsPath}`, prune: true, wait: true, timeout: '5m0s', sourceRef: { kind: 'GitRepository', name: ns } },
  }];
  if (o.helm) {
    out.push({ apiVersion: apiVersionOf('HelmRepository', o.minor), kind: 'HelmRepository', metadata: meta('podinfo', ns), spec: { interval: '1h0m0s', url: 'https://stefanprodan.github.io/podinfo' } });
  }
  if (o.images) {
    out.push(
      { apiVersion: apiVersionOf('ImageRepository', o.minor), kind: 'ImageRepository', metadata: meta('web', ns), spec: { image: 'ghcr.io/acme/web', interval: '5m0s' } },
      { apiVersion: apiVersionOf('ImagePolicy', o.minor), kind: 'ImagePolicy', metadata: meta('web', ns), spec: { imageRepositoryRef: { name: 'web' }, policy: { semver: { range: '^1.0.0' } } } },
      {
        apiVersion: apiVersionOf('ImageUpdateAutomation', o.minor), kind: 'ImageUpdateAutomation', metadata: meta(ns, ns),
        spec: {
          interval: '30m0s', sourceRef: { kind: 'GitRepository', name: ns },
          git: { checkout: { ref: { branch: o.branch } }, commit: { author: { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' }, messageTemplate: '{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}' }, push: { branch: o.branch } },
          update: { path: `./${o.appsPath}`, strategy: 'Setters' },
        },
      },
    );
  }
  return out;
}

const pod = (labels: Record<string, string>, spec: Record<string, unknown>) => ({ metadata: { labels }, spec });

/** Workloads of the apps Kustomization, by file. `web.yaml` is raw text: it carries the image setter marker. */
export function appFiles(o: { namespace: string; minor: number; helm: boolean; images: boolean }): Record<string, Manifest[] | string> {
  const namespaces: Manifest[] = ['frontend', 'backend', 'monitoring'].map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(n) }));
  const marker = o.images ? ` # {"$imagepolicy": "${o.namespace}:web"}` : '';
  const files: Record<string, Manifest[] | string> = {
    'namespaces.yaml': namespaces,
    'frontend/web.yaml': webYaml(marker),
    'backend/api.yaml': [{
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('api', 'backend', { app: 'api' }),
      spec: {
        replicas: 2, selector: { matchLabels: { app: 'api' } },
        template: pod({ app: 'api' }, {
          initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/api-migrate:2.3.0', args: ['up'] }],
          containers: [{ name: 'api', image: 'ghcr.io/acme/api:2.3.0', ports: [{ name: 'http', containerPort: 8080 }] }],
        }),
      },
    }],
    'backend/postgres.yaml': [{
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('postgres', 'backend', { app: 'postgres' }),
      spec: { serviceName: 'postgres', replicas: 1, selector: { matchLabels: { app: 'postgres' } }, template: pod({ app: 'postgres' }, { containers: [{ name: 'postgres', image: 'docker.io/library/postgres:16.2' }] }) },
    }],
    'backend/backup.yaml': [{
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('backup', 'backend'),
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: pod({ app: 'backup' }, { restartPolicy: 'OnFailure', containers: [{ name: 'backup', image: 'ghcr.io/acme/backup:0.9.1' }] }) } } },
    }],
    'monitoring/node-exporter.yaml': [{
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('node-exporter', 'monitoring', { app: 'node-exporter' }),
      spec: { selector: { matchLabels: { app: 'node-exporter' } }, template: pod({ app: 'node-exporter' }, { containers: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.7.0' }] }) },
    }],
  };
  if (o.helm) {
    files['frontend/podinfo.yaml'] = [{
      apiVersion: apiVersionOf('HelmRelease', o.minor), kind: 'HelmRelease', metadata: meta('podinfo', 'frontend'),
      spec: { interval: '10m0s', chart: { spec: { chart: 'podinfo', version: '6.5.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: o.namespace } } }, values: { replicaCount: 1 } },
    }];
  }
  return files;
}

function webYaml(marker: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: frontend
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2${marker}
          ports:
            - name: http
              containerPort: 8080
        - name: envoy
          image: docker.io/envoyproxy/envoy:v1.29.1
`;
}

/** What the podinfo chart renders for a release (a Deployment and its Service). */
export function podinfoChart(version: string) {
  return (r: { name: string; namespace: string; values: Record<string, unknown> }): Manifest[] => {
    const labels = { 'app.kubernetes.io/name': r.name, 'app.kubernetes.io/version': version, 'helm.sh/chart': `podinfo-${version}` };
    const selector = { 'app.kubernetes.io/name': r.name };
    return [
      { apiVersion: 'v1', kind: 'Service', metadata: meta(r.name, r.namespace, labels), spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 9898, targetPort: 'http' }] } },
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(r.name, r.namespace, labels),
        spec: {
          replicas: (r.values.replicaCount as number | undefined) ?? 1, selector: { matchLabels: selector },
          template: pod(selector, { containers: [{ name: 'podinfo', image: `ghcr.io/stefanprodan/podinfo:${version}`, ports: [{ name: 'http', containerPort: 9898 }] }] }),
        },
      },
    ];
  };
}
