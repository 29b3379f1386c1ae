import type { GitRepositoryRef } from './decode-flux.js';

/*
 * Source revisions. source-controller ≥ v0.35 (Flux ≥ v0.40) writes `<ref>@<algo>:<hex>`, e.g.
 * `main@sha1:<40 hex>`, `v1.2.3@sha1:…`, `refs/pull/42/head@sha1:…`, or `sha1:<hex>` for a bare
 * commit (fluxcd/pkg git Commit.String). Older controllers wrote `main/<hex>`, `HEAD/<hex>` or
 * bare hex, which source-controller's TransformLegacyRevision maps to the new form; we do the
 * same before comparing, so objects written by either generation compare equal.
 */

const HEX = /^[0-9a-f]+$/;

/** Hash algorithm by hex length, as source-controller guesses it; '' when neither. */
function shaType(hex: string): string {
  if (!HEX.test(hex)) return '';
  return hex.length === 40 ? 'sha1' : hex.length === 64 ? 'sha256' : '';
}

/** The new `<ref>@<algo>:<hex>` form of a revision; new-form and unknown strings come back unchanged. */
export function normalizeRevision(rev: string): string {
  if (rev === '' || rev.includes(':')) return rev;
  const slash = rev.lastIndexOf('/');
  if (slash >= 0) {
    const hex = rev.slice(slash + 1);
    const algo = shaType(hex);
    if (algo !== '') {
      const name = rev.slice(0, slash);
      return name === 'HEAD' ? `${algo}:${hex}` : `${name}@${algo}:${hex}`;
    }
  }
  const algo = shaType(rev);
  return algo === '' ? rev : `${algo}:${rev}`;
}

export interface RevisionParts {
  /** The branch, tag or ref name; '' for a bare commit. */
  ref: string;
  /** `sha1`, `sha256`, or whatever the writer put before the colon (e.g. `<unknown>`). */
  algorithm: string;
  hex: string;
}

/** Splits a revision in either form into ref, algorithm and hex; undefined when it has no digest. */
export function parseRevision(rev: string): RevisionParts | undefined {
  const normal = normalizeRevision(rev);
  const colon = normal.lastIndexOf(':');
  if (colon < 0) return undefined;
  const hex = normal.slice(colon + 1);
  if (hex === '' || !HEX.test(hex)) return undefined;
  const head = normal.slice(0, colon);
  // Branch names may contain '@', so the digest is introduced by the last one.
  const at = head.lastIndexOf('@');
  return { ref: at < 0 ? '' : head.slice(0, at), algorithm: at < 0 ? head : head.slice(at + 1), hex };
}

/** The 7 hex characters fluxctl prints (`Revision of main to apply is 1a2b3c4`); an unparsable revision as is. */
export function shortRevision(rev: string): string {
  const parts = parseRevision(rev);
  return parts === undefined ? rev : parts.hex.slice(0, 7);
}

/** Whether two revisions name the same ref and commit, whichever form each is written in. */
export function sameRevision(a: string, b: string): boolean {
  return normalizeRevision(a) === normalizeRevision(b);
}

/**
 * The `<ref>` of `Revision of <ref> to apply is …`: the branch, else tag, semver range or ref
 * name, else a pinned commit (source-controller checks out just that commit, revision
 * `sha1:<hex>`), else `master`, the branch it checks out when spec.ref is empty.
 */
export function refName(ref: GitRepositoryRef | null): string {
  if (ref === null) return 'master';
  return ref.branch || ref.tag || ref.semver || ref.name || (ref.commit ? `commit ${ref.commit.slice(0, 7)}` : 'master');
}
