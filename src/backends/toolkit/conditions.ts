import type { Condition, ReconcileStatus } from './decode.js';

/*
 * Reading the conditions the Flux controllers write (fluxcd/pkg apis/meta, runtime/conditions).
 * Ready is normal-polarity; Reconciling and Stalled are abnormal-true and only present when True.
 */

export const READY = 'Ready';
export const RECONCILING = 'Reconciling';
export const STALLED = 'Stalled';
/** The Reconciling reason after a failed attempt that the controller will retry. */
export const PROGRESSING_WITH_RETRY = 'ProgressingWithRetry';
export const DEPENDENCY_NOT_READY = 'DependencyNotReady';
export const ARTIFACT_FAILED = 'ArtifactFailed';
export const HEALTH_CHECK_CANCELED = 'HealthCheckCanceled';
/** source-controller's negative-polarity conditions, which name the phase a fetch failed in. */
export const SOURCE_FAILURE_TYPES: readonly string[] = ['FetchFailed', 'IncludeUnavailable', 'StorageOperationFailed', 'ArtifactOutdated'];

export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[], type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

export function isFalse(conditions: readonly Condition[], type: string): boolean {
  return findCondition(conditions, type)?.status === 'False';
}

/** The first of `types` that is True, e.g. which phase of a GitRepository fetch failed. */
export function firstTrue(conditions: readonly Condition[], types: readonly string[]): Condition | undefined {
  for (const t of types) {
    const c = findCondition(conditions, t);
    if (c?.status === 'True') return c;
  }
  return undefined;
}

/**
 * Whether a condition describes the object's current spec. Controllers stamp the generation
 * they saw; 0 means the writer recorded none (pre-GA controllers), so it is taken as current.
 */
export function isCurrent(c: Condition, generation: number): boolean {
  return c.observedGeneration === 0 || c.observedGeneration >= generation;
}

/** Whether the controller has handled the `reconcile.fluxcd.io/requestedAt` token (written even when suspended). */
export function handledToken(status: ReconcileStatus, token: string): boolean {
  return status.lastHandledReconcileAt === token;
}

/**
 * Where a reconcile stands:
 * - `ready`: Ready=True for the current generation;
 * - `progressing`: a reconcile is under way (Ready=Unknown, Reconciling=True, or a new generation not yet seen);
 * - `waiting`: Ready=False for a reason that clears by itself (a dependency, a source without artifact yet,
 *   health checks cut short by a newer revision);
 * - `failed`: Ready=False and the controller will only retry (fail fast instead of waiting the timeout);
 * - `stalled`: Stalled=True, no retry until the spec changes;
 * - `unknown`: no Ready condition yet (never reconciled).
 */
export type ReadyState = 'ready' | 'progressing' | 'waiting' | 'failed' | 'stalled' | 'unknown';

export interface Readiness {
  state: ReadyState;
  /** From the condition that decided the state ('' for `unknown`). */
  reason: string;
  message: string;
}

export function readiness(generation: number, status: ReconcileStatus): Readiness {
  const { conditions } = status;
  const verdict = (state: ReadyState, c: Condition | undefined): Readiness => ({ state, reason: c?.reason ?? '', message: c?.message ?? '' });
  const stalled = findCondition(conditions, STALLED);
  if (stalled?.status === 'True' && isCurrent(stalled, generation)) return verdict('stalled', stalled);
  const ready = findCondition(conditions, READY);
  const reconciling = findCondition(conditions, RECONCILING);
  const retrying = reconciling?.status === 'True' && reconciling.reason === PROGRESSING_WITH_RETRY;
  if (ready === undefined) return reconciling?.status === 'True' ? verdict('progressing', reconciling) : verdict('unknown', undefined);
  if (!isCurrent(ready, generation)) return verdict('progressing', ready);
  if (ready.status === 'True') return verdict('ready', ready);
  if (ready.status !== 'False') return verdict('progressing', ready);
  if (clearsByItself(ready)) return verdict('waiting', ready);
  if (retrying) return verdict('failed', ready);
  // A Reconciling=True without retry means a fresh attempt has started since the failure.
  if (reconciling?.status === 'True') return verdict('progressing', ready);
  // Without a Reconciling condition, an artifact failure was raised before the reconcile proper.
  if (ready.reason === ARTIFACT_FAILED) return verdict('waiting', ready);
  return verdict('failed', ready);
}

/**
 * Ready=False states kustomize-controller reports before the reconcile proper and requeues
 * by itself: a dependency not Ready, a source without artifact (or missing), health checks
 * cut short by a newer revision. Its finalizeStatus turns any Reconciling condition left from
 * an earlier attempt into ProgressingWithRetry, so that marker does not make these failures.
 */
function clearsByItself(ready: Condition): boolean {
  if (ready.reason === DEPENDENCY_NOT_READY || ready.reason === HEALTH_CHECK_CANCELED) return true;
  return ready.reason === ARTIFACT_FAILED && /^(Source artifact not found|Source is not ready|Source '.*' not found)/.test(ready.message);
}

/** The Ready message when Ready is False: what list-workloads reports as a workload's SyncError. */
export function failureMessage(status: ReconcileStatus): string {
  const ready = findCondition(status.conditions, READY);
  return ready?.status === 'False' ? ready.message : '';
}
