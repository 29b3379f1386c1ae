import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicKeyFromPrivateKey } from '../../src/backends/toolkit/private-key.js';
import { formatPublicKeyLine, parsePublicKeyLine, SshKeyError } from '../../src/backends/toolkit/ssh-key.js';
import { sshPublicKeyOf } from '../../src/backends/toolkit/ssh-key-object.js';
import { hasSshKeygen, sshKeygenGenerate, sshKeygenOn, VECTOR_DIR } from '../helpers/ssh-keygen.js';

// Private keys here are made fresh by each run; the one committed key is OpenSSH's own
// passphrase-protected container, a throwaway (see test/fixtures/ssh-keys/make-vectors.mjs).
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ec = (namedCurve: string): KeyObject => generateKeyPairSync('ec', { namedCurve }).privateKey;
const ed = generateKeyPairSync('ed25519').privateKey;
const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1', secret?: string): string =>
  key.export(secret === undefined ? { type, format: 'pem' } : { type, format: 'pem', cipher: 'aes-256-cbc', passphrase: secret }).toString();
const line = (key: KeyObject): string => formatPublicKeyLine(sshPublicKeyOf(key));

const plain: [string, KeyObject, string][] = [
  ['RSA PKCS#8', rsa, pem(rsa, 'pkcs8')],
  ['RSA PKCS#1', rsa, pem(rsa, 'pkcs1')],
  ...['P-256', 'P-384', 'P-521'].flatMap((curve): [string, KeyObject, string][] => {
    const key = ec(curve);
    return [[`${curve} PKCS#8`, key, pem(key, 'pkcs8')], [`${curve} SEC1`, key, pem(key, 'sec1')]];
  }),
  ['Ed25519 PKCS#8', ed, pem(ed, 'pkcs8')],
];

describe('publicKeyFromPrivateKey: PEM keys node:crypto reads', () => {
  it.each(plain)('%s', (_, key, text) => {
    const derived = publicKeyFromPrivateKey(text);
    expect(formatPublicKeyLine(derived)).toBe(line(key));
    expect(derived.comment).toBe('');
  });

  // OpenSSH reads PKCS#1, SEC1 and PKCS#8 RSA/ECDSA, but not PKCS#8 Ed25519 ("invalid format").
  it.skipIf(!hasSshKeygen).each(plain.filter(([name]) => !name.startsWith('Ed25519')))('%s: same as ssh-keygen -y', (_, __, text) => {
    const { status, stdout } = sshKeygenOn(text, ['-y']);
    expect(status).toBe(0);
    expect(formatPublicKeyLine(publicKeyFromPrivateKey(text))).toBe(stdout.trim());
  });

  it('decrypts with the passphrase, PKCS#8 and legacy Proc-Type PEM alike', () => {
    for (const text of [pem(rsa, 'pkcs8', 's3cret'), pem(rsa, 'pkcs1', 's3cret')]) {
      expect(formatPublicKeyLine(publicKeyFromPrivateKey(text, 's3cret'))).toBe(line(rsa));
    }
  });

  it.each<[string, string, string | undefined, RegExp]>([
    ['no passphrase', pem(rsa, 'pkcs8', 's3cret'), undefined, /^identity is encrypted and no passphrase \('password'\) was given$/],
    ['legacy Proc-Type, no passphrase', pem(rsa, 'pkcs1', 's3cret'), undefined, /is encrypted/],
    ['wrong passphrase', pem(rsa, 'pkcs8', 's3cret'), 'nope', /^identity could not be decrypted: wrong passphrase\?$/],
    ['not PEM', 'just some text', undefined, /^identity is not a PEM private key$/],
    ['corrupt PEM', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', undefined, /^identity is not a PKCS#8, PKCS#1 or SEC1 key that can be read$/],
    ['DSA', generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, /dsa keys cannot be used as SSH deploy keys/],
  ])('%s: a clear error', (_, text, secret, want) => {
    expect(() => publicKeyFromPrivateKey(text, secret, 'identity')).toThrow(want);
    expect(() => publicKeyFromPrivateKey(text, secret, 'identity')).toThrow(SshKeyError);
  });

  it('never quotes the key in an error', () => {
    const lines = pem(rsa, 'pkcs8').split('\n');
    const corrupt = [lines[0], '!!!', ...lines.slice(2)].join('\n');
    const secretLine = lines[2] ?? '';
    expect(secretLine).toHaveLength(64);
    try {
      publicKeyFromPrivateKey(corrupt);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SshKeyError);
      expect(String(err)).not.toContain(secretLine.slice(0, 16));
      expect(String((err as Error).cause)).not.toContain(secretLine.slice(0, 16));
    }
  });
});

describe('publicKeyFromPrivateKey: OpenSSH containers', () => {
  it('reads the clear public section of a passphrase-protected key without the passphrase', () => {
    const sealed = readFileSync(join(VECTOR_DIR, 'openssh-encrypted-rsa.key'), 'utf8');
    const want = parsePublicKeyLine(readFileSync(join(VECTOR_DIR, 'openssh-encrypted-rsa.pub'), 'utf8'));
    const derived = publicKeyFromPrivateKey(sealed);
    expect(derived).toEqual({ ...want, comment: '' });
  });

  it.each<[string, string, RegExp]>([
    ['bad magic', `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from('openssh-key-v2\0xxxx').toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`, /not a valid OpenSSH private key$/],
    ['no end marker', `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from('openssh-key-v1\0').toString('base64')}\n`, /not a valid OpenSSH private key$/],
    ['truncated', `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from('openssh-key-v1\0\0\0\0\x04no').toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`, /not a valid OpenSSH private key: cipher name runs past the end/],
  ])('%s: a clear error', (_, text, want) => {
    expect(() => publicKeyFromPrivateKey(text, undefined, 'identity')).toThrow(want);
  });

  it.skipIf(!hasSshKeygen)('matches ssh-keygen for fresh OpenSSH keys of every type, sealed or not', () => {
    for (const [type, bits, passphrase] of [['rsa', '2048', ''], ['ecdsa', '521', ''], ['ed25519', '256', ''], ['ed25519', '256', 'pw']]) {
      const made = sshKeygenGenerate(type!, bits!, passphrase);
      expect(formatPublicKeyLine(publicKeyFromPrivateKey(made.privateKey))).toBe(made.publicLine);
    }
  });
});
