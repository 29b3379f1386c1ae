import { createHash } from 'node:crypto';
import type { Fingerprint, PublicSSHKey } from '../../model/identity.js';
import { randomart } from './randomart.js';
import { formatPublicKeyLine, keyTypeLabel, parsePublicKeyLine, type SshPublicKey } from './ssh-key.js';

/** The digests ssh-keygen offers with `-E`, and the Flux v1 API's `fingerprints` keys. */
export const FINGERPRINT_HASHES = ['md5', 'sha256'] as const;
export type FingerprintHash = (typeof FINGERPRINT_HASHES)[number];

const HASH_TITLES: Record<FingerprintHash, string> = { md5: 'MD5', sha256: 'SHA256' };

/**
 * A key blob's fingerprint as the Flux v1 daemon reported it, i.e. ssh-keygen's without the
 * `MD5:`/`SHA256:` prefix (OpenSSH sshkey.c fingerprint_hex, fingerprint_b64): md5 as 16
 * colon-separated lower-case hex pairs, sha256 as base64 without its `=` padding.
 */
export function fingerprintHash(blob: Buffer, hash: FingerprintHash): string {
  const digest = createHash(hash).update(blob).digest();
  return formatDigest(digest, hash);
}

/** One fingerprint with its randomart, as `ssh-keygen -l -v -E <hash>` prints them. */
export function fingerprint(key: Pick<SshPublicKey, 'type' | 'blob' | 'bits'>, hash: FingerprintHash): Fingerprint {
  const digest = createHash(hash).update(key.blob).digest();
  return {
    hash: formatDigest(digest, hash),
    randomart: randomart(digest, `${keyTypeLabel(key.type)} ${key.bits}`, HASH_TITLES[hash]),
  };
}

/** Both fingerprints, keyed `md5` then `sha256` like the v1 API's `publicSSHKey.fingerprints`. */
export function fingerprints(key: Pick<SshPublicKey, 'type' | 'blob' | 'bits'>): Map<string, Fingerprint> {
  return new Map(FINGERPRINT_HASHES.map((hash) => [hash, fingerprint(key, hash)]));
}

/**
 * The v1 daemon's `publicSSHKey` for an `identity.pub`: its key line (comment kept as stored,
 * fields separated by one space) ending in one newline, with both fingerprints. Throws
 * SshKeyError when the text is not one valid key; `what` names the source in that error.
 */
export function publicSSHKey(identityPub: string, what?: string): PublicSSHKey {
  return toPublicSSHKey(parsePublicKeyLine(identityPub, what));
}

/** The v1 daemon's `publicSSHKey` for an already parsed (or derived) key. */
export function toPublicSSHKey(key: SshPublicKey): PublicSSHKey {
  return { key: `${formatPublicKeyLine(key)}\n`, fingerprints: fingerprints(key) };
}

function formatDigest(digest: Buffer, hash: FingerprintHash): string {
  if (hash === 'sha256') return digest.toString('base64').replace(/=+$/, '');
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
