import { CliError, UnreachableError } from '../errors.js';
import { KubeApiError, type KubeApi } from './api.js';
import type { DaemonPod, OwnerReference } from './daemon-pod.js';

export interface ContainerJson {
  name: string;
  image?: string;
  args?: string[];
}

/** The fields of an apps/v1 Deployment that set-interval reads. */
export interface DeploymentJson {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    replicas?: number;
    paused?: boolean;
    template: { spec: { containers: ContainerJson[] } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
  };
}

const deploymentPath = (ns: string, name: string): string =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments/${encodeURIComponent(name)}`;

export async function getDeployment(api: KubeApi, namespace: string, name: string): Promise<DeploymentJson> {
  try {
    return (await api.request('GET', deploymentPath(namespace, name))) as DeploymentJson;
  } catch (e) {
    if (e instanceof KubeApiError && e.status === 404) {
      throw new UnreachableError(`deployment "${name}" not found in namespace "${namespace}" (context "${api.contextName}")`, {
        hint: 'pass --deployment with the name of the Flux daemon Deployment, and --k8s-fwd-ns with its namespace',
      });
    }
    throw e;
  }
}

const controllerOf = (refs: OwnerReference[] | undefined, kind: string): string | undefined =>
  refs?.find((r) => r.kind === kind && r.controller === true)?.name ?? refs?.find((r) => r.kind === kind)?.name;

/** Follows the daemon pod's owners: pod → ReplicaSet → Deployment (the ownerReferences the Deployment and ReplicaSet controllers set). */
export async function deploymentOfPod(api: KubeApi, pod: DaemonPod): Promise<DeploymentJson> {
  const noOwner = (what: string): CliError =>
    new UnreachableError(`pod ${pod.namespace}/${pod.name} ${what}`, { hint: 'pass --deployment <name> to name the daemon Deployment yourself' });
  const rsName = controllerOf(pod.ownerReferences, 'ReplicaSet');
  if (rsName === undefined) throw noOwner('is not managed by a ReplicaSet, so its Deployment cannot be found');
  const rs = (await api.request('GET', `/apis/apps/v1/namespaces/${encodeURIComponent(pod.namespace)}/replicasets/${encodeURIComponent(rsName)}`)) as {
    metadata?: { ownerReferences?: OwnerReference[] };
  };
  const name = controllerOf(rs.metadata?.ownerReferences, 'Deployment');
  if (name === undefined) throw noOwner(`belongs to ReplicaSet ${rsName}, which no Deployment owns`);
  return getDeployment(api, pod.namespace, name);
}

/** A strategic-merge patch of one container's args, guarded by the resourceVersion we read. */
export function argsPatch(d: DeploymentJson, container: string, args: string[]): unknown {
  return {
    metadata: { resourceVersion: d.metadata.resourceVersion },
    spec: { template: { spec: { containers: [{ name: container, args }] } } },
  };
}

export async function patchDeployment(api: KubeApi, d: DeploymentJson, patch: unknown, dryRun: boolean): Promise<DeploymentJson> {
  const query: Record<string, string> = { fieldManager: 'fluxctl' };
  if (dryRun) query.dryRun = 'All';
  return (await api.request('PATCH', deploymentPath(d.metadata.namespace, d.metadata.name), {
    query,
    body: patch,
    contentType: 'application/strategic-merge-patch+json',
  })) as DeploymentJson;
}

export interface RolloutState {
  done: boolean;
  message: string;
}

/** `kubectl rollout status` for a Deployment, step for step (kubectl pkg/polymorphichelpers/rollout_status.go). */
export function rolloutState(d: DeploymentJson): RolloutState {
  const name = d.metadata.name;
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) {
    return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  }
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    throw new CliError(`deployment "${name}" exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}`, {
      hint: `see why with: kubectl describe deployment ${name} -n ${d.metadata.namespace}`,
    });
  }
  const updated = s.updatedReplicas ?? 0;
  const replicas = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const waiting = (m: string): RolloutState => ({ done: false, message: `Waiting for deployment "${name}" rollout to finish: ${m}` });
  if (d.spec.replicas !== undefined && updated < d.spec.replicas) return waiting(`${updated} out of ${d.spec.replicas} new replicas have been updated...`);
  if (replicas > updated) return waiting(`${replicas - updated} old replicas are pending termination...`);
  if (available < updated) return waiting(`${available} of ${updated} updated replicas are available...`);
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}
