import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState } from '../emulator/fluxd/index.js';
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

/** Handles that belong to this run, not to vitest or the emulators. */
function handles(): string[] {
  return process.getActiveResourcesInfo().filter((h) => h !== 'TTYWrap' && h !== 'FSReqCallback');
}

describe('a run leaves nothing behind', () => {
  it('closes every socket, WebSocket and timer it opened', async () => {
    await bed.run(['identity', ...fwd]); // warm the emulators' keep-alive state
    await new Promise((r) => setTimeout(r, 50));
    const before = handles().sort();
    for (const argv of [['identity'], ['sync'], ['list-workloads', '-a'], ['set-interval']]) {
      expect((await bed.run([...argv, ...fwd])).code).toBe(0);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(handles().sort()).toEqual(before);
  });

  it('the built binary exits by itself after a command through the tunnel', async () => {
    const started = Date.now();
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [BIN, 'sync', ...fwd], { env: { PATH: process.env.PATH ?? '', HOME: bed.home, KUBECONFIG: bed.kubeconfig }, timeout: 15_000 }, (err, stdout) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout });
      });
      child.stdin?.end();
    });
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('Ctrl-C during sync exits 130 and closes the tunnel', async () => {
    bed.fluxd.state.sync.never = true;
    const interrupt = new AbortController();
    const running = bed.run(['sync', ...fwd], { interrupt: interrupt.signal });
    setTimeout(() => interrupt.abort(), 400);
    const r = await running;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Waiting for [0-9a-f]{7} to be applied \.\.\.\nError: interrupted\n$/);
    expect(r.ms).toBeLessThan(2000);
  });

  it('--verbose explains where it connects and never prints credentials', async () => {
    const withUrl = await bed.run(['identity', '--verbose', '-t', 'sekrit-token-value', '--url', `http://user:sekrit-password@127.0.0.1:${bed.fluxd.port}/api/flux`]);
    expect(withUrl.code).toBe(0);
    expect(`${withUrl.stdout}${withUrl.stderr}`).not.toMatch(/sekrit/);
    expect(withUrl.stderr).toContain('[debug] daemon at http://***@127.0.0.1:');
    const tunnel = await bed.run(['identity', ...fwd, '--verbose']);
    expect(tunnel.stderr).toMatch(/\[debug\] kubeconfig .*, context "emulator", server https:\/\/127\.0\.0\.1:\d+\n\[debug\] daemon pod flux\/flux-[a-z0-9-]+ \(selector app=flux\)\n/);
    expect(tunnel.stderr).not.toContain('test-token');
  });
});
