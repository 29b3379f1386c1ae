/** A duration string Go's time.ParseDuration rejects; the message is Go's, word for word. */
export class GoDurationError extends Error {
  override name = 'GoDurationError';
}

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);
const LIMIT = 1n << 63n;
const HEX = '0123456789abcdef';
const encoder = new TextEncoder();

// The time package's own quote, not strconv.Quote: any non-ASCII or control rune is written
// as its UTF-8 bytes in \x form, and nothing else but " and \ is escaped.
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of encoder.encode(ch)) out += '\\x' + HEX[b >> 4]! + HEX[b & 15]!;
    } else {
      out += c === 0x22 || c === 0x5c ? '\\' + ch : ch;
    }
  }
  return out + '"';
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Nanoseconds for a Go duration string, with time.ParseDuration's grammar, limits and errors. */
export function parseGoDuration(orig: string): bigint {
  const invalid = (): GoDurationError => new GoDurationError(`time: invalid duration ${timeQuote(orig)}`);
  let s = orig;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let d = 0n;
  let i = 0;
  while (i < s.length) {
    if (!(s[i] === '.' || isDigit(s[i]))) throw invalid();
    let v = 0n;
    const intStart = i;
    for (; isDigit(s[i]); i++) {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) throw invalid();
    }
    const pre = i > intStart;
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[i] === '.') {
      const fracStart = ++i;
      let overflow = false;
      // Digits past uint64 precision are consumed but ignored, as in Go's leadingFraction.
      for (; isDigit(s[i]); i++) {
        if (overflow) continue;
        const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
        if (y > LIMIT) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i > fracStart;
    }
    if (!pre && !post) throw invalid();
    const unitStart = i;
    while (i < s.length && !(s[i] === '.' || isDigit(s[i]))) i++;
    if (i === unitStart) throw new GoDurationError(`time: missing unit in duration ${timeQuote(orig)}`);
    const u = s.slice(unitStart, i);
    const unit = UNITS.get(u);
    if (unit === undefined) {
      throw new GoDurationError(`time: unknown unit ${timeQuote(u)} in duration ${timeQuote(orig)}`);
    }
    if (v > LIMIT / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      // Go adds the fraction through float64 (rounding included), so we do too.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) throw invalid();
    }
    d += v;
    if (d > LIMIT) throw invalid();
  }
  if (neg) return -d;
  if (d > LIMIT - 1n) throw invalid();
  return d;
}

/** Digits of v / 10^prec after the point, trailing zeros (and a bare point) dropped, like Go's fmtFrac. */
function fraction(v: bigint, prec: number): [string, bigint] {
  const scale = 10n ** BigInt(prec);
  const digits = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return [digits === '' ? '' : '.' + digits, v / scale];
}

/** Go's Duration.String(): "1h30m0s", "1.5s", "500ms", "1µs", "0s". */
export function formatGoDuration(ns: bigint): string {
  if (ns < -LIMIT || ns >= LIMIT) throw new RangeError(`duration ${ns}ns does not fit in a Go int64`);
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let text: string;
  if (u === 0n) {
    return '0s';
  } else if (u < 1_000_000_000n) {
    const [prec, unit] = u < 1_000n ? [0, 'ns'] : u < 1_000_000n ? [3, '\u00b5s'] : [6, 'ms'];
    const [frac, whole] = fraction(u, prec);
    text = `${whole}${frac}${unit}`;
  } else {
    const [frac, secs] = fraction(u, 9);
    text = `${secs % 60n}${frac}s`;
    u = secs / 60n;
    if (u > 0n) {
      text = `${u % 60n}m` + text;
      u /= 60n;
      if (u > 0n) text = `${u}h` + text;
    }
  }
  return neg ? '-' + text : text;
}

/** Milliseconds as a JS number (truncated toward zero), for timers and deadlines. */
export function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
