import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprints } from '../../src/backends/toolkit/fingerprint.js';
import { currentKey } from '../../src/backends/toolkit/identity-key.js';
import { decodeDeploySecret, describeAuth, urlScheme, type DeploySecret } from '../../src/backends/toolkit/identity-secret.js';
import { formatPublicKeyLine, SshKeyError } from '../../src/backends/toolkit/ssh-key.js';
import { sshPublicKeyOf } from '../../src/backends/toolkit/ssh-key-object.js';
import { DecodeError } from '../../src/errors.js';

// The ssh-keygen (OpenSSH 9.2) vector: an ECDSA P-384 identity.pub and its fingerprints.
const VECTOR =
  'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBGNz+mCtAP0IGqd2NRKS3UUlCgT3xeHIBiSt4iU3df2s400A10+HTynF1Vor9sNy6m+Nz0rtre5gWVvuPXdNGQUSnQTvMOme0Z9HCQRsVqCF74qVdgwZWs1DYKK+mvod/g==';
const VECTOR_MD5 = '34:1c:d7:f2:72:a6:2d:26:06:7b:e8:5c:6e:a4:97:2b';
const VECTOR_SHA256 = 'xwoneoiFVhylnRucjjcjIopEqm7EtYnayom34zelLQA';
const VECTOR_MD5_ART = [
  '+---[ECDSA 384]---+', '|        . ..     |', '|       . o. .    |', '|        +  o     |', '|      .. .. +    |', '|       +S  *     |',
  '|      o * + .    |', '|     o B + .     |', '|      E =        |', '|       +..       |', '+------[MD5]------+', '',
].join('\n');

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const fresh = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
const pkcs8 = (k: KeyObject, passphrase?: string): string =>
  k.export(passphrase === undefined ? { type: 'pkcs8', format: 'pem' } : { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
const pubLine = (k: KeyObject): string => formatPublicKeyLine(sshPublicKeyOf(k));

function secret(data: Record<string, string>, extra: Record<string, unknown> = {}): DeploySecret {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  return decodeDeploySecret({ metadata: { name: 'flux-system', namespace: 'flux-system', resourceVersion: '7' }, data: encoded, ...extra }, 'Secret flux-system/flux-system');
}

describe('decodeDeploySecret', () => {
  it('decodes the SSH fields and keeps only the names of the others', () => {
    const s = secret({ known_hosts: 'github.com ssh-ed25519 AAAA', 'identity.pub': `${VECTOR}\n`, identity: 'PEM', username: 'git', password: 'pw' }, { immutable: true });
    expect(s).toEqual({
      metadata: { name: 'flux-system', namespace: 'flux-system', generation: 0, resourceVersion: '7', labels: null, annotations: null },
      immutable: true,
      keys: ['identity', 'identity.pub', 'known_hosts', 'password', 'username'],
      identityPub: `${VECTOR}\n`, identity: 'PEM', password: 'pw', knownHosts: 'github.com ssh-ed25519 AAAA',
    });
    expect(JSON.stringify(s)).not.toContain('"git"');
  });

  it('reads absent data as no keys, and names a field of the wrong type', () => {
    const empty = decodeDeploySecret({ metadata: { name: 'x', namespace: 'y' } }, 'Secret y/x');
    expect([empty.keys, empty.identity, empty.identityPub, empty.knownHosts, empty.immutable]).toEqual([[], undefined, undefined, undefined, false]);
    const bad = (): DeploySecret => decodeDeploySecret({ data: { identity: 42 } }, 'Secret y/x');
    expect(bad).toThrow(DecodeError);
    expect(bad).toThrow('Secret y/x.data.identity: expected a string, got number');
  });
});

describe('urlScheme', () => {
  it.each([['ssh://git@github.com/acme/fleet', 'ssh'], ['HTTPS://github.com/acme/fleet', 'https'], ['git@github.com:acme/fleet', '']])('%s', (url, scheme) => {
    expect(urlScheme(url)).toBe(scheme);
  });
});

describe('describeAuth names the method, never a value', () => {
  const s = (keys: Record<string, string>): DeploySecret => decodeDeploySecret({ metadata: { name: 'auth', namespace: 'apps' }, data: keys }, 'Secret apps/auth');
  it.each<[string, string, DeploySecret | undefined, string]>([
    ['https', '', undefined, 'an https:// URL with no credentials (no spec.secretRef)'],
    ['https', 'azure', undefined, 'an https:// URL with Azure workload identity (spec.provider: azure)'],
    ['https', 'generic', undefined, 'an https:// URL with no credentials (no spec.secretRef)'],
    ['https', 'github', s({ githubAppID: 'MQ==' }), 'an https:// URL with GitHub App credentials (spec.provider: github)'],
    ['https', '', s({ githubAppID: 'MQ==', githubAppPrivateKey: 'eA==' }), 'an https:// URL with GitHub App credentials (githubAppID… in Secret apps/auth)'],
    ['https', '', s({ bearerToken: 'c2VjcmV0' }), 'an https:// URL with an HTTPS bearer token (bearerToken in Secret apps/auth)'],
    ['https', '', s({ username: 'Z2l0', password: 'aHVudGVyMg==' }), 'an https:// URL with HTTPS basic auth (username/password in Secret apps/auth)'],
    ['http', '', s({ 'tls.crt': 'eA==', 'tls.key': 'eA==' }), 'an http:// URL with a TLS client certificate (tls.crt in Secret apps/auth)'],
    ['https', '', s({ identity: 'eA==', known_hosts: 'eA==' }), 'an https:// URL, over which source-controller does not use the SSH key in Secret apps/auth'],
    ['https', '', s({ 'ca.crt': 'eA==' }), 'an https:// URL and Secret apps/auth, which holds no credentials source-controller uses (its keys: ca.crt)'],
    ['ssh', '', s({ known_hosts: 'eA==', password: 'eA==' }), "an ssh:// URL and Secret apps/auth, which has no 'identity' (its keys: known_hosts, password)"],
    ['ssh', '', s({}), "an ssh:// URL and Secret apps/auth, which has no 'identity' (it has no data keys)"],
  ])('%s %s %#', (scheme, provider, sec, text) => {
    const described = describeAuth(scheme, provider, sec);
    expect(described).toBe(text);
    expect(described).not.toMatch(/hunter2|c2VjcmV0|secret\b/);
  });
});

describe('currentKey', () => {
  const debug: string[] = [];
  const log = (m: string): void => void debug.push(m);

  it('prints identity.pub as stored, trimmed (comment kept), with the fingerprints ssh-keygen computes', () => {
    const k = currentKey(secret({ 'identity.pub': `# deploy key\n\n  ${VECTOR}  fluxcd@cluster \t\r\n\n` }), log);
    expect(k?.line).toBe(`${VECTOR}  fluxcd@cluster`);
    expect(k?.warnings).toEqual([]);
    const fp = fingerprints(k!.key);
    expect(fp.get('md5')).toEqual({ hash: VECTOR_MD5, randomart: VECTOR_MD5_ART });
    expect(fp.get('sha256')?.hash).toBe(VECTOR_SHA256);
  });

  it('accepts identity.pub that matches identity', () => {
    const key = fresh();
    const k = currentKey(secret({ identity: pkcs8(key), 'identity.pub': `${pubLine(key)}\n`, known_hosts: 'h' }), log);
    expect(k).toMatchObject({ line: pubLine(key), warnings: [] });
  });

  it('derives the key from identity when identity.pub is absent or blank (encrypted with password too)', () => {
    const key = fresh();
    expect(currentKey(secret({ identity: pkcs8(key) }), log)?.line).toBe(pubLine(key));
    expect(currentKey(secret({ identity: pkcs8(key), 'identity.pub': '\n \n' }), log)?.line).toBe(pubLine(key));
    expect(currentKey(secret({ identity: pkcs8(key, 'pass'), password: 'pass' }), log)?.line).toBe(pubLine(key));
  });

  it('warns when identity.pub is not the public half of identity, naming the key source-controller offers', () => {
    const offered = fresh();
    const k = currentKey(secret({ identity: pkcs8(offered), 'identity.pub': `${VECTOR}\n` }), log);
    expect(k?.line).toBe(VECTOR);
    const sha = fingerprints(sshPublicKeyOf(offered)).get('sha256')?.hash;
    expect(k?.warnings).toEqual([
      `identity.pub in Secret flux-system/flux-system does not match its 'identity', which is the key source-controller offers (SHA256:${sha}): the git host must know ${pubLine(offered)}`,
    ]);
  });

  it('shows identity.pub unchecked when identity cannot be read here, and says why under --verbose', () => {
    debug.length = 0;
    const k = currentKey(secret({ identity: pkcs8(fresh(), 'pass'), 'identity.pub': VECTOR }), log);
    expect(k).toMatchObject({ line: VECTOR, warnings: [] });
    expect(debug).toEqual(["cannot check identity.pub against identity: identity in Secret flux-system/flux-system is encrypted and no passphrase ('password') was given"]);
  });

  it('falls back to identity when identity.pub is broken, and fails when there is nothing to fall back to', () => {
    const key = fresh();
    const k = currentKey(secret({ identity: pkcs8(key), 'identity.pub': 'ssh-ed25519 !!!' }), log);
    expect(k?.line).toBe(pubLine(key));
    expect(k?.warnings).toEqual([`identity.pub in Secret flux-system/flux-system: the key data after "ssh-ed25519" is not valid base64; showing the public key of 'identity' instead`]);
    expect(() => currentKey(secret({ 'identity.pub': 'ssh-ed25519 !!!' }), log)).toThrow(SshKeyError);
  });

  it('never echoes a private key pasted into identity.pub', () => {
    const pem = pkcs8(fresh());
    let message = '';
    try {
      currentKey(secret({ 'identity.pub': pem }), log);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('identity.pub in Secret flux-system/flux-system holds a PEM block (a private key?), not an OpenSSH public key line');
  });

  it('is undefined when the Secret holds no SSH key', () => {
    expect(currentKey(secret({ username: 'git', password: 'x' }), log)).toBeUndefined();
  });
});
