import type { ImageUpdateAutomation } from './decode-automation.js';
import type { ImagePolicy, ImageRepository } from './decode-image.js';
import { canonicalImageName } from './image-name.js';
import { selectorMatches } from './selector-match.js';

/*
 * Joins container images to the image automation objects without git: an ImageRepository
 * scans the image whose canonical name equals the container's; ImagePolicies point at the
 * repository (imageRepositoryRef, namespace defaulting to the policy's); an
 * ImageUpdateAutomation covers the policies of its own namespace that its policySelector
 * matches (image-automation-controller only builds setters for those). Built once, then
 * every lookup is a map access.
 */

export interface ImageObjects {
  repositories: readonly ImageRepository[];
  policies: readonly ImagePolicy[];
  automations: readonly ImageUpdateAutomation[];
}

/** What the cluster says about one image: the policy, its repository and the automations using it. */
export interface ImageCoverage {
  repository: ImageRepository;
  policy: ImagePolicy;
  automations: ImageUpdateAutomation[];
  /** Not suspended anywhere, and at least one automation can write the new tag to git. */
  automated: boolean;
  /** Something on the path is suspended, so the image will not move. */
  locked: boolean;
}

export interface ImageIndex {
  /** Repositories scanning this image (the one in `namespace` first, then by namespace/name). */
  repositories(image: string, namespace: string): ImageRepository[];
  /** Policies selecting tags for this image, ordered like `repositories`, then by policy namespace/name. */
  coverage(image: string, namespace: string): readonly ImageCoverage[];
}

const key = (namespace: string, name: string): string => `${namespace}/${name}`;

function groupBy<T>(items: readonly T[], keyOf: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}

function byPlace<T extends { metadata: { namespace: string; name: string } }>(namespace: string): (a: T, b: T) => number {
  return (a, b) => {
    const local = Number(b.metadata.namespace === namespace) - Number(a.metadata.namespace === namespace);
    if (local !== 0) return local;
    const ka = key(a.metadata.namespace, a.metadata.name);
    const kb = key(b.metadata.namespace, b.metadata.name);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

function cover(repository: ImageRepository, policy: ImagePolicy, automationsByNs: Map<string, ImageUpdateAutomation[]>): ImageCoverage {
  const automations = (automationsByNs.get(policy.metadata.namespace) ?? []).filter((a) => selectorMatches(a.spec.policySelector, policy.metadata.labels));
  const frozen = policy.spec.suspend || repository.spec.suspend;
  const writing = automations.some((a) => !a.spec.suspend);
  return { repository, policy, automations, automated: !frozen && writing, locked: frozen || (automations.length > 0 && !writing) };
}

export function indexImages(objects: ImageObjects): ImageIndex {
  // Before its first scan an ImageRepository has no canonical name yet: canonicalise spec.image.
  const reposByImage = groupBy(objects.repositories, (r) => r.status.canonicalImageName || (r.spec.image === '' ? undefined : canonicalImageName(r.spec.image)));
  const policiesByRepo = groupBy(objects.policies, (p) => (p.spec.imageRepositoryRef === null ? undefined : key(p.spec.imageRepositoryRef.namespace, p.spec.imageRepositoryRef.name)));
  const automationsByNs = groupBy(objects.automations, (a) => a.metadata.namespace);
  const canonical = new Map<string, string>();
  const canonicalOf = (image: string): string => {
    let c = canonical.get(image);
    if (c === undefined) canonical.set(image, (c = canonicalImageName(image)));
    return c;
  };
  const repositories = (image: string, namespace: string): ImageRepository[] =>
    [...(reposByImage.get(canonicalOf(image)) ?? [])].sort(byPlace(namespace));
  // Thousands of workloads often share a few images: each (image, namespace) is joined once.
  const covered = new Map<string, readonly ImageCoverage[]>();
  const coverage = (image: string, namespace: string): readonly ImageCoverage[] => {
    const k = `${canonicalOf(image)} ${namespace}`;
    let c = covered.get(k);
    if (c === undefined) {
      c = repositories(image, namespace).flatMap((repo) =>
        [...(policiesByRepo.get(key(repo.metadata.namespace, repo.metadata.name)) ?? [])]
          .sort(byPlace(repo.metadata.namespace))
          .map((policy) => cover(repo, policy, automationsByNs)),
      );
      covered.set(k, c);
    }
    return c;
  };
  return { repositories, coverage };
}
