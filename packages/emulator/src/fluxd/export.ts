// GET /v6/export: every workload plus a Namespace per allowed namespace, as the multi-document
// YAML a `kubectl get -o yaml` would give (status, uid and friends included, since fluxctl
// save is the one that strips them). Go sends it as []byte, i.e. a base64 JSON string.
import yaml from 'js-yaml';
import { parseID } from './ids.js';
import { orderedContainers } from './encode.js';
import type { FluxdState, Workload } from './types.js';

const KINDS: Record<string, { apiVersion: string; kind: string }> = {
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  daemonset: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  statefulset: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  cronjob: { apiVersion: 'batch/v1beta1', kind: 'CronJob' },
  helmrelease: { apiVersion: 'helm.fluxcd.io/v1', kind: 'HelmRelease' },
};

const CREATED = '2021-03-04T10:00:00Z';

export function namespacesOf(state: FluxdState): string[] {
  if (state.namespaces.length > 0) return state.namespaces;
  return [...new Set(state.workloads.map((w) => parseID(w.id)?.namespace ?? 'default'))].filter((n) => n !== '<cluster>');
}

function namespaceObject(name: string): unknown {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, creationTimestamp: CREATED, uid: uid(name) }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function uid(seed: string): string {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-8${hex.slice(4, 7)}-${hex}${hex.slice(0, 4)}`;
}

function podTemplate(w: Workload, labels: Record<string, string>): unknown {
  const all = orderedContainers(w);
  const toSpec = (c: (typeof all)[number]) => ({ name: c.name, image: c.image, imagePullPolicy: 'IfNotPresent', resources: {} });
  const init = all.filter((c) => c.init).map(toSpec);
  return {
    metadata: { creationTimestamp: null, labels },
    spec: { containers: all.filter((c) => !c.init).map(toSpec), ...(init.length > 0 ? { initContainers: init } : {}), restartPolicy: 'Always' },
  };
}

function workloadObject(w: Workload): unknown | undefined {
  const id = parseID(w.id);
  const kind = id && KINDS[id.kind];
  if (!id || !kind) return undefined;
  const labels = w.labels ?? { app: id.name };
  const annotations: Record<string, string> = { 'deployment.kubernetes.io/revision': '3' };
  for (const [k, v] of Object.entries(w.policies)) annotations[`fluxcd.io/${k}`] = v;
  const metadata = { name: id.name, namespace: id.namespace, labels, annotations, uid: uid(w.id), resourceVersion: '12345', creationTimestamp: CREATED };
  const status = { replicas: w.rollout.desired, readyReplicas: w.rollout.ready, updatedReplicas: w.rollout.updated };
  if (id.kind === 'cronjob') {
    return { ...kind, metadata, spec: { schedule: '*/15 * * * *', jobTemplate: { spec: { template: podTemplate(w, labels) } } }, status: {} };
  }
  if (id.kind === 'helmrelease') {
    const image = w.containers[0]?.image ?? '';
    return { ...kind, metadata, spec: { releaseName: id.name, chart: { repository: 'https://charts.example.com/', name: id.name, version: '1.0.0' }, values: { image } }, status: { releaseStatus: w.status } };
  }
  return { ...kind, metadata, spec: { replicas: w.rollout.desired, selector: { matchLabels: labels }, template: podTemplate(w, labels) }, status };
}

/** The YAML stream fluxd builds: `---` before each document. */
export function exportYaml(state: FluxdState): string {
  const docs = [...namespacesOf(state).map(namespaceObject), ...state.workloads.filter((w) => !w.notInCluster).map(workloadObject).filter((d) => d !== undefined)];
  return docs.map((d) => '---\n' + yaml.dump(d, { sortKeys: true, lineWidth: -1, noRefs: true })).join('');
}
