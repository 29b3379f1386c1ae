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
}

/** Spaces between columns on a terminal (kubectl uses 3; tabwriter's piped layout uses 2). */
const GAP = 3;

/** The same rows drawn for a terminal: borderless (kubectl's look), bold header, fitted to the width. */
export async function renderTtyTable(io: IO, options: TtyTableOptions): Promise<string> {
  const columns = options.header?.length ?? options.rows[0]?.length ?? 0;
  if (columns === 0) return '';
  const natural = Array.from({ length: columns }, (_, i) =>
    Math.max(options.header?.[i]?.length ?? 0, ...options.rows.map((r) => [...(r[i] ?? '')].length)) + GAP,
  );
  const widths = fit(natural, io.columns);
  // cli-table3 (and string-width behind it) is loaded only when a terminal needs it.
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: options.header?.map((h) => io.out.bold(h)) ?? [],
    colWidths: widths,
    wordWrap: false,
    truncate: '…',
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
    },
    style: { 'padding-left': 0, 'padding-right': GAP, head: [], border: [], compact: true },
  });
  options.rows.forEach((row, r) => table.push(row.map((cell, i) => (options.paint && cell !== '' ? options.paint(i, cell, r) : cell))));
  return `${table.toString().split('\n').map((l) => l.trimEnd()).join('\n')}\n`;
}

/**
 * Shrinks the widest columns until the table fits the terminal (never below 8 characters),
 * sparing the first column (the workload ID people copy) until nothing else can give.
 */
function fit(widths: number[], total: number): number[] {
  const out = [...widths];
  const floor = 8 + GAP;
  let excess = out.reduce((a, b) => a + b, 0) - total;
  while (excess > 0) {
    const candidates = out.map((w, i) => ({ w, i })).filter(({ w, i }) => w > floor && (i > 0 || out.every((x, j) => j === 0 || x <= floor)));
    const widest = candidates.sort((a, b) => b.w - a.w)[0];
    if (widest === undefined) break;
    out[widest.i] = widest.w - 1;
    excess--;
  }
  return out;
}

/** Piped: fluxctl's tabwriter bytes. TTY: the same rows as a borderless, coloured table. */
export async function renderTable(io: IO, header: readonly string[] | undefined, rows: readonly (readonly string[])[], paint?: TtyTableOptions['paint']): Promise<string> {
  if (!io.stdoutTTY) return renderTabRows(header === undefined ? rows : [header, ...rows]);
  if (rows.length === 0) return '';
  return renderTtyTable(io, { header, rows, paint });
}
