import { DecodeError } from '../../errors.js';

/*
 * Typed views of Kubernetes objects read from untrusted JSON. Like Go's json.Unmarshal into a
 * struct: an absent or null field reads as its zero value, unknown fields are ignored (so every
 * served version of a kind decodes, whatever it adds), and a value of the wrong type is a
 * DecodeError naming the object and the field.
 */

export type Json = Record<string, unknown>;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

function mismatch(path: string, want: string, v: unknown): DecodeError {
  return new DecodeError(`${path}: expected ${want}, got ${typeName(v)}`, {
    hint: 'the API server answered with an object of an unexpected shape (a different Flux or Kubernetes version?)',
  });
}

export function str(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw mismatch(path, 'a string', v);
  return v;
}

export function bool(v: unknown, path: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw mismatch(path, 'a boolean', v);
  return v;
}

export function int(v: unknown, path: string, zero = 0): number {
  if (v === undefined || v === null) return zero;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw mismatch(path, 'an integer', v);
  return v;
}

/** An object whose fields are read one by one; absent or null reads as `{}`. */
export function obj(v: unknown, path: string): Json {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw mismatch(path, 'an object', v);
  // A JSON object from JSON.parse: its values are themselves unknown until read.
  return v as Json;
}

/** An object that may be absent: null when the field is missing. */
export function optObj(v: unknown, path: string): Json | null {
  return v === undefined || v === null ? null : obj(v, path);
}

export function arr<T>(v: unknown, path: string, item: (x: unknown, path: string) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw mismatch(path, 'an array', v);
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

export const strList = (v: unknown, path: string): string[] => arr(v, path, str);

/** A map[string]string: null when absent (Go's nil map), else its entries in JSON order. */
export function strMap(v: unknown, path: string): Map<string, string> | null {
  if (v === undefined || v === null) return null;
  const out = new Map<string, string>();
  for (const [k, x] of Object.entries(obj(v, path))) out.set(k, str(x, `${path}.${k}`));
  return out;
}

export interface ObjectMeta {
  name: string;
  namespace: string;
  generation: number;
  resourceVersion: string;
  /** null when the object has no labels (Flux v1 reported those as JSON null). */
  labels: Map<string, string> | null;
  annotations: Map<string, string> | null;
}

export function decodeMeta(v: unknown, path: string): ObjectMeta {
  const m = obj(v, `${path}.metadata`);
  return {
    name: str(m.name, `${path}.metadata.name`),
    namespace: str(m.namespace, `${path}.metadata.namespace`),
    generation: int(m.generation, `${path}.metadata.generation`),
    resourceVersion: str(m.resourceVersion, `${path}.metadata.resourceVersion`),
    labels: strMap(m.labels, `${path}.metadata.labels`),
    annotations: strMap(m.annotations, `${path}.metadata.annotations`),
  };
}

/** A Flux object's three parts, read in this order: metadata decoded, spec and status as objects (absent: empty). */
export function fluxParts(v: unknown, path: string): { metadata: ObjectMeta; spec: Json; status: Json } {
  const o = obj(v, path);
  return { metadata: decodeMeta(o.metadata, path), spec: obj(o.spec, `${path}.spec`), status: obj(o.status, `${path}.status`) };
}

/** The path errors name an object by: `Kustomization flux-system/apps`, else its list position. */
export function objectPath(kind: string, v: unknown, fallback: string): string {
  if (typeof v !== 'object' || v === null || !('metadata' in v)) return fallback;
  const m = v.metadata;
  if (typeof m !== 'object' || m === null || !('name' in m) || typeof m.name !== 'string' || m.name === '') return fallback;
  const namespace = 'namespace' in m && typeof m.namespace === 'string' ? m.namespace : '';
  return `${kind} ${namespace === '' ? '' : `${namespace}/`}${m.name}`;
}

/** A metav1.Condition as the Flux controllers write them. */
export interface Condition {
  type: string;
  /** `True`, `False` or `Unknown`. */
  status: string;
  reason: string;
  message: string;
  /** 0 when the writer did not record it (pre-GA controllers). */
  observedGeneration: number;
  lastTransitionTime: string;
}

export function decodeCondition(v: unknown, path: string): Condition {
  const c = obj(v, path);
  return {
    type: str(c.type, `${path}.type`),
    status: str(c.status, `${path}.status`),
    reason: str(c.reason, `${path}.reason`),
    message: str(c.message, `${path}.message`),
    observedGeneration: int(c.observedGeneration, `${path}.observedGeneration`),
    lastTransitionTime: str(c.lastTransitionTime, `${path}.lastTransitionTime`),
  };
}

/** The status fields every Flux reconciler writes (fluxcd/pkg apis/meta). */
export interface ReconcileStatus {
  /** -1 until the first reconcile records one (the CRDs' default). */
  observedGeneration: number;
  conditions: Condition[];
  /** The last `reconcile.fluxcd.io/requestedAt` token the controller handled. */
  lastHandledReconcileAt: string;
}

export function decodeReconcileStatus(s: Json, path: string): ReconcileStatus {
  return {
    observedGeneration: int(s.observedGeneration, `${path}.status.observedGeneration`, -1),
    conditions: arr(s.conditions, `${path}.status.conditions`, decodeCondition),
    lastHandledReconcileAt: str(s.lastHandledReconcileAt, `${path}.status.lastHandledReconcileAt`),
  };
}

/** A reference to another object; `namespace` already defaulted to the referrer's own. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace: string;
}

export function decodeRef(v: unknown, path: string, ownNamespace: string): ObjectRef | null {
  const r = optObj(v, path);
  if (r === null) return null;
  const namespace = str(r.namespace, `${path}.namespace`);
  return { kind: str(r.kind, `${path}.kind`), name: str(r.name, `${path}.name`), namespace: namespace || ownNamespace };
}

/** The items of a list answer (`{"items": [...]}`), or of a plain array of objects, each decoded. */
export function decodeItems<T>(list: unknown, kind: string, decode: (v: unknown, path: string) => T): T[] {
  if (list === undefined || list === null) return [];
  const items = Array.isArray(list) ? list : obj(list, `${kind} list`).items;
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw mismatch(`${kind} list.items`, 'an array', items);
  return items.map((v, i) => decode(v, objectPath(kind, v, `${kind} items[${i}]`)));
}
