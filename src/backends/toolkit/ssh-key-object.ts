import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ECDSA_CURVES, type EcdsaKeyType } from './ssh-key-blob.js';
import { publicKeyFromBlob, SshKeyError, type SshPublicKey } from './ssh-key.js';
import { sshMpint, sshString } from './ssh-wire.js';

/**
 * The SSH public key of a node:crypto key (public or private): the blob that Go's
 * `ssh.NewPublicKey` builds for the same key (RFC 4253 §6.6 for RSA, RFC 5656 §3.1 for
 * ECDSA, RFC 8709 §4 for Ed25519), read through the key's JWK export. No comment is set.
 */
export function sshPublicKeyOf(key: KeyObject, what = 'key'): SshPublicKey {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  const kind = publicKey.asymmetricKeyType;
  if (kind !== 'rsa' && kind !== 'ec' && kind !== 'ed25519') {
    throw new SshKeyError(`${what}: ${kind ?? 'this'} keys cannot be used as SSH deploy keys here (use RSA, ECDSA or Ed25519)`);
  }
  const jwk = publicKey.export({ format: 'jwk' });
  return publicKeyFromBlob(blobOf(kind, jwk, what), what);
}

function blobOf(kind: 'rsa' | 'ec' | 'ed25519', jwk: JsonWebKey, what: string): Buffer {
  if (kind === 'rsa') {
    return Buffer.concat([sshString('ssh-rsa'), sshMpint(field(jwk.e)), sshMpint(field(jwk.n))]);
  }
  if (kind === 'ed25519') return Buffer.concat([sshString('ssh-ed25519'), sshString(field(jwk.x))]);
  const entry = Object.entries(ECDSA_CURVES).find(([, curve]) => curve.jwk === jwk.crv);
  if (entry === undefined) {
    throw new SshKeyError(`${what}: ECDSA curve ${jwk.crv ?? '(unnamed)'} has no SSH key type (use P-256, P-384 or P-521)`);
  }
  const [type, curve] = entry as [EcdsaKeyType, (typeof ECDSA_CURVES)[EcdsaKeyType]];
  // JWK coordinates are already padded to the curve's full length, as the SSH point needs.
  const point = Buffer.concat([Buffer.from([4]), field(jwk.x), field(jwk.y)]);
  return Buffer.concat([sshString(type), sshString(curve.ssh), sshString(point)]);
}

function field(value: string | undefined): Buffer {
  return Buffer.from(value ?? '', 'base64url');
}
