import { describe, expect, it } from 'vitest';
import { mergeStringToString, parseStringToString, StringToStringError } from '../../src/util/string-to-string.js';

// Expected values come from pflag's stringToString Set logic run on Go 1.19 (its encoding/csv
// reader and strings.Trim/SplitN), fed the same inputs.
describe('parseStringToString', () => {
  it.each<[string, Array<[string, string]>]>([
    ['app=flux', [['app', 'flux']]],
    ['a=b', [['a', 'b']]],
    ['"a=b"', [['a', 'b']]],
    ['a="b"', [['a', '"b']]],
    ['""a=b""', [['a', 'b']]],
    ['a=b,c', [['a', 'b,c']]],
    ['a=', [['a', '']]],
    ['=b', [['', 'b']]],
    ['=', [['', '']]],
    ['a=b,c=d', [['a', 'b'], ['c', 'd']]],
    ['a=b,c=d,e=f', [['a', 'b'], ['c', 'd'], ['e', 'f']]],
    ['app=flux,release=flux', [['app', 'flux'], ['release', 'flux']]],
    ['a=b,c', [['a', 'b,c']]],
    ['"a=b,c",d=e', [['a', 'b,c'], ['d', 'e']]],
    ['"a=""x""",b=c', [['a', '"x"'], ['b', 'c']]],
    ['a=b\nc=d,e=f', [['a', 'b']]],
    ['\na=b,c=d', [['a', 'b'], ['c', 'd']]],
    ['\r\na=b,c=d', [['a', 'b'], ['c', 'd']]],
    ['a=b,c=d\r', [['a', 'b'], ['c', 'd']]],
    ['a=b,c=d\r\n', [['a', 'b'], ['c', 'd']]],
    ['"a=b\nc",d=e', [['a', 'b\nc'], ['d', 'e']]],
    ['a=b, c=d', [['a', 'b'], [' c', 'd']]],
    [' a=b,c=d', [[' a', 'b'], ['c', 'd']]],
    ['a==b', [['a', '=b']]],
    ['k=v=w', [['k', 'v=w']]],
    ['é=ü,x=y', [['é', 'ü'], ['x', 'y']]],
    ['a=b,"c""=d"', [['a', 'b'], ['c"', 'd']]],
  ])('%j', (input, want) => {
    expect(parseStringToString(input)).toEqual(want);
  });

  it.each<[string, string]>([
    ['a', 'a must be formatted as key=value'],
    ['', ' must be formatted as key=value'],
    ['a,b', 'a,b must be formatted as key=value'],
    ['a=b,,c=d', ' must be formatted as key=value'],
    ['a="b",c=d', 'parse error on line 1, column 3: bare " in non-quoted-field'],
    ['"a=b"x,c=d', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'],
    ['"a=b,c=d', 'parse error on line 1, column 9: extraneous or missing " in quoted-field'],
    ['a=b,"c=d', 'parse error on line 1, column 9: extraneous or missing " in quoted-field'],
    ['a=b,"c=d\n', 'parse error on line 1, column 10: extraneous or missing " in quoted-field'],
    ['a=b,"c=d\ne', 'record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field'],
  ])('%j fails', (input, message) => {
    let caught: unknown;
    try {
      parseStringToString(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(StringToStringError);
    expect((caught as Error).message).toBe(message);
  });
});

describe('mergeStringToString', () => {
  it('replaces the default on first use', () => {
    const first = mergeStringToString(undefined, 'name=flux');
    expect([...first]).toEqual([['name', 'flux']]);
  });

  it('merges later uses, the later value winning per key', () => {
    const once = mergeStringToString(undefined, 'app=flux,release=a');
    const twice = mergeStringToString(once, 'release=b');
    expect(Object.fromEntries(twice)).toEqual({ app: 'flux', release: 'b' });
    expect(Object.fromEntries(once)).toEqual({ app: 'flux', release: 'a' });
  });

  it('keeps the last of duplicate keys within one value, as a Go map does', () => {
    expect(Object.fromEntries(mergeStringToString(undefined, 'a=1,a=2'))).toEqual({ a: '2' });
  });

  it('leaves the existing map alone when the value is malformed', () => {
    const existing = new Map([['app', 'flux']]);
    expect(() => mergeStringToString(existing, 'oops')).toThrow('oops must be formatted as key=value');
    expect([...existing]).toEqual([['app', 'flux']]);
  });
});

describe('parseStringToString: properties', () => {
  it('parses what a comma-joined list of simple pairs says', () => {
    const keys = ['app', 'name', 'release', 'tier', 'x'];
    for (let n = 2; n <= keys.length; n++) {
      const pairs = keys.slice(0, n).map((k, i): [string, string] => [k, `v${i}`]);
      expect(parseStringToString(pairs.map(([k, v]) => `${k}=${v}`).join(','))).toEqual(pairs);
    }
  });
});
