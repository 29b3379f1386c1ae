// list-images' table reads the daemon's answer through a lean decoder (image-table.ts) and skips
// parsing images past --limit that cannot be the current one. Both must draw the bytes the full
// model draws, and fail with the full decoder's message.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyState, imageInfo, sampleState, startFluxd, workload, type Fluxd, type FluxdState } from '@fluxctl/emulator/fluxd';
import { parseJson } from '../../src/daemon/decode.js';
import { decodeImageTable } from '../../src/daemon/image-table.js';
import { decodeImages } from '../../src/daemon/types.js';
import { DecodeError } from '../../src/errors.js';
import type { ImageTableContainer, ImageTableWorkload } from '../../src/model/image-table.js';
import { parseImageRef } from '../../src/util/image-ref.js';
import { IMAGES_HEADER, imageRows } from '../../src/output/images.js';
import { renderTabRows } from '../../src/output/table.js';

let fluxd: Fluxd;
beforeAll(async () => {
  fluxd = await startFluxd();
});
afterAll(() => fluxd.close());

/** The emulated daemon's GET /v10/images body for a state, byte for byte as fluxd sends it. */
async function imagesBody(state: FluxdState): Promise<string> {
  fluxd.state = state;
  return (await fetch(`${fluxd.baseUrl}/v10/images?containerFields=&namespace=&service=%3Call%3E`)).text();
}

const byId = (a: { ID: string }, b: { ID: string }): number => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0);
const table = (list: readonly ImageTableWorkload[], limit: number): string => renderTabRows([[...IMAGES_HEADER], ...imageRows([...list].sort(byId), limit).rows]);
const full = (body: string, limit: number): string => table(decodeImages(parseJson(body, 'test'), '') ?? [], limit);
const lean = (body: string, limit: number): string => table(decodeImageTable(parseJson(body, 'test'), '') ?? [], limit);

/** fluxctl's loop as written (list_images_cmd.go), every tag parsed: the IMAGE cells of one container. */
function fluxctlImageCells(c: ImageTableContainer, limit: number): string[] {
  const tagOf = (id: string): string => {
    try {
      return parseImageRef(id).tag;
    } catch {
      return '';
    }
  };
  const currentTag = tagOf(c.Current.ID);
  const cells: string[] = [];
  let found = false;
  (c.Available ?? []).forEach((info, i) => {
    const line = i + 1;
    const tag = tagOf(info.ID);
    let marker = '|  ';
    if (tag === currentTag) {
      marker = "'->";
      found = true;
    } else if (found) marker = '   ';
    const within = limit <= 0 || line <= limit;
    if (!within && info.ID !== c.Current.ID) return;
    if (!within && line > limit + 1) cells.push(`: (${line - limit - 1} image(s) omitted)`);
    cells.push(`${marker} ${tag}`);
  });
  if (!found) cells.push(`'-> ${currentTag === '' ? '(untagged)' : currentTag}`);
  return cells;
}

const tagName = (n: number): string => `v1${'.1'.repeat(n % 3)}${n}`;

/** Tags whose names contain one another (v10, v1.11, v1.1.12, v110), dated, some digest-pinned. */
function registryState(currentTags: string[], tagCount: number): FluxdState {
  // Pinned by digest, a tag is not at the end of the ID: `app:v13@sha256:…`.
  const tags = Array.from({ length: tagCount }, (_, t) => `${tagName(t)}${t % 7 === 3 ? `@sha256:${'ab'.repeat(32)}` : ''}`);
  const state = emptyState({
    workloads: currentTags.map((tag, i) => workload({ id: `ns:deployment/app-${i}`, containers: [`app=registry.example.com/team/app:${tag}`, `side=envoyproxy/envoy:${tag}`] })),
  });
  for (const repo of ['registry.example.com/team/app', 'envoyproxy/envoy']) {
    state.images[repo] = tags.map((tag, t) => imageInfo(`${repo}:${tag}`, new Date(Date.UTC(2026, 0, 1) + t * 3_600_000).toISOString()));
  }
  return state;
}

describe('list-images through the lean decoder', () => {
  it('draws the same bytes as the full model for the sample daemon, at every limit', async () => {
    const body = await imagesBody(sampleState());
    for (const limit of [0, 1, 2, 3, 10, -1]) expect(lean(body, limit)).toBe(full(body, limit));
    expect(lean(body, 1).split('\n').length).toBeGreaterThan(5);
  });

  it('draws the same bytes, and fluxctl\'s cells, when tags contain one another and the current image sits anywhere (property)', async () => {
    const bodies = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(30), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: -1, max: 12 }), async (picks, tagCount, limit) => {
        const currents = picks.map((p) => (p % 5 === 4 ? 'not-in-registry' : tagName(p)));
        const key = JSON.stringify([currents, tagCount]);
        const body = bodies.get(key) ?? (await imagesBody(registryState(currents, tagCount)));
        bodies.set(key, body);
        expect(lean(body, limit)).toBe(full(body, limit));
        // Past the limit, images are skipped unparsed where they cannot matter: the cells stay fluxctl's.
        for (const w of decodeImageTable(parseJson(body, 'test'), '') ?? []) {
          for (const c of w.Containers ?? []) {
            const cells = imageRows([{ ID: w.ID, Containers: [c] }], limit).rows.slice(1).map((r) => r[2]);
            expect(cells).toEqual(fluxctlImageCells(c, limit));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('fails on a malformed field with the full decoder\'s message, whichever field it is', () => {
    const cases: unknown[] = [
      {},
      [7],
      [{ ID: 1 }],
      [{ ID: 'x', Containers: {} }],
      [{ ID: 'x', Containers: [1] }],
      [{ ID: 'x', Containers: [{ Name: 2 }] }],
      [{ ID: 'x', Containers: [{ Current: { ID: 7 } }] }],
      [{ ID: 'x', Containers: [{ Current: { ID: 'a:1', LastFetched: 1 } }] }],
      [{ ID: 'x', Containers: [{ LatestFiltered: { Labels: [] } }] }],
      [{ ID: 'x', Containers: [{ Available: [{ ID: 'a:1', Labels: { 'org.opencontainers.image.created': 5 } }] }] }],
      [{ ID: 'x', Containers: [{ Available: [{ ID: 'a:1', Digest: false }] }] }],
      [{ ID: 'x', Containers: [{ Available: 'all' }] }],
      [{ ID: 'x', Containers: [{ AvailableError: [] }] }],
      [{ ID: 'x', Containers: [{ NewFilteredImagesCount: 1.5 }] }],
      [{ ID: 'ok', Containers: null }, { ID: 'x', Containers: [{ FilteredImagesCount: '3' }] }],
    ];
    for (const value of cases) {
      let message = '';
      try {
        decodeImages(structuredClone(value), '');
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
      expect(() => decodeImageTable(structuredClone(value), '')).toThrow(new DecodeError(message));
    }
  });

  it('keeps only what the table shows, with Go\'s zero values for null and absent fields', () => {
    const list = decodeImageTable(
      [
        { ID: 'w', Containers: [{ Name: 'c', Current: { ID: 'a:1', Digest: 'sha256:x' }, Available: [{ ID: 'a:2', CreatedAt: '2020-01-02T03:04:05.100000000Z', LastFetched: '2021-01-01T00:00:00Z' }, { ID: 'a:1', CreatedAt: '0001-01-01T00:00:00Z' }] }] },
        { ID: 'v', Containers: [null, { Available: [], AvailableError: 'registry unreachable' }] },
        { ID: null, Containers: null },
      ],
      '',
    );
    expect(list).toEqual([
      { ID: 'w', Containers: [{ Name: 'c', Current: { ID: 'a:1' }, Available: [{ ID: 'a:2', CreatedAt: '2020-01-02T03:04:05.1Z' }, { ID: 'a:1' }] }] },
      { ID: 'v', Containers: [{ Current: { ID: '' } }, { Current: { ID: '' }, AvailableError: 'registry unreachable' }] },
      { ID: '', Containers: null },
    ]);
    expect(decodeImageTable(null, '')).toBeNull();
  });
});
