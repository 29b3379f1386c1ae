// OpenSSH ssh-keygen as an oracle for the SSH key tests, plus the committed vectors it made.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VECTOR_DIR = fileURLToPath(new URL('../fixtures/ssh-keys/', import.meta.url));

/** True when an ssh-keygen binary can be run; comparisons with it are skipped otherwise. */
export const hasSshKeygen = spawnSync('ssh-keygen', ['-l', '-f', '/dev/null'], { stdio: 'ignore' }).error === undefined;

/** One `ssh-keygen -l -v -E <hash>` answer, split into its parts. */
export interface KeygenListing {
  bits: number;
  hash: string;
  comment: string;
  label: string;
  randomart: string;
  raw: string;
}

export function parseListing(raw: string, prefix: 'MD5' | 'SHA256'): KeygenListing {
  const newline = raw.indexOf('\n');
  const first = raw.slice(0, newline);
  const match = /^(\d+) ([A-Z0-9]+):(\S+) (.*) \(([A-Z0-9-]+)\)$/.exec(first);
  if (match === null || match[2] !== prefix) throw new Error(`unexpected ssh-keygen output: ${first}`);
  const [, bits = '', , hash = '', comment = '', label = ''] = match;
  return { bits: Number(bits), hash, comment, label, randomart: raw.slice(newline + 1), raw };
}

/** A committed vector: the .pub line and ssh-keygen's md5 and sha256 listings of it. */
export interface Vector {
  name: string;
  pub: string;
  md5: KeygenListing;
  sha256: KeygenListing;
}

export function loadVectors(): Vector[] {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith('.pub') && !f.startsWith('openssh-'))
    .map((f) => f.slice(0, -'.pub'.length))
    .sort()
    .map((name) => ({
      name,
      pub: readFileSync(join(VECTOR_DIR, `${name}.pub`), 'utf8'),
      md5: parseListing(readFileSync(join(VECTOR_DIR, `${name}.md5`), 'utf8'), 'MD5'),
      sha256: parseListing(readFileSync(join(VECTOR_DIR, `${name}.sha256`), 'utf8'), 'SHA256'),
    }));
}

/** Runs ssh-keygen on `content` written to a temporary file (mode 0600, as it demands for keys). */
export function sshKeygenOn(content: string, args: string[]): { status: number | null; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fluxctl-ssh-'));
  try {
    const file = join(dir, 'key');
    writeFileSync(file, content, { mode: 0o600 });
    const result = spawnSync('ssh-keygen', [...args, '-f', file], { encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `ssh-keygen -l -v -E <hash>` of a public key line, parsed. */
export function sshKeygenListing(publicLine: string, hash: 'md5' | 'sha256'): KeygenListing {
  const { status, stdout } = sshKeygenOn(publicLine, ['-l', '-v', '-E', hash]);
  if (status !== 0) throw new Error(`ssh-keygen -l failed (${status})`);
  return parseListing(stdout, hash === 'md5' ? 'MD5' : 'SHA256');
}

/** A fresh key pair from `ssh-keygen -t <type> -b <bits>` in OpenSSH's own private key format. */
export function sshKeygenGenerate(type: string, bits: string, passphrase = ''): { privateKey: string; publicLine: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fluxctl-ssh-'));
  try {
    const file = join(dir, 'key');
    const result = spawnSync('ssh-keygen', ['-q', '-t', type, '-b', bits, '-N', passphrase, '-C', '', '-f', file], { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`ssh-keygen -t ${type} failed (${result.status})`);
    return { privateKey: readFileSync(file, 'utf8'), publicLine: readFileSync(`${file}.pub`, 'utf8').trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
