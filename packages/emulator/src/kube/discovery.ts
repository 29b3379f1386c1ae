// Discovery: /version, /api, /apis, /apis/<group>, /api/v1 and /apis/<group>/<version>, in the
// classic form and, when the Accept header asks for it (kubectl ≥ 1.30), the aggregated
// apidiscovery.k8s.io/v2 APIGroupDiscoveryList. A group or version appears only while some
// resource (for custom resources: some CRD) serves it.
import type { ResourceInfo, ResourceRegistry, ResourceVersion } from './resources.js';

export const AGGREGATED_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** The Accept header lists aggregated discovery v2 (client-go puts it first, with fallbacks). */
export function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((mediaType) => {
    const params = new Set(mediaType.split(';').slice(1).map((p) => p.trim()));
    return params.has('g=apidiscovery.k8s.io') && params.has('v=v2') && params.has('as=APIGroupDiscoveryList');
  });
}

const VERSION = {
  major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean', buildDate: '2025-04-22T16:02:27Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64',
};

function servedAt(registry: ResourceRegistry, group: string, version: string): Array<[ResourceInfo, ResourceVersion]> {
  const out: Array<[ResourceInfo, ResourceVersion]> = [];
  for (const info of registry.all()) {
    if (info.group !== group) continue;
    const v = info.versions.find((x) => x.name === version && x.served);
    if (v) out.push([info, v]);
  }
  return out;
}

function classicEntries(info: ResourceInfo, v: ResourceVersion): object[] {
  const entries: object[] = [{
    name: info.plural, singularName: info.singular, namespaced: info.namespaced, kind: info.kind, verbs: info.verbs,
    ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
    ...(info.categories.length ? { categories: info.categories } : {}),
  }];
  if (info.key === 'pods') entries.push({ name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] });
  if (v.status) entries.push({ name: `${info.plural}/status`, singularName: '', namespaced: info.namespaced, kind: info.kind, verbs: ['get', 'patch', 'update'] });
  return entries;
}

function resourceList(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const served = servedAt(registry, group, version);
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version,
    resources: served.flatMap(([info, v]) => classicEntries(info, v)),
  };
}

function apiGroup(name: string, versions: string[]): object {
  const gv = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gv, preferredVersion: gv[0] };
}

function aggregatedResource(info: ResourceInfo, v: ResourceVersion): object {
  const responseKind = { group: info.group, version: v.name, kind: info.kind };
  const subresources: object[] = [];
  if (v.status) subresources.push({ subresource: 'status', responseKind, verbs: ['get', 'patch', 'update'] });
  if (info.key === 'pods') subresources.push({ subresource: 'portforward', responseKind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, verbs: ['create', 'get'] });
  return {
    resource: info.plural, responseKind, scope: info.namespaced ? 'Namespaced' : 'Cluster', singularResource: info.singular, verbs: info.verbs,
    ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
    ...(info.categories.length ? { categories: info.categories } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}

/** The aggregated document for /api (core only) or /apis (every other group). */
export function aggregated(registry: ResourceRegistry, core: boolean): object {
  const items = [...registry.groups()].filter(([g]) => (g === '') === core).map(([group, versions]) => ({
    metadata: { ...(group ? { name: group } : {}), creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      resources: servedAt(registry, group, version).map(([info, v]) => aggregatedResource(info, v)),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

/** Classic discovery documents by path, or undefined when the path is not a discovery path. */
export function discovery(registry: ResourceRegistry, path: string, serverAddress: string): object | undefined {
  if (path === '/version') return VERSION;
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  if (path === '/api/v1') return resourceList(registry, '', 'v1');
  const groups = [...registry.groups()].filter(([g]) => g !== '');
  if (path === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(([g, vs]) => apiGroup(g, vs)) };
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
  if (!m) return undefined;
  const versions = groups.find(([g]) => g === m[1])?.[1];
  if (!versions) return undefined;
  if (m[2] === undefined) return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(m[1]!, versions) };
  return versions.includes(m[2]) ? resourceList(registry, m[1]!, m[2]) : undefined;
}
