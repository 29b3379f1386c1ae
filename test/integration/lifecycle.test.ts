import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState } from '@fluxctl/emulator/fluxd';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

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

/** Live handles by type, leaving out the ones the test runner itself owns. */
function handles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const h of process.getActiveResourcesInfo()) if (h !== 'TTYWrap' && h !== 'FSReqCallback') counts.set(h, (counts.get(h) ?? 0) + 1);
  return counts;
}

/** Handle types with more live handles than `before`, once closing ones had up to 2 s to go. */
async function leftOver(before: Map<string, number>): Promise<string[]> {
  const excess = (): string[] => [...handles()].filter(([t, n]) => n > (before.get(t) ?? 0)).map(([t, n]) => `${t} ×${n - (before.get(t) ?? 0)}`);
  for (let i = 0; i < 100 && excess().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return excess();
}

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
