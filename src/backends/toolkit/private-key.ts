import { createPrivateKey } from 'node:crypto';
import { publicKeyFromBlob, SshKeyError, type SshPublicKey } from './ssh-key.js';
import { sshPublicKeyOf } from './ssh-key-object.js';
import { SshReader } from './ssh-wire.js';

const OPENSSH_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const OPENSSH_END = '-----END OPENSSH PRIVATE KEY-----';
const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/**
 * The public half of a deploy key's `identity` (a Secret made without `identity.pub`). Reads the
 * PEM forms Go's x/crypto/ssh accepts: PKCS#8 (what Flux writes), PKCS#1 and SEC1 through
 * node:crypto, decrypted with `passphrase` (the Secret's `password`) when encrypted, and
 * OpenSSH's own container, whose public key is stored in clear even when the rest is encrypted.
 * Errors never quote the key material.
 */
export function publicKeyFromPrivateKey(pem: string, passphrase?: string, what = 'private key'): SshPublicKey {
  if (pem.includes(OPENSSH_BEGIN)) return publicKeyFromOpenSshContainer(pem, what);
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) {
    throw new SshKeyError(`${what} is not a PEM private key`);
  }
  const encrypted = pem.includes('ENCRYPTED PRIVATE KEY') || /^Proc-Type:\s*4,ENCRYPTED/m.test(pem);
  if (encrypted && passphrase === undefined) {
    throw new SshKeyError(`${what} is encrypted and no passphrase ('password') was given`);
  }
  let key;
  try {
    key = createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
  } catch (err) {
    // A wrong passphrase usually fails the padding check, but now and then decrypts to garbage
    // that fails to parse instead, so any failure of an encrypted key gets the same message.
    throw new SshKeyError(
      encrypted ? `${what} could not be decrypted: wrong passphrase?` : `${what} is not a PKCS#8, PKCS#1 or SEC1 key that can be read`,
      { cause: err },
    );
  }
  return sshPublicKeyOf(key, what);
}

// The container (OpenSSH PROTOCOL.key): magic, cipher name, KDF name, KDF options, key count,
// then the public key blobs unencrypted, then the (possibly encrypted) private section.
function publicKeyFromOpenSshContainer(pem: string, what: string): SshPublicKey {
  const start = pem.indexOf(OPENSSH_BEGIN) + OPENSSH_BEGIN.length;
  const end = pem.indexOf(OPENSSH_END, start);
  const body = Buffer.from(pem.slice(start, end < 0 ? undefined : end).replace(/\s+/g, ''), 'base64');
  if (end < 0 || !body.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) {
    throw new SshKeyError(`${what} is not a valid OpenSSH private key`);
  }
  try {
    const reader = new SshReader(body.subarray(OPENSSH_MAGIC.length));
    for (const field of ['cipher name', 'KDF name', 'KDF options']) reader.string(field);
    const count = reader.uint32('key count');
    if (count !== 1) throw new Error(`it holds ${count} keys; OpenSSH reads only files with one`);
    return publicKeyFromBlob(reader.string('public key'), what);
  } catch (err) {
    if (err instanceof SshKeyError) throw err;
    throw new SshKeyError(`${what} is not a valid OpenSSH private key: ${(err as Error).message}`, { cause: err });
  }
}
