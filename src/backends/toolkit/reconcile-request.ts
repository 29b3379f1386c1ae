import { CliError, TimeoutError } from '../../errors.js';
import { KubeApiError } from '../../kubernetes/api.js';
import { sleep, type Polling } from '../../wait.js';
import type { AnyKind, Toolkit } from './client.js';

/*
 * Asking a Flux controller to reconcile now (fluxcd/pkg apis/meta annotations.go): write a new
 * value under `reconcile.fluxcd.io/requestedAt`; the controller reacts to any change of it and,
 * in the final status patch of that reconcile, copies it to `status.lastHandledReconcileAt`.
 */

export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

/**
 * A fresh token: an RFC 3339 UTC time with microseconds. The controllers treat it as opaque;
 * the sub-millisecond digits keep two runs in the same millisecond apart, and we match our own
 * token exactly (the flux CLI compares with the previous value, so any request satisfies it).
 */
export function reconcileToken(epochMs: number = performance.timeOrigin + performance.now()): string {
  const ms = Math.floor(epochMs);
  const micros = Math.floor((epochMs - ms) * 1000);
  return new Date(ms).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}

/**
 * Annotates one object with the token: a merge patch of the main resource (annotations never
 * move metadata.generation), under our field manager, unguarded because it touches one key.
 */
export async function requestReconcile(tk: Toolkit, kind: AnyKind, namespace: string, name: string, token: string): Promise<void> {
  await tk.patch(kind, namespace, name, { metadata: { annotations: { [REQUESTED_AT]: token } } });
}

/** The object as the API server has it now, or undefined when it is gone (deleted while we wait). */
export async function fetchIfExists(tk: Toolkit, kind: AnyKind, namespace: string, name: string): Promise<unknown> {
  try {
    return await tk.api.request('GET', await tk.path(kind, namespace, name));
  } catch (e) {
    if (e instanceof KubeApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** One poll round: the answer when the wait is over, and how many requests the round made. */
export interface Round<T> {
  value?: T;
  requests: number;
}

/** Half a second per request keeps every wait at or under 2 requests per second. */
export const PACE_MS = 500;

/**
 * Runs rounds until one returns a value. Each round waits PACE_MS per request of the round
 * before it, the first one included (no controller answers within a few milliseconds of the
 * request). The only deadline is the run's signal: --timeout or Ctrl-C.
 */
export async function pollRounds<T>(poll: Polling, round: () => Promise<Round<T>>, firstRequests = 1): Promise<T> {
  let requests = firstRequests;
  for (;;) {
    const pace = poll(() => PACE_MS * Math.max(1, requests));
    await sleep(pace.delay(1), pace.signal);
    const r = await round();
    if (r.value !== undefined) return r.value;
    requests = r.requests;
  }
}

/** --timeout (or a request it cut short) while waiting: say what is still pending, one object a line. */
export function pendingTimeout(e: unknown, what: string, pending: readonly string[], hint: string): unknown {
  if (!(e instanceof TimeoutError)) return e;
  const lines = pending.map((p) => `\n  ${p}`).join('');
  return new TimeoutError(`${e.message} waiting for ${what}; the outcome is unknown. Still pending:${lines}`, { hint });
}

/** An object we were waiting on is gone: name it, and what it was about to do. */
export function deletedWhileWaiting(object: string, doing: string): CliError {
  return new CliError(`${object} was deleted while waiting for it to ${doing}`, {
    hint: 'if git or another tool recreates it, run fluxctl sync again',
  });
}
