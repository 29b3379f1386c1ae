import { describe, expect, it } from 'vitest';
import { stripActivity, stripAnsi } from '../helpers/run-cli.js';
import { startFlux2Bed } from '../helpers/testbed-v2.js';
import { listingRequests, sharedFlux2Bed } from '../helpers/v2-bed.js';

/*
 * list-images on Flux v2 against the sample fleet: frontend:deployment/web's `web` container is
 * scanned by ImageRepository flux-system/web (registry tags 1.3.0 … 2.0.0-rc.1, sha-1a2b3c4 and
 * an excluded .sig) and ImagePolicy flux-system/web (semver ^1.0.0 → 1.4.2); nothing else is.
 */

const bed = sharedFlux2Bed({ contextNamespace: 'frontend' });

/** The run's requests after the Flux v1 pod lookup and discovery, sorted. */
const listing = (): string[] => listingRequests(bed);

const IMAGE_LISTS = [
  'GET /apis/image.toolkit.fluxcd.io/v1/imagepolicies',
  'GET /apis/image.toolkit.fluxcd.io/v1/imagerepositories',
  'GET /apis/image.toolkit.fluxcd.io/v1/imageupdateautomations',
];

const WEB =
  'WORKLOAD                 CONTAINER  IMAGE                       CREATED\n' +
  'frontend:deployment/web  web        ghcr.io/acme/web            \n' +
  '                                    |   sha-1a2b3c4             \n' +
  '                                    |   2.0.0-rc.1              \n' +
  "                                    '-> 1.4.2                   \n" +
  '                                        1.4.1                   \n' +
  '                                        1.4.0                   \n' +
  '                                        1.3.0                   \n' +
  '                         envoy      docker.io/envoyproxy/envoy  image data not available\n' +
  "                                    '-> v1.29.1                 ?\n";

const FORBIDDEN_POLICIES = {
  kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403,
  message: 'imagepolicies.image.toolkit.fluxcd.io is forbidden: User "jane" cannot list resource "imagepolicies" in API group "image.toolkit.fluxcd.io" at the cluster scope',
};

describe('fluxctl list-images on Flux v2', () => {
  it('-w shows the scanned tags in alphabetical order, CREATED empty, the running one marked', async () => {
    const r = await bed.run(['list-images', '-w', 'frontend:deployment/web']);
    expect(r).toMatchObject({ code: 0, stdout: WEB, stderr: '' });
    // One LIST for the workload (by field selector), the image kinds cluster-wide.
    expect(listing()).toEqual(['GET /apis/apps/v1/namespaces/frontend/deployments?fieldSelector=metadata.name%3Dweb', ...IMAGE_LISTS].sort());
  });

  it('a namespace: every workload, `image data not available` where nothing scans the image', async () => {
    const r = await bed.run(['list-images', '-l', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'WORKLOAD                      CONTAINER  IMAGE                         CREATED\n' +
        'frontend:deployment/podinfo   podinfo    ghcr.io/stefanprodan/podinfo  image data not available\n' +
        "                                         '-> 6.5.4                     ?\n" +
        'frontend:deployment/web       web        ghcr.io/acme/web              \n' +
        '                                         |   sha-1a2b3c4               \n' +
        '                                         |   2.0.0-rc.1                \n' +
        "                                         '-> 1.4.2                     \n" +
        '                              envoy      docker.io/envoyproxy/envoy    image data not available\n' +
        "                                         '-> v1.29.1                   ?\n" +
        'frontend:helmrelease/podinfo                                           \n',
    );
    expect(listing()).toEqual([
      'GET /apis/apps/v1/namespaces/frontend/daemonsets', 'GET /apis/apps/v1/namespaces/frontend/deployments', 'GET /apis/apps/v1/namespaces/frontend/statefulsets',
      'GET /apis/batch/v1/namespaces/frontend/cronjobs', 'GET /apis/helm.toolkit.fluxcd.io/v2/namespaces/frontend/helmreleases', ...IMAGE_LISTS,
    ].sort());
  });

  it('-a covers every namespace in the same number of calls', async () => {
    const r = await bed.run(['list-images', '-a', '--no-headers']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^\S/.test(l)).map((l) => l.split(' ')[0])).toEqual([
      'backend:cronjob/backup', 'backend:deployment/api', 'backend:deployment/debug', 'backend:statefulset/postgres',
      'flux-system:deployment/helm-controller', 'flux-system:deployment/image-automation-controller', 'flux-system:deployment/image-reflector-controller',
      'flux-system:deployment/kustomize-controller', 'flux-system:deployment/notification-controller', 'flux-system:deployment/source-controller',
      'frontend:deployment/podinfo', 'frontend:deployment/web', 'frontend:helmrelease/podinfo', 'monitoring:daemonset/node-exporter',
    ]);
    expect(listing()).toEqual([
      'GET /apis/apps/v1/daemonsets', 'GET /apis/apps/v1/deployments', 'GET /apis/apps/v1/statefulsets', 'GET /apis/batch/v1/cronjobs',
      'GET /apis/helm.toolkit.fluxcd.io/v2/helmreleases', ...IMAGE_LISTS,
    ].sort());
  });

  it('-o json: Available from the scan, the policy\'s choice as LatestFiltered, the tag count, no timestamps', async () => {
    const r = await bed.run(['list-images', '-w', 'frontend:deployment/web', '-o', 'json']);
    expect(r.code).toBe(0);
    const tags = ['sha-1a2b3c4', '2.0.0-rc.1', '1.4.2', '1.4.1', '1.4.0', '1.3.0'];
    expect(r.stdout).toBe(
      '[{"ID":"frontend:deployment/web","Containers":[{"Name":"web","Current":{"ID":"ghcr.io/acme/web:1.4.2","Labels":{}},' +
        '"LatestFiltered":{"ID":"ghcr.io/acme/web:1.4.2","Labels":{}},' +
        `"Available":[${tags.map((t) => `{"ID":"ghcr.io/acme/web:${t}","Labels":{}}`).join(',')}],"AvailableImagesCount":6},` +
        '{"Name":"envoy","Current":{"ID":"docker.io/envoyproxy/envoy:v1.29.1","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}}]}]\n',
    );
    const limited = JSON.parse((await bed.run(['list-images', '-w', 'frontend:deployment/web', '-o', 'json', '-l', '2'])).stdout) as Array<{ Containers: Array<{ Available?: unknown[] }> }>;
    expect(limited[0]?.Containers[0]?.Available).toHaveLength(2);
  });

  it('a HelmRelease is a row without containers, as fluxctl showed releases it could not read', async () => {
    const r = await bed.run(['list-images', '-w', 'frontend:helmrelease/podinfo']);
    expect(r).toMatchObject({ code: 0, stdout: 'WORKLOAD                      CONTAINER  IMAGE  CREATED\nfrontend:helmrelease/podinfo                    \n' });
    expect(listing()).toEqual(['GET /apis/helm.toolkit.fluxcd.io/v2/namespaces/frontend/helmreleases?fieldSelector=metadata.name%3Dpodinfo', ...IMAGE_LISTS].sort());
  });

  it('a workload that does not exist: the bare header (exit 0), and a note on a terminal', async () => {
    expect(await bed.run(['list-images', '-w', 'frontend:deployment/nope'])).toMatchObject({ code: 0, stdout: 'WORKLOAD  CONTAINER  IMAGE  CREATED\n', stderr: '' });
    expect((await bed.run(['list-images', '-w', 'frontend:deployment/nope', '-o', 'json'])).stdout).toBe('null\n');
    const tty = await bed.run(['list-images', '-w', 'deployment/nope'], { tty: { stdout: true, stderr: true } });
    expect(tty.code).toBe(0);
    expect(stripActivity(tty.stderr)).toBe('No workload frontend:deployment/nope found.\n');
    expect((await bed.run(['list-images', '-w', 'frontend:service/web'])).stdout).toBe('WORKLOAD  CONTAINER  IMAGE  CREATED\n');
  });

  it('on a terminal the running tag is marked the same way', async () => {
    const r = await bed.run(['list-images', '-w', 'frontend:deployment/web'], { tty: { stdout: true, stderr: true }, columns: 100 });
    expect(r.code).toBe(0);
    const plain = stripAnsi(r.stdout);
    expect(plain).toMatch(/'-> 1\.4\.2/);
    expect(plain).toMatch(/image data not available/);
  });

  it('a policy whose choice is not among the ten scanned tags still shows it', async () => {
    bed.flux.registry.setTags('ghcr.io/acme/web', ['1.4.2', ...Array.from({ length: 12 }, (_, i) => `z-${i}`)]);
    await bed.flux.reconcile('ImageRepository', 'flux-system/web');
    await bed.flux.reconcile('ImagePolicy', 'flux-system/web');
    try {
      const w = JSON.parse((await bed.run(['list-images', '-w', 'frontend:deployment/web', '-o', 'json', '-l', '0'])).stdout) as Array<{ Containers: Array<{ Available: Array<{ ID: string }>; AvailableImagesCount: number }> }>;
      const web = w[0]!.Containers[0]!;
      expect(web.AvailableImagesCount).toBe(13);
      expect(web.Available.map((i) => i.ID.split(':')[1])).toEqual(['z-9', 'z-8', 'z-7', 'z-6', 'z-5', 'z-4', 'z-3', 'z-2', 'z-11', 'z-10', '1.4.2']);
    } finally {
      bed.flux.registry.setTags('ghcr.io/acme/web', ['1.3.0', '1.4.0', '1.4.1', '1.4.2', '2.0.0-rc.1', 'sha-1a2b3c4', 'sha-1a2b3c4.sig']);
      await bed.flux.reconcile('ImageRepository', 'flux-system/web');
      await bed.flux.reconcile('ImagePolicy', 'flux-system/web');
    }
  });
});

describe('list-images on Flux v2: permissions and installations', () => {
  it('image kinds refused cluster-wide are read in the Flux namespace and the workload\'s', async () => {
    bed.kube.faults.inject({ method: 'GET', path: '/apis/image.toolkit.fluxcd.io/v1/imagepolicies', status: 403, body: FORBIDDEN_POLICIES });
    const r = await bed.run(['list-images', '-w', 'frontend:deployment/web']);
    expect(r).toMatchObject({ code: 0, stdout: WEB });
    expect(listing()).toContain('GET /apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imagepolicies');
    expect(listing()).toContain('GET /apis/image.toolkit.fluxcd.io/v1/namespaces/frontend/imagepolicies');
  });

  it('image kinds refused everywhere: the error names the verb and resource (exit 3)', async () => {
    bed.kube.faults.deny({ verb: 'list', resource: 'imagepolicies' });
    const r = await bed.run(['list-images', '-w', 'frontend:deployment/web']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Error: ${FORBIDDEN_POLICIES.message}\n`);
  });

  it('without the image controllers (not in a default install): `image data not available`, no image calls', async () => {
    const small = await startFlux2Bed({ components: ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'] });
    try {
      small.kube.requests.length = 0;
      const r = await small.run(['list-images', '-w', 'frontend:deployment/web']);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toBe(
        'WORKLOAD                 CONTAINER  IMAGE                       CREATED\n' +
          'frontend:deployment/web  web        ghcr.io/acme/web            image data not available\n' +
          "                                    '-> 1.4.2                   ?\n" +
          '                         envoy      docker.io/envoyproxy/envoy  image data not available\n' +
          "                                    '-> v1.29.1                 ?\n",
      );
      expect(small.kube.requests.some((q) => q.path.includes('image.toolkit'))).toBe(false);
    } finally {
      await small.close();
    }
  }, 30_000);

  it('Flux v2.0 (image kinds v1beta2, the policy\'s status.latestImage) gives the same answer', async () => {
    const old = await startFlux2Bed({ version: 'v2.0.0' });
    try {
      const policy = old.flux.get('ImagePolicy', 'flux-system/web');
      expect(policy?.status).toMatchObject({ latestImage: 'ghcr.io/acme/web:1.4.2' });
      expect(policy?.status).not.toHaveProperty('latestRef');
      const r = await old.run(['list-images', '-w', 'frontend:deployment/web']);
      expect(r).toMatchObject({ code: 0, stdout: WEB });
      expect(old.kube.requests.map((q) => q.path)).toContain('/apis/image.toolkit.fluxcd.io/v1beta2/imagepolicies');
      const json = JSON.parse((await old.run(['list-images', '-w', 'frontend:deployment/web', '-o', 'json'])).stdout) as Array<{ Containers: Array<{ LatestFiltered: { ID: string } }> }>;
      expect(json[0]?.Containers[0]?.LatestFiltered.ID).toBe('ghcr.io/acme/web:1.4.2');
    } finally {
      await old.close();
    }
  }, 30_000);
});
