// The API server's built-in printers (pkg/printers/internalversion printers.go): the columns
// and cells `kubectl get` shows for each built-in resource.
import type { Deployment, GenericObject, KubeObject, Namespace, Pod, ReplicaSet, Resource } from './types.js';
import { humanDuration, isPlainObject } from './util.js';

export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export const col = (name: string, type: string, description: string, priority = 0, format = ''): Column => ({ name, type, format, description, priority });
export const NAME = col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
export const AGE = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

export const COLUMNS: Record<string, Column[]> = {
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
  statefulsets: [
    NAME,
    col('Ready', 'string', 'Number of the pod with ready state'),
    AGE,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
  ],
  daemonsets: [
    NAME,
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'A label query over pods that are managed by the daemon set.', 1),
  ],
  cronjobs: [
    NAME,
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    AGE,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
  ],
  secrets: [NAME, col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'string', 'Data contains the secret data.'), AGE],
  configmaps: [NAME, col('Data', 'string', 'Data contains the configuration data.'), AGE],
  serviceaccounts: [NAME, col('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE],
  services: [
    NAME,
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  // The apiextensions default table: name and creation time, no printer of its own.
  customresourcedefinitions: [NAME, col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
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

/** The row cells for a built-in resource (undefined for one without a printer). */
export function builtinCells(resource: Resource, obj: KubeObject): unknown[] | undefined {
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
    case 'customresourcedefinitions':
      return [obj.metadata.name, obj.metadata.creationTimestamp];
    default:
      return workloadCells(resource, obj as GenericObject, age) ?? otherCells(resource, obj as GenericObject, age);
  }
}

const rec = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const labelsText = (v: unknown): string => {
  const text = selectorText(rec(v) as Record<string, string>);
  return text === '' ? '<none>' : text;
};

function containersOf(podSpec: Record<string, unknown>): [string, string] {
  const cs = (Array.isArray(podSpec.containers) ? podSpec.containers : []).map(rec);
  return [cs.map((c) => String(c.name)).join(','), cs.map((c) => String(c.image)).join(',')];
}

function workloadCells(resource: Resource, o: GenericObject, age: string): unknown[] | undefined {
  const spec = rec(o.spec);
  const st = rec(o.status);
  const name = o.metadata.name;
  switch (resource) {
    case 'statefulsets':
      return [name, `${num(st.readyReplicas)}/${num(spec.replicas ?? 1)}`, age, ...containersOf(rec(rec(spec.template).spec))];
    case 'daemonsets': {
      const pod = rec(rec(spec.template).spec);
      return [name, num(st.desiredNumberScheduled), num(st.currentNumberScheduled), num(st.numberReady), num(st.updatedNumberScheduled),
        num(st.numberAvailable), labelsText(pod.nodeSelector), age, ...containersOf(pod), labelsText(rec(spec.selector).matchLabels)];
    }
    case 'cronjobs': {
      const job = rec(rec(spec.jobTemplate).spec);
      const last = typeof st.lastScheduleTime === 'string' ? humanDuration(Date.now() - Date.parse(st.lastScheduleTime)) : '<none>';
      const suspend = spec.suspend === undefined ? '<unset>' : spec.suspend ? 'True' : 'False';
      return [name, spec.schedule ?? '', spec.timeZone ?? '<none>', suspend, Array.isArray(st.active) ? st.active.length : 0, last, age,
        ...containersOf(rec(rec(job.template).spec)), labelsText(rec(job.selector).matchLabels)];
    }
    default:
      return undefined;
  }
}

function otherCells(resource: Resource, o: GenericObject, age: string): unknown[] | undefined {
  const spec = rec(o.spec);
  const count = (v: unknown): number => Object.keys(rec(v)).length;
  switch (resource) {
    case 'secrets':
      return [o.metadata.name, o.type ?? 'Opaque', count(o.data) + count(o.stringData), age];
    case 'configmaps':
      return [o.metadata.name, count(o.data) + count(o.binaryData), age];
    case 'serviceaccounts':
      return [o.metadata.name, Array.isArray(o.secrets) ? o.secrets.length : 0, age];
    case 'services': {
      const ports = (Array.isArray(spec.ports) ? spec.ports : []).map(rec).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',');
      return [o.metadata.name, spec.type ?? 'ClusterIP', spec.clusterIP ?? '<none>', '<none>', ports || '<none>', age, labelsText(spec.selector)];
    }
    default:
      return undefined;
  }
}

