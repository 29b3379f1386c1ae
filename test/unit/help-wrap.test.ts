import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrapWords } from '../../src/cli/wrap.js';

describe('wrapWords', () => {
  it('fills lines up to the width, indenting the continuation lines', () => {
    expect(wrapWords('aaa bbb ccc ddd', 7, 2)).toBe('aaa bbb\n  ccc ddd');
    expect(wrapWords('one\ntwo three', 20)).toBe('one\ntwo three');
  });

  it('puts a word longer than the width on its own line, whole', () => {
    expect(wrapWords('see https://cloud.weave.works/api/flux now', 10)).toBe('see\nhttps://cloud.weave.works/api/flux\nnow');
  });

  it('never breaks or loses a word, and keeps lines within the width unless one word is longer', () => {
    const word = fc.stringMatching(/^[a-z=:/.-]{1,30}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.integer({ min: 10, max: 80 }), (words, width) => {
        const out = wrapWords(words.join(' '), width, 4);
        expect(out.split(/\s+/)).toEqual(words);
        for (const line of out.split('\n').map((l, i) => (i === 0 ? l : l.slice(4)))) {
          expect(line.length <= width || !line.includes(' ')).toBe(true);
        }
      }),
    );
  });
});
