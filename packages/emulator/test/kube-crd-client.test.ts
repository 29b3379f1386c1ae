// Custom resources through @kubernetes/client-node 1.4.0, the client the CLI's Flux v2 backend
// uses: discovery, CustomObjectsApi reads and merge patches, the review API and Watch.
import { ApisApi, AuthorizationV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeEmulator, type GenericObject, type KubeEmulator } from '@fluxctl/emulator/kube';
import { GIT_REPOSITORIES, GIT_REPOSITORY } from './helpers/sample-crds.js';

let emu: KubeEmulator;
let kc: KubeConfig;
const GROUP = 'source.toolkit.fluxcd.io';
beforeEach(async () => {
  emu = await startKubeEmulator();
  emu.cluster.registerCustomResource(GIT_REPOSITORY);
  emu.cluster.addNamespace('flux-system');
  emu.cluster.apply(GIT_REPOSITORIES, { metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@example.com/fleet', interval: '1m0s' } });
  kc = new KubeConfig();
  kc.loadFromString(emu.kubeconfig());
});
afterEach(async () => {
  await emu.close();
});

describe('client-node against custom resources', () => {
  it('discovers the group and the versions that serve the plural', async () => {
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const source = groups.groups.find((g) => g.name === GROUP);
    expect(source?.versions.map((v) => v.version)).toEqual(['v1', 'v1beta2']);
    const resources = await kc.makeApiClient(CustomObjectsApi).getAPIResources({ group: GROUP, version: 'v1beta2' });
    expect(resources.resources.map((r) => r.name)).toEqual(['gitrepositories', 'gitrepositories/status']);
  });

  it('reads at any served version, lists cluster-wide and merge-patches', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const old = await api.getNamespacedCustomObject({ group: GROUP, version: 'v1beta2', namespace: 'flux-system', plural: 'gitrepositories', name: 'flux-system' }) as GenericObject;
    expect(old.apiVersion).toBe('source.toolkit.fluxcd.io/v1beta2');
    const all = await api.listClusterCustomObject({ group: GROUP, version: 'v1', plural: 'gitrepositories' }) as { items: GenericObject[] };
    expect(all.items.map((o) => o.metadata.name)).toEqual(['flux-system']);
    const token = '2026-01-01T12:00:00.000Z';
    await api.patchNamespacedCustomObject(
      { group: GROUP, version: 'v1', namespace: 'flux-system', plural: 'gitrepositories', name: 'flux-system', body: { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': token } } }, fieldManager: 'fluxctl' },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const repo = emu.cluster.mustGet<GenericObject>(GIT_REPOSITORIES, 'flux-system', 'flux-system');
    expect(repo.metadata.annotations).toEqual({ 'reconcile.fluxcd.io/requestedAt': token });
    expect(repo.metadata.managedFields?.[0]).toMatchObject({ manager: 'fluxctl', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:reconcile.fluxcd.io/requestedAt': {} } } } });
    const last = emu.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'PATCH', contentType: 'application/merge-patch+json', query: { fieldManager: 'fluxctl' } });
  });

  it('asks a SelfSubjectAccessReview and watches one object by name', async () => {
    emu.faults.deny({ verb: 'patch', resource: 'gitrepositories', group: GROUP });
    const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { verb: 'patch', group: GROUP, resource: 'gitrepositories', namespace: 'flux-system' } } },
    });
    expect(review.status?.allowed).toBe(false);

    const events: string[] = [];
    let first = (): void => {};
    const seen = new Promise<void>((resolve) => (first = resolve));
    const ctl = await new Watch(kc).watch(`/apis/${GROUP}/v1/namespaces/flux-system/gitrepositories`,
      { fieldSelector: 'metadata.name=flux-system', resourceVersion: emu.cluster.resourceVersion },
      (type, obj: GenericObject) => {
        events.push(`${type} ${String((obj.status as { lastHandledReconcileAt?: string } | undefined)?.lastHandledReconcileAt)}`);
        first();
      },
      () => {},
    );
    emu.cluster.saveStatus(GIT_REPOSITORIES, 'flux-system', 'flux-system', { lastHandledReconcileAt: 'token-1' });
    await seen;
    ctl.abort();
    expect(events).toEqual(['MODIFIED token-1']);
  });
});
