import { describe, expect, it } from 'vitest';
import { normalizeRevision, parseRevision, refName, sameRevision, shortRevision } from '../../src/backends/toolkit/revision.js';
import { SHA } from './toolkit-objects.js';

const SHA256 = 'd52bde83c5b2bd0fa7910264e0afc3ac9cfe9b6636ca29c05c09742f01d5a4bd';
const ref = (r: Partial<Record<'branch' | 'tag' | 'semver' | 'name' | 'commit', string>>) => ({ branch: '', tag: '', semver: '', name: '', commit: '', ...r });

describe('normalizeRevision (source-controller TransformLegacyRevision)', () => {
  it.each([
    [`main/${SHA}`, `main@sha1:${SHA}`],
    [`feature/branch/${SHA}`, `feature/branch@sha1:${SHA}`],
    [`HEAD/${SHA}`, `sha1:${SHA}`],
    [`tag/${SHA256}`, `tag@sha256:${SHA256}`],
    [SHA256, `sha256:${SHA256}`],
    [SHA, `sha1:${SHA}`],
    [`main@sha1:${SHA}`, `main@sha1:${SHA}`],
    [`sha1:${SHA}`, `sha1:${SHA}`],
    ['main/not-a-sha', 'main/not-a-sha'],
    ['6.5.4', '6.5.4'],
    ['', ''],
  ])('%s → %s', (legacy, normal) => {
    expect(normalizeRevision(legacy)).toBe(normal);
  });
});

describe('parseRevision and shortRevision', () => {
  it('splits new and legacy forms alike', () => {
    expect(parseRevision(`main@sha1:${SHA}`)).toEqual({ ref: 'main', algorithm: 'sha1', hex: SHA });
    expect(parseRevision(`main/${SHA}`)).toEqual({ ref: 'main', algorithm: 'sha1', hex: SHA });
    expect(parseRevision(`refs/pull/42/head@sha1:${SHA}`)).toEqual({ ref: 'refs/pull/42/head', algorithm: 'sha1', hex: SHA });
    expect(parseRevision(`sha1:${SHA}`)).toEqual({ ref: '', algorithm: 'sha1', hex: SHA });
    // Branch names may contain '@'; the digest follows the last one.
    expect(parseRevision(`fix@home@sha1:${SHA}`)).toEqual({ ref: 'fix@home', algorithm: 'sha1', hex: SHA });
    expect(parseRevision('v1.0.0')).toBeUndefined();
  });

  it('gives the 7 hex characters fluxctl prints', () => {
    expect(shortRevision(`main@sha1:${SHA}`)).toBe('5394cb7');
    expect(shortRevision(`main/${SHA}`)).toBe('5394cb7');
    expect(shortRevision(`v1.2.3@sha1:${SHA}`)).toBe('5394cb7');
    expect(shortRevision(`latest@sha256:${SHA256}`)).toBe('d52bde8');
    expect(shortRevision('no-digest')).toBe('no-digest');
  });
});

describe('sameRevision', () => {
  it('equates a legacy and a new spelling of the same ref and commit', () => {
    expect(sameRevision(`main/${SHA}`, `main@sha1:${SHA}`)).toBe(true);
    expect(sameRevision(`HEAD/${SHA}`, `sha1:${SHA}`)).toBe(true);
    expect(sameRevision(`main@sha1:${SHA}`, `dev@sha1:${SHA}`)).toBe(false);
    expect(sameRevision(`main@sha1:${SHA}`, `main@sha1:${SHA.replace('5', '6')}`)).toBe(false);
  });
});

describe('refName', () => {
  it('names the branch, else tag, semver, ref name, else the pinned commit, else master', () => {
    expect(refName(ref({ branch: 'main', tag: 'v1' }))).toBe('main');
    expect(refName(ref({ tag: 'v1.2.3' }))).toBe('v1.2.3');
    expect(refName(ref({ semver: '>=1.0.0' }))).toBe('>=1.0.0');
    expect(refName(ref({ name: 'refs/pull/42/head' }))).toBe('refs/pull/42/head');
    expect(refName(ref({ commit: SHA }))).toBe(`commit ${SHA.slice(0, 7)}`);
    expect(refName(null)).toBe('master');
  });
});
