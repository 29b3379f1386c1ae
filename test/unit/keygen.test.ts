import { createPrivateKey } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/backends/toolkit/fingerprint.js';
import {
  FLUX_DEFAULT_KEY_SPEC,
  formatKeySpec,
  generateDeployKey,
  keySpecOf,
  keySpecOfPublicKeyLine,
  parseKeySpec,
  type KeySpec,
} from '../../src/backends/toolkit/keygen.js';
import { parsePublicKeyLine, SshKeyError } from '../../src/backends/toolkit/ssh-key.js';
import { sshPublicKeyOf } from '../../src/backends/toolkit/ssh-key-object.js';
import { ExitCode, UsageError } from '../../src/errors.js';
import { hasSshKeygen, loadVectors, sshKeygenListing, sshKeygenOn } from '../helpers/ssh-keygen.js';

const vectors = new Map(loadVectors().map((v) => [v.name, v.pub]));

describe('parseKeySpec / formatKeySpec', () => {
  it.each<[string, KeySpec, string]>([
    ['ecdsa', { algorithm: 'ecdsa', curve: 'p384' }, 'ecdsa-p384'],
    ['ecdsa-p256', { algorithm: 'ecdsa', curve: 'p256' }, 'ecdsa-p256'],
    ['ECDSA-P521', { algorithm: 'ecdsa', curve: 'p521' }, 'ecdsa-p521'],
    [' ed25519 ', { algorithm: 'ed25519' }, 'ed25519'],
    ['rsa', { algorithm: 'rsa', bits: 2048 }, 'rsa-2048'],
    ['rsa-4096', { algorithm: 'rsa', bits: 4096 }, 'rsa-4096'],
    ['rsa-1024', { algorithm: 'rsa', bits: 1024 }, 'rsa-1024'],
    ['rsa-16384', { algorithm: 'rsa', bits: 16384 }, 'rsa-16384'],
  ])('%j', (text, spec, formatted) => {
    expect(parseKeySpec(text)).toEqual(spec);
    expect(formatKeySpec(spec)).toBe(formatted);
    expect(parseKeySpec(formatted)).toEqual(spec);
  });

  it.each<[string, RegExp]>([
    ['dsa', /^invalid key type "dsa"$/],
    ['ecdsa-p224', /^invalid key type "ecdsa-p224"$/],
    ['rsa-', /^invalid key type "rsa-"$/],
    ['rsa-4095', /RSA key size must be a multiple of 8$/],
    ['rsa-512', /RSA key size must be between 1024 and 16384$/],
    ['rsa-16392', /RSA key size must be between 1024 and 16384$/],
    ['', /^invalid key type ""$/],
  ])('%j is a usage error', (text, want) => {
    expect(() => parseKeySpec(text)).toThrow(want);
    try {
      parseKeySpec(text);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(ExitCode.Usage);
    }
  });

  it('defaults to what flux bootstrap generates: ECDSA P-384', () => {
    expect(FLUX_DEFAULT_KEY_SPEC).toEqual({ algorithm: 'ecdsa', curve: 'p384' });
  });
});

describe('keySpecOf: the current key decides the new one', () => {
  it.each<[string, KeySpec]>([
    ['rsa-2048', { algorithm: 'rsa', bits: 2048 }],
    ['rsa-4096', { algorithm: 'rsa', bits: 4096 }],
    ['rsa-1025-crafted', { algorithm: 'rsa', bits: 1025 }],
    ['ecdsa-256', { algorithm: 'ecdsa', curve: 'p256' }],
    ['ecdsa-384', { algorithm: 'ecdsa', curve: 'p384' }],
    ['ecdsa-521', { algorithm: 'ecdsa', curve: 'p521' }],
    ['ed25519', { algorithm: 'ed25519' }],
  ])('%s', (name, spec) => {
    expect(keySpecOfPublicKeyLine(vectors.get(name)!)).toEqual(spec);
    expect(keySpecOf(parsePublicKeyLine(vectors.get(name)!))).toEqual(spec);
  });

  it('refuses DSA, which Flux cannot generate, with a hint', () => {
    expect(() => keySpecOfPublicKeyLine(vectors.get('dsa-1024')!)).toThrow(SshKeyError);
    try {
      keySpecOfPublicKeyLine(vectors.get('dsa-1024')!);
    } catch (err) {
      expect((err as SshKeyError).message).toBe('the current key is DSA, which Flux cannot generate');
      expect((err as SshKeyError).hint).toMatch(/ecdsa-p384.*ed25519.*rsa-<bits>/);
    }
  });

  it('passes on parse errors, naming the source', () => {
    expect(() => keySpecOfPublicKeyLine('', 'identity.pub of Secret flux-system/flux-system')).toThrow(/^identity\.pub of Secret flux-system\/flux-system is empty$/);
  });
});

const specs: KeySpec[] = [
  { algorithm: 'rsa', bits: 2048 },
  { algorithm: 'rsa', bits: 1032 },
  { algorithm: 'ecdsa', curve: 'p256' },
  { algorithm: 'ecdsa', curve: 'p384' },
  { algorithm: 'ecdsa', curve: 'p521' },
  { algorithm: 'ed25519' },
];
const TYPES = { rsa: 'ssh-rsa', ed25519: 'ssh-ed25519', p256: 'ecdsa-sha2-nistp256', p384: 'ecdsa-sha2-nistp384', p521: 'ecdsa-sha2-nistp521' };
const typeOf = (spec: KeySpec): string => (spec.algorithm === 'ecdsa' ? TYPES[spec.curve] : TYPES[spec.algorithm]);

describe('generateDeployKey', () => {
  const pairs = Promise.all(specs.map((spec) => generateDeployKey(spec)));

  it.each(specs.map((spec, i) => [formatKeySpec(spec), spec, i] as const))('%s: Flux encodings that round-trip', async (_, spec, i) => {
    const pair = (await pairs)[i]!;
    const pem = pair.privateKeyPem();
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END PRIVATE KEY-----\n$/);
    expect(pair.publicKeyLine).toMatch(new RegExp(`^${typeOf(spec)} [A-Za-z0-9+/]+={0,2}\\n$`));
    const parsed = parsePublicKeyLine(pair.publicKeyLine);
    expect(parsed).toEqual(pair.publicKey);
    expect(parsed.comment).toBe('');
    expect(keySpecOf(parsed)).toEqual(spec);
    // The private key is the partner of the public line.
    expect(sshPublicKeyOf(createPrivateKey(pem)).blob).toEqual(parsed.blob);
  });

  it('makes a different key every time', async () => {
    const [a, b] = await Promise.all([generateDeployKey({ algorithm: 'ed25519' }), generateDeployKey({ algorithm: 'ed25519' })]);
    expect(a.publicKeyLine).not.toBe(b.publicKeyLine);
  });

  it('regenerates an existing identity.pub with the same algorithm and size', async () => {
    for (const name of ['ecdsa-521', 'rsa-3072']) {
      const pair = await generateDeployKey(keySpecOfPublicKeyLine(vectors.get(name)!));
      const before = parsePublicKeyLine(vectors.get(name)!);
      expect([pair.publicKey.type, pair.publicKey.bits]).toEqual([before.type, before.bits]);
      expect(pair.publicKey.blob).not.toEqual(before.blob);
    }
  });

  it('refuses RSA sizes Go and OpenSSH refuse', async () => {
    await expect(generateDeployKey({ algorithm: 'rsa', bits: 768 })).rejects.toThrow(/cannot generate an RSA key of 768 bits: the size must be between 1024 and 16384/);
    await expect(generateDeployKey({ algorithm: 'rsa', bits: 20000 })).rejects.toThrow(UsageError);
  });

  it('keeps the private key out of logs and JSON', async () => {
    const pair = (await pairs)[5]!;
    expect(JSON.stringify(pair)).not.toContain('PRIVATE');
    expect(inspect(pair, { depth: 5, showHidden: true })).not.toContain('PRIVATE');
    expect(Object.keys(pair).sort()).toEqual(['publicKey', 'publicKeyLine']);
    expect(JSON.parse(JSON.stringify(pair)).publicKeyLine).toBe(pair.publicKeyLine);
  });

  describe.skipIf(!hasSshKeygen)('agrees with OpenSSH ssh-keygen', () => {
    it.each(specs.map((spec, i) => [formatKeySpec(spec), i] as const))('%s: ssh-keygen -l fingerprints the public line the same', async (_, i) => {
      const pair = (await pairs)[i]!;
      for (const hash of ['md5', 'sha256'] as const) {
        const want = sshKeygenListing(pair.publicKeyLine, hash);
        expect(fingerprint(pair.publicKey, hash)).toEqual({ hash: want.hash, randomart: want.randomart });
        expect(want.bits).toBe(pair.publicKey.bits);
        expect(want.comment).toBe('no comment');
      }
    });

    // ssh-keygen 9.2 cannot read PKCS#8 Ed25519 (Go's x/crypto/ssh, which Flux uses, can).
    it.each(specs.filter((s) => s.algorithm !== 'ed25519').map((spec) => [formatKeySpec(spec), specs.indexOf(spec)] as const))(
      '%s: ssh-keygen -y derives the same public line from the private key',
      async (_, i) => {
        const pair = (await pairs)[i]!;
        const { status, stdout } = sshKeygenOn(pair.privateKeyPem(), ['-y']);
        expect(status).toBe(0);
        expect(`${stdout.trim()}\n`).toBe(pair.publicKeyLine);
      },
    );
  });
});
