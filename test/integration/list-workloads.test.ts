import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyState, sampleState, workload } from '@fluxctl/emulator/fluxd';
import { stripAnsi } from '../helpers/run-cli.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed({ contextNamespace: 'podinfo' });
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = sampleState();
  bed.fluxd.requests.length = 0;
});

const fwd = ['--k8s-fwd-ns', 'flux'];
const queries = (): string[] => bed.fluxd.requests.map((q) => `${q.method} ${q.path}?${q.rawQuery}`);

describe('fluxctl list-workloads', () => {
  it('lists every namespace with -a, sorted, in fluxctl\'s tab layout', async () => {
    const r = await bed.run(['list-workloads', ...fwd, '-a']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(queries()).toEqual(['GET /v6/services?namespace=']);
    await expect(r.stdout).toMatchFileSnapshot('../golden/list-workloads/all.piped.txt');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^WORKLOAD {2,}CONTAINER {2,}IMAGE {2,}RELEASE {2,}POLICY$/);
    // Rows without policies keep tabwriter's trailing padding, as fluxctl's output does.
    expect(lines.find((l) => l.startsWith('default:cronjob/nightly-backup'))).toMatch(/ready {5}$/);
  });

  it('defaults to the kubeconfig context namespace, and -n overrides it', async () => {
    await bed.run(['list-workloads', ...fwd]);
    await bed.run(['list-controllers', ...fwd, '-n', 'monitoring']);
    expect(queries()).toEqual(['GET /v6/services?namespace=podinfo', 'GET /v6/services?namespace=monitoring']);
  });

  it('filters by container name and drops the header with --no-headers', async () => {
    const r = await bed.run(['list-workloads', ...fwd, '-a', '-c', 'sidecar', '--no-headers']);
    expect(r.stdout).toBe(
      'default:deployment/helloworld  helloworld  quay.io/weaveworks/helloworld:master-a000001  ready  automated\n' +
        '                               sidecar     quay.io/weaveworks/sidecar:master-a000002            \n',
    );
  });

  it('-o json is the daemon\'s list re-encoded as Go does, sorted by ID', async () => {
    bed.fluxd.state = emptyState({
      workloads: [workload({ id: 'b:deployment/x', containers: ['x=nginx:1'] }), workload({ id: 'a:deployment/<y>', containers: [], labels: { z: '1', a: '2' } })],
    });
    const r = await bed.run(['list-workloads', ...fwd, '-a', '-o', 'json']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().slice(1, -1).split('},{"ID"');
    expect(rows).toHaveLength(2);
    expect(r.stdout).toMatch(/^\[\{"ID":"a:deployment\/\\u003cy\\u003e","Containers":\[\],"ReadOnly":"","Status":"ready",/);
    expect(r.stdout).toContain('"Labels":{"a":"2","z":"1"}');
    expect(r.stdout.endsWith('}]\n')).toBe(true);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
  });

  it('-o json prints null when nothing matches, like fluxctl', async () => {
    const r = await bed.run(['list-workloads', ...fwd, '-a', '-c', 'nope', '-o', 'json']);
    expect(r).toMatchObject({ code: 0, stdout: 'null\n' });
    bed.fluxd.state = emptyState();
    expect((await bed.run(['list-workloads', ...fwd, '-o', 'json'])).stdout).toBe('null\n');
  });

  it('-o yaml prints the same model as YAML', async () => {
    const r = await bed.run(['list-workloads', ...fwd, '-n', 'default', '-o', 'yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^- ID: default:cronjob\/nightly-backup\n {2}Containers:\n {4}- Name: backup\n/);
    expect(r.stdout).toContain('  Policies:\n    automated: \'true\'\n');
  });

  it('draws a borderless, fitted table on a TTY', async () => {
    const r = await bed.run(['list-workloads', ...fwd, '-a'], { tty: { stdout: true, stderr: true }, columns: 100, env: { FORCE_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\u001b[');
    const plain = stripAnsi(r.stdout);
    await expect(plain).toMatchFileSnapshot('../golden/list-workloads/all.tty.txt');
    expect(Math.max(...plain.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
  });

  it('says so on a terminal when nothing matches, and prints only the header when piped', async () => {
    const tty = await bed.run(['list-workloads', ...fwd, '-n', 'empty'], { tty: { stdout: true, stderr: true } });
    expect(tty).toMatchObject({ code: 0, stdout: '', stderr: 'No workloads found in namespace "empty".\n' });
    const piped = await bed.run(['list-workloads', ...fwd, '-n', 'empty']);
    expect(piped).toMatchObject({ code: 0, stdout: 'WORKLOAD  CONTAINER  IMAGE  RELEASE  POLICY\n', stderr: '' });
  });

  it('rejects a bad -o and stray arguments before connecting', async () => {
    const bad = await bed.run(['list-workloads', ...fwd, '-o', 'xml']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe("Error: invalid output format specified\nRun 'fluxctl list-workloads --help' for usage.\nhint: use one of: tab, json, yaml\n");
    const extra = await bed.run(['list-workloads', ...fwd, 'extra']);
    expect(extra.stderr).toBe("Error: expected no (non-flag) arguments\nRun 'fluxctl list-workloads --help' for usage.\n");
    expect(bed.fluxd.requests).toEqual([]);
  });
});
