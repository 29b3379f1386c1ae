import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyState, sampleState, workload } from '@fluxctl/emulator/fluxd';
import { stripActivity, stripAnsi } from '../helpers/run-cli.js';
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

  it('draws a borderless table on a TTY: images whole, lines past the edge rather than cut (as kubectl)', async () => {
    const r = await bed.run(['list-workloads', ...fwd, '-a'], { tty: { stdout: true, stderr: true }, columns: 100, env: { FORCE_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\u001b[1mWORKLOAD\u001b[22m');
    // a HelmRelease's Helm status `deployed` is a success, like `ready`
    expect(r.stdout).toContain('\u001b[32mdeployed\u001b[39m');
    const plain = stripAnsi(r.stdout);
    await expect(plain).toMatchFileSnapshot('../golden/list-workloads/all.tty.txt');
    expect(plain).toContain('quay.io/prometheus-operator/prometheus-config-reloader:v0.55.1\n');
    expect(plain).not.toContain('…');
  });

  it('says so on a terminal when nothing matches, and prints only the header when piped', async () => {
    const tty = await bed.run(['list-workloads', ...fwd, '-n', 'empty'], { tty: { stdout: true, stderr: true } });
    expect(tty).toMatchObject({ code: 0, stdout: '' });
    expect(stripActivity(tty.stderr)).toBe('No workloads found in namespace "empty".\n');
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

describe('list-workloads on terminals of 60 and 120 columns', () => {
  const LONG_ID = 'monitoring:statefulset/prometheus-operator-kube-prometheus';
  const LONG_IMAGE = 'quay.io/prometheus-operator/prometheus-config-reloader:v0.55.1';
  beforeEach(() => {
    bed.fluxd.state = emptyState({
      workloads: [
        workload({ id: LONG_ID, containers: [`config-reloader=${LONG_IMAGE}`, 'prometheus=quay.io/prometheus/prometheus:v2.34.0'], policies: { automated: 'true', locked: 'true', ignore: 'true' } }),
        workload({ id: 'monitoring:helmrelease/grafana', containers: ['chart-image=grafana/grafana:8.4.5'], status: 'deployed' }),
      ],
    });
  });

  it.each([60, 120])('%i columns: every ID, container, image and tag whole; only POLICY is shortened', async (columns) => {
    const r = await bed.run(['list-workloads', ...fwd, '-n', 'monitoring'], { tty: { stdout: true, stderr: true }, columns });
    expect(r.code).toBe(0);
    const lines = stripAnsi(r.stdout).split('\n');
    for (const whole of [LONG_ID, LONG_IMAGE, 'config-reloader', 'quay.io/prometheus/prometheus:v2.34.0', 'monitoring:helmrelease/grafana', 'grafana/grafana:8.4.5', 'deployed']) {
      expect(lines.some((l) => l.includes(whole))).toBe(true);
    }
    expect(lines.find((l) => l.startsWith(LONG_ID))).toMatch(new RegExp(`^${LONG_ID} +config-reloader +${LONG_IMAGE.replace(/\./g, '\\.')} +ready +automat\\S*…$`));
    // the table is wider than the terminal, so its lines run past the edge instead of hiding data
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(columns);
  });

  it('a table that fits is drawn in full', async () => {
    bed.fluxd.state.workloads = bed.fluxd.state.workloads.slice(1);
    const r = await bed.run(['list-workloads', ...fwd, '-n', 'monitoring'], { tty: { stdout: true, stderr: true }, columns: 120 });
    expect(stripAnsi(r.stdout)).toBe('WORKLOAD                         CONTAINER     IMAGE                   RELEASE    POLICY\nmonitoring:helmrelease/grafana   chart-image   grafana/grafana:8.4.5   deployed\n');
  });

  it('piped, nothing is shortened whatever the width (fluxctl\'s bytes)', async () => {
    const r = await bed.run(['list-workloads', ...fwd, '-n', 'monitoring'], { columns: 60 });
    expect(r.stdout).toContain(`${LONG_ID}  config-reloader  ${LONG_IMAGE}  ready     automated,ignore,locked\n`);
  });
});
