import { generateKeyPair, type KeyObject } from 'node:crypto';
import { UsageError } from '../../errors.js';
import { ECDSA_CURVES } from './ssh-key-blob.js';
import { formatPublicKeyLine, parsePublicKeyLine, SshKeyError, type SshPublicKey } from './ssh-key.js';
import { sshPublicKeyOf } from './ssh-key-object.js';

export type EcdsaCurve = 'p256' | 'p384' | 'p521';

/** A deploy key's algorithm and size, in the terms of `flux create secret git --ssh-key-algorithm`. */
export type KeySpec = { algorithm: 'rsa'; bits: number } | { algorithm: 'ecdsa'; curve: EcdsaCurve } | { algorithm: 'ed25519' };

/** What `flux create secret git` and `flux bootstrap` generate unless told otherwise. */
export const FLUX_DEFAULT_KEY_SPEC: KeySpec = { algorithm: 'ecdsa', curve: 'p384' };

// The flux CLI's --ssh-rsa-bits default (fluxcd/flux2 internal/flags rsa_key_bits.go).
const FLUX_DEFAULT_RSA_BITS = 2048;
// Go's crypto/rsa refuses to make keys under 1024 bits; OpenSSH reads none over 16384.
const RSA_MIN_BITS = 1024;
const RSA_MAX_BITS = 16384;
const JWK_CURVES: Record<EcdsaCurve, string> = { p256: 'P-256', p384: 'P-384', p521: 'P-521' };

/** The spec to regenerate a key as: same algorithm, same size. DSA keys have no Flux equivalent. */
export function keySpecOf(key: Pick<SshPublicKey, 'type' | 'bits'>): KeySpec {
  switch (key.type) {
    case 'ssh-rsa':
      return { algorithm: 'rsa', bits: key.bits };
    case 'ssh-ed25519':
      return { algorithm: 'ed25519' };
    case 'ssh-dss':
      throw new SshKeyError('the current key is DSA, which Flux cannot generate', {
        hint: 'choose the new key type: ecdsa-p384 (Flux default), ed25519 or rsa-<bits>',
      });
    default:
      return { algorithm: 'ecdsa', curve: ECDSA_CURVES[key.type].ssh.replace('nist', '') as EcdsaCurve };
  }
}

/** keySpecOf for an `identity.pub` text; `what` names it in errors. */
export function keySpecOfPublicKeyLine(identityPub: string, what?: string): KeySpec {
  return keySpecOf(parsePublicKeyLine(identityPub, what));
}

/**
 * Reads a key type flag value: `ecdsa` (P-384, as flux), `ecdsa-p256|p384|p521`, `ed25519`,
 * `rsa` (2048 bits, as flux) or `rsa-<bits>` (a multiple of 8, as flux's --ssh-rsa-bits).
 */
export function parseKeySpec(text: string): KeySpec {
  const value = text.trim().toLowerCase();
  if (value === 'ed25519') return { algorithm: 'ed25519' };
  if (value === 'ecdsa') return FLUX_DEFAULT_KEY_SPEC;
  const curve = /^ecdsa-(p256|p384|p521)$/.exec(value)?.[1];
  if (curve !== undefined) return { algorithm: 'ecdsa', curve: curve as EcdsaCurve };
  if (value === 'rsa') return { algorithm: 'rsa', bits: FLUX_DEFAULT_RSA_BITS };
  const bits = /^rsa-(\d{1,6})$/.exec(value)?.[1];
  if (bits !== undefined) {
    const spec: KeySpec = { algorithm: 'rsa', bits: Number(bits) };
    const problem = rsaBitsProblem(spec.bits) ?? (spec.bits % 8 === 0 ? undefined : 'must be a multiple of 8');
    if (problem === undefined) return spec;
    throw new UsageError(`invalid key type ${JSON.stringify(text)}: RSA key size ${problem}`);
  }
  throw new UsageError(`invalid key type ${JSON.stringify(text)}`, {
    hint: 'use ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519 or rsa-<bits> (e.g. rsa-4096)',
  });
}

/** The flag spelling of a spec, which parseKeySpec reads back: `ecdsa-p384`, `ed25519`, `rsa-4096`. */
export function formatKeySpec(spec: KeySpec): string {
  if (spec.algorithm === 'rsa') return `rsa-${spec.bits}`;
  if (spec.algorithm === 'ecdsa') return `ecdsa-${spec.curve}`;
  return 'ed25519';
}

/**
 * A new key pair. The private key sits in a private field, so logging or JSON-serialising the
 * pair shows only the public half; read it with privateKeyPem() when writing the Secret.
 */
export class DeployKeyPair {
  readonly #privateKeyPem: string;
  /** The `identity.pub` content: `<type> <base64>` and one newline, no comment, as Flux writes. */
  readonly publicKeyLine: string;
  constructor(
    readonly publicKey: SshPublicKey,
    privateKeyPem: string,
  ) {
    this.#privateKeyPem = privateKeyPem;
    this.publicKeyLine = `${formatPublicKeyLine(publicKey)}\n`;
  }

  /** The `identity` content: PKCS#8 PEM (`BEGIN PRIVATE KEY`) for every algorithm, as Flux writes. */
  privateKeyPem(): string {
    return this.#privateKeyPem;
  }
}

/**
 * Generates a deploy key the way Flux does (fluxcd/pkg ssh key_pair.go): RSA with exponent
 * 65537, ECDSA on a NIST curve, or Ed25519; the private key as PKCS#8 PEM and the public key as
 * a comment-less authorized_keys line. Asynchronous, since large RSA keys take seconds.
 */
export async function generateDeployKey(spec: KeySpec): Promise<DeployKeyPair> {
  if (spec.algorithm === 'rsa') {
    const problem = rsaBitsProblem(spec.bits);
    if (problem !== undefined) throw new UsageError(`cannot generate an RSA key of ${spec.bits} bits: the size ${problem}`);
  }
  const { publicKey, privateKey } = await newKeyPair(spec);
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return new DeployKeyPair(sshPublicKeyOf(publicKey, 'generated key'), pem);
}

function rsaBitsProblem(bits: number): string | undefined {
  if (!Number.isInteger(bits) || bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    return `must be between ${RSA_MIN_BITS} and ${RSA_MAX_BITS}`;
  }
  return undefined;
}

function newKeyPair(spec: KeySpec): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject): void => {
      if (err) reject(err);
      else resolve({ publicKey, privateKey });
    };
    if (spec.algorithm === 'rsa') generateKeyPair('rsa', { modulusLength: spec.bits, publicExponent: 0x10001 }, done);
    else if (spec.algorithm === 'ecdsa') generateKeyPair('ec', { namedCurve: JWK_CURVES[spec.curve] }, done);
    else generateKeyPair('ed25519', {}, done);
  });
}
