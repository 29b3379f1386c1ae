// Proves the emulated Flux v2 controllers speak the reconcile protocol the way the real ones
// do, through the emulated API server: raw HTTP (merge patches, watches, discovery), real
// kubectl (annotate, wait, get), and the bootstrapped sample fleet.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSshKey, GitServer, installFlux2, type FluxCondition, type FluxObject } from '@fluxctl/emulator/flux2';
import { startKubeEmulator, type Deployment, type GenericObject, type KubeEmulator, type Pod } from '@fluxctl/emulator/kube';
import { startFlux2Cluster, type Flux2Cluster } from './helpers/flux2-cluster.js';
import { hasKubectl, kubectl, rawRequest } from './helpers/kube-client.js';

const GIT = 'gitrepositories.source.toolkit.fluxcd.io';
const KS = 'kustomizations.kustomize.toolkit.fluxcd.io';
const GIT_PATH = '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories';
const KS_PATH = '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations';

let bed: Flux2Cluster | undefined;
let emu: KubeEmulator | undefined;
afterEach(async () => {
  if (bed) expect(bed.flux.errors).toEqual([]);
  await bed?.close();
  await emu?.close();
  bed = undefined;
  emu = undefined;
});

const cond = (o: FluxObject | undefined, type: string): FluxCondition | undefined => o?.status?.conditions?.find((c) => c.type === type);
const summary = (o: FluxObject | undefined): string[] => (o?.status?.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`);
const status = (o: FluxObject | undefined): Record<string, any> => (o?.status ?? {}) as Record<string, any>;

function mergePatch(e: KubeEmulator, path: string, body: unknown) {
  return rawRequest(e, { method: 'PATCH', path, body, contentType: 'application/merge-patch+json' });
}

/** Collects watch events (over HTTP) until `done` says so. */
function watchUntil(e: KubeEmulator, path: string, done: (events: Array<{ type: string; object: FluxObject }>) => boolean): { events: Promise<Array<{ type: string; object: FluxObject }>> } {
  const events: Array<{ type: string; object: FluxObject }> = [];
  const url = new URL(path, e.url);
  return {
    events: new Promise((resolve, reject) => {
      const req = https.request(url, { ca: Buffer.from(e.caData, 'base64'), headers: { Authorization: 'Bearer test-token' }, agent: false }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            events.push(JSON.parse(buf.slice(0, nl)) as { type: string; object: FluxObject });
            buf = buf.slice(nl + 1);
            if (done(events)) {
              req.destroy();
              resolve(events);
            }
          }
        });
      });
      req.on('error', (err) => (events.length ? resolve(events) : reject(err)));
      req.end();
    }),
  };
}

describe('installFlux2', () => {
  it('registers the CRD versions each release serves, with deprecation warnings and the install labels', async () => {
    emu = await startKubeEmulator({ rolloutTickMs: 5 });
    const flux = installFlux2(emu.cluster, { version: 'v2.0.0' });
    const hr = (await rawRequest(emu, { path: '/apis/helm.toolkit.fluxcd.io' })).json() as { versions: Array<{ version: string }> };
    expect(hr.versions.map((v) => v.version)).toEqual(['v2beta1']);
    const git = await rawRequest(emu, { path: `/apis/source.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/gitrepositories` });
    expect(git.status).toBe(200);
    expect(git.headers.warning).toBe('299 - "v1beta2 GitRepository is deprecated, upgrade to v1"');
    expect((await rawRequest(emu, { path: '/apis/image.toolkit.fluxcd.io' })).status).toBe(404);
    const crd = emu.cluster.get<GenericObject>('customresourcedefinitions', undefined, GIT)!;
    expect(crd.metadata.labels).toEqual({
      'app.kubernetes.io/component': 'source-controller', 'app.kubernetes.io/instance': 'flux-system', 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/version': 'v2.0.0',
    });
    const deps = emu.cluster.list<Deployment>('deployments', 'flux-system');
    expect(deps.map((d) => d.spec.template.spec.containers[0]!.image)).toEqual([
      'ghcr.io/fluxcd/helm-controller:v0.35.0', 'ghcr.io/fluxcd/kustomize-controller:v1.0.0', 'ghcr.io/fluxcd/notification-controller:v1.0.0', 'ghcr.io/fluxcd/source-controller:v1.0.0',
    ]);
    expect(deps.find((d) => d.metadata.name === 'source-controller')).toMatchObject({
      metadata: { labels: { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/component': 'source-controller', 'app.kubernetes.io/version': 'v2.0.0' } },
      spec: { strategy: { type: 'Recreate' }, template: { metadata: { labels: { app: 'source-controller' } }, spec: { containers: [{ name: 'manager' }] } } },
    });
    const pods = emu.cluster.list<Pod>('pods', 'flux-system');
    expect(pods.map((p) => `${p.metadata.labels?.app} ${p.status.phase}`).sort()).toEqual(['helm-controller Running', 'kustomize-controller Running', 'notification-controller Running', 'source-controller Running']);
    await flux.close();
  });

  it('follows the release: served versions, short names, categories, and no version label when asked', async () => {
    emu = await startKubeEmulator({ rolloutTickMs: 5 });
    const flux = installFlux2(emu.cluster, { version: 'v2.7.0', versionLabel: false, components: ['source-controller', 'image-reflector-controller'] });
    const images = (await rawRequest(emu, { path: '/apis/image.toolkit.fluxcd.io/v1' })).json() as { resources: Array<{ name: string; shortNames?: string[]; categories?: string[] }> };
    expect(images.resources.find((r) => r.name === 'imagepolicies')?.shortNames).toEqual(['imgpol', 'imagepol']);
    expect(images.resources.find((r) => r.name === 'imagepolicies')?.categories ?? []).toEqual([]);
    expect((await rawRequest(emu, { path: '/apis/kustomize.toolkit.fluxcd.io' })).status).toBe(404);
    const dep = emu.cluster.get<Deployment>('deployments', 'flux-system', 'image-reflector-controller')!;
    expect(dep.spec.template.spec.containers[0]!.image).toBe('ghcr.io/fluxcd/image-reflector-controller:v1.0.1');
    expect(dep.metadata.labels?.['app.kubernetes.io/version']).toBeUndefined();
    await flux.close();
    const emu9 = await startKubeEmulator({ rolloutTickMs: 5 });
    const flux9 = installFlux2(emu9.cluster, { version: 'v2.9.4' });
    const src = (await rawRequest(emu9, { path: '/apis/source.toolkit.fluxcd.io/v1' })).json() as { resources: Array<{ name: string; categories?: string[] }> };
    expect(src.resources.find((r) => r.name === 'gitrepositories')?.categories).toEqual(['all', 'fluxcd', 'fluxcd-sources']);
    expect((await rawRequest(emu9, { path: '/apis/source.toolkit.fluxcd.io/v1beta2/gitrepositories' })).status).toBe(404);
    await flux9.close();
    await emu9.close();
  });
});

describe('the git host', () => {
  it('gives deterministic commit ids and the revisions source-controller records', () => {
    const build = () => {
      const repo = new GitServer().repo('ssh://git@example.com/org/repo');
      repo.commit({ 'a.yaml': [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }] });
      return repo;
    };
    const one = build();
    const two = build();
    expect(one.head()).toMatch(/^[0-9a-f]{40}$/);
    expect(one.head()).toBe(two.head());
    const first = one.head()!;
    one.tag('v1.2.0');
    one.commit({ 'b.yaml': 'kind: x\n' }, { message: 'second' });
    one.tag('v1.3.0');
    one.branch('feature/x', first);
    expect(one.resolve({ branch: 'main' })).toEqual({ sha: one.head(), revision: `main@sha1:${one.head()}` });
    expect(one.resolve({ branch: 'feature/x' })).toEqual({ sha: first, revision: `feature/x@sha1:${first}` });
    expect(one.resolve({ tag: 'v1.2.0' })).toEqual({ sha: first, revision: `v1.2.0@sha1:${first}` });
    expect(one.resolve({ semver: '~1.2' })).toEqual({ sha: first, revision: `v1.2.0@sha1:${first}` });
    expect(one.resolve({ semver: '>=1.0.0' })).toMatchObject({ revision: `v1.3.0@sha1:${one.head()}` });
    expect(one.resolve({ commit: first })).toEqual({ sha: first, revision: `sha1:${first}` });
    expect(one.resolve({ name: 'refs/heads/main' })).toMatchObject({ revision: `refs/heads/main@sha1:${one.head()}` });
    expect(one.resolve(undefined)).toEqual({ error: `couldn't find remote ref "refs/heads/master"` });
    expect(one.files(one.head()!).map((f) => f.path)).toEqual(['a.yaml', 'b.yaml']);
  });
});

describe.skipIf(!existsSync('/usr/bin/ssh-keygen'))('deploy keys', () => {
  it('writes PKCS#8 identities whose identity.pub is what ssh-keygen derives', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flux2-keys-'));
    for (const alg of ['ecdsa-p384', 'ecdsa-p256', 'ecdsa-p521', 'rsa'] as const) {
      const key = generateSshKey(alg);
      expect(key.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      const file = path.join(dir, alg);
      writeFileSync(file, key.privateKey, { mode: 0o600 });
      const derived = execFileSync('/usr/bin/ssh-keygen', ['-y', '-f', file]).toString().trim().split(' ').slice(0, 2).join(' ');
      expect(key.publicKey, alg).toBe(`${derived}\n`);
    }
    expect(generateSshKey('ed25519').publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}\n$/);
  });
});

describe('the reconcile protocol over HTTP', () => {
  it('answers a requestedAt token: Reconciling first, then one final write with the token and the outcome', async () => {
    bed = await startFlux2Cluster();
    const e = bed.kube;
    const before = bed.flux.get('GitRepository', 'flux-system/flux-system')!;
    const sha = bed.sample.repo.commit({ 'apps/prod/frontend/extra.yaml': [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'frontend' } }] });
    const token = '2026-08-07T16:50:15.123456789+03:00';
    const watch = watchUntil(e, `${GIT_PATH}?watch=true&fieldSelector=metadata.name%3Dflux-system&resourceVersion=${before.metadata.resourceVersion}`, (evs) =>
      evs.some((ev) => status(ev.object).lastHandledReconcileAt === token));
    const patched = await mergePatch(e, `${GIT_PATH}/flux-system`, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': token } } });
    expect(patched.status).toBe(200);
    const events = (await watch.events).map((ev) => ev.object);
    const writes = events.slice(1); // the first event is the annotation itself
    expect(summary(writes[0])).toEqual(['Reconciling=True/Progressing', 'Ready=True/Succeeded', 'ArtifactInStorage=True/Succeeded']);
    expect(cond(writes[0], 'Reconciling')?.message).toBe('reconciliation in progress');
    const building = writes.find((o) => cond(o, 'ArtifactOutdated'));
    expect(summary(building)).toEqual(['Reconciling=True/Progressing', 'Ready=Unknown/Progressing', 'ArtifactInStorage=True/Succeeded', 'ArtifactOutdated=True/NewRevision']);
    expect(cond(building, 'Ready')?.message).toBe(`building artifact: new upstream revision 'main@sha1:${sha}'`);
    expect(events.filter((o) => status(o).lastHandledReconcileAt === token)).toHaveLength(1);
    const final = events.at(-1)!;
    expect(summary(final)).toEqual(['Ready=True/Succeeded', 'ArtifactInStorage=True/Succeeded']);
    expect(status(final)).toMatchObject({ observedGeneration: 1, artifact: { revision: `main@sha1:${sha}`, path: `gitrepository/flux-system/flux-system/${sha}.tar.gz` } });
    expect(cond(final, 'Ready')).toMatchObject({ observedGeneration: 1, message: `stored artifact for revision 'main@sha1:${sha}'`, lastTransitionTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
  });

  it('cascades a new source revision to every Kustomization using it, with inventory and pruning', async () => {
    bed = await startFlux2Cluster();
    const repo = bed.sample.repo;
    const apps = bed.flux.get('Kustomization', 'flux-system/apps')!;
    expect(status(apps).inventory.entries).toContainEqual({ id: 'frontend_web_apps_Deployment', v: 'v1' });
    expect(status(apps).inventory.entries).toContainEqual({ id: '_frontend__Namespace', v: 'v1' });
    expect(bed.kube.cluster.get<GenericObject>('cronjobs', 'backend', 'backup')!.metadata.labels).toMatchObject({ 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' });
    const sha = repo.commit({ 'apps/prod/backend/backup.yaml': null }, { message: 'Drop the backup job' });
    await bed.flux.reconcile('GitRepository', 'flux-system/flux-system');
    const after = await bed.flux.waitFor('Kustomization', 'flux-system/apps', (o) => status(o).lastAppliedRevision === `main@sha1:${sha}`);
    expect(after.status?.lastHandledReconcileAt).toBe(apps.status?.lastHandledReconcileAt);
    expect(status(after).inventory.entries.map((x: { id: string }) => x.id)).not.toContain('backend_backup_batch_CronJob');
    expect(bed.kube.cluster.get('cronjobs', 'backend', 'backup')).toBeUndefined();
    expect(bed.flux.reconciles.filter((r) => r.kind === 'Kustomization' && r.trigger === 'source' && r.revision === `main@sha1:${sha}`).map((r) => r.name).sort()).toEqual(['apps', 'flux-system']);
  });

  it('records the token on a suspended object and does nothing else', async () => {
    bed = await startFlux2Cluster();
    const e = bed.kube;
    await mergePatch(e, `${KS_PATH}/apps`, { spec: { suspend: true } });
    const sha = bed.sample.repo.commit({ 'apps/prod/frontend/web.yaml': null });
    const src = await bed.flux.reconcile('GitRepository', 'flux-system/flux-system');
    expect(status(src).artifact.revision).toBe(`main@sha1:${sha}`);
    const ks = await bed.flux.reconcile('Kustomization', 'flux-system/apps');
    expect(status(ks).lastAppliedRevision).toBe(bed.sample.revision);
    expect(e.cluster.get('deployments', 'frontend', 'web')).toBeDefined();
    expect(bed.flux.reconciles.filter((r) => r.name === 'apps').at(-1)).toMatchObject({ outcome: 'Suspended', token: ks.status?.lastHandledReconcileAt });
    await mergePatch(e, `${KS_PATH}/apps`, { spec: { suspend: null } });
    await bed.flux.waitFor('Kustomization', 'flux-system/apps', (o) => status(o).lastAppliedRevision === `main@sha1:${sha}`);
    expect(e.cluster.get('deployments', 'frontend', 'web')).toBeUndefined();
  });
});

describe('failures', () => {
  it('a failing fetch keeps Reconciling=ProgressingWithRetry and the old observedGeneration; clearing it recovers', async () => {
    bed = await startFlux2Cluster();
    const message = "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/acme/fleet-infra': context deadline exceeded";
    bed.flux.fail('GitRepository', 'flux-system/flux-system', { reason: 'GitOperationFailed', message });
    await mergePatch(bed.kube, `${GIT_PATH}/flux-system`, { spec: { interval: '5m0s' } });
    const failed = await bed.flux.waitFor('GitRepository', 'flux-system/flux-system', (o) => cond(o, 'Ready')?.status === 'False');
    expect(failed.metadata.generation).toBe(2);
    expect(status(failed).observedGeneration).toBe(1);
    // Newer observations sort first (fluxcd/pkg conditions): FetchFailed is at generation 2, ArtifactInStorage at 1.
    expect(summary(failed)).toEqual(['Reconciling=True/ProgressingWithRetry', 'Ready=False/GitOperationFailed', 'FetchFailed=True/GitOperationFailed', 'ArtifactInStorage=True/Succeeded']);
    expect(cond(failed, 'Ready')?.message).toBe(message);
    expect(cond(failed, 'Reconciling')?.message).toBe('processing object: new generation 1 -> 2');
    bed.flux.clearFailure('GitRepository', 'flux-system/flux-system');
    const ok = await bed.flux.waitFor('GitRepository', 'flux-system/flux-system', (o) => cond(o, 'Ready')?.status === 'True');
    expect(status(ok).observedGeneration).toBe(2);
    expect(summary(ok)).toEqual(['Ready=True/Succeeded', 'ArtifactInStorage=True/Succeeded']);
  });

  it('stalls on a terminal error, and fails a rollout health check with HealthCheckFailed', async () => {
    bed = await startFlux2Cluster({ tickMs: 5 });
    bed.flux.fail('Kustomization', 'flux-system/flux-system', { reason: 'InvalidCELExpression', message: 'terminal error: invalid CEL expression', stalled: true });
    const stalled = await bed.flux.reconcile('Kustomization', 'flux-system/flux-system');
    expect(summary(stalled)).toEqual(['Stalled=True/InvalidCELExpression', 'Ready=False/InvalidCELExpression']);
    bed.flux.clearFailure('Kustomization', 'flux-system/flux-system');
    bed.kube.cluster.setProgressDeadlineExceeded('frontend', 'web', true);
    const sha = bed.sample.repo.commit({ 'apps/prod/frontend/web.yaml': bed.sample.repo.read(bed.sample.sha, 'apps/prod/frontend/web.yaml')!.replace('web:1.4.2', 'web:1.4.3') });
    await bed.flux.reconcile('GitRepository', 'flux-system/flux-system');
    const apps = await bed.flux.waitFor('Kustomization', 'flux-system/apps', (o) => cond(o, 'Ready')?.reason === 'HealthCheckFailed');
    expect(status(apps).lastAttemptedRevision).toBe(`main@sha1:${sha}`);
    expect(status(apps).lastAppliedRevision).toBe(bed.sample.revision);
    expect(cond(apps, 'Ready')?.message).toMatch(/^health check failed after \d+(\.\d+)?m?s: failed early due to stalled resources: \[Deployment\/frontend\/web status: 'Failed'\]$/);
    expect(summary(apps)).toEqual(['Reconciling=True/ProgressingWithRetry', 'Ready=False/HealthCheckFailed', 'Healthy=False/HealthCheckFailed']);
  });

  it('waits on dependencies with DependencyNotReady, then applies once they are Ready', async () => {
    bed = await startFlux2Cluster();
    const repo = bed.sample.repo;
    const infra = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'infra', namespace: 'flux-system' }, spec: { interval: '10m0s', path: './infra', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } };
    const late = { ...infra, metadata: { name: 'late', namespace: 'flux-system' }, spec: { ...infra.spec, path: './late', dependsOn: [{ name: 'infra' }] } };
    bed.flux.fail('Kustomization', 'flux-system/infra', { reason: 'BuildFailed', message: 'kustomize build failed: accumulating resources' });
    repo.commit({ 'clusters/prod/infra.yaml': [infra, late], 'infra/cm.yaml': [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'infra', namespace: 'backend' } }], 'late/cm.yaml': [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'backend' } }] });
    await bed.flux.reconcile('GitRepository', 'flux-system/flux-system');
    const waiting = await bed.flux.waitFor('Kustomization', 'flux-system/late', (o) => cond(o, 'Ready')?.reason === 'DependencyNotReady');
    expect(cond(waiting, 'Ready')?.message).toBe("dependency 'flux-system/infra' is not ready");
    expect(cond(waiting, 'Reconciling')).toBeUndefined();
    bed.flux.clearFailure('Kustomization', 'flux-system/infra');
    await bed.flux.waitFor('Kustomization', 'flux-system/late', (o) => cond(o, 'Ready')?.status === 'True');
    expect(bed.kube.cluster.get<GenericObject>('configmaps', 'backend', 'late')?.metadata.labels?.['kustomize.toolkit.fluxcd.io/name']).toBe('late');
  });

  it('rejects a rotated deploy key until the host knows it, and HTTPS credentials that do not match', async () => {
    bed = await startFlux2Cluster();
    const url = bed.sample.url;
    const { publicKey } = bed.flux.deployKey({ url, authorize: false, algorithm: 'ed25519' });
    const denied = await bed.flux.reconcile('GitRepository', 'flux-system/flux-system');
    expect(cond(denied, 'Ready')).toMatchObject({
      status: 'False', reason: 'GitOperationFailed',
      message: `failed to checkout and determine revision: unable to clone '${url}': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain`,
    });
    bed.flux.git(url).authorize(publicKey);
    expect(cond(await bed.flux.reconcile('GitRepository', 'flux-system/flux-system'), 'Ready')?.status).toBe('True');
    await bed.close();
    bed = await startFlux2Cluster({ httpsAuth: true, components: ['source-controller', 'kustomize-controller'] });
    expect(bed.sample.url).toBe('https://github.com/acme/fleet-infra');
    bed.flux.git(bed.sample.url).credentials = { username: 'git', password: 'rotated' };
    const https401 = await bed.flux.reconcile('GitRepository', 'flux-system/flux-system');
    expect(cond(https401, 'Ready')?.message).toBe("failed to checkout and determine revision: unable to clone 'https://github.com/acme/fleet-infra': authentication required");
  });

  it('freeze stops the controllers answering until thaw', async () => {
    bed = await startFlux2Cluster({ components: ['source-controller', 'kustomize-controller'] });
    bed.flux.freeze();
    await mergePatch(bed.kube, `${GIT_PATH}/flux-system`, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': 'frozen' } } });
    await new Promise((r) => setTimeout(r, 100));
    expect(bed.flux.get('GitRepository', 'flux-system/flux-system')?.status?.lastHandledReconcileAt).toBeUndefined();
    bed.flux.thaw();
    await bed.flux.waitFor('GitRepository', 'flux-system/flux-system', (o) => o.status?.lastHandledReconcileAt === 'frozen');
  });
});

describe('the sample fleet', () => {
  it('bootstraps flux-system applying itself, workloads of every kind, a HelmRelease and image automation', async () => {
    bed = await startFlux2Cluster();
    const c = bed.kube.cluster;
    const own = (o: GenericObject | undefined) => o?.metadata.labels?.['kustomize.toolkit.fluxcd.io/name'];
    expect(own(c.get(GIT, 'flux-system', 'flux-system'))).toBe('flux-system');
    expect(own(c.get(KS, 'flux-system', 'flux-system'))).toBe('flux-system');
    expect(own(c.get('customresourcedefinitions', undefined, GIT))).toBe('flux-system');
    expect(own(c.get('deployments', 'flux-system', 'kustomize-controller'))).toBe('flux-system');
    expect(own(c.get('statefulsets', 'backend', 'postgres'))).toBe('apps');
    expect(own(c.get('daemonsets', 'monitoring', 'node-exporter'))).toBe('apps');
    expect(own(c.get('deployments', 'backend', 'debug'))).toBeUndefined();
    const api = c.get<Deployment>('deployments', 'backend', 'api')!;
    expect(api.spec.template.spec.initContainers).toEqual([{ name: 'migrate', image: 'ghcr.io/acme/api-migrate:2.3.0', args: ['up'] }]);
    expect(api.status).toMatchObject({ readyReplicas: 2, updatedReplicas: 2 });
    const podinfo = c.get<Deployment>('deployments', 'frontend', 'podinfo')!;
    expect(podinfo.metadata.labels).toMatchObject({ 'helm.toolkit.fluxcd.io/name': 'podinfo', 'helm.toolkit.fluxcd.io/namespace': 'frontend' });
    const hr = bed.flux.get('HelmRelease', 'frontend/podinfo');
    expect(status(hr).history[0]).toMatchObject({ name: 'podinfo', namespace: 'frontend', chartName: 'podinfo', chartVersion: '6.5.4', status: 'deployed', version: 1 });
    expect(cond(hr, 'Ready')?.message).toBe('Helm install succeeded for release frontend/podinfo.v1 with chart podinfo@6.5.4');
    const release = c.get<GenericObject>('secrets', 'frontend', 'sh.helm.release.v1.podinfo.v1')!;
    const helmBase64 = Buffer.from((release.data as Record<string, string>).release!, 'base64').toString();
    const decoded = JSON.parse(gunzipSync(Buffer.from(helmBase64, 'base64')).toString()) as { manifest: string };
    expect(decoded.manifest).toContain('kind: Deployment');
    const repo = bed.flux.get('ImageRepository', 'flux-system/web');
    expect(status(repo)).toMatchObject({ canonicalImageName: 'ghcr.io/acme/web', lastScanResult: { tagCount: 6, latestTags: ['sha-1a2b3c4', '2.0.0-rc.1', '1.4.2', '1.4.1', '1.4.0', '1.3.0'] } });
    expect(status(bed.flux.get('ImagePolicy', 'flux-system/web')).latestRef).toEqual({ name: 'ghcr.io/acme/web', tag: '1.4.2' });
    const secret = c.get<GenericObject>('secrets', 'flux-system', 'flux-system')!;
    const data = secret.data as Record<string, string>;
    expect(Buffer.from(data.identity!, 'base64').toString()).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(Buffer.from(data['identity.pub']!, 'base64').toString()).toBe(bed.sample.publicKey);
    expect(bed.sample.publicKey).toMatch(/^ecdsa-sha2-nistp384 [A-Za-z0-9+/=]+\n$/);
    expect(Buffer.from(data.known_hosts!, 'base64').toString()).toMatch(/^github\.com ecdsa-sha2-nistp256 /);
  });

  it('serves the artifact with the advertised digest, setter marker included', async () => {
    bed = await startFlux2Cluster({ components: ['source-controller', 'kustomize-controller', 'image-reflector-controller', 'image-automation-controller'] });
    const artifact = status(bed.flux.get('GitRepository', 'flux-system/flux-system')).artifact as { path: string; digest: string };
    const pod = bed.kube.cluster.list<Pod>('pods', 'flux-system').find((p) => p.metadata.labels?.app === 'source-controller')!;
    const target = bed.flux.backend({ namespace: 'flux-system', labels: pod.metadata.labels ?? {} }, 9090)!;
    const res = await fetch(`http://${target.host}:${target.port}/${artifact.path}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const { createHash } = await import('node:crypto');
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(artifact.digest);
    const tar = gunzipSync(bytes).toString('latin1');
    expect(tar).toContain('apps/prod/frontend/web.yaml');
    expect(tar).toContain('image: ghcr.io/acme/web:1.4.2 # {"$imagepolicy": "flux-system:web"}');
    expect((await fetch(`http://${target.host}:${target.port}/gitrepository/nope.tar.gz`)).status).toBe(404);
  });

  it('shows the status shapes of older releases (Flux 2.0 and 2.5)', async () => {
    bed = await startFlux2Cluster({ version: 'v2.0.0' });
    expect(bed.kube.cluster.get<GenericObject>(KS, 'flux-system', 'apps')?.status?.history).toBeUndefined();
    const hr = bed.flux.get('HelmRelease', 'frontend/podinfo');
    expect(status(hr)).toMatchObject({ lastAppliedRevision: '6.5.4', lastReleaseRevision: 1, helmChart: 'flux-system/frontend-podinfo' });
    expect(status(hr).history).toBeUndefined();
    expect(cond(hr, 'Ready')).toMatchObject({ reason: 'ReconciliationSucceeded', message: 'Release reconciliation succeeded' });
    await bed.close();
    bed = await startFlux2Cluster({ version: 'v2.5.1' });
    const policy = bed.flux.get('ImagePolicy', 'flux-system/web');
    expect(status(policy).latestImage).toBe('ghcr.io/acme/web:1.4.2');
    expect(status(policy).latestRef).toBeUndefined();
    expect(cond(policy, 'Ready')?.message).toBe("Latest image tag for 'ghcr.io/acme/web' resolved to 1.4.2");
    bed.flux.registry.addTags('ghcr.io/acme/web', '1.5.0');
    await bed.flux.reconcile('ImageRepository', 'flux-system/web');
    const moved = await bed.flux.waitFor('ImagePolicy', 'flux-system/web', (o) => status(o).latestImage === 'ghcr.io/acme/web:1.5.0');
    expect(status(moved).observedPreviousImage).toBe('ghcr.io/acme/web:1.4.2');
    expect(cond(moved, 'Ready')?.message).toBe("Latest image tag for 'ghcr.io/acme/web' updated from 1.4.2 to 1.5.0");
  });

  it('upgrades a HelmRelease on a new generation, superseding the previous release', async () => {
    bed = await startFlux2Cluster({ components: ['source-controller', 'kustomize-controller', 'helm-controller'] });
    bed.flux.update('HelmRelease', 'frontend/podinfo', (o) => ((o.spec as Record<string, any>).values = { replicaCount: 2 }));
    const hr = await bed.flux.waitFor('HelmRelease', 'frontend/podinfo', (o) => status(o).history?.length === 2 && cond(o, 'Ready')?.status === 'True');
    expect(status(hr)).toMatchObject({ observedGeneration: 2, lastAttemptedReleaseAction: 'upgrade', history: [{ version: 2, status: 'deployed' }, { version: 1 }] });
    expect(summary(hr)).toEqual(['Ready=True/UpgradeSucceeded', 'Released=True/UpgradeSucceeded']);
    expect(cond(hr, 'Ready')?.message).toBe('Helm upgrade succeeded for release frontend/podinfo.v2 with chart podinfo@6.5.4');
    expect(bed.kube.cluster.get<GenericObject>('secrets', 'frontend', 'sh.helm.release.v1.podinfo.v1')?.metadata.labels?.status).toBe('superseded');
    expect(bed.kube.cluster.get<Deployment>('deployments', 'frontend', 'podinfo')?.spec.replicas).toBe(2);
  });

  it('reconciles at spec.interval when interval timers are on (scaled down)', async () => {
    bed = await startFlux2Cluster({ components: ['source-controller', 'kustomize-controller'], intervalScale: 0.002 });
    const sha = bed.sample.repo.commit({ 'apps/prod/monitoring/node-exporter.yaml': null });
    await bed.flux.waitFor('Kustomization', 'flux-system/apps', (o) => status(o).lastAppliedRevision === `main@sha1:${sha}`);
    expect(bed.flux.reconciles.some((r) => r.kind === 'GitRepository' && r.trigger === 'interval' && r.revision === `main@sha1:${sha}`)).toBe(true);
    expect(bed.kube.cluster.get('daemonsets', 'monitoring', 'node-exporter')).toBeUndefined();
  });
});

describe.skipIf(!hasKubectl)('with real kubectl', () => {
  it('annotate, wait for the token and for Ready, and get the Flux objects', async () => {
    bed = await startFlux2Cluster({ components: ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'] });
    const e = bed.kube;
    const sha = bed.sample.repo.commit({ 'apps/prod/frontend/web.yaml': null });
    const token = String(Date.now());
    const annotate = await kubectl(e, ['annotate', '--overwrite', '-n', 'flux-system', 'gitrepository/flux-system', `reconcile.fluxcd.io/requestedAt=${token}`]);
    expect(annotate).toMatchObject({ code: 0, stdout: 'gitrepository.source.toolkit.fluxcd.io/flux-system annotated\n' });
    const waited = await kubectl(e, ['wait', '-n', 'flux-system', 'gitrepository/flux-system', `--for=jsonpath={.status.lastHandledReconcileAt}=${token}`, '--timeout=20s']);
    expect(waited).toMatchObject({ code: 0, stdout: 'gitrepository.source.toolkit.fluxcd.io/flux-system condition met\n' });
    const ready = await kubectl(e, ['wait', '-n', 'flux-system', 'kustomization/apps', '--for=jsonpath={.status.lastAppliedRevision}=main@sha1:' + sha, '--timeout=20s']);
    expect(ready.code, ready.stderr).toBe(0);
    const cond2 = await kubectl(e, ['wait', '-n', 'flux-system', 'kustomization/apps', '--for=condition=Ready', '--timeout=20s']);
    expect(cond2).toMatchObject({ code: 0, stdout: 'kustomization.kustomize.toolkit.fluxcd.io/apps condition met\n' });
    const get = await kubectl(e, ['get', 'ks', '-A']);
    expect(get.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+AGE\s+READY\s+STATUS\s*$/);
    expect(get.stdout).toMatch(new RegExp(`flux-system\\s+apps\\s+\\S+\\s+True\\s+Applied revision: main@sha1:${sha}`));
    const gone = await kubectl(e, ['get', 'deployment', 'web', '-n', 'frontend']);
    expect(gone.stderr).toContain('NotFound');
  });
});
