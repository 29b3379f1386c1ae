import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, sampleState } from '@fluxctl/emulator/fluxd';
import { clearRequestHook, expireOn, nth } from '../helpers/manual-clock.js';
import type { TestBed } from '../helpers/testbed.js';
import { builtBin, checkResult, fwd, runBin, scenario, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('time');
let bed: TestBed;
beforeAll(async () => {
  builtBin();
  bed = await startBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = sampleState();
  bed.fluxd.clearFaults();
  bed.kube.faults.reset();
  bed.fluxd.requests.length = 0;
  bed.kube.requests.length = 0;
  clearRequestHook(bed.fluxd.requests);
  clearRequestHook(bed.kube.requests);
});

// In process, the --timeout clock is a ManualClock that runs out as the run reaches the wait
// a scenario is about: deterministic, whatever the machine's load. The built binary keeps the
// real clock, with a --timeout wide enough for a process start before the wait.
const T = ['--timeout', '1s'];
const BIN_T = ['--timeout', '3s'];
const daemonExpires = (match: Parameters<typeof nth>[0], n = 1) => ({ clock: expireOn(bed.fluxd.requests, nth(match, n)) });
type KubeRequest = TestBed['kube']['requests'][number];
const kubeExpires = (match: (q: KubeRequest) => boolean) => ({ clock: expireOn(bed.kube.requests, match) });
function syncState(sync: { jobPolls?: number; never?: boolean }) {
  const commits = [commit('change'), commit('base')];
  return emptyState({ git: gitState({ commits, syncMarker: commits[1]?.sha ?? null }), sync: { jobPolls: 1, applyPolls: 1, ...sync } });
}

describe('--timeout bounds every wait', () => {
  it('a daemon slower than --timeout (list-workloads): exits at the deadline', async () => {
    bed.fluxd.inject('*', { hang: true });
    const clock = { clock: expireOn(bed.fluxd.requests, () => true) };
    const r = await scenario(col, 'daemon never answers GET (list-workloads --timeout 1s)', () => bed.run(['list-workloads', ...fwd, ...T], clock), {
      code: 4,
      message: 'Error: timed out after 1s (--timeout)',
    });
    expect(r.stderr).toMatch(/\nhint: pod flux\/flux-[a-z0-9-]+ did not answer GET \/v6\/services in time: raise --timeout/);
  });

  it('sync: the POST is never answered: the outcome is unknown', async () => {
    bed.fluxd.state = syncState({});
    bed.fluxd.inject('POST /v9/update-manifests', { hang: true });
    const r = await scenario(col, 'sync: POST /v9/update-manifests never answered', () => bed.run(['sync', ...fwd, ...T], daemonExpires('/v9/update-manifests')), {
      code: 4,
      message: 'Error: timed out after 1s (--timeout) waiting for the answer to POST /v9/update-manifests; whether the daemon carried it out is unknown',
    });
    expect(r.stderr).toContain('hint: check the outcome');
  });

  it('sync: the job never finishes: the outcome is unknown, and how to check', async () => {
    bed.fluxd.state = syncState({ jobPolls: 1_000_000 });
    const r = await scenario(col, 'sync: the job never finishes', () => bed.run(['sync', ...fwd, ...T], daemonExpires('/v6/jobs', 2)), {
      code: 4,
      message: 'Error: timed out after 1s (--timeout) waiting for the sync job; its outcome is unknown',
    });
    expect(r.stderr).toMatch(/\nhint: .+/);
  });

  it('sync: the revision is never applied', async () => {
    bed.fluxd.state = syncState({ never: true });
    const r = await scenario(col, 'sync: the revision is never applied', () => bed.run(['sync', ...fwd, ...T], daemonExpires('/v6/sync', 2)), {
      code: 4,
      message: /^Error: timed out after 1s \(--timeout\) waiting for [0-9a-f]{7} to be applied; the outcome is unknown$/,
    });
    expect(r.stderr).toMatch(/\nhint: .+/);
  });

  it('release: the job never finishes', async () => {
    bed.fluxd.state.jobBehaviour = { polls: 1_000_000 };
    const release = ['release', ...fwd, ...T, '--workload=default:deployment/helloworld', '--update-all-images', '--user', 'ci'];
    const r = await scenario(col, 'release: the job never finishes', () => bed.run(release, daemonExpires('/v6/jobs', 2)), {
      code: 4,
      message: /^Error: timed out after 1s \(--timeout\) waiting for release job [0-9a-f-]+; its outcome is unknown$/,
    });
    expect(r.stderr).toContain('hint: check the cluster or the git log; retrying is safe');
  });

  it('the Kubernetes API never answers the pod list', async () => {
    bed.kube.faults.inject({ method: 'GET', path: '/api/v1/namespaces/flux/pods', hang: true });
    const podList = kubeExpires((q) => q.method === 'GET' && q.path === '/api/v1/namespaces/flux/pods');
    await scenario(col, 'API server never answers the pod list', () => bed.run(['list-workloads', ...fwd, ...T], podList), {
      code: 4,
      message: 'Error: timed out after 1s (--timeout)',
    });
  });

  it('the port-forward handshake never completes', async () => {
    bed.kube.faults.hangHandshake = true;
    const r = await scenario(col, 'port-forward handshake never completes', () => bed.run(['list-workloads', ...fwd, ...T], kubeExpires((q) => q.upgrade === true)), {
      code: 4,
      message: 'Error: timed out after 1s (--timeout)',
    });
    expect(r.stderr).toMatch(/\nhint: no connection to pod flux\/flux-[a-z0-9-]+ opened in time \(nothing was sent\)/);
  });

  it('the built binary ends by itself at the deadline (daemon never answers)', async () => {
    bed.fluxd.inject('*', { hang: true });
    const r = await runBin(['list-workloads', ...fwd, ...BIN_T], { env: { HOME: bed.home, KUBECONFIG: bed.kubeconfig } });
    col.record({ scenario: 'built binary: daemon never answers, --timeout 3s', code: r.code, ms: r.ms, message: r.stderr.split('\n')[0] ?? '' });
    checkResult(r, { code: 4, timeoutMs: 3000, message: 'Error: timed out after 3s (--timeout)' });
  });

  it('the built binary ends by itself when the sync POST is never answered', async () => {
    bed.fluxd.state = syncState({});
    bed.fluxd.inject('POST /v9/update-manifests', { hang: true });
    const r = await runBin(['sync', ...fwd, ...BIN_T], { env: { HOME: bed.home, KUBECONFIG: bed.kubeconfig } });
    col.record({ scenario: 'built binary: sync POST never answered, --timeout 3s', code: r.code, ms: r.ms, message: r.stderr.split('\n').find((l) => l.startsWith('Error:')) ?? '' });
    checkResult(r, { code: 4, timeoutMs: 3000, message: /^Error: timed out after 3s \(--timeout\) waiting for the answer to POST/ });
  });
});
