// The job queue: update-manifests submissions, their queued → running → final progression,
// and the commits they push. Jobs finish lazily, on a poll (count-based) or on any request
// once their time has come (time-based), so no timers are left behind.
import { coverAll, errorText, type DaemonError } from './errors.js';
import { newJobID, newSha } from './ids.js';
import { encodeResults, releaseContainers, releaseImages, ReleaseError, updatePolicies, type Outcome } from './release.js';
import { encodeSpec, type Spec } from './spec.js';
import { head, repoNotReady, scheduleApply, unverifiedHeadError } from './sync.js';
import type { FluxdState, Job, JobStatusWire } from './types.js';

const CACHE_SIZE = 100;

export function encodeJobStatus(s: JobStatusWire): Record<string, unknown> {
  return { Result: s.result, Err: s.err, StatusString: s.status };
}

function addJob(state: FluxdState, job: Job): string {
  state.jobs.push(job);
  while (state.jobs.length > CACHE_SIZE) state.jobs.shift();
  return job.id;
}

function newJob(type: string, spec: unknown, polling: { polls?: number; ms?: number }, run: () => JobStatusWire): Job {
  return { id: newJobID(), type, spec, createdAt: Date.now(), polls: 0, polling: { polls: polling.polls ?? 0, ms: polling.ms ?? 0 }, run };
}

const failed = (err: string, result: unknown = {}): JobStatusWire => ({ result, err, status: 'failed' });

/** Push a commit carrying the outcome; returns its SHA. */
function commitOutcome(state: FluxdState, message: string, outcome: Outcome): string {
  const sha = newSha();
  state.git.commits.unshift({ sha, message, ...(outcome.onApply ? { onApply: outcome.onApply } : {}) });
  outcome.onCommit?.();
  scheduleApply(state, sha);
  return sha;
}

function syncJob(state: FluxdState): JobStatusWire {
  const notReady = repoNotReady(state);
  if (notReady) return failed(errorText(notReady));
  const s = state.sync;
  if (s.jobError) return failed(s.jobError);
  const headSha = head(state)?.sha ?? '';
  if (s.unverifiedHead) {
    scheduleApply(state, s.unverifiedHead);
    return failed(unverifiedHeadError(s.unverifiedHead, headSha), { revision: s.unverifiedHead });
  }
  scheduleApply(state, headSha);
  return { result: { revision: headSha || undefined }, err: '', status: 'succeeded' };
}

function compute(state: FluxdState, spec: Spec): Outcome {
  if (spec.type === 'image') return releaseImages(state, spec.spec);
  if (spec.type === 'containers') return releaseContainers(state, spec.spec);
  if (spec.type === 'policy') return updatePolicies(state, spec.spec);
  throw new ReleaseError(`unknown update type "${spec.type}"`);
}

function commitMessage(spec: Spec): string {
  if (spec.cause.Message) return spec.cause.Message;
  if (spec.type === 'image') {
    const plain = (s: string) => s.replace(/[<>]/g, '');
    return `Release ${plain(spec.spec.ImageSpec)} to ${(spec.spec.ServiceSpecs ?? []).map(plain).join(', ')}`;
  }
  if (spec.type === 'policy') return `Updated policies: ${Object.keys(spec.spec).join(', ')}`;
  return 'Update container images';
}

/** Execute a release/policy job: compute, commit if anything changed. */
function changeJob(state: FluxdState, spec: Spec): JobStatusWire {
  const notReady = repoNotReady(state);
  if (notReady) return failed(errorText(notReady));
  if (state.jobBehaviour.error) return failed(state.jobBehaviour.error);
  let outcome: Outcome;
  try {
    outcome = compute(state, spec);
  } catch (e) {
    return failed((e as Error).message);
  }
  const revision = outcome.changed ? commitOutcome(state, commitMessage(spec), outcome) : undefined;
  const results = Object.keys(outcome.results).length > 0 ? encodeResults(outcome.results) : undefined;
  return { result: { revision, spec: encodeSpec(spec), result: results }, err: '', status: 'succeeded' };
}

/** POST /v9/update-manifests after decoding: a job ID, or the error to answer with. */
export function submit(state: FluxdState, spec: Spec): { id: string } | { err: DaemonError } {
  if (spec.type === 'auto') return { err: coverAll('unknown update type "auto"') };
  if (spec.type === 'sync') return { id: addJob(state, newJob('sync', spec, { polls: state.sync.jobPolls, ms: state.sync.jobMs }, () => syncJob(state))) };
  const kind = spec.type === 'policy' ? 'execute' : spec.spec.Kind;
  if (kind === 'plan') {
    // Dry runs are computed inside the request: failures are HTTP errors, never failed jobs.
    const notReady = repoNotReady(state);
    if (notReady) return { err: notReady };
    let outcome: Outcome;
    try {
      outcome = compute(state, spec);
    } catch (e) {
      return { err: coverAll((e as Error).message) };
    }
    // Go's omitempty drops an empty result map, so fluxctl then says "Nothing to do".
    const results = Object.keys(outcome.results).length > 0 ? encodeResults(outcome.results) : undefined;
    const final: JobStatusWire = { result: { spec: encodeSpec(spec), result: results }, err: '', status: 'succeeded' };
    const job = newJob(spec.type, spec, {}, () => final);
    job.final = final;
    return { id: addJob(state, job) };
  }
  const b = state.jobBehaviour;
  return { id: addJob(state, newJob(spec.type, spec, { polls: b.polls, ms: b.ms }, () => changeJob(state, spec))) };
}

function finish(job: Job): JobStatusWire {
  job.final ??= job.run();
  return job.final;
}

/** GET /v6/jobs?id= : the job's status now, advancing poll-based jobs by one step. */
export function pollJob(job: Job): JobStatusWire {
  if (job.final) return job.final;
  job.polls++;
  const { polls, ms } = job.polling;
  const elapsed = Date.now() - job.createdAt;
  if (polls > 0 ? job.polls <= polls : elapsed < ms) {
    const queued = polls > 0 ? job.polls === 1 : elapsed < ms / 3;
    return { result: {}, err: '', status: queued ? 'queued' : 'running' };
  }
  return finish(job);
}

/** Finish time-based jobs whose time has come, so their effects happen even unobserved. */
export function advanceJobs(state: FluxdState): void {
  for (const job of state.jobs) {
    if (!job.final && job.polling.polls === 0 && Date.now() - job.createdAt >= job.polling.ms) finish(job);
  }
}
