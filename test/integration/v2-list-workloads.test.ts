import { describe, expect, it } from 'vitest';
import { stripActivity, stripAnsi } from '../helpers/run-cli.js';
import { startFlux2Bed } from '../helpers/testbed-v2.js';
import { listingRequests, sharedFlux2Bed } from '../helpers/v2-bed.js';

/*
 * list-workloads on Flux v2, end to end against the emulated cluster bootstrapped with the
 * sample fleet: Deployments, a StatefulSet, a DaemonSet and a CronJob applied by the `apps`
 * Kustomization, a HelmRelease and what it renders, the controllers (applied by flux-system),
 * image automation for frontend:deployment/web, and backend:deployment/debug made by hand.
 */

const bed = sharedFlux2Bed({ contextNamespace: 'backend' });

/** The requests a listing made, sorted (see listingRequests). */
const listing = (): string[] => listingRequests(bed);

const FLUX_LISTS = [
  'GET /apis/helm.toolkit.fluxcd.io/v2/helmreleases',
  'GET /apis/image.toolkit.fluxcd.io/v1/imagepolicies',
  'GET /apis/image.toolkit.fluxcd.io/v1/imagerepositories',
  'GET /apis/image.toolkit.fluxcd.io/v1/imageupdateautomations',
  'GET /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
];
const appLists = (ns: string): string[] => {
  const at = ns === '' ? '' : `/namespaces/${ns}`;
  return [`GET /apis/apps/v1${at}/daemonsets`, `GET /apis/apps/v1${at}/deployments`, `GET /apis/apps/v1${at}/statefulsets`, `GET /apis/batch/v1${at}/cronjobs`];
};
const expectedLists = (ns: string): string[] => [...appLists(ns), ...FLUX_LISTS].sort();

const FRONTEND =
  'WORKLOAD                      CONTAINER  IMAGE                               RELEASE   POLICY\n' +
  'frontend:deployment/podinfo   podinfo    ghcr.io/stefanprodan/podinfo:6.5.4  ready     \n' +
  'frontend:deployment/web       web        ghcr.io/acme/web:1.4.2              ready     automated\n' +
  '                              envoy      docker.io/envoyproxy/envoy:v1.29.1            \n' +
  'frontend:helmrelease/podinfo                                                 deployed  \n';

describe('fluxctl list-workloads on Flux v2', () => {
  it('-a lists every workload kind and the HelmReleases, with fluxctl\'s bytes, from nine LIST calls', async () => {
    const r = await bed.run(['list-workloads', '-a']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    await expect(r.stdout).toMatchFileSnapshot('../golden/list-workloads/v2-all.piped.txt');
    expect(r.stdout).toContain('backend:cronjob/backup                              backup         ghcr.io/acme/backup:0.9.1                          ready     \n');
    // Containers first, then init containers (api's migrate).
    expect(r.stdout).toContain('backend:deployment/api                              api            ghcr.io/acme/api:2.3.0                             ready     \n' +
      '                                                    migrate        ghcr.io/acme/api-migrate:2.3.0                               \n');
    expect(listing()).toEqual(expectedLists(''));
  });

  it('makes the same calls whatever the number of workloads: no GET per workload', async () => {
    bed.kube.cluster.addDeployments('bulk', 60, (i) => ({ name: `app-${i}`, containers: [{ name: 'app', image: `ghcr.io/acme/app:${i}` }] }));
    try {
      const r = await bed.run(['list-workloads', '-a', '-o', 'json']);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as unknown[]).length).toBeGreaterThan(60);
      expect(listing()).toEqual(expectedLists(''));
    } finally {
      for (let i = 0; i < 60; i++) bed.kube.cluster.remove('deployments', 'bulk', `app-${i}`, { cascade: true });
    }
  });

  it('-n confines the workloads to a namespace; their managers are still found cluster-wide', async () => {
    const r = await bed.run(['list-workloads', '-n', 'frontend']);
    expect(r).toMatchObject({ code: 0, stdout: FRONTEND, stderr: '' });
    expect(listing()).toEqual(expectedLists('frontend'));
  });

  it('defaults to the kubeconfig context\'s namespace', async () => {
    const r = await bed.run(['list-workloads', '--no-headers']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'backend:cronjob/backup        backup    ghcr.io/acme/backup:0.9.1        ready  \n' +
        'backend:deployment/api        api       ghcr.io/acme/api:2.3.0           ready  \n' +
        '                              migrate   ghcr.io/acme/api-migrate:2.3.0          \n' +
        'backend:deployment/debug      shell     docker.io/library/busybox:1.36   ready  \n' +
        'backend:statefulset/postgres  postgres  docker.io/library/postgres:16.2  ready  \n',
    );
    expect(listing()).toEqual(expectedLists('backend'));
  });

  it('-c keeps the workloads with a container of that name', async () => {
    const r = await bed.run(['list-workloads', '-a', '-c', 'envoy', '--no-headers']);
    expect(r.stdout).toBe(
      'frontend:deployment/web  web    ghcr.io/acme/web:1.4.2              ready  automated\n' +
        '                         envoy  docker.io/envoyproxy/envoy:v1.29.1         \n',
    );
  });

  it('-o json keeps v1\'s shape, with the managing Kustomization or HelmRelease as Antecedent', async () => {
    const r = await bed.run(['list-workloads', '-n', 'monitoring', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '[{"ID":"monitoring:daemonset/node-exporter","Containers":[{"Name":"node-exporter","Current":{"ID":"quay.io/prometheus/node-exporter:v1.7.0","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}}],' +
        '"ReadOnly":"","Status":"ready","Rollout":{"Desired":1,"Updated":1,"Ready":1,"Available":1,"Outdated":0,"Messages":null},"SyncError":"",' +
        '"Antecedent":"flux-system:kustomization/apps","Labels":{"app":"node-exporter","kustomize.toolkit.fluxcd.io/name":"apps","kustomize.toolkit.fluxcd.io/namespace":"flux-system"},' +
        '"Automated":false,"Locked":false,"Ignore":false,"Policies":{}}]\n',
    );
    const all = JSON.parse((await bed.run(['list-workloads', '-a', '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
    const byId = new Map(all.map((w) => [w.ID, w]));
    expect(byId.get('frontend:deployment/podinfo')).toMatchObject({ Antecedent: 'frontend:helmrelease/podinfo', ReadOnly: '' });
    expect(byId.get('frontend:helmrelease/podinfo')).toMatchObject({ Antecedent: 'flux-system:kustomization/apps', Status: 'deployed', Containers: [] });
    expect(byId.get('backend:deployment/debug')).toMatchObject({ Antecedent: '', ReadOnly: 'NotInRepo', Labels: null });
    expect(byId.get('flux-system:deployment/source-controller')).toMatchObject({ Antecedent: 'flux-system:kustomization/flux-system' });
    expect(byId.get('frontend:deployment/web')).toMatchObject({ Automated: true, Policies: { automated: 'true', 'imagepolicy.web': 'flux-system:web' } });
  });

  it('-o yaml prints the same model', async () => {
    const r = await bed.run(['list-workloads', '-n', 'frontend', '-c', 'web', '-o', 'yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^- ID: frontend:deployment\/web\n {2}Containers:\n {4}- Name: web\n/);
    expect(r.stdout).toContain('  Antecedent: flux-system:kustomization/apps\n');
    expect(r.stdout).toContain("  Policies:\n    automated: 'true'\n    imagepolicy.web: flux-system:web\n");
  });

  it('an empty namespace: the bare header piped, JSON null, and a note on a terminal', async () => {
    expect((await bed.run(['list-workloads', '-n', 'nowhere'])).stdout).toBe('WORKLOAD  CONTAINER  IMAGE  RELEASE  POLICY\n');
    expect((await bed.run(['list-workloads', '-n', 'nowhere', '-o', 'json'])).stdout).toBe('null\n');
    const tty = await bed.run(['list-workloads', '-n', 'nowhere'], { tty: { stdout: true, stderr: true } });
    expect(tty.code).toBe(0);
    expect(stripActivity(tty.stderr)).toBe('No workloads found in namespace "nowhere".\n');
  });

  it('draws the terminal table without borders', async () => {
    const r = await bed.run(['list-workloads', '-n', 'frontend'], { tty: { stdout: true, stderr: true }, columns: 120 });
    expect(r.code).toBe(0);
    const lines = stripAnsi(r.stdout).split('\n');
    expect(lines[0]).toMatch(/^WORKLOAD\s+CONTAINER\s+IMAGE\s+RELEASE\s+POLICY\s*$/);
    expect(lines.some((l) => /^frontend:deployment\/web\s+web\s+ghcr\.io\/acme\/web:1\.4\.2\s+ready\s+automated\s*$/.test(l))).toBe(true);
  });

  it('POLICY: a suspended Kustomization makes its workloads `ignore`, a suspended ImagePolicy `locked`', async () => {
    bed.flux.update('Kustomization', 'flux-system/apps', (k) => ((k.spec as Record<string, unknown>).suspend = true));
    bed.flux.update('ImagePolicy', 'flux-system/web', (p) => ((p.spec as Record<string, unknown>).suspend = true));
    try {
      const r = await bed.run(['list-workloads', '-n', 'frontend', '--no-headers']);
      expect(r.stdout).toBe(
        // What helm-controller renders is the HelmRelease's, whatever the HelmRelease's own Kustomization does.
        'frontend:deployment/podinfo   podinfo  ghcr.io/stefanprodan/podinfo:6.5.4  ready     \n' +
          'frontend:deployment/web       web      ghcr.io/acme/web:1.4.2              ready     ignore,locked\n' +
          '                              envoy    docker.io/envoyproxy/envoy:v1.29.1            \n' +
          'frontend:helmrelease/podinfo                                               deployed  ignore\n',
      );
    } finally {
      bed.flux.update('Kustomization', 'flux-system/apps', (k) => delete (k.spec as Record<string, unknown>).suspend);
      bed.flux.update('ImagePolicy', 'flux-system/web', (p) => delete (p.spec as Record<string, unknown>).suspend);
      // Resuming makes kustomize-controller apply git again: let it finish before the next test.
      await bed.flux.settled();
    }
  });

  it('a stalled rollout reads `error`, with the Deployment\'s message', async () => {
    const cluster = bed.kube.cluster;
    type Dep = { spec: { template: { spec: { containers: Array<{ image: string }> } } }; status: { conditions?: Array<{ type: string; status: string }> } };
    const setImage = (image: string): void => {
      const dep = structuredClone(cluster.get('deployments', 'backend', 'api')) as unknown as Dep & Record<string, unknown>;
      dep.spec.template.spec.containers[0]!.image = image;
      cluster.write('deployments', dep);
    };
    const stalled = (): boolean => ((cluster.get('deployments', 'backend', 'api') as unknown as Dep).status.conditions ?? []).some((c) => c.type === 'Progressing' && c.status === 'False');
    await bed.flux.settled();
    cluster.setProgressDeadlineExceeded('backend', 'api', true);
    setImage('ghcr.io/acme/api:2.4.0');
    try {
      for (let i = 0; i < 200 && !stalled(); i++) await new Promise((r) => setTimeout(r, 10));
      const rows = JSON.parse((await bed.run(['list-workloads', '-n', 'backend', '-o', 'json'])).stdout) as Array<{ ID: string; Status: string; Rollout: { Messages: string[] | null } }>;
      const api = rows.find((w) => w.ID === 'backend:deployment/api');
      expect(api?.Status).toBe('error');
      expect(api?.Rollout.Messages?.join('\n')).toMatch(/has timed out progressing/);
    } finally {
      cluster.setProgressDeadlineExceeded('backend', 'api', false);
      setImage('ghcr.io/acme/api:2.3.0');
    }
  });
});

describe('list-workloads on Flux v2: permissions and partial installations', () => {
  it('RBAC refusing the workload list fails naming the verb and resource (exit 3)', async () => {
    bed.kube.faults.deny({ verb: 'list', resource: 'statefulsets' });
    const r = await bed.run(['list-workloads', '-a']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Error: statefulsets.apps is forbidden: User "jane" cannot list resource "statefulsets" in API group "apps" at the cluster scope\n');
  });

  it('Kustomizations refused cluster-wide are listed in the Flux namespace and the one asked about', async () => {
    bed.kube.faults.inject({
      method: 'GET', path: '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations', status: 403,
      body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'kustomizations.kustomize.toolkit.fluxcd.io is forbidden: User "jane" cannot list resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" at the cluster scope' },
    });
    const r = await bed.run(['list-workloads', '-n', 'frontend']);
    expect(r).toMatchObject({ code: 0, stdout: FRONTEND, stderr: '' });
    expect(listing()).toEqual([...expectedLists('frontend'), 'GET /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations', 'GET /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/frontend/kustomizations'].sort());
  });

  it('without permission to read the Flux objects, the owner labels still name the manager', async () => {
    for (const resource of ['kustomizations', 'helmreleases', 'imagepolicies']) bed.kube.faults.deny({ verb: 'list', resource });
    const r = await bed.run(['list-workloads', '-n', 'monitoring', '-o', 'json', '--verbose']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([{ ID: 'monitoring:daemonset/node-exporter', Antecedent: 'flux-system:kustomization/apps', ReadOnly: '' }]);
    expect(r.stderr).toContain('cannot list resource "kustomizations"');
  });
});

describe('list-workloads on older and smaller Flux v2 installations', () => {
  it('Flux v2.0 (HelmRelease v2beta1, image kinds v1beta2) lists the same rows', async () => {
    const old = await startFlux2Bed({ version: 'v2.0.0' });
    try {
      const r = await old.run(['list-workloads', '-n', 'frontend']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^frontend:deployment\/web +web +ghcr\.io\/acme\/web:1\.4\.2 +ready +automated$/m);
      expect(r.stdout).toMatch(/^frontend:helmrelease\/podinfo +\S+ *$/m);
      const paths = old.kube.requests.map((q) => q.path);
      expect(paths).toContain('/apis/helm.toolkit.fluxcd.io/v2beta1/helmreleases');
      expect(paths).toContain('/apis/image.toolkit.fluxcd.io/v1beta2/imagepolicies');
    } finally {
      await old.close();
    }
  }, 30_000);

  it('without helm-controller and the image controllers: no HelmRelease rows, no calls for them', async () => {
    const small = await startFlux2Bed({ components: ['source-controller', 'kustomize-controller', 'notification-controller'] });
    try {
      small.kube.requests.length = 0;
      const r = await small.run(['list-workloads', '-n', 'frontend']);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toBe(
        'WORKLOAD                 CONTAINER  IMAGE                               RELEASE  POLICY\n' +
          'frontend:deployment/web  web        ghcr.io/acme/web:1.4.2              ready    \n' +
          '                         envoy      docker.io/envoyproxy/envoy:v1.29.1           \n',
      );
      expect(small.kube.requests.some((q) => q.path.includes('helm.toolkit') || q.path.includes('image.toolkit'))).toBe(false);
    } finally {
      await small.close();
    }
  }, 30_000);
});
