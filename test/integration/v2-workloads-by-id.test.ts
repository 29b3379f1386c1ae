import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Toolkit } from '../../src/backends/toolkit/client.js';
import { createListing } from '../../src/backends/toolkit/listing.js';
import { Session } from '../../src/backends/toolkit/session.js';
import { resolveGlobals } from '../../src/context/globals.js';
import { connectKube, type KubeApi } from '../../src/kubernetes/api.js';
import { loadKubeconfig } from '../../src/kubernetes/kubeconfig.js';
import { startFlux2Bed, type Flux2Bed } from '../helpers/testbed-v2.js';

/*
 * workloadsById: what a rollout watch (sync --watch) polls on Flux v2. Fresh state of the named
 * workloads from one LIST per kind named; who manages them and which policies automate them
 * are read on the first call only.
 */

let bed: Flux2Bed;
let api: KubeApi;
const stop = new AbortController();
beforeAll(async () => {
  bed = await startFlux2Bed();
  const loaded = await loadKubeconfig({ env: { KUBECONFIG: bed.kubeconfig }, home: bed.home });
  api = await connectKube(loaded, { signal: stop.signal, env: {}, userAgent: 'fluxctl-test' });
}, 30_000);
afterAll(async () => {
  api.close();
  await bed.close();
});
beforeEach(() => {
  bed.kube.requests.length = 0;
});

const listing = (): ReturnType<typeof createListing> => createListing(new Session(new Toolkit(api, 'flux-system', stop.signal, () => undefined), resolveGlobals({}, {}, () => undefined)));
const requests = (): string[] => bed.kube.requests.map((q) => `${q.method} ${q.path}${q.rawQuery === '' ? '' : `?${q.rawQuery}`}`).sort();

const MANAGERS = [
  'GET /apis/helm.toolkit.fluxcd.io/v2/helmreleases',
  'GET /apis/image.toolkit.fluxcd.io/v1/imagepolicies',
  'GET /apis/image.toolkit.fluxcd.io/v1/imagerepositories',
  'GET /apis/image.toolkit.fluxcd.io/v1/imageupdateautomations',
  'GET /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
];

describe('workloadsById on Flux v2', () => {
  it('one LIST per kind named, narrowed to the namespace and name; the managers once', async () => {
    const byId = listing();
    const ids = ['frontend:deployment/web', 'backend:statefulset/postgres', 'frontend:helmrelease/podinfo', 'backend:deployment/api', 'frontend:service/web'];
    const first = await byId.workloadsById(ids);
    expect(first?.map((w) => `${w.ID} ${w.Status} ${w.Antecedent} ${[w.Automated && 'automated'].filter(Boolean).join()}`)).toEqual([
      'backend:deployment/api ready flux-system:kustomization/apps ',
      'backend:statefulset/postgres ready flux-system:kustomization/apps ',
      'frontend:deployment/web ready flux-system:kustomization/apps automated',
      'frontend:helmrelease/podinfo deployed flux-system:kustomization/apps ',
    ]);
    expect(requests()).toEqual(['GET /apis', 'GET /apis/apps/v1/deployments', 'GET /apis/apps/v1/namespaces/backend/statefulsets?fieldSelector=metadata.name%3Dpostgres', ...MANAGERS].sort());

    // Later polls: the workloads (and HelmReleases, which are rows too) only, and fresh.
    bed.kube.requests.length = 0;
    bed.kube.cluster.setProgressDeadlineExceeded('frontend', 'web', true);
    const web = bed.kube.cluster.get('deployments', 'frontend', 'web') as unknown as { spec: { template: { spec: { containers: Array<{ image: string }> } } } } & Record<string, unknown>;
    const changed = structuredClone(web);
    changed.spec.template.spec.containers[0]!.image = 'ghcr.io/acme/web:1.4.3';
    bed.kube.cluster.write('deployments', changed);
    try {
      const second = await byId.workloadsById(ids);
      expect(second?.find((w) => w.ID === 'frontend:deployment/web')?.Status).not.toBe('ready');
      expect(requests()).toEqual([
        'GET /apis/apps/v1/deployments', 'GET /apis/apps/v1/namespaces/backend/statefulsets?fieldSelector=metadata.name%3Dpostgres',
        'GET /apis/helm.toolkit.fluxcd.io/v2/helmreleases',
      ]);
    } finally {
      bed.kube.cluster.setProgressDeadlineExceeded('frontend', 'web', false);
      bed.kube.cluster.write('deployments', structuredClone(web));
    }
  });

  it('one workload of one kind is read by field selector in its namespace', async () => {
    const rows = await listing().workloadsById(['monitoring:daemonset/node-exporter']);
    expect(rows?.map((w) => w.ID)).toEqual(['monitoring:daemonset/node-exporter']);
    expect(requests()).toContain('GET /apis/apps/v1/namespaces/monitoring/daemonsets?fieldSelector=metadata.name%3Dnode-exporter');
  });

  it('deleted or unknown workloads are left out; none at all is null, and IDs of no workload kind cost nothing', async () => {
    expect(await listing().workloadsById(['backend:deployment/gone'])).toBeNull();
    bed.kube.requests.length = 0;
    expect(await listing().workloadsById(['backend:service/api', 'nonsense'])).toBeNull();
    expect(bed.kube.requests).toEqual([]);
  });
});
