// Resource IDs, image references, job IDs and commit SHAs as the daemon parses and makes them.
import { randomBytes } from 'node:crypto';

const FULL_ID = /^(<cluster>|[a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+)\/([a-zA-Z0-9_.:-]+)$/;
const LEGACY_ID = /^([a-zA-Z0-9_-]+)\/([a-zA-Z0-9_-]+)$/;

export interface ResourceID {
  namespace: string;
  kind: string;
  name: string;
}

/** resource.ParseID: null when invalid (the caller words the error). */
export function parseID(s: string): ResourceID | null {
  const full = FULL_ID.exec(s);
  if (full) return { namespace: full[1]!, kind: full[2]!.toLowerCase(), name: full[3]! };
  const legacy = LEGACY_ID.exec(s);
  if (legacy) return { namespace: legacy[1]!, kind: 'service', name: legacy[2]! };
  return null;
}

export const idString = (id: ResourceID): string => `${id.namespace}:${id.kind}/${id.name}`;

/** The canonical form of an ID string, or null. */
export function canonicalID(s: string): string | null {
  const id = parseID(s);
  return id && idString(id);
}

export const invalidIDMessage = (s: string): string => `parsing ${s}: invalid service ID`;

/** 32 random hex digits grouped 8-4-4-4-12 (no UUID version bits). */
export function newJobID(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const newSha = (): string => randomBytes(20).toString('hex');

// ---- image references ----

const DOMAIN = /localhost|(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])([.]([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)(:[0-9]+)?/;

export interface ImageRef {
  domain: string;
  image: string;
  tag: string;
  /** `domain/image` or `image`, as written */
  name: string;
}

/** image.ParseRef; throws with Go's message. */
export function parseImageRef(s: string): ImageRef {
  const bad = `parsing "${s}": expected image name as either <image>:<tag> or just <image>: invalid image ID`;
  if (s === '') throw new Error(`parsing "${s}": blank image name: invalid image ID`);
  if (s.startsWith('/') || s.endsWith('/')) throw new Error(bad);
  const elements = s.split('/');
  let domain = '';
  if (elements.length === 2 && DOMAIN.test(elements[0]!)) domain = elements[0]!;
  if (elements.length >= 3) domain = elements[0]!;
  let rest = domain ? elements.slice(1).join('/') : s;
  const at = rest.indexOf('@sha256:');
  if (at >= 0) {
    if (at === 0 || at + 8 === rest.length) throw new Error(bad);
    rest = rest.slice(0, at);
  }
  const parts = rest.split(':');
  if (parts.length > 2) throw new Error('expected image name as either <image>:<tag> or just <image>: invalid image ID');
  if (parts.some((p) => p === '')) throw new Error(bad);
  const image = parts[0]!;
  return { domain, image, tag: parts[1] ?? '', name: domain ? `${domain}/${image}` : image };
}

/** The repository name in canonical form, for comparisons only (never sent back). */
export function canonicalRepo(ref: string): string {
  try {
    const r = parseImageRef(ref);
    const domain = r.domain === '' || r.domain === 'docker.io' ? 'index.docker.io' : r.domain;
    const image = domain === 'index.docker.io' && !r.image.includes('/') ? `library/${r.image}` : r.image;
    return `${domain}/${image}`;
  } catch {
    return ref;
  }
}

/** The image name without tag or digest, as written. */
export function repoOf(ref: string): string {
  try {
    return parseImageRef(ref).name;
  } catch {
    return ref;
  }
}

export function tagOf(ref: string): string {
  try {
    return parseImageRef(ref).tag;
  } catch {
    return '';
  }
}

/** Replace the tag of `ref`, keeping its spelling. */
export const withTag = (ref: string, tag: string): string => `${repoOf(ref)}:${tag}`;
