import { describe, expect, it } from 'vitest';
import { goQuote } from '../../src/util/go-quote.js';

// Expected values are Go 1.19's strconv.Quote output for the same strings.
describe('goQuote', () => {
  it.each<[string, string]>([
    ['', '""'],
    ['flux', '"flux"'],
    ['default', '"default"'],
    ['a"b', '"a\\"b"'],
    ['back\\slash', '"back\\\\slash"'],
    ['\u0007\u0008\u000c\n\r\t\u000b', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\u0000\u0001\u001b\u001f', '"\\x00\\x01\\x1b\\x1f"'],
    ['\u007f', '"\\x7f"'],
    ['\u0080', '"\\u0080"'],
    ['\u00a0', '"\\u00a0"'],
    ['\u00ad', '"\\u00ad"'],
    ['café', '"café"'],
    ['日本語', '"日本語"'],
    ['😀', '"😀"'],
    ['\u200b', '"\\u200b"'],
    ['\u2028', '"\\u2028"'],
    ['\ufeff', '"\\ufeff"'],
    ['\ufffd', '"\ufffd"'],
    ['\u0301', '"\u0301"'],
    ['e\u0301', '"e\u0301"'],
    ['\u0378', '"\\u0378"'],
    ['\ue000', '"\\ue000"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['\u{10ffff}', '"\\U0010ffff"'],
    ['😀🇺', '"😀🇺"'],
    ['\'single\'', '"\'single\'"'],
    ['tab\there', '"tab\\there"'],
    ['\u3000', '"\\u3000"'],
    ['\u2003', '"\\u2003"'],
    [' ', '" "'],
  ])('%j', (input, want) => {
    expect(goQuote(input)).toBe(want);
  });

  it('prints the namespace the way fluxctl\'s "No pod found" message does', () => {
    expect(`No pod found in namespace ${goQuote('flux-system')} using the following selectors:`)
      .toBe('No pod found in namespace "flux-system" using the following selectors:');
  });

  // Not a Go case: JS strings can hold lone surrogates, which become U+FFFD once UTF-8 encoded.
  it('treats a lone surrogate as U+FFFD, which Go prints raw', () => {
    expect(goQuote('a\ud800b')).toBe('"a\ufffdb"');
  });

  it('always yields a double-quoted literal that JSON.parse reads back when no \\x, \\a, \\v or \\U escape is needed', () => {
    const alphabet = ['a', '"', '\\', '\n', '\t', '\r', '\b', '\f', 'é', '日', '😀', ' ', '\u2028', '\u00a0'];
    let seed = 3;
    for (let n = 0; n < 300; n++) {
      let s = '';
      for (let i = (n * 7) % 9; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        s += alphabet[seed % alphabet.length]!;
      }
      const q = goQuote(s);
      expect(q.startsWith('"') && q.endsWith('"')).toBe(true);
      expect(JSON.parse(q)).toBe(s);
    }
  });
});
