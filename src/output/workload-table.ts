import type { WorkloadRow } from '../model/workload-row.js';
import { renderTabRows } from './table.js';
import { runeCount } from './tabwriter.js';

/*
 * The piped `list-workloads` table drawn straight from lean rows, in one pass after the column
 * widths: no per-line cell arrays for 10,000 workloads. The bytes are renderTabRows' (Go's
 * tabwriter, padding 2) for the same cells; rows with tabwriter control characters take that
 * general path instead.
 */

/** fluxctl's lines for one workload: the first container beside it, further ones on their own lines. */
export function workloadCells(w: WorkloadRow): string[][] {
  const c = w.containers;
  if (c.length === 0) return [[w.ID, '', '', w.Status, w.policies]];
  const lines = [[w.ID, c[0] ?? '', c[1] ?? '', w.Status, w.policies]];
  for (let i = 2; i < c.length; i += 2) lines.push(['', c[i] ?? '', c[i + 1] ?? '', '', '']);
  return lines;
}

/** What one look at every cell finds: column widths in runes, and what the drawing must mind. */
interface Layout {
  widths: number[];
  /** A cell holds a tab, newline, vertical tab or form feed: tabwriter's general path decides. */
  awkward: boolean;
  /** No cell holds a surrogate pair, so a cell's width is its length. */
  plain: boolean;
}

function layoutOf(header: readonly string[] | undefined, rows: readonly WorkloadRow[]): Layout {
  const layout: Layout = { widths: [0, 0, 0, 0], awkward: false, plain: true };
  // One native look per cell for both questions (this runs over 30,000 lines); only the rare
  // cell that has either is looked at again.
  const see = (column: number, s: string): void => {
    let n = s.length;
    if (SPECIAL.test(s)) {
      if (CONTROL.test(s)) layout.awkward = true;
      if (SURROGATE.test(s)) {
        layout.plain = false;
        n = runeCount(s);
      }
    }
    if (column < 4 && n > (layout.widths[column] ?? 0)) layout.widths[column] = n;
  };
  header?.forEach((cell, i) => see(i, cell));
  for (const w of rows) {
    see(0, w.ID);
    see(3, w.Status);
    see(4, w.policies);
    for (let i = 0; i < w.containers.length; i += 2) {
      see(1, w.containers[i] ?? '');
      see(2, w.containers[i + 1] ?? '');
    }
  }
  return layout;
}

const CONTROL = /[\t\n\v\f]/;
const SURROGATE = /[\ud800-\udfff]/;
const SPECIAL = /[\t\n\v\f\ud800-\udfff]/;
const length = (s: string): number => s.length;

/** The table's text: `header` (unless --no-headers), then every row's lines. */
export function renderWorkloadTab(header: readonly string[] | undefined, rows: readonly WorkloadRow[]): string {
  const { widths, awkward, plain } = layoutOf(header, rows);
  if (awkward) return renderTabRows([...(header === undefined ? [] : [header]), ...rows.flatMap(workloadCells)]);
  const width = plain ? length : runeCount;
  const padding: string[] = [];
  // Ten pieces a line, sized up front: growing a 300,000-slot array would copy it again and again.
  let lines = header === undefined ? 0 : 1;
  for (const w of rows) lines += Math.max(1, w.containers.length / 2);
  const out = new Array<string>(lines * 10);
  let at = 0;
  const cell = (column: number, text: string): void => {
    const n = (widths[column] ?? 0) + 2 - width(text);
    out[at++] = text;
    out[at++] = padding[n] ??= ' '.repeat(n);
  };
  const line = (a: string, b: string, c: string, d: string, last: string): void => {
    cell(0, a);
    cell(1, b);
    cell(2, c);
    cell(3, d);
    out[at++] = last;
    out[at++] = '\n';
  };
  if (header !== undefined) line(header[0] ?? '', header[1] ?? '', header[2] ?? '', header[3] ?? '', header[4] ?? '');
  for (const w of rows) {
    const c = w.containers;
    line(w.ID, c[0] ?? '', c[1] ?? '', w.Status, w.policies);
    for (let i = 2; i < c.length; i += 2) line('', c[i] ?? '', c[i + 1] ?? '', '', '');
  }
  return out.join('');
}
