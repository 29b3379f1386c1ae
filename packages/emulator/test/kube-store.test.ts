// The in-process store contract the emulated controllers build on: string resource keys,
// registerCustomResource, apply/saveStatus with API-server rules, subscribe, cascading removal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster, type Deployment, type GenericObject, type Pod, type WireObject } from '@fluxctl/emulator/kube';
import { GIT_REPOSITORIES, GIT_REPOSITORY } from './helpers/sample-crds.js';

let cluster: Cluster;
beforeEach(() => {
  cluster = new Cluster(5);
  cluster.registerCustomResource(GIT_REPOSITORY);
  cluster.addNamespace('flux-system');
});
afterEach(() => cluster.dispose());

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('registerCustomResource', () => {
  it('stores a CustomResourceDefinition that reads like the API server’s', () => {
    const crd = cluster.mustGet<GenericObject>('customresourcedefinitions', undefined, GIT_REPOSITORIES);
    expect(crd.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/component': 'source-controller' });
    expect(crd.spec).toMatchObject({
      group: 'source.toolkit.fluxcd.io', scope: 'Namespaced', conversion: { strategy: 'None' },
      names: { kind: 'GitRepository', listKind: 'GitRepositoryList', plural: 'gitrepositories', singular: 'gitrepository', shortNames: ['gitrepo'] },
    });
    const versions = (crd.spec!.versions as Array<Record<string, unknown>>).map((v) => [v.name, v.served, v.storage, v.deprecated ?? false, 'subresources' in v]);
    expect(versions).toEqual([['v1', true, true, false, true], ['v1beta2', true, false, true, true], ['v1beta1', false, false, false, true]]);
    expect(crd.status).toMatchObject({ storedVersions: ['v1'], conditions: [{ type: 'NamesAccepted', status: 'True' }, { type: 'Established', status: 'True' }] });
  });

  it('re-registers with other versions, as an upgrade of the CRD would', () => {
    const uid = cluster.mustGet('customresourcedefinitions', undefined, GIT_REPOSITORIES).metadata.uid;
    cluster.registerCustomResource({ ...GIT_REPOSITORY, versions: [{ name: 'v1', served: true, storage: true }] });
    const crd = cluster.mustGet<GenericObject>('customresourcedefinitions', undefined, GIT_REPOSITORIES);
    expect(crd.metadata).toMatchObject({ uid, generation: 2 });
    expect(cluster.resources.lookup('source.toolkit.fluxcd.io', 'v1beta2', 'gitrepositories')).toBeUndefined();
    expect(cluster.resources.groups().get('source.toolkit.fluxcd.io')).toEqual(['v1']);
    expect(() => cluster.registerCustomResource({ ...GIT_REPOSITORY, versions: [{ name: 'v1', served: true, storage: false }] })).toThrow(/exactly one version must be the storage version/);
  });

  it('lets a custom resource reuse a built-in plural in its own group', () => {
    const key = cluster.registerCustomResource({ group: 'serving.knative.dev', kind: 'Service', plural: 'services', shortNames: ['ksvc'], versions: [{ name: 'v1', served: true, storage: true }] });
    expect(key).toBe('services.serving.knative.dev');
    expect(cluster.resources.lookup('serving.knative.dev', 'v1', 'services')?.key).toBe(key);
    expect(cluster.resources.lookup('', 'v1', 'services')?.key).toBe('services');
    expect(() => cluster.apply(key, { metadata: { name: 'hello' }, spec: {} })).toThrow('services.serving.knative.dev: metadata.name and metadata.namespace are required');
  });

  it('keeps unknown resources empty and refuses to store them', () => {
    expect(cluster.list('widgets.example.com')).toEqual([]);
    expect(cluster.get('widgets.example.com', 'x', 'y')).toBeUndefined();
    expect(() => cluster.save('widgets.example.com', { metadata: { name: 'w', uid: '', resourceVersion: '', creationTimestamp: '' } })).toThrow('unknown resource widgets.example.com');
  });
});

describe('apply and saveStatus', () => {
  const repo = (): GenericObject => cluster.mustGet<GenericObject>(GIT_REPOSITORIES, 'flux-system', 'fleet');
  beforeEach(() => {
    cluster.apply(GIT_REPOSITORIES, { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'fleet', namespace: 'flux-system' }, spec: { interval: '1m' }, status: { dropped: true } });
  });

  it('creates with identity and generation 1, stores no kind/apiVersion and drops status behind the subresource', () => {
    expect(repo()).toEqual({
      metadata: { name: 'fleet', namespace: 'flux-system', uid: expect.stringMatching(/^[0-9a-f-]{36}$/), creationTimestamp: expect.any(String), resourceVersion: expect.any(String), generation: 1 },
      spec: { interval: '1m' },
    });
  });

  it('updates keep identity and status; generation follows spec; saveStatus never moves it', () => {
    const { uid, creationTimestamp } = repo().metadata;
    cluster.saveStatus(GIT_REPOSITORIES, 'flux-system', 'fleet', { observedGeneration: 1 }, { fieldManager: 'source-controller' });
    const rv = repo().metadata.resourceVersion;
    cluster.apply(GIT_REPOSITORIES, { metadata: { name: 'fleet', namespace: 'flux-system', uid: 'forged', annotations: { a: '1' } }, spec: { interval: '1m' } });
    expect(repo().metadata).toMatchObject({ uid, creationTimestamp, generation: 1, annotations: { a: '1' } });
    expect(Number(repo().metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    cluster.apply(GIT_REPOSITORIES, { metadata: { name: 'fleet', namespace: 'flux-system' }, spec: { interval: '2m' } });
    expect(repo()).toMatchObject({ metadata: { generation: 2 }, status: { observedGeneration: 1 } });
    cluster.saveStatus(GIT_REPOSITORIES, 'flux-system', 'fleet', { observedGeneration: 2 });
    expect(repo()).toMatchObject({ metadata: { generation: 2 }, status: { observedGeneration: 2 } });
    expect(repo().metadata.managedFields).toEqual([expect.objectContaining({ manager: 'source-controller', subresource: 'status' })]);
    expect(() => cluster.saveStatus(GIT_REPOSITORIES, 'flux-system', 'nope', {})).toThrow('no gitrepositories.source.toolkit.fluxcd.io flux-system/nope');
  });

  it('starts a rollout for a Deployment applied by a client, and removes what it owns with cascade', async () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
    cluster.apply('deployments', {
      metadata: { name: 'web', namespace: 'flux-system' },
      spec: { selector: { matchLabels: { app: 'web' } }, template },
    });
    expect(cluster.mustGet<Deployment>('deployments', 'flux-system', 'web').spec).toMatchObject({ replicas: 1, strategy: { type: 'RollingUpdate' }, revisionHistoryLimit: 10 });
    await until(() => cluster.list<Pod>('pods', 'flux-system').some((p) => p.status.phase === 'Running'));
    expect(cluster.list('replicasets', 'flux-system')).toHaveLength(1);
    // The same manifest again (defaults still left out) is no spec change.
    cluster.apply('deployments', { metadata: { name: 'web', namespace: 'flux-system' }, spec: { selector: { matchLabels: { app: 'web' } }, template } });
    expect(cluster.mustGet<Deployment>('deployments', 'flux-system', 'web').metadata.generation).toBe(1);
    cluster.remove('deployments', 'flux-system', 'web', { cascade: true });
    expect(cluster.list('replicasets', 'flux-system')).toEqual([]);
    expect(cluster.list('pods', 'flux-system')).toEqual([]);
  });
});

describe('subscribe', () => {
  it('delivers events in order on a later microtask, with kind and the storage apiVersion', async () => {
    const seen: string[] = [];
    const stop = cluster.subscribe(GIT_REPOSITORIES, (type, obj) => seen.push(`${type} ${obj.kind} ${obj.apiVersion} ${obj.metadata.name} g${obj.metadata.generation}`));
    cluster.apply(GIT_REPOSITORIES, { metadata: { name: 'a', namespace: 'flux-system' }, spec: { x: 1 } });
    cluster.apply(GIT_REPOSITORIES, { metadata: { name: 'a', namespace: 'flux-system' }, spec: { x: 2 } });
    expect(seen).toEqual([]); // never inside the writer's call stack
    cluster.remove(GIT_REPOSITORIES, 'flux-system', 'a');
    await tick();
    expect(seen).toEqual([
      'ADDED GitRepository source.toolkit.fluxcd.io/v1 a g1',
      'MODIFIED GitRepository source.toolkit.fluxcd.io/v1 a g2',
      'DELETED GitRepository source.toolkit.fluxcd.io/v1 a g2',
    ]);
    stop();
    cluster.apply(GIT_REPOSITORIES, { metadata: { name: 'b', namespace: 'flux-system' }, spec: {} });
    await tick();
    expect(seen).toHaveLength(3);
  });

  it('keeps every subscriber’s order when one of them writes, and hands out copies', async () => {
    const first: string[] = [];
    const second: string[] = [];
    cluster.subscribe(GIT_REPOSITORIES, (type, obj: WireObject) => {
      first.push(`${type} ${obj.metadata.resourceVersion}`);
      obj.metadata.name = 'mutated';
      if (type === 'ADDED') cluster.saveStatus(GIT_REPOSITORIES, 'flux-system', 'a', { seen: true });
    });
    cluster.subscribe(GIT_REPOSITORIES, (type, obj) => second.push(`${type} ${obj.metadata.resourceVersion} ${obj.metadata.name}`));
    const created = cluster.apply(GIT_REPOSITORIES, { metadata: { name: 'a', namespace: 'flux-system' }, spec: {} });
    await tick();
    const rv = Number(created.metadata.resourceVersion);
    expect(first).toEqual([`ADDED ${rv}`, `MODIFIED ${rv + 1}`]);
    expect(second).toEqual([`ADDED ${rv} a`, `MODIFIED ${rv + 1} a`]);
    expect(cluster.get(GIT_REPOSITORIES, 'flux-system', 'a')).toBeDefined();
  });
});
