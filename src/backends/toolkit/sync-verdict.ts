import { CliError } from '../../errors.js';
import { findCondition, firstTrue, handledToken, PROGRESSING_WITH_RETRY, READY, readiness, RECONCILING, SOURCE_FAILURE_TYPES, type Readiness } from './conditions.js';
import type { ObjectMeta, ReconcileStatus } from './decode.js';
import type { GitRepository, Kustomization } from './decode-flux.js';
import { shortRevision } from './revision.js';

/*
 * What one look at an object says about a sync in flight. The controllers write the token in
 * the same final status patch as the outcome (source-controller's summarize step,
 * kustomize-controller's finalizeStatus), so once our exact token is there, the conditions
 * are this reconcile's. A failure the controller would only retry ends the wait at once: the
 * flux CLI waits out its whole timeout then (kstatus reads ProgressingWithRetry as InProgress).
 */

export type Verdict<T> =
  | { state: 'done'; value: T }
  /** `detail` says what the object is doing (spinner, --timeout); `appliedOther`: Ready on another revision. */
  | { state: 'pending'; detail: string; appliedOther?: string }
  | { state: 'suspended' };

export const who = (kind: string, m: ObjectMeta): string => `${kind} ${m.namespace}/${m.name}`;
const inspect = (kind: string, m: ObjectMeta): string => `kubectl -n ${m.namespace} describe ${kind.toLowerCase()} ${m.name}`;

/** What an object is doing while it has not answered: its current stage, else who we wait for. */
export function pendingDetail(controller: string, status: ReconcileStatus, handled: boolean): string {
  const reconciling = findCondition(status.conditions, RECONCILING);
  if (reconciling?.status === 'True' && reconciling.reason !== PROGRESSING_WITH_RETRY && reconciling.message !== '') return reconciling.message;
  if (!handled) return `${controller} has not handled the reconcile request yet`;
  return findCondition(status.conditions, READY)?.message || 'reconciliation in progress';
}

function failed(kind: string, m: ObjectMeta, r: Readiness, what: string, hint: string): CliError {
  const reason = r.reason === '' ? '' : `${r.reason}: `;
  return new CliError(`${who(kind, m)} ${what}: ${reason}${r.message}`, { hint });
}

export function suspendedSource(repo: GitRepository): CliError {
  const { name, namespace } = repo.metadata;
  return new CliError(`${who('GitRepository', repo.metadata)} is suspended`, {
    hint: `source-controller does not fetch it while suspended: resume it with flux resume source git ${name} -n ${namespace}`,
  });
}

// source-controller's negative-polarity conditions name the phase a fetch failed in.
const SOURCE_PHASES: Readonly<Record<string, string>> = {
  FetchFailed: 'failed to fetch',
  IncludeUnavailable: 'failed to include a source',
  StorageOperationFailed: 'failed to store its artifact',
  ArtifactOutdated: 'failed to update its artifact',
};

/** The GitRepository after our request: done with its artifact revision, pending, or an error. */
export function sourceVerdict(repo: GitRepository, token: string): Verdict<string> {
  if (repo.spec.suspend) throw suspendedSource(repo);
  const { metadata: m, status } = repo;
  const handled = handledToken(status, token);
  if (!handled) return { state: 'pending', detail: pendingDetail('source-controller', status, false) };
  const r = readiness(m.generation, status);
  switch (r.state) {
    case 'ready':
      if (status.artifact !== null && status.artifact.revision !== '') return { state: 'done', value: status.artifact.revision };
      return { state: 'pending', detail: 'Ready, but no artifact recorded yet' };
    case 'stalled':
      throw failed('GitRepository', m, r, 'is stalled', `source-controller will not retry until its spec changes; inspect it with: ${inspect('GitRepository', m)}`);
    case 'failed': {
      const phase = firstTrue(status.conditions, SOURCE_FAILURE_TYPES)?.type ?? '';
      const access = phase === 'FetchFailed' ? 'check the URL and that the deploy key (fluxctl identity) can read it; ' : '';
      throw failed('GitRepository', m, r, SOURCE_PHASES[phase] ?? 'failed', `${access}source-controller retries on its own; inspect it with: ${inspect('GitRepository', m)}`);
    }
    default:
      return { state: 'pending', detail: pendingDetail('source-controller', status, true) };
  }
}

/**
 * A root Kustomization after our request. `accepts` says whether an applied revision counts:
 * the one fetched, or a newer one the source moved on to meanwhile. A Ready Kustomization on
 * another revision is pending with `appliedOther`, so the caller can check the source again.
 */
export function kustomizationVerdict(k: Kustomization, token: string, target: string, accepts: (revision: string) => boolean): Verdict<string> {
  if (k.spec.suspend) return { state: 'suspended' };
  const { metadata: m, status } = k;
  const handled = handledToken(status, token);
  if (!handled) return { state: 'pending', detail: pendingDetail('kustomize-controller', status, false) };
  const r = readiness(m.generation, status);
  switch (r.state) {
    case 'ready': {
      const applied = status.lastAppliedRevision;
      if (accepts(applied)) return { state: 'done', value: applied };
      const detail = `applied ${shortRevision(applied) || 'nothing'} so far, not ${shortRevision(target)}`;
      return applied === '' ? { state: 'pending', detail } : { state: 'pending', detail, appliedOther: applied };
    }
    case 'waiting': {
      // A dependency not Ready yet, a source without artifact, health checks cut short by a newer revision.
      return { state: 'pending', detail: `${r.reason}: ${r.message}` };
    }
    case 'stalled':
      throw failed('Kustomization', m, r, 'is stalled', `kustomize-controller will not retry until its spec changes; inspect it with: ${inspect('Kustomization', m)}`);
    case 'failed':
      throw failed('Kustomization', m, r, `failed to apply ${shortRevision(target)}`, `kustomize-controller retries on its own; inspect it with: ${inspect('Kustomization', m)}`);
    default:
      return { state: 'pending', detail: pendingDetail('kustomize-controller', status, true) };
  }
}
