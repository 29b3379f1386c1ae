import { describe, expect, it } from 'vitest';
import { parseGoInt } from '../../src/commands/list-images.js';
import { parseJson } from '../../src/daemon/decode.js';
import { decodeImages, type Container, type ImageInfo } from '../../src/daemon/types.js';
import { formatRfc822, imageRows, limitAvailable } from '../../src/output/images.js';
import { jsonDocument } from '../../src/output/render.js';
import { renderTabRows } from '../../src/output/table.js';

// A fluxd 1.25 answer to GET /v10/images, byte for byte.
const IMAGES =
  '[{"ID":"default:deployment/helloworld","Containers":[{"Name":"helloworld","Current":{"ID":"quay.io/weaveworks/helloworld:master-a000001","Digest":"sha256:5b1a…","ImageID":"sha256:9c3e…","Labels":{},"CreatedAt":"2016-07-12T17:16:00Z","LastFetched":"2019-07-20T13:19:04.123Z"},"LatestFiltered":{"ID":"quay.io/weaveworks/helloworld:master-9a16ff945b9e","Labels":{},"CreatedAt":"2016-07-20T13:19:00Z"},"Available":[{"ID":"quay.io/weaveworks/helloworld:master-9a16ff945b9e","Labels":{},"CreatedAt":"2016-07-20T13:19:00Z"},{"ID":"quay.io/weaveworks/helloworld:master-a000001","Labels":{},"CreatedAt":"2016-07-12T17:16:00Z"}],"AvailableImagesCount":2,"NewAvailableImagesCount":1,"FilteredImagesCount":2,"NewFilteredImagesCount":1}]}]';

const info = (ID: string, CreatedAt?: string): ImageInfo => ({ ID, Labels: {}, CreatedAt });
const zero = info('');
const container = (current: string, available: string[], extra: Partial<Container> = {}): Container => ({
  Name: 'c',
  Current: current === '' ? zero : info(current),
  LatestFiltered: zero,
  Available: available.length === 0 ? undefined : available.map((id) => info(id)),
  ...extra,
});
/** The IMAGE column of a single container's rows (its first row is the container line). */
const markers = (c: Container, limit: number): string[] => imageRows([{ ID: 'ns:deployment/w', Containers: [c] }], limit).rows.slice(1).map((r) => r[2] ?? '');

describe('list-images JSON model', () => {
  it('re-encodes the daemon\'s answer to the same bytes, and --limit cuts only Available', () => {
    const list = decodeImages(parseJson(IMAGES, 'test'), '') ?? [];
    expect(jsonDocument(list)).toBe(`${IMAGES}\n`);
    expect(jsonDocument(limitAvailable(list, 10))).toBe(`${IMAGES}\n`);
    const cut = jsonDocument(limitAvailable(list, 1));
    expect(cut).toBe(`${IMAGES.replace(',{"ID":"quay.io/weaveworks/helloworld:master-a000001","Labels":{},"CreatedAt":"2016-07-12T17:16:00Z"}],', '],')}\n`);
    expect(list[0]?.Containers?.[0]?.Available).toHaveLength(2); // the input is not mutated
  });

  it('normalises times as Go re-encodes them', () => {
    const list = decodeImages([{ ID: 'a', Containers: [{ Current: { ID: 'x:1', CreatedAt: '2020-01-02T03:04:05.100000000Z', Labels: {} }, LatestFiltered: { ID: '' } }] }], '');
    expect(jsonDocument(list)).toBe('[{"ID":"a","Containers":[{"Current":{"ID":"x:1","Labels":{},"CreatedAt":"2020-01-02T03:04:05.1Z"},"LatestFiltered":{"ID":"","Labels":{}}}]}]\n');
  });
});

describe('list-images tab rows', () => {
  it('renders the daemon\'s answer', () => {
    const list = decodeImages(parseJson(IMAGES, 'test'), '') ?? [];
    expect(renderTabRows(imageRows(list, 10).rows)).toBe(
      'default:deployment/helloworld  helloworld  quay.io/weaveworks/helloworld  \n' +
        '                                           |   master-9a16ff945b9e        20 Jul 16 13:19 UTC\n' +
        "                                           '-> master-a000001             12 Jul 16 17:16 UTC\n",
    );
  });

  it('marks by tag, then blanks the marker after the current image', () => {
    expect(markers(container('r:2', ['r:4', 'r:3', 'r:2', 'r:1']), 0)).toEqual(['|   4', '|   3', "'-> 2", '    1']);
    // A tag match under another spelling of the repository still marks (fluxctl compares tags).
    expect(markers(container('docker.io/library/r:2', ['r:3', 'r:2']), 0)).toEqual(['|   3', "'-> 2"]);
  });

  it('after the limit shows only the current image (whole ref), with an ellipsis if a gap remains', () => {
    const c = container('r:2', ['r:6', 'r:5', 'r:4', 'r:3', 'r:2', 'r:1']);
    expect(markers(c, 2)).toEqual(['|   6', '|   5', ': (2 image(s) omitted)', "'-> 2"]);
    expect(markers(c, 4)).toEqual(['|   6', '|   5', '|   4', '|   3', "'-> 2"]); // p = N+1: no ellipsis
    expect(markers(c, 5)).toEqual(['|   6', '|   5', '|   4', '|   3', "'-> 2"]);
    // Beyond the limit the whole ref must match: a different spelling is dropped, and never re-added.
    expect(markers(container('docker.io/library/r:2', ['r:4', 'r:3', 'r:2']), 1)).toEqual(['|   4']);
  });

  it('adds the current image when no tag matched: (untagged) with ? for a zero Current', () => {
    expect(markers(container('r:9', ['r:2', 'r:1']), 10)).toEqual(['|   2', '|   1', "'-> 9"]);
    expect(markers(container('', []), 10)).toEqual(["'-> (untagged)"]);
    expect(imageRows([{ ID: 'w', Containers: [container('', [])] }], 10).rows).toEqual([['w', 'c', '', 'image data not available'], ['', '', "'-> (untagged)", '?']]);
  });

  it('shows AvailableError when set, the image without its tag, and digests as untagged', () => {
    const c = container('localhost:5000/team/app@sha256:abc', [], { AvailableError: 'registry unreachable' });
    expect(imageRows([{ ID: 'w', Containers: [c] }], 10).rows[0]).toEqual(['w', 'c', 'localhost:5000/team/app', 'registry unreachable']);
    expect(imageRows([{ ID: 'w', Containers: [container('weaveworks/app:1', [])] }], 10).rows[0]?.[2]).toBe('weaveworks/app');
    expect(imageRows([{ ID: 'w', Containers: [container('a:b:c', [])] }], 10).rows).toEqual([['w', 'c', 'a:b:c', 'image data not available'], ['', '', "'-> (untagged)", '?']]);
  });

  it('gives a workload without containers one row, and names only the first container\'s workload', () => {
    const rows = imageRows([{ ID: 'a', Containers: null }, { ID: 'b', Containers: [container('', []), { ...container('', []), Name: undefined }] }], 10);
    expect(rows.rows.map((r) => r.slice(0, 2))).toEqual([['a', ''], ['b', 'c'], ['', ''], ['', ''], ['', '']]);
    expect(rows.kinds).toEqual(['workload', 'no-data', 'unknown-current', 'no-data', 'unknown-current']);
  });
});

describe('formatRfc822', () => {
  it.each([
    ['2016-07-20T13:19:04.123456789Z', '20 Jul 16 13:19 UTC'],
    ['2001-01-02T03:04:05Z', '02 Jan 01 03:04 UTC'],
    ['2016-12-31T23:59:59+02:00', '31 Dec 16 23:59 +0200'],
    ['2016-12-31T23:59:59-07:30', '31 Dec 16 23:59 -0730'],
    [undefined, ''],
    ['yesterday', 'yesterday'],
  ])('%s → %s', (input, expected) => {
    expect(formatRfc822(input)).toBe(expected);
  });
});

describe('parseGoInt (strconv.ParseInt base 0)', () => {
  it.each([
    ['10', 10], ['0', 0], ['-1', -1], ['+7', 7], ['010', 8], ['0x1F', 31], ['0o17', 15], ['0b101', 5], ['1_000', 1000], ['0_7', 7], ['0x_1', 1],
    ['-9223372036854775808', -9223372036854775808],
  ])('%s → %d', (s, n) => {
    expect(parseGoInt(s)).toBe(n);
  });

  it.each(['', '-', 'ten', '1.5', ' 1', '08', '0x', '0b2', '_1', '1_', '1__0', '0x_', '1e3'])('%j is invalid syntax', (s) => {
    expect(() => parseGoInt(s)).toThrow(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  });

  it('rejects values beyond int64', () => {
    expect(() => parseGoInt('9223372036854775808')).toThrow('strconv.ParseInt: parsing "9223372036854775808": value out of range');
  });
});
