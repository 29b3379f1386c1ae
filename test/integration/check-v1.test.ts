import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, sampleState } from '@fluxctl/emulator/fluxd';
import { expireOn } from '../helpers/manual-clock.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed({ fluxdState: sampleState() });
});
afterAll(() => bed.close());
beforeEach(() => bed.kube.faults.reset());

const fwd = ['--k8s-fwd-ns', 'flux'];
/** The run's lines with the bed's temporary paths, port and pod suffix made stable. */
const stable = (text: string): string =>
  text
    .replaceAll(bed.kubeconfig, '<kubeconfig>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/flux-[a-z0-9]+-[a-z0-9]{5}\b/g, 'flux-<pod>');

const HEAD = [
  '[ok]   kubeconfig: <kubeconfig>, context "emulator", server https://127.0.0.1:<port>, no namespace (commands default to "default")',
  '[ok]   api-server: https://127.0.0.1:<port> answers (Kubernetes v1.32.4)',
];
const FOUND = '[ok]   flux: Flux v1 daemon pod flux/flux-<pod> (Running, docker.io/fluxcd/flux:1.25.4); auto: a Flux v1 daemon pod runs in namespace "flux"';

describe('fluxctl check on Flux v1', () => {
  it('a healthy install: every layer holds; commits not applied yet are a warning (exit 0), listed by short hash', async () => {
    const r = await bed.run(['check', ...fwd]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(stable(r.stdout).split('\n')).toEqual([
      ...HEAD,
      FOUND,
      '[ok]   permissions: all 6 permissions the commands need are granted',
      '[ok]   daemon-api: fluxd 1.25.4 answers through the tunnel',
      '[ok]   git: ssh://git@github.com/acme/cluster-config (branch main) is ready',
      '[warn] sync: 1 commit(s) on main not applied yet',
      `    ${bed.fluxd.state.git.commits[1]?.sha.slice(0, 7)}`,
      '    hint: the daemon applies them at its next sync; fluxctl sync applies them now',
      '',
    ]);
  });

  it('-o json: an array of {name, status, message, hint}, and a fixed number of requests', async () => {
    const before = bed.kube.requests.length;
    const r = await bed.run(['check', ...fwd, '-o', 'json']);
    expect(r.code).toBe(0);
    const checks = JSON.parse(r.stdout) as Array<{ name: string; status: string; message: string; hint?: string }>;
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['kubeconfig', 'ok'], ['api-server', 'ok'], ['flux', 'ok'], ['permissions', 'ok'], ['daemon-api', 'ok'], ['git', 'ok'], ['sync', 'warn'],
    ]);
    expect(checks[6]?.hint).toBe('the daemon applies them at its next sync; fluxctl sync applies them now');
    // /version, the pod list, the pod, 6 access reviews, the tunnel upgrade.
    const kinds = bed.kube.requests.slice(before).map((q) => `${q.method} ${q.path.replace(/flux-[a-z0-9-]+/, '<pod>')}`);
    expect(kinds).toEqual([
      'GET /version',
      'GET /api/v1/namespaces/flux/pods',
      'GET /api/v1/namespaces/flux/pods/<pod>',
      ...Array(6).fill('POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews'),
      'GET /api/v1/namespaces/flux/pods/<pod>/portforward',
    ]);
  });

  it('no Flux at all: fluxctl\'s "No pod found" text and the v2 probe, exit 3, the rest skipped', async () => {
    const r = await bed.run(['check', '--k8s-fwd-ns', 'nothing-here']);
    expect(r.code).toBe(3);
    expect(stable(r.stdout).split('\n').slice(2)).toEqual([
      '[FAIL] flux: No pod found in namespace "nothing-here" using the following selectors:',
      '      app=flux',
      '      name in (flux,fluxd,weave-flux-agent)',
      '    Make sure Flux is running in namespace "nothing-here".',
      '    If Flux is running in another different namespace, please supply it to --k8s-fwd-ns.',
      '    hint: searched with kubeconfig context "emulator"; set --k8s-fwd-ns and --k8s-fwd-labels, or pass --url',
      '    hint: no Flux v2 API (source.toolkit.fluxcd.io) was found either',
      '[skip] permissions: skipped: needs flux',
      '[skip] git: skipped: needs flux',
      '[skip] sync: skipped: needs git',
      '',
    ]);
  });

  it('the daemon pod Pending or in CrashLoopBackOff is named with its state', async () => {
    bed.kube.cluster.addPod('broken', { name: 'flux-0', labels: { app: 'flux' }, phase: 'Pending', waitingReason: 'CrashLoopBackOff' });
    const r = await bed.run(['check', '--k8s-fwd-ns', 'broken', '-o', 'json']);
    expect(r.code).toBe(3);
    const flux = (JSON.parse(r.stdout) as Array<{ name: string; status: string; details?: string[] }>).find((c) => c.name === 'flux');
    expect(flux?.status).toBe('fail');
    expect(flux?.details).toContain('Pods that match but are not Running:');
    expect(flux?.details).toContain('  flux-0 (Pending: CrashLoopBackOff)');
  });

  it('RBAC denying port-forward: the missing permission with its kubectl auth can-i line, exit 3', async () => {
    bed.kube.faults.deny({ verb: 'get', resource: 'pods', subresource: 'portforward' });
    const r = await bed.run(['check', ...fwd]);
    expect(r.code).toBe(3);
    const lines = stable(r.stdout).split('\n');
    expect(lines.slice(3, 6)).toEqual([
      '[FAIL] permissions: 1 of 6 permissions are missing',
      '    missing: kubectl auth can-i get pods/portforward -n flux  (the tunnel to the daemon)',
      '    hint: ask a cluster admin for a Role granting these (the README lists the RBAC rules fluxctl needs)',
    ]);
    expect(lines[6]).toMatch(/^\[FAIL\] daemon-api: pods "flux-<pod>" is forbidden: User "jane" cannot get resource "pods\/portforward"/);
    expect(lines.slice(-3)).toEqual(['[skip] git: skipped: needs daemon-api', '[skip] sync: skipped: needs git', '']);
  });

  it('a missing optional permission (set-interval\'s Deployment patch) is a warning: exit 0', async () => {
    bed.kube.faults.deny({ verb: 'patch', resource: 'deployments', namespace: 'flux' });
    const r = await bed.run(['check', ...fwd]);
    expect(r.code).toBe(0);
    expect(stable(r.stdout)).toContain(
      '[warn] permissions: 5 of 6 permissions granted; some commands will be refused\n    optional: kubectl auth can-i patch deployments.apps -n flux  (set-interval)\n',
    );
  });
});

describe('fluxctl check on Flux v1: git and sync failures', () => {
  let broken: TestBed;
  afterAll(() => broken?.close());

  it('git unreachable: the daemon\'s error in full and, for a refused key, where the deploy key goes (exit 1)', async () => {
    const state = sampleState();
    state.git.status = 'unreachable';
    state.git.errors = 'git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.';
    broken = await startTestBed({ fluxdState: state });
    const r = await broken.run(['check', ...fwd]);
    expect(r.code).toBe(1);
    const out = r.stdout.split('\n');
    expect(out.slice(5)).toEqual([
      '[FAIL] git: ssh://git@github.com/acme/cluster-config is unreachable',
      '    git@github.com: Permission denied (publickey).',
      '    fatal: Could not read from remote repository.',
      '    hint: add the deploy key that fluxctl identity prints, with write access, at https://github.com/acme/cluster-config/settings/keys',
      '[skip] sync: skipped: needs git',
      '',
    ]);
  });

  it('every commit applied: sync is ok', async () => {
    const state = sampleState();
    const head = commit('Only commit');
    state.git.commits = [head];
    state.git.syncMarker = head.sha;
    const synced = await startTestBed({ fluxdState: state });
    try {
      const r = await synced.run(['check', ...fwd]);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').at(-2)).toBe('[ok]   sync: every commit on main is applied');
    } finally {
      await synced.close();
    }
  });

  it('an API server that does not answer: the check names it and fails with exit 4 within --timeout', async () => {
    bed.kube.faults.inject({ method: 'GET', path: '/version', hang: true });
    const started = Date.now();
    // The --timeout clock runs out as /version is asked for (ManualClock): no race with the work before.
    const clock = expireOn(bed.kube.requests, (q) => q.path === '/version');
    const r = await bed.run(['check', ...fwd, '--timeout', '1s'], { clock });
    expect(r.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(10_000);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(/^\[FAIL\] api-server: timed out after 1s \(--timeout\)/);
    expect(lines.slice(2, -1).every((l) => l.startsWith('    ') || /^\[skip\] \w[\w-]*: skipped: (out of time \(--timeout\)|needs )/.test(l))).toBe(true);
  });
});
