import { ForbiddenError } from '../../kubernetes/api.js';
import type { Toolkit } from './client.js';
import { decodeKustomization, type Kustomization } from './decode-flux.js';
import { FLUX_KINDS } from './discovery.js';
import { describeObject, objectKey, type IntervalObject } from './intervals-objects.js';
import { listObjects } from './intervals-plan.js';
import { inventoryId, KUSTOMIZE_NAME, KUSTOMIZE_NAMESPACE } from './ownership.js';
import { fetchIfExists } from './reconcile-request.js';

/*
 * spec.interval is a required field, so git always declares it for an object a Kustomization
 * applies, and kustomize-controller puts the git value back whenever that Kustomization
 * reconciles (server-side apply with force: drift correction). Bootstrap's flux-system
 * Kustomization applies its own GitRepository and itself, so the common case is exactly this.
 */

/** The Kustomization named by an object's kustomize.toolkit.fluxcd.io labels (`ns/name`), if any. */
export function labelledOwner(o: IntervalObject): string | undefined {
  const name = o.metadata.labels?.get(KUSTOMIZE_NAME);
  if (name === undefined || name === '') return undefined;
  return `${o.metadata.labels?.get(KUSTOMIZE_NAMESPACE) || o.metadata.namespace}/${name}`;
}

/** What we know of each labelled owner: the object, or null when it could not be read. */
export type Owners = ReadonlyMap<string, Kustomization | null>;

/**
 * Reads the owners the labels name: from the Kustomizations already listed, else one GET each.
 * An owner we may not read, or that is gone, still gets a warning from its labels alone.
 */
export async function loadOwners(tk: Toolkit, objects: readonly IntervalObject[], listed: readonly Kustomization[]): Promise<Owners> {
  const owners = new Map<string, Kustomization | null>();
  for (const o of objects) {
    const key = labelledOwner(o);
    if (key === undefined || owners.has(key)) continue;
    const known = listed.find((k) => objectKey(k) === key);
    if (known !== undefined) {
      owners.set(key, known);
      continue;
    }
    const [namespace, name] = key.split('/') as [string, string];
    try {
      const raw = await fetchIfExists(tk, 'Kustomization', namespace, name);
      owners.set(key, raw === undefined ? null : decodeKustomization(raw, `Kustomization ${key}`));
    } catch (e) {
      if (!(e instanceof ForbiddenError)) throw e;
      tk.debug(`cannot read Kustomization ${key} (${e.message}); warning from its labels alone`);
      owners.set(key, null);
    }
  }
  return owners;
}

/** False when the owner's inventory is known and does not list the object: a label left behind by a move. */
function stillApplies(owner: Kustomization, o: IntervalObject): boolean {
  const inventory = owner.spec.remote ? null : owner.status.inventory;
  if (inventory === null) return true;
  const id = inventoryId(o.metadata.namespace, o.metadata.name, FLUX_KINDS[o.kind].group, o.kind);
  return inventory.some((e) => e.id === id);
}

// What makes kustomize-controller leave an object as it is in the cluster (fluxcd/pkg ssa:
// labels or annotations, values compared case-insensitively): then nothing is put back.
const KEEPS_CLUSTER_VALUE: ReadonlyArray<[string, string]> = [
  ['kustomize.toolkit.fluxcd.io/reconcile', 'disabled'], ['kustomize.toolkit.fluxcd.io/ssa', 'ignore'], ['kustomize.toolkit.fluxcd.io/ssa', 'ifnotpresent'],
];

function keepsClusterValue(o: IntervalObject): boolean {
  const is = (v: string | undefined, want: string): boolean => v !== undefined && v.toLowerCase() === want;
  return KEEPS_CLUSTER_VALUE.some(([k, want]) => is(o.metadata.labels?.get(k), want) || is(o.metadata.annotations?.get(k), want));
}

/** One warning per Kustomization applying some of the changed objects, then how to make a change last. */
export function revertWarnings(objects: readonly IntervalObject[], owners: Owners): string[] {
  const groups = new Map<string, IntervalObject[]>();
  for (const o of objects) {
    const key = labelledOwner(o);
    if (key === undefined || keepsClusterValue(o)) continue;
    const owner = owners.get(key);
    if (owner !== undefined && owner !== null && !stillApplies(owner, o)) continue;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const warnings = [...groups].map(([key, applied]) => ownerWarning(key, applied, owners.get(key) ?? null));
  if (warnings.length === 0) return [];
  const paths = [...groups.keys()].map((k) => owners.get(k)?.spec.path).filter((p): p is string => p !== undefined && p !== '');
  const where = paths.length === 0 ? 'in git' : `in git, in the manifests under ${[...new Set(paths)].join(', ')}`;
  warnings.push(
    `to keep an interval, set it ${where} (flux bootstrap keeps its own objects in flux-system/gotk-sync.yaml there); ` +
      'annotating the object with kustomize.toolkit.fluxcd.io/reconcile=disabled keeps it too, but then no change from git reaches that object',
  );
  return warnings;
}

function ownerWarning(key: string, applied: readonly IntervalObject[], owner: Kustomization | null): string {
  const subject = `${listObjects(applied)} ${applied.length === 1 ? 'is' : 'are'}`;
  const by = `Kustomization ${key}`;
  if (owner === null) return `${subject} labelled as applied from git by ${by}: its next reconciliation puts back the interval from git`;
  if (owner.spec.suspend) return `${subject} applied from git by ${by}, which is suspended: the interval from git comes back when it is resumed`;
  const values = `the interval${applied.length === 1 ? '' : 's'} from git`;
  // A Kustomization applying itself reconciles because of its own new generation, at once.
  if (applied.some((o) => o.kind === 'Kustomization' && objectKey(o) === key)) {
    return `${subject} applied from git by ${by}, which applies itself: the change to its interval makes it reconcile at once and put back ${values}`;
  }
  return `${subject} applied from git by ${by}: its next reconciliation (within ${owner.spec.interval || 'its interval'}, at a new commit, or on fluxctl sync) puts back ${values}`;
}

/** `Kustomization a/b is back to 10m0s (applied from git by Kustomization a/b)` for the revert error. */
export function describeRevert(o: IntervalObject, now: string): string {
  const owner = labelledOwner(o);
  const why = owner === undefined ? 'changed by another client' : `applied again from git by Kustomization ${owner}`;
  return `${describeObject(o)} is back to ${now} (${why})`;
}
