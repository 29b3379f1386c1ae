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

const CONTROL = /[\t\n\v\f]/;
const awkward = (w: WorkloadRow): boolean => CONTROL.test(w.ID) || CONTROL.test(w.Status) || CONTROL.test(w.policies) || w.containers.some((s) => CONTROL.test(s));

function columnWidths(header: readonly string[] | undefined, rows: readonly WorkloadRow[]): number[] {
  const widths = [0, 0, 0, 0].map((_, i) => runeCount(header?.[i] ?? ''));
  const grow = (i: number, s: string): void => {
    const n = runeCount(s);
    if (n > (widths[i] ?? 0)) widths[i] = n;
  };
  for (const w of rows) {
    grow(0, w.ID);
    grow(3, w.Status);
    for (let i = 0; i < w.containers.length; i += 2) {
      grow(1, w.containers[i] ?? '');
      grow(2, w.containers[i + 1] ?? '');
    }
  }
  return widths;
}

/** The table's text: `header` (unless --no-headers), then every row's lines. */
export function renderWorkloadTab(header: readonly string[] | undefined, rows: readonly WorkloadRow[]): string {
  if (rows.some(awkward)) return renderTabRows([...(header === undefined ? [] : [header]), ...rows.flatMap(workloadCells)]);
  const widths = columnWidths(header, rows);
  const padding: string[] = [];
  const out: string[] = [];
  const cell = (column: number, text: string): void => {
    const n = (widths[column] ?? 0) + 2 - runeCount(text);
    out.push(text, (padding[n] ??= ' '.repeat(n)));
  };
  const line = (a: string, b: string, c: string, d: string, last: string): void => {
    cell(0, a);
    cell(1, b);
    cell(2, c);
    cell(3, d);
    out.push(last, '\n');
  };
  if (header !== undefined) line(header[0] ?? '', header[1] ?? '', header[2] ?? '', header[3] ?? '', header[4] ?? '');
  for (const w of rows) {
    const c = w.containers;
    line(w.ID, c[0] ?? '', c[1] ?? '', w.Status, w.policies);
    for (let i = 2; i < c.length; i += 2) line('', c[i] ?? '', c[i + 1] ?? '', '', '');
  }
  return out.join('');
}
