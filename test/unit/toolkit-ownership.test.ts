import { describe, expect, it } from 'vitest';
import { decodeKustomization } from '../../src/backends/toolkit/decode-flux.js';
import { decodeMeta } from '../../src/backends/toolkit/decode.js';
import { indexOwners, inventoryId, ownerOf, parseInventoryId } from '../../src/backends/toolkit/ownership.js';
import { selectorMatches } from '../../src/backends/toolkit/selector-match.js';
import { kustomization } from './toolkit-objects.js';

describe('inventory ids (fluxcd/cli-utils ObjMetadata)', () => {
  it('writes ids, encoding colons only in RBAC names', () => {
    expect(inventoryId('podinfo', 'podinfo', 'apps', 'Deployment')).toBe('podinfo_podinfo_apps_Deployment');
    expect(inventoryId('podinfo', 'podinfo', '', 'Service')).toBe('podinfo_podinfo__Service');
    expect(inventoryId('', 'system:controller:manager', 'rbac.authorization.k8s.io', 'ClusterRole')).toBe('_system__controller__manager_rbac.authorization.k8s.io_ClusterRole');
  });

  it('parses them back, cutting at the first and the last two underscores', () => {
    expect(parseInventoryId('default_podinfo_apps_Deployment')).toEqual({ namespace: 'default', name: 'podinfo', group: 'apps', kind: 'Deployment' });
    expect(parseInventoryId('_podinfo__Namespace')).toEqual({ namespace: '', name: 'podinfo', group: '', kind: 'Namespace' });
    expect(parseInventoryId('_system__controller__manager_rbac.authorization.k8s.io_ClusterRole')).toEqual({
      namespace: '', name: 'system:controller:manager', group: 'rbac.authorization.k8s.io', kind: 'ClusterRole',
    });
    expect(parseInventoryId('flux-system_apps_kustomize.toolkit.fluxcd.io_Kustomization')?.group).toBe('kustomize.toolkit.fluxcd.io');
    expect(parseInventoryId('no-separators')).toBeUndefined();
    expect(parseInventoryId('ns_only')).toBeUndefined();
    expect(parseInventoryId('ns_a_b_c_apps_Deployment')).toBeUndefined();
  });
});

describe('ownerOf', () => {
  const meta = (labels?: Record<string, string>) => decodeMeta({ name: 'podinfo', namespace: 'podinfo', ...(labels ? { labels } : {}) }, 'x');

  it('picks the smallest owner ID when two inventories list the same object', () => {
    const id = 'podinfo_podinfo_apps_Deployment';
    const owners = indexOwners([decodeKustomization(kustomization({ name: 'zeta', inventory: [id] }), 'x'), decodeKustomization(kustomization({ name: 'alpha', inventory: [id] }), 'x')], []);
    expect(ownerOf(owners, meta(), 'apps', 'Deployment')?.id).toBe('flux-system:kustomization/alpha');
  });

  it('reads the owner namespace from the label, else the object\'s namespace', () => {
    const owners = indexOwners([], []);
    expect(ownerOf(owners, meta({ 'helm.toolkit.fluxcd.io/name': 'podinfo' }), 'apps', 'Deployment')).toMatchObject({ id: 'podinfo:helmrelease/podinfo', known: false });
  });
});

describe('selectorMatches (metav1.LabelSelector)', () => {
  const labels = new Map([['team', 'web'], ['tier', 'front']]);
  const sel = (matchLabels: Record<string, string> | null, matchExpressions: { key: string; operator: string; values: string[] }[] = []) => ({
    matchLabels: matchLabels === null ? null : new Map(Object.entries(matchLabels)), matchExpressions,
  });

  it('matches everything without a selector or with an empty one', () => {
    expect(selectorMatches(null, null)).toBe(true);
    expect(selectorMatches(sel(null), labels)).toBe(true);
  });

  it('requires every label and expression', () => {
    expect(selectorMatches(sel({ team: 'web' }), labels)).toBe(true);
    expect(selectorMatches(sel({ team: 'web', tier: 'back' }), labels)).toBe(false);
    expect(selectorMatches(sel(null, [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }]), labels)).toBe(true);
    expect(selectorMatches(sel(null, [{ key: 'team', operator: 'NotIn', values: ['web'] }]), labels)).toBe(false);
    expect(selectorMatches(sel(null, [{ key: 'owner', operator: 'NotIn', values: ['x'] }]), labels)).toBe(true);
    expect(selectorMatches(sel(null, [{ key: 'team', operator: 'Exists', values: [] }]), labels)).toBe(true);
    expect(selectorMatches(sel(null, [{ key: 'team', operator: 'DoesNotExist', values: [] }]), labels)).toBe(false);
    expect(selectorMatches(sel(null, [{ key: 'team', operator: 'Gt', values: ['1'] }]), labels)).toBe(false);
    expect(selectorMatches(sel({ team: 'web' }), null)).toBe(false);
  });
});
