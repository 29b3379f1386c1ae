import { describe, expect, it } from 'vitest';
import { groupByKind, listScope, parseRowId } from '../../src/backends/toolkit/listing-ids.js';

describe('parseRowId', () => {
  it('splits the workload kinds and HelmReleases', () => {
    expect(parseRowId('podinfo:deployment/podinfo')).toEqual({ id: 'podinfo:deployment/podinfo', namespace: 'podinfo', kind: 'Deployment', name: 'podinfo' });
    expect(parseRowId('apps:helmrelease/redis')?.kind).toBe('HelmRelease');
    expect(parseRowId('default:cronjob/nightly.backup')?.name).toBe('nightly.backup');
  });

  it('leaves out what Flux v2 lists no rows of', () => {
    for (const id of ['default:service/web', 'deployment/web', ':deployment/web', 'default:deployment/', 'default:deployment']) {
      expect(parseRowId(id)).toBeUndefined();
    }
  });
});

describe('listScope: one LIST per kind', () => {
  it('narrows to the shared namespace, and to the name when there is one', () => {
    const groups = groupByKind(['a:deployment/x', 'a:deployment/y', 'b:statefulset/db', 'a:service/s', 'a:daemonset/d', 'b:daemonset/d']);
    expect([...groups.keys()]).toEqual(['Deployment', 'StatefulSet', 'DaemonSet']);
    expect(listScope(groups.get('Deployment')!)).toEqual({ namespace: 'a' });
    expect(listScope(groups.get('StatefulSet')!)).toEqual({ namespace: 'b', name: 'db' });
    expect(listScope(groups.get('DaemonSet')!)).toEqual({ namespace: '' });
    expect(listScope([])).toEqual({ namespace: '' });
  });
});
