import type { GoValue } from '../output/go-json.js';
import type { UpdateCause } from './client.js';

/*
 * Bodies of POST /v9/update-manifests (`update.Spec`, fluxcd/flux pkg/update/spec.go), built as Go values
 * so encodeGoJson writes exactly what fluxctl sends: struct fields in order, maps sorted.
 */

export type ReleaseKind = 'plan' | 'execute';

export interface ReleaseImageSpec {
  serviceSpecs: string[];
  imageSpec: string;
  kind: ReleaseKind;
  excludes: string[];
  force: boolean;
}

export interface PolicyChange {
  add: Map<string, string>;
  remove: Map<string, string>;
}

const spec = (type: string, cause: UpdateCause, body: GoValue): GoValue => ({
  type,
  cause: { Message: cause.Message, User: cause.User },
  spec: body,
});

export const syncSpec = (cause: UpdateCause): GoValue => spec('sync', cause, {});

export const releaseImageSpec = (cause: UpdateCause, s: ReleaseImageSpec): GoValue =>
  spec('image', cause, {
    ServiceSpecs: s.serviceSpecs,
    ImageSpec: s.imageSpec,
    Kind: s.kind,
    // fluxctl sends a nil slice, hence null, when nothing is excluded.
    Excludes: s.excludes.length === 0 ? null : s.excludes,
    Force: s.force,
  });

export const releaseContainersSpec = (
  cause: UpdateCause,
  s: { kind: ReleaseKind; containerSpecs: Map<string, Array<{ Container: string; Current: string; Target: string }>>; skipMismatches: boolean; force: boolean },
): GoValue =>
  spec('containers', cause, {
    Kind: s.kind,
    ContainerSpecs: new Map([...s.containerSpecs].map(([id, updates]) => [id, updates.map((u) => ({ Container: u.Container, Current: u.Current, Target: u.Target }))])),
    SkipMismatches: s.skipMismatches,
    Force: s.force,
  });

export const policySpec = (cause: UpdateCause, changes: Map<string, PolicyChange>): GoValue =>
  spec('policy', cause, new Map([...changes].map(([id, c]) => [id, { add: c.add, remove: c.remove }])));
