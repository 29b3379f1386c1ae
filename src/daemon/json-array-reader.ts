import { malformedJson, parseJson, type Decoder } from './decode.js';

/*
 * Reads a JSON array as its bytes arrive, one item at a time: each item is parsed and decoded
 * as soon as the comma or bracket after it is in, and then dropped. A daemon's list of 10,000
 * workloads (6 MB) or of 1,000 workloads' images with 50 tags each (19 MB) is thus never held
 * whole, neither as one string nor as one parsed tree.
 *
 * Finding where an item ends needs only the brackets, braces and commas outside strings; the
 * scan hops from quote to quote with Buffer.indexOf (memchr) rather than looking at each byte
 * of a string. JSON.parse still checks every item in full, so the items joined by commas inside
 * brackets are exactly the body. A body that is not an array (`null`, an object, an error) is
 * read whole and given to `whole`, so it fails or succeeds exactly as a buffered reading does.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
function skipSpace(chunk: Buffer, from: number): number {
  let i = from;
  while (i < chunk.length && isSpace(chunk[i])) i++;
  return i;
}

/** How many backslashes end at `end` (exclusive), not looking before `from`; `before` counts those earlier. */
function backslashesBefore(chunk: Buffer, from: number, end: number, before: number): number {
  let k = end - 1;
  while (k >= from && chunk[k] === BACKSLASH) k--;
  return end - 1 - k + (k < from ? before : 0);
}

type Phase = 'start' | 'items' | 'after' | 'whole';

export class JsonArrayReader<T> {
  private phase: Phase = 'start';
  /** The bytes of the unfinished item from earlier chunks (the whole body, in phase 'whole'). */
  private parts: Buffer[] = [];
  private depth = 0;
  private inString = false;
  /** Inside a string cut by a chunk's end: the backslashes that ended that chunk. */
  private carried = 0;
  private readonly items: T[] = [];

  constructor(
    private readonly item: Decoder<T>,
    private readonly whole: Decoder<T[] | null>,
    private readonly what: string,
  ) {}

  push(chunk: Buffer): void {
    let i = 0;
    if (this.phase === 'start') {
      i = skipSpace(chunk, 0);
      if (i === chunk.length) return;
      this.phase = chunk[i] === OPEN_BRACKET ? 'items' : 'whole';
      if (this.phase === 'items') i++;
    }
    if (this.phase === 'whole') this.parts.push(chunk.subarray(i));
    if (this.phase === 'items') i = this.readItems(chunk, i);
    if (this.phase === 'after' && skipSpace(chunk, i) < chunk.length) throw malformedJson(this.what, 'more data after the end of the list');
  }

  /** The decoded items; null when the body was `null`. */
  end(): T[] | null {
    if (this.phase === 'after') return this.items;
    if (this.phase === 'items') throw malformedJson(this.what, 'Unexpected end of JSON input');
    return this.whole(parseJson(Buffer.concat(this.parts).toString('utf8'), this.what), '');
  }

  /** Scans for the ends of items; returns where the list's closing bracket ended, or the chunk's length. */
  private readItems(chunk: Buffer, start: number): number {
    let from = start;
    let i = start;
    let depth = this.depth;
    if (this.inString) i = this.stringEnd(chunk, i, this.carried);
    while (i < chunk.length && i >= 0) {
      const b = chunk[i];
      if (b === QUOTE) {
        i = this.stringEnd(chunk, i + 1, 0);
        continue;
      }
      if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (depth > 0) {
        if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
      } else if (b === CLOSE_BRACE) {
        throw malformedJson(this.what, "a '}' that closes nothing");
      } else if (b === COMMA || b === CLOSE_BRACKET) {
        this.emit(chunk.subarray(from, i), b === CLOSE_BRACKET);
        from = i + 1;
        if (b === CLOSE_BRACKET) {
          this.phase = 'after';
          return from;
        }
      }
      i++;
    }
    this.depth = depth;
    this.parts.push(chunk.subarray(from));
    return chunk.length;
  }

  /** Past the quote closing a string whose text starts at `from`; -1 (and the string carried over) if it is not in yet. */
  private stringEnd(chunk: Buffer, from: number, carried: number): number {
    for (let q = chunk.indexOf(QUOTE, from); q >= 0; q = chunk.indexOf(QUOTE, q + 1)) {
      if (backslashesBefore(chunk, from, q, carried) % 2 === 0) {
        this.inString = false;
        return q + 1;
      }
    }
    this.inString = true;
    this.carried = backslashesBefore(chunk, from, chunk.length, carried);
    return -1;
  }

  private emit(piece: Buffer, last: boolean): void {
    const bytes = this.parts.length === 0 ? piece : Buffer.concat([...this.parts, piece]);
    this.parts = [];
    // `[]`: the closing bracket with nothing before it, and no item yet, ends an empty list.
    if (last && this.items.length === 0 && skipSpace(bytes, 0) === bytes.length) return;
    const i = this.items.length;
    const value = parseJson(bytes.toString('utf8'), `${this.what}, item [${i}]`);
    this.items.push(this.item(value, `[${i}]`));
  }
}
