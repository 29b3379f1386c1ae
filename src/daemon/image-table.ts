import type { ImageTableContainer, ImageTableEntry, ImageTableWorkload } from '../model/image-table.js';
import { nullableArray, type Decoder } from './decode.js';
import { asStr, check, containerFields, fieldsOf, imageInfo, isList, isStr, items, lean } from './lean-checks.js';
import { decodeImageStatus, goTime } from './types.js';

/*
 * A lean reading of GET /v10/images for the list-images table: every field is checked as the
 * full decoder checks it (lean-checks.ts), and only the ID, name, error and CreatedAt that the
 * table shows are copied out. A 1,000-workload answer with 50 tags per image is 50,000 image
 * records, so this is the hot path.
 */

function entry(v: unknown): ImageTableEntry {
  const o = imageInfo(v);
  const created = goTime(asStr(o.CreatedAt));
  return created === undefined ? { ID: asStr(o.ID) } : { ID: asStr(o.ID), CreatedAt: created };
}

function container(v: unknown): ImageTableContainer {
  const o = containerFields(v);
  const available = items(o.Available).map(entry);
  const current = fieldsOf(o.Current);
  const out: ImageTableContainer = { Name: asStr(o.Name) || undefined, Current: { ID: asStr(current.ID) } };
  if (available.length > 0) out.Available = available;
  if (asStr(o.AvailableError) !== '') out.AvailableError = asStr(o.AvailableError);
  return out;
}

function workload(v: unknown): ImageTableWorkload {
  const o = fieldsOf(v);
  check(isStr(o.ID) && isList(o.Containers));
  return { ID: asStr(o.ID), Containers: Array.isArray(o.Containers) ? o.Containers.map(container) : null };
}

/** One workload's images as the table reads them. */
export const decodeImageTableWorkload: Decoder<ImageTableWorkload> = lean(workload, decodeImageStatus);

/** The daemon's image list as the table reads it; null when the daemon sent `null`. */
export const decodeImageTable: Decoder<ImageTableWorkload[] | null> = nullableArray(decodeImageTableWorkload);
