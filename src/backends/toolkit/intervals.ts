import { UsageError } from '../../errors.js';
import type { IntervalChange, IntervalQuery, IntervalTarget, JsonObject } from '../types.js';
import type { Toolkit } from './client.js';
import { writeIntervals, type Written } from './intervals-apply.js';
import { loadOwners, revertWarnings } from './intervals-git.js';
import { describeObject, fromKustomization, fromRepository, objectKey, pickKustomizations, type IntervalObject } from './intervals-objects.js';
import { listObjects, planChanges, timeoutNotes, type PlannedPatch } from './intervals-plan.js';
import { kubectlGet, settleIntervals, suspendedNote } from './intervals-settle.js';
import type { Session } from './session.js';

/**
 * set-interval on Flux v2: the git poll interval is the root GitRepository's spec.interval, the
 * sync interval the spec.interval of the Kustomizations applying it (or of the one
 * --kustomization names). Flux has an API for these, unlike fluxd: a merge patch of the object,
 * which its controller picks up at once.
 */
export async function intervals(s: Session, query: IntervalQuery): Promise<IntervalTarget> {
  refuseDaemonFlags(query);
  const repo = await s.root();
  const roots = await s.rootKustomizations();
  const objects = [fromRepository(repo), ...pickKustomizations(roots, repo, query.kustomization).map(fromKustomization)];
  const owners = await loadOwners(s.tk, objects, roots);
  // The narration and the warnings name the objects the last plan changes: the command reads
  // them after unchanged(changes). Before any plan, they cover every object shown.
  let changing: readonly IntervalObject[] = objects;
  let planned: readonly PlannedPatch[] = [];
  const plan = (changes: Parameters<IntervalTarget['unchanged']>[0]): PlannedPatch[] => {
    const next = planChanges(objects, changes, describeObject(objects[0]!));
    [planned, changing] = [next, next.map((p) => p.object)];
    return next;
  };
  const [source, ...kustomizations] = objects;
  // -o json reports what is in effect: the values written once a (real) change is applied.
  let summary = summaryOf(source!, kustomizations, new Map());
  return {
    object: kustomizations.length === 0 ? describeObject(source!) : `${describeObject(source!)} with ${withKustomizations(kustomizations)}`,
    get subject() {
      return listObjects(changing);
    },
    settings: objects.map((o) => ({ setting: o.setting, object: describeObject(o), value: o.interval, source: 'spec' })),
    get warnings() {
      return [...timeoutNotes(planned), ...revertWarnings(changing, owners)];
    },
    get summary() {
      return summary;
    },
    unchanged: (changes) => plan(changes).length === 0,
    apply: async (changes, dryRun) => {
      const written = await writeIntervals(s.tk, plan(changes), dryRun);
      if (!dryRun) summary = summaryOf(source!, kustomizations, new Map(written.map((w) => [objectKey(w.object), w.interval])));
      return settlement(s.tk, written);
    },
  };
}

/** --deployment and --container pick fluxd's Deployment; Flux v2 has no daemon to pick. */
function refuseDaemonFlags(query: IntervalQuery): void {
  const flag = query.deployment !== undefined ? '--deployment' : query.container !== undefined ? '--container' : undefined;
  if (flag === undefined) return;
  throw new UsageError(`${flag} picks the Flux v1 daemon's Deployment, and this cluster runs Flux v2, which keeps its intervals in its GitRepository and Kustomizations`, {
    hint: 'drop it; pick the objects with --git-repository <name> and --kustomization <name>',
  });
}

function withKustomizations(ks: readonly IntervalObject[]): string {
  return `${ks.length === 1 ? 'Kustomization' : 'Kustomizations'} ${ks.map(objectKey).join(', ')}`;
}

/**
 * `-o json`: fluxd's two keys, so scripts read both generations alike (`syncInterval` is null
 * when the Kustomizations disagree or there is none), and each Kustomization's own value.
 */
function summaryOf(source: IntervalObject, kustomizations: readonly IntervalObject[], written: ReadonlyMap<string, string>): JsonObject {
  const now = (o: IntervalObject): string => written.get(objectKey(o)) ?? o.interval;
  const values = new Set(kustomizations.map(now));
  return {
    gitRepository: objectKey(source),
    gitPollInterval: now(source),
    syncInterval: values.size === 1 ? [...values][0]! : null,
    kustomizations: kustomizations.map((k) => ({ kustomization: objectKey(k), syncInterval: now(k) })),
  };
}

function settlement(tk: Toolkit, written: readonly Written[]): IntervalChange {
  const objects = written.map((w) => w.object);
  const active = objects.filter((o) => !o.suspended);
  return {
    // Nothing reconciles while suspended: there is nothing to wait for.
    notice: active.length === 0 ? objects.map(suspendedNote).join('; ') : undefined,
    waiting: `Waiting for ${listObjects(active)} to reconcile`,
    followHint: `Not waiting for the controllers; check with: ${kubectlGet(objects)}`,
    settle: (narrate) => settleIntervals(tk, written, narrate),
  };
}
