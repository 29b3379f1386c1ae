// The resources this API server knows, and the discovery documents kubectl reads.
import type { Resource } from './types.js';

export interface ResourceInfo {
  group: '' | 'apps';
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: Record<Resource, ResourceInfo> = {
  namespaces: { group: '', kind: 'Namespace', singular: 'namespace', namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  pods: { group: '', kind: 'Pod', singular: 'pod', namespaced: true, shortNames: ['po'], verbs: ALL_VERBS },
  replicasets: { group: 'apps', kind: 'ReplicaSet', singular: 'replicaset', namespaced: true, shortNames: ['rs'], verbs: ALL_VERBS },
  deployments: { group: 'apps', kind: 'Deployment', singular: 'deployment', namespaced: true, shortNames: ['deploy'], verbs: ALL_VERBS },
};

export function apiVersionOf(resource: Resource): string {
  const { group } = RESOURCES[resource];
  return group ? `${group}/v1` : 'v1';
}

/** Watch events and single-object responses carry kind/apiVersion; list items do not. */
export function withKind<T extends object>(resource: Resource, obj: T): T & { kind: string; apiVersion: string } {
  return { kind: RESOURCES[resource].kind, apiVersion: apiVersionOf(resource), ...obj };
}

export function findResource(group: string, name: string): Resource | undefined {
  const hit = (Object.keys(RESOURCES) as Resource[]).find((r) => r === name && RESOURCES[r].group === group);
  return hit;
}

function resourceList(group: '' | 'apps'): object {
  const resources: object[] = [];
  for (const [name, info] of Object.entries(RESOURCES) as [Resource, ResourceInfo][]) {
    if (info.group !== group) continue;
    resources.push({
      name,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.verbs,
      shortNames: info.shortNames,
      ...(name === 'namespaces' ? {} : { categories: ['all'] }),
    });
    if (name === 'pods') {
      resources.push({ name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] });
    }
    if (name === 'deployments' || name === 'replicasets') {
      resources.push({ name: `${name}/status`, singularName: '', namespaced: true, kind: info.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/v1` : 'v1', resources };
}

/** Discovery documents by path; kubectl falls back from aggregated discovery to these. */
export function discovery(path: string, serverAddress: string): object | undefined {
  switch (path) {
    case '/version':
      return {
        major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
        gitTreeState: 'clean', buildDate: '2025-04-22T16:02:27Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64',
      };
    case '/api':
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
    case '/api/v1':
      return resourceList('');
    case '/apis':
      return {
        kind: 'APIGroupList', apiVersion: 'v1',
        groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
      };
    case '/apis/apps':
      return { kind: 'APIGroup', apiVersion: 'v1', name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } };
    case '/apis/apps/v1':
      return resourceList('apps');
    default:
      return undefined;
  }
}
