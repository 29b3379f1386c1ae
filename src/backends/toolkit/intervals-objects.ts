import { CliError } from '../../errors.js';
import { parseGoDuration } from '../../util/go-duration.js';
import type { IntervalName } from '../types.js';
import { bool, decodeMeta, decodeReconcileStatus, obj, str, type ObjectMeta, type ReconcileStatus } from './decode.js';
import type { GitRepository, Kustomization } from './decode-flux.js';

/*
 * The objects whose spec.interval set-interval shows and changes: the root GitRepository (how
 * often source-controller fetches: the git poll interval) and the Kustomizations applying it
 * (how often kustomize-controller applies and corrects drift: the sync interval).
 */

export type IntervalKind = 'GitRepository' | 'Kustomization';

export interface IntervalObject {
  kind: IntervalKind;
  setting: IntervalName;
  metadata: ObjectMeta;
  interval: string;
  /** spec.timeout; '' when unset (a Kustomization's then follows its interval). */
  timeout: string;
  suspended: boolean;
  status: ReconcileStatus;
}

export const SETTING_OF: Readonly<Record<IntervalKind, IntervalName>> = { GitRepository: 'git-poll-interval', Kustomization: 'sync-interval' };

export function fromRepository(r: GitRepository): IntervalObject {
  return { kind: 'GitRepository', setting: SETTING_OF.GitRepository, metadata: r.metadata, interval: r.spec.interval, timeout: r.spec.timeout, suspended: r.spec.suspend, status: r.status };
}

export function fromKustomization(k: Kustomization): IntervalObject {
  return { kind: 'Kustomization', setting: SETTING_OF.Kustomization, metadata: k.metadata, interval: k.spec.interval, timeout: k.spec.timeout, suspended: k.spec.suspend, status: k.status };
}

/** Either kind as the API server returns it (a GET, or a PATCH answer): only the fields both share. */
export function decodeIntervalObject(kind: IntervalKind, v: unknown, path: string): IntervalObject {
  const o = obj(v, path);
  const spec = obj(o.spec, `${path}.spec`);
  return {
    kind,
    setting: SETTING_OF[kind],
    metadata: decodeMeta(o.metadata, path),
    interval: str(spec.interval, `${path}.spec.interval`),
    timeout: str(spec.timeout, `${path}.spec.timeout`),
    suspended: bool(spec.suspend, `${path}.spec.suspend`),
    status: decodeReconcileStatus(obj(o.status, `${path}.status`), path),
  };
}

/** `Kustomization flux-system/apps`, as messages name objects. */
export const describeObject = (o: { kind: string; metadata: { namespace: string; name: string } }): string => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;

/** `flux-system/apps`. */
export const objectKey = (o: { metadata: { namespace: string; name: string } }): string => `${o.metadata.namespace}/${o.metadata.name}`;

/** Whether two interval texts are the same duration (`1m` and `1m0s` are); an unreadable one equals only itself. */
export function sameDuration(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return parseGoDuration(a) === parseGoDuration(b);
  } catch {
    return false;
  }
}

/**
 * The Kustomizations whose sync interval to show or set: every one applying the root
 * repository, or the one --kustomization names (`name` or `namespace/name`). A name that
 * exists but applies another source is refused rather than silently paired with this repository.
 */
export function pickKustomizations(root: readonly Kustomization[], repo: GitRepository, wanted: string | undefined): Kustomization[] {
  if (wanted === undefined) return [...root];
  const matches = root.filter((k) => (wanted.includes('/') ? objectKey(k) === wanted : k.metadata.name === wanted));
  if (matches.length === 1) return matches;
  const repoId = `GitRepository ${objectKey(repo)}`;
  const names = root.map(objectKey).join(', ');
  if (matches.length > 1) {
    throw new CliError(`--kustomization ${wanted} matches more than one Kustomization applying ${repoId}: ${matches.map(objectKey).join(', ')}`, {
      hint: `name it with its namespace, e.g. --kustomization ${objectKey(matches[0]!)}`,
    });
  }
  throw new CliError(`no Kustomization named "${wanted}" applies ${repoId}`, {
    hint: names === '' ? `no Kustomization applies ${repoId}; pick the repository with --git-repository` : `the Kustomizations applying it: ${names}`,
  });
}
