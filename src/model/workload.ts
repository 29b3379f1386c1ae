/*
 * The models commands and renderers work with, whichever Flux runs. They keep the Flux v1 API's
 * Go shape (fluxcd/flux pkg/api/v6 ControllerStatus, ImageStatus): fields in Go struct order,
 * optional fields `undefined` where Go's omitempty drops them, so encodeGoJson writes fluxctl's
 * bytes, and Flux v2 answers print in the same shape.
 */

export type ImageLabels = {
  'org.label-schema.build-date'?: string;
  'org.opencontainers.image.created'?: string;
};

export type ImageInfo = {
  ID: string;
  Digest?: string;
  ImageID?: string;
  Labels: ImageLabels;
  CreatedAt?: string;
  LastFetched?: string;
};

export type Container = {
  Name?: string;
  Current: ImageInfo;
  LatestFiltered: ImageInfo;
  Available?: ImageInfo[];
  AvailableError?: string;
  AvailableImagesCount?: number;
  NewAvailableImagesCount?: number;
  FilteredImagesCount?: number;
  NewFilteredImagesCount?: number;
};

export type Rollout = {
  Desired: number;
  Updated: number;
  Ready: number;
  Available: number;
  Outdated: number;
  Messages: string[] | null;
};

export type Workload = {
  ID: string;
  Containers: Container[] | null;
  ReadOnly: string;
  Status: string;
  Rollout: Rollout;
  SyncError: string;
  Antecedent: string;
  Labels: Map<string, string> | null;
  Automated: boolean;
  Locked: boolean;
  Ignore: boolean;
  Policies: Map<string, string> | null;
};

export type ImageStatus = {
  ID: string;
  Containers: Container[] | null;
};
