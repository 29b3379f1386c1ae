/**
 * The SSH wire encoding (RFC 4251 §5) that public-key blobs are made of: `string` is a uint32
 * big-endian length and that many bytes; `mpint` is a `string` holding a minimal big-endian
 * two's-complement integer.
 */

/** Thrown when bytes do not follow the SSH wire encoding; callers add what was being read. */
export class SshWireError extends Error {}

/** Reads SSH wire fields one after another from a buffer, refusing to run past its end. */
export class SshReader {
  #offset = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.#offset;
  }

  uint32(field: string): number {
    if (this.remaining < 4) throw new SshWireError(`truncated before ${field}`);
    const value = this.buf.readUInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  string(field: string): Buffer {
    const length = this.uint32(field);
    if (length > this.remaining) throw new SshWireError(`${field} runs past the end of the data`);
    const value = this.buf.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }

  text(field: string): string {
    return this.string(field).toString('latin1');
  }

  /** A non-negative mpint, returned as its magnitude without the sign byte. */
  unsignedMpint(field: string): Buffer {
    const raw = this.string(field);
    const first = raw[0];
    if (first === undefined) return raw;
    if (first & 0x80) throw new SshWireError(`${field} is negative`);
    // OpenSSH (sshbuf_get_bignum2_bytes_direct) rejects a zero byte that the sign does not need.
    const second = raw[1];
    if (first === 0 && (second === undefined || (second & 0x80) === 0)) {
      throw new SshWireError(`${field} is not minimally encoded`);
    }
    return first === 0 ? raw.subarray(1) : raw;
  }

  /** The rest of the buffer must be empty: trailing bytes mean a corrupt or foreign blob. */
  end(what: string): void {
    if (this.remaining !== 0) throw new SshWireError(`${this.remaining} unexpected bytes after the ${what}`);
  }
}

/** Encodes bytes (or latin1 text such as a key type name) as an SSH `string`. */
export function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** Encodes a non-negative big-endian magnitude as an SSH `mpint`. */
export function sshMpint(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const needsSign = ((trimmed[0] ?? 0) & 0x80) !== 0;
  return sshString(needsSign ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** The number of significant bits of a big-endian magnitude (OpenSSL BN_num_bits). */
export function bitLength(magnitude: Buffer): number {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const top = magnitude[start];
  if (top === undefined) return 0;
  return (magnitude.length - start - 1) * 8 + (32 - Math.clz32(top));
}
