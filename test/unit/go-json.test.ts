import { describe, expect, it } from 'vitest';
import { encodeGoJson, type GoValue } from '../../src/output/go-json.js';
import { withCpuTime } from '../helpers/cpu-time.js';

// Expected bytes are Go 1.19's json.Marshal output. fluxctl predates Go 1.22, which started
// writing \b and \f; before it they were \u0008 and \u000c, as here.
describe('encodeGoJson: strings', () => {
  it.each<[string, string]>([
    ['', '""'],
    ['plain', '"plain"'],
    ['<all>', '"\\u003call\\u003e"'],
    ['a&b', '"a\\u0026b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['/', '"/"'],
    ['\n\r\t', '"\\n\\r\\t"'],
    ['\b\f', '"\\u0008\\u000c"'],
    ['\x00\x01\x1f', '"\\u0000\\u0001\\u001f"'],
    ['\x1b[0m', '"\\u001b[0m"'],
    ['\x7f', '"\x7f"'],
    ['\u0080\u00a0\u00ad', '"\u0080\u00a0\u00ad"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['\u2027\u202a', '"\u2027\u202a"'],
    ['caf\u00e9 日本 😀', '"caf\u00e9 日本 😀"'],
    ['\ufffd', '"\ufffd"'],
    ['\ufeff\u200b', '"\ufeff\u200b"'],
    // A lone surrogate has no UTF-8 form; Go writes invalid bytes as the \ufffd escape.
    ['a\ud800b', '"a\\ufffdb"'],
    ['\udc00', '"\\ufffd"'],
    ['\udbff\udfff', '"\u{10ffff}"'],
    ['\ude00\ud83d', '"\\ufffd\\ufffd"'],
  ])('%j', (input, want) => {
    expect(encodeGoJson(input)).toBe(want);
  });
});

describe('encodeGoJson: scalars', () => {
  it.each<[GoValue, string]>([
    [null, 'null'],
    [true, 'true'],
    [false, 'false'],
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-7, '-7'],
    [9007199254740991, '9007199254740991'],
    // Go ints never use exponent notation; JavaScript's String() would give "1e+21".
    [1e21, '1000000000000000000000'],
    [9223372036854775807n, '9223372036854775807'],
    [-9223372036854775808n, '-9223372036854775808'],
    // Non-integers follow Go's float64 encoding (shortest repr, exponent below 1e-6).
    [0.5, '0.5'],
    [123.456, '123.456'],
    [1e-7, '1e-7'],
    [1.5e-9, '1.5e-9'],
    [0.000001, '0.000001'],
  ])('%s', (input, want) => {
    expect(encodeGoJson(input)).toBe(want);
  });

  it.each([NaN, Infinity, -Infinity])('rejects %s like Go (UnsupportedValueError)', (n) => {
    expect(() => encodeGoJson(n)).toThrow(TypeError);
  });

  it('rejects undefined where Go has no equivalent', () => {
    expect(() => encodeGoJson([undefined] as unknown as GoValue)).toThrow(TypeError);
  });
});

describe('encodeGoJson: containers', () => {
  it('writes structs in field order and omits undefined (omitempty) fields', () => {
    const workload = {
      ID: 'default:deployment/helloworld',
      Containers: [{ Name: 'helloworld', Current: { ID: 'quay.io/weaveworks/helloworld:master-a000001' } }],
      ReadOnly: undefined,
      Status: 'ready',
      Rollout: { Desired: 1, Updated: 1, Ready: 1, Available: 1, Outdated: 0, Messages: null },
      SyncError: '',
      Antecedent: undefined,
      Labels: new Map([['b', '2'], ['a', '<1>']]),
      Policies: {},
    };
    expect(encodeGoJson(workload)).toBe(
      '{"ID":"default:deployment/helloworld","Containers":[{"Name":"helloworld","Current":{"ID":"quay.io/weaveworks/helloworld:master-a000001"}}],' +
        '"Status":"ready","Rollout":{"Desired":1,"Updated":1,"Ready":1,"Available":1,"Outdated":0,"Messages":null},' +
        '"SyncError":"","Labels":{"a":"\\u003c1\\u003e","b":"2"},"Policies":{}}',
    );
  });

  it.each<[GoValue, string]>([
    [[], '[]'],
    [[null, 1, 'x'], '[null,1,"x"]'],
    [[[]], '[[]]'],
    [new Map(), '{}'],
    [{}, '{}'],
    [{ a: undefined }, '{}'],
    [{ z: 1, a: 2 }, '{"z":1,"a":2}'],
    [new Map([['z', 1], ['a', 2]]), '{"a":2,"z":1}'],
    [new Map([['b', 1], ['B', 2], ['', 3], ['a b', 4]]), '{"":3,"B":2,"a b":4,"b":1}'],
    // Map keys sort by UTF-8 bytes: U+FFFF (EF BF BF) sorts before U+1F600 (F0 9F 98 80),
    // although its UTF-16 unit 0xFFFF is above 0xD83D.
    [new Map([['😀', 1], ['\uffff', 2], ['\ue000', 3], ['é', 4], ['z', 5]]), '{"z":5,"é":4,"\ue000":3,"\uffff":2,"😀":1}'],
    [new Map([['<k>', '&']]), '{"\\u003ck\\u003e":"\\u0026"}'],
    [{ 'a&b': 1 }, '{"a\\u0026b":1}'],
    [new Map<string, GoValue>([['x', [new Map([['y', null]])]]]), '{"x":[{"y":null}]}'],
  ])('%j', (input, want) => {
    expect(encodeGoJson(input)).toBe(want);
  });

  it('encodes 10,000-element arrays quickly', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ ID: `ns:deployment/w<${i}>`, Status: 'ready', N: i }));
    const { value: out, cpuMs } = withCpuTime(() => encodeGoJson(items));
    expect(cpuMs).toBeLessThan(1_000);
    expect(out.startsWith('[{"ID":"ns:deployment/w\\u003c0\\u003e","Status":"ready","N":0},')).toBe(true);
    expect(JSON.parse(out)).toHaveLength(10_000);
  });
});

describe('encodeGoJson: properties', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = ['a', '<', '>', '&', '"', '\\', '\n', '\b', '\x00', '\x7f', '\u2028', 'é', '😀', '\ufffd', ' '];
  const str = (): string => Array.from({ length: rnd(6) }, () => alphabet[rnd(alphabet.length)]!).join('');
  const gen = (depth: number): unknown => {
    switch (rnd(depth > 2 ? 5 : 7)) {
      case 0: return null;
      case 1: return rnd(2) === 0;
      case 2: return rnd(2_000_000) - 1_000_000;
      case 3: return str();
      case 4: return rnd(1000) / 8;
      case 5: return Array.from({ length: rnd(4) }, () => gen(depth + 1));
      default: return Object.fromEntries(Array.from({ length: rnd(4) }, () => [str(), gen(depth + 1)]));
    }
  };
  const asGo = (v: unknown): GoValue => {
    if (Array.isArray(v)) return v.map(asGo);
    if (v !== null && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, asGo(x)]));
    return v as GoValue;
  };

  it('round-trips through JSON.parse and never emits raw HTML or control characters', () => {
    for (let n = 0; n < 500; n++) {
      const value = gen(0);
      const out = encodeGoJson(asGo(value));
      expect(JSON.parse(out)).toEqual(value);
      expect(out).not.toMatch(/[<>&\u2028\u2029\u0000-\u001f]/);
    }
  });

  // The alphabet has no letters b or f, so the \b/\f rewrite below cannot hit an escaped backslash.
  it('matches JSON.stringify once Go\'s extra escapes are undone (when keys are pre-sorted)', () => {
    for (let n = 0; n < 200; n++) {
      const s = str();
      const go = encodeGoJson(s)
        .replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&')
        .replace(/\\u2028/g, '\u2028').replace(/\\u2029/g, '\u2029');
      const js = JSON.stringify(s).replace(/\\b/g, '\\u0008').replace(/\\f/g, '\\u000c');
      expect(go).toBe(js);
    }
  });
});
