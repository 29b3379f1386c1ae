// SSH key pairs the way the flux CLI writes them into a Secret (fluxcd/pkg ssh/key_pair.go):
// the private key as PKCS#8 PEM for every algorithm, the public key as an authorized_keys line
// without a comment. The wire blob follows RFC 4251/5656/8709 (OpenSSH sshkey.c).
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export type KeyAlgorithm = 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa' | 'ed25519';

export interface KeyPair {
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  privateKey: string;
  /** `<type> <base64>\n`. */
  publicKey: string;
}

const CURVES = { 'ecdsa-p256': ['prime256v1', 'nistp256'], 'ecdsa-p384': ['secp384r1', 'nistp384'], 'ecdsa-p521': ['secp521r1', 'nistp521'] } as const;
const JWK_CURVES: Record<string, string> = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' };

function sshString(buf: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

/** mpint: minimal big-endian two's complement, a leading zero when the top bit is set. */
function mpint(raw: Buffer): Buffer {
  let i = 0;
  while (i < raw.length - 1 && raw[i] === 0) i++;
  const v = raw.subarray(i);
  return sshString(v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

const b64url = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');

/** The SSH wire blob of a public key. */
export function publicBlob(key: KeyObject): { type: string; blob: Buffer } {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty === 'RSA') return { type: 'ssh-rsa', blob: Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(b64url(jwk.e)), mpint(b64url(jwk.n))]) };
  if (jwk.kty === 'OKP') return { type: 'ssh-ed25519', blob: Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(b64url(jwk.x))]) };
  const curve = JWK_CURVES[jwk.crv ?? ''];
  if (jwk.kty !== 'EC' || !curve) throw new Error(`unsupported key type ${jwk.kty}`);
  const type = `ecdsa-sha2-${curve}`;
  const point = Buffer.concat([Buffer.from([4]), b64url(jwk.x), b64url(jwk.y)]);
  return { type, blob: Buffer.concat([sshString(Buffer.from(type)), sshString(Buffer.from(curve)), sshString(point)]) };
}

/** `<type> <base64>` for a public or private key (PEM or KeyObject). */
export function authorizedKey(key: KeyObject | string): string {
  const pub = typeof key === 'string' ? createPublicKey(key) : key.type === 'public' ? key : createPublicKey(key);
  const { type, blob } = publicBlob(pub);
  return `${type} ${blob.toString('base64')}`;
}

/** A fresh key pair; ECDSA P-384 is what `flux bootstrap` and `flux create secret git` default to. */
export function generateSshKey(algorithm: KeyAlgorithm = 'ecdsa-p384', rsaBits = 2048): KeyPair {
  const pair =
    algorithm === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: rsaBits })
    : algorithm === 'ed25519' ? generateKeyPairSync('ed25519')
    : generateKeyPairSync('ec', { namedCurve: CURVES[algorithm][0] });
  return {
    privateKey: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: `${authorizedKey(pair.publicKey)}\n`,
  };
}

/** The known_hosts host field: a bare host for port 22, `[host]:port` otherwise (OpenSSH). */
export function knownHostsHost(url: string): string {
  const u = new URL(url);
  return u.port && u.port !== '22' ? `[${u.hostname}]:${u.port}` : u.hostname;
}
