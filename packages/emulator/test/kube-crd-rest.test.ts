// Custom resources over plain HTTP, to pin the exact semantics kubectl does not show:
// Status bodies (415, 409, 422, 403), generation and the status subresource, dryRun,
// managedFields, watches with field selectors, discovery documents and review APIs.
import https from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeEmulator, type GenericObject, type KubeEmulator } from '@fluxctl/emulator/kube';
import { rawRequest, type RawRequest, type RawResponse } from './helpers/kube-client.js';
import { GIT_REPOSITORIES, GIT_REPOSITORY, KUSTOMIZATION } from './helpers/sample-crds.js';

let emu: KubeEmulator;
const BASE = '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories';
const MERGE = 'application/merge-patch+json';
const stored = (name = 'flux-system'): GenericObject => emu.cluster.mustGet<GenericObject>(GIT_REPOSITORIES, 'flux-system', name);
const req = (r: RawRequest): Promise<RawResponse> => rawRequest(emu, r);
const json = <T = GenericObject>(r: RawResponse): T => r.json() as T;

beforeEach(async () => {
  emu = await startKubeEmulator();
  emu.cluster.registerCustomResource(GIT_REPOSITORY);
  emu.cluster.addNamespace('flux-system');
  for (const name of ['flux-system', 'infra']) {
    emu.cluster.apply(GIT_REPOSITORIES, { metadata: { name, namespace: 'flux-system', labels: { tier: name } }, spec: { url: `ssh://git@example.com/${name}`, interval: '1m0s' } });
  }
  emu.cluster.saveStatus(GIT_REPOSITORIES, 'flux-system', 'flux-system', { observedGeneration: 1 });
});
afterEach(async () => {
  await emu.close();
});

describe('patches and preconditions', () => {
  it('answers a strategic merge patch on a custom resource with the real 415 Status', async () => {
    const r = await req({ method: 'PATCH', path: `${BASE}/flux-system`, body: { spec: { interval: '5m' } } });
    expect(r.status).toBe(415);
    expect(r.text).toBe(JSON.stringify({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      reason: 'UnsupportedMediaType', details: {}, code: 415,
    }));
  });

  it('treats a stale resourceVersion as a 409 precondition, and wants one on PUT', async () => {
    const old = stored().metadata.resourceVersion;
    emu.cluster.apply(GIT_REPOSITORIES, { ...stored(), metadata: { ...stored().metadata, annotations: { touched: 'yes' } } });
    const stale = await req({ method: 'PATCH', path: `${BASE}/flux-system`, contentType: MERGE, body: { metadata: { resourceVersion: old }, spec: { suspend: true } } });
    expect(stale.status).toBe(409);
    expect(json(stale)).toMatchObject({
      reason: 'Conflict', details: { name: 'flux-system', group: 'source.toolkit.fluxcd.io', kind: 'gitrepositories' },
      message: 'Operation cannot be fulfilled on gitrepositories.source.toolkit.fluxcd.io "flux-system": the object has been modified; please apply your changes to the latest version and try again',
    });
    const wire = json((await req({ path: `${BASE}/flux-system` })));
    expect((await req({ method: 'PUT', path: `${BASE}/flux-system`, contentType: 'application/json', body: { ...wire, metadata: { ...wire.metadata, resourceVersion: old } } })).status).toBe(409);
    const unconditional = await req({ method: 'PUT', path: `${BASE}/flux-system`, contentType: 'application/json', body: { ...wire, metadata: { ...wire.metadata, resourceVersion: undefined } } });
    expect(json(unconditional)).toMatchObject({ code: 422, message: 'GitRepository.source.toolkit.fluxcd.io "flux-system" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update' });
    const renamed = await req({ method: 'PUT', path: `${BASE}/flux-system`, contentType: 'application/json', body: { ...wire, metadata: { ...wire.metadata, name: 'other' } } });
    expect(json(renamed)).toMatchObject({ code: 400, message: 'the name of the object (other) does not match the name on the URL (flux-system)' });
    const put = await req({ method: 'PUT', path: `${BASE}/flux-system`, contentType: 'application/json', body: { ...wire, spec: { ...wire.spec, interval: '2m' } } });
    expect(put.status).toBe(200);
    expect(stored().spec).toMatchObject({ interval: '2m' });
  });

  it('applies RFC 6902 JSON patches; a failed test op is a 422', async () => {
    const ok = await req({ method: 'PATCH', path: `${BASE}/flux-system`, contentType: 'application/json-patch+json', body: [{ op: 'test', path: '/spec/interval', value: '1m0s' }, { op: 'replace', path: '/spec/interval', value: '3m' }] });
    expect(ok.status).toBe(200);
    expect(stored().spec).toMatchObject({ interval: '3m' });
    const failed = await req({ method: 'PATCH', path: `${BASE}/flux-system`, contentType: 'application/json-patch+json', body: [{ op: 'test', path: '/spec/interval', value: '1m0s' }] });
    expect(failed.status).toBe(422);
  });
});

describe('generation, the status subresource and dryRun', () => {
  it('moves generation only when something outside metadata and status changes', async () => {
    const patch = (body: unknown, path = `${BASE}/flux-system`): Promise<RawResponse> => req({ method: 'PATCH', path, contentType: MERGE, body });
    await patch({ metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': 't1' }, labels: { extra: 'x' } } });
    expect(stored().metadata.generation).toBe(1);
    await patch({ spec: { suspend: true } });
    expect(stored().metadata.generation).toBe(2);
    await patch({ spec: { suspend: null } });
    expect(stored().metadata.generation).toBe(3);
    expect(stored().spec).not.toHaveProperty('suspend');
    const rv = stored().metadata.resourceVersion;
    const viaMain = await patch({ status: { observedGeneration: 99 } });
    expect(json(viaMain).status).toEqual({ observedGeneration: 1 });
    expect(stored().metadata.resourceVersion).toBe(rv); // nothing changed: no new version
  });

  it('writes only status through /status, without touching generation', async () => {
    const r = await req({ method: 'PATCH', path: `${BASE}/flux-system/status`, contentType: MERGE, body: { spec: { interval: '9m' }, metadata: { labels: { sneaky: 'y' } }, status: { lastHandledReconcileAt: 't1' } } });
    expect(r.status).toBe(200);
    expect(stored()).toMatchObject({ spec: { interval: '1m0s' }, status: { observedGeneration: 1, lastHandledReconcileAt: 't1' }, metadata: { generation: 1, labels: { tier: 'flux-system' } } });
    const got = await req({ path: `${BASE}/flux-system/status` });
    expect(json(got).status).toMatchObject({ lastHandledReconcileAt: 't1' });
  });

  it('has no /status where the version declares no status subresource, and then status is ordinary data', async () => {
    emu.cluster.registerCustomResource({
      group: 'notification.toolkit.fluxcd.io', kind: 'Alert', plural: 'alerts',
      versions: [{ name: 'v1beta3', served: true, storage: true, subresources: {} }, { name: 'v1beta2', served: true, storage: false, deprecated: true }],
    });
    emu.cluster.apply('alerts.notification.toolkit.fluxcd.io', { metadata: { name: 'slack', namespace: 'flux-system' }, spec: { eventSeverity: 'info' } });
    const path = '/apis/notification.toolkit.fluxcd.io/v1beta3/namespaces/flux-system/alerts/slack';
    expect((await req({ path: `${path}/status` })).status).toBe(404);
    expect((await req({ path: '/apis/notification.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/alerts/slack/status' })).status).toBe(200);
    const r = await req({ method: 'PATCH', path, contentType: MERGE, body: { status: { note: 'kept' } } });
    expect(json(r)).toMatchObject({ status: { note: 'kept' }, metadata: { generation: 2 } });
  });

  it('answers ?dryRun=All with the result but stores nothing', async () => {
    const rv = stored().metadata.resourceVersion;
    const r = await req({ method: 'PATCH', path: `${BASE}/flux-system?dryRun=All`, contentType: MERGE, body: { spec: { suspend: true } } });
    expect(json(r)).toMatchObject({ spec: { suspend: true }, metadata: { generation: 2, resourceVersion: rv } });
    expect(stored().spec).not.toHaveProperty('suspend');
    expect(stored().metadata.resourceVersion).toBe(rv);
    const del = await req({ method: 'DELETE', path: `${BASE}/infra?dryRun=All` });
    expect(del.status).toBe(200);
    expect(stored('infra')).toBeDefined();
  });

  it('records the field manager, named by ?fieldManager or else the User-Agent', async () => {
    await req({ method: 'PATCH', path: `${BASE}/flux-system?fieldManager=fluxctl`, contentType: MERGE, body: { spec: { suspend: true } } });
    await req({ method: 'PATCH', path: `${BASE}/flux-system/status?fieldManager=source-controller`, contentType: MERGE, body: { status: { ready: true } } });
    const managers = stored().metadata.managedFields!;
    expect(managers.find((m) => m.manager === 'fluxctl')).toMatchObject({
      operation: 'Update', apiVersion: 'source.toolkit.fluxcd.io/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:suspend': {} } },
    });
    expect(managers.find((m) => m.manager === 'source-controller')).toMatchObject({ subresource: 'status', fieldsV1: { 'f:status': { 'f:ready': {} } } });
    expect(managers.find((m) => m.manager === 'fluxctl')?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe('create and delete', () => {
  it('creates with 201, refuses duplicates, bad names and missing namespaces', async () => {
    const body = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'apps' }, spec: { url: 'https://example.com/apps' }, status: { ignored: true } };
    const created = await req({ method: 'POST', path: BASE, contentType: 'application/json', body });
    expect(created.status).toBe(201);
    expect(json(created)).toMatchObject({ metadata: { name: 'apps', namespace: 'flux-system', generation: 1 } });
    expect(json(created)).not.toHaveProperty('status');
    expect(json(await req({ method: 'POST', path: BASE, contentType: 'application/json', body }))).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'gitrepositories.source.toolkit.fluxcd.io "apps" already exists' });
    const bad = await req({ method: 'POST', path: BASE, contentType: 'application/json', body: { ...body, metadata: { name: 'Bad_Name' } } });
    expect(json(bad)).toMatchObject({ code: 422, details: { causes: [{ field: 'metadata.name', reason: 'FieldValueInvalid' }] } });
    const nowhere = await req({ method: 'POST', path: BASE.replace('flux-system', 'nowhere'), contentType: 'application/json', body });
    expect(json(nowhere)).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
  });

  it('keeps an object with finalizers until they are removed', async () => {
    await req({ method: 'PATCH', path: `${BASE}/infra`, contentType: MERGE, body: { metadata: { finalizers: ['finalizers.fluxcd.io'] } } });
    const del = await req({ method: 'DELETE', path: `${BASE}/infra` });
    expect(json(del).metadata.deletionTimestamp).toBeDefined();
    expect(stored('infra').metadata.deletionTimestamp).toBeDefined();
    await req({ method: 'PATCH', path: `${BASE}/infra`, contentType: MERGE, body: { metadata: { finalizers: null } } });
    expect(emu.cluster.get(GIT_REPOSITORIES, 'flux-system', 'infra')).toBeUndefined();
    await req({ method: 'DELETE', path: `${BASE}/flux-system` });
    expect(emu.cluster.get(GIT_REPOSITORIES, 'flux-system', 'flux-system')).toBeUndefined();
  });
});

describe('lists and watches', () => {
  it('lists across namespaces at the requested version, with selectors', async () => {
    emu.cluster.addNamespace('team');
    emu.cluster.apply(GIT_REPOSITORIES, { metadata: { name: 'team', namespace: 'team' }, spec: {} });
    const all = json<{ kind: string; apiVersion: string; items: GenericObject[] }>(await req({ path: '/apis/source.toolkit.fluxcd.io/v1beta2/gitrepositories' }));
    expect(all.kind).toBe('GitRepositoryList');
    expect(all.items.map((o) => `${o.apiVersion} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'source.toolkit.fluxcd.io/v1beta2 flux-system/flux-system', 'source.toolkit.fluxcd.io/v1beta2 flux-system/infra', 'source.toolkit.fluxcd.io/v1beta2 team/team',
    ]);
    const labelled = json<{ items: GenericObject[] }>(await req({ path: `${BASE}?labelSelector=tier%3Dinfra` }));
    expect(labelled.items.map((o) => o.metadata.name)).toEqual(['infra']);
    const named = json<{ items: GenericObject[] }>(await req({ path: '/apis/source.toolkit.fluxcd.io/v1/gitrepositories?fieldSelector=metadata.namespace%3Dteam' }));
    expect(named.items.map((o) => o.metadata.name)).toEqual(['team']);
    const unsupported = await req({ path: `${BASE}?fieldSelector=spec.url%3Dx` });
    expect(json(unsupported)).toMatchObject({ code: 400, message: 'field label not supported: spec.url' });
  });

  it('watches one object by field selector at a deprecated version, headers first', async () => {
    const rv = emu.cluster.resourceVersion;
    const path = `/apis/source.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/gitrepositories?watch=true&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dinfra&resourceVersion=${rv}`;
    const w = await openWatch(path);
    expect(w.status).toBe(200); // no event yet: the headers alone arrived
    expect(w.headers.warning).toBe('299 - "v1beta2 GitRepository is deprecated, upgrade to v1"');
    emu.cluster.saveStatus(GIT_REPOSITORIES, 'flux-system', 'flux-system', { other: true });
    emu.cluster.saveStatus(GIT_REPOSITORIES, 'flux-system', 'infra', { lastHandledReconcileAt: 't2' });
    emu.cluster.remove(GIT_REPOSITORIES, 'flux-system', 'infra');
    const events = await w.take(2);
    expect(events.map((e) => `${e.type} ${e.object.apiVersion} ${e.object.metadata.name}`)).toEqual([
      'MODIFIED source.toolkit.fluxcd.io/v1beta2 infra', 'DELETED source.toolkit.fluxcd.io/v1beta2 infra',
    ]);
    w.close();
  });
});

interface Watch {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  take(n: number): Promise<Array<{ type: string; object: GenericObject }>>;
  close(): void;
}

/** Resolves as soon as the response headers arrive; events are read with take(). */
function openWatch(path: string): Promise<Watch> {
  return new Promise((resolve, reject) => {
    const r = https.request(new URL(path, emu.url), { ca: Buffer.from(emu.caData, 'base64'), headers: { Authorization: 'Bearer test-token' }, agent: false }, (res) => {
      let buf = '';
      const events: Array<{ type: string; object: GenericObject }> = [];
      let wake = (): void => {};
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          events.push(JSON.parse(buf.slice(0, i)) as { type: string; object: GenericObject });
          buf = buf.slice(i + 1);
        }
        wake();
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        take: (n) => new Promise((done) => {
          wake = () => { if (events.length >= n) done(events.slice(0, n)); };
          wake();
        }),
        close: () => r.destroy(),
      });
    });
    r.on('error', reject);
    r.end();
  });
}

describe('discovery and reviews', () => {
  it('lists served groups and versions, classic and aggregated, and forgets a removed CRD', async () => {
    const group = json<{ versions: unknown[]; preferredVersion: unknown }>(await req({ path: '/apis/source.toolkit.fluxcd.io' }));
    expect(group.versions).toEqual([{ groupVersion: 'source.toolkit.fluxcd.io/v1', version: 'v1' }, { groupVersion: 'source.toolkit.fluxcd.io/v1beta2', version: 'v1beta2' }]);
    expect(group.preferredVersion).toEqual({ groupVersion: 'source.toolkit.fluxcd.io/v1', version: 'v1' });
    const v1 = json<{ resources: Array<{ name: string }> }>(await req({ path: '/apis/source.toolkit.fluxcd.io/v1' }));
    expect(v1.resources.map((r) => r.name)).toEqual(['gitrepositories', 'gitrepositories/status']);
    expect((await req({ path: '/apis/source.toolkit.fluxcd.io/v1beta1' })).status).toBe(404);
    expect((await req({ path: `${BASE.replace('/v1/', '/v1beta1/')}/flux-system` })).status).toBe(404);

    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const agg = await req({ path: '/apis', accept });
    expect(agg.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const items = json<{ items: Array<{ metadata: { name: string }; versions: Array<{ version: string; resources: Array<Record<string, unknown>> }> }> }>(agg).items;
    const source = items.find((i) => i.metadata.name === 'source.toolkit.fluxcd.io')!;
    expect(source.versions.map((v) => v.version)).toEqual(['v1', 'v1beta2']);
    expect(source.versions[0]!.resources[0]).toMatchObject({
      resource: 'gitrepositories', scope: 'Namespaced', singularResource: 'gitrepository', shortNames: ['gitrepo'],
      responseKind: { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository' }, subresources: [{ subresource: 'status' }],
    });
    expect(json<{ items: unknown[] }>(await req({ path: '/api', accept })).items).toHaveLength(1);

    emu.cluster.registerCustomResource(KUSTOMIZATION);
    emu.cluster.remove('customresourcedefinitions', undefined, 'kustomizations.kustomize.toolkit.fluxcd.io');
    emu.cluster.remove('customresourcedefinitions', undefined, GIT_REPOSITORIES);
    expect((await req({ path: '/apis/source.toolkit.fluxcd.io' })).status).toBe(404);
    expect((await req({ path: `${BASE}/flux-system` })).status).toBe(404);
    const groups = json<{ groups: Array<{ name: string }> }>(await req({ path: '/apis' })).groups.map((g) => g.name);
    expect(groups).toEqual(['apps', 'authorization.k8s.io', 'batch', 'apiextensions.k8s.io']);
  });

  it('answers SelfSubjectAccessReviews from the deny rules, and enforces them on /status', async () => {
    emu.faults.deny({ verb: 'patch', resource: 'gitrepositories', subresource: 'status', namespace: 'flux-system' });
    const review = (ra: object): Promise<unknown> => req({
      method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', contentType: 'application/json',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: ra } },
    }).then((r) => (r.json() as { status: { allowed: boolean } }).status.allowed);
    expect(await review({ verb: 'patch', group: 'source.toolkit.fluxcd.io', resource: 'gitrepositories', subresource: 'status', namespace: 'flux-system' })).toBe(false);
    expect(await review({ verb: 'patch', group: 'source.toolkit.fluxcd.io', resource: 'gitrepositories', namespace: 'flux-system' })).toBe(true);
    const denied = await req({ method: 'PATCH', path: `${BASE}/flux-system/status`, contentType: MERGE, body: { status: {} } });
    expect(json(denied)).toMatchObject({
      code: 403, reason: 'Forbidden',
      message: 'gitrepositories.source.toolkit.fluxcd.io "flux-system" is forbidden: User "jane" cannot patch resource "gitrepositories/status" in API group "source.toolkit.fluxcd.io" in the namespace "flux-system"',
    });
    expect((await req({ method: 'PATCH', path: `${BASE}/flux-system`, contentType: MERGE, body: { spec: { suspend: true } } })).status).toBe(200);
  });

  it('applies injected faults to custom-resource paths', async () => {
    emu.faults.inject({ method: 'GET', path: /\/gitrepositories\/infra$/, status: 503, body: { kind: 'Status', code: 503 } });
    expect((await req({ path: `${BASE}/infra` })).status).toBe(503);
    expect((await req({ path: `${BASE}/infra` })).status).toBe(200);
    emu.faults.inject({ path: `${BASE}/infra`, delayMs: 150 });
    const started = Date.now();
    await req({ path: `${BASE}/infra` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
