// The emulated fluxd must be indistinguishable from fluxd 1.25.4 on the wire: these tests pin
// bodies byte for byte against fluxd's own answers, plus routing, errors, jobs and framing.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, imageInfo, sampleState, startFluxd, workload, type Fluxd } from '@fluxctl/emulator/fluxd';

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(fluxd: Fluxd, method: string, path: string, opts: { accept?: string | null; body?: string; raw?: boolean } = {}): Promise<Res> {
  const headers: Record<string, string> = {};
  if (opts.accept !== null) headers['Accept'] = opts.accept ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: fluxd.port, method, path: opts.raw ? path : `/api/flux${path}`, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

let fluxd: Fluxd | undefined;
afterEach(async () => {
  await fluxd?.close();
  fluxd = undefined;
});

async function start(state = sampleState()): Promise<Fluxd> {
  fluxd = await startFluxd({ state });
  return fluxd;
}

/** The state behind the services and images answers below. */
function helloworld() {
  const state = emptyState();
  state.workloads = [
    workload({
      id: 'default:deployment/helloworld',
      containers: ['helloworld=quay.io/weaveworks/helloworld:master-a000001', 'sidecar=quay.io/weaveworks/sidecar:master-a000002'],
      labels: { app: 'helloworld' },
      policies: { automated: 'true', 'tag.helloworld': 'glob:master-*' },
      replicas: 2,
    }),
  ];
  state.images['quay.io/weaveworks/helloworld'] = [
    imageInfo('quay.io/weaveworks/helloworld:master-a000001', '2016-07-12T17:16:00Z', { digest: 'sha256:5b1a', imageId: 'sha256:9c3e', lastFetched: '2019-07-20T13:19:04.123Z' }),
    imageInfo('quay.io/weaveworks/helloworld:master-9a16ff945b9e', '2016-07-20T13:19:00Z'),
  ];
  return state;
}

describe('fluxd emulator: bodies', () => {
  it('serves GET /v6/services as fluxd does, byte for byte', async () => {
    const f = await start(helloworld());
    const res = await request(f, 'GET', '/v6/services?namespace=default');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(
      '[{"ID":"default:deployment/helloworld","Containers":[{"Name":"helloworld","Current":{"ID":"quay.io/weaveworks/helloworld:master-a000001","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}},{"Name":"sidecar","Current":{"ID":"quay.io/weaveworks/sidecar:master-a000002","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}}],"ReadOnly":"","Status":"ready","Rollout":{"Desired":2,"Updated":2,"Ready":2,"Available":2,"Outdated":0,"Messages":null},"SyncError":"","Antecedent":"","Labels":{"app":"helloworld"},"Automated":true,"Locked":false,"Ignore":false,"Policies":{"automated":"true","tag.helloworld":"glob:master-*"}}]',
    );
    expect(f.requests[0]).toMatchObject({ method: 'GET', path: '/v6/services', rawQuery: 'namespace=default', query: { namespace: ['default'] }, accept: 'application/json' });
  });

  it('serves GET /v10/images as fluxd does, byte for byte', async () => {
    const f = await start(helloworld());
    f.state.workloads[0]!.containers.pop();
    const res = await request(f, 'GET', '/v10/images?containerFields=&namespace=&service=default%3Adeployment%2Fhelloworld');
    expect(res.body).toBe(
      '[{"ID":"default:deployment/helloworld","Containers":[{"Name":"helloworld","Current":{"ID":"quay.io/weaveworks/helloworld:master-a000001","Digest":"sha256:5b1a","ImageID":"sha256:9c3e","Labels":{},"CreatedAt":"2016-07-12T17:16:00Z","LastFetched":"2019-07-20T13:19:04.123Z"},"LatestFiltered":{"ID":"quay.io/weaveworks/helloworld:master-9a16ff945b9e","Labels":{},"CreatedAt":"2016-07-20T13:19:00Z"},"Available":[{"ID":"quay.io/weaveworks/helloworld:master-9a16ff945b9e","Labels":{},"CreatedAt":"2016-07-20T13:19:00Z"},{"ID":"quay.io/weaveworks/helloworld:master-a000001","Digest":"sha256:5b1a","ImageID":"sha256:9c3e","Labels":{},"CreatedAt":"2016-07-12T17:16:00Z","LastFetched":"2019-07-20T13:19:04.123Z"}],"AvailableImagesCount":2,"NewAvailableImagesCount":1,"FilteredImagesCount":2,"NewFilteredImagesCount":1}]}]',
    );
  });

  it('computes only the requested container fields and rejects unknown ones', async () => {
    const state = emptyState();
    state.workloads = [workload({ id: 'default:deployment/nginx', containers: ['nginx=nginx:1.19'] })];
    const f = await start(state);
    const res = await request(f, 'GET', '/v10/images?containerFields=Name,Current&service=%3Call%3E');
    expect(res.body).toBe('[{"ID":"default:deployment/nginx","Containers":[{"Name":"nginx","Current":{"ID":"","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}}]}]');
    const bad = await request(f, 'GET', '/v10/images?containerFields=Name,Bogus');
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.body)).toMatchObject({ type: 'user', error: 'Bogus is an invalid field' });
    const both = await request(f, 'GET', '/v6/images?namespace=default&service=default%3Adeployment%2Fnginx');
    expect(JSON.parse(both.body).error).toBe("cannot filter by 'namespace' and 'workload' at the same time");
  });

  it('sorts semver-filtered images by version and drops latest', async () => {
    const f = await start();
    const res = await request(f, 'GET', '/v10/images?service=podinfo%3Adeployment%2Fpodinfo');
    const [c] = JSON.parse(res.body)[0].Containers;
    expect(c.Available.map((i: { ID: string }) => i.ID.split(':')[1])).toEqual(['6.1.0', '5.2.0', '5.1.4', '5.1.3', '5.0.0']);
    expect(c.LatestFiltered.ID).toBe('ghcr.io/stefanprodan/podinfo:5.1.4');
    expect(c).toMatchObject({ AvailableImagesCount: 5, NewAvailableImagesCount: 2, FilteredImagesCount: 2 });
    expect(c.NewFilteredImagesCount).toBeUndefined();
  });

  it('answers null for empty lists and escapes HTML like Go', async () => {
    const f = await start(emptyState());
    expect((await request(f, 'GET', '/v6/services')).body).toBe('null');
    expect((await request(f, 'GET', '/v10/images')).body).toBe('null');
    f.state.workloads.push(workload({ id: 'default:deployment/x', labels: { note: 'a<b>&c\u2028' }, status: '' }));
    const body = (await request(f, 'GET', '/v11/services')).body;
    expect(body).toContain('"Containers":[]');
    expect(body).toContain('"Labels":{"note":"a\\u003cb\\u003e\\u0026c\\u2028"}');
    expect(body).toContain('"Policies":{}');
  });

  it('filters services and reports parse errors like the daemon', async () => {
    const f = await start();
    const both = await request(f, 'GET', '/v11/services?namespace=default&services=default%3Adeployment%2Fredis');
    expect(both.status).toBe(422);
    expect(JSON.parse(both.body).error).toBe("cannot filter by 'namespace' and 'workloads' at the same time");
    const one = JSON.parse((await request(f, 'GET', '/v11/services?namespace=&services=default%3ADeployment%2Fredis,nope%2Fmissing')).body);
    expect(one.map((w: { ID: string }) => w.ID)).toEqual(['default:deployment/redis']);
    const bad = await request(f, 'GET', '/v6/services?services=foo');
    expect([bad.status, bad.body]).toEqual([400, '{}']);
    const text = await request(f, 'GET', '/v6/services?services=foo', { accept: null });
    expect(text.body).toBe('parsing service spec "foo": parsing foo: invalid service ID');
    const order = JSON.parse((await request(f, 'GET', '/v6/services?namespace=monitoring')).body).map((w: { ID: string }) => w.ID);
    expect(order).toEqual(['monitoring:daemonset/node-exporter', 'monitoring:statefulset/prometheus', 'monitoring:helmrelease/grafana', 'monitoring:deployment/grafana']);
  });

  it('answers version, ping, notify and export', async () => {
    const f = await start();
    expect((await request(f, 'GET', '/v11/version')).body).toBe('"1.25.4"');
    const ping = await request(f, 'GET', '/v11/ping');
    expect([ping.status, ping.body, ping.headers['content-length']]).toEqual([204, '', undefined]);
    const note = await request(f, 'POST', '/v11/notify', { body: '{"Kind":"git","Source":{"URL":"git@github.com:acme/cluster-config","Branch":"main"}}' });
    expect([note.status, note.headers['content-length']]).toEqual([202, '0']);
    expect((await request(f, 'POST', '/v11/notify', { body: '{"Kind":"helm"}', accept: null })).body).toBe('unknown kind of change');
    const exp = await request(f, 'GET', '/v6/export');
    const yaml = Buffer.from(JSON.parse(exp.body) as string, 'base64').toString('utf8');
    expect(yaml.startsWith('---\napiVersion: v1\nkind: Namespace\n')).toBe(true);
    expect(yaml).toContain('kind: HelmRelease');
    expect(yaml).toContain('initContainers:');
  });
});

describe('fluxd emulator: git config and identity', () => {
  // Randomart may contain `&`, which Go sends as \u0026.
  const SHAPE =
    /^\{"remote":\{"url":"ssh:\/\/git@github.com\/acme\/cluster-config","branch":"main","path":"clusters\/prod"\},"publicSSHKey":\{"key":"ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB[A-Za-z0-9+/=]+\\n","fingerprints":\{"md5":\{"hash":"([0-9a-f]{2}:){15}[0-9a-f]{2}","randomart":"\+---\[RSA 3072\]----\+\\n(\|(?:[^|\\]|\\u0026){17}\|\\n){9}\+------\[MD5\]------\+\\n"\},"sha256":\{"hash":"[A-Za-z0-9+/]{43}","randomart":"\+---\[RSA 3072\]----\+\\n(\|(?:[^|\\]|\\u0026){17}\|\\n){9}\+----\[SHA256\]-----\+\\n"\}\}\},"status":"ready","errors":""\}$/;

  it('answers POST /v9/git-repo-config as fluxd does and regenerates on true (first JSON value only)', async () => {
    const f = await start();
    const res = await request(f, 'POST', '/v9/git-repo-config', { body: 'false' });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(SHAPE);
    const again = await request(f, 'POST', '/v9/git-repo-config', { body: 'true junk' });
    expect(again.body).toMatch(SHAPE);
    expect(JSON.parse(again.body).publicSSHKey.key).not.toBe(JSON.parse(res.body).publicSSHKey.key);
  });

  it('appends the config after a 400, and sends the zero config after a failed regeneration', async () => {
    const f = await start();
    const bad = await request(f, 'POST', '/v9/git-repo-config', { body: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.startsWith('{"Offset":1}{"remote":')).toBe(true);
    const empty = await request(f, 'POST', '/v9/git-repo-config', { body: '', accept: null });
    expect(empty.body.startsWith('EOF{"remote"')).toBe(true);
    f.state.regenerateError = 'secrets "flux-git-deploy" is forbidden';
    const fail = await request(f, 'POST', '/v9/git-repo-config', { body: 'true' });
    expect(fail.status).toBe(422);
    expect(fail.body).toMatch(/^\{"type":"user","help":"Error: secrets .*","error":"secrets \\"flux-git-deploy\\" is forbidden"\}\{"remote":\{"url":"","branch":"","path":""\},"publicSSHKey":\{"key":"","fingerprints":null\},"status":"","errors":""\}$/);
  });

  it('serves identity.pub and regenerates with 204', async () => {
    const f = await start();
    const before = JSON.parse((await request(f, 'GET', '/v6/identity.pub')).body);
    expect(Object.keys(before)).toEqual(['key', 'fingerprints']);
    const post = await request(f, 'POST', '/v6/identity.pub');
    expect([post.status, post.body]).toEqual([204, '']);
    expect(JSON.parse((await request(f, 'GET', '/v6/identity.pub')).body).key).not.toBe(before.key);
    f.state.git.publicKey = null;
    expect((await request(f, 'GET', '/v6/identity.pub')).body).toBe('{"key":"","fingerprints":null}');
  });
});

describe('fluxd emulator: errors and routing', () => {
  it('negotiates the error body from Accept', async () => {
    const f = await start();
    const cases: Array<[string | null, 'json' | 'help' | 'short']> = [
      ['application/json', 'json'],
      ['text/plain', 'help'],
      [null, 'short'],
      ['*/*', 'short'],
      ['application/xml', 'short'],
      ['text/plain; charset=utf-8', 'json'],
      ['text/plain;q=0.9, application/json;q=0.5', 'help'],
      ['application/json;q=0.5, text/plain;q=0.5', 'json'],
      ['text/plain, application/json', 'json'],
    ];
    for (const [accept, kind] of cases) {
      const res = await request(f, 'GET', '/v6/nope', { accept });
      expect(res.status, String(accept)).toBe(404);
      if (kind === 'json') {
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(JSON.parse(res.body)).toMatchObject({ type: 'missing', error: 'API endpoint not found' });
      } else {
        expect(res.headers['content-type'], String(accept)).toBe('text/plain; charset=utf-8');
        if (kind === 'help') expect(res.body.endsWith('include this path:\n\n    /v6/nope\n')).toBe(true);
        else expect(res.body, String(accept)).toBe('API endpoint not found');
      }
    }
  });

  it('routes like gorilla/mux behind Go ServeMux', async () => {
    const f = await start();
    const gone = await request(f, 'DELETE', '/v3/anything');
    expect([gone.status, JSON.parse(gone.body).error]).toEqual([410, 'API endpoint deprecated']);
    for (const [method, path] of [['POST', '/v6/services'], ['GET', '/v6/services/'], ['GET', '/v6/jobs'], ['GET', '/v6/sync?id=x'], ['HEAD', '/v6/services'], ['GET', '/v1']]) {
      const res = await request(f, method!, path!);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(JSON.parse((await request(f, 'GET', '/v6/services/')).body).help).toMatch(/\n\n {4}\/v6\/services\/\n$/);
    const outside = await request(f, 'GET', '/metricsx', { raw: true });
    expect([outside.status, outside.body, outside.headers['content-type']]).toEqual([404, '404 page not found\n', 'text/plain; charset=utf-8']);
    const bare = await request(f, 'GET', '/api/flux', { raw: true });
    expect([bare.status, bare.headers.location]).toEqual([301, '/api/flux/']);
    const dirty = await request(f, 'GET', '/api/flux/v6//services?namespace=a', { raw: true });
    expect([dirty.status, dirty.headers.location, dirty.body]).toEqual([301, '/api/flux/v6/services?namespace=a', '<a href="/api/flux/v6/services?namespace=a">Moved Permanently</a>.\n\n']);
    expect((await request(f, 'GET', '/api/flux/v6/../v6/services', { raw: true })).headers.location).toBe('/api/flux/v6/services');
    expect((await request(f, 'GET', '/v6/jobs?id')).status).toBe(404); // the key is present: unknown job
  });

  it('frames small bodies with Content-Length and large ones chunked, without Keep-Alive', async () => {
    const f = await start();
    const small = await request(f, 'GET', '/v11/version');
    expect([small.headers['content-length'], small.headers['transfer-encoding'], small.headers['keep-alive']]).toEqual(['8', undefined, undefined]);
    const big = await request(f, 'GET', '/v6/services');
    expect(big.body.length).toBeGreaterThan(2048);
    expect([big.headers['content-length'], big.headers['transfer-encoding']]).toEqual([undefined, 'chunked']);
    const head = await request(f, 'HEAD', '/v6/export');
    expect([head.status, head.body, head.headers['content-length'], head.headers['transfer-encoding']]).toEqual([200, '', undefined, undefined]);
  });
});

describe('fluxd emulator: jobs and sync', () => {
  it('runs a sync job through queued, running, succeeded and applies it', async () => {
    const state = sampleState();
    state.sync = { jobPolls: 2, applyPolls: 1 };
    const f = await start(state);
    const headSha = state.git.commits[0]!.sha;
    const sub = await request(f, 'POST', '/v9/update-manifests', { body: '{"type":"sync","cause":{"Message":"","User":""},"spec":{}}' });
    const id = JSON.parse(sub.body) as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const poll = async () => (await request(f, 'GET', `/v6/jobs?id=${id}`)).body;
    expect(await poll()).toBe('{"Result":{},"Err":"","StatusString":"queued"}');
    expect(await poll()).toBe('{"Result":{},"Err":"","StatusString":"running"}');
    expect(await poll()).toBe(`{"Result":{"revision":"${headSha}"},"Err":"","StatusString":"succeeded"}`);
    // HEAD only touches files outside the git path; the commit below it is pending.
    expect(JSON.parse((await request(f, 'GET', `/v6/sync?ref=${headSha.slice(0, 7)}`)).body)).toEqual([state.git.commits[1]!.sha]);
    expect((await request(f, 'GET', `/v6/sync?ref=${headSha}`)).body).toBe('[]');
    expect(state.git.syncMarker).toBe(headSha);
    const unknown = await request(f, 'GET', '/v6/sync?ref=deadbeef');
    expect(unknown.status).toBe(422);
    expect(JSON.parse(unknown.body).error).toContain('unknown revision or path not in the working tree');
  });

  it('reports the unverified-HEAD failure with the last verified revision', async () => {
    const state = sampleState();
    const verified = state.git.commits[2]!.sha;
    state.sync = { unverifiedHead: verified };
    const f = await start(state);
    const id = JSON.parse((await request(f, 'POST', '/v9/update-manifests', { body: '{"type":"sync","cause":{"Message":"","User":""},"spec":{}}' })).body);
    const status = JSON.parse((await request(f, 'GET', `/v6/jobs?id=${id}`)).body);
    expect(status.StatusString).toBe('failed');
    expect(status.Result).toEqual({ revision: verified });
    expect(status.Err).toBe(`The branch HEAD in the git repo is not verified, and fluxd is unable to sync to it. The last verified commit was ${verified.slice(0, 8)}. HEAD is ${state.git.commits[0]!.sha.slice(0, 8)}.`);
  });

  it('answers 404 for unknown jobs, 422 for auto and 400 for unknown types', async () => {
    const f = await start();
    const res = await request(f, 'GET', '/v6/jobs?id=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0');
    expect(res.status).toBe(404);
    const err = JSON.parse(res.body);
    expect(err.error).toBe('unknown job "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"');
    expect(err.help.startsWith('Job not found\n')).toBe(true);
    const auto = await request(f, 'POST', '/v9/update-manifests', { body: '{"type":"auto","cause":{"Message":"","User":""},"spec":{}}' });
    expect([auto.status, JSON.parse(auto.body).error]).toEqual([422, 'unknown update type "auto"']);
    const bogus = await request(f, 'POST', '/v9/update-manifests', { body: '{"type":"bogus"}' });
    expect([bogus.status, bogus.body]).toEqual([400, '{}']);
    expect((await request(f, 'POST', '/v9/update-manifests', { body: '{"type":"bogus"}', accept: 'text/plain' })).body).toBe('unknown spec type: bogus');
  });

  it('executes a release and applies it once synced', async () => {
    const state = sampleState();
    state.sync = { applyPolls: 0 };
    state.jobBehaviour = {};
    const f = await start(state);
    const body = '{"type":"image","cause":{"Message":"","User":"Jane Doe \\u003cjane@example.com\\u003e"},"spec":{"ServiceSpecs":["default:deployment/helloworld"],"ImageSpec":"\\u003call latest\\u003e","Kind":"execute","Excludes":null,"Force":false}}';
    const id = JSON.parse((await request(f, 'POST', '/v9/update-manifests', { body })).body);
    const status = (await request(f, 'GET', `/v6/jobs?id=${id}`)).body;
    const rev = state.git.commits[0]!.sha;
    expect(status).toContain(`{"Result":{"revision":"${rev}","spec":${body},"result":{"default:cronjob/nightly-backup":{"Status":"ignored","Error":"not included","PerContainer":null},`);
    expect(status).toContain('"default:deployment/helloworld":{"Status":"success","PerContainer":[{"Container":"helloworld","Current":"quay.io/weaveworks/helloworld:master-a000001","Target":"quay.io/weaveworks/helloworld:master-9a16ff945b9e"}]}');
    expect(status.endsWith('},"Err":"","StatusString":"succeeded"}')).toBe(true);
    expect(JSON.parse((await request(f, 'GET', `/v6/sync?ref=${rev}`)).body)).toEqual([]);
    expect(state.workloads[0]!.containers[0]!.image).toBe('quay.io/weaveworks/helloworld:master-9a16ff945b9e');
  });

  it('applies policy jobs to the state, and skips no-op changes', async () => {
    const f = await start();
    const lock = '{"type":"policy","cause":{"Message":"freeze","User":"Jane"},"spec":{"default:deployment/helloworld":{"add":{"locked":"true","locked_msg":"freeze","locked_user":"Jane"},"remove":{}}}}';
    const id = JSON.parse((await request(f, 'POST', '/v9/update-manifests', { body: lock })).body);
    expect(JSON.parse((await request(f, 'GET', `/v6/jobs?id=${id}`)).body).StatusString).toBe('queued');
    const done = JSON.parse((await request(f, 'GET', `/v6/jobs?id=${id}`)).body);
    expect(done.Result.result).toEqual({ 'default:deployment/helloworld': { Status: 'success', PerContainer: null } });
    expect(done.Result.revision).toMatch(/^[0-9a-f]{40}$/);
    const svc = JSON.parse((await request(f, 'GET', '/v11/services?services=default%3Adeployment%2Fhelloworld')).body)[0];
    expect(svc.Locked).toBe(true);
    const again = JSON.parse((await request(f, 'PATCH', '/v6/policies?user=Jane', { body: '{"default:deployment/helloworld":{"add":["locked"]}}' })).body);
    await request(f, 'GET', `/v6/jobs?id=${again}`);
    const noop = JSON.parse((await request(f, 'GET', `/v6/jobs?id=${again}`)).body);
    expect(noop.Result.revision).toBeUndefined();
    expect(noop.Result.result).toEqual({ 'default:deployment/helloworld': { Status: 'skipped', PerContainer: null } });
  });

  it('plans dry runs inside the request and takes legacy update-images', async () => {
    const f = await start();
    const plan = await request(f, 'POST', '/v6/update-images?image=%3Call+latest%3E&kind=plan&service=%3Call%3E');
    const status = JSON.parse((await request(f, 'GET', `/v6/jobs?id=${JSON.parse(plan.body)}`)).body);
    expect(status.StatusString).toBe('succeeded');
    expect(status.Result.revision).toBeUndefined();
    expect(status.Result.result['default:deployment/redis']).toEqual({ Status: 'skipped', Error: 'locked', PerContainer: null });
    const bad = await request(f, 'POST', '/v6/update-images?image=redis%3A9&kind=plan&service=default%3Adeployment%2Fredis');
    expect(JSON.parse(bad.body).error).toBe('image "redis:9" does not exist: invalid image ID');
    const kind = await request(f, 'POST', '/v6/update-images?image=redis%3A7.0.0&kind=maybe&service=%3Call%3E', { accept: null });
    expect([kind.status, kind.body]).toEqual([400, 'parsing release kind "maybe": invalid release kind']);
  });
});

describe('fluxd emulator: faults', () => {
  it('replaces, delays, truncates and resets responses', async () => {
    const f = await start();
    f.inject('GET /v6/services', { status: 503, body: 'upstream unavailable', times: 2 });
    expect((await request(f, 'GET', '/v6/services')).status).toBe(503);
    expect((await request(f, 'GET', '/v6/services')).body).toBe('upstream unavailable');
    expect((await request(f, 'GET', '/v6/services')).status).toBe(200);
    f.inject('*', { delayMs: 150 });
    const t0 = Date.now();
    expect((await request(f, 'GET', '/v11/version')).body).toBe('"1.25.4"');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    f.inject('/v11/version', { truncateAfter: 3 });
    await expect(request(f, 'GET', '/v11/version')).rejects.toThrow();
    f.inject('GET /v11/ping', { destroy: true });
    await expect(request(f, 'GET', '/v11/ping')).rejects.toThrow();
    f.inject('GET /v11/ping', { hang: true });
    const hung = request(f, 'GET', '/v11/ping').catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    await f.close();
    expect(await hung).toBeInstanceOf(Error);
    fluxd = undefined;
  });

  it('keeps builders usable for custom states', () => {
    const g = gitState({ commits: [commit('one'), commit('two')] });
    expect(g.syncMarker).toBe(g.commits[0]!.sha);
    expect(g.publicKey!.md5.hash).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  });
});
