/** An image reference as Flux v1 parses it (fluxcd/flux pkg/image/image.go, ParseRef): no canonicalisation. */
export interface ImageRef {
  domain: string;
  /** The path without domain, tag or digest, e.g. `weaveworks/helloworld`. */
  image: string;
  tag: string;
  /** `sha256:<hex>` when the ref was pinned by digest. */
  digest: string;
}

export class ImageRefError extends Error {}

// Flux's domain pattern is not anchored: any element containing a host-like part counts.
const DOMAIN = /localhost|(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])([.]([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)(:[0-9]+)?/;
const MALFORMED = 'expected image name as either <image>:<tag> or just <image>: invalid image ID';

/** Parses like Flux's image.ParseRef, with its error texts. */
export function parseImageRef(s: string): ImageRef {
  // list-images parses every tag of every image (50,000 for a large cluster): the quoted form is for errors only.
  const fail = (): ImageRefError => new ImageRefError(`parsing ${JSON.stringify(s)}: ${MALFORMED}`);
  if (s === '') throw new ImageRefError(`parsing "": blank image name: invalid image ID`);
  if (s.startsWith('/') || s.endsWith('/')) throw fail();
  const elements = s.split('/');
  let domain = '';
  let image = s;
  if (elements.length === 2 && DOMAIN.test(elements[0] ?? '')) {
    domain = elements[0] ?? '';
    image = elements[1] ?? '';
  } else if (elements.length > 2) {
    domain = elements[0] ?? '';
    image = elements.slice(1).join('/');
  }
  let digest = '';
  const at = image.indexOf('@sha256:');
  if (at >= 0) {
    digest = image.slice(at + 1);
    image = image.slice(0, at);
    if (image === '' || digest === 'sha256:') throw fail();
  }
  const parts = image.split(':');
  if (parts.length > 2) throw new ImageRefError(MALFORMED);
  if (parts.length === 2 && (parts[0] === '' || parts[1] === '')) throw fail();
  return { domain, image: parts[0] ?? '', tag: parts[1] ?? '', digest };
}

/** `<domain>/<image>` without the tag: the name list-images shows. */
export function imageName(ref: ImageRef): string {
  return ref.domain === '' ? ref.image : `${ref.domain}/${ref.image}`;
}

/** The ref written back as Flux does: name, then `:tag` or `@digest`. */
export function formatImageRef(ref: ImageRef): string {
  const name = imageName(ref);
  if (ref.digest !== '') return `${name}@${ref.digest}`;
  return ref.tag === '' ? name : `${name}:${ref.tag}`;
}
