import { describe, expect, it } from 'vitest';
import { rowsFor } from '../../src/commands/list-workloads.js';
import { parseJson } from '../../src/daemon/decode.js';
import { decodeServices, normalizeGoTime } from '../../src/daemon/types.js';
import { jsonDocument } from '../../src/output/render.js';
import { renderTabRows } from '../../src/output/table.js';

// A fluxd 1.25 answer to GET /v6/services, byte for byte.
const SERVICES = '[{"ID":"default:deployment/helloworld","Containers":[{"Name":"helloworld","Current":{"ID":"quay.io/weaveworks/helloworld:master-a000001","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}},{"Name":"sidecar","Current":{"ID":"quay.io/weaveworks/sidecar:master-a000002","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}}],"ReadOnly":"","Status":"ready","Rollout":{"Desired":2,"Updated":2,"Ready":2,"Available":2,"Outdated":0,"Messages":null},"SyncError":"","Antecedent":"","Labels":{"app":"helloworld"},"Automated":true,"Locked":false,"Ignore":false,"Policies":{"automated":"true","tag.helloworld":"glob:master-*"}}]';

describe('ControllerStatus decoding and Go re-encoding', () => {
  it('re-encodes a same-version daemon answer to the same bytes', () => {
    const list = decodeServices(parseJson(SERVICES, 'test'), '');
    expect(jsonDocument(list)).toBe(`${SERVICES}\n`);
  });

  it('fills Go zero values for missing fields, sorts map keys and escapes HTML', () => {
    const list = decodeServices([{ ID: 'a<b>', Labels: { z: '1', a: '&' } }], '');
    expect(jsonDocument(list)).toBe(
      '[{"ID":"a\\u003cb\\u003e","Containers":null,"ReadOnly":"","Status":"","Rollout":{"Desired":0,"Updated":0,"Ready":0,"Available":0,"Outdated":0,"Messages":null},"SyncError":"","Antecedent":"","Labels":{"a":"\\u0026","z":"1"},"Automated":false,"Locked":false,"Ignore":false,"Policies":null}]\n',
    );
  });

  it('prints null for no workloads', () => {
    expect(jsonDocument(decodeServices(null, ''))).toBe('null\n');
  });

  it('names the path of a field with the wrong type', () => {
    expect(() => decodeServices([{ ID: 'x', Containers: [{ Current: { ID: 7 } }] }], '')).toThrow('[0].Containers[0].Current.ID: expected a string, got number');
    expect(() => decodeServices({}, '')).toThrow('expected an array, got object');
  });

  it('normalises times as Go re-encodes them', () => {
    expect(normalizeGoTime('2019-07-20T13:19:04.120000Z')).toBe('2019-07-20T13:19:04.12Z');
    expect(normalizeGoTime('2019-07-20T13:19:04.000Z')).toBe('2019-07-20T13:19:04Z');
    expect(normalizeGoTime('2016-07-12T17:16:00Z')).toBe('2016-07-12T17:16:00Z');
  });
});

describe('list-workloads tab layout', () => {
  it('matches fluxctl\'s list-workloads output, trailing spaces included', () => {
    const list = decodeServices(
      [
        { ID: 'default:deployment/busybox', Containers: [{ Name: 'busybox', Current: { ID: 'busybox:1.31.1' } }], Status: 'ready' },
        {
          ID: 'default:deployment/helloworld',
          Containers: [
            { Name: 'helloworld', Current: { ID: 'quay.io/weaveworks/helloworld:master-a000001' } },
            { Name: 'sidecar', Current: { ID: 'quay.io/weaveworks/sidecar:master-a000002' } },
          ],
          Status: 'ready',
          Automated: true,
          Locked: true,
        },
        { ID: 'default:helmrelease/empty', Containers: [], Status: 'unknown' },
      ],
      '',
    );
    const out = renderTabRows([['WORKLOAD', 'CONTAINER', 'IMAGE', 'RELEASE', 'POLICY'], ...(list ?? []).flatMap(rowsFor)]);
    expect(out).toBe(
      [
        'WORKLOAD                       CONTAINER   IMAGE                                         RELEASE  POLICY',
        'default:deployment/busybox     busybox     busybox:1.31.1                                ready    ',
        'default:deployment/helloworld  helloworld  quay.io/weaveworks/helloworld:master-a000001  ready    automated,locked',
        '                               sidecar     quay.io/weaveworks/sidecar:master-a000002              ',
        'default:helmrelease/empty                                                                unknown  ',
        '',
      ].join('\n'),
    );
  });
});
