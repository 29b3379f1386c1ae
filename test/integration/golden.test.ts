import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, sampleState } from '@fluxctl/emulator/fluxd';
import { stripSpinner } from '../helpers/run-cli.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

// One place that pins each command's TTY, piped and JSON output: stdout and
// stderr separately, exit codes asserted, spinner frames and random names normalised.
const ART = '+---[ED25519 256]--+\n|   .o=+.         |\n|    o.=o         |\n|     *.o.        |\n|    . =..        |\n|     o .S        |\n|                 |\n|                 |\n|                 |\n|                 |\n+----[MD5]--------+\n';
const publicKey = {
  key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGoldenGoldenGoldenGoldenGoldenGoldenGolden fluxd\n',
  md5: { hash: 'c4:1e:0f:7a:92:55:10:3b:6d:88:e1:4c:2a:f0:09:d7', randomart: ART },
  sha256: { hash: 'Jm1p0e4XyZ8c3kTq9vB2nR7sL5wH6uA0dF4gK8jQ2oM', randomart: ART.replace('[MD5]----', '[SHA256]-') },
};
const head = commit('change', { sha: 'c0ffee1234567890abcdef1234567890abcdef12' });
const base = commit('base', { sha: 'bada55e234567890abcdef1234567890abcdef12' });

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = emptyState({
    git: gitState({ url: 'ssh://git@github.com/acme/cluster-config', branch: 'main', publicKey, commits: [head, base], syncMarker: base.sha }),
    sync: { jobPolls: 1, applyPolls: 1 },
    workloads: sampleState().workloads,
  });
});

const tty = { tty: { stdout: true, stderr: true } };
const fwd = ['--k8s-fwd-ns', 'flux'];
const golden = (name: string) => `../golden/${name}.txt`;

describe.each([
  ['identity', ['identity', '-v']],
  ['identity', ['identity', '-l', '-E', 'sha256']],
  ['sync', ['sync']],
  ['list-workloads', ['list-workloads', '-n', 'default']],
  ['set-interval', ['set-interval']],
])('%s %j', (command, argv) => {
  const name = `${command}/${argv.slice(1).join('_').replace(/-/g, '') || 'default'}`;

  it('piped', async () => {
    const r = await bed.run([...argv, ...fwd]);
    expect(r.code).toBe(0);
    await expect(`--- stdout\n${r.stdout}--- stderr\n${r.stderr}`).toMatchFileSnapshot(golden(`${name}.piped`));
  });

  it('tty', async () => {
    const r = await bed.run([...argv, ...fwd], tty);
    expect(r.code).toBe(0);
    await expect(`--- stdout\n${stripSpinner(r.stdout)}--- stderr\n${stripSpinner(r.stderr)}`).toMatchFileSnapshot(golden(`${name}.tty`));
  });

  it('json', async () => {
    const r = await bed.run([...argv, ...fwd, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
    await expect(r.stdout).toMatchFileSnapshot(golden(`${name}.json`));
  });
});

describe('set-interval change', () => {
  it.each([
    ['piped', {}, []],
    ['tty', tty, []],
    ['json', {}, ['-o', 'json']],
  ])('%s', async (mode, options, extra) => {
    const r = await bed.run(['set-interval', ...fwd, '90s', '--sync-interval', '3m', ...extra], options);
    expect(r.code).toBe(0);
    const stderr = stripSpinner(r.stderr).replace(/^Waiting for .*\n/gm, '');
    await expect(`--- stdout\n${stripSpinner(r.stdout)}--- stderr\n${stderr}`).toMatchFileSnapshot(golden(`set-interval/change.${mode}`));
    // Put the intervals back for the next case, and wait for the daemon's new pod to serve it.
    expect((await bed.run(['set-interval', ...fwd, '5m'])).code).toBe(0);
  });
});
