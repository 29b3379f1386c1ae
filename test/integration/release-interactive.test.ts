import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, imageInfo, workload } from '@fluxctl/emulator/fluxd';
import { ManualClock } from '../helpers/manual-clock.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

/** A scripted keyboard: a TTY stdin whose raw-mode switches are recorded. */
class FakeTTY extends PassThrough {
  isTTY = true;
  modes: boolean[] = [];
  /** Called when the menu starts reading keys. */
  onRaw?: () => void;
  setRawMode(on: boolean): this {
    this.modes.push(on);
    if (on) this.onRaw?.();
    return this;
  }
}

const keys = (bytes: string): FakeTTY => {
  const t = new FakeTTY();
  t.write(bytes);
  return t;
};

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
      workload({ id: 'default:deployment/foo', containers: ['hello=library/hello:v1', 'side=library/side:v1'] }),
      workload({ id: 'default:deployment/bar', containers: ['hello=library/hello:v1'], policies: { locked: 'true' } }),
      workload({ id: 'default:deployment/qux', containers: ['hello=library/hello:v1'] }),
    ],
    images: {
      'library/hello': [imageInfo('library/hello:v2', '2020-01-02'), imageInfo('library/hello:v1', '2020-01-01')],
      'library/side': [imageInfo('library/side:v3', '2020-01-03'), imageInfo('library/side:v1', '2020-01-01')],
    },
  });
  bed.fluxd.requests.length = 0;
});

const fwd = ['--k8s-fwd-ns', 'flux', '--user', 'Jane Doe <jane@example.com>'];
const argv = ['release', ...fwd, '--all', '--update-all-images', '--interactive'];
const posts = () => bed.fluxd.requests.filter((q) => q.method === 'POST').map((q) => q.body);
const PLAN = '{"type":"image","cause":{"Message":"","User":"Jane Doe \\u003cjane@example.com\\u003e"},"spec":{"ServiceSpecs":["\\u003call\\u003e"],"ImageSpec":"\\u003call latest\\u003e","Kind":"plan","Excludes":null,"Force":false}}';

describe('fluxctl release --interactive', () => {
  it('plans, shows fluxctl\'s menu, and releases the rows left selected', async () => {
    // -v adds bar's unselectable "locked" row between foo and qux; down, down, Space unselects qux's update.
    const stdin = keys('\u001b[Bj \r');
    const r = await bed.run([...argv, '-v'], { stdin });
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('../golden/release/interactive.piped.txt');
    const rev = bed.fluxd.state.git.commits[0]!.sha.slice(0, 7);
    expect(r.stderr).toBe(`Submitting dry-run release ...\nSubmitting selected release ...\nCommit pushed:\t${rev}\nCommit applied:\t${rev}\n`);
    expect(posts()).toEqual([
      PLAN,
      '{"type":"containers","cause":{"Message":"","User":"Jane Doe \\u003cjane@example.com\\u003e"},"spec":{"Kind":"execute","ContainerSpecs":{"default:deployment/foo":[{"Container":"hello","Current":"library/hello:v1","Target":"library/hello:v2"},{"Container":"side","Current":"library/side:v1","Target":"library/side:v3"}]},"SkipMismatches":false,"Force":false}}',
    ]);
    expect(stdin.modes).toEqual([true, false]);
    expect(stdin.isPaused()).toBe(true);
    expect(bed.fluxd.state.workloads.find((w) => w.id === 'default:deployment/qux')!.containers[0]!.image).toBe('library/hello:v1');
  });

  it('stops the --timeout clock while the menu waits for keys', async () => {
    // Twice --timeout passes while the menu is open; a clock that kept running would fire.
    const clock = new ManualClock();
    const stdin = new FakeTTY();
    stdin.onRaw = () => {
      clock.advance(2000);
      stdin.write('\r');
    };
    const r = await bed.run([...argv, '--timeout', '1s'], { stdin, clock });
    expect(r.code).toBe(0);
    expect(posts()).toHaveLength(2);
  });

  it('sends --force with the selection', async () => {
    const r = await bed.run(['release', ...fwd, '--workload', 'default:deployment/bar', '-i', 'library/hello:v2', '--interactive', '-f'], { stdin: keys('\r') });
    expect(r.code).toBe(0);
    expect(posts()[1]).toBe(
      '{"type":"containers","cause":{"Message":"","User":"Jane Doe \\u003cjane@example.com\\u003e"},"spec":{"Kind":"execute","ContainerSpecs":{"default:deployment/bar":[{"Container":"hello","Current":"library/hello:v1","Target":"library/hello:v2"}]},"SkipMismatches":false,"Force":true}}',
    );
  });

  it.each([
    ['q', 'q'],
    ['Esc', '\u001b'],
    ['end of input', ''],
  ])('%s aborts: "Aborted." on stderr, exit 0, nothing released', async (_name, bytes) => {
    const stdin = keys(bytes);
    if (bytes === '') stdin.end();
    const r = await bed.run(argv, { stdin });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Submitting dry-run release ...\nAborted.\n');
    expect(r.stdout.endsWith('\u001b[?25h')).toBe(true);
    expect(posts()).toEqual([PLAN]);
    expect(stdin.modes).toEqual([true, false]);
  });

  it('Ctrl-C in the menu interrupts: exit 130, nothing released, the terminal restored', async () => {
    const stdin = keys('\u0003');
    const r = await bed.run(argv, { stdin });
    expect(r).toMatchObject({ code: 130, stderr: 'Submitting dry-run release ...\nError: interrupted\nhint: nothing was released\n' });
    expect(r.stdout).toContain('[q] or [Esc] aborts, releasing nothing; [Ctrl-C] interrupts (exit 130).\n');
    expect(r.stdout.endsWith('\u001b[?25h')).toBe(true);
    expect(posts()).toEqual([PLAN]);
    expect(stdin.modes).toEqual([true, false]);
  });

  it('a named workload the daemon does not know fails before the menu (exit 1)', async () => {
    const stdin = keys('\r');
    const r = await bed.run(['release', ...fwd, '--workload', 'default:deployment/nope', '-i', 'library/hello:v2', '--interactive'], { stdin });
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('Submitting dry-run release ...\nError: workload default:deployment/nope (skipped: not found in repository) is not known to the daemon\nhint: check the IDs with: fluxctl list-workloads --all-namespaces\n');
    expect(stdin.modes).toEqual([]);
  });

  it('a plan with nothing to update says "No changes found." (exit 0) without reading keys', async () => {
    const stdin = keys('');
    const r = await bed.run(['release', ...fwd, '--workload', 'default:deployment/foo', '-i', 'library/other:v1', '--interactive', '-v'], { stdin });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'Submitting dry-run release ...\nNo changes found.\n' });
    expect(stdin.modes).toEqual([]);
    expect(posts()).toHaveLength(1);
  });

  it('unselecting everything submits nothing', async () => {
    const r = await bed.run(['release', ...fwd, '--workload', 'default:deployment/qux', '-i', 'library/hello:v2', '--interactive'], { stdin: keys(' \r') });
    expect(r).toMatchObject({ code: 0, stderr: 'Submitting dry-run release ...\nNo updates selected.\n' });
    expect(posts()).toHaveLength(1);
  });

  it('a failed selection job exits 1 with its error', async () => {
    const stdin = new FakeTTY();
    // The image changes between the plan and the selection, so the daemon refuses the mismatch.
    bed.fluxd.requests.push = function push(this: unknown[], ...items: unknown[]) {
      if ((items[0] as { path?: string }).path === '/v6/jobs') bed.fluxd.state.workloads[2]!.containers[0]!.image = 'library/hello:v0';
      return Array.prototype.push.apply(this, items);
    };
    stdin.write('\r');
    try {
      const r = await bed.run(['release', ...fwd, '--workload', 'default:deployment/qux', '-i', 'library/hello:v2', '--interactive'], { stdin });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^Submitting dry-run release \.\.\.\nSubmitting selected release \.\.\.\nError: cannot satisfy specs\n$/);
    } finally {
      delete (bed.fluxd.requests as { push?: unknown }).push;
    }
  });

  it('a refused selection exits 1 with the daemon\'s error (fluxctl printed it and exited 0)', async () => {
    bed.fluxd.requests.push = function push(this: unknown[], ...items: unknown[]) {
      if ((items[0] as { path?: string }).path === '/v6/jobs') bed.fluxd.inject('POST /v9/update-manifests', { status: 400, body: '{}' });
      return Array.prototype.push.apply(this, items);
    };
    try {
      const r = await bed.run(argv, { stdin: keys('\r') });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^Submitting dry-run release \.\.\.\nSubmitting selected release \.\.\.\nError: .*400 Bad Request/);
      expect(posts()).toHaveLength(2);
    } finally {
      delete (bed.fluxd.requests as { push?: unknown }).push;
      bed.fluxd.clearFaults();
    }
  });
});
