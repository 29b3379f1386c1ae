// The three patch formats the API server accepts for built-in types.
// Errors throw PatchError; the router maps them to the API server's status codes.
import { deepEqual, isPlainObject } from './util.js';

export class PatchError extends Error {
  constructor(readonly kind: 'decode' | 'apply', message: string) {
    super(message);
  }
}

// Strategic-merge keys of the lists we care about (from the Kubernetes API's patchMergeKey tags).
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  tolerations: 'key',
};

/** RFC 7386: objects merge recursively, null deletes, everything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Strategic merge: like RFC 7386, but lists with a merge key merge element by element. */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue; // $setElementOrder, $retainKeys… only affect ordering/pruning
    if (v === null) delete out[k];
    else if (Array.isArray(v) && MERGE_KEYS[k] && Array.isArray(out[k])) out[k] = mergeList(out[k] as unknown[], v, MERGE_KEYS[k]);
    else if (Array.isArray(v)) out[k] = v.filter((e) => !(isPlainObject(e) && e.$patch === 'delete')).map(stripDirectives);
    else out[k] = strategicMerge(out[k], v);
  }
  return out;
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('$')).map(([k, x]) => [k, stripDirectives(x)]));
}

function mergeList(target: unknown[], patch: unknown[], mergeKey: string): unknown[] {
  const out = [...target];
  for (const item of patch) {
    if (!isPlainObject(item) || !(mergeKey in item)) {
      throw new PatchError('apply', `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    }
    const at = out.findIndex((e) => isPlainObject(e) && deepEqual(e[mergeKey], item[mergeKey]));
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) out[at] = strategicMerge(out[at], item);
    else out.push(stripDirectives(item));
  }
  return out;
}

// ---- RFC 6902 -----------------------------------------------------------------------------

interface Op {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError('apply', `invalid JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Resolves all but the last token; returns the container and the last token. */
function locate(doc: unknown, pointer: string): { parent: unknown; last: string } {
  const toks = tokens(pointer);
  if (toks.length === 0) throw new PatchError('apply', 'operations on the document root are not supported');
  let cur = doc;
  for (const t of toks.slice(0, -1)) {
    cur = child(cur, t);
    if (cur === undefined) throw new PatchError('apply', `doc is missing path: "${pointer}"`);
  }
  return { parent: cur, last: toks[toks.length - 1]! };
}

function child(v: unknown, t: string): unknown {
  if (Array.isArray(v)) return /^(0|[1-9]\d*)$/.test(t) ? v[Number(t)] : undefined;
  return isPlainObject(v) && Object.hasOwn(v, t) ? v[t] : undefined;
}

function get(doc: unknown, pointer: string): unknown {
  let cur = doc;
  for (const t of tokens(pointer)) {
    cur = child(cur, t);
    if (cur === undefined) throw new PatchError('apply', `doc is missing path: "${pointer}"`);
  }
  return cur;
}

function add(doc: unknown, pointer: string, value: unknown): void {
  const { parent, last } = locate(doc, pointer);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!/^(0|[1-9]\d*|-)$/.test(last) || i > parent.length) throw new PatchError('apply', `index out of bounds: ${pointer}`);
    parent.splice(i, 0, structuredClone(value));
  } else if (isPlainObject(parent)) parent[last] = structuredClone(value);
  else throw new PatchError('apply', `doc is missing path: "${pointer}"`);
}

function remove(doc: unknown, pointer: string): unknown {
  const { parent, last } = locate(doc, pointer);
  const old = child(parent, last);
  if (old === undefined) throw new PatchError('apply', `doc is missing path: "${pointer}"`);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Record<string, unknown>)[last];
  return old;
}

export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('decode', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  if (ops.length > 10_000) throw new PatchError('decode', 'The allowed maximum operations in a JSON patch is 10000, got more');
  const out = structuredClone(doc);
  for (const raw of ops) {
    if (!isPlainObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new PatchError('apply', 'invalid operation');
    }
    const op = raw as unknown as Op;
    switch (op.op) {
      case 'add': add(out, op.path, op.value); break;
      case 'remove': remove(out, op.path); break;
      case 'replace': remove(out, op.path); add(out, op.path, op.value); break;
      case 'move': add(out, op.path, remove(out, op.from ?? '')); break;
      case 'copy': add(out, op.path, get(out, op.from ?? '')); break;
      case 'test':
        if (!deepEqual(get(out, op.path), op.value)) throw new PatchError('apply', `testing value ${op.path} failed: test failed`);
        break;
      default: throw new PatchError('apply', `Unexpected kind: ${op.op}`);
    }
  }
  return out;
}

export const PATCH_TYPES = {
  'application/strategic-merge-patch+json': strategicMerge,
  'application/merge-patch+json': mergePatch,
  'application/json-patch+json': jsonPatch,
} as const;
export type PatchType = keyof typeof PATCH_TYPES;
