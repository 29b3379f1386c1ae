import type { AppKind } from './decode-apps.js';

/*
 * Flux v1 resource IDs (`<namespace>:<kind>/<name>`, kind lower-case) of the rows Flux v2
 * lists: the four workload kinds, and HelmReleases as v1 listed helm-operator releases.
 */

export type RowKind = AppKind | 'HelmRelease';

const KINDS: ReadonlyMap<string, RowKind> = new Map([
  ['deployment', 'Deployment'],
  ['statefulset', 'StatefulSet'],
  ['daemonset', 'DaemonSet'],
  ['cronjob', 'CronJob'],
  ['helmrelease', 'HelmRelease'],
]);

export interface RowId {
  id: string;
  namespace: string;
  kind: RowKind;
  name: string;
}

/** Splits `<ns>:<kind>/<name>`; undefined for a kind Flux v2 has no rows of (or a malformed ID). */
export function parseRowId(id: string): RowId | undefined {
  const colon = id.indexOf(':');
  const slash = id.indexOf('/', colon + 1);
  if (colon <= 0 || slash < 0) return undefined;
  const kind = KINDS.get(id.slice(colon + 1, slash).toLowerCase());
  const name = id.slice(slash + 1);
  if (kind === undefined || name === '') return undefined;
  return { id, namespace: id.slice(0, colon), kind, name };
}

/** The IDs grouped by kind, each kind's IDs in the order given. */
export function groupByKind(ids: readonly string[]): Map<RowKind, RowId[]> {
  const out = new Map<RowKind, RowId[]>();
  for (const id of ids) {
    const parsed = parseRowId(id);
    if (parsed === undefined) continue;
    const group = out.get(parsed.kind);
    if (group === undefined) out.set(parsed.kind, [parsed]);
    else group.push(parsed);
  }
  return out;
}

/**
 * Where one LIST finds every ID of a group: their namespace when they share one ('' = all
 * namespaces otherwise), and the name when there is only one (a field selector).
 */
export function listScope(group: readonly RowId[]): { namespace: string; name?: string } {
  const first = group[0];
  if (first === undefined) return { namespace: '' };
  const namespace = group.every((r) => r.namespace === first.namespace) ? first.namespace : '';
  return group.length === 1 ? { namespace, name: first.name } : { namespace };
}
