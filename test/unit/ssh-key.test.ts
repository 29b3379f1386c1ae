import { describe, expect, it } from 'vitest';
import { formatPublicKeyLine, parsePublicKeyLine, publicKeyFromBlob, SshKeyError } from '../../src/backends/toolkit/ssh-key.js';
import { bitLength, sshMpint, sshString } from '../../src/backends/toolkit/ssh-wire.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { hasSshKeygen, loadVectors, sshKeygenOn } from '../helpers/ssh-keygen.js';

const vectors = new Map(loadVectors().map((v) => [v.name, v]));
const vector = (name: string): string => vectors.get(name)!.pub.trim();
const blobOf = (name: string): Buffer => Buffer.from(vector(name).split(' ')[1]!, 'base64');
const line = (type: string, blob: Buffer): string => `${type} ${blob.toString('base64')}`;
const rsaBlob = (e: Buffer, n: Buffer): Buffer => Buffer.concat([sshString('ssh-rsa'), sshMpint(e), sshMpint(n)]);
const F4 = Buffer.from([1, 0, 1]);

function modulus(bits: number): Buffer {
  const n = Buffer.alloc(Math.ceil(bits / 8), 0xff);
  n[0] = (1 << (bits % 8 || 8)) - 1;
  return n;
}

function problem(text: string): string {
  try {
    parsePublicKeyLine(text, 'identity.pub');
  } catch (err) {
    expect(err).toBeInstanceOf(SshKeyError);
    return (err as Error).message;
  }
  throw new Error('expected an SshKeyError');
}

describe('parsePublicKeyLine: valid keys', () => {
  it.each([
    ['rsa-2048', 'ssh-rsa', 2048, ''],
    ['rsa-3072', 'ssh-rsa', 3072, 'flux@cluster'],
    ['rsa-4096', 'ssh-rsa', 4096, ''],
    ['rsa-1025-crafted', 'ssh-rsa', 1025, ''],
    ['rsa-16384-crafted', 'ssh-rsa', 16384, ''],
    ['ecdsa-256', 'ecdsa-sha2-nistp256', 256, ''],
    ['ecdsa-384', 'ecdsa-sha2-nistp384', 384, ''],
    ['ecdsa-521', 'ecdsa-sha2-nistp521', 521, 'ci deploy key'],
    ['ed25519', 'ssh-ed25519', 256, 'deploy key for acme/cluster'],
    ['dsa-1024', 'ssh-dss', 1024, ''],
  ])('%s: %s, %i bits, comment %j', (name, type, bits, comment) => {
    const key = parsePublicKeyLine(vectors.get(name)!.pub);
    expect(key).toEqual({ type, bits, comment, blob: blobOf(name) });
    expect(formatPublicKeyLine(key)).toBe(vector(name));
  });

  it('accepts tabs, CRLF, surrounding blank lines and # comment lines, as ssh-keygen does', () => {
    const [type, data] = vector('ed25519').split(' ');
    const key = parsePublicKeyLine(`# deploy key\r\n\r\n\t${type}\t${data} \t team  key \r\n\n`);
    expect(key.type).toBe('ssh-ed25519');
    expect(key.comment).toBe('team  key');
  });

  it('formats without a comment exactly as Flux writes identity.pub', () => {
    const key = parsePublicKeyLine(vector('ecdsa-384'));
    expect(formatPublicKeyLine({ ...key, comment: '' })).toBe(vector('ecdsa-384'));
    expect(formatPublicKeyLine({ type: key.type, blob: key.blob })).not.toMatch(/\s$/);
  });

  it('publicKeyFromBlob reads a bare blob into a comment-less key', () => {
    expect(publicKeyFromBlob(blobOf('rsa-3072'))).toEqual({ type: 'ssh-rsa', blob: blobOf('rsa-3072'), bits: 3072, comment: '' });
  });
});

describe('parsePublicKeyLine: clear errors', () => {
  const ed = blobOf('ed25519');
  const ec = blobOf('ecdsa-256');

  it.each<[string, string, RegExp]>([
    ['empty', '', /^identity\.pub is empty$/],
    ['only comments', '# nothing here\n\n', /is empty$/],
    ['two keys', `${vector('ed25519')}\n${vector('rsa-2048')}\n`, /holds 2 lines of keys; expected exactly one/],
    ['no key data', 'ssh-ed25519', /no key data after "ssh-ed25519"/],
    ['unknown type', `ssh-foo ${ed.toString('base64')}`, /unknown key type "ssh-foo"/],
    ['certificate', `ssh-ed25519-cert-v01@openssh.com ${ed.toString('base64')}`, /is an SSH certificate/],
    ['security key', `sk-ssh-ed25519@openssh.com ${ed.toString('base64')}`, /hardware security key/],
    ['options', `restrict,command="x" ${vector('ed25519')}`, /authorized_keys options are not supported/],
    ['junk first field', `${'x'.repeat(80)} y`, /does not start with an SSH key type/],
    ['bad base64 character', 'ssh-ed25519 AAAA*AAA', /not valid base64/],
    ['bad base64 padding', 'ssh-ed25519 AAAAC3Nz=', /not valid base64/],
    ['type mismatch', line('ssh-rsa', ed), /says "ssh-rsa" but its key data is a "ssh-ed25519" key/],
    ['truncated', line('ssh-ed25519', ed.subarray(0, ed.length - 1)), /Ed25519 key runs past the end/],
    ['trailing bytes', line('ssh-ed25519', Buffer.concat([ed, Buffer.from([0])])), /1 unexpected bytes after the ssh-ed25519 key/],
    ['short Ed25519', line('ssh-ed25519', Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(31))])), /Ed25519 key is 31 bytes, not 32/],
    ['curve name', line('ecdsa-sha2-nistp256', Buffer.concat([sshString('ecdsa-sha2-nistp256'), sshString('nistp384'), ec.subarray(4 + 19 + 4 + 8)])), /names curve "nistp384", not "nistp256"/],
    ['compressed point', line('ecdsa-sha2-nistp256', Buffer.concat([ec.subarray(0, 4 + 19 + 4 + 8), sshString(Buffer.concat([Buffer.from([2]), Buffer.alloc(32, 1)]))])), /not an uncompressed nistp256 point/],
    ['even RSA exponent', line('ssh-rsa', rsaBlob(Buffer.from([1, 0, 0]), modulus(2048))), /RSA exponent is not an odd number/],
    ['huge RSA exponent', line('ssh-rsa', rsaBlob(Buffer.from([1, 0, 0, 1]), modulus(2048))), /RSA exponent is not an odd number/],
    ['negative mpint', line('ssh-rsa', Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([0x81])), sshMpint(modulus(2048))])), /RSA exponent is negative/],
    ['padded mpint', line('ssh-rsa', Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([0, 1, 0, 1])), sshMpint(modulus(2048))])), /RSA exponent is not minimally encoded/],
  ])('%s', (_, text, want) => {
    expect(problem(text)).toMatch(want);
  });

  it('never echoes a PEM block pasted in place of the public key', () => {
    const secretBody = 'MC4CAQAwBQYDK2VwBCIEIHcSECRETSECRETSECRETSECRETSECRETSECRETSECRET';
    const message = problem(`-----BEGIN PRIVATE KEY-----\n${secretBody}\n-----END PRIVATE KEY-----\n`);
    expect(message).toBe('identity.pub holds a PEM block (a private key?), not an OpenSSH public key line');
    expect(problem(`${secretBody} x`)).not.toContain('SECRET');
  });

  it('is a CliError (exit 1) and keeps the wire-level problem as its cause', () => {
    try {
      parsePublicKeyLine(line('ssh-ed25519', ed.subarray(0, 10)));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(ExitCode.Failure);
      expect((err as Error).cause).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^SSH public key: /);
    }
  });
});

describe('RSA modulus bounds agree with ssh-keygen', () => {
  const cases = [
    [1023, false],
    [1024, true],
    [16384, true],
    [16385, false],
  ] as const;
  const text = (bits: number): string => line('ssh-rsa', rsaBlob(F4, modulus(bits)));

  it.each(cases)('%i bits: valid %s', (bits, valid) => {
    if (valid) expect(parsePublicKeyLine(text(bits)).bits).toBe(bits);
    else expect(problem(text(bits))).toMatch(`the RSA modulus has ${bits} bits; OpenSSH accepts 1024 to 16384`);
  });

  it.skipIf(!hasSshKeygen)('ssh-keygen -l accepts and refuses the same moduli', () => {
    for (const [bits, valid] of cases) expect(sshKeygenOn(`${text(bits)}\n`, ['-l']).status === 0).toBe(valid);
  });
});

describe('ECDSA points', () => {
  const offCurve = Buffer.from(blobOf('ecdsa-256'));
  offCurve[offCurve.length - 1]! ^= 1;

  it('refuses a point that is not on the curve', () => {
    expect(problem(line('ecdsa-sha2-nistp256', offCurve))).toMatch(/the ECDSA point is not on curve nistp256/);
  });

  it.skipIf(!hasSshKeygen)('ssh-keygen -l refuses it too, and trailing bytes and a type mismatch', () => {
    const ed = blobOf('ed25519');
    for (const text of [line('ecdsa-sha2-nistp256', offCurve), line('ssh-ed25519', Buffer.concat([ed, Buffer.from([0])])), line('ssh-rsa', ed)]) {
      expect(sshKeygenOn(`${text}\n`, ['-l']).status).not.toBe(0);
      expect(() => parsePublicKeyLine(text)).toThrow(SshKeyError);
    }
  });
});

describe('ssh-wire helpers', () => {
  it('encodes mpints minimally with a sign byte only when the top bit is set', () => {
    expect(sshMpint(Buffer.from([0, 0, 0x7f]))).toEqual(Buffer.from([0, 0, 0, 1, 0x7f]));
    expect(sshMpint(Buffer.from([0x80]))).toEqual(Buffer.from([0, 0, 0, 2, 0, 0x80]));
    expect(sshMpint(Buffer.alloc(3))).toEqual(Buffer.from([0, 0, 0, 0]));
  });
  it('counts significant bits', () => {
    expect([bitLength(Buffer.alloc(0)), bitLength(Buffer.from([0, 1])), bitLength(Buffer.from([0x80, 0])), bitLength(modulus(1025))]).toEqual([0, 1, 16, 1025]);
  });
});
