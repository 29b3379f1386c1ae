import { DecodeError } from '../errors.js';

/**
 * Small decoders from untrusted JSON to typed values, mirroring Go's json.Unmarshal into a
 * struct: absent or null fields take Go's zero value, unknown fields are dropped, and a value
 * of the wrong type is an error naming its path.
 */
export type Decoder<T> = (value: unknown, path: string) => T;

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function mismatch(path: string, want: string, value: unknown): DecodeError {
  return new DecodeError(`${path || 'response'}: expected ${want}, got ${kind(value)}`);
}

export const str: Decoder<string> = (v, path) => {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw mismatch(path, 'a string', v);
  return v;
};

export const bool: Decoder<boolean> = (v, path) => {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw mismatch(path, 'a boolean', v);
  return v;
};

export const int: Decoder<number> = (v, path) => {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw mismatch(path, 'an integer', v);
  return v;
};

/** A JSON array read in place: null/absent is null (Go's nil slice). */
export function array(v: unknown, path: string): unknown[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw mismatch(path, 'an array', v);
  return v as unknown[];
}

/** A Go slice: null/absent stays null (Go encodes a nil slice as `null`). */
export function nullableArray<T>(item: Decoder<T>): Decoder<T[] | null> {
  return (raw, path) => {
    const v = array(raw, path);
    if (v === null) return null;
    const out = new Array<T>(v.length);
    for (let i = 0; i < v.length; i++) {
      out[i] = item(v[i], `${path}[${i}]`);
      // The parsed JSON is ours alone: letting each raw element go once decoded keeps a large
      // answer (10,000 workloads) from being held twice in memory.
      v[i] = undefined;
    }
    return out;
  };
}

/** A Go map[string]string: null/absent stays null; keys are kept for sorted re-encoding. */
export const stringMap: Decoder<Map<string, string> | null> = (v, path) => {
  if (v === undefined || v === null) return null;
  const o = record(v, path);
  const m = new Map<string, string>();
  for (const [k, x] of Object.entries(o)) m.set(k, str(x, `${path}.${k}`));
  return m;
};

/** A JSON object whose fields are read one by one; absent/null reads as an empty object. */
export function record(v: unknown, path: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw mismatch(path, 'an object', v);
  return v as Record<string, unknown>;
}

/** Parses a body as JSON, turning a syntax error into a DecodeError. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw malformedJson(what, text.trim() === '' ? 'empty body' : (e as Error).message);
  }
}

/** The answer is not JSON at all (as against JSON of the wrong shape): callers word it apart. */
export class MalformedJsonError extends DecodeError {}

export function malformedJson(what: string, reason: string): DecodeError {
  return new MalformedJsonError(`malformed JSON from the daemon (${what}): ${reason}`, { hint: 'the daemon may be a different Flux version, or something other than fluxd (a proxy?) answered' });
}
