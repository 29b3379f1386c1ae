/** Help is wrapped at this width whatever the terminal, so piped and terminal help are the same text. */
export const HELP_WIDTH = 80;

/**
 * Fills `text` into lines of at most `width` characters (fewer than `width` only when a word is
 * longer), never breaking a word; explicit line breaks are kept. Lines after the first are
 * indented by `indent` spaces, and `width` counts from that indent.
 */
export function wrapWords(text: string, width: number, indent = 0): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      if (line !== '' && [...line].length + 1 + [...word].length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines.join(`\n${pad}`);
}

/** Wraps the prose lines of a long description; indented lines (examples, lists) are kept as written. */
export function wrapProse(text: string, width = HELP_WIDTH): string {
  return text
    .split('\n')
    .map((l) => (/^\s/.test(l) || [...l].length <= width ? l : wrapWords(l, width)))
    .join('\n');
}
