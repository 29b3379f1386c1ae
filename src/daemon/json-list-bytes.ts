/* Byte-level helpers of JsonArrayReader: parsing a run of items, and the boundary it guesses. */

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The items in `pieces` (a list's inside, comma-separated) parsed as one list; undefined if that is not JSON. */
export function parseList(pieces: readonly Buffer[]): unknown[] | undefined {
  const list = Buffer.allocUnsafe(pieces.reduce((n, p) => n + p.length, 2));
  list[0] = OPEN_BRACKET;
  let at = 1;
  for (const p of pieces) at += p.copy(list, at);
  list[at] = CLOSE_BRACKET;
  try {
    return JSON.parse(list.toString('utf8')) as unknown[];
  } catch {
    return undefined;
  }
}

export const isBlank = (bytes: Buffer): boolean => /^[ \t\r\n]*$/.test(bytes.toString('latin1'));

/**
 * What separates two items when the list's first item opens like `{"ID":`: `},{"ID":`. Undefined
 * while the first item's opening is not all in; null when the list cannot be guessed at (its
 * items are not objects, or start with spaces or an escaped key).
 */
export function itemPattern(text: Buffer): Buffer | null | undefined {
  const opening = /^[ \t\r\n]*(\{"[A-Za-z0-9_]+":)/.exec(text.subarray(0, 64).toString('latin1'));
  if (opening !== null) return Buffer.from(`},${opening[1]}`, 'latin1');
  return /^[ \t\r\n]*(\{("[A-Za-z0-9_]*)?)?$/.test(text.subarray(0, 64).toString('latin1')) && text.length < 64 ? undefined : null;
}
