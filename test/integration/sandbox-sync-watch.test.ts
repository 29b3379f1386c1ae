import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchableSample } from '../../scripts/sandbox-rollouts.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed({ fluxdState: watchableSample() });
});
afterAll(() => bed.close());

const fwd = ['--k8s-fwd-ns', 'flux'];

describe('the v1 sandbox walkthrough', () => {
  it('shows the failing workload, then sync --watch follows the rollouts the sync starts to the end', async () => {
    const before = await bed.run(['list-workloads', ...fwd, '-n', 'podinfo']);
    expect(before.stdout).toMatch(/^podinfo:deployment\/frontend +nginx +nginx:1\.21\.6 +error/m);
    const r = await bed.run(['sync', ...fwd, '--watch']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Monitoring rollout of podinfo:deployment/frontend, podinfo:deployment/podinfo ...\n');
    expect(r.stderr).toContain('podinfo:deployment/frontend is ready\n');
    expect(r.stderr).toContain('podinfo:deployment/podinfo is ready\n');
    expect(r.stderr.endsWith('All workloads ready.\n')).toBe(true);
    const after = await bed.run(['list-workloads', ...fwd, '-n', 'podinfo']);
    expect(after.stdout).toMatch(/^podinfo:deployment\/podinfo +podinfod +ghcr\.io\/stefanprodan\/podinfo:5\.2\.0 +ready/m);
    expect(after.stdout).toMatch(/^podinfo:deployment\/frontend +nginx +nginx:1\.21\.6 +ready/m);
  });
});
