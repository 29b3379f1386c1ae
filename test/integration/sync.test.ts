import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, workload, type FluxdState } from '@fluxctl/emulator/fluxd';
import { clearRequestHook, expireOn, nth } from '../helpers/manual-clock.js';
import { stripAnsi } from '../helpers/run-cli.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

const applied = commit('base');
const head = commit('change');

function state(overrides: Partial<FluxdState> = {}): FluxdState {
  return emptyState({
    git: gitState({ url: 'ssh://git@github.com/acme/cluster-config', branch: 'main', commits: [head, applied], syncMarker: applied.sha }),
    sync: { jobPolls: 1, applyPolls: 2 },
    ...overrides,
  });
}

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = state();
  bed.fluxd.requests.length = 0;
  clearRequestHook(bed.fluxd.requests);
});

const fwd = ['--k8s-fwd-ns', 'flux'];
const rev = head.sha.slice(0, 7);

describe('fluxctl sync', () => {
  it('runs fluxctl\'s flow and prints its exact narration when stderr is not a TTY', async () => {
    const r = await bed.run(['sync', ...fwd]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `Synchronizing with ssh://git@github.com/acme/cluster-config\nRevision of main to apply is ${rev}\nWaiting for ${rev} to be applied ...\nDone.\n`,
    );
    const calls = bed.fluxd.requests.map((q) => `${q.method} ${q.path}${q.rawQuery ? `?${q.rawQuery}` : ''} ${q.body}`.trimEnd());
    expect(calls[0]).toBe('POST /v9/git-repo-config false');
    expect(calls[1]).toBe('POST /v9/update-manifests {"type":"sync","cause":{"Message":"","User":""},"spec":{}}');
    expect(calls.slice(2, 4)).toEqual([expect.stringMatching(/^GET \/v6\/jobs\?id=[0-9a-f-]{36}$/), expect.stringMatching(/^GET \/v6\/jobs\?id=/)]);
    expect(calls.slice(4)).toEqual([`GET /v6/sync?ref=${rev}`, `GET /v6/sync?ref=${rev}`, `GET /v6/sync?ref=${rev}`]);
  });

  it('shows a spinner and flux2-style steps on a TTY', async () => {
    const r = await bed.run(['sync', ...fwd], { tty: { stdout: true, stderr: true } });
    expect(r.code).toBe(0);
    const text = stripAnsi(r.stderr);
    expect(text).toContain('► Synchronizing with ssh://git@github.com/acme/cluster-config');
    expect(text).toContain(`► Revision of main to apply is ${rev}`);
    expect(text).toContain(`✔ Done: ${rev} is applied`);
  });

  it('-o json prints one result object and no narration', async () => {
    const r = await bed.run(['sync', ...fwd, '-o', 'json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`{"url":"ssh://git@github.com/acme/cluster-config","branch":"main","revision":"${head.sha}","applied":true}\n`);
  });

  it.each([
    ['unconfigured', '', 'Error: no git repository is configured\n'],
    ['unreachable', 'could not resolve hostname github.com', 'Error: can not connect to git repository with URL ssh://git@github.com/acme/cluster-config\n\nFull error message: could not resolve hostname github.com\n'],
    ['new', 'git clone failed: permission denied', 'Error: git repository ssh://git@github.com/acme/cluster-config is not ready to sync\n\nFull error message: git clone failed: permission denied\n'],
  ])('stops with fluxctl\'s message when the repository is %s', async (status, errors, message) => {
    bed.fluxd.state.git.status = status as FluxdState['git']['status'];
    bed.fluxd.state.git.errors = errors;
    const r = await bed.run(['sync', ...fwd]);
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(bed.fluxd.requests.map((q) => q.path)).toEqual(['/v9/git-repo-config']);
  });

  it('reports a failed sync job with its error, never "Done."', async () => {
    bed.fluxd.state.sync.jobError = 'git fetch: connection reset by peer';
    const r = await bed.run(['sync', ...fwd]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\nFailed to complete sync job \(ID "[0-9a-f-]{36}"\)\nError: git fetch: connection reset by peer\n$/);
    expect(r.stderr).not.toContain('Done.');
  });

  it('warns and syncs the last verified commit when HEAD is not verified', async () => {
    bed.fluxd.state.sync.unverifiedHead = applied.sha;
    const r = await bed.run(['sync', ...fwd]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Warning: The branch HEAD in the git repo is not verified, and fluxd is unable to sync to it. The last verified commit was ${applied.sha.slice(0, 8)}.`);
    expect(r.stderr).toContain(`Revision of main to apply is ${applied.sha.slice(0, 7)}\n`);
    expect(r.stderr.endsWith('Done.\n')).toBe(true);
  });

  it('reports a failed apply with the daemon\'s help text and exit 1', async () => {
    bed.fluxd.state.sync.applyError = 'error applying manifests: deployments.apps "x" is invalid';
    const r = await bed.run(['sync', ...fwd]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Waiting for ${rev} to be applied ...\n== Error ==\n\n`);
    expect(r.stderr).toContain('error applying manifests: deployments.apps "x" is invalid');
    expect(r.stderr).not.toContain('Done.');
  });

  // The --timeout clock runs out exactly as the daemon is asked a second time (ManualClock).
  const expireAt = (path: string, n: number) => ({ clock: expireOn(bed.fluxd.requests, nth(path, n)) });

  it('stops at --timeout with exit 4 and says the outcome is unknown', async () => {
    bed.fluxd.state.sync.never = true;
    const r = await bed.run(['sync', ...fwd, '--timeout', '1s'], expireAt('/v6/sync', 2));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`Waiting for ${rev} to be applied ...\nError: timed out after 1s (--timeout) waiting for ${rev} to be applied; the outcome is unknown\nhint: `);
    expect(r.stderr).not.toContain('Done.');
  });

  it('stops at --timeout while the job is still queued, naming the job', async () => {
    bed.fluxd.state.sync.jobPolls = 1_000_000;
    const r = await bed.run(['sync', ...fwd], { env: { FLUX_TIMEOUT: '1s' }, ...expireAt('/v6/jobs', 2) });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Failed to complete sync job \(ID "[0-9a-f-]{36}"\)\nError: timed out after 1s \(--timeout\) waiting for the sync job; its outcome is unknown\n/);
  });
});

describe('fluxctl sync --watch (our addition)', () => {
  // stepRollout replaces requests.push; removing the own property restores Array.prototype.push.
  afterEach(() => {
    delete (bed.fluxd.requests as { push?: unknown }).push;
  });
  const rollingState = (): FluxdState => {
    const s = state();
    s.workloads = [
      workload({ id: 'default:deployment/web', containers: ['web=nginx:1'], status: 'updating', rollout: { desired: 2, updated: 0, ready: 0, available: 0, outdated: 2 } }),
      workload({ id: 'default:deployment/db', containers: ['db=postgres:15'] }),
    ];
    return s;
  };
  /** Each v11 poll moves `web` one replica further, and runs `onStep` with the step number. */
  function stepRollout(onStep: (step: number, web: FluxdState['workloads'][number]) => void = () => undefined): void {
    const push = bed.fluxd.requests.push.bind(bed.fluxd.requests);
    let step = 0;
    bed.fluxd.requests.push = (...items) => {
      for (const q of items) {
        const web = bed.fluxd.state.workloads[0];
        if (q.path !== '/v11/services' || web === undefined) continue;
        step++;
        web.rollout.updated = Math.min(2, step);
        web.rollout.ready = Math.min(2, step);
        web.rollout.outdated = 2 - web.rollout.updated;
        if (step >= 2) web.status = 'ready';
        onStep(step, web);
      }
      return push(...items);
    };
  }

  it('follows the workloads that are not ready until they are, printing one line per change', async () => {
    bed.fluxd.state = rollingState();
    stepRollout();
    const r = await bed.run(['sync', ...fwd, '--watch']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `Synchronizing with ssh://git@github.com/acme/cluster-config\nRevision of main to apply is ${rev}\nWaiting for ${rev} to be applied ...\nDone.\n` +
        'Monitoring rollout of default:deployment/web ...\n' +
        'Rollout of default:deployment/web: updating, 1/2 updated, 1 ready, 1 outdated\n' +
        'default:deployment/web is ready\nAll workloads ready.\n',
    );
    expect(bed.fluxd.requests.filter((q) => q.path === '/v11/services').map((q) => q.rawQuery)).toEqual([
      'namespace=&services=default%3Adeployment%2Fweb',
      'namespace=&services=default%3Adeployment%2Fweb',
    ]);
  });

  it('says so when nothing is rolling out, and -o json lists the watched workloads', async () => {
    const none = await bed.run(['sync', ...fwd, '--watch']);
    expect(none.stderr.endsWith('Done.\nAll workloads ready.\n')).toBe(true);
    bed.fluxd.state = rollingState();
    stepRollout();
    const json = await bed.run(['sync', ...fwd, '--watch', '-o', 'json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(json.stdout).toBe(`{"url":"ssh://git@github.com/acme/cluster-config","branch":"main","revision":"${head.sha}","applied":true,"workloads":[{"id":"default:deployment/web","status":"ready"}]}\n`);
  });

  it('exits 1 naming the workload whose rollout fails', async () => {
    bed.fluxd.state = rollingState();
    stepRollout((_step, web) => {
      web.status = 'error';
      web.rollout.messages = ['ReplicaSet "web-7d9c" has timed out progressing.'];
    });
    const r = await bed.run(['sync', ...fwd, '--watch']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: rollout of default:deployment/web failed:\n  ReplicaSet "web-7d9c" has timed out progressing.\nhint: ');
  });

  it('exits 4 at --timeout naming the workloads still rolling out', async () => {
    bed.fluxd.state = rollingState();
    const r = await bed.run(['sync', ...fwd, '--watch', '--timeout', '1s'], { clock: expireOn(bed.fluxd.requests, nth('/v11/services', 2)) });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Error: timed out after 1s (--timeout) waiting for rollouts; not ready yet: default:deployment/web\n');
  });

  it('shows a live table on a terminal', async () => {
    bed.fluxd.state = rollingState();
    stepRollout();
    const r = await bed.run(['sync', ...fwd, '--watch'], { tty: { stdout: true, stderr: true } });
    expect(r.code).toBe(0);
    const text = stripAnsi(r.stderr);
    expect(text).toContain('default:deployment/web  updating  1/2 updated, 1 ready, 1 outdated');
    expect(text).toContain('✔ All workloads ready.');
  });
});
