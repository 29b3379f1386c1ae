import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintHash, fingerprints, publicSSHKey, toPublicSSHKey } from '../../src/backends/toolkit/fingerprint.js';
import { randomart } from '../../src/backends/toolkit/randomart.js';
import { SshKeyError, formatPublicKeyLine, keyTypeLabel, parsePublicKeyLine } from '../../src/backends/toolkit/ssh-key.js';
import { sshPublicKeyOf } from '../../src/backends/toolkit/ssh-key-object.js';
import { jsonDocument } from '../../src/output/render.js';
import { hasSshKeygen, loadVectors, sshKeygenListing, type KeygenListing } from '../helpers/ssh-keygen.js';

// The pinned ECDSA P-384 vector (test/fixtures/ssh-keys/ecdsa-384-pinned.*, OpenSSH 9.2
// ssh-keygen), spelled out so that regenerating the fixture folder cannot change what is expected.
const REFERENCE_LINE =
  'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBGNz+mCtAP0IGqd2NRKS3UUlCgT3xeHIBiSt4iU3df2s400A10+HTynF1Vor9sNy6m+Nz0rtre5gWVvuPXdNGQUSnQTvMOme0Z9HCQRsVqCF74qVdgwZWs1DYKK+mvod/g==';
const REFERENCE_MD5_ART = [
  '+---[ECDSA 384]---+',
  '|        . ..     |',
  '|       . o. .    |',
  '|        +  o     |',
  '|      .. .. +    |',
  '|       +S  *     |',
  '|      o * + .    |',
  '|     o B + .     |',
  '|      E =        |',
  '|       +..       |',
  '+------[MD5]------+',
  '',
].join('\n');
const REFERENCE_SHA256_ART = [
  '+---[ECDSA 384]---+',
  '|    ...          |',
  '|   . = o         |',
  '| .  + *          |',
  '|E  + o o .       |',
  '|+o* * O S o      |',
  '|=*.* =.* o       |',
  '|*...o+. .        |',
  '|=.= =..          |',
  '|+Bo+ o           |',
  '+----[SHA256]-----+',
  '',
].join('\n');

/** What ssh-keygen -l -v prints for our computation, to compare with its output byte for byte. */
function listing(line: string, hash: 'md5' | 'sha256'): string {
  const key = parsePublicKeyLine(line);
  const fp = fingerprint(key, hash);
  const prefix = hash === 'md5' ? 'MD5' : 'SHA256';
  return `${key.bits} ${prefix}:${fp.hash} ${key.comment || 'no comment'} (${keyTypeLabel(key.type)})\n${fp.randomart}`;
}

function expectSameAsKeygen(line: string, want: KeygenListing, hash: 'md5' | 'sha256'): void {
  const key = parsePublicKeyLine(line);
  const fp = fingerprint(key, hash);
  expect(fp.hash).toBe(want.hash);
  expect(fp.randomart).toBe(want.randomart);
  expect(key.bits).toBe(want.bits);
  expect(keyTypeLabel(key.type)).toBe(want.label);
  expect(listing(line, hash)).toBe(want.raw);
}

describe('fingerprints match the committed ssh-keygen vectors', () => {
  const vectors = loadVectors();

  it('has every key type and size the vectors were made for', () => {
    expect(vectors.map((v) => v.name)).toEqual([
      'dsa-1024', 'ecdsa-256', 'ecdsa-384', 'ecdsa-384-pinned', 'ecdsa-521', 'ed25519',
      'rsa-1025-crafted', 'rsa-16384-crafted', 'rsa-2048', 'rsa-3072', 'rsa-4096',
    ]);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s: md5 and sha256, hash and randomart', (_, v) => {
    expectSameAsKeygen(v.pub, v.md5, 'md5');
    expectSameAsKeygen(v.pub, v.sha256, 'sha256');
  });
});

describe('the pinned vector', () => {
  it('gives the documented hashes without prefixes and the documented randomart', () => {
    const key = publicSSHKey(`${REFERENCE_LINE}\n`);
    expect(key.key).toBe(`${REFERENCE_LINE}\n`);
    expect(key.fingerprints?.get('md5')).toEqual({ hash: '34:1c:d7:f2:72:a6:2d:26:06:7b:e8:5c:6e:a4:97:2b', randomart: REFERENCE_MD5_ART });
    expect(key.fingerprints?.get('sha256')).toEqual({ hash: 'xwoneoiFVhylnRucjjcjIopEqm7EtYnayom34zelLQA', randomart: REFERENCE_SHA256_ART });
  });

  it('serialises in the v1 daemon shape: lower-case fields, md5 before sha256', () => {
    const json = jsonDocument(publicSSHKey(REFERENCE_LINE));
    expect(json).toMatch(/^\{"key":"ecdsa-sha2-nistp384 AAAA[^"]*\\n","fingerprints":\{"md5":\{"hash":"34:1c:[^"]*","randomart":"\+---\[ECDSA 384\]---\+\\n[^"]*\\n"\},"sha256":\{"hash":"xwone[^"]*","randomart":"[^"]*\[SHA256\][^"]*"\}\}\}\n$/);
  });
});

describe('fingerprintHash', () => {
  const blob = parsePublicKeyLine(REFERENCE_LINE).blob;
  it('writes md5 as 16 lower-case hex pairs and sha256 as 43 unpadded base64 characters', () => {
    expect(fingerprintHash(blob, 'md5')).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){15}$/);
    expect(fingerprintHash(blob, 'sha256')).toMatch(/^[A-Za-z0-9+/]{43}$/);
    expect(fingerprintHash(blob, 'md5')).toBe('34:1c:d7:f2:72:a6:2d:26:06:7b:e8:5c:6e:a4:97:2b');
  });
  it('hashes nothing but the blob (an empty blob gives the digests of nothing)', () => {
    expect(fingerprintHash(Buffer.alloc(0), 'md5')).toBe('d4:1d:8c:d9:8f:00:b2:04:e9:80:09:98:ec:f8:42:7e');
    expect(fingerprintHash(Buffer.alloc(0), 'sha256')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU');
  });
});

describe('publicSSHKey (the v1 model)', () => {
  it('keeps a stored comment, trims surrounding whitespace and ends the key in one newline', () => {
    const ed = loadVectors().find((v) => v.name === 'ed25519')!;
    const stored = `\n  ${ed.pub.trim()}  \r\n\n`;
    const key = publicSSHKey(stored);
    expect(key.key).toBe(`${ed.pub.trim()}\n`);
    expect(key.key.endsWith(' deploy key for acme/cluster\n')).toBe(true);
    expect([...(key.fingerprints?.keys() ?? [])]).toEqual(['md5', 'sha256']);
    expect(key.fingerprints?.get('sha256')?.hash).toBe(ed.sha256.hash);
  });

  it('fails with SshKeyError naming the source when the text is not a key', () => {
    expect(() => publicSSHKey('not a key', 'identity.pub of Secret flux-system/flux-system')).toThrow(SshKeyError);
    expect(() => publicSSHKey('', 'identity.pub of Secret flux-system/flux-system')).toThrow(/^identity\.pub of Secret flux-system\/flux-system is empty$/);
  });

  it('toPublicSSHKey gives the same model for a key derived from a node:crypto key', () => {
    const derived = sshPublicKeyOf(generateKeyPairSync('ed25519').publicKey);
    const model = toPublicSSHKey(derived);
    expect(model.key).toBe(`${formatPublicKeyLine(derived)}\n`);
    expect(model.fingerprints).toEqual(fingerprints(derived));
  });
});

describe('randomart', () => {
  const empty = (row: string): string => `|${row.padEnd(17)}|`;

  it('walks four moves per byte, low bits first: 0xff goes down-right four times', () => {
    const art = randomart(Uint8Array.of(0xff), 'RSA 2048', 'MD5').split('\n');
    expect(art).toEqual([
      '+---[RSA 2048]----+',
      empty(''), empty(''), empty(''), empty(''),
      empty('        S'),
      empty('         .'),
      empty('          .'),
      empty('           .'),
      empty('            E'),
      '+------[MD5]------+',
      '',
    ]);
  });

  it('clamps at the edges and marks the end over the start when they coincide', () => {
    expect(randomart(Uint8Array.of(), 'ED25519 256', 'SHA256').split('\n')[5]).toBe(empty('        E'));
    // 0x00 is four up-left moves: eight of them pin the bishop in the top-left corner.
    expect(randomart(Uint8Array.of(0, 0), 'DSA 1024', 'MD5').split('\n').slice(1, 6)).toEqual([
      empty('E....'),
      empty('     .'),
      empty('      .'),
      empty('       .'),
      empty('        S'),
    ]);
  });

  it('stops counting visits at 14 (^), below the start and end markers', () => {
    // 0x66 moves down-left then up-right, twice per byte: 32 visits to one square, and the
    // walk ends where it started.
    const art = randomart(new Uint8Array(16).fill(0x66), 'ECDSA 256', 'MD5').split('\n');
    expect(art.slice(5, 7)).toEqual([empty('        E'), empty('       ^')]);
    expect(art.slice(1, 10).join('').replace(/[|E^ ]/g, '')).toBe('');
  });

  it('centres titles as sshkey.c does, falling back to the type alone when too long', () => {
    // Expected borders as OpenSSH 9.2 ssh-keygen -l -v prints them (an ED25519-SK key and
    // certificates made with ssh-keygen -s), including the 17-character title it cuts short.
    const top = (title: string): string | undefined => randomart(Uint8Array.of(), title, 'MD5').split('\n')[0];
    expect(top('RSA 16384')).toBe('+---[RSA 16384]---+');
    expect(top('ED25519-SK 256')).toBe('+[ED25519-SK 256]-+');
    expect(top('ED25519-CERT 256')).toBe('+-[ED25519-CERT]--+');
    expect(top('ED25519-SK-CERT 256')).toBe('+[ED25519-SK-CERT-+');
  });
});

describe.skipIf(!hasSshKeygen)('fingerprints match ssh-keygen run now, on fresh keys', () => {
  const keys = [
    generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey,
    generateKeyPairSync('rsa', { modulusLength: 2056 }).publicKey,
    ...['P-256', 'P-384', 'P-521'].map((namedCurve) => generateKeyPairSync('ec', { namedCurve }).publicKey),
    ...Array.from({ length: 4 }, () => generateKeyPairSync('ed25519').publicKey),
  ];
  it.each(keys.map((k, i) => [i, k] as const))('key %i', (_, publicKey) => {
    const line = `${formatPublicKeyLine(sshPublicKeyOf(publicKey))}\n`;
    for (const hash of ['md5', 'sha256'] as const) expectSameAsKeygen(line, sshKeygenListing(line, hash), hash);
  });
});
