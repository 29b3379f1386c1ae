import type { ImageTableContainer, ImageTableEntry, ImageTableWorkload } from '../model/image-table.js';
import { array, type Decoder } from './decode.js';
import { decodeImageStatus, goTime } from './types.js';

/*
 * A lean reading of GET /v10/images for the list-images table. Every field is checked exactly as
 * the full decoders in types.ts check it (so a bad answer fails the same way, with the same
 * message), but with plain type tests and no path strings; only the ID, name, error and
 * CreatedAt that the table shows are copied out. A 1,000-workload answer with 50 tags per image
 * is 50,000 image records, so this is the hot path; when a check fails, the full decoder reads
 * that workload again to name the field.
 */

type Fields = Record<string, unknown>;

const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Go's json.Unmarshal zero values: absent and null read as the zero of the field's type. */
const isStr = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const isInt = (v: unknown): boolean => v === undefined || v === null || Number.isInteger(v);
const isObj = (v: unknown): boolean => v === undefined || v === null || isRecord(v);
const asStr = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Thrown inside this module only, to hand a workload to the full decoder. */
class Mismatch extends Error {}
const check = (ok: boolean): void => {
  if (!ok) throw new Mismatch();
};

/** pkg/image Info: each field the full decoder reads, checked; returns its ID and CreatedAt. */
function imageInfo(v: unknown): Fields {
  check(isObj(v));
  const o = isRecord(v) ? v : {};
  check(isObj(o.Labels));
  const labels = isRecord(o.Labels) ? o.Labels : {};
  check(isStr(labels['org.label-schema.build-date']) && isStr(labels['org.opencontainers.image.created']));
  check(isStr(o.ID) && isStr(o.Digest) && isStr(o.ImageID) && isStr(o.CreatedAt) && isStr(o.LastFetched));
  return o;
}

function entry(v: unknown): ImageTableEntry {
  const o = imageInfo(v);
  const created = goTime(asStr(o.CreatedAt));
  return created === undefined ? { ID: asStr(o.ID) } : { ID: asStr(o.ID), CreatedAt: created };
}

const COUNTS = ['AvailableImagesCount', 'NewAvailableImagesCount', 'FilteredImagesCount', 'NewFilteredImagesCount'] as const;

function container(v: unknown): ImageTableContainer {
  check(isObj(v));
  const o = isRecord(v) ? v : {};
  check(o.Available === undefined || o.Available === null || Array.isArray(o.Available));
  const raw = (o.Available ?? []) as unknown[];
  const available = new Array<ImageTableEntry>(raw.length);
  for (let i = 0; i < raw.length; i++) available[i] = entry(raw[i]);
  check(isStr(o.Name) && isStr(o.AvailableError) && COUNTS.every((k) => isInt(o[k])));
  const current = imageInfo(o.Current);
  imageInfo(o.LatestFiltered);
  const out: ImageTableContainer = { Name: asStr(o.Name) || undefined, Current: { ID: asStr(current.ID) } };
  if (available.length > 0) out.Available = available;
  if (asStr(o.AvailableError) !== '') out.AvailableError = asStr(o.AvailableError);
  return out;
}

function workload(v: unknown): ImageTableWorkload {
  check(isObj(v));
  const o = isRecord(v) ? v : {};
  check(isStr(o.ID) && (o.Containers === undefined || o.Containers === null || Array.isArray(o.Containers)));
  const raw = o.Containers as unknown[] | null | undefined;
  return { ID: asStr(o.ID), Containers: raw === undefined || raw === null ? null : raw.map(container) };
}

/** One workload's images as the table reads them. */
export const decodeImageTableWorkload: Decoder<ImageTableWorkload> = (v, path) => {
  try {
    return workload(v);
  } catch (e) {
    if (!(e instanceof Mismatch)) throw e;
    decodeImageStatus(v, path);
    throw new Error(`the lean image decoder refused ${path}, which the full decoder accepts`);
  }
};

/** The daemon's image list as the table reads it; null when the daemon sent `null`. */
export const decodeImageTable: Decoder<ImageTableWorkload[] | null> = (v, path) => {
  const list = array(v, path);
  if (list === null) return null;
  const out = new Array<ImageTableWorkload>(list.length);
  for (let i = 0; i < list.length; i++) {
    out[i] = decodeImageTableWorkload(list[i], `${path}[${i}]`);
    // Each parsed workload is dropped once read, so the collector can reclaim the image
    // records (digests, labels) while the rest is still being read.
    list[i] = undefined;
  }
  return out;
};
