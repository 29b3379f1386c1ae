/*
 * Image names as go-containerregistry canonicalises them (name.ParseReference, then
 * Context().Name()), which is what image-reflector-controller writes to an ImageRepository's
 * status.canonicalImageName. Joining a container's image to an ImageRepository compares these.
 */

const DOCKER_HUB = 'index.docker.io';

/** `nginx:1.25` → `index.docker.io/library/nginx`; `ghcr.io/org/app@sha256:…` → `ghcr.io/org/app`. */
export function canonicalImageName(image: string): string {
  const at = image.indexOf('@');
  let name = at >= 0 ? image.slice(0, at) : image;
  // A colon after the last slash starts the tag; one before it is a registry port.
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  let registry = DOCKER_HUB;
  let repository = name;
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const first = name.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first === 'docker.io' ? DOCKER_HUB : first;
      repository = name.slice(slash + 1);
    }
  }
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return `${registry}/${repository}`;
}

/** The image without its tag and digest, spelled as written (`ghcr.io/org/app:1.0` → `ghcr.io/org/app`). */
export function imageRepositoryPart(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}
