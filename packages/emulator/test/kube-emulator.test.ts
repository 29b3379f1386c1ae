// Proves the Kubernetes API emulator against real clients: @kubernetes/client-node (what the
// CLI uses), raw HTTP for exact Status bodies, `ws` for port-forward framing, and real kubectl.
import net from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, PortForward, Watch, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startKubeEmulator, type Deployment, type KubeEmulator, type KubeconfigOptions, type Pod } from '@fluxctl/emulator/kube';
import { hasKubectl, kubectl, rawRequest } from './helpers/kube-client.js';

const FLUX = {
  name: 'flux',
  podLabels: { app: 'flux', name: 'flux' },
  containers: [
    { name: 'flux', image: 'docker.io/fluxcd/flux:1.25.4', args: ['--git-url=git@example.com:org/repo', '--git-poll-interval=5m'], ports: [{ containerPort: 3030 }] },
    { name: 'sidecar', image: 'busybox:1.36', args: ['sleep', '1d'] },
  ],
};
const V4 = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

let emu: KubeEmulator;
let cleanups: Array<() => unknown> = [];
beforeEach(async () => {
  emu = await startKubeEmulator({ rolloutTickMs: 10 });
  emu.cluster.addDeployment('flux', FLUX);
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
  await emu.close();
});

function kubeConfig(o?: KubeconfigOptions): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(emu.kubeconfig(o));
  return kc;
}
const fluxPod = (): string => emu.cluster.list('pods', 'flux').find((p) => p.metadata.labels?.app === 'flux')!.metadata.name;
const dep = (): Deployment => emu.cluster.mustGet<Deployment>('deployments', 'flux', 'flux');

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
const rolledOut = (d: Deployment): boolean =>
  d.status.observedGeneration === d.metadata.generation &&
  d.status.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable';

/** A TCP server for port-forward backends; `onConn` decides what each connection does. */
async function backend(onConn: (s: net.Socket) => void = (s) => s.pipe(s)): Promise<number> {
  const server = net.createServer((s) => { s.on('error', () => {}); onConn(s); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return (server.address() as net.AddressInfo).port;
}

interface Tunnel { ws: WebSocket; messages: Buffer[]; closed: Promise<number> }
function openWs(path: string, opts: { token?: string; protocols?: string[]; handshakeTimeout?: number } = {}): Tunnel {
  const ws = new WebSocket(emu.url.replace(/^http/, 'ws') + path, opts.protocols ?? V4, {
    ca: Buffer.from(emu.caData, 'base64'),
    headers: { Authorization: `Bearer ${opts.token ?? 'test-token'}` },
    ...(opts.handshakeTimeout ? { handshakeTimeout: opts.handshakeTimeout } : {}),
  });
  const messages: Buffer[] = [];
  ws.on('message', (d: Buffer) => messages.push(d));
  ws.on('error', () => {});
  return { ws, messages, closed: new Promise((r) => ws.on('close', (code) => r(code))) };
}
function rejection(t: Tunnel): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => t.ws.on('unexpected-response', (req, res) => {
    let body = '';
    res.on('data', (c: Buffer) => (body += c));
    res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }); req.destroy(); });
  }));
}
const pfPath = (pod: string, ns = 'flux'): string => `/api/v1/namespaces/${ns}/pods/${pod}/portforward?ports=3030`;

describe('REST through client-node', () => {
  it('lists pods with label and field selectors, cluster-wide, and in missing namespaces', async () => {
    emu.cluster.addPod('flux', { name: 'fluxd-pending', labels: { name: 'fluxd' }, phase: 'Pending' });
    emu.cluster.addPod('flux', { name: 'flux-done', labels: { name: 'flux' }, phase: 'Succeeded' });
    const core = kubeConfig().makeApiClient(CoreV1Api);
    const running = await core.listNamespacedPod({ namespace: 'flux', labelSelector: 'name in (flux,fluxd)', fieldSelector: 'status.phase=Running' });
    expect(running.items.map((p) => p.metadata?.name)).toEqual([fluxPod()]);
    const all = await core.listNamespacedPod({ namespace: 'flux', labelSelector: 'name in (flux,fluxd)' });
    expect(all.items).toHaveLength(3);
    expect((await core.listPodForAllNamespaces({ fieldSelector: 'metadata.namespace=flux' })).items).toHaveLength(3);
    expect((await core.listNamespacedPod({ namespace: 'nowhere' })).items).toEqual([]);
    const rec = emu.requests.find((r) => r.query.labelSelector === 'name in (flux,fluxd)');
    expect(rec).toMatchObject({ method: 'GET', path: '/api/v1/namespaces/flux/pods', user: 'jane', upgrade: false, status: 200 });
    expect(JSON.stringify(emu.requests)).not.toContain('test-token');
  });

  it('serves realistic list and object shapes with owner chains', async () => {
    const list = await rawRequest(emu, { path: '/api/v1/namespaces/flux/pods' });
    expect(list.headers['content-type']).toBe('application/json');
    const body = list.json() as { kind: string; apiVersion: string; metadata: { resourceVersion: string }; items: Array<Record<string, any>> };
    expect(body).toMatchObject({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: expect.any(String) } });
    const pod = body.items[0]!;
    expect(pod.kind).toBeUndefined();
    expect(pod.spec.nodeName).toBe('node-1');
    expect(pod.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    const rsRef = pod.metadata.ownerReferences[0];
    expect(rsRef).toMatchObject({ kind: 'ReplicaSet', controller: true });
    const rs = (await rawRequest(emu, { path: `/apis/apps/v1/namespaces/flux/replicasets/${rsRef.name}` })).json() as Record<string, any>;
    expect(rs).toMatchObject({ kind: 'ReplicaSet', metadata: { uid: rsRef.uid, labels: { 'pod-template-hash': pod.metadata.labels['pod-template-hash'] } } });
    expect(rs.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'flux', uid: dep().metadata.uid, controller: true });
    expect(dep().status).toMatchObject({ observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
  });

  it('parses the full label selector syntax and rejects bad selectors with 400', async () => {
    emu.cluster.addPod('flux', { name: 'a', labels: { tier: 'web', env: 'prod' } });
    emu.cluster.addPod('flux', { name: 'b', labels: { tier: 'db' } });
    emu.cluster.addPod('flux', { name: 'c' });
    const names = async (sel: string, field = ''): Promise<string[]> => {
      const r = await rawRequest(emu, { path: `/api/v1/namespaces/flux/pods?${new URLSearchParams({ labelSelector: sel, fieldSelector: field })}` });
      return (r.json() as { items: Array<{ metadata: { name: string } }> }).items.map((p) => p.metadata.name).filter((n) => n.length === 1);
    };
    expect(await names('tier=web')).toEqual(['a']);
    expect(await names('tier==web')).toEqual(['a']);
    expect(await names('tier!=web')).toEqual(['b', 'c']);
    expect(await names('tier in (web, db)')).toEqual(['a', 'b']);
    expect(await names('tier notin (web)')).toEqual(['b', 'c']);
    expect(await names('tier')).toEqual(['a', 'b']);
    expect(await names('!tier')).toEqual(['c']);
    expect(await names('tier,env=prod')).toEqual(['a']);
    expect(await names('', 'metadata.name!=a')).toEqual(['b', 'c']);
    for (const bad of ['tier in web', 'tier in (web', '=web', 'tier=web extra', 'bad key!']) {
      const r = await rawRequest(emu, { path: `/api/v1/namespaces/flux/pods?labelSelector=${encodeURIComponent(bad)}` });
      expect(r.json(), bad).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    }
    const f = await rawRequest(emu, { path: '/api/v1/pods?fieldSelector=spec.bogus%3Dx' });
    expect(f.json()).toMatchObject({ code: 400, message: 'field label not supported: spec.bogus' });
  });

  it('answers 401, 403 and 404 with the exact Status bodies', async () => {
    const none = await rawRequest(emu, { path: '/api/v1/namespaces/flux/pods', token: null });
    expect(none.text).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
    expect((await rawRequest(emu, { path: '/api', token: 'wrong' })).status).toBe(401);
    expect((await rawRequest(emu, { path: '/api/v1/namespaces/flux/pods/nope' })).text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"nope\\" not found","reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404}');
    expect((await rawRequest(emu, { path: '/apis/apps/v1/namespaces/flux/deployments/nope' })).json()).toMatchObject({
      message: 'deployments.apps "nope" not found', details: { name: 'nope', group: 'apps', kind: 'deployments' } });
    emu.faults.deny({ verb: 'list', resource: 'pods', namespace: 'flux' });
    expect((await rawRequest(emu, { path: '/api/v1/namespaces/flux/pods' })).text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \\"jane\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"flux\\"","reason":"Forbidden","details":{"kind":"pods"},"code":403}');
    const core = kubeConfig().makeApiClient(CoreV1Api);
    await expect(core.listNamespacedPod({ namespace: 'flux' })).rejects.toMatchObject({ code: 403 });
    await expect(kubeConfig({ token: 'bad' }).makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'x' })).rejects.toMatchObject({ code: 401, body: undefined });
    emu.faults.reset();
    // Client certificate CN=jane authenticates too.
    expect((await kubeConfig({ clientCert: true }).makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'flux' })).items).toHaveLength(1);
    expect(emu.requests.at(-1)!.user).toBe('jane');
  });
});

describe('Deployment PATCH', () => {
  const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
  const patchRaw = (body: unknown, contentType: string, query = '') =>
    rawRequest(emu, { method: 'PATCH', path: `/apis/apps/v1/namespaces/flux/deployments/flux${query}`, body, contentType });

  it('strategic-merges containers by name, replaces args, and rolls out a new pod', async () => {
    const apps = kubeConfig().makeApiClient(AppsV1Api);
    const before = await apps.readNamespacedDeployment({ name: 'flux', namespace: 'flux' });
    const oldPod = fluxPod();
    const body = { metadata: { resourceVersion: before.metadata!.resourceVersion }, spec: { template: { spec: { containers: [{ name: 'flux', args: ['--git-poll-interval=1m'] }] } } } };
    const after: V1Deployment = await apps.patchNamespacedDeployment({ name: 'flux', namespace: 'flux', body }, strategic);
    expect(after.metadata?.generation).toBe(2);
    expect(after.status?.observedGeneration).toBe(1); // the controller has not caught up yet
    const [flux, sidecar] = after.spec!.template.spec!.containers;
    expect(flux).toMatchObject({ name: 'flux', image: FLUX.containers[0]!.image, args: ['--git-poll-interval=1m'] });
    expect(sidecar).toMatchObject({ name: 'sidecar', args: ['sleep', '1d'] });
    expect(emu.requests.at(-1)).toMatchObject({ method: 'PATCH', contentType: 'application/strategic-merge-patch+json', body });
    await until(() => rolledOut(dep()));
    const pods = emu.cluster.list('pods', 'flux');
    expect(pods.map((p) => p.metadata.name)).not.toContain(oldPod);
    expect(pods).toHaveLength(1);
    expect(dep().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(dep().status).toMatchObject({ replicas: 1, updatedReplicas: 1, availableReplicas: 1 });
  });

  it('treats metadata.resourceVersion as a precondition (409)', async () => {
    const rv = dep().metadata.resourceVersion;
    emu.cluster.touchDeployment('flux', 'flux');
    const r = await patchRaw({ metadata: { resourceVersion: rv }, spec: { replicas: 2 } }, 'application/merge-patch+json');
    expect(r.text).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on deployments.apps \\"flux\\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"flux","group":"apps","kind":"deployments"},"code":409}');
  });

  it('rejects unknown patch types (415) and invalid results (422)', async () => {
    const r415 = await patchRaw({}, 'application/yaml');
    expect(r415.json()).toMatchObject({ reason: 'UnsupportedMediaType', code: 415, message: expect.stringContaining('the body of the request was in an unknown format - accepted media types include:') });
    const r422 = await patchRaw({ spec: { template: { spec: { containers: [{ name: 'flux' }] } } } }, 'application/merge-patch+json');
    expect(r422.text).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Deployment.apps \\"flux\\" is invalid: spec.template.spec.containers[0].image: Required value","reason":"Invalid","details":{"name":"flux","group":"apps","kind":"Deployment","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.template.spec.containers[0].image"}]},"code":422}');
    const args = await patchRaw({ spec: { template: { spec: { containers: [{ name: 'flux', args: ['--ok', 5] }] } } } }, 'application/strategic-merge-patch+json');
    expect(args.json()).toMatchObject({ code: 422, details: { causes: [{ field: 'spec.template.spec.containers[0].args[1]' }] } });
    expect(dep().metadata.generation).toBe(1);
  });

  it('applies JSON patches with test ops; a failed test is a generic 422', async () => {
    const apps = kubeConfig().makeApiClient(AppsV1Api); // client-node's default type is json-patch
    const rv = dep().metadata.resourceVersion;
    const ok = await apps.patchNamespacedDeployment({ name: 'flux', namespace: 'flux', body: [
      { op: 'test', path: '/metadata/resourceVersion', value: rv },
      { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'flux' },
      { op: 'add', path: '/spec/template/spec/containers/0/args', value: ['--x'] },
    ] });
    expect(ok.spec?.template.spec?.containers[0]?.args).toEqual(['--x']);
    const bad = await patchRaw([{ op: 'test', path: '/metadata/resourceVersion', value: rv }], 'application/json-patch+json');
    expect(bad.text).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","details":{},"code":422}');
  });

  it('honours dryRun, null deletion, and bumps generation only for spec changes', async () => {
    const rv0 = dep().metadata.resourceVersion;
    const dry = await patchRaw({ spec: { template: { spec: { containers: [{ name: 'flux', image: 'flux:2' }] } } } }, 'application/strategic-merge-patch+json', '?dryRun=All');
    expect((dry.json() as V1Deployment).spec?.template.spec?.containers[0]?.image).toBe('flux:2');
    expect(dep().spec.template.spec.containers[0]!.image).toBe(FLUX.containers[0]!.image);
    expect(dep().metadata.resourceVersion).toBe(rv0);
    await patchRaw({ metadata: { labels: { team: 'a' } } }, 'application/merge-patch+json');
    expect(dep().metadata).toMatchObject({ generation: 1, labels: { team: 'a' } });
    const rv1 = dep().metadata.resourceVersion;
    expect(rv1).not.toBe(rv0);
    await patchRaw({ metadata: { labels: { team: 'a' } } }, 'application/merge-patch+json');
    expect(dep().metadata.resourceVersion).toBe(rv1); // no-op patch writes nothing
    await patchRaw({ spec: { template: { spec: { containers: [{ name: 'sidecar', args: null }] } } } }, 'application/strategic-merge-patch+json');
    expect(dep().spec.template.spec.containers[1]).not.toHaveProperty('args');
    expect(dep().metadata.generation).toBe(2);
  });
});

describe('rollout simulation', () => {
  const patchArgs = (args: string[]) =>
    rawRequest(emu, { method: 'PATCH', path: '/apis/apps/v1/namespaces/flux/deployments/flux', body: { spec: { template: { spec: { containers: [{ name: 'flux', args }] } } } } });

  it('streams every step to a client-node Watch, observedGeneration lagging one tick', async () => {
    const events: Array<{ type: string; gen: number; observed: number; reason?: string; updated?: number }> = [];
    const rv = dep().metadata.resourceVersion;
    const ctl = await new Watch(kubeConfig()).watch('/apis/apps/v1/namespaces/flux/deployments',
      { fieldSelector: 'metadata.name=flux', resourceVersion: rv },
      (type, obj: V1Deployment) => events.push({ type, gen: obj.metadata!.generation!, observed: obj.status!.observedGeneration!,
        reason: obj.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, updated: obj.status?.updatedReplicas }),
      () => {});
    cleanups.push(() => ctl.abort());
    await patchArgs(['--a']);
    await until(() => events.some((e) => e.reason === 'NewReplicaSetAvailable' && e.observed === 2));
    expect(events[0]).toMatchObject({ type: 'MODIFIED', gen: 2, observed: 1 });
    expect(events.some((e) => e.reason === 'ReplicaSetUpdated' && e.observed === 2)).toBe(true);
    expect(events.every((e) => e.type === 'MODIFIED')).toBe(true);
  });

  it('replays events after a resourceVersion, as kubectl list-then-watch needs', async () => {
    const rv = dep().metadata.resourceVersion;
    emu.cluster.touchDeployment('flux', 'flux');
    const seen: string[] = [];
    const ctl = await new Watch(kubeConfig()).watch('/apis/apps/v1/namespaces/flux/deployments', { resourceVersion: rv },
      (type, obj: V1Deployment) => seen.push(`${type} ${obj.kind} ${obj.metadata?.resourceVersion}`), () => {});
    cleanups.push(() => ctl.abort());
    await until(() => seen.length === 1);
    expect(seen).toEqual([`MODIFIED Deployment ${dep().metadata.resourceVersion}`]);
  });

  it('RollingUpdate brings the new pod up before the old one terminates; Recreate the other way round', async () => {
    for (const strategy of ['RollingUpdate', 'Recreate'] as const) {
      emu.cluster.addDeployment('flux', { ...FLUX, name: `r-${strategy}`, podLabels: { app: strategy }, strategy });
      const oldPod = emu.cluster.list('pods', 'flux').find((p) => p.metadata.labels?.app === strategy)!.metadata.name;
      const log: string[] = [];
      const ctl = await new Watch(kubeConfig()).watch('/api/v1/namespaces/flux/pods', { labelSelector: `app=${strategy}`, resourceVersion: emu.cluster.resourceVersion },
        (type, pod) => {
          const which = pod.metadata.name === oldPod ? 'old' : 'new';
          log.push(type === 'DELETED' ? `${which} deleted` : pod.metadata.deletionTimestamp ? `${which} terminating` : `${which} ${pod.status.phase}`);
        }, () => {});
      cleanups.push(() => ctl.abort());
      await rawRequest(emu, { method: 'PATCH', path: `/apis/apps/v1/namespaces/flux/deployments/r-${strategy}`, body: { spec: { template: { spec: { containers: [{ name: 'flux', args: ['--b'] }] } } } } });
      await until(() => rolledOut(emu.cluster.mustGet('deployments', 'flux', `r-${strategy}`)));
      const steps = [...new Set(log)];
      expect(steps, strategy).toEqual(strategy === 'Recreate'
        ? ['old terminating', 'old deleted', 'new Pending', 'new Running']
        : ['new Pending', 'new Running', 'old terminating', 'old deleted']);
    }
  });

  it('stalls with ProgressDeadlineExceeded on request, and resumes', async () => {
    emu.cluster.setProgressDeadlineExceeded('flux', 'flux', true);
    await patchArgs(['--stuck']);
    const progressing = () => dep().status.conditions?.find((c) => c.type === 'Progressing');
    await until(() => progressing()?.reason === 'ProgressDeadlineExceeded');
    expect(progressing()).toMatchObject({ status: 'False', message: expect.stringMatching(/^ReplicaSet ".*" has timed out progressing\.$/) });
    expect(dep().status.observedGeneration).toBe(2);
    emu.cluster.setProgressDeadlineExceeded('flux', 'flux', false);
    await until(() => rolledOut(dep()));
  });
});

describe('port-forward', () => {
  it('tunnels client-node PortForward to the pod backend', async () => {
    const port = await backend();
    emu.cluster.setBackend((pod, p) => (pod.labels.app === 'flux' && p === 3030 ? { host: '127.0.0.1', port } : null));
    const input = new PassThrough();
    let received = '';
    const output = new Writable({ write(chunk, _e, cb) { received += String(chunk); cb(); } });
    const ws = (await new PortForward(kubeConfig()).portForward('flux', fluxPod(), [3030], output, null, input)) as WebSocket;
    cleanups.push(() => ws.terminate());
    input.write('ping over the tunnel');
    await until(() => received === 'ping over the tunnel');
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    expect(emu.requests.find((r) => r.upgrade)).toMatchObject({ path: `/api/v1/namespaces/flux/pods/${fluxPod()}/portforward`, query: { ports: '3030' }, user: 'jane', status: 101 });
  });

  it('sends the port prefixes, then error-channel text and close 1000 when nothing listens', async () => {
    const t = openWs(pfPath(fluxPod()));
    const code = await t.closed;
    expect(t.ws.protocol).toBe('v4.channel.k8s.io');
    expect(t.ws.extensions).toBe('');
    expect(t.messages.slice(0, 2)).toEqual([Buffer.from([0, 0xd6, 0x0b]), Buffer.from([1, 0xd6, 0x0b])]);
    expect(t.messages[2]![0]).toBe(1);
    expect(t.messages[2]!.subarray(1).toString()).toMatch(/^error forwarding port 3030 to pod [0-9a-f]{64}, uid : .*connect: connection refused/);
    expect(code).toBe(1000);
  });

  it('closes with 1000 when the pod side ends, and drops the pod socket when the client closes', async () => {
    const conns: net.Socket[] = [];
    const port = await backend((s) => { conns.push(s); s.on('data', (d) => { if (String(d) === 'bye') s.end('later'); }); });
    emu.cluster.setBackend(() => ({ host: '127.0.0.1', port }));
    const a = openWs(pfPath(fluxPod()));
    await new Promise((r) => a.ws.on('open', r));
    a.ws.send(Buffer.from([0, ...Buffer.from('bye')]));
    expect(await a.closed).toBe(1000);
    expect(a.messages.at(-1)).toEqual(Buffer.from([0, ...Buffer.from('later')]));
    const b = openWs(pfPath(fluxPod()));
    await new Promise((r) => b.ws.on('open', r));
    await until(() => conns.length === 2);
    const closedOnPod = new Promise((r) => conns[1]!.on('close', r));
    b.ws.close();
    await closedOnPod;
  });

  it('checks auth, RBAC, the pod and its node before upgrading, in that order', async () => {
    emu.cluster.addPod('flux', { name: 'unscheduled', phase: 'Pending', scheduled: false });
    emu.cluster.addPod('flux', { name: 'done', phase: 'Succeeded' });
    emu.cluster.addPod('flux', { name: 'starting', phase: 'Pending' });
    const reject = async (path: string, token?: string) => rejection(openWs(path, token ? { token } : {}));
    expect(await reject(pfPath('nope'), 'bad')).toMatchObject({ status: 401 });
    emu.faults.deny({ verb: 'get', resource: 'pods', subresource: 'portforward' });
    expect(JSON.parse((await reject(pfPath('nope'))).body)).toMatchObject({ code: 403,
      message: 'pods "nope" is forbidden: User "jane" cannot get resource "pods/portforward" in API group "" in the namespace "flux"' });
    emu.faults.reset();
    expect(JSON.parse((await reject(pfPath('nope'))).body)).toMatchObject({ code: 404, message: 'pods "nope" not found' });
    expect(JSON.parse((await reject(pfPath('unscheduled'))).body)).toMatchObject({ code: 400, message: 'pod unscheduled does not have a host assigned' });
    expect(await reject(pfPath('done'))).toEqual({ status: 500, body: 'rpc error: code = Unknown desc = sandbox container is not running' });
    const plain = await rawRequest(emu, { path: pfPath(fluxPod()) });
    expect(plain.json()).toMatchObject({ code: 400, reason: 'BadRequest', message: 'Upgrade request required' });
    expect((await rawRequest(emu, { path: pfPath('nope') })).status).toBe(404);
    const pending = openWs(pfPath('starting'));
    expect(await pending.closed).toBe(1000);
    expect(pending.messages[2]!.subarray(1).toString()).toContain('error forwarding port 3030');
  });

  it('injects upgrade rejections, hung handshakes and dropped tunnels', async () => {
    emu.faults.rejectUpgrade({ status: 502, body: 'bad gateway', contentType: 'text/plain' });
    expect(await rejection(openWs(pfPath(fluxPod())))).toEqual({ status: 502, body: 'bad gateway' });
    emu.faults.reset();
    emu.faults.hangHandshake = true;
    const hung = openWs(pfPath(fluxPod()), { handshakeTimeout: 150 });
    expect(await hung.closed).toBe(1006);
    expect(hung.ws.readyState).toBe(WebSocket.CLOSED);
    emu.faults.reset();
    const port = await backend((s) => s.write('abcdefgh'));
    emu.cluster.setBackend(() => ({ host: '127.0.0.1', port }));
    emu.faults.dropTunnelAfterBytes(3);
    const dropped = openWs(pfPath(fluxPod()));
    expect(await dropped.closed).toBe(1006);
    expect(Buffer.concat(dropped.messages.slice(2).map((m) => m.subarray(1))).toString()).toBe('abc');
  });
});

describe.skipIf(!hasKubectl)('real kubectl', () => {
  const FLUX_ARGS_PATCH = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'flux', args: ['--git-poll-interval=1m'] }] } } } });

  it('gets pods and deployments with server-side table columns', async () => {
    const pods = await kubectl(emu, ['get', 'pods', '-n', 'flux', '-l', 'app=flux']);
    expect(pods.stderr).toBe('');
    expect(pods.stdout).toMatch(new RegExp(`^NAME +READY +STATUS +RESTARTS +AGE\\n${fluxPod()} +2/2 +Running +0 +\\d+s\\n$`));
    emu.cluster.addPod('flux', { name: 'fluxd-old', labels: { name: 'fluxd' }, terminating: true });
    const set = await kubectl(emu, ['get', 'pods', '-n', 'flux', '-l', 'name in (flux,fluxd)']);
    expect(set.stdout.split('\n').slice(1, -1).map((l) => l.split(/ +/).slice(0, 3).join(' '))).toEqual([`${fluxPod()} 2/2 Running`, 'fluxd-old 1/1 Terminating']);
    emu.cluster.addDeployment('default', { name: 'web', replicas: 2, containers: [{ name: 'web', image: 'nginx' }] });
    const deps = await kubectl(emu, ['get', 'deployments', '-A']);
    expect(deps.stdout).toMatch(/^NAMESPACE +NAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndefault +web +2\/2 +2 +2 +\d+s\nflux +flux +1\/1 +1 +1 +\d+s\n$/);
    const missing = await kubectl(emu, ['get', 'deployment', 'nope', '-n', 'flux']);
    expect(missing.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    const byCert = await kubectl(emu, ['get', 'pods', '-n', 'flux', '-o', 'name'], { clientCert: true });
    expect(byCert.stdout).toContain(`pod/${fluxPod()}`);
  });

  it('patches strategically and waits with rollout status', async () => {
    const patched = await kubectl(emu, ['patch', 'deployment', 'flux', '-n', 'flux', '--type', 'strategic', '-p', FLUX_ARGS_PATCH]);
    expect(patched).toMatchObject({ code: 0, stdout: 'deployment.apps/flux patched\n' });
    expect(dep().spec.template.spec.containers.map((c) => c.args)).toEqual([['--git-poll-interval=1m'], ['sleep', '1d']]);
    await until(() => rolledOut(dep()));
    // Slow the controller down so kubectl (a separate process) sees the rollout in flight.
    emu.cluster.controller.tickMs = 200;
    await rawRequest(emu, { method: 'PATCH', path: '/apis/apps/v1/namespaces/flux/deployments/flux', body: { spec: { template: { spec: { containers: [{ name: 'flux', args: ['--x'] }] } } } } });
    const status = await kubectl(emu, ['rollout', 'status', 'deployment/flux', '-n', 'flux', '--timeout', '20s']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Waiting for deployment "flux" rollout to finish: .*\n/);
    expect(status.stdout).toMatch(/deployment "flux" successfully rolled out\n$/);
    const same = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'flux', args: ['--x'] }] } } } });
    const again = await kubectl(emu, ['patch', 'deployment', 'flux', '-n', 'flux', '--type', 'strategic', '-p', same]);
    expect(again.stdout).toBe('deployment.apps/flux patched (no change)\n');
  });

  it('reports a stalled rollout, RBAC denials and bad credentials like a real cluster', async () => {
    emu.cluster.setProgressDeadlineExceeded('flux', 'flux', true);
    await rawRequest(emu, { method: 'PATCH', path: '/apis/apps/v1/namespaces/flux/deployments/flux', body: JSON.parse(FLUX_ARGS_PATCH) });
    const stalled = await kubectl(emu, ['rollout', 'status', 'deployment/flux', '-n', 'flux', '--timeout', '20s']);
    expect(stalled.code).toBe(1);
    expect(stalled.stderr).toContain('error: deployment "flux" exceeded its progress deadline');
    emu.faults.deny({ verb: 'list', resource: 'pods', namespace: 'flux' });
    const denied = await kubectl(emu, ['get', 'pods', '-n', 'flux']);
    expect(denied.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "flux"\n');
    const unauth = await kubectl(emu, ['get', 'pods', '-n', 'flux'], { token: 'wrong' });
    expect(unauth.code).toBe(1);
    // Discovery fails first, so kubectl prints client-go's wording rather than the Status message.
    expect(unauth.stderr).toContain('error: You must be logged in to the server (the server has asked for the client to provide credentials)');
  });
});

describe('lifecycle and scale', () => {
  it('close() leaves no open handles behind', async () => {
    // Count socket and server handles only: earlier tests' child processes and vitest's own
    // timers come and go on their own schedule.
    // Earlier tests' child processes and sockets wind down on their own schedule, so wait for a
    // quiet baseline and then require that no kind of handle outnumbers it after close().
    const snapshot = (): string => process.getActiveResourcesInfo().filter((r) => r !== 'Immediate').sort().join(',');
    const counts = (s: string): Map<string, number> => s.split(',').reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
    const noMoreThan = (before: string): boolean => [...counts(snapshot())].every(([k, n]) => n <= (counts(before).get(k) ?? 0));
    let before = snapshot();
    for (let quiet = 0; quiet < 10; ) {
      await new Promise((r) => setTimeout(r, 10));
      const now = snapshot();
      quiet = now === before ? quiet + 1 : 0;
      before = now;
    }
    const e2 = await startKubeEmulator({ rolloutTickMs: 5 });
    e2.cluster.addDeployment('flux', FLUX);
    const echo = net.createServer((s) => s.pipe(s).on('error', () => {}));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    e2.cluster.setBackend(() => ({ host: '127.0.0.1', port: (echo.address() as net.AddressInfo).port }));
    const kc = new KubeConfig();
    kc.loadFromString(e2.kubeconfig());
    await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'flux' });
    await new Watch(kc).watch('/apis/apps/v1/namespaces/flux/deployments', {}, () => {}, () => {});
    const pod = e2.cluster.list('pods', 'flux')[0]!.metadata.name;
    const input = new PassThrough();
    await new PortForward(kc).portForward('flux', pod, [3030], new PassThrough().resume(), null, input);
    input.write('x');
    await rawRequest(e2, { method: 'PATCH', path: '/apis/apps/v1/namespaces/flux/deployments/flux', body: { spec: { replicas: 3 } } });
    e2.faults.hangHandshake = true;
    const hung = new WebSocket(`${e2.url.replace(/^http/, 'ws')}${pfPath(pod)}`, V4, { ca: Buffer.from(e2.caData, 'base64'), headers: { Authorization: 'Bearer test-token' } });
    hung.on('error', () => {});
    await until(() => e2.requests.filter((r) => r.upgrade).length === 2);
    await e2.close();
    await new Promise((r) => echo.close(r));
    input.destroy();
    await until(() => noMoreThan(before), 3000).catch(() => expect(snapshot()).toBe(before));
  });

  it('adds 10,000 Deployments quickly and pages through them', async () => {
    // CPU time, not wall time: other test files (and other processes) share the machine.
    const start = process.cpuUsage();
    emu.cluster.addDeployments('bench', 10_000, (i) => ({ name: `app-${String(i).padStart(5, '0')}`, containers: [{ name: 'app', image: `registry.local/app:${i}` }] }));
    const used = process.cpuUsage(start);
    expect((used.user + used.system) / 1000).toBeLessThan(5000);
    const page = (await rawRequest(emu, { path: '/apis/apps/v1/namespaces/bench/deployments?limit=500' })).json() as { items: V1Deployment[]; metadata: { continue: string; remainingItemCount: number } };
    expect(page.items).toHaveLength(500);
    expect(page.metadata.remainingItemCount).toBe(9500);
    const next = (await rawRequest(emu, { path: `/apis/apps/v1/namespaces/bench/deployments?limit=500&continue=${page.metadata.continue}` })).json() as { items: V1Deployment[] };
    expect(next.items[0]?.metadata?.name).toBe('app-00500');
    const all = await kubeConfig().makeApiClient(AppsV1Api).listDeploymentForAllNamespaces();
    expect(all.items).toHaveLength(10_001);
  });
});

describe('other modes and helpers', () => {
  it('serves plain http with custom users, and maps RBAC per user', async () => {
    const plain = await startKubeEmulator({ tls: false, users: { 'tok-a': 'alice', 'tok-b': 'bob' } });
    cleanups.push(() => plain.close());
    expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    plain.cluster.addDeployment('flux', FLUX);
    plain.faults.deny({ user: 'bob', verb: 'list', resource: 'pods' });
    const core = (token: string): CoreV1Api => {
      const kc = new KubeConfig();
      kc.loadFromString(plain.kubeconfig({ token }));
      return kc.makeApiClient(CoreV1Api);
    };
    expect((await core('tok-a').listPodForAllNamespaces()).items).toHaveLength(1);
    const denied = await core('tok-b').listPodForAllNamespaces().catch((e: { code: number; body: string }) => e);
    expect(JSON.parse((denied as { body: string }).body).message).toBe('pods is forbidden: User "bob" cannot list resource "pods" in API group "" at the cluster scope');
    expect(plain.kubeconfig()).toContain('insecure-skip-tls-verify: true');
    expect(plain.requests.map((r) => r.user)).toEqual(['alice', 'bob']);
  });

  it('deletes pods gracefully; a Deployment replaces its pod', async () => {
    const old = fluxPod();
    const r = await rawRequest(emu, { method: 'DELETE', path: `/api/v1/namespaces/flux/pods/${old}` });
    expect(r.json()).toMatchObject({ kind: 'Pod', metadata: { name: old, deletionTimestamp: expect.any(String) } });
    await until(() => emu.cluster.list('pods', 'flux').length === 1 && fluxPod() !== old && emu.cluster.list<Pod>('pods', 'flux')[0]!.status.phase === 'Running');
    emu.cluster.addPod('flux', { name: 'bare' });
    emu.cluster.deletePod('flux', 'bare');
    expect(emu.cluster.get('pods', 'flux', 'bare')).toBeUndefined();
    emu.cluster.deletePod('flux', fluxPod(), { replace: true });
    await until(() => emu.cluster.list('pods', 'flux').length === 1);
    expect((await rawRequest(emu, { method: 'POST', path: pfPath(fluxPod()) })).json()).toMatchObject({ code: 400, message: 'Upgrade request required' });
  });
});
