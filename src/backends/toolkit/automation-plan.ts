import type { AutomationAction, JsonObject } from '../types.js';
import type { ObjectMeta } from './decode.js';
import type { WorkloadPolicy } from './images.js';

/*
 * What automate, deautomate, lock and unlock change on Flux v2, where a workload's image moves
 * only while its ImagePolicy and an ImageUpdateAutomation selecting it run. Flux v1 kept two
 * independent flags (automated, locked); v2 has one switch per object, `spec.suspend`. So lock
 * records on the object it suspends what unlock should restore, in an annotation of ours:
 *
 *   no annotation                   automated = !suspended
 *   locked: resume-on-unlock        locked, automated once unlocked (suspended meanwhile)
 *   locked: stay-suspended-on-unlock  locked, and not automated after unlock
 *
 * Every transition is computed from the object's state, so running a command twice changes
 * nothing the second time (and a retry after a conflict is safe).
 */

export const LOCK_ANNOTATION = 'fluxctl.io/locked';
const RESUME = 'resume-on-unlock';
const STAY = 'stay-suspended-on-unlock';
type LockMark = typeof RESUME | typeof STAY;

export type TargetKind = 'ImagePolicy' | 'ImageUpdateAutomation' | 'ImageRepository';

export interface Target {
  kind: TargetKind;
  metadata: ObjectMeta;
  suspended: boolean;
  /** The workload's containers whose image it decides (or, for an automation, writes). */
  containers: string[];
}

export interface Step {
  target: Target;
  /** The change: spec.suspend and our annotation (null removes it); undefined when none is needed. */
  change?: { suspend?: boolean; lock?: LockMark | null };
  /** What the WORKLOAD STATUS UPDATES table says about it. */
  update: string;
}

const lockOf = (t: Target): LockMark | undefined => {
  const v = t.metadata.annotations?.get(LOCK_ANNOTATION);
  return v === RESUME || v === STAY ? v : undefined;
};

/** One object's transition (see the table above). */
export function planStep(target: Target, action: AutomationAction): Step {
  const lock = lockOf(target);
  const s = target.suspended;
  const step = (update: string, change?: Step['change']): Step => (change === undefined ? { target, update } : { target, change, update });
  switch (action) {
    case 'lock':
      if (lock !== undefined) return step('already locked');
      return s ? step('locked (it was already suspended)', { lock: STAY }) : step('suspended: locked', { lock: RESUME, suspend: true });
    case 'unlock':
      if (lock === RESUME) return step('resumed: unlocked', { lock: null, suspend: false });
      if (lock === STAY) return step('unlocked; stays suspended (deautomated)', { lock: null });
      return step(s ? 'not locked by fluxctl, but suspended: fluxctl automate resumes it' : 'not locked');
    case 'automate':
      if (lock === RESUME) return step('locked: fluxctl unlock resumes it');
      if (lock === STAY) return step('stays suspended while locked; fluxctl unlock resumes it', { lock: RESUME });
      return s ? step('resumed', { suspend: false }) : step('already running');
    case 'deautomate':
      if (lock === STAY) return step('already deautomated (and locked)');
      if (lock === RESUME) return step('stays suspended after fluxctl unlock', { lock: STAY });
      return s ? step('already suspended') : step('suspended', { suspend: true });
  }
}

/**
 * The JSON merge patch of a step, guarded by the resourceVersion it was planned from. Resuming
 * removes `spec.suspend` as `flux resume` does (the Go field is omitempty), rather than writing false.
 */
export function stepPatch(step: Step): JsonObject {
  const { change, target } = step;
  const metadata: { resourceVersion: string; annotations?: JsonObject } = { resourceVersion: target.metadata.resourceVersion };
  if (change?.lock !== undefined) metadata.annotations = { [LOCK_ANNOTATION]: change.lock };
  if (change?.suspend === undefined) return { metadata };
  return { metadata, spec: { suspend: change.suspend ? true : null } };
}

const key = (kind: TargetKind, m: ObjectMeta): string => `${kind} ${m.namespace}/${m.name}`;

function addTarget(into: Map<string, Target>, kind: TargetKind, metadata: ObjectMeta, suspended: boolean, containers: readonly string[]): void {
  const k = key(kind, metadata);
  const found = into.get(k);
  if (found === undefined) into.set(k, { kind, metadata, suspended, containers: [...containers] });
  else for (const c of containers) if (!found.containers.includes(c)) found.containers.push(c);
}

/**
 * The objects an action switches. With `policySuspend` (ImagePolicy v1, image-reflector ≥ v1.0)
 * that is the ImagePolicies themselves, and automate also resumes the ImageUpdateAutomations
 * selecting them (a suspended one writes nothing) and a suspended ImageRepository (it scans no
 * new tags); unlock also releases automations an older fluxctl locked. Before v1.0 an
 * ImagePolicy cannot be suspended, so the automations are switched.
 */
export function automationTargets(covering: readonly WorkloadPolicy[], action: AutomationAction, policySuspend: boolean): Target[] {
  const targets = new Map<string, Target>();
  if (action === 'automate') {
    for (const { repository: r, containers } of covering) {
      if (r.spec.suspend || r.metadata.annotations?.has(LOCK_ANNOTATION) === true) addTarget(targets, 'ImageRepository', r.metadata, r.spec.suspend, containers);
    }
  }
  const automations = (): void => {
    for (const x of covering) for (const a of x.automations) {
      if (!policySuspend || action === 'automate' || (action === 'unlock' && a.metadata.annotations?.has(LOCK_ANNOTATION) === true)) {
        addTarget(targets, 'ImageUpdateAutomation', a.metadata, a.spec.suspend, x.containers);
      }
    }
  };
  if (policySuspend) for (const x of covering) addTarget(targets, 'ImagePolicy', x.policy.metadata, x.policy.spec.suspend, x.containers);
  automations();
  return [...targets.values()];
}

/** `Kind ns/name` of the objects an action switches, for messages. */
export const describeTarget = (t: Target): string => key(t.kind, t.metadata);
