import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { decodeItems } from '../../src/backends/toolkit/decode.js';
import { decodeGitRepository, decodeKustomization } from '../../src/backends/toolkit/decode-flux.js';
import { decodeHelmRelease, latestSnapshot } from '../../src/backends/toolkit/decode-helm.js';
import { decodeImageUpdateAutomation } from '../../src/backends/toolkit/decode-automation.js';
import { decodeImagePolicy, decodeImageRepository, formatPolicyImage, parsePolicyImage } from '../../src/backends/toolkit/decode-image.js';
import { decodeApp } from '../../src/backends/toolkit/decode-apps.js';
import {
  SHA, deployment, gitRepositoryLegacy, gitRepositoryV1, helmReleaseV2, helmReleaseV2beta1, imagePolicyLatestImage, imagePolicyV1,
  imageRepository, imageUpdateAutomation, kustomization, kustomizationV1beta1, list,
} from './toolkit-objects.js';

describe('GitRepository', () => {
  it('reads a v1 object as source-controller v1.9 writes it', () => {
    const r = decodeGitRepository(gitRepositoryV1(), 'GitRepository flux-system/flux-system');
    expect(r.metadata).toMatchObject({ name: 'flux-system', namespace: 'flux-system', generation: 1, resourceVersion: '48213' });
    expect(r.spec).toEqual({ url: 'ssh://git@github.com/acme/fleet', interval: '1m0s', timeout: '60s', suspend: false, ref: { branch: 'main', tag: '', semver: '', name: '', commit: '' }, secretRefName: 'flux-system' });
    expect(r.status.artifact?.revision).toBe(`main@sha1:${SHA}`);
    expect(r.status.artifact?.size).toBe(48213);
    expect(r.status.conditions[0]).toMatchObject({ type: 'Ready', status: 'True', reason: 'Succeeded', observedGeneration: 1 });
    expect(r.status.lastHandledReconcileAt).toBe('2026-08-07T10:15:00.123456789Z');
  });

  it('reads the legacy v1beta1 fields (checksum, `main/<sha>`, conditions without observedGeneration)', () => {
    const r = decodeGitRepository(gitRepositoryLegacy(), 'x');
    expect(r.status.artifact).toMatchObject({ revision: `main/${SHA}`, digest: '', checksum: '2c4a9f0d7e3b1a6c5d8e9f0a1b2c3d4e5f607182' });
    expect(r.status.conditions[0]?.observedGeneration).toBe(0);
    expect(r.status.lastHandledReconcileAt).toBe('');
  });

  it('has no ref, artifact or observed generation before its first reconcile', () => {
    const r = decodeGitRepository({ metadata: { name: 'new', namespace: 'ns' }, spec: { url: 'https://example.com/r', interval: '5m' } }, 'x');
    expect(r.spec.ref).toBeNull();
    expect(r.status.artifact).toBeNull();
    expect(r.status.observedGeneration).toBe(-1);
  });
});

describe('Kustomization', () => {
  it('reads the inventory and defaults the sourceRef namespace to its own', () => {
    const k = decodeKustomization(kustomization({ inventory: ['podinfo_podinfo_apps_Deployment', 'podinfo_podinfo__Service'] }), 'x');
    expect(k.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' });
    expect(k.status.inventory).toEqual([{ id: 'podinfo_podinfo_apps_Deployment', v: 'v1' }, { id: 'podinfo_podinfo__Service', v: 'v1' }]);
    expect(k.status.lastAppliedRevision).toBe(`main@sha1:${SHA}`);
    expect(k.spec.remote).toBe(false);
  });

  it('treats kustomize v1beta1 (status.snapshot) as having no inventory', () => {
    const k = decodeKustomization(kustomizationV1beta1(), 'x');
    expect(k.status.inventory).toBeNull();
    expect(k.status.lastAppliedRevision).toBe(`main/${SHA}`);
  });

  it('marks a Kustomization that applies to another cluster', () => {
    const raw = kustomization();
    (raw.spec as Record<string, unknown>).kubeConfig = { secretRef: { name: 'prod-kubeconfig' } };
    expect(decodeKustomization(raw, 'x').spec.remote).toBe(true);
  });
});

describe('HelmRelease', () => {
  it('reads v2 history and picks the newest snapshot by version', () => {
    const hr = decodeHelmRelease(helmReleaseV2(), 'x');
    expect(hr.spec).toMatchObject({ chart: 'podinfo', chartVersion: '6.x', chartSourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } });
    expect(hr.status.history.map((s) => s.version)).toEqual([3, 2]);
    expect(latestSnapshot(hr)).toMatchObject({ version: 3, status: 'deployed', chartVersion: '6.5.4', namespace: 'podinfo' });
    expect(hr.status.inventory).toBeNull();
  });

  it('reads v2beta1 without history', () => {
    const hr = decodeHelmRelease(helmReleaseV2beta1(), 'x');
    expect(hr.status.history).toEqual([]);
    expect(latestSnapshot(hr)).toBeUndefined();
    expect(hr.status).toMatchObject({ lastAppliedRevision: '17.11.3', lastReleaseRevision: 3 });
    expect(hr.spec.chartSourceRef).toEqual({ kind: 'HelmRepository', name: 'bitnami', namespace: 'cache' });
  });

  it('reads a v2 chartRef and a helm-controller v1.5 inventory', () => {
    const hr = decodeHelmRelease({
      metadata: { name: 'app', namespace: 'apps' },
      spec: { chartRef: { kind: 'OCIRepository', name: 'app' } },
      status: { inventory: { entries: [{ id: 'apps_app_apps_Deployment', v: 'v1' }] } },
    }, 'x');
    expect(hr.spec.chart).toBe('');
    expect(hr.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'app', namespace: 'apps' });
    expect(hr.status.inventory).toEqual([{ id: 'apps_app_apps_Deployment', v: 'v1' }]);
  });
});

describe('image automation kinds', () => {
  it('reads an ImageRepository scan result', () => {
    const r = decodeImageRepository(imageRepository(), 'x');
    expect(r.status.canonicalImageName).toBe('ghcr.io/stefanprodan/podinfo');
    expect(r.status.lastScanResult).toMatchObject({ tagCount: 42, latestTags: expect.arrayContaining(['6.5.4']) });
    expect(decodeImageRepository(imageRepository({ scanned: false }), 'x').status.lastScanResult).toBeNull();
  });

  it('reads latestRef (v1) and the deprecated latestImage string (v1beta2, Flux ≤ 2.5) alike', () => {
    const v1 = decodeImagePolicy(imagePolicyV1(), 'x');
    expect(v1.status.latestRef).toEqual({ name: 'ghcr.io/stefanprodan/podinfo', tag: '6.5.4', digest: '' });
    expect(v1.spec.policy).toEqual({ kind: 'semver', range: '6.x' });
    expect(v1.spec.imageRepositoryRef).toEqual({ kind: '', name: 'podinfo', namespace: 'flux-system' });
    const old = decodeImagePolicy(imagePolicyLatestImage(), 'x');
    expect(old.status.latestRef).toEqual({ name: 'ghcr.io/stefanprodan/podinfo', tag: '6.4.0', digest: '' });
    expect(old.status.observedPreviousRef?.tag).toBe('6.3.6');
    expect(old.spec.policy).toEqual({ kind: 'numerical', order: 'asc' });
    expect(old.spec.filterTags).toEqual({ pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)', extract: '$ts' });
    expect(old.spec.suspend).toBe(false);
  });

  it('prefers latestRef when image-reflector v0.35 wrote both', () => {
    const p = imagePolicyV1({ tag: '6.5.4' });
    (p.status as Record<string, unknown>).latestImage = 'ghcr.io/stefanprodan/podinfo:6.0.0';
    expect(decodeImagePolicy(p, 'x').status.latestRef?.tag).toBe('6.5.4');
  });

  it('splits and writes image strings with registry ports and digests', () => {
    expect(parsePolicyImage('localhost:5000/app:1.2')).toEqual({ name: 'localhost:5000/app', tag: '1.2', digest: '' });
    expect(parsePolicyImage('localhost:5000/app')).toEqual({ name: 'localhost:5000/app', tag: '', digest: '' });
    const pinned = parsePolicyImage('ghcr.io/a/b:1.0@sha256:abcd');
    expect(pinned).toEqual({ name: 'ghcr.io/a/b', tag: '1.0', digest: 'sha256:abcd' });
    expect(formatPolicyImage(pinned)).toBe('ghcr.io/a/b:1.0@sha256:abcd');
  });

  it('reads an ImageUpdateAutomation with and without a policySelector', () => {
    const all = decodeImageUpdateAutomation(imageUpdateAutomation(), 'x');
    expect(all.spec).toMatchObject({ policySelector: null, updatePath: './clusters/prod', checkoutBranch: 'main', pushBranch: 'main' });
    const some = decodeImageUpdateAutomation(imageUpdateAutomation({ selector: { matchLabels: { team: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] } }), 'x');
    expect(some.spec.policySelector?.matchLabels).toEqual(new Map([['team', 'web']]));
    expect(some.spec.policySelector?.matchExpressions).toEqual([{ key: 'tier', operator: 'In', values: ['a'] }]);
  });
});

describe('lists and errors', () => {
  it('decodes list answers and plain arrays', () => {
    const decode = decodeApp('Deployment');
    expect(decodeItems(list('Deployment', [deployment(), deployment({ name: 'b' })]), 'Deployment', decode)).toHaveLength(2);
    expect(decodeItems([deployment()], 'Deployment', decode)).toHaveLength(1);
    expect(decodeItems({ kind: 'DeploymentList', items: null }, 'Deployment', decode)).toEqual([]);
  });

  it('names the object and field of a wrong type', () => {
    const bad = deployment({ name: 'web', namespace: 'prod' });
    (bad.spec as Record<string, unknown>).replicas = '2';
    const attempt = (): unknown => decodeItems(list('Deployment', [bad]), 'Deployment', decodeApp('Deployment'));
    expect(attempt).toThrow(DecodeError);
    expect(attempt).toThrow('Deployment prod/web.spec.replicas: expected an integer, got string');
    expect(() => decodeItems({ items: {} }, 'Kustomization', decodeKustomization)).toThrow('Kustomization list.items: expected an array, got object');
    expect(() => decodeItems([{ metadata: 7 }], 'HelmRelease', decodeHelmRelease)).toThrow('HelmRelease items[0].metadata: expected an object, got number');
  });
});
