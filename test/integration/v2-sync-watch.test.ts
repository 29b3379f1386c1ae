import { describe, expect, it } from 'vitest';
import type { GenericObject } from '@fluxctl/emulator/kube';
import { sharedFlux2Bed } from '../helpers/v2-bed.js';
import { editGit, narration, type Obj, requestSeen } from '../helpers/v2-sync.js';

/* `fluxctl sync --watch` on Flux v2: the rollouts of the workloads in the applied Kustomizations' inventories. */
describe('fluxctl sync --watch on Flux v2', () => {
  const bed = sharedFlux2Bed({}, {
    setUp: async (b) => {
      // apps stops waiting for its workloads (spec.wait: false), so rollouts go on after the sync.
      editGit(b, 'clusters/prod/apps.yaml', (docs) => {
        ((docs.find((d) => d.kind === 'Kustomization') as { spec: Obj }).spec).wait = false;
      });
      expect((await b.run(['sync'])).code).toBe(0);
    },
  });

  /** Changes the api Deployment in git: its image, and whether it is paused. */
  const setApi = (tag: string, paused: boolean): string =>
    editGit(bed, 'apps/prod/backend/api.yaml', ([d]) => {
      const spec = (d as { spec: Obj & { template: { spec: { containers: Obj[] } } } }).spec;
      (spec.template.spec.containers[0] as Obj).image = `ghcr.io/acme/api:${tag}`;
      spec.paused = paused;
    });

  it('says all workloads are ready when the applied inventories hold no rollout, reading them with list calls only', async () => {
    const r = await bed.run(['sync', '--watch']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${narration(bed.sample!.repo.head()!)}All workloads ready.\n`);
    const workloadGets = bed.kube.requests.filter((q) => q.method === 'GET' && /^\/apis\/(apps|batch)\/v1\/namespaces\/[^/]+\/[a-z]+\/[^/]+$/.test(q.path));
    expect(workloadGets).toEqual([]);
    const json = await bed.run(['sync', '--watch', '-o', 'json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(json.stdout).toBe(`{"url":"ssh://git@github.com/acme/fleet-infra","branch":"main","revision":"${bed.sample!.repo.head()!}","applied":true,"workloads":[]}\n`);
  });

  it('follows a rollout the sync started until it is ready', async () => {
    const sha = setApi('2.4.0', true);
    const running = bed.run(['sync', '--watch', '--timeout', '20s']);
    // The paused rollout holds until the watch has polled it once; then it is resumed.
    await requestSeen(bed, (q) => q.method === 'GET' && q.path.endsWith('/deployments'), 2);
    const api = bed.kube.cluster.get<GenericObject>('deployments', 'backend', 'api')!;
    const { resourceVersion: _rv, ...metadata } = api.metadata;
    bed.kube.cluster.write('deployments', { ...api, metadata, spec: { ...api.spec, paused: false } }, { fieldManager: 'kubectl-edit' });
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${narration(sha)}Monitoring rollout of backend:deployment/api ...\nRollout of backend:deployment/api: updating, 0/2 updated, 2 ready`);
    expect(r.stderr.endsWith('backend:deployment/api is ready\nAll workloads ready.\n')).toBe(true);
  });

  it('exits 1 naming a rollout that fails', async () => {
    bed.kube.cluster.setProgressDeadlineExceeded('backend', 'api', true);
    try {
      const sha = setApi('2.5.0', false);
      const r = await bed.run(['sync', '--watch', '--timeout', '20s']);
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr).toContain(`${narration(sha)}Monitoring rollout of backend:deployment/api ...\n`);
      expect(r.stderr).toMatch(/\nError: rollout of backend:deployment\/api failed:\n {2}ReplicaSet "api-[a-z0-9]+" has timed out progressing\.\n/);
    } finally {
      bed.kube.cluster.setProgressDeadlineExceeded('backend', 'api', false);
    }
  });
});
