import type { Container, ImageStatus, Workload } from '../../model/workload.js';
import { imageInfo, runningContainer } from './containers.js';
import { formatPolicyImage } from './decode-image.js';
import type { ImageCoverage, ImageIndex } from './image-index.js';
import { imageRepositoryPart } from './image-name.js';

/*
 * list-images on Flux v2. The cluster keeps no image timestamps and no full tag list: an
 * ImageRepository's lastScanResult has the tag count and at most ten tags (the first in
 * descending alphabetical order), and an ImagePolicy the tag it selected. So Available is
 * those tags in that order (plus the policy's tag when the ten leave it out), CREATED stays
 * empty, and the running tag is marked by the renderer as fluxctl marks it.
 */

const namespaceOf = (id: string): string => id.slice(0, Math.max(0, id.indexOf(':')));

/** Inserts `tag` into a descending list at its place, unless already there. */
function withTag(tags: readonly string[], tag: string): string[] {
  if (tag === '' || tags.includes(tag)) return [...tags];
  const at = tags.findIndex((t) => t < tag);
  return at < 0 ? [...tags, tag] : [...tags.slice(0, at), tag, ...tags.slice(at)];
}

function containerImages(c: Container, namespace: string, index: ImageIndex): Container {
  const name = c.Name ?? '';
  const image = c.Current.ID;
  const coverage = image === '' ? [] : index.coverage(image, namespace);
  // The repository a policy follows first (so LatestFiltered and Available agree), else any.
  const repository = coverage[0]?.repository ?? (image === '' ? undefined : index.repositories(image, namespace)[0]);
  const scan = repository?.status.lastScanResult ?? null;
  // No scan yet, or no ImageRepository for this image: fluxctl's "image data not available".
  if (repository === undefined || scan === null) return runningContainer(name, image);
  const policy = coverage.find((x) => x.repository === repository && x.policy.status.latestRef !== null)?.policy;
  const latest = policy?.status.latestRef ?? null;
  // Tags are shown with the image as the workload spells it, so the renderer finds the running tag.
  const repo = imageRepositoryPart(image);
  const tags = withTag(scan.latestTags, latest?.tag ?? '');
  return runningContainer(name, image, {
    LatestFiltered: imageInfo(latest === null ? '' : formatPolicyImage({ ...latest, name: repo })),
    Available: tags.length === 0 ? undefined : tags.map((t) => imageInfo(`${repo}:${t}`)),
    AvailableImagesCount: scan.tagCount === 0 ? undefined : scan.tagCount,
  });
}

/** list-images rows for workloads built by buildWorkloads (same order); no containers → null, as fluxd sent. */
export function buildImageStatuses(workloads: readonly Workload[], index: ImageIndex): ImageStatus[] {
  return workloads.map((w) => {
    const containers = w.Containers ?? [];
    const namespace = namespaceOf(w.ID);
    return { ID: w.ID, Containers: containers.length === 0 ? null : containers.map((c) => containerImages(c, namespace, index)) };
  });
}

/** One ImagePolicy that selects tags for some of a workload's containers. */
export interface WorkloadPolicy extends ImageCoverage {
  /** The workload's containers whose image it covers, in container order. */
  containers: string[];
}

/**
 * The ImagePolicies covering a workload's images (automate/deautomate/lock/unlock act on
 * these), each once, in the order its containers meet them.
 */
export function workloadPolicies(workload: Workload, index: ImageIndex): WorkloadPolicy[] {
  const namespace = namespaceOf(workload.ID);
  const found = new Map<string, WorkloadPolicy>();
  for (const c of workload.Containers ?? []) {
    if (c.Current.ID === '') continue;
    for (const x of index.coverage(c.Current.ID, namespace)) {
      const key = `${x.policy.metadata.namespace}/${x.policy.metadata.name}`;
      const entry = found.get(key) ?? { ...x, containers: [] };
      if (c.Name !== undefined && !entry.containers.includes(c.Name)) entry.containers.push(c.Name);
      found.set(key, entry);
    }
  }
  return [...found.values()];
}
