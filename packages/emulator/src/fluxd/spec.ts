// Decoding update.Spec bodies (pkg/update/spec.go) the way Go does, and the Go-ordered echo of
// the decoded spec that job results carry.
import { field, goError, goMap, jsonKind, typeError, type GoError } from './gojson.js';
import { canonicalID, invalidIDMessage, parseImageRef } from './ids.js';

export interface Cause {
  Message: string;
  User: string;
}
export interface ReleaseImageSpec {
  ServiceSpecs: string[] | null;
  ImageSpec: string;
  Kind: string;
  Excludes: string[] | null;
  Force: boolean;
}
export interface ContainerUpdate {
  Container: string;
  Current: string;
  Target: string;
}
export interface ReleaseContainersSpec {
  Kind: string;
  ContainerSpecs: Record<string, ContainerUpdate[]> | null;
  SkipMismatches: boolean;
  Force: boolean;
}
export type PolicyUpdates = Record<string, { add: Record<string, string> | null; remove: Record<string, string> | null }>;

export type Spec =
  | { type: 'sync'; cause: Cause; spec: unknown }
  | { type: 'image'; cause: Cause; spec: ReleaseImageSpec }
  | { type: 'containers'; cause: Cause; spec: ReleaseContainersSpec }
  | { type: 'policy'; cause: Cause; spec: PolicyUpdates }
  | { type: 'auto'; cause: Cause; spec: unknown };

class Bad extends Error {
  constructor(readonly goErr: GoError) {
    super(goErr.message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown, struct: string, name: string, end: number): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new Bad(typeError(jsonKind(v), 'string', end, struct, name));
  return v;
}
function bool(v: unknown, struct: string, name: string, end: number): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new Bad(typeError(jsonKind(v), 'bool', end, struct, name));
  return v;
}
function strings(v: unknown, struct: string, name: string, end: number, goType: string): string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw new Bad(typeError(jsonKind(v), goType, end, struct, name));
  return v.map((x) => str(x, struct, name, end));
}
function id(s: string): string {
  const c = canonicalID(s);
  if (c === null) throw new Bad(goError(invalidIDMessage(s)));
  return c;
}
function imageRef(s: string): string {
  try {
    parseImageRef(s);
  } catch (e) {
    throw new Bad(goError((e as Error).message));
  }
  return s;
}
function object(v: unknown, goType: string, end: number): Record<string, unknown> | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw new Bad(typeError(jsonKind(v), goType, end));
  return v;
}

/** policy.Set: an object of name → value, or an array of names meaning "true". */
function policySet(v: unknown, end: number): Record<string, string> | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return Object.fromEntries(v.map((n) => [str(n, '', '', end), 'true']));
  const o = object(v, 'policy.Set', end)!;
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, str(x, '', '', end)]));
}

export function decodePolicyUpdates(v: unknown, end: number): PolicyUpdates {
  const o = object(v, 'resource.PolicyUpdates', end) ?? {};
  const out: PolicyUpdates = {};
  for (const [k, u] of Object.entries(o)) {
    const upd = object(u, 'resource.PolicyUpdate', end) ?? {};
    out[id(k)] = { add: policySet(field(upd, 'add'), end), remove: policySet(field(upd, 'remove'), end) };
  }
  return out;
}

function decodeTyped(type: string, v: unknown, end: number): Spec['spec'] {
  switch (type) {
    case 'image': {
      const o = object(v, 'update.ReleaseImageSpec', end) ?? {};
      const S = 'ReleaseImageSpec';
      return {
        ServiceSpecs: strings(field(o, 'ServiceSpecs'), S, 'ServiceSpecs', end, '[]update.ResourceSpec'),
        ImageSpec: str(field(o, 'ImageSpec'), S, 'ImageSpec', end),
        Kind: str(field(o, 'Kind'), S, 'Kind', end),
        Excludes: strings(field(o, 'Excludes'), S, 'Excludes', end, '[]resource.ID')?.map(id) ?? null,
        Force: bool(field(o, 'Force'), S, 'Force', end),
      };
    }
    case 'containers': {
      const o = object(v, 'update.ReleaseContainersSpec', end) ?? {};
      const S = 'ReleaseContainersSpec';
      const specs = object(field(o, 'ContainerSpecs'), 'map[resource.ID][]update.ContainerUpdate', end);
      let containerSpecs: Record<string, ContainerUpdate[]> | null = null;
      if (specs) {
        containerSpecs = {};
        for (const [k, list] of Object.entries(specs)) {
          if (list !== null && !Array.isArray(list)) throw new Bad(typeError(jsonKind(list), '[]update.ContainerUpdate', end));
          containerSpecs[id(k)] = (list ?? []).map((u) => {
            const cu = object(u, 'update.ContainerUpdate', end) ?? {};
            return {
              Container: str(field(cu, 'Container'), 'ContainerUpdate', 'Container', end),
              Current: imageRef(str(field(cu, 'Current'), 'ContainerUpdate', 'Current', end)),
              Target: imageRef(str(field(cu, 'Target'), 'ContainerUpdate', 'Target', end)),
            };
          });
        }
      }
      return {
        Kind: str(field(o, 'Kind'), S, 'Kind', end),
        ContainerSpecs: containerSpecs,
        SkipMismatches: bool(field(o, 'SkipMismatches'), S, 'SkipMismatches', end),
        Force: bool(field(o, 'Force'), S, 'Force', end),
      };
    }
    case 'policy':
      return decodePolicyUpdates(v, end);
    default:
      return v ?? null; // sync's ManualSync and auto's Automated: any object
  }
}

/** update.Spec.UnmarshalJSON; `end` is the decoder offset used in type errors. */
export function decodeSpec(value: unknown, end: number): { spec: Spec } | { err: GoError } {
  try {
    const o = object(value, 'update.Spec', end) ?? {};
    const type = str(field(o, 'type'), '', 'type', end);
    const c = object(field(o, 'cause'), 'update.Cause', end) ?? {};
    const cause = { Message: str(field(c, 'Message'), 'Cause', 'Message', end), User: str(field(c, 'User'), 'Cause', 'User', end) };
    if (!['sync', 'image', 'containers', 'policy', 'auto'].includes(type)) return { err: goError(`unknown spec type: ${type}`) };
    return { spec: { type, cause, spec: decodeTyped(type, field(o, 'spec'), end) } as Spec };
  } catch (e) {
    if (e instanceof Bad) return { err: e.goErr };
    throw e;
  }
}

/** The spec as Go re-encodes it inside job results. */
export function encodeSpec(spec: Spec): unknown {
  const cause = { Message: spec.cause.Message, User: spec.cause.User };
  let body: unknown = spec.spec;
  if (spec.type === 'policy') {
    body = goMap(Object.fromEntries(Object.entries(spec.spec).map(([k, u]) => [k, { add: goMap(u.add), remove: goMap(u.remove) }])));
  } else if (spec.type === 'containers') {
    const s = spec.spec;
    body = { Kind: s.Kind, ContainerSpecs: goMap(s.ContainerSpecs), SkipMismatches: s.SkipMismatches, Force: s.Force };
  } else if (spec.type === 'image') {
    const s = spec.spec;
    body = { ServiceSpecs: s.ServiceSpecs, ImageSpec: s.ImageSpec, Kind: s.Kind, Excludes: s.Excludes, Force: s.Force };
  }
  return { type: spec.type, cause, spec: body };
}
