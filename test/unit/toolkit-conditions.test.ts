import { describe, expect, it } from 'vitest';
import {
  failureMessage, findCondition, firstTrue, handledToken, isFalse, isTrue, readiness, SOURCE_FAILURE_TYPES,
} from '../../src/backends/toolkit/conditions.js';
import { decodeReconcileStatus } from '../../src/backends/toolkit/decode.js';
import { SHA, SHA2, cond, ready } from './toolkit-objects.js';

const status = (conditions: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  decodeReconcileStatus({ conditions, observedGeneration: 1, ...extra }, 'x');

describe('condition lookup', () => {
  const s = status([ready('ok'), cond('ArtifactInStorage', 'True', 'Succeeded', 'stored')]);
  it('finds conditions by type and reads their status', () => {
    expect(findCondition(s.conditions, 'Ready')?.message).toBe('ok');
    expect(isTrue(s.conditions, 'Ready')).toBe(true);
    expect(isFalse(s.conditions, 'Ready')).toBe(false);
    expect(isTrue(s.conditions, 'Stalled')).toBe(false);
    expect(findCondition(s.conditions, 'Healthy')).toBeUndefined();
  });

  it('matches the exact reconcile token only', () => {
    const t = status([], { lastHandledReconcileAt: '2026-08-07T10:15:00.123456789Z' });
    expect(handledToken(t, '2026-08-07T10:15:00.123456789Z')).toBe(true);
    expect(handledToken(t, '2026-08-07T10:15:00Z')).toBe(false);
  });
});

describe('readiness', () => {
  it('is ready when Ready=True for the current generation', () => {
    expect(readiness(1, status([ready(`stored artifact for revision 'main@sha1:${SHA}'`)]))).toEqual({
      state: 'ready', reason: 'Succeeded', message: `stored artifact for revision 'main@sha1:${SHA}'`,
    });
  });

  it('fails fast on a GitRepository fetch failure that source-controller retries, naming the phase', () => {
    const msg = "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/acme/fleet': ssh: handshake failed: ssh: unable to authenticate";
    const s = status([
      cond('FetchFailed', 'True', 'GitOperationFailed', msg),
      cond('Ready', 'False', 'GitOperationFailed', msg),
      cond('Reconciling', 'True', 'ProgressingWithRetry', 'reconciliation in progress'),
    ]);
    expect(readiness(1, s)).toEqual({ state: 'failed', reason: 'GitOperationFailed', message: msg });
    expect(firstTrue(s.conditions, SOURCE_FAILURE_TYPES)?.type).toBe('FetchFailed');
    expect(failureMessage(s)).toBe(msg);
  });

  it('is progressing while a new revision is being built (Ready=Unknown mid-reconcile)', () => {
    const s = status([
      cond('ArtifactOutdated', 'True', 'NewRevision', `new upstream revision 'main@sha1:${SHA2}'`),
      cond('Ready', 'Unknown', 'Progressing', `building artifact: new upstream revision 'main@sha1:${SHA2}'`),
      cond('Reconciling', 'True', 'Progressing', `building artifact: new upstream revision 'main@sha1:${SHA2}'`),
    ]);
    expect(readiness(1, s).state).toBe('progressing');
    expect(failureMessage(s)).toBe('');
  });

  it('waits on a Kustomization whose dependency or source is not ready yet', () => {
    expect(readiness(1, status([cond('Ready', 'False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready")])).state).toBe('waiting');
    expect(readiness(1, status([cond('Ready', 'False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s')])).state).toBe('waiting');
    expect(readiness(1, status([cond('Ready', 'False', 'HealthCheckCanceled', 'New reconciliation triggered by GitRepository/flux-system.flux-system')])).state).toBe('waiting');
  });

  it('keeps waiting when finalizeStatus turned a leftover Reconciling into ProgressingWithRetry', () => {
    const retry = cond('Reconciling', 'True', 'ProgressingWithRetry', 'Reconciliation in progress');
    expect(readiness(1, status([cond('Ready', 'False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"), retry])).state).toBe('waiting');
    expect(readiness(1, status([cond('Ready', 'False', 'ArtifactFailed', "Source 'GitRepository/flux-system/apps' not found"), retry])).state).toBe('waiting');
  });

  it('fails on a Kustomization build or health-check failure that will only be retried', () => {
    const s = status([
      cond('Ready', 'False', 'HealthCheckFailed', 'health check failed after 30s: timeout waiting for: [Deployment/podinfo/podinfo status: \'InProgress\']'),
      cond('Reconciling', 'True', 'ProgressingWithRetry', `Detecting drift for revision main@sha1:${SHA} with a timeout of 5m0s`),
      cond('Healthy', 'False', 'HealthCheckFailed', 'health check failed'),
    ]);
    expect(readiness(1, s)).toMatchObject({ state: 'failed', reason: 'HealthCheckFailed' });
    // ArtifactFailed raised inside the reconcile is retried like any failure.
    expect(readiness(1, status([cond('Ready', 'False', 'ArtifactFailed', 'failed to download artifact'), cond('Reconciling', 'True', 'ProgressingWithRetry', 'x')])).state).toBe('failed');
  });

  it('reports a new attempt after a failure as progressing', () => {
    const s = status([cond('Ready', 'False', 'BuildFailed', 'kustomize build failed'), cond('Reconciling', 'True', 'Progressing', `Fetching manifests for revision main@sha1:${SHA} with a timeout of 9m30s`)]);
    expect(readiness(1, s).state).toBe('progressing');
  });

  it('is stalled on a terminal error', () => {
    const s = status([cond('Stalled', 'True', 'InvalidCELExpression', 'failed to parse expression'), cond('Ready', 'False', 'InvalidCELExpression', 'failed to parse expression')]);
    expect(readiness(1, s)).toEqual({ state: 'stalled', reason: 'InvalidCELExpression', message: 'failed to parse expression' });
  });

  it('treats conditions of an older generation as not yet reconciled', () => {
    expect(readiness(2, status([ready('Applied revision: x', 'ReconciliationSucceeded', 1)])).state).toBe('progressing');
    // Pre-GA controllers recorded no generation on conditions: taken as current.
    expect(readiness(5, decodeReconcileStatus({ conditions: [{ type: 'Ready', status: 'True', reason: 'x', message: 'y' }] }, 'x')).state).toBe('ready');
  });

  it('is unknown before the first reconcile and progressing once it starts', () => {
    expect(readiness(1, status([]))).toEqual({ state: 'unknown', reason: '', message: '' });
    expect(readiness(1, status([cond('Reconciling', 'True', 'Progressing', 'reconciliation in progress')])).state).toBe('progressing');
  });

  it('fails on Ready=False without Reconciling (e.g. a HelmRelease out of retries)', () => {
    expect(readiness(1, status([cond('Ready', 'False', 'UpgradeFailed', 'Helm upgrade failed: timed out')])).state).toBe('failed');
  });
});
