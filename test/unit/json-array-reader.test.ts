// The streaming list reader must give exactly what JSON.parse of the whole body gives, wherever
// the chunks happen to split it, and fail where JSON.parse fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { array, type Decoder } from '../../src/daemon/decode.js';
import { JsonArrayReader } from '../../src/daemon/json-array-reader.js';
import { DecodeError } from '../../src/errors.js';
import { pieces } from '../helpers/pieces.js';

const item: Decoder<unknown> = (v) => v;
const whole: Decoder<unknown[] | null> = (v, path) => array(v, path);

/** Reads `body` delivered in pieces cut at `cuts`. */
function read(body: string | Buffer, cuts: number[] = []): unknown[] | null {
  const reader = new JsonArrayReader(item, whole, 'GET /v6/services');
  for (const piece of pieces(body, cuts)) reader.push(piece);
  return reader.end();
}

/** Every way of cutting `body` in two, and byte by byte. */
function everySplit(body: string): Array<unknown[] | null> {
  const n = Buffer.byteLength(body);
  const out = Array.from({ length: n + 1 }, (_, i) => read(body, [i]));
  out.push(read(body, Array.from({ length: n }, (_, i) => i)));
  return out;
}

const errorOf = (body: string, cuts: number[] = []): string => {
  try {
    read(body, cuts);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${body}`);
};

describe('JsonArrayReader', () => {
  it('reads what JSON.parse reads, wherever the body is cut', () => {
    const bodies = [
      '[]',
      ' [ ] ',
      '[{"ID":"a:deployment/x","Containers":null}]',
      '[{"s":"a \\" quote, a ] and a } and a , inside"},{"t":"\\\\"},{"u":"\\\\\\""}]',
      '[1, "two", [3, [4]], {"five": {"six": [7]}}, null, true, -0.5e3]',
      '[{"ID":"émoji-🚀 and 日本"}, "\\u00e9\\ud83d\\ude80"]',
      '\n[\n  {"a": 1},\n  {"b": [ ]}\n]\n',
    ];
    for (const body of bodies) {
      for (const got of everySplit(body)) expect(got).toEqual(JSON.parse(body));
    }
  });

  it('reads any JSON list, cut anywhere (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), (list, pretty, cuts) => {
        const body = JSON.stringify(list, null, pretty ? 2 : undefined);
        const n = Buffer.byteLength(body);
        expect(read(body, cuts.map((c) => c % (n + 1)))).toEqual(JSON.parse(body));
      }),
      { numRuns: 500 },
    );
  });

  it('reads lists of objects as Go writes them, by guessing boundaries or, where objects nest alike, by scanning', () => {
    const bodies = [
      // The first key is never opened again inside an item: every boundary guessed is one.
      JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ ID: `ns:deployment/w-${i}`, Containers: [{ Name: 'app', Current: { ID: 'nginx:1' } }], Status: 'ready' }))),
      // Items nest objects that open like them (image lists): a guess fails, and the scan takes over.
      JSON.stringify(Array.from({ length: 12 }, (_, i) => ({ ID: `w-${i}`, Containers: [{ Available: [{ ID: 'a:1' }, { ID: 'a:2' }] }] }))),
      // The pattern written inside a string is escaped, so never taken for a boundary.
      JSON.stringify([{ ID: '},{"ID":' }, { ID: 'b', x: '"},{"ID":"' }, { ID: 'c' }]),
      // Spaces after the commas: no guess ever matches, the text is scanned.
      JSON.stringify([{ ID: 1 }, { ID: 2 }], null, 1),
    ];
    for (const body of bodies) {
      const n = Buffer.byteLength(body);
      for (const size of [1, 7, 64, 1000, n]) {
        const cuts = Array.from({ length: Math.ceil(n / size) }, (_, k) => k * size);
        expect(read(body, cuts)).toEqual(JSON.parse(body));
      }
    }
  });

  it('reads any list of Go-shaped objects, cut anywhere (property)', () => {
    const key = fc.constantFrom('ID', 'Name', 'Current', 'Containers');
    const object = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 })),
    })).value;
    fc.assert(
      fc.property(fc.array(fc.record({ ID: fc.string(), rest: object })), fc.array(fc.nat(), { maxLength: 12 }), (list, cuts) => {
        const body = JSON.stringify(list);
        const n = Buffer.byteLength(body);
        expect(read(body, cuts.map((c) => c % (n + 1)))).toEqual(JSON.parse(body));
      }),
      { numRuns: 300 },
    );
  });

  it('gives a body that is not a list to the whole-body decoder: null, or its error', () => {
    expect(read('null')).toBeNull();
    expect(read(' null\n', [2])).toBeNull();
    expect(errorOf('{"ID":"x"}')).toBe('response: expected an array, got object');
    expect(errorOf('"text"', [3])).toBe('response: expected an array, got string');
    expect(errorOf('')).toBe('malformed JSON from the daemon (GET /v6/services): empty body');
    expect(errorOf('  \n')).toBe('malformed JSON from the daemon (GET /v6/services): empty body');
    expect(errorOf('nul')).toMatch(/^malformed JSON from the daemon \(GET \/v6\/services\): /);
  });

  it('fails on a list JSON.parse would refuse, naming the item', () => {
    const cases = ['[{"a":1}', '[{"a":1},', '[{"a":"unterminated', '[1,,2]', '[1,]', '[{"a":1}}]', '[{"a":1] }', '[1 2]', '[1] x', '[{"a":tru}]'];
    for (const body of cases) {
      expect(() => JSON.parse(body)).toThrow();
      for (let cut = 0; cut <= body.length; cut++) expect(errorOf(body, [cut])).toMatch(/^malformed JSON from the daemon \(GET \/v6\/services(, item \[\d+\])?\): /);
    }
    expect(errorOf('[1,,2]')).toBe('malformed JSON from the daemon (GET /v6/services, item [1]): empty body');
    expect(errorOf('[{"a":1}')).toBe('malformed JSON from the daemon (GET /v6/services): Unexpected end of JSON input');
  });

  it('hands each item to the item decoder with its index as the path', () => {
    const paths: string[] = [];
    const reader = new JsonArrayReader<number>((v, path) => (paths.push(path), Number(v)), () => null, 'test');
    reader.push(Buffer.from('[10, 2'));
    reader.push(Buffer.from('0, 30]'));
    expect(reader.end()).toEqual([10, 20, 30]);
    expect(paths).toEqual(['[0]', '[1]', '[2]']);
  });
});
