import { CliError } from '../../errors.js';
import { decodeKeyBlob, isSshKeyType, type SshKeyType } from './ssh-key-blob.js';

export { keyTypeLabel, SSH_KEY_TYPES, type SshKeyType } from './ssh-key-blob.js';

/** An SSH public key as an `identity.pub` or authorized_keys line carries it. */
export interface SshPublicKey {
  /** The wire name, e.g. `ecdsa-sha2-nistp384`. */
  type: SshKeyType;
  /** The decoded key blob: what fingerprints are computed over. */
  blob: Buffer;
  /** Key size as ssh-keygen reports it: the RSA modulus or DSA prime length, the curve size. */
  bits: number;
  /** Whatever followed the key data on its line, `''` when nothing (Flux writes none). */
  comment: string;
}

/** A public key that cannot be read; the message names where it came from and what is wrong. */
export class SshKeyError extends CliError {}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LINE = /^([^ \t]+)(?:[ \t]+([^ \t]+))?(?:[ \t]+(.*))?$/;

/**
 * Parses the one key line of an `identity.pub` (or any OpenSSH public key file): `<type>
 * <base64 blob> [comment]`. Blank lines and `#` comments around it are ignored, as ssh-keygen
 * ignores them; the blob is decoded and checked field by field. `what` names the source in errors.
 */
export function parsePublicKeyLine(text: string, what = 'SSH public key'): SshPublicKey {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trim());
  // Never echo a PEM block: it is most likely the private key pasted into the wrong field.
  if (lines.some((l) => l.startsWith('-----BEGIN'))) {
    throw new SshKeyError(`${what} holds a PEM block (a private key?), not an OpenSSH public key line`);
  }
  const keyLines = lines.filter((l) => l !== '' && !l.startsWith('#'));
  const line = keyLines[0];
  if (line === undefined) throw new SshKeyError(`${what} is empty`);
  if (keyLines.length > 1) {
    throw new SshKeyError(`${what} holds ${keyLines.length} lines of keys; expected exactly one`);
  }
  const [, type = '', data, comment = ''] = LINE.exec(line) ?? [];
  if (!isSshKeyType(type)) throw new SshKeyError(`${what}: ${unknownTypeProblem(type, line)}`);
  if (data === undefined) throw new SshKeyError(`${what}: no key data after "${type}"`);
  if (!BASE64.test(data)) throw new SshKeyError(`${what}: the key data after "${type}" is not valid base64`);
  const blob = Buffer.from(data, 'base64');
  const decoded = decodeOrThrow(blob, what);
  if (decoded.type !== type) {
    throw new SshKeyError(`${what}: the line says "${type}" but its key data is a "${decoded.type}" key`);
  }
  return { type, blob, bits: decoded.bits, comment: comment.trim() };
}

/** Reads a bare key blob (for example from an OpenSSH private key file) into a comment-less key. */
export function publicKeyFromBlob(blob: Buffer, what = 'SSH public key'): SshPublicKey {
  const { type, bits } = decodeOrThrow(blob, what);
  return { type, blob, bits, comment: '' };
}

/**
 * The authorized_keys line for a key, without a newline: `<type> <base64>`, plus ` <comment>`
 * when there is one. Flux's generators (fluxcd/pkg ssh key_pair.go) write no comment.
 */
export function formatPublicKeyLine(key: Pick<SshPublicKey, 'type' | 'blob'> & { comment?: string }): string {
  const base = `${key.type} ${key.blob.toString('base64')}`;
  return key.comment ? `${base} ${key.comment}` : base;
}

function decodeOrThrow(blob: Buffer, what: string): { type: SshKeyType; bits: number } {
  try {
    return decodeKeyBlob(blob);
  } catch (err) {
    throw new SshKeyError(`${what}: ${(err as Error).message}`, { cause: err });
  }
}

function unknownTypeProblem(first: string, line: string): string {
  const known = line.split(/[ \t]+/).slice(1).find(isSshKeyType);
  if (known !== undefined) {
    return `the line has something before the key type "${known}"; authorized_keys options are not supported`;
  }
  // Quote the field only when it looks like a type name, so no stray secret is echoed.
  if (!/^[A-Za-z0-9@._-]{1,64}$/.test(first)) return 'the line does not start with an SSH key type';
  if (first.includes('-cert-v01@openssh.com')) return `"${first}" is an SSH certificate, not a plain public key`;
  if (first.startsWith('sk-')) return `"${first}" is a hardware security key type, which Flux cannot use`;
  return `unknown key type "${first}" (expected ssh-rsa, ecdsa-sha2-nistp256/384/521, ssh-ed25519 or ssh-dss)`;
}
