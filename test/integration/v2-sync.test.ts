import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GenericObject, RecordedRequest } from '@fluxctl/emulator/kube';
import { stripAnsi } from '../helpers/run-cli.js';
import { startFlux2Bed, type Flux2Bed } from '../helpers/testbed-v2.js';
import { bumpApi, fluxCalls, GIT, KS, narration, NS, patches, requestSeen } from '../helpers/v2-sync.js';

/*
 * `fluxctl sync` against emulated Flux v2 controllers: the reconcile token on the root
 * GitRepository, then on the Kustomizations that apply it, fluxctl's narration, and the ways
 * the wait ends (a failure, a suspended object, controllers that never answer, RBAC).
 * Objects changing under a sync, finding the root and --watch: v2-sync-*.test.ts.
 */

const TOKEN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const HINT_SUSPENDED_GIT = 'hint: source-controller does not fetch it while suspended: resume it with flux resume source git flux-system -n flux-system\n';

describe('fluxctl sync on Flux v2', () => {
  let bed: Flux2Bed;
  beforeAll(async () => {
    bed = await startFlux2Bed();
  }, 30_000);
  afterAll(() => bed.close());
  afterEach(async () => {
    bed.kube.faults.reset();
    bed.flux.thaw();
    for (const [kind, id] of [['GitRepository', `${NS}/${NS}`], ['Kustomization', `${NS}/apps`], ['Kustomization', `${NS}/${NS}`]] as const) {
      bed.flux.clearFailure(kind, id);
      if (bed.flux.get(kind, id)?.spec.suspend) bed.flux.update(kind, id, (o) => delete o.spec.suspend);
    }
    await bed.flux.settled();
    bed.kube.requests.length = 0;
    expect(bed.flux.errors).toEqual([]);
  });

  it("fetches a new commit, applies it with fluxctl's exact narration, and writes one token under field manager fluxctl", async () => {
    const sha = bumpApi(bed, '2.4.0');
    bed.kube.requests.length = 0;
    // The product's own pace (tests otherwise poll 100× faster), so the request counts below are the real ones.
    const r = await bed.run(['sync'], { pollScale: 1 });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: narration(sha) });

    const [git, ...ks] = patches(bed);
    const token = (git?.body as { metadata: { annotations: Record<string, string> } }).metadata.annotations['reconcile.fluxcd.io/requestedAt'];
    expect(token).toMatch(TOKEN);
    for (const p of [git, ...ks]) {
      expect(p).toMatchObject({ query: { fieldManager: 'fluxctl' }, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': token } } } });
    }
    expect(ks.map((p) => p.path)).toEqual([`${KS}/namespaces/${NS}/kustomizations/apps`, `${KS}/namespaces/${NS}/kustomizations/${NS}`]);

    // The root is found, annotated and polled; the Kustomizations are listed once (cluster-wide), annotated and polled.
    const calls = fluxCalls(bed);
    const polls = (path: string) => calls.filter((c) => c === `GET ${path}`).length;
    expect(calls.slice(0, 2)).toEqual([`GET ${GIT}`, `PATCH ${GIT}/${NS}?fieldManager=fluxctl`]);
    expect(calls.filter((c) => c === `GET ${KS}/kustomizations`)).toHaveLength(1);
    expect(polls(`${GIT}/${NS}`)).toBeGreaterThanOrEqual(1);
    expect(polls(`${KS}/namespaces/${NS}/kustomizations/apps`)).toBeGreaterThanOrEqual(1);
    expect(calls).toHaveLength(5 + polls(`${GIT}/${NS}`) + 2 * polls(`${KS}/namespaces/${NS}/kustomizations/apps`));

    const revision = `main@sha1:${sha}`;
    expect(bed.flux.get('GitRepository', `${NS}/${NS}`)?.status).toMatchObject({ lastHandledReconcileAt: token, artifact: { revision } });
    for (const k of ['apps', NS]) expect(bed.flux.get('Kustomization', `${NS}/${k}`)?.status).toMatchObject({ lastHandledReconcileAt: token, lastAppliedRevision: revision });
    const api = bed.kube.cluster.get<GenericObject>('deployments', 'backend', 'api');
    expect(api?.spec).toMatchObject({ template: { spec: { containers: [{ image: 'ghcr.io/acme/api:2.4.0' }] } } });
  });

  it('re-applies the current revision when git has not changed (drift correction, as flux reconcile --with-source)', async () => {
    const before = bed.flux.reconciles.length;
    const r = await bed.run(['sync']);
    const sha = bed.sample!.repo.head()!;
    expect(r).toMatchObject({ code: 0, stderr: narration(sha) });
    const token = (patches(bed)[0]?.body as { metadata: { annotations: Record<string, string> } }).metadata.annotations['reconcile.fluxcd.io/requestedAt'];
    const ran = bed.flux.reconciles.slice(before).filter((x) => x.token === token).map((x) => `${x.kind} ${x.namespace}/${x.name} ${x.outcome}`);
    expect(ran.sort()).toEqual([`GitRepository ${NS}/${NS} Succeeded`, `Kustomization ${NS}/apps Succeeded`, `Kustomization ${NS}/${NS} Succeeded`]);
  });

  it('polls at most 2 requests a second while it waits', async () => {
    const at: number[] = [];
    const log = bed.kube.requests;
    const push = log.push.bind(log);
    (log as { push: (...q: RecordedRequest[]) => number }).push = (...q) => {
      at.push(...q.map(() => Date.now()));
      return push(...q);
    };
    try {
      bumpApi(bed, '2.4.1');
      const r = await bed.run(['sync'], { pollScale: 1 });
      expect(r.code).toBe(0);
    } finally {
      delete (log as { push?: unknown }).push;
    }
    const polls = log.flatMap((q, i) => (q.method === 'GET' && /\/(gitrepositories|kustomizations)\/[^/]+$/.test(q.path) ? [at[i]!] : []));
    expect(polls.length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i + 2 < polls.length; i++) expect(polls[i + 2]! - polls[i]!).toBeGreaterThanOrEqual(950);
  });

  it('shows a spinner and flux2-style steps on a TTY', async () => {
    const r = await bed.run(['sync'], { tty: { stdout: true, stderr: true } });
    expect(r.code).toBe(0);
    const rev = bed.sample!.repo.head()!.slice(0, 7);
    const text = stripAnsi(r.stderr);
    expect(text).toContain('► Synchronizing with ssh://git@github.com/acme/fleet-infra');
    expect(text).toContain(`► Revision of main to apply is ${rev}`);
    expect(text).toContain(`✔ Done: ${rev} is applied`);
  });

  it('-o json prints one result object with the full commit hash and no narration', async () => {
    const sha = bumpApi(bed, '2.4.2');
    const r = await bed.run(['sync', '-o', 'json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`{"url":"ssh://git@github.com/acme/fleet-infra","branch":"main","revision":"${sha}","applied":true}\n`);
  });

  it('refuses a suspended GitRepository before writing anything', async () => {
    bed.flux.update('GitRepository', `${NS}/${NS}`, (o) => (o.spec.suspend = true));
    const r = await bed.run(['sync']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `Error: GitRepository flux-system/flux-system is suspended\n${HINT_SUSPENDED_GIT}` });
    expect(patches(bed)).toEqual([]);
  });

  it('skips a suspended Kustomization with a warning and applies the others', async () => {
    bed.flux.update('Kustomization', `${NS}/apps`, (o) => (o.spec.suspend = true));
    const sha = bumpApi(bed, '2.4.3');
    const r = await bed.run(['sync']);
    const rev = sha.slice(0, 7);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(
      `Synchronizing with ssh://git@github.com/acme/fleet-infra\nRevision of main to apply is ${rev}\nWaiting for ${rev} to be applied ...\n` +
        'Warning: Kustomization flux-system/apps is suspended: skipping it (resume it with flux resume kustomization apps -n flux-system)\nDone.\n',
    );
    expect(patches(bed).map((p) => p.path)).toEqual([`${GIT}/${NS}`, `${KS}/namespaces/${NS}/kustomizations/${NS}`]);
  });

  it('fails fast when the fetch fails, naming the GitRepository, the reason and the message (exit 1, never Done.)', async () => {
    const message = "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/acme/fleet-infra': ssh: handshake failed: ssh: unable to authenticate";
    bed.flux.fail('GitRepository', `${NS}/${NS}`, { reason: 'GitOperationFailed', message });
    bumpApi(bed, '2.4.4');
    const r = await bed.run(['sync']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(
      `Synchronizing with ssh://git@github.com/acme/fleet-infra\nError: GitRepository flux-system/flux-system failed to fetch: GitOperationFailed: ${message}\n` +
        'hint: check the URL and that the deploy key (fluxctl identity) can read it; source-controller retries on its own; inspect it with: kubectl -n flux-system describe gitrepository flux-system\n',
    );
    expect(r.ms).toBeLessThan(3000);
  });

  it.each([
    ['HealthCheckFailed', "health check failed after 30s: timeout waiting for: [Deployment/backend/api status: 'InProgress']"],
    ['BuildFailed', "kustomize build failed: accumulating resources from 'backend/api.yaml': missing metadata.name"],
  ])('fails fast when a Kustomization reports %s, naming it, the reason and the message', async (reason, message) => {
    bed.flux.fail('Kustomization', `${NS}/apps`, { reason, message });
    const sha = bumpApi(bed, `2.5.${reason.length}`);
    const rev = sha.slice(0, 7);
    const r = await bed.run(['sync']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(
      `Synchronizing with ssh://git@github.com/acme/fleet-infra\nRevision of main to apply is ${rev}\nWaiting for ${rev} to be applied ...\n` +
        `Error: Kustomization flux-system/apps failed to apply ${rev}: ${reason}: ${message}\n` +
        'hint: kustomize-controller retries on its own; inspect it with: kubectl -n flux-system describe kustomization apps\n',
    );
  });

  it('fails on a stalled Kustomization', async () => {
    bed.flux.fail('Kustomization', `${NS}/apps`, { reason: 'InvalidCELExpression', message: 'failed to parse the CEL expression', stalled: true });
    const r = await bed.run(['sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('\nError: Kustomization flux-system/apps is stalled: InvalidCELExpression: failed to parse the CEL expression\nhint: kustomize-controller will not retry until its spec changes');
  });

  it('stops at --timeout naming the GitRepository when source-controller never answers (exit 4)', async () => {
    bed.flux.freeze();
    const r = await bed.run(['sync', '--timeout', '1s']);
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toBe(
      'Synchronizing with ssh://git@github.com/acme/fleet-infra\n' +
        'Error: timed out after 1s (--timeout) waiting for the revision of main; the outcome is unknown. Still pending:\n' +
        '  GitRepository flux-system/flux-system: source-controller has not handled the reconcile request yet\n' +
        'hint: source-controller may still answer: check with kubectl -n flux-system get gitrepository flux-system (or flux get sources git -n flux-system)\n',
    );
    expect(r.ms).toBeLessThan(2500);
  });

  it('stops at --timeout naming each Kustomization still pending when kustomize-controller never answers', async () => {
    const sha = bumpApi(bed, '2.6.0');
    const rev = sha.slice(0, 7);
    // Let the fetch through, then stop the controllers once the Kustomizations are annotated.
    const running = bed.run(['sync', '--timeout', '3s']);
    await requestSeen(bed, (q) => q.method === 'PATCH' && q.path.endsWith('/kustomizations/apps'));
    bed.flux.freeze();
    const r = await running;
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toContain(
      `Waiting for ${rev} to be applied ...\nError: timed out after 3s (--timeout) waiting for ${rev} to be applied; the outcome is unknown. Still pending:\n` +
        '  Kustomization flux-system/apps: ',
    );
    expect(r.stderr).toMatch(/\n {2}Kustomization flux-system\/flux-system: .+\nhint: kustomize-controller carries on: check with flux get kustomizations -A \(or kubectl get kustomizations -A\)\n$/);
  });

  it('names the verb and resource when RBAC forbids the reconcile request (exit 3)', async () => {
    bed.kube.faults.deny({ verb: 'patch', resource: 'gitrepositories' });
    const r = await bed.run(['sync']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Synchronizing with ssh:\/\/git@github.com\/acme\/fleet-infra\nError: .*cannot patch resource "gitrepositories" in API group "source.toolkit.fluxcd.io"/);
  });

  it('names the verb and resource when RBAC forbids annotating the Kustomizations (exit 3, never Done.)', async () => {
    bed.kube.faults.deny({ verb: 'patch', resource: 'kustomizations' });
    const r = await bed.run(['sync']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Error: .*cannot patch resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io"/);
    expect(r.stderr).not.toContain('Done.');
  });

  it('finds the root Kustomizations in its own namespace when listing across namespaces is forbidden', async () => {
    const message = 'kustomizations.kustomize.toolkit.fluxcd.io is forbidden: User "jane" cannot list resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" at the cluster scope';
    bed.kube.faults.inject({ method: 'GET', path: `${KS}/kustomizations`, status: 403, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'Forbidden', code: 403 } });
    const r = await bed.run(['sync']);
    expect(r).toMatchObject({ code: 0, stderr: narration(bed.sample!.repo.head()!) });
    expect(fluxCalls(bed).filter((c) => c.startsWith(`GET ${KS}/`) && c.endsWith('kustomizations'))).toEqual([`GET ${KS}/kustomizations`, `GET ${KS}/namespaces/${NS}/kustomizations`]);
  });
});
