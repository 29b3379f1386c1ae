import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { stripActivity } from '../helpers/run-cli.js';
import { CHART_ARGS, startTestBed, type TestBed, type TestBedOptions } from '../helpers/testbed.js';

let bed: TestBed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});
async function start(options: TestBedOptions = {}): Promise<TestBed> {
  bed = await startTestBed(options);
  return bed;
}

const fwd = ['--k8s-fwd-ns', 'flux'];
interface Dep {
  metadata: { generation: number; resourceVersion: string };
  spec: { template: { spec: { containers: Array<{ name: string; args?: string[] }> } } };
}
const daemonArgs = (b: TestBed): string[] | undefined =>
  (b.kube.cluster.get('deployments', 'flux', 'flux') as Dep | undefined)?.spec.template.spec.containers.find((c) => c.name === 'flux')?.args;
const patches = (b: TestBed) => b.kube.requests.filter((r) => r.method === 'PATCH');

describe('fluxctl set-interval', () => {
  it('shows the current values from the Deployment found through pod → ReplicaSet → Deployment', async () => {
    const b = await start({ args: ['--git-url=git@x:y', '--git-poll-interval', '2m'] });
    const r = await b.run(['set-interval', ...fwd]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('SETTING            VALUE  SOURCE\ngit-poll-interval  2m     args\nsync-interval      5m     default\n');
    const gets = b.kube.requests.map((q) => `${q.method} ${q.path}`);
    expect(gets).toEqual([
      'GET /api/v1/namespaces/flux/pods',
      expect.stringMatching(/^GET \/apis\/apps\/v1\/namespaces\/flux\/replicasets\/flux-[a-z0-9]+$/),
      'GET /apis/apps/v1/namespaces/flux/deployments/flux',
    ]);
    expect((await b.run(['set-interval', ...fwd, '-o', 'json'])).stdout).toBe('{"deployment":"flux/flux","container":"flux","gitPollInterval":"2m","syncInterval":"5m"}\n');
  });

  it('sets both intervals in place, waits for the rollout and prints before → after', async () => {
    const b = await start();
    const r = await b.run(['set-interval', ...fwd, '1m']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('SETTING            BEFORE  AFTER\ngit-poll-interval  5m      1m\nsync-interval      5m      1m\n');
    expect(r.stderr).toMatch(/^Deployment flux\/flux, container flux\n(Waiting for .*\n)*deployment "flux" successfully rolled out\n$/);
    expect(daemonArgs(b)).toEqual(CHART_ARGS.map((a) => a.replace(/^(--git-poll-interval|--sync-interval)=5m$/, '$1=1m')));
    const [patch] = patches(b);
    expect(patch?.contentType).toBe('application/strategic-merge-patch+json');
    expect(patch?.body).toMatchObject({ metadata: { resourceVersion: expect.any(String) }, spec: { template: { spec: { containers: [{ name: 'flux' }] } } } });
    // After the rollout a new daemon pod serves the API: commands keep working.
    expect((await b.run(['set-interval', ...fwd])).stdout).toContain('git-poll-interval  1m     args');
  });

  it('-o json reports the new values after a change, and the current ones after a dry run', async () => {
    const b = await start();
    const both = await b.run(['set-interval', ...fwd, '1m', '-o', 'json']);
    expect(both.code).toBe(0);
    expect(JSON.parse(both.stdout)).toMatchObject({ deployment: 'flux/flux', container: 'flux', gitPollInterval: '1m', syncInterval: '1m', applied: true });
    const one = await b.run(['set-interval', ...fwd, '--sync-interval=90s', '--no-wait', '-o', 'json']);
    expect(JSON.parse(one.stdout)).toMatchObject({ gitPollInterval: '1m', syncInterval: '90s', changes: [{ flag: '--git-poll-interval', before: '1m', after: '1m' }, { flag: '--sync-interval', before: '1m', after: '90s' }] });
    const dry = await b.run(['set-interval', ...fwd, '3m', '--dry-run', '-o', 'json']);
    expect(JSON.parse(dry.stdout)).toMatchObject({ gitPollInterval: '1m', syncInterval: '90s', dryRun: true, applied: false });
  });

  it('changes one interval alone and appends a missing flag once', async () => {
    const b = await start({ args: ['--git-url=git@x:y', '--git-poll-interval=5m'] });
    const r = await b.run(['set-interval', ...fwd, '--sync-interval', '90s', '--no-wait']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('SETTING            BEFORE  AFTER\ngit-poll-interval  5m      5m\nsync-interval      5m      90s\n');
    expect(daemonArgs(b)).toEqual(['--git-url=git@x:y', '--git-poll-interval=5m', '--sync-interval=90s']);
    expect(r.stderr).toContain('Not waiting for the rollout; follow it with: kubectl rollout status deployment/flux -n flux');
  });

  it('--dry-run validates on the server and changes nothing', async () => {
    const b = await start();
    const r = await b.run(['set-interval', ...fwd, '30s', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('git-poll-interval  5m      30s');
    expect(r.stderr).toContain('Dry run: the API server accepted the change, nothing was applied.');
    expect(patches(b).map((p) => p.query)).toEqual([expect.objectContaining({ dryRun: 'All' })]);
    expect(daemonArgs(b)).toEqual(CHART_ARGS);
  });

  it('retries on 409 Conflict with a fresh read', async () => {
    const b = await start();
    // Someone else writes the Deployment right after our first read of it.
    const push = b.kube.requests.push.bind(b.kube.requests);
    let reads = 0;
    b.kube.requests.push = (...items) => {
      for (const q of items) if (q.method === 'GET' && q.path.endsWith('/deployments/flux') && ++reads === 1) setImmediate(() => b.kube.cluster.touchDeployment('flux', 'flux'));
      return push(...items);
    };
    const r = await b.run(['set-interval', ...fwd, '2m', '--no-wait', '--deployment', 'flux']);
    expect(r.code).toBe(0);
    expect(patches(b).map((p) => p.status)).toEqual([409, 200]);
    expect(daemonArgs(b)?.filter((a) => a.endsWith('interval=2m'))).toEqual(['--git-poll-interval=2m', '--sync-interval=2m']);
  });

  it('warns when the Deployment is applied from git or by Helm', async () => {
    const b = await start({ labels: { heritage: 'Helm' }, annotations: { 'fluxcd.io/sync-checksum': 'abc', 'meta.helm.sh/release-name': 'flux' } });
    const r = await b.run(['set-interval', ...fwd, '1m', '--no-wait']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Warning: this Deployment is applied from git by Flux: the next sync will revert the change');
    expect(r.stderr).toContain('Warning: this Deployment is managed by Helm: the next helm upgrade will revert the change; to keep it, run helm upgrade flux fluxcd/flux --reuse-values');
  });

  it('fails with the reason when the rollout exceeds its progress deadline', async () => {
    const b = await start();
    b.kube.cluster.setProgressDeadlineExceeded('flux', 'flux', true);
    const r = await b.run(['set-interval', ...fwd, '1m']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: deployment "flux" exceeded its progress deadline/);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['5 minutes'], /^Error: invalid duration "5 minutes": time: unknown unit " minutes" in duration "5 minutes"\nRun 'fluxctl set-interval --help' for usage\.\nhint: use Go duration syntax/],
    [['0s'], /^Error: invalid duration "0s": the interval must be positive\n/],
    [['-1m'], /^Error: negative values are not allowed here: -1m\n/],
    [['--sync-interval', '1d'], /^Error: invalid --sync-interval "1d": time: unknown unit "d" in duration "1d"\n/],
    [['1m', '2m'], /^Error: too many arguments for 'set-interval'\. Expected 1 argument but got 2\.\n/],
    [['--dry-run'], /^Error: --dry-run needs a new interval to show\n/],
  ])('rejects %j before touching the cluster', async (argv, message) => {
    const b = await start();
    const r = await b.run(['set-interval', ...fwd, ...argv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(b.kube.requests).toEqual([]);
  });

  it('refuses --url mode, and names a missing --deployment', async () => {
    const b = await start();
    const url = await b.run(['set-interval', '1m', '--url', 'http://127.0.0.1:1/api/flux']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('it cannot work with --url');
    const missing = await b.run(['set-interval', ...fwd, '--deployment', 'nope']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Error: deployment "nope" not found in namespace "flux" (context "emulator")');
  });
});

/** A keyboard that answers a prompt with `line`. */
class Keyboard extends PassThrough {
  isTTY = true;
  setRawMode(): this {
    return this;
  }
}
const answering = (line: string): Keyboard => {
  const k = new Keyboard();
  k.write(line);
  return k;
};
const tty = { stdout: true, stderr: true };

describe('set-interval values under 1s or over 24h', () => {
  it.each([['500ms', 'under 1s'], ['25h', 'over 24h']])('%s is refused without a terminal unless --yes: exit 2, nothing patched', async (value, why) => {
    const b = await start();
    const r = await b.run(['set-interval', ...fwd, value]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(new RegExp(`^Error: ${value} is ${why}: .*\nRun 'fluxctl set-interval --help' for usage\.\nhint: pass --yes if you mean it\n$`));
    expect(patches(b)).toEqual([]);
    const yes = await b.run(['set-interval', ...fwd, '--git-poll-interval', value, '--yes', '--no-wait']);
    expect(yes.code).toBe(0);
    expect(daemonArgs(b)).toContain(`--git-poll-interval=${value}`);
  });

  it('a dry run only warns', async () => {
    const b = await start();
    const r = await b.run(['set-interval', ...fwd, '--sync-interval', '100ms', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Warning: 100ms is under 1s: /);
  });

  it('on a terminal asks, and changes only on yes', async () => {
    const b = await start();
    const no = await b.run(['set-interval', ...fwd, '500ms'], { tty, stdin: answering('\n') });
    expect(no).toMatchObject({ code: 1, stdout: '' });
    expect(stripActivity(no.stderr)).toMatch(/^⚠ 500ms is under 1s: .*\nChange it anyway\? \[y\/N\] Error: set-interval cancelled: nothing was changed\n$/);
    expect(patches(b)).toEqual([]);
    const yes = await b.run(['set-interval', ...fwd, '500ms', '--no-wait'], { tty, stdin: answering('y\n') });
    expect(yes.code).toBe(0);
    expect(daemonArgs(b)).toContain('--sync-interval=500ms');
  });
});
