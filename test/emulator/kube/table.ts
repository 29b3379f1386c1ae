// Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for. Without it
// kubectl prints only NAME and AGE. Columns and cells follow the API server's printers.
import { withKind } from './resources.js';
import type { Deployment, KubeObject, Namespace, Pod, ReplicaSet, Resource } from './types.js';
import { humanDuration } from './util.js';

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const col = (name: string, type: string, description: string, priority = 0, format = ''): Column => ({ name, type, format, description, priority });
const NAME = col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const AGE = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

const COLUMNS: Record<Resource, Column[]> = {
  pods: [
    NAME,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster.', 1),
    col('Node', 'string', "NodeName is a request to schedule this pod onto a specific node.", 1),
    col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  deployments: [
    NAME,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  replicasets: [
    NAME,
    col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    AGE,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'Selector is a label query over pods that should match the replica count.', 1),
  ],
  namespaces: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
};

const selectorText = (m: Record<string, string>): string => Object.entries(m).map(([k, v]) => `${k}=${v}`).join(',');

function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  for (const cs of p.status.containerStatuses ?? []) {
    const waiting = cs.state.waiting?.reason;
    if (typeof waiting === 'string' && waiting !== '') return waiting;
    const terminated = cs.state.terminated?.reason;
    if (typeof terminated === 'string' && terminated !== '') return terminated;
  }
  return p.status.phase;
}

function cells(resource: Resource, obj: KubeObject): unknown[] {
  const age = humanDuration(Date.now() - Date.parse(obj.metadata.creationTimestamp));
  switch (resource) {
    case 'pods': {
      const p = obj as Pod;
      const statuses = p.status.containerStatuses ?? [];
      const ready = statuses.filter((c) => c.ready).length;
      const restarts = statuses.reduce((n, c) => n + c.restartCount, 0);
      return [p.metadata.name, `${ready}/${p.spec.containers.length}`, podStatus(p), String(restarts), age,
        p.status.podIP ?? '<none>', p.spec.nodeName ?? '<none>', '<none>', '<none>'];
    }
    case 'deployments': {
      const d = obj as Deployment;
      const cs = d.spec.template.spec.containers;
      return [d.metadata.name, `${d.status.readyReplicas ?? 0}/${d.spec.replicas}`, d.status.updatedReplicas ?? 0,
        d.status.availableReplicas ?? 0, age, cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(','), selectorText(d.spec.selector.matchLabels)];
    }
    case 'replicasets': {
      const r = obj as ReplicaSet;
      const cs = r.spec.template.spec.containers;
      return [r.metadata.name, r.spec.replicas, r.status.replicas, r.status.readyReplicas ?? 0, age,
        cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(','), selectorText(r.spec.selector.matchLabels)];
    }
    case 'namespaces':
      return [obj.metadata.name, (obj as Namespace).status.phase, age];
  }
}

export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function toTable(resource: Resource, objects: KubeObject[], listMeta: Record<string, unknown>, includeObject: string | null): object {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: COLUMNS[resource],
    rows: objects.map((o) => ({
      cells: cells(resource, o),
      ...(includeObject === 'None'
        ? {}
        : { object: includeObject === 'Object' ? withKind(resource, o) : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } }),
    })),
  };
}
