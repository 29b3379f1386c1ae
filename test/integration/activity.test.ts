import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, imageInfo, sampleState, workload } from '@fluxctl/emulator/fluxd';
import { Activity } from '../../src/output/activity.js';
import { stripActivity, stripAnsi } from '../helpers/run-cli.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = sampleState();
  bed.fluxd.clearFaults();
  bed.kube.faults.reset();
});

const fwd = ['--k8s-fwd-ns', 'flux'];
const tty = { tty: { stdout: true, stderr: true } };
/** The texts the connection spinner showed, in order, once each. */
const shown = (stderr: string): string[] => [...new Set([...stripAnsi(stderr).matchAll(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ([^…\n]*)…/g)].map((m) => m[1] ?? ''))];
const STEPS = /^(Connecting to the Kubernetes API at https:\/\/127\.0\.0\.1:\d+|Looking for the Flux daemon pod in namespace flux|Opening a tunnel to flux\/flux-\S+|Waiting for the daemon)$/;

describe('waits are never silent on a terminal', () => {
  it('a spinner says what the connection waits for, and is gone before the output', async () => {
    // A wait long enough to be seen: a command faster than loading the spinner shows none.
    bed.kube.faults.inject({ method: 'GET', path: '/api/v1/namespaces/flux/pods', delayMs: 400 });
    const r = await bed.run(['list-workloads', ...fwd, '-n', 'default'], tty);
    expect(r.code).toBe(0);
    const steps = shown(r.stderr);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(s).toMatch(STEPS);
    expect(stripActivity(r.stderr)).toBe('');
    expect(r.stdout).toContain('default:deployment/helloworld');
  });

  it('over --url it waits for the daemon at that URL', async () => {
    bed.fluxd.inject('/v6/services', { delayMs: 400 });
    const r = await bed.run(['list-workloads', '--url', bed.fluxd.baseUrl, '-n', 'default'], { ...tty, env: { KUBECONFIG: '/nonexistent' } });
    expect(r.code).toBe(0);
    expect(shown(r.stderr)).toEqual([`Waiting for the daemon at ${bed.fluxd.baseUrl}`]);
  });

  it.each([
    ['piped', {}],
    ['stderr piped', { tty: { stdout: true, stderr: false } }],
    ['CI', { ...tty, env: { CI: 'true' } }],
  ])('no spinner when %s: the stderr bytes stay as they were', async (_name, options) => {
    const r = await bed.run(['list-workloads', ...fwd, '-n', 'default'], options);
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  it('an error clears the spinner before it is printed', async () => {
    const r = await bed.run(['list-workloads', '--k8s-fwd-ns', 'nowhere', '--flux-version', 'v1'], tty);
    expect(r.code).toBe(3);
    expect(stripActivity(r.stderr)).toMatch(/^Error: /);
  });

  it('release shows a spinner between Commit pushed and Commit applied', async () => {
    const base = commit('base', { sha: 'bada55e234567890abcdef1234567890abcdef12' });
    bed.fluxd.state = emptyState({
      git: gitState({ branch: 'main', commits: [base], syncMarker: base.sha }),
      workloads: [workload({ id: 'default:deployment/foo', containers: ['hello=library/hello:v1'] })],
      images: { 'library/hello': [imageInfo('library/hello:v2', '2020-01-02'), imageInfo('library/hello:v1', '2020-01-01')] },
    });
    const r = await bed.run(['release', ...fwd, '--workload=default:deployment/foo', '-i', 'library/hello:v2', '--user', ''], tty);
    expect(r.code).toBe(0);
    const rev = bed.fluxd.state.git.commits[0]!.sha.slice(0, 7);
    expect(stripAnsi(r.stderr)).toMatch(new RegExp(`Commit pushed:\\t${rev}\\n[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for ${rev} to be applied.*Commit applied:\\t${rev}\\n$`, 's'));
    const piped = await bed.run(['release', ...fwd, '--workload=default:deployment/foo', '-i', 'library/hello:v1', '--user', '']);
    const back = bed.fluxd.state.git.commits[0]!.sha.slice(0, 7);
    expect(piped.stderr).toBe(`Submitting release ...\nCommit pushed:\t${back}\nCommit applied:\t${back}\n`);
  });
});

describe('Activity', () => {
  class Sink extends Writable {
    text = '';
    override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
      this.text += chunk.toString();
      cb();
    }
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('shows the latest text once loaded, and nothing after end()', async () => {
    const sink = new Sink();
    const a = new Activity(sink, true);
    a.set('Connecting');
    a.set('Opening a tunnel');
    await settle();
    a.end();
    const after = sink.text;
    a.set('Waiting');
    await settle();
    expect(stripAnsi(after)).toMatch(/^([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Opening a tunnel…)+$/);
    expect(sink.text).toBe(after);
  });

  it('never starts when ended before its spinner loaded, or when disabled', async () => {
    const sink = new Sink();
    const a = new Activity(sink, true);
    a.set('Connecting');
    a.end();
    const off = new Activity(sink, false);
    off.set('Connecting');
    await settle();
    off.end();
    expect(sink.text).toBe('');
  });
});
