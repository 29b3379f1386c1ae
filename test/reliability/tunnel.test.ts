import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, sampleState } from '@fluxctl/emulator/fluxd';
import { clearRequestHook, expireOn, nth, whenRequested } from '../helpers/manual-clock.js';
import type { TestBed } from '../helpers/testbed.js';
import { fwd, scenario, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('tunnel');
let bed: TestBed;
const daemonBackend = () => bed.kube.cluster.setBackend((pod, port) => (pod.labels.app === 'flux' && port === 3030 ? { host: '127.0.0.1', port: bed.fluxd.port } : null));
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = sampleState();
  bed.fluxd.clearFaults();
  bed.fluxd.requests.length = 0;
  clearRequestHook(bed.fluxd.requests); // a hook that never fired
  bed.kube.requests.length = 0;
  clearRequestHook(bed.kube.requests);
  bed.kube.faults.reset();
  daemonBackend();
});

const upgrades = () => bed.kube.requests.filter((q) => q.upgrade);
const listAll = (extra: string[] = []) => () => bed.run(['list-workloads', ...fwd, '-a', ...extra]);

/** The daemon pod's name. */
const daemonPod = (): string => bed.kube.cluster.list('pods', 'flux').find((p) => p.metadata.name.startsWith('flux-') && !p.metadata.name.startsWith('flux-memcached'))?.metadata.name ?? '';

/** Runs `fn` once, as the daemon receives the first request for `path` (before it answers). */
const onRequest = (path: string, fn: () => void): void => whenRequested(bed.fluxd.requests, nth(path), fn);

describe('the port-forward tunnel', () => {
  it('upgrade rejected by the kubelet: its text body is shown', async () => {
    bed.kube.faults.rejectUpgrade({ status: 500, body: 'rpc error: code = Unknown desc = sandbox container is not running', contentType: 'text/plain' });
    await scenario(col, 'upgrade rejected: 500 text from the kubelet', listAll(), {
      code: 3,
      message: /^Error: the port-forward to pod flux\/flux-[a-z0-9-]+ was refused: HTTP 500: rpc error: code = Unknown desc = sandbox container is not running$/,
    });
  });

  it('upgrade rejected by the API server: the Status message is shown', async () => {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'error dialing backend: dial tcp 10.0.0.5:10250: i/o timeout', reason: 'InternalError', code: 500 };
    bed.kube.faults.rejectUpgrade({ status: 500, body: JSON.stringify(status), contentType: 'application/json' });
    await scenario(col, 'upgrade rejected: 500 Status (error dialing backend)', listAll(), {
      code: 3,
      message: /^Error: the port-forward to pod flux\/flux-[a-z0-9-]+ was refused: HTTP 500: error dialing backend: dial tcp 10\.0\.0\.5:10250: i\/o timeout$/,
    });
  });

  it('nothing listens on 3030: the error-channel text is shown', async () => {
    bed.kube.cluster.setBackend(() => null);
    await scenario(col, 'error channel: nothing listening on 3030', listAll(), {
      code: 3,
      message: /^Error: the daemon in pod flux\/flux-[a-z0-9-]+ is not reachable on port 3030: error forwarding port 3030 to pod [0-9a-f]+, uid : failed to connect to localhost:3030 .*connection refused$/,
    });
  });

  it('closed abnormally mid-response, every time: an error after one retry (no hang)', async () => {
    bed.kube.faults.dropTunnelAfterBytes(40);
    await scenario(col, 'WebSocket dropped (1006) mid-response on every tunnel: GET retried once, then fails', listAll(), {
      code: 1,
      message: /^Error: the port-forward to pod flux\/flux-[a-z0-9-]+ closed abnormally \(WebSocket code 1006\) \(GET \/v\d+\/services, also on the retry over a fresh connection\)$/,
    });
    expect(upgrades()).toHaveLength(2);
  });

  it('closed abnormally on the first tunnel only: the retried GET succeeds over a fresh tunnel', async () => {
    const clean = await bed.run(['list-workloads', ...fwd, '-a']);
    expect(clean.code).toBe(0);
    bed.kube.requests.length = 0;
    bed.fluxd.requests.length = 0;
    bed.kube.faults.dropTunnelAfterBytes(40, 1);
    await scenario(col, 'WebSocket dropped on the first tunnel only: the GET retry succeeds', listAll(), { code: 0, message: '', stdout: clean.stdout });
    expect(upgrades()).toHaveLength(2);
    expect(bed.fluxd.requests.filter((q) => q.path.endsWith('/services'))).toHaveLength(2);
  });

  it('closed abnormally in the answer to a POST: not retried, and the outcome is unknown', async () => {
    bed.fluxd.state = emptyState({ git: gitState({ commits: [commit('change'), commit('base')] }), sync: { jobPolls: 1, applyPolls: 1 } });
    bed.kube.faults.dropTunnelAfterBytes(20);
    const r = await scenario(col, 'WebSocket dropped in the answer to POST /v9/git-repo-config (sync)', () => bed.run(['sync', ...fwd]), {
      code: 1,
      message: /^Error: the port-forward to pod flux\/flux-[a-z0-9-]+ closed abnormally \(WebSocket code 1006\) \(POST \/v9\/git-repo-config\); whether the daemon carried out the request is unknown$/,
    });
    expect(bed.fluxd.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v9/git-repo-config']);
    expect(r.stderr).toContain('hint: check the outcome');
  });

  it('the daemon pod is replaced in the middle of a command: the tunnel finds the new pod', async () => {
    bed.fluxd.state = sampleState();
    // The first answer never comes: a rollout replaces the pod while it is awaited (its tunnel
    // closes), so the GET is retried, the old pod is gone (404), and the selector finds the new one.
    bed.fluxd.inject('GET /v6/services', { hang: true, times: 1 });
    const old = daemonPod();
    onRequest('/v6/services', () => bed.kube.cluster.deletePod('flux', old, { replace: true }));
    await scenario(col, 'daemon pod replaced while list-workloads waits: found again, retried', () => bed.run(['list-workloads', ...fwd, '-a', '--timeout', '5s']), {
      code: 0,
      timeoutMs: 5000,
      message: '',
      stdout: /podinfo:deployment\/podinfo/,
    });
    const upgrades = bed.kube.requests.filter((q) => q.upgrade).map((q) => q.path.split('/')[6]);
    expect(upgrades[0]).toBe(old);
    expect(upgrades.at(-1)).not.toBe(old);
  });

  it('the daemon pod is deleted for good in the middle of a command', async () => {
    bed.fluxd.state = emptyState({ git: gitState({ commits: [commit('change'), commit('base')] }), sync: { jobPolls: 50, applyPolls: 1 } });
    bed.fluxd.inject('GET /v6/jobs', { hang: true, times: 1 });
    const old = daemonPod();
    let deleted = false;
    onRequest('/v6/jobs', () => {
      bed.kube.cluster.deletePod('flux', old);
      deleted = true;
    });
    // --timeout runs out as the CLI looks for the pod's replacement.
    const clock = expireOn(bed.kube.requests, (q) => deleted && q.method === 'GET' && q.path === '/api/v1/namespaces/flux/pods');
    await scenario(col, 'daemon pod deleted for good while sync polls its job: waits for a new one until --timeout', () => bed.run(['sync', ...fwd, '--timeout', '1s'], { clock }), {
      code: 3,
      message: `Error: pod flux/${old} went away and no new daemon pod was Running within --timeout (1s)`,
    });
  });
});
