import { describe, expect, it } from 'vitest';
import { exportObject, generatedCharts, writtenByHelmController } from '../../src/backends/toolkit/export-object.js';
import { decodeController, distributionVersion, imageTag, type FluxController } from '../../src/backends/toolkit/version.js';
import { gitRepositoryV1, helmReleaseV2, kustomization } from './toolkit-objects.js';

const controller = (component: string, version: string, tag: string): FluxController => ({ component, version, image: `ghcr.io/fluxcd/${component}:${tag}` });

describe('distributionVersion', () => {
  it('is the version label the controllers share', () => {
    expect(distributionVersion([controller('source-controller', 'v2.9.4', 'v1.9.4'), controller('kustomize-controller', 'v2.9.4', 'v1.9.4')])).toBe('v2.9.4');
  });

  it('names each version with its controllers during an upgrade (versions in numeric order)', () => {
    const mixed = [controller('source-controller', 'v2.10.0', 'v1.10.0'), controller('helm-controller', 'v2.9.4', 'v1.6.3'), controller('kustomize-controller', 'v2.10.0', 'v1.10.0')];
    expect(distributionVersion(mixed)).toBe('v2.9.4 (helm-controller), v2.10.0 (kustomize-controller, source-controller)');
  });

  it('falls back to the manager image tags without a version label (the static install.yaml)', () => {
    const unlabelled = [controller('source-controller', '', 'v1.9.4'), controller('helm-controller', '', 'v1.6.3')];
    expect(distributionVersion(unlabelled)).toBe('helm-controller v1.6.3, source-controller v1.9.4');
  });

  it('reads tags from any image reference', () => {
    expect(imageTag('ghcr.io/fluxcd/source-controller:v1.9.4')).toBe('v1.9.4');
    expect(imageTag('registry.local:5000/fluxcd/source-controller:v1.9.4@sha256:0123456789abcdef0123')).toBe('v1.9.4');
    expect(imageTag('registry.local:5000/fluxcd/source-controller@sha256:0123456789abcdef0123')).toBe('sha256:0123456789ab');
    expect(imageTag('registry.local:5000/fluxcd/source-controller')).toBe('latest');
  });

  it('decodes a controller Deployment: component label, else name; the manager container', () => {
    const deployment = (labels: Record<string, string>) => ({
      metadata: { name: 'source-controller', namespace: 'flux-system', labels },
      spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }, { name: 'manager', image: 'ghcr.io/fluxcd/source-controller:v1.9.4' }] } } },
    });
    expect(decodeController(deployment({ 'app.kubernetes.io/component': 'source-controller', 'app.kubernetes.io/version': 'v2.9.4' }), 'd')).toEqual(controller('source-controller', 'v2.9.4', 'v1.9.4'));
    expect(decodeController(deployment({}), 'd')).toEqual(controller('source-controller', '', 'v1.9.4'));
  });
});

describe('exportObject', () => {
  const served = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories' };

  it('keeps apiVersion, kind, name, namespace, labels, annotations and spec, without status or server metadata', () => {
    const raw = gitRepositoryV1();
    const meta = raw.metadata as Record<string, unknown>;
    meta.annotations = { 'reconcile.fluxcd.io/requestedAt': '2026-08-07T10:15:00Z', 'team': 'platform' };
    meta.labels = { ...(meta.labels as object), 'app.kubernetes.io/part-of': 'fleet' };
    meta.uid = '5f0c…';
    meta.managedFields = [{ manager: 'kustomize-controller' }];
    expect(exportObject(raw, 'GitRepository', served, 'g')).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'flux-system', namespace: 'flux-system', labels: { 'app.kubernetes.io/part-of': 'fleet' }, annotations: { team: 'platform' } },
      spec: { interval: '1m0s', ref: { branch: 'main' }, secretRef: { name: 'flux-system' }, timeout: '60s', url: 'ssh://git@github.com/acme/fleet' },
    });
  });

  it('leaves out empty labels and annotations, and a missing spec', () => {
    const out = exportObject({ metadata: { name: 'x', namespace: 'y', labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps' } } }, 'Alert', served, 'a');
    expect(out).toEqual({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'Alert', metadata: { name: 'x', namespace: 'y' } });
    expect(Object.keys(exportObject(kustomization(), 'Kustomization', served, 'k'))).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });
});

describe('generatedCharts', () => {
  it('names the HelmCharts helm-controller makes: from status.helmChart and by its naming rule', () => {
    const reconciled = helmReleaseV2();
    const fresh = helmReleaseV2({ name: 'redis', namespace: 'cache' });
    delete (fresh.status as Record<string, unknown>).helmChart;
    const byRef = { metadata: { name: 'web', namespace: 'apps' }, spec: { chartRef: { kind: 'OCIRepository', name: 'web' } } };
    expect([...generatedCharts([reconciled, fresh, byRef])].sort()).toEqual(['flux-system/cache-redis', 'flux-system/podinfo-podinfo']);
  });

  it('knows a HelmChart helm-controller wrote by its managedFields', () => {
    const chart = (manager: string) => ({ metadata: { name: 'frontend-podinfo', managedFields: [{ manager, operation: 'Update' }] } });
    expect(writtenByHelmController(chart('helm-controller'), 'c')).toBe(true);
    expect(writtenByHelmController(chart('kubectl-client-side-apply'), 'c')).toBe(false);
    expect(writtenByHelmController({ metadata: { name: 'x' } }, 'c')).toBe(false);
  });
});
