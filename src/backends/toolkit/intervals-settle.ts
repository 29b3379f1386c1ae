import { CliError, InterruptedError } from '../../errors.js';
import type { Narration } from '../types.js';
import type { Toolkit } from './client.js';
import { findCondition, isCurrent, readiness, READY } from './conditions.js';
import type { Written } from './intervals-apply.js';
import { describeRevert, labelledOwner } from './intervals-git.js';
import { decodeIntervalObject, describeObject, objectKey, sameDuration, type IntervalObject } from './intervals-objects.js';
import { listObjects } from './intervals-plan.js';
import { deletedWhileWaiting, fetchIfExists, pendingTimeout, pollRounds } from './reconcile-request.js';

/*
 * After the patch: a new spec.interval is a new generation, which every Flux controller
 * reconciles at once (generation-changed predicate). The change is in effect when the object
 * reports it: status.observedGeneration ≥ generation with Ready=True. A failing object never
 * gets there (observedGeneration moves only on success), so its failure is reported instead of
 * waiting for --timeout: the interval itself was accepted.
 */

const CONTROLLER: Readonly<Record<IntervalObject['kind'], string>> = { GitRepository: 'source-controller', Kustomization: 'kustomize-controller' };

export type Verdict =
  | { state: 'ready' }
  | { state: 'pending' | 'waiting' | 'not-ready'; why: string }
  | { state: 'suspended' }
  | { state: 'reverted'; now: string };

/** Where one object stands with the interval we wrote. */
export function settleVerdict(fresh: IntervalObject, written: Written): Verdict {
  if (!sameDuration(fresh.interval, written.interval)) return { state: 'reverted', now: fresh.interval };
  if (fresh.suspended) return { state: 'suspended' };
  // Someone may have changed other fields since: wait for whatever generation is current.
  const generation = Math.max(fresh.metadata.generation, written.object.metadata.generation);
  const r = readiness(generation, fresh.status);
  if (r.state === 'ready' && fresh.status.observedGeneration >= generation) return { state: 'ready' };
  const ready = findCondition(fresh.status.conditions, READY);
  if (ready === undefined || !isCurrent(ready, generation)) {
    // Its conditions still describe the old spec: say so rather than quote them.
    return { state: 'pending', why: `${CONTROLLER[fresh.kind]} has not reconciled generation ${generation} yet` };
  }
  const why = r.reason !== '' ? `${r.reason}: ${r.message}` : r.message;
  if (r.state === 'failed' || r.state === 'stalled') return { state: 'not-ready', why };
  // A dependency or a source without an artifact: often another object we just changed, so
  // this waits as long as something else is still pending (see settleIntervals).
  if (r.state === 'waiting') return { state: 'waiting', why };
  return { state: 'pending', why };
}

interface Settled {
  written: Written;
  verdict: Verdict;
  round: number;
}

/** `kubectl get gitrepository/a kustomization/b -n ns`, one command per namespace. */
export function kubectlGet(objects: readonly IntervalObject[]): string {
  const byNs = new Map<string, string[]>();
  for (const o of objects) byNs.set(o.metadata.namespace, [...(byNs.get(o.metadata.namespace) ?? []), `${o.kind.toLowerCase()}/${o.metadata.name}`]);
  return [...byNs].map(([ns, names]) => `kubectl get ${names.join(' ')} -n ${ns}`).join('; ');
}

/** Waits for every written object; warns about the ones accepted but not Ready; fails when one was put back. */
export async function settleIntervals(tk: Toolkit, written: readonly Written[], narrate: Narration): Promise<string> {
  for (const w of written.filter((x) => x.object.suspended)) narrate.warn(suspendedNote(w.object));
  const active = written.filter((w) => !w.object.suspended);
  const settled = await pollSettled(tk, active, narrate);
  await recheckOwned(tk, settled);
  const reverted = settled.filter((s) => s.verdict.state === 'reverted');
  for (const s of settled) {
    if (s.verdict.state === 'not-ready' || s.verdict.state === 'waiting') narrate.warn(`interval accepted; ${describeObject(s.written.object)} is not Ready: ${s.verdict.why}`);
    if (s.verdict.state === 'suspended') narrate.warn(suspendedNote(s.written.object));
  }
  if (reverted.length > 0) {
    const lines = reverted.map((s) => describeRevert(s.written.object, s.verdict.state === 'reverted' ? s.verdict.now : ''));
    throw new CliError(`the new interval did not last: ${lines.join('; ')}`, {
      hint: 'a Kustomization applying an object from git puts the git value back when it reconciles: set the interval in git and run fluxctl sync',
    });
  }
  const ready = settled.filter((s) => s.verdict.state === 'ready').map((s) => s.written.object);
  if (ready.length === 0) return written.length === 1 ? 'The new interval is set.' : 'The new intervals are set.';
  return `${listObjects(ready)} ${ready.length === 1 ? 'is' : 'are'} Ready with the new interval${ready.length === 1 ? '' : 's'}`;
}

export function suspendedNote(o: IntervalObject): string {
  return `${describeObject(o)} is suspended: its new interval takes effect when it is resumed`;
}

async function pollSettled(tk: Toolkit, active: readonly Written[], narrate: Narration): Promise<Settled[]> {
  const pending = new Map(active.map((w) => [objectKey(w.object) + w.object.kind, { written: w, why: `${CONTROLLER[w.object.kind]} has not reconciled it yet` }]));
  const settled: Settled[] = [];
  let round = 0;
  try {
    if (pending.size > 0) {
      await pollRounds(tk.polling, async () => {
        round++;
        const seen: Settled[] = [];
        for (const p of pending.values()) seen.push({ written: p.written, verdict: settleVerdict(await fetchFresh(tk, p.written), p.written), round });
        const anyPending = seen.some((s) => s.verdict.state === 'pending');
        for (const s of seen) {
          const key = objectKey(s.written.object) + s.written.object.kind;
          if (s.verdict.state === 'pending' || (s.verdict.state === 'waiting' && anyPending)) {
            pending.get(key)!.why = s.verdict.why;
            continue;
          }
          pending.delete(key);
          settled.push(s);
        }
        const first = [...pending.values()][0];
        if (first !== undefined) narrate.progress(`${describeObject(first.written.object)}: ${first.why}`);
        return { value: pending.size === 0 ? true : undefined, requests: seen.length };
      }, active.length);
    }
  } catch (e) {
    throw waitError(e, [...pending.values()].map((p) => `${describeObject(p.written.object)} (${p.why})`), active.map((w) => w.object));
  }
  return settled;
}

async function fetchFresh(tk: Toolkit, w: Written): Promise<IntervalObject> {
  const { kind } = w.object;
  const { namespace, name } = w.object.metadata;
  const raw = await fetchIfExists(tk, kind, namespace, name);
  if (raw === undefined) throw deletedWhileWaiting(describeObject(w.object), 'reconcile its new interval');
  return decodeIntervalObject(kind, raw, describeObject(w.object));
}

/**
 * An object that settled no later than a Kustomization applying it may have been put back by
 * that Kustomization's reconcile (bootstrap's flux-system applies its GitRepository): read it once more.
 */
async function recheckOwned(tk: Toolkit, settled: Settled[]): Promise<void> {
  const lastRound = new Map(settled.filter((s) => s.written.object.kind === 'Kustomization').map((s) => [objectKey(s.written.object), s.round]));
  for (const s of settled) {
    const owner = labelledOwner(s.written.object);
    // A Kustomization applying itself was read after that reconcile already.
    const itself = s.written.object.kind === 'Kustomization' && owner === objectKey(s.written.object);
    const ownerRound = owner === undefined || itself ? undefined : lastRound.get(owner);
    if (s.verdict.state !== 'ready' || ownerRound === undefined || ownerRound < s.round) continue;
    const fresh = await fetchFresh(tk, s.written);
    if (!sameDuration(fresh.interval, s.written.interval)) s.verdict = { state: 'reverted', now: fresh.interval };
  }
}

function waitError(e: unknown, pending: readonly string[], objects: readonly IntervalObject[]): unknown {
  const check = `check with: ${kubectlGet(objects)}`;
  if (e instanceof InterruptedError) return new InterruptedError({ hint: `the new intervals were applied; ${check}` });
  return pendingTimeout(e, 'the controllers to reconcile the new intervals (they are applied)', pending, check);
}
