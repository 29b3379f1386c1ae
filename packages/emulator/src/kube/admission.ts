// What the API server does to a client's proposed object before storing it: server-owned
// metadata comes from the stored object, the status subresource splits `.status` from the rest,
// metadata.generation moves only when something outside metadata (and status) changed, and
// metadata.managedFields records which field manager touched which fields.
import type { GenericObject, KubeObject, ManagedFieldsEntry, ObjectMeta } from './types.js';
import { deepEqual, isPlainObject, timestamp } from './util.js';

export interface AdmitOptions {
  /** 'status' for a write through the /status subresource. */
  subresource?: 'status';
  /** The version written through has a status subresource. */
  statusSubresource: boolean;
  /** The resource keeps metadata.generation. */
  generation: boolean;
}

// Metadata that only the server writes; a client's values are ignored on update.
const SERVER_META = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields'];

/** Everything a generation bump looks at: the object without metadata (and without status when it is a subresource). */
function generationView(o: Record<string, unknown>, statusSubresource: boolean): Record<string, unknown> {
  const { metadata: _m, status, kind: _k, apiVersion: _a, ...rest } = o;
  return statusSubresource || status === undefined ? rest : { ...rest, status };
}

/** The object to store for an update of `current` with `proposed`. */
export function admitUpdate(current: KubeObject, proposed: Record<string, unknown>, o: AdmitOptions): KubeObject {
  const cur = current as GenericObject;
  if (o.subresource === 'status') {
    const out = structuredClone(cur);
    if (proposed.status === undefined) delete out.status;
    else out.status = structuredClone(proposed.status) as Record<string, unknown>;
    return out;
  }
  const { kind: _k, apiVersion: _a, ...body } = structuredClone(proposed);
  const next = body as GenericObject;
  if (o.statusSubresource) {
    if (cur.status === undefined) delete next.status;
    else next.status = structuredClone(cur.status);
  }
  const meta: Record<string, unknown> = isPlainObject(proposed.metadata) ? structuredClone(proposed.metadata) : {};
  for (const k of SERVER_META) {
    if (cur.metadata[k] === undefined) delete meta[k];
    else meta[k] = structuredClone(cur.metadata[k]);
  }
  next.metadata = meta as ObjectMeta;
  if (o.generation && !deepEqual(generationView(next, o.statusSubresource), generationView(cur, o.statusSubresource))) {
    next.metadata.generation = (cur.metadata.generation ?? 1) + 1;
  }
  return next;
}

/** The object to store for a create: identity and bookkeeping filled in, status dropped behind a subresource. */
export function admitCreate(proposed: Record<string, unknown>, o: AdmitOptions & { namespace?: string; uid: string }): KubeObject {
  const { kind: _k, apiVersion: _a, ...body } = structuredClone(proposed);
  const next = body as GenericObject;
  if (o.statusSubresource) delete next.status;
  const meta = (isPlainObject(next.metadata) ? next.metadata : {}) as ObjectMeta;
  for (const k of ['resourceVersion', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields']) delete meta[k];
  if (o.namespace === undefined) delete meta.namespace;
  else meta.namespace = o.namespace;
  Object.assign(meta, { uid: o.uid, creationTimestamp: timestamp(), resourceVersion: '' });
  if (o.generation) meta.generation = 1;
  next.metadata = meta;
  return next;
}

const BOOKKEEPING = new Set(['name', 'namespace', 'resourceVersion', 'generation', 'managedFields', 'uid', 'creationTimestamp']);

/** FieldsV1 of what changed between two versions of an object (coarse: lists count as one field). */
export function changedFields(before: unknown, after: unknown, top = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const a = isPlainObject(before) ? before : {};
  const b = isPlainObject(after) ? after : {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (top && (k === 'kind' || k === 'apiVersion')) continue;
    if (deepEqual(a[k], b[k])) continue;
    if (top && k === 'metadata') {
      const inner = metadataFields(isPlainObject(a[k]) ? a[k] : {}, isPlainObject(b[k]) ? b[k] : {});
      if (Object.keys(inner).length) out['f:metadata'] = inner;
    } else if (isPlainObject(a[k]) && isPlainObject(b[k])) {
      const inner = changedFields(a[k], b[k], false);
      if (Object.keys(inner).length) out[`f:${k}`] = inner;
    } else if (b[k] !== undefined && isPlainObject(b[k])) {
      out[`f:${k}`] = { '.': {}, ...changedFields({}, b[k], false) };
    } else if (b[k] !== undefined) out[`f:${k}`] = {};
  }
  return out;
}

function metadataFields(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const strip = (m: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(m).filter(([k]) => !BOOKKEEPING.has(k)));
  return changedFields(strip(a), strip(b), false);
}

function mergeFields(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeFields(out[k], v) : v;
  return out;
}

export interface ManagerWrite {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  subresource?: string;
}

/** Adds this write's fields to the manager's entry (one per manager, operation and subresource). */
export function recordManager(meta: ObjectMeta, w: ManagerWrite, fields: Record<string, unknown>): void {
  if (Object.keys(fields).length === 0) return;
  const list = meta.managedFields ? [...meta.managedFields] : [];
  const at = list.findIndex((e) => e.manager === w.manager && e.operation === w.operation && (e.subresource ?? '') === (w.subresource ?? ''));
  const entry: ManagedFieldsEntry = {
    manager: w.manager, operation: w.operation, apiVersion: w.apiVersion, time: timestamp(), fieldsType: 'FieldsV1',
    fieldsV1: at >= 0 ? mergeFields(list[at]!.fieldsV1, fields) : fields,
    ...(w.subresource ? { subresource: w.subresource } : {}),
  };
  if (at >= 0) list[at] = entry;
  else list.push(entry);
  meta.managedFields = list;
}
