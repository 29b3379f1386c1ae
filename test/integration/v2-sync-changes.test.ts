import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlux2Bed, type Flux2Bed } from '../helpers/testbed-v2.js';
import { sharedFlux2Bed } from '../helpers/v2-bed.js';
import { bumpApi, editGit, GIT, narration, NS, patches, requestSeen, type Obj } from '../helpers/v2-sync.js';

/* `fluxctl sync` on Flux v2 while objects change under it, and when the root is not found; also Flux v2.0. */
describe('fluxctl sync on Flux v2: objects that change under it', () => {
  const bed = sharedFlux2Bed();

  const INFRA = { 'infra/prod/namespace.yaml': [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra' } }] };

  /** Another Kustomization of the root repository, created by hand (kubectl apply) while fluxctl may be waiting. */
  const addKustomization = (name: string): void => {
    bed.kube.cluster.write('kustomizations.kustomize.toolkit.fluxcd.io', {
      metadata: { name, namespace: NS },
      spec: { interval: '10m0s', path: './infra/prod', prune: true, sourceRef: { kind: 'GitRepository', name: NS } },
    }, { fieldManager: 'kubectl-client-side-apply' });
  };

  it('keeps waiting on DependencyNotReady and finishes once the dependency is Ready', async () => {
    editGit(bed, 'clusters/prod/apps.yaml', (docs) => {
      const apps = docs.find((d) => d.kind === 'Kustomization') as { spec: Obj };
      apps.spec.dependsOn = [{ name: 'infra' }];
    });
    const sha = bed.sample!.repo.commit(INFRA);
    const running = bed.run(['sync', '--timeout', '20s'], { pollScale: 1 });
    // apps waits for a Kustomization that does not exist yet; it appears while fluxctl waits.
    await requestSeen(bed, (q) => q.method === 'GET' && q.path.endsWith('/kustomizations/apps'), 2);
    expect(bed.flux.get('Kustomization', `${NS}/apps`)?.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False', reason: 'DependencyNotReady' }));
    addKustomization('infra');
    const r = await running;
    expect(r).toMatchObject({ code: 0, stderr: narration(sha) });
    expect(bed.flux.get('Kustomization', `${NS}/apps`)?.status).toMatchObject({ lastAppliedRevision: `main@sha1:${sha}` });
  });

  it('accepts the newer revision the source fetched while a Kustomization waited, with a warning', async () => {
    bed.sample!.repo.commit(INFRA);
    const first = editGit(bed, 'clusters/prod/apps.yaml', (docs) => {
      ((docs.find((d) => d.kind === 'Kustomization') as { spec: Obj }).spec).dependsOn = [{ name: 'infra2' }];
    });
    const running = bed.run(['sync', '--timeout', '20s'], { pollScale: 1 });
    await requestSeen(bed, (q) => q.method === 'GET' && q.path.endsWith('/kustomizations/apps'), 2);
    // A push lands and source-controller fetches it before apps can apply anything.
    const second = bed.sample!.repo.commit({ 'README.md': '# fleet\n' });
    await bed.flux.reconcile('GitRepository', `${NS}/${NS}`);
    addKustomization('infra2');
    const r = await running;
    const rev = first.slice(0, 7);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(
      `Synchronizing with ssh://git@github.com/acme/fleet-infra\nRevision of main to apply is ${rev}\nWaiting for ${rev} to be applied ...\n` +
        `Warning: Kustomization flux-system/apps applied ${second.slice(0, 7)}, a newer revision the source fetched meanwhile\nDone.\n`,
    );
  });

  it('names a Kustomization deleted while it waits (exit 1)', async () => {
    bed.sample!.repo.commit(INFRA);
    addKustomization('doomed');
    await bed.flux.settled();
    const sha = bumpApi(bed, '3.0.0');
    const running = bed.run(['sync']);
    await requestSeen(bed, (q) => q.method === 'PATCH' && q.path.endsWith('/kustomizations/doomed'));
    bed.kube.cluster.remove('kustomizations.kustomize.toolkit.fluxcd.io', NS, 'doomed');
    const r = await running;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`\nError: Kustomization flux-system/doomed was deleted while waiting for it to apply ${sha.slice(0, 7)}\nhint: if git or another tool recreates it, run fluxctl sync again\n`);
  });

  it('names the GitRepository deleted while it waits (exit 1)', async () => {
    bed.flux.freeze();
    const running = bed.run(['sync']);
    await requestSeen(bed, (q) => q.method === 'PATCH' && q.path === `${GIT}/${NS}`);
    bed.kube.cluster.remove('gitrepositories.source.toolkit.fluxcd.io', NS, NS);
    const r = await running;
    bed.flux.thaw();
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(
      'Synchronizing with ssh://git@github.com/acme/fleet-infra\nError: GitRepository flux-system/flux-system was deleted while waiting for it to fetch\nhint: if git or another tool recreates it, run fluxctl sync again\n',
    );
  });
});

describe('fluxctl sync on Flux v2: finding the root', () => {
  let bed: Flux2Bed;
  beforeAll(async () => {
    bed = await startFlux2Bed();
    bed.kube.cluster.addNamespace('team');
    for (const name of ['alpha', 'beta']) {
      bed.kube.cluster.write('gitrepositories.source.toolkit.fluxcd.io', {
        metadata: { name, namespace: 'team' },
        spec: { interval: '5m', url: `https://github.com/acme/${name}`, ref: { branch: 'main' } },
      });
    }
  }, 30_000);
  afterAll(() => bed.close());

  it('fails like "Ambiguous pod" when the namespace has several GitRepositories and none named like it, listing them', async () => {
    const r = await bed.run(['sync', '--k8s-fwd-ns', 'team']);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toContain('Ambiguous GitRepository: found more than one in namespace "team" and none named "team":\n  team/alpha  https://github.com/acme/alpha\n  team/beta  https://github.com/acme/beta\n');
    expect(patches(bed)).toEqual([]);
  });

  it('says which namespaces have a GitRepository when the given one has none', async () => {
    bed.kube.cluster.addNamespace('empty');
    const r = await bed.run(['sync', '--k8s-fwd-ns', 'empty']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Error: no Flux v2 GitRepository found in namespace "empty"; namespaces that have one: flux-system, team\n');
  });
});

describe('fluxctl sync on the oldest supported Flux v2 (v2.0.0), in a custom namespace', () => {
  let bed: Flux2Bed;
  beforeAll(async () => {
    bed = await startFlux2Bed({ version: 'v2.0.0', namespace: 'gitops' });
  }, 30_000);
  afterAll(() => bed.close());

  it('syncs with the same narration, at the API versions v2.0 serves', async () => {
    const sha = bed.sample!.repo.commit({ 'README.md': '# fleet\n' });
    const r = await bed.run(['sync'], { env: { FLUX_SYSTEM_NAMESPACE: 'gitops' } });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: narration(sha) });
    const written = patches(bed).map((p) => p.path);
    expect(written[0]).toMatch(/^\/apis\/source\.toolkit\.fluxcd\.io\/v1\/namespaces\/gitops\/gitrepositories\/gitops$/);
    expect(written.slice(1)).toEqual(['/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/gitops/kustomizations/apps', '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/gitops/kustomizations/gitops']);
  });
});
