import { describe, expect, it } from 'vitest';
import { IMAGES_HEADER, imageRows } from '../../src/output/images.js';
import { jsonDocument } from '../../src/output/render.js';
import { renderTabRows } from '../../src/output/table.js';
import { canonicalImageName, imageRepositoryPart } from '../../src/backends/toolkit/image-name.js';
import { indexImages } from '../../src/backends/toolkit/image-index.js';
import { buildImageStatuses, workloadPolicies } from '../../src/backends/toolkit/images.js';
import { buildWorkloads, decodeWorkloadLists, type WorkloadLists } from '../../src/backends/toolkit/workloads.js';
import { deployment, imagePolicyLatestImage, imagePolicyV1, imageRepository, imageUpdateAutomation, list } from './toolkit-objects.js';

describe('canonicalImageName (go-containerregistry)', () => {
  it.each([
    ['nginx', 'index.docker.io/library/nginx'],
    ['nginx:1.25.4', 'index.docker.io/library/nginx'],
    ['library/nginx:1.25', 'index.docker.io/library/nginx'],
    ['docker.io/nginx', 'index.docker.io/library/nginx'],
    ['docker.io/bitnami/redis:7.2@sha256:0123abcd', 'index.docker.io/bitnami/redis'],
    ['index.docker.io/library/alpine:3.20', 'index.docker.io/library/alpine'],
    ['bitnami/redis', 'index.docker.io/bitnami/redis'],
    ['ghcr.io/stefanprodan/podinfo:6.5.3', 'ghcr.io/stefanprodan/podinfo'],
    ['localhost:5000/app:1', 'localhost:5000/app'],
    ['localhost/app', 'localhost/app'],
    ['registry:5000/team/app', 'registry:5000/team/app'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2024.05', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api'],
  ])('%s → %s', (image, canonical) => {
    expect(canonicalImageName(image)).toBe(canonical);
  });

  it('keeps the spelling when only dropping tag and digest', () => {
    expect(imageRepositoryPart('localhost:5000/app:1@sha256:ab')).toBe('localhost:5000/app');
    expect(imageRepositoryPart('nginx')).toBe('nginx');
  });
});

// Alphabetical order is not semver order: the policy's 6.10.0 sorts below the ten latestTags.
const LISTS: WorkloadLists = {
  deployments: list('Deployment', [
    deployment({ image: 'ghcr.io/stefanprodan/podinfo:6.5.3', init: [{ name: 'wait', image: 'busybox:1.36' }] }),
    deployment({ name: 'frontend', image: 'ghcr.io/stefanprodan/podinfo:6.1.0' }),
  ]),
  imageRepositories: list('ImageRepository', [imageRepository({ tagCount: 57 })]),
  imagePolicies: list('ImagePolicy', [imagePolicyV1({ tag: '6.10.0' })]),
  imageUpdateAutomations: list('ImageUpdateAutomation', [imageUpdateAutomation()]),
};

function statuses(lists: WorkloadLists) {
  const objects = decodeWorkloadLists(lists);
  return buildImageStatuses(buildWorkloads(objects), indexImages(objects.images));
}

describe('list-images on Flux v2', () => {
  it('prints fluxctl\'s table: latestTags in order, the policy tag added, the running tag marked', () => {
    const { rows } = imageRows(statuses(LISTS), 0);
    expect(renderTabRows([IMAGES_HEADER, ...rows])).toBe([
      'WORKLOAD                     CONTAINER  IMAGE                         CREATED',
      'podinfo:deployment/frontend  podinfod   ghcr.io/stefanprodan/podinfo  ',
      '                                        |   6.5.4                     ',
      '                                        |   6.5.3                     ',
      '                                        |   6.5.2                     ',
      '                                        |   6.5.1                     ',
      '                                        |   6.5.0                     ',
      '                                        |   6.4.1                     ',
      '                                        |   6.4.0                     ',
      '                                        |   6.3.6                     ',
      '                                        |   6.3.5                     ',
      '                                        |   6.3.4                     ',
      '                                        |   6.10.0                    ',
      "                                        '-> 6.1.0                     ?",
      'podinfo:deployment/podinfo   podinfod   ghcr.io/stefanprodan/podinfo  ',
      '                                        |   6.5.4                     ',
      "                                        '-> 6.5.3                     ",
      '                                            6.5.2                     ',
      '                                            6.5.1                     ',
      '                                            6.5.0                     ',
      '                                            6.4.1                     ',
      '                                            6.4.0                     ',
      '                                            6.3.6                     ',
      '                                            6.3.5                     ',
      '                                            6.3.4                     ',
      '                                            6.10.0                    ',
      '                             wait       busybox                       image data not available',
      "                                        '-> 1.36                      ?",
      '',
    ].join('\n'));
  });

  it('fills the v1 JSON fields it can: Available, AvailableImagesCount, LatestFiltered; no CREATED', () => {
    const podinfo = statuses(LISTS).find((s) => s.ID === 'podinfo:deployment/podinfo')!;
    const [main, wait] = podinfo.Containers!;
    expect(main!.LatestFiltered.ID).toBe('ghcr.io/stefanprodan/podinfo:6.10.0');
    expect(main!.AvailableImagesCount).toBe(57);
    expect(main!.Available?.map((i) => i.ID)).toHaveLength(11);
    expect(main!.Available?.every((i) => i.CreatedAt === undefined)).toBe(true);
    expect(jsonDocument(wait!)).toBe('{"Name":"wait","Current":{"ID":"busybox:1.36","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}}\n');
  });

  it('reads the selected tag of a pre-2.6 policy (latestImage) and names tags with the workload\'s spelling', () => {
    const s = statuses({
      deployments: list('Deployment', [deployment({ image: 'ghcr.io/stefanprodan/podinfo:6.4.0@sha256:4a9f' })]),
      imageRepositories: list('ImageRepository', [imageRepository({ tags: ['6.4.0', '6.3.6'], tagCount: 2 })]),
      imagePolicies: list('ImagePolicy', [imagePolicyLatestImage()]),
    });
    const c = s[0]!.Containers![0]!;
    expect(c.LatestFiltered.ID).toBe('ghcr.io/stefanprodan/podinfo:6.4.0');
    expect(c.Available?.map((i) => i.ID)).toEqual(['ghcr.io/stefanprodan/podinfo:6.4.0', 'ghcr.io/stefanprodan/podinfo:6.3.6']);
  });

  it('shows no image data before the first scan, and null containers for HelmRelease rows', () => {
    const s = statuses({
      deployments: list('Deployment', [deployment()]),
      imageRepositories: list('ImageRepository', [imageRepository({ scanned: false })]),
      helmReleases: [{ metadata: { name: 'podinfo', namespace: 'podinfo' }, spec: {} }],
    });
    expect(s.map((x) => x.ID)).toEqual(['podinfo:deployment/podinfo', 'podinfo:helmrelease/podinfo']);
    expect(s[0]!.Containers![0]!.Available).toBeUndefined();
    expect(s[1]!.Containers).toBeNull();
  });
});

describe('workloadPolicies', () => {
  it('lists each covering ImagePolicy once with the containers it covers, and its automations', () => {
    const objects = decodeWorkloadLists({
      deployments: list('Deployment', [deployment({ init: [{ name: 'warmup', image: 'ghcr.io/stefanprodan/podinfo:6.5.3' }, { name: 'wait', image: 'busybox:1.36' }] })]),
      imageRepositories: list('ImageRepository', [imageRepository()]),
      imagePolicies: list('ImagePolicy', [imagePolicyV1(), imagePolicyV1({ name: 'podinfo-canary', suspend: true })]),
      imageUpdateAutomations: list('ImageUpdateAutomation', [imageUpdateAutomation()]),
    });
    const [w] = buildWorkloads(objects);
    const found = workloadPolicies(w!, indexImages(objects.images));
    expect(found.map((p) => [p.policy.metadata.name, p.containers, p.automated, p.locked, p.automations.map((a) => a.metadata.name)])).toEqual([
      ['podinfo', ['podinfod', 'warmup'], true, false, ['flux-system']],
      ['podinfo-canary', ['podinfod', 'warmup'], false, true, ['flux-system']],
    ]);
  });

  it('prefers the ImageRepository in the workload\'s namespace', () => {
    const objects = decodeWorkloadLists({
      imageRepositories: list('ImageRepository', [imageRepository({ namespace: 'flux-system' }), imageRepository({ namespace: 'podinfo' })]),
    });
    expect(indexImages(objects.images).repositories('ghcr.io/stefanprodan/podinfo:1', 'podinfo').map((r) => r.metadata.namespace)).toEqual(['podinfo', 'flux-system']);
  });
});
