import type { Container, ImageInfo } from '../../model/workload.js';
import type { AppObject } from './decode-apps.js';

/*
 * Containers in the Flux v1 API's shape (pkg/api/v6 Container, image.Info): every key present in
 * Go field order, omitempty ones undefined, so they encode as fluxd's answers do.
 */

/** An image.Info with only its ID (`{"ID":"…","Labels":{}}`); `''` is the zero info. */
export function imageInfo(id: string): ImageInfo {
  return {
    ID: id,
    Digest: undefined,
    ImageID: undefined,
    Labels: { 'org.label-schema.build-date': undefined, 'org.opencontainers.image.created': undefined },
    CreatedAt: undefined,
    LastFetched: undefined,
  };
}

/** A container as list-workloads shows it: the image as written, no registry data. */
export function runningContainer(name: string, image: string, extra: Partial<Container> = {}): Container {
  return {
    Name: name === '' ? undefined : name,
    Current: imageInfo(image),
    LatestFiltered: imageInfo(''),
    Available: undefined,
    AvailableError: undefined,
    AvailableImagesCount: undefined,
    NewAvailableImagesCount: undefined,
    FilteredImagesCount: undefined,
    NewFilteredImagesCount: undefined,
    ...extra,
  };
}

/** Regular containers first, then init containers, as fluxd listed them. */
export function podContainers(app: AppObject): Container[] {
  return [...app.containers, ...app.initContainers].map((c) => runningContainer(c.name, c.image));
}
