import { ForbiddenError } from '../../kubernetes/api.js';
import type { ImageStatus } from '../../model/workload.js';
import type { ImagesQuery } from '../types.js';
import { indexImages } from './image-index.js';
import { buildImageStatuses } from './images.js';
import { APP_KINDS, listApps, listImageObjects, setAppList } from './listing-fetch.js';
import { parseRowId, type RowKind } from './listing-ids.js';
import type { Session } from './session.js';
import { decodeWorkloadLists, type WorkloadLists } from './workload-lists.js';
import { buildWorkloads } from './workloads.js';

/*
 * list-images on Flux v2: the workloads' containers joined to what image-reflector-controller
 * recorded (ImageRepository scans, ImagePolicy choices). Without the image APIs (the image
 * controllers are extras of `flux install`), or without an ImageRepository scanning an image,
 * the container reads `image data not available`, as fluxctl showed a registry it could not scan.
 */

const NO_IMAGES = { repositories: [], policies: [], automations: [] };

export async function listImages(s: Session, query: ImagesQuery): Promise<ImageStatus[] | null> {
  const tk = s.tk;
  const target = query.workload === undefined ? undefined : parseRowId(query.workload);
  // A kind Flux v2 lists no rows of (e.g. `default:service/x`) names no workload.
  if (query.workload !== undefined && target === undefined) return null;
  const namespace = target?.namespace ?? query.namespace;
  const kinds: readonly RowKind[] = target === undefined ? [...APP_KINDS, 'HelmRelease'] : [target.kind];
  const [answers, images] = await Promise.all([
    Promise.all(kinds.map((kind) => (kind === 'HelmRelease' ? listHelmReleases(s, namespace, target?.name) : listApps(tk, kind, namespace, target?.name)))),
    // The image objects are what this command shows: a refusal to list them is an error.
    listImageObjects(tk, [tk.namespace, namespace], true),
  ]);
  const lists: WorkloadLists = { ...images };
  kinds.forEach((kind, i) => {
    if (kind === 'HelmRelease') lists.helmReleases = answers[i];
    else setAppList(lists, kind, answers[i] ?? []);
  });
  const objects = decodeWorkloadLists(lists);
  // Rows only need IDs and containers here: no POLICY join, so no image index inside.
  let workloads = buildWorkloads({ ...objects, kustomizations: [], images: NO_IMAGES }, { namespace });
  if (target !== undefined) workloads = workloads.filter((w) => w.ID === target.id);
  if (workloads.length === 0) return null;
  return buildImageStatuses(workloads, indexImages(objects.images));
}

/**
 * HelmReleases are rows without containers (what they render lists on its own rows), as
 * fluxctl listed helm-operator releases. Without helm-controller, or without permission, none.
 */
async function listHelmReleases(s: Session, namespace: string, name: string | undefined): Promise<unknown[]> {
  const tk = s.tk;
  if ((await tk.servedKind('HelmRelease')) === undefined) return [];
  try {
    return await tk.list('HelmRelease', namespace, name === undefined ? {} : { fieldSelector: `metadata.name=${name}` });
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
    tk.debug(`${e.message}: no HelmRelease rows`);
    return [];
  }
}
