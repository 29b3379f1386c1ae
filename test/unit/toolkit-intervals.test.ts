import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from '../../src/errors.js';
import { decodeGitRepository, decodeKustomization, type Kustomization } from '../../src/backends/toolkit/decode-flux.js';
import type { Written } from '../../src/backends/toolkit/intervals-apply.js';
import { describeRevert, labelledOwner, revertWarnings } from '../../src/backends/toolkit/intervals-git.js';
import { decodeIntervalObject, fromKustomization, fromRepository, pickKustomizations, sameDuration, type IntervalObject } from '../../src/backends/toolkit/intervals-objects.js';
import { listObjects, planChanges, timeoutNotes } from '../../src/backends/toolkit/intervals-plan.js';
import { kubectlGet, settleVerdict } from '../../src/backends/toolkit/intervals-settle.js';
import { cond, gitRepositoryV1, kustomization, ready } from './toolkit-objects.js';

const repo = decodeGitRepository(gitRepositoryV1(), 'GitRepository');
const ks = (o: Parameters<typeof kustomization>[0] = {}): Kustomization => decodeKustomization(kustomization(o), 'Kustomization');
const GIT_ID = 'flux-system_flux-system_source.toolkit.fluxcd.io_GitRepository';
const SELF_ID = 'flux-system_flux-system_kustomize.toolkit.fluxcd.io_Kustomization';

describe('planChanges', () => {
  const objects = [fromRepository(repo), fromKustomization(ks({ name: 'flux-system' })), fromKustomization(ks({ name: 'apps' }))];

  it('patches only the objects whose duration differs, with the value as given', () => {
    const plan = planChanges(objects, new Map([['git-poll-interval', '1m'], ['sync-interval', '5m']]), 'GitRepository flux-system/flux-system');
    // 1m is the GitRepository's 1m0s already: no write, no reconcile.
    expect(plan.map((p) => [p.object.kind, p.object.metadata.name, p.interval])).toEqual([
      ['Kustomization', 'flux-system', '5m'],
      ['Kustomization', 'apps', '5m'],
    ]);
    expect(planChanges(objects, new Map([['sync-interval', '600s']]), 'x')).toEqual([]);
  });

  it('refuses what the CRD pattern refuses before anything is written', () => {
    expect(() => planChanges(objects, new Map([['git-poll-interval', '1500us']]), 'x')).toThrow(UsageError);
    expect(() => planChanges(objects, new Map([['sync-interval', '1500us']]), 'x')).toThrow('invalid Kustomization spec.interval "1500us"');
  });

  it('has no sync interval to set when no Kustomization applies the repository', () => {
    const only = [fromRepository(repo)];
    expect(() => planChanges(only, new Map([['sync-interval', '5m']]), 'GitRepository flux-system/flux-system')).toThrow(
      'no Kustomization applies GitRepository flux-system/flux-system, so there is no sync interval to set',
    );
    expect(planChanges(only, new Map([['git-poll-interval', '5m']]), 'x')).toHaveLength(1);
  });
});

describe('timeoutNotes', () => {
  it('tells when a Kustomization without spec.timeout gets a shorter timeout with its interval', () => {
    const bare = fromKustomization(ks({ name: 'flux-system' }));
    const timed = { ...fromKustomization(ks({ name: 'apps' })), timeout: '5m0s' };
    const notes = timeoutNotes([
      { object: bare, interval: '2m' },
      { object: { ...bare, metadata: { ...bare.metadata, name: 'fast' } }, interval: '45s' },
      { object: timed, interval: '1m' },
      { object: fromRepository(repo), interval: '1m' },
    ]);
    expect(notes).toEqual([
      'Kustomization flux-system/flux-system has no spec.timeout, so its apply and health checks will time out after 1m30s (the interval minus 30s, at least 30s)',
      'Kustomization flux-system/fast has no spec.timeout, so its apply and health checks will time out after 30s (the interval minus 30s, at least 30s)',
    ]);
  });
});

describe('pickKustomizations', () => {
  const roots = [ks({ name: 'apps' }), ks({ name: 'flux-system' }), ks({ name: 'apps', namespace: 'team-a' })];

  it('takes every root Kustomization by default, and one by name or namespace/name', () => {
    expect(pickKustomizations(roots, repo, undefined)).toHaveLength(3);
    expect(pickKustomizations(roots, repo, 'flux-system').map((k) => k.metadata.name)).toEqual(['flux-system']);
    expect(pickKustomizations(roots, repo, 'team-a/apps').map((k) => k.metadata.namespace)).toEqual(['team-a']);
  });

  it('says which names are ambiguous or unknown', () => {
    expect(() => pickKustomizations(roots, repo, 'apps')).toThrow('--kustomization apps matches more than one Kustomization applying GitRepository flux-system/flux-system: flux-system/apps, team-a/apps');
    try {
      pickKustomizations(roots, repo, 'infra');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CliError);
      expect((e as CliError).message).toBe('no Kustomization named "infra" applies GitRepository flux-system/flux-system');
      expect((e as CliError).hint).toBe('the Kustomizations applying it: flux-system/apps, flux-system/flux-system, team-a/apps');
    }
  });
});

describe('durations and names', () => {
  it('compares durations, not spellings', () => {
    expect(sameDuration('1m', '1m0s')).toBe(true);
    expect(sameDuration('90s', '1m30s')).toBe(true);
    expect(sameDuration('1m', '1m1s')).toBe(false);
    expect(sameDuration('1d', '1d')).toBe(true);
    expect(sameDuration('1d', '24h')).toBe(false);
  });

  it('lists objects as a sentence and as kubectl commands', () => {
    const a = fromRepository(repo);
    const b = fromKustomization(ks({ name: 'flux-system' }));
    const c = fromKustomization(ks({ name: 'apps', namespace: 'team-a' }));
    expect(listObjects([a])).toBe('GitRepository flux-system/flux-system');
    expect(listObjects([a, b, c])).toBe('GitRepository flux-system/flux-system, Kustomization flux-system/flux-system and Kustomization team-a/apps');
    expect(kubectlGet([a, b, c])).toBe('kubectl get gitrepository/flux-system kustomization/flux-system -n flux-system; kubectl get kustomization/apps -n team-a');
  });
});

describe('revertWarnings', () => {
  const git = fromRepository(repo);
  const self = fromKustomization(ks({ name: 'flux-system' }));

  it('groups the objects by the Kustomization applying them and says when it reverts', () => {
    const owner = ks({ name: 'flux-system', inventory: [GIT_ID, SELF_ID] });
    const warnings = revertWarnings([git, self], new Map([['flux-system/flux-system', owner]]));
    expect(warnings).toEqual([
      'GitRepository flux-system/flux-system and Kustomization flux-system/flux-system are applied from git by Kustomization flux-system/flux-system, which applies itself: ' +
        'the change to its interval makes it reconcile at once and put back the intervals from git',
      'to keep an interval, set it in git, in the manifests under ./flux-system (flux bootstrap keeps its own objects in flux-system/gotk-sync.yaml there); ' +
        'annotating the object with kustomize.toolkit.fluxcd.io/reconcile=disabled keeps it too, but then no change from git reaches that object',
    ]);
    expect(labelledOwner(git)).toBe('flux-system/flux-system');
    expect(revertWarnings([git], new Map([['flux-system/flux-system', owner]]))[0]).toBe(
      'GitRepository flux-system/flux-system is applied from git by Kustomization flux-system/flux-system: its next reconciliation (within 10m0s, at a new commit, or on fluxctl sync) puts back the interval from git',
    );
  });

  it('says nothing for objects kustomize-controller leaves alone (reconcile disabled, ssa IfNotPresent or Ignore)', () => {
    const owner = ks({ name: 'flux-system', inventory: [GIT_ID, SELF_ID] });
    for (const [key, value] of [['kustomize.toolkit.fluxcd.io/reconcile', 'Disabled'], ['kustomize.toolkit.fluxcd.io/ssa', 'IfNotPresent'], ['kustomize.toolkit.fluxcd.io/ssa', 'ignore']] as const) {
      const kept = { ...git, metadata: { ...git.metadata, annotations: new Map([[key, value]]) } };
      expect(revertWarnings([kept], new Map([['flux-system/flux-system', owner]]))).toEqual([]);
    }
  });

  it('trusts the inventory over a label left behind, and the labels when the owner is unreadable', () => {
    const moved = ks({ name: 'flux-system', inventory: [SELF_ID] });
    expect(revertWarnings([git], new Map([['flux-system/flux-system', moved]]))).toEqual([]);
    expect(revertWarnings([git], new Map([['flux-system/flux-system', null]]))[0]).toBe(
      'GitRepository flux-system/flux-system is labelled as applied from git by Kustomization flux-system/flux-system: its next reconciliation puts back the interval from git',
    );
  });

  it('says a suspended owner reverts only when resumed, and nothing for unlabelled objects', () => {
    const suspended = ks({ name: 'flux-system', suspend: true, inventory: null });
    expect(revertWarnings([git], new Map([['flux-system/flux-system', suspended]]))[0]).toBe(
      'GitRepository flux-system/flux-system is applied from git by Kustomization flux-system/flux-system, which is suspended: the interval from git comes back when it is resumed',
    );
    const bare = { ...git, metadata: { ...git.metadata, labels: null } };
    expect(revertWarnings([bare], new Map())).toEqual([]);
    expect(describeRevert(bare, '1m0s')).toBe('GitRepository flux-system/flux-system is back to 1m0s (changed by another client)');
    expect(describeRevert(self, '10m0s')).toBe('Kustomization flux-system/flux-system is back to 10m0s (applied again from git by Kustomization flux-system/flux-system)');
  });
});

describe('settleVerdict', () => {
  const written = (o: IntervalObject, interval: string): Written => ({ object: o, interval });
  const fresh = (generation: number, conditions: unknown[], observed: number, interval = '5m', suspend = false): IntervalObject => {
    const raw = kustomization({ name: 'apps', generation, conditions: conditions as Record<string, unknown>[] });
    (raw.status as Record<string, unknown>).observedGeneration = observed;
    (raw.spec as Record<string, unknown>).interval = interval;
    if (suspend) (raw.spec as Record<string, unknown>).suspend = true;
    return decodeIntervalObject('Kustomization', raw, 'Kustomization flux-system/apps');
  };
  const after = written(fresh(2, [], 1), '5m');

  it('is ready once the new generation is observed with Ready=True', () => {
    expect(settleVerdict(fresh(2, [ready('Applied revision: main@sha1:x', 'ReconciliationSucceeded', 2)], 2), after)).toEqual({ state: 'ready' });
  });

  it('keeps waiting while the controller has not seen the new generation', () => {
    expect(settleVerdict(fresh(2, [ready('Applied', 'ReconciliationSucceeded', 1)], 1), after)).toEqual({ state: 'pending', why: 'kustomize-controller has not reconciled generation 2 yet' });
    expect(settleVerdict(fresh(2, [cond('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress', 2), cond('Reconciling', 'True', 'Progressing', 'Reconciliation in progress', 2)], 1), after)).toEqual({
      state: 'pending',
      why: 'Progressing: Reconciliation in progress',
    });
  });

  it('reports a failure for the new generation instead of waiting for it', () => {
    const failed = [cond('Ready', 'False', 'HealthCheckFailed', 'timeout waiting for: [Deployment/apps/web status: InProgress]', 2), cond('Reconciling', 'True', 'ProgressingWithRetry', 'retrying', 2)];
    expect(settleVerdict(fresh(2, failed, 1), after)).toEqual({ state: 'not-ready', why: 'HealthCheckFailed: timeout waiting for: [Deployment/apps/web status: InProgress]' });
    expect(settleVerdict(fresh(2, [cond('Ready', 'False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready", 2)], 1), after).state).toBe('waiting');
  });

  it('notices a revert, an equal respelling and a suspension', () => {
    expect(settleVerdict(fresh(3, [], 1, '10m0s'), after)).toEqual({ state: 'reverted', now: '10m0s' });
    expect(settleVerdict(fresh(2, [ready('Applied', 'ReconciliationSucceeded', 2)], 2, '5m0s'), after)).toEqual({ state: 'ready' });
    expect(settleVerdict(fresh(2, [], 1, '5m', true), after)).toEqual({ state: 'suspended' });
  });

  it('waits for a generation newer than ours when someone else changed the spec too', () => {
    expect(settleVerdict(fresh(3, [ready('Applied', 'ReconciliationSucceeded', 2)], 2), after).state).toBe('pending');
  });
});
