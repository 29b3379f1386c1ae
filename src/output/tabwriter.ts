// Go's text/tabwriter as fluxctl configures it: NewWriter(out, 0, 2, 2, ' ', 0).
const MIN_WIDTH = 0;
const PADDING = 2;

interface Line {
  cells: string[];
  widths: number[];
  /** Block id per column cell; the last cell (trailing text) has none. */
  blocks: number[];
}

export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Splits text into lines of cells the way Writer.Write + Flush terminate them. */
function splitLines(text: string): Array<{ cells: string[]; formFeed: boolean }> {
  const out: Array<{ cells: string[]; formFeed: boolean }> = [];
  const pieces = text.split(/([\n\f])/);
  for (let i = 0; i < pieces.length; i += 2) {
    const cells = pieces[i]!.split(/[\t\v]/);
    const terminator = pieces[i + 1];
    if (terminator === undefined) {
      // Flush only terminates a pending cell that holds text; an empty one is dropped,
      // so "a\t" at the very end leaves "a" as the line's trailing text.
      if (cells[cells.length - 1] === '') cells.pop();
      if (cells.length > 0) out.push({ cells, formFeed: false });
    } else {
      out.push({ cells, formFeed: terminator === '\f' });
    }
  }
  return out;
}

/**
 * Aligns tab-terminated cells exactly as Go's text/tabwriter (minwidth 0, tabwidth 2, padding 2,
 * pad ' ', no flags) writes a whole buffered text; blocks, trailing spaces and Flush included.
 */
export function tabwrite(text: string): string {
  const raw = splitLines(text);
  const lines: Line[] = [];
  const blockWidth: number[] = [];
  // open[c] is the block that column c belongs to while consecutive lines keep having that
  // column; a line with fewer cells (or a form feed, which flushes) closes the deeper blocks.
  const open: number[] = [];
  for (const { cells, formFeed } of raw) {
    const widths = cells.map(runeCount);
    const columns = cells.length - 1;
    if (open.length > columns) open.length = Math.max(columns, 0);
    const blocks: number[] = [];
    for (let c = 0; c < columns; c++) {
      if (c >= open.length) {
        open.push(blockWidth.length);
        blockWidth.push(MIN_WIDTH);
      }
      const id = open[c]!;
      blockWidth[id] = Math.max(blockWidth[id]!, widths[c]! + PADDING);
      blocks.push(id);
    }
    lines.push({ cells, widths, blocks });
    if (formFeed) open.length = 0;
  }

  const padding: string[] = [];
  const spaces = (n: number): string => (padding[n] ??= ' '.repeat(n));
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push('\n');
    const { cells, widths, blocks } = line;
    for (let c = 0; c < blocks.length; c++) {
      out.push(cells[c]!, spaces(blockWidth[blocks[c]!]! - widths[c]!));
    }
    out.push(cells[cells.length - 1] ?? '');
  });
  // Every line that was terminated in the input is terminated in the output.
  if (raw.length > 0 && /[\n\f]$/.test(text)) out.push('\n');
  return out.join('');
}
