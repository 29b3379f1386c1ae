// Proves the emulator's custom resources and newer built-in kinds against real kubectl:
// discovery (aggregated), tables from printer columns, merge patches with the status
// subresource, wait on conditions and JSONPath, served/deprecated versions, and auth can-i.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeEmulator, type GenericObject, type KubeEmulator } from '@fluxctl/emulator/kube';
import { hasKubectl, kubectl } from './helpers/kube-client.js';
import { GIT_REPOSITORIES, GIT_REPOSITORY, KUSTOMIZATION, KUSTOMIZATIONS } from './helpers/sample-crds.js';

let emu: KubeEmulator;
const NS = ['-n', 'flux-system'];
const repo = (): GenericObject => emu.cluster.mustGet<GenericObject>(GIT_REPOSITORIES, 'flux-system', 'flux-system');
const ready = (message: string, generation = 1): object => ({
  conditions: [{ type: 'Ready', status: 'True', observedGeneration: generation, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'Succeeded', message }],
});

beforeEach(async () => {
  emu = await startKubeEmulator({ rolloutTickMs: 10 });
  emu.cluster.registerCustomResource(GIT_REPOSITORY);
  emu.cluster.registerCustomResource(KUSTOMIZATION);
  emu.cluster.addNamespace('flux-system');
  emu.cluster.apply(GIT_REPOSITORIES, { metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@github.com/org/fleet', interval: '1m0s' } });
  emu.cluster.saveStatus(GIT_REPOSITORIES, 'flux-system', 'flux-system', ready("stored artifact for revision 'main@sha1:0a1b2c'"));
  emu.cluster.apply(KUSTOMIZATIONS, { metadata: { name: 'apps', namespace: 'flux-system' }, spec: { interval: '10m', path: './apps', prune: true } });
});
afterEach(async () => {
  await emu.close();
});

describe.skipIf(!hasKubectl)('real kubectl against custom resources', () => {
  it('finds them through aggregated discovery and prints their printer columns', async () => {
    const table = await kubectl(emu, ['get', 'gitrepositories', '-A']);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/^NAMESPACE +NAME +URL +AGE +READY +STATUS\nflux-system +flux-system +ssh:\/\/git@github\.com\/org\/fleet +\d+s +True +stored artifact for revision 'main@sha1:0a1b2c'\n$/);
    const ks = await kubectl(emu, ['get', 'ks', ...NS]);
    // No status yet: the JSONPath finds nothing, the cell is null and kubectl leaves it blank.
    expect(ks.stdout).toMatch(/^NAME +AGE +READY +STATUS\napps +\d+s +\n$/);
    // One aggregated request per root replaces the per-group discovery walk.
    const discovery = emu.requests.filter((r) => r.path.startsWith('/api')).map((r) => r.path);
    expect(discovery).not.toContain('/apis/source.toolkit.fluxcd.io/v1');
    const json = await kubectl(emu, ['get', 'gitrepo', 'flux-system', ...NS, '-o', 'json']);
    const obj = JSON.parse(json.stdout) as GenericObject;
    expect(obj).toMatchObject({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', generation: 1 }, spec: { interval: '1m0s' } });
    const crd = await kubectl(emu, ['get', 'crd', GIT_REPOSITORIES, '-o', 'jsonpath={.metadata.labels.app\\.kubernetes\\.io/version}']);
    expect(crd.stdout).toBe('v2.7.0');
  });

  it('serves deprecated versions with a warning and refuses unserved ones', async () => {
    const old = await kubectl(emu, ['get', 'gitrepositories.v1beta2.source.toolkit.fluxcd.io', 'flux-system', ...NS, '-o', 'jsonpath={.apiVersion}']);
    expect(old.stdout).toBe('source.toolkit.fluxcd.io/v1beta2');
    expect(old.stderr).toBe('Warning: v1beta2 GitRepository is deprecated, upgrade to v1\n');
    const gone = await kubectl(emu, ['get', 'gitrepositories.v1beta1.source.toolkit.fluxcd.io', ...NS]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("doesn't have a resource type \"gitrepositories\"");
  });

  it('annotates and merge-patches; a patch of the main resource leaves status alone', async () => {
    const annotated = await kubectl(emu, ['annotate', 'gitrepository', 'flux-system', ...NS, 'reconcile.fluxcd.io/requestedAt=2026-01-01T10:00:00Z']);
    expect(annotated.stdout).toBe('gitrepository.source.toolkit.fluxcd.io/flux-system annotated\n');
    expect(repo().metadata.annotations).toEqual({ 'reconcile.fluxcd.io/requestedAt': '2026-01-01T10:00:00Z' });
    expect(repo().metadata.generation).toBe(1);
    expect(repo().metadata.managedFields?.map((m) => m.manager)).toContain('kubectl-annotate');

    const before = structuredClone(repo().status);
    const patched = await kubectl(emu, ['patch', 'gitrepo', 'flux-system', ...NS, '--type', 'merge', '-p', '{"spec":{"interval":"5m"},"status":{"conditions":[]}}']);
    expect(patched.stdout).toBe('gitrepository.source.toolkit.fluxcd.io/flux-system patched\n');
    expect(repo().spec).toMatchObject({ interval: '5m' });
    expect(repo().status).toEqual(before);
    expect(repo().metadata.generation).toBe(2);

    const strategic = await kubectl(emu, ['patch', 'gitrepo', 'flux-system', ...NS, '-p', '{"spec":{"interval":"6m"}}']);
    expect(strategic.code).toBe(1);
    expect(strategic.stderr).toBe('error: application/strategic-merge-patch+json is not supported by source.toolkit.fluxcd.io/v1, Kind=GitRepository: '
      + 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n');
  });

  it('waits for a Ready condition and for a JSONPath value written through the status subresource', async () => {
    const key = KUSTOMIZATIONS;
    setTimeout(() => emu.cluster.saveStatus(key, 'flux-system', 'apps', ready('Applied revision: main@sha1:0a1b2c')), 400);
    setTimeout(() => emu.cluster.saveStatus(key, 'flux-system', 'apps', { ...ready('Applied revision: main@sha1:0a1b2c'), lastHandledReconcileAt: 'token-1' }), 800);
    const started = Date.now();
    const [cond, path] = await Promise.all([
      kubectl(emu, ['wait', '--for=condition=Ready', 'kustomization/apps', ...NS, '--timeout=20s']),
      kubectl(emu, ['wait', '--for=jsonpath={.status.lastHandledReconcileAt}=token-1', 'kustomization/apps', ...NS, '--timeout=20s']),
    ]);
    expect(cond).toMatchObject({ code: 0, stdout: 'kustomization.kustomize.toolkit.fluxcd.io/apps condition met\n' });
    expect(path).toMatchObject({ code: 0, stdout: 'kustomization.kustomize.toolkit.fluxcd.io/apps condition met\n' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    // kubectl wait lists by name, then watches from that list's resourceVersion.
    const watches = emu.requests.filter((r) => r.query.watch === 'true');
    expect(watches.map((r) => r.query.fieldSelector)).toEqual(['metadata.name=apps', 'metadata.name=apps']);
    expect(emu.cluster.mustGet<GenericObject>(key, 'flux-system', 'apps').metadata.generation).toBe(1);
  });

  it('answers auth can-i from the deny rules, status subresource included', async () => {
    emu.faults.deny({ verb: 'patch', resource: 'gitrepositories', namespace: 'flux-system' });
    emu.faults.deny({ verb: 'update', resource: GIT_REPOSITORIES, subresource: 'status' });
    const can = (...args: string[]): Promise<string> => kubectl(emu, ['auth', 'can-i', ...args]).then((r) => `${r.code} ${r.stdout.trim()}`);
    expect(await can('patch', 'gitrepositories', ...NS)).toBe('1 no');
    expect(await can('patch', 'gitrepositories', '-n', 'default')).toBe('0 yes');
    expect(await can('get', 'gitrepositories', ...NS)).toBe('0 yes');
    expect(await can('patch', 'kustomizations', ...NS)).toBe('0 yes');
    expect(await can('update', 'gitrepositories', '--subresource=status', ...NS)).toBe('1 no');
    const denied = await kubectl(emu, ['annotate', 'gitrepo', 'flux-system', ...NS, 'a=b']);
    expect(denied.stderr).toContain('gitrepositories.source.toolkit.fluxcd.io "flux-system" is forbidden: User "jane" cannot patch resource "gitrepositories" in API group "source.toolkit.fluxcd.io" in the namespace "flux-system"');
  });
});

describe.skipIf(!hasKubectl)('real kubectl against the other workload kinds', () => {
  const template = (name: string, image: string): object => ({ metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } });
  beforeEach(() => {
    const c = emu.cluster;
    c.addNamespace('apps');
    c.apply('secrets', { metadata: { name: 'flux-system', namespace: 'flux-system' }, type: 'Opaque', data: { identity: 'LS0t', 'identity.pub': 'c3No', known_hosts: 'Z2l0' } });
    c.apply('statefulsets', { metadata: { name: 'db', namespace: 'apps' }, spec: { replicas: 2, selector: { matchLabels: { app: 'db' } }, serviceName: 'db', template: template('db', 'postgres:16') } });
    c.saveStatus('statefulsets', 'apps', 'db', { replicas: 2, readyReplicas: 1, currentReplicas: 2, updatedReplicas: 2 });
    c.apply('daemonsets', { metadata: { name: 'agent', namespace: 'apps' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { ...template('agent', 'fluent/fluent-bit:3.0'), spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'agent', image: 'fluent/fluent-bit:3.0' }] } } } });
    c.saveStatus('daemonsets', 'apps', 'agent', { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1 });
    c.apply('cronjobs', { metadata: { name: 'backup', namespace: 'apps' }, spec: { schedule: '0 3 * * *', suspend: false, jobTemplate: { spec: { template: template('backup', 'restic/restic:0.17') } } } });
  });

  it('prints secrets, statefulsets, daemonsets and cronjobs with their server-side columns', async () => {
    const secrets = await kubectl(emu, ['get', 'secrets', ...NS]);
    expect(secrets.stdout).toMatch(/^NAME +TYPE +DATA +AGE\nflux-system +Opaque +3 +\d+s\n$/);
    const sts = await kubectl(emu, ['get', 'sts', '-n', 'apps', '-o', 'wide']);
    expect(sts.stdout).toMatch(/^NAME +READY +AGE +CONTAINERS +IMAGES\ndb +1\/2 +\d+s +db +postgres:16\n$/);
    const ds = await kubectl(emu, ['get', 'daemonsets', '-n', 'apps']);
    expect(ds.stdout).toMatch(/^NAME +DESIRED +CURRENT +READY +UP-TO-DATE +AVAILABLE +NODE SELECTOR +AGE\nagent +1 +1 +1 +1 +1 +kubernetes\.io\/os=linux +\d+s\n$/);
    const cj = await kubectl(emu, ['get', 'cronjobs', '-n', 'apps']);
    expect(cj.stdout).toMatch(/^NAME +SCHEDULE +TIMEZONE +SUSPEND +ACTIVE +LAST SCHEDULE +AGE\nbackup +0 3 \* \* \* +<none> +False +0 +<none> +\d+s\n$/);
    const all = await kubectl(emu, ['get', 'all', '-n', 'apps', '-o', 'name']);
    expect(all.stdout.split('\n').filter(Boolean).sort()).toEqual(['cronjob.batch/backup', 'daemonset.apps/agent', 'statefulset.apps/db']);
  });

  it('patches a StatefulSet strategically, bumping generation only for spec changes', async () => {
    const scaled = await kubectl(emu, ['patch', 'sts', 'db', '-n', 'apps', '-p', '{"spec":{"replicas":3}}']);
    expect(scaled.stdout).toBe('statefulset.apps/db patched\n');
    const labelled = await kubectl(emu, ['label', 'sts', 'db', '-n', 'apps', 'tier=data']);
    expect(labelled.stdout).toBe('statefulset.apps/db labeled\n');
    const sts = emu.cluster.mustGet<GenericObject>('statefulsets', 'apps', 'db');
    expect(sts.metadata.generation).toBe(2);
    expect(sts.status).toMatchObject({ readyReplicas: 1 });
  });
});
