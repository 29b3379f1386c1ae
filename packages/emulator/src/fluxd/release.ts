// What release, containers and policy jobs compute (pkg/update/release_image.go,
// release_containers.go, filter.go, daemon.updatePolicies) — a faithful-enough model:
// every workload in the repo gets a result, unselected ones are `ignored`/`not included`.
import { goMap } from './gojson.js';
import { canonicalID, canonicalRepo, parseImageRef, repoOf, tagOf, withTag } from './ids.js';
import { latestFiltered, repoImages, validPattern } from './images.js';
import { orderedContainers, policiesOf } from './encode.js';
import type { ContainerUpdate, PolicyUpdates, ReleaseContainersSpec, ReleaseImageSpec } from './spec.js';
import type { FluxdState, Workload } from './types.js';

export interface WorkloadResult {
  Status: 'success' | 'failed' | 'skipped' | 'ignored';
  Error?: string;
  PerContainer: ContainerUpdate[] | null;
}
export type Results = Record<string, WorkloadResult>;

/** A computed change: per-workload results and what to do to the cluster once applied. */
export interface Outcome {
  results: Results;
  /** true when something changed and a commit is pushed */
  changed: boolean;
  /** runs when the commit is pushed (policies live in git, so they change at once) */
  onCommit?: () => void;
  /** runs when the sync loop applies the commit (images change in the cluster) */
  onApply?: () => void;
}

export class ReleaseError extends Error {}

export const encodeResults = (r: Results) =>
  goMap(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { Status: v.Status, Error: v.Error || undefined, PerContainer: v.PerContainer }])));

const skip = (Error: string): WorkloadResult => ({ Status: 'skipped', Error, PerContainer: null });
const ignore = (Error: string): WorkloadResult => ({ Status: 'ignored', Error, PerContainer: null });
const inRepo = (state: FluxdState) => state.workloads.filter((w) => w.inRepo);

function setImages(state: FluxdState, updates: Record<string, ContainerUpdate[]>): () => void {
  return () => {
    for (const [id, list] of Object.entries(updates)) {
      const w = state.workloads.find((x) => x.id === id);
      for (const u of list) {
        const c = w?.containers.find((x) => x.name === u.Container);
        if (c) c.image = u.Target;
      }
    }
  };
}

/** Blocking filters shared by both release kinds. */
function blocked(state: FluxdState, w: Workload, honourPolicies: boolean): WorkloadResult | undefined {
  if (w.notInCluster) return skip('not accessible in cluster');
  const p = policiesOf(state, w);
  if (honourPolicies && p['ignore'] === 'true') return ignore('ignore');
  if (honourPolicies && p['locked'] === 'true') return skip('locked');
  return undefined;
}

export function releaseImages(state: FluxdState, s: ReleaseImageSpec): Outcome {
  const specs = s.ServiceSpecs ?? [];
  const all = specs.includes('<all>');
  const selected = new Set<string>();
  if (!all) {
    for (const spec of specs) {
      const id = canonicalID(spec);
      if (id === null) throw new ReleaseError(`invalid workload spec: parsing ${spec}: invalid service ID`);
      selected.add(id);
    }
  }
  const latest = s.ImageSpec === '<all latest>';
  if (!latest) {
    const ref = parseImageRef(s.ImageSpec);
    if (ref.tag === '') throw new ReleaseError('blank tag (if you want latest, explicitly state the tag :latest): invalid image ID');
    const known = repoImages(state, s.ImageSpec);
    if (known && !known.some((i) => tagOf(i.id) === ref.tag)) throw new ReleaseError(`image "${s.ImageSpec}" does not exist: invalid image ID`);
  }
  const excluded = new Set((s.Excludes ?? []).map((e) => canonicalID(e) ?? e));
  // Force skips the locked/ignore filters only for explicitly named workloads.
  const honour = all || !s.Force;
  const results: Results = {};
  const updates: Record<string, ContainerUpdate[]> = {};
  for (const w of inRepo(state)) {
    if (!all && !selected.has(w.id)) results[w.id] = ignore('not included');
    else if (excluded.has(w.id)) results[w.id] = ignore('excluded');
    else results[w.id] = blocked(state, w, honour) ?? releaseOne(state, w, s.ImageSpec, latest, updates);
  }
  for (const id of selected) if (!results[id]) results[id] = skip('not found in repository');
  const changed = Object.keys(updates).length > 0;
  return { results, changed, onApply: setImages(state, updates) };
}

function releaseOne(state: FluxdState, w: Workload, image: string, latest: boolean, updates: Record<string, ContainerUpdate[]>): WorkloadResult {
  const per: ContainerUpdate[] = [];
  let uses = false;
  let missing = false;
  for (const c of orderedContainers(w)) {
    let target: string | undefined;
    if (latest) {
      const best = latestFiltered(state, w, c.name, c.image);
      if (!repoImages(state, c.image)) missing = true;
      target = best && withTag(c.image, tagOf(best.id));
    } else if (canonicalRepo(repoOf(c.image)) === canonicalRepo(repoOf(image))) {
      uses = true;
      target = image;
    }
    if (target !== undefined && tagOf(target) !== tagOf(c.image)) per.push({ Container: c.name, Current: c.image, Target: target });
  }
  if (per.length > 0) {
    updates[w.id] = per;
    return { Status: 'success', PerContainer: per };
  }
  if (!latest && !uses) return skip('does not use image(s)');
  return skip(missing ? 'cannot find one or more images' : 'image(s) up to date');
}

export function releaseContainers(state: FluxdState, s: ReleaseContainersSpec): Outcome {
  const specs = s.ContainerSpecs ?? {};
  const results: Results = {};
  const updates: Record<string, ContainerUpdate[]> = {};
  for (const w of inRepo(state)) if (!(w.id in specs)) results[w.id] = ignore('not included');
  for (const [id, list] of Object.entries(specs)) {
    const w = inRepo(state).find((x) => x.id === id);
    if (!w) {
      results[id] = skip('not found in repository');
      continue;
    }
    const block = blocked(state, w, !s.Force);
    if (block) {
      results[id] = block;
      continue;
    }
    const notFound = list.filter((u) => !w.containers.some((c) => c.name === u.Container)).map((u) => u.Container);
    const mismatch = list.filter((u) => w.containers.some((c) => c.name === u.Container && c.image !== u.Current)).map((u) => u.Container);
    if (notFound.length > 0) results[id] = { Status: 'failed', Error: `container(s) not found: ${notFound.join(', ')}`, PerContainer: null };
    else if (mismatch.length > 0 && !s.SkipMismatches) results[id] = { Status: 'failed', Error: `container(s) tag mismatch: ${mismatch.join(', ')}`, PerContainer: null };
    else {
      const per = list.filter((u) => !mismatch.includes(u.Container) && u.Current !== u.Target);
      results[id] = per.length > 0 ? { Status: 'success', PerContainer: per } : skip('image(s) up to date');
      if (per.length > 0) updates[id] = per;
    }
  }
  const statuses = Object.values(results).map((r) => r.Status);
  if (statuses.includes('failed')) throw new ReleaseError('cannot satisfy specs');
  if (!statuses.includes('success')) throw new ReleaseError('no changes found');
  return { results, changed: true, onApply: setImages(state, updates) };
}

/** tag_all expands into tag.<container> for every container; `glob:*` removes them instead. */
function applyPolicy(w: Workload, current: Record<string, string>, add: Record<string, string>, remove: Record<string, string>): Record<string, string> {
  const next = { ...current };
  const removals = new Set(Object.keys(remove));
  for (const [k, v] of Object.entries(add)) {
    if (k !== 'tag_all') next[k] = v;
    else for (const c of w.containers) v === 'glob:*' ? removals.add(`tag.${c.name}`) : (next[`tag.${c.name}`] = v);
  }
  for (const k of removals) delete next[k];
  return next;
}

const sameSet = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

export function updatePolicies(state: FluxdState, updates: PolicyUpdates): Outcome {
  const results: Results = {};
  const changes: Array<[Workload, Record<string, string>]> = [];
  for (const [id, u] of Object.entries(updates)) {
    const w = inRepo(state).find((x) => x.id === id);
    if (!w) {
      // daemon.updatePolicies overwrites the store's "not found" error with a bare `skipped`.
      results[id] = { Status: 'skipped', PerContainer: null };
      continue;
    }
    // Patterns are checked once tag_all is expanded per container (resource.ChangesForPolicyUpdate).
    for (const [k, v] of Object.entries(u.add ?? {})) {
      const checked = k.startsWith('tag.') || (k === 'tag_all' && w.containers.length > 0);
      if (checked && !validPattern(v)) throw new ReleaseError(`invalid tag pattern: ${JSON.stringify(v)}`);
    }
    const next = applyPolicy(w, w.policies, u.add ?? {}, u.remove ?? {});
    if (sameSet(next, w.policies)) results[id] = { Status: 'skipped', PerContainer: null };
    else {
      results[id] = { Status: 'success', PerContainer: null };
      changes.push([w, next]);
    }
  }
  return {
    results,
    changed: changes.length > 0,
    onCommit: () => {
      for (const [w, next] of changes) w.policies = next;
    },
  };
}
