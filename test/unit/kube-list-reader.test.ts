// A Kubernetes list answer read as it arrives must give what JSON.parse of the whole gives (with
// each item passed through the caller's function), wherever the chunks cut it, and refuse what
// JSON.parse refuses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KubeListReader, NotJsonError, type EachItem } from '../../src/kubernetes/list-reader.js';
import { pieces } from '../helpers/pieces.js';

function read(body: string, cuts: number[] = [], each: EachItem = (v) => v): unknown {
  const reader = new KubeListReader(each);
  for (const piece of pieces(body, cuts)) reader.push(piece);
  return reader.end();
}

const list = (items: unknown[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion: '4711' }, items, ...extra });
const deployment = (name: string): unknown => ({ metadata: { name, namespace: 'apps', labels: { app: name } }, spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: `ghcr.io/acme/${name}:1` }] } } } });

describe('KubeListReader', () => {
  it('reads a list answer as JSON.parse does, wherever it is cut', () => {
    const bodies = [
      list([]),
      list([deployment('a')]),
      list(Array.from({ length: 30 }, (_, i) => deployment(`d-${i}`))),
      list([deployment('a')], { extra: { items: ['not', 'these'] } }),
      JSON.stringify({ items: [1, { items: [2] }], kind: 'List' }),
      `  {"kind":"List",\n "items":[ {"a":"] } \\"items\\":["} ]\n}  `,
    ];
    for (const body of bodies) {
      const n = Buffer.byteLength(body);
      for (const size of [1, 5, 17, 256, n]) expect(read(body, Array.from({ length: Math.ceil(n / size) }, (_, k) => k * size))).toEqual(JSON.parse(body));
    }
  });

  it('reads any list answer, cut anywhere (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }), fc.array(fc.nat(), { maxLength: 8 }), (items, extra, cuts) => {
        const body = JSON.stringify({ kind: 'List', metadata: {}, items, ...extra, ...('items' in extra ? { items } : {}) });
        const n = Buffer.byteLength(body);
        expect(read(body, cuts.map((c) => c % (n + 1)))).toEqual(JSON.parse(body));
      }),
      { numRuns: 300 },
    );
  });

  it('hands each item over with its index, and keeps what comes back', () => {
    const seen: number[] = [];
    const out = read(list([deployment('a'), deployment('b')]), [40, 90], (v, i) => (seen.push(i), `${i}:${(v as { metadata: { name: string } }).metadata.name}`));
    expect(out).toMatchObject({ kind: 'DeploymentList', metadata: { resourceVersion: '4711' }, items: ['0:a', '1:b'] });
    expect(seen).toEqual([0, 1]);
  });

  it('reads other answers whole: items far from the start, no list, null, a Status', () => {
    const far = JSON.stringify({ metadata: { annotations: { big: 'x'.repeat(70_000) } }, items: [1, 2] });
    expect(read(far, [1000, 50_000], (v) => (v as number) * 10)).toEqual({ metadata: { annotations: { big: 'x'.repeat(70_000) } }, items: [10, 20] });
    expect(read('{"kind":"List","items":null}')).toEqual({ kind: 'List', items: null });
    expect(read('null')).toBeNull();
    expect(read('{"kind":"Status","status":"Success"}', [3])).toEqual({ kind: 'Status', status: 'Success' });
  });

  it('refuses what is not JSON, in the envelope or in an item', () => {
    const bad = ['', '<html>', list([deployment('a')]).slice(0, -1), list([deployment('a')]).replace('"items":[', '"items":[,'), `${list([])}x`, '{"kind":"List" "items":[]}', list([{ a: 1 }]).replace('{"a":1}', '{"a":}')];
    for (const body of bad) {
      expect(() => JSON.parse(body)).toThrow();
      for (const cut of [0, 3, Math.floor(body.length / 2)]) expect(() => read(body, [cut])).toThrow(NotJsonError);
    }
  });

  it('lets an item\'s own error through as it is', () => {
    const boom = new Error('Deployment apps/a: spec.replicas: expected an integer, got string');
    expect(() => read(list([deployment('a')]), [], () => {
      throw boom;
    })).toThrow(boom);
  });
});
