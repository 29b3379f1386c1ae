// Go's unicode.IsPrint: categories L, M, N, P, S plus the ASCII space (no other spaces).
// Node's Unicode tables may be newer than the Go release fluxctl was built with.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const HEX = '0123456789abcdef';

const SHORT: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

function hex(code: number, digits: number): string {
  let out = '';
  for (let shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += HEX[(code >> shift) & 15]!;
  return out;
}

function quoteRune(ch: string): string {
  const short = SHORT[ch];
  if (short !== undefined) return short;
  const c = ch.codePointAt(0)!;
  // A lone surrogate reaches Go as U+FFFD once the string is UTF-8 encoded, and that prints raw.
  if (c >= 0xd800 && c <= 0xdfff) return '\ufffd';
  if (PRINTABLE.test(ch)) return ch;
  if (c < 0x20 || c === 0x7f) return '\\x' + hex(c, 2);
  if (c < 0x10000) return '\\u' + hex(c, 4);
  return '\\U' + hex(c, 8);
}

/** Go's strconv.Quote (what fmt's %q prints for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += quoteRune(ch);
  return out + '"';
}
