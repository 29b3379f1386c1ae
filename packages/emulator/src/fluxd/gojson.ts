// Go-flavoured JSON for the emulated fluxd.
//
// Encoding: Go's encoding/json writes struct fields in declaration order, sorts map keys
// byte-wise, escapes <, >, & and U+2028/U+2029, and writes \b and \f as \u0008 / \u000c.
// Callers build plain objects in Go field order (struct fields) and wrap Go maps in `GoMap`
// so that integer-like keys are not reordered by JavaScript's property ordering.
//
// Decoding: fluxd reads bodies with json.NewDecoder(r.Body).Decode(&v), which takes the first
// JSON value and ignores whatever follows it (`true junk` is fine). `decodeFirst` reproduces
// that, including Go's error texts and `{"Offset":N}` bodies for syntax errors.

/** A Go map: encoded with its keys sorted, `null` when `entries` is null. */
export class GoMap<V = unknown> {
  constructor(readonly entries: Record<string, V> | null) {}
}

export const goMap = <V>(entries: Record<string, V> | null): GoMap<V> => new GoMap(entries);

function goString(s: string): string {
  return JSON.stringify(s).replace(/\\[\s\S]|[<>&\u2028\u2029]/g, (m) => {
    if (m.length === 2) return m === '\\b' ? '\\u0008' : m === '\\f' ? '\\u000c' : m;
    return '\\u' + m.charCodeAt(0).toString(16).padStart(4, '0');
  });
}

/** Encode like Go's json.Marshal. `undefined` fields are left out (omitempty). */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return '[' + value.map(goJson).join(',') + ']';
  if (value instanceof GoMap) {
    if (value.entries === null) return 'null';
    const keys = Object.keys(value.entries).sort(byteOrder);
    return '{' + keys.map((k) => goString(k) + ':' + goJson(value.entries![k])).join(',') + '}';
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== undefined) parts.push(goString(k) + ':' + goJson(v));
  }
  return '{' + parts.join(',') + '}';
}

export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros. */
export function rfc3339Nano(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (m && m[3] === 'Z') {
    const frac = (m[2] ?? '').replace(/0+$/, '');
    return m[1] + (frac ? '.' + frac : '') + 'Z';
  }
  return rfc3339Nano(new Date(t).toISOString());
}

// ---- decoding -------------------------------------------------------------------------

/** A plain (non-flux) Go error: its message, and what json.Marshal makes of it. */
export interface GoError {
  message: string;
  /** The generic JSON encoding of the error value; `{}` for most Go errors. */
  json: unknown;
}

export const goError = (message: string, json: unknown = {}): GoError => ({ message, json });

export type Decoded = { ok: true; value: unknown; end: number } | { ok: false; err: GoError };

class ScanError extends Error {
  constructor(
    readonly goMessage: string,
    readonly offset: number,
  ) {
    super(goMessage);
  }
}
class EofError extends Error {}

function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) {
    const short: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };
    return `'${short[c] ?? '\\x' + code.toString(16).padStart(2, '0')}'`;
  }
  return `'${c}'`;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Find where the first JSON value in `s` ends, throwing Go-worded scan errors. */
function scanValue(s: string, start: number): number {
  let i = start;
  const peek = () => s[i];
  const fail = (context: string): never => {
    if (i >= s.length) throw new EofError();
    throw new ScanError(`invalid character ${quoteChar(s[i]!)} ${context}`, i + 1);
  };
  const skip = () => {
    while (isSpace(peek())) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (s[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const c = peek();
      if (c === undefined) return fail('');
      if (c === '"') return void i++;
      if (c === '\\') {
        i++;
        const e = peek();
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(peek() ?? '')) fail('in \\u hexadecimal character escape');
          }
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('in string escape code');
      } else if (c.charCodeAt(0) < 0x20) fail('in string literal');
      i++;
    }
  };
  const digits = () => {
    while (/[0-9]/.test(peek() ?? '')) i++;
  };
  const number = () => {
    if (peek() === '-') i++;
    if (peek() === '0') i++;
    else if (/[1-9]/.test(peek() ?? '')) digits();
    else fail('in numeric literal');
    if (peek() === '.') {
      i++;
      if (!/[0-9]/.test(peek() ?? '')) fail('after decimal point in numeric literal');
      digits();
    }
    if (peek() === 'e' || peek() === 'E') {
      i++;
      if (peek() === '+' || peek() === '-') i++;
      if (!/[0-9]/.test(peek() ?? '')) fail('in exponent of numeric literal');
      digits();
    }
  };
  const value = (): void => {
    skip();
    const c = peek();
    if (c === '{') {
      i++;
      skip();
      if (peek() === '}') return void i++;
      for (;;) {
        skip();
        if (peek() !== '"') fail('looking for beginning of object key string');
        string();
        skip();
        if (peek() !== ':') fail('after object key');
        i++;
        value();
        skip();
        if (peek() === ',') {
          i++;
          continue;
        }
        if (peek() === '}') return void i++;
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      skip();
      if (peek() === ']') return void i++;
      for (;;) {
        value();
        skip();
        if (peek() === ',') {
          i++;
          continue;
        }
        if (peek() === ']') return void i++;
        fail('after array element');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || /[0-9]/.test(c ?? '')) return number();
    fail('looking for beginning of value');
  };
  value();
  return i;
}

/** json.NewDecoder(body).Decode(&v): the first value of the body, or Go's error. */
export function decodeFirst(body: string): Decoded {
  let start = 0;
  while (isSpace(body[start])) start++;
  if (start >= body.length) return { ok: false, err: goError('EOF') };
  try {
    const end = scanValue(body, start);
    return { ok: true, value: JSON.parse(body.slice(start, end)), end };
  } catch (e) {
    if (e instanceof ScanError) return { ok: false, err: goError(e.goMessage, { Offset: e.offset }) };
    return { ok: false, err: goError('unexpected EOF') };
  }
}

/** A json.UnmarshalTypeError, as Go reports and encodes it. */
export function typeError(jsonKind: string, goType: string, offset: number, struct = '', field = ''): GoError {
  const where = struct ? `Go struct field ${struct}.${field}` : 'Go value';
  return goError(`json: cannot unmarshal ${jsonKind} into ${where} of type ${goType}`, {
    Value: jsonKind,
    Type: {},
    Offset: offset,
    Struct: struct,
    Field: field,
  });
}

export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v; // string | number | boolean
}

/** Go matches struct fields case-insensitively when decoding (exact match preferred). */
export function field(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  let found: unknown;
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) found = v;
  return found;
}
