import { describe, expect, it } from 'vitest';
import { automationTargets, LOCK_ANNOTATION, planStep, stepPatch, type Target } from '../../src/backends/toolkit/automation-plan.js';
import { indexImages } from '../../src/backends/toolkit/image-index.js';
import { workloadPolicies } from '../../src/backends/toolkit/images.js';
import { buildWorkloads, decodeWorkloadLists, type WorkloadLists } from '../../src/backends/toolkit/workloads.js';
import type { AutomationAction } from '../../src/backends/types.js';
import { outcomeRows } from '../../src/commands/shared/policy-shortcut.js';
import { deployment, imagePolicyV1, imageRepository, imageUpdateAutomation, list } from './toolkit-objects.js';

type Obj = Record<string, unknown>;

function target(o: { suspended?: boolean; lock?: string; kind?: Target['kind'] } = {}): Target {
  return {
    kind: o.kind ?? 'ImagePolicy',
    metadata: {
      name: 'podinfo', namespace: 'flux-system', generation: 1, resourceVersion: '42', labels: null,
      annotations: o.lock === undefined ? null : new Map([[LOCK_ANNOTATION, o.lock]]),
    },
    suspended: o.suspended ?? false,
    containers: ['podinfod'],
  };
}

const RESUME = 'resume-on-unlock';
const STAY = 'stay-suspended-on-unlock';

describe('planStep: v1\'s automated and locked flags on one spec.suspend switch', () => {
  // [action, suspended, lock annotation] → [patch body without resourceVersion, or null when nothing changes]
  const cases: Array<[AutomationAction, boolean, string | undefined, Obj | null]> = [
    ['automate', true, undefined, { spec: { suspend: null } }],
    ['automate', false, undefined, null],
    ['automate', true, RESUME, null],
    ['automate', true, STAY, { metadata: { annotations: { [LOCK_ANNOTATION]: RESUME } } }],
    ['deautomate', false, undefined, { spec: { suspend: true } }],
    ['deautomate', true, undefined, null],
    ['deautomate', true, RESUME, { metadata: { annotations: { [LOCK_ANNOTATION]: STAY } } }],
    ['deautomate', true, STAY, null],
    ['lock', false, undefined, { metadata: { annotations: { [LOCK_ANNOTATION]: RESUME } }, spec: { suspend: true } }],
    ['lock', true, undefined, { metadata: { annotations: { [LOCK_ANNOTATION]: STAY } } }],
    ['lock', true, RESUME, null],
    ['lock', true, STAY, null],
    ['unlock', true, RESUME, { metadata: { annotations: { [LOCK_ANNOTATION]: null } }, spec: { suspend: null } }],
    ['unlock', true, STAY, { metadata: { annotations: { [LOCK_ANNOTATION]: null } } }],
    ['unlock', true, undefined, null],
    ['unlock', false, undefined, null],
  ];
  it.each(cases)('%s on suspended=%s, lock=%s', (action, suspended, lock, want) => {
    const step = planStep(target({ suspended, lock }), action);
    if (want === null) {
      expect(step.change).toBeUndefined();
      expect(stepPatch(step)).toEqual({ metadata: { resourceVersion: '42' } });
      return;
    }
    const body = stepPatch(step);
    expect(body).toEqual({ ...want, metadata: { resourceVersion: '42', ...(want.metadata as Obj | undefined) } });
  });

  it('an unknown annotation value is no lock of ours', () => {
    expect(planStep(target({ suspended: true, lock: 'true' }), 'unlock').update).toBe('not locked by fluxctl, but suspended: fluxctl automate resumes it');
  });

  it('lock then unlock restores what lock found, and running either twice changes nothing', () => {
    const apply = (t: Target, action: AutomationAction): Target => {
      const { change } = planStep(t, action);
      const annotations = new Map(t.metadata.annotations ?? []);
      if (change?.lock === null) annotations.delete(LOCK_ANNOTATION);
      else if (change?.lock !== undefined) annotations.set(LOCK_ANNOTATION, change.lock);
      return { ...t, suspended: change?.suspend ?? t.suspended, metadata: { ...t.metadata, annotations } };
    };
    for (const start of [false, true]) {
      const locked = apply(target({ suspended: start }), 'lock');
      expect(locked.suspended).toBe(true);
      expect(planStep(locked, 'lock').change).toBeUndefined();
      const unlocked = apply(locked, 'unlock');
      expect(unlocked.suspended).toBe(start);
      expect(planStep(unlocked, 'unlock').change).toBeUndefined();
    }
    // automate while locked takes effect at unlock; deautomate while locked keeps it suspended after.
    const wanted = apply(apply(target({ suspended: true }), 'lock'), 'automate');
    expect(wanted.suspended).toBe(true);
    expect(apply(wanted, 'unlock').suspended).toBe(false);
    const unwanted = apply(apply(target(), 'lock'), 'deautomate');
    expect(apply(unwanted, 'unlock').suspended).toBe(true);
  });
});

describe('automationTargets', () => {
  const policies = (images: Obj[] = [imageUpdateAutomation()]): ReturnType<typeof workloadPolicies> => {
    const lists: WorkloadLists = {
      deployments: list('Deployment', [deployment({ image: 'ghcr.io/stefanprodan/podinfo:6.5.3', init: [{ name: 'warm', image: 'ghcr.io/stefanprodan/podinfo:6.5.3' }] })]),
      imageRepositories: list('ImageRepository', [imageRepository()]),
      imagePolicies: list('ImagePolicy', [imagePolicyV1(), imagePolicyV1({ name: 'podinfo-rc', suspend: true })]),
      imageUpdateAutomations: list('ImageUpdateAutomation', images),
    };
    const objects = decodeWorkloadLists(lists);
    const [w] = buildWorkloads(objects);
    return workloadPolicies(w!, indexImages(objects.images));
  };
  const names = (ts: Target[]): string[] => ts.map((t) => `${t.kind} ${t.metadata.name} ${t.containers.join('+')} ${t.suspended}`);

  it('image-reflector ≥ v1.0: the covering ImagePolicies; automate also the automations writing them', () => {
    const covering = policies();
    expect(names(automationTargets(covering, 'deautomate', true))).toEqual(['ImagePolicy podinfo podinfod+warm false', 'ImagePolicy podinfo-rc podinfod+warm true']);
    expect(names(automationTargets(covering, 'lock', true))).toHaveLength(2);
    expect(names(automationTargets(covering, 'automate', true))).toEqual([
      'ImagePolicy podinfo podinfod+warm false', 'ImagePolicy podinfo-rc podinfod+warm true', 'ImageUpdateAutomation flux-system podinfod+warm false',
    ]);
  });

  it('automate also resumes a suspended ImageRepository (it scans no new tags), and only then', () => {
    const lists: WorkloadLists = {
      deployments: list('Deployment', [deployment()]),
      imageRepositories: list('ImageRepository', [imageRepository({ suspend: true })]),
      imagePolicies: list('ImagePolicy', [imagePolicyV1()]),
      imageUpdateAutomations: list('ImageUpdateAutomation', [imageUpdateAutomation()]),
    };
    const objects = decodeWorkloadLists(lists);
    const covering = workloadPolicies(buildWorkloads(objects)[0]!, indexImages(objects.images));
    expect(names(automationTargets(covering, 'automate', true))).toContain('ImageRepository podinfo podinfod true');
    expect(names(automationTargets(covering, 'lock', true))).toEqual(['ImagePolicy podinfo podinfod false']);
    expect(names(automationTargets(policies(), 'automate', true)).some((n) => n.startsWith('ImageRepository'))).toBe(false);
  });

  it('unlock also releases an automation an older fluxctl locked, and only that', () => {
    const locked = imageUpdateAutomation({ suspend: true });
    (locked.metadata as Obj).annotations = { [LOCK_ANNOTATION]: RESUME };
    expect(names(automationTargets(policies([locked]), 'unlock', true))).toContain('ImageUpdateAutomation flux-system podinfod+warm true');
    expect(names(automationTargets(policies(), 'unlock', true))).toHaveLength(2);
  });

  it('before image-reflector v1.0 (no ImagePolicy suspend): the automations, once each', () => {
    const covering = policies([imageUpdateAutomation(), imageUpdateAutomation({ name: 'other', namespace: 'apps' })]);
    for (const action of ['automate', 'deautomate', 'lock', 'unlock'] as const) {
      expect(names(automationTargets(covering, action, false))).toEqual(['ImageUpdateAutomation flux-system podinfod+warm false']);
    }
    expect(automationTargets(policies([]), 'lock', false)).toEqual([]);
  });
});

describe('outcomeRows: fluxctl\'s result table rows', () => {
  const outcomes = [
    { workload: 'flux-system:imagepolicy/b', status: 'skipped' as const, updates: ['already suspended'] },
    { workload: 'flux-system:imagepolicy/a', status: 'success' as const, updates: ['suspended', 'decides the image of container podinfod'] },
  ];
  it('sorts by object, hides skipped ones below -v and puts further updates on their own lines', () => {
    expect(outcomeRows(outcomes, 0)).toEqual([
      ['flux-system:imagepolicy/a', 'success', 'suspended'],
      ['', '', 'decides the image of container podinfod'],
    ]);
    expect(outcomeRows(outcomes, 1)).toHaveLength(3);
    expect(outcomeRows([{ workload: 'x', status: 'success', updates: [] }], 0)).toEqual([['x', 'success', '']]);
  });
});
