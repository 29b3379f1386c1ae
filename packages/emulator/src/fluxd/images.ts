// Registry data for /v6/images and /v10/images: tag filters, "newest first" ordering and the
// per-container counts (pkg/api/v6/container.go, pkg/update/images.go, pkg/policy/pattern.go).
import { encodeInfo, orderedContainers, policiesOf } from './encode.js';
import { canonicalRepo, repoOf, tagOf } from './ids.js';
import { satisfies, parseSemver, compareSemver } from './semver.js';
import type { FluxdState, ImageInfo, Workload } from './types.js';

export const CONTAINER_FIELDS = [
  'Name',
  'Current',
  'LatestFiltered',
  'Available',
  'AvailableError',
  'AvailableImagesCount',
  'NewAvailableImagesCount',
  'FilteredImagesCount',
  'NewFilteredImagesCount',
] as const;

export interface Pattern {
  kind: 'glob' | 'semver' | 'regexp';
  expr: string;
  raw: string;
}

export function parsePattern(raw: string | undefined): Pattern {
  const value = raw ?? 'glob:*';
  for (const kind of ['glob', 'semver', 'regexp', 'regex'] as const) {
    if (value.startsWith(kind + ':')) return { kind: kind === 'regex' ? 'regexp' : kind, expr: value.slice(kind.length + 1), raw: value };
  }
  return { kind: 'glob', expr: value, raw: value };
}

/** null when the pattern is invalid (the daemon says `invalid tag pattern`). */
export function validPattern(raw: string): boolean {
  const p = parsePattern(raw);
  if (p.kind === 'regexp') {
    try {
      new RegExp(p.expr);
    } catch {
      return false;
    }
  }
  if (p.kind === 'semver') return satisfies('0.0.0', p.expr) !== null;
  return true;
}

/** ryanuber/go-glob: `*` is the only wildcard. */
const globMatch = (glob: string, s: string) =>
  new RegExp('^' + glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$').test(s);

export function matches(p: Pattern, tag: string): boolean {
  if (tag.toLowerCase() === 'latest' && p.raw !== 'glob:latest') return false;
  if (p.kind === 'glob') return globMatch(p.expr, tag);
  if (p.kind === 'regexp') {
    try {
      return new RegExp(p.expr).test(tag);
    } catch {
      return false;
    }
  }
  return satisfies(tag, p.expr) === true;
}

const time = (i: ImageInfo) => (i.createdAt ? Date.parse(i.createdAt) : 0);

/** Is `a` newer than `b` under the pattern's ordering? */
export function newer(p: Pattern, a: ImageInfo, b: ImageInfo): boolean {
  if (p.kind === 'semver') {
    const va = parseSemver(tagOf(a.id));
    const vb = parseSemver(tagOf(b.id));
    if (va && vb) {
      const c = compareSemver(va, vb);
      return c === 0 ? a.id > b.id : c > 0;
    }
    if (va || vb) return va !== null;
    return a.id < b.id;
  }
  return time(a) === time(b) ? a.id < b.id : time(a) > time(b);
}

export const sortImages = (p: Pattern, images: ImageInfo[]) => [...images].sort((a, b) => (newer(p, a, b) ? -1 : newer(p, b, a) ? 1 : 0));

/** The registry cache entry for a repository, matched the way the daemon compares names. */
export function repoImages(state: FluxdState, image: string): ImageInfo[] | undefined {
  const repo = repoOf(image);
  if (state.images[repo]) return state.images[repo];
  const canonical = canonicalRepo(repo);
  for (const [name, list] of Object.entries(state.images)) if (canonicalRepo(name) === canonical) return list;
  return undefined;
}

export function containerPattern(state: FluxdState, w: Workload, container: string): Pattern {
  return parsePattern(policiesOf(state, w)[`tag.${container}`]);
}

/** The newest image a container's tag filter allows, if any. */
export function latestFiltered(state: FluxdState, w: Workload, container: string, image: string): ImageInfo | undefined {
  const p = containerPattern(state, w, container);
  const filtered = (repoImages(state, image) ?? []).filter((i) => matches(p, tagOf(i.id)));
  return sortImages(p, filtered)[0];
}

/** v6.ImageStatus for one workload, computing only the requested container fields. */
export function encodeImageStatus(state: FluxdState, w: Workload, fields: Set<string>): Record<string, unknown> {
  const want = (f: string) => fields.size === 0 || fields.has(f);
  const containers = orderedContainers(w).map((c) => {
    const p = containerPattern(state, w, c.name);
    const known = repoImages(state, c.image) ?? [];
    const available = sortImages(p, known);
    const filtered = available.filter((i) => matches(p, tagOf(i.id)));
    const meta = known.find((i) => canonicalRepo(i.id) === canonicalRepo(c.image) && tagOf(i.id) === tagOf(c.image));
    const current: ImageInfo | undefined = meta && { ...meta, id: c.image }; // ID in the manifest's spelling
    const isNewer = (i: ImageInfo) => !current || newer(p, i, current);
    return {
      Name: want('Name') ? c.name || undefined : undefined,
      Current: encodeInfo(want('Current') ? current : undefined),
      LatestFiltered: encodeInfo(want('LatestFiltered') ? filtered[0] : undefined),
      Available: want('Available') && available.length > 0 ? available.map(encodeInfo) : undefined,
      AvailableError: undefined, // never filled by current daemons
      AvailableImagesCount: (want('AvailableImagesCount') && available.length) || undefined,
      NewAvailableImagesCount: (want('NewAvailableImagesCount') && available.filter(isNewer).length) || undefined,
      FilteredImagesCount: (want('FilteredImagesCount') && filtered.length) || undefined,
      NewFilteredImagesCount: (want('NewFilteredImagesCount') && filtered.filter(isNewer).length) || undefined,
    };
  });
  return { ID: w.id, Containers: containers.length > 0 ? containers : null };
}
