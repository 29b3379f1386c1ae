// What `flux install` puts in a cluster (fluxcd/flux2 manifests/bases, pkg/manifestgen/install):
// the namespace, each component's CRDs at the versions its release serves, and one Deployment
// per controller (container `manager`, pod label `app: <component>`) with the install labels.
import type { Cluster } from '../kube/cluster.js';
import type { Deployment, GenericObject, Labels } from '../kube/types.js';
import { crdFor, FLUX_KINDS } from './kinds.js';
import { componentTag, fluxMinor, type Component, type FluxVersion } from './releases.js';

export interface InstallLayout {
  version: FluxVersion;
  namespace: string;
  components: readonly Component[];
  /** `flux install` sets app.kubernetes.io/version; the static install.yaml does not. */
  versionLabel: boolean;
}

/** The labels fluxcd/flux2's LabelTransformer puts on every installed object. */
export function installLabels(l: InstallLayout): Labels {
  return {
    'app.kubernetes.io/instance': l.namespace,
    'app.kubernetes.io/part-of': 'flux',
    ...(l.versionLabel ? { 'app.kubernetes.io/version': l.version } : {}),
  };
}

function ports(component: Component): Array<{ name: string; containerPort: number; protocol: string }> {
  const http = (name: string, containerPort: number) => ({ name, containerPort, protocol: 'TCP' });
  const extra = component === 'source-controller' ? [http('http', 9090)] : component === 'notification-controller' ? [http('http', 9090), http('http-webhook', 9292)] : [];
  return [...extra, http('http-prom', 8080), http('healthz', 9440)];
}

function args(component: Component, namespace: string): string[] {
  const events = component === 'notification-controller' ? [] : [`--events-addr=http://notification-controller.${namespace}.svc.cluster.local./`];
  const storage = component === 'source-controller' ? ['--storage-path=/data', '--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.'] : [];
  return [...events, '--watch-all-namespaces=true', '--log-level=info', '--log-encoding=json', '--enable-leader-election', ...storage];
}

/** Registers the CRDs of the installed components. */
export function installCrds(cluster: Cluster, l: InstallLayout): void {
  const labels = installLabels(l);
  for (const k of FLUX_KINDS) {
    if (!l.components.includes(k.component)) continue;
    const def = crdFor(k, fluxMinor(l.version), labels);
    if (def) cluster.registerCustomResource(def);
  }
}

/** The namespace, controller Deployments (Running pods) and the source-controller Service. */
export function installControllers(cluster: Cluster, l: InstallLayout): Deployment[] {
  const labels = installLabels(l);
  const ns = cluster.addNamespace(l.namespace);
  const nsLabels = { ...ns.metadata.labels, ...labels, 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'latest' };
  cluster.write('namespaces', { ...ns, metadata: { ...ns.metadata, labels: nsLabels } });
  const deployments = l.components.map((c) => {
    const component = { ...labels, 'app.kubernetes.io/component': c };
    return cluster.addDeployment(l.namespace, {
      name: c,
      labels: { ...component, 'control-plane': 'controller' },
      podLabels: { app: c, ...component },
      selector: { app: c },
      strategy: c === 'source-controller' ? 'Recreate' : 'RollingUpdate',
      containers: [{ name: 'manager', image: `ghcr.io/fluxcd/${c}:${componentTag(l.version, c)}`, args: args(c, l.namespace), ports: ports(c) }],
    });
  });
  for (const c of l.components.filter((x) => x === 'source-controller' || x === 'notification-controller')) {
    const svc: GenericObject = {
      metadata: { name: c, namespace: l.namespace, uid: '', resourceVersion: '', creationTimestamp: '', labels: { ...labels, 'app.kubernetes.io/component': c, 'control-plane': 'controller' } },
      spec: { type: 'ClusterIP', selector: { app: c }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] },
    };
    cluster.write('services', svc);
  }
  return deployments;
}
