// The git side: HEAD, the flux-sync marker, and the daemon's loop applying revisions.
// /v6/sync answers `git rev-list <marker>..<ref> -- <path>`; the marker moves to a target
// revision once the configured number of polls or milliseconds has passed.
import { coverAll, type DaemonError } from './errors.js';
import type { Commit, FluxdState } from './types.js';

export const head = (state: FluxdState): Commit | undefined => state.git.commits[0];

/** The index in `commits` of the revision `ref` names (full or abbreviated SHA, branch, HEAD). */
export function resolveRef(state: FluxdState, ref: string): number {
  const { commits, branch } = state.git;
  if (ref === 'HEAD' || ref === branch || ref === `origin/${branch}`) return commits.length > 0 ? 0 : -1;
  if (!/^[0-9a-f]{4,40}$/i.test(ref)) return -1;
  const hits = commits.map((c, i) => (c.sha.startsWith(ref.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
  return hits.length === 1 ? hits[0]! : -1;
}

function gitFailure(args: string): DaemonError {
  const fatal = `fatal: ambiguous argument '${args}': unknown revision or path not in the working tree.`;
  const full = `${fatal}\nUse '--' to separate paths from revisions, like this:\n'git <command> [<revision>...] -- [<file>...]'\n`;
  return coverAll(`${fatal}, full output:\n ${full}`);
}

/** The repo is usable only when ready; otherwise its error (or "no config") surfaces. */
export function repoNotReady(state: FluxdState): DaemonError | null {
  const g = state.git;
  if (g.status === 'ready') return null;
  if (g.status === 'unconfigured' || g.url === '') return coverAll('git repo does not have valid config');
  return coverAll(g.errors || 'git repo not ready');
}

/** Start applying `target` (a SHA in the history) with the configured delay. */
export function scheduleApply(state: FluxdState, target: string): void {
  state.git.applying = { target, since: Date.now(), polls: 0 };
}

/** Move the marker to `target` and run the effects of every commit it newly covers. */
export function applyTo(state: FluxdState, target: string): void {
  const { commits } = state.git;
  const to = commits.findIndex((c) => c.sha === target);
  if (to < 0) return;
  const from = state.git.syncMarker === null ? commits.length : commits.findIndex((c) => c.sha === state.git.syncMarker);
  for (let i = (from < 0 ? commits.length : from) - 1; i >= to; i--) commits[i]!.onApply?.();
  if (from < 0 || from > to) state.git.syncMarker = target;
  if (state.git.applying?.target === target) delete state.git.applying;
}

/** Time-based progress (called on every request, so tests observe it without polling). */
export function advanceSync(state: FluxdState): void {
  const a = state.git.applying;
  const s = state.sync;
  if (!a || s.never || s.applyError) return;
  if (s.applyPolls === undefined && Date.now() - a.since >= (s.applyMs ?? 0)) applyTo(state, a.target);
}

/** GET /v6/sync?ref= : commits between the marker and `ref` still waiting to be applied. */
export function syncStatus(state: FluxdState, ref: string): { revs: string[] } | { err: DaemonError } {
  const notReady = repoNotReady(state);
  if (notReady) return { err: notReady };
  if (state.sync.applyError) return { err: coverAll(state.sync.applyError) };
  const a = state.git.applying;
  if (a && state.sync.applyPolls !== undefined && !state.sync.never) {
    if (a.polls >= state.sync.applyPolls) applyTo(state, a.target);
    else a.polls++;
  }
  const { commits, syncMarker } = state.git;
  const at = resolveRef(state, ref);
  if (at < 0) return { err: gitFailure(`${syncMarker ?? ''}..${ref}`) };
  // No marker yet: the range is `..ref`, i.e. HEAD..ref, which is empty in a linear history.
  if (syncMarker === null) return { revs: [] };
  const marker = commits.findIndex((c) => c.sha === syncMarker);
  const end = marker < 0 ? commits.length : marker;
  return { revs: commits.slice(at, Math.max(at, end)).filter((c) => c.touchesPath !== false).map((c) => c.sha) };
}

/** The job error when HEAD is not signed and fluxd may only sync up to `lastVerified`. */
export function unverifiedHeadError(lastVerified: string, headSha: string): string {
  return `The branch HEAD in the git repo is not verified, and fluxd is unable to sync to it. The last verified commit was ${lastVerified.slice(0, 8)}. HEAD is ${headSha.slice(0, 8)}.`;
}
