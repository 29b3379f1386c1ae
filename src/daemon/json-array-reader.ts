import { malformedJson, parseJson, type Decoder } from './decode.js';
import { isBlank, itemPattern, parseList } from './json-list-bytes.js';

/*
 * Reads a JSON array as its bytes arrive: the items complete so far are parsed and decoded, and
 * their text and trees dropped. A daemon's list of 10,000 workloads (6 MB) or of 1,000
 * workloads' images with 50 tags each (19 MB) is thus never held whole, neither as one string
 * nor as one parsed tree.
 *
 * Where the complete items end is found in one of two ways:
 * - Guessing. Go writes a list of objects with no spaces, so an item boundary reads `},{"ID":`
 *   (the first item's own opening). The text from a known item start to the last such
 *   `},{"ID":` is given to JSON.parse inside brackets; if it parses, the guess was a boundary:
 *   tokenising from a known start leaves no other way for `[…]` to close. No byte is scanned in
 *   JavaScript. The /v6/services list is read this way: no object inside a workload opens with ID.
 * - Scanning, from the first failed or hopeless guess on (image lists nest `{"ID":` objects in
 *   every container): the structure outside strings is followed (hopping from quote to quote
 *   through a latin1 view of each chunk), and each chunk's complete items parsed together.
 * A bad item then fails with its index named; JSON.parse checks every item in full either way.
 * A body that is not an array (`null`, an object) is read whole and given to `whole`, so it
 * fails or succeeds exactly as a buffered reading does.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Guessing holds at most this much text waiting for a boundary before it gives way to the scan. */
const GUESS_LIMIT = 1 << 20;

/** How many backslashes end at `end` (exclusive), not looking before `from`; `before` counts those earlier. */
function backslashesBefore(text: string, from: number, end: number, before: number): number {
  let k = end - 1;
  while (k >= from && text.charCodeAt(k) === BACKSLASH) k--;
  return end - 1 - k + (k < from ? before : 0);
}

type Phase = 'start' | 'items' | 'after' | 'whole';

export class JsonArrayReader<T> {
  private phase: Phase = 'start';
  /** The bytes of the unfinished item (the whole body, in phase 'whole'). */
  private parts: Buffer[] = [];
  /** The boundary pattern while guessing; null once scanning; undefined until the first item shows it. */
  private pattern: Buffer | null | undefined = undefined;
  private depth = 0;
  private inString = false;
  /** Inside a string cut by a chunk's end: the backslashes that ended that chunk. */
  private carried = 0;
  private readonly items: T[] = [];

  /** With `keepTail`, what follows the list is kept for the caller (a list inside an object) instead of refused. */
  private readonly tailParts: Buffer[] | undefined;

  constructor(
    private readonly item: Decoder<T>,
    private readonly whole: Decoder<T[] | null>,
    private readonly what: string,
    options: { keepTail?: boolean } = {},
  ) {
    this.tailParts = options.keepTail === true ? [] : undefined;
  }

  /** The bytes after the list's closing bracket (with `keepTail`). */
  tail(): Buffer {
    return Buffer.concat(this.tailParts ?? []);
  }

  push(chunk: Buffer): void {
    let i = 0;
    if (this.phase === 'start') {
      i = skipSpace(chunk, 0);
      if (i === chunk.length) return;
      this.phase = chunk[i] === OPEN_BRACKET ? 'items' : 'whole';
      if (this.phase === 'items') i++;
    }
    if (this.phase === 'whole') this.parts.push(chunk.subarray(i));
    else if (this.phase === 'items' && this.pattern !== null) this.guess(chunk.subarray(i));
    else {
      if (this.phase === 'items') i = this.readItems(chunk, i);
      this.checkAfter(chunk, i);
    }
  }

  /** The decoded items; null when the body was `null`. */
  end(): T[] | null {
    if (this.phase === 'items' && this.pattern !== null) this.toScan();
    if (this.phase === 'after') return this.items;
    if (this.phase === 'items') throw malformedJson(this.what, 'Unexpected end of JSON input');
    return this.whole(parseJson(Buffer.concat(this.parts).toString('utf8'), this.what), '');
  }

  private checkAfter(bytes: Buffer, from: number): void {
    if (this.phase !== 'after' || from >= bytes.length) return;
    if (this.tailParts !== undefined) this.tailParts.push(bytes.subarray(from));
    else if (skipSpace(bytes, from) < bytes.length) throw malformedJson(this.what, 'more data after the end of the list');
  }

  /**
   * Takes every item up to the last boundary guessed in this chunk, or falls back to scanning.
   * A boundary cut by the chunk's edge is not looked for: the next boundary takes its items too.
   */
  private guess(chunk: Buffer): void {
    let pattern = this.pattern;
    if (pattern === undefined) {
      const text = Buffer.concat([...this.parts, chunk]);
      this.parts = [text];
      pattern = this.pattern = itemPattern(text);
      if (pattern === null) return this.toScan();
      if (pattern === undefined) return;
      this.parts = [];
      chunk = text;
    }
    if (pattern === null) return this.toScan();
    const end = chunk.lastIndexOf(pattern);
    if (end < 0) {
      this.parts.push(chunk);
      if (this.parts.reduce((n, p) => n + p.length, 0) > GUESS_LIMIT) this.toScan();
      return;
    }
    // Up to and with the `}` that closes the last complete item; the next one starts after the comma.
    const values = parseList([...this.parts, chunk.subarray(0, end + 1)]);
    if (values === undefined) {
      this.parts.push(chunk);
      return this.toScan();
    }
    this.decode(values);
    this.parts = [chunk.subarray(end + 2)];
  }

  /** From here on the structure is scanned; what the guesses left starts at an item. */
  private toScan(): void {
    this.pattern = null;
    const text = Buffer.concat(this.parts);
    this.parts = [];
    this.checkAfter(text, this.readItems(text, 0));
  }

  private decode(values: unknown[]): void {
    const first = this.items.length;
    for (let k = 0; k < values.length; k++) this.items.push(this.item(values[k], `[${first + k}]`));
  }

  /** Scans for the ends of items; returns where the list's closing bracket ended, or the chunk's length. */
  private readItems(chunk: Buffer, start: number): number {
    // The scan reads a latin1 view of the bytes: every byte one character, so indexes match, and
    // String#indexOf and charCodeAt are V8 builtins (Buffer#indexOf goes through JavaScript
    // checks on each call, and strings come by the hundred thousand). Structural characters are
    // ASCII, never part of a multi-byte UTF-8 sequence.
    const text = chunk.toString('latin1');
    // Where each item that ends in this chunk ends (its comma, or the list's closing bracket).
    const ends: number[] = [];
    let i = start;
    let depth = this.depth;
    if (this.inString) i = this.stringEnd(text, i, this.carried);
    while (i < text.length && i >= 0) {
      const b = text.charCodeAt(i);
      if (b === QUOTE) {
        i = this.stringEnd(text, i + 1, 0);
        continue;
      }
      if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (depth > 0) {
        if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
      } else if (b === CLOSE_BRACE) {
        throw malformedJson(this.what, "a '}' that closes nothing");
      } else if (b === COMMA || b === CLOSE_BRACKET) {
        ends.push(i);
        if (b === CLOSE_BRACKET) {
          this.phase = 'after';
          break;
        }
      }
      i++;
    }
    this.depth = depth;
    const last = ends.at(-1);
    if (last !== undefined) this.emit(chunk, start, ends);
    const rest = last === undefined ? start : last + 1;
    if (this.phase === 'after') return rest;
    this.parts.push(chunk.subarray(rest));
    return chunk.length;
  }

  /**
   * Parses the items ending in this chunk with one JSON.parse: the bytes from the first one's
   * start to the last one's end, with the commas between them, are a list's inside. Only if
   * that fails are the items parsed one by one, for the message naming the bad one.
   */
  private emit(chunk: Buffer, start: number, ends: number[]): void {
    const pieces = [...this.parts, chunk.subarray(start, ends.at(-1))];
    this.parts = [];
    const values = parseList(pieces);
    const first = this.items.length;
    // `[]`: the closing bracket with nothing before it, and no item yet, ends an empty list.
    const emptyList = first === 0 && this.phase === 'after' && ends.length === 1 && pieces.every(isBlank);
    if (values === undefined || (values.length !== ends.length && !emptyList)) {
      const bytes = Buffer.concat(pieces);
      // Where this chunk's byte 0 falls in `bytes`.
      const head = bytes.length - (ends.at(-1) ?? 0);
      ends.forEach((end, k) => {
        const from = k === 0 ? 0 : (ends[k - 1] ?? 0) + 1 + head;
        parseJson(bytes.subarray(from, end + head).toString('utf8'), `${this.what}, item [${first + k}]`);
      });
      throw malformedJson(this.what, 'the items do not make a list');
    }
    this.decode(values);
  }

  /** Past the quote closing a string whose text starts at `from`; -1 (and the string carried over) if it is not in yet. */
  private stringEnd(text: string, from: number, carried: number): number {
    for (let q = text.indexOf('"', from); q >= 0; q = text.indexOf('"', q + 1)) {
      if (backslashesBefore(text, from, q, carried) % 2 === 0) {
        this.inString = false;
        return q + 1;
      }
    }
    this.inString = true;
    this.carried = backslashesBefore(text, from, text.length, carried);
    return -1;
  }
}

function skipSpace(chunk: Buffer, from: number): number {
  let i = from;
  while (i < chunk.length && isSpaceByte(chunk[i])) i++;
  return i;
}

const isSpaceByte = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
