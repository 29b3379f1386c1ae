import { afterEach, describe, expect, it } from 'vitest';
import { expireOn, whenRequested } from '../helpers/manual-clock.js';
import { conflict, invalid } from '@fluxctl/emulator/kube';
import { CHART_ARGS, type TestBed } from '../helpers/testbed.js';
import { fwd, scenario, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('set-interval');
let bed: TestBed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});
async function start(): Promise<TestBed> {
  bed = await startBed();
  return bed;
}

const DEPLOYMENT = '/apis/apps/v1/namespaces/flux/deployments/flux';
const intervals = (b: TestBed): string[] =>
  ((b.kube.cluster.get('deployments', 'flux', 'flux') as { spec: { template: { spec: { containers: Array<{ name: string; args?: string[] }> } } } } | undefined)?.spec.template.spec.containers
    .find((c) => c.name === 'flux')
    ?.args ?? []).filter((a) => /^--(git-poll|sync)-interval=/.test(a));
const patches = (b: TestBed) => b.kube.requests.filter((r) => r.method === 'PATCH');
type KubeRequest = TestBed['kube']['requests'][number];

/** Runs `fn` once, as the API server receives the first request `match` accepts (before it answers). */
const onRequest = (b: TestBed, match: (q: KubeRequest, seen: readonly KubeRequest[]) => boolean, fn: () => void): void => whenRequested(b.kube.requests, match, fn);
/** A read of the Deployment after the PATCH: the rollout wait. */
const rolloutPoll = (q: KubeRequest, seen: readonly KubeRequest[]): boolean => q.method === 'GET' && q.path === DEPLOYMENT && seen.some((p) => p.method === 'PATCH');

describe('set-interval under faults', () => {
  it('409 Conflict once: re-read and retried', async () => {
    const b = await start();
    b.kube.faults.inject({ method: 'PATCH', path: DEPLOYMENT, status: 409, body: conflict('deployments', 'flux') });
    await scenario(col, '409 Conflict on the first PATCH: re-read, retried, applied', () => b.run(['set-interval', ...fwd, '2m', '--no-wait']), {
      code: 0,
      message: 'Deployment flux/flux, container flux',
      stdout: 'SETTING            BEFORE  AFTER\ngit-poll-interval  5m      2m\nsync-interval      5m      2m\n',
    });
    expect(patches(b).map((p) => p.status)).toEqual([409, 200]);
    expect(intervals(b)).toEqual(['--git-poll-interval=2m', '--sync-interval=2m']);
  });

  it('409 Conflict every time: gives up after its retries, nothing applied', async () => {
    const b = await start();
    b.kube.faults.inject({ method: 'PATCH', path: DEPLOYMENT, status: 409, body: conflict('deployments', 'flux'), times: 100 });
    await scenario(col, '409 Conflict on every PATCH: gives up', () => b.run(['set-interval', ...fwd, '2m', '--no-wait']), {
      code: 1,
      message: 'Error: could not patch deployment flux/flux: Operation cannot be fulfilled on deployments.apps "flux": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect(patches(b).length).toBe(5);
    expect(intervals(b)).toEqual(CHART_ARGS.filter((a) => /^--(git-poll|sync)-interval=/.test(a)));
  });

  it('422 Invalid: the field and its message are shown', async () => {
    const b = await start();
    const cause = { reason: 'FieldValueInvalid', message: 'Invalid value: "--sync-interval=2m": admission webhook "policy.acme.io" denied the request', field: 'spec.template.spec.containers[0].args[8]' };
    b.kube.faults.inject({ method: 'PATCH', path: DEPLOYMENT, status: 422, body: invalid('Deployment', 'apps', 'flux', [cause]) });
    const r = await scenario(col, '422 Invalid (admission webhook on args[8])', () => b.run(['set-interval', ...fwd, '2m', '--no-wait']), {
      code: 1,
      message: `Error: could not patch deployment flux/flux: Deployment.apps "flux" is invalid: ${cause.field}: ${cause.message}`,
    });
    expect(r.stderr).toContain(`\n  ${cause.field}: ${cause.message}\n`);
  });

  it('rollout stuck: ProgressDeadlineExceeded is a failure with the reason', async () => {
    const b = await start();
    b.kube.cluster.setProgressDeadlineExceeded('flux', 'flux', true);
    await scenario(col, 'rollout ProgressDeadlineExceeded', () => b.run(['set-interval', ...fwd, '1m', '--timeout', '5s']), {
      code: 1,
      timeoutMs: 5000,
      message: /^Error: deployment "flux" exceeded its progress deadline/,
    });
  });

  it('rollout slower than --timeout: 4, the intervals applied, the rollout unknown', async () => {
    const b = await start();
    // --timeout runs out as the CLI asks for the rollout's progress the first time.
    const clock = expireOn(b.kube.requests, rolloutPoll);
    const r = await scenario(col, 'rollout not finished by --timeout 1s', () => b.run(['set-interval', ...fwd, '1m', '--timeout', '1s'], { clock }), {
      code: 4,
      message: 'Error: timed out after 1s (--timeout) waiting for the rollout of deployment flux/flux; the new intervals were applied, but whether the daemon restarted is unknown',
    });
    expect(intervals(b)).toEqual(['--git-poll-interval=1m', '--sync-interval=1m']);
    expect(r.stderr).toMatch(/\nhint: check with: kubectl rollout status deployment\/flux -n flux\n$/);
  });

  it('Ctrl-C before the PATCH: nothing applied', async () => {
    const b = await start();
    b.kube.faults.inject({ method: 'GET', path: DEPLOYMENT, hang: true });
    const interrupt = new AbortController();
    onRequest(b, (q) => q.path === DEPLOYMENT, () => interrupt.abort());
    await scenario(col, 'Ctrl-C while reading the Deployment: nothing applied', () => b.run(['set-interval', ...fwd, '1m'], { interrupt: interrupt.signal }), { code: 130, hint: false, message: 'Error: interrupted' });
    expect(patches(b)).toEqual([]);
    expect(intervals(b)).toEqual(['--git-poll-interval=5m', '--sync-interval=5m']);
  });

  it('Ctrl-C while the PATCH is on its way: the outcome is named as unknown', async () => {
    const b = await start();
    b.kube.faults.inject({ method: 'PATCH', path: DEPLOYMENT, hang: true });
    const interrupt = new AbortController();
    onRequest(b, (q) => q.method === 'PATCH', () => interrupt.abort());
    const r = await scenario(col, 'Ctrl-C while the PATCH is unanswered: may or may not be applied', () => b.run(['set-interval', ...fwd, '1m'], { interrupt: interrupt.signal }), { code: 130, message: 'Error: interrupted' });
    expect(r.stderr).toMatch(/\nhint: the PATCH was on its way, so the new intervals may or may not be applied: check with fluxctl set-interval --k8s-fwd-ns flux\n$/);
    expect(patches(b)).toHaveLength(1);
  });

  it('Ctrl-C during the rollout: both intervals applied together, never one of them', async () => {
    const b = await start();
    const interrupt = new AbortController();
    onRequest(b, rolloutPoll, () => interrupt.abort());
    const r = await scenario(col, 'Ctrl-C during the rollout wait: one atomic PATCH, both intervals', () => b.run(['set-interval', ...fwd, '1m'], { interrupt: interrupt.signal }), { code: 130, message: 'Error: interrupted' });
    expect(r.stderr).toMatch(/\nhint: the new intervals were applied; follow the rollout with: kubectl rollout status deployment\/flux -n flux\n$/);
    expect(patches(b)).toHaveLength(1);
    expect(intervals(b)).toEqual(['--git-poll-interval=1m', '--sync-interval=1m']);
  });
});
