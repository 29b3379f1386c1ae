import { describe, expect, it } from 'vitest';
import { DISCOVERY_ACCEPT, discoverFluxKinds, type DiscoveryGet } from '../../src/backends/toolkit/discovery.js';

/** group → version → plurals, versions in the server's priority order. */
type Served = Record<string, Record<string, string[]>>;

const SOURCE = 'source.toolkit.fluxcd.io';
const KUSTOMIZE = 'kustomize.toolkit.fluxcd.io';
const HELM = 'helm.toolkit.fluxcd.io';
const IMAGE = 'image.toolkit.fluxcd.io';
const NOTIFICATION = 'notification.toolkit.fluxcd.io';
const APPS = { apps: { v1: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] } };

// Flux v2.0: GitRepository and Kustomization at v1, HelmRepository/HelmChart/Bucket/OCIRepository
// still v1beta2, HelmRelease v2beta1 only, image kinds v1beta2/v1beta1.
const FLUX_2_0: Served = {
  ...APPS,
  [SOURCE]: {
    v1: ['gitrepositories'],
    v1beta2: ['gitrepositories', 'helmrepositories', 'helmcharts', 'buckets', 'ocirepositories'],
    v1beta1: ['gitrepositories', 'helmrepositories', 'helmcharts', 'buckets'],
  },
  [KUSTOMIZE]: { v1: ['kustomizations'], v1beta2: ['kustomizations'], v1beta1: ['kustomizations'] },
  [HELM]: { v2beta1: ['helmreleases'] },
  [IMAGE]: { v1beta2: ['imagerepositories', 'imagepolicies'], v1beta1: ['imagerepositories', 'imagepolicies', 'imageupdateautomations'] },
  [NOTIFICATION]: { v1: ['receivers'], v1beta2: ['alerts', 'providers', 'receivers'], v1beta1: ['alerts', 'providers', 'receivers'] },
};

// Flux v2.9 as installed by default: no image controllers.
const FLUX_2_9_DEFAULT: Served = {
  ...APPS,
  [SOURCE]: { v1: ['gitrepositories', 'ocirepositories', 'buckets', 'helmrepositories', 'helmcharts', 'externalartifacts'] },
  [KUSTOMIZE]: { v1: ['kustomizations'] },
  [HELM]: { v2: ['helmreleases'] },
  [NOTIFICATION]: { v1: ['receivers'], v1beta3: ['alerts', 'providers'] },
};

const kindOf = (plural: string): string => plural.replace(/ies$/, 'y').replace(/s$/, '').replace(/^./, (c) => c.toUpperCase());

function aggregated(served: Served, stale: ReadonlySet<string>): unknown {
  return {
    kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {},
    items: Object.entries(served).map(([group, versions]) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: Object.entries(versions).map(([version, plurals]) => ({
        version,
        resources: plurals.map((resource) => ({
          resource, responseKind: { group, version, kind: kindOf(resource) }, scope: 'Namespaced', singularResource: kindOf(resource).toLowerCase(),
          verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
          subresources: [{ subresource: 'status', responseKind: { group, version, kind: kindOf(resource) }, verbs: ['get', 'patch', 'update'] }],
        })),
        freshness: stale.has(`${group}/${version}`) ? 'Stale' : 'Current',
      })),
    })),
  };
}

function classic(served: Served): unknown {
  return {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: Object.entries(served).map(([name, versions]) => {
      const list = Object.keys(versions).map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

function resourceList(group: string, version: string, plurals: string[]): unknown {
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`,
    resources: plurals.flatMap((name) => [
      { name, singularName: kindOf(name).toLowerCase(), namespaced: true, kind: kindOf(name), verbs: ['get', 'list'], storageVersionHash: 'x' },
      { name: `${name}/status`, singularName: '', namespaced: true, kind: kindOf(name), verbs: ['get', 'patch', 'update'] },
    ]),
  };
}

/** A fake API server's discovery endpoints, recording each request. */
function server(served: Served, opts: { aggregated: boolean; stale?: string[] }) {
  const calls: { path: string; accept: string | undefined }[] = [];
  const get: DiscoveryGet = async (path, accept) => {
    calls.push({ path, accept });
    if (path === '/apis') return opts.aggregated && accept?.includes('as=APIGroupDiscoveryList') ? aggregated(served, new Set(opts.stale)) : classic(served);
    const m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    const plurals = m === null ? undefined : served[m[1]!]?.[m[2]!];
    if (m === null || plurals === undefined) throw new Error(`404 ${path}`);
    return resourceList(m[1]!, m[2]!, plurals);
  };
  return { get, calls };
}

const EXPECTED_2_0 = {
  GitRepository: { group: SOURCE, version: 'v1', plural: 'gitrepositories' },
  OCIRepository: { group: SOURCE, version: 'v1beta2', plural: 'ocirepositories' },
  Bucket: { group: SOURCE, version: 'v1beta2', plural: 'buckets' },
  HelmRepository: { group: SOURCE, version: 'v1beta2', plural: 'helmrepositories' },
  HelmChart: { group: SOURCE, version: 'v1beta2', plural: 'helmcharts' },
  Kustomization: { group: KUSTOMIZE, version: 'v1', plural: 'kustomizations' },
  HelmRelease: { group: HELM, version: 'v2beta1', plural: 'helmreleases' },
  ImageRepository: { group: IMAGE, version: 'v1beta2', plural: 'imagerepositories' },
  ImagePolicy: { group: IMAGE, version: 'v1beta2', plural: 'imagepolicies' },
  ImageUpdateAutomation: { group: IMAGE, version: 'v1beta1', plural: 'imageupdateautomations' },
  Alert: { group: NOTIFICATION, version: 'v1beta2', plural: 'alerts' },
  Provider: { group: NOTIFICATION, version: 'v1beta2', plural: 'providers' },
  Receiver: { group: NOTIFICATION, version: 'v1', plural: 'receivers' },
};

describe('discoverFluxKinds', () => {
  it('answers from one aggregated discovery call, per kind (Flux v2.0)', async () => {
    const { get, calls } = server(FLUX_2_0, { aggregated: true });
    const kinds = await discoverFluxKinds(get);
    expect(Object.fromEntries(kinds)).toEqual(EXPECTED_2_0);
    expect(calls).toEqual([{ path: '/apis', accept: DISCOVERY_ACCEPT }]);
  });

  it('falls back to per-group-version calls on a plain APIGroupList, asking each once', async () => {
    const { get, calls } = server(FLUX_2_0, { aggregated: false });
    const kinds = await discoverFluxKinds(get);
    expect(Object.fromEntries(kinds)).toEqual(EXPECTED_2_0);
    const paths = calls.map((c) => c.path);
    expect(paths[0]).toBe('/apis');
    expect(new Set(paths).size).toBe(paths.length);
    // Only versions on the way down each preference list; never the apps group.
    expect(paths.slice(1).sort()).toEqual([
      `/apis/${HELM}/v2beta1`, `/apis/${IMAGE}/v1beta1`, `/apis/${IMAGE}/v1beta2`, `/apis/${KUSTOMIZE}/v1`,
      `/apis/${NOTIFICATION}/v1`, `/apis/${NOTIFICATION}/v1beta2`, `/apis/${SOURCE}/v1`, `/apis/${SOURCE}/v1beta2`,
    ]);
  });

  it('leaves out the kinds of components that are not installed (Flux v2.9 defaults)', async () => {
    for (const agg of [true, false]) {
      const kinds = await discoverFluxKinds(server(FLUX_2_9_DEFAULT, { aggregated: agg }).get);
      expect(kinds.get('HelmRelease')).toEqual({ group: HELM, version: 'v2', plural: 'helmreleases' });
      expect(kinds.get('Alert')?.version).toBe('v1beta3');
      expect(kinds.get('Receiver')?.version).toBe('v1');
      expect(kinds.has('ImagePolicy')).toBe(false);
      expect(kinds.has('ImageUpdateAutomation')).toBe(false);
    }
  });

  it('finds nothing on a cluster without Flux v2', async () => {
    const { get, calls } = server(APPS, { aggregated: false });
    expect((await discoverFluxKinds(get)).size).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('asks a Stale group version directly', async () => {
    const { get, calls } = server(FLUX_2_9_DEFAULT, { aggregated: true, stale: [`${KUSTOMIZE}/v1`] });
    const kinds = await discoverFluxKinds(get, ['Kustomization', 'GitRepository']);
    expect([...kinds.keys()]).toEqual(['Kustomization', 'GitRepository']);
    expect(calls.map((c) => c.path)).toEqual(['/apis', `/apis/${KUSTOMIZE}/v1`]);
  });

  it('propagates a failed discovery call', async () => {
    await expect(discoverFluxKinds(async () => { throw new Error('403 Forbidden'); })).rejects.toThrow('403 Forbidden');
  });
});
