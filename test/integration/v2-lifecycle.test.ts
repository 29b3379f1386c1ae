import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedFlux2Bed } from '../helpers/v2-bed.js';
import { bumpApi } from '../helpers/v2-sync.js';
import { handles, leftOver } from '../helpers/handles.js';

/* On Flux v2 too, a run closes every socket, timer and poll it opened, and the process exits by itself. */

const BIN = fileURLToPath(new URL('../../bin/fluxctl.js', import.meta.url));

describe('a run on Flux v2 leaves nothing behind', () => {
  const bed = sharedFlux2Bed();

  it('closes every socket and timer of identity, sync --watch, the lists, set-interval and check', async () => {
    await bed.run(['identity']); // warm the emulator's keep-alive state
    const before = handles();
    bumpApi(bed, 'v2.0.1');
    for (const argv of [['identity'], ['sync', '--watch'], ['list-workloads', '-a'], ['list-images', '-a'], ['set-interval'], ['check']]) {
      const r = await bed.run([...argv, '--timeout', '30s'], { pollScale: 1 });
      expect({ argv, code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ argv, code: 0, stderr: '' });
    }
    // A handle still closing goes within the grace period; one left open stays and fails.
    expect(await leftOver(before)).toEqual([]);
  });

  it('the built binary exits by itself after a sync', async () => {
    bumpApi(bed, 'v2.0.2');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const env = { PATH: process.env.PATH ?? '', HOME: bed.home, KUBECONFIG: bed.kubeconfig };
      const child = execFile(process.execPath, [BIN, 'sync'], { env, timeout: 20_000 }, (err, _stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr });
      });
      child.stdin?.end();
    });
    // Still running at the 20 s timeout, it would be killed: no exit code.
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toContain('Revision of main to apply is');
  });
});
