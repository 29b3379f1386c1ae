import type { IO } from './io.js';
import { runeCount, tabwrite } from './tabwriter.js';

/**
 * fluxctl's piped layout: each row's cells joined by TABs (the last cell is trailing text),
 * aligned by Go's tabwriter with padding 2, so awk/cut scripts keep working byte for byte.
 */
export function renderTabRows(rows: readonly (readonly string[])[]): string {
  const columns = rows[0]?.length ?? 0;
  // With the same number of cells on every line, each column is one tabwriter block, so the
  // widths are plain maxima: skip re-parsing a joined text (this is the 10,000-workload path).
  if (columns === 0 || rows.some((r) => r.length !== columns || r.some((c) => /[\t\n\v\f]/.test(c)))) {
    return tabwrite(rows.map((r) => `${r.join('\t')}\n`).join(''));
  }
  const widths = new Array<number>(columns - 1).fill(0);
  for (const row of rows) for (let c = 0; c < columns - 1; c++) widths[c] = Math.max(widths[c] ?? 0, runeCount(row[c] ?? ''));
  const padding: string[] = [];
  const out: string[] = [];
  for (const row of rows) {
    for (let c = 0; c < columns - 1; c++) {
      const cell = row[c] ?? '';
      const n = (widths[c] ?? 0) + 2 - runeCount(cell);
      out.push(cell, (padding[n] ??= ' '.repeat(n)));
    }
    out.push(row[columns - 1] ?? '', '\n');
  }
  return out.join('');
}

export interface TtyTableOptions {
  header: readonly string[] | undefined;
  rows: readonly (readonly string[])[];
  /** Per-cell colouring (TTY only); `row` indexes `rows`, for styling a whole row. */
  paint?: (column: number, value: string, row: number) => string;
  /** Cells of free text (policies, messages) that may be shortened; every other cell is shown whole. */
  shorten?: (column: number, value: string, row: number) => boolean;
}

/** Spaces between columns on a terminal (kubectl uses 3; tabwriter's piped layout uses 2). */
const GAP = 3;
/** A shortened column keeps at least this much of its text. */
const MIN_FREE = 10;

const width = (s: string): number => [...s].length;

/**
 * Column widths for the terminal: natural widths when they fit; otherwise only the columns of
 * free text shrink (widest first), never below their header, MIN_FREE, or a cell that must stay
 * whole. What still does not fit runs past the edge, as kubectl's tables do.
 */
function fitColumns(options: TtyTableOptions, columns: number, total: number): number[] {
  const natural = Array.from({ length: columns }, (_, i) => Math.max(width(options.header?.[i] ?? ''), ...options.rows.map((r) => width(r[i] ?? ''))));
  const floor = natural.map((n, i) => {
    const whole = options.rows.filter((r, row) => !(options.shorten?.(i, r[i] ?? '', row) ?? false)).map((r) => width(r[i] ?? ''));
    return Math.min(n, Math.max(width(options.header?.[i] ?? ''), MIN_FREE, ...whole));
  });
  const out = [...natural];
  let excess = out.reduce((a, b) => a + b, 0) + GAP * (columns - 1) - total;
  while (excess > 0) {
    const widest = out.map((w, i) => ({ w, i })).filter(({ w, i }) => w > (floor[i] ?? w)).sort((a, b) => b.w - a.w)[0];
    if (widest === undefined) break;
    out[widest.i] = widest.w - 1;
    excess--;
  }
  return out;
}

/** The same rows drawn for a terminal: borderless (kubectl's look), bold header, fitted to the width. */
export function renderTtyTable(io: IO, options: TtyTableOptions): string {
  const columns = options.header?.length ?? options.rows[0]?.length ?? 0;
  if (columns === 0) return '';
  const widths = fitColumns(options, columns, io.columns);
  const line = (cells: readonly string[], style: (i: number, text: string) => string): string =>
    cells
      .map((cell, i) => {
        const w = widths[i] ?? 0;
        const text = width(cell) > w ? `${[...cell].slice(0, Math.max(0, w - 1)).join('')}…` : cell;
        const pad = i === columns - 1 ? '' : ' '.repeat(Math.max(0, w - width(text)) + GAP);
        return `${text === '' ? '' : style(i, text)}${pad}`;
      })
      .join('')
      .trimEnd();
  const lines = options.header === undefined ? [] : [line(options.header, (_i, t) => io.out.bold(t))];
  options.rows.forEach((row, r) => lines.push(line(row, (i, t) => options.paint?.(i, t, r) ?? t)));
  return `${lines.join('\n')}\n`;
}

/** How the table commands say where to find what a terminal shortened. */
export const TABLE_NOTE = 'On a terminal, tables fit its width by shortening free text (policies, messages) with "…"; IDs, images, tags and release targets are always shown whole, and lines run past the edge when they must. For everything, unshortened: pipe the output (| cat) or use -o json.';

/** Piped: fluxctl's tabwriter bytes. TTY: the same rows as a borderless, coloured table. */
export async function renderTable(
  io: IO,
  header: readonly string[] | undefined,
  rows: readonly (readonly string[])[],
  paint?: TtyTableOptions['paint'],
  shorten?: TtyTableOptions['shorten'],
): Promise<string> {
  if (!io.stdoutTTY) return renderTabRows(header === undefined ? rows : [header, ...rows]);
  if (rows.length === 0) return '';
  return renderTtyTable(io, { header, rows, paint, shorten });
}
