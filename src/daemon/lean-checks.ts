import type { Decoder } from './decode.js';

/*
 * Type checks for the lean readings of the daemon's large lists (workload-rows.ts,
 * image-table.ts): each field is checked as the full decoders in types.ts check it, Go's
 * json.Unmarshal rules (absent and null read as the zero value), but with plain tests and no
 * path strings. A reading that finds a wrong field hands the item to the full decoder, which
 * names the field; so both readings fail alike, and only the full one spends time on words.
 */

export type Fields = Record<string, unknown>;

export const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
// The common case first: a present value of the right type answers in one test.
export const isStr = (v: unknown): boolean => typeof v === 'string' || v === undefined || v === null;
export const isInt = (v: unknown): boolean => Number.isInteger(v) || v === undefined || v === null;
export const isBool = (v: unknown): boolean => typeof v === 'boolean' || v === undefined || v === null;
export const isList = (v: unknown): boolean => Array.isArray(v) || v === undefined || v === null;
const absent = (v: unknown): boolean => v === undefined || v === null;
export const asStr = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Thrown by the checks, caught by `lean`: never seen outside these modules. */
class Mismatch extends Error {}

export function check(ok: boolean): void {
  if (!ok) throw new Mismatch();
}

/** An object field: its fields, or none when absent or null. */
export function fieldsOf(v: unknown): Fields {
  check(absent(v) || isRecord(v));
  return isRecord(v) ? v : {};
}

/** A Go map[string]string. */
export function checkStringMap(v: unknown): void {
  for (const x of Object.values(fieldsOf(v))) check(isStr(x));
}

/** pkg/image Info, every field; returns its fields. */
export function imageInfo(v: unknown): Fields {
  const o = fieldsOf(v);
  const labels = fieldsOf(o.Labels);
  check(isStr(labels['org.label-schema.build-date']) && isStr(labels['org.opencontainers.image.created']));
  check(isStr(o.ID) && isStr(o.Digest) && isStr(o.ImageID) && isStr(o.CreatedAt) && isStr(o.LastFetched));
  return o;
}

/** pkg/api/v6 Container, every field but Available's items (the caller reads those); returns its fields. */
export function containerFields(v: unknown): Fields {
  const o = fieldsOf(v);
  check(isList(o.Available) && isStr(o.Name) && isStr(o.AvailableError));
  check(isInt(o.AvailableImagesCount) && isInt(o.NewAvailableImagesCount) && isInt(o.FilteredImagesCount) && isInt(o.NewFilteredImagesCount));
  imageInfo(o.Current);
  imageInfo(o.LatestFiltered);
  return o;
}

/** The items of a list field (none when absent or null). */
export function items(v: unknown): unknown[] {
  check(isList(v));
  return (v ?? []) as unknown[];
}

/**
 * A lean decoder from checks that throw Mismatch: when one does, `full` decodes the same value
 * to throw its error, which names the field.
 */
export function lean<T>(read: (v: unknown) => T, full: Decoder<unknown>): Decoder<T> {
  return (v, path) => {
    try {
      return read(v);
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      full(v, path);
      throw new Error(`the lean reading refused ${path || 'the answer'}, which the full decoder accepts`);
    }
  };
}
