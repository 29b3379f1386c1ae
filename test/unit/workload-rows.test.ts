import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyState, sampleState, startFluxd, workload, type Fluxd } from '@fluxctl/emulator/fluxd';
import { rowsFor } from '../../src/commands/list-workloads.js';
import { parseJson } from '../../src/daemon/decode.js';
import { decodeServices } from '../../src/daemon/types.js';
import { decodeWorkloadRows } from '../../src/daemon/workload-rows.js';
import { DecodeError } from '../../src/errors.js';
import type { WorkloadRow } from '../../src/model/workload-row.js';
import { renderTabRows } from '../../src/output/table.js';
import { renderWorkloadTab, workloadCells } from '../../src/output/workload-table.js';

const HEADER = ['WORKLOAD', 'CONTAINER', 'IMAGE', 'RELEASE', 'POLICY'];
const byId = <T extends { ID: string }>(a: T, b: T): number => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0);

let fluxd: Fluxd;
beforeAll(async () => {
  fluxd = await startFluxd();
});
afterAll(() => fluxd.close());

/** The emulated daemon's GET /v6/services body for a state, byte for byte as fluxd sends it. */
async function servicesBody(state = sampleState()): Promise<string> {
  fluxd.state = state;
  return (await fetch(`${fluxd.baseUrl}/v6/services?namespace=`)).text();
}

/** The full model's piped bytes, as list-workloads drew them before the lean path. */
function fullPath(body: string, header = HEADER as string[] | undefined): string {
  const list = [...(decodeServices(parseJson(body, 'test'), '') ?? [])].sort(byId);
  const rows = list.flatMap(rowsFor);
  return renderTabRows(header === undefined ? rows : [header, ...rows]);
}

function leanPath(body: string, header = HEADER as string[] | undefined): string {
  return renderWorkloadTab(header, (decodeWorkloadRows(parseJson(body, 'test'), '') ?? []).sort(byId));
}

describe('lean workload rows from GET /v6/services', () => {
  it('draws the same bytes as the full model for the sample state, with and without a header', async () => {
    const body = await servicesBody();
    expect(leanPath(body)).toBe(fullPath(body));
    expect(leanPath(body, undefined)).toBe(fullPath(body, undefined));
    expect(leanPath(body).split('\n').length).toBeGreaterThan(5);
  });

  it('draws the same bytes for odd cells: no containers, unnamed containers, wide runes, every policy', async () => {
    const body = await servicesBody(
      emptyState({
        workloads: [
          workload({ id: 'b:deployment/émoji-🚀', containers: ['=nginx:1', 'side=envoy:2'], policies: { automated: 'true', locked: 'true', ignore: 'true' } }),
          workload({ id: 'a:daemonset/none', containers: [] }),
          workload({ id: 'c:deployment/tab\tbed', containers: ['x=y:1'] }),
        ],
      }),
    );
    expect(leanPath(body)).toBe(fullPath(body));
    // Without the tab, the single pass itself draws the wide runes.
    const wide = await servicesBody(
      emptyState({ workloads: [workload({ id: 'b:deployment/émoji-🚀', containers: ['=nginx:1', 'side=envoy:2'] }), workload({ id: 'a:daemonset/none', containers: [] })] }),
    );
    expect(leanPath(wide)).toBe(fullPath(wide));
    expect(leanPath(wide)).toContain('🚀  ');
  });

  it('keeps only the table fields, in Go order, and maps null to nothing', () => {
    const rows = decodeWorkloadRows(
      [
        {
          ID: 'ns:deployment/a',
          Containers: [{ Name: 'app', Current: { ID: 'img:1', Labels: { x: 1 } }, Available: [{ ID: 'img:2', CreatedAt: '2020-01-01T00:00:00Z' }], AvailableImagesCount: 1 }, { Current: null }],
          Status: 'ready',
          Rollout: { Desired: 2, Ready: 1, Messages: ['slow'] },
          Labels: { app: 'a' },
          Automated: true,
          Locked: true,
          Policies: { automated: 'true', locked: 'true' },
          Unknown: { ignored: [1] },
        },
      ],
      '',
    );
    expect(rows).toEqual<WorkloadRow[]>([{ ID: 'ns:deployment/a', Status: 'ready', policies: 'automated,locked', containers: ['app', 'img:1', '', ''] }]);
    expect(decodeWorkloadRows(null, '')).toBeNull();
    expect(decodeWorkloadRows([{ Containers: null }], '')).toEqual([{ ID: '', Status: '', policies: '', containers: [] }]);
  });

  it('fails on any malformed field, shown in the table or not, with the full decoder\'s message', () => {
    const cases: unknown[] = [
      {},
      [7],
      [{ ID: 1 }],
      [{ ID: 'x', Containers: {} }],
      [{ ID: 'x', Containers: ['c'] }],
      [{ ID: 'x', Containers: [{ Name: false }] }],
      [{ ID: 'x', Containers: [{ Current: [] }] }],
      [{ ID: 'x', Containers: [{ Current: { ID: 7 } }] }],
      [{ ID: 'x', Status: 3 }],
      [{ ID: 'x', Automated: 'yes' }],
      [{ ID: 'x', Locked: 1 }],
      [{ ID: 'x', Ignore: {} }],
      [{ ID: 'x', ReadOnly: 1 }],
      [{ ID: 'x', SyncError: [] }],
      [{ ID: 'x', Antecedent: false }],
      [{ ID: 'x', Rollout: 'soon' }],
      [{ ID: 'x', Rollout: { Ready: 1.5 } }],
      [{ ID: 'x', Rollout: { Messages: [3] } }],
      [{ ID: 'x', Labels: { app: 1 } }],
      [{ ID: 'x', Policies: ['automated'] }],
      [{ ID: 'x', Containers: [{ Available: 'all' }] }],
      [{ ID: 'x', Containers: [{ Available: [{ ID: 'img:1', LastFetched: 0 }] }] }],
      [{ ID: 'x', Containers: [{ LatestFiltered: { Labels: { 'org.label-schema.build-date': 1 } } }] }],
      [{ ID: 'x', Containers: [{ FilteredImagesCount: '2' }] }],
      [{ ID: 'ok' }, { ID: 'x', Rollout: { Outdated: 'none' } }],
    ];
    for (const value of cases) {
      const full = (): unknown => decodeServices(structuredClone(value), '');
      expect(full).toThrow(DecodeError);
      let message = '';
      try {
        full();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(() => decodeWorkloadRows(structuredClone(value), '')).toThrow(new DecodeError(message));
    }
    expect(() => decodeWorkloadRows([{ ID: 'x', Containers: [{ Current: { ID: 7 } }] }], '')).toThrow('[0].Containers[0].Current.ID: expected a string, got number');
  });

  it('lays a workload out as fluxctl does: the first container beside it, further ones below', () => {
    expect(workloadCells({ ID: 'w', Status: 's', policies: 'p', containers: ['a', 'i', 'b', 'j'] })).toEqual([
      ['w', 'a', 'i', 's', 'p'],
      ['', 'b', 'j', '', ''],
    ]);
    expect(renderWorkloadTab(undefined, [])).toBe('');
    expect(renderWorkloadTab(HEADER, [])).toBe('WORKLOAD  CONTAINER  IMAGE  RELEASE  POLICY\n');
  });
});
