import { arr, obj, str, type Json } from './decode.js';

/*
 * Which version of each Flux kind the API server serves. Versions are per kind, not per group
 * (on Flux 2.0–2.2 source.toolkit.fluxcd.io prefers v1 while HelmRepository is served only at
 * v1beta2), so each kind walks its own preference list. One `GET /apis` with aggregated discovery
 * (Kubernetes ≥ 1.27 beta, 1.30 GA) answers everything; an older server answers a plain
 * APIGroupList and we ask `GET /apis/<group>/<version>` per candidate, as client-go does.
 */

export type FluxKind =
  | 'GitRepository' | 'OCIRepository' | 'Bucket' | 'HelmRepository' | 'HelmChart'
  | 'Kustomization' | 'HelmRelease'
  | 'ImageRepository' | 'ImagePolicy' | 'ImageUpdateAutomation'
  | 'Alert' | 'Provider' | 'Receiver';

export interface ServedKind {
  group: string;
  version: string;
  plural: string;
}

/** A kind missing from the map is not served: its controller is not installed. */
export type ServedKinds = Map<FluxKind, ServedKind>;

/** Reads a discovery path with an optional Accept header and returns the parsed JSON body. */
export type DiscoveryGet = (path: string, accept?: string) => Promise<unknown>;

const SOURCE = 'source.toolkit.fluxcd.io';
const IMAGE = 'image.toolkit.fluxcd.io';
const NOTIFICATION = 'notification.toolkit.fluxcd.io';
const V1 = ['v1', 'v1beta2', 'v1beta1'];

/** Group, plural and preferred versions (first served wins) of each kind. */
export const FLUX_KINDS: Readonly<Record<FluxKind, { group: string; plural: string; versions: readonly string[] }>> = {
  GitRepository: { group: SOURCE, plural: 'gitrepositories', versions: V1 },
  OCIRepository: { group: SOURCE, plural: 'ocirepositories', versions: V1 },
  Bucket: { group: SOURCE, plural: 'buckets', versions: V1 },
  HelmRepository: { group: SOURCE, plural: 'helmrepositories', versions: V1 },
  HelmChart: { group: SOURCE, plural: 'helmcharts', versions: V1 },
  Kustomization: { group: 'kustomize.toolkit.fluxcd.io', plural: 'kustomizations', versions: V1 },
  HelmRelease: { group: 'helm.toolkit.fluxcd.io', plural: 'helmreleases', versions: ['v2', 'v2beta2', 'v2beta1'] },
  ImageRepository: { group: IMAGE, plural: 'imagerepositories', versions: V1 },
  ImagePolicy: { group: IMAGE, plural: 'imagepolicies', versions: V1 },
  ImageUpdateAutomation: { group: IMAGE, plural: 'imageupdateautomations', versions: V1 },
  Alert: { group: NOTIFICATION, plural: 'alerts', versions: ['v1beta3', 'v1beta2'] },
  Provider: { group: NOTIFICATION, plural: 'providers', versions: ['v1beta3', 'v1beta2'] },
  Receiver: { group: NOTIFICATION, plural: 'receivers', versions: V1 },
};

export const ALL_FLUX_KINDS: readonly FluxKind[] = [
  'GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'HelmChart', 'Kustomization', 'HelmRelease',
  'ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation', 'Alert', 'Provider', 'Receiver',
];

/**
 * Aggregated discovery first (v2, then the v2beta1 that Kubernetes 1.27–1.29 serve, as kubectl
 * asks), then the classic APIGroupList.
 */
export const DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** The resources (plurals) of one group version, fetched at most once. */
type Resources = () => Promise<ReadonlySet<string>>;
/** group → version → its resources. */
type GroupIndex = Map<string, Map<string, Resources>>;

const known = (set: ReadonlySet<string>): Resources => () => Promise.resolve(set);

function once(fetch: () => Promise<ReadonlySet<string>>): Resources {
  let pending: Promise<ReadonlySet<string>> | undefined;
  return () => (pending ??= fetch());
}

/** Plurals of a classic APIResourceList, leaving out subresources such as `gitrepositories/status`. */
async function fetchResources(get: DiscoveryGet, group: string, version: string): Promise<ReadonlySet<string>> {
  const path = `/apis/${group}/${version}`;
  const list = obj(await get(path), path);
  const names = arr(list.resources, `${path} resources`, (r, p) => str(obj(r, p).name, `${p}.name`));
  return new Set(names.filter((n) => !n.includes('/')));
}

function aggregatedIndex(list: Json, get: DiscoveryGet): GroupIndex {
  const index: GroupIndex = new Map();
  arr(list.items, '/apis items', (g, p) => {
    const group = obj(g, p);
    const name = str(obj(group.metadata, `${p}.metadata`).name, `${p}.metadata.name`);
    const versions = new Map<string, Resources>();
    arr(group.versions, `${p}.versions`, (v, vp) => {
      const entry = obj(v, vp);
      const version = str(entry.version, `${vp}.version`);
      const plurals = arr(entry.resources, `${vp}.resources`, (r, rp) => str(obj(r, rp).resource, `${rp}.resource`));
      // A Stale version's list may be out of date (its aggregated API server did not answer):
      // ask for that group version directly, as client-go does.
      const stale = str(entry.freshness, `${vp}.freshness`) === 'Stale';
      versions.set(version, stale ? once(() => fetchResources(get, name, version)) : known(new Set(plurals)));
    });
    index.set(name, versions);
  });
  return index;
}

function classicIndex(list: Json, get: DiscoveryGet): GroupIndex {
  const index: GroupIndex = new Map();
  arr(list.groups, '/apis groups', (g, p) => {
    const group = obj(g, p);
    const name = str(group.name, `${p}.name`);
    const versions = new Map<string, Resources>();
    arr(group.versions, `${p}.versions`, (v, vp) => {
      const version = str(obj(v, vp).version, `${vp}.version`);
      versions.set(version, once(() => fetchResources(get, name, version)));
    });
    index.set(name, versions);
  });
  return index;
}

async function pick(index: GroupIndex, kind: FluxKind): Promise<ServedKind | undefined> {
  const { group, plural, versions } = FLUX_KINDS[kind];
  const served = index.get(group);
  if (served === undefined) return undefined;
  for (const version of versions) {
    const resources = served.get(version);
    if (resources !== undefined && (await resources()).has(plural)) return { group, version, plural };
  }
  return undefined;
}

/**
 * The served version of each kind asked for (all Flux kinds by default), by our preference
 * lists: one `GET /apis`, plus per-group-version calls only on servers without aggregated discovery.
 */
export async function discoverFluxKinds(get: DiscoveryGet, kinds: readonly FluxKind[] = ALL_FLUX_KINDS): Promise<ServedKinds> {
  const root = obj(await get('/apis', DISCOVERY_ACCEPT), '/apis');
  const index = str(root.kind, '/apis kind') === 'APIGroupDiscoveryList' ? aggregatedIndex(root, get) : classicIndex(root, get);
  const picks = await Promise.all(kinds.map(async (kind) => [kind, await pick(index, kind)] as const));
  const out: ServedKinds = new Map();
  for (const [kind, served] of picks) if (served !== undefined) out.set(kind, served);
  return out;
}
