import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, imageInfo, workload, type FluxdState } from '@fluxctl/emulator/fluxd';
import { clearRequestHook, expireOn, nth } from '../helpers/manual-clock.js';
import { stripSpinner } from '../helpers/run-cli.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';
import { PassThrough } from 'node:stream';

const base = commit('base', { sha: 'bada55e234567890abcdef1234567890abcdef12' });
let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = emptyState({
    git: gitState({ branch: 'main', commits: [base], syncMarker: base.sha }),
    workloads: [
      workload({ id: 'default:deployment/foo', containers: ['hello=library/hello:v1', 'side=library/side:v1'], replicas: 2 }),
      workload({ id: 'default:deployment/bar', containers: ['hello=library/hello:v1'] }),
      workload({ id: 'default:deployment/other', containers: ['other=library/other:v1'], status: 'updating' }),
    ],
    images: { 'library/hello': [imageInfo('library/hello:v2', '2020-01-02'), imageInfo('library/hello:v1', '2020-01-01')] },
  });
  bed.fluxd.requests.length = 0;
  clearRequestHook(bed.fluxd.requests);
});

const fwd = ['--k8s-fwd-ns', 'flux', '--user', ''];
const foo = (): FluxdState['workloads'][number] => bed.fluxd.state.workloads[0]!;
const watched = () => bed.fluxd.requests.filter((q) => q.path === '/v11/services').map((q) => q.rawQuery);
// ora cannot clear its line on the in-memory stream, so its last frame runs into the next line.
const normalise = (s: string) => stripSpinner(s.replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for (the release job|[0-9a-f]{7} to be applied)/g, '')).replace(/(Commit (?:pushed|applied):\t)[0-9a-f]{7}/g, '$1abc1234');
const release = ['release', ...fwd, '--workload', 'default:deployment/foo', '-i', 'library/hello:v2', '--watch'];

describe('fluxctl release --watch', () => {
  it('prints a rollout table per workload on each poll until all are ready', async () => {
    foo().rolloutSteps = [{ status: 'updating', rollout: { updated: 1, ready: 1, outdated: 1 } }, { status: 'ready', rollout: { updated: 2, ready: 2, outdated: 0 } }];
    const r = await bed.run([...release, '-v']);
    expect(r.code).toBe(0);
    await expect(`--- stdout\n${r.stdout}--- stderr\n${normalise(r.stderr)}`).toMatchFileSnapshot('../golden/release/watch_v.piped.txt');
    // Only the workloads the release changed, as fluxctl asks for them.
    expect(watched()).toEqual(['namespace=&services=default%3Adeployment%2Ffoo', 'namespace=&services=default%3Adeployment%2Ffoo']);
  });

  it('on a terminal: the same tables drawn for the terminal, flux2-style narration', async () => {
    const r = await bed.run(release, { tty: { stdout: true, stderr: true } });
    expect(r.code).toBe(0);
    await expect(`--- stdout\n${stripSpinner(r.stdout)}--- stderr\n${normalise(r.stderr)}`).toMatchFileSnapshot('../golden/release/watch.tty.txt');
  });

  it('a rollout with problems prints fluxctl\'s lines and exits 1 (fluxctl exits 0)', async () => {
    foo().rolloutSteps = [{ status: 'error', rollout: { updated: 1, messages: ['ReplicaSet "foo-6d4cf56db6" has timed out progressing.', 'pods are crash-looping'] } }];
    const r = await bed.run(release);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'WORKLOAD                STATUS   UPDATES\ndefault:deployment/foo  success  hello: library/hello:v1 -> v2\n' +
        'WORKLOAD                CONTAINER  IMAGE             RELEASE  REPLICAS\n' +
        'default:deployment/foo  hello      library/hello:v2  error    1/2\n' +
        '                        side       library/side:v1            \n\n',
    );
    expect(normalise(r.stderr)).toBe(
      'Submitting release ...\nCommit pushed:\tabc1234\nCommit applied:\tabc1234\nMonitoring rollout ...\n' +
        'There was a problem releasing default:deployment/foo:\nReplicaSet "foo-6d4cf56db6" has timed out progressing.\npods are crash-looping\n' +
        'Error: the rollout of default:deployment/foo failed\nhint: inspect it with: kubectl -n default describe deployment/foo\n',
    );
  });

  it('judges a rollout by the rule sync --watch uses: an empty message list is no problem', async () => {
    foo().rolloutSteps = [{ status: 'updating', rollout: { updated: 1, messages: [] } }, { status: 'ready', rollout: { updated: 2, ready: 2, messages: [] } }];
    expect((await bed.run(release)).code).toBe(0);
  });

  it('status error fails the watch even without messages', async () => {
    foo().rolloutSteps = [{ status: 'error', rollout: { updated: 1, messages: null } }];
    const failed = await bed.run(release);
    expect(failed.code).toBe(1);
    expect(normalise(failed.stderr)).toContain('There was a problem releasing default:deployment/foo:\nError: the rollout of default:deployment/foo failed\n');
  });

  it('is bounded by --timeout: exit 4 naming the workloads not ready', async () => {
    foo().rolloutSteps = [{ status: 'updating', rollout: { updated: 0, outdated: 2 } }];
    // The --timeout clock runs out as the rollout is asked about a second time.
    const r = await bed.run([...release, '--timeout', '1s'], { clock: expireOn(bed.fluxd.requests, nth('/v11/services', 2)) });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /Monitoring rollout \.\.\.\nError: timed out after 1s \(--timeout\) waiting for the rollout of default:deployment\/foo; it may still complete\nhint: /,
    );
    expect(watched()).toEqual(['namespace=&services=default%3Adeployment%2Ffoo', 'namespace=&services=default%3Adeployment%2Ffoo']);
  });

  it('with no workload released there is nothing to watch (fluxctl watched the whole cluster)', async () => {
    const r = await bed.run(['release', ...fwd, '--workload', 'default:deployment/other', '-i', 'library/hello:v2', '--watch']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Submitting release ...\nNothing to watch: no workload was released.\n');
    expect(watched()).toEqual([]);
  });

  it('after --interactive, watches what the selection released', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    // The menu lists bar first: Space unselects its update and foo's is released.
    stdin.write(' \r');
    const r = await bed.run(['release', ...fwd, '--all', '-i', 'library/hello:v2', '--interactive', '--watch'], { stdin });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Monitoring rollout \.\.\.\nAll workloads ready\.\n$/);
    expect(watched()).toEqual(['namespace=&services=default%3Adeployment%2Ffoo']);
    expect(bed.fluxd.state.workloads[1]!.containers[0]!.image).toBe('library/hello:v1');
  });
});
