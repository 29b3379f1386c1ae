import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { resourceOf, type FluxObject } from '@fluxctl/emulator/flux2';
import type { Flux2Bed } from '../helpers/testbed-v2.js';
import { afterDetection, flux2BedPerTest, requestLine } from '../helpers/v2-bed.js';

const NS = 'flux-system';

const start = flux2BedPerTest();

/** Request lines after auto-detection found Flux v2, sorted (the lists run a few at a time). */
const listsAfterDetection = (b: Flux2Bed): string[] => afterDetection(b).map(requestLine).sort();
const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

const SAMPLE = `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  secretRef:
    name: flux-system
  url: ssh://git@github.com/acme/fleet-infra
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 1h0m0s
  url: https://stefanprodan.github.io/podinfo
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m0s
  path: ./apps/prod
  prune: true
  retryInterval: 2m0s
  sourceRef:
    kind: GitRepository
    name: flux-system
  timeout: 5m0s
  wait: true
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m0s
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: frontend
spec:
  chart:
    spec:
      chart: podinfo
      sourceRef:
        kind: HelmRepository
        name: podinfo
        namespace: flux-system
      version: 6.5.x
  interval: 10m0s
  values:
    replicaCount: 1
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: web
  namespace: flux-system
spec:
  image: ghcr.io/acme/web
  interval: 5m0s
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: web
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: web
  policy:
    semver:
      range: ^1.0.0
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: flux-system
  namespace: flux-system
spec:
  git:
    checkout:
      ref:
        branch: main
    commit:
      author:
        email: fluxcdbot@users.noreply.github.com
        name: fluxcdbot
      messageTemplate: "{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}"
    push:
      branch: main
  interval: 30m0s
  sourceRef:
    kind: GitRepository
    name: flux-system
  update:
    path: ./apps/prod
    strategy: Setters
`;

const ALL_LISTS = [
  'GET /apis',
  'GET /apis/helm.toolkit.fluxcd.io/v2/helmreleases',
  'GET /apis/image.toolkit.fluxcd.io/v1/imagepolicies',
  'GET /apis/image.toolkit.fluxcd.io/v1/imagerepositories',
  'GET /apis/image.toolkit.fluxcd.io/v1/imageupdateautomations',
  'GET /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
  'GET /apis/notification.toolkit.fluxcd.io/v1/receivers',
  'GET /apis/notification.toolkit.fluxcd.io/v1beta3/alerts',
  'GET /apis/notification.toolkit.fluxcd.io/v1beta3/providers',
  'GET /apis/source.toolkit.fluxcd.io/v1/buckets',
  'GET /apis/source.toolkit.fluxcd.io/v1/gitrepositories',
  'GET /apis/source.toolkit.fluxcd.io/v1/helmcharts',
  'GET /apis/source.toolkit.fluxcd.io/v1/helmrepositories',
  'GET /apis/source.toolkit.fluxcd.io/v1/ocirepositories',
];

describe('fluxctl save on Flux v2', () => {
  it('exports the Flux objects of every namespace without status, server metadata or owner labels, one list per served kind', async () => {
    const b = await start();
    const r = await b.run(['save']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(SAMPLE);
    expect(listsAfterDetection(b)).toEqual(ALL_LISTS);
    // What was left out is really there: owner labels, status, and helm-controller's own HelmChart.
    const repo = b.flux.get('GitRepository', `${NS}/flux-system`)!;
    expect(repo.metadata.labels).toMatchObject({ 'kustomize.toolkit.fluxcd.io/name': 'flux-system' });
    expect(repo.status?.artifact).toBeDefined();
    expect(b.kube.cluster.list(resourceOf('HelmChart')).map((c) => c.metadata.name)).toEqual(['frontend-podinfo']);
  });

  it('saves one file per object under --out, as v1 save lays them out', async () => {
    const b = await start();
    const dir = mkdtempSync(path.join(tmpdir(), 'fluxctl-save2-'));
    const r = await b.run(['save', '--out', dir]);
    expect(r.code).toBe(0);
    expect(listFiles(dir)).toEqual([
      'flux-system/apps-Kustomization.yaml',
      'flux-system/flux-system-GitRepository.yaml',
      'flux-system/flux-system-ImageUpdateAutomation.yaml',
      'flux-system/flux-system-Kustomization.yaml',
      'flux-system/podinfo-HelmRepository.yaml',
      'flux-system/web-ImagePolicy.yaml',
      'flux-system/web-ImageRepository.yaml',
      'frontend/podinfo-HelmRelease.yaml',
    ]);
    expect(r.stdout.split('\n')[0]).toBe(`Saving GitRepository 'flux-system' to ${path.join(dir, 'flux-system/flux-system-GitRepository.yaml')}`);
    const doc = yaml.load(readFileSync(path.join(dir, 'frontend/podinfo-HelmRelease.yaml'), 'utf8')) as FluxObject;
    expect(doc).toMatchObject({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace: 'frontend' } });
  });

  it('keeps a HelmChart made by hand and user annotations, and drops one-shot reconcile requests', async () => {
    const b = await start();
    b.kube.cluster.write(resourceOf('HelmChart'), {
      metadata: { name: 'tools', namespace: NS, annotations: { 'reconcile.fluxcd.io/requestedAt': '2026-08-07T10:00:00Z', 'acme.io/owner': 'platform' } },
      spec: { chart: 'tools', version: '1.x', interval: '10m0s', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
    });
    const r = await b.run(['save']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata:
  annotations:
    acme.io/owner: platform
  name: tools
  namespace: flux-system
spec:
  chart: tools
`);
    expect(r.stdout).not.toContain('frontend-podinfo');
    expect(r.stdout).not.toContain('requestedAt');
  });

  it('lists only the kinds the cluster serves (no image controllers, Flux v2.0 versions)', async () => {
    const b = await start({ version: 'v2.0.0', components: ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'] });
    const r = await b.run(['save']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n');
    expect(r.stdout).not.toContain('image.toolkit.fluxcd.io');
    const lists = listsAfterDetection(b);
    expect(lists.filter((l) => l.includes('image.toolkit'))).toEqual([]);
    expect(lists).toContain('GET /apis/notification.toolkit.fluxcd.io/v1beta2/alerts');
  });

  it('exports the Flux namespace alone when RBAC allows no cluster-wide list', async () => {
    const b = await start();
    for (const p of ALL_LISTS.slice(1)) {
      const plural = p.split('/').at(-1)!;
      b.kube.faults.inject({ method: 'GET', path: p.slice(4), status: 403, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `${plural} is forbidden: User "jane" cannot list resource "${plural}" at the cluster scope` } });
    }
    const r = await b.run(['save', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(SAMPLE.replace(/---\napiVersion: helm.toolkit.fluxcd.io\/v2\nkind: HelmRelease\n[^]*?(?=---)/, ''));
    expect(r.stderr).toContain('cannot list GitRepository in all namespaces');
    expect(listsAfterDetection(b)).toContain('GET /apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories');
  });

  it('names the verb and resource RBAC denies, and prints nothing', async () => {
    const b = await start();
    b.kube.faults.deny({ verb: 'list', resource: 'kustomizations' });
    const r = await b.run(['save']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('cannot list resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"');
  });
});
