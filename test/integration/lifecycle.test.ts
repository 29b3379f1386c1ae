import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState } from '@fluxctl/emulator/fluxd';
import { startTestBed, type TestBed } from '../helpers/testbed.js';
import { handles, leftOver } from '../helpers/handles.js';

const BIN = fileURLToPath(new URL('../../bin/fluxctl.js', import.meta.url));
const head = commit('change');

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = emptyState({ git: gitState({ commits: [head, commit('base')] }), sync: { jobPolls: 1, applyPolls: 1 } });
  bed.fluxd.state.git.syncMarker = bed.fluxd.state.git.commits[1]?.sha ?? null;
});

const fwd = ['--k8s-fwd-ns', 'flux'];

describe('a run leaves nothing behind', () => {
  it('closes every socket, WebSocket and timer it opened', async () => {
    await bed.run(['identity', ...fwd]); // warm the emulators' keep-alive state
    const before = handles();
    for (const argv of [['identity'], ['sync'], ['list-workloads', '-a'], ['set-interval']]) {
      expect((await bed.run([...argv, ...fwd])).code).toBe(0);
    }
    // A handle still closing goes within the grace period; one left open stays and fails.
    expect(await leftOver(before)).toEqual([]);
  });

  it('the built binary exits by itself after a command through the tunnel', async () => {
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [BIN, 'sync', ...fwd], { env: { PATH: process.env.PATH ?? '', HOME: bed.home, KUBECONFIG: bed.kubeconfig }, timeout: 15_000 }, (err, stdout) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout });
      });
      child.stdin?.end();
    });
    // Still running at the 15 s timeout, it would be killed: no exit code.
    expect(result.code).toBe(0);
  });

  // Ctrl-C, SIGINT and the secrets in --verbose output are covered by test/reliability/.
});
