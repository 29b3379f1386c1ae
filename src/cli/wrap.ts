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

/**
 * Reflows the prose of a long description at `width`: consecutive unindented lines are one
 * paragraph; blank lines and indented lines (examples, lists) are kept as written.
 */
export function wrapProse(text: string, width = HELP_WIDTH): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) out.push(wrapWords(paragraph.join(' '), width));
    paragraph = [];
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s/.test(line)) {
      flush();
      out.push(line);
    } else {
      paragraph.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}
