import { describe, expect, it } from 'vitest';
import { tabwrite } from '../../src/output/tabwriter.js';
import { withCpuTime } from '../helpers/cpu-time.js';

// ⇥ stands for TAB. Expected texts are what Go 1.19's
// tabwriter.NewWriter(out, 0, 2, 2, ' ', 0) + Write + Flush produced for the same input.
const tabs = (s: string): string => s.replace(/⇥/g, '\t');
const lines = (...ls: string[]): string => ls.join('\n') + '\n';

describe('tabwrite: fluxctl\'s tables', () => {
  it('lays out list-workloads, keeping trailing padding on empty POLICY', () => {
    const input = lines(
      'WORKLOAD⇥CONTAINER⇥IMAGE⇥RELEASE⇥POLICY',
      'default:deployment/busybox⇥busybox⇥busybox:1.31.1⇥ready⇥',
      'default:deployment/helloworld⇥helloworld⇥quay.io/weaveworks/helloworld:master-a000001⇥ready⇥automated,locked',
      '⇥sidecar⇥quay.io/weaveworks/sidecar:master-a000002⇥⇥',
      'default:helmrelease/empty⇥⇥⇥unknown⇥',
    );
    expect(tabwrite(tabs(input))).toBe(lines(
      'WORKLOAD                       CONTAINER   IMAGE                                         RELEASE  POLICY',
      'default:deployment/busybox     busybox     busybox:1.31.1                                ready    ',
      'default:deployment/helloworld  helloworld  quay.io/weaveworks/helloworld:master-a000001  ready    automated,locked',
      '                               sidecar     quay.io/weaveworks/sidecar:master-a000002              ',
      'default:helmrelease/empty                                                                unknown  ',
    ));
  });

  it('lays out list-images', () => {
    const input = lines(
      'WORKLOAD⇥CONTAINER⇥IMAGE⇥CREATED',
      'default:deployment/helloworld⇥helloworld⇥quay.io/weaveworks/helloworld⇥',
      "⇥⇥|   master-9a16ff945b9e⇥20 Jul 16 13:19 UTC",
      "⇥⇥|   master-b31c617a0fe3⇥20 Jul 16 13:19 UTC",
      "⇥⇥|   master-a000002⇥12 Jul 16 17:17 UTC",
      "⇥⇥'-> master-a000001⇥12 Jul 16 17:16 UTC",
      '⇥⇥    master-a000000⇥11 Jul 16 01:01 UTC',
      '⇥sidecar⇥quay.io/weaveworks/sidecar⇥',
      "⇥⇥'-> master-a000002⇥23 Aug 16 10:05 UTC",
      '⇥⇥    master-a000001⇥',
      'default:deployment/nginx⇥nginx⇥⇥image data not available',
      "⇥⇥'-> (untagged)⇥?",
      'default:deployment/none⇥⇥⇥',
    );
    // Marker and tag share a cell: `<3-char marker> <tag>`.
    expect(tabwrite(tabs(input))).toBe(lines(
      'WORKLOAD                       CONTAINER   IMAGE                          CREATED',
      'default:deployment/helloworld  helloworld  quay.io/weaveworks/helloworld  ',
      '                                           |   master-9a16ff945b9e        20 Jul 16 13:19 UTC',
      '                                           |   master-b31c617a0fe3        20 Jul 16 13:19 UTC',
      '                                           |   master-a000002             12 Jul 16 17:17 UTC',
      "                                           '-> master-a000001             12 Jul 16 17:16 UTC",
      '                                               master-a000000             11 Jul 16 01:01 UTC',
      '                               sidecar     quay.io/weaveworks/sidecar     ',
      "                                           '-> master-a000002             23 Aug 16 10:05 UTC",
      '                                               master-a000001             ',
      'default:deployment/nginx       nginx                                      image data not available',
      "                                           '-> (untagged)                 ?",
      'default:deployment/none                                                   ',
    ));
  });

  it('lays out the result table (pkg/update/print.go) with its space-before-TAB header', () => {
    const input = lines(
      'WORKLOAD ⇥STATUS ⇥UPDATES',
      'default:deployment/helloworld⇥success⇥helloworld: quay.io/weaveworks/helloworld:master-a000001 -> master-9a16ff945b9e',
      '⇥⇥sidecar: quay.io/weaveworks/sidecar:master-a000001 -> master-a000002',
      'default:deployment/x⇥skipped⇥image(s) up to date',
    );
    expect(tabwrite(tabs(input))).toBe(lines(
      'WORKLOAD                       STATUS   UPDATES',
      'default:deployment/helloworld  success  helloworld: quay.io/weaveworks/helloworld:master-a000001 -> master-9a16ff945b9e',
      '                                        sidecar: quay.io/weaveworks/sidecar:master-a000001 -> master-a000002',
      'default:deployment/x           skipped  image(s) up to date',
    ));
    expect(tabwrite(tabs(lines('WORKLOAD ⇥STATUS ⇥UPDATES', 'default:deployment/helloworld⇥success⇥'))))
      .toBe(lines('WORKLOAD                       STATUS   UPDATES', 'default:deployment/helloworld  success  '));
  });
});

describe('tabwrite: Go semantics', () => {
  it.each<[string, string, string]>([
    ['empty input', '', ''],
    ['a lone newline', '\n', '\n'],
    ['no tabs at all', 'abc\ndef\n', 'abc\ndef\n'],
    ['one column', 'a⇥b\nccc⇥d\n', 'a    b\nccc  d\n'],
    ['empty cells still get padding', '⇥x\n⇥y\n', '  x\n  y\n'],
    ['trailing text is never padded', 'a⇥\nbb⇥\n', 'a   \nbb  \n'],
    ['multi-byte cells count code points', 'é⇥1\n日本語⇥2\n😀⇥3\n', 'é    1\n日本語  2\n😀    3\n'],
    ['combining marks count as code points', 'e\u0301⇥x\nab⇥y\n', 'e\u0301  x\nab  y\n'],
    // A blank line has no cells, so it ends every column block: the two tables align separately.
    ['blank line separates blocks', 'a⇥b\n\nlonger⇥c\n', 'a  b\n\nlonger  c\n'],
    // Column 1 spans only the first two lines; line 3 has one cell, so column 0 alone continues.
    ['ragged rows: deeper columns form shorter blocks', 'a⇥bbbb⇥c\na⇥b⇥c\naaaa⇥x\na⇥b⇥c\n',
      'a     bbbb  c\na     b     c\naaaa  x\na     b  c\n'],
    ['a row without the column splits that column', 'x⇥long-cell⇥1\ny\nz⇥s⇥2\n', 'x  long-cell  1\ny\nz  s  2\n'],
    ['trailing incomplete line is flushed and aligned', 'a⇥b\nccc⇥d', 'a    b\nccc  d'],
    // Flush drops an empty pending cell, so the final tab-terminated cell becomes trailing text.
    ['incomplete line ending in a tab', 'aaaa⇥b\na⇥', 'aaaa  b\na'],
    ['incomplete line with two cells', 'aaaa⇥b\na⇥bb⇥', 'aaaa  b\na     bb'],
    ['vertical tab ends a cell like TAB', 'a\vb\nccc\vd\n', 'a    b\nccc  d\n'],
    ['form feed ends the line and flushes the blocks', 'a⇥b\fccc⇥d\n', 'a  b\nccc  d\n'],
    ['carriage return is cell text', 'a\r⇥b\n', 'a\r  b\n'],
    ['spaces are cell text', ' a ⇥b\n', ' a   b\n'],
  ])('%s', (_name, input, want) => {
    expect(tabwrite(tabs(input))).toBe(want);
  });

  it('handles 30,000 rows quickly', () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `ns:deployment/w${i}\tc\timg:${i}\tready\t\n`).join('');
    const { value: out, cpuMs } = withCpuTime(() => tabwrite(rows).split('\n'));
    expect(cpuMs).toBeLessThan(2_000);
    expect(out[0]).toBe('ns:deployment/w0      c  img:0      ready  ');
    expect(out[29_999]).toBe('ns:deployment/w29999  c  img:29999  ready  ');
  });
});

describe('tabwrite: properties', () => {
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const words = ['', 'a', 'bc', 'défg', '日本', '😀x', 'longer-word'];
  const table = (): string[][] =>
    Array.from({ length: rnd(8) }, () => Array.from({ length: rnd(5) + 1 }, () => words[rnd(words.length)]!));

  it('keeps every cell\'s text, in order, with only spaces added between cells', () => {
    for (let n = 0; n < 300; n++) {
      const rows = table();
      const out = tabwrite(rows.map((r) => r.join('\t') + '\n').join('')).split('\n');
      expect(out.pop()).toBe('');
      expect(out).toHaveLength(rows.length);
      rows.forEach((cells, i) => {
        const line = out[i]!;
        expect(line.replace(/ /g, '')).toBe(cells.join(''));
        expect(line.startsWith(cells[0]!)).toBe(true);
        expect(line.endsWith(cells[cells.length - 1]!)).toBe(true);
      });
    }
  });

  it('starts each column at the same offset on every row of a rectangular table', () => {
    for (let n = 0; n < 100; n++) {
      const cols = rnd(4) + 2;
      const rows = Array.from({ length: rnd(6) + 1 }, () =>
        Array.from({ length: cols }, () => words[rnd(words.length)]!));
      const out = tabwrite(rows.map((r) => r.join('\t') + '\n').join('')).split('\n');
      const widths = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => [...r[c]!].length)) + 2);
      rows.forEach((cells, i) => {
        const chars = [...out[i]!];
        let at = 0;
        cells.forEach((cell, c) => {
          const len = [...cell].length;
          expect(chars.slice(at, at + len).join('')).toBe(cell);
          if (c < cols - 1) expect(chars.slice(at + len, at + widths[c]!).every((ch) => ch === ' ')).toBe(true);
          at += widths[c]!;
        });
      });
    }
  });
});
