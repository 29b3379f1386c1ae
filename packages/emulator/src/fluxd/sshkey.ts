// A realistic but fake deploy key: a well-formed `ssh-rsa` public key blob (random modulus,
// so no private key exists anywhere), with fingerprints and ssh-keygen's "drunken bishop"
// randomart computed from that blob exactly as ssh-keygen -l -v would.
import { createHash, randomBytes } from 'node:crypto';
import type { PublicKey } from './types.js';

function sshString(buf: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

/** The wire blob of an RSA public key with a random modulus of `bits` bits. */
function rsaBlob(bits: number): Buffer {
  const modulus = randomBytes(bits / 8);
  modulus[0]! |= 0x80; // full bit length
  modulus[modulus.length - 1]! |= 1; // odd, like any RSA modulus
  return Buffer.concat([
    sshString(Buffer.from('ssh-rsa')),
    sshString(Buffer.from([0x01, 0x00, 0x01])), // e = 65537
    sshString(Buffer.concat([Buffer.from([0]), modulus])), // mpint: leading zero for the sign bit
  ]);
}

const FIELD_X = 17;
const FIELD_Y = 9;
const AUGMENT = ' .o+=*BOX@%&#/^SE';

function frame(label: string): string {
  const pad = Math.floor((FIELD_X - label.length) / 2);
  return '+' + '-'.repeat(pad) + label + '-'.repeat(FIELD_X - pad - label.length) + '+';
}

/** OpenSSH's sshkey_fingerprint_randomart. */
export function randomart(digest: Buffer, title: string, hashName: string): string {
  const field = Array.from({ length: FIELD_X }, () => new Array<number>(FIELD_Y).fill(0));
  const top = AUGMENT.length - 1; // 'E'; 'S' is top-1, the plain symbols stop at top-2
  let x = Math.floor(FIELD_X / 2);
  let y = Math.floor(FIELD_Y / 2);
  for (const byte of digest) {
    let input = byte;
    for (let b = 0; b < 4; b++) {
      x = Math.min(Math.max(x + (input & 1 ? 1 : -1), 0), FIELD_X - 1);
      y = Math.min(Math.max(y + (input & 2 ? 1 : -1), 0), FIELD_Y - 1);
      if (field[x]![y]! < top - 2) field[x]![y]!++;
      input >>= 2;
    }
  }
  field[Math.floor(FIELD_X / 2)]![Math.floor(FIELD_Y / 2)] = top - 1;
  field[x]![y] = top;
  const rows = [frame(`[${title}]`)];
  for (let row = 0; row < FIELD_Y; row++) {
    let line = '|';
    for (let col = 0; col < FIELD_X; col++) line += AUGMENT[Math.min(field[col]![row]!, top)];
    rows.push(line + '|');
  }
  rows.push(frame(`[${hashName}]`));
  return rows.join('\n') + '\n';
}

/** A fresh fake deploy key as fluxd reports it. */
export function generateKey(bits = 3072): PublicKey {
  const blob = rsaBlob(bits);
  const md5 = createHash('md5').update(blob).digest();
  const sha256 = createHash('sha256').update(blob).digest();
  const title = `RSA ${bits}`;
  return {
    key: `ssh-rsa ${blob.toString('base64')}\n`,
    md5: {
      hash: [...md5].map((b) => b.toString(16).padStart(2, '0')).join(':'),
      randomart: randomart(md5, title, 'MD5'),
    },
    sha256: {
      hash: sha256.toString('base64').replace(/=+$/, ''),
      randomart: randomart(sha256, title, 'SHA256'),
    },
  };
}
