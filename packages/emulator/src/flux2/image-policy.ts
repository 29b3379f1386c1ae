// Tag selection as image-reflector-controller's policies do it (internal/policy): filterTags
// with pattern/extract, then semver range, alphabetical or numerical ordering.
import { compareSemver, parseSemver, satisfies } from '../fluxd/semver.js';
import type { ImagePolicy } from './types.js';

/** The exclusion list every ImageRepository gets by default (signature tags). */
export const DEFAULT_EXCLUSIONS = ['^.*\\.sig$'];

export function excludeTags(tags: string[], exclusions: string[] = DEFAULT_EXCLUSIONS): string[] {
  const res = exclusions.map((e) => new RegExp(e));
  return tags.filter((t) => !res.some((re) => re.test(t)));
}

/** The ten tags `lastScanResult.latestTags` shows: descending string order, not recency. */
export function latestTags(tags: string[]): string[] {
  return [...tags].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)).slice(0, 10);
}

/** zlib's Adler-32, which the tag database reports as the scan's checksum. */
export function adler32(text: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Go's Regexp.Expand syntax (only the expansion is kept, not the rest of the tag): `$1`, `$name`, `${name}` in JavaScript's `$1`, `$<name>`. */
function goTemplate(go: string): string {
  return go.replace(/\$\{?(\w+)\}?/g, (_m, n: string) => (/^\d+$/.test(n) ? `$${n}` : `$<${n}>`));
}

/** The selected tag, or an error message as the controller reports it. */
export function selectTag(policy: ImagePolicy['spec'], tags: string[]): { tag: string } | { error: string } {
  let candidates = tags.map((t) => ({ tag: t, value: t }));
  const filter = policy.filterTags;
  if (filter?.pattern) {
    const re = new RegExp(filter.pattern);
    const template = filter.extract && goTemplate(filter.extract);
    candidates = candidates.filter((c) => re.test(c.tag)).map((c) => ({ tag: c.tag, value: template ? re.exec(c.tag)![0].replace(re, template) : c.tag }));
  }
  const p = policy.policy;
  let best: { tag: string; value: string } | undefined;
  if (p.semver) {
    const ok = candidates.filter((c) => satisfies(c.value, p.semver!.range) === true);
    best = ok.sort((a, b) => compareSemver(parseSemver(b.value)!, parseSemver(a.value)!))[0];
  } else if (p.numerical) {
    const nums = candidates.filter((c) => !Number.isNaN(Number(c.value)));
    const desc = p.numerical.order === 'desc';
    best = nums.sort((a, b) => (desc ? Number(a.value) - Number(b.value) : Number(b.value) - Number(a.value)))[0];
  } else {
    const desc = p.alphabetical?.order === 'desc';
    best = candidates.sort((a, b) => (a.value < b.value ? 1 : a.value > b.value ? -1 : 0) * (desc ? -1 : 1))[0];
  }
  return best ? { tag: best.tag } : { error: 'version list argument cannot be empty' };
}
