/** A value as Go's encoding/json sees it: a Map is a Go map (keys sorted), a plain object a struct. */
export type GoValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly GoValue[]
  | ReadonlyMap<string, GoValue>
  | GoStruct;

/** Fields in declaration (insertion) order; an `undefined` field is an omitempty field left out. */
export interface GoStruct {
  readonly [field: string]: GoValue | undefined;
}

// Go escapes <, > and & (HTML safety) plus the JS line separators; it predates Go 1.22,
// which fluxctl was built with, so \b and \f still come out as \u0008 and \u000c.
const NEEDS_ESCAPE = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;
const HEX = '0123456789abcdef';

function escapeUnit(code: number): string {
  switch (code) {
    case 0x22: return '\\"';
    case 0x5c: return '\\\\';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    default:
      return '\\u' + HEX[(code >> 12) & 15]! + HEX[(code >> 8) & 15]! + HEX[(code >> 4) & 15]! + HEX[code & 15]!;
  }
}

function encodeString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      rep = escapeUnit(c);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      // A lone surrogate is invalid UTF-8 once encoded; Go writes the replacement escape.
      rep = '\\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

function encodeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`json: unsupported value: ${n}`);
  // Integers print like Go ints (never in exponent form); other values match Go's float64
  // output, whose shortest-repr digits and exponent thresholds equal JavaScript's.
  if (Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}

function compareUtf8(a: string, b: string): number {
  // Code point order equals UTF-8 byte order; UTF-16 unit order does not above U+FFFF.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function encodeInto(value: GoValue, parts: string[]): void {
  if (value === null) {
    parts.push('null');
  } else if (typeof value === 'string') {
    parts.push(encodeString(value));
  } else if (typeof value === 'number') {
    parts.push(encodeNumber(value));
  } else if (typeof value === 'boolean') {
    parts.push(value ? 'true' : 'false');
  } else if (typeof value === 'bigint') {
    parts.push(value.toString());
  } else if (Array.isArray(value)) {
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(',');
      encodeInto(value[i] as GoValue, parts);
    }
    parts.push(']');
  } else if (value instanceof Map) {
    const keys = [...(value as ReadonlyMap<string, GoValue>).keys()].sort(compareUtf8);
    parts.push('{');
    keys.forEach((k, i) => {
      parts.push(i > 0 ? ',' : '', encodeString(k), ':');
      encodeInto((value as ReadonlyMap<string, GoValue>).get(k)!, parts);
    });
    parts.push('}');
  } else if (typeof value === 'object') {
    parts.push('{');
    let first = true;
    for (const [k, v] of Object.entries(value as GoStruct)) {
      if (v === undefined) continue;
      parts.push(first ? '' : ',', encodeString(k), ':');
      first = false;
      encodeInto(v, parts);
    }
    parts.push('}');
  } else {
    throw new TypeError(`json: unsupported type: ${typeof value}`);
  }
}

/** Compact JSON with exactly the bytes Go's json.Marshal produces (no trailing newline). */
export function encodeGoJson(value: GoValue): string {
  const parts: string[] = [];
  encodeInto(value, parts);
  return parts.join('');
}
