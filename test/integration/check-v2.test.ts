import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFlux2Bed, type Flux2Bed } from '../helpers/testbed-v2.js';

let bed: Flux2Bed;
beforeAll(async () => {
  bed = await startFlux2Bed();
});
afterAll(() => bed.close());
beforeEach(async () => {
  bed.kube.faults.reset();
  for (const [kind, id] of [['GitRepository', 'flux-system/flux-system'], ['Kustomization', 'flux-system/apps']] as const) bed.flux.clearFailure(kind, id);
  await bed.flux.reconcile('GitRepository', 'flux-system/flux-system');
  await bed.flux.reconcile('Kustomization', 'flux-system/apps');
});

interface Check {
  name: string;
  status: string;
  message: string;
  hint?: string;
  details?: string[];
}
const json = async (argv: string[] = []): Promise<{ code: number; checks: Check[] }> => {
  const r = await bed.run(['check', '-o', 'json', ...argv]);
  return { code: r.code, checks: JSON.parse(r.stdout) as Check[] };
};
const byName = (checks: Check[], name: string): Check | undefined => checks.find((c) => c.name === name);

describe('fluxctl check on Flux v2', () => {
  it('a healthy install: controllers, permissions, the root GitRepository and its Kustomizations (no daemon-api layer)', async () => {
    const r = await bed.run(['check']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf(':')))).toEqual(['[ok]   kubeconfig', '[ok]   api-server', '[ok]   flux', '[ok]   permissions', '[ok]   git', '[ok]   sync', '']);
    expect(lines[2]).toBe(
      '[ok]   flux: Flux v2.9.4 in "flux-system": 6 controllers ready (helm-controller v1.6.3, image-automation-controller v1.2.4, image-reflector-controller v1.2.4, kustomize-controller v1.9.4, notification-controller v1.9.3, source-controller v1.9.4); auto: no Flux v1 daemon pod in namespace "default", and the cluster serves the Flux v2 APIs (source.toolkit.fluxcd.io)',
    );
    expect(lines[3]).toBe('[ok]   permissions: all 11 permissions the commands need are granted');
    const revision = bed.flux.git(bed.sample?.url ?? '').head('main') ?? '';
    expect(lines[4]).toBe(`[ok]   git: GitRepository flux-system/flux-system (${bed.sample?.url}) is Ready at main@sha1:${revision}`);
    expect(lines[5]).toBe(`[ok]   sync: 2 Kustomization(s) applied ${revision.slice(0, 7)} and are Ready`);
  });

  it('RBAC denying Secrets only warns (identity needs them), with the kubectl auth can-i line; exit 0', async () => {
    bed.kube.faults.deny({ verb: 'get', resource: 'secrets' });
    const { code, checks } = await json();
    expect(code).toBe(0);
    expect(byName(checks, 'permissions')).toEqual({
      name: 'permissions',
      status: 'warn',
      message: '10 of 11 permissions granted; some commands will be refused',
      hint: 'only the commands named above need these',
      details: ['optional: kubectl auth can-i get secrets -n flux-system  (identity)'],
      seconds: expect.any(Number),
    });
  });

  it('RBAC denying what sync needs fails the permissions check with exit 3', async () => {
    bed.kube.faults.deny({ verb: 'patch', resource: 'kustomizations' });
    const { code, checks } = await json();
    expect(code).toBe(3);
    expect(byName(checks, 'permissions')?.details).toEqual(['missing: kubectl auth can-i patch kustomizations.kustomize.toolkit.fluxcd.io -n flux-system  (sync)']);
  });

  it('git unreachable (FetchFailed on a refused key): the controller\'s message and the deploy-key page; sync skipped; exit 1', async () => {
    const message = "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/acme/fleet-infra': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain";
    bed.flux.fail('GitRepository', 'flux-system/flux-system', { reason: 'GitOperationFailed', message });
    await bed.flux.reconcile('GitRepository', 'flux-system/flux-system');
    const r = await bed.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(4)).toEqual([
      '[FAIL] git: GitRepository flux-system/flux-system is not Ready: GitOperationFailed',
      `    ${message}`,
      '    hint: add the deploy key that fluxctl identity prints, with write access, at https://github.com/acme/fleet-infra/settings/keys',
      '[skip] sync: skipped: needs git',
      '',
    ]);
  });

  it('a Kustomization failing its health check is named with its reason and message; exit 1', async () => {
    bed.flux.fail('Kustomization', 'flux-system/apps', { reason: 'HealthCheckFailed', message: "health check failed after 30s: failed early due to stalled resources: [Deployment/frontend/web status: 'Failed']" });
    await bed.flux.reconcile('Kustomization', 'flux-system/apps');
    const { code, checks } = await json();
    expect(code).toBe(1);
    expect(byName(checks, 'sync')).toMatchObject({
      status: 'fail',
      message: 'a Kustomization is failing',
      details: ["Kustomization flux-system/apps: HealthCheckFailed: health check failed after 30s: failed early due to stalled resources: [Deployment/frontend/web status: 'Failed']"],
    });
  });

  it('a revision fetched but not applied yet is a warning naming both revisions; exit 0', async () => {
    bed.flux.fail('Kustomization', 'flux-system/apps', { reason: 'DependencyNotReady', message: "dependency 'flux-system/infra' is not ready", retry: false });
    const sha = bed.flux.git(bed.sample?.url ?? '').commit({ 'apps/prod/frontend/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: frontend\n' });
    await bed.flux.reconcile('GitRepository', 'flux-system/flux-system');
    await bed.flux.reconcile('Kustomization', 'flux-system/apps');
    const { code, checks } = await json();
    expect(code).toBe(0);
    const sync = byName(checks, 'sync');
    expect(sync?.status).toBe('warn');
    expect(sync?.details?.find((d) => d.startsWith('Kustomization flux-system/apps: applied '))).toMatch(new RegExp(`^Kustomization flux-system/apps: applied [0-9a-f]{7}, not ${sha.slice(0, 7)}$`));
  });

  it('--k8s-fwd-ns naming a namespace without Flux: the controllers are not found there (exit 3)', async () => {
    const { code, checks } = await json(['--flux-version', 'v2', '--k8s-fwd-ns', 'default']);
    expect(code).toBe(3);
    expect(byName(checks, 'flux')).toMatchObject({ status: 'fail', message: 'the Flux v2 APIs are served, but no Flux controller runs in namespace "default"; asked for with --flux-version v2' });
    expect(checks.slice(3).map((c) => c.status)).toEqual(['skip', 'skip', 'skip']);
  });
});
