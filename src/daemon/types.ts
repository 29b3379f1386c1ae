import type { Container, ImageInfo, ImageStatus, Rollout, Workload } from '../model/workload.js';
import { bool, int, nullableArray, record, str, stringMap, type Decoder } from './decode.js';

export type { Container, ImageInfo, ImageStatus, Rollout, Workload };
/** The daemon's name for a workload. */
export type ControllerStatus = Workload;

/*
 * Decoders of the daemon's answers into the models: fields are built in Go struct order and
 * omitempty fields left `undefined`, so encodeGoJson re-encodes them byte for byte as fluxctl does.
 */

const omitEmpty = (s: string): string | undefined => (s === '' ? undefined : s);
const omitZero = (n: number): number | undefined => (n === 0 ? undefined : n);

/** Go's time.Time re-encodes RFC 3339 with trailing fractional zeros trimmed (RFC3339Nano). */
export function normalizeGoTime(value: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)$/.exec(value);
  if (m === null) return value;
  const fraction = (m[2] ?? '').slice(0, 9).replace(/0+$/, '');
  return `${m[1]}${fraction === '' ? '' : `.${fraction}`}${m[3]}`;
}

/** A decoded time field: Go's zero time (and an empty string) is omitted, as omitempty drops it. */
export const goTime = (s: string): string | undefined => (s === '' || s.startsWith('0001-01-01T00:00:00') ? undefined : normalizeGoTime(s));

const time: Decoder<string | undefined> = (v, path) => goTime(str(v, path));

export const decodeImageInfo: Decoder<ImageInfo> = (v, path) => {
  const o = record(v, path);
  const labels = record(o.Labels, `${path}.Labels`);
  const buildDate = time(labels['org.label-schema.build-date'], `${path}.Labels`);
  const created = time(labels['org.opencontainers.image.created'], `${path}.Labels`);
  const out: ImageInfo = {
    ID: str(o.ID, `${path}.ID`),
    Digest: omitEmpty(str(o.Digest, `${path}.Digest`)),
    ImageID: omitEmpty(str(o.ImageID, `${path}.ImageID`)),
    Labels: { 'org.label-schema.build-date': buildDate, 'org.opencontainers.image.created': created },
    CreatedAt: time(o.CreatedAt, `${path}.CreatedAt`),
    LastFetched: time(o.LastFetched, `${path}.LastFetched`),
  };
  return out;
};

export const decodeContainer: Decoder<Container> = (v, path) => {
  const o = record(v, path);
  const available = nullableArray(decodeImageInfo)(o.Available, `${path}.Available`);
  return {
    Name: omitEmpty(str(o.Name, `${path}.Name`)),
    Current: decodeImageInfo(o.Current, `${path}.Current`),
    LatestFiltered: decodeImageInfo(o.LatestFiltered, `${path}.LatestFiltered`),
    Available: available === null || available.length === 0 ? undefined : available,
    AvailableError: omitEmpty(str(o.AvailableError, `${path}.AvailableError`)),
    AvailableImagesCount: omitZero(int(o.AvailableImagesCount, `${path}.AvailableImagesCount`)),
    NewAvailableImagesCount: omitZero(int(o.NewAvailableImagesCount, `${path}.NewAvailableImagesCount`)),
    FilteredImagesCount: omitZero(int(o.FilteredImagesCount, `${path}.FilteredImagesCount`)),
    NewFilteredImagesCount: omitZero(int(o.NewFilteredImagesCount, `${path}.NewFilteredImagesCount`)),
  };
};

const decodeRollout: Decoder<Rollout> = (v, path) => {
  const o = record(v, path);
  return {
    Desired: int(o.Desired, `${path}.Desired`),
    Updated: int(o.Updated, `${path}.Updated`),
    Ready: int(o.Ready, `${path}.Ready`),
    Available: int(o.Available, `${path}.Available`),
    Outdated: int(o.Outdated, `${path}.Outdated`),
    Messages: nullableArray(str)(o.Messages, `${path}.Messages`),
  };
};

export const decodeControllerStatus: Decoder<ControllerStatus> = (v, path) => {
  const o = record(v, path);
  return {
    ID: str(o.ID, `${path}.ID`),
    Containers: nullableArray(decodeContainer)(o.Containers, `${path}.Containers`),
    ReadOnly: str(o.ReadOnly, `${path}.ReadOnly`),
    Status: str(o.Status, `${path}.Status`),
    Rollout: decodeRollout(o.Rollout, `${path}.Rollout`),
    SyncError: str(o.SyncError, `${path}.SyncError`),
    Antecedent: str(o.Antecedent, `${path}.Antecedent`),
    Labels: stringMap(o.Labels, `${path}.Labels`),
    Automated: bool(o.Automated, `${path}.Automated`),
    Locked: bool(o.Locked, `${path}.Locked`),
    Ignore: bool(o.Ignore, `${path}.Ignore`),
    Policies: stringMap(o.Policies, `${path}.Policies`),
  };
};

export const decodeServices: Decoder<ControllerStatus[] | null> = nullableArray(decodeControllerStatus);

export const decodeImageStatus: Decoder<ImageStatus> = (v, path) => {
  const o = record(v, path);
  return { ID: str(o.ID, `${path}.ID`), Containers: nullableArray(decodeContainer)(o.Containers, `${path}.Containers`) };
};

export const decodeImages: Decoder<ImageStatus[] | null> = nullableArray(decodeImageStatus);
