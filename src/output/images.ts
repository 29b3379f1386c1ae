import type { ImageTableContainer, ImageTableWorkload } from '../model/image-table.js';
import type { ImageStatus } from '../model/workload.js';
import { imageName, parseImageRef, type ImageRef } from '../util/image-ref.js';

/** list-images' header (fluxcd/flux cmd/fluxctl/list_images_cmd.go). */
export const IMAGES_HEADER: readonly string[] = ['WORKLOAD', 'CONTAINER', 'IMAGE', 'CREATED'];

/** What a row shows, so a terminal can colour it (piped output ignores it). */
export type ImageRowKind = 'workload' | 'image' | 'current' | 'omitted' | 'unknown-current' | 'no-data';

export interface ImageRows {
  rows: string[][];
  kinds: ImageRowKind[];
}

const NO_IMAGE_DATA = 'image data not available';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * fluxctl decoded every ID with image.ParseRef; a ref it could not parse made the whole call
 * fail. We show such an ID whole (as an untagged name) rather than hide the listing.
 */
function refOf(id: string): ImageRef {
  try {
    return parseImageRef(id);
  } catch {
    return { domain: '', image: id, tag: '', digest: '' };
  }
}

/**
 * Go's time.RFC822 (`02 Jan 06 15:04 MST`) of an RFC 3339 time, read from the string itself so
 * the local timezone never matters. Daemons send UTC; an explicit offset prints as Go prints a
 * zone without a name (`+0200`).
 */
export function formatRfc822(time: string | undefined): string {
  if (time === undefined || time === '') return '';
  const m = /^(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):\d\d(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (m === null) return time;
  const [, year = '', month = '', day = '', hour = '', minute = '', zone = ''] = m;
  const name = zone === 'Z' ? 'UTC' : zone.replace(':', '');
  return `${day} ${MONTHS[Number(month) - 1] ?? month} ${year.slice(-2)} ${hour}:${minute} ${name}`;
}

/** The rows one container contributes: its own line, the Available list, the current-image line. */
function containerRows(out: ImageRows, workloadCell: string, c: ImageTableContainer, limit: number): void {
  const current = refOf(c.Current.ID);
  const available = c.Available ?? [];
  const created = available.length === 0 ? (c.AvailableError ?? NO_IMAGE_DATA) : '';
  const push = (kind: ImageRowKind, row: string[]): void => {
    out.rows.push(row);
    out.kinds.push(kind);
  };
  push(available.length === 0 ? 'no-data' : 'workload', [workloadCell, c.Name ?? '', imageName(current), created]);
  let found = false;
  available.forEach((info, i) => {
    const line = i + 1;
    const withinLimit = limit <= 0 || line <= limit;
    // Past the limit only the current image gets a line, and another image matters only if its
    // tag is the current one (for the marker): once that is found, or when the current tag is not
    // even in the ID, the image is skipped unparsed (50 tags × 1,000 workloads add up).
    const other = info.ID !== c.Current.ID;
    if (!withinLimit && other && (found || !info.ID.includes(current.tag))) return;
    const { tag } = refOf(info.ID);
    // The marker compares tags only; the limit exception below compares whole refs (as fluxctl).
    let marker = '|  ';
    if (tag === current.tag) {
      marker = "'->";
      found = true;
    } else if (found) marker = '   ';
    if (!withinLimit && other) return;
    if (!withinLimit && line > limit + 1) push('omitted', ['', '', `: (${line - limit - 1} image(s) omitted)`, '']);
    push(marker === "'->" ? 'current' : 'image', ['', '', `${marker} ${tag}`, formatRfc822(info.CreatedAt)]);
  });
  if (!found) push('unknown-current', ['', '', `'-> ${current.tag === '' ? '(untagged)' : current.tag}`, '?']);
}

/** fluxctl's list-images rows (workloads already sorted); `limit` ≤ 0 shows every image. */
export function imageRows(workloads: readonly ImageTableWorkload[], limit: number): ImageRows {
  const out: ImageRows = { rows: [], kinds: [] };
  for (const w of workloads) {
    const containers = w.Containers ?? [];
    if (containers.length === 0) {
      out.rows.push([w.ID, '', '', '']);
      out.kinds.push('workload');
      continue;
    }
    containers.forEach((c, i) => containerRows(out, i === 0 ? w.ID : '', c, limit));
  }
  return out;
}

/** `-o json`: each Available list cut to `limit` entries (0 keeps all); the counts stay as sent. */
export function limitAvailable(workloads: readonly ImageStatus[], limit: number): ImageStatus[] {
  if (limit <= 0) return [...workloads];
  return workloads.map((w) => ({
    ...w,
    Containers: w.Containers === null ? null : w.Containers.map((c) => ({ ...c, Available: c.Available?.slice(0, limit) })),
  }));
}
