/**
 * ssh-keygen's "visual host key" (OpenSSH sshkey.c fingerprint_randomart, after Loss, Limmer and
 * von Gernler's "drunken bishop"): a bishop walks a 17×9 board driven by the digest bits, and each
 * square shows how often it was visited.
 */

const WIDTH = 17;
const HEIGHT = 9;
// A square's symbol is indexed by its visit count; the last two mark the start and the end.
const SYMBOLS = ' .o+=*BOX@%&#/^SE';
const START = SYMBOLS.length - 2;
const END = SYMBOLS.length - 1;
// Visit counts stop short of the start and end markers.
const MAX_VISITS = SYMBOLS.length - 3;

/**
 * The randomart of a raw digest, in ssh-keygen's exact bytes plus the newline it prints after:
 * `keyTitle` is e.g. `ECDSA 384`, `hashName` `MD5` or `SHA256`.
 */
export function randomart(digest: Uint8Array, keyTitle: string, hashName: string): string {
  const board = walk(digest);
  const rows: string[] = [border(boxTitle(keyTitle))];
  for (let y = 0; y < HEIGHT; y++) {
    let row = '|';
    for (let x = 0; x < WIDTH; x++) row += SYMBOLS[board[y * WIDTH + x] ?? 0];
    rows.push(`${row}|`);
  }
  rows.push(border(`[${hashName}]`));
  return `${rows.join('\n')}\n`;
}

function walk(digest: Uint8Array): Uint8Array {
  const board = new Uint8Array(WIDTH * HEIGHT);
  let x = (WIDTH - 1) / 2;
  let y = (HEIGHT - 1) / 2;
  for (const byte of digest) {
    // Four moves per byte, least significant bit pair first: bit 0 picks right or left,
    // bit 1 down or up; the bishop stays on the board by sliding along its edges.
    for (let shift = 0; shift < 8; shift += 2) {
      const move = byte >> shift;
      x = Math.min(Math.max(x + (move & 1 ? 1 : -1), 0), WIDTH - 1);
      y = Math.min(Math.max(y + (move & 2 ? 1 : -1), 0), HEIGHT - 1);
      const square = y * WIDTH + x;
      if ((board[square] ?? 0) < MAX_VISITS) board[square] = (board[square] ?? 0) + 1;
    }
  }
  board[((HEIGHT - 1) / 2) * WIDTH + (WIDTH - 1) / 2] = START;
  board[y * WIDTH + x] = END;
  return board;
}

// sshkey.c formats "[TYPE BITS]" into a 17-byte buffer: a title longer than 17 characters falls
// back to "[TYPE]", and whatever is chosen loses anything past 16 characters to the terminator.
function boxTitle(keyTitle: string): string {
  const full = `[${keyTitle}]`;
  const chosen = full.length > WIDTH ? `[${keyTitle.split(' ')[0] ?? ''}]` : full;
  return chosen.slice(0, WIDTH - 1);
}

function border(title: string): string {
  const left = Math.floor((WIDTH - title.length) / 2);
  return `+${'-'.repeat(left)}${title}${'-'.repeat(WIDTH - left - title.length)}+`;
}
