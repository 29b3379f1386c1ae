import { createPublicKey } from 'node:crypto';
import { bitLength, SshReader, SshWireError } from './ssh-wire.js';

/** The public key types a deploy key can have (those Go's x/crypto/ssh, and so Flux, accepts). */
export const SSH_KEY_TYPES = [
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-ed25519',
  'ssh-dss',
] as const;
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];
export type EcdsaKeyType = Extract<SshKeyType, `ecdsa-${string}`>;

/** Each ECDSA type's curve: its SSH name, JWK name, size in bits and coordinate length. */
export const ECDSA_CURVES: Record<EcdsaKeyType, { ssh: string; jwk: string; bits: number; coordBytes: number }> = {
  'ecdsa-sha2-nistp256': { ssh: 'nistp256', jwk: 'P-256', bits: 256, coordBytes: 32 },
  'ecdsa-sha2-nistp384': { ssh: 'nistp384', jwk: 'P-384', bits: 384, coordBytes: 48 },
  'ecdsa-sha2-nistp521': { ssh: 'nistp521', jwk: 'P-521', bits: 521, coordBytes: 66 },
};

// OpenSSH refuses RSA moduli outside these bounds (SSH_RSA_MINIMUM_MODULUS_SIZE, SSHBUF_MAX_BIGNUM),
// and Go's crypto/rsa refuses keys under 1024 bits, so such a key cannot work as a deploy key.
const RSA_MIN_BITS = 1024;
const RSA_MAX_BITS = 16384;

export function isSshKeyType(value: string): value is SshKeyType {
  return (SSH_KEY_TYPES as readonly string[]).includes(value);
}

/** The key kind as ssh-keygen names it in `-l` output and randomart titles (OpenSSH sshkey.c). */
export function keyTypeLabel(type: SshKeyType): 'RSA' | 'DSA' | 'ECDSA' | 'ED25519' {
  if (type === 'ssh-rsa') return 'RSA';
  if (type === 'ssh-dss') return 'DSA';
  if (type === 'ssh-ed25519') return 'ED25519';
  return 'ECDSA';
}

/**
 * Decodes a public key blob: its type and size. Every field is checked and nothing may follow
 * the last one, so a corrupt `identity.pub` fails here rather than at the git host.
 */
export function decodeKeyBlob(blob: Buffer): { type: SshKeyType; bits: number } {
  const reader = new SshReader(blob);
  const type = reader.text('key type');
  if (!isSshKeyType(type)) throw new SshWireError(`unsupported key type "${type.slice(0, 64)}" in the key data`);
  const bits = decodeBody(type, reader);
  reader.end(`${type} key`);
  return { type, bits };
}

function decodeBody(type: SshKeyType, reader: SshReader): number {
  switch (type) {
    case 'ssh-rsa':
      return decodeRsa(reader);
    case 'ssh-dss': {
      const p = reader.unsignedMpint('DSA p');
      for (const field of ['DSA q', 'DSA g', 'DSA y']) reader.unsignedMpint(field);
      return bitLength(p);
    }
    case 'ssh-ed25519': {
      const length = reader.string('Ed25519 key').length;
      if (length !== 32) throw new SshWireError(`the Ed25519 key is ${length} bytes, not 32`);
      return 256;
    }
    default:
      return decodeEcdsa(type, reader);
  }
}

function decodeRsa(reader: SshReader): number {
  const e = reader.unsignedMpint('RSA exponent');
  const bits = bitLength(reader.unsignedMpint('RSA modulus'));
  // Go x/crypto/ssh (parseRSA) accepts only odd exponents from 3 up to 24 bits.
  const exponent = bitLength(e) > 24 ? 0 : e.reduce((acc, byte) => acc * 256 + byte, 0);
  if (exponent < 3 || exponent % 2 === 0) throw new SshWireError('the RSA exponent is not an odd number of at most 24 bits');
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    throw new SshWireError(`the RSA modulus has ${bits} bits; OpenSSH accepts ${RSA_MIN_BITS} to ${RSA_MAX_BITS}`);
  }
  return bits;
}

function decodeEcdsa(type: EcdsaKeyType, reader: SshReader): number {
  const curve = ECDSA_CURVES[type];
  const name = reader.text('curve name');
  if (name !== curve.ssh) throw new SshWireError(`a ${type} key names curve "${name.slice(0, 64)}", not "${curve.ssh}"`);
  const point = reader.string('ECDSA point');
  // Only the uncompressed form 04 || X || Y, as Go's elliptic.Unmarshal requires.
  if (point.length !== 1 + 2 * curve.coordBytes || point[0] !== 4) {
    throw new SshWireError(`the ECDSA point is not an uncompressed ${curve.ssh} point`);
  }
  const x = point.subarray(1, 1 + curve.coordBytes).toString('base64url');
  const y = point.subarray(1 + curve.coordBytes).toString('base64url');
  try {
    createPublicKey({ key: { kty: 'EC', crv: curve.jwk, x, y }, format: 'jwk' });
  } catch (err) {
    throw new SshWireError(`the ECDSA point is not on curve ${curve.ssh}`, { cause: err });
  }
  return curve.bits;
}
